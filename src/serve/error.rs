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
    #[error("cannot listen on {}:{}: {source}{}", .addr.ip(), .addr.port(), in_use_hint(.source))]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot watch the site for changes: {0}")]
    Watch(#[from] notify::Error),
    #[error("cannot start the watcher thread: {0}")]
    Thread(std::io::Error),
}

/// What to do when the port is taken: another server most likely holds it.
fn in_use_hint(e: &std::io::Error) -> &'static str {
    if e.kind() == std::io::ErrorKind::AddrInUse {
        "\nhelp: another server uses this port; pass --port 0 to pick a free one"
    } else {
        ""
    }
}
