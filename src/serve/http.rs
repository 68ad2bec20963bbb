//! Answering one request the way GitHub Pages would: files under the base path
//! with their content type, `dir/` by its `index.html`, `dir` redirected to
//! `dir/`, the site's own `404.html` with status 404, and `ETag` /
//! `Last-Modified` revalidation. HTML gets the reload script injected on the way
//! out, so it never reaches a file on disk.
//!
//! Paths come from [`super::route`]; this module adds the one check that needs
//! the file system: the canonical file must still lie inside the site, so a
//! symbolic link cannot lead out of it.
//!
//! Every answer closes its connection, so a browser's idle keep-alive
//! connections hold no threads. Files are streamed from disk, and a page (read
//! whole to inject the reload script) is shared by every client reading it at
//! once, so a hundred slow clients of a large file do not hold a hundred copies.
//!
//! Only requests that name the server by a loopback name or an IP address
//! are answered: a page of another site whose name was rebound to 127.0.0.1
//! (DNS rebinding) sends its own name as `Host`, and gets 421.

use std::collections::HashMap;
use std::fs::{File, Metadata};
use std::io::{BufWriter, Read, Write};
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock, Weak};
use std::time::{SystemTime, UNIX_EPOCH};

use super::listen::{Connection, Slots, MAX_STREAMS};
use super::overlay;
use super::reload::{self, Reload};
use super::request::{self, HeadError, Request};
use super::route::{self, Route};
use super::Served;

/// Answers are buffered up to this size, so that a page goes out with its
/// head in one write; a larger body is written straight through.
const WRITE_BUFFER: usize = 16 * 1024;

/// An answer: its status, headers, and body of known length.
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Body,
}

enum Body {
    Bytes(Vec<u8>),
    /// A page shared with the other clients reading it now.
    Shared(Arc<[u8]>),
    /// A file, streamed; the length is taken when it is opened.
    File(File, u64),
}

impl Body {
    fn len(&self) -> u64 {
        match self {
            Body::Bytes(b) => b.len() as u64,
            Body::Shared(b) => b.len() as u64,
            Body::File(_, len) => *len,
        }
    }
}

impl Reply {
    fn with_header(mut self, name: &'static str, value: &str) -> Reply {
        self.headers.push((name, ascii_header(value)));
        self
    }
}

/// What every connection is answered from.
pub(crate) struct Serving {
    pub served: Arc<RwLock<Arc<Served>>>,
    pub reload: Arc<Reload>,
    /// The address the server listens on, a name `Host` may give.
    pub bind: IpAddr,
    /// The places of live-reload streams, apart from those of requests.
    pub streams: Slots,
    pub pages: Pages,
}

impl Serving {
    pub fn new(served: Arc<RwLock<Arc<Served>>>, reload: Arc<Reload>, bind: IpAddr) -> Serving {
        Serving {
            served,
            reload,
            bind,
            streams: Slots::new(MAX_STREAMS),
            pages: Pages::default(),
        }
    }
}

/// Pages with the reload script injected, each shared by the clients that
/// read it at once and freed when the last is done (the map holds them weakly).
#[derive(Default)]
pub(crate) struct Pages(Mutex<HashMap<PathBuf, SharedPage>>);

/// A page by the tag it was served under, held weakly.
type SharedPage = (String, Weak<[u8]>);

impl Pages {
    /// The page at `path` as its tag `tag` names it, made by `make` when no
    /// client holds it now.
    fn get(
        &self,
        path: &Path,
        tag: &str,
        make: impl FnOnce() -> std::io::Result<Vec<u8>>,
    ) -> std::io::Result<Arc<[u8]>> {
        // A poisoned lock only means another request panicked; the map is still valid.
        // It is held while the page is made, so that clients asking at once
        // wait for the one copy instead of each making their own.
        let mut pages = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(page) = pages
            .get(path)
            .filter(|(t, _)| t == tag)
            .and_then(|(_, page)| page.upgrade())
        {
            return Ok(page);
        }
        let page: Arc<[u8]> = make()?.into();
        pages.retain(|_, (_, page)| page.strong_count() > 0);
        pages.insert(path.to_path_buf(), (tag.to_string(), Arc::downgrade(&page)));
        Ok(page)
    }
}

/// Serves one connection: reads its request and answers it from the site
/// served once the request has arrived. Errors writing to a client that went
/// away are the client's business, not the server's.
pub(crate) fn serve(connection: Connection, serving: &Serving) {
    let refusal = match request::read_head(connection.stream()) {
        Ok(request) if !host_allowed(request.header("Host"), serving.bind) => text(
            421,
            "text/plain; charset=utf-8",
            "This server answers only to localhost or its own address.\n",
        ),
        Ok(request) => {
            return respond(
                &request,
                connection,
                &reload::current(&serving.served),
                serving,
            )
        }
        Err(HeadError::Gone) => return,
        Err(HeadError::TooLarge) => {
            text(431, "text/plain; charset=utf-8", "Request head too large\n")
        }
        Err(HeadError::Malformed) => text(400, "text/plain; charset=utf-8", "Bad request\n"),
    };
    let _ = write_reply(BufWriter::new(connection), refusal, false);
}

/// Whether a request's `Host` names this server: a loopback name
/// (`localhost`, `*.localhost`), a loopback address, or the address it is
/// bound to, with or without a port. When bound to every address, any IP
/// address is taken: a rebinding page can only send a name. A request without
/// `Host` (HTTP/1.0, a script) comes from no browser and is answered.
pub fn host_allowed(host: Option<&str>, bind: IpAddr) -> bool {
    let Some(host) = host else {
        return true;
    };
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((ip, port)) if port.is_empty() || port.starts_with(':') => ip,
            _ => return false,
        }
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => host,
        }
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip == bind || bind.is_unspecified(),
        Err(_) => false,
    }
}

fn respond(request: &Request, connection: Connection, served: &Served, serving: &Serving) {
    let route = route::route(&served.base, &request.target);
    let (get, head) = (request.method == "GET", request.method == "HEAD");
    if route == Route::Events && get {
        let mut connection = connection;
        if connection.move_to(&serving.streams) {
            serving.reload.subscribe(Box::new(connection));
        } else {
            let busy = text(503, "text/plain; charset=utf-8", "Too many open pages.\n")
                .with_header("Retry-After", "5");
            let _ = write_reply(BufWriter::new(connection), busy, false);
        }
        return;
    }
    let reply = if get || head {
        reply_for(&route, request, served, &serving.pages)
    } else {
        text(405, "text/plain; charset=utf-8", "Method not allowed\n")
            .with_header("Allow", "GET, HEAD")
    };
    let _ = write_reply(
        BufWriter::with_capacity(WRITE_BUFFER, connection),
        reply,
        head,
    );
}

/// Writes `reply` as HTTP/1.1 and asks the client to close the connection.
/// Only a `304` goes without a `Content-Length`, since it never has a body.
fn write_reply(mut out: impl Write, reply: Reply, head_only: bool) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nDate: {}\r\n",
        reply.status,
        reason(reply.status),
        httpdate::fmt_http_date(SystemTime::now())
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let bodiless = reply.status == 304;
    if !bodiless {
        head.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    }
    head.push_str("Connection: close\r\n\r\n");
    out.write_all(head.as_bytes())?;
    if !head_only && !bodiless {
        match reply.body {
            Body::Bytes(bytes) => out.write_all(&bytes)?,
            Body::Shared(bytes) => out.write_all(&bytes)?,
            Body::File(file, len) => {
                std::io::copy(&mut file.take(len), &mut out)?;
            }
        }
    }
    out.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        421 => "Misdirected Request",
        503 => "Service Unavailable",
        431 => "Request Header Fields Too Large",
        _ => "Internal Server Error",
    }
}

fn reply_for(route: &Route, request: &Request, served: &Served, pages: &Pages) -> Reply {
    match route {
        Route::Site { rel, slash } => match &served.site {
            Some(site) => site_file(site, rel, *slash, request, served, pages),
            None => {
                let page = overlay::error_page(&served.failures, &reload::script_tag(served));
                text(500, "text/html; charset=utf-8", &page)
            }
        },
        Route::Redirect(location) => redirect(location),
        Route::ReloadScript => text(200, "text/javascript; charset=utf-8", reload::SCRIPT),
        Route::Events => text(405, "text/plain; charset=utf-8", "Method not allowed\n"),
        Route::OutsideBase => text(
            404,
            "text/html; charset=utf-8",
            &plain_page(
                "Not found",
                &format!(
                    "This site is served under {0}, as it will be once published. Go to <a href=\"{0}\">{0}</a>.",
                    crate::util::escape::html(&served.base)
                ),
            ),
        ),
        Route::Refused => text(400, "text/plain; charset=utf-8", "Bad request\n"),
    }
}

/// Serves `rel` from `site` (a canonical directory), or the site's 404 page.
fn site_file(
    site: &Path,
    rel: &Path,
    slash: bool,
    request: &Request,
    served: &Served,
    pages: &Pages,
) -> Reply {
    match resolve(site, rel, slash) {
        Found::File(path, meta) => file(&path, &meta, 200, request, served, pages),
        Found::Directory => redirect(&route::directory_redirect(
            &served.base,
            rel,
            &request.target,
        )),
        Found::Missing => match resolve(site, Path::new("404.html"), false) {
            Found::File(path, meta) => file(&path, &meta, 404, request, served, pages),
            _ => {
                let page = plain_page("Not found", "This site has no page at this address.");
                let page = inject_script(page.as_bytes(), &reload::script_tag(served));
                bytes(404, "text/html; charset=utf-8", page)
            }
        },
    }
}

enum Found {
    File(PathBuf, Metadata),
    /// A directory asked for without its trailing slash.
    Directory,
    Missing,
}

/// Finds the file for `rel` inside `site`; anything whose real path leaves
/// `site` (through a symbolic link) is missing.
fn resolve(site: &Path, rel: &Path, slash: bool) -> Found {
    let Ok(path) = site.join(rel).canonicalize() else {
        return Found::Missing;
    };
    if !path.starts_with(site) {
        return Found::Missing;
    }
    let Ok(meta) = path.metadata() else {
        return Found::Missing;
    };
    if meta.is_dir() {
        if !slash {
            return Found::Directory;
        }
        return match resolve(site, &rel.join("index.html"), false) {
            Found::File(p, m) => Found::File(p, m),
            _ => Found::Missing,
        };
    }
    if slash || !meta.is_file() {
        return Found::Missing;
    }
    Found::File(path, meta)
}

fn file(
    path: &Path,
    meta: &Metadata,
    status: u16,
    request: &Request,
    served: &Served,
    pages: &Pages,
) -> Reply {
    let kind = content_type(path);
    let html = kind.starts_with("text/html");
    let modified = meta.modified().unwrap_or(UNIX_EPOCH);
    let tag = etag(meta.len(), modified, html.then_some(served.build.as_str()));
    let last_modified = httpdate::fmt_http_date(modified);
    if status == 200
        && not_modified(
            request.header("If-None-Match"),
            request.header("If-Modified-Since"),
            &tag,
            modified,
        )
    {
        return bytes(304, kind, Vec::new())
            .with_header("ETag", &tag)
            .with_header("Last-Modified", &last_modified);
    }
    let body = if html {
        pages
            .get(path, &tag, || {
                let page = std::fs::read(path)?;
                Ok(inject_script(&page, &reload::script_tag(served)))
            })
            .map(Body::Shared)
    } else {
        File::open(path).and_then(|f| {
            let len = f.metadata()?.len();
            Ok(Body::File(f, len))
        })
    };
    match body {
        Ok(body) => reply(status, kind, body)
            .with_header("ETag", &tag)
            .with_header("Last-Modified", &last_modified),
        Err(e) => text(
            500,
            "text/plain; charset=utf-8",
            &format!("cannot read {}: {e}\n", path.display()),
        ),
    }
}

/// The content type of a file kind a site may hold; text types say UTF-8,
/// because that is what Trellis writes.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "xml" => "application/xml",
        "rss" => "application/rss+xml",
        "atom" => "application/atom+xml",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "wasm" => "application/wasm",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

/// A strong validator from size and modification time; every build writes
/// fresh files, so a rebuilt file never keeps its tag. HTML also carries the
/// build it was served in, because the injected script names that build.
fn etag(len: u64, modified: SystemTime, build: Option<&str>) -> String {
    let nanos = modified
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    match build {
        Some(b) => format!("\"{len:x}-{nanos:x}-{b}\""),
        None => format!("\"{len:x}-{nanos:x}\""),
    }
}

/// Whether a conditional GET may be answered 304. `If-None-Match` wins over
/// `If-Modified-Since` when both are sent (RFC 9110 §13.2.2), which matters
/// here: two builds within one second share a `Last-Modified`.
pub fn not_modified(
    if_none_match: Option<&str>,
    if_modified_since: Option<&str>,
    etag: &str,
    modified: SystemTime,
) -> bool {
    if let Some(list) = if_none_match {
        return list
            .split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == "*" || t == etag);
    }
    match if_modified_since.and_then(|s| httpdate::parse_http_date(s).ok()) {
        Some(since) => {
            let secs = |t: SystemTime| t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
            secs(modified) <= secs(since)
        }
        None => false,
    }
}

/// Inserts `tag` before the last `</body>` (any case), or at the end when the
/// page has none, as browsers do with content after `</html>` anyway.
pub fn inject_script(html: &[u8], tag: &str) -> Vec<u8> {
    let needle = b"</body";
    let at = html
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn redirect(location: &str) -> Reply {
    text(302, "text/plain; charset=utf-8", "Moved\n").with_header("Location", location)
}

fn text(status: u16, kind: &str, body: &str) -> Reply {
    bytes(status, kind, body.as_bytes().to_vec())
}

fn bytes(status: u16, kind: &str, body: Vec<u8>) -> Reply {
    reply(status, kind, Body::Bytes(body))
}

fn reply(status: u16, kind: &str, body: Body) -> Reply {
    Reply {
        status,
        headers: Vec::new(),
        body,
    }
    .with_header("Content-Type", kind)
    .with_header("Cache-Control", "no-cache")
    .with_header("X-Content-Type-Options", "nosniff")
}

/// A header value made ASCII without control characters (a `Location` may
/// carry a query or base path in UTF-8), percent-encoding the rest as a URL
/// would, so no value can end the header early.
fn ascii_header(value: &str) -> String {
    let mut ascii = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii() && !b.is_ascii_control() {
            ascii.push(b as char);
        } else {
            ascii.push_str(&format!("%{b:02X}"));
        }
    }
    ascii
}

/// A minimal page for answers the site itself does not provide.
pub(crate) fn plain_page(title: &str, body_html: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\n<body style=\"font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto\"><h1>{title}</h1><p>{body_html}</p></body></html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn content_types_cover_the_file_kinds_of_a_site() {
        assert_eq!(
            content_type(Path::new("a/index.HTML")),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("style.css")),
            "text/css; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("search.js")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("ideas.json")), "application/json");
        assert_eq!(content_type(Path::new("logo.svg")), "image/svg+xml");
        assert_eq!(content_type(Path::new("font.woff2")), "font/woff2");
        assert_eq!(content_type(Path::new("CNAME")), "application/octet-stream");
    }

    #[test]
    fn etag_match_answers_not_modified() {
        let t = UNIX_EPOCH + Duration::from_secs(1_000);
        assert!(not_modified(Some("\"a\""), None, "\"a\"", t));
        assert!(not_modified(Some("\"b\", W/\"a\""), None, "\"a\"", t));
        assert!(!not_modified(Some("\"b\""), None, "\"a\"", t));
    }

    #[test]
    fn if_none_match_wins_over_if_modified_since() {
        let t = UNIX_EPOCH + Duration::from_secs(1_000);
        let later = httpdate::fmt_http_date(t + Duration::from_secs(60));
        assert!(!not_modified(Some("\"old\""), Some(&later), "\"new\"", t));
        assert!(not_modified(None, Some(&later), "\"new\"", t));
        let earlier = httpdate::fmt_http_date(t - Duration::from_secs(60));
        assert!(!not_modified(None, Some(&earlier), "\"new\"", t));
    }

    fn written(reply: Reply, head_only: bool) -> String {
        let mut out = Vec::new();
        write_reply(&mut out, reply, head_only).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn answers_have_a_length_and_close_the_connection() {
        let out = written(text(404, "text/plain", "gone\n"), false);
        assert!(out.starts_with("HTTP/1.1 404 Not Found\r\nDate: "), "{out}");
        assert!(out.contains("\r\nContent-Type: text/plain\r\n"), "{out}");
        assert!(
            out.ends_with("\r\nContent-Length: 5\r\nConnection: close\r\n\r\ngone\n"),
            "{out}"
        );
    }

    #[test]
    fn head_and_not_modified_answers_have_no_body() {
        let head = written(text(200, "text/plain", "body"), true);
        assert!(
            head.ends_with("Content-Length: 4\r\nConnection: close\r\n\r\n"),
            "{head}"
        );
        let unchanged = written(bytes(304, "text/plain", Vec::new()), false);
        assert!(
            unchanged.starts_with("HTTP/1.1 304 Not Modified\r\n"),
            "{unchanged}"
        );
        assert!(!unchanged.contains("Content-Length"), "{unchanged}");
    }

    #[test]
    fn files_are_streamed_with_their_length() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("big.json");
        std::fs::write(&path, "[1,2,3]").unwrap();
        let file = File::open(&path).unwrap();
        let out = written(reply(200, "application/json", Body::File(file, 7)), false);
        assert!(
            out.ends_with("Content-Length: 7\r\nConnection: close\r\n\r\n[1,2,3]"),
            "{out}"
        );
    }

    #[test]
    fn header_values_cannot_end_the_header() {
        let out = written(redirect("/t/\r\nSet-Cookie: x=1/é"), false);
        assert!(
            out.contains("\r\nLocation: /t/%0D%0ASet-Cookie: x=1/%C3%A9\r\n"),
            "{out}"
        );
    }

    #[test]
    fn script_goes_before_the_last_closing_body() {
        let out = inject_script(b"<p>&lt;/body&gt;</p></BODY></html>", "<s>");
        assert_eq!(out, b"<p>&lt;/body&gt;</p><s></BODY></html>");
        assert_eq!(inject_script(b"<p>x</p>", "<s>"), b"<p>x</p><s>");
    }

    #[test]
    fn only_loopback_names_and_the_bound_address_are_answered() {
        let local: IpAddr = "127.0.0.1".parse().unwrap();
        let lan: IpAddr = "192.168.1.5".parse().unwrap();
        let any: IpAddr = "0.0.0.0".parse().unwrap();
        for host in [
            "localhost",
            "localhost:1111",
            "LOCALHOST.",
            "app.localhost:8080",
            "127.0.0.1",
            "127.0.0.1:1111",
            "[::1]",
            "[::1]:1111",
        ] {
            assert!(host_allowed(Some(host), local), "{host}");
        }
        assert!(host_allowed(None, local));
        for host in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "192.168.1.5",
            "[::1",
            "",
        ] {
            assert!(!host_allowed(Some(host), local), "{host}");
        }
        assert!(host_allowed(Some("192.168.1.5:1111"), lan));
        assert!(host_allowed(Some("10.0.0.2"), any));
        assert!(!host_allowed(Some("evil.example"), any));
    }

    #[test]
    fn a_page_read_by_many_clients_at_once_is_one_copy() {
        let pages = Pages::default();
        let path = Path::new("/site/big/index.html");
        let first = pages.get(path, "t1", || Ok(vec![1; 1000])).unwrap();
        let second = pages.get(path, "t1", || panic!("not read again")).unwrap();
        assert!(Arc::ptr_eq(&first, &second));
        let rebuilt = pages.get(path, "t2", || Ok(vec![2; 10])).unwrap();
        assert_eq!(&rebuilt[..], &[2; 10]);
        drop((first, second, rebuilt));
        let again = pages.get(path, "t2", || Ok(vec![3])).unwrap();
        assert_eq!(&again[..], &[3], "a page no client holds is freed");
    }

    #[test]
    fn symlinks_out_of_the_site_are_missing() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(site.join("dir")).unwrap();
        std::fs::write(tmp.path().join("secret"), "s").unwrap();
        std::fs::write(site.join("dir/index.html"), "i").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret"), site.join("leak")).unwrap();
        let site = site.canonicalize().unwrap();
        assert!(matches!(
            resolve(&site, Path::new("leak"), false),
            Found::Missing
        ));
        assert!(matches!(
            resolve(&site, Path::new("dir"), false),
            Found::Directory
        ));
        assert!(matches!(
            resolve(&site, Path::new("dir"), true),
            Found::File(..)
        ));
        assert!(matches!(
            resolve(&site, Path::new("dir/index.html"), true),
            Found::Missing
        ));
    }
}
