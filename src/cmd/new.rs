//! `trellis new idea`: append a well-formed idea skeleton to a term file.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use super::{Output, EXIT_USAGE};

#[derive(Subcommand, Debug)]
pub enum NewKind {
    /// Add an idea skeleton under its organization's heading (created if missing).
    #[command(
        after_help = "Example:\n  trellis new idea --term content/2026-term-3.md --org Prometheus --title \"Faster WAL replay\""
    )]
    Idea {
        /// The term file to add the idea to.
        #[arg(long)]
        term: PathBuf,
        /// The organization heading to put it under.
        #[arg(long)]
        org: String,
        /// The idea's title.
        #[arg(long)]
        title: String,
    },
}

pub fn run(kind: &NewKind, out: &Output) -> ExitCode {
    let NewKind::Idea { term, org, title } = kind;
    let text = match std::fs::read_to_string(term) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", term.display());
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let (updated, line) = trellis::scaffold::insert_idea(&text, org, title);
    if let Err(e) = std::fs::write(term, updated) {
        eprintln!("error: cannot write {}: {e}", term.display());
        return ExitCode::from(EXIT_USAGE);
    }
    super::write_stdout(format!("{}:{line}\n", term.display()).as_bytes());
    out.info("Fill in the fields, then run `trellis check`.");
    ExitCode::SUCCESS
}
