//! A `gh issue list --json number,title,body,labels,url,state,createdAt` export
//! in the content directory, read as a source of proposals: every open issue
//! whose body is an issue form's answer becomes an idea, grouped into terms by
//! its term field ("2026 Term 3 (Sep-Nov)").
//!
//! What is not read, and why, is said in a diagnostic at the issue: an issue
//! that is no proposal (no form answers, or none naming a description or
//! mentors) and a closed issue (withdrawn, declined or done with: the open
//! issues are the proposals) are notes; a proposal's own problems are
//! warnings, never errors, because anyone can open an issue and one careless
//! issue must not stop the site from being built. The errors are for
//! `trellis check --issue-body`, in a comment on the issue.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::load::SourceFile;
use crate::model::{Idea, Source, Term};
use crate::parse::{ParseContext, TermFile};
use crate::slug::slugify;

use super::body::split_body;
use super::form::Form;
use super::read::read_idea;
use super::validate::validate;

/// One issue of the export; other keys `gh` prints are ignored.
#[derive(Debug, Deserialize)]
struct Issue {
    number: u64,
    title: String,
    body: String,
    #[serde(default)]
    labels: Vec<Label>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    state: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Label {
    name: String,
}

/// The ideas of an export file, in terms, and what Trellis has to say about its issues.
pub fn read_export(
    file: &SourceFile,
    ctx: &ParseContext,
    forms: &[Form],
) -> (Vec<TermFile>, Vec<Diagnostic>) {
    let rel = file.rel.as_str();
    let mut diags = Vec::new();
    let items: Vec<serde_json::Value> = match serde_json::from_str(&file.text) {
        Ok(serde_json::Value::Array(items)) => items,
        Ok(_) => {
            diags.push(not_an_export(rel, 0));
            return (Vec::new(), diags);
        }
        Err(e) => {
            diags.push(
                Diagnostic::warning(
                    "export-invalid",
                    rel,
                    e.line(),
                    e.column(),
                    format!("'{rel}' is not valid JSON ({e}), so no proposal is read from it"),
                )
                .with_help("write it again with `gh issue list --json number,title,body,labels,url,state,createdAt`"),
            );
            return (Vec::new(), diags);
        }
    };
    let lines = issue_lines(&file.text);
    // The first item decides whether this is an export at all.
    if items
        .first()
        .is_some_and(|first| serde_json::from_value::<Issue>(first.clone()).is_err())
    {
        diags.push(not_an_export(rel, 0));
        return (Vec::new(), diags);
    }
    // Issues are read in parallel: an export is one file, but may hold thousands.
    let read: Vec<IssueRead> = items
        .into_par_iter()
        .enumerate()
        .map(|(n, item)| match serde_json::from_value::<Issue>(item) {
            Ok(issue) => read_issue(rel, issue, &lines, ctx, forms),
            Err(e) => (
                None,
                vec![Diagnostic::warning(
                    "export-invalid",
                    rel,
                    0,
                    0,
                    format!("item {} of the export is not an issue: {e}", n + 1),
                )],
            ),
        })
        .collect();
    let mut terms: Vec<TermFile> = Vec::new();
    for (idea, mut issue_diags) in read {
        diags.append(&mut issue_diags);
        let Some((term, idea)) = idea else { continue };
        match terms.iter_mut().find(|t| t.term.id == term.id) {
            Some(file) => file.ideas.push(idea),
            None => terms.push(TermFile {
                term,
                ideas: vec![idea],
            }),
        }
    }
    (terms, diags)
}

/// What one issue gives: its term and idea when it is an open proposal, and diagnostics.
type IssueRead = (Option<(Term, Idea)>, Vec<Diagnostic>);

/// One issue: its idea and term when it is an open proposal, and what there is to say about it.
fn read_issue(
    rel: &str,
    issue: Issue,
    lines: &HashMap<u64, usize>,
    ctx: &ParseContext,
    forms: &[Form],
) -> IssueRead {
    let line = lines.get(&issue.number).copied().unwrap_or(0);
    let at = |severity: Severity, code: &'static str, message: String| Diagnostic {
        severity,
        code,
        file: rel.to_string(),
        line,
        column: usize::from(line > 0),
        message: format!("#{}: {message}", issue.number),
        help: None,
    };
    if issue
        .state
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("closed"))
    {
        let note = at(
            Severity::Info,
            "issue-closed",
            "closed, so not published".into(),
        );
        return (None, vec![note]);
    }
    let body = crate::load::normalize(issue.body.clone());
    let label_names: Vec<String> = issue.labels.iter().map(|l| l.name.clone()).collect();
    let form = super::form_for(&body, forms);
    let form_labels: Option<Vec<&str>> =
        form.map(|f| f.fields.iter().map(|f| f.label.as_str()).collect());
    let answers = split_body(&body, form_labels.as_deref());
    if !super::is_proposal(&answers, &ctx.labels) {
        let note = at(
            Severity::Info,
            "not-a-proposal",
            "not a proposal (no issue-form answers with a description or mentors), so not published".into(),
        );
        return (None, vec![note]);
    }
    let mut diags = Vec::new();
    for problem in validate(&answers, form, &ctx.labels) {
        let mut d = at(
            problem.severity.min(Severity::Warning),
            problem.code,
            problem.message,
        );
        d.help = problem.help;
        diags.push(d);
    }
    let read = read_idea(&answers, &issue.title, ctx);
    let mut idea = read.idea;
    idea.source = Source {
        file: rel.to_string(),
        line,
        column: usize::from(line > 0),
    };
    idea.proposal_url = issue
        .url
        .filter(|u| u.starts_with("https://") && !u.contains(char::is_whitespace));
    if idea.organization.is_empty() {
        diags.push(at(
            Severity::Warning,
            "no-organization",
            format!("idea '{}' names no organization", idea.title),
        ));
    }
    let term = term_of(rel, read.term.as_deref(), form, &label_names);
    idea.term = term.id.clone();
    (Some((term, idea)), diags)
}

fn not_an_export(rel: &str, line: usize) -> Diagnostic {
    Diagnostic::info(
        "not-an-export",
        rel,
        line,
        0,
        format!("'{rel}' is not a list of issues with number, title and body, so no proposal is read from it"),
    )
    .with_help("an export comes from `gh issue list --json number,title,body,labels,url,state,createdAt`")
}

/// The line each issue's `"number"` is on, so a diagnostic points into the
/// export (all on line 1 when `gh` wrote it without indentation).
fn issue_lines(text: &str) -> HashMap<u64, usize> {
    let index = crate::util::line_index::LineIndex::new(text);
    let mut lines = HashMap::new();
    for (offset, _) in text.match_indices("\"number\"") {
        let rest = text[offset + "\"number\"".len()..].trim_start();
        let Some(rest) = rest.strip_prefix(':') else {
            continue;
        };
        let digits: String = rest
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(number) = digits.parse() {
            lines.entry(number).or_insert_with(|| index.line(offset));
        }
    }
    lines
}

/// The term an idea is published in: the term field's answer with the program
/// the form or the issue's labels name ("LFX Mentorship" + "2026 Term 3"), or
/// the export file's own name when no field names a term.
fn term_of(rel: &str, answer: Option<&str>, form: Option<&Form>, labels: &[String]) -> Term {
    let stem = rel.strip_suffix(".json").unwrap_or(rel);
    let program = program_of(form, labels);
    let source = Source {
        file: rel.to_string(),
        line: 1,
        column: 1,
    };
    let Some(answer) = answer else {
        let id = slugify(&stem.replace('/', "-"));
        return Term {
            title: stem.rsplit('/').next().unwrap_or(stem).to_string(),
            id: if id.is_empty() {
                "proposals".into()
            } else {
                id
            },
            program,
            source,
            ..Term::default()
        };
    };
    let (name, months) = match answer.split_once('(') {
        Some((name, rest)) => (name.trim(), rest.trim_end_matches(')').trim()),
        None => (answer.trim(), ""),
    };
    let (start, end) = term_dates(name, months).unzip();
    let title = match &program {
        Some(p) if !name.to_lowercase().contains(&p.to_lowercase()) => format!("{p} {name}"),
        _ => name.to_string(),
    };
    let dir = stem.rsplit_once('/').map_or("", |(dir, _)| dir);
    let id = slugify(&format!("{} {title}", dir.replace('/', " ")));
    Term {
        id: if id.is_empty() {
            "proposals".into()
        } else {
            id
        },
        title,
        program,
        term: Some(name.to_string()),
        start,
        end,
        source,
        ..Term::default()
    }
}

/// The program proposals are for: the form's name without "Program Proposal"
/// ("LFX Mentorship Program Proposal" → "LFX Mentorship"), else a program the
/// issue's labels name.
fn program_of(form: Option<&Form>, labels: &[String]) -> Option<String> {
    if let Some(form) = form {
        let mut words: Vec<&str> = form.name.split_whitespace().collect();
        while words.last().is_some_and(|w| {
            [
                "proposal",
                "proposals",
                "program",
                "programme",
                "project",
                "idea",
                "ideas",
            ]
            .contains(&w.to_lowercase().as_str())
        }) {
            words.pop();
        }
        if !words.is_empty() {
            return Some(words.join(" "));
        }
    }
    labels.iter().find_map(|l| {
        let l = l.to_lowercase();
        if l.contains("lfx") {
            Some("LFX Mentorship".to_string())
        } else if l == "gsoc" || l.contains("summer of code") {
            Some("Google Summer of Code".to_string())
        } else {
            None
        }
    })
}

/// `("2026 Term 3", "Sep-Nov")` → 2026-09-01 and 2026-11-30: the first day of
/// the first month and the last day of the last, a year later when the months wrap.
fn term_dates(name: &str, months: &str) -> Option<(String, String)> {
    let year: i32 = name
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 4)?
        .parse()
        .ok()?;
    let mut parts = months.split(['-', '–', '—']).map(month_number);
    let first = parts.next()??;
    let last = parts.next()??;
    let end_year = if last < first { year + 1 } else { year };
    let leap = end_year % 4 == 0 && (end_year % 100 != 0 || end_year % 400 == 0);
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    Some((
        format!("{year:04}-{first:02}-01"),
        format!("{end_year:04}-{last:02}-{:02}", days[last as usize - 1]),
    ))
}

fn month_number(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let w = word.trim().to_lowercase();
    let position = MONTHS.iter().position(|m| w.starts_with(m))?;
    Some(position as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_field_gives_name_dates_and_program() {
        let form = Form {
            file: "f.yml".into(),
            name: "LFX Mentorship Program Proposal".into(),
            labels: Vec::new(),
            fields: Vec::new(),
        };
        let term = term_of(
            "issues.json",
            Some("2026 Term 3 (Sep-Nov)"),
            Some(&form),
            &[],
        );
        assert_eq!(term.id, "lfx-mentorship-2026-term-3");
        assert_eq!(term.title, "LFX Mentorship 2026 Term 3");
        assert_eq!(term.program.as_deref(), Some("LFX Mentorship"));
        assert_eq!(term.term.as_deref(), Some("2026 Term 3"));
        assert_eq!(term.start.as_deref(), Some("2026-09-01"));
        assert_eq!(term.end.as_deref(), Some("2026-11-30"));
        assert_eq!(
            term_dates("2027 Term 1", "Dec-Feb").unwrap().1,
            "2028-02-29"
        );
        let labelled = term_of(
            "lfx/issues.json",
            Some("2026 Term 3"),
            None,
            &["lfx mentorship".into()],
        );
        assert_eq!(labelled.id, "lfx-lfx-mentorship-2026-term-3");
        assert_eq!(labelled.start, None);
    }

    #[test]
    fn without_a_term_field_the_file_names_the_term() {
        let term = term_of("gsoc/2027-ideas.json", None, None, &["gsoc".into()]);
        assert_eq!(term.id, "gsoc-2027-ideas");
        assert_eq!(term.title, "2027-ideas");
        assert_eq!(term.program.as_deref(), Some("Google Summer of Code"));
    }

    #[test]
    fn issue_numbers_are_found_on_their_lines() {
        let lines = issue_lines(
            "[\n  {\n    \"number\": 12,\n    \"title\": \"x\"\n  },\n  {\"number\":7}\n]",
        );
        assert_eq!(lines.get(&12), Some(&3));
        assert_eq!(lines.get(&7), Some(&6));
    }
}
