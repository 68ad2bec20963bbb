//! The portal end to end: build a site into a temp dir through the library and
//! look at the output the way a browser and a feed reader would — pages by CSS
//! selectors, feeds and the sitemap as XML, every internal link resolved to a file.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/site.rs"]
mod site;
#[path = "support/skip.rs"]
mod skip;

use std::path::{Path, PathBuf};

use scraper::{ElementRef, Html, Selector};
use tempfile::TempDir;

use site::{example_copy, example_root, files, html_files};
use trellis::build::Loaded;

/// Builds `root` into a fresh temp dir; the site is at `<tmp>/public`.
fn build(root: &Path, base_url: Option<&str>) -> (TempDir, PathBuf, Loaded) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let loaded = site::build_into(root, &out, base_url);
    (tmp, out, loaded)
}

fn build_example() -> (TempDir, PathBuf, Loaded) {
    build(&example_root(), None)
}

fn page(out: &Path, rel: &str) -> Html {
    let text = std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    Html::parse_document(&text)
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"))
}

fn all<'a>(doc: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    doc.select(&sel(css)).collect()
}

fn one<'a>(doc: &'a Html, css: &str) -> ElementRef<'a> {
    doc.select(&sel(css))
        .next()
        .unwrap_or_else(|| panic!("no element matches {css}"))
}

fn text(el: ElementRef) -> String {
    el.text()
        .collect::<Vec<_>>()
        .join("")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn attr<'a>(el: ElementRef<'a>, name: &str) -> &'a str {
    el.value()
        .attr(name)
        .unwrap_or_else(|| panic!("no {name} on {:?}", el.value()))
}

/// The file a site link names: `/base/skills/go/` → `skills/go/index.html`.
fn file_of(link: &str, base: &str) -> Option<String> {
    let path = link.split(['#', '?']).next()?;
    let rel = path.strip_prefix(base)?;
    Some(if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    })
}

/// Every internal `href`/`src` of every page, checked against the files written;
/// returns the broken ones as `page: link`.
fn broken_links(out: &Path, base: &str) -> Vec<String> {
    let written = files(out);
    let mut broken = Vec::new();
    for rel in html_files(out) {
        let doc = page(out, &rel);
        for el in all(&doc, "[href], [src]") {
            for name in ["href", "src"] {
                let Some(link) = el.value().attr(name) else {
                    continue;
                };
                if link.is_empty()
                    || link.starts_with('#')
                    || link.contains("://")
                    || link.starts_with("mailto:")
                {
                    continue;
                }
                match file_of(link, base) {
                    Some(file) if written.contains_key(&file) => {}
                    _ => broken.push(format!("{rel}: {link}")),
                }
            }
        }
    }
    broken
}

#[test]
fn home_page_leads_with_the_current_term() {
    let (_tmp, out, loaded) = build_example();
    let base = loaded.config.base_path();
    let current = loaded.site.current_term().expect("the example has terms");
    let doc = page(&out, "index.html");
    assert_eq!(all(&doc, "h1").len(), 1);
    assert_eq!(text(one(&doc, "h1")), current.title);
    let counts: Vec<String> = all(&doc, ".hero .counts dt")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(counts, ["Ideas", "Organizations", "Mentors"]);
    let ideas_here = loaded
        .site
        .ideas
        .iter()
        .filter(|i| i.term == current.id)
        .count();
    assert_eq!(text(one(&doc, ".hero .counts dd")), ideas_here.to_string());
    assert!(one(&doc, ".hero .status")
        .value()
        .attr("class")
        .unwrap()
        .contains("status-open"));

    let form = one(&doc, "form.hero-search");
    assert_eq!(attr(form, "action"), format!("{base}search/"));
    assert_eq!(attr(one(&doc, "form.hero-search input"), "name"), "q");

    let chips = all(&doc, ".chips-large a.chip");
    assert!(chips.len() >= 5, "most wanted skills shown as chips");
    assert!(chips
        .iter()
        .all(|c| attr(*c, "href").starts_with(&format!("{base}skills/"))));

    let groups = all(&doc, ".org-group");
    assert!(groups.len() >= 3);
    let cards = all(&doc, ".org-group .card");
    assert_eq!(
        cards.len(),
        ideas_here,
        "every idea of the current term is on the home page"
    );

    let earlier: Vec<String> = all(&doc, ".term-list a").into_iter().map(text).collect();
    let others: Vec<&str> = loaded
        .site
        .terms
        .iter()
        .filter(|t| t.id != current.id)
        .map(|t| t.title.as_str())
        .collect();
    assert_eq!(earlier, others);
}

#[test]
fn every_page_has_landmarks_one_h1_meta_and_the_header_search() {
    let (_tmp, out, loaded) = build_example();
    let base = loaded.config.base_path();
    for rel in html_files(&out) {
        let doc = page(&out, &rel);
        assert_eq!(all(&doc, "h1").len(), 1, "{rel}: one h1");
        assert_eq!(all(&doc, "main#main").len(), 1, "{rel}: main landmark");
        assert_eq!(attr(one(&doc, "a.skip-link"), "href"), "#main", "{rel}");
        assert!(
            !all(&doc, "header nav[aria-label]").is_empty(),
            "{rel}: labelled nav"
        );
        let search = one(&doc, "header form[role=search]");
        assert_eq!(attr(search, "action"), format!("{base}search/"), "{rel}");
        let input = one(&doc, "input#site-search");
        assert_eq!(attr(input, "name"), "q");
        assert!(
            !all(&doc, "label[for=site-search]").is_empty(),
            "{rel}: search box labelled"
        );
        let description = one(&doc, "meta[name=description]");
        assert!(
            !attr(description, "content").trim().is_empty(),
            "{rel}: description"
        );
        for property in [
            "og:title",
            "og:description",
            "og:url",
            "og:type",
            "og:site_name",
        ] {
            let meta = one(&doc, &format!("meta[property=\"{property}\"]"));
            assert!(
                !attr(meta, "content").trim().is_empty(),
                "{rel}: {property}"
            );
        }
        assert!(attr(one(&doc, "meta[property=\"og:url\"]"), "content")
            .starts_with("https://example.github.io/trellis/"));
        assert_eq!(
            attr(one(&doc, "link[rel=stylesheet]"), "href"),
            format!("{base}style.css")
        );
        assert_eq!(attr(one(&doc, "html"), "lang"), "en");
    }
}

#[test]
fn idea_page_shows_every_part_of_the_proposal() {
    let (_tmp, out, loaded) = build_example();
    let base = loaded.config.base_path();
    let idea = loaded
        .site
        .ideas
        .iter()
        .find(|i| {
            i.mentors.iter().any(|m| m.email.is_some())
                && !i.issues.is_empty()
                && !i.skills.is_empty()
                && i.lfx_url.is_some()
        })
        .expect("the example has a complete idea");
    let rel = format!("{}index.html", idea.url);
    let html = std::fs::read_to_string(out.join(&rel)).unwrap();
    let doc = Html::parse_document(&html);
    assert_eq!(text(one(&doc, "h1")), idea.title);
    let crumbs: Vec<String> = all(&doc, ".breadcrumb li").into_iter().map(text).collect();
    assert_eq!(crumbs[1], idea.organization);
    assert_eq!(&crumbs[2..], idea.subprojects.as_slice());
    assert_eq!(crumbs[0], loaded.site.term(&idea.term).unwrap().title);
    assert!(
        !all(&doc, ".idea-meta .status").is_empty(),
        "term status shown"
    );
    assert!(!text(one(&doc, "section[aria-labelledby=description] .prose")).is_empty());

    // The skill's name, without the context only screen readers get.
    let skills: Vec<String> = all(&doc, ".idea-facts .chips a")
        .into_iter()
        .map(|a| a.text().next().unwrap_or_default().trim().to_string())
        .collect();
    assert_eq!(skills, idea.skills);
    for a in all(&doc, ".idea-facts .chips a") {
        let file = file_of(attr(a, "href"), &base).unwrap();
        assert!(out.join(file).is_file());
    }

    let mentors = all(&doc, ".mentor");
    assert_eq!(mentors.len(), idea.mentors.len());
    for (el, mentor) in mentors.iter().zip(&idea.mentors) {
        let frag = Html::parse_fragment(&el.html());
        let name = one(&frag, "a.mentor-name");
        assert_eq!(text(name), mentor.name);
        assert!(attr(name, "href").starts_with(&format!("{base}mentors/")));
        if let Some(handle) = &mentor.github {
            assert!(all(&frag, "a.mentor-link")
                .iter()
                .any(|a| attr(*a, "href") == format!("https://github.com/{handle}")));
        }
        if let Some(email) = &mentor.email {
            assert!(
                !html.contains(email.as_str()),
                "the address {email} is not in the page as text"
            );
            let holder = one(&frag, ".email[data-email]");
            assert!(!attr(holder, "data-email").contains('@'));
            let (local, domain) = email.split_once('@').unwrap();
            assert_eq!(
                text(one(&frag, ".email-text")),
                format!("{local} at {}", domain.replace('.', " dot "))
            );
        }
    }
    let issues: Vec<String> = all(&doc, ".issues a").into_iter().map(text).collect();
    assert_eq!(
        issues,
        idea.issues
            .iter()
            .map(|i| i.label.clone())
            .collect::<Vec<_>>()
    );
    assert!(
        issues.iter().any(|l| l.contains('/') && l.contains('#')),
        "owner/repo#123 labels: {issues:?}"
    );
    assert_eq!(
        attr(one(&doc, ".fact-actions a.button"), "href"),
        idea.lfx_url.as_deref().unwrap()
    );

    let edit = one(&doc, "a.edit-link");
    assert_eq!(
        attr(edit, "href"),
        format!(
            "https://github.com/example/mentorship/blob/main/content/{}#L{}",
            idea.source.file, idea.source.line
        )
    );

    let same_term: Vec<_> = loaded
        .site
        .ideas
        .iter()
        .filter(|i| i.term == idea.term)
        .collect();
    let at = same_term.iter().position(|i| i.slug == idea.slug).unwrap();
    match at.checked_sub(1).map(|p| same_term[p]) {
        Some(prev) => assert_eq!(
            attr(one(&doc, "a[rel=prev]"), "href"),
            format!("{base}{}", prev.url)
        ),
        None => assert!(all(&doc, "a[rel=prev]").is_empty()),
    }
    match same_term.get(at + 1) {
        Some(next) => assert_eq!(
            attr(one(&doc, "a[rel=next]"), "href"),
            format!("{base}{}", next.url)
        ),
        None => assert!(all(&doc, "a[rel=next]").is_empty()),
    }
    assert!(html.len() < 30_000, "idea page is {} bytes", html.len());
}

#[test]
fn organization_skill_and_mentor_pages_list_ideas_newest_term_first() {
    let (_tmp, out, loaded) = build_example();
    let term_titles: Vec<&str> = loaded.site.terms.iter().map(|t| t.title.as_str()).collect();
    for (index, kind) in [
        ("organizations/index.html", "organizations"),
        ("skills/index.html", "skills"),
        ("mentors/index.html", "mentors"),
    ] {
        let doc = page(&out, index);
        let items = all(&doc, ".index-list a");
        assert!(!items.is_empty(), "{index} lists entries");
        let mut total = 0;
        for a in items {
            let count: usize = text(one(&Html::parse_fragment(&a.html()), ".count"))
                .split_whitespace()
                .next()
                .unwrap()
                .parse()
                .unwrap();
            total += count;
            let file = file_of(attr(a, "href"), &loaded.config.base_path()).unwrap();
            let entry = page(&out, &file);
            assert_eq!(
                all(&entry, ".card").len(),
                count,
                "{file}: count on the index matches the page"
            );
            let groups: Vec<String> = all(&entry, ".term-group h2 a")
                .into_iter()
                .map(text)
                .collect();
            let positions: Vec<usize> = groups
                .iter()
                .map(|g| term_titles.iter().position(|t| t == g).unwrap())
                .collect();
            assert!(
                positions.windows(2).all(|w| w[0] < w[1]),
                "{file}: newest term first: {groups:?}"
            );
        }
        if kind == "organizations" {
            assert_eq!(
                total,
                loaded.site.ideas.len(),
                "every idea has one organization"
            );
        }
    }
    let kubernetes = page(&out, "organizations/kubernetes/index.html");
    assert_eq!(text(one(&kubernetes, "h1")), "Kubernetes");
    assert_eq!(
        all(&kubernetes, ".term-group").len(),
        2,
        "Kubernetes has ideas in both terms"
    );
    let mentor = page(&out, "mentors/praman-dev/index.html");
    assert_eq!(
        attr(one(&mentor, ".page-header a.button"), "href"),
        "https://github.com/praman-dev"
    );
}

#[test]
fn term_pages_archive_and_calendars() {
    let (_tmp, out, loaded) = build_example();
    let archive = page(&out, "terms/index.html");
    let listed: Vec<String> = all(&archive, ".term-list .term-row-title")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(
        listed,
        loaded
            .site
            .terms
            .iter()
            .map(|t| t.title.clone())
            .collect::<Vec<_>>()
    );
    for term in &loaded.site.terms {
        let doc = page(&out, &format!("terms/{}/index.html", term.id));
        assert_eq!(text(one(&doc, "h1")), term.title);
        let times = all(&doc, ".timeline time[datetime]");
        assert_eq!(
            times.len(),
            term.timeline.iter().filter(|t| t.iso.is_some()).count()
        );
        assert!(
            !all(&doc, ".notes .prose").is_empty(),
            "notes rendered as markdown"
        );
        let ics =
            std::fs::read_to_string(out.join(format!("terms/{}/calendar.ics", term.id))).unwrap();
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), times.len());
        assert!(ics.trim_end().ends_with("END:VCALENDAR"));
        assert!(out
            .join(
                file_of(
                    attr(one(&doc, "a[download]"), "href"),
                    &loaded.config.base_path()
                )
                .unwrap()
            )
            .is_file());
    }
}

#[test]
fn stats_page_draws_accessible_svg_charts() {
    let (_tmp, out, loaded) = build_example();
    let doc = page(&out, "stats/index.html");
    let charts = all(&doc, "svg.chart[role=group]");
    assert_eq!(charts.len(), 3);
    for chart in charts {
        let frag = Html::parse_fragment(&chart.html());
        let labelled_by = attr(chart, "aria-labelledby");
        assert!(labelled_by.contains("-title") && labelled_by.contains("-desc"));
        assert!(!text(one(&frag, "svg > title")).is_empty());
        assert!(!text(one(&frag, "svg > desc")).is_empty());
        assert!(
            all(&frag, "text").len() >= 3,
            "text labels, not only shapes"
        );
    }
    let skills_chart = text(all(&doc, "svg.chart")[1]);
    assert!(
        skills_chart.contains("Go"),
        "the most wanted skill is labelled"
    );
    let totals: Vec<String> = all(&doc, ".totals dd").into_iter().map(text).collect();
    assert_eq!(totals[1], loaded.site.ideas.len().to_string());
}

#[test]
fn atom_feed_and_sitemap_parse() {
    let (_tmp, out, loaded) = build_example();
    let atom = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    let feed = roxmltree::Document::parse(&atom).expect("atom.xml is well-formed XML");
    let root = feed.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let entries: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), loaded.site.ideas.len());
    let first_title = entries[0]
        .children()
        .find(|n| n.has_tag_name("title"))
        .unwrap()
        .text()
        .unwrap();
    assert_eq!(first_title, loaded.site.ideas[0].title, "newest term first");
    for entry in &entries {
        for tag in ["id", "title", "updated", "link"] {
            assert!(
                entry.children().any(|n| n.has_tag_name(tag)),
                "entry has {tag}"
            );
        }
    }

    let xml = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let sitemap = roxmltree::Document::parse(&xml).expect("sitemap.xml is well-formed XML");
    let locs: Vec<&str> = sitemap
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.len() > loaded.site.ideas.len());
    for loc in &locs {
        let rel = loc
            .strip_prefix("https://example.github.io")
            .unwrap_or_else(|| panic!("absolute: {loc}"));
        let file = file_of(rel, &loaded.config.base_path()).unwrap();
        assert!(out.join(&file).is_file(), "sitemap entry {loc} exists");
    }
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://example.github.io/trellis/sitemap.xml"));
}

#[test]
fn ideas_json_matches_the_model() {
    let (_tmp, out, loaded) = build_example();
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("ideas.json")).unwrap()).unwrap();
    assert!(json.get("ideas").is_none(), "the ideas are in the parts");
    // The model without mentors' addresses, and with any other address spoken.
    let mut ideas = loaded.site.ideas.clone();
    for mentor in ideas.iter_mut().flat_map(|i| &mut i.mentors) {
        mentor.email = None;
    }
    let private =
        trellis::util::email::speak_all(&serde_json::to_string(&ideas).unwrap()).into_owned();
    assert_eq!(
        serde_json::Value::Array(cli::exported_ideas(&out)),
        serde_json::from_str::<serde_json::Value>(&private).unwrap()
    );
    let terms =
        trellis::util::email::speak_all(&serde_json::to_string(&loaded.site.terms).unwrap())
            .into_owned();
    assert_eq!(
        json["terms"],
        serde_json::from_str::<serde_json::Value>(&terms).unwrap()
    );
}

/// A term file of `n` ideas, all asking for Go, one organization each third.
fn many_ideas(n: usize) -> String {
    let mut text = String::from("# Term 01 - 2026 March - May\n\n## Proposed Project ideas\n");
    for i in 0..n {
        if i % 3 == 0 {
            text.push_str(&format!("\n### Project {}\n", i / 3));
        }
        text.push_str(&format!(
            "\n#### Idea number {i:03}\n\n- Description: Idea {i} of many.\n\
             - Expected Outcome: Done.\n- Recommended Skills: Go\n\
             - Mentor(s): Ada Lane (@ada-lane)\n"
        ));
    }
    text
}

/// The idea titles a page lists, in order.
fn card_titles(doc: &Html) -> Vec<String> {
    all(doc, ".card-title a").into_iter().map(text).collect()
}

#[test]
fn long_lists_paginate_with_the_right_slice_and_working_links() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(root.join("trellis.toml"), "title = \"Many\"\n").unwrap();
    std::fs::write(root.join("content/2026-term-1.md"), many_ideas(70)).unwrap();
    let (_t, out, loaded) = build(&root, None);
    let base = loaded.config.base_path();
    assert_eq!(broken_links(&out, &base), Vec::<String>::new());
    // In the order the model gives them, 30 to a page.
    let titles: Vec<String> = loaded.site.ideas.iter().map(|i| i.title.clone()).collect();
    assert_eq!(titles.len(), 70);
    for (dir, first) in [("skills/go/", "Go"), ("mentors/ada-lane/", "Ada Lane")] {
        let pages = [
            format!("{dir}index.html"),
            format!("{dir}page/2/index.html"),
            format!("{dir}page/3/index.html"),
        ];
        for (n, rel) in pages.iter().enumerate() {
            let doc = page(&out, rel);
            let end = ((n + 1) * 30).min(70);
            assert_eq!(card_titles(&doc), titles[n * 30..end], "{rel}");
            assert_eq!(text(one(&doc, "h1")), first);
            assert!(text(one(&doc, ".lede")).starts_with("70 ideas"), "{rel}");
            assert!(
                text(one(&doc, ".page-nav")).contains(&format!("Page {} of 3", n + 1)),
                "{rel}"
            );
            let rel_link = |kind: &str| {
                all(&doc, &format!("head link[rel={kind}]"))
                    .first()
                    .map(|l| attr(*l, "href").to_string())
            };
            let href = |m: usize| match m {
                0 => format!("{base}{dir}"),
                m => format!("{base}{dir}page/{}/", m + 1),
            };
            assert_eq!(rel_link("prev"), n.checked_sub(1).map(href), "{rel}");
            assert_eq!(rel_link("next"), (n < 2).then(|| href(n + 1)), "{rel}");
            if let Some(next) = rel_link("next") {
                assert_eq!(attr(one(&doc, ".page-nav a[rel=next]"), "href"), next);
            }
        }
        assert!(!out.join(format!("{dir}page/4")).exists());
        assert!(
            !out.join(format!("{dir}page/1")).exists(),
            "page 1 is the list itself"
        );
    }
    // A term's ideas, by organization within each page.
    let term = &loaded.site.terms[0].id;
    let last = page(&out, &format!("terms/{term}/page/3/index.html"));
    assert_eq!(card_titles(&last), titles[60..]);
    // The home page lists the first page of the current term and links to the next.
    let home = page(&out, "index.html");
    assert_eq!(card_titles(&home), titles[..30]);
    assert!(all(&home, "a.more")
        .iter()
        .any(|a| attr(*a, "href") == format!("{base}terms/{term}/page/2/")));
    // A short list has one page and no pager.
    let org = page(&out, "organizations/project-0/index.html");
    assert_eq!(card_titles(&org), titles[..3]);
    assert!(all(&org, ".page-nav").is_empty());
    assert!(all(&org, "head link[rel=next]").is_empty());
}

#[test]
fn github_pages_files_are_written() {
    let tmp = tempfile::tempdir().unwrap();
    let root = example_copy(tmp.path());
    let (_t, out, _) = build(&root, None);
    assert!(out.join(".nojekyll").is_file());
    assert!(!out.join("CNAME").exists(), "no CNAME unless configured");
    let config = std::fs::read_to_string(root.join("trellis.toml")).unwrap();
    std::fs::write(
        root.join("trellis.toml"),
        format!("cname = \"ideas.example.org\"\n{config}"),
    )
    .unwrap();
    let (_t2, out2, _) = build(&root, None);
    assert_eq!(
        std::fs::read_to_string(out2.join("CNAME")).unwrap().trim(),
        "ideas.example.org"
    );
}

#[test]
fn sub_path_build_passes_the_link_check() {
    let (_tmp, out, loaded) = build(
        &example_root(),
        Some("https://example.github.io/deep/sub/path/"),
    );
    let base = loaded.config.base_path();
    assert_eq!(base, "/deep/sub/path/");
    assert_eq!(broken_links(&out, &base), Vec::<String>::new());
    let doc = page(&out, "index.html");
    let internal: Vec<&str> = all(&doc, "a[href]")
        .into_iter()
        .map(|a| attr(a, "href"))
        .filter(|h| h.starts_with('/'))
        .collect();
    assert!(internal.len() > 20);
    assert!(
        internal.iter().all(|h| h.starts_with(&base)),
        "every internal link carries the base path"
    );
}

#[test]
fn corpus_builds_as_one_site_without_broken_links() {
    let Some(corpus) = std::env::var_os("TRELLIS_CORPUS").map(PathBuf::from) else {
        skip::say(
            "skipped: TRELLIS_CORPUS unset; set it to the corpus directory to build it as one site",
        );
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
    let (_t, out, loaded) = build(&root, None);
    assert!(loaded.site.ideas.len() > 500, "the corpus has many ideas");
    for idea in loaded.site.ideas.iter().step_by(37) {
        assert!(
            out.join(format!("{}index.html", idea.url)).is_file(),
            "{}",
            idea.url
        );
    }
    assert_eq!(broken_links(&out, "/mentoring/"), Vec::<String>::new());
}

/// Classic injection payloads, each of which must end up inert text or nothing.
const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<body onload=alert(1)>",
    "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "[link](javascript:alert(1))",
    "[link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert(1))",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<math href=\"javascript:alert(1)\">x</math>",
    "<details open ontoggle=alert(1)>x</details>",
    "<input autofocus onfocus=alert(1)>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"data:text/html,<script>alert(1)</script>\">",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<video><source onerror=alert(1)></video>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<link rel=stylesheet href=\"javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<scr<script>ipt>alert(1)</script>",
    "<a href=\"  javascript:alert(1)\">x</a>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<img src=\"data:image/png;base64,iVBORw0KGgo=\">",
    "javascript:alert(1)",
];

/// A term file that carries every payload in every place a mentor can write.
fn hostile_term_file() -> String {
    let mut md = String::from(
        "+++\ntitle = \"Hostile <script>alert('term')</script> term\"\nstatus = \"open\"\napply_url = \"javascript:alert(1)\"\n\n[[timeline]]\nevent = \"<img src=x onerror=alert(1)>\"\ndate = \"2026-01-05\"\n+++\n\n# Hostile term\n\n",
    );
    for p in PAYLOADS {
        md.push_str(p);
        md.push_str("\n\n");
    }
    md.push_str("## Ideas\n\n");
    for (i, p) in PAYLOADS.iter().enumerate() {
        let one_line = p.replace('\n', " ");
        md.push_str(&format!(
            "### Org {i} {one_line}\n\n#### Idea {i} {one_line}\n\n"
        ));
        md.push_str(&format!("- Description: {p} and [click](javascript:alert({i})) <a href=\"data:text/html,x\" onclick=\"alert(1)\">y</a>\n"));
        md.push_str(&format!("- Expected Outcome: {p}\n"));
        md.push_str(&format!(
            "- Recommended Skills: Go, {one_line}, <svg onload=alert({i})>\n"
        ));
        md.push_str(&format!(
            "- Mentor(s): {one_line} (@evil{i}, evil{i}@example.org), [Eve {i}](javascript:alert(1)) (@\"><script>x</script>)\n"
        ));
        md.push_str(&format!(
            "- Upstream Issue: [{one_line}](javascript:alert({i})), data:text/html,{one_line}\n"
        ));
        md.push_str("- LFX URL: javascript:alert(1)\n");
        md.push_str(&format!("- Difficulty: {one_line}\n"));
        md.push_str(&format!("- Stretch goals: {p}\n"));
        md.push_str(&format!("- <svg onload=alert({i})>: {p}\n\n"));
    }
    md
}

fn is_dangerous_url(value: &str) -> bool {
    let squeezed: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_lowercase();
    ["javascript:", "data:", "vbscript:"]
        .iter()
        .any(|s| squeezed.starts_with(s))
}

#[test]
fn hostile_term_file_renders_no_script_handler_iframe_or_script_url() {
    assert!(PAYLOADS.len() >= 30);
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(
        root.join("trellis.toml"),
        "base_url = \"https://example.org/x/\"\nrepo_url = \"https://github.com/o/r\"\n",
    )
    .unwrap();
    std::fs::write(root.join("content/hostile.md"), hostile_term_file()).unwrap();
    let (_t, out, loaded) = build(&root, None);
    assert!(
        loaded.site.ideas.len() >= 30,
        "the hostile ideas were parsed: {}",
        loaded.site.ideas.len()
    );
    let theme_scripts: Vec<String> = trellis::render::assets::Theme::embedded()
        .statics
        .keys()
        .filter(|k| k.ends_with(".js"))
        .map(|k| format!("/x/{k}"))
        .collect();
    let mut escaped_payload_seen = false;
    let pages = html_files(&out);
    assert!(pages.len() > 60);
    for rel in &pages {
        let doc = page(&out, rel);
        for script in all(&doc, "script") {
            let src = script
                .value()
                .attr("src")
                .unwrap_or_else(|| panic!("{rel}: inline script {}", script.html()));
            assert!(
                theme_scripts.iter().any(|s| s == src),
                "{rel}: foreign script {src}"
            );
            assert!(text(script).is_empty(), "{rel}: script with a body");
        }
        for forbidden in [
            "iframe",
            "object",
            "embed",
            "base",
            "meta[http-equiv]",
            "frame",
            "frameset",
            "applet",
        ] {
            assert!(
                all(&doc, forbidden).is_empty(),
                "{rel}: {forbidden} in the page"
            );
        }
        for el in all(&doc, "*") {
            for (name, value) in el.value().attrs() {
                assert!(
                    !name.to_lowercase().starts_with("on"),
                    "{rel}: handler {name}={value} on <{}>",
                    el.value().name()
                );
                assert!(
                    name != "srcdoc" && name != "style",
                    "{rel}: {name} attribute survived"
                );
                if matches!(
                    name,
                    "href"
                        | "src"
                        | "action"
                        | "formaction"
                        | "xlink:href"
                        | "data"
                        | "poster"
                        | "background"
                        | "srcset"
                ) {
                    assert!(
                        !is_dangerous_url(value),
                        "{rel}: {name}=\"{value}\" on <{}>",
                        el.value().name()
                    );
                }
            }
        }
        if rel.starts_with("ideas/") && text(one(&doc, "h1")).contains("<script>alert(1)</script>")
        {
            escaped_payload_seen = true;
        }
    }
    assert!(
        escaped_payload_seen,
        "payloads in titles are shown as text, escaped"
    );
    let atom = std::fs::read_to_string(out.join("atom.xml")).unwrap();
    let feed = roxmltree::Document::parse(&atom).expect("the feed stays well-formed");
    assert!(feed
        .descendants()
        .filter(|n| n.is_element())
        .all(|n| n.tag_name().namespace() == Some("http://www.w3.org/2005/Atom")));
}

fn snapshot_after_failed_build(template: &str, body: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let root = example_copy(tmp.path());
    let out = tmp.path().join("public");
    let loaded = site::load(&root, None);
    trellis::build::write_site(&root, &loaded, &out).expect("the first build succeeds");
    let before = files(&out);
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates").join(template), body).unwrap();
    let err = trellis::build::write_site(&root, &loaded, &out)
        .expect_err("a broken template fails the build");
    assert!(!err.is_write(), "a template error is no write error: {err}");
    assert!(
        err.to_string().contains(template),
        "the error names the template: {err}"
    );
    assert_eq!(
        files(&out),
        before,
        "the previous output is byte-for-byte intact"
    );
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        2,
        "no staging directory left behind: {leftovers:?}"
    );
}

#[test]
fn template_syntax_error_leaves_previous_output_intact() {
    snapshot_after_failed_build(
        "idea.html",
        "{% extends \"base.html\" %}{% block main %}{{ idea.title }{% endblock main %}",
    );
}

#[test]
fn template_render_error_leaves_previous_output_intact() {
    snapshot_after_failed_build(
        "stats.html",
        "{% extends \"base.html\" %}{% block main %}{{ no_such_value.at_all }}{% endblock main %}",
    );
}

#[test]
fn site_templates_and_static_files_override_the_default_theme() {
    let tmp = tempfile::tempdir().unwrap();
    let root = example_copy(tmp.path());
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::create_dir_all(root.join("static")).unwrap();
    std::fs::write(
        root.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block main %}<h1 class=\"custom\">Lost in {{ site.title }}</h1>{% endblock main %}",
    )
    .unwrap();
    std::fs::write(
        root.join("templates/search.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>Search</h1>{% endblock main %}{% block scripts %}<script src=\"{{ site.base }}search.js\" defer></script>{% endblock scripts %}",
    )
    .unwrap();
    std::fs::write(root.join("static/search.js"), "// site search").unwrap();
    std::fs::write(root.join("static/style.css"), "body{color:red}").unwrap();
    let (_t, out, loaded) = build(&root, None);
    let doc = page(&out, "404.html");
    assert_eq!(
        text(one(&doc, "h1.custom")),
        format!("Lost in {}", loaded.config.title)
    );
    assert_eq!(
        std::fs::read_to_string(out.join("style.css")).unwrap(),
        "body{color:red}"
    );
    let search = page(&out, "search/index.html");
    assert_eq!(
        attr(one(&search, "script[src$=\"search.js\"]"), "src"),
        "/trellis/search.js"
    );
    assert!(
        out.join("trellis.js").is_file(),
        "other theme files still come from the default theme"
    );
    assert!(!all(&page(&out, "index.html"), ".hero").is_empty());
}

#[test]
fn idea_written_in_another_organizations_shape_shows_its_facts() {
    let tmp = tempfile::tempdir().unwrap();
    let root = example_copy(tmp.path());
    std::fs::write(
        root.join("content/other-shape.md"),
        "# Ideas of another shape\n\n## Draft ideas\n\n### Faster plotting\n\nPlotting redraws everything on each change.\n\n**Estimated difficulty**: Intermediate\n\n**Project size**: 175 or 350 hours\n\n**Potential mentors**\n\n- Ann Lee (@annlee) - primary\n- Almost any committer\n",
    )
    .unwrap();
    let (_tmp, out, loaded) = build(&root, None);
    let idea = loaded
        .site
        .ideas
        .iter()
        .find(|i| i.title == "Faster plotting")
        .expect("the idea is read");
    let doc = page(&out, &format!("{}index.html", idea.url));
    let facts = text(one(&doc, ".idea-facts"));
    assert!(facts.contains("Intermediate (medium)"), "{facts}");
    assert!(
        facts.contains("175 or 350 hours (medium-large · 175–350 hours)"),
        "{facts}"
    );
    assert!(facts.contains("(primary)"), "{facts}");
    assert!(facts.contains("Almost any committer"), "{facts}");
    assert_eq!(all(&doc, ".mentor").len(), 1, "a non-person is no mentor");
    assert!(text(one(&doc, ".idea-meta")).contains("Draft"));
    let body = text(one(&doc, ".idea-body"));
    assert!(body.contains("Plotting redraws everything"), "{body}");
}

#[test]
fn example_shows_two_programs_a_guide_and_a_selected_idea() {
    let (_tmp, out, loaded) = build_example();
    let home = page(&out, "index.html");
    let programs: Vec<String> = all(&home, ".program-row .program-name")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(programs, ["LFX Mentorship", "Google Summer of Code"]);
    let now: Vec<String> = all(&home, ".program-now").into_iter().map(text).collect();
    assert!(now[0].contains("is open for applications"), "{now:?}");
    assert!(now[1].starts_with("No term is open"), "{now:?}");
    let guide = one(&home, ".guide-list a");
    assert_eq!(text(guide), "Applying as a mentee");
    let guide_page = page(&out, "guides/guides-applying/index.html");
    let links: Vec<&str> = all(&guide_page, ".guide a")
        .into_iter()
        .map(|a| attr(a, "href"))
        .collect();
    assert!(links.contains(&"/trellis/terms/2026-term-3/"), "{links:?}");
    assert!(
        links.contains(&"/trellis/terms/summerofcode-2025/"),
        "{links:?}"
    );
    let gsoc = page(&out, "programs/google-summer-of-code/index.html");
    assert_eq!(text(one(&gsoc, "h1")), "Google Summer of Code");
    let selected = loaded
        .site
        .ideas
        .iter()
        .find(|i| i.term == "summerofcode-2025" && i.selected)
        .expect("a selected idea in the Summer of Code term");
    let idea = page(&out, &format!("{}index.html", selected.url));
    assert!(text(one(&idea, ".selected-note")).contains("selected"));
}

/// Link texts Lighthouse reports as saying nothing of where a link goes.
const VAGUE_LINK_TEXTS: &[&str] = &[
    "go",
    "here",
    "click here",
    "more",
    "read more",
    "learn more",
    "link",
    "start",
    "this",
];

#[test]
fn every_link_says_where_it_goes_and_code_blocks_take_focus() {
    let (_tmp, out, _) = build_example();
    let links = Selector::parse("a").unwrap();
    let code = Selector::parse(".prose pre").unwrap();
    let mut vague = Vec::new();
    let mut code_blocks = 0;
    for page in html_files(&out) {
        let html = Html::parse_document(&std::fs::read_to_string(out.join(&page)).unwrap());
        for link in html.select(&links) {
            let text = link.text().collect::<String>().trim().to_lowercase();
            if VAGUE_LINK_TEXTS.contains(&text.as_str()) {
                vague.push(format!("{page}: {}", link.html()));
            }
        }
        for pre in html.select(&code) {
            code_blocks += 1;
            assert_eq!(pre.attr("tabindex"), Some("0"), "{page}: {}", pre.html());
            assert!(pre.attr("aria-label").is_some(), "{page}: {}", pre.html());
        }
    }
    assert_eq!(vague, Vec::<String>::new());
    assert!(
        code_blocks > 0,
        "the example's term notes hold a code block"
    );
}

#[test]
fn no_description_notice_only_when_an_idea_has_no_text_at_all() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::write(
        root.join("content/t.md"),
        "# Term\n\n## Ideas\n\n### Org\n\n\
         #### Bare\n\n- Recommended Skills: Go\n- Mentor(s): Jo (@jo)\n\n\
         #### Unlabelled\n\n- Postings are lists of numbers; compress them.\n- Recommended Skills: Go\n- Mentor(s): Jo (@jo)\n\n\
         #### Misspelt\n\n- Descrption: A controller for virtual nodes.\n- Recommended Skills: Go\n- Mentor(s): Jo (@jo)\n\n\
         #### Stretch only\n\n- Stretch goals: Ship it upstream.\n- Recommended Skills: Go\n- Mentor(s): Jo (@jo)\n",
    )
    .unwrap();
    let (_t, out, loaded) = build(&root, None);
    assert_eq!(loaded.site.ideas.len(), 4);
    for idea in &loaded.site.ideas {
        let html = std::fs::read_to_string(
            out.join(format!("{}index.html", idea.url.trim_start_matches('/'))),
        )
        .unwrap();
        let notice = html.contains("This proposal has no description yet");
        assert_eq!(notice, idea.title == "Bare", "{}", idea.title);
    }
}

#[test]
fn term_page_shows_the_timeline_once_and_notes_without_what_it_shows_elsewhere() {
    let (_tmp, out, loaded) = build_example();
    let term = loaded
        .site
        .terms
        .iter()
        .find(|t| t.id == "2026-term-3")
        .unwrap();
    assert_eq!(
        term.end.as_deref(),
        Some("2026-11-30"),
        "the last day, not the final evaluations"
    );
    let doc = page(&out, "terms/2026-term-3/index.html");
    assert_eq!(all(&doc, "ol.timeline").len(), 1);
    let notes = all(&doc, ".notes");
    assert_eq!(notes.len(), 1);
    let notes_html = notes[0].html();
    assert!(
        !notes_html.contains("<table"),
        "the timeline table is not repeated"
    );
    assert!(!notes_html.contains("Status:"), "{notes_html}");
    assert!(!notes_html.contains(">Timeline<"), "{notes_html}");
    // Every heading of the page, in order: none skips a level, and none in the
    // notes is left with nothing under it.
    let headings = all(&doc, "main h1, main h2, main h3, main h4, main h5, main h6");
    let mut previous = 1;
    for h in &headings {
        let level: u32 = h.value().name()[1..].parse().unwrap();
        assert!(
            level <= previous + 1,
            "h{level} after h{previous}: {}",
            h.html()
        );
        previous = level;
    }
    let in_notes = all(
        &doc,
        ".notes h2, .notes h3, .notes h4, .notes h5, .notes h6",
    );
    for h in in_notes {
        let next = h.next_siblings().find_map(ElementRef::wrap);
        let next_level = next.and_then(|n| {
            n.value()
                .name()
                .strip_prefix('h')
                .and_then(|l| l.parse::<u32>().ok())
        });
        let level: u32 = h.value().name()[1..].parse().unwrap();
        assert!(
            next.is_some() && next_level.is_none_or(|n| n > level),
            "orphan heading {}",
            h.html()
        );
    }
}
