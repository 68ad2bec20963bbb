//! Proposal markdown to HTML. Term files are written by many hands and are
//! untrusted: the HTML pulldown-cmark makes is cleaned by ammonia, which keeps
//! only harmless tags and attributes and only `http`, `https` and `mailto` URLs,
//! so no script, event handler, iframe, `javascript:` or `data:` URL survives.

use std::borrow::Cow;
use std::collections::HashSet;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The only URL schemes a proposal's links and images may use.
const SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// Renders markdown for pages; built once per build and shared by every page.
pub struct Markdown {
    cleaner: ammonia::Builder<'static>,
    source_base: Option<String>,
}

impl Markdown {
    /// `source_base` is where a relative link in a term file points: the content
    /// directory in the site's repository (`https://github.com/o/r/blob/main/content/`).
    /// Without it, relative links are dropped, since they would be broken on the site.
    pub fn new(source_base: Option<String>) -> Markdown {
        let mut cleaner = ammonia::Builder::default();
        cleaner
            .url_schemes(HashSet::from(SCHEMES))
            .link_rel(Some("nofollow noopener"))
            .rm_tags(["area", "map"])
            .url_relative(ammonia::UrlRelative::Custom(Box::new(RelativeLinks(
                source_base.clone(),
            ))));
        Markdown {
            cleaner,
            source_base,
        }
    }

    /// Markdown to safe HTML. Headings are moved down by `shift` levels (at most
    /// to `h6`) so a proposal's `#` never competes with the page's own `h1`.
    ///
    /// A link whose URL the cleaner would drop is unwrapped to its text here,
    /// since ammonia would keep an `<a rel>` without `href`, which is not valid HTML.
    pub fn to_html(&self, markdown: &str, shift: u8) -> String {
        // Links do not nest in markdown, so one flag tracks the link being unwrapped.
        let mut unwrapping = false;
        let events = Parser::new_ext(markdown, options()).filter_map(|event| match event {
            Event::Start(Tag::Link { ref dest_url, .. })
                if !url_survives(dest_url, self.source_base.as_deref()) =>
            {
                unwrapping = true;
                None
            }
            Event::End(TagEnd::Link) if unwrapping => {
                unwrapping = false;
                None
            }
            other => Some(other),
        });
        let events = events.map(|event| match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => Event::Start(Tag::Heading {
                level: shifted(level, shift),
                id,
                classes,
                attrs,
            }),
            Event::End(TagEnd::Heading(level)) => {
                Event::End(TagEnd::Heading(shifted(level, shift)))
            }
            other => other,
        });
        let mut html = String::with_capacity(markdown.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events);
        self.cleaner.clean(&html).to_string()
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

fn shifted(level: HeadingLevel, shift: u8) -> HeadingLevel {
    let n = (level as u8).saturating_add(shift).min(6);
    HeadingLevel::try_from(n as usize).unwrap_or(HeadingLevel::H6)
}

/// Resolves relative URLs of proposals against the source repository.
struct RelativeLinks(Option<String>);

impl<'a> ammonia::UrlRelativeEvaluate<'a> for RelativeLinks {
    fn evaluate<'url>(&self, url: &'url str) -> Option<Cow<'url, str>> {
        resolve_relative(url, self.0.as_deref())
    }
}

/// Whether the cleaner keeps a link's URL, decided as ammonia decides it: an
/// absolute URL by its scheme, a relative one by [`resolve_relative`].
fn url_survives(url: &str, source_base: Option<&str>) -> bool {
    match url::Url::parse(url) {
        Ok(absolute) => SCHEMES.contains(&absolute.scheme()),
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            resolve_relative(url, source_base).is_some()
        }
        Err(_) => false,
    }
}

/// In-page anchors stay; other relative URLs point into the source repository, or go.
fn resolve_relative<'u>(url: &'u str, source_base: Option<&str>) -> Option<Cow<'u, str>> {
    if url.starts_with('#') {
        return Some(Cow::Borrowed(url));
    }
    let base = source_base?;
    let path = url.trim_start_matches("./");
    if path.starts_with('/') || path.starts_with("..") {
        // A path that leaves the content directory cannot be resolved reliably.
        return None;
    }
    Some(Cow::Owned(format!("{base}{path}")))
}

/// Markdown as plain text on one line, cut at a word near `max` characters: for
/// summaries in lists and `<meta name="description">`.
pub fn plain_text(markdown: &str, max: usize) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for word in words {
        if out.chars().count() + word.chars().count() + 1 > max {
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md() -> Markdown {
        Markdown::new(Some("https://github.com/o/r/blob/main/content/".into()))
    }

    #[test]
    fn script_and_handlers_never_survive() {
        let html = md().to_html(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<iframe src=\"https://e.vil\"></iframe>\n\n[a](javascript:alert(1)) [b](data:text/html,hi) [c](JaVaScRiPt:alert(1))",
            0,
        );
        let lower = html.to_lowercase();
        for bad in ["<script", "onerror", "<iframe", "javascript:", "data:"] {
            assert!(!lower.contains(bad), "{bad} in {html}");
        }
    }

    #[test]
    fn links_get_nofollow_and_relative_links_point_at_the_repository() {
        let html = md().to_html(
            "[x](https://example.org) [guide](./guide.md) [top](#top)",
            0,
        );
        assert!(html.contains("rel=\"nofollow noopener\""), "{html}");
        assert!(
            html.contains("href=\"https://github.com/o/r/blob/main/content/guide.md\""),
            "{html}"
        );
        assert!(html.contains("href=\"#top\""), "{html}");
        let without_repo = Markdown::new(None).to_html("[guide](guide.md)", 0);
        assert!(!without_repo.contains("href"), "{without_repo}");
    }

    #[test]
    fn link_whose_url_is_dropped_becomes_plain_text() {
        let html = Markdown::new(None).to_html(
            "[guide](guide.md) and [x](javascript:alert(1)) but [y](https://example.org)",
            0,
        );
        assert_eq!(
            html.matches("<a ").count(),
            1,
            "only the https link stays a link: {html}"
        );
        assert!(html.contains("guide and x but"), "{html}");
    }

    #[test]
    fn headings_move_down_so_the_page_keeps_one_h1() {
        let html = md().to_html("# Title\n\n##### Deep", 1);
        assert!(html.contains("<h2>Title</h2>"), "{html}");
        assert!(html.contains("<h6>Deep</h6>"), "{html}");
    }

    #[test]
    fn plain_text_is_one_line_cut_at_a_word() {
        assert_eq!(
            plain_text("Hello **big**\nworld `x`", 100),
            "Hello big world x"
        );
        assert_eq!(plain_text("one two three four", 10), "one two…");
    }
}
