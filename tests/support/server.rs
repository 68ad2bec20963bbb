//! `trellis serve` for end-to-end tests: a quiet server over a fresh copy of the
//! example site, ready to answer once started (the first build is done by then).
//! Include it with `#[path = "support/server.rs"] mod server;` beside
//! support/site.rs as `mod site`, whose copy of the example it serves.

// Each test crate that includes this module uses its own part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use tempfile::TempDir;
use trellis::serve::{Options, Server};

/// A server over its own copy of the example site (base path `/trellis/`).
/// The server is declared first so that it stops before the copy is removed.
pub struct ExampleServer {
    pub server: Server,
    /// The copy's root: edit its files and the server rebuilds.
    pub root: PathBuf,
    /// Holds the copy (at `<temp dir>/site`) until the test ends.
    _tmp: TempDir,
}

impl ExampleServer {
    /// A quiet server over a fresh copy of the example site.
    pub fn start() -> ExampleServer {
        ExampleServer::start_with(quiet(), |_| {})
    }

    /// A server with `options` over a fresh copy that `prepare` changed first,
    /// for tests of what the first build does.
    pub fn start_with(options: Options, prepare: impl FnOnce(&Path)) -> ExampleServer {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = crate::site::example_copy(tmp.path());
        prepare(&root);
        let server = Server::start(&root, options).expect("server starts");
        ExampleServer {
            server,
            root,
            _tmp: tmp,
        }
    }
}

/// The options of a server that prints only errors, so test output stays readable.
pub fn quiet() -> Options {
    Options {
        quiet: true,
        ..Options::default()
    }
}
