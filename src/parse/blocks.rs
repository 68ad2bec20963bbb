//! The first pass over a term file: its top-level markdown blocks, with source ranges.
//!
//! Only blocks at the top level matter to the structure of a term file: a heading
//! inside a block quote or a list (GitHub issue forms put `## Description` there)
//! belongs to the field that holds it, and a heading in a code block is text.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::util::plain::collapse_spaces;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    Heading {
        level: u8,
        text: String,
        link: Option<String>,
    },
    /// Byte ranges of the list's own items.
    List {
        items: Vec<Range<usize>>,
    },
    /// Cell texts, header row first.
    Table {
        rows: Vec<Vec<String>>,
    },
    Paragraph {
        text: String,
    },
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub range: Range<usize>,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
}

/// Splits `text[start..]` into its top-level blocks, in order, with ranges into `text`.
pub fn top_level_blocks(text: &str, start: usize) -> Vec<Block> {
    let shift = |r: Range<usize>| r.start + start..r.end + start;
    let text = &text[start..];
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<Block> = None;
    let mut buf = String::new();
    // Inline HTML of a heading, kept for a heading that is nothing else: `## <Project
    // title>` is a template's placeholder, and must be seen as one, not as no title.
    let mut html = String::new();
    let mut row: Vec<String> = Vec::new();
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        let range = shift(range);
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    buf.clear();
                    html.clear();
                    let kind = match &tag {
                        Tag::Heading { level, .. } => BlockKind::Heading {
                            level: *level as u8,
                            text: String::new(),
                            link: None,
                        },
                        Tag::List(_) => BlockKind::List { items: Vec::new() },
                        Tag::Table(_) => BlockKind::Table { rows: Vec::new() },
                        Tag::Paragraph => BlockKind::Paragraph {
                            text: String::new(),
                        },
                        _ => BlockKind::Other,
                    };
                    current = Some(Block {
                        kind,
                        range: range.clone(),
                    });
                }
                match (&tag, current.as_mut().map(|b| &mut b.kind)) {
                    (Tag::Item, Some(BlockKind::List { items })) if depth == 1 => {
                        items.push(range.clone())
                    }
                    (Tag::Link { dest_url, .. }, Some(BlockKind::Heading { link, .. }))
                        if link.is_none() =>
                    {
                        *link = Some(dest_url.to_string());
                    }
                    _ => {}
                }
                depth += 1;
            }
            Event::End(tag) => {
                depth = depth.saturating_sub(1);
                if let Some(BlockKind::Table { rows }) = current.as_mut().map(|b| &mut b.kind) {
                    match tag {
                        TagEnd::TableCell => row.push(collapse_spaces(&std::mem::take(&mut buf))),
                        TagEnd::TableHead | TagEnd::TableRow => rows.push(std::mem::take(&mut row)),
                        _ => {}
                    }
                }
                if depth == 0 {
                    if let Some(mut block) = current.take() {
                        block.range.end = range.end;
                        match &mut block.kind {
                            BlockKind::Heading { text, .. } => {
                                *text = collapse_spaces(&buf);
                                if text.is_empty() {
                                    *text = collapse_spaces(&html);
                                }
                            }
                            BlockKind::Paragraph { text } => *text = collapse_spaces(&buf),
                            _ => {}
                        }
                        blocks.push(block);
                    }
                }
            }
            Event::Text(t) | Event::Code(t) => buf.push_str(&t),
            Event::InlineHtml(t) => html.push_str(&t),
            Event::SoftBreak | Event::HardBreak => buf.push(' '),
            _ if depth == 0 => blocks.push(Block {
                kind: BlockKind::Other,
                range,
            }),
            _ => {}
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_in_code_and_quotes_are_not_blocks_of_their_own() {
        let text = "## Real\n\n```\n### Not\n```\n\n> ## Quoted\n> text\n\n- a\n- b\n";
        let blocks = top_level_blocks(text, 0);
        let headings: Vec<_> = blocks
            .iter()
            .filter_map(|b| match &b.kind {
                BlockKind::Heading { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(headings, vec!["Real"]);
        assert!(
            matches!(&blocks.last().unwrap().kind, BlockKind::List { items } if items.len() == 2)
        );
    }

    #[test]
    fn heading_keeps_its_link() {
        let blocks = top_level_blocks("#### [Title](https://example.org/p)\n", 0);
        assert_eq!(
            blocks[0].kind,
            BlockKind::Heading {
                level: 4,
                text: "Title".into(),
                link: Some("https://example.org/p".into())
            }
        );
    }
}
