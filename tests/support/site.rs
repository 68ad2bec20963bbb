//! The example site for end-to-end tests: a copy a test may edit, a full build
//! into a directory as `trellis build` writes it, and the files a build left.
//! Include it with `#[path = "support/site.rs"] mod site;`.

// Each test crate that includes this module uses its own part of it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use trellis::build::{self, Loaded};

/// The example's term file that tests edit, relative to the site's root.
pub const TERM: &str = "content/2026-term-1.md";
/// [`TERM`]'s title line, and the same line emptied: a build error at line 2.
pub const TITLE_LINE: &str = "title = \"LFX Mentorship 2026 Term 1\"\n";
pub const NO_TITLE_LINE: &str = "title = \n";

/// The day the example site is built on in tests (2026-09-10, UTC, while its
/// Term 3 takes applications), as `SOURCE_DATE_EPOCH`: statuses come from dates.
pub const EXAMPLE_TODAY: &str = "1788998400";

/// Fixes "today" for this test process and the `trellis` runs it starts. Every
/// test of a binary sets the same value, so the order they run in does not matter.
pub fn pin_today() {
    std::env::set_var("SOURCE_DATE_EPOCH", EXAMPLE_TODAY);
}

/// This repository, which is also the example site (trellis.toml and content/).
pub fn example_root() -> PathBuf {
    pin_today();
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the example site (trellis.toml and content/) at `<dir>/site`, for
/// a test to edit; the example itself stays as it is.
pub fn example_copy(dir: &Path) -> PathBuf {
    let root = dir.join("site");
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::copy(
        example_root().join("trellis.toml"),
        root.join("trellis.toml"),
    )
    .unwrap();
    copy_dir(&example_root().join("content"), &root.join("content"));
    root
}

/// Copies a directory with everything under it (the example's content has subdirectories).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// The site at `root` loaded, with `base_url` in place of its own when given.
pub fn load(root: &Path, base_url: Option<&str>) -> Loaded {
    pin_today();
    let mut config = build::load_config(root).expect("the test site's trellis.toml is valid");
    if let Some(base_url) = base_url {
        config.base_url = base_url.to_string();
    }
    build::load_site(root, config, &[])
}

/// Builds the site at `root` into `out` as `trellis build` does; panics, naming
/// both, when the build fails.
pub fn build_into(root: &Path, out: &Path, base_url: Option<&str>) -> Loaded {
    let loaded = load(root, base_url);
    trellis::build::write_site(root, &loaded, out).unwrap_or_else(|e| {
        panic!(
            "building {} into {} failed: {e}",
            root.display(),
            out.display()
        )
    });
    loaded
}

/// Every file under `dir` by its `/`-separated relative path, with its bytes.
pub fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The relative paths of the pages (`.html` files) under `dir`.
pub fn html_files(dir: &Path) -> Vec<String> {
    files(dir)
        .into_keys()
        .filter(|f| f.ends_with(".html"))
        .collect()
}

/// Replaces the first `from` in the file at `path` with `to`, as a person
/// saving an edit would; panics when the file has no `from`.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no '{from}'", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}
