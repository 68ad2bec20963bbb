//! `trellis init [DIR]`: a new site with settings, an example term, a README and
//! GitHub workflows that download this very version of Trellis.

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
}

pub fn run(root: &Path, args: &InitArgs, out: &Output) -> ExitCode {
    let dir = args.dir.clone().unwrap_or_else(|| root.to_path_buf());
    let files = trellis::scaffold::init_files();
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
    out.info(&format!(
        "New Trellis site in {}; its README.md says how to add an idea, preview and deploy.\nNext: `trellis serve` to preview it, `trellis check` before every pull request,\nand push to GitHub with Pages set to \"GitHub Actions\" to publish it.",
        dir.display()
    ));
    ExitCode::SUCCESS
}
