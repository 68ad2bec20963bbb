//! The whole pipeline, from a site root to a [`Site`] and its diagnostics.
//! `build`, `check` and `serve` all start here, so they agree on what the site is.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::load::{self, SourceFile};
use crate::model::Site;
use crate::parse::{self, TermFile};

/// A loaded and parsed site, with everything Trellis has to say about it.
pub struct Loaded {
    pub config: Config,
    pub content_dir: PathBuf,
    pub site: Site,
    pub sources: Vec<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
    /// Old idea addresses to redirect (`trellis build --previous`); none unless
    /// the caller sets them.
    pub redirects: Vec<super::redirects::Move>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Text of a file named in a diagnostic, for quoting its lines.
    pub fn source_text(&self, file: &str) -> Option<String> {
        let rel = site_relative_prefix(&self.config)
            .and_then(|prefix| file.strip_prefix(&prefix))
            .unwrap_or(file);
        self.sources
            .iter()
            .find(|s| s.rel == rel || s.rel == file)
            .map(|s| s.text.clone())
    }
}

/// Loads the configuration of `root`; an invalid `trellis.toml` is a diagnostic.
pub fn load_config(root: &Path) -> Result<Config, Diagnostic> {
    Config::load(root)
}

/// Loads and parses every term file of the site (or only `only`, when given).
pub fn load_site(root: &Path, config: Config, only: &[PathBuf]) -> Loaded {
    let content_dir = root.join(&config.content_dir);
    let (sources, diagnostics) = if only.is_empty() {
        load_selected(&content_dir, &config)
    } else {
        let mut sources = Vec::new();
        let mut diags = Vec::new();
        for path in only {
            match load::load_file(&content_dir, path) {
                Ok(s) => sources.push(s),
                Err(d) => diags.push(d),
            }
        }
        (sources, diags)
    };
    let ctx = config.parse_context();
    let parsed: Vec<_> = sources
        .par_iter()
        .map(|s| parse::parse_term_file(s, &ctx))
        .collect();
    assemble(config, content_dir, sources, diagnostics, parsed)
}

/// Parsed term files kept from one load to the next, so that the dev server
/// parses again only the files whose text changed.
#[derive(Default)]
pub struct ParseCache {
    /// The settings the parses were made with: the labels and skill aliases.
    settings: Option<(BTreeMap<String, String>, BTreeMap<String, String>)>,
    /// By file: its text and what it parsed to.
    files: HashMap<String, (String, TermFile, Vec<Diagnostic>)>,
}

/// [`load_site`] of the whole content directory, with the parses of files
/// whose text is the same as last time taken from `cache`: the same result,
/// since parsing is a function of the text and the settings alone.
pub fn load_site_cached(root: &Path, config: Config, cache: &mut ParseCache) -> Loaded {
    let content_dir = root.join(&config.content_dir);
    let (sources, diagnostics) = load_selected(&content_dir, &config);
    let settings = (config.labels.clone(), config.skills.clone());
    if cache.settings.as_ref() != Some(&settings) {
        cache.files.clear();
        cache.settings = Some(settings);
    }
    let ctx = config.parse_context();
    let stale: Vec<&SourceFile> = sources
        .iter()
        .filter(|s| {
            cache
                .files
                .get(&s.rel)
                .is_none_or(|(text, ..)| *text != s.text)
        })
        .collect();
    let fresh: Vec<_> = stale
        .par_iter()
        .map(|s| {
            (
                s.rel.clone(),
                s.text.clone(),
                parse::parse_term_file(s, &ctx),
            )
        })
        .collect();
    for (rel, text, (file, diags)) in fresh {
        cache.files.insert(rel, (text, file, diags));
    }
    let present: HashSet<&str> = sources.iter().map(|s| s.rel.as_str()).collect();
    cache.files.retain(|rel, _| present.contains(rel.as_str()));
    let parsed = sources
        .iter()
        .filter_map(|s| cache.files.get(&s.rel))
        .map(|(_, file, diags)| (file.clone(), diags.clone()))
        .collect();
    assemble(config, content_dir, sources, diagnostics, parsed)
}

/// `content_dir` as a prefix of paths from the site root (`programs/`), or
/// `None` when the content directory is the root itself.
fn site_relative_prefix(config: &Config) -> Option<String> {
    let parts: Vec<String> = config
        .content_dir
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    (!parts.is_empty() && !config.content_dir.is_absolute())
        .then(|| format!("{}/", parts.join("/")))
}

/// The content directory's files that the `include` and `exclude` globs keep.
fn load_selected(content_dir: &Path, config: &Config) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    match crate::discover::Selection::of(config) {
        Ok(selection) => load::load_selected(content_dir, &|rel| selection.keeps(rel)),
        Err(d) => (Vec::new(), vec![d]),
    }
}

fn assemble(
    config: Config,
    content_dir: PathBuf,
    sources: Vec<SourceFile>,
    mut diagnostics: Vec<Diagnostic>,
    parsed: Vec<(TermFile, Vec<Diagnostic>)>,
) -> Loaded {
    let today = crate::timeline::today();
    let (files, pages, mut diags) = crate::repository::arrange(&config, &sources, parsed, &today);
    diagnostics.append(&mut diags);
    let (mut site, mut diags) = crate::site::assemble(files);
    site.pages = pages;
    diagnostics.append(&mut diags);
    // Diagnostics name files from the site root, as a pull request shows them,
    // so `--format github` annotations land on the changed lines.
    if let Some(prefix) = site_relative_prefix(&config) {
        let content_files: HashSet<&str> = sources.iter().map(|s| s.rel.as_str()).collect();
        for d in &mut diagnostics {
            let from_content = content_files.contains(d.file.as_str())
                || matches!(
                    d.code,
                    "content-unreadable" | "not-utf8" | "symlink-outside" | "duplicate-file"
                );
            if from_content && !d.file.starts_with('/') {
                d.file = format!("{prefix}{}", d.file);
            }
        }
    }
    diagnostics.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    Loaded {
        config,
        content_dir,
        site,
        sources,
        diagnostics,
        redirects: Vec::new(),
    }
}
