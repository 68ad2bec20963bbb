//! `trellis check [FILES…]`: lint term files, for editors and for CI on every pull request.
//! `trellis check --issue-body FILE`: check one proposal issue's body against
//! the site's issue form, for a workflow that answers on the issue.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use trellis::diagnostic::{Diagnostic, Format, Severity};
use trellis::{build, changes, issue_forms};

use super::{Output, EXIT_CONTENT, EXIT_USAGE};

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Term files to check (default: every file under the content directory).
    pub files: Vec<PathBuf>,
    /// How to print problems: human, github (Actions annotations), json, or
    /// markdown (a comment to post on the issue, with --issue-body).
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Fail on warnings too.
    #[arg(long)]
    pub strict: bool,
    /// The ideas.json of the published site (a file): report which idea
    /// addresses these term files would move or remove.
    #[arg(long, value_name = "IDEAS_JSON")]
    pub previous: Option<String>,
    /// Check one GitHub issue body (a file, or `-` for standard input) against
    /// the site's proposal issue form instead of the term files.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["files", "summary_against"])]
    pub issue_body: Option<PathBuf>,
    /// Summarize the ideas added, changed and removed since this `ideas.json`
    /// (the site before a pull request), with their problems, in markdown.
    #[arg(long, value_name = "IDEAS_JSON", conflicts_with = "files")]
    pub summary_against: Option<PathBuf>,
    /// Append that summary to this file (in GitHub Actions: "$GITHUB_STEP_SUMMARY")
    /// instead of printing it.
    #[arg(long, value_name = "FILE", requires = "summary_against")]
    pub summary_file: Option<PathBuf>,
}

fn check_issue_body(root: &Path, path: &Path, args: &CheckArgs, out: &Output) -> ExitCode {
    let (name, read) = if path == Path::new("-") {
        let mut bytes = Vec::new();
        let read = std::io::stdin().read_to_end(&mut bytes).map(|_| bytes);
        ("issue body".to_string(), read)
    } else {
        (path.display().to_string(), std::fs::read(path))
    };
    let body = match read.map(trellis::load::decode) {
        Ok(Ok(body)) => body,
        Ok(Err(_)) => {
            eprintln!("error: {name} is not UTF-8 text");
            return ExitCode::from(EXIT_USAGE);
        }
        Err(e) => {
            eprintln!("error: cannot read {name}: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let config = match build::load_config(root) {
        Ok(c) => c,
        Err(d) => {
            out.diagnostics(&[d], args.format, &|f| {
                std::fs::read_to_string(root.join(f)).ok()
            });
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let (forms, form_diags) = issue_forms::load_forms(root);
    if form_diags.iter().any(|d| d.is_error()) {
        out.diagnostics(&form_diags, Format::Human, &|f| {
            std::fs::read_to_string(root.join(f)).ok()
        });
        return ExitCode::from(EXIT_USAGE);
    }
    let labels = config.parse_context().labels;
    let problems = issue_forms::report::check_body(&body, &forms, &labels);
    if args.format == Format::Markdown {
        print!("{}", issue_forms::report::markdown(&problems));
    } else {
        let diags = issue_forms::report::diagnostics(&problems, &name);
        out.diagnostics(&diags, args.format, &|_| Some(body.clone()));
    }
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    if args.format == Format::Human {
        out.info(&format!(
            "Checked {name}: {errors} errors, {warnings} warnings"
        ));
    }
    if errors > 0 || (args.strict && warnings > 0) {
        ExitCode::from(EXIT_CONTENT)
    } else {
        ExitCode::SUCCESS
    }
}

pub fn run(root: &Path, args: &CheckArgs, out: &Output) -> ExitCode {
    if let Some(path) = &args.issue_body {
        return check_issue_body(root, path, args, out);
    }
    let config = match build::load_config(root) {
        Ok(c) => c,
        Err(d) => {
            out.diagnostics(&[d], args.format, &|f| {
                std::fs::read_to_string(root.join(f)).ok()
            });
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let published = match super::read_previous(args.previous.as_deref()) {
        Ok(published) => published,
        Err(code) => return code,
    };
    let before = match &args.summary_against {
        None => None,
        Some(path) => match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|text| {
                // Parts are named relative to `ideas.json`, as on the site.
                let dir = path.parent().unwrap_or(std::path::Path::new(""));
                changes::Before::from_json(&text, |file| std::fs::read_to_string(dir.join(file)))
                    .map_err(|e| e.to_string())
            }) {
            Ok(before) => Some(before),
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", path.display());
                return ExitCode::from(EXIT_USAGE);
            }
        },
    };
    let mut loaded = build::load_site(root, config, &args.files);
    // Rendering needs the whole site, and a site that does not parse is refused already.
    if args.files.is_empty() && !loaded.has_errors() {
        if let Err(e) = build::check_rendered(root, &loaded) {
            let site = loaded.content_dir.display().to_string();
            loaded.diagnostics.push(
                Diagnostic::error("render-failed", &site, 0, 0, e.to_string())
                    .with_help("`trellis build` refuses this site for the same reason"),
            );
        }
    }
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
    if let Some(published) = &published {
        // Checking some files only: the other terms' ideas are not missing.
        let checked: Vec<trellis::build::redirects::PublishedIdea> = published
            .iter()
            .filter(|p| args.files.is_empty() || loaded.site.terms.iter().any(|t| t.id == p.term))
            .cloned()
            .collect();
        super::report_moves(
            &trellis::build::redirects::moves(&checked, &loaded.site),
            out,
        );
    }
    for source in &loaded.sources {
        out.detail(&shape_summary(&source.rel, &loaded.site.ideas));
    }
    let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = loaded.diagnostics.iter().filter(|d| d.is_warning()).count();
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
        // On a terminal, proposal text must not bring its escape sequences along.
        None => std::io::stdout()
            .lock()
            .write_all(trellis::diagnostic::terminal_safe(text).as_bytes()),
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

/// One line per file for `--verbose`: how many ideas it gave, in which shapes, so
/// an author sees at once a file that was read in the wrong shape or not at all.
fn shape_summary(file: &str, ideas: &[trellis::model::Idea]) -> String {
    let mut shapes: Vec<(&'static str, usize)> = Vec::new();
    for idea in ideas.iter().filter(|i| i.source.file == file) {
        let name = idea.shape.as_str();
        match shapes.iter_mut().find(|(s, _)| *s == name) {
            Some((_, n)) => *n += 1,
            None => shapes.push((name, 1)),
        }
    }
    let total: usize = shapes.iter().map(|(_, n)| n).sum();
    let detail = shapes
        .iter()
        .map(|(s, n)| format!("{n} in {s}"))
        .collect::<Vec<_>>()
        .join(", ");
    let plural = if total == 1 { "" } else { "s" };
    if detail.is_empty() {
        format!("{file}: 0 ideas")
    } else {
        format!("{file}: {total} idea{plural} ({detail})")
    }
}
