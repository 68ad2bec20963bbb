//! Any text as a `Mentor(s):` value: never a panic, never a nameless mentor.

#![no_main]

use libfuzzer_sys::fuzz_target;
use trellis::parse::mentors::parse_mentors;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for mentor in parse_mentors(text) {
        assert!(!mentor.name.is_empty(), "{mentor:?}");
    }
});
