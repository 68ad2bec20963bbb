//! The machine-readable files beside the pages: the Atom feed of ideas, the
//! sitemap, `robots.txt` and one iCalendar file per term timeline. Plain string
//! building with explicit escaping; each function is pure and tested on its own.

use std::fmt::Write as _;

use crate::model::{Term, TimelineEntry};

/// XML text: escaped, and without the characters XML 1.0 forbids (NUL and
/// the other C0 controls but tab and line breaks) or discourages (DEL, C1): a
/// title holding one would make the whole feed unreadable to every reader.
fn esc(text: &str) -> String {
    crate::util::escape::html(&without_controls(text, |c| c == '\t' || c == '\n'))
}

/// `text` without its control characters, but those `keep` accepts, and
/// without the non-characters U+FFFE and U+FFFF.
fn without_controls(text: &str, keep: impl Fn(char) -> bool) -> std::borrow::Cow<'_, str> {
    let drop = |c: char| (c.is_control() && !keep(c)) || c == '\u{fffe}' || c == '\u{ffff}';
    if text.chars().any(drop) {
        text.chars()
            .filter(|&c| !drop(c))
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// One idea in the feed.
pub struct FeedEntry<'a> {
    pub title: &'a str,
    pub url: String,
    pub organization: &'a str,
    pub term: &'a str,
    pub summary: String,
    /// `YYYY-MM-DD`: when the idea's term starts (or its newest dated event).
    pub date: String,
}

/// When a term is dated for the feed: its start, else its first dated event, else never (1970).
pub fn term_date(term: &Term) -> String {
    term.start
        .iter()
        .chain(term.timeline.iter().filter_map(|t| t.iso.as_ref()))
        .find(|d| is_iso_date(d))
        .cloned()
        .unwrap_or_else(|| "1970-01-01".into())
}

fn is_iso_date(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// An Atom 1.0 feed; entries come in the order given (newest term first).
pub fn atom(title: &str, site_url: &str, feed_url: &str, entries: &[FeedEntry]) -> String {
    let updated = entries
        .iter()
        .map(|e| e.date.as_str())
        .max()
        .unwrap_or("1970-01-01");
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(xml, "  <title>{}</title>", esc(title));
    let _ = writeln!(xml, "  <id>{}</id>", esc(site_url));
    let _ = writeln!(xml, "  <link href=\"{}\"/>", esc(site_url));
    let _ = writeln!(xml, "  <link rel=\"self\" href=\"{}\"/>", esc(feed_url));
    let _ = writeln!(xml, "  <updated>{updated}T00:00:00Z</updated>");
    let _ = writeln!(xml, "  <author><name>{}</name></author>", esc(title));
    let _ = writeln!(xml, "  <generator>Trellis</generator>");
    for e in entries {
        let _ = write!(
            xml,
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link href=\"{}\"/>\n    <updated>{}T00:00:00Z</updated>\n    <category term=\"{}\"/>\n    <summary>{}</summary>\n  </entry>\n",
            esc(e.title),
            esc(&e.url),
            esc(&e.url),
            e.date,
            esc(e.organization),
            esc(&if e.summary.is_empty() {
                format!("{} — {}", e.organization, e.term)
            } else {
                e.summary.clone()
            }),
        );
    }
    xml.push_str("</feed>\n");
    xml
}

/// A sitemap of absolute page URLs.
pub fn sitemap(urls: &[String]) -> String {
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for url in urls {
        let _ = writeln!(xml, "  <url><loc>{}</loc></url>", esc(url));
    }
    xml.push_str("</urlset>\n");
    xml
}

/// Everything may be crawled; the sitemap is named when its absolute URL is known.
pub fn robots(sitemap_url: Option<&str>) -> String {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if let Some(url) = sitemap_url {
        let _ = writeln!(text, "Sitemap: {url}");
    }
    text
}

/// An iCalendar file of a term's dated timeline entries, as all-day events; `None`
/// when no entry has a date Trellis could read.
pub fn calendar(term: &Term, host: &str, page_url: &str) -> Option<String> {
    let dated: Vec<(&TimelineEntry, &str)> = term
        .timeline
        .iter()
        .filter_map(|t| t.iso.as_deref().filter(|d| is_iso_date(d)).map(|d| (t, d)))
        .collect();
    if dated.is_empty() {
        return None;
    }
    let stamp = format!("{}T000000Z", term_date(term).replace('-', ""));
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//Trellis//Mentorship ideas//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        format!("X-WR-CALNAME:{}", ics_text(&term.title)),
    ];
    for (i, (entry, date)) in dated.iter().enumerate() {
        lines.extend([
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}-{}@{}", term.id, i + 1, ics_text(host)),
            format!("DTSTAMP:{stamp}"),
            format!("DTSTART;VALUE=DATE:{}", date.replace('-', "")),
            format!(
                "SUMMARY:{}",
                ics_text(&format!("{}: {}", term.title, entry.event))
            ),
            format!("DESCRIPTION:{}", ics_text(&entry.date)),
            format!("URL:{}", ics_text(page_url)),
            "END:VEVENT".to_string(),
        ]);
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for line in lines {
        fold(&line, &mut out);
    }
    Some(out)
}

/// RFC 5545 text: backslash, semicolon, comma and newlines escaped, other
/// control characters (which RFC 5545 does not allow in text) dropped.
fn ics_text(text: &str) -> String {
    without_controls(text, |c| c == '\t' || c == '\n')
        .replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Lines of at most 75 octets, continued with a leading space, ended by CRLF.
fn fold(line: &str, out: &mut String) {
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term() -> Term {
        Term {
            id: "t1".into(),
            title: "Term 1, 2026".into(),
            timeline: vec![
                TimelineEntry {
                    event: "Applications open".into(),
                    date: "Monday, March 2".into(),
                    iso: Some("2026-03-02".into()),
                },
                TimelineEntry {
                    event: "Someday".into(),
                    date: "later".into(),
                    iso: None,
                },
            ],
            ..Term::default()
        }
    }

    #[test]
    fn calendar_has_one_all_day_event_per_dated_entry() {
        let ics = calendar(&term(), "example.org", "https://example.org/terms/t1/").unwrap();
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
        assert!(ics.contains("DTSTART;VALUE=DATE:20260302\r\n"));
        assert!(ics.contains("SUMMARY:Term 1\\, 2026: Applications open"));
        assert!(ics.lines().all(|l| l.len() <= 76), "{ics}");
        assert!(calendar(&Term::default(), "h", "u").is_none());
    }

    #[test]
    fn long_lines_fold_within_75_octets() {
        let mut out = String::new();
        fold(&"é".repeat(100), &mut out);
        assert!(out.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(out.replace("\r\n ", "").trim_end(), "é".repeat(100));
    }

    #[test]
    fn atom_escapes_and_dates_entries() {
        let feed = atom(
            "A & B",
            "https://x.org/",
            "https://x.org/atom.xml",
            &[FeedEntry {
                title: "<b>Idea</b>",
                url: "https://x.org/ideas/a/".into(),
                organization: "Org",
                term: "T",
                summary: String::new(),
                date: "2026-03-02".into(),
            }],
        );
        assert!(feed.contains("<title>A &amp; B</title>"));
        assert!(feed.contains("<title>&lt;b&gt;Idea&lt;/b&gt;</title>"));
        assert!(feed.contains("<updated>2026-03-02T00:00:00Z</updated>"));
    }

    #[test]
    fn term_date_prefers_start_then_timeline() {
        assert_eq!(term_date(&term()), "2026-03-02");
        assert_eq!(term_date(&Term::default()), "1970-01-01");
    }
}
