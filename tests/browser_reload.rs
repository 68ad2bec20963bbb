//! Live reload in a real browser: headless Chromium, driven through
//! chromedriver's WebDriver HTTP API with a small blocking client, keeps a
//! page of `trellis serve` open while the test edits the site. The page must
//! reload by itself after a good edit, show the error overlay after a bad one,
//! and drop it when the error is fixed.
//!
//! Runs only where chromium and chromedriver are installed; elsewhere it says
//! so loudly and passes, unless TRELLIS_BROWSER_TESTS=1 demands a browser.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use trellis::serve::{Options, Server};

const TERM: &str = "content/2026-term-1.md";

fn find(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// Chromium and chromedriver, or `None` after saying why the test is skipped.
fn browser() -> Option<(PathBuf, PathBuf)> {
    let found =
        find(&["chromium", "chromium-browser", "google-chrome"]).zip(find(&["chromedriver"]));
    if found.is_none() {
        assert!(
            std::env::var("TRELLIS_BROWSER_TESTS").as_deref() != Ok("1"),
            "TRELLIS_BROWSER_TESTS=1 but chromium or chromedriver is missing"
        );
        eprintln!("SKIPPED: browser tests need chromium and chromedriver");
    }
    found
}

/// One HTTP/1.1 exchange with chromedriver; returns the JSON body's `value`.
fn call(addr: SocketAddr, method: &str, path: &str, body: Option<&Value>) -> Value {
    try_call(addr, method, path, body)
        .unwrap_or_else(|e| panic!("chromedriver {method} {path}: {e}"))
}

fn try_call(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> std::io::Result<Value> {
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    // chromedriver keeps the connection open whatever the request says, so
    // the body ends where its Content-Length says.
    let mut bytes = Vec::new();
    let mut buf = [0u8; 8192];
    let body = loop {
        let n = stream.read(&mut buf)?;
        bytes.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&bytes);
        if let Some((head, rest)) = text.split_once("\r\n\r\n") {
            let length = head.lines().find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse::<usize>().ok())?
            });
            if length.is_some_and(|len| rest.len() >= len) || n == 0 {
                break rest.to_string();
            }
        }
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
    };
    let value: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    Ok(value["value"].clone())
}

/// A chromedriver process and one headless session, both ended on drop.
struct Browser {
    driver: Child,
    addr: SocketAddr,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start(chromium: &Path, chromedriver: &Path) -> Browser {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        // A process group of its own, so that the browsers it starts can be
        // ended with it even when no session was ever handed back.
        let driver = Command::new(chromedriver)
            .process_group(0)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let profile = tempfile::tempdir().unwrap();
        let mut browser = Browser {
            driver,
            addr,
            session: String::new(),
            _profile: profile,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(addr).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                    format!("--user-data-dir={}", browser._profile.path().display()),
                ]
            }
        }}});
        let created = call(addr, "POST", "/session", Some(&caps));
        browser.session = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {created}"))
            .to_string();
        browser
    }

    fn go(&self, url: &str) {
        call(
            self.addr,
            "POST",
            &format!("/session/{}/url", self.session),
            Some(&json!({ "url": url })),
        );
    }

    fn run(&self, script: &str) -> Value {
        call(
            self.addr,
            "POST",
            &format!("/session/{}/execute/sync", self.session),
            Some(&json!({ "script": script, "args": [] })),
        )
    }

    /// Runs `script` until it returns something truthy, for at most `within`.
    fn wait_for(&self, script: &str, within: Duration, what: &str) -> Value {
        let deadline = Instant::now() + within;
        loop {
            let v = self.run(script);
            if !(v.is_null() || v == json!(false) || v == json!("")) {
                return v;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = try_call(
                self.addr,
                "DELETE",
                &format!("/session/{}", self.session),
                None,
            );
        }
        // The whole group: chromedriver and any browser it left behind.
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{}", self.driver.id())])
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn example_site() -> tempfile::TempDir {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("temp dir");
    let site = tmp.path().join("site");
    std::fs::create_dir_all(site.join("content")).unwrap();
    for entry in std::fs::read_dir(src.join("content")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), site.join("content").join(entry.file_name())).unwrap();
    }
    std::fs::copy(src.join("trellis.toml"), site.join("trellis.toml")).unwrap();
    tmp
}

fn edit(root: &Path, from: &str, to: &str) {
    let path = root.join(TERM);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{TERM} has no '{from}'");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// The build the open page was served from, once its event stream is open.
const CONNECTED_BUILD: &str =
    "const r = window.__trellisReload; return r && r.connected && document.readyState === 'complete' ? r.build : null;";
const OVERLAY: &str =
    "const o = document.getElementById('trellis-overlay'); return o ? o.textContent : null;";

#[test]
fn open_page_reloads_on_edit_and_shows_overlay_on_bad_edit() {
    let Some((chromium, chromedriver)) = browser() else {
        return;
    };
    let tmp = example_site();
    let root = tmp.path().join("site");
    let options = Options {
        quiet: true,
        ..Options::default()
    };
    let server = Server::start(&root, options).expect("server starts");
    let browser = Browser::start(&chromium, &chromedriver);
    // The term's page, which lists the idea about to be renamed.
    browser.go(&format!("{}terms/2026-term-1/", server.url()));
    let first = browser.wait_for(CONNECTED_BUILD, Duration::from_secs(10), "the page");
    let text = browser.run("return document.body.innerText;");
    let text = text.as_str().unwrap_or_default();
    assert!(text.contains("SIG Scheduling"), "not the term page: {text}");
    assert!(!text.contains("SIG Scheduling and Preemption"));
    browser.run("window.trellisMarker = 'still the old page'; return null;");

    edit(
        &root,
        "#### SIG Scheduling",
        "#### SIG Scheduling and Preemption",
    );
    let second = browser.wait_for(
        &format!("if (window.trellisMarker) return null; {CONNECTED_BUILD}"),
        Duration::from_secs(10),
        "the page to reload by itself",
    );
    assert_ne!(first, second, "the reloaded page comes from the new build");
    let text = browser.run("return document.body.innerText;");
    assert!(
        text.as_str()
            .unwrap_or_default()
            .contains("SIG Scheduling and Preemption"),
        "the reloaded page shows the edit"
    );

    edit(&root, "title = \"LFX Mentorship 2026 Term 1\"", "title = ");
    let overlay = browser.wait_for(OVERLAY, Duration::from_secs(10), "the error overlay");
    let overlay = overlay.as_str().unwrap_or_default().to_string();
    assert!(overlay.contains("2026-term-1.md:2"), "{overlay}");
    assert!(overlay.contains("Build failed"), "{overlay}");
    let markup = browser.run(
        "return document.getElementById('trellis-overlay').querySelectorAll('script, img, iframe').length;",
    );
    assert_eq!(markup, json!(0), "the overlay holds text only");

    browser.run("window.trellisMarker = 'overlay page'; return null;");
    edit(
        &root,
        "title = \n",
        "title = \"LFX Mentorship 2026 Term 1\"\n",
    );
    browser.wait_for(
        &format!("if (window.trellisMarker || document.getElementById('trellis-overlay')) return null; {CONNECTED_BUILD}"),
        Duration::from_secs(10),
        "the fixed build to clear the overlay",
    );
    drop(browser);
    server.stop();
}
