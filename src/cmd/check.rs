//! `trellis check [FILES…]`: lint term files, for editors and for CI on every pull request.
//! `trellis check --issue-body FILE`: check one proposal issue's body against
//! the site's issue form, for a workflow that answers on the issue.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use trellis::build;
use trellis::diagnostic::{Format, Severity};
use trellis::issue_forms;

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
    /// Check one GitHub issue body (a file, or `-` for standard input) against
    /// the site's proposal issue form instead of the term files.
    #[arg(long, value_name = "FILE", conflicts_with = "files")]
    pub issue_body: Option<PathBuf>,
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
    let loaded = build::load_site(root, config, &args.files);
    out.diagnostics(&loaded.diagnostics, args.format, &|f| loaded.source_text(f));
    let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    if args.format == Format::Human {
        out.info(&format!(
            "Checked {} term files: {} ideas, {} errors, {} warnings",
            loaded.sources.len(),
            loaded.site.ideas.len(),
            errors,
            warnings
        ));
    }
    if errors > 0 || (args.strict && warnings > 0) {
        ExitCode::from(EXIT_CONTENT)
    } else {
        ExitCode::SUCCESS
    }
}
