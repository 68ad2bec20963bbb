//! Any text through the search tokenizer: never a panic, and every token is what
//! the browser's twin can produce: ASCII (letters, digits, a `+` or `#` tail), or
//! one or two CJK characters.

#![no_main]

use libfuzzer_sys::fuzz_target;
use trellis::search::tokenize::{is_cjk, terms, tokens};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for token in tokens(text) {
        assert!(!token.is_empty());
        let cjk = token.chars().all(is_cjk) && token.chars().count() <= 2;
        assert!(
            cjk || token
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'+' || b == b'#'),
            "{token:?}"
        );
    }
    terms(text);
});
