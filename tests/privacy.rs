//! Mentors' e-mail addresses never reach the published site as plain text: every
//! file of the built example site and of the corpus site is scanned for an
//! address, and the places that show one keep it behind the reveal button.

#[path = "support/site.rs"]
mod site;
#[path = "support/skip.rs"]
mod skip;

use std::path::{Path, PathBuf};

use site::{build_into, example_copy, example_root, files};

/// Addresses in `text`, found by a pattern of its own rather than Trellis's:
/// a local-part character, `@`, a domain label, a dot and two letters.
fn addresses(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let local = |b: u8| b.is_ascii_alphanumeric() || b"._%+-".contains(&b);
    let label = |b: u8| b.is_ascii_alphanumeric() || b == b'-';
    let mut found = Vec::new();
    for (at, _) in text.match_indices('@') {
        if at == 0 || !local(bytes[at - 1]) {
            continue;
        }
        let mut end = at + 1;
        while end < bytes.len() && (label(bytes[end]) || bytes[end] == b'.') {
            end += 1;
        }
        let host = text[at + 1..end].trim_end_matches(['.', '-']);
        let top = host.rsplit('.').next().unwrap_or("");
        if host.contains('.') && top.len() >= 2 && top.bytes().all(|b| b.is_ascii_alphabetic()) {
            let start = text[..at]
                .rfind(|c: char| !local(c as u8) || !c.is_ascii())
                .map_or(0, |i| i + 1);
            found.push(text[start..at + 1 + host.len()].to_string());
        }
    }
    found
}

/// Every address in every file under `out`, as `file: address`.
fn published_addresses(out: &Path) -> Vec<String> {
    files(out)
        .into_iter()
        .flat_map(|(file, bytes)| {
            addresses(&String::from_utf8_lossy(&bytes))
                .into_iter()
                .map(move |a| format!("{file}: {a}"))
        })
        .collect()
}

#[test]
fn the_pattern_finds_addresses() {
    assert_eq!(
        addresses("x jane.doe@example.org, (bo@ex.io) @handle pkg@1.2.3"),
        ["jane.doe@example.org", "bo@ex.io"]
    );
}

#[test]
fn no_file_of_the_example_site_holds_an_address() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build_into(&example_root(), &out, None);
    assert_eq!(published_addresses(&out), Vec::<String>::new());

    // The mentor cards still offer the address, encoded for the theme's script.
    let site = files(&out);
    let page = |name: &str| {
        site.iter()
            .find(|(f, _)| f.contains(name) && f.ends_with("index.html"))
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_else(|| panic!("no page for {name}"))
    };
    assert!(site.iter().any(|(f, b)| f.ends_with(".html")
        && String::from_utf8_lossy(b).contains("class=\"email\" data-email=")));
    // The mistyped `- Mentros:` label shows its value with the address hidden.
    let typo = page("ideas/2026-term-3/vitess/query-plan-visualizer");
    assert!(typo.contains("diego at example dot com"), "{typo}");
    assert!(typo.contains("class=\"email email-inline\""), "{typo}");
}

#[test]
fn ideas_json_lists_addresses_only_with_export_emails() {
    let tmp = tempfile::tempdir().unwrap();
    let root = example_copy(tmp.path());
    let config = std::fs::read_to_string(root.join("trellis.toml")).unwrap();
    let (head, tables) = config.split_once("\n[").expect("the example has tables");
    std::fs::write(
        root.join("trellis.toml"),
        format!("{head}\nexport_emails = true\n\n[{tables}"),
    )
    .unwrap();
    let out = tmp.path().join("public");
    build_into(&root, &out, None);
    // The export is `ideas.json` and one file per term beside it.
    let mut json = std::fs::read_to_string(out.join("ideas.json")).unwrap();
    for part in std::fs::read_dir(out.join("ideas")).unwrap() {
        let path = part.unwrap().path();
        if path.extension().is_some_and(|x| x == "json") {
            json.push_str(&std::fs::read_to_string(path).unwrap());
        }
    }
    assert!(
        json.contains("\"email\": \"priya.raman@example.org\""),
        "exported when asked"
    );
    let is_export =
        |a: &str| a.starts_with("ideas.json:") || (a.starts_with("ideas/") && a.contains(".json:"));
    let elsewhere: Vec<String> = published_addresses(&out)
        .into_iter()
        .filter(|a| !is_export(a))
        .collect();
    assert_eq!(elsewhere, Vec::<String>::new(), "only ideas.json has them");
}

#[test]
fn no_file_of_the_corpus_site_holds_an_address() {
    let Some(corpus) = std::env::var_os("TRELLIS_CORPUS").map(PathBuf::from) else {
        skip::say("skipped: TRELLIS_CORPUS unset; the corpus site was not scanned for addresses");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    std::fs::create_dir_all(&root).unwrap();
    // The corpus as the site's content directory: a link, since `content_dir` must lie in the site.
    std::os::unix::fs::symlink(std::path::absolute(&corpus).unwrap(), root.join("content"))
        .unwrap();
    std::fs::write(
        root.join("trellis.toml"),
        "base_url = \"https://cncf.github.io/mentoring/\"\n",
    )
    .unwrap();
    let out = tmp.path().join("public");
    let loaded = build_into(&root, &out, None);
    let with_email = loaded
        .site
        .ideas
        .iter()
        .flat_map(|i| &i.mentors)
        .filter(|m| m.email.is_some())
        .count();
    assert!(with_email > 10, "the corpus lists mentors' addresses");
    assert_eq!(published_addresses(&out), Vec::<String>::new());
}
