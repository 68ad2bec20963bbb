//! Proposal markdown to HTML. Term files are written by many hands and are
//! untrusted: the HTML pulldown-cmark makes is cleaned by ammonia, which keeps
//! only harmless tags and attributes and only `http` and `https` URLs, so no
//! script, event handler, iframe, `javascript:` or `data:` URL survives. A
//! `mailto:` link becomes its text, and every e-mail address in the result is
//! hidden behind the theme's reveal button ([`crate::util::email`]).
//!
//! The HTML parser inside the cleaner looks through the open elements on every
//! tag, so its time grows with the square of the nesting: 10,000 nested block
//! quotes took a third of a second, 10,000 nested lists over a second. Nesting
//! is therefore capped before cleaning, keeping every word of the text; and
//! raw HTML tables are kept only where nothing is moved out of them
//! ([`tables`]), since that move is quadratic in the cleaner too; and long
//! runs of text are broken with `<wbr>` ([`runs`]), since the cleaner's
//! serializer is quadratic in the length of one text node.

mod runs;
mod tables;

use std::borrow::Cow;
use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The only URL schemes a proposal's links and images may use.
const SCHEMES: [&str; 2] = ["http", "https"];

/// Block quotes and lists deeper than this are flattened into the one around
/// them, and raw HTML elements nested deeper are shown as text. No proposal
/// needs a tenth of it; past it, nesting only costs the cleaner time.
const MAX_NESTING: usize = 32;

/// Renders markdown for pages; built once per build and shared by every page.
pub struct Markdown {
    cleaner: ammonia::Builder<'static>,
    links: std::sync::Arc<Relative>,
}

/// How relative URLs are resolved: against the repository, except the site's
/// own pages, which links between markdown files were rewritten to
/// ([`crate::relink`]).
struct Relative {
    source_base: Option<String>,
    site_pages: HashSet<String>,
}

impl Markdown {
    /// `source_base` is where a relative link in a term file points: the content
    /// directory in the site's repository (`https://github.com/o/r/blob/main/content/`).
    /// Without it, relative links are dropped, since they would be broken on the site.
    pub fn new(source_base: Option<String>) -> Markdown {
        Markdown::with_site_pages(source_base, HashSet::new())
    }

    /// [`Markdown::new`], keeping links to `site_pages` (absolute paths such as
    /// `/base/terms/x/`, the pages the site's markdown files became).
    pub fn with_site_pages(source_base: Option<String>, site_pages: HashSet<String>) -> Markdown {
        let links = std::sync::Arc::new(Relative {
            source_base,
            site_pages,
        });
        let mut cleaner = ammonia::Builder::default();
        cleaner
            .url_schemes(HashSet::from(SCHEMES))
            .link_rel(Some("nofollow noopener"))
            .rm_tags(["area", "map"])
            .url_relative(ammonia::UrlRelative::Custom(Box::new(RelativeLinks(
                links.clone(),
            ))));
        Markdown { cleaner, links }
    }

    /// Markdown to safe HTML. Headings are moved down by `shift` levels (at most
    /// to `h6`) so a proposal's `#` never competes with the page's own `h1`.
    ///
    /// A link whose URL the cleaner would drop is unwrapped to its text here,
    /// since ammonia would keep an `<a rel>` without `href`, which is not valid HTML.
    pub fn to_html(&self, markdown: &str, shift: u8) -> String {
        self.to_html_leveled(markdown, &mut |level| shifted(level, shift))
    }

    /// [`Markdown::to_html`] with each heading's level, in document order, given
    /// by `level`: for notes whose headings are renumbered so none skips a level.
    pub fn to_html_leveled(
        &self,
        markdown: &str,
        level: &mut dyn FnMut(HeadingLevel) -> HeadingLevel,
    ) -> String {
        // Links do not nest in markdown, so one flag tracks the link being unwrapped.
        let mut unwrapping = false;
        let events = Parser::new_ext(markdown, options()).filter_map(|event| match event {
            Event::Start(Tag::Link { ref dest_url, .. })
                if !url_survives(dest_url, &self.links) =>
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
        // Headings do not nest, so the open heading's new level closes it.
        let mut open = HeadingLevel::H6;
        let events = events.map(|event| match event {
            Event::Start(Tag::Heading {
                level: from,
                id,
                classes,
                attrs,
            }) => {
                open = level(from);
                Event::Start(Tag::Heading {
                    level: open,
                    id,
                    classes,
                    attrs,
                })
            }
            Event::End(TagEnd::Heading(_)) => Event::End(TagEnd::Heading(open)),
            other => other,
        });
        let mut cap = NestingCap::default();
        let mut events: Vec<Event> = events
            .flat_map(move |event| cap.apply(event))
            .flatten()
            .collect();
        tables::escape_unsafe_tables(&mut events);
        let events = runs::break_long_runs(events);
        let mut html = String::with_capacity(markdown.len() * 3 / 2);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        let clean = focusable_code(self.cleaner.clean(&html).to_string());
        match crate::util::email::obfuscate_html(&clean) {
            std::borrow::Cow::Borrowed(_) => clean,
            std::borrow::Cow::Owned(hidden) => hidden,
        }
    }
}

/// Code blocks scroll sideways on narrow screens: one a keyboard cannot reach
/// cannot be read without a mouse. Each gets a tab stop and a name for screen
/// readers to announce on focus. The cleaner writes every `pre` bare.
fn focusable_code(html: String) -> String {
    if !html.contains("<pre>") {
        return html;
    }
    html.replace(
        "<pre>",
        "<pre tabindex=\"0\" role=\"group\" aria-label=\"Code block\">",
    )
}

/// Caps the nesting of one document's events in a single pass, so that the
/// cleaner's work stays linear in the input: a container past [`MAX_NESTING`]
/// loses its markup but never its text.
#[derive(Default)]
struct NestingCap {
    /// Block quotes and lists open around the current event, kept or not.
    containers: usize,
    /// Whether inline content came since the last block boundary.
    inline: bool,
    /// A flattened list item or quote ended a line of inline content: the
    /// next inline content starts a new line, as it would have in the list.
    line_break: bool,
    raw: RawHtmlNesting,
}

impl NestingCap {
    /// The events to render in place of `event`: none, itself, or a line
    /// break and itself.
    fn apply<'a>(&mut self, event: Event<'a>) -> [Option<Event<'a>>; 2] {
        let flattened = match &event {
            Event::Start(Tag::BlockQuote(_) | Tag::List(_)) => {
                self.containers += 1;
                self.containers > MAX_NESTING
            }
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_)) => {
                self.containers = self.containers.saturating_sub(1);
                self.containers >= MAX_NESTING
            }
            Event::Start(Tag::Item) | Event::End(TagEnd::Item) => self.containers > MAX_NESTING,
            _ => false,
        };
        if flattened {
            self.line_break |= self.inline;
            self.inline = false;
            return [None, None];
        }
        let event = match event {
            Event::Html(html) => Event::Html(self.raw.cap(html)),
            Event::InlineHtml(html) => Event::InlineHtml(self.raw.cap(html)),
            other => other,
        };
        if is_inline(&event) {
            self.inline = true;
            let line_break = std::mem::take(&mut self.line_break).then_some(Event::HardBreak);
            [line_break, Some(event)]
        } else {
            self.inline = false;
            self.line_break = false;
            [Some(event), None]
        }
    }
}

fn is_inline(event: &Event) -> bool {
    let tag = match event {
        Event::Start(tag) => tag.to_end(),
        Event::End(tag) => *tag,
        Event::Html(_) | Event::Rule => return false,
        _ => return true,
    };
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// Follows the elements a proposal's raw HTML opens, across all its HTML
/// events. A start tag that would open more than [`MAX_NESTING`] of them, and
/// the end tag that closes it, get their `<` escaped, so the cleaner reads
/// them as text.
///
/// The model may count deeper than the HTML parser nests, never shallower,
/// so that no input can nest deeper in the cleaner than the cap allows. It
/// closes an element only where the parser surely does: at an end tag naming
/// the innermost element; at the end tag of a block such as `div` or `ul`
/// with only elements that such an end tag implies closed (`p`, `li`, ...)
/// inside it; and where a `p`, `li`, `dd`, `dt` or `option` start tag closes
/// the one just before it.
#[derive(Default)]
struct RawHtmlNesting {
    /// Open elements, innermost last, each with whether its tag was escaped.
    open: Vec<(String, bool)>,
    /// How many of `open` were kept as elements.
    kept: usize,
    /// How many of the kept ones are `svg` or `math`.
    foreign: usize,
}

/// How far down the open elements an end tag looks for the one it closes;
/// looking no further keeps the model linear.
const END_TAG_REACH: usize = 2 * MAX_NESTING;

impl RawHtmlNesting {
    fn cap<'a>(&mut self, html: CowStr<'a>) -> CowStr<'a> {
        let mut escaped = Vec::new();
        for (lt, end, name) in tags(&html) {
            let escape = if end {
                self.end(&name)
            } else {
                self.start(name)
            };
            if escape {
                escaped.push(lt);
            }
        }
        escape_at(html, &escaped)
    }

    /// Opens `name`; whether its start tag is to be escaped.
    fn start(&mut self, name: String) -> bool {
        // Inside SVG or MathML even a `<br>` may stay open.
        if self.foreign == 0 && is_void(&name) {
            return false;
        }
        let top = self.open.last().map(|(n, _)| n.as_str());
        let closes_previous = match name.as_str() {
            "p" | "li" | "option" => top == Some(name.as_str()),
            "dd" | "dt" => matches!(top, Some("dd" | "dt")),
            _ => false,
        };
        if closes_previous {
            self.pop(1);
        }
        let escape = self.kept >= MAX_NESTING;
        if !escape {
            self.kept += 1;
            self.foreign += usize::from(is_foreign(&name));
        }
        self.open.push((name, escape));
        escape
    }

    /// Closes `name` if the parser surely does; whether its end tag is to be
    /// escaped (because its start tag was).
    fn end(&mut self, name: &str) -> bool {
        let Some(above) = self
            .open
            .iter()
            .rev()
            .take(END_TAG_REACH)
            .position(|(n, _)| n == name)
        else {
            return false;
        };
        let closes = above == 0
            || (closes_in_scope(name)
                && self
                    .open
                    .iter()
                    .rev()
                    .take(above)
                    .all(|(n, _)| implied_end(n)));
        if !closes {
            return false;
        }
        self.pop(above + 1)
    }

    /// Pops `n` open elements; whether the last one popped was escaped.
    fn pop(&mut self, n: usize) -> bool {
        let mut escaped = false;
        for _ in 0..n {
            let Some((name, was_escaped)) = self.open.pop() else {
                break;
            };
            if !was_escaped {
                self.kept -= 1;
                self.foreign -= usize::from(is_foreign(&name));
            }
            escaped = was_escaped;
        }
        escaped
    }
}

/// `html` with the `<` at each of `offsets` (ascending) escaped, so that an
/// HTML parser reads the tag it began as text.
fn escape_at<'a>(html: CowStr<'a>, offsets: &[usize]) -> CowStr<'a> {
    if offsets.is_empty() {
        return html;
    }
    let mut out = String::with_capacity(html.len() + 3 * offsets.len());
    let mut copied = 0;
    for &lt in offsets {
        out.push_str(&html[copied..lt]);
        out.push_str("&lt;");
        copied = lt + 1;
    }
    out.push_str(&html[copied..]);
    CowStr::from(out)
}

/// The tags in a piece of raw HTML: the offset of each `<`, whether it is an
/// end tag, and the name as an HTML parser reads it (up to a space, `/` or
/// `>`, ASCII letters lowercased). Anything an HTML parser could read as a tag
/// is one here, even inside a comment or an attribute value.
fn tags(html: &str) -> Vec<(usize, bool, String)> {
    let bytes = html.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(offset) = html[at..].find('<') {
        let lt = at + offset;
        let end = bytes.get(lt + 1) == Some(&b'/');
        let name_at = lt + 1 + usize::from(end);
        at = lt + 1;
        if !bytes.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let len = bytes[name_at..]
            .iter()
            .take_while(|b| !matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>'))
            .count();
        // The name ends at an ASCII byte or at the end, so both ends are on
        // character boundaries.
        found.push((lt, end, html[name_at..name_at + len].to_ascii_lowercase()));
        at = name_at + len;
    }
    found
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

fn is_foreign(name: &str) -> bool {
    name == "svg" || name == "math"
}

/// Elements whose end tag closes every element inside them when they are in
/// scope, as the HTML parser's rules for blocks, lists and headings do.
fn closes_in_scope(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "center"
            | "details"
            | "dialog"
            | "dir"
            | "div"
            | "dl"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "header"
            | "hgroup"
            | "listing"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "pre"
            | "search"
            | "section"
            | "summary"
            | "ul"
            | "p"
            | "li"
            | "dd"
            | "dt"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
    )
}

/// Elements the parser closes by itself before such an end tag; none of them
/// limits a scope, so with only these inside, the element is in scope.
fn implied_end(name: &str) -> bool {
    matches!(
        name,
        "dd" | "dt" | "li" | "optgroup" | "option" | "p" | "rb" | "rp" | "rt" | "rtc"
    )
}

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

fn shifted(level: HeadingLevel, shift: u8) -> HeadingLevel {
    let n = (level as u8).saturating_add(shift).min(6);
    HeadingLevel::try_from(n as usize).unwrap_or(HeadingLevel::H6)
}

/// Resolves relative URLs of proposals against the source repository.
struct RelativeLinks(std::sync::Arc<Relative>);

impl<'a> ammonia::UrlRelativeEvaluate<'a> for RelativeLinks {
    fn evaluate<'url>(&self, url: &'url str) -> Option<Cow<'url, str>> {
        resolve_relative(url, &self.0)
    }
}

/// Whether the cleaner keeps a link's URL, decided as ammonia decides it: an
/// absolute URL by its scheme, a relative one by [`resolve_relative`].
fn url_survives(url: &str, links: &Relative) -> bool {
    match url::Url::parse(url) {
        Ok(absolute) => SCHEMES.contains(&absolute.scheme()),
        Err(url::ParseError::RelativeUrlWithoutBase) => resolve_relative(url, links).is_some(),
        Err(_) => false,
    }
}

/// In-page anchors stay; other relative URLs point into the source repository, or go.
fn resolve_relative<'u>(url: &'u str, links: &Relative) -> Option<Cow<'u, str>> {
    if url.starts_with('#')
        || links
            .site_pages
            .contains(url.split('#').next().unwrap_or(url))
    {
        return Some(Cow::Borrowed(url));
    }
    let base = links.source_base.as_deref()?;
    let path = url.trim_start_matches("./");
    if path.starts_with('/') || path.starts_with("..") {
        // A path that leaves the content directory cannot be resolved reliably.
        return None;
    }
    Some(Cow::Owned(format!("{base}{path}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md() -> Markdown {
        Markdown::new(Some("https://github.com/o/r/blob/main/content/".into()))
    }

    #[test]
    fn code_blocks_are_reachable_by_keyboard_and_named() {
        let html = md().to_html("```\nlong line\n```\n\n<pre>raw</pre>", 0);
        assert_eq!(
            html.matches("<pre tabindex=\"0\" role=\"group\" aria-label=\"Code block\">")
                .count(),
            2,
            "{html}"
        );
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
    fn lists_nested_past_the_cap_are_flattened_and_keep_every_word() {
        let list: String = (0..40)
            .map(|i| format!("{}- item{i}\n", "  ".repeat(i)))
            .collect();
        let html = md().to_html(&list, 0);
        assert_eq!(html.matches("<ul>").count(), MAX_NESTING, "{html}");
        for i in 0..40 {
            assert!(html.contains(&format!("item{i}")), "item{i} lost: {html}");
        }
        // Flattened items still start lines of their own.
        assert!(
            html.contains("<li>item31<br>\nitem32<br>\nitem33"),
            "{html}"
        );
    }

    #[test]
    fn quotes_nested_past_the_cap_keep_their_paragraphs() {
        let quotes = format!("{}deep\n>\n> deeper", "> ".repeat(100));
        let html = md().to_html(&quotes, 0);
        assert_eq!(html.matches("<blockquote>").count(), MAX_NESTING);
        assert!(html.contains("<p>deep</p>"), "{html}");
        assert!(html.contains("deeper"), "{html}");
    }

    #[test]
    fn raw_html_nested_past_the_cap_is_shown_as_text() {
        let html = md().to_html(
            &format!("{}inside{}", "<div>".repeat(40), "</div>".repeat(40)),
            0,
        );
        assert_eq!(html.matches("<div>").count(), MAX_NESTING, "{html}");
        assert_eq!(html.matches("&lt;div&gt;").count(), 8, "{html}");
        assert_eq!(html.matches("&lt;/div&gt;").count(), 8, "{html}");
        assert!(html.contains("inside"), "{html}");
    }

    #[test]
    fn html_whose_elements_close_themselves_is_not_capped() {
        let items = "<li>an item".repeat(100);
        let html = md().to_html(&format!("<ul>{items}</ul>\n\n<p>a<p>b<br><br>"), 0);
        assert!(!html.contains("&lt;"), "{html}");
        assert_eq!(html.matches("<li>").count(), 100);
    }

    #[test]
    fn end_tags_only_close_the_element_they_name() {
        // `</x-b>` closes nothing in a browser; if it closed `<x-a>` here, the
        // cap would never be reached.
        let html = md().to_html(&format!("{}core", "<x-a></x-b>".repeat(40)), 0);
        assert!(html.contains("&lt;x-a&gt;"), "{html}");
        assert!(html.contains("core"), "{html}");
    }

    #[test]
    fn list_items_and_paragraphs_inside_other_elements_are_counted() {
        // A `dd` does not close an `li`, nor a `p` a `button`: these nest.
        for unit in ["<dd><li>", "<button><p>", "<li><ul></li>"] {
            let html = md().to_html(&format!("{}core", unit.repeat(40)), 0);
            assert!(html.contains("&lt;"), "{unit}: {html}");
            assert!(html.contains("core"), "{unit}: {html}");
        }
    }

    #[test]
    fn tags_are_named_as_an_html_parser_names_them() {
        let found: Vec<(bool, String)> = tags("<DIV class=a><x-a/></Span\n><3 <!-- <b> --> a<b")
            .into_iter()
            .map(|(_, end, name)| (end, name))
            .collect();
        let expected = [
            (false, "div"),
            (false, "x-a"),
            (true, "span"),
            (false, "b"),
            (false, "b"),
        ];
        assert_eq!(found, expected.map(|(end, name)| (end, name.to_string())),);
    }
}
