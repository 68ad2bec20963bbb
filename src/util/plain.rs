//! Markdown to plain text: for titles, names and skills that the parser shows or
//! compares as text, and for the one-line summaries of cards and page descriptions.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Inline text of a markdown snippet: markup dropped, link text kept, whitespace collapsed.
pub fn plain_text(markdown: &str) -> String {
    collapse_spaces(&flatten(markdown))
}

/// Like [`plain_text`], but every paragraph, line and list item on a line of its
/// own, so that lists written as sub-bullets can be split like comma lists.
pub fn plain_lines(markdown: &str) -> String {
    flatten(markdown)
        .lines()
        .map(collapse_spaces)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Markdown as plain text on one line, cut at a word near `max` characters: for
/// summaries in lists and `<meta name="description">`. It reads the markdown as
/// pages render it (tables, strikethrough, footnotes), drops raw HTML (the page
/// shows none of it unsanitized) and ends every element with a break.
pub fn summary(markdown: &str, max: usize) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let text = walk(Parser::new_ext(markdown, options), Reading::Summary);
    let mut out = String::new();
    for word in text.split_whitespace() {
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

/// How [`walk`] reads: as the parser compares fields, or as a summary shows them.
#[derive(Clone, Copy, PartialEq)]
enum Reading {
    Fields,
    Summary,
}

fn flatten(markdown: &str) -> String {
    walk(Parser::new(markdown), Reading::Fields)
}

/// The text of markdown events, a line break between blocks.
fn walk<'a>(events: impl Iterator<Item = Event<'a>>, reading: Reading) -> String {
    let fields = reading == Reading::Fields;
    let mut out = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::End(TagEnd::Paragraph | TagEnd::Item) | Event::Start(Tag::Item) if fields => {
                out.push('\n')
            }
            Event::End(_) if !fields => out.push('\n'),
            Event::Html(t) | Event::InlineHtml(t) if fields => {
                // Keep what a reader would see of stray HTML: its text, not its tags.
                out.push_str(&strip_tags(&t));
            }
            _ => {}
        }
    }
    out
}

/// The targets of every link, autolink and bare URL in a markdown snippet, in order.
pub fn urls(markdown: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_link = 0usize;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                in_link += 1;
                found.push(dest_url.to_string());
            }
            Event::End(TagEnd::Link) => in_link = in_link.saturating_sub(1),
            Event::Text(t) if in_link == 0 => found.extend(bare_urls(&t)),
            _ => {}
        }
    }
    found.retain(|u| u.starts_with("http://") || u.starts_with("https://"));
    found.dedup();
    found
}

/// The target of the first link in a markdown snippet, relative or not.
pub fn link_target(markdown: &str) -> Option<String> {
    Parser::new(markdown).find_map(|event| match event {
        Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
        _ => None,
    })
}

/// `http(s)://…` runs in plain text, without trailing punctuation.
pub fn bare_urls(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("http") {
        let candidate = &rest[i..];
        if candidate.starts_with("https://") || candidate.starts_with("http://") {
            let end = candidate
                .find(|c: char| {
                    c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | ')' | ']')
                })
                .unwrap_or(candidate.len());
            let url = candidate[..end].trim_end_matches(['.', ',', ';', ':', '!', '?']);
            out.push(url.to_string());
            rest = &candidate[end..];
        } else {
            rest = &candidate[4..];
        }
    }
    out
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

pub fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            plain_text("[Title](https://x.org) with `code` and **bold**"),
            "Title with code and bold"
        );
    }

    #[test]
    fn summary_is_one_line_cut_at_a_word() {
        assert_eq!(
            summary("Hello **big**\nworld `x`", 100),
            "Hello big world x"
        );
        assert_eq!(summary("one two three four", 10), "one two…");
    }

    #[test]
    fn urls_from_links_autolinks_and_text() {
        assert_eq!(
            urls("see <https://a.org/1> and [b](https://b.org/2), also https://c.org/3."),
            vec!["https://a.org/1", "https://b.org/2", "https://c.org/3"]
        );
    }
}
