//! The term-file parser: one term file in, one term and its ideas out, plus diagnostics.
//!
//! The parser never fails: whatever the input, it returns a term, the ideas it
//! could recognize, and a diagnostic for everything else. Every line of the file
//! ends up in an idea, in the term's notes, or in a diagnostic.
//!
//! An idea is recognized by its fields, not by its heading level: a heading whose
//! section holds a list of `Label: value` items with a Description, or with two
//! other known fields. The headings above it name its organization and sub-projects.

mod blocks;
mod caseless;
mod fields;
pub mod front_matter;
pub mod issues;
pub mod labels;
pub mod mentors;
pub mod skills;
pub mod term_meta;

use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::load::SourceFile;
use crate::model::{Idea, Note, Source, Term};
use crate::util::line_index::LineIndex;

use blocks::{top_level_blocks, Block, BlockKind};
use fields::{label_of, FieldItem};
use labels::Labels;
use skills::SkillAliases;

/// What the parser needs from the site's configuration.
#[derive(Debug, Clone, Default)]
pub struct ParseContext {
    pub labels: Labels,
    pub skills: SkillAliases,
}

/// One parsed term file. Ideas have no slug or URL yet: those are the model's to give.
#[derive(Debug, Clone, PartialEq)]
pub struct TermFile {
    pub term: Term,
    pub ideas: Vec<Idea>,
}

pub fn parse_term_file(file: &SourceFile, ctx: &ParseContext) -> (TermFile, Vec<Diagnostic>) {
    let text = file.text.as_str();
    let (front, body_start, mut diags) = front_matter::split(text, &file.rel);
    let index = LineIndex::new(text);
    let mut parser = FileParser {
        file,
        ctx,
        text,
        index: &index,
        diags: Vec::new(),
    };
    let blocks = top_level_blocks(text, body_start);
    let term = parser.term(&blocks, front, body_start);
    let (ideas, notes) = parser.ideas_and_notes(&blocks, &term.id, body_start);
    diags.append(&mut parser.diags);
    (
        TermFile {
            term: Term { notes, ..term },
            ideas,
        },
        diags,
    )
}

struct FileParser<'a> {
    file: &'a SourceFile,
    ctx: &'a ParseContext,
    text: &'a str,
    index: &'a LineIndex,
    diags: Vec<Diagnostic>,
}

/// A heading and the blocks up to the next top-level heading.
struct Section<'b> {
    heading: Option<&'b Block>,
    level: u8,
    title: String,
    link: Option<String>,
    body: &'b [Block],
    range: Range<usize>,
}

impl<'a> FileParser<'a> {
    fn source(&self, offset: usize) -> Source {
        let (line, column) = self.index.position(self.text, offset);
        Source {
            file: self.file.rel.clone(),
            line,
            column,
        }
    }

    fn term(
        &mut self,
        blocks: &[Block],
        front: Option<front_matter::FrontMatter>,
        body_start: usize,
    ) -> Term {
        let id = term_id(&self.file.rel);
        let front = front.unwrap_or_default();
        let first_title = blocks.iter().find_map(|b| match &b.kind {
            BlockKind::Heading { level: 1, text, .. } if !text.is_empty() => Some(text.clone()),
            _ => None,
        });
        let body_status = blocks.iter().find_map(|b| match &b.kind {
            BlockKind::Paragraph { text } => term_meta::status_from_line(text),
            _ => None,
        });
        let body_timeline = blocks.iter().find_map(|b| match &b.kind {
            BlockKind::Table { rows } => term_meta::timeline_from_table(rows),
            _ => None,
        });
        let timeline = if front.timeline.is_empty() {
            body_timeline.unwrap_or_default()
        } else {
            front.timeline.into_iter().map(|e| e.into_entry()).collect()
        };
        let find = |words: &[&str]| {
            timeline
                .iter()
                .find(|e| words.iter().any(|w| e.event.to_lowercase().contains(w)))
                .and_then(|e| e.iso.clone())
        };
        let start = front
            .start
            .map(|d| d.into_string())
            .or_else(|| find(&["begins", "program begin", "start", "kick"]));
        let end = front
            .end
            .map(|d| d.into_string())
            .or_else(|| find(&["last day", "end of", "term ends", "final"]));
        Term {
            title: front.title.or(first_title).unwrap_or_else(|| id.clone()),
            program: front.program,
            term: front.term,
            start,
            end,
            status: front.status.or(body_status),
            apply_url: front.apply_url,
            timeline,
            notes: Vec::new(),
            source: self.source(body_start),
            id,
        }
    }

    fn sections<'b>(&self, blocks: &'b [Block], body_start: usize) -> Vec<Section<'b>> {
        let starts: Vec<usize> = blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| matches!(b.kind, BlockKind::Heading { .. }))
            .map(|(i, _)| i)
            .collect();
        let mut sections = Vec::new();
        let first = starts.first().copied().unwrap_or(blocks.len());
        if first > 0 {
            sections.push(Section {
                heading: None,
                level: 0,
                title: String::new(),
                link: None,
                body: &blocks[..first],
                range: body_start
                    ..blocks[first.min(blocks.len() - 1)]
                        .range
                        .start
                        .max(body_start),
            });
            if first == blocks.len() {
                sections[0].range.end = self.text.len();
            }
        }
        for (n, &i) in starts.iter().enumerate() {
            let next = starts.get(n + 1).copied().unwrap_or(blocks.len());
            let BlockKind::Heading { level, text, link } = &blocks[i].kind else {
                unreachable!("starts holds headings only")
            };
            let end = blocks.get(next).map_or(self.text.len(), |b| b.range.start);
            sections.push(Section {
                heading: Some(&blocks[i]),
                level: *level,
                title: text.clone(),
                link: link.clone(),
                body: &blocks[i + 1..next],
                range: blocks[i].range.start..end,
            });
        }
        sections
    }

    fn ideas_and_notes(
        &mut self,
        blocks: &[Block],
        term_id: &str,
        body_start: usize,
    ) -> (Vec<Idea>, Vec<Note>) {
        let sections = self.sections(blocks, body_start);
        let mut ideas = Vec::new();
        let mut note_ranges: Vec<Range<usize>> = Vec::new();
        // Open headings above the current one: (level, title, is skipped template/sample).
        let mut stack: Vec<(u8, String, bool)> = Vec::new();
        let mut used_as_parent = vec![false; sections.len()];
        let mut parents_of: Vec<Vec<usize>> = vec![Vec::new(); sections.len()];
        let mut stack_ids: Vec<usize> = Vec::new();
        let mut is_idea = vec![false; sections.len()];
        for (si, section) in sections.iter().enumerate() {
            if section.heading.is_none() {
                continue;
            }
            while stack.last().is_some_and(|(l, _, _)| *l >= section.level) {
                stack.pop();
                stack_ids.pop();
            }
            let in_example = is_example(&section.title) || stack.iter().any(|(_, _, ex)| *ex);
            let items = self.field_items(section);
            let known = fields::known_kinds(&items);
            let looks_like_idea =
                known.contains(&crate::model::FieldKind::Description) || known.len() >= 2;
            parents_of[si] = stack_ids.clone();
            if looks_like_idea && !in_example {
                is_idea[si] = true;
                for &p in &stack_ids {
                    used_as_parent[p] = true;
                }
            }
            stack.push((section.level, section.title.clone(), in_example));
            stack_ids.push(si);
        }
        // The last heading of each level (1–6) that can adopt an idea written without
        // an organization heading above it, kept up to date as the loop goes: finding
        // the one before an idea is six looks, not a scan of every section before it.
        let mut adoptive: [Option<usize>; 7] = [None; 7];
        for (si, section) in sections.iter().enumerate() {
            if is_idea[si] {
                let path_of = |ids: &[usize]| -> (Vec<&str>, Vec<u8>) {
                    ids.iter()
                        .filter(|&&p| !is_idea[p])
                        .map(|&p| (sections[p].title.as_str(), sections[p].level))
                        .unzip()
                };
                let (mut parents, mut levels) = path_of(&parents_of[si]);
                if organization_of(&parents, &levels).0.is_empty() {
                    // An idea written at the level of the organization headings (or under
                    // another idea) belongs to the organization heading before it.
                    let before = adoptive[..=usize::from(section.level).min(6)]
                        .iter()
                        .flatten()
                        .max()
                        .copied();
                    if let Some(p) = before {
                        let mut ids = parents_of[p].clone();
                        ids.push(p);
                        (parents, levels) = path_of(&ids);
                        let source = self.source(section.range.start);
                        self.diags.push(
                            Diagnostic::warning(
                                "heading-level",
                                &source.file,
                                source.line,
                                source.column,
                                format!(
                                    "idea '{}' is not under its organization's heading; read as part of '{}'",
                                    section.title, sections[p].title
                                ),
                            )
                            .with_help("give the idea a deeper heading than its organization (`### Org`, then `#### Idea`)"),
                        );
                    }
                }
                let items = self.field_items(section);
                ideas.push(self.idea(section, items, &parents, &levels, term_id));
                continue;
            }
            if section.heading.is_some()
                && (used_as_parent[si] || section.body.is_empty())
                && !is_structural(&section.title)
                && !is_example(&section.title)
            {
                adoptive[usize::from(section.level).min(6)] = Some(si);
            }
            // Organization and sub-project headings live on in their ideas; structural
            // headings ("Project Ideas") stay in the notes, where they frame the term.
            let empty_parent =
                used_as_parent[si] && section.body.is_empty() && !is_structural(&section.title);
            if empty_parent {
                continue;
            }
            if section.heading.is_none() || !is_example(&section.title) {
                self.warn_orphan_fields(section);
            }
            note_ranges.push(section.range.clone());
        }
        (ideas, self.notes(note_ranges))
    }

    fn field_items(&self, section: &Section) -> Vec<FieldItem> {
        let mut items = Vec::new();
        for (bi, block) in section.body.iter().enumerate() {
            if let BlockKind::List { items: ranges } = &block.kind {
                for range in ranges {
                    let item = label_of(self.text, range.clone(), &self.ctx.labels);
                    items.push(FieldItem { block: bi, ..item });
                }
            }
        }
        items
    }

    fn warn_orphan_fields(&mut self, section: &Section) {
        let items = self.field_items(section);
        let known = fields::known_kinds(&items);
        if known.contains(&crate::model::FieldKind::Description) || known.len() >= 2 {
            let first = items
                .iter()
                .find(|i| i.label.is_some())
                .map_or(section.range.start, |i| i.range.start);
            let source = self.source(first);
            let message = if section.heading.is_none() {
                "these fields have no idea heading above them, so they belong to no idea"
                    .to_string()
            } else {
                format!("'{}' has idea fields but is a template or sample, so it is not published as an idea", section.title)
            };
            self.diags.push(
                Diagnostic::warning(
                    "fields-without-idea",
                    &source.file,
                    source.line,
                    source.column,
                    message,
                )
                .with_help("put a `#### Idea title` heading above the fields"),
            );
        }
    }

    fn idea(
        &mut self,
        section: &Section,
        items: Vec<FieldItem>,
        parents: &[&str],
        parent_levels: &[u8],
        term_id: &str,
    ) -> Idea {
        let heading = section.heading.expect("ideas have headings");
        let source = self.source(heading.range.start);
        let (organization, subprojects) = organization_of(parents, parent_levels);
        if organization.is_empty() {
            self.diags.push(
                Diagnostic::warning(
                    "no-organization",
                    &source.file,
                    source.line,
                    source.column,
                    format!(
                        "idea '{}' has no organization heading above it",
                        section.title
                    ),
                )
                .with_help("put it under a `### Organization` heading"),
            );
        }
        if section.title.is_empty() {
            self.diags.push(
                Diagnostic::error(
                    "idea-without-title",
                    &source.file,
                    source.line,
                    source.column,
                    "this heading has idea fields but no title",
                )
                .with_help("write the idea's title after the `#` marks"),
            );
        }
        let mut idea = Idea {
            title: section.title.clone(),
            organization,
            subprojects,
            term: term_id.to_string(),
            source,
            ..Idea::default()
        };
        let body = section.body;
        let first_field_block = items
            .iter()
            .find(|i| i.label.is_some())
            .map_or(body.len(), |i| i.block);
        let last_field_block = items
            .iter()
            .rev()
            .find(|i| i.label.is_some())
            .map_or(0, |i| i.block);
        let intro_range = heading.range.end
            ..body
                .get(first_field_block)
                .map_or(section.range.end, |b| b.range.start);
        idea.intro = non_empty(&self.text[intro_range]);
        let mut builder = fields::IdeaFields::new(self.text, self.index, &self.file.rel, self.ctx);
        for (bi, block) in body
            .iter()
            .enumerate()
            .take(last_field_block + 1)
            .skip(first_field_block)
        {
            match &block.kind {
                BlockKind::List { .. } => {
                    for item in items.iter().filter(|i| i.block == bi) {
                        builder.item(item);
                    }
                }
                // A paragraph between two field lists continues the field above it.
                _ => builder.continuation(block.range.clone()),
            }
        }
        let notes_start = body
            .get(last_field_block)
            .map_or(section.range.end, |b| b.range.end);
        idea.notes = non_empty(&self.text[notes_start.min(section.range.end)..section.range.end]);
        self.diags
            .append(&mut builder.finish(&mut idea, section.link.as_deref()));
        idea
    }

    fn notes(&self, mut ranges: Vec<Range<usize>>) -> Vec<Note> {
        ranges.sort_by_key(|r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::new();
        for r in ranges {
            match merged.last_mut() {
                Some(last) if last.end >= r.start => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        merged
            .into_iter()
            .filter_map(|r| {
                let slice = &self.text[r.clone()];
                let markdown = slice.trim_matches('\n').trim_end();
                if markdown.trim().is_empty() {
                    return None;
                }
                let lead = slice.len() - slice.trim_start_matches('\n').len();
                Some(Note {
                    line: self.index.line(r.start + lead),
                    markdown: markdown.to_string(),
                })
            })
            .collect()
    }
}

/// Structural headings ("Project Ideas", "Accepted Projects", a year) group organizations;
/// the first heading below them names the organization.
fn organization_of(parents: &[&str], levels: &[u8]) -> (String, Vec<String>) {
    let mut rest = parents
        .iter()
        .zip(levels)
        .skip_while(|(title, level)| **level == 1 || is_structural(title))
        .map(|(t, _)| t.to_string());
    let org = rest.next().unwrap_or_default();
    (org, rest.collect())
}

fn is_structural(title: &str) -> bool {
    let t = title.to_lowercase();
    let t = t.trim_end_matches(':').trim();
    const WORDS: &[&str] = &[
        "project ideas",
        "proposals",
        "projects",
        "ideas",
        "accepted",
        "selected",
        "proposed",
        "participating",
        "list of",
        "table of contents",
        "mentorship",
        "summer of code",
        "season of docs",
    ];
    t.is_empty()
        || t.chars().all(|c| c.is_ascii_digit() || c.is_whitespace())
        || WORDS.iter().any(|w| t.contains(w))
}

/// Template and sample sections show the format; they are not proposals.
fn is_example(title: &str) -> bool {
    let t = title.to_lowercase();
    let t = t.trim().trim_end_matches(':').trim();
    t == "template"
        || t == "sample"
        || t == "example"
        || t.starts_with("template")
        || t.ends_with("(sample)")
        || t.ends_with("(template)")
        || t == "sample project"
        || t == "project template"
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim_matches('\n').trim_end();
    (!t.trim().is_empty()).then(|| fields::dedent_block(t))
}

/// A term's id from its path: `lfx/2023-term1.md` → `lfx-2023-term1`.
pub fn term_id(rel: &str) -> String {
    let stem = rel.strip_suffix(".md").unwrap_or(rel);
    let id = crate::slug::slugify(&stem.replace('/', "-"));
    if id.is_empty() {
        "term".into()
    } else {
        id
    }
}

#[cfg(test)]
mod tests;
