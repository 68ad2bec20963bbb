//! The site model: terms and ideas as the rest of the pipeline sees them.
//!
//! These serde types are also the public `ideas.json` export (schema in
//! `docs/ideas.schema.json`), so field names are a stable API: add, never rename.

use serde::{Deserialize, Serialize};

/// Where something came from: a file relative to the content directory, 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Source {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

/// One program term, e.g. "LFX Mentorship 2023 Term 1": one term file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Term {
    /// Stable identifier and URL segment, from the file's path (`lfx-2023-term1`).
    pub id: String,
    pub title: String,
    pub program: Option<String>,
    /// The term's own name within its program ("2023 · Term 1 (Mar–May)").
    pub term: Option<String>,
    /// The file's own first heading, when the title was made from the path and
    /// the heading says something else ("Term 01 - 2026 March - May").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub status: Option<TermStatus>,
    pub apply_url: Option<String>,
    pub timeline: Vec<TimelineEntry>,
    /// Everything in the file that is not an idea, in source order, as markdown.
    pub notes: Vec<Note>,
    pub source: Source,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum TermStatus {
    Upcoming,
    /// Accepting applications.
    Open,
    /// Applications closed, the term not yet ended.
    #[serde(rename = "in-progress")]
    InProgress,
    Closed,
}

impl TermStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TermStatus::Upcoming => "upcoming",
            TermStatus::Open => "open",
            TermStatus::InProgress => "in-progress",
            TermStatus::Closed => "closed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub event: String,
    /// As written ("Monday, March 2, 2026").
    pub date: String,
    /// The first day it names, as `YYYY-MM-DD`, when Trellis can read it.
    pub iso: Option<String>,
}

/// A run of the term file that belongs to no idea (intro, template, guidelines, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// The file it comes from, when the term is made of several files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub line: usize,
    pub markdown: String,
}

/// One mentorship project idea.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Idea {
    pub title: String,
    pub organization: String,
    /// Headings between the organization and the idea (Kubernetes > **CAPG** > idea).
    pub subprojects: Vec<String>,
    /// The owning term's `id`.
    pub term: String,
    /// `<term>/<org>/<idea>`: stable across reordering, unique within the site.
    pub slug: String,
    /// Site-relative URL of the idea's page (`ideas/<slug>/`).
    pub url: String,
    pub source: Source,
    /// Markdown between the heading and the field list.
    pub intro: Option<String>,
    pub description: Option<String>,
    pub expected_outcome: Option<String>,
    /// Normalized skill names, aliases applied, in the order written.
    pub skills: Vec<String>,
    /// Parenthetical remarks found in the skills field ("no prior experience needed").
    pub skill_notes: Vec<String>,
    pub mentors: Vec<Mentor>,
    pub issues: Vec<IssueLink>,
    pub lfx_url: Option<String>,
    /// As written ("Medium/High").
    pub difficulty: Option<String>,
    /// Normalized for facets: `easy`, `medium`, `hard`, or a range (`medium-hard`).
    #[serde(default)]
    pub difficulty_level: Option<String>,
    /// As written ("175 or 350 hours, depending on the scope"), or the size section's heading.
    pub size: Option<String>,
    /// Normalized for facets: `small`, `medium`, `large`, or a range (`medium-large`).
    #[serde(default)]
    pub size_class: Option<String>,
    /// The hours written, as a range (equal ends for one figure).
    #[serde(default)]
    pub size_hours: Option<HoursRange>,
    pub stretch_goals: Option<String>,
    /// The grouping heading above the idea that is neither an organization nor a size ("Data science").
    #[serde(default)]
    pub category: Option<String>,
    /// Listed under a "Draft ideas" heading: not yet a settled proposal.
    #[serde(default)]
    pub draft: bool,
    /// Mentor entries that name no person ("TBD", "Almost any committer"), as written.
    #[serde(default)]
    pub mentor_notes: Vec<String>,
    /// How the idea was written, for `check --verbose`.
    #[serde(default)]
    pub shape: IdeaShape,
    /// Every field as written, in source order: the structured values above derive from these.
    pub fields: Vec<Field>,
    /// Fields whose label Trellis does not know, in order.
    pub extra: Vec<Field>,
    /// Markdown after the field list, up to the next heading.
    pub notes: Option<String>,
    /// Selected or accepted for the term (listed as selected, or with a mentee):
    /// mentees see what got funded before. Absent from `ideas.json` when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub selected: bool,
    /// Other places the same idea is written in its term (a README and its
    /// project-ideas file), merged into this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_in: Vec<Source>,
    /// The GitHub issue the idea was proposed in, when it came from one: its
    /// page links there for discussion, as it links a term file's idea to the
    /// file for editing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposal_url: Option<String>,
}

/// A range of hours, `min == max` when one figure is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoursRange {
    pub min: u32,
    pub max: u32,
}

/// The shape an idea was written in: where its fields came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum IdeaShape {
    /// `- Label: value` list items under a heading.
    #[default]
    Bullets,
    /// Paragraphs that start with a label (`Label: value`, `**Label**`), under a heading.
    Paragraphs,
    /// Sub-headings whose text is a label (`### Mentors`).
    Headings,
    /// A small table of labels and values under the idea's heading.
    FieldTable,
    /// One row of a table of ideas.
    TableRow,
    /// Only prose and at most one field under the heading.
    Prose,
}

impl IdeaShape {
    pub fn as_str(self) -> &'static str {
        match self {
            IdeaShape::Bullets => "bullet fields",
            IdeaShape::Paragraphs => "paragraph fields",
            IdeaShape::Headings => "sub-heading fields",
            IdeaShape::FieldTable => "field table",
            IdeaShape::TableRow => "table of ideas",
            IdeaShape::Prose => "prose",
        }
    }
}

/// The canonical meaning of a field label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Description,
    ExpectedOutcome,
    Skills,
    Mentors,
    Issues,
    LfxUrl,
    Difficulty,
    Size,
    StretchGoals,
    Mentees,
    Extra,
}

impl FieldKind {
    /// The label a mentor should write; used in diagnostics and on pages.
    pub fn display(self) -> &'static str {
        match self {
            FieldKind::Description => "Description",
            FieldKind::ExpectedOutcome => "Expected Outcome",
            FieldKind::Skills => "Recommended Skills",
            FieldKind::Mentors => "Mentor(s)",
            FieldKind::Issues => "Upstream Issue",
            FieldKind::LfxUrl => "LFX URL",
            FieldKind::Difficulty => "Difficulty",
            FieldKind::Size => "Expected project size",
            FieldKind::StretchGoals => "Stretch goals",
            FieldKind::Mentees => "Mentee",
            FieldKind::Extra => "Extra",
        }
    }
}

/// One `- Label: value` item of an idea.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    pub kind: FieldKind,
    /// The label as the author wrote it, without bold markers and colon.
    pub label: String,
    /// The value as markdown, continuation lines and nested lists included.
    pub value: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Mentor {
    pub name: String,
    pub github: Option<String>,
    pub email: Option<String>,
    pub url: Option<String>,
    /// Remarks such as "(backup)".
    pub note: Option<String>,
    /// The mentor's role as written ("primary", "secondary"), never part of the name.
    #[serde(default)]
    pub role: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueLink {
    pub url: String,
    /// Short form for display: `owner/repo#123` for GitHub issues and pulls, else the host and path.
    pub label: String,
}

/// The whole site: what the renderer, the search index and the JSON export read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Site {
    /// Newest term first.
    pub terms: Vec<Term>,
    /// Grouped by term (in `terms` order), then in source order.
    pub ideas: Vec<Idea>,
    /// Markdown files that are no term (guides, program READMEs), in path order.
    #[serde(default)]
    pub pages: Vec<Page>,
}

/// A markdown file of the repository that is not a term: a guide, a program's
/// README. Shown as a page of its own, under its program or among the guides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Page {
    /// URL segment, from the file's path (`lfx-mentorship-readme`).
    pub id: String,
    pub title: String,
    pub program: Option<String>,
    /// The file's markdown without front matter, relative links rewritten.
    pub markdown: String,
    /// Site-relative URL (`guides/<id>/`).
    pub url: String,
    pub source: Source,
}
