//! Where a request goes: a pure function from the raw request target to a
//! [`Route`], so every path-traversal decision can be tested without a socket.
//!
//! The target is percent-decoded exactly once, then split on `/`; a segment that
//! is `.` or `..`, or a path holding a backslash, NUL or another control
//! character, is refused outright rather than "cleaned", because a cleaned path
//! is one whose meaning the client and the server may disagree on. What comes out
//! is a relative path of plain names, which [`super::http`] joins to the site
//! directory and checks once more against symbolic links.

use std::path::PathBuf;

/// The prefix, inside the base path, of everything the dev server adds to the site.
pub const INTERNAL: &str = "__trellis/";

/// What a request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// A file or directory of the site, relative to its root; `slash` says the
    /// URL ended with `/` (so a directory is served by its `index.html`).
    Site { rel: PathBuf, slash: bool },
    /// A permanent address elsewhere: the base path for `/`, `dir/` for `dir`.
    Redirect(String),
    /// The Server-Sent Events stream of rebuilds.
    Events,
    /// The injected client script.
    ReloadScript,
    /// A path outside the base path: GitHub Pages would not serve this site there.
    OutsideBase,
    /// A target that is malformed or tries to leave the site.
    Refused,
}

/// Routes `target` (the request line's path and query, undecoded) for a site
/// served under `base` (`/` or `/name/`, as [`crate::config::Config::base_path`] gives).
pub fn route(base: &str, target: &str) -> Route {
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    let path = path.split('#').next().unwrap_or("");
    if !path.starts_with('/') {
        return Route::Refused;
    }
    let Some(decoded) = percent_decode(path) else {
        return Route::Refused;
    };
    if decoded.chars().any(|c| c == '\\' || c.is_control())
        || decoded.split('/').any(|s| s == "." || s == "..")
    {
        return Route::Refused;
    }
    if base != "/" && (decoded == "/" || decoded == base.trim_end_matches('/')) {
        return Route::Redirect(with_query(base.to_string(), query));
    }
    let Some(rest) = decoded.strip_prefix(base) else {
        return Route::OutsideBase;
    };
    match rest {
        "__trellis/events" => return Route::Events,
        "__trellis/reload.js" => return Route::ReloadScript,
        _ => {}
    }
    let mut rel = PathBuf::new();
    for segment in rest.split('/').filter(|s| !s.is_empty()) {
        rel.push(segment);
    }
    let slash = rest.is_empty() || rest.ends_with('/');
    Route::Site { rel, slash }
}

/// The address of a directory with its trailing slash, rebuilt from checked
/// names so that it can never point at another host (`//evil.example`).
pub fn directory_redirect(base: &str, rel: &std::path::Path, target: &str) -> String {
    let mut location = base.to_string();
    for name in rel.iter() {
        location.push_str(&percent_encode(&name.to_string_lossy()));
        location.push('/');
    }
    with_query(location, target.split_once('?').map(|(_, q)| q))
}

fn with_query(mut location: String, query: Option<&str>) -> String {
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        location.push('?');
        location.push_str(q);
    }
    location
}

/// Decodes `%XX` escapes once; `None` for a malformed escape or a result that is
/// not UTF-8. A double-encoded `%252e` becomes the literal name `%2e`, never `.`.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Escapes everything but unreserved characters and a few safe ones, for a `Location`.
fn percent_encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(rel: &str, slash: bool) -> Route {
        Route::Site {
            rel: PathBuf::from(rel),
            slash,
        }
    }

    #[test]
    fn files_under_the_base_path_are_site_routes() {
        assert_eq!(route("/t/", "/t/a/b.css"), site("a/b.css", false));
        assert_eq!(route("/t/", "/t/a/?x=1"), site("a", true));
        assert_eq!(route("/t/", "/t/"), site("", true));
        assert_eq!(route("/", "/"), site("", true));
        assert_eq!(
            route("/", "/ideas%20list.html"),
            site("ideas list.html", false)
        );
    }

    #[test]
    fn root_and_bare_base_redirect_to_the_base_path() {
        assert_eq!(route("/t/", "/"), Route::Redirect("/t/".into()));
        assert_eq!(route("/t/", "/t"), Route::Redirect("/t/".into()));
        assert_eq!(route("/t/", "/t?q=1"), Route::Redirect("/t/?q=1".into()));
    }

    #[test]
    fn paths_outside_the_base_are_not_the_site() {
        assert_eq!(route("/t/", "/other/index.html"), Route::OutsideBase);
        assert_eq!(route("/t/", "/tx/index.html"), Route::OutsideBase);
    }

    #[test]
    fn internal_endpoints_live_under_the_base() {
        assert_eq!(route("/t/", "/t/__trellis/events"), Route::Events);
        assert_eq!(
            route("/t/", "/t/__trellis/reload.js?build=3"),
            Route::ReloadScript
        );
        assert_eq!(route("/t/", "/__trellis/events"), Route::OutsideBase);
    }

    #[test]
    fn traversal_forms_are_refused() {
        for target in [
            "/../etc/passwd",
            "/t/../etc/passwd",
            "/t/..%2f..%2fetc/passwd",
            "/t/%2e%2e/%2e%2e/etc/passwd",
            "/t/%2E%2E/etc/passwd",
            "/t/a/./b",
            "/t/..\\..\\etc\\passwd",
            "/t/%5c..%5cetc",
            "/t/a%00.html",
            "/t/a%0a.html",
            "/t/%zz",
            "/t/%ff%fe",
            "t/index.html",
            "*",
        ] {
            assert_eq!(route("/t/", target), Route::Refused, "{target}");
        }
    }

    #[test]
    fn absolute_and_double_encoded_paths_stay_inside_the_site() {
        assert_eq!(route("/", "//etc/passwd"), site("etc/passwd", false));
        assert_eq!(route("/", "/%2fetc%2fpasswd"), site("etc/passwd", false));
        assert_eq!(
            route("/", "/%252e%252e/etc/passwd"),
            site("%2e%2e/etc/passwd", false)
        );
    }

    #[test]
    fn directory_redirects_cannot_leave_the_host() {
        let rel = PathBuf::from("evil.example/a b");
        assert_eq!(
            directory_redirect("/", &rel, "//evil.example/a%20b?x"),
            "/evil.example/a%20b/?x"
        );
    }
}
