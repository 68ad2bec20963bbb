//! Any bytes as a term file: decoding, parsing and the model stage must never
//! panic, and every line they report must be a line of the file.

#![no_main]

use libfuzzer_sys::fuzz_target;
use trellis::load::{decode, SourceFile};
use trellis::parse::{parse_term_file, ParseContext};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = decode(data.to_vec()) else {
        return;
    };
    let lines = text.lines().count() + 1;
    let file = SourceFile {
        rel: "fuzz.md".into(),
        path: "fuzz.md".into(),
        text,
    };
    let (parsed, diags) = parse_term_file(&file, &ParseContext::default());
    for d in &diags {
        assert!(d.line <= lines, "diagnostic past the end: {d:?}");
    }
    for idea in &parsed.ideas {
        assert!((1..=lines).contains(&idea.source.line), "{:?}", idea.source);
        for field in &idea.fields {
            assert!((1..=lines).contains(&field.line), "{field:?}");
        }
    }
    let (site, _) = trellis::site::assemble(vec![parsed]);
    for idea in &site.ideas {
        assert!(
            idea.slug.split('/').all(|s| !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')),
            "unsafe slug {:?}",
            idea.slug
        );
    }
});
