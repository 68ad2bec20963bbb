//! A term's notes as its page shows them. The notes keep every line of the
//! term file that is not an idea, but the page already shows some of them in
//! its own way: the title as the page heading, the `Status:` line as the status
//! badge, the timeline table as the timeline beside the notes. Those are left
//! out here, with the headings that end up with nothing under them (a
//! "Timeline" heading whose table moved, a "Project ideas" heading whose ideas
//! are listed below the notes), and the remaining headings are renumbered from
//! `h2` so that none skips a level, whatever levels the file used.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::model::Term;
use crate::parse::term_meta;

use super::markdown::Markdown;

/// One top-level block of a note: where it is and what the page needs to know.
enum Block {
    Heading(u8, String),
    Paragraph(String),
    Table(Vec<Vec<String>>),
    Other,
}

/// The markdown of each note without what the page shows elsewhere; notes left
/// empty are dropped.
pub fn shown_markdown(term: &Term) -> Vec<String> {
    term.notes
        .iter()
        .map(|note| kept(&note.markdown, term))
        .filter(|md| !md.trim().is_empty())
        .collect()
}

/// The notes of `term` as HTML, headings renumbered from `h2` across all notes.
pub fn to_html(term: &Term, markdown: &Markdown) -> Vec<String> {
    // (level in the file, level on the page) of the open headings.
    let mut open: Vec<(HeadingLevel, usize)> = Vec::new();
    let mut level = |from: HeadingLevel| {
        while open.last().is_some_and(|(l, _)| *l >= from) {
            open.pop();
        }
        let to = open.last().map_or(2, |(_, n)| (n + 1).min(6));
        open.push((from, to));
        HeadingLevel::try_from(to).unwrap_or(HeadingLevel::H6)
    };
    shown_markdown(term)
        .iter()
        .map(|md| markdown.to_html_leveled(md, &mut level))
        .collect()
}

fn kept(markdown: &str, term: &Term) -> String {
    let blocks = blocks(markdown);
    let mut keep: Vec<bool> = blocks
        .iter()
        .map(|(block, _)| match block {
            Block::Heading(1, text) => text.trim() != term.title.trim(),
            Block::Paragraph(text) => {
                text.contains('\n') || term_meta::status_from_line(text).is_none()
            }
            Block::Table(rows) => {
                term.timeline.is_empty() || term_meta::timeline_from_table(rows).is_none()
            }
            _ => true,
        })
        .collect();
    // From the end, so a heading over only orphan headings is an orphan too.
    // The level of the next kept heading, 0 for content, None at the end.
    let mut next: Option<u8> = None;
    for (i, (block, _)) in blocks.iter().enumerate().rev() {
        if !keep[i] {
            continue;
        }
        match block {
            Block::Heading(level, _) => {
                let empty = match next {
                    None => true,
                    Some(0) => false,
                    Some(n) => n <= *level,
                };
                if empty {
                    keep[i] = false;
                } else {
                    next = Some(*level);
                }
            }
            _ => next = Some(0),
        }
    }
    let kept: Vec<&str> = blocks
        .iter()
        .zip(&keep)
        .filter(|(_, keep)| **keep)
        .map(|((_, range), _)| markdown[range.clone()].trim_end())
        .collect();
    if kept.len() == blocks.len() {
        return markdown.to_string();
    }
    kept.join("\n\n")
}

/// The top-level blocks of `markdown` with their byte ranges.
fn blocks(markdown: &str) -> Vec<(Block, Range<usize>)> {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<(Block, Range<usize>)> = None;
    let mut row: Vec<String> = Vec::new();
    let mut cell = String::new();
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    let block = match tag {
                        Tag::Heading { level, .. } => Block::Heading(level as u8, String::new()),
                        Tag::Paragraph => Block::Paragraph(String::new()),
                        Tag::Table(_) => Block::Table(Vec::new()),
                        _ => Block::Other,
                    };
                    current = Some((block, range));
                }
                depth += 1;
            }
            Event::End(tag) => {
                depth = depth.saturating_sub(1);
                if let Some((Block::Table(rows), _)) = &mut current {
                    match tag {
                        TagEnd::TableCell => row.push(std::mem::take(&mut cell)),
                        TagEnd::TableHead | TagEnd::TableRow => rows.push(std::mem::take(&mut row)),
                        _ => {}
                    }
                }
                if depth == 0 {
                    out.extend(current.take());
                }
            }
            Event::Text(text) | Event::Code(text) => match &mut current {
                Some((Block::Heading(_, t) | Block::Paragraph(t), _)) => t.push_str(&text),
                Some((Block::Table(_), _)) => cell.push_str(&text),
                _ => {}
            },
            Event::SoftBreak | Event::HardBreak => {
                if let Some((Block::Paragraph(t), _)) = &mut current {
                    t.push('\n');
                }
            }
            _ if depth == 0 => out.push((Block::Other, range)),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Note, TimelineEntry};

    fn term(notes: &[&str], timeline: bool) -> Term {
        Term {
            title: "Term 3".into(),
            timeline: if timeline {
                vec![TimelineEntry {
                    event: "Begins".into(),
                    date: "2026-09-07".into(),
                    iso: Some("2026-09-07".into()),
                }]
            } else {
                vec![]
            },
            notes: notes
                .iter()
                .map(|n| Note {
                    file: None,
                    line: 1,
                    markdown: n.to_string(),
                })
                .collect(),
            ..Term::default()
        }
    }

    const NOTE: &str = "# Term 3\n\nStatus: Accepting Applications\n\nAbout nine weeks.\n\n### Timeline\n\n| Activity | Date |\n| --- | --- |\n| Begins | Monday, September 7, 2026 |\n\n## Proposed Project ideas\n";

    #[test]
    fn what_the_page_shows_elsewhere_is_left_out_with_its_headings() {
        assert_eq!(shown_markdown(&term(&[NOTE], true)), ["About nine weeks."]);
    }

    #[test]
    fn a_timeline_table_stays_when_there_is_no_timeline_beside_it() {
        let shown = shown_markdown(&term(&[NOTE], false));
        assert_eq!(shown.len(), 1);
        assert!(
            shown[0].starts_with("About nine weeks.\n\n### Timeline\n\n| Activity"),
            "{}",
            shown[0]
        );
        assert!(!shown[0].contains("Proposed"), "{}", shown[0]);
    }

    #[test]
    fn headings_start_at_h2_and_never_skip_a_level() {
        let notes = [
            "#### Deep\n\ntext\n\n###### Deeper\n\ntext",
            "# Top\n\ntext\n\n### Sub\n\ntext",
        ];
        let html = to_html(&term(&notes, false), &Markdown::new(None)).join("");
        let levels: Vec<&str> = html
            .match_indices("<h")
            .map(|(i, _)| &html[i + 2..i + 3])
            .collect();
        assert_eq!(levels, ["2", "3", "2", "3"], "{html}");
    }
}
