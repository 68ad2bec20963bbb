//! Untrusted proposals end to end, in a real browser. Term files carrying classic
//! XSS payloads through every field a proposal has (front matter, headings, field
//! values, mentors, links, notes, file names) are built into a site, and headless
//! Chromium opens every page of it with a watch installed before any page script
//! runs. No payload may open a dialog, set the marker, raise a script error or
//! move the page elsewhere; every HTML file is also read as a parser reads it for
//! script URLs and script elements; and the search page must show payload titles
//! as text.
//!
//! A canary page with known holes is served beside the site on every run and
//! must be caught by both the watch and the static checks: were the watch ever to
//! stop working, the test would fail instead of passing blindly.
//!
//! Runs only where chromium and chromedriver are installed; elsewhere it says so
//! loudly and passes, unless TRELLIS_BROWSER_TESTS=1 demands a browser.

#[path = "support/skip.rs"]
mod skip;
#[path = "support/webdriver.rs"]
mod webdriver;

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::json;
use trellis::build::Loaded;
use trellis::model::{FieldKind, Idea};
use webdriver::{browser_programs, Browser, Element, StaticServer};

/// Where the site is served, as its `base_url` says.
const BASE: &str = "/trellis/";

/// Classic payloads; `{m}` is where each calls its marker ([`marker`]). None holds
/// a backtick, so each also fits in a code span, or a `|`, so each fits in a table.
const PAYLOADS: &[&str] = &[
    "<script>{m}</script>",
    "<img src=x onerror={m}>",
    "<IMG SRC=\"x\" ONERROR=\"{m}\">",
    "<svg onload={m}>",
    "<svg><script>{m}</script></svg>",
    "<svg><animate onbegin={m} attributeName=x dur=1s>",
    "<svg><a xlink:href=\"javascript:{m}\"><text y=\"20\">click</text></a></svg>",
    "[click](javascript:{m})",
    "[click](JaVaScRiPt:{m})",
    "[click](&#106;avascript:{m})",
    "[click](data:text/html,%3Cscript%3E{m}%3C/script%3E)",
    "<javascript:{m}>",
    "<data:text/html,%3Cscript%3E{m}%3C/script%3E>",
    "<a href=\"javascript:{m}\">click</a>",
    "<a href=\"jAvAsCrIpT:{m}\">click</a>",
    "<a href=\"&#106;avascript:{m}\">click</a>",
    "<a href=\"&#x6A;&#x61;vascript&#x3A;{m}\">click</a>",
    "<a href=\"javascript&colon;{m}\">click</a>",
    "<a href=\" &#9;java&#10;script:{m}\">click</a>",
    "<a href=\"vbscript:{m}\">click</a>",
    "<a href=\"data:text/html,%3Cscript%3E{m}%3C/script%3E\">click</a>",
    "<a href=\"https://example.org/\" onclick=\"{m}\">click</a>",
    "<iframe srcdoc=\"<script>{m}</script>\"></iframe>",
    "<iframe src=\"javascript:{m}\"></iframe>",
    "\" onmouseover=\"{m}\" x=\"",
    "' onmouseover='{m}' x='",
    "\"><img src=x onerror={m}>",
    "</script><script>{m}</script>",
    "</title><script>{m}</script>",
    "</textarea><script>{m}</script>",
    "{{ 7*7191 }} {{constructor.constructor('{m}')()}}",
    "{% raw %}{{ 7*7191 }}{% endraw %} ${7*7191} #{{m}}",
    "<style>@import 'javascript:{m}';</style>",
    "<style>body{background:url(\"javascript:{m}\")}</style>",
    "<div style=\"background:url(javascript:{m})\">x</div>",
    "<object data=\"javascript:{m}\"></object>",
    "<embed src=\"javascript:{m}\">",
    "<base href=\"javascript:{m}//\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:{m}\">",
    "<form action=\"javascript:{m}\"><button>go</button></form>",
    "<button formaction=\"javascript:{m}\">go</button>",
    "<noscript><p title=\"</noscript><img src=x onerror={m}>\"></noscript>",
    "<math><mtext><table><mglyph><style><img src=x onerror={m}>",
    "<svg><style><img src=x onerror={m}></style></svg>",
    "<xmp><img src=x onerror={m}></xmp>",
    "<template><img src=x onerror={m}></template>",
    "<!-- --!><img src=x onerror={m}> -->",
    "<details open ontoggle={m}>",
    "<input autofocus onfocus={m}>",
    "<video><source onerror={m}></video>",
    "<body onload={m}>",
    "<script src=\"data:text/javascript,{m}\"></script>",
    "&lt;img src=x onerror={m}&gt;",
    "<scr<script>ipt>{m}</scr</script>ipt>",
    "javascript:{m}",
];

/// What `{{ 7*7191 }}` and `${7*7191}` come to, were any template to evaluate them.
const EVALUATED: &str = "50337";

/// Payload `n`'s marker: an alert that also sets `window.__xss`. No space,
/// comma, semicolon or quote, so it fits every payload unquoted.
fn marker(n: usize) -> String {
    format!("alert(window.__xss={n})")
}

/// The payloads, numbered from 101 so that `p101` is a word of its own.
fn payloads() -> Vec<(usize, String)> {
    PAYLOADS
        .iter()
        .enumerate()
        .map(|(i, p)| (101 + i, p.replace("{m}", &marker(101 + i))))
        .collect()
}

/// The values an `apply_url` or LFX URL is tried with: script and data URLs in
/// every disguise, and attribute breakouts.
fn hostile_urls(n: usize) -> Vec<String> {
    let m = marker(n);
    vec![
        format!("javascript:{m}"),
        format!("JaVaScRiPt:{m}"),
        format!(" \tjavascript:{m}"),
        format!("java\tscript:{m}"),
        format!("vbscript:{m}"),
        format!("data:text/html,%3Cscript%3E{m}%3C/script%3E"),
        format!("https://example.org/\" onmouseover=\"{m}"),
        format!("https://example.org/'><script>{m}</script>"),
    ]
}

/// Payloads per idea: each payload still has an organization, a sub-project, a
/// title and every field to itself among a few others, without a page per payload.
const PER_IDEA: usize = 4;

/// `items` as text, with `separator` between them.
fn join<T>(items: impl Iterator<Item = T>, separator: &str) -> String
where
    T: std::fmt::Display,
{
    items
        .map(|t| t.to_string())
        .collect::<Vec<_>>()
        .join(separator)
}

/// The main term file: front matter whose every value carries every payload,
/// notes with each payload inline and as a block, and ideas carrying
/// [`PER_IDEA`] payloads each in their organization, sub-project, title (also as
/// a code span, so that the title's text is the payload) and every field.
fn front_matter_term(payloads: &[(usize, String)]) -> String {
    let all = join(payloads.iter().map(|(_, p)| p), " ");
    let mut text = format!(
        "+++\ntitle = '''Front matter {all}'''\nprogram = '''Program {all}'''\nterm = '''Term {all}'''\nstart = '''{all}'''\nend = '''{all}'''\nstatus = \"open\"\napply_url = '''{}'''\n",
        hostile_urls(1)[0]
    );
    for (n, p) in payloads {
        text.push_str(&format!(
            "[[timeline]]\nevent = '''p{n} event {p}'''\ndate = '''{p}'''\n"
        ));
    }
    text.push_str("+++\n\n# Hostile proposals\n\n");
    for (n, p) in payloads {
        text.push_str(&format!("p{n} note {p}\n\n{p}\n\n"));
    }
    text.push_str("## Proposed Project ideas\n\n");
    let urls = hostile_urls(0);
    for (k, group) in payloads.chunks(PER_IDEA).enumerate() {
        let words = join(group.iter().map(|(n, _)| format!("p{n}")), " ");
        let all = join(group.iter().map(|(_, p)| p), " ");
        let code = join(group.iter().map(|(_, p)| format!("`{p}`")), " ");
        let skills = join(group.iter().map(|(n, p)| format!("p{n}skill {p}")), ", ");
        let (n, first) = &group[0];
        let m = marker(*n);
        let url = &hostile_urls(*n)[k % urls.len()];
        text.push_str(&format!(
            "### {words} org {all}\n\n#### {words} sub {all}\n\n##### {words} {all} {code}\n\n{words} intro {all}\n\n\
- Description: {words} description {all}\n\
- Expected Outcome: {words} outcome {all}\n\
- Recommended Skills: {skills}, Go\n\
- Mentor(s): {words} mentor {all} (@{first}, p{n}@example.org); [p{n} site](javascript:{m}) (@p{n}\" onmouseover=\"{m})\n\
- Upstream Issue: {words} issue {all} javascript:{m} https://github.com/example/p{n}/issues/{n}\"onmouseover=\"{m}\n\
- LFX URL: {url}\n\
- Difficulty: {words} {all}\n\
- Expected project size: {words} {all}\n\
- Stretch goals: {words} stretch {all}\n\
- Remarks {words}: {words} extra {all}\n\n\
{words} trailing notes {all}\n\n"
        ));
    }
    // A title that is a path: its page must still land inside the output.
    text.push_str(
        "### ../../../escape\n\n##### ../../etc/passwd\n\n\
- Description: A title that looks like a path.\n- Recommended Skills: Go\n- Mentor(s): Ada Lovelace (@ada)\n",
    );
    text
}

/// A term file without front matter: title, status and timeline come from the body.
fn body_term(payloads: &[(usize, String)]) -> String {
    let mut text = String::from("# Body metadata");
    for (_, p) in payloads.iter().take(12) {
        text.push(' ');
        text.push_str(p);
    }
    text.push_str("\n\nStatus: Accepting applications <img src=x onerror=alert(window.__xss=301)>\n\n| Activity | Date |\n|---|---|\n");
    for (n, p) in payloads {
        text.push_str(&format!("| p{n} activity {p} | March 2, 2026 {p} |\n"));
    }
    text.push_str("\n## Notes\n\n");
    for (n, p) in payloads {
        text.push_str(&format!("- p{n} listed note {p}\n"));
    }
    text
}

/// Small term files whose front matter `apply_url` is each hostile URL in turn.
fn apply_url_terms() -> Vec<(String, String)> {
    hostile_urls(400)
        .into_iter()
        .enumerate()
        .map(|(i, url)| {
            (
                format!("apply-{i}.md"),
                format!("+++\ntitle = '''Apply {i}'''\nstatus = \"open\"\napply_url = '''{url}'''\n+++\n\nApplying, variant {i}.\n"),
            )
        })
        .collect()
}

/// A term file whose name is markup: it reaches pages through the term id and
/// the "Edit this proposal" link.
const HOSTILE_FILE_NAME: &str = "\"><svg onload=alert(window.__xss=299)>.md";
const HOSTILE_FILE_TERM: &str = "# Named by its file\n\n### Filename Org\n\n#### Idea in a hostile file\n\n\
- Description: The file name of this term is markup.\n- Recommended Skills: Rust\n- Mentor(s): Grace Hopper (@grace)\n";

/// The hostile content built into `tmp/public` with the library, as `trellis build` would.
fn build_site(tmp: &Path, payloads: &[(usize, String)]) -> (PathBuf, Loaded) {
    let root = tmp.join("root");
    let content = root.join("content");
    std::fs::create_dir_all(&content).expect("temp content dir");
    std::fs::write(
        root.join("trellis.toml"),
        "title = \"Untrusted proposals\"\nbase_url = \"https://example.github.io/trellis/\"\nrepo_url = \"https://github.com/example/mentorship\"\n",
    )
    .expect("write trellis.toml");
    let mut files = vec![
        ("hostile.md".to_string(), front_matter_term(payloads)),
        ("hostile-body.md".to_string(), body_term(payloads)),
        (HOSTILE_FILE_NAME.to_string(), HOSTILE_FILE_TERM.to_string()),
    ];
    files.extend(apply_url_terms());
    for (name, text) in files {
        std::fs::write(content.join(name), text).expect("write a term file");
    }
    let config = trellis::build::load_config(&root).expect("the config loads");
    let loaded = trellis::build::load_site(&root, config, &[]);
    let out = tmp.join("public");
    trellis::build::write_site(&root, &loaded, &out).expect("the hostile site builds");
    (out, loaded)
}

/// The payloads really are in the model, in every field: otherwise a change to
/// the parser could make this whole test pass without testing anything.
fn payloads_reach_every_field(loaded: &Loaded, payloads: &[(usize, String)]) {
    let term = |id: &str| {
        loaded
            .site
            .terms
            .iter()
            .find(|t| t.id == id)
            .unwrap_or_else(|| panic!("no term '{id}'"))
    };
    let main = term("hostile");
    let body = term("hostile-body");
    let notes: String = main.notes.iter().map(|n| n.markdown.as_str()).collect();
    let body_notes: String = body.notes.iter().map(|n| n.markdown.as_str()).collect();
    for (n, p) in payloads {
        for (what, value) in [
            ("title", &main.title),
            ("program", main.program.as_ref().expect("a program")),
            ("term", main.term.as_ref().expect("a term name")),
            ("start", main.start.as_ref().expect("a start")),
            ("end", main.end.as_ref().expect("an end")),
            ("notes", &notes),
            ("body notes", &body_notes),
        ] {
            assert!(
                value.contains(p.as_str()),
                "payload {n} not in the term's {what}"
            );
        }
        for (events, which) in [(&main.timeline, "front matter"), (&body.timeline, "body")] {
            assert!(
                events.iter().any(|e| e.event.contains(&format!("p{n} "))),
                "payload {n} not in the {which} timeline: {events:?}"
            );
        }
        let idea = idea_of(loaded, *n);
        assert!(
            idea.title.contains(p.as_str()),
            "payload {n} not in its title: {}",
            idea.title
        );
        let word = format!("p{n} ");
        assert!(
            idea.organization.contains(&word) && idea.organization.contains(" org "),
            "payload {n} not in its organization: {}",
            idea.organization
        );
        assert!(
            idea.subprojects
                .iter()
                .any(|s| s.contains(&word) && s.contains(" sub ")),
            "payload {n} not in a sub-project: {:?}",
            idea.subprojects
        );
        for kind in [
            FieldKind::Description,
            FieldKind::ExpectedOutcome,
            FieldKind::Skills,
            FieldKind::Mentors,
            FieldKind::Issues,
            FieldKind::Difficulty,
            FieldKind::Size,
            FieldKind::StretchGoals,
            FieldKind::Extra,
        ] {
            assert!(
                idea.fields
                    .iter()
                    .any(|f| f.kind == kind && f.value.contains(p.as_str())),
                "payload {n} not in its {kind:?} field: {:#?}",
                idea.fields
            );
        }
        for (what, value) in [
            ("intro", idea.intro.as_deref()),
            ("notes", idea.notes.as_deref()),
        ] {
            assert!(
                value.is_some_and(|v| v.contains(p.as_str())),
                "payload {n} not in its {what}: {value:?}"
            );
        }
        assert!(
            idea.mentors
                .iter()
                .any(|m| m.name.contains(&format!("p{n}"))),
            "payload {n} not in a mentor's name: {:?}",
            idea.mentors
        );
    }
    // The skills parser drops an entry that reads like a sentence rather than a
    // skill name, as a few payloads do; the others must become skill pages.
    let skills = payloads
        .iter()
        .filter(|(n, _)| {
            let word = format!("p{n}skill");
            idea_of(loaded, *n)
                .skills
                .iter()
                .any(|s| s.to_lowercase().contains(&word))
        })
        .count();
    assert!(
        skills * 10 >= payloads.len() * 9,
        "only {skills} payloads became skills"
    );
}

/// The idea that carries payload `n`.
fn idea_of(loaded: &Loaded, n: usize) -> &Idea {
    let word = format!("p{n}");
    loaded
        .site
        .ideas
        .iter()
        .find(|i| i.title.split_whitespace().any(|w| w == word))
        .unwrap_or_else(|| panic!("no idea for payload {n}"))
}

/// Every file written is inside the output, under a name made of slug characters,
/// whatever a title or a file name said.
fn output_stays_inside(tmp: &Path, out: &Path) {
    for entry in walkdir::WalkDir::new(tmp) {
        let entry = entry.expect("a directory entry");
        assert_ne!(
            entry.file_name(),
            "passwd",
            "a title wrote {}",
            entry.path().display()
        );
        let Ok(rel) = entry.path().strip_prefix(out) else {
            continue;
        };
        let rel = rel.to_string_lossy();
        assert!(
            rel.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_./".contains(c)),
            "output path {rel:?}"
        );
    }
}

/// The canary: known holes, served beside the site, each of which the watch and
/// the static checks must catch.
const CANARY: &str = "canary-holes/index.html";
const CANARY_HTML: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Canary</title>
<link rel="icon" href="/trellis/favicon.svg" type="image/svg+xml"></head>
<body>
<p>Holes that tests/browser_xss.rs must catch.</p>
<script>alert(window.__xss = 'canary-script')</script>
<img src="x" onerror="alert(window.__xss = 'canary-onerror')">
<details open ontoggle="alert('canary-toggle')"><summary>s</summary></details>
<iframe srcdoc="<script>alert('canary-srcdoc')</script>"></iframe>
<iframe src="data:text/html,<script>alert('canary-data-frame')</script>"></iframe>
<a href="&#106;avascript:alert('canary-href')">link</a>
<script>canaryCallsAMissingFunction()</script>
<script>console.error("canary-console"); history.replaceState(null, "", "?moved")</script>
</body></html>
"#;

/// What the watch and the static checks must report on the canary page.
const CANARY_CAUGHT: &[&str] = &[
    "alert(canary-script)",
    "window.__xss = canary-script",
    "alert(canary-onerror)",
    "alert(canary-toggle)",
    "in a frame: alert(canary-srcdoc)",
    "in a frame: alert(canary-data-frame)",
    "uncaught: Uncaught ReferenceError: canaryCallsAMissingFunction",
    "canary-console",
    "the page moved to",
    "inline <script>",
    "onerror attribute",
    "srcdoc attribute",
    "<iframe> element",
    "href=\"javascript:",
    "src=\"data:",
];

/// The watch, run in every document and frame before the page's own scripts:
/// dialogs, the `window.__xss` marker and uncaught errors are recorded in
/// `window.__xssLog`; a frame, even one of another origin, reports to the top page.
const WATCH: &str = r#"(function () {
  var log = [];
  function record(what) {
    log.push(what);
    if (window !== window.top) window.top.postMessage({ xssWatch: what }, "*");
  }
  Object.defineProperty(window, "__xssLog", { value: log });
  window.addEventListener("message", function (e) {
    if (e.data && typeof e.data.xssWatch === "string") log.push("in a frame: " + e.data.xssWatch);
  });
  ["alert", "confirm", "prompt", "print"].forEach(function (name) {
    window[name] = function (message) { record(name + "(" + String(message) + ")"); return null; };
  });
  Object.defineProperty(window, "__xss", {
    get: function () { return undefined; },
    set: function (v) { record("window.__xss = " + String(v)); }
  });
  window.addEventListener("error", function (e) {
    if (e instanceof ErrorEvent) record("uncaught: " + e.message);
  }, true);
})();"#;

/// Lets handlers that run after load (toggle, focus, SVG animation, frame
/// messages) have their turn, then reveals mentor emails (the theme builds those
/// links in script) and hands back what the page did.
const SETTLE: &str = r#"var needle = arguments[0], done = arguments[arguments.length - 1];
document.querySelectorAll(".email-reveal").forEach(function (b) { b.click(); });
requestAnimationFrame(function () { requestAnimationFrame(function () { setTimeout(function () {
  done({ log: window.__xssLog ? window.__xssLog.slice() : ["the watch did not run"],
         href: location.href,
         evaluated: document.body !== null && document.body.innerText.indexOf(needle) >= 0 });
}, 0); }); });"#;

/// Opens `url` and returns what went wrong there, as the browser saw it.
fn visit(b: &Browser, url: &str) -> Vec<String> {
    b.go(url);
    let seen = b.run_async(SETTLE, json!([EVALUATED]));
    let mut problems = Vec::new();
    if !seen["log"].is_array() {
        // An open dialog stops every script: the watch was bypassed.
        match b.dialog_text() {
            Some(text) => {
                problems.push(format!("a dialog the watch missed: {text}"));
                b.dismiss_dialog();
            }
            None => problems.push(format!("the page could not be read: {seen}")),
        }
    }
    for entry in seen["log"].as_array().into_iter().flatten() {
        problems.push(entry.as_str().unwrap_or_default().to_string());
    }
    if seen["href"] != json!(url) {
        problems.push(format!("the page moved to {}", seen["href"]));
    }
    if seen["evaluated"] == json!(true) {
        problems.push(format!("a template evaluated 7*7191 to {EVALUATED}"));
    }
    problems
}

/// The console's errors of the whole session, each naming the page or file it
/// came from. A failed load of an external URL is counted, not reported: a
/// proposal's `https` image may stay in a page, and the browser resolves no host
/// but this one.
fn console_errors(b: &Browser, origin: &str) -> (Vec<String>, usize) {
    let mut errors = Vec::new();
    let mut external_loads = 0;
    for entry in b.console() {
        if entry["level"] != "SEVERE" {
            continue;
        }
        let message = entry["message"].as_str().unwrap_or_default();
        if entry["source"] == "network"
            && message.starts_with("http")
            && !message.starts_with(origin)
        {
            external_loads += 1;
        } else {
            errors.push(format!("console: {message}"));
        }
    }
    (errors, external_loads)
}

/// What a parser finds wrong in one HTML file: elements that run or load code,
/// event handler attributes, and script, `vbscript:` or `data:` URLs. The theme's
/// own scripts (`trellis.js` on every page, `search.js` on the search page) and
/// its `<style>` in the head of the search page are the only ones allowed. The
/// favicon is a file, `favicon.svg`, not a `data:` URL, so no URL is exempt.
fn static_findings(html: &str, own_scripts: &[String]) -> Vec<String> {
    const FORBIDDEN: &[&str] = &[
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "base",
        "portal",
        "noscript",
        "template",
        "xmp",
        "plaintext",
        "math",
    ];
    const URL_ATTRIBUTES: &[&str] = &[
        "href",
        "src",
        "action",
        "formaction",
        "data",
        "poster",
        "background",
        "srcset",
        "ping",
        "cite",
        "longdesc",
        "manifest",
        "codebase",
        "lowsrc",
        "dynsrc",
    ];
    const SCHEMES: &[&str] = &["javascript:", "vbscript:", "data:"];
    let mut found = Vec::new();
    if html.contains(EVALUATED) {
        found.push(format!("a template evaluated 7*7191 to {EVALUATED}"));
    }
    let doc = scraper::Html::parse_document(html);
    // "*" is a valid selector.
    let every = scraper::Selector::parse("*").expect("a valid selector");
    for element in doc.select(&every) {
        let name = element.value().name();
        let parent = element
            .parent()
            .and_then(|p| p.value().as_element().map(|e| e.name().to_string()))
            .unwrap_or_default();
        match name {
            _ if FORBIDDEN.contains(&name) => found.push(format!("<{name}> element")),
            "script" => {
                let src = element.value().attr("src").unwrap_or_default();
                if !element.text().all(|t| t.trim().is_empty()) {
                    found.push("inline <script>".into());
                } else if !own_scripts.iter().any(|s| s == src) {
                    found.push(format!("<script src=\"{src}\">"));
                }
            }
            "meta" if element.value().attr("http-equiv").is_some() => {
                found.push("<meta http-equiv>".into())
            }
            "style" if parent != "head" => found.push(format!("<style> inside <{parent}>")),
            "form" if element.value().attr("action") != Some(&format!("{BASE}search/")) => found
                .push(format!(
                    "<form action={:?}>",
                    element.value().attr("action")
                )),
            _ => {}
        }
        for (attribute, value) in element.value().attrs() {
            let attribute = attribute.to_ascii_lowercase();
            // As a browser reads a URL: entities decoded (the parser did that),
            // whitespace and control characters anywhere ignored, case folded.
            let url: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            if attribute.starts_with("on") || attribute == "srcdoc" {
                found.push(format!("{attribute} attribute"));
            } else if URL_ATTRIBUTES.contains(&attribute.as_str()) {
                if let Some(scheme) = SCHEMES.iter().find(|s| url.starts_with(*s)) {
                    found.push(format!("{attribute}=\"{scheme}\" on <{name}>"));
                }
            } else if attribute == "style"
                && (url.contains("javascript:")
                    || url.contains("expression(")
                    || url.contains("url("))
            {
                found.push(format!("style=\"{value}\""));
            }
        }
    }
    found
}

/// Every HTML file of the site, relative to it, with the URL it is served at.
fn html_pages(site: &Path, origin: &str) -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> = walkdir::WalkDir::new(site)
        .into_iter()
        .map(|e| e.expect("a directory entry"))
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(site)
                .expect("inside the site")
                .to_string_lossy()
                .to_string();
            let path = rel.strip_suffix("index.html").unwrap_or(&rel);
            let url = format!("{origin}{BASE}{path}");
            (rel, url)
        })
        .collect();
    pages.sort();
    pages
}

const CARDS: &str = r#"var ideas = arguments[0], results = document.getElementById("search-results");
var odd = Array.from(results.querySelectorAll("*")).filter(function (e) {
  var tag = e.tagName.toLowerCase();
  var attributes = Array.from(e.attributes).map(function (a) { return a.name; });
  return ["li", "h2", "a", "p", "span", "mark"].indexOf(tag) < 0
    || attributes.some(function (a) { return a !== "class" && a !== "href"; })
    || (tag === "a" && e.href.indexOf(ideas) !== 0);
}).map(function (e) { return e.outerHTML.slice(0, 120); });
return { titles: Array.from(results.querySelectorAll(".card-title")).map(function (e) { return e.textContent; }),
         odd: odd, log: window.__xssLog.slice(), href: location.href,
         box: document.getElementById("search-q").value };"#;

/// Clears the search box and types `text`, as a person would. The page searches
/// on every key, within the key's event, so its results are there once the box
/// holds the text; the URL follows once typing pauses, which this test does
/// not wait for.
fn search_for(b: &Browser, input: &Element, text: &str) {
    b.clear(input);
    b.type_into(input, text);
    b.wait_for(
        "return document.getElementById('search-q').value === arguments[0]",
        json!([text]),
        &format!("the search box to hold {text:?}"),
    );
}

/// Puts `text` into the search box at once, as pasting does: one input event.
fn paste(b: &Browser, text: &str) {
    b.run(
        "var box = document.getElementById('search-q'); box.value = arguments[0]; box.dispatchEvent(new Event('input', { bubbles: true }));",
        json!([text]),
    );
}

/// Opens the search page, with `query` in its URL when given, and waits for the
/// index to load and the results to show.
fn open_search(b: &Browser, page: &str, query: Option<&str>) {
    let url = match query {
        Some(q) => format!(
            "{page}?q={}",
            url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
        ),
        None => page.to_string(),
    };
    b.go(&url);
    b.wait_for(
        "return document.getElementById('search-app').dataset.ready === 'true' && document.getElementById('search-count').textContent",
        json!([]),
        "the search index to load",
    );
}

/// Types each payload's word into the search box and finds its idea's title
/// among the results as text, with no element made from it, then pastes the
/// payload itself; last, opens the search page with every payload as the query
/// in its URL, where anyone could link to it, and finds the page unharmed and
/// the box holding the query.
fn search_shows_payloads_as_text(
    b: &Browser,
    origin: &str,
    loaded: &Loaded,
    payloads: &[(usize, String)],
) -> Vec<String> {
    let page = format!("{origin}{BASE}search/");
    let ideas_base = format!("{origin}{BASE}ideas/");
    let mut problems = Vec::new();
    let check = |query: &str, title: Option<&str>, problems: &mut Vec<String>| {
        let seen = b.run(CARDS.trim_end(), json!([ideas_base]));
        let titles: Vec<String> =
            serde_json::from_value(seen["titles"].clone()).unwrap_or_default();
        if let Some(title) = title.filter(|t| !titles.iter().any(|s| s == t)) {
            problems.push(format!(
                "searching {query:?} shows {titles:?}, not {title:?}"
            ));
        }
        for odd in seen["odd"].as_array().into_iter().flatten() {
            problems.push(format!("searching {query:?} made the element {odd}"));
        }
        for entry in seen["log"].as_array().into_iter().flatten() {
            problems.push(format!("searching {query:?}: {entry}"));
        }
        if !seen["href"].as_str().is_some_and(|h| h.starts_with(&page)) {
            problems.push(format!("searching {query:?} moved to {}", seen["href"]));
        }
        if seen["box"] != json!(query) {
            problems.push(format!(
                "searching {query:?} left {} in the box",
                seen["box"]
            ));
        }
    };
    open_search(b, &page, None);
    let input = b.find("#search-q");
    for (n, p) in payloads {
        let word = format!("p{n}");
        search_for(b, &input, &word);
        check(&word, Some(&idea_of(loaded, *n).title), &mut problems);
        paste(b, p);
        check(p, None, &mut problems);
    }
    let every = join(payloads.iter().map(|(_, p)| p), " ");
    open_search(b, &page, Some(&every));
    check(&every, None, &mut problems);
    problems
}

#[test]
fn no_script_from_a_term_file_runs_on_the_site() {
    let Some((chromium, chromedriver)) = browser_programs() else {
        return;
    };
    let started = Instant::now();
    let tmp = tempfile::tempdir().expect("temp dir");
    let payloads = payloads();
    assert!(payloads.len() >= 30);
    let (site, loaded) = build_site(tmp.path(), &payloads);
    payloads_reach_every_field(&loaded, &payloads);
    output_stays_inside(tmp.path(), &site);
    let canary = site.join(CANARY);
    std::fs::create_dir_all(canary.parent().expect("the canary is in a directory"))
        .expect("the canary's directory");
    std::fs::write(&canary, CANARY_HTML).expect("write the canary page");

    let server = StaticServer::start(&site, BASE);
    let origin = server.origin.clone();
    let pages = html_pages(&site, &origin);

    let b = Browser::start(&chromium, &chromedriver);
    b.on_new_document(WATCH);

    let mut problems: Vec<(String, Vec<String>)> = Vec::new();
    for (rel, url) in &pages {
        let html = std::fs::read_to_string(site.join(rel)).expect("read a page");
        let mut own = vec![format!("{BASE}trellis.js")];
        if rel == "search/index.html" {
            own.push(format!("{BASE}search.js"));
        }
        let mut found = static_findings(&html, &own);
        found.extend(visit(&b, url));
        problems.push((rel.clone(), found));
    }
    let searched = search_shows_payloads_as_text(&b, &origin, &loaded, &payloads);
    problems.push(("search/index.html, searching".into(), searched));
    let (console, external_loads) = console_errors(&b, &origin);
    let canary_dir = CANARY.trim_end_matches("index.html");
    let (canary_console, console): (Vec<_>, Vec<_>) =
        console.into_iter().partition(|e| e.contains(canary_dir));
    problems.push(("the console".into(), console));
    problems.push((CANARY.into(), canary_console));
    drop(b);

    let (canary_found, site_problems): (Vec<_>, Vec<_>) =
        problems.into_iter().partition(|(rel, _)| rel == CANARY);
    let canary_found = canary_found
        .into_iter()
        .flat_map(|(_, found)| found)
        .collect::<Vec<_>>();
    for expected in CANARY_CAUGHT {
        assert!(
            canary_found.iter().any(|f| f.contains(expected)),
            "the checks missed the canary's {expected:?}; they caught {canary_found:#?}"
        );
    }
    let holes: Vec<String> = site_problems
        .iter()
        .flat_map(|(rel, found)| found.iter().map(move |f| format!("{rel}: {f}")))
        .collect();
    assert!(
        holes.is_empty(),
        "{} holes, the first ones: {:#?}",
        holes.len(),
        &holes[..holes.len().min(60)]
    );
    eprintln!(
        "{} pages and {} searches clean, canary caught, {external_loads} external loads refused, in {:.1?}",
        pages.len() - 1,
        payloads.len() * 2,
        started.elapsed()
    );
}
