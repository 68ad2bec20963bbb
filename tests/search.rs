//! The search index as the build writes it, on the example site and on the real
//! corpus: every idea is in it, every URL the browser derives is the idea's real
//! one, and the files parse back into the index the Rust ranking reads.

#[path = "support/skip.rs"]
mod skip;
use std::path::Path;

use trellis::model::Site;
use trellis::search::{files, query, Index};

fn load(root: &Path) -> Site {
    let config = trellis::build::load_config(root).expect("the config loads");
    trellis::build::load_site(root, config, &[]).site
}

fn index_of(site: &Site) -> (Index, Vec<u8>) {
    let written = files(site);
    let json = &written
        .iter()
        .find(|(rel, _)| *rel == "search/index.json")
        .expect("search/index.json is written")
        .1;
    let script = &written
        .iter()
        .find(|(rel, _)| *rel == "search/index.js")
        .expect("search/index.js is written")
        .1;
    (
        Index::from_json(json).expect("the index parses"),
        script.clone(),
    )
}

fn assert_urls_match(site: &Site, index: &Index) {
    assert_eq!(index.len(), site.ideas.len());
    for (doc, idea) in site.ideas.iter().enumerate() {
        assert_eq!(index.url(doc), idea.url, "{}", idea.title);
        assert_eq!(index.docs.title[doc], idea.title);
    }
}

#[test]
fn example_index_has_every_idea_at_its_url() {
    let site = load(Path::new(env!("CARGO_MANIFEST_DIR")));
    let (index, _) = index_of(&site);
    assert!(!site.ideas.is_empty());
    assert_urls_match(&site, &index);
}

#[test]
fn index_script_assigns_the_same_json_to_a_global() {
    let site = load(Path::new(env!("CARGO_MANIFEST_DIR")));
    let written = files(&site);
    let json = String::from_utf8(written[0].1.clone()).expect("UTF-8 JSON");
    let (_, script) = index_of(&site);
    let script = String::from_utf8(script).expect("UTF-8 script");
    assert_eq!(script, format!("window.trellisSearchIndex={json};\n"));
}

#[test]
fn example_search_finds_ideas_by_title_skill_and_mentor() {
    let site = load(Path::new(env!("CARGO_MANIFEST_DIR")));
    let (index, _) = index_of(&site);
    let top = |q: &str| {
        query(&index, q)
            .first()
            .map(|h| index.docs.title[h.doc].clone())
    };
    assert_eq!(
        top("Query cost estimator for PromQL").as_deref(),
        Some("Query cost estimator for PromQL")
    );
    assert_eq!(
        top("pyo3").as_deref(),
        Some("Window operators in Rust through PyO3")
    );
    let by_mentor = query(&index, "wojcik");
    assert!(by_mentor.iter().all(|h| index.docs.mentors[h.doc]
        .iter()
        .any(|&m| index.mentors[m as usize] == "Tomasz Wójcik")));
    assert!(!by_mentor.is_empty());
}

#[test]
fn corpus_index_derives_almost_every_url() {
    let Some(corpus) = std::env::var_os("TRELLIS_CORPUS") else {
        skip::say("skipped: TRELLIS_CORPUS unset; the corpus index was not checked");
        return;
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    // The corpus as the site's content directory: a link, since `content_dir` must lie in the site.
    std::os::unix::fs::symlink(
        std::path::absolute(Path::new(&corpus)).expect("an absolute path"),
        tmp.path().join("content"),
    )
    .expect("link the corpus");
    let site = load(tmp.path());
    let (index, _) = index_of(&site);
    assert_urls_match(&site, &index);
    let derived = index.docs.url.iter().filter(|u| u.is_empty()).count();
    assert!(
        derived * 10 >= index.len() * 9,
        "only {derived} of {} URLs derived",
        index.len()
    );
}
