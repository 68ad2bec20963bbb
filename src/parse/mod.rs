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
pub mod levels;
pub mod mentors;
mod pieces;
pub mod placeholders;
pub mod skills;
pub mod tables;
pub mod term_meta;

use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::load::SourceFile;
use crate::model::{FieldKind, Idea, IdeaShape, Note, Source, Term};
use crate::util::line_index::LineIndex;

use blocks::{top_level_blocks, Block, BlockKind};
pub(crate) use fields::split_form_sections;
use labels::Labels;
use pieces::{Piece, PieceKind};
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
    let file_title = front.as_ref().and_then(|f| f.title.clone());
    let term = parser.term(&blocks, front, body_start);
    let (ideas, notes) =
        parser.ideas_and_notes(&blocks, &term.id, body_start, file_title.as_deref());
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

/// A heading and the blocks up to the next heading that is not one of its fields.
struct Section<'b> {
    heading: Option<&'b Block>,
    level: u8,
    title: String,
    link: Option<String>,
    /// The blocks under the heading; sub-headings whose text is a field label
    /// (`### Mentors` under `## Idea`) are among them, as the fields they start.
    body: Vec<&'b Block>,
    range: Range<usize>,
    /// A file with no idea heading whose front matter names it: the whole file is one idea.
    file_idea: bool,
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

    /// An error for each line in `range` of the text that writes a date that
    /// cannot exist ("February 30"): it would be dropped from the calendar
    /// without a word, and it is most likely a typo of a real deadline.
    fn impossible_dates(&mut self, range: Range<usize>) {
        let mut offset = range.start;
        for line in self.text[range].split_inclusive('\n') {
            if let Some(date) = term_meta::impossible_date(line) {
                let (line_no, column) = self.index.position(self.text, offset);
                self.diags.push(
                    Diagnostic::error(
                        "impossible-date",
                        &self.file.rel,
                        line_no,
                        column,
                        format!("{date} is not a date: that month has no such day"),
                    )
                    .with_help("check the day and the month"),
                );
            }
            offset += line.len();
        }
    }

    fn term(
        &mut self,
        blocks: &[Block],
        front: Option<front_matter::FrontMatter>,
        body_start: usize,
    ) -> Term {
        let id = term_id(&self.file.rel);
        let front_parsed = front.is_some();
        let front = front.unwrap_or_default();
        let first_title = blocks.iter().find_map(|b| match &b.kind {
            BlockKind::Heading { level: 1, text, .. } if !text.is_empty() => Some(text.clone()),
            _ => None,
        });
        let body_status = blocks.iter().find_map(|b| match &b.kind {
            BlockKind::Paragraph { text } => term_meta::status_from_line(text),
            _ => None,
        });
        let timeline_table = blocks.iter().find_map(|b| match &b.kind {
            BlockKind::Table { rows } => term_meta::timeline_from_table(rows).map(|t| (b, t)),
            _ => None,
        });
        // Dates written as TOML dates are checked by the TOML parser; text
        // dates in front matter and the timeline table are checked here.
        if front_parsed {
            self.impossible_dates(0..body_start);
        }
        if let Some((table, _)) = timeline_table {
            self.impossible_dates(table.range.clone());
        }
        let body_timeline = timeline_table.map(|(_, t)| t);
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
            .or_else(|| term_meta::term_end(&timeline));
        Term {
            title: front.title.or(first_title).unwrap_or_else(|| id.clone()),
            heading: None,
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

    fn sections<'b>(
        &self,
        blocks: &'b [Block],
        body_start: usize,
        file_title: Option<&str>,
    ) -> Vec<Section<'b>> {
        let mut sections: Vec<Section<'b>> = Vec::new();
        let first = blocks
            .iter()
            .position(|b| matches!(b.kind, BlockKind::Heading { .. }))
            .unwrap_or(blocks.len());
        if first > 0 || file_title.is_some() {
            sections.push(Section {
                heading: None,
                level: 0,
                title: file_title.unwrap_or_default().to_string(),
                link: None,
                body: blocks[..first].iter().collect(),
                range: body_start..blocks.get(first).map_or(self.text.len(), |b| b.range.start),
                file_idea: false,
            });
        }
        for (i, block) in blocks.iter().enumerate().skip(first) {
            let BlockKind::Heading { level, text, link } = &block.kind else {
                let last = sections
                    .last_mut()
                    .expect("a section starts at the first heading");
                last.body.push(block);
                continue;
            };
            let end = blocks[i + 1..]
                .iter()
                .find(|b| matches!(b.kind, BlockKind::Heading { .. }))
                .map_or(self.text.len(), |b| b.range.start);
            // A heading that names a field belongs to the heading above it, when that
            // one is higher and not itself a field heading: `## Idea` > `### Mentors`.
            if self.is_label_heading(text) {
                if let Some(o) = self.owner_of(&sections, *level, file_title.is_some()) {
                    // Sub-headings between the owner and this label ("#### Tasks" before
                    // "#### Mentors") are parts of the same idea: folded in with it.
                    let folded: Vec<Section> = sections.drain(o + 1..).collect();
                    let owner = &mut sections[o];
                    for s in folded {
                        owner.body.extend(s.heading);
                        owner.body.extend(s.body);
                    }
                    owner.body.push(block);
                    owner.range.end = end;
                    owner.file_idea |= owner.heading.is_none();
                    continue;
                }
            }
            sections.push(Section {
                heading: Some(block),
                level: *level,
                title: text.clone(),
                link: link.clone(),
                body: Vec::new(),
                range: block.range.start..end,
                file_idea: false,
            });
        }
        for s in &mut sections {
            if s.heading.is_none() {
                s.range.end = s
                    .body
                    .last()
                    .map_or(s.range.end, |b| b.range.end)
                    .max(s.range.end);
            }
        }
        sections
    }

    /// The section a label heading of `level` belongs to: the last higher heading that
    /// is not structural, when every section after it is a sub-heading of it with no
    /// fields of its own (so no idea is swallowed).
    fn owner_of(&self, sections: &[Section], level: u8, titled_file: bool) -> Option<usize> {
        let o = sections.iter().rposition(|s| s.level < level)?;
        let owner = &sections[o];
        if is_structural(&owner.title) || (owner.heading.is_none() && !titled_file) {
            return None;
        }
        // An idea has a handful of sub-headings; a run longer than this is no idea's,
        // and bounding it keeps a file of thousands of headings linear.
        const MAX_PARTS: usize = 32;
        let between = &sections[o + 1..];
        let between_are_parts = between.len() <= MAX_PARTS
            && between.iter().all(|s| {
                s.level > owner.level
                    && pieces::known_kinds(&pieces::pieces(self.text, &s.body, &self.ctx.labels))
                        .is_empty()
            });
        between_are_parts.then_some(o)
    }

    /// A heading whose whole text is a known field label ("Mentors", "Expected Outcome:").
    fn is_label_heading(&self, title: &str) -> bool {
        let label = title.trim().trim_end_matches([':', '：']).trim();
        self.ctx
            .labels
            .lookup(label)
            .is_some_and(|k| k != crate::model::FieldKind::Extra)
    }

    fn ideas_and_notes(
        &mut self,
        blocks: &[Block],
        term_id: &str,
        body_start: usize,
        file_title: Option<&str>,
    ) -> (Vec<Idea>, Vec<Note>) {
        let sections = self.sections(blocks, body_start, file_title);
        let all_pieces: Vec<Vec<Piece>> = sections
            .iter()
            .map(|s| pieces::pieces(self.text, &s.body, &self.ctx.labels))
            .collect();
        let mut ideas = Vec::new();
        let mut note_ranges: Vec<Range<usize>> = Vec::new();
        // Open headings above the current one: (level, title, is skipped template/sample).
        let mut stack: Vec<(u8, String, bool)> = Vec::new();
        let mut used_as_parent = vec![false; sections.len()];
        let mut parents_of: Vec<Vec<usize>> = vec![Vec::new(); sections.len()];
        let mut stack_ids: Vec<usize> = Vec::new();
        let mut is_idea = vec![false; sections.len()];
        let mut tables_of: Vec<Vec<(usize, Vec<tables::TableIdea>)>> =
            vec![Vec::new(); sections.len()];
        for (si, section) in sections.iter().enumerate() {
            if section.heading.is_none() && !section.file_idea {
                tables_of[si] = self.idea_tables(section);
                continue;
            }
            while stack.last().is_some_and(|(l, _, _)| *l >= section.level) {
                stack.pop();
                stack_ids.pop();
            }
            let in_example = is_example(&section.title) || stack.iter().any(|(_, _, ex)| *ex);
            parents_of[si] = stack_ids.clone();
            if self.looks_like_idea(section, &all_pieces[si]) && !in_example {
                is_idea[si] = true;
                for &p in &stack_ids {
                    used_as_parent[p] = true;
                }
            } else if !in_example {
                tables_of[si] = self.idea_tables(section);
                if !tables_of[si].is_empty() {
                    for &p in &stack_ids {
                        used_as_parent[p] = true;
                    }
                }
            }
            stack.push((section.level, section.title.clone(), in_example));
            stack_ids.push(si);
        }
        // The last heading of each level (1–6) that can adopt an idea written without
        // an organization heading above it, kept up to date as the loop goes: finding
        // the one before an idea is six looks, not a scan of every section before it.
        let mut adoptive: [Option<usize>; 7] = [None; 7];
        let mut last_idea: Option<(usize, u8)> = None;
        let single_organization = !sections.iter().enumerate().any(|(si, s)| {
            used_as_parent[si]
                && s.level >= 3
                && !is_structural(&s.title)
                && group_kind(&s.title).is_none()
        });
        for (si, section) in sections.iter().enumerate() {
            let path_of = |ids: &[usize]| -> Vec<(&str, u8)> {
                ids.iter()
                    .filter(|&&p| !is_idea[p])
                    .map(|&p| (sections[p].title.as_str(), sections[p].level))
                    .collect()
            };
            if is_idea[si] {
                let mut parents = path_of(&parents_of[si]);
                if groups_of(&parents).organization.is_empty() && !single_organization {
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
                        parents = path_of(&ids);
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
                let groups = groups_of(&parents);
                let pieces = &all_pieces[si];
                let idea = self.idea(section, pieces, &groups, term_id, single_organization);
                ideas.push(idea);
                last_idea = Some((ideas.len() - 1, section.level));
                continue;
            }
            // A deeper heading right under an idea that is no idea itself ("#### What
            // you'll learn") is a part of that idea, not a note of the term.
            match last_idea {
                Some((i, level))
                    if section.level > level
                        && !used_as_parent[si]
                        && tables_of[si].is_empty()
                        && !is_example(&section.title) =>
                {
                    let heading_end = section.heading.map_or(section.range.start, |h| h.range.end);
                    let (line, column) = self.index.position(self.text, section.range.start);
                    let field = crate::model::Field {
                        kind: FieldKind::Extra,
                        label: section.title.clone(),
                        value: non_empty(&self.text[heading_end..section.range.end])
                            .unwrap_or_default(),
                        line,
                        column,
                    };
                    ideas[i].fields.push(field.clone());
                    ideas[i].extra.push(field);
                    continue;
                }
                Some((_, level)) if section.level <= level => last_idea = None,
                _ => {}
            }
            if !tables_of[si].is_empty() {
                let mut ids = parents_of[si].clone();
                ids.push(si);
                let groups = groups_of(&path_of(&ids));
                let mut at = section.range.start;
                for (bi, rows) in &tables_of[si] {
                    let table = section.body[*bi];
                    note_ranges.push(at..table.range.start);
                    for row in rows {
                        ideas.push(self.table_idea(
                            table,
                            row,
                            &groups,
                            term_id,
                            single_organization,
                        ));
                    }
                    at = table.range.end;
                }
                note_ranges.push(at..section.range.end);
                continue;
            }
            if section.heading.is_some()
                && (used_as_parent[si] || section.body.is_empty())
                && !is_structural(&section.title)
                && !is_example(&section.title)
                && group_kind(&section.title).is_none()
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
                self.warn_orphan_fields(section, &all_pieces[si]);
            }
            note_ranges.push(section.range.clone());
        }
        if ideas.is_empty() {
            self.warn_no_ideas(&sections);
        }
        (ideas, self.notes(note_ranges))
    }

    /// An idea has a Description, or two other known fields, or prose and one known
    /// field (NixOS: a description, then "Possible mentors:").
    fn looks_like_idea(&self, section: &Section, pieces: &[Piece]) -> bool {
        let known = pieces::known_kinds(pieces);
        let prose_first = pieces.first().is_some_and(|p| !p.is_field())
            && pieces.iter().any(|p| p.known_kind().is_some());
        // The weak rule, prose and one field, is kept from headings about the program
        // ("## Contact" with "Mentors: ask on Slack").
        let has_heading_fields = pieces.iter().any(|p| {
            matches!(
                p.kind,
                PieceKind::Field {
                    shape: IdeaShape::Headings,
                    ..
                }
            )
        });
        known.contains(&FieldKind::Description)
            || known.len() >= 2
            || (prose_first
                && (section.level >= 2 || has_heading_fields || section.file_idea)
                && !is_structural(&section.title)
                && !is_about_the_program(&section.title))
    }

    /// The tables of ideas in a section's body: (block index, rows).
    fn idea_tables(&self, section: &Section) -> Vec<(usize, Vec<tables::TableIdea>)> {
        section
            .body
            .iter()
            .enumerate()
            .filter(|(_, b)| matches!(b.kind, BlockKind::Table { .. }))
            .filter_map(|(bi, b)| {
                let rows = tables::table_ideas(&self.text[b.range.clone()], &self.ctx.labels)?;
                // A row whose title links to an idea of the site (an anchor in this
                // file, another term file) is that idea, listed again: not a new one.
                let rows: Vec<_> = rows
                    .into_iter()
                    .filter(|r| {
                        !r.link.as_deref().is_some_and(|l| {
                            l.starts_with('#')
                                || l.split('#').next().is_some_and(|p| p.ends_with(".md"))
                        })
                    })
                    .collect();
                (!rows.is_empty()).then_some((bi, rows))
            })
            .collect()
    }

    /// When a file yields no idea but has headings with text under them that look like
    /// ideas, say so: a list in a shape Trellis cannot read must never pass in silence.
    fn warn_no_ideas(&mut self, sections: &[Section]) {
        let candidates: Vec<&Section> = sections
            .iter()
            .filter(|s| {
                s.heading.is_some()
                    && s.level >= 2
                    && !is_structural(&s.title)
                    && !is_example(&s.title)
                    && !is_about_the_program(&s.title)
                    && s.body.iter().any(|b| {
                        matches!(b.kind, BlockKind::Paragraph { .. } | BlockKind::List { .. })
                    })
            })
            .collect();
        if candidates.len() < 2 {
            return;
        }
        let first = candidates[0];
        let source = self.source(first.range.start);
        self.diags.push(
            Diagnostic::warning(
                "no-ideas",
                &source.file,
                source.line,
                source.column,
                format!(
                    "no ideas found in this file, though '{}' and {} other heading{} have text under them",
                    first.title,
                    candidates.len() - 1,
                    if candidates.len() == 2 { "" } else { "s" }
                ),
            )
            .with_help(
                "an idea is a heading followed by fields such as `Description:`, `Mentor(s):`, `Recommended Skills:` \
                 (as `- Label: value` items, `Label: value` paragraphs, `**Label**` lines, sub-headings or a table); \
                 add them, or map your labels in `[labels]` of trellis.toml",
            ),
        );
    }

    fn warn_orphan_fields(&mut self, section: &Section, pieces: &[Piece]) {
        let known = pieces::known_kinds(pieces);
        if known.contains(&FieldKind::Description) || known.len() >= 2 {
            let first = pieces
                .iter()
                .find(|p| p.is_field())
                .map_or(section.range.start, |p| p.range.start);
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

    fn new_idea(
        &mut self,
        title: &str,
        offset: usize,
        groups: &Groups,
        term_id: &str,
        single_organization: bool,
    ) -> Idea {
        let source = self.source(offset);
        if groups.organization.is_empty() && !single_organization {
            self.diags.push(
                Diagnostic::warning(
                    "no-organization",
                    &source.file,
                    source.line,
                    source.column,
                    format!("idea '{title}' has no organization heading above it"),
                )
                .with_help("put it under a `### Organization` heading"),
            );
        }
        if title.is_empty() {
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
        Idea {
            title: title.to_string(),
            organization: groups.organization.clone(),
            subprojects: groups.subprojects.clone(),
            category: groups.category.clone(),
            draft: groups.draft,
            term: term_id.to_string(),
            source,
            ..Idea::default()
        }
    }

    fn idea(
        &mut self,
        section: &Section,
        pieces: &[Piece],
        groups: &Groups,
        term_id: &str,
        single_organization: bool,
    ) -> Idea {
        let start = section
            .heading
            .map_or(section.range.start, |h| h.range.start);
        let mut idea = self.new_idea(&section.title, start, groups, term_id, single_organization);
        let content_start = section.heading.map_or(section.range.start, |h| h.range.end);
        let first_field = pieces.iter().position(Piece::is_field);
        // A table of fields starts at its header row, not at the row its first value is on.
        let intro_end = first_field.map_or(section.range.end, |i| match &pieces[i].kind {
            PieceKind::Field {
                shape: IdeaShape::FieldTable,
                ..
            } => section.body[pieces[i].block].range.start,
            _ => pieces[i].range.start,
        });
        idea.intro = non_empty(&self.text[content_start.min(intro_end)..intro_end]);
        let mut builder = fields::IdeaFields::new(self.text, self.index, &self.file.rel, self.ctx);
        let last_field = pieces.iter().rposition(Piece::is_field);
        // After a list of `- Label:` items, the rest is the idea's notes; after a
        // paragraph or heading label, it is that field's value up to the next heading.
        let fields_end = match last_field {
            Some(i) if pieces[i].is_open() => pieces.len(),
            Some(i) => {
                let block = pieces[i].block;
                pieces
                    .iter()
                    .rposition(|p| p.block == block)
                    .map_or(i + 1, |j| j + 1)
            }
            None => 0,
        };
        let mut open = false;
        let mut in_list_field = false;
        for piece in pieces
            .iter()
            .take(fields_end)
            .skip(first_field.unwrap_or(0))
        {
            match &piece.kind {
                PieceKind::Field {
                    label,
                    kind,
                    value,
                    style,
                    shape,
                } => {
                    builder.field(label, *kind, value.clone(), piece.range.start, *style);
                    open = piece.is_open();
                    in_list_field = *shape == IdeaShape::Bullets;
                }
                PieceKind::Caption { label } => {
                    builder.caption(label, piece.range.start);
                    open = false;
                    in_list_field = false;
                }
                PieceKind::Text { list_item } => {
                    builder.text(piece.range.clone(), *list_item && in_list_field && !open)
                }
            }
        }
        let notes_start = pieces
            .get(fields_end.wrapping_sub(1))
            .filter(|_| fields_end > 0)
            .map_or(section.range.end, |p| self.block_end(section, p.block));
        idea.notes = non_empty(&self.text[notes_start.min(section.range.end)..section.range.end]);
        self.diags
            .append(&mut builder.finish(&mut idea, section.link.as_deref()));
        idea.shape = pieces::shape_of(pieces);
        finish_levels(&mut idea, groups);
        idea
    }

    /// The end of a body block, or of the section when it has no such block.
    fn block_end(&self, section: &Section, block: usize) -> usize {
        section
            .body
            .get(block)
            .map_or(section.range.end, |b| b.range.end)
    }

    fn table_idea(
        &mut self,
        table: &Block,
        row: &tables::TableIdea,
        groups: &Groups,
        term_id: &str,
        single_organization: bool,
    ) -> Idea {
        let start = pieces::line_start(self.text, table.range.start, row.row_line);
        let mut idea = self.new_idea(&row.title, start, groups, term_id, single_organization);
        let mut builder = fields::IdeaFields::new(self.text, self.index, &self.file.rel, self.ctx);
        for f in &row.fields {
            builder.field(
                &f.label,
                f.kind,
                f.value.clone(),
                start,
                fields::LabelStyle::Colon,
            );
        }
        let link = row.link.as_deref().filter(|l| l.starts_with("http"));
        self.diags.append(&mut builder.finish(&mut idea, link));
        idea.shape = IdeaShape::TableRow;
        finish_levels(&mut idea, groups);
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
                    file: None,
                    line: self.index.line(r.start + lead),
                    markdown: markdown.to_string(),
                })
            })
            .collect()
    }
}

/// What the headings above an idea say about it.
#[derive(Debug, Default)]
struct Groups {
    organization: String,
    subprojects: Vec<String>,
    category: Option<String>,
    size: Option<String>,
    draft: bool,
}

#[derive(Debug, PartialEq, Eq)]
enum GroupKind {
    Size(String),
    Draft,
}

/// A grouping heading that is no organization: a size section or "Draft ideas".
fn group_kind(title: &str) -> Option<GroupKind> {
    if let Some(size) = levels::size_section(title) {
        return Some(GroupKind::Size(size));
    }
    let t = title.to_lowercase();
    t.split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "draft" || w == "drafts")
        .then_some(GroupKind::Draft)
}

/// Structural headings ("Project Ideas", "Accepted Projects", a year) group organizations;
/// the first heading below them names the organization. Size sections and "Draft
/// ideas" give their value to the idea; a group directly under the document title
/// (`## Data science`, level 2) is a category, so a list of one organization's ideas
/// sorted into topics does not read as many organizations.
fn groups_of(parents: &[(&str, u8)]) -> Groups {
    let mut groups = Groups::default();
    let mut rest = Vec::new();
    for (title, level) in parents {
        match group_kind(title) {
            Some(GroupKind::Size(size)) => groups.size = Some(size),
            Some(GroupKind::Draft) => groups.draft = true,
            None if *level == 1 || is_structural(title) => {}
            None => rest.push((*title, *level)),
        }
    }
    let deeper = rest.iter().any(|(_, l)| *l >= 3);
    let mut rest = rest.into_iter().peekable();
    if deeper {
        while let Some((title, _)) = rest.next_if(|(_, l)| *l <= 2) {
            groups.category = Some(title.to_string());
        }
    } else if let Some((title, _)) = rest.next_if(|(_, l)| *l <= 2) {
        groups.category = Some(title.to_string());
    }
    groups.organization = rest.next().map(|(t, _)| t.to_string()).unwrap_or_default();
    groups.subprojects = rest.map(|(t, _)| t.to_string()).collect();
    groups
}

/// Adds the normalized difficulty and size, and the size of a size section when the
/// idea states none.
fn finish_levels(idea: &mut Idea, groups: &Groups) {
    if idea.size.is_none() {
        idea.size = groups.size.clone();
    }
    idea.difficulty_level = idea
        .difficulty
        .as_deref()
        .and_then(levels::difficulty_level);
    if let Some(size) = idea.size.as_deref() {
        (idea.size_class, idea.size_hours) = levels::size_of(size);
    }
}

/// Headings about the program rather than a project ("Timeline", "How to apply").
fn is_about_the_program(title: &str) -> bool {
    let t = title.to_lowercase();
    const WORDS: &[&str] = &[
        "timeline",
        "apply",
        "application",
        "contact",
        "faq",
        "guideline",
        "instruction",
        "about",
        "introduction",
        "resources",
        "tips",
        "proposal",
        "how to",
        "getting started",
        "communication",
        "license",
        "eligib",
        "schedule",
        "overview",
        "welcome",
        "archive",
        "previous",
        "past",
        "contributing",
        "code of conduct",
    ];
    WORDS.iter().any(|w| t.contains(w))
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

/// Template and sample sections show the format; they are not proposals. Nor are
/// placeholders left in a template: "Example project name", `{{ TITLE }}`, `<Project title>`.
fn is_example(title: &str) -> bool {
    let t = title.to_lowercase();
    let t = t.trim().trim_end_matches(':').trim();
    let placeholder = t.contains("{{")
        || t.contains("{%")
        || (t.starts_with('<') && t.ends_with('>'))
        || (t.starts_with('[') && t.ends_with(']'))
        || t.starts_with("example project")
        || t.starts_with("example idea")
        || t.starts_with("sample idea")
        || matches!(
            t,
            "project title"
                | "project name"
                | "idea title"
                | "idea name"
                | "your project name"
                | "your idea"
                | "title"
                | "tbd"
                | "..."
        );
    placeholder
        || t == "template"
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
