//! The `trellis` binary run as people and CI run it, with what it printed kept
//! for the test to read. Include it with `#[path = "support/cli.rs"] mod cli;`.

// Each test crate that includes this module uses its own part of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A site in a fresh temp dir, made of `files` (relative path, bytes).
pub fn site(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), files);
    dir
}

/// Writes `files` (relative path, bytes) under `root`, making the directories
/// they need: for adding to a site a test already made.
pub fn write_files(root: &Path, files: &[(&str, &[u8])]) {
    for (name, bytes) in files {
        let path = root.join(name);
        std::fs::create_dir_all(path.parent().expect("a file in the site has a parent")).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// The binary this test crate was built with, for a run set up by hand.
pub fn command() -> Command {
    Command::new(env!("CARGO_BIN_EXE_trellis"))
}

/// `trellis --root <root> <args>` without colour, ready to run.
fn trellis_command(root: &Path, args: &[&str]) -> Command {
    let mut command = command();
    command
        .arg("--root")
        .arg(root)
        .args(args)
        .env("NO_COLOR", "1");
    command
}

/// Runs `trellis --root <root> <args>` without colour and waits for it.
pub fn trellis(root: &Path, args: &[&str]) -> Output {
    trellis_command(root, args)
        .output()
        .expect("the trellis binary runs")
}

/// Runs [`trellis`] for input that could make it hang: a run still going after
/// `deadline` is killed and fails the test, naming its arguments.
pub fn trellis_within(root: &Path, args: &[&str], deadline: Duration) -> Output {
    let mut child = trellis_command(root, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the trellis binary runs");
    let started = Instant::now();
    while child
        .try_wait()
        .expect("the run can be waited on")
        .is_none()
    {
        if started.elapsed() > deadline {
            let _ = child.kill();
            panic!("trellis {args:?} still running after {deadline:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("the run's output is read")
}

/// What the run printed to stderr, for a test that checks it whatever the exit.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts that the run exited with `code`, showing its stderr when it did
/// not, and returns that stderr.
pub fn assert_exit(out: &Output, code: i32) -> String {
    let stderr = stderr(out);
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

/// Every idea a build exported: the parts `ideas.json` names, read from beside
/// it, their ideas joined in `parts` order.
pub fn exported_ideas(out: &Path) -> Vec<serde_json::Value> {
    let read = |rel: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(out.join(rel)).unwrap())
            .unwrap_or_else(|e| panic!("{rel}: {e}"))
    };
    let top = read("ideas.json");
    let mut ideas = Vec::new();
    for part in top["parts"].as_array().expect("ideas.json has `parts`") {
        let file = read(part["file"].as_str().unwrap());
        assert_eq!(file["term"], part["term"]);
        let list = file["ideas"].as_array().unwrap();
        assert_eq!(part["ideas"], list.len());
        ideas.extend(list.iter().cloned());
    }
    ideas
}
