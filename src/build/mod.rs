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

use crate::util::email;
use crate::{export, output, render, search};

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

/// What a build wrote, for the summary `trellis build` prints.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildStats {
    /// The HTML pages written.
    pub pages: usize,
    /// The size of `search/index.json`, the file every search downloads, so
    /// that its growth with the content shows in every build.
    pub search_index_bytes: u64,
}

/// The search index as the browser fetches it over HTTP; `search/index.js`
/// holds the same data again for sites opened from disk, so it is not counted twice.
const SEARCH_INDEX: &str = "search/index.json";

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
    let output =
        &output::check_output_dir(root, &loaded.content_dir, output).map_err(Error::Output)?;
    let theme = render::assets::Theme::for_site(root).map_err(Error::Render)?;
    // Compile before staging, so a broken template fails fast and touches nothing.
    let tera = render::compile(&theme).map_err(Error::Render)?;
    let staging = output::Staging::begin(output).map_err(|source| Error::Stage {
        output: output.to_path_buf(),
        source,
    })?;
    let pages = AtomicUsize::new(0);
    let search_index_bytes = AtomicU64::new(0);
    let written = Mutex::new(HashSet::new());
    let budget = output::Budget::new(
        input_bytes(loaded, &theme),
        loaded.config.max_output_ratio,
        loaded.config.max_output_floor_mb,
    );
    let sink = |rel: &str, data: &[u8]| {
        budget.spend(data.len())?;
        staging.write(rel, data)?;
        if rel.ends_with(".html") {
            pages.fetch_add(1, Ordering::Relaxed);
        }
        if rel == SEARCH_INDEX {
            search_index_bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        }
        // A poisoned lock only means another writer panicked; the set is still valid.
        let count = {
            let mut written = written.lock().unwrap_or_else(|p| p.into_inner());
            written.insert(render::links::file_key(rel));
            written.len()
        };
        on_written(count);
        Ok(())
    };
    let ideas = crate::prepare::Ideas::of(&loaded.site, None);
    let rendered = site_files(loaded, &theme, &tera, &sink, render::Scope::All, &ideas)?;
    for moved in &loaded.redirects {
        let file = format!("{}index.html", moved.from);
        let taken = written
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(&render::links::file_key(&file));
        // A page of the site always wins over a redirect.
        if !taken {
            let page = redirects::redirect_page(moved, &loaded.config);
            sink(&file, email::speak_all(&page).as_bytes())
                .map_err(|source| Error::Write { rel: file, source })?;
        }
    }
    let written = written.into_inner().unwrap_or_else(|p| p.into_inner());
    let read = |page: &str| std::fs::read_to_string(staging.path_of(page).ok()?).ok();
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
        pages: pages.into_inner(),
        search_index_bytes: search_index_bytes.into_inner(),
    };
    staging.commit().map_err(|source| Error::Commit {
        output: output.to_path_buf(),
        source,
    })?;
    Ok(stats)
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
    let render_keeping = |keep: &HashSet<String>| {
        let budget = output::Budget::new(
            input_bytes(loaded, &theme),
            loaded.config.max_output_ratio,
            loaded.config.max_output_floor_mb,
        );
        let written = Mutex::new(HashSet::new());
        let kept = Mutex::new(std::collections::HashMap::new());
        let sink = |rel: &str, data: &[u8]| {
            budget.spend(data.len())?;
            // A poisoned lock only means another renderer panicked; the sets are still valid.
            if keep.contains(rel) {
                let page = String::from_utf8_lossy(data).into_owned();
                kept.lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(rel.to_string(), page);
            }
            written
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(render::links::file_key(rel));
            Ok(())
        };
        let rendered = site_files(loaded, &theme, &tera, &sink, render::Scope::All, &ideas)?;
        Ok::<_, Error>((
            rendered,
            written.into_inner().unwrap_or_else(|p| p.into_inner()),
            kept.into_inner().unwrap_or_else(|p| p.into_inner()),
        ))
    };
    let (rendered, written, _) = render_keeping(&HashSet::new())?;
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
    let (_, _, kept) = render_keeping(&asked)?;
    check(&|page: &str| kept.get(page).cloned())
}

/// The size of what a build reads: the term files and the theme, against
/// which [`output::Budget`] measures what it writes.
pub fn input_bytes(loaded: &loaded::Loaded, theme: &render::assets::Theme) -> u64 {
    let sources: usize = loaded.sources.iter().map(|s| s.text.len()).sum();
    let statics: usize = theme.statics.values().map(Vec::len).sum();
    let templates: usize = theme.templates.values().map(|t| t.text.len()).sum();
    (sources + statics + templates) as u64
}

/// Every file of the site, into `sink`: the pages, feeds and theme files, the
/// `ideas.json` API and the search index. This is the one list of outputs that
/// `trellis build` ([`write_site`]) and the dev server's rebuilds
/// ([`incremental`]) share; a new kind of output goes here, so both write it.
/// The data files are made while the pages render, on the other core; `ideas`
/// is what was derived from each idea ([`crate::prepare::Ideas::of`]).
pub fn site_files(
    loaded: &loaded::Loaded,
    theme: &render::assets::Theme,
    tera: &tera::Tera,
    sink: &render::Sink,
    scope: render::Scope,
    ideas: &crate::prepare::Ideas,
) -> Result<render::Rendered, Error> {
    let export_emails = loaded.config.export_emails;
    let guarded = |rel: &str, data: &[u8]| sink(rel, &email::guard(rel, data, export_emails));
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
                                rel: rel.to_string(),
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
                sink,
                scope,
                ideas,
            )
        },
    );
    data?;
    Ok(pages?)
}
