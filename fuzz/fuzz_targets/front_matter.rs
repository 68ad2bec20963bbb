//! Any text as the start of a term file: splitting off `+++` front matter never
//! panics, and the body starts on a character boundary inside the text.

#![no_main]

use libfuzzer_sys::fuzz_target;
use trellis::parse::front_matter::split;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.lines().count() + 1;
    let (_, body_start, diags) = split(text, "fuzz.md");
    assert!(text.is_char_boundary(body_start), "body at {body_start}");
    for d in &diags {
        assert!(d.line <= lines, "diagnostic past the end: {d:?}");
    }
});
