//! One build of the site for the dev server, never into the user's output
//! directory: the first into a fresh directory of the session's temporary
//! directory, and every later one incremental, in place ([`LiveSite`]: only the
//! term files that changed are parsed again, only the pages that show them are
//! rendered again, only the files whose bytes changed are rewritten). A build
//! that fails leaves the served files as they were and says why in
//! diagnostics, printed on the terminal as `trellis build` prints them.
//!
//! Builds go to memory-backed `/dev/shm` where there is one: on ext4, creating
//! thousands of files where others were just deleted costs several times the
//! rendering itself (a 1000-idea site: about 1 s of CPU on tmpfs against 4 s on
//! disk). When `/dev/shm` is missing or full, builds move to the ordinary
//! temporary directory.

use std::collections::{HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::build;
use crate::build::incremental::{Failure, LiveSite};
use crate::config::{Config, FILE_NAME};
use crate::diagnostic::{self, Diagnostic, Format};
use crate::output;

/// How many site directories stay on disk: the one served and the one before,
/// which requests that began just before a switch may still be reading.
const KEPT: usize = 2;

/// What a build gave.
pub(crate) enum Outcome {
    Built {
        /// Canonical, so that served paths can be checked against it.
        dir: PathBuf,
        config: Config,
        took: Duration,
    },
    Failed {
        /// Errors only: warnings do not stop a build and would bury the cause.
        errors: Vec<Diagnostic>,
        /// The configuration, when it could be read.
        config: Option<Config>,
        /// Whether writing failed (rather than loading or rendering): the
        /// build directory may be half updated, and memory may be full.
        write_failed: bool,
    },
}

/// Where builds go first, when it exists: memory, not disk.
const MEMORY_DIR: &str = "/dev/shm";

/// Builds a site root again and again, in place after the first time.
pub(crate) struct Builder {
    root: PathBuf,
    tmp: TempDir,
    /// Whether `tmp` is in [`MEMORY_DIR`], so a failed write may retry on disk.
    in_memory: bool,
    /// Directories given up for a move to disk; they hold builds that may
    /// still be served, so they go only when the server stops.
    retired: Vec<TempDir>,
    /// The site being served and updated; `None` until a first build, and
    /// after a build that left it in a state no rebuild can trust.
    live: Option<LiveSite>,
    count: u64,
    kept: VecDeque<PathBuf>,
    /// Print errors only, as `--quiet` asks.
    quiet: bool,
    /// The warnings of the last build, which the next does not print again.
    warned: HashSet<String>,
}

impl Builder {
    pub fn new(root: &Path, quiet: bool) -> Result<Builder, super::Error> {
        let (tmp, in_memory) = match scratch(Path::new(MEMORY_DIR)) {
            Ok(tmp) => (tmp, true),
            Err(_) => (scratch(&std::env::temp_dir())?, false),
        };
        Ok(Builder {
            root: root.to_path_buf(),
            tmp,
            in_memory,
            retired: Vec::new(),
            live: None,
            count: 0,
            kept: VecDeque::new(),
            quiet,
            warned: HashSet::new(),
        })
    }

    /// Runs the pipeline once; when writing to memory fails (it is full), once
    /// more on disk, where every later build goes too.
    pub fn build(&mut self) -> Outcome {
        let outcome = self.build_once();
        let write_failed = matches!(
            &outcome,
            Outcome::Failed {
                write_failed: true,
                ..
            }
        );
        if !(write_failed && self.in_memory) {
            return outcome;
        }
        match scratch(&std::env::temp_dir()) {
            Ok(disk) => {
                eprintln!(
                    "note: cannot build in {MEMORY_DIR}; building in {} from now on",
                    disk.path().display()
                );
                self.retired.push(std::mem::replace(&mut self.tmp, disk));
                self.in_memory = false;
                self.live = None;
                self.build_once()
            }
            Err(_) => outcome,
        }
    }

    /// Runs the pipeline once. A panic in a stage is reported as a failed
    /// build, so that one bad render does not end the server.
    fn build_once(&mut self) -> Outcome {
        let live = match self.live.take() {
            Some(live) => live,
            None => {
                self.count += 1;
                let dir = self.tmp.path().join(format!("site-{}", self.count));
                match LiveSite::create(&dir) {
                    Ok(live) => {
                        self.kept.push_back(dir);
                        live
                    }
                    Err(e) => {
                        let d = Diagnostic::error(
                            WRITE_FAILED,
                            &dir.display().to_string(),
                            0,
                            0,
                            e.to_string(),
                        );
                        return failed(d, None, true);
                    }
                }
            }
        };
        let (root, quiet, warned) = (self.root.clone(), self.quiet, &mut self.warned);
        // A panic leaves `warned` as it was or fully replaced; either is a valid
        // set. The live site it interrupted is dropped: its state is unknown.
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
            let mut live = live;
            let outcome = build_into(&root, &mut live, quiet, warned);
            (outcome, live)
        }));
        match outcome {
            Ok((outcome, live)) => {
                let trusted = !matches!(
                    &outcome,
                    Outcome::Failed {
                        write_failed: true,
                        ..
                    }
                );
                if trusted {
                    self.live = Some(live);
                }
                outcome
            }
            Err(panic) => {
                let what = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "unknown panic".into());
                failed(
                    Diagnostic::error(
                        "build-panicked",
                        &self.root.display().to_string(),
                        0,
                        0,
                        format!("the build stopped on an internal error: {what}"),
                    )
                    .with_help(
                        "this is a bug in Trellis; please report it with the file that triggers it",
                    ),
                    None,
                    false,
                )
            }
        }
    }

    /// Removes site directories that no request can be reading any more.
    pub fn prune(&mut self) {
        while self.kept.len() > KEPT {
            if let Some(old) = self.kept.pop_front() {
                if let Err(e) = output::remove_own_dir(&old) {
                    eprintln!("warning: cannot remove '{}': {e}", old.display());
                }
            }
        }
    }
}

fn build_into(
    root: &Path,
    live: &mut LiveSite,
    quiet: bool,
    warned: &mut HashSet<String>,
) -> Outcome {
    let started = Instant::now();
    let config = match build::load_config(root) {
        Ok(config) => config,
        Err(d) => {
            print_diagnostics(std::slice::from_ref(&d), &|_| {
                std::fs::read_to_string(root.join(FILE_NAME)).ok()
            });
            return Outcome::Failed {
                errors: vec![d],
                config: None,
                write_failed: false,
            };
        }
    };
    let loaded = live.load(root, config);
    let shown = worth_printing(&loaded.diagnostics, quiet, warned);
    print_diagnostics(&shown, &|f| loaded.source_text(f));
    if loaded.has_errors() {
        let errors = loaded
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        return Outcome::Failed {
            errors,
            config: Some(loaded.config),
            write_failed: false,
        };
    }
    match live.write(root, &loaded) {
        Ok(_) => Outcome::Built {
            dir: live
                .dir()
                .canonicalize()
                .unwrap_or_else(|_| live.dir().to_path_buf()),
            config: loaded.config,
            took: started.elapsed(),
        },
        Err(failure) => {
            let (code, write_failed) = match failure {
                Failure::Render(_) => (RENDER_FAILED, false),
                Failure::Write(_) => (WRITE_FAILED, true),
            };
            let d = Diagnostic::error(
                code,
                &live.dir().display().to_string(),
                0,
                0,
                failure.to_string(),
            );
            failed(d, Some(loaded.config), write_failed)
        }
    }
}

/// What to print of a build's diagnostics: every error, and the warnings the
/// previous build did not have (none with `--quiet`), so that a save prints
/// what it changed instead of every warning of the site again.
fn worth_printing(
    diags: &[Diagnostic],
    quiet: bool,
    warned: &mut HashSet<String>,
) -> Vec<Diagnostic> {
    let key = |d: &Diagnostic| format!("{}\0{}\0{}\0{}", d.file, d.line, d.code, d.message);
    let shown = diags
        .iter()
        .filter(|d| d.is_error() || (!quiet && !warned.contains(&key(d))))
        .cloned()
        .collect();
    *warned = diags.iter().filter(|d| !d.is_error()).map(key).collect();
    shown
}

/// The code of a build that was rendered but could not be written.
const WRITE_FAILED: &str = "write-failed";
/// The code of a build whose pages could not be rendered (a template error, a broken link).
const RENDER_FAILED: &str = "render-failed";

/// What every session directory's name starts with; the process id follows.
const SESSION_PREFIX: &str = "trellis-serve-";

/// A fresh session directory under `parent`, named with this process's id,
/// after removing those of dev servers that are no longer running: a server
/// killed outright cannot remove its own, and in `/dev/shm` each would hold
/// a whole built site in memory until the machine restarts.
fn scratch(parent: &Path) -> Result<TempDir, super::Error> {
    clear_dead_sessions(parent);
    tempfile::Builder::new()
        .prefix(&format!("{SESSION_PREFIX}{}-", std::process::id()))
        .tempdir_in(parent)
        .map_err(|source| super::Error::Scratch {
            parent: parent.to_path_buf(),
            source,
        })
}

/// Removes the session directories in `parent` whose server process is gone.
/// Best effort: one that cannot be removed now is tried again next start.
fn clear_dead_sessions(parent: &Path) {
    for ((), dir) in output::orphans(parent, |name| Some(((), session_pid(name)?))) {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// The process id in a session directory's name (`trellis-serve-<pid>-<random>`).
fn session_pid(name: &str) -> Option<u32> {
    let (pid, random) = name.strip_prefix(SESSION_PREFIX)?.split_once('-')?;
    if random.is_empty() {
        return None;
    }
    pid.parse().ok()
}

/// A build that failed on one problem outside the term files, printed here.
fn failed(d: Diagnostic, config: Option<Config>, write_failed: bool) -> Outcome {
    print_diagnostics(std::slice::from_ref(&d), &|_| None);
    Outcome::Failed {
        errors: vec![d],
        config,
        write_failed,
    }
}

/// Prints diagnostics the way `trellis build` does, in color on a terminal.
fn print_diagnostics(diags: &[Diagnostic], source_of: &dyn Fn(&str) -> Option<String>) {
    if diags.is_empty() {
        return;
    }
    let color = std::env::var_os("NO_COLOR").is_none()
        && std::io::IsTerminal::is_terminal(&std::io::stderr());
    eprint!(
        "{}",
        diagnostic::render(diags, Format::Human, color, source_of)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_directories_are_told_by_their_process_id() {
        assert_eq!(session_pid("trellis-serve-4242-a1B2c3"), Some(4242));
        assert_eq!(session_pid("trellis-serve-4242-"), None);
        assert_eq!(session_pid("trellis-serve-a1B2c3"), None);
        assert_eq!(session_pid("trellis-serve-x-a1"), None);
        assert_eq!(session_pid("other-4242-a1"), None);
    }

    #[test]
    fn sessions_of_dead_servers_are_removed_and_others_kept() {
        let parent = tempfile::tempdir().unwrap();
        // Process ids are below 2^22 on Linux: this one cannot be running.
        let dead = parent.path().join(format!("{SESSION_PREFIX}4294967-abc"));
        let alive = parent
            .path()
            .join(format!("{SESSION_PREFIX}{}-abc", std::process::id()));
        let unrelated = parent.path().join("trellis-serve-notes");
        for dir in [&dead, &alive, &unrelated] {
            std::fs::create_dir_all(dir.join("site")).unwrap();
        }
        clear_dead_sessions(parent.path());
        assert!(!dead.exists());
        assert!(alive.exists());
        assert!(unrelated.exists());
    }

    #[test]
    fn rebuilds_print_errors_always_and_warnings_once() {
        let warning = Diagnostic::warning("missing-outcome", "a.md", 3, 1, "no outcome");
        let error = Diagnostic::error("front-matter-invalid", "a.md", 2, 9, "bad");
        let mut warned = HashSet::new();
        let both = [warning.clone(), error.clone()];
        assert_eq!(worth_printing(&both, false, &mut warned).len(), 2);
        assert_eq!(
            worth_printing(&both, false, &mut warned),
            vec![error.clone()]
        );
        let moved = Diagnostic { line: 4, ..warning };
        assert_eq!(
            worth_printing(std::slice::from_ref(&moved), false, &mut warned),
            vec![moved]
        );
        assert_eq!(
            worth_printing(&both, true, &mut HashSet::new()),
            vec![error]
        );
    }
}
