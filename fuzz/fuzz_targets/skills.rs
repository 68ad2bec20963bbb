//! Any text as a `Recommended Skills:` value: never a panic, never an empty or
//! repeated skill.

#![no_main]

use libfuzzer_sys::fuzz_target;
use trellis::parse::skills::{parse_skills, SkillAliases};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsed = parse_skills(text, &SkillAliases::default());
    for (i, skill) in parsed.skills.iter().enumerate() {
        assert!(!skill.trim().is_empty(), "{parsed:?}");
        assert!(
            !parsed.skills[..i]
                .iter()
                .any(|s| s.eq_ignore_ascii_case(skill)),
            "{parsed:?}"
        );
    }
});
