//! `trellis serve` end to end: a server on a free port over a copy of the
//! example site, spoken to with raw sockets so that nothing normalizes the
//! paths the security tests send, and the event stream read as a browser's
//! EventSource would read it.

#[path = "support/server.rs"]
mod server;
#[path = "support/site.rs"]
mod site;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use server::{quiet, ExampleServer};
use site::{edit, NO_TITLE_LINE, TERM, TITLE_LINE};
use trellis::serve::Options;

/// The promise: a save reaches open pages within two seconds.
const PROMISED: Duration = Duration::from_secs(2);
/// Other events only need to arrive; a debug build on a busy machine may take
/// longer than the promise, and that is not what those tests are about.
const SETTLE: Duration = Duration::from_secs(10);
const TITLE: &str = "#### SIG Scheduling";
/// The example site's base path.
const BASE: &str = "/trellis/";

/// One server at a time: each builds the whole site, and a dozen debug builds
/// at once on two shared cores would push a rebuild past the two seconds the
/// reload tests allow.
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::new(());
    // A test that failed while holding the lock leaves nothing to repair.
    SERIAL.lock().unwrap_or_else(|p| p.into_inner())
}

/// How most tests here begin: their turn, then a quiet server over a fresh
/// copy of the example site. The guard is first so that it is released last.
fn serve_example() -> (MutexGuard<'static, ()>, ExampleServer) {
    let serial = one_at_a_time();
    (serial, ExampleServer::start())
}

/// [`serve_example`] with `options`, over a copy that `prepare` changed first.
fn serve_example_with(
    options: Options,
    prepare: impl FnOnce(&Path),
) -> (MutexGuard<'static, ()>, ExampleServer) {
    let serial = one_at_a_time();
    (serial, ExampleServer::start_with(options, prepare))
}

struct Reply {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `request` as bytes and reads the answer until the server closes.
fn raw(addr: SocketAddr, request: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut bytes = Vec::new();
    // A reset after a complete answer is still an answer.
    let _ = stream.read_to_end(&mut bytes);
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(bytes.len());
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let body = bytes.get(split + 4..).unwrap_or_default().to_vec();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Reply { status, head, body }
}

/// The text of every idea the served site exports: `ideas.json` names one
/// file per term in `parts`, each fetched beside it.
fn exported_ideas(addr: SocketAddr) -> String {
    let top = get(addr, "/trellis/ideas.json");
    assert_eq!(top.status, 200);
    let index: serde_json::Value = serde_json::from_str(&top.text()).expect("ideas.json is JSON");
    index["parts"]
        .as_array()
        .expect("ideas.json lists its parts")
        .iter()
        .map(|part| {
            let file = part["file"].as_str().expect("a part names its file");
            let reply = get(addr, &format!("/trellis/{file}"));
            assert_eq!(reply.status, 200, "{file}");
            reply.text()
        })
        .collect()
}

fn request(addr: SocketAddr, method: &str, target: &str, headers: &str) -> Reply {
    raw(
        addr,
        format!(
            "{method} {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{headers}\r\n"
        )
        .as_bytes(),
    )
}

fn get(addr: SocketAddr, target: &str) -> Reply {
    request(addr, "GET", target, "")
}

/// An open event stream of the example site: events arrive on a channel as (name, data).
struct Events {
    rx: Receiver<(String, String)>,
}

impl Events {
    fn open(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect");
        write!(
            stream,
            "GET {BASE}__trellis/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stream).lines();
            let (mut name, mut data) = (String::new(), String::new());
            let mut in_head = true;
            while let Some(Ok(line)) = lines.next() {
                if in_head {
                    in_head = !line.is_empty();
                } else if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data.push_str(d);
                } else if line.is_empty()
                    && !name.is_empty()
                    && tx
                        .send((std::mem::take(&mut name), std::mem::take(&mut data)))
                        .is_err()
                {
                    return;
                }
            }
        });
        let events = Events { rx };
        events.expect("hello", Duration::from_secs(5));
        events
    }

    /// The data of the next event called `name`, skipping others; panics after `within`.
    fn expect(&self, name: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok((n, data)) if n == name => return data,
                Ok(_) => {}
                Err(_) => panic!("no '{name}' event within {within:?}"),
            }
        }
    }

    /// The next event, if one comes within `within`.
    fn next_within(&self, within: Duration) -> Option<(String, String)> {
        self.rx.recv_timeout(within).ok()
    }
}

#[test]
fn edit_reloads_bad_edit_shows_error_and_keeps_last_good_site() {
    let (_serial, s) = serve_example();
    let term = s.root.join(TERM);
    let addr = s.server.addr();
    assert!(s.server.url().ends_with(BASE), "{}", s.server.url());
    let events = Events::open(addr);
    assert!(exported_ideas(addr).contains("SIG Scheduling"));

    let saved = Instant::now();
    edit(&term, TITLE, "#### SIG Scheduling and Preemption");
    events.expect("reload", PROMISED);
    eprintln!("save to reload event: {:?}", saved.elapsed());
    assert!(exported_ideas(addr).contains("SIG Scheduling and Preemption"));

    edit(&term, TITLE_LINE, NO_TITLE_LINE);
    let error = events.expect("error", PROMISED);
    let json: serde_json::Value = serde_json::from_str(&error).expect("error data is JSON");
    let first = &json["diagnostics"][0];
    assert!(
        first["file"].as_str().unwrap().ends_with("2026-term-1.md"),
        "{json}"
    );
    assert_eq!(first["line"], 2, "{json}");
    assert!(!first["message"].as_str().unwrap().is_empty());
    assert!(
        exported_ideas(addr).contains("SIG Scheduling and Preemption"),
        "the last good site is still served"
    );

    // A page opened while the build is broken hears of it at once.
    let late = Events::open(addr);
    late.expect("error", SETTLE);

    edit(&term, NO_TITLE_LINE, TITLE_LINE);
    events.expect("reload", SETTLE);
    late.expect("reload", SETTLE);
    s.server.stop();
}

#[test]
fn editor_litter_does_not_rebuild() {
    let (_serial, s) = serve_example();
    let events = Events::open(s.server.addr());
    for litter in [
        "content/.2026-term-1.md.swp",
        "content/2026-term-1.md~",
        "content/4913",
        "README.md",
    ] {
        std::fs::write(s.root.join(litter), "x").unwrap();
    }
    assert_eq!(events.next_within(Duration::from_millis(600)), None);
    s.server.stop();
}

#[test]
fn config_saved_by_rename_is_still_watched() {
    let (_serial, s) = serve_example();
    let root = &s.root;
    let events = Events::open(s.server.addr());
    for title in ["Renamed once", "Renamed twice"] {
        let text = std::fs::read_to_string(root.join("trellis.toml")).unwrap();
        let text = text.replacen("title = ", &format!("title = \"{title}\"\n# was: "), 1);
        std::fs::write(root.join(".trellis.toml.new"), text).unwrap();
        std::fs::rename(root.join(".trellis.toml.new"), root.join("trellis.toml")).unwrap();
        events.expect("reload", SETTLE);
    }
    s.server.stop();
}

#[test]
fn polling_sees_an_edit_once() {
    let options = Options {
        poll: true,
        ..quiet()
    };
    let (_serial, s) = serve_example_with(options, |_| {});
    let events = Events::open(s.server.addr());
    edit(&s.root.join(TERM), TITLE, "#### SIG Scheduling, polled");
    events.expect("reload", SETTLE);
    assert_eq!(events.next_within(Duration::from_millis(800)), None);
    assert!(exported_ideas(s.server.addr()).contains("SIG Scheduling, polled"));
    s.server.stop();
}

#[test]
fn stylesheet_change_swaps_css_without_reload() {
    let (_serial, s) = serve_example_with(quiet(), |root| {
        std::fs::create_dir_all(root.join("static")).unwrap();
        std::fs::write(root.join("static/extra.css"), "body { color: black }").unwrap();
    });
    let events = Events::open(s.server.addr());
    std::fs::write(s.root.join("static/extra.css"), "body { color: navy }").unwrap();
    let data = events.expect("css", SETTLE);
    assert!(data.contains("build"), "{data}");
    s.server.stop();
}

#[test]
fn first_build_that_fails_still_serves_its_errors() {
    let (_serial, s) = serve_example_with(quiet(), |root| {
        edit(&root.join(TERM), TITLE_LINE, NO_TITLE_LINE);
    });
    let addr = s.server.addr();
    let page = get(addr, "/trellis/");
    assert_eq!(page.status, 500);
    assert!(page.text().contains("2026-term-1.md:2:"), "{}", page.text());
    assert!(page.text().contains("__trellis/reload.js"));
    let events = Events::open(addr);
    edit(&s.root.join(TERM), NO_TITLE_LINE, TITLE_LINE);
    events.expect("reload", SETTLE);
    assert_eq!(get(addr, "/trellis/ideas.json").status, 200);
    s.server.stop();
}

#[test]
fn site_is_served_under_its_base_path_only() {
    let (_serial, s) = serve_example();
    let addr = s.server.addr();
    let root = get(addr, "/");
    assert_eq!(root.status, 302);
    assert_eq!(root.header("Location"), Some("/trellis/"));
    let bare = get(addr, "/trellis");
    assert_eq!(bare.status, 302);
    assert_eq!(bare.header("Location"), Some("/trellis/"));
    assert_eq!(get(addr, "/ideas.json").status, 404);
    assert_eq!(get(addr, "/trellis/ideas.json").status, 200);
    s.server.stop();
}

#[test]
fn files_have_types_validators_and_head() {
    let (_serial, s) = serve_example();
    let addr = s.server.addr();
    let site = s.server.site_dir().expect("a good build");
    std::fs::create_dir_all(site.join("docs")).unwrap();
    std::fs::write(
        site.join("docs/index.html"),
        "<html><body><p>docs</p></body></html>",
    )
    .unwrap();
    std::fs::write(site.join("docs/a.css"), "p{}").unwrap();
    std::fs::write(site.join("docs/logo.svg"), "<svg/>").unwrap();

    let json = get(addr, "/trellis/ideas.json");
    assert_eq!(json.status, 200);
    assert_eq!(json.header("Content-Type"), Some("application/json"));
    let length: usize = json.header("Content-Length").unwrap().parse().unwrap();
    assert_eq!(length, json.body.len());
    for (path, kind) in [
        ("/trellis/docs/a.css", "text/css; charset=utf-8"),
        ("/trellis/docs/logo.svg", "image/svg+xml"),
        ("/trellis/docs/", "text/html; charset=utf-8"),
        (
            "/trellis/__trellis/reload.js",
            "text/javascript; charset=utf-8",
        ),
    ] {
        let reply = get(addr, path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("Content-Type"), Some(kind), "{path}");
    }

    let page = get(addr, "/trellis/docs/").text();
    assert!(
        page.contains("<p>docs</p><script src=\"/trellis/__trellis/reload.js?build="),
        "{page}"
    );
    let moved = get(addr, "/trellis/docs?x=1");
    assert_eq!(moved.status, 302);
    assert_eq!(moved.header("Location"), Some("/trellis/docs/?x=1"));

    let head = request(addr, "HEAD", "/trellis/ideas.json", "");
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("Content-Length"),
        Some(length.to_string().as_str())
    );
    assert!(head.body.is_empty());

    let etag = json.header("ETag").expect("ETag").to_string();
    assert!(json.header("Last-Modified").is_some());
    let again = request(
        addr,
        "GET",
        "/trellis/ideas.json",
        &format!("If-None-Match: {etag}\r\n"),
    );
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let changed = request(
        addr,
        "GET",
        "/trellis/ideas.json",
        "If-None-Match: \"something-else\"\r\n",
    );
    assert_eq!(changed.status, 200);
    s.server.stop();
}

#[test]
fn missing_pages_get_the_sites_404_with_status_404() {
    let (_serial, s) = serve_example();
    let addr = s.server.addr();
    let site = s.server.site_dir().unwrap();
    let builtin = get(addr, "/trellis/no/such/page");
    assert_eq!(builtin.status, 404);
    assert!(builtin.text().contains("__trellis/reload.js"));
    std::fs::write(site.join("404.html"), "<html><body>Lost idea</body></html>").unwrap();
    let custom = get(addr, "/trellis/no/such/page");
    assert_eq!(custom.status, 404);
    assert!(custom.text().contains("Lost idea"));
    assert_eq!(
        custom.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    s.server.stop();
}

#[test]
fn traversal_never_returns_a_byte_from_outside_the_site() {
    let secret = "TRELLIS-SECRET-7f3a";
    let (_serial, s) = serve_example_with(quiet(), |root| {
        // One copy beside the site, outside it, and one in the site's root.
        std::fs::write(root.with_file_name("secret.txt"), secret).unwrap();
        std::fs::write(root.join("secret.txt"), secret).unwrap();
    });
    let addr = s.server.addr();
    let site = s.server.site_dir().unwrap();
    let outside = s.root.parent().expect("the copy sits in a temp dir");
    std::os::unix::fs::symlink(outside.join("secret.txt"), site.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(outside, site.join("outside")).unwrap();
    std::os::unix::fs::symlink("/etc", site.join("etc")).unwrap();
    let forms: &[&[u8]] = &[
        b"/../etc/passwd",
        b"/trellis/../../etc/passwd",
        b"/trellis/../secret.txt",
        b"/trellis/..%2f..%2f..%2fetc/passwd",
        b"/trellis/..%2fsecret.txt",
        b"/trellis/%2e%2e/%2e%2e/etc/passwd",
        b"/trellis/%2E%2E%2F%2E%2E%2Fsecret.txt",
        b"/trellis/.%2e/secret.txt",
        b"/trellis/%252e%252e/%252e%252e/etc/passwd",
        b"/trellis/..%252fsecret.txt",
        b"/trellis/..\\..\\etc\\passwd",
        b"/trellis/..%5c..%5csecret.txt",
        b"/trellis//etc/passwd",
        b"/trellis/%2fetc%2fpasswd",
        b"//etc/passwd",
        b"/etc/passwd",
        b"/trellis/ideas.json%00.html",
        b"/trellis/secret.txt%00",
        b"/trellis/leak.txt",
        b"/trellis/outside/secret.txt",
        b"/trellis/outside/site/secret.txt",
        b"/trellis/etc/passwd",
        b"/trellis/%c0%ae%c0%ae/secret.txt",
        b"/trellis/ideas.json/../../secret.txt",
        b"/trellis/__trellis/../../secret.txt",
        b"/trellis/....//....//etc/passwd",
        b"http://127.0.0.1/etc/passwd",
        b"/trellis/\xff\xfe/../secret.txt",
        b"C:\\Windows\\win.ini",
    ];
    for target in forms {
        let mut req = b"GET ".to_vec();
        req.extend_from_slice(target);
        req.extend_from_slice(b" HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        let reply = raw(addr, &req);
        let shown = String::from_utf8_lossy(target);
        let text = reply.text();
        assert!(!text.contains(secret), "{shown} leaked the secret");
        assert!(!text.contains("root:"), "{shown} leaked /etc/passwd");
        assert_ne!(reply.status, 200, "{shown} answered 200");
    }
    assert_eq!(
        get(addr, "/trellis/ideas.json").status,
        200,
        "still serving"
    );
    s.server.stop();
}

#[test]
fn many_clients_and_dropped_connections_keep_it_serving() {
    let (_serial, s) = serve_example();
    let addr = s.server.addr();
    for _ in 0..20 {
        let mut half = TcpStream::connect(addr).unwrap();
        let _ = half.write_all(b"GET /trellis/ideas.json HTTP/1.1\r\nHo");
        let mut unread = TcpStream::connect(addr).unwrap();
        let _ = unread.write_all(b"GET /trellis/ideas.json HTTP/1.1\r\nHost: x\r\n\r\n");
    }
    let clients: Vec<_> = (0..16)
        .map(|_| {
            std::thread::spawn(move || {
                (0..20)
                    .filter(|_| get(addr, "/trellis/ideas.json").status == 200)
                    .count()
            })
        })
        .collect();
    let ok: usize = clients.into_iter().map(|c| c.join().unwrap()).sum();
    assert_eq!(ok, 16 * 20);
    s.server.stop();
}

#[test]
fn stop_frees_the_port_and_removes_the_builds() {
    let (_serial, s) = serve_example();
    let addr = s.server.addr();
    let site: PathBuf = s.server.site_dir().unwrap();
    assert!(site.is_dir());
    s.server.stop();
    assert!(!site.exists(), "temporary builds removed");
    // The listener closes on the accept thread, just after stop returns.
    let deadline = Instant::now() + Duration::from_secs(2);
    while TcpStream::connect(addr).is_ok() {
        assert!(Instant::now() < deadline, "port still open");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn build_output_never_holds_the_reload_script() {
    let _serial = one_at_a_time();
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = site::example_copy(tmp.path());
    let out = tmp.path().join("public");
    site::build_into(&root, &out, None);
    for (rel, bytes) in site::files(&out) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__trellis"),
            "{rel} holds the dev server's script"
        );
    }
}

#[test]
fn content_replaced_as_a_directory_is_watched_again() {
    // A branch switch or a delete-and-restore puts another directory where
    // content/ was; the native watch stayed on the old one before.
    let (_serial, s) = serve_example();
    let addr = s.server.addr();
    let events = Events::open(addr);
    let content = s.root.join("content");
    let fresh = s.root.join("content.fresh");
    site::copy_dir(&content, &fresh);
    std::fs::rename(&content, s.root.join("content.old")).unwrap();
    std::fs::rename(&fresh, &content).unwrap();
    events.expect("reload", SETTLE);
    // A save in the new directory is seen.
    edit(&s.root.join(TERM), TITLE, "#### SIG Scheduling Anew");
    events.expect("reload", SETTLE);
    assert!(exported_ideas(addr).contains("SIG Scheduling Anew"));
    // And again after a delete and restore.
    let text = std::fs::read(s.root.join(TERM)).unwrap();
    std::fs::remove_dir_all(&content).unwrap();
    events.expect("error", SETTLE);
    std::fs::create_dir(&content).unwrap();
    std::fs::write(s.root.join(TERM), &text).unwrap();
    events.expect("reload", SETTLE);
    edit(
        &s.root.join(TERM),
        "SIG Scheduling Anew",
        "SIG Scheduling Restored",
    );
    events.expect("reload", SETTLE);
    assert!(exported_ideas(addr).contains("SIG Scheduling Restored"));
    s.server.stop();
}
