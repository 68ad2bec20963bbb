//! `trellis check [FILES…]`: lint term files, for editors and for CI on every pull request.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use trellis::build;
use trellis::diagnostic::Format;

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
    /// The ideas.json of the published site (a file): report which idea
    /// addresses these term files would move or remove.
    #[arg(long, value_name = "IDEAS_JSON")]
    pub previous: Option<String>,
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
    let published = match args
        .previous
        .as_deref()
        .map(trellis::build::redirects::read_published)
    {
        Some(Ok(ideas)) => Some(ideas),
        Some(Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
        None => None,
    };
    let loaded = build::load_site(root, config, &args.files);
    out.diagnostics(&loaded.diagnostics, args.format, &|f| loaded.source_text(f));
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
    if errors > 0 || (args.strict && warnings > 0) {
        ExitCode::from(EXIT_CONTENT)
    } else {
        ExitCode::SUCCESS
    }
}
