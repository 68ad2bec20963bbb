//! The link check run at the end of every build: every internal `href` and `src`
//! of every page must name a file of the output, under the base path, so a site
//! deployed to a sub-path (GitHub Pages) has no broken link. Pure: it reads the
//! rendered HTML and the set of written files, not the disk.
//!
//! It has to stay cheap next to rendering, on sites of 100,000 pages with some
//! twenty links each: pages are scanned once, with a SIMD substring search, while
//! their HTML is still in cache; links are resolved without allocating
//! ([`Resolver`]); and a page keeps only the hashes of the files it links to
//! ([`Target`]), checked against the hashes of the written paths. Only when a
//! link is broken is its page read again, to name the link in the error.

use std::borrow::Cow;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use crate::util::fingerprint::QuickHash;

/// The `href` and `src` values of a page that point inside the site (paths, not
/// `https:`, `mailto:` or in-page `#` links), entities decoded, in page order.
pub fn internal_links(html: &str) -> Vec<String> {
    let mut links = Vec::new();
    scan(html, |link| links.push(link.into_owned()));
    links
}

/// Calls `found` with each internal link of `html`: the values of `href="…"` and
/// `src="…"` attributes that follow a space or a line break inside a tag.
///
/// Only real attributes count: HTML shown as text (`<a href="/docs/">` in a code
/// span) reaches the page as `&lt;a href="/docs/"&gt;`, with its quotes left
/// bare, and is no link. One pass over the markup's `<`, `>` and `"` tells tags
/// from text, so the scan stays linear however the page is made.
fn scan(html: &str, mut found: impl FnMut(Cow<str>)) {
    let bytes = html.as_bytes();
    let mut in_tag = false;
    let mut at = 0;
    while let Some(offset) = memchr::memchr3(b'<', b'>', b'"', &bytes[at..]) {
        let i = at + offset;
        at = i + 1;
        match bytes[i] {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            _ if in_tag => {
                // An attribute value: skip to its closing quote, so that a `>`
                // inside it does not end the tag.
                let start = i + 1;
                let Some(len) = memchr::memchr(b'"', &bytes[start..]) else {
                    break;
                };
                at = start + len + 1;
                let before = &bytes[..i];
                let named = [&b" href="[..], b"\nhref=", b" src=", b"\nsrc="]
                    .iter()
                    .any(|name| before.ends_with(name));
                if !named {
                    continue;
                }
                // Both ends are ASCII quotes, so the slice is on character boundaries.
                let raw = &html[start..start + len];
                let value = if raw.contains('&') {
                    Cow::Owned(decode_entities(raw))
                } else {
                    Cow::Borrowed(raw)
                };
                if is_internal(&value) {
                    found(value);
                }
            }
            _ => {}
        }
    }
}

fn is_internal(url: &str) -> bool {
    let url = url.trim();
    !(url.is_empty()
        || url.starts_with('#')
        || url.starts_with("//")
        || url.contains("://")
        || url.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }))
}

/// Decodes the entities Tera and html5ever write into attribute values.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The output file an internal link of `page` resolves to, or why it cannot.
pub fn target_file(link: &str, page: &str, base: &str) -> Result<String, &'static str> {
    let path = link.split(['#', '?']).next().unwrap_or_default();
    let absolute = if path.starts_with('/') {
        match path.strip_prefix(base) {
            Some(rest) => rest.to_string(),
            None if path == base.trim_end_matches('/') => String::new(),
            None => return Err("it is outside the base path"),
        }
    } else {
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        if dir.is_empty() {
            path.to_string()
        } else {
            format!("{dir}/{path}")
        }
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in absolute.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err("it climbs above the site");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    Ok(if absolute.is_empty() || absolute.ends_with('/') {
        if joined.is_empty() {
            "index.html".into()
        } else {
            format!("{joined}/index.html")
        }
    } else {
        joined
    })
}

/// A file a link names, as two hashes: of the path it resolves to, and of that
/// path + `/index.html` (a link to `skills/go` is served by `skills/go/index.html`).
/// [`UNRESOLVABLE`] for a link that leaves the site or the base path.
pub type Target = (u64, u64);

/// The target of a link that cannot name a file of the site.
pub const UNRESOLVABLE: Target = (0, 0);

/// The hash of a written file's site-relative path, as [`Target`]s hold them.
pub fn file_key(rel: &str) -> u64 {
    let mut hasher = QuickHash::default();
    rel.hash(&mut hasher);
    hasher.finish()
}

fn target_of(link: &str, page: &str, base: &str) -> Target {
    match target_file(link, page, base) {
        Ok(file) => (file_key(&file), file_key(&format!("{file}/index.html"))),
        Err(_) => UNRESOLVABLE,
    }
}

/// Resolves the links of pages to [`Target`]s. Nearly every link is a plain
/// absolute path under the base path (`/base/skills/go/`): those are resolved
/// in a buffer kept from link to link, without allocating; the rest by
/// [`target_file`].
pub struct Resolver<'b> {
    base: &'b str,
    buffer: String,
}

impl<'b> Resolver<'b> {
    pub fn new(base: &'b str) -> Resolver<'b> {
        Resolver {
            base,
            buffer: String::new(),
        }
    }

    /// The distinct files the internal links of `page` (a site-relative file) name, sorted.
    pub fn targets(&mut self, page: &str, html: &str) -> Vec<Target> {
        let mut targets = Vec::new();
        scan(html, |link| {
            let path = link.split(['#', '?']).next().unwrap_or_default();
            let target = self
                .plain(path)
                .unwrap_or_else(|| target_of(path, page, self.base));
            targets.push(target);
        });
        targets.sort_unstable();
        targets.dedup();
        targets
    }

    /// The target of a path under the base path with no empty, `.` or `..`
    /// segment, which is the path itself (with `index.html` after a final `/`):
    /// what [`target_file`] gives for it, without its allocations.
    fn plain(&mut self, path: &str) -> Option<Target> {
        let rest = path.strip_prefix(self.base)?;
        let plain = !rest.starts_with('/')
            && !rest.contains("//")
            && rest.split('/').all(|s| s != "." && s != "..");
        if !plain {
            return None;
        }
        self.buffer.clear();
        self.buffer.push_str(rest);
        if rest.is_empty() || rest.ends_with('/') {
            self.buffer.push_str("index.html");
        }
        let file = file_key(&self.buffer);
        self.buffer.push_str("/index.html");
        Some((file, file_key(&self.buffer)))
    }
}

/// Checks that every target of every page is a written file (`written` holds the
/// [`file_key`]s of all of them); else an error naming each broken link and its
/// page (the first twenty), found again in the page's HTML, which `read` gives.
pub fn check<'p>(
    pages: impl IntoIterator<Item = (&'p str, &'p [Target])>,
    written: &HashSet<u64>,
    base: &str,
    read: &dyn Fn(&str) -> Option<String>,
) -> Result<(), super::Error> {
    let exists =
        |t: &Target| *t != UNRESOLVABLE && (written.contains(&t.0) || written.contains(&t.1));
    let mut failing: Vec<&str> = pages
        .into_iter()
        .filter(|(_, targets)| !targets.iter().all(exists))
        .map(|(page, _)| page)
        .collect();
    if failing.is_empty() {
        return Ok(());
    }
    failing.sort_unstable();
    failing.dedup();
    let mut broken = Vec::new();
    let mut count = 0;
    for page in failing {
        let Some(html) = read(page) else {
            count += 1;
            broken.push(format!("  {page}: a link to a file the site does not have"));
            continue;
        };
        for link in internal_links(&html) {
            let problem = match target_file(&link, page, base) {
                Ok(file)
                    if written.contains(&file_key(&file))
                        || written.contains(&file_key(&format!("{file}/index.html"))) =>
                {
                    continue
                }
                Ok(_) => "no such file in the site",
                Err(why) => why,
            };
            count += 1;
            if broken.len() < 20 {
                broken.push(format!("  {page}: '{link}': {problem}"));
            }
        }
    }
    broken.sort();
    Err(super::Error::BrokenLinks {
        count,
        base: base.to_string(),
        found: broken,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_internal_links_and_decodes_them() {
        let html = r##"<a href="&#x2F;b&#x2F;skills&#x2F;go&#x2F;">x</a> <a href="https://x.org">y</a> <img src="/b/logo.svg"> <a href="mailto:a@b"></a> <a href="#top"></a> <div data-href="/nope"></div>"##;
        assert_eq!(internal_links(html), vec!["/b/skills/go/", "/b/logo.svg"]);
    }

    #[test]
    fn html_shown_as_text_is_no_link() {
        // What a code span holding `<a href="/docs/">` becomes once sanitized.
        let html = r#"<p><code>&lt;a href="/docs/"&gt;</code> and <a title="a > b" href="/real/">x</a></p><pre><code>&lt;img src="/x.png"&gt;</code></pre>"#;
        assert_eq!(internal_links(html), vec!["/real/"]);
    }

    #[test]
    fn resolves_links_under_the_base_path() {
        assert_eq!(
            target_file("/b/skills/go/", "x/index.html", "/b/").unwrap(),
            "skills/go/index.html"
        );
        assert_eq!(
            target_file("/b/", "x/index.html", "/b/").unwrap(),
            "index.html"
        );
        assert_eq!(
            target_file("/b/style.css?v=1", "index.html", "/b/").unwrap(),
            "style.css"
        );
        assert_eq!(
            target_file("../y/", "ideas/x/index.html", "/b/").unwrap(),
            "ideas/y/index.html"
        );
        assert!(target_file("/skills/go/", "index.html", "/b/").is_err());
        assert!(target_file("../../../x", "a/index.html", "/").is_err());
    }

    #[test]
    fn check_names_page_and_link() {
        let html =
            r#"<a href="/missing/">x</a> <a href="/">home</a> <a href="/missing/">again</a>"#;
        let mut resolver = Resolver::new("/");
        let targets = resolver.targets("index.html", html);
        assert_eq!(targets.len(), 2, "each distinct link once");
        let written = HashSet::from([file_key("index.html")]);
        let read = |page: &str| (page == "index.html").then(|| html.to_string());
        let err = check([("index.html", &targets[..])], &written, "/", &read)
            .unwrap_err()
            .to_string();
        assert!(err.contains("index.html: '/missing/'"), "{err}");
        assert!(err.starts_with("2 broken internal links "), "{err}");
    }

    #[test]
    fn plain_paths_resolve_as_target_file_resolves_them() {
        for (base, link) in [
            ("/", "/"),
            ("/", "/skills/go/"),
            ("/b/", "/b/"),
            ("/b/", "/b/style.css"),
            ("/b/", "/b/ideas/t/o/i/"),
            ("/b/", "/b/a/../c/"),
            ("/b/", "/b//x"),
            ("/b/", "/b"),
            ("/b/", "/elsewhere/"),
        ] {
            let html = format!("<a href=\"{link}\">x</a>");
            let got = Resolver::new(base).targets("p/index.html", &html);
            assert_eq!(
                got,
                vec![target_of(link, "p/index.html", base)],
                "{base} {link}"
            );
        }
    }

    #[test]
    fn links_to_written_files_and_directories_pass() {
        let html = r#"<a href="/b/skills/go/">go</a><a href="/b/style.css?v=2">css</a><a href="/b/skills/go#top">x</a>"#;
        let targets = Resolver::new("/b/").targets("index.html", html);
        let written = HashSet::from([file_key("skills/go/index.html"), file_key("style.css")]);
        assert!(check([("index.html", &targets[..])], &written, "/b/", &|_| None).is_ok());
        let outside = Resolver::new("/b/").targets("index.html", r#"<a href="/elsewhere/">x</a>"#);
        assert_eq!(outside, vec![UNRESOLVABLE]);
        assert!(check([("index.html", &outside[..])], &written, "/b/", &|_| None).is_err());
    }
}
