//! What a pull request does to the ideas: those it adds, changes and removes,
//! compared with the `ideas.json` of the site before it, and the diagnostics of
//! each, as the markdown of a GitHub Actions job summary (`trellis check
//! --summary-against`). Reviewers see the proposals a pull request touches
//! without reading the diff of a 400-line term file.
//!
//! Ideas are matched by slug (`<term>/<org>/<idea>`), which comes from titles and
//! never from positions. An idea counts as changed when its `ideas.json` entry
//! differs other than in line and column numbers: an idea added above another
//! moves it down the file without changing it.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Idea;

/// The ideas of the site before the change, as read from its `ideas.json`.
pub struct Before {
    /// Each idea's export entry, by slug.
    ideas: BTreeMap<String, Value>,
}

/// Why a file given as the earlier `ideas.json` cannot be compared against.
#[derive(Debug, thiserror::Error)]
pub enum NotAnExport {
    #[error("not an ideas.json export: {0}")]
    Json(#[from] serde_json::Error),
    #[error("not an ideas.json export: it has no `ideas` list")]
    NoIdeas,
    #[error("not an ideas.json export: an idea has no `slug`")]
    NoSlug,
    #[error("not an ideas.json export: a part has no `file` beside it")]
    PartWithoutFile,
    #[error("{file}: {source}")]
    ReadPart {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}: not a part of an ideas.json export: {source}")]
    NotAPart {
        file: String,
        source: serde_json::Error,
    },
    #[error("{0}: it has no `ideas` list")]
    PartWithoutIdeas(String),
}

impl Before {
    /// Reads an `ideas.json` export of any Trellis version: version 1 lists
    /// `ideas` itself; later ones name in `parts` the files that list them,
    /// which `read_part` reads by their path relative to `ideas.json`. Only
    /// ideas, each with a `slug`, are required.
    pub fn from_json(
        text: &str,
        read_part: impl Fn(&str) -> std::io::Result<String>,
    ) -> Result<Before, NotAnExport> {
        let export: Value = serde_json::from_str(text)?;
        let mut list = Vec::new();
        if let Some(parts) = export.get("parts").and_then(Value::as_array) {
            for part in parts {
                let file = part
                    .get("file")
                    .and_then(Value::as_str)
                    .filter(|f| !f.starts_with('/') && !f.split('/').any(|c| c == ".."))
                    .ok_or(NotAnExport::PartWithoutFile)?;
                let text = read_part(file).map_err(|source| NotAnExport::ReadPart {
                    file: file.to_string(),
                    source,
                })?;
                let mut part: Value =
                    serde_json::from_str(&text).map_err(|source| NotAnExport::NotAPart {
                        file: file.to_string(),
                        source,
                    })?;
                match part.get_mut("ideas").map(Value::take) {
                    Some(Value::Array(ideas)) => list.extend(ideas),
                    _ => return Err(NotAnExport::PartWithoutIdeas(file.to_string())),
                }
            }
        } else {
            list = export
                .get("ideas")
                .and_then(Value::as_array)
                .ok_or(NotAnExport::NoIdeas)?
                .clone();
        }
        let mut ideas = BTreeMap::new();
        for idea in &list {
            let slug = idea
                .get("slug")
                .and_then(Value::as_str)
                .ok_or(NotAnExport::NoSlug)?;
            ideas.insert(slug.to_string(), without_positions(idea.clone()));
        }
        Ok(Before { ideas })
    }
}

/// An idea's export entry with every `line` and `column` key taken out, at any depth.
fn without_positions(mut value: Value) -> Value {
    fn strip(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.remove("line");
                map.remove("column");
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut value);
    value
}

/// How one idea fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Added,
    Changed,
    Removed,
}

/// The markdown summary of how `ideas` (the site now, with its `diagnostics`)
/// differs from `before`: a heading, the counts, and the ideas added, changed
/// and removed, each added or changed one with the diagnostics inside it.
pub fn summary(before: &Before, ideas: &[Idea], diagnostics: &[Diagnostic]) -> String {
    let within = diagnostics_by_idea(ideas, diagnostics);
    let mut listed: Vec<(Change, String, Vec<&Diagnostic>)> = Vec::new();
    let mut present = HashSet::new();
    for (i, idea) in ideas.iter().enumerate() {
        present.insert(idea.slug.as_str());
        let change = match before.ideas.get(&idea.slug) {
            None => Change::Added,
            Some(old) => {
                let now = serde_json::to_value(idea).expect("the model serializes to JSON");
                if without_positions(now) == *old {
                    continue;
                }
                Change::Changed
            }
        };
        let diags = within.get(&i).cloned().unwrap_or_default();
        listed.push((change, describe(idea), diags));
    }
    for (slug, old) in &before.ideas {
        if !present.contains(slug.as_str()) {
            listed.push((Change::Removed, describe_old(slug, old), Vec::new()));
        }
    }

    let count = |c: Change| listed.iter().filter(|(k, ..)| *k == c).count();
    let problems: usize = listed.iter().map(|(_, _, d)| d.len()).sum();
    let mut out = String::from("## Project ideas in this pull request\n\n");
    if listed.is_empty() {
        out.push_str("No idea is added, changed or removed.\n");
        return out;
    }
    out.push_str(&format!(
        "{} added, {} changed, {} removed; {}.\n",
        count(Change::Added),
        count(Change::Changed),
        count(Change::Removed),
        plural(problems, "problem", "problems")
    ));
    for (change, heading) in [
        (Change::Added, "Added"),
        (Change::Changed, "Changed"),
        (Change::Removed, "Removed"),
    ] {
        let mut section = listed.iter().filter(|(k, ..)| *k == change).peekable();
        if section.peek().is_none() {
            continue;
        }
        out.push_str(&format!("\n### {heading}\n\n"));
        for (_, what, diags) in section {
            out.push_str(&format!("- {what}"));
            if !diags.is_empty() {
                out.push_str(&format!(
                    " — {}",
                    plural(diags.len(), "problem", "problems")
                ));
            }
            out.push('\n');
            for d in diags {
                let kind = match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "note",
                };
                out.push_str(&format!(
                    "  - {kind} `{}` at line {}: {}\n",
                    d.code,
                    d.line,
                    escape(&d.message)
                ));
            }
        }
    }
    out
}

/// `1 problem`, `2 problems`, `no problems`.
fn plural(n: usize, one: &str, many: &str) -> String {
    match n {
        0 => format!("no {many}"),
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// **Title** (Organization, term), with the file and line where it starts.
fn describe(idea: &Idea) -> String {
    format!(
        "**{}** ({}, {}) in `{}` at line {}",
        escape(&idea.title),
        escape(&idea.organization),
        escape(&idea.term),
        code_span(&idea.source.file),
        idea.source.line
    )
}

/// A removed idea as its old export entry names it.
fn describe_old(slug: &str, old: &Value) -> String {
    let text = |key: &str| old.get(key).and_then(Value::as_str).map(escape);
    match text("title") {
        Some(title) => format!(
            "**{title}** ({}, {})",
            text("organization").unwrap_or_default(),
            text("term").unwrap_or_default()
        ),
        None => format!("`{}`", code_span(slug)),
    }
}

/// For each idea (by index), the diagnostics on its lines: from its heading to
/// the next idea of the same file. Diagnostics before a file's first idea
/// concern the term, not an idea, and are left out, as are notes (suggestions,
/// not problems). A diagnostic names its file from the site root
/// (`content/a.md`), an idea from the content directory (`a.md`).
fn diagnostics_by_idea<'a>(
    ideas: &[Idea],
    diagnostics: &'a [Diagnostic],
) -> HashMap<usize, Vec<&'a Diagnostic>> {
    let mut starts: HashMap<&str, Vec<(usize, usize)>> = HashMap::new();
    for (i, idea) in ideas.iter().enumerate() {
        starts
            .entry(idea.source.file.as_str())
            .or_default()
            .push((idea.source.line, i));
    }
    for list in starts.values_mut() {
        list.sort_unstable();
    }
    let mut out: HashMap<usize, Vec<&Diagnostic>> = HashMap::new();
    for d in diagnostics.iter().filter(|d| d.severity != Severity::Info) {
        let list = starts.get(d.file.as_str()).or_else(|| {
            starts
                .iter()
                .find(|(file, _)| {
                    d.file
                        .strip_suffix(*file)
                        .is_some_and(|dir| dir.ends_with('/'))
                })
                .map(|(_, list)| list)
        });
        let Some(list) = list else {
            continue;
        };
        let before = list.partition_point(|(line, _)| *line <= d.line);
        if let Some(&(_, i)) = before.checked_sub(1).and_then(|k| list.get(k)) {
            out.entry(i).or_default().push(d);
        }
    }
    out
}

/// Proposal text is untrusted: markdown and HTML in it are shown as written,
/// not interpreted, and a line break cannot start a new list item.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '|' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text for inside a code span: backticks and line breaks cannot end it early.
fn code_span(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '`' => '\'',
            '\n' | '\r' => ' ',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Source;

    fn idea(slug: &str, title: &str, line: usize, description: &str) -> Idea {
        Idea {
            title: title.into(),
            organization: "Org".into(),
            term: "t1".into(),
            slug: slug.into(),
            source: Source {
                file: "t1.md".into(),
                line,
                column: 1,
            },
            description: Some(description.into()),
            ..Idea::default()
        }
    }

    /// An export as Trellis writes it since version 2, its ideas in one part,
    /// read by `Before::from_json`.
    fn before(ideas: &[Idea]) -> Before {
        let top = serde_json::json!({ "version": 2, "terms": [], "parts": [
            { "term": "t1", "ideas": ideas.len(), "file": "ideas/t1.json" }
        ] });
        let part = serde_json::json!({ "version": 2, "term": "t1", "ideas": ideas });
        Before::from_json(&top.to_string(), |file| {
            assert_eq!(file, "ideas/t1.json");
            Ok(part.to_string())
        })
        .unwrap()
    }

    fn no_parts(file: &str) -> std::io::Result<String> {
        Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("no part {file}"),
        ))
    }

    #[test]
    fn ideas_are_sorted_into_added_changed_and_removed() {
        let before_ideas = [
            idea("t1/org/kept", "Kept", 3, "same"),
            idea("t1/org/edited", "Edited", 8, "old text"),
            idea("t1/org/gone", "Gone", 12, "bye"),
        ];
        let now = [
            idea("t1/org/new", "New", 3, "fresh"),
            // Moved down by the new idea: not a change.
            idea("t1/org/kept", "Kept", 9, "same"),
            idea("t1/org/edited", "Edited", 14, "new text"),
        ];
        let warning = Diagnostic::warning("missing-outcome", "t1.md", 5, 1, "no outcome");
        let text = summary(&before(&before_ideas), &now, std::slice::from_ref(&warning));
        assert!(
            text.contains("1 added, 1 changed, 1 removed; 1 problem."),
            "{text}"
        );
        let added = text.find("### Added").unwrap();
        let changed = text.find("### Changed").unwrap();
        let removed = text.find("### Removed").unwrap();
        assert!(added < changed && changed < removed, "{text}");
        assert!(text[added..changed].contains(
            "- **New** (Org, t1) in `t1.md` at line 3 — 1 problem\n  - warning `missing-outcome` at line 5: no outcome\n"
        ));
        assert!(text[changed..removed].contains("**Edited**"));
        assert!(text[removed..].contains("- **Gone** (Org, t1)\n"));
        assert!(!text.contains("Kept"), "{text}");
    }

    #[test]
    fn no_change_says_so() {
        let ideas = [idea("t1/org/a", "A", 1, "d")];
        let text = summary(&before(&ideas), &ideas, &[]);
        assert!(text.ends_with("No idea is added, changed or removed.\n"));
    }

    #[test]
    fn a_diagnostic_belongs_to_the_idea_above_it_in_its_file() {
        let ideas = [
            idea("t1/org/a", "A", 10, "d"),
            idea("t1/org/b", "B", 20, "d"),
        ];
        let diags = [
            Diagnostic::warning("x", "t1.md", 2, 1, "term level"),
            Diagnostic::warning("x", "t1.md", 10, 1, "on a"),
            Diagnostic::warning("x", "t1.md", 25, 1, "in b"),
            Diagnostic::warning("x", "other.md", 25, 1, "elsewhere"),
        ];
        let by = diagnostics_by_idea(&ideas, &diags);
        let messages = |i: usize| -> Vec<&str> {
            by.get(&i)
                .map(|d| d.iter().map(|d| d.message.as_str()).collect())
                .unwrap_or_default()
        };
        assert_eq!(messages(0), ["on a"]);
        assert_eq!(messages(1), ["in b"]);
    }

    #[test]
    fn proposal_text_cannot_inject_markdown_or_html() {
        let hostile = idea(
            "t1/org/x",
            "<img src=x onerror=alert(1)> [link](javascript:x) **bold**\n- item",
            1,
            "d",
        );
        let text = summary(
            &Before::from_json("{\"ideas\": []}", no_parts).unwrap(),
            &[hostile],
            &[],
        );
        assert!(!text.contains('<'), "{text}");
        assert!(
            text.contains(r"\[link\]\(javascript:x\) \*\*bold\*\* - item"),
            "{text}"
        );
    }

    #[test]
    fn an_export_without_ideas_is_refused() {
        assert!(Before::from_json("[]", no_parts).is_err());
        assert!(Before::from_json("{\"ideas\": [{\"title\": \"no slug\"}]}", no_parts).is_err());
        assert!(Before::from_json("not json", no_parts).is_err());
        let outside = "{\"parts\": [{\"file\": \"../secret.json\"}]}";
        assert!(Before::from_json(outside, |_| Ok("{\"ideas\": []}".into())).is_err());
        let missing = "{\"parts\": [{\"file\": \"ideas/t1.json\"}]}";
        assert!(Before::from_json(missing, no_parts).is_err());
    }
}
