//! Optional front matter: TOML between `+++` lines, or YAML between `---` lines (as
//! Jekyll and Hugo sites write it). A term's metadata, stated outright; never content.
//!
//! TOML front matter is Trellis's own, so unknown keys are errors. YAML front matter
//! usually belongs to another site generator (`layout: page`), so only the keys
//! Trellis knows are read and the rest is left alone.

use serde::Deserialize;

use crate::diagnostic::{toml_diagnostic, Diagnostic};
use crate::model::{TermStatus, TimelineEntry};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub program: Option<String>,
    pub term: Option<String>,
    pub start: Option<DateValue>,
    pub end: Option<DateValue>,
    pub status: Option<TermStatus>,
    pub apply_url: Option<String>,
    #[serde(default)]
    pub timeline: Vec<FrontMatterEvent>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatterEvent {
    pub event: String,
    pub date: DateValue,
}

/// A date as TOML writes it (`2026-03-02`) or as a string.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum DateValue {
    Date(toml::value::Datetime),
    Text(String),
}

impl DateValue {
    pub fn into_string(self) -> String {
        match self {
            DateValue::Date(d) => d.to_string(),
            DateValue::Text(s) => s,
        }
    }
}

impl FrontMatterEvent {
    pub fn into_entry(self) -> TimelineEntry {
        let date = self.date.into_string();
        TimelineEntry {
            iso: super::term_meta::iso_date(&date),
            event: self.event,
            date,
        }
    }
}

/// Splits front matter off `text`: the metadata (if any) and the byte offset where the body starts.
pub fn split(text: &str, file: &str) -> (Option<FrontMatter>, usize, Vec<Diagnostic>) {
    if let Some(after_open) = text.strip_prefix("---\n") {
        return split_yaml(after_open, file);
    }
    let Some(after_open) = text.strip_prefix("+++\n") else {
        return (None, 0, Vec::new());
    };
    let close = closing(after_open, "+++");
    let Some(close) = close else {
        let d = Diagnostic::error(
            "front-matter-unclosed",
            file,
            1,
            1,
            "front matter opened here is never closed",
        )
        .with_help("end it with a line holding only `+++`");
        return (None, 0, vec![d]);
    };
    let toml_text = &after_open[..close];
    let body_start = (4 + close + 4).min(text.len());
    match toml::from_str::<FrontMatter>(toml_text) {
        Ok(fm) => (Some(fm), body_start, Vec::new()),
        Err(e) => (
            None,
            body_start,
            vec![toml_diagnostic(
                "front-matter-invalid",
                file,
                toml_text,
                1,
                &e,
            )],
        ),
    }
}

/// Where the closing fence (`+++`, `---`, or `...` for YAML) starts, at the start of a line.
fn closing(after_open: &str, fence: &str) -> Option<usize> {
    after_open
        .match_indices(fence)
        .chain(if fence == "---" {
            after_open.match_indices("...").collect::<Vec<_>>()
        } else {
            Vec::new()
        })
        .filter(|(i, _)| {
            (*i == 0 || after_open.as_bytes()[i - 1] == b'\n')
                && matches!(after_open.as_bytes().get(i + 3), None | Some(b'\n'))
        })
        .map(|(i, _)| i)
        .min()
}

fn split_yaml(after_open: &str, file: &str) -> (Option<FrontMatter>, usize, Vec<Diagnostic>) {
    use yaml_rust2::{Yaml, YamlLoader};
    let Some(close) = closing(after_open, "---") else {
        // A `---` first line with no closing fence is a thematic break, not front matter.
        return (None, 0, Vec::new());
    };
    let yaml_text = &after_open[..close];
    let body_start = (4 + close + 4).min(4 + after_open.len());
    let docs = match YamlLoader::load_from_str(yaml_text) {
        Ok(docs) => docs,
        Err(e) => {
            let d = Diagnostic::error(
                "front-matter-invalid",
                file,
                e.marker().line() + 2,
                e.marker().col() + 1,
                format!("this YAML front matter cannot be read: {}", e.info()),
            )
            .with_help("fix the YAML between the `---` lines, or remove it");
            return (None, body_start, vec![d]);
        }
    };
    let doc = docs.into_iter().next().unwrap_or(Yaml::Null);
    let text = |key: &str| match &doc[key] {
        Yaml::String(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Real(r) => Some(r.clone()),
        _ => None,
    };
    let timeline = doc["timeline"]
        .as_vec()
        .map(|events| {
            events
                .iter()
                .filter_map(|e| {
                    Some(FrontMatterEvent {
                        event: e["event"].as_str()?.to_string(),
                        date: DateValue::Text(e["date"].as_str()?.to_string()),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let status = text("status").and_then(|s| match s.to_lowercase().as_str() {
        "upcoming" => Some(TermStatus::Upcoming),
        "open" => Some(TermStatus::Open),
        "closed" => Some(TermStatus::Closed),
        _ => None,
    });
    let fm = FrontMatter {
        title: text("title"),
        program: text("program"),
        term: text("term"),
        start: text("start").map(DateValue::Text),
        end: text("end").map(DateValue::Text),
        status,
        apply_url: text("apply_url"),
        timeline,
    };
    (Some(fm), body_start, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dates_and_timeline() {
        let text = "+++\ntitle = \"T\"\nstart = 2026-03-02\nstatus = \"open\"\n[[timeline]]\nevent = \"Apply\"\ndate = \"2026-01-26\"\n+++\n# Body\n";
        let (fm, body, diags) = split(text, "t.md");
        let fm = fm.unwrap();
        assert!(diags.is_empty());
        assert_eq!(fm.start.unwrap().into_string(), "2026-03-02");
        assert_eq!(fm.status, Some(TermStatus::Open));
        assert_eq!(&text[body..], "# Body\n");
    }

    #[test]
    fn bad_toml_points_at_the_file_line() {
        let (_, _, diags) = split("+++\ntitle = \"T\"\nstatus = open\n+++\n", "t.md");
        assert_eq!(diags[0].line, 3, "{:?}", diags[0]);
    }

    #[test]
    fn yaml_front_matter_reads_known_keys_and_leaves_the_rest() {
        let text = "---\nlayout: page\ntitle: Project Ideas for GSoC 2030\nstart: 2030-05-01\n---\n\nBody\n";
        let (fm, body, diags) = split(text, "t.md");
        let fm = fm.unwrap();
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(fm.title.as_deref(), Some("Project Ideas for GSoC 2030"));
        assert_eq!(fm.start.unwrap().into_string(), "2030-05-01");
        assert_eq!(&text[body..], "\nBody\n");
    }

    #[test]
    fn bad_yaml_points_at_the_file_line() {
        let (_, _, diags) = split("---\ntitle: T\nlist: [a, b\n---\n", "t.md");
        assert_eq!(diags[0].code, "front-matter-invalid");
        assert!(diags[0].line >= 3, "{:?}", diags[0]);
    }

    #[test]
    fn unknown_key_is_refused() {
        let (_, _, diags) = split("+++\ntitel = \"T\"\n+++\n", "t.md");
        assert!(diags[0].message.contains("titel"), "{}", diags[0].message);
    }
}
