//! Inputs that once crashed or stalled a parser, kept verbatim as bytes so the bug
//! stays fixed. The fuzz targets in `fuzz/` found most of them; the rest are the
//! same kind of bug, found while fixing the first. Each test names the fix.

use trellis::load::{decode, SourceFile};
use trellis::parse::mentors::parse_mentors;
use trellis::parse::skills::{parse_skills, SkillAliases};
use trellis::parse::{parse_term_file, ParseContext};

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("regression inputs are UTF-8")
}

/// The whole pipeline on a term file, as the `parse_term_file` target runs it.
fn parse_file(bytes: &[u8]) -> usize {
    let text = decode(bytes.to_vec()).expect("regression inputs are UTF-8");
    let file = SourceFile {
        rel: "fuzz.md".into(),
        path: "fuzz.md".into(),
        text,
    };
    let (parsed, _) = parse_term_file(&file, &ParseContext::default());
    let (site, _) = trellis::site::assemble(vec![parsed]);
    site.ideas.len()
}

// Found by the `mentors` target in its first minute: an unclosed `(` ending in a
// two-byte character was cut one byte short of its end, inside the character.
// Fixed in src/parse/mentors.rs (`parse_one`): an unclosed bracket runs to the end.
const MENTORS_UNCLOSED_PAREN: &[u8] =
    b"l\xd6\xb6te](https://twitter.com/lcalcote)), [Abhishek Kumar](htt\xd6\xb6";

#[test]
fn unclosed_parenthesis_before_a_multibyte_character_does_not_panic() {
    let mentors = parse_mentors(text(MENTORS_UNCLOSED_PAREN));
    assert!(
        mentors.iter().any(|m| m.name.contains("Abhishek Kumar")),
        "{mentors:?}"
    );
}

// The same cut, found reading the code next to the first one: `(` and `<` with no
// closing bracket before a character of more than one byte.
const UNCLOSED_BRACKETS: &[&[u8]] = &[
    b"(\xc3\xa9",
    b"<\xc3\xa9",
    b"Jane (@jane, \xc3\xa9",
    b"<\xf4\x8f\xbf\xbf",
];

#[test]
fn unclosed_brackets_before_a_multibyte_character_do_not_panic() {
    for input in UNCLOSED_BRACKETS {
        let mentors = parse_mentors(text(input));
        assert!(
            mentors.iter().all(|m| !m.name.is_empty()),
            "{input:?}: {mentors:?}"
        );
    }
}

// Lowercasing changes the byte length of some characters ('K', the Kelvin sign,
// becomes a one-byte 'k'), and the skills parser sliced the original text at
// offsets found in its lowercase copy: a " knowledge" trailer or an " and " after
// a Kelvin sign cut it in half. Found reviewing the fix above; fixed with
// src/parse/caseless.rs, which compares ASCII in place.
const KELVIN_TRAILER: &[u8] = b"Go \xe2\x84\xaanowledge";
const KELVIN_BEFORE_AND: &[u8] = b"\xe2\x84\xaa and Go";

#[test]
fn skills_with_characters_that_shrink_when_lowercased_do_not_panic() {
    let parsed = parse_skills(text(KELVIN_TRAILER), &SkillAliases::default());
    assert_eq!(parsed.skills.len(), 1, "{parsed:?}");
    let parsed = parse_skills(text(KELVIN_BEFORE_AND), &SkillAliases::default());
    assert_eq!(parsed.skills.len(), 2, "{parsed:?}");
    assert!(parsed.skills.contains(&"Go".to_string()), "{parsed:?}");
}

#[test]
fn term_file_with_every_regression_in_its_fields_parses() {
    let mut file = b"### Org\n#### Idea\n- Description: d\n- Mentor(s): ".to_vec();
    file.extend_from_slice(MENTORS_UNCLOSED_PAREN);
    file.extend_from_slice(b"\n- Recommended Skills: ");
    file.extend_from_slice(KELVIN_TRAILER);
    file.extend_from_slice(b", ");
    file.extend_from_slice(KELVIN_BEFORE_AND);
    for input in UNCLOSED_BRACKETS {
        file.extend_from_slice(b"\n- Mentor(s): ");
        file.extend_from_slice(input);
    }
    file.push(b'\n');
    assert_eq!(parse_file(&file), 1);
}
