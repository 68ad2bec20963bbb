//! The render stage: the [`Site`] and the theme in, every file of the portal out.
//!
//! Templates are compiled once into one [`tera::Tera`]; pages are rendered in
//! parallel, each with its own small context, and handed to a sink as soon as
//! they are ready. Nothing here writes to disk: the caller's sink does (the build
//! passes `Staging::write`), so a failed render never touches the published site.

pub mod assets;
pub mod context;
pub mod feeds;
pub mod links;
pub mod markdown;
pub mod pages;
pub mod stats;
pub mod taxonomy;

use std::collections::BTreeSet;
use std::sync::Mutex;

use rayon::prelude::*;

use crate::config::Config;
use crate::model::Site;

use assets::Theme;
use context::Shared;
use pages::{all_pages, Page};

/// Receives each finished file: a site-relative path and its bytes.
pub type Sink<'s> = dyn Fn(&str, &[u8]) -> std::io::Result<()> + Sync + 's;

/// Compiles the theme's templates; an error names the template and where it came from.
pub fn compile(theme: &Theme) -> Result<tera::Tera, String> {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
    tera.set_escape_fn(escape);
    tera.add_raw_templates(
        theme
            .templates
            .iter()
            .map(|(name, t)| (name.as_str(), t.text.as_str())),
    )
    .map_err(|e| describe(&e, theme))?;
    for page in [
        "index.html",
        "idea.html",
        "organization.html",
        "organizations.html",
        "skill.html",
        "skills.html",
        "mentor.html",
        "mentors.html",
        "term.html",
        "terms.html",
        "stats.html",
        "404.html",
    ] {
        if !theme.has_template(page) {
            return Err(format!("the theme has no template '{page}'"));
        }
    }
    Ok(tera)
}

/// Renders every page, feed and theme file of `site` into `sink`. Fails on the
/// first template error, or when a page links to a file the site does not have.
pub fn render_site(site: &Site, config: &Config, theme: &Theme, sink: &Sink) -> Result<(), String> {
    let tera = compile(theme)?;
    let shared = Shared::new(site, config, theme.has_template("search.html"));
    let pages = all_pages(&shared);
    let found_links = Mutex::new(Vec::new());
    pages
        .par_iter()
        .try_for_each(|&page| -> Result<(), String> {
            let file = page.file(&shared);
            let html = tera
                .render(page.template(), &page.context(&shared))
                .map_err(|e| format!("cannot render {file}: {}", describe(&e, theme)))?;
            let targets = links::internal_links(&html);
            sink(&file, html.as_bytes()).map_err(|e| format!("cannot write {file}: {e}"))?;
            found_links
                .lock()
                .map_err(|_| "a page renderer panicked".to_string())?
                .push((file, targets));
            Ok(())
        })?;
    let mut files: BTreeSet<String> = pages.iter().map(|p| p.file(&shared)).collect();
    for (rel, bytes) in &theme.statics {
        if files.contains(rel) {
            continue;
        }
        sink(rel, bytes).map_err(|e| format!("cannot write {rel}: {e}"))?;
        files.insert(rel.clone());
    }
    for (rel, text) in extra_files(&shared, &pages) {
        sink(&rel, text.as_bytes()).map_err(|e| format!("cannot write {rel}: {e}"))?;
        files.insert(rel);
    }
    files.insert("ideas.json".into());
    let found = found_links
        .into_inner()
        .map_err(|_| "a page renderer panicked".to_string())?;
    links::check(&found, &files, shared.base())
}

/// Feeds, sitemap, robots, calendars and the GitHub Pages files.
fn extra_files(shared: &Shared, pages: &[Page]) -> Vec<(String, String)> {
    let site = shared.site;
    let abs = &shared.absolute_base;
    let mut out = Vec::new();
    let entries: Vec<feeds::FeedEntry> = site
        .ideas
        .iter()
        .zip(&shared.cards)
        .map(|(idea, card)| feeds::FeedEntry {
            title: &idea.title,
            url: format!("{abs}{}", idea.url),
            organization: &idea.organization,
            term: &card.term.name,
            summary: card.summary.clone(),
            date: site
                .term(&idea.term)
                .map_or_else(|| "1970-01-01".into(), feeds::term_date),
        })
        .collect();
    out.push((
        "atom.xml".into(),
        feeds::atom(&shared.view.title, abs, &format!("{abs}atom.xml"), &entries),
    ));
    let urls: Vec<String> = pages
        .iter()
        .filter(|p| !matches!(p, Page::NotFound))
        .map(|p| format!("{abs}{}", p.url(shared)))
        .collect();
    out.push(("sitemap.xml".into(), feeds::sitemap(&urls)));
    let has_host = abs.contains("://");
    out.push((
        "robots.txt".into(),
        feeds::robots(has_host.then(|| format!("{abs}sitemap.xml")).as_deref()),
    ));
    let host = abs
        .split("://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or("trellis.local");
    for term in &site.terms {
        if let Some(ics) = feeds::calendar(term, host, &format!("{abs}terms/{}/", term.id)) {
            out.push((format!("terms/{}/calendar.ics", term.id), ics));
        }
    }
    out.push((".nojekyll".into(), String::new()));
    if let Some(cname) = shared
        .config
        .cname
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        out.push(("CNAME".into(), format!("{cname}\n")));
    }
    out
}

/// Escapes text for HTML and XML, in text and in quoted attributes: for templates,
/// the SVG charts and the feeds. Unlike Tera's default it leaves `/` alone: every URL would otherwise be written as
/// `&#x2F;…`, a third bigger, for no safety gained inside quotes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A Tera error with its causes, and where each template it names came from.
fn describe(e: &tera::Error, theme: &Theme) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    let origins: Vec<String> = theme
        .templates
        .iter()
        .filter(|(name, t)| t.origin != "the default theme" && text.contains(&format!("'{name}'")))
        .map(|(_, t)| t.origin.clone())
        .collect();
    if !origins.is_empty() {
        text.push_str(&format!(" (in the site's {})", origins.join(", ")));
    }
    text
}
