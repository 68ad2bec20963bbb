//! A foundation's repository as it is: the corpus files laid out at their
//! paths in the CNCF mentoring repository (from the "Source path" column of the
//! corpus README), with program READMEs and a guide beside them, built with
//! only `content_dir` set and a fixed `SOURCE_DATE_EPOCH`. The site must have
//! one term per period folder or per-year file, each with its program and a
//! title naming program and period; no idea twice in a term; selected ideas
//! marked; no README or guide as a term; statuses from dates; no broken link
//! (the build's link check fails the build on one).

#[path = "support/skip.rs"]
mod skip;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use trellis::model::TermStatus;

/// 2026-08-05 00:00 UTC, the corpus snapshot's day.
const TODAY_EPOCH: &str = "1785888000";

fn corpus() -> Option<PathBuf> {
    match std::env::var_os("TRELLIS_CORPUS") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            skip::say("skipped: TRELLIS_CORPUS is unset; set it to the corpus directory (.ci/run sets ../shared/corpus)");
            None
        }
    }
}

/// `(file name, source path)` from the corpus README's table.
fn source_paths(corpus: &Path) -> Vec<(String, String)> {
    let readme =
        std::fs::read_to_string(corpus.join("README.md")).expect("the corpus has a README");
    readme
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let (file, path) = (cells.get(1)?, cells.get(2)?);
            let path = path.trim_matches('`');
            (file.ends_with(".md") && path.starts_with("programs/"))
                .then(|| (file.to_string(), path.to_string()))
        })
        .collect()
}

const LFX_README: &str = "# LFX Mentorship\n\nThree terms a year. Each term has its own folder: see [2024 Term 1](2024/01-Mar-May/README.md) and the [applying guide](../guides/applying.md#cover-letter).\n\nThe program's [logo](logo.svg) lives beside this file.\n";
const GSOC_README: &str =
    "# Google Summer of Code\n\nOne file per year, such as [2025](2025.md).\n";
const PROGRAMS_README: &str = "# Programs\n\n- [LFX Mentorship](lfx-mentorship/README.md)\n- [Google Summer of Code](summerofcode/)\n";
const GUIDE: &str = "# Applying as a mentee\n\nRead the idea, try the project, then write a short cover letter. Questions go to the project's public channel.\n\nBack to [the programs](../README.md); the repository's [contributing notes](../../CONTRIBUTING.md) are not part of the site.\n";

fn lay_out(corpus: &Path, root: &Path) {
    for (file, path) in source_paths(corpus) {
        let to = root.join(&path);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(corpus.join(&file), &to).unwrap_or_else(|e| panic!("{file}: {e}"));
    }
    for (path, text) in [
        ("programs/README.md", PROGRAMS_README),
        ("programs/lfx-mentorship/README.md", LFX_README),
        ("programs/summerofcode/README.md", GSOC_README),
        ("programs/guides/applying.md", GUIDE),
        // A hidden folder is never read.
        (
            "programs/.github/PULL_REQUEST_TEMPLATE.md",
            "# Template\n\n### Org\n\n#### Idea\n\n- Description: x\n- Mentor(s): y\n",
        ),
    ] {
        let to = root.join(path);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, text).unwrap();
    }
    std::fs::write(root.join("trellis.toml"), "content_dir = \"programs\"\n").unwrap();
}

#[test]
fn cncf_repository_as_it_is_builds_one_correct_multi_program_portal() {
    let Some(corpus) = corpus() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("repo");
    lay_out(&corpus, &root);
    // The build reads "today" from SOURCE_DATE_EPOCH; this test binary sets it
    // for itself only, before any thread that could read the environment.
    std::env::set_var("SOURCE_DATE_EPOCH", TODAY_EPOCH);
    let config = trellis::build::load_config(&root).unwrap();
    let loaded = trellis::build::load_site(&root, config, &[]);
    let out = tmp.path().join("public");
    trellis::build::write_site(&root, &loaded, &out)
        .unwrap_or_else(|e| panic!("the build fails: {e}"));
    let site = &loaded.site;

    // The exact terms, newest first: one per period folder or per-year file.
    let terms: Vec<(&str, &str, &str)> = site
        .terms
        .iter()
        .map(|t| {
            (
                t.id.as_str(),
                t.program.as_deref().unwrap_or("-"),
                t.title.as_str(),
            )
        })
        .collect();
    let lfx = "LFX Mentorship";
    let gsoc = "Google Summer of Code";
    let gsod = "Google Season of Docs";
    assert_eq!(
        terms,
        vec![
            (
                "lfx-mentorship-2026-01-mar-may",
                lfx,
                "LFX Mentorship 2026 · Term 1 (Mar–May)"
            ),
            (
                "lfx-mentorship-2025-03-sep-nov",
                lfx,
                "LFX Mentorship 2025 · Term 3 (Sep–Nov)"
            ),
            (
                "lfx-mentorship-2025-01-mar-may",
                lfx,
                "LFX Mentorship 2025 · Term 1 (Mar–May)"
            ),
            ("summerofcode-2025", gsoc, "Google Summer of Code 2025"),
            (
                "lfx-mentorship-2024-03-sep-nov",
                lfx,
                "LFX Mentorship 2024 · Term 3 (Sep–Nov)"
            ),
            (
                "lfx-mentorship-2024-01-mar-may",
                lfx,
                "LFX Mentorship 2024 · Term 1 (Mar–May)"
            ),
            ("summerofcode-2024", gsoc, "Google Summer of Code 2024"),
            (
                "lfx-mentorship-2023-03-sep-nov",
                lfx,
                "LFX Mentorship 2023 · Term 3 (Sep–Nov)"
            ),
            (
                "lfx-mentorship-2023-01-mar-may",
                lfx,
                "LFX Mentorship 2023 · Term 1 (Mar–May)"
            ),
            (
                "lfx-mentorship-2022-03-sept-nov",
                lfx,
                "LFX Mentorship 2022 · Term 3 (Sep–Nov)"
            ),
            (
                "lfx-mentorship-2022-01-spring",
                lfx,
                "LFX Mentorship 2022 · Term 1 (Spring)"
            ),
            ("summerofcode-2022", gsoc, "Google Summer of Code 2022"),
            (
                "lfx-mentorship-2021-03-fall",
                lfx,
                "LFX Mentorship 2021 · Term 3 (Fall)"
            ),
            (
                "lfx-mentorship-2021-01-spring",
                lfx,
                "LFX Mentorship 2021 · Term 1 (Spring)"
            ),
            (
                "lfx-mentorship-2020-q3-q4",
                lfx,
                "LFX Mentorship 2020 · Q3–Q4"
            ),
            ("lfx-mentorship-2020-q1", lfx, "LFX Mentorship 2020 · Q1"),
            (
                "archive-seasonofdocs-previous-years-2020",
                gsod,
                "Google Season of Docs 2020"
            ),
            ("summerofcode-2020", gsoc, "Google Summer of Code 2020"),
            ("lfx-mentorship-2019", lfx, "LFX Mentorship 2019"),
            ("summerofcode-2019", gsoc, "Google Summer of Code 2019"),
            ("summerofcode-2018", gsoc, "Google Summer of Code 2018"),
            ("summerofcode-2017", gsoc, "Google Summer of Code 2017"),
        ]
    );

    // No README, guide or hidden file is a term; each is a page instead.
    let pages: Vec<&str> = site.pages.iter().map(|p| p.source.file.as_str()).collect();
    assert_eq!(
        pages,
        [
            "README.md",
            "guides/applying.md",
            "lfx-mentorship/README.md",
            "summerofcode/README.md"
        ]
    );
    assert!(out
        .join("guides/lfx-mentorship-readme/index.html")
        .is_file());
    assert!(!site.terms.iter().any(|t| t.source.file.contains(".github")));

    // No idea twice in a term: the README and project_ideas.md of 2021 Term 1
    // list mostly the same ideas.
    let mut seen = HashSet::new();
    for idea in &site.ideas {
        let key = (
            idea.term.clone(),
            trellis::organizations::key(&idea.organization),
            trellis::organizations::key(&idea.title),
        );
        assert!(seen.insert(key), "'{}' twice in {}", idea.title, idea.term);
    }
    let spring_2021 = site
        .ideas
        .iter()
        .filter(|i| i.term == "lfx-mentorship-2021-01-spring");
    assert!(
        spring_2021.clone().count() < 38 + 40,
        "the two files' ideas are merged"
    );
    assert!(spring_2021.clone().any(|i| !i.also_in.is_empty()));

    // Selected ideas are marked, and shown: 2020 Q3–Q4 has a selected_projects.md.
    let q3q4: Vec<_> = site
        .ideas
        .iter()
        .filter(|i| i.term == "lfx-mentorship-2020-q3-q4")
        .collect();
    assert!(
        q3q4.iter().filter(|i| i.selected).count() >= 20,
        "{}",
        q3q4.len()
    );
    let selected = q3q4.iter().find(|i| i.selected).unwrap();
    let page = std::fs::read_to_string(out.join(&selected.url).join("index.html")).unwrap();
    assert!(page.contains("badge-selected"), "{}", selected.url);
    // Proposals of a term before its selection are not marked.
    assert!(site
        .ideas
        .iter()
        .any(|i| i.term == "summerofcode-2025" && !i.selected));

    // Statuses from dates: on 2026-08-05 every term has ended, whatever its file says.
    let statuses: BTreeMap<&str, Option<TermStatus>> = site
        .terms
        .iter()
        .map(|t| (t.id.as_str(), t.status))
        .collect();
    assert!(
        statuses.values().all(|s| *s == Some(TermStatus::Closed)),
        "{statuses:?}"
    );
    let t2026 = site.term("lfx-mentorship-2026-01-mar-may").unwrap();
    assert_eq!(t2026.end.as_deref(), Some("2026-05-29"));
    let t2024 = site.term("lfx-mentorship-2024-01-mar-may").unwrap();
    assert_eq!(
        (t2024.start.as_deref(), t2024.end.as_deref()),
        (Some("2024-03-04"), Some("2024-05-31")),
        "year-less timeline dates take the term's year"
    );
    let stale: Vec<&str> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "status-stale")
        .map(|d| d.file.as_str())
        .collect();
    assert!(
        stale.contains(&"programs/lfx-mentorship/2026/01-Mar-May/README.md"),
        "{stale:?}"
    );
    assert!(loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == "status-stale")
        .all(|d| d.line > 0));

    // The home page is honest: nothing is open.
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        home.contains(
            "No term is open; the most recent was LFX Mentorship 2026 · Term 1 (Mar–May)"
        ),
        "home page"
    );
    assert!(!home.contains("Open for applications"));
    assert!(out.join("programs/lfx-mentorship/index.html").is_file());
    assert!(out
        .join("programs/google-summer-of-code/index.html")
        .is_file());

    // Program on every term of ideas.json.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("ideas.json")).unwrap()).unwrap();
    assert!(json["terms"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["program"].is_string()));

    // The look-alike organizations get a suggestion.
    assert!(loaded
        .diagnostics
        .iter()
        .any(|d| d.code == "organization-alias" && d.message.contains("'TUF'")));

    // Relative links between markdown files point at their pages; links to
    // other files, without repo_url, are dropped rather than broken.
    let lfx_page =
        std::fs::read_to_string(out.join("guides/lfx-mentorship-readme/index.html")).unwrap();
    assert!(
        lfx_page.contains("href=\"/terms/lfx-mentorship-2024-01-mar-may/\""),
        "{lfx_page}"
    );
    assert!(
        lfx_page.contains("href=\"/guides/guides-applying/#cover-letter\""),
        "{lfx_page}"
    );
    assert!(!lfx_page.contains("logo.svg"));
    assert!(
        home.contains("Applying as a mentee"),
        "the guide is listed on the home page"
    );
}
