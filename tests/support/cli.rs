//! The `trellis` binary run as people and CI run it, with what it printed kept
//! for the test to read. Include it with `#[path = "support/cli.rs"] mod cli;`.

use std::path::Path;
use std::process::{Command, Output};

/// A site in a fresh temp dir, made of `files` (relative path, bytes).
pub fn site(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("a file in the site has a parent")).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

/// The binary this test crate was built with, for a run set up by hand.
pub fn command() -> Command {
    Command::new(env!("CARGO_BIN_EXE_trellis"))
}

/// Runs `trellis --root <root> <args>` without colour and waits for it.
pub fn trellis(root: &Path, args: &[&str]) -> Output {
    command()
        .arg("--root")
        .arg(root)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the trellis binary runs")
}

/// Asserts that the run exited with `code`, showing its stderr when it did
/// not, and returns that stderr.
pub fn assert_exit(out: &Output, code: i32) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "{stderr}");
    stderr
}

/// The diagnostics a `check --format json` run printed.
pub fn json_diagnostics(out: &Output) -> Vec<serde_json::Value> {
    match serde_json::from_slice(&out.stdout) {
        Ok(serde_json::Value::Array(diags)) => diags,
        other => panic!(
            "not a JSON list of diagnostics ({other:?}): {}",
            String::from_utf8_lossy(&out.stdout)
        ),
    }
}
