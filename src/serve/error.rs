//! Why the dev server could not start, by kind; the command line prints the
//! message. Once started it never fails: a build that fails is served as errors.

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No session directory to build into could be made.
    #[error("cannot create a temporary directory in '{}' to build into: {source}", .parent.display())]
    Scratch {
        parent: PathBuf,
        source: std::io::Error,
    },
    /// The address is taken or not ours to bind.
    #[error("cannot listen on {}:{}: {source}", .addr.ip(), .addr.port())]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot watch the site for changes: {0}")]
    Watch(#[from] notify::Error),
    #[error("cannot start the watcher thread: {0}")]
    Thread(std::io::Error),
}
