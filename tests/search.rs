//! The search index as the build writes it, on the example site and on the real
//! corpus: every idea is in it, every URL the browser derives is the idea's real
//! one, and the files parse back into the index the Rust ranking reads.

#[path = "support/site.rs"]
mod site;
#[path = "support/skip.rs"]
mod skip;
use std::collections::{HashMap, HashSet};
use std::path::Path;

use scraper::{ElementRef, Html, Selector};
use trellis::model::Site;
use trellis::search::{answer, files, query, tokenize, Index, Outcome};

fn load(root: &Path) -> Site {
    let config = trellis::build::load_config(root).expect("the config loads");
    trellis::build::load_site(root, config, &[]).site
}

/// The index of a site as its written pieces give it back.
fn index_of(site: &Site) -> Index {
    let written: HashMap<String, Vec<u8>> = files(site).into_iter().collect();
    let index = trellis::search::read(|rel| {
        written
            .get(rel)
            .map(|b| String::from_utf8(b.clone()).expect("UTF-8"))
    })
    .expect("the pieces read back");
    assert_eq!(index, Index::build(site), "the pieces hold the whole index");
    index
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
    let index = index_of(&site);
    assert!(!site.ideas.is_empty());
    assert_urls_match(&site, &index);
}

#[test]
fn every_piece_is_a_script_handing_over_its_json_once() {
    let site = load(Path::new(env!("CARGO_MANIFEST_DIR")));
    let written = files(&site);
    assert_eq!(
        written[0].0,
        trellis::search::HEAD_FILE,
        "the head comes first"
    );
    let mut names = HashSet::new();
    for (rel, bytes) in &written {
        let text = std::str::from_utf8(bytes).expect("UTF-8");
        let (name, json) = trellis::search::pieces::unscript(text).expect("a piece script");
        assert_eq!(format!("search/{name}.js"), *rel);
        serde_json::from_str::<serde_json::Value>(json).expect("its JSON parses");
        assert!(names.insert(name), "{rel} written once");
    }
    assert!(
        !written.iter().any(|(rel, _)| rel.ends_with(".json")),
        "no second copy"
    );
}

#[test]
fn example_search_finds_ideas_by_title_skill_and_mentor() {
    let site = load(Path::new(env!("CARGO_MANIFEST_DIR")));
    let index = index_of(&site);
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
    let index = index_of(&site);
    assert_urls_match(&site, &index);
    let derived = index.docs.url.iter().filter(|u| u.is_empty()).count();
    assert!(
        derived * 10 >= index.len() * 9,
        "only {derived} of {} URLs derived",
        index.len()
    );
}

/// What the idea template itself writes around an idea's own text: section
/// headings, labels, links' captions and the email (shown only on request).
const CHROME: &str = "h2#description, h2#outcome, h2#stretch, h2#notes, .fact > h2, dt, \
    .mentor-link, .email, .fact-actions, .idea-body > p.muted, .visually-hidden";

/// The words of an idea page's main content, as a student would type them (stop
/// words, which search leaves out by design, left out):
/// the title, the breadcrumb (term, organization, sub-projects), the body (every
/// field, extra fields with their labels, notes) and the facts beside it (skills
/// and their notes, mentors with their remarks, difficulty, size, issues).
fn shown_terms(page: &str) -> HashSet<String> {
    let html = Html::parse_document(page);
    let chrome = Selector::parse(CHROME).expect("valid selector");
    let main = Selector::parse("article.idea h1, .breadcrumb, .idea-body, .idea-facts")
        .expect("valid selector");
    let mut text = String::new();
    for part in html.select(&main) {
        collect_text(part, &chrome, &mut text);
    }
    tokenize::tokens(&text)
        .into_iter()
        .filter(|t| !tokenize::is_stop_word(t))
        // "dot" is Trellis's own word: an e-mail address is shown spoken
        // ("jane at example dot org"), never as the address.
        .filter(|t| t != "dot")
        .collect()
}

/// The text as a browser lays it out: inline elements run on ("like<a>this</a>"
/// reads "likethis"), block elements and line breaks separate words.
fn collect_text(element: ElementRef, chrome: &Selector, out: &mut String) {
    const BLOCKS: &[&str] = &[
        "p",
        "div",
        "section",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "br",
        "pre",
        "blockquote",
        "table",
        "tr",
        "td",
        "th",
        "aside",
        "nav",
        "header",
    ];
    for child in element.children() {
        if let Some(text) = child.value().as_text() {
            out.push_str(text);
        } else if let Some(e) = ElementRef::wrap(child) {
            if chrome.matches(&e) {
                out.push(' ');
                continue;
            }
            let block = BLOCKS.contains(&e.value().name());
            if block {
                out.push(' ');
            }
            collect_text(e, chrome, out);
            if block {
                out.push(' ');
            }
        }
    }
}

/// Every word of every idea page's main content, searched for alone, finds that
/// idea: nothing a student reads on a page is out of search's reach.
fn every_shown_word_finds_its_idea(root: &Path, tmp: &Path) {
    let out = tmp.join("public");
    let loaded = site::build_into(root, &out, None);
    let index = trellis::search::read(|rel| std::fs::read_to_string(out.join(rel)).ok())
        .expect("the index reads back");
    let mut found: HashMap<String, HashSet<usize>> = HashMap::new();
    let mut unfound = Vec::new();
    for doc in 0..index.len() {
        let page = std::fs::read_to_string(out.join(index.url(doc)).join("index.html"))
            .expect("the idea page");
        let mut words: Vec<String> = shown_terms(&page).into_iter().collect();
        words.sort();
        for word in words {
            let docs = found.entry(word.clone()).or_insert_with(|| {
                query(&index, &format!("{word} "))
                    .into_iter()
                    .map(|h| h.doc)
                    .collect()
            });
            if !docs.contains(&doc) {
                unfound.push(format!("{word:?} on {}", index.url(doc)));
            }
        }
    }
    assert!(!loaded.site.ideas.is_empty());
    assert!(
        unfound.is_empty(),
        "{} words not found: {:#?}",
        unfound.len(),
        &unfound[..unfound.len().min(40)]
    );
}

#[test]
fn every_word_of_an_example_idea_page_is_found() {
    let tmp = tempfile::tempdir().expect("temp dir");
    every_shown_word_finds_its_idea(Path::new(env!("CARGO_MANIFEST_DIR")), tmp.path());
}

#[test]
fn every_word_of_a_corpus_idea_page_is_found() {
    let Some(corpus) = std::env::var_os("TRELLIS_CORPUS") else {
        skip::say("skipped: TRELLIS_CORPUS unset; the corpus pages were not searched");
        return;
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("site");
    std::fs::create_dir_all(&root).expect("site dir");
    // The corpus linked in as `content/`: a content directory must lie in the site.
    std::os::unix::fs::symlink(std::path::absolute(&corpus).unwrap(), root.join("content"))
        .expect("link the corpus");
    every_shown_word_finds_its_idea(&root, tmp.path());
}

/// "rust beginner" where no Rust idea is for beginners: the Rust ideas, each
/// saying it lacks "beginner", rather than nothing.
#[test]
fn rust_beginner_on_the_example_gives_rust_ideas_naming_beginner() {
    let site = load(Path::new(env!("CARGO_MANIFEST_DIR")));
    let index = index_of(&site);
    let found = answer(&index, "rust beginner", &Default::default());
    assert_eq!(found.outcome, Outcome::Partial);
    assert_eq!(found.words, ["rust", "beginner"]);
    let rust = site
        .ideas
        .iter()
        .filter(|i| i.skills.iter().any(|s| s == "Rust"));
    assert_eq!(found.hits.len(), rust.count());
    for hit in &found.hits {
        let skills = &index.docs.skills[hit.doc];
        assert!(skills.iter().any(|&s| index.skills[s as usize] == "Rust"));
        assert_eq!(hit.missing, 0b10, "{}", index.docs.title[hit.doc]);
    }
}
