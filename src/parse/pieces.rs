//! An idea's body read as a sequence of pieces: where a field starts, and the text
//! in between, whatever shape the fields are written in.
//!
//! A field may start at a list item (`- Label: value`), at a paragraph (`Label:
//! value`, `**Label**: value`, a `**Label**` line, a known label with no colon), at a
//! sub-heading whose text is a label, or in a small table. Text after a field that
//! started on a paragraph or a heading belongs to it up to the next field; text after
//! a list of fields is the idea's notes. Deciding this once, here, keeps every shape
//! under the same rules for recognition, accounting and diagnostics.

use std::collections::HashSet;
use std::ops::Range;

use crate::model::{FieldKind, IdeaShape};

use super::blocks::{Block, BlockKind};
use super::fields::{label_of, LabelStyle};
use super::labels::Labels;
use super::tables;

#[derive(Debug, Clone)]
pub enum PieceKind {
    /// A field starts: its label as written, meaning, value (markdown) and shape.
    Field {
        label: String,
        kind: FieldKind,
        value: String,
        style: LabelStyle,
        shape: IdeaShape,
    },
    /// Text without a label; `list_item` for an item of a list.
    Text { list_item: bool },
    /// "Summary:" alone above a list of fields: a caption, neither field nor text.
    Caption { label: String },
}

#[derive(Debug, Clone)]
pub struct Piece {
    /// Index of the block in the body.
    pub block: usize,
    pub range: Range<usize>,
    pub kind: PieceKind,
}

impl Piece {
    pub fn known_kind(&self) -> Option<FieldKind> {
        match &self.kind {
            PieceKind::Field { kind, .. }
                if !matches!(kind, FieldKind::Extra | FieldKind::Mentees) =>
            {
                Some(*kind)
            }
            _ => None,
        }
    }

    pub fn is_field(&self) -> bool {
        matches!(
            self.kind,
            PieceKind::Field { .. } | PieceKind::Caption { .. }
        )
    }

    /// Whether text after this field still belongs to it (paragraph and heading labels).
    pub fn is_open(&self) -> bool {
        matches!(&self.kind, PieceKind::Field { shape, .. } if matches!(shape, IdeaShape::Paragraphs | IdeaShape::Headings))
    }
}

/// Unknown paragraph labels start a field only once the idea's fields have begun,
/// and only when short: "Prior efforts:" after "Rating:", not "The main focus areas are:".
const MAX_UNKNOWN_PARAGRAPH_LABEL_WORDS: usize = 4;

/// The pieces of a body of blocks, in order.
pub fn pieces(text: &str, body: &[&Block], labels: &Labels) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let mut seen_known = false;
    // Whether the last field so far is open; kept as the loop goes, so a body of many
    // blocks is read in one pass.
    let mut open = false;
    for (bi, block) in body.iter().enumerate() {
        let first_new = out.len();
        match &block.kind {
            BlockKind::Heading { text: title, .. } => {
                let label = title
                    .trim()
                    .trim_end_matches([':', '：'])
                    .trim()
                    .to_string();
                let kind = labels.lookup(&label).unwrap_or(FieldKind::Extra);
                out.push(Piece {
                    block: bi,
                    range: block.range.clone(),
                    kind: PieceKind::Field {
                        label,
                        kind,
                        value: String::new(),
                        style: LabelStyle::Colon,
                        shape: IdeaShape::Headings,
                    },
                });
            }
            BlockKind::List { items } => {
                for range in items {
                    let item = label_of(text, range.clone(), labels);
                    let piece = match item.label {
                        // Under an open paragraph label, only known labels start a field:
                        // "- Nice2have: …" in a list of deliverables is part of it.
                        Some((label, kind))
                            if !open
                                || (kind != FieldKind::Extra
                                    && item.written != LabelStyle::NoColon) =>
                        {
                            PieceKind::Field {
                                value: super::fields::dedent_block(
                                    &text[item.value_start..range.end],
                                ),
                                label,
                                kind,
                                style: item.written,
                                shape: IdeaShape::Bullets,
                            }
                        }
                        _ => PieceKind::Text { list_item: true },
                    };
                    out.push(Piece {
                        block: bi,
                        range: range.clone(),
                        kind: piece,
                    });
                }
            }
            BlockKind::Paragraph { .. } => {
                // "Description: …\nRecommended Skills: …\nMentor(s): …" in one paragraph:
                // each line that starts with a known label starts a field of its own.
                let mut starts = vec![block.range.start];
                starts.extend(
                    line_starts(text, block.range.clone())
                        .into_iter()
                        .skip(1)
                        .filter(|&at| {
                            let item = label_of(text, at..block.range.end, labels);
                            item.written == LabelStyle::Colon
                                && item.label.is_some_and(|(_, k)| k != FieldKind::Extra)
                        }),
                );
                for (n, &at) in starts.iter().enumerate() {
                    let end = starts.get(n + 1).map_or(block.range.end, |&e| e);
                    let range = at..end;
                    let kind =
                        paragraph_piece(text, range.clone(), labels, seen_known, body.get(bi + 1));
                    seen_known |= matches!(&kind, PieceKind::Field { kind, .. } if !matches!(kind, FieldKind::Extra | FieldKind::Mentees));
                    out.push(Piece {
                        block: bi,
                        range,
                        kind,
                    });
                }
            }
            BlockKind::Table { .. } => {
                match tables::field_table(&text[block.range.clone()], labels) {
                    Some(fields) => {
                        let base = block.range.start;
                        for f in fields {
                            let start = line_start(text, base, f.row_line);
                            out.push(Piece {
                                block: bi,
                                range: start..block.range.end,
                                kind: PieceKind::Field {
                                    label: f.label,
                                    kind: f.kind,
                                    value: f.value,
                                    style: LabelStyle::Colon,
                                    shape: IdeaShape::FieldTable,
                                },
                            });
                        }
                    }
                    None => out.push(Piece {
                        block: bi,
                        range: block.range.clone(),
                        kind: PieceKind::Text { list_item: false },
                    }),
                }
            }
            BlockKind::Other => out.push(Piece {
                block: bi,
                range: block.range.clone(),
                kind: PieceKind::Text { list_item: false },
            }),
        }
        let new = &out[first_new..];
        seen_known |= new.iter().any(|p| p.known_kind().is_some());
        if let Some(last) = new.iter().rev().find(|p| p.is_field()) {
            open = last.is_open();
        }
    }
    out
}

/// A paragraph (or a run of its lines) as a field start, a caption or text.
fn paragraph_piece(
    text: &str,
    range: Range<usize>,
    labels: &Labels,
    seen_known: bool,
    next: Option<&&Block>,
) -> PieceKind {
    let item = label_of(text, range.clone(), labels);
    match item.label {
        Some((label, kind))
            if kind != FieldKind::Extra
                || (seen_known
                    && item.written != LabelStyle::NoColon
                    && label.split_whitespace().count() <= MAX_UNKNOWN_PARAGRAPH_LABEL_WORDS) =>
        {
            let value = super::fields::dedent_block(text[item.value_start..range.end].trim_end());
            if value.trim().is_empty() && heads_a_field_list(text, next, labels) {
                PieceKind::Caption { label }
            } else {
                PieceKind::Field {
                    label,
                    kind,
                    value,
                    style: item.written,
                    shape: IdeaShape::Paragraphs,
                }
            }
        }
        _ => PieceKind::Text { list_item: false },
    }
}

/// The byte offsets where each line of `range` starts.
fn line_starts(text: &str, range: Range<usize>) -> Vec<usize> {
    let mut starts = vec![range.start];
    starts.extend(
        text[range.clone()]
            .match_indices('\n')
            .map(|(i, _)| range.start + i + 1)
            .filter(|&at| at < range.end),
    );
    starts
}

/// The byte offset where the `n`th line (0-based) after `base` starts.
pub fn line_start(text: &str, base: usize, n: usize) -> usize {
    let mut at = base;
    for _ in 0..n {
        match text[at..].find('\n') {
            Some(i) => at += i + 1,
            None => break,
        }
    }
    at
}

/// Whether a block is a list most of whose items are labelled fields.
fn heads_a_field_list(text: &str, next: Option<&&Block>, labels: &Labels) -> bool {
    let Some(BlockKind::List { items }) = next.map(|b| &b.kind) else {
        return false;
    };
    let labelled = items
        .iter()
        .filter(|r| label_of(text, (*r).clone(), labels).label.is_some())
        .count();
    labelled * 2 > items.len()
}

/// The known field kinds among pieces.
pub fn known_kinds(pieces: &[Piece]) -> HashSet<FieldKind> {
    pieces.iter().filter_map(Piece::known_kind).collect()
}

/// The shape most of an idea's fields are written in.
pub fn shape_of(pieces: &[Piece]) -> IdeaShape {
    let mut counts: Vec<(IdeaShape, usize)> = Vec::new();
    for p in pieces {
        if let PieceKind::Field { shape, kind, .. } = &p.kind {
            if *kind == FieldKind::Extra {
                continue;
            }
            match counts.iter_mut().find(|(s, _)| s == shape) {
                Some((_, n)) => *n += 1,
                None => counts.push((*shape, 1)),
            }
        }
    }
    counts
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map_or(IdeaShape::Prose, |(s, _)| s)
}
