//! `trellis serve`: the site on a local HTTP server, rebuilt on every save.
//!
//! The site is served under its base path, exactly as GitHub Pages will serve
//! it, so that a link that forgets the base path breaks here first. Three kinds
//! of thread share one [`Served`] value behind a lock:
//!
//! - connection threads ([`listen`]), one per client, read its request
//!   ([`request`]) and answer from the site directory the value names ([`http`]);
//! - the watcher ([`watch`]) batches file events into one rebuild
//!   ([`rebuild`]) into a fresh temporary directory, then swaps the value;
//! - event streams ([`reload`]) tell open pages to reload, only after the
//!   swap, so a page never reloads into a half-written site.
//!
//! A failed rebuild swaps in only its diagnostics: the last good site stays
//! served, and open pages show them over it ([`overlay`]).

mod error;
mod http;
mod listen;
mod overlay;
mod rebuild;
mod reload;
mod request;
pub mod route;
pub mod watch;

pub use error::Error;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, RwLock};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::diagnostic::Diagnostic;

use listen::Listener;
pub use listen::{MAX_CONNECTIONS, MAX_STREAMS};
use rebuild::{Builder, Outcome};
use reload::Reload;
use watch::{Change, Layout, Signal, SourceWatcher};

/// How long the sources must be quiet before a burst of saves is rebuilt.
const QUIET: Duration = Duration::from_millis(40);
/// A change that never settles (a long copy) is rebuilt after this anyway.
const LONGEST_BURST: Duration = Duration::from_secs(2);

/// How to serve.
#[derive(Debug, Clone)]
pub struct Options {
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Poll the file system instead of waiting for change events.
    pub poll: bool,
    /// Print only errors.
    pub quiet: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 0,
            poll: false,
            quiet: false,
        }
    }
}

/// What the connections are answered from, replaced whole after each build.
#[derive(Debug, Clone)]
pub(crate) struct Served {
    /// The base path, `/` or `/name/`.
    pub base: String,
    /// The last good build (canonical); `None` until a build succeeds.
    pub site: Option<PathBuf>,
    /// Names the last good build; unique across server restarts too, so a
    /// page that reconnects to a new server knows it is out of date.
    pub build: String,
    /// Errors of the last build when it failed, else empty.
    pub failures: Vec<Diagnostic>,
}

/// A running dev server; it stops when [`Server::stop`]ped or dropped.
pub struct Server {
    listener: Listener,
    served: Arc<RwLock<Arc<Served>>>,
    reload: Arc<Reload>,
    watcher_tx: Sender<Signal>,
    watcher: Option<JoinHandle<()>>,
}

impl Server {
    /// Builds the site at `root`, starts serving it and watching its sources.
    /// A site that fails to build still starts, serving its errors.
    pub fn start(root: &Path, options: Options) -> Result<Server, Error> {
        let session = session_tag();
        let mut builder = Builder::new(root, options.quiet)?;
        let first = builder.build();
        let (served, config) = match first {
            Outcome::Built { dir, config, took } => {
                if !options.quiet {
                    eprintln!("Built the site in {} ms", took.as_millis());
                }
                let served = Served {
                    base: config.base_path(),
                    site: Some(dir),
                    build: format!("{session}-1"),
                    failures: Vec::new(),
                };
                (served, config)
            }
            Outcome::Failed { errors, config, .. } => {
                eprintln!("error: the site could not be built; serving the errors until it can");
                let config = config.unwrap_or_default();
                let served = Served {
                    base: config.base_path(),
                    site: None,
                    build: format!("{session}-0"),
                    failures: errors,
                };
                (served, config)
            }
        };
        let served = Arc::new(RwLock::new(Arc::new(served)));
        let reload = Arc::new(Reload::new(served.clone()));
        let listener = {
            let serving = http::Serving::new(served.clone(), reload.clone(), options.bind);
            let addr = SocketAddr::new(options.bind, options.port);
            Listener::start(addr, move |connection| http::serve(connection, &serving))
                .map_err(|source| Error::Listen { addr, source })?
        };

        let (watcher_tx, watcher_rx) = mpsc::channel();
        let mut sources = SourceWatcher::new(options.poll, watcher_tx.clone())?;
        let layout = Layout::of(root, &config);
        sources.cover(&layout);
        let watch_loop = WatchLoop {
            root: root.to_path_buf(),
            session,
            builds: 1,
            layout,
            sources,
            builder,
            served: served.clone(),
            reload: reload.clone(),
            quiet: options.quiet,
            poll: options.poll,
        };
        let watcher = std::thread::Builder::new()
            .name("trellis-watch".into())
            .spawn(move || watch_loop.run(&watcher_rx))
            .map_err(Error::Thread)?;

        Ok(Server {
            listener,
            served,
            reload,
            watcher_tx,
            watcher: Some(watcher),
        })
    }

    /// The address of the site, with its base path (`http://127.0.0.1:4000/trellis/`).
    pub fn url(&self) -> String {
        format!(
            "http://{}{}",
            self.listener.addr(),
            reload::current(&self.served).base
        )
    }

    /// The directory of the build being served, inside the session's
    /// temporary directory; `None` while no build has succeeded.
    pub fn site_dir(&self) -> Option<PathBuf> {
        reload::current(&self.served).site.clone()
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.listener.addr()
    }

    /// Stops serving and watching, and removes the temporary builds.
    pub fn stop(self) {
        drop(self);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.listener.stop();
        self.reload.close();
        let _ = self.watcher_tx.send(Signal::Stop);
        if let Some(watcher) = self.watcher.take() {
            // The watcher thread owns the temporary directory: joining it removes the builds.
            let _ = watcher.join();
        }
    }
}

/// The watcher thread's state: rebuilds after each burst of changes.
struct WatchLoop {
    root: PathBuf,
    session: String,
    builds: u64,
    layout: Layout,
    sources: SourceWatcher,
    builder: Builder,
    served: Arc<RwLock<Arc<Served>>>,
    reload: Arc<Reload>,
    quiet: bool,
    poll: bool,
}

impl WatchLoop {
    fn run(mut self, rx: &mpsc::Receiver<Signal>) {
        // A poller sees a save only at its next scan, and an editor's save
        // (a temporary file, then a rename) can straddle two scans.
        let quiet = if self.poll {
            QUIET + watch::POLL_INTERVAL
        } else {
            QUIET
        };
        while let Some(paths) = watch::next_burst(rx, quiet, LONGEST_BURST) {
            self.sources.forget_missing();
            self.sources.cover(&self.layout);
            let change = watch::classify(paths.iter().map(PathBuf::as_path), &self.layout);
            if change == Change::Nothing {
                continue;
            }
            self.rebuild(change, &paths);
        }
    }

    fn rebuild(&mut self, change: Change, paths: &[PathBuf]) {
        let before = reload::current(&self.served);
        match self.builder.build() {
            Outcome::Built { dir, config, took } => {
                self.builds += 1;
                self.layout = Layout::of(&self.root, &config);
                self.sources.cover(&self.layout);
                let now = Served {
                    base: config.base_path(),
                    site: Some(dir),
                    build: format!("{}-{}", self.session, self.builds),
                    failures: Vec::new(),
                };
                let css_only = change == Change::Stylesheets
                    && before.failures.is_empty()
                    && before.site.is_some()
                    && before.base == now.base;
                let data = reload::build_json(&now.build);
                self.swap(now);
                let name = if css_only { "css" } else { "reload" };
                self.reload.broadcast(&reload::event(name, &data));
                self.builder.prune();
                if !self.quiet {
                    eprintln!(
                        "Rebuilt in {} ms ({})",
                        took.as_millis(),
                        crate::diagnostic::terminal_safe(&what_changed(&self.root, paths))
                    );
                }
            }
            Outcome::Failed { errors, .. } => {
                let now = Served {
                    failures: errors,
                    ..(*before).clone()
                };
                let event = reload::error_event(&now);
                self.swap(now);
                self.reload.broadcast(&event);
                eprintln!("error: the rebuild failed; the last good site is still served");
            }
        }
    }

    fn swap(&self, now: Served) {
        *self.served.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(now);
    }
}

/// The first changed path, relative to the root, for the terminal.
fn what_changed(root: &Path, paths: &[PathBuf]) -> String {
    let root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let first = paths
        .first()
        .map(|p| p.strip_prefix(&root).unwrap_or(p).display().to_string())
        .unwrap_or_default();
    match paths.len() {
        0 | 1 => first,
        n => format!("{first} and {} more", n - 1),
    }
}

/// Distinguishes this server's builds from those of an earlier run.
fn session_tag() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{:x}{:x}", std::process::id(), nanos % (1 << 40))
}
