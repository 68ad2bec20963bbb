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
    /// Index of the list block in its section.
    pub block: usize,
    pub range: Range<usize>,
    /// The label as written and what it means (`Extra` when unknown).
    pub label: Option<(String, FieldKind)>,
    /// Where the value starts (after the colon), or the item's text for an unlabelled item.
    pub value_start: usize,
}

/// The longest label Trellis takes for one: longer text before a colon is a sentence.
const MAX_LABEL_CHARS: usize = 48;
const MAX_LABEL_WORDS: usize = 6;

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
        block: 0,
        range: range.clone(),
        label: None,
        value_start: content_start,
    };
    let first_line = content.lines().next().unwrap_or("");
    let (bold, inner) = match first_line
        .strip_prefix("**")
        .or_else(|| first_line.strip_prefix("__"))
    {
        Some(rest) => (true, rest),
        None => (false, first_line),
    };
    let Some(colon) = inner.find(':') else {
        return unlabelled;
    };
    let mut label = inner[..colon].trim();
    if bold {
        label = label.trim_end_matches("**").trim_end_matches("__").trim();
    }
    let label = label.trim_end_matches("**").trim();
    if !is_label(label) {
        return unlabelled;
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
        block: 0,
        range,
        label: Some((label.to_string(), kind)),
        value_start: content_start + consumed,
    }
}

fn marker_length(raw: &str) -> usize {
    let bytes = raw.as_bytes();
    match bytes.first() {
        Some(b'-' | b'*' | b'+') => 1,
        Some(b'0'..=b'9') => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            match bytes.get(digits) {
                Some(b'.' | b')') => digits + 1,
                _ => 0,
            }
        }
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

pub fn known_kinds(items: &[FieldItem]) -> HashSet<FieldKind> {
    items
        .iter()
        .filter_map(|i| i.label.as_ref().map(|(_, k)| *k))
        .filter(|k| !matches!(k, FieldKind::Extra | FieldKind::Mentees))
        .collect()
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

    pub fn item(&mut self, item: &FieldItem) {
        match &item.label {
            Some((label, kind)) => {
                let (line, column) = self.index.position(self.text, item.range.start);
                let value = dedent_block(&self.text[item.value_start..item.range.end]);
                self.fields.push(Field {
                    kind: *kind,
                    label: label.clone(),
                    value,
                    line,
                    column,
                });
            }
            None => {
                let raw = self.text[item.range.clone()].trim_end();
                let (line, column) = self.index.position(self.text, item.range.start);
                match self.fields.last_mut() {
                    Some(field) => {
                        // A bullet that lost its indentation under "Mentor(s):" is still a mentor.
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
        }
    }

    /// A block between two field lists: a field of its own if it starts with a known
    /// label (`Expected Outcome:` written as a paragraph), else part of the field above.
    pub fn continuation(&mut self, range: Range<usize>) {
        let item = label_of(self.text, range.clone(), &self.ctx.labels);
        if matches!(&item.label, Some((_, kind)) if *kind != FieldKind::Extra) {
            self.item(&item);
            return;
        }
        let raw = self.text[range].trim_end();
        match self.fields.last_mut() {
            Some(field) => append(&mut field.value, raw),
            None => {
                let (line, column) = self.index.position(self.text, item.range.start);
                self.fields.push(Field {
                    kind: FieldKind::Extra,
                    label: String::new(),
                    value: raw.to_string(),
                    line,
                    column,
                });
            }
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
                FieldKind::Mentors => idea.mentors = mentors::parse_mentors(&field.value),
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
fn split_form_sections(field: Field, labels: &Labels) -> Vec<Field> {
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
