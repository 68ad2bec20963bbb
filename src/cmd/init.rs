//! `trellis init [DIR]`: a new site with settings, an example term, a README and
//! GitHub workflows that download this very version of Trellis.
//! `trellis init --issue-forms` adds proposals as GitHub issues: a proposal
//! issue form and the workflow that checks and publishes them.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{Output, EXIT_USAGE};

#[derive(clap::Args, Debug)]
pub struct InitArgs {
    /// Where to create the site (default: the --root directory).
    pub dir: Option<PathBuf>,
    /// Overwrite files that already exist.
    #[arg(long)]
    pub force: bool,
    /// Add a proposal issue form and a workflow that checks proposal issues and
    /// builds the site from them (to an existing site, or with a new one).
    #[arg(long)]
    pub issue_forms: bool,
}

pub fn run(root: &Path, args: &InitArgs, out: &Output) -> ExitCode {
    let dir = args.dir.clone().unwrap_or_else(|| root.to_path_buf());
    let mut files = Vec::new();
    // An existing site gets the issue-form files alone.
    if !(args.issue_forms && dir.join(trellis::config::FILE_NAME).exists()) {
        files.extend(trellis::scaffold::init_files());
    }
    if args.issue_forms {
        // The proposals workflow publishes the site, with the issues; a second
        // workflow publishing it without them would undo each of its runs.
        files.retain(|(p, _)| *p != trellis::scaffold::PAGES_WORKFLOW);
        files.extend(trellis::scaffold::issue_form_files());
    }
    let existing: Vec<&str> = files
        .iter()
        .map(|(p, _)| *p)
        .filter(|p| dir.join(p).exists())
        .collect();
    if !existing.is_empty() && !args.force {
        eprintln!("error: these files exist already in {}: {}\nNothing was written; use --force to overwrite them.", dir.display(), existing.join(", "));
        return ExitCode::from(EXIT_USAGE);
    }
    for (rel, text) in files {
        let path = dir.join(rel);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, text));
        if let Err(e) = written {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::from(EXIT_USAGE);
        }
        out.info(&format!("  created {}", path.display()));
    }
    if args.issue_forms && dir.join(trellis::scaffold::PAGES_WORKFLOW).exists() {
        out.info(&format!(
            "note: .github/workflows/proposals.yml now builds and publishes the site with the proposal issues;\n      remove {} so that a push does not publish it without them.",
            trellis::scaffold::PAGES_WORKFLOW
        ));
        return ExitCode::SUCCESS;
    }
    out.info(&format!(
        "New Trellis site in {}; its README.md says how to add an idea, preview and deploy.\nNext: `trellis serve` to preview it, `trellis check` before every pull request,\nand push to GitHub with Pages set to \"GitHub Actions\" to publish it.",
        dir.display()
    ));
    ExitCode::SUCCESS
}
