//! Incremental rebuilds, for `trellis serve`: the site is built once into a
//! directory that is then kept, and each rebuild after a save
//!
//! - parses again only the term files whose text changed ([`ParseCache`]);
//! - renders only the pages whose fingerprint changed (the pages that show
//!   something of what was edited: its ideas, its term, the organization,
//!   skill and mentor pages that list them, and the few pages that list the
//!   whole site), or every page when a template changed;
//! - writes only the files whose bytes changed, and removes the files the site
//!   no longer has ([`LiveDir`]).
//!
//! The result is the directory a full build would write, byte for byte
//! (`tests/incremental.rs` checks it over a sequence of edits). A rebuild that
//! fails (a template error, a broken link) changes nothing on disk.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;

use super::loaded::{self, Loaded, ParseCache};
use crate::config::Config;
use crate::output::{LiveDir, Output};
use crate::prepare as derived;
use crate::render::{self, assets::Theme, links, Scope};

/// A site kept built in a directory, and what its next rebuild needs.
pub struct LiveSite {
    dir: LiveDir,
    cache: ParseCache,
    /// The compiled templates and a hash of their text.
    tera: Option<(u64, tera::Tera)>,
    /// Every page's fingerprint from the last good build.
    fingerprints: HashMap<String, u64>,
    /// The files each page links to, for the link check of pages not rendered again.
    links: HashMap<String, Vec<links::Target>>,
    /// What was derived from each idea in the last good build.
    memo: derived::Memo,
}

/// What one rebuild did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Report {
    /// Pages rendered, and pages left as they were because nothing they show changed.
    pub rendered: usize,
    pub skipped: usize,
    /// Files written because their bytes changed, their bytes, and files removed.
    pub written: usize,
    pub bytes: u64,
    pub removed: usize,
}

/// Why a rebuild failed: in rendering (nothing was written), or in writing (the
/// directory may be half updated; the next rebuild writes every file again).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    #[error("{0}")]
    Render(String),
    #[error("{0}")]
    Write(String),
}

impl From<super::Error> for Failure {
    fn from(e: super::Error) -> Failure {
        if e.is_write() {
            Failure::Write(e.to_string())
        } else {
            Failure::Render(e.to_string())
        }
    }
}

impl LiveSite {
    /// A site to be built into `dir`, which is created and must not exist yet.
    pub fn create(dir: &Path) -> Result<LiveSite, Failure> {
        let dir = LiveDir::create(dir)
            .map_err(|e| Failure::Write(format!("cannot create '{}': {e}", dir.display())))?;
        Ok(LiveSite {
            dir,
            cache: ParseCache::default(),
            tera: None,
            fingerprints: HashMap::new(),
            links: HashMap::new(),
            memo: derived::Memo::default(),
        })
    }

    pub fn dir(&self) -> &Path {
        self.dir.dir()
    }

    /// Loads and parses the site at `root`, parsing only the term files that
    /// changed since the last load.
    pub fn load(&mut self, root: &Path, config: Config) -> Loaded {
        loaded::load_site_cached(root, config, &mut self.cache)
    }

    /// Brings the directory up to date with `loaded`: the same files, with the
    /// same bytes, as [`super::write_site`] would write.
    pub fn write(&mut self, root: &Path, loaded: &Loaded) -> Result<Report, Failure> {
        let theme = Theme::for_site(root).map_err(|e| Failure::Render(e.to_string()))?;
        let templates = templates_hash(&theme);
        let tera = match self.tera.take() {
            Some((hash, tera)) if hash == templates => tera,
            _ => {
                // Pages rendered with other templates tell nothing about these.
                self.fingerprints.clear();
                render::compile(&theme).map_err(|e| Failure::Render(e.to_string()))?
            }
        };
        let result = self.render_and_commit(loaded, &theme, &tera);
        self.tera = Some((templates, tera));
        if result.is_err() && self.dir.is_fresh() {
            // A first build writes straight to disk: what it wrote before failing
            // is known nowhere, so it goes, and the next build starts clean.
            self.dir = LiveDir::recreate(&self.dir).map_err(|e| {
                Failure::Write(format!("cannot clear '{}': {e}", self.dir().display()))
            })?;
        }
        result
    }

    fn render_and_commit(
        &mut self,
        loaded: &Loaded,
        theme: &Theme,
        tera: &tera::Tera,
    ) -> Result<Report, Failure> {
        let scope = if self.fingerprints.is_empty() {
            Scope::Tracked
        } else {
            Scope::Changed(&self.fingerprints)
        };
        let ideas = derived::Ideas::of(&loaded.site, Some(&self.memo));
        let update = self.dir.begin();
        let budgeted = crate::output::Budgeted::new(&update, super::budget(loaded, theme));
        let rendered = super::site_files(loaded, theme, tera, &budgeted, scope, &ideas)?;
        for page in rendered.fingerprints.keys() {
            update.keep(page, &self.dir);
        }
        let paths: HashSet<String> = update.paths().into_iter().collect();
        let written: HashSet<u64> = paths.iter().map(|p| links::file_key(p)).collect();
        let fresh: HashSet<&str> = rendered.links.iter().map(|(p, _)| p.as_str()).collect();
        let kept = self
            .links
            .iter()
            .filter(|(page, _)| !fresh.contains(page.as_str()) && paths.contains(*page));
        let pages = rendered
            .links
            .iter()
            .map(|(p, t)| (p, t))
            .chain(kept)
            .map(|(p, t)| (p.as_str(), t.as_slice()));
        let read = |page: &str| update.read(page);
        links::check(pages, &written, &loaded.config.base_path(), &read)
            .map_err(|e| Failure::Render(e.to_string()))?;
        let changes = self.dir.commit(update).map_err(|e| {
            self.fingerprints.clear();
            Failure::Write(format!("cannot update '{}': {e}", self.dir().display()))
        })?;
        self.links.retain(|page, _| paths.contains(page));
        let report = Report {
            rendered: rendered.rendered,
            skipped: rendered.skipped,
            written: changes.written,
            bytes: changes.bytes,
            removed: changes.removed,
        };
        self.links.extend(rendered.links);
        self.fingerprints = rendered.fingerprints;
        self.memo = ideas.memo(&loaded.site);
        Ok(report)
    }
}

/// A hash of the templates: when it changes, every page is rendered again.
fn templates_hash(theme: &Theme) -> u64 {
    let mut hasher = DefaultHasher::new();
    for (name, template) in &theme.templates {
        name.hash(&mut hasher);
        template.text.hash(&mut hasher);
    }
    hasher.finish()
}
