//! `trellis check [FILES…]`: lint term files, for editors and for CI on every pull request.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use trellis::diagnostic::Format;
use trellis::pipeline;

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
}

pub fn run(root: &Path, args: &CheckArgs, out: &Output) -> ExitCode {
    let config = match pipeline::load_config(root) {
        Ok(c) => c,
        Err(d) => {
            out.diagnostics(&[d], args.format, &|f| {
                std::fs::read_to_string(root.join(f)).ok()
            });
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let loaded = pipeline::load_site(root, config, &args.files);
    out.diagnostics(&loaded.diagnostics, args.format, &|f| loaded.source_text(f));
    for source in &loaded.sources {
        out.detail(&shape_summary(&source.rel, &loaded.site.ideas));
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
