//! `trellis check [FILES…]`: lint term files, for editors and for CI on every pull request.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use trellis::diagnostic::{Diagnostic, Format};
use trellis::{build, changes};

use super::{Output, EXIT_CONTENT, EXIT_USAGE};

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Term files to check (default: every file under the content directory).
    pub files: Vec<PathBuf>,
    /// How to print problems: human, github (Actions annotations) or json.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Fail on warnings too.
    #[arg(long)]
    pub strict: bool,
    /// Summarize the ideas added, changed and removed since this `ideas.json`
    /// (the site before a pull request), with their problems, in markdown.
    #[arg(long, value_name = "IDEAS_JSON", conflicts_with = "files")]
    pub summary_against: Option<PathBuf>,
    /// Append that summary to this file (in GitHub Actions: "$GITHUB_STEP_SUMMARY")
    /// instead of printing it.
    #[arg(long, value_name = "FILE", requires = "summary_against")]
    pub summary_file: Option<PathBuf>,
}

pub fn run(root: &Path, args: &CheckArgs, out: &Output) -> ExitCode {
    let config = match build::load_config(root) {
        Ok(c) => c,
        Err(d) => {
            out.diagnostics(&[d], args.format, &|f| {
                std::fs::read_to_string(root.join(f)).ok()
            });
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let before = match &args.summary_against {
        None => None,
        Some(path) => match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|text| changes::Before::from_json(&text).map_err(|e| e.to_string()))
        {
            Ok(before) => Some(before),
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", path.display());
                return ExitCode::from(EXIT_USAGE);
            }
        },
    };
    let loaded = build::load_site(root, config, &args.files);
    if args.format == Format::Github {
        let content = root.join(&loaded.config.content_dir);
        out.diagnostics(
            &from_repository_root(&loaded.diagnostics, &content),
            args.format,
            &|_| None,
        );
    } else {
        out.diagnostics(&loaded.diagnostics, args.format, &|f| loaded.source_text(f));
    }
    let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = loaded.diagnostics.len() - errors;
    if args.format == Format::Human {
        out.info(&format!(
            "Checked {} term files: {} ideas, {} errors, {} warnings",
            loaded.sources.len(),
            loaded.site.ideas.len(),
            errors,
            warnings
        ));
    }
    if let Some(before) = &before {
        let text = changes::summary(before, &loaded.site.ideas, &loaded.diagnostics);
        if let Err(e) = write_summary(args.summary_file.as_deref(), &text) {
            eprintln!("error: cannot write the summary: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    }
    if errors > 0 || (args.strict && warnings > 0) {
        ExitCode::from(EXIT_CONTENT)
    } else {
        ExitCode::SUCCESS
    }
}

/// Appends the summary to `file` (a job summary collects every step's), or
/// prints it when no file is named.
fn write_summary(file: Option<&Path>, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    match file {
        Some(path) => std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?
            .write_all(text.as_bytes()),
        None => std::io::stdout().lock().write_all(text.as_bytes()),
    }
}

/// The diagnostics with files named from the working directory (the repository
/// root in a workflow) instead of from the content directory: GitHub shows an
/// annotation on a pull request's changed lines only when its path is the one
/// in the repository. A diagnostic about something else than a term file (the
/// content directory itself) keeps its name.
fn from_repository_root(diags: &[Diagnostic], content: &Path) -> Vec<Diagnostic> {
    diags
        .iter()
        .map(|d| {
            let path = content.join(&d.file);
            if !path.is_file() {
                return d.clone();
            }
            let cwd = std::env::current_dir().unwrap_or_default();
            let path = path
                .strip_prefix(&cwd)
                .or_else(|_| path.strip_prefix("."))
                .unwrap_or(&path);
            Diagnostic {
                file: path.to_string_lossy().replace('\\', "/"),
                ..d.clone()
            }
        })
        .collect()
}
