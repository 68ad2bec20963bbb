//! Subcommands, one file each, sharing the global flags defined here.

mod build;
mod check;
mod init;
mod new;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use trellis::diagnostic::{self, Diagnostic, Format};

/// Exit codes: 0 ok, 1 content errors (or warnings with --strict), 2 usage or configuration errors.
pub const EXIT_CONTENT: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "trellis",
    version,
    about = "A static site generator for mentorship project-ideas portals",
    after_help = "Examples:\n  trellis init my-portal          create a site with an example term and GitHub workflows\n  trellis serve                   preview it at http://127.0.0.1:1111/ with live reload\n  trellis check --format github   lint every proposal, as annotations in GitHub Actions\n  trellis build                   write the site to public/\n\nExit codes: 0 ok, 1 content errors (or warnings with --strict), 2 usage or configuration errors."
)]
pub struct Cli {
    /// The site root: where trellis.toml and content/ live.
    #[arg(long, global = true, default_value = ".")]
    pub root: PathBuf,
    /// Print only errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Print more about what happens.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site into the output directory (default: public/).
    Build(build::BuildArgs),
    /// Check term files and report problems at their file and line.
    Check(check::CheckArgs),
    /// Serve the site locally under its base path, rebuilding and reloading on every save.
    Serve(serve::ServeArgs),
    /// Create a new site: trellis.toml, an example term and GitHub Pages workflows.
    #[command(after_help = "Example:\n  trellis init my-portal")]
    Init(init::InitArgs),
    /// Add something to the content (an idea skeleton).
    #[command(subcommand)]
    New(new::NewKind),
    /// Print a shell completion script.
    #[command(
        after_help = "Example:\n  trellis completions bash > ~/.local/share/bash-completion/completions/trellis"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

pub fn run(cli: Cli) -> ExitCode {
    let out = Output {
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
    match &cli.command {
        Command::Build(args) => build::run(&cli.root, args, &out),
        Command::Check(args) => check::run(&cli.root, args, &out),
        Command::Serve(args) => serve::run(&cli.root, args, &out),
        Command::Init(args) => init::run(&cli.root, args, &out),
        Command::New(kind) => new::run(kind, &out),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut command, "trellis", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
    }
}

/// How much to print, shared by every command.
pub struct Output {
    pub quiet: bool,
    pub verbose: bool,
}

impl Output {
    /// Printed only with --verbose.
    pub fn detail(&self, message: &str) {
        if self.verbose && !self.quiet {
            eprintln!("{message}");
        }
    }

    pub fn info(&self, message: &str) {
        if !self.quiet {
            eprintln!("{message}");
        }
    }

    /// Prints diagnostics to stderr; warnings are left out with --quiet.
    pub fn diagnostics(
        &self,
        diags: &[Diagnostic],
        format: Format,
        source_of: &dyn Fn(&str) -> Option<String>,
    ) {
        let shown: Vec<Diagnostic> = diags
            .iter()
            .filter(|d| d.is_error() || !self.quiet)
            .cloned()
            .collect();
        if shown.is_empty() && format != Format::Json {
            return;
        }
        let color = format == Format::Human
            && std::env::var_os("NO_COLOR").is_none()
            && std::io::IsTerminal::is_terminal(&std::io::stderr());
        let text = diagnostic::render(&shown, format, color, source_of);
        if format == Format::Human {
            eprint!("{text}");
        } else {
            print!("{text}");
        }
    }
}
