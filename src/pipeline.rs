//! The whole pipeline, from a site root to a [`Site`] and its diagnostics.
//! `build`, `check` and `serve` all start here, so they agree on what the site is.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::load::{self, SourceFile};
use crate::model::Site;
use crate::parse::{self, ParseContext};

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
    let (sources, mut diagnostics) = if only.is_empty() {
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
    let ctx = ParseContext::from_config(&config);
    let parsed: Vec<_> = sources
        .par_iter()
        .map(|s| parse::parse_term_file(s, &ctx))
        .collect();
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
