//! `trellis check` as CI runs it: diagnostics at file:line:col, the exit codes, and
//! the GitHub and JSON formats.

use std::path::Path;
use std::process::{Command, Output};

fn site(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

fn trellis(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trellis"))
        .arg("--root")
        .arg(root)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

const BROKEN: &[u8] = b"### Org\n\n#### Idea one\n\n- Description: something\n- Mentros: Jane Doe (@jane)\n\n####\n- Description: no title\n- Mentor(s): A (@a)\n";

#[test]
fn broken_file_prints_located_diagnostics_and_exits_1() {
    let dir = site(&[("content/term.md", BROKEN)]);
    let out = trellis(dir.path(), &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("term.md:8:1"), "{stderr}");
    assert!(
        stderr.contains("this heading has idea fields but no title"),
        "{stderr}"
    );
    assert!(stderr.contains("term.md:6:1"), "{stderr}");
    assert!(stderr.contains("did you mean 'Mentor(s)'"), "{stderr}");
    assert!(
        stderr.contains("- Mentros: Jane Doe (@jane)"),
        "quotes the source line: {stderr}"
    );
}

#[test]
fn github_format_prints_annotations() {
    let dir = site(&[("content/term.md", BROKEN)]);
    let out = trellis(dir.path(), &["check", "--format", "github"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("::error file=term.md,line=8,col=1,")),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("::warning file=term.md,line=6,col=1,")),
        "{stdout}"
    );
}

#[test]
fn json_format_is_machine_readable() {
    let dir = site(&[("content/term.md", BROKEN)]);
    let out = trellis(dir.path(), &["check", "--format", "json"]);
    let diags: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first_error = diags
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["severity"] == "error")
        .unwrap();
    assert_eq!(first_error["line"], 8);
    assert_eq!(first_error["code"], "idea-without-title");
}

#[test]
fn warnings_fail_only_with_strict() {
    let file: &[u8] = b"### Org\n#### Idea\n- Description: d\n";
    let dir = site(&[("content/term.md", file)]);
    assert_eq!(trellis(dir.path(), &["check"]).status.code(), Some(0));
    assert_eq!(
        trellis(dir.path(), &["check", "--strict"]).status.code(),
        Some(1)
    );
}

#[test]
fn non_utf8_file_is_an_error_naming_the_file() {
    let dir = site(&[("content/bad.md", b"### Org\n#### Idea \xff\xfe\n")]);
    let out = trellis(dir.path(), &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("bad.md") && stderr.contains("not valid UTF-8"),
        "{stderr}"
    );
}

#[test]
fn checking_named_files_only() {
    let dir = site(&[
        ("content/good.md", b"### Org\n#### Idea\n- Description: d\n"),
        ("content/bad.md", BROKEN),
    ]);
    let good = dir.path().join("content/good.md");
    let out = trellis(dir.path(), &["check", good.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn bad_config_is_a_usage_error_with_its_line() {
    let dir = site(&[
        ("trellis.toml", b"title = \"x\"\nbase_ur = \"/\"\n"),
        ("content/t.md", b""),
    ]);
    let out = trellis(dir.path(), &["check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("trellis.toml:2:1") && stderr.contains("base_ur"),
        "{stderr}"
    );
}

#[test]
fn missing_content_directory_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = trellis(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
}

#[test]
fn example_site_checks_clean_of_errors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = trellis(root, &["check", "--format", "json"]);
    let diags: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0));
    let codes: Vec<&str> = diags
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"unknown-field"),
        "the example's deliberate typo is caught: {codes:?}"
    );
    assert!(codes.contains(&"missing-outcome"), "{codes:?}");
}
