//! Optional TOML front matter between `+++` lines: a term's metadata, stated outright.

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

/// Splits `+++` front matter off `text`: the metadata (if any) and the byte offset where the body starts.
pub fn split(text: &str, file: &str) -> (Option<FrontMatter>, usize, Vec<Diagnostic>) {
    let Some(after_open) = text.strip_prefix("+++\n") else {
        return (None, 0, Vec::new());
    };
    let close = after_open.match_indices("+++").find(|(i, _)| {
        (*i == 0 || after_open.as_bytes()[i - 1] == b'\n')
            && matches!(after_open.as_bytes().get(i + 3), None | Some(b'\n'))
    });
    let Some((close, _)) = close else {
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
    fn unknown_key_is_refused() {
        let (_, _, diags) = split("+++\ntitel = \"T\"\n+++\n", "t.md");
        assert!(diags[0].message.contains("titel"), "{}", diags[0].message);
    }
}
