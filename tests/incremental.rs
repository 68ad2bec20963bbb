//! Incremental rebuilds (`trellis serve`) against full builds (`trellis build`):
//! after every edit of a sequence — change an idea, move it to another
//! organization, add, rename and delete a term file, change and remove a
//! template, change the settings — the directory the incremental rebuild keeps
//! must hold exactly the files of a full build of the same sources, byte for
//! byte. A rebuild that fails must leave the directory as it was.

#[path = "support/site.rs"]
mod site;

use std::path::{Path, PathBuf};

use site::{edit, example_copy, example_root, files};
use trellis::build;
use trellis::build::incremental::{LiveSite, Report};

/// Directories under `dir` that hold nothing: a full build never leaves one.
fn empty_dirs(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_dir())
        .filter(|e| std::fs::read_dir(e.path()).unwrap().next().is_none())
        .map(|e| e.path().to_path_buf())
        .collect()
}

fn rebuild(live: &mut LiveSite, root: &Path) -> Report {
    let config = build::load_config(root).expect("valid trellis.toml");
    let loaded = live.load(root, config);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    live.write(root, &loaded)
        .unwrap_or_else(|e| panic!("incremental rebuild failed: {e}"))
}

/// Asserts that `live` holds what a full build of `root` writes.
fn assert_same_as_full_build(live: &LiveSite, root: &Path, step: &str) {
    let full = root
        .parent()
        .unwrap()
        .join(format!("full-{}", step.replace(' ', "-")));
    site::build_into(root, &full, None);
    let (want, got) = (files(&full), files(live.dir()));
    let missing: Vec<&String> = want.keys().filter(|k| !got.contains_key(*k)).collect();
    let extra: Vec<&String> = got.keys().filter(|k| !want.contains_key(*k)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{step}: files differ: missing {missing:?}, extra {extra:?}"
    );
    let differing: Vec<&String> = want.keys().filter(|k| want[*k] != got[*k]).collect();
    assert!(
        differing.is_empty(),
        "{step}: bytes differ in {differing:?}"
    );
    assert_eq!(empty_dirs(live.dir()), Vec::<PathBuf>::new(), "{step}");
}

#[test]
fn incremental_rebuilds_match_full_builds_through_a_sequence_of_edits() {
    let tmp = tempfile::tempdir().unwrap();
    let root = example_copy(tmp.path());
    let content = root.join("content");
    let mut live = LiveSite::create(&tmp.path().join("live")).unwrap();

    let first = rebuild(&mut live, &root);
    assert_eq!(first.skipped, 0, "a first build renders every page");
    assert_same_as_full_build(&live, &root, "first build");

    // Only the idea page shows its expected outcome.
    edit(
        &content.join("2026-term-3.md"),
        "published through krew",
        "published through Krew",
    );
    let outcome = rebuild(&mut live, &root);
    assert_same_as_full_build(&live, &root, "change an expected outcome");

    // A word of one description: that idea's page and the lists showing its summary.
    edit(
        &content.join("2026-term-3.md"),
        "one of the most frequent questions",
        "one of the most common questions",
    );
    let changed = rebuild(&mut live, &root);
    assert!(changed.rendered > 0, "{changed:?}");
    assert!(
        changed.skipped > changed.rendered,
        "most pages are left alone: {changed:?}"
    );
    assert!(
        outcome.rendered < changed.rendered,
        "an outcome shows on fewer pages than a summary: {outcome:?} {changed:?}"
    );
    assert!(
        changed.written < first.written / 2,
        "few files rewritten: {changed:?}"
    );
    assert_same_as_full_build(&live, &root, "change a description");

    // Skills and organization: taxonomy pages appear and disappear.
    edit(
        &content.join("2026-term-3.md"),
        "- Recommended Skills: golang, k8s, CLI design",
        "- Recommended Skills: Rust, Zig",
    );
    edit(
        &content.join("2026-term-3.md"),
        "### Vitess",
        "### Vitess Project",
    );
    rebuild(&mut live, &root);
    assert_same_as_full_build(&live, &root, "change skills and organization");

    // A new term file.
    let text = std::fs::read_to_string(content.join("2026-term-1.md")).unwrap();
    let added = text
        .replace("LFX Mentorship 2026 Term 1", "LFX Mentorship 2027 Term 1")
        .replace("2026 Term 1", "2027 Term 1")
        .replace("2026-", "2027-")
        .replace("status = \"closed\"", "status = \"upcoming\"");
    std::fs::write(content.join("2027-term-1.md"), added).unwrap();
    rebuild(&mut live, &root);
    assert_same_as_full_build(&live, &root, "add a term file");

    // Renamed: its term id and every URL under it change.
    std::fs::rename(
        content.join("2027-term-1.md"),
        content.join("2027-spring.md"),
    )
    .unwrap();
    rebuild(&mut live, &root);
    assert_same_as_full_build(&live, &root, "rename a term file");

    // Deleted.
    std::fs::remove_file(content.join("2026-term-1.md")).unwrap();
    let deleted = rebuild(&mut live, &root);
    assert!(deleted.removed > 0, "{deleted:?}");
    assert_same_as_full_build(&live, &root, "delete a term file");

    // A template of the site's own: every page that uses it changes.
    std::fs::create_dir_all(root.join("templates")).unwrap();
    let idea = std::fs::read_to_string(example_root().join("templates/idea.html")).unwrap();
    let custom = idea.replace(
        "<h1>{{ idea.title }}</h1>",
        "<h1 class=\"custom\">{{ idea.title }}</h1>",
    );
    assert_ne!(idea, custom, "the edit applies to the default template");
    std::fs::write(root.join("templates/idea.html"), custom).unwrap();
    rebuild(&mut live, &root);
    assert_same_as_full_build(&live, &root, "change a template");
    std::fs::remove_file(root.join("templates/idea.html")).unwrap();
    rebuild(&mut live, &root);
    assert_same_as_full_build(&live, &root, "remove the template");

    // The settings: the title is on every page.
    edit(
        &root.join("trellis.toml"),
        "title = \"Open Source Mentorship Ideas\"",
        "title = \"Mentorship Ideas\"",
    );
    rebuild(&mut live, &root);
    assert_same_as_full_build(&live, &root, "change the settings");

    // Nothing changed: nothing to write.
    let idle = rebuild(&mut live, &root);
    assert_eq!((idle.written, idle.removed), (0, 0), "{idle:?}");
}

#[test]
fn failed_rebuild_leaves_the_site_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    let root = example_copy(tmp.path());
    let mut live = LiveSite::create(&tmp.path().join("live")).unwrap();
    rebuild(&mut live, &root);
    let before = files(live.dir());

    edit(
        &root.join("content/2026-term-3.md"),
        "one of the most frequent questions",
        "one of the most common questions",
    );
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/idea.html"), "{% if %}").unwrap();
    let config = build::load_config(&root).unwrap();
    let loaded = live.load(&root, config);
    assert!(
        live.write(&root, &loaded).is_err(),
        "a broken template fails"
    );
    assert!(files(live.dir()) == before, "nothing was written");

    std::fs::write(
        root.join("templates/idea.html"),
        "{% extends \"base.html\" %}{% block main %}<a href=\"{{ site.base }}nowhere/\">x</a>{% endblock main %}",
    )
    .unwrap();
    let config = build::load_config(&root).unwrap();
    let loaded = live.load(&root, config);
    let err = live.write(&root, &loaded).unwrap_err().to_string();
    assert!(
        err.contains("nowhere/"),
        "a broken link names itself: {err}"
    );
    assert!(files(live.dir()) == before, "nothing was written");

    std::fs::remove_file(root.join("templates/idea.html")).unwrap();
    rebuild(&mut live, &root);
    assert_same_as_full_build(&live, &root, "after failures");
}
