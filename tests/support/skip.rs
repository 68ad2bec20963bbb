//! Saying that a test skipped its work, where a person running `cargo test`
//! sees it: libtest captures what `print!` and `eprint!` write in a passing
//! test and shows it only for failures, so a skip said with them stays hidden.
//! This writes to the process's standard error directly, past the capture.

use std::io::Write;

/// Writes `message` on a line of its own, set off so it stands out in a log.
pub fn say(message: &str) {
    // Nothing useful can be done if standard error is closed.
    let _ = writeln!(std::io::stderr().lock(), "\n*** {message} ***\n");
}
