//! The render stage: the [`Site`] and the theme in, every file of the portal out.
//!
//! Templates are compiled once into one [`tera::Tera`]; pages are rendered in
//! parallel, each with its own small context, and handed to a sink as soon as
//! they are ready. Nothing here writes to disk: the caller's sink does (the build
//! passes its `output::Output`), so a failed render never touches the published site.
//!
//! For the dev server, each page also has a fingerprint of everything its context
//! is made from ([`pages::Page::fingerprint`]); a [`Scope::Changed`] render skips
//! the pages whose fingerprint is the one they had, so saving one term file
//! re-renders only the pages that show something of it.

pub mod assets;
pub mod cards;
pub mod context;
pub mod feeds;
pub mod links;
pub mod markdown;
pub mod pages;
pub mod stats;
pub mod taxonomy;
pub mod term_notes;
mod whitespace;

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;

use rayon::prelude::*;

use crate::config::Config;
use crate::model::Site;

use crate::util::fingerprint::QuickHash;
use assets::Theme;
use context::Shared;
use links::{Resolver, Target};
use pages::{all_pages, Page};

/// Receives each finished file: a site-relative path and its bytes.
pub type Sink<'s> = dyn Fn(&str, &[u8]) -> std::io::Result<()> + Sync + 's;

/// Compiles the theme's templates; an error names the template and where it came from.
pub fn compile(theme: &Theme) -> Result<tera::Tera, Error> {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
    tera.set_escape_fn(crate::util::escape::html);
    tera.add_raw_templates(
        theme
            .templates
            .iter()
            .map(|(name, t)| (name.as_str(), t.text.as_str())),
    )
    .map_err(|e| Error::Compile(describe(&e, theme)))?;
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
            return Err(Error::MissingTemplate(page));
        }
    }
    Ok(tera)
}

/// Which pages to render.
#[derive(Clone, Copy)]
pub enum Scope<'p> {
    /// Every page, as `trellis build` does.
    All,
    /// Every page, keeping fingerprints and links per page for later
    /// [`Scope::Changed`] renders (the first build of `trellis serve`).
    Tracked,
    /// Only the pages whose fingerprint differs from the one they had in the
    /// previous render, and new pages, with the same templates. Pages that list
    /// the whole site (home, indexes, stats) are always rendered: they are few,
    /// and their writer skips bytes that did not change.
    Changed(&'p HashMap<String, u64>),
}

/// What a render leaves for the link check and for the next incremental render.
#[derive(Debug, Default)]
pub struct Rendered {
    /// Every page file of the site, rendered or not, with its fingerprint
    /// (empty under [`Scope::All`], which needs none).
    pub fingerprints: HashMap<String, u64>,
    /// The files the links of each rendered page name, by page (under
    /// [`Scope::All`], each distinct target once, with one page that names it).
    pub links: Vec<(String, Vec<Target>)>,
    /// How many pages were rendered, and how many were left as they were.
    pub rendered: usize,
    pub skipped: usize,
}

/// Why rendering stopped: the theme could not be read or compiled, a page
/// could not be made, a link points nowhere, or a file the sink could not take.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The site's `templates/` or `static/` could not be walked; `at` is the
    /// path relative to the site root where the walk failed.
    #[error("cannot read the theme at '{at}': {source}")]
    WalkTheme { at: String, source: walkdir::Error },
    /// A file of the site's theme could not be read or resolved; `path` is
    /// relative to the site root.
    #[error("cannot read '{path}': {source}")]
    ReadTheme {
        path: String,
        source: std::io::Error,
    },
    /// A file of the site's theme is a symbolic link leading outside the site
    /// root (it could publish the build machine's secrets); the path is
    /// relative to the site root.
    #[error("symlink-outside: symbolic link '{0}' points outside the site root: not followed; copy what it points to into the site, or remove the link")]
    ThemeLinkOutside(String),
    /// A template of the site's `templates/` is not text.
    #[error("templates/{0}: this template is not valid UTF-8 text")]
    NotUtf8(String),
    /// The templates do not compile; the message names the template and
    /// where it came from.
    #[error("{0}")]
    Compile(String),
    /// The theme lacks a template that a page of every site needs.
    #[error("the theme has no template '{0}'")]
    MissingTemplate(&'static str),
    /// A template or a page's context failed; the message names the page.
    #[error("{0}")]
    Page(String),
    /// Links of the site name files it does not have: how many, and the
    /// first twenty as `page: 'link': why` lines.
    #[error("{count} broken internal link{} (base path '{base}'):\n{}", plural(*.count), .found.join("\n"))]
    BrokenLinks {
        count: usize,
        base: String,
        found: Vec<String>,
    },
    #[error("cannot write {rel}: {source}")]
    Write { rel: String, source: std::io::Error },
}

/// The plural ending of a count of things.
fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

impl Error {
    fn write(rel: &str, source: std::io::Error) -> Error {
        Error::Write {
            rel: rel.to_string(),
            source,
        }
    }
}

/// Renders the pages, feeds and theme files of `site` into `sink`, in parallel.
/// Fails on the first template error. Links are collected, not checked: the
/// caller checks them once every file of the site is written.
pub fn render_site(
    site: &Site,
    config: &Config,
    theme: &Theme,
    tera: &tera::Tera,
    sink: &Sink,
    scope: Scope,
    ideas: &crate::prepare::Ideas,
) -> Result<Rendered, Error> {
    let shared = Shared::new(site, config, theme, tera, ideas);
    let pages = all_pages(&shared);
    let files: Vec<String> = pages.par_iter().map(|p| p.file(&shared)).collect();
    let tracked = !matches!(scope, Scope::All);
    let fingerprints: Vec<Option<u64>> = if tracked {
        let prints = shared.fingerprints();
        pages
            .par_iter()
            .map(|p| p.fingerprint(&shared, &prints))
            .collect()
    } else {
        Vec::new()
    };
    let todo: Vec<usize> = (0..pages.len())
        .filter(|&i| match scope {
            Scope::Changed(previous) => match fingerprints[i] {
                Some(print) => previous.get(&files[i]) != Some(&print),
                None => true,
            },
            _ => true,
        })
        .collect();
    let base = shared.base();
    let render_pages = || {
        todo.par_iter()
            .try_fold(
                || (Resolver::new(base), Links::new(tracked)),
                |(mut resolver, mut links), &i| -> Result<_, Error> {
                    let (page, file) = (pages[i], &files[i]);
                    let html = tera
                        .render(page.template(), &page.context(&shared)?)
                        .map_err(|e| {
                            Error::Page(format!("cannot render {file}: {}", describe(&e, theme)))
                        })?;
                    let html = whitespace::collapse(&html);
                    let targets = resolver.targets(file, &html);
                    sink(file, html.as_bytes()).map_err(|source| Error::write(file, source))?;
                    links.add(i, file, targets);
                    Ok((resolver, links))
                },
            )
            .map(|folded| folded.map(|(_, links)| links))
            .try_reduce(|| Links::new(tracked), |a, b| Ok(a.merge(b)))
    };
    // The feeds, sitemap and theme files are made while the pages render: made
    // after them, the feed of a big site would keep one core busy and the other idle.
    let write_the_rest = || -> Result<(), Error> {
        let page_files: HashSet<&str> = files.iter().map(String::as_str).collect();
        for (rel, bytes) in &theme.statics {
            if page_files.contains(rel.as_str()) {
                continue;
            }
            sink(rel, bytes).map_err(|source| Error::write(rel, source))?;
        }
        for (rel, text) in extra_files(&shared, &pages) {
            sink(&rel, text.as_bytes()).map_err(|source| Error::write(&rel, source))?;
        }
        Ok(())
    };
    let (found, rest) = rayon::join(render_pages, write_the_rest);
    let found = found?;
    rest?;
    let rendered = todo.len();
    let links = found.into_list(&files);
    Ok(Rendered {
        fingerprints: if tracked {
            files
                .into_iter()
                .zip(&fingerprints)
                .filter_map(|(file, print)| print.map(|p| (file, p)))
                .collect()
        } else {
            HashMap::new()
        },
        links,
        rendered,
        skipped: pages.len() - rendered,
    })
}

/// The link targets of rendered pages: per page when tracked, else each
/// distinct target once, with the index of one page that names it, which keeps
/// a full build's memory to the size of the site instead of the number of
/// links in it.
enum Links {
    PerPage(Vec<(String, Vec<Target>)>),
    Distinct(HashMap<Target, u32, BuildHasherDefault<QuickHash>>),
}

impl Links {
    fn new(per_page: bool) -> Links {
        if per_page {
            Links::PerPage(Vec::new())
        } else {
            Links::Distinct(HashMap::default())
        }
    }

    fn add(&mut self, page: usize, file: &str, targets: Vec<Target>) {
        match self {
            Links::PerPage(pages) => pages.push((file.to_string(), targets)),
            Links::Distinct(seen) => {
                // No site has four billion pages: the index fits.
                let page = page as u32;
                for target in targets {
                    seen.entry(target).or_insert(page);
                }
            }
        }
    }

    fn merge(self, other: Links) -> Links {
        match (self, other) {
            (Links::PerPage(mut a), Links::PerPage(b)) => {
                a.extend(b);
                Links::PerPage(a)
            }
            (Links::Distinct(a), Links::Distinct(b)) => {
                let (mut a, b) = if a.len() >= b.len() { (a, b) } else { (b, a) };
                for (target, page) in b {
                    a.entry(target).or_insert(page);
                }
                Links::Distinct(a)
            }
            (a, _) => a,
        }
    }

    fn into_list(self, files: &[String]) -> Vec<(String, Vec<Target>)> {
        match self {
            Links::PerPage(pages) => pages,
            Links::Distinct(seen) => seen
                .into_iter()
                .map(|(target, page)| (files[page as usize].clone(), vec![target]))
                .collect(),
        }
    }
}

/// Feeds, sitemap, robots, calendars and the GitHub Pages files.
fn extra_files(shared: &Shared, pages: &[Page]) -> Vec<(String, String)> {
    let site = shared.site;
    let abs = &shared.absolute_base;
    let mut out = Vec::new();
    let term_dates: Vec<String> = site.terms.iter().map(feeds::term_date).collect();
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
            date: shared
                .term_position(&idea.term)
                .map_or_else(|| "1970-01-01".into(), |t| term_dates[t].clone()),
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
