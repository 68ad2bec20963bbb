//! The `trellis` command: parses the command line and hands over to `cmd/`.

mod allocator;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    allocator::configure();
    let cli = cmd::Cli::parse();
    cmd::run(cli)
}
