//! Subcommands, one file each, sharing the global flags defined here.

mod build;
mod check;
mod init;
mod new;
mod serve;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

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
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut command, "trellis", &mut script);
            write_stdout(&script);
            ExitCode::SUCCESS
        }
    }
}

/// Writes to stdout, taking a closed pipe (`trellis check --format json | head -1`)
/// as the reader having seen enough, the way ripgrep does: no panic, no error
/// message. Any other write error is reported on stderr.
pub fn write_stdout(bytes: &[u8]) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => eprintln!("error: cannot write to stdout: {e}"),
    }
}

/// Says on stderr which published idea addresses move (and get a redirect)
/// and which disappear, for `build --previous` and a pull request's `check --previous`.
/// The published ideas `--previous` names, for `build` and `check` alike; a
/// file that cannot be read is a mistake on the command line (exit 2).
fn read_previous(
    path: Option<&str>,
) -> Result<Option<Vec<trellis::build::redirects::PublishedIdea>>, ExitCode> {
    path.map(trellis::build::redirects::read_published)
        .transpose()
        .map_err(|e| {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_USAGE)
        })
}

fn report_moves(moves: &trellis::build::redirects::Moves, out: &Output) {
    for moved in &moves.moved {
        out.info(&format!("moved: {} → {}", moved.from, moved.to));
    }
    for gone in &moves.gone {
        out.info(&format!(
            "gone: {gone} (no idea of this site matches it; its address will answer 404)"
        ));
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
            eprintln!("{}", diagnostic::terminal_safe(message));
        }
    }

    /// A progress line on stderr, starting with `step`; see [`Progress`].
    pub fn progress(&self, step: &'static str) -> Progress {
        Progress::start(step, !self.quiet && std::io::stderr().is_terminal())
    }

    pub fn info(&self, message: &str) {
        if !self.quiet {
            eprintln!("{}", diagnostic::terminal_safe(message));
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
            write_stdout(text.as_bytes());
        }
    }
}

/// How long work runs before its progress line appears: a build that finishes
/// sooner prints its summary alone, with no flash of a spinner before it.
const PROGRESS_DELAY: Duration = Duration::from_millis(300);

/// A spinner and a count of files written, for builds long enough to wait on.
/// It is drawn only on a terminal (a CI log gets no carriage returns or escape
/// codes), without colour, at most ten times a second, and only once the work
/// has run for [`PROGRESS_DELAY`]. Dropping it clears the line.
pub struct Progress {
    bar: ProgressBar,
    /// Wakes after the delay to start drawing, unless the work ended first.
    reveal: Option<(mpsc::Sender<()>, thread::JoinHandle<()>)>,
}

impl Progress {
    fn start(step: &'static str, drawn: bool) -> Progress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(Self::style("{spinner} {msg}"));
        bar.set_message(step);
        let reveal = drawn.then(|| {
            let (stop, stopped) = mpsc::channel::<()>();
            let bar = bar.clone();
            let waiter = thread::spawn(move || {
                if let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(PROGRESS_DELAY) {
                    bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(10));
                    bar.enable_steady_tick(Duration::from_millis(100));
                }
            });
            (stop, waiter)
        });
        Progress { bar, reveal }
    }

    fn style(template: &str) -> ProgressStyle {
        // The templates are the constants in this file, checked by the tests.
        ProgressStyle::with_template(template).expect("a valid progress template")
    }

    /// Moves on to a step that writes files, shown with their count.
    pub fn counting_files(&self, step: &'static str) {
        self.bar.set_message(step);
        self.bar
            .set_style(Self::style("{spinner} {msg}: {human_pos} files"));
    }

    /// Called by each writer thread with the count so far; a count a little
    /// behind another thread's is harmless, the next one corrects it.
    pub fn files_written(&self, count: usize) {
        self.bar.set_position(count as u64);
    }

    /// Runs `print` with the progress line out of the way, so text printed to
    /// stderr meanwhile does not land in the middle of it.
    pub fn suspend<R>(&self, print: impl FnOnce() -> R) -> R {
        self.bar.suspend(print)
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some((stop, waiter)) = self.reveal.take() {
            drop(stop);
            // The waiter only sleeps and sets up drawing; a panic there leaves
            // nothing to clean up but the line, cleared below either way.
            let _ = waiter.join();
        }
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_off_a_terminal_never_draws() {
        let progress = Progress::start("Reading", false);
        progress.counting_files("Writing");
        progress.files_written(3);
        assert!(progress.bar.is_hidden());
        assert!(progress.reveal.is_none());
    }

    #[test]
    fn progress_ended_before_the_delay_never_draws() {
        let progress = Progress::start("Reading", true);
        let bar = progress.bar.clone();
        drop(progress);
        thread::sleep(PROGRESS_DELAY * 2);
        assert!(bar.is_hidden());
    }
}
