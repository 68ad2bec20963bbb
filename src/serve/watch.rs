//! Watching the site's sources: the content directory, `templates/`, `static/`,
//! the issue forms and `trellis.toml`, with notify's native watcher or, with `--poll`, its
//! poller (for network drives, containers and other file systems whose change
//! events never arrive).
//!
//! `trellis.toml` is watched through the root directory, non-recursively,
//! never as a single file: editors that save by writing a new file and
//! renaming it over the old one give it a new inode, which a watch on the file
//! itself would lose after the first save. Which events matter is decided by
//! [`classify`], a pure function; the loop around it only waits and batches.

use crate::util::leftovers::is_leftover;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher as _};

use crate::config::{Config, FILE_NAME};

/// Where a site's sources live, as absolute paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub root: PathBuf,
    pub content: PathBuf,
    pub templates: PathBuf,
    pub static_dir: PathBuf,
    /// The issue forms that exports are read against.
    pub forms: PathBuf,
    pub output: PathBuf,
}

impl Layout {
    pub fn of(root: &Path, config: &Config) -> Layout {
        let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        Layout {
            content: root.join(&config.content_dir),
            templates: root.join("templates"),
            static_dir: root.join("static"),
            forms: root.join(crate::issue_forms::form::FORMS_DIR),
            output: root.join(&config.output_dir),
            root,
        }
    }
}

/// What a batch of changed paths calls for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// Nothing the site is built from.
    Nothing,
    /// Only stylesheets under `static/`: pages can swap them without a reload.
    Stylesheets,
    /// Anything else: rebuild and reload.
    Rebuild,
}

/// Decides what `paths` (as the watcher reports them) call for. Editor swap,
/// backup and lock files, hidden files and the output directory never count.
pub fn classify<'a>(paths: impl IntoIterator<Item = &'a Path>, layout: &Layout) -> Change {
    paths
        .into_iter()
        .map(|p| classify_one(p, layout))
        .max()
        .unwrap_or(Change::Nothing)
}

fn classify_one(path: &Path, layout: &Layout) -> Change {
    if path.starts_with(&layout.output) {
        return Change::Nothing;
    }
    if path == layout.root.join(FILE_NAME) {
        return Change::Rebuild;
    }
    let areas = [
        &layout.content,
        &layout.templates,
        &layout.static_dir,
        &layout.forms,
    ];
    let Some(area) = areas.into_iter().find(|a| path.starts_with(a)) else {
        return Change::Nothing;
    };
    let rel = path.strip_prefix(area).unwrap_or(path);
    let ignored = rel.components().any(|c| match c {
        Component::Normal(name) => is_leftover(&name.to_string_lossy()),
        _ => false,
    });
    if ignored {
        Change::Nothing
    } else if area == &layout.static_dir && path.extension().is_some_and(|e| e == "css") {
        Change::Stylesheets
    } else {
        Change::Rebuild
    }
}

/// How often `--poll` looks at the sources.
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// What the watcher thread is told.
pub(crate) enum Signal {
    Changed(Vec<PathBuf>),
    Stop,
}

/// A notify watcher over a [`Layout`]; directories created after it started
/// (a first `static/`) are added by calling [`SourceWatcher::cover`] again.
///
/// A native watch follows a directory, not its name: once `content/` is
/// replaced by another directory (a branch switch, a delete and restore), the
/// watch stays on the old one and every later save goes unseen. Each watched
/// directory is therefore kept with its identity (device and inode), and one
/// that is now another directory is watched again, with a note to the user.
pub(crate) struct SourceWatcher {
    inner: Box<dyn notify::Watcher + Send>,
    watched: Vec<(PathBuf, Option<Identity>)>,
    /// Directories found replaced, to tell of once they are watched again.
    replaced: Vec<PathBuf>,
}

/// What tells one directory from another put at its path: device and inode.
type Identity = (u64, u64);

#[cfg(unix)]
fn identity(dir: &Path) -> Option<Identity> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(dir).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(_dir: &Path) -> Option<Identity> {
    None
}

impl SourceWatcher {
    pub fn new(poll: bool, tx: Sender<Signal>) -> notify::Result<SourceWatcher> {
        let handler = move |event: notify::Result<notify::Event>| match event {
            Ok(e) if !matches!(e.kind, EventKind::Access(_)) => {
                let _ = tx.send(Signal::Changed(e.paths));
            }
            Ok(_) => {}
            Err(e) => eprintln!("warning: watching for changes: {e}"),
        };
        let inner: Box<dyn notify::Watcher + Send> = if poll {
            // The poller compares modification times in whole seconds, so a save in the
            // same second as the last scan would go unseen: compare contents too.
            let config = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true);
            Box::new(notify::PollWatcher::new(handler, config)?)
        } else {
            Box::new(notify::RecommendedWatcher::new(
                handler,
                notify::Config::default(),
            )?)
        };
        Ok(SourceWatcher {
            inner,
            watched: Vec::new(),
            replaced: Vec::new(),
        })
    }

    /// Watches every source directory of `layout` that exists and is not watched yet.
    pub fn cover(&mut self, layout: &Layout) {
        let wanted = [
            (&layout.root, RecursiveMode::NonRecursive),
            (&layout.content, RecursiveMode::Recursive),
            (&layout.templates, RecursiveMode::Recursive),
            (&layout.static_dir, RecursiveMode::Recursive),
            (&layout.forms, RecursiveMode::NonRecursive),
        ];
        for (dir, mode) in wanted {
            if !dir.is_dir() || self.watched.iter().any(|(d, _)| d == dir) {
                continue;
            }
            match self.inner.watch(dir, mode) {
                Ok(()) => {
                    self.watched.push((dir.clone(), identity(dir)));
                    if let Some(at) = self.replaced.iter().position(|d| d == dir) {
                        self.replaced.remove(at);
                        eprintln!(
                            "note: '{}' was replaced by another directory; watching the new one",
                            crate::diagnostic::terminal_safe(&dir.display().to_string())
                        );
                    }
                }
                Err(e) => eprintln!("warning: cannot watch '{}': {e}", dir.display()),
            }
        }
    }

    /// Forgets directories that were removed or replaced by another, so that
    /// [`SourceWatcher::cover`] watches what is at their path now.
    pub fn forget_missing(&mut self) {
        let (kept, gone): (Vec<_>, Vec<_>) = std::mem::take(&mut self.watched)
            .into_iter()
            .partition(|(dir, id)| dir.is_dir() && identity(dir) == *id);
        self.watched = kept;
        for (dir, _) in gone {
            // The old directory may be gone with its watch already; nothing to undo then.
            let _ = self.inner.unwatch(&dir);
            if dir.is_dir() {
                self.replaced.push(dir);
            }
        }
    }
}

/// Waits for the next burst of changes and returns its paths once `quiet`
/// has passed without another (or after `longest`, for a change that never
/// settles); `None` when told to stop.
pub(crate) fn next_burst(
    rx: &Receiver<Signal>,
    quiet: Duration,
    longest: Duration,
) -> Option<Vec<PathBuf>> {
    let mut paths = match rx.recv() {
        Ok(Signal::Changed(p)) => p,
        Ok(Signal::Stop) | Err(_) => return None,
    };
    let deadline = Instant::now() + longest;
    loop {
        let wait = quiet.min(deadline.saturating_duration_since(Instant::now()));
        if wait.is_zero() {
            return Some(paths);
        }
        match rx.recv_timeout(wait) {
            Ok(Signal::Changed(p)) => paths.extend(p),
            Ok(Signal::Stop) | Err(RecvTimeoutError::Disconnected) => return None,
            Err(RecvTimeoutError::Timeout) => return Some(paths),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Layout {
        Layout::of(Path::new("/site"), &Config::default())
    }

    fn change(paths: &[&str]) -> Change {
        let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
        classify(paths.iter().map(PathBuf::as_path), &layout())
    }

    #[test]
    fn term_files_templates_and_config_rebuild() {
        assert_eq!(change(&["/site/content/2026.md"]), Change::Rebuild);
        assert_eq!(change(&["/site/templates/page.html"]), Change::Rebuild);
        assert_eq!(change(&["/site/trellis.toml"]), Change::Rebuild);
        assert_eq!(change(&["/site/static/logo.svg"]), Change::Rebuild);
        assert_eq!(change(&["/site/static"]), Change::Rebuild);
        assert_eq!(
            change(&["/site/.github/ISSUE_TEMPLATE/proposal.yml"]),
            Change::Rebuild
        );
        assert_eq!(
            change(&["/site/.github/workflows/pages.yml"]),
            Change::Nothing
        );
    }

    #[test]
    fn stylesheets_alone_swap_without_rebuild_of_pages() {
        assert_eq!(change(&["/site/static/css/site.css"]), Change::Stylesheets);
        assert_eq!(
            change(&["/site/static/site.css", "/site/content/a.md"]),
            Change::Rebuild
        );
    }

    #[test]
    fn editor_litter_and_output_are_ignored() {
        for p in [
            "/site/content/.2026.md.swp",
            "/site/content/2026.md.swp",
            "/site/content/2026.md~",
            "/site/content/4913",
            "/site/content/.#2026.md",
            "/site/templates/page.html___jb_tmp___",
            "/site/content/.git/index",
            "/site/public/index.html",
            "/site/README.md",
            "/site/trellis.toml.swp",
            "/elsewhere/trellis.toml",
        ] {
            assert_eq!(change(&[p]), Change::Nothing, "{p}");
        }
        assert_eq!(change(&[]), Change::Nothing);
    }

    #[test]
    fn a_burst_is_one_batch() {
        let (tx, rx) = std::sync::mpsc::channel();
        for i in 0..5 {
            tx.send(Signal::Changed(vec![PathBuf::from(format!("/{i}"))]))
                .unwrap();
        }
        let burst = next_burst(&rx, Duration::from_millis(20), Duration::from_secs(1)).unwrap();
        assert_eq!(burst.len(), 5);
        tx.send(Signal::Stop).unwrap();
        assert!(next_burst(&rx, Duration::from_millis(20), Duration::from_secs(1)).is_none());
    }
}
