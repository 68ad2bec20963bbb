//! Fields of an idea: `- Label: value` list items, their values as markdown, and
//! the structured values (skills, mentors, issues) derived from them.

use std::collections::HashSet;
use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::model::{Field, FieldKind, Idea};

use super::labels::Labels;
use super::{issues, mentors, skills, LineIndex, ParseContext};
use crate::util::plain;

/// A list item of a section, with its label when it has one.
#[derive(Debug, Clone)]
pub struct FieldItem {
    /// The label as written and what it means (`Extra` when unknown).
    pub label: Option<(String, FieldKind)>,
    /// Where the value starts (after the colon), or the item's text for an unlabelled item.
    pub value_start: usize,
    /// How the label was written: with a colon, as a bold line, or a known label
    /// followed by its value with no colon (`- Mentor(s) Jane`), which gets a warning.
    pub written: LabelStyle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelStyle {
    Colon,
    /// `**Recommended skills**` alone on its line: a caption for what follows.
    BoldLine,
    NoColon,
}

/// The longest label Trellis takes for one: longer text before a colon is a sentence.
const MAX_LABEL_CHARS: usize = 48;
const MAX_LABEL_WORDS: usize = 6;

/// Words that, right after a known label with no colon, show it is a sentence
/// ("Description of the project goes here"), not a label and its value.
const SENTENCE_WORDS: &[&str] = &[
    "of", "for", "the", "is", "are", "will", "to", "and", "in", "on", "a", "an", "should", "can",
    "goes", "go", "must", "may", "with", "that", "this", "was", "be", "has", "have",
];

/// Reads `Label:` off the start of a list item (or a paragraph) spanning `range`.
pub fn label_of(text: &str, range: Range<usize>, labels: &Labels) -> FieldItem {
    let raw = &text[range.clone()];
    // Item ranges may start at the indentation before the marker.
    let indent = raw.len() - raw.trim_start_matches([' ', '\t']).len();
    let marker_len = indent + marker_length(&raw[indent..]);
    let after_marker = &raw[marker_len..];
    let content = after_marker.trim_start_matches([' ', '\t']);
    let content_start = range.start + marker_len + (after_marker.len() - content.len());
    let unlabelled = FieldItem {
        label: None,
        value_start: content_start,
        written: LabelStyle::Colon,
    };
    let first_line = content.lines().next().unwrap_or("");
    let (bold, inner) = match first_line
        .strip_prefix("**")
        .or_else(|| first_line.strip_prefix("__"))
    {
        Some(rest) => (true, rest),
        None => (false, first_line),
    };
    let Some(colon) = inner.find([':', '：']) else {
        return colonless(first_line, bold, inner, content_start, labels).unwrap_or(unlabelled);
    };
    let mut label = inner[..colon].trim();
    if bold {
        label = label.trim_end_matches("**").trim_end_matches("__").trim();
    }
    let label = label.trim_end_matches("**").trim();
    if !is_label(label) {
        return colonless(first_line, bold, inner, content_start, labels).unwrap_or(unlabelled);
    }
    let colon_len = inner[colon..].chars().next().map_or(1, char::len_utf8);
    let mut after = &inner[colon + colon_len..];
    for close in ["**", "__"] {
        if let Some(rest) = after.strip_prefix(close) {
            after = rest;
        }
    }
    let consumed = first_line.len() - after.len();
    let kind = labels.lookup(label).unwrap_or(FieldKind::Extra);
    FieldItem {
        label: Some((label.to_string(), kind)),
        value_start: content_start + consumed,
        written: LabelStyle::Colon,
    }
}

/// A label written without a colon: a bold line on its own (`**Description**`), or a
/// known label at the start of the line, alone or followed by its value.
fn colonless(
    first_line: &str,
    bold: bool,
    inner: &str,
    content_start: usize,
    labels: &Labels,
) -> Option<FieldItem> {
    let item = |label: &str, kind, consumed: usize, written| FieldItem {
        label: Some((label.to_string(), kind)),
        value_start: content_start + consumed,
        written,
    };
    if bold {
        let close = inner.find("**").or_else(|| inner.find("__"))?;
        let label = inner[..close].trim();
        let rest = inner[close + 2..].trim();
        if rest.is_empty() && is_label(label) {
            let kind = labels.lookup(label).unwrap_or(FieldKind::Extra);
            return Some(item(label, kind, first_line.len(), LabelStyle::BoldLine));
        }
        // "**Mentor(s)** Jane Doe": a known bold label and its value without a colon.
        let kind = labels.lookup(label).filter(|k| *k != FieldKind::Extra)?;
        if starts_sentence(rest) {
            return None;
        }
        let consumed = first_line.len() - inner[close + 2..].len();
        return Some(item(label, kind, consumed, LabelStyle::NoColon));
    }
    // The longest run of up to six words at the start that is a known label.
    let bounds: Vec<usize> = first_line
        .char_indices()
        .filter(|(_, c)| c.is_whitespace())
        .map(|(i, _)| i)
        .chain(std::iter::once(first_line.len()))
        .take(MAX_LABEL_WORDS)
        .collect();
    for &end in bounds.iter().rev() {
        let label = first_line[..end].trim_end();
        let Some(kind) = labels.lookup(label).filter(|k| *k != FieldKind::Extra) else {
            continue;
        };
        let alone = first_line[end..].trim().is_empty();
        // A value after a colonless label is taken only for fields whose values look
        // like nothing else (names, links, skill lists); prose starting with "Goals"
        // or "Benefits" stays prose.
        let value_kind = matches!(
            kind,
            FieldKind::Mentors | FieldKind::Issues | FieldKind::LfxUrl | FieldKind::Skills
        );
        if !is_label(label) || !(alone || value_kind) || starts_sentence(&first_line[end..]) {
            return None;
        }
        return Some(item(label, kind, end, LabelStyle::NoColon));
    }
    None
}

fn starts_sentence(rest: &str) -> bool {
    let first = rest.split_whitespace().next().unwrap_or("").to_lowercase();
    SENTENCE_WORDS.contains(&first.as_str())
        || first.starts_with('(') && !first.starts_with("(@")
        || first.starts_with(['.', ',', ';', '!', '?', '-', '='])
}

/// The length of a list marker at the start of `raw` (`-`, `*`, `+`, `1.`, `1)`),
/// which is always followed by a space, a tab or the end of the line: `**Bold**` is
/// no marker.
fn marker_length(raw: &str) -> usize {
    let bytes = raw.as_bytes();
    let len = match bytes.first() {
        Some(b'-' | b'*' | b'+') => 1,
        Some(b'0'..=b'9') => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            match bytes.get(digits) {
                Some(b'.' | b')') => digits + 1,
                _ => 0,
            }
        }
        _ => 0,
    };
    match bytes.get(len) {
        _ if len == 0 => 0,
        None | Some(b' ' | b'\t' | b'\n' | b'\r') => len,
        _ => 0,
    }
}

fn is_label(label: &str) -> bool {
    let words = label.split_whitespace().count();
    !label.is_empty()
        && label.len() <= MAX_LABEL_CHARS
        && words <= MAX_LABEL_WORDS
        && label.chars().next().is_some_and(char::is_alphabetic)
        && label
            .chars()
            .all(|c| c.is_alphanumeric() || " ()/&-'.,_".contains(c))
        && !label.to_lowercase().ends_with("http")
        && !label.to_lowercase().ends_with("https")
}

/// Removes the indentation a list item's continuation lines share with its marker.
pub fn dedent_block(s: &str) -> String {
    let indent = s
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.lines().enumerate() {
        if i > 0 {
            out.push('\n');
            let strip = indent.min(line.len() - line.trim_start_matches([' ', '\t']).len());
            out.push_str(&line[strip..]);
        } else {
            out.push_str(line.trim_start());
        }
    }
    out.trim_start_matches('\n').trim_end().to_string()
}

/// Collects one idea's fields in order, then derives the structured values.
pub struct IdeaFields<'a> {
    text: &'a str,
    index: &'a LineIndex,
    file: &'a str,
    ctx: &'a ParseContext,
    fields: Vec<Field>,
    diags: Vec<Diagnostic>,
}

impl<'a> IdeaFields<'a> {
    pub fn new(text: &'a str, index: &'a LineIndex, file: &'a str, ctx: &'a ParseContext) -> Self {
        IdeaFields {
            text,
            index,
            file,
            ctx,
            fields: Vec::new(),
            diags: Vec::new(),
        }
    }

    /// A field starts at `offset`.
    pub fn field(
        &mut self,
        label: &str,
        kind: FieldKind,
        value: String,
        offset: usize,
        style: LabelStyle,
    ) {
        let (line, column) = self.index.position(self.text, offset);
        if style == LabelStyle::NoColon {
            self.diags.push(
                Diagnostic::warning(
                    "label-without-colon",
                    self.file,
                    line,
                    column,
                    format!("'{label}' is read as a label, but it has no colon after it"),
                )
                .with_help(format!("write `{label}: …`")),
            );
        }
        self.fields.push(Field {
            kind,
            label: label.to_string(),
            value,
            line,
            column,
        });
    }

    /// A caption above a list of fields ("Summary:"): kept as written, with no value.
    pub fn caption(&mut self, label: &str, offset: usize) {
        self.field(
            label,
            FieldKind::Extra,
            String::new(),
            offset,
            LabelStyle::Colon,
        );
    }

    /// Text without a label: part of the field above it. A list item that lost its
    /// indentation under a `- Label:` item gets a warning (`warn`); under a paragraph
    /// or heading label, a list is simply that field's value.
    pub fn text(&mut self, range: Range<usize>, warn: bool) {
        let raw = self.text[range.clone()].trim_end();
        let (line, column) = self.index.position(self.text, range.start);
        match self.fields.last_mut() {
            Some(field) => {
                if warn {
                    self.diags.push(
                        Diagnostic::warning(
                            "unlabelled-item",
                            self.file,
                            line,
                            column,
                            format!(
                                "this list item has no label, so it is read as part of '{}'",
                                field.label
                            ),
                        )
                        .with_help(
                            "indent it under the field it belongs to, or give it a `Label:`",
                        ),
                    );
                    append(&mut field.value, &dedent_block(raw));
                } else if field.value.is_empty() {
                    field.value = dedent_block(raw);
                } else {
                    append(&mut field.value, raw);
                }
            }
            None => self.fields.push(Field {
                kind: FieldKind::Extra,
                label: String::new(),
                value: dedent_block(raw),
                line,
                column,
            }),
        }
    }

    /// Fills the idea's fields and structured values; returns the diagnostics.
    pub fn finish(mut self, idea: &mut Idea, heading_link: Option<&str>) -> Vec<Diagnostic> {
        let fields = std::mem::take(&mut self.fields);
        self.fields = fields
            .into_iter()
            .flat_map(|f| split_form_sections(f, &self.ctx.labels))
            .collect();
        let mut seen = HashSet::new();
        for field in &self.fields {
            let first = seen.insert(field.kind) || field.kind == FieldKind::Extra;
            if !first {
                self.diags.push(
                    Diagnostic::warning(
                        "duplicate-field",
                        self.file,
                        field.line,
                        field.column,
                        format!("idea '{}' has a second '{}' field", idea.title, field.label),
                    )
                    .with_help("is an idea heading missing above this line?"),
                );
            }
            if !first || matches!(field.kind, FieldKind::Extra | FieldKind::Mentees) {
                // A caption ("Summary:" above the field list) has nothing to show.
                if field.kind == FieldKind::Extra && field.value.trim().is_empty() {
                    continue;
                }
                idea.extra.push(field.clone());
                if field.kind == FieldKind::Extra {
                    if let Some(suggestion) = self.ctx.labels.suggest(&field.label) {
                        self.diags.push(
                            Diagnostic::warning(
                                "unknown-field",
                                self.file,
                                field.line,
                                field.column,
                                format!(
                                    "unknown field '{}' — did you mean '{}'?",
                                    field.label, suggestion
                                ),
                            )
                            .with_help(format!("write `- {suggestion}: …`")),
                        );
                    }
                }
                continue;
            }
            let value = non_empty(&field.value);
            match field.kind {
                FieldKind::Description => idea.description = value,
                FieldKind::ExpectedOutcome => idea.expected_outcome = value,
                FieldKind::Skills => {
                    let parsed = skills::parse_skills(&field.value, &self.ctx.skills);
                    idea.skills = parsed.skills;
                    idea.skill_notes = parsed.notes;
                }
                FieldKind::Mentors => {
                    (idea.mentors, idea.mentor_notes) = mentors::read_mentors(&field.value)
                }
                FieldKind::Issues => idea.issues = issues::parse_issues(&field.value),
                FieldKind::LfxUrl => {
                    idea.lfx_url = plain::urls(&field.value).into_iter().next().or(value)
                }
                FieldKind::Difficulty => idea.difficulty = value.map(|v| plain::plain_text(&v)),
                FieldKind::Size => idea.size = value.map(|v| plain::plain_text(&v)),
                FieldKind::StretchGoals => idea.stretch_goals = value,
                FieldKind::Mentees | FieldKind::Extra => {}
            }
        }
        if let Some(link) = heading_link {
            if idea.lfx_url.is_none() && (link.contains("lfx") || link.contains("communitybridge"))
            {
                idea.lfx_url = Some(link.to_string());
            } else {
                let (line, column) = (idea.source.line, idea.source.column);
                idea.extra.push(Field {
                    kind: FieldKind::Extra,
                    label: "Link".into(),
                    value: link.to_string(),
                    line,
                    column,
                });
            }
        }
        // Prose with no label is the description when no field says otherwise: the
        // leading prose, else the prose after the fields (under a table of fields).
        if idea.description.is_none() {
            idea.description = idea.intro.take().or_else(|| idea.notes.take());
        }
        self.check(idea);
        idea.fields = self.fields;
        self.diags
    }

    fn check(&mut self, idea: &Idea) {
        let (line, column) = (idea.source.line, idea.source.column);
        let title = &idea.title;
        let mut missing = |code: &'static str, what: &str, help: &str| {
            self.diags.push(
                Diagnostic::warning(
                    code,
                    self.file,
                    line,
                    column,
                    format!("idea '{title}' has no {what}"),
                )
                .with_help(help.to_string()),
            );
        };
        if idea.description.is_none() {
            missing(
                "missing-description",
                "Description",
                "add `- Description: …` saying what the mentee will work on",
            );
        }
        if idea.expected_outcome.is_none() {
            missing(
                "missing-outcome",
                "Expected Outcome",
                "add `- Expected Outcome: …` saying what will exist at the end",
            );
        }
        if idea.skills.is_empty() {
            missing(
                "missing-skills",
                "Recommended Skills",
                "add `- Recommended Skills: Go, Kubernetes` so mentees can find it by skill",
            );
        }
        if idea.mentors.is_empty() {
            missing(
                "missing-mentors",
                "mentor",
                "add `- Mentor(s): Name (@github, email)`",
            );
        }
        for field in self
            .fields
            .iter()
            .filter(|f| super::placeholders::is_placeholder(&f.value))
        {
            self.diags.push(
                Diagnostic::warning(
                    "placeholder",
                    self.file,
                    field.line,
                    field.column,
                    format!(
                        "'{}' of idea '{title}' still holds the prompt `trellis new idea` wrote",
                        field.label
                    ),
                )
                .with_help("replace the prompt with the idea's own text"),
            );
        }
        if let Some(field) = self.fields.iter().find(|f| f.kind == FieldKind::Mentors) {
            for mentor in idea.mentors.iter().filter(|m| m.github.is_none()) {
                self.diags.push(
                    Diagnostic::warning(
                        "mentor-no-github",
                        self.file,
                        field.line,
                        field.column,
                        format!("mentor '{}' has no GitHub handle", mentor.name),
                    )
                    .with_help("write it as `Name (@handle, email)` so mentees can reach them"),
                );
            }
        }
    }
}

/// GitHub issue forms quote their answers under `## Description`, `## Expected outcomes`
/// headings inside one field's block quote: each such heading that names a known
/// field becomes that field, so the idea is whole.
pub(crate) fn split_form_sections(field: Field, labels: &Labels) -> Vec<Field> {
    let mut out = vec![Field {
        value: String::new(),
        ..field.clone()
    }];
    for (offset, line) in field.value.lines().enumerate() {
        let unquoted = line.trim_start().trim_start_matches(['>', ' ']);
        let heading = unquoted
            .strip_prefix('#')
            .map(|h| h.trim_start_matches('#').trim());
        let kind = heading
            .and_then(|h| labels.lookup(h))
            .filter(|k| *k != FieldKind::Extra);
        let current = out.last().expect("out starts with one field");
        match (heading, kind) {
            // "## Description" opening the Description field's own quote says nothing new.
            (Some(_), Some(kind)) if kind == current.kind && unquote(&current.value).is_empty() => {
            }
            (Some(h), Some(kind)) => {
                out.push(Field {
                    kind,
                    label: h.to_string(),
                    value: String::new(),
                    line: field.line + offset,
                    column: field.column,
                });
            }
            _ => {
                let current = &mut out.last_mut().expect("out starts with one field").value;
                if !current.is_empty() {
                    current.push('\n');
                }
                current.push_str(line);
            }
        }
    }
    if out.len() == 1 && out[0].value == field.value {
        return vec![field];
    }
    for f in &mut out {
        f.value = unquote(&f.value);
    }
    out
}

/// Removes one level of `>` quoting from every line.
fn unquote(s: &str) -> String {
    s.lines()
        .map(|l| {
            let t = l.trim_start();
            t.strip_prefix("> ")
                .or_else(|| t.strip_prefix('>'))
                .unwrap_or(l)
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

fn append(value: &mut String, more: &str) {
    if !value.is_empty() {
        value.push_str("\n\n");
    }
    value.push_str(more);
}

fn non_empty(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(s: &str) -> Option<(String, FieldKind)> {
        label_of(s, 0..s.len(), &Labels::default()).label
    }

    #[test]
    fn plain_and_bold_labels() {
        assert_eq!(
            label("- Description: x"),
            Some(("Description".into(), FieldKind::Description))
        );
        assert_eq!(
            label("- **Description:** x"),
            Some(("Description".into(), FieldKind::Description))
        );
        assert_eq!(
            label("* **Mentor(s)**: x"),
            Some(("Mentor(s)".into(), FieldKind::Mentors))
        );
        assert_eq!(
            label("-\tUpstream Issue (URL): x"),
            Some(("Upstream Issue (URL)".into(), FieldKind::Issues))
        );
    }

    #[test]
    fn urls_and_sentences_are_not_labels() {
        assert_eq!(label("- https://github.com/a/b"), None);
        assert_eq!(
            label("- This is a long sentence that happens to contain a colon: here"),
            None
        );
    }

    #[test]
    fn unknown_label_is_extra() {
        assert_eq!(
            label("- Communication channel: #slack"),
            Some(("Communication channel".into(), FieldKind::Extra))
        );
    }

    #[test]
    fn dedent_keeps_nested_lists() {
        assert_eq!(dedent_block(" first\n  - a\n  - b"), "first\n- a\n- b");
        assert_eq!(
            dedent_block(" first\nNote: lazy\n  - a"),
            "first\nNote: lazy\n  - a"
        );
    }
}
