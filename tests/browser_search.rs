//! The search page in a real browser: headless Chromium, driven through
//! chromedriver, types into the search box of the example site as a person would,
//! served from a sub-path on 127.0.0.1 and opened straight from disk.
//!
//! One browser session walks through every behaviour in turn (starting Chromium
//! per check would triple the time on a small machine); each step is a function
//! named for what it checks. Runs only where chromium and chromedriver are
//! installed; elsewhere it says so loudly and passes, unless
//! TRELLIS_BROWSER_TESTS=1 demands a browser.

#[path = "support/site.rs"]
mod site;
#[path = "support/skip.rs"]
mod skip;
#[path = "support/webdriver.rs"]
mod webdriver;

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use trellis::search::{query, Index};
use webdriver::{browser_programs, Browser, StaticServer, ARROW_DOWN, ARROW_UP, ENTER};

/// A term file whose idea titles look like HTML: the page must show them as text.
const ESCAPING_TERM: &str = "# Escaping check\n\n## Proposed Project ideas\n\n### Escapeworks\n\n\
#### Render &lt;img src=x onerror=\"window.pwned=1\"&gt; as text\n\n\
- Description: This title looks like markup &lt;b&gt;bold&lt;/b&gt; and must stay text.\n\
- Recommended Skills: HTML\n\
- Mentor(s): Ada Lovelace (@ada)\n";

/// A term file written in Chinese: its idea must be found by a Chinese query.
const CJK_TERM: &str = "# 开源之夏 2026\n\n## Proposed Project ideas\n\n### Lanternfish\n\n\
#### 分布式追踪的可视化界面\n\n\
- Description: 为调度器的分布式追踪数据构建一个可视化界面，帮助新贡献者理解请求路径。\n\
- Recommended Skills: Go, TypeScript\n\
- Mentor(s): Li Wei (@liwei-example)\n";

/// The example site plus [`ESCAPING_TERM`] and [`CJK_TERM`], built into a temp dir.
fn build_example(tmp: &Path) -> PathBuf {
    let root = site::example_copy(tmp);
    std::fs::write(root.join("content/zz-escaping.md"), ESCAPING_TERM).expect("write term");
    std::fs::write(root.join("content/zz-cjk.md"), CJK_TERM).expect("write term");
    let out = tmp.join("public");
    let loaded = site::build_into(&root, &out, None);
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    out
}

const RESULT_TITLES: &str = "return Array.from(document.querySelectorAll('#search-results .card-title')).map(e => e.textContent)";
const COUNT: &str = "return document.getElementById('search-count').textContent";

fn titles(b: &Browser) -> Vec<String> {
    serde_json::from_value(b.run(RESULT_TITLES, json!([]))).expect("a list of titles")
}

/// Clears the box and types `text` into it, then waits until the results reflect it.
fn search_for(b: &Browser, text: &str) {
    let input = b.find("#search-q");
    b.clear(&input);
    b.type_into(&input, text);
    b.wait_for(
        "return document.getElementById('search-q').value === arguments[0] && new URLSearchParams(location.search).get('q') === arguments[0] && !document.getElementById('search-app').hasAttribute('aria-busy')",
        json!([text]),
        &format!("the page to search for '{text}'"),
    );
}

fn open_search(b: &Browser, url: &str) {
    b.go(url);
    wait_for_index(b);
}

/// Waits until the page has loaded the index and shown its first results: up to
/// thirty seconds, since a loaded machine running the other browser test beside
/// this one can slow a page's many small loads; a timeout names what was loaded.
fn wait_for_index(b: &Browser) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let state = b.run(
            "return [document.getElementById('search-app').dataset.ready === 'true' && document.getElementById('search-count').textContent, document.getElementById('search-count').textContent, performance.getEntriesByType('resource').map(e => e.name.replace(/^.*\\/search\\//, ''))]",
            json!([]),
        );
        if state[0].as_str().is_some_and(|t| !t.is_empty()) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for the search index to load: {state}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// The query in the box and the one in the page's URL.
fn box_and_url(b: &Browser) -> Value {
    b.run(
        "return [document.getElementById('search-q').value, new URLSearchParams(location.search).get('q')]",
        json!([]),
    )
}

fn exact_title_ranks_its_idea_first(b: &Browser) {
    search_for(b, "Query plan visualizer for vtexplain");
    assert_eq!(
        titles(b).first().map(String::as_str),
        Some("Query plan visualizer for vtexplain")
    );
    search_for(b, "Usability study of the Meadowlark date picker");
    assert_eq!(
        titles(b).first().map(String::as_str),
        Some("Usability study of the Meadowlark date picker")
    );
}

fn misspelt_kubernetes_finds_kubernetes_ideas_highlighted(b: &Browser) {
    search_for(b, "kubernets");
    let found = titles(b);
    for title in [
        "Kubectl plugin that explains why a pod is pending",
        "Refresh the Kubernetes glossary and its tooltips",
    ] {
        assert!(found.iter().any(|t| t == title), "{title} not in {found:?}");
    }
    let marks: Vec<String> = serde_json::from_value(b.run(
        "return Array.from(document.querySelectorAll('#search-results mark')).map(m => m.textContent.toLowerCase())",
        json!([]),
    ))
    .expect("a list of marks");
    assert!(!marks.is_empty(), "no highlighted word");
    assert!(marks.iter().all(|m| m == "kubernetes"), "{marks:?}");
}

fn skill_facet_narrows_results_and_counts_follow(b: &Browser) -> (String, usize) {
    search_for(b, "prometheus");
    let before = titles(b).len();
    let go = b.find("#search-facets input[data-facet='skill'][value='Go']");
    b.click(&go);
    b.wait_for(
        "return new URLSearchParams(location.search).getAll('skill').includes('Go')",
        json!([]),
        "skill=Go in the URL",
    );
    let after = titles(b);
    assert!(
        !after.is_empty() && after.len() < before,
        "{before} → {after:?}"
    );
    let skills: Vec<String> = serde_json::from_value(b.run(
        "return Array.from(document.querySelectorAll('#search-results .search-skills')).map(e => e.textContent)",
        json!([]),
    ))
    .expect("a list of skill lines");
    assert!(
        skills.iter().all(|s| s.split(", ").any(|k| k == "Go")),
        "{skills:?}"
    );
    let go_count = b.run(
        "const i = document.querySelector(\"#search-facets input[data-facet='skill'][value='Go']\"); return [i.checked, i.parentElement.querySelector('.count').textContent]",
        json!([]),
    );
    assert_eq!(go_count, json!([true, after.len().to_string()]));
    let term_total: usize = b
        .run(
            "return Array.from(document.querySelectorAll(\"#search-facets input[data-facet='term']\")).map(i => +i.parentElement.querySelector('.count').textContent).reduce((a, b) => a + b, 0)",
            json!([]),
        )
        .as_u64()
        .expect("a number") as usize;
    assert_eq!(
        term_total,
        after.len(),
        "term counts follow the skill filter"
    );
    (b.url(), after.len())
}

fn reloading_the_url_restores_the_search(b: &Browser, url: &str, count: usize) {
    b.refresh();
    open_search(b, url);
    assert_eq!(b.url(), url);
    let state = b.run(
        "return [document.getElementById('search-q').value, document.querySelector(\"#search-facets input[data-facet='skill'][value='Go']\").checked]",
        json!([]),
    );
    assert_eq!(state, json!(["prometheus", true]));
    assert_eq!(titles(b).len(), count);
}

fn back_button_undoes_the_facet(b: &Browser) {
    b.back();
    b.wait_for(
        "return !location.search.includes('skill=') && !document.querySelector(\"#search-facets input[data-facet='skill'][value='Go']\").checked",
        json!([]),
        "the facet to be unchecked after going back",
    );
    assert_eq!(
        b.run(
            "return document.getElementById('search-q').value",
            json!([])
        ),
        json!("prometheus")
    );
}

/// Chromium ignores a page that changes its URL more than about 200 times in
/// ten seconds, so a page that rewrote it on every key would stop following
/// the box: typing fast must still leave the whole query in the URL once the
/// typing pauses, and a reload must bring it back. Enter writes it at once.
fn fast_typing_leaves_the_whole_query_in_the_url(b: &Browser, origin: &str) {
    const WORDS: &str = "kubernetes operator for rust dashboards ";
    const BURSTS: usize = 7;
    assert_eq!(WORDS.len(), 40);
    open_search(b, &format!("{origin}/trellis/search/"));
    let input = b.find("#search-q");
    b.clear(&input);
    for _ in 0..BURSTS {
        b.type_into(&input, WORDS);
    }
    let typed = WORDS.repeat(BURSTS);
    b.wait_for(
        "return new URLSearchParams(location.search).get('q') === arguments[0]",
        json!([typed]),
        "the URL to catch up with fast typing",
    );
    b.refresh();
    wait_for_index(b);
    assert_eq!(
        box_and_url(b),
        json!([typed, typed]),
        "the reload kept the query"
    );

    b.type_into(&b.find("#search-q"), &format!("x{ENTER}"));
    let entered = format!("{typed}x");
    assert_eq!(
        box_and_url(b),
        json!([entered, entered]),
        "Enter wrote the URL"
    );
}

fn facets_alone_list_every_matching_idea(b: &Browser, origin: &str) {
    open_search(
        b,
        &format!("{origin}/trellis/search/?skill=Rust&term=2026-term-3"),
    );
    let mut found = titles(b);
    found.sort();
    assert_eq!(
        found,
        [
            "WASI socket support in the WasmEdge Rust SDK",
            "Window operators in Rust through PyO3",
        ]
    );
    // The program facet: the example's Summer of Code ideas alone.
    open_search(
        b,
        &format!("{origin}/trellis/search/?program=Google%20Summer%20of%20Code"),
    );
    let mut found = titles(b);
    found.sort();
    assert_eq!(
        found,
        [
            "Configuration diff viewer for the admin page",
            "Sampling playground in the browser",
            "Semantic conventions linter for the collector",
        ]
    );
}

fn keyboard_moves_through_results_and_opens_one(b: &Browser) {
    b.run("document.activeElement.blur()", json!([]));
    b.press(&["/"]);
    b.wait_for(
        "return document.activeElement.id === 'search-q'",
        json!([]),
        "/ to focus the search box",
    );
    search_for(b, "lanternfish");
    let links: Vec<String> = serde_json::from_value(b.run(
        "return Array.from(document.querySelectorAll('#search-results .card-title a')).map(a => a.href)",
        json!([]),
    ))
    .expect("a list of links");
    assert!(links.len() >= 3, "{links:?}");
    b.press(&[ARROW_DOWN, ARROW_DOWN, ARROW_DOWN, ARROW_UP]);
    let focused = b.run("return document.activeElement.href", json!([]));
    assert_eq!(focused, json!(links[1]), "second result focused");
    let title = &titles(b)[1];
    b.press(&[ENTER]);
    b.wait_for(
        "return location.href === arguments[0] && document.readyState === 'complete'",
        json!([links[1]]),
        "Enter to open the focused result",
    );
    let heading = b.run(
        "return document.querySelector('h1').textContent.trim()",
        json!([]),
    );
    assert_eq!(heading, json!(title), "the idea page opened");
}

fn no_results_suggest_near_skills(b: &Browser, origin: &str) {
    open_search(b, &format!("{origin}/trellis/search/"));
    search_for(b, "pythx zzzz");
    assert_eq!(
        b.run(COUNT, json!([])),
        json!("No ideas match “pythx zzzz”.")
    );
    let drops: Vec<String> = serde_json::from_value(b.run(
        "return Array.from(document.querySelectorAll('#search-suggest button[data-drop]')).map(e => e.dataset.drop)",
        json!([]),
    ))
    .expect("a list of words to drop");
    assert_eq!(drops, ["pythx", "zzzz"], "offers to drop each word");
    let chips: Vec<String> = serde_json::from_value(b.run(
        "return Array.from(document.querySelectorAll('#search-suggest button[data-skill]')).map(e => e.textContent)",
        json!([]),
    ))
    .expect("a list of suggestions");
    assert!(chips.iter().any(|c| c == "Python"), "{chips:?}");
}

/// No idea of the example is for Rust beginners: the Rust ideas come, and the
/// page says "beginner" was left out, above the results and on each of them.
fn rust_beginner_gives_rust_ideas_naming_the_dropped_word(b: &Browser, origin: &str) {
    open_search(b, &format!("{origin}/trellis/search/"));
    search_for(b, "rust beginner");
    let count = b.run(COUNT, json!([]));
    let count = count.as_str().unwrap_or_default();
    assert!(count.contains("leaving out “beginner”"), "{count}");
    let cards: Vec<Vec<String>> = serde_json::from_value(b.run(
        "return Array.from(document.querySelectorAll('#search-results .search-result')).map(c => [c.querySelector('.search-skills').textContent, c.querySelector('.search-missing').textContent])",
        json!([]),
    ))
    .expect("skills and missing words of each card");
    assert!(!cards.is_empty());
    for card in &cards {
        assert!(card[0].split(", ").any(|s| s == "Rust"), "{card:?}");
        assert_eq!(card[1], "Missing: beginner");
    }
    // The live region says it too, once typing has paused, not on every key.
    b.wait_for(
        "return document.getElementById('search-status').textContent === document.getElementById('search-count').textContent",
        json!([]),
        "the live region to repeat the count after a pause",
    );
    // Dropping the word is one click, and focus lands on the count line.
    b.click(&b.find("#search-suggest button[data-drop='beginner']"));
    b.wait_for(
        "return document.getElementById('search-q').value === 'rust ' && document.activeElement.id === 'search-count'",
        json!([]),
        "the word to be dropped and focus on the count",
    );
    assert_eq!(titles(b).len(), cards.len());
}

/// "Show all" puts focus on the first value it revealed, not on the page's body.
fn show_all_keeps_focus_in_its_facet(b: &Browser, origin: &str) {
    open_search(b, &format!("{origin}/trellis/search/"));
    b.click(&b.find("#search-facets button[data-expand='skill']"));
    b.wait_for(
        "return document.activeElement.dataset.facet === 'skill' && !document.querySelector(\"#search-facets button[data-expand='skill']\")",
        json!([]),
        "focus on a revealed skill",
    );
}

fn cjk_query_finds_the_idea_written_in_chinese(b: &Browser) {
    search_for(b, "可视化");
    assert_eq!(titles(b), ["分布式追踪的可视化界面"]);
    let marks: Vec<String> = serde_json::from_value(b.run(
        "return Array.from(document.querySelectorAll('#search-results .card-title mark')).map(m => m.textContent)",
        json!([]),
    ))
    .expect("a list of marks");
    assert_eq!(marks.concat(), "可视化");
    search_for(b, "调度器 ");
    assert_eq!(titles(b), ["分布式追踪的可视化界面"]);
}

fn only_stop_words_say_nothing_is_searchable(b: &Browser) {
    search_for(b, "the and");
    let count = b.run(COUNT, json!([]));
    assert!(
        count
            .as_str()
            .is_some_and(|c| c.starts_with("Nothing to search for in “the and”")),
        "{count}"
    );
    assert!(titles(b).is_empty());
}

/// A filter value the site does not have (a link shared from another year)
/// shows as a chip, and removing it lists every idea again.
fn unknown_filter_value_is_a_removable_chip(b: &Browser, origin: &str) {
    open_search(b, &format!("{origin}/trellis/search/?skill=Cobol"));
    let chip = b.find("#search-active button[data-unfacet='skill']");
    assert_eq!(
        b.run(
            "return document.querySelector(\"#search-active button[data-unfacet='skill']\").textContent",
            json!([])
        ),
        json!("Skill: Cobol ×")
    );
    assert!(titles(b).is_empty());
    b.click(&chip);
    b.wait_for(
        "return !location.search.includes('skill=') && document.querySelectorAll('#search-results .card-title').length > 0",
        json!([]),
        "the unknown filter to be removed",
    );
}

/// On a slow connection: the query from the URL is in the box at once, no
/// "needs JavaScript" shows, and what is typed before the index lands is kept
/// and answered when it does.
fn typing_before_the_index_arrives_is_kept(b: &Browser, site: &Path) {
    let slow = StaticServer::start_holding(site, "/trellis/", Some("/search/index.js"));
    b.go(&format!("{}/trellis/search/?q=wasm", slow.origin));
    b.wait_for(
        "return document.getElementById('search-q').value === 'wasm' && document.getElementById('search-count').textContent.startsWith('Loading') && !document.querySelector('.search-nojs')",
        json!([]),
        "the URL's query in the box before the index",
    );
    let page = b.run("return document.body.innerText", json!([]));
    assert!(
        !page
            .as_str()
            .unwrap_or_default()
            .contains("needs JavaScript"),
        "{page}"
    );
    let input = b.find("#search-q");
    b.clear(&input);
    b.type_into(&input, "lanternfish");
    slow.release();
    wait_for_index(b);
    assert_eq!(
        b.run(
            "return document.getElementById('search-q').value",
            json!([])
        ),
        json!("lanternfish")
    );
    let found = titles(b);
    assert!(
        found
            .iter()
            .any(|t| t.contains("Lanternfish") || t == "分布式追踪的可视化界面"),
        "{found:?}"
    );
    b.wait_for(
        "return new URLSearchParams(location.search).get('q') === 'lanternfish'",
        json!([]),
        "the URL to follow what was typed",
    );
}

/// Results arriving move nothing already on the page: the layout shifts the
/// browser records while the page loads its index and answers add up to nothing.
fn results_arriving_shift_no_layout(b: &Browser, origin: &str) {
    b.go(&format!("{origin}/trellis/search/?q=kubernetes"));
    wait_for_index(b);
    // Let a frame or two pass, so late shifts are recorded too.
    b.run_async(
        "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 300)))",
        json!([]),
    );
    let shifts = b.run("return window.__shifts", json!([]));
    let total: f64 = shifts
        .as_array()
        .expect("the layout-shift watch ran")
        .iter()
        .filter_map(Value::as_f64)
        .sum();
    assert!(total < 0.01, "layout shifts while loading: {shifts}");
    assert!(!titles(b).is_empty());
}

/// Every page records its layout shifts, user-caused ones left out, as CLS does.
const LAYOUT_SHIFT_WATCH: &str = "window.__shifts = []; new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value); }).observe({ type: 'layout-shift', buffered: true });";

fn markup_in_titles_stays_text(b: &Browser, origin: &str) {
    open_search(b, &format!("{origin}/trellis/search/?q=escapeworks"));
    assert_eq!(
        titles(b),
        ["Render <img src=x onerror=\"window.pwned=1\"> as text"]
    );
    let injected = b.run(
        "return [document.querySelectorAll('#search-results img, #search-results b').length, window.pwned === undefined]",
        json!([]),
    );
    assert_eq!(injected, json!([0, true]));
}

fn browser_ranks_and_links_as_rust_does(b: &Browser, index: &Index) {
    for q in [
        "kubernets",
        "prometheus",
        "rust sdk",
        "ebpf dashboards",
        "the",
        "design tok",
        "sql",
        "go",
        "mentor",
        "rust beginner",
        "beginner rust",
        "kubernetes glossary rust ",
        "pythx zzzz",
        "the and",
        "可视化",
        "调度",
        "easy",
    ] {
        let rust: Vec<usize> = query(index, q).iter().map(|h| h.doc).collect();
        let js: Value = b.run(
            "return window.trellisSearch.query(arguments[0])",
            json!([q]),
        );
        let js: Vec<usize> = serde_json::from_value(js.clone())
            .unwrap_or_else(|e| panic!("a list of documents for '{q}': {e}: {js}"));
        assert_eq!(js, rust, "ranking differs for '{q}'");
    }
    let urls: Vec<String> =
        serde_json::from_value(b.run("return window.trellisSearch.urls()", json!([])))
            .expect("a list of URLs");
    let expected: Vec<String> = (0..index.len()).map(|d| index.url(d)).collect();
    assert_eq!(urls, expected, "the browser derives every idea URL");
}

fn opened_from_disk_the_page_loads_the_index_by_script(b: &Browser, site: &Path) {
    // The page links the script by absolute base path, which a file:// URL cannot
    // resolve; a copy linking it relatively stands for a site opened from disk.
    let page = site.join("search/index.html");
    let html = std::fs::read_to_string(&page).expect("the search page");
    let local = html.replace("src=\"/trellis/search.js\"", "src=\"../search.js\"");
    assert_ne!(local, html, "the page links /trellis/search.js");
    let copy = site.join("search/local.html");
    std::fs::write(&copy, local).expect("write the local copy");
    let url = format!("file://{}?q=wasmedge", copy.display());
    open_search(b, &url);
    let found = titles(b);
    assert!(
        found
            .iter()
            .any(|t| t == "WASI socket support in the WasmEdge Rust SDK"),
        "{found:?}"
    );
    let href = b.run(
        "return document.querySelector('#search-results .card-title a').href",
        json!([]),
    );
    let href = href.as_str().unwrap_or_default();
    assert!(
        href.starts_with("file://") && href.ends_with("/index.html"),
        "{href}"
    );
}

#[test]
fn search_page_works_in_a_real_browser() {
    let Some((chromium, chromedriver)) = browser_programs() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = build_example(tmp.path());
    let index = trellis::search::read(|rel| std::fs::read_to_string(site.join(rel)).ok())
        .expect("the index reads back");
    let server = StaticServer::start(&site, "/trellis/");
    let origin = server.origin.clone();
    let b = Browser::start(&chromium, &chromedriver);
    b.on_new_document(LAYOUT_SHIFT_WATCH);

    open_search(&b, &format!("{origin}/trellis/search/"));
    browser_ranks_and_links_as_rust_does(&b, &index);
    exact_title_ranks_its_idea_first(&b);
    misspelt_kubernetes_finds_kubernetes_ideas_highlighted(&b);
    let (url, count) = skill_facet_narrows_results_and_counts_follow(&b);
    reloading_the_url_restores_the_search(&b, &url, count);
    back_button_undoes_the_facet(&b);
    fast_typing_leaves_the_whole_query_in_the_url(&b, &origin);
    facets_alone_list_every_matching_idea(&b, &origin);
    markup_in_titles_stays_text(&b, &origin);
    no_results_suggest_near_skills(&b, &origin);
    rust_beginner_gives_rust_ideas_naming_the_dropped_word(&b, &origin);
    show_all_keeps_focus_in_its_facet(&b, &origin);
    cjk_query_finds_the_idea_written_in_chinese(&b);
    only_stop_words_say_nothing_is_searchable(&b);
    unknown_filter_value_is_a_removable_chip(&b, &origin);
    typing_before_the_index_arrives_is_kept(&b, &site);
    results_arriving_shift_no_layout(&b, &origin);
    keyboard_moves_through_results_and_opens_one(&b);
    opened_from_disk_the_page_loads_the_index_by_script(&b, &site);
}

/// A term file of `ideas` ideas, each with two mentors of its own and skills
/// from a list of 60: on such a site the facets' data outweighs what a first
/// answer needs, so it is fetched only when asked for.
fn big_term(term: usize, ideas: usize) -> String {
    let mut out = format!("# Big term {term}\n\n## Proposed Project ideas\n\n");
    for i in 0..ideas {
        let n = term * ideas + i;
        out.push_str(&format!(
            "### Org {org}\n\n#### Idea {n} about {topic}\n\n\
             - Description: Work on {topic} number {n} for the project.\n\
             - Recommended Skills: Skill{a}, Skill{b}\n\
             - Mentor(s): Mentor First{n} (@mentor-a{n}), Mentor Second{n} (@mentor-b{n})\n\n",
            org = n % 40,
            topic = ["tracing", "storage", "scheduling", "docs"][n % 4],
            a = n % 60,
            b = (n * 7 + 3) % 60,
        ));
    }
    out
}

/// The search pieces the page has fetched so far.
fn fetched_pieces(b: &Browser) -> Vec<String> {
    serde_json::from_value(b.run(
        "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/search/')).map(n => n.replace(/^.*\\/search\\//, '').replace(/[?].*$/, ''))",
        json!([]),
    ))
    .expect("a list of names")
}

/// On a big site the first answer comes without the facets' data: the term,
/// status and program facets (from the head) are there, the others are
/// buttons that fetch their piece; a filter in the URL fetches its own at once.
#[test]
fn a_big_site_fetches_facet_data_only_when_asked() {
    let Some((chromium, chromedriver)) = browser_programs() else {
        return;
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("site");
    std::fs::create_dir_all(root.join("content")).expect("content dir");
    std::fs::write(
        root.join("trellis.toml"),
        "title = \"Big\"\nbase_url = \"/big/\"\n",
    )
    .expect("config");
    for term in 0..2 {
        std::fs::write(
            root.join(format!("content/2025-term-{}.md", term + 1)),
            big_term(term, 1000),
        )
        .expect("term file");
    }
    let out = tmp.path().join("public");
    site::build_into(&root, &out, None);
    let head = std::fs::read_to_string(out.join("search/index.js")).expect("the head");
    assert!(
        head.contains("\"eager\":false"),
        "the facets come on request"
    );
    let server = StaticServer::start(&out, "/big/");
    let b = Browser::start(&chromium, &chromedriver);

    open_search(&b, &format!("{}/big/search/?q=tracing", server.origin));
    assert!(b
        .run(COUNT, json!([]))
        .as_str()
        .unwrap_or_default()
        .starts_with("500 ideas"));
    let versioned = b.run(
        "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/search/') && !n.includes('/search/index.js')).every(n => /[?]v=[0-9a-f]{16}$/.test(n))",
        json!([]),
    );
    assert_eq!(
        versioned,
        json!(true),
        "pieces are asked for with the head's id"
    );
    let first = fetched_pieces(&b);
    assert!(first.iter().any(|p| p.starts_with("cards/")), "{first:?}");
    assert!(!first.iter().any(|p| p.starts_with("facets/")), "{first:?}");
    let terms = b.run(
        "return document.querySelectorAll(\"input[data-facet='term']\").length",
        json!([]),
    );
    assert_eq!(terms, json!(2), "the term facet needs no piece");

    let show = b.find("button[data-open='skill']");
    b.click(&show);
    b.wait_for(
        "return document.activeElement.dataset.facet === 'skill'",
        json!([]),
        "the skill filters to show, with focus on the first",
    );
    assert!(fetched_pieces(&b).contains(&"facets/skill.js".to_string()));
    assert!(!fetched_pieces(&b).contains(&"facets/mentor.js".to_string()));

    open_search(
        &b,
        &format!(
            "{}/big/search/?q=tracing&mentor=Mentor+First4",
            server.origin
        ),
    );
    assert_eq!(titles(&b), ["Idea 4 about tracing"]);
}
