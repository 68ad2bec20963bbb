//! One term from the files of its folder, and one idea from its copies.
//!
//! A term folder holds its README (status, timeline), its proposed ideas and
//! often a list of the selected ones, which repeats most proposals with a
//! mentee added. Published as they are, every selected idea shows twice. Here
//! the files become one term, titled by its program and period, with its
//! status decided by its dates ([`crate::timeline`]); and an idea written in
//! two files of the term (the same organization and title, or the same
//! upstream issue) becomes one idea that keeps the facts of both, marked
//! selected when a selected list or a mentee field says so. Across terms,
//! ideas stay apart: the same project proposed twice is two chances.

use std::collections::HashMap;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::discover::TermPlan;
use crate::load::SourceFile;
use crate::model::{FieldKind, Idea, Note, TermStatus};
use crate::organizations;
use crate::parse::{front_matter, term_meta, TermFile};
use crate::programs::{self, Role};
use crate::timeline;

/// Makes the term of `plan` from the parses of its files (`parsed[i]` for
/// `sources[i]`), on the day `today` (`YYYY-MM-DD`).
pub fn term(
    config: &Config,
    plan: &TermPlan,
    sources: &[SourceFile],
    parsed: &[TermFile],
    today: &str,
) -> (TermFile, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let first = &plan.parts[0];
    let first_source = &sources[first.index];
    let front = front_matter::split(&first_source.text, &first_source.rel)
        .0
        .unwrap_or_default();
    let mut term = parsed[first.index].term.clone();
    let id = crate::parse::term_id(&format!("{}.md", plan.key));
    let program = term
        .program
        .clone()
        .or_else(|| plan.facts.program.as_ref().map(|p| p.name.clone()));
    let period = term
        .term
        .clone()
        .or_else(|| Some(plan.facts.period.label()).filter(|l| !l.is_empty()));
    let made_title = match (&program, &period) {
        (Some(p), Some(label)) => Some(format!("{p} {label}")),
        _ => None,
    };
    if front.title.is_none() {
        if let Some(made) = made_title {
            // The file's own heading stays beside the title, never instead of it.
            let heading = term.title.trim().to_string();
            if heading != term.id && !heading.is_empty() && heading != made {
                term.heading = Some(heading);
            }
            term.title = made;
        }
    }
    term.program = program;
    term.term = period;
    if term.apply_url.is_none() {
        term.apply_url = plan
            .facts
            .program
            .as_ref()
            .and_then(|p| p.key.as_ref())
            .and_then(|k| config.programs.get(k))
            .and_then(|s| s.apply_url.clone());
    }
    // The timeline, status and notes of every file: the first that has one wins.
    let mut written = term.status.map(|s| (s, first.index));
    for part in &plan.parts[1..] {
        let other = &parsed[part.index].term;
        if term.timeline.is_empty() && !other.timeline.is_empty() {
            term.timeline = other.timeline.clone();
        }
        if written.is_none() {
            written = other.status.map(|s| (s, part.index));
        }
        if term.apply_url.is_none() {
            term.apply_url = other.apply_url.clone();
        }
    }
    let year = plan
        .facts
        .period
        .year
        .or_else(|| {
            term.term
                .as_deref()
                .and_then(programs::period_of)
                .and_then(|p| p.year)
        })
        .or_else(|| term.start.as_deref()?.get(..4)?.parse().ok());
    let dates = timeline::read(&mut term.timeline, year);
    if front.start.is_none() {
        term.start = dates.start.clone();
    }
    if front.end.is_none() {
        term.end = dates.end.clone();
    }
    let (status, stale) = timeline::decide(written.map(|(s, _)| s), &dates, year, today);
    term.status = status;
    if let (Some(stale), Some((_, at)), Some(now)) = (stale, written, status) {
        let source = &sources[at];
        let line = status_line(&source.text);
        diags.push(
            Diagnostic::warning(
                "status-stale",
                &source.rel,
                line,
                1,
                format!(
                    "the status says {} but by its {} the term is {} on {today}",
                    spoken(stale),
                    if dates == timeline::Dates::default() {
                        "year"
                    } else {
                        "timeline"
                    },
                    spoken(now)
                ),
            )
            .with_help("update the status line, or remove it and let the timeline tell"),
        );
    }
    let several = plan.parts.len() > 1;
    let mut notes: Vec<Note> = Vec::new();
    for part in &plan.parts {
        notes.extend(parsed[part.index].term.notes.iter().cloned().map(|mut n| {
            if several {
                n.file = Some(sources[part.index].rel.clone());
            }
            n
        }));
    }
    term.notes = notes;
    term.id = id.clone();
    let mut ideas: Vec<Idea> = Vec::new();
    for part in &plan.parts {
        let source = &sources[part.index];
        let selected_at = selected_sections(&source.text);
        for idea in &parsed[part.index].ideas {
            let mut idea = idea.clone();
            idea.term = id.clone();
            idea.selected = part.role == Role::Selected
                || idea.fields.iter().any(|f| f.kind == FieldKind::Mentees)
                || selected_at(idea.source.line);
            ideas.push(idea);
        }
    }
    (
        TermFile {
            term,
            ideas: merge_ideas(ideas),
        },
        diags,
    )
}

fn spoken(status: TermStatus) -> &'static str {
    match status {
        TermStatus::Upcoming => "upcoming",
        TermStatus::Open => "accepting applications",
        TermStatus::InProgress => "in progress",
        TermStatus::Closed => "ended",
    }
}

/// The 1-based line of the file's `Status:` line (or `status =` in front matter).
fn status_line(text: &str) -> usize {
    text.lines()
        .position(|l| {
            let l = l.trim().trim_start_matches(['*', '_', '-', ' ']);
            term_meta::status_from_line(&l.replace("**", "")).is_some()
                || l.starts_with("status =")
                || l.starts_with("status=")
        })
        .map_or(0, |i| i + 1)
}

/// For a file, a test of whether a line lies under a heading that lists
/// selected or accepted projects ("## Accepted Projects").
fn selected_sections(text: &str) -> impl Fn(usize) -> bool {
    // (heading line, level, whether it names selected projects)
    let mut headings: Vec<(usize, usize, bool)> = Vec::new();
    let mut fenced = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
        }
        if fenced || !t.starts_with('#') {
            continue;
        }
        let level = t.chars().take_while(|c| *c == '#').count();
        let title = t[level..].to_lowercase();
        if level <= 6 && title.starts_with(' ') {
            let selected = ["accepted", "selected", "funded"]
                .iter()
                .any(|w| title.contains(w))
                && !title.contains("template")
                && !title.contains("sample");
            headings.push((i + 1, level, selected));
        }
    }
    move |line: usize| {
        // The headings open at `line`: walking back, each shallower than the last.
        let mut deepest = usize::MAX;
        for &(_, level, selected) in headings.iter().rev().filter(|(at, ..)| *at <= line) {
            if level < deepest {
                if selected {
                    return true;
                }
                deepest = level;
            }
        }
        false
    }
}

/// What makes two copies one idea: the same organization (as
/// [`organizations::key`] compares them) and the same title but for case and
/// spacing. Titles are compared more strictly than organizations: "C++
/// bindings" and "C bindings" are two ideas.
fn identity(idea: &Idea) -> String {
    let title = idea
        .title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let org = match organizations::key(&idea.organization) {
        key if key.is_empty() => idea.organization.to_lowercase(),
        key => key,
    };
    format!("{org}\u{1}{title}")
}

/// Merges the copies of each idea into the first, keeping every fact.
pub fn merge_ideas(ideas: Vec<Idea>) -> Vec<Idea> {
    let mut out: Vec<Idea> = Vec::new();
    let mut by_identity: HashMap<String, usize> = HashMap::new();
    let mut by_issue: HashMap<String, usize> = HashMap::new();
    for idea in ideas {
        let id = identity(&idea);
        let found = by_identity.get(&id).copied().or_else(|| {
            idea.issues
                .iter()
                .find_map(|i| {
                    by_issue
                        .get(&i.url.trim_end_matches('/').to_lowercase())
                        .copied()
                })
                .filter(|&at| {
                    organizations::key(&out[at].organization)
                        == organizations::key(&idea.organization)
                })
        });
        match found {
            Some(at) => absorb(&mut out[at], idea),
            None => {
                let at = out.len();
                by_identity.insert(id, at);
                for issue in &idea.issues {
                    by_issue
                        .entry(issue.url.trim_end_matches('/').to_lowercase())
                        .or_insert(at);
                }
                out.push(idea);
            }
        }
    }
    out
}

/// Adds to `into` what only `copy` says.
fn absorb(into: &mut Idea, copy: Idea) {
    into.selected |= copy.selected;
    let fill = |a: &mut Option<String>, b: Option<String>| {
        if a.as_deref().is_none_or(|s| s.trim().is_empty()) {
            *a = b;
        }
    };
    fill(&mut into.intro, copy.intro);
    fill(&mut into.description, copy.description);
    fill(&mut into.expected_outcome, copy.expected_outcome);
    fill(&mut into.lfx_url, copy.lfx_url);
    fill(&mut into.difficulty, copy.difficulty);
    fill(&mut into.size, copy.size);
    fill(&mut into.stretch_goals, copy.stretch_goals);
    fill(&mut into.notes, copy.notes);
    for skill in copy.skills {
        if !into.skills.contains(&skill) {
            into.skills.push(skill);
        }
    }
    for mentor in copy.mentors {
        let same = |m: &crate::model::Mentor| {
            organizations::key(&m.name) == organizations::key(&mentor.name)
                || (m.github.is_some() && m.github == mentor.github)
        };
        if !into.mentors.iter().any(same) {
            into.mentors.push(mentor);
        }
    }
    for issue in copy.issues {
        if !into.issues.iter().any(|i| i.url == issue.url) {
            into.issues.push(issue);
        }
    }
    for field in copy.fields {
        if !into
            .fields
            .iter()
            .any(|f| f.kind == field.kind && f.label == field.label)
        {
            into.fields.push(field);
        }
    }
    for field in copy.extra {
        if !into.extra.iter().any(|f| f.label == field.label) {
            into.extra.push(field);
        }
    }
    into.also_in.push(copy.source);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Field, IssueLink, Source};

    fn idea(org: &str, title: &str, line: usize) -> Idea {
        Idea {
            organization: org.into(),
            title: title.into(),
            source: Source {
                file: "a.md".into(),
                line,
                column: 1,
            },
            ..Idea::default()
        }
    }

    #[test]
    fn one_idea_in_two_files_is_one_idea_with_both_facts() {
        let proposed = Idea {
            description: Some("Build it.".into()),
            ..idea("Jaeger", "Trace sampling UI", 10)
        };
        let selected = Idea {
            selected: true,
            fields: vec![Field {
                kind: FieldKind::Mentees,
                label: "Mentee".into(),
                value: "A. Student".into(),
                line: 40,
                column: 3,
            }],
            ..idea("jaeger", "Trace Sampling UI", 40)
        };
        let merged = merge_ideas(vec![proposed, selected]);
        assert_eq!(merged.len(), 1);
        assert!(merged[0].selected);
        assert_eq!(merged[0].description.as_deref(), Some("Build it."));
        assert_eq!(merged[0].fields.len(), 1);
        assert_eq!(merged[0].also_in[0].line, 40);
    }

    #[test]
    fn same_issue_same_organization_is_one_idea() {
        let issue = IssueLink {
            url: "https://github.com/o/r/issues/1".into(),
            label: "o/r#1".into(),
        };
        let a = Idea {
            issues: vec![issue.clone()],
            ..idea("Org", "Improve the CLI", 1)
        };
        let b = Idea {
            issues: vec![issue.clone()],
            ..idea("Org", "CLI improvements", 9)
        };
        let c = Idea {
            issues: vec![issue],
            ..idea("Other", "CLI improvements", 20)
        };
        assert_eq!(merge_ideas(vec![a, b, c]).len(), 2);
    }

    #[test]
    fn ideas_under_an_accepted_heading_are_selected() {
        let text = "# Term\n\n## Proposed\n\n### A\n\n## Accepted Projects\n\n### Org\n\n#### B\n";
        let at = selected_sections(text);
        assert!(!at(5));
        assert!(at(11));
    }
}
