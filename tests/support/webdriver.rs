//! A minimal blocking WebDriver client for chromedriver, and a static file server,
//! for tests that drive headless Chromium through a built site as a person would.
//!
//! Plain HTTP/1.1 over a TcpStream, so the tests need no HTTP client crate (and
//! the async runtime most of them bring). Only loopback is ever contacted: the
//! browser resolves no other host name, so even a proposal's image pointing at
//! the internet stays on the machine. Everything started here stops when its
//! handle is dropped.

// Each browser test uses its own part of this client.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The key WebDriver sends for ArrowDown, ArrowUp and Enter.
pub const ARROW_DOWN: &str = "\u{E015}";
pub const ARROW_UP: &str = "\u{E013}";
pub const ENTER: &str = "\u{E007}";

fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// Chromium and chromedriver, or `None` after saying loudly that the test is
/// skipped; with TRELLIS_BROWSER_TESTS=1 a missing browser fails instead.
pub fn browser_programs() -> Option<(PathBuf, PathBuf)> {
    let found = find_program(&["chromium", "chromium-browser", "google-chrome"])
        .zip(find_program(&["chromedriver"]));
    if found.is_none() {
        assert!(
            std::env::var("TRELLIS_BROWSER_TESTS").as_deref() != Ok("1"),
            "TRELLIS_BROWSER_TESTS=1 but chromium or chromedriver is missing"
        );
        super::skip::say("SKIPPED: browser tests need chromium and chromedriver");
    }
    found
}

/// One request to chromedriver; the JSON answer's `value`.
fn call(addr: SocketAddr, method: &str, path: &str, body: Option<&Value>) -> Value {
    try_call(addr, method, path, body)
        .unwrap_or_else(|e| panic!("chromedriver {method} {path}: {e}"))
}

/// [`call`] without the panic, for cleaning up while a test may already be failing.
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
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    // The answer ends where its Content-Length says: chromedriver may keep the connection open.
    let mut bytes = Vec::new();
    let mut buf = [0u8; 16384];
    let body = loop {
        let n = stream.read(&mut buf)?;
        bytes.extend_from_slice(&buf[..n]);
        if let Some(split) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&bytes[..split]).to_string();
            let rest = &bytes[split + 4..];
            let length = head.lines().find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse::<usize>().ok())?
            });
            if length.is_some_and(|len| rest.len() >= len) || n == 0 {
                break String::from_utf8_lossy(rest).to_string();
            }
        }
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
    };
    let value: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    Ok(value["value"].clone())
}

/// A chromedriver process with one headless Chromium session; both end on drop.
pub struct Browser {
    driver: Child,
    addr: SocketAddr,
    session: String,
    _profile: tempfile::TempDir,
}

/// A page element, as WebDriver names it.
pub type Element = String;

impl Browser {
    pub fn start(chromium: &Path, chromedriver: &Path) -> Browser {
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
        let mut browser = Browser {
            driver,
            addr,
            session: String::new(),
            _profile: tempfile::tempdir().expect("a profile directory"),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(addr).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        // An alert a page opens stays open ("ignore"), for a test to find; the
        // console is kept for [`Browser::console`].
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "unhandledPromptBehavior": "ignore",
            "goog:loggingPrefs": {"browser": "ALL"},
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                    "--allow-file-access-from-files",
                    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
                    format!("--user-data-dir={}", browser._profile.path().display()),
                ]
            }
        }}});
        let created = call(addr, "POST", "/session", Some(&caps));
        browser.session = created["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no WebDriver session: {created}"))
            .to_string();
        browser
    }

    fn post(&self, path: &str, body: Value) -> Value {
        let path = format!("/session/{}{path}", self.session);
        call(self.addr, "POST", &path, Some(&body))
    }

    pub fn go(&self, url: &str) {
        self.post("/url", json!({ "url": url }));
    }

    pub fn url(&self) -> String {
        let path = format!("/session/{}/url", self.session);
        call(self.addr, "GET", &path, None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn refresh(&self) {
        self.post("/refresh", json!({}));
    }

    pub fn back(&self) {
        self.post("/back", json!({}));
    }

    /// Runs a script in the page (`arguments[0]`… are `args`) and returns its value.
    pub fn run(&self, script: &str, args: Value) -> Value {
        self.post("/execute/sync", json!({ "script": script, "args": args }))
    }

    /// Runs an asynchronous script: it ends by calling `arguments[arguments.length - 1]`
    /// with its value.
    pub fn run_async(&self, script: &str, args: Value) -> Value {
        self.post("/execute/async", json!({ "script": script, "args": args }))
    }

    /// Has `source` run in every document this session opens from now on, in
    /// every frame, before any script of the page (DevTools'
    /// `Page.addScriptToEvaluateOnNewDocument`): where a test installs its watches.
    pub fn on_new_document(&self, source: &str) {
        let answer = self.post(
            "/goog/cdp/execute",
            json!({"cmd": "Page.addScriptToEvaluateOnNewDocument", "params": {"source": source}}),
        );
        assert!(
            answer["identifier"].is_string(),
            "DevTools refused the script: {answer}"
        );
    }

    /// The text of the alert, confirm or prompt dialog open on the page, if any.
    pub fn dialog_text(&self) -> Option<String> {
        let path = format!("/session/{}/alert/text", self.session);
        call(self.addr, "GET", &path, None)
            .as_str()
            .map(str::to_string)
    }

    /// Closes the open dialog, so that the session can go on.
    pub fn dismiss_dialog(&self) {
        self.post("/alert/dismiss", json!({}));
    }

    /// The browser console's entries since the last call (`level`, `source`,
    /// `message`), page errors and failed loads included.
    pub fn console(&self) -> Vec<Value> {
        match self.post("/se/log", json!({ "type": "browser" })) {
            Value::Array(entries) => entries,
            other => panic!("no console log: {other}"),
        }
    }

    /// Runs `script` until it returns something truthy, for at most ten seconds.
    pub fn wait_for(&self, script: &str, args: Value, what: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let v = self.run(script, args.clone());
            if !(v.is_null() || v == json!(false) || v == json!("") || v == json!(0)) {
                return v;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what} (the check last gave {v})"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn find(&self, css: &str) -> Element {
        let found = self.post("/element", json!({ "using": "css selector", "value": css }));
        found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element '{css}': {found}"))
            .to_string()
    }

    /// Types into an element as a keyboard would, one key event per character.
    pub fn type_into(&self, element: &Element, text: &str) {
        self.post(
            &format!("/element/{element}/value"),
            json!({ "text": text }),
        );
    }

    pub fn clear(&self, element: &Element) {
        self.post(&format!("/element/{element}/clear"), json!({}));
    }

    pub fn click(&self, element: &Element) {
        self.post(&format!("/element/{element}/click"), json!({}));
    }

    /// Presses and releases keys on whatever element has the focus.
    pub fn press(&self, keys: &[&str]) {
        let actions: Vec<Value> = keys
            .iter()
            .flat_map(|k| {
                [
                    json!({"type": "keyDown", "value": k}),
                    json!({"type": "keyUp", "value": k}),
                ]
            })
            .collect();
        self.post(
            "/actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]}),
        );
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let path = format!("/session/{}", self.session);
            let _ = try_call(self.addr, "DELETE", &path, None);
        }
        // The whole group: chromedriver and any browser it left behind.
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{}", self.driver.id())])
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// A static file server for a built site on 127.0.0.1, the site mounted under
/// `prefix` (its base path). It stops when dropped, or after ten minutes at most.
pub struct StaticServer {
    pub origin: String,
    stop: Arc<AtomicBool>,
    /// While set, requests for paths ending in `held` wait for [`StaticServer::release`].
    holding: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StaticServer {
    pub fn start(root: &Path, prefix: &str) -> StaticServer {
        StaticServer::start_holding(root, prefix, None)
    }

    /// A server that holds back its answers to requests for paths ending in
    /// `held` until [`StaticServer::release`]: a slow connection for one file.
    pub fn start_holding(root: &Path, prefix: &str, held: Option<&str>) -> StaticServer {
        let server = tiny_http::Server::http("127.0.0.1:0").expect("bind a loopback port");
        let origin = format!(
            "http://{}",
            server.server_addr().to_ip().expect("an IP address")
        );
        let stop = Arc::new(AtomicBool::new(false));
        let holding = Arc::new(AtomicBool::new(held.is_some()));
        let (root, prefix, flag) = (root.to_path_buf(), prefix.to_string(), stop.clone());
        let (held, hold) = (held.map(str::to_string), holding.clone());
        let thread = std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(600);
            while !flag.load(Ordering::Relaxed) && Instant::now() < deadline {
                if let Ok(Some(request)) = server.recv_timeout(Duration::from_millis(100)) {
                    let response = serve_file(&root, &prefix, request.url());
                    let path = request.url().split(['?', '#']).next().unwrap_or_default();
                    if held.as_deref().is_some_and(|h| path.ends_with(h))
                        && hold.load(Ordering::Relaxed)
                    {
                        let (hold, flag) = (hold.clone(), flag.clone());
                        std::thread::spawn(move || {
                            while hold.load(Ordering::Relaxed) && !flag.load(Ordering::Relaxed) {
                                std::thread::sleep(Duration::from_millis(20));
                            }
                            let _ = request.respond(response);
                        });
                    } else {
                        let _ = request.respond(response);
                    }
                }
            }
        });
        StaticServer {
            origin,
            stop,
            holding,
            thread: Some(thread),
        }
    }

    /// Answers the held requests, and every later one at once.
    pub fn release(&self) {
        self.holding.store(false, Ordering::Relaxed);
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve_file(
    root: &Path,
    prefix: &str,
    url: &str,
) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let file = path
        .strip_prefix(prefix)
        .filter(|rel| !rel.split('/').any(|s| s == ".."))
        .map(|rel| {
            let p = root.join(rel);
            if p.is_dir() {
                p.join("index.html")
            } else {
                p
            }
        });
    match file.and_then(|f| std::fs::read(&f).ok().map(|b| (f, b))) {
        Some((f, bytes)) => {
            let kind = match f.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("js") => "text/javascript; charset=utf-8",
                Some("json") => "application/json",
                Some("css") => "text/css",
                Some("svg") => "image/svg+xml",
                _ => "application/octet-stream",
            };
            let header =
                tiny_http::Header::from_bytes("Content-Type", kind).expect("a valid header");
            // One request a connection: a held answer then never stalls the
            // requests queued behind it on its connection.
            let close =
                tiny_http::Header::from_bytes("Connection", "close").expect("a valid header");
            tiny_http::Response::from_data(bytes)
                .with_header(header)
                .with_header(close)
        }
        None => tiny_http::Response::from_data(b"not found".to_vec()).with_status_code(404),
    }
}
