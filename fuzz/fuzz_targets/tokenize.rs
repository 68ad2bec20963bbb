//! Any text through the search tokenizer: never a panic, and every token is the
//! ASCII the browser's twin can produce (letters, digits, a `+` or `#` tail).

#![no_main]

use libfuzzer_sys::fuzz_target;
use trellis::search::tokenize::{terms, tokens};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for token in tokens(text) {
        assert!(!token.is_empty());
        assert!(
            token
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'+' || b == b'#'),
            "{token:?}"
        );
    }
    terms(text);
});
