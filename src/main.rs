//! The `trellis` command: parses the command line and hands over to `cmd/`.

mod cmd;

use std::process::ExitCode;

use clap::Parser;

/// A build allocates and frees millions of small strings and template values,
/// across threads; mimalloc does that in about half the instructions of glibc's
/// allocator, which a profile showed spending a fifth of a build.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cmd::Cli::parse();
    cmd::run(cli)
}
