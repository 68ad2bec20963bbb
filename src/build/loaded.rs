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
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Text of a file named in a diagnostic, for quoting its lines.
    pub fn source_text(&self, file: &str) -> Option<String> {
        self.sources
            .iter()
            .find(|s| s.rel == file)
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
        load::load_content(&content_dir)
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
    let (sources, diagnostics) = load::load_content(&content_dir);
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

fn assemble(
    config: Config,
    content_dir: PathBuf,
    sources: Vec<SourceFile>,
    mut diagnostics: Vec<Diagnostic>,
    parsed: Vec<(TermFile, Vec<Diagnostic>)>,
) -> Loaded {
    let mut files = Vec::with_capacity(parsed.len());
    for (file, mut diags) in parsed {
        files.push(file);
        diagnostics.append(&mut diags);
    }
    let (site, mut diags) = crate::site::assemble(files);
    diagnostics.append(&mut diags);
    diagnostics.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    Loaded {
        config,
        content_dir,
        site,
        sources,
        diagnostics,
    }
}
