//! `trellis serve`: the site on a local server under its base path, rebuilt on
//! every save, with open pages reloading by themselves. Everything but the
//! flags, the browser and Ctrl-C lives in [`trellis::serve`].

use std::net::IpAddr;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};

use trellis::serve::{Options, Server};

use super::{Output, EXIT_USAGE};

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on; the default keeps the server to this machine.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in a browser once it is served.
    #[arg(long)]
    pub open: bool,
    /// Poll for changes instead of waiting for file system events (network
    /// drives, containers).
    #[arg(long)]
    pub poll: bool,
}

pub fn run(root: &Path, args: &ServeArgs, out: &Output) -> ExitCode {
    // A missing content directory is a wrong --root or content_dir, not a broken
    // save to wait out: say so and stop, rather than serve an error page.
    if let Ok(config) = trellis::build::load_config(root) {
        let content = root.join(&config.content_dir);
        if !content.is_dir() {
            eprintln!(
                "error: content directory '{}' does not exist
help: run `trellis serve` in the site's root, pass --root DIR, or set `content_dir` in trellis.toml (`trellis init` makes a new site)",
                content.display()
            );
            return ExitCode::from(EXIT_USAGE);
        }
    }
    let (stop_tx, stop_rx) = std::sync::mpsc::channel();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    }) {
        eprintln!("error: cannot handle Ctrl-C: {e}");
        return ExitCode::from(EXIT_USAGE);
    }
    let options = Options {
        bind: args.bind,
        port: args.port,
        poll: args.poll,
        quiet: out.quiet,
    };
    let server = match Server::start(root, options) {
        Ok(server) => server,
        Err(e) => {
            eprintln!(
                "error: {}",
                trellis::diagnostic::terminal_safe(&e.to_string())
            );
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let url = server.url();
    // The address goes to stdout even with --quiet: scripts read it from there.
    super::write_stdout(format!("Serving the site at {url}\n").as_bytes());
    if out.verbose {
        if let Some(dir) = server.site_dir() {
            out.info(&format!("Building into {}", dir.display()));
        }
    }
    out.info("Watching for changes; press Ctrl-C to stop.");
    if args.open {
        open_browser(&url);
    }
    // Either Ctrl-C arrived or the handler is gone; both mean stop.
    let _ = stop_rx.recv();
    out.info("Stopping.");
    server.stop();
    ExitCode::SUCCESS
}

/// Opens `url` with the desktop's opener, when there is one.
fn open_browser(url: &str) {
    for opener in ["xdg-open", "open"] {
        let started = Command::new(opener)
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        if started.is_ok() {
            return;
        }
    }
    eprintln!("note: no xdg-open or open found; open {url} yourself");
}
