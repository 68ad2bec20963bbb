//! The whole pipeline, from a site root to a [`Site`] and its diagnostics.
//! `build`, `check` and `serve` all start here, so they agree on what the site is.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::issue_forms::{self, Form};
use crate::load::{self, SourceFile};
use crate::model::Site;
use crate::parse::{self, ParseContext, TermFile};

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
    let (forms, diagnostics) = with_forms(root, diagnostics);
    let parsed: Vec<_> = sources
        .par_iter()
        .map(|s| parse_source(s, &ctx, &forms))
        .collect();
    assemble(config, content_dir, sources, diagnostics, parsed)
}

/// The site's issue forms, their diagnostics added to `diagnostics`.
fn with_forms(root: &Path, mut diagnostics: Vec<Diagnostic>) -> (Vec<Form>, Vec<Diagnostic>) {
    let (forms, mut diags) = issue_forms::load_forms(root);
    diagnostics.append(&mut diags);
    (forms, diagnostics)
}

/// One source file's terms and ideas: a markdown term file, or an issue export
/// (`*.json`), which holds proposals of any number of terms.
fn parse_source(
    source: &SourceFile,
    ctx: &ParseContext,
    forms: &[Form],
) -> (Vec<TermFile>, Vec<Diagnostic>) {
    if is_export(source) {
        issue_forms::export::read_export(source, ctx, forms)
    } else {
        let (file, diags) = parse::parse_term_file(source, ctx);
        (vec![file], diags)
    }
}

/// An export's terms under the program that `[programs]` names for its path,
/// when it names one: the configuration wins over the program the form's name
/// or the issues' labels suggest, as it does for term files.
fn with_configured_program(
    config: &Config,
    source: &SourceFile,
    mut terms: Vec<TermFile>,
) -> Vec<TermFile> {
    let Some(key) = crate::programs::facts(&source.rel, &config.programs)
        .program
        .and_then(|p| p.key)
    else {
        return terms;
    };
    let settings = &config.programs[&key];
    for file in &mut terms {
        let term = &mut file.term;
        let period = term.term.clone().unwrap_or_default();
        term.title = format!("{} {period}", settings.name).trim().to_string();
        term.program = Some(settings.name.clone());
        if term.apply_url.is_none() {
            term.apply_url = settings.apply_url.clone();
        }
    }
    terms
}

/// Whether a source is an issue export (`*.json`) rather than markdown.
fn is_export(source: &SourceFile) -> bool {
    source.rel.ends_with(".json")
}

/// What a parse depends on beside a file's text: the label and skill aliases, and the issue forms.
type Settings = (
    BTreeMap<String, String>,
    BTreeMap<String, String>,
    Vec<Form>,
);

/// Parsed term files kept from one load to the next, so that the dev server
/// parses again only the files whose text changed.
#[derive(Default)]
pub struct ParseCache {
    /// The settings the parses were made with: the labels and skill aliases, and the issue forms.
    settings: Option<Settings>,
    /// By file: its text and what it parsed to.
    files: HashMap<String, (String, Vec<TermFile>, Vec<Diagnostic>)>,
}

/// [`load_site`] of the whole content directory, with the parses of files
/// whose text is the same as last time taken from `cache`: the same result,
/// since parsing is a function of the text and the settings alone.
pub fn load_site_cached(root: &Path, config: Config, cache: &mut ParseCache) -> Loaded {
    let content_dir = root.join(&config.content_dir);
    let (sources, diagnostics) = load_selected(&content_dir, &config);
    let (forms, diagnostics) = with_forms(root, diagnostics);
    let settings = (config.labels.clone(), config.skills.clone(), forms);
    if cache.settings.as_ref() != Some(&settings) {
        cache.files.clear();
        cache.settings = Some(settings);
    }
    let ctx = config.parse_context();
    let forms = cache
        .settings
        .as_ref()
        .map_or(&[][..], |(_, _, f)| f.as_slice());
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
        .map(|s| (s.rel.clone(), s.text.clone(), parse_source(s, &ctx, forms)))
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
    parsed: Vec<(Vec<TermFile>, Vec<Diagnostic>)>,
) -> Loaded {
    let today = crate::timeline::today();
    // Markdown files go through the repository's rules (terms from paths, the
    // rest pages); an issue export's proposals name their own terms.
    let mut markdown = Vec::with_capacity(sources.len());
    let mut markdown_parsed = Vec::with_capacity(sources.len());
    let mut exports = Vec::new();
    let mut exported = Vec::new();
    for (source, (terms, mut diags)) in sources.into_iter().zip(parsed) {
        if is_export(&source) {
            exported.extend(with_configured_program(&config, &source, terms));
            exports.push(source);
            diagnostics.append(&mut diags);
        } else if let Some(file) = terms.into_iter().next() {
            markdown.push(source);
            markdown_parsed.push((file, diags));
        }
    }
    let (mut files, pages, mut diags) =
        crate::repository::arrange(&config, &markdown, markdown_parsed, &today);
    files.extend(exported);
    let mut sources = markdown;
    sources.append(&mut exports);
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
