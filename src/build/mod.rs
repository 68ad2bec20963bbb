//! A build, in one place: load → parse → model → prepare → {render, search
//! index, export} → link check → write. `trellis build` writes into a staging
//! directory swapped in when complete; the dev server's rebuilds
//! ([`incremental`]) run the same steps over the pages that changed, into its
//! live directory.

mod error;
pub mod incremental;
pub mod loaded;
pub mod redirects;

pub use error::Error;
pub use loaded::{load_config, load_site, Loaded, ParseCache};

use crate::output::Output;
use crate::util::email;
use crate::{export, output, render, search};

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

/// What a build wrote, for the summary `trellis build` prints.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildStats {
    /// The HTML pages written.
    pub pages: usize,
    /// The size of the search index, all its pieces (`search/*/*.js`), of which
    /// a query fetches a few: so that its growth with the content shows in every build.
    pub search_index_bytes: u64,
}

/// Whether a written file is a piece of the search index.
fn is_search_piece(rel: &str) -> bool {
    rel.starts_with("search/") && rel.ends_with(".js")
}

/// Renders a loaded site with its theme (the default one, with the site's own
/// `templates/` and `static/` laid over it) and writes it to `output`, atomically:
/// on any error the previous output stays as it was.
pub fn write_site(
    root: &Path,
    loaded: &loaded::Loaded,
    output: &Path,
) -> Result<BuildStats, Error> {
    write_site_with_progress(root, loaded, output, &|_| {})
}

/// [`write_site`], calling `on_written` with the number of files written so far
/// after each file, so that a command can show progress. It is called from the
/// threads that render, thousands of times a build: it must be cheap.
pub fn write_site_with_progress(
    root: &Path,
    loaded: &loaded::Loaded,
    output: &Path,
    on_written: &(dyn Fn(usize) + Sync),
) -> Result<BuildStats, Error> {
    let output = &output::check_output_dir(root, &loaded.content_dir, output)?;
    let theme = render::assets::Theme::for_site(root).map_err(Error::Render)?;
    // Compile before staging, so a broken template fails fast and touches nothing.
    let tera = render::compile(&theme).map_err(Error::Render)?;
    let staging = output::Staging::begin(output).map_err(|source| Error::Stage {
        output: output.to_path_buf(),
        source,
    })?;
    let budgeted = output::Budgeted::new(&staging, budget(loaded, &theme));
    let tally = Tally::new(&budgeted, on_written);
    let ideas = crate::prepare::Ideas::of(&loaded.site, None);
    let rendered = site_files(loaded, &theme, &tera, &tally, render::Scope::All, &ideas)?;
    for moved in &loaded.redirects {
        let file = format!("{}index.html", moved.from);
        // A page of the site always wins over a redirect.
        if !tally.has(&file) {
            let page = redirects::redirect_page(moved, &loaded.config);
            tally
                .write(&file, email::speak_all(&page).as_bytes())
                .map_err(|source| Error::Write { rel: file, source })?;
        }
    }
    let read = |page: &str| staging.read(page);
    let written = tally
        .written
        .into_inner()
        .unwrap_or_else(|p| p.into_inner());
    render::links::check(
        rendered
            .links
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_slice())),
        &written,
        &loaded.config.base_path(),
        &read,
    )
    .map_err(Error::Render)?;
    let stats = BuildStats {
        pages: tally.pages.into_inner(),
        search_index_bytes: tally.search_index_bytes.into_inner(),
    };
    staging.commit().map_err(|source| Error::Commit {
        output: output.to_path_buf(),
        source,
    })?;
    Ok(stats)
}

/// An output that counts what passes through it, for the summary of a build,
/// its progress and the link check.
struct Tally<'o> {
    output: &'o dyn output::Output,
    on_written: &'o (dyn Fn(usize) + Sync),
    pages: AtomicUsize,
    search_index_bytes: AtomicU64,
    /// The [`render::links::file_key`] of every file written, for the link check.
    written: Mutex<HashSet<u64>>,
}

impl<'o> Tally<'o> {
    fn new(output: &'o dyn output::Output, on_written: &'o (dyn Fn(usize) + Sync)) -> Tally<'o> {
        Tally {
            output,
            on_written,
            pages: AtomicUsize::new(0),
            search_index_bytes: AtomicU64::new(0),
            written: Mutex::new(HashSet::new()),
        }
    }

    /// Whether a file was written at `rel`.
    fn has(&self, rel: &str) -> bool {
        // A poisoned lock only means another writer panicked; the set is still valid.
        self.written
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(&render::links::file_key(rel))
    }
}

impl output::Output for Tally<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.output.write(rel, bytes)?;
        if rel.ends_with(".html") {
            self.pages.fetch_add(1, Ordering::Relaxed);
        }
        if is_search_piece(rel) {
            self.search_index_bytes
                .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        }
        // A poisoned lock only means another writer panicked; the set is still valid.
        let count = {
            let mut written = self.written.lock().unwrap_or_else(|p| p.into_inner());
            written.insert(render::links::file_key(rel));
            written.len()
        };
        (self.on_written)(count);
        Ok(())
    }

    fn read(&self, rel: &str) -> Option<String> {
        self.output.read(rel)
    }
}

/// Everything [`write_site`] would refuse once the term files parse, found
/// without writing: the theme (its links, its templates), the output limit and
/// the link check, run on pages rendered in memory. This is what lets `trellis
/// check`, the gate on pull requests, pass only what `trellis build` builds.
///
/// Pages are not kept: the link check asks for a page's HTML only to name its
/// broken links, so when it fails, only those pages are rendered again and kept.
pub fn check_rendered(root: &Path, loaded: &loaded::Loaded) -> Result<(), Error> {
    let theme = render::assets::Theme::for_site(root).map_err(Error::Render)?;
    let tera = render::compile(&theme).map_err(Error::Render)?;
    let ideas = crate::prepare::Ideas::of(&loaded.site, None);
    let base = loaded.config.base_path();
    let render_keeping = |keep: HashSet<String>| {
        let memory = Memory {
            keep,
            kept: Mutex::new(HashMap::new()),
        };
        let budgeted = output::Budgeted::new(&memory, budget(loaded, &theme));
        let tally = Tally::new(&budgeted, &|_| {});
        let rendered = site_files(loaded, &theme, &tera, &tally, render::Scope::All, &ideas)?;
        let written = tally
            .written
            .into_inner()
            .unwrap_or_else(|p| p.into_inner());
        Ok::<_, Error>((rendered, written, memory))
    };
    let (rendered, written, _) = render_keeping(HashSet::new())?;
    let asked = Mutex::new(HashSet::new());
    let check = |read: &dyn Fn(&str) -> Option<String>| {
        render::links::check(
            rendered
                .links
                .iter()
                .map(|(p, t)| (p.as_str(), t.as_slice())),
            &written,
            &base,
            read,
        )
        .map_err(Error::Render)
    };
    let first = check(&|page: &str| {
        asked
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(page.to_string());
        None
    });
    if first.is_ok() {
        return Ok(());
    }
    let asked = asked.into_inner().unwrap_or_else(|p| p.into_inner());
    let (_, _, memory) = render_keeping(asked)?;
    check(&|page: &str| memory.read(page))
}

/// The output of [`check_rendered`]: files are dropped once counted, but for
/// the pages in `keep`, held as text for the link check to quote.
struct Memory {
    keep: HashSet<String>,
    kept: Mutex<HashMap<String, String>>,
}

impl output::Output for Memory {
    fn write(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        if self.keep.contains(rel) {
            let page = String::from_utf8_lossy(bytes).into_owned();
            // A poisoned lock only means another renderer panicked; the map is still valid.
            self.kept
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(rel.to_string(), page);
        }
        Ok(())
    }

    fn read(&self, rel: &str) -> Option<String> {
        self.kept
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(rel)
            .cloned()
    }
}

/// The size of what a build reads: the term files and the theme, against
/// which [`output::Budget`] measures what it writes.
fn input_bytes(loaded: &loaded::Loaded, theme: &render::assets::Theme) -> u64 {
    let sources: usize = loaded.sources.iter().map(|s| s.text.len()).sum();
    let statics: usize = theme.statics.values().map(Vec::len).sum();
    let templates: usize = theme.templates.values().map(|t| t.text.len()).sum();
    (sources + statics + templates) as u64
}

/// What a build of `loaded` may write, by the limits of its `trellis.toml`.
pub(crate) fn budget(loaded: &loaded::Loaded, theme: &render::assets::Theme) -> output::Budget {
    output::Budget::new(
        input_bytes(loaded, theme),
        loaded.config.max_output_ratio,
        loaded.config.max_output_floor_mb,
    )
}

/// Every file of the site, into `output`: the pages, feeds and theme files, the
/// `ideas.json` API and the search index. This is the one list of outputs that
/// `trellis build` ([`write_site`]) and the dev server's rebuilds
/// ([`incremental`]) share; a new kind of output goes here, so both write it.
/// The data files are made while the pages render, on the other core; `ideas`
/// is what was derived from each idea ([`crate::prepare::Ideas::of`]).
pub fn site_files(
    loaded: &loaded::Loaded,
    theme: &render::assets::Theme,
    tera: &tera::Tera,
    output: &dyn output::Output,
    scope: render::Scope,
    ideas: &crate::prepare::Ideas,
) -> Result<render::Rendered, Error> {
    let export_emails = loaded.config.export_emails;
    let guarded =
        |rel: &str, bytes: &[u8]| output.write(rel, &email::guard(rel, bytes, export_emails));
    let sink: &render::Sink = &guarded;
    let (data, pages) = rayon::join(
        || {
            let (json, search) = rayon::join(
                || {
                    let printed: Vec<&str> = ideas.iter().map(|d| d.json.as_str()).collect();
                    export::ideas_files(&loaded.site, &loaded.config, &printed)
                        .iter()
                        .try_for_each(|(rel, json)| {
                            sink(rel, json.as_bytes()).map_err(|source| Error::Write {
                                rel: rel.clone(),
                                source,
                            })
                        })
                },
                || {
                    let documents: Vec<&search::Document> =
                        ideas.iter().map(|d| &d.search).collect();
                    search::files_of(&search::Index::of_documents(&loaded.site, &documents))
                        .iter()
                        .try_for_each(|(rel, bytes)| {
                            sink(rel, bytes).map_err(|source| Error::Write {
                                rel: rel.clone(),
                                source,
                            })
                        })
                },
            );
            json.and(search)
        },
        || {
            render::render_site(
                &loaded.site,
                &loaded.config,
                theme,
                tera,
                &sink,
                scope,
                ideas,
            )
        },
    );
    data?;
    Ok(pages?)
}
