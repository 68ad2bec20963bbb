//! The built site checked the way a browser and a screen reader meet it:
//! every page through html-validate, and one page of each kind through axe-core
//! in Chromium, in light and dark schemes, at desktop and phone widths. The
//! checks are the node scripts in `tests/site-checks/`; this test builds the
//! site with the real binary and runs them.
//!
//! They need `node`, the scripts' packages (`npm ci --prefix tests/site-checks`)
//! and, for axe, Debian's Chromium. Where one is missing the test says so loudly
//! and passes, unless TRELLIS_BROWSER_TESTS=1 demands them.

#[path = "support/skip.rs"]
mod skip;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where axe.mjs launches the browser: Debian's package, never a downloaded build.
const CHROMIUM: &str = "/usr/bin/chromium";

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn scripts_dir() -> PathBuf {
    manifest_dir().join("tests/site-checks")
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// What a check needs that this machine lacks, each with how to get it.
fn missing_tools(
    have_node: bool,
    have_packages: bool,
    have_chromium: bool,
    needs_chromium: bool,
) -> Vec<&'static str> {
    let mut missing = Vec::new();
    if !have_node {
        missing.push("node (apt-get install nodejs npm)");
    }
    if !have_packages {
        missing.push("tests/site-checks/node_modules (npm ci --prefix tests/site-checks)");
    }
    if needs_chromium && !have_chromium {
        missing.push("/usr/bin/chromium (apt-get install chromium)");
    }
    missing
}

/// The `node` binary when everything the check needs is here; otherwise `None`
/// after a loud SKIPPED line, or a failure when TRELLIS_BROWSER_TESTS=1.
fn node_for(check: &str, needs_chromium: bool) -> Option<PathBuf> {
    let node = on_path("node");
    let missing = missing_tools(
        node.is_some(),
        scripts_dir().join("node_modules").is_dir(),
        Path::new(CHROMIUM).is_file(),
        needs_chromium,
    );
    if missing.is_empty() {
        return node;
    }
    let what = missing.join(", ");
    assert!(
        std::env::var("TRELLIS_BROWSER_TESTS").as_deref() != Ok("1"),
        "TRELLIS_BROWSER_TESTS=1 but {check} cannot run: missing {what}"
    );
    skip::say(&format!("SKIPPED: {check} needs {what}"));
    None
}

/// Builds the site at `root` into a fresh temporary directory with the trellis binary.
fn build(root: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("create a temporary directory");
    let site = out.path().join("site");
    let result = Command::new(env!("CARGO_BIN_EXE_trellis"))
        .arg("--root")
        .arg(root)
        .arg("--quiet")
        .arg("build")
        .arg("--output")
        .arg(&site)
        .output()
        .expect("run trellis build");
    assert!(
        result.status.success(),
        "trellis build of {} failed:\n{}",
        root.display(),
        String::from_utf8_lossy(&result.stderr)
    );
    out
}

/// Runs one of the node scripts on a built site and fails with its report.
fn run_script(node: &Path, script: &str, site: &Path) {
    let result = Command::new(node)
        .arg(scripts_dir().join(script))
        .arg(site)
        .current_dir(scripts_dir())
        .output()
        .expect("run node");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
    eprintln!("{report}");
    assert!(
        result.status.success(),
        "{script} found problems in {}:\n{report}",
        site.display()
    );
}

#[test]
fn example_site_pages_are_valid_html() {
    let Some(node) = node_for("HTML validation", false) else {
        return;
    };
    let out = build(manifest_dir());
    run_script(&node, "validate.mjs", &out.path().join("site"));
}

#[test]
fn example_site_has_no_serious_accessibility_violations() {
    let Some(node) = node_for("the axe accessibility check", true) else {
        return;
    };
    let out = build(manifest_dir());
    run_script(&node, "axe.mjs", &out.path().join("site"));
}

#[test]
fn corpus_site_pages_are_valid_html() {
    let Some(corpus) = std::env::var_os("TRELLIS_CORPUS").map(PathBuf::from) else {
        skip::say("skipped: TRELLIS_CORPUS unset; the corpus was not built and validated");
        return;
    };
    let Some(node) = node_for("HTML validation of the corpus", false) else {
        return;
    };
    let root = tempfile::tempdir().expect("create a temporary directory");
    let corpus = std::path::absolute(&corpus).expect("the current directory exists");
    // The corpus as the site's content directory: a link, since `content_dir` must lie in the site.
    std::os::unix::fs::symlink(&corpus, root.path().join("content")).expect("link the corpus");
    std::fs::write(
        root.path().join("trellis.toml"),
        "base_url = \"https://cncf.github.io/mentoring/\"\n",
    )
    .expect("write trellis.toml");
    let out = build(root.path());
    run_script(&node, "validate.mjs", &out.path().join("site"));
}

#[test]
fn missing_tools_are_named_with_how_to_get_them() {
    assert!(missing_tools(true, true, true, true).is_empty());
    assert!(missing_tools(true, true, false, false).is_empty());
    let missing = missing_tools(false, false, false, true);
    assert_eq!(missing.len(), 3);
    assert!(missing[1].contains("npm ci --prefix tests/site-checks"));
    assert!(missing[2].contains("/usr/bin/chromium"));
}
