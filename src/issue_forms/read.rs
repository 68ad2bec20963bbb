//! One issue form's answers → one [`Idea`], through the same alias table as
//! term files: the organization from a project field ("CNCF Project"), the
//! title from a name field ("Program Name") or the issue title, description
//! and expected outcome from the description's `## Description` / `## Expected
//! outcomes`, skills from the technologies and skills fields (the skills field
//! left out when a "same as Technologies" box is ticked), mentors from
//! `Name | @handle | email | LFID` lines, prerequisites from ticked boxes.
//!
//! Issue text is anyone's: mentors' e-mail addresses are dropped and any other
//! address in an answer is hidden, since the site is public and the form asks
//! for addresses meant for the program's administrators alone.

use crate::model::{Field, FieldKind, Idea, Mentor};
use crate::parse::labels::normalize_label;
use crate::parse::{self, issues, mentors, skills, ParseContext};
use crate::util::plain;

use super::body::Answer;
use super::mentor_lines::{is_email, parse_mentor_lines};
use super::validate::{is_same_skills_box, is_skills_list};

/// What an answer is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Organization,
    Title,
    Term,
    Known(FieldKind),
    SameSkillsBox,
    SkillsList,
    Prerequisites,
    CustomPrerequisite(Custom),
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Custom {
    Toggle,
    Name,
    Description,
    FileUpload,
}

fn role(label: &str, ctx: &ParseContext) -> Role {
    let key = normalize_label(label);
    if is_same_skills_box(label) {
        return Role::SameSkillsBox;
    }
    if key.contains("prerequisite") && key.contains("custom") {
        return Role::CustomPrerequisite(if key.contains("upload") {
            Custom::FileUpload
        } else if key.ends_with("name") {
            Custom::Name
        } else if key.ends_with("description") {
            Custom::Description
        } else {
            Custom::Toggle
        });
    }
    const ORGANIZATION: &[&str] = &[
        "organization",
        "organisation",
        "org",
        "project",
        "community",
    ];
    const TITLE: &[&str] = &[
        "programname",
        "projectname",
        "projecttitle",
        "programtitle",
        "ideatitle",
        "proposaltitle",
        "title",
    ];
    if ORGANIZATION.contains(&key.as_str()) || (key.ends_with("project") && key.len() <= 16) {
        Role::Organization
    } else if TITLE.contains(&key.as_str()) {
        Role::Title
    } else if key == "term" || key.ends_with("term") {
        Role::Term
    } else if is_skills_list(label) {
        // Checked before the alias table: "Required Skills" is a skills field
        // there, but here it is the one a "same as Technologies" box replaces.
        Role::SkillsList
    } else if let Some(kind) = ctx.labels.lookup(label).filter(|k| *k != FieldKind::Extra) {
        Role::Known(kind)
    } else if key.contains("prerequisite") {
        Role::Prerequisites
    } else {
        Role::Other
    }
}

/// An idea read from one issue's answers, and the term it names (as written).
pub struct ReadIdea {
    pub idea: Idea,
    pub term: Option<String>,
}

/// Reads `answers`; `issue_title` stands in when no field names the idea.
/// The idea's fields carry the lines of the issue body.
pub fn read_idea(answers: &[Answer], issue_title: &str, ctx: &ParseContext) -> ReadIdea {
    let mut idea = Idea::default();
    let mut term = None;
    let same_skills = answers
        .iter()
        .any(|a| role(&a.label, ctx) == Role::SameSkillsBox && !a.checked().is_empty());
    let mut skill_lists = Vec::new();
    let mut prerequisites: Vec<String> = Vec::new();
    let (mut custom_name, mut custom_text, mut custom_upload) = (None, None, false);
    for answer in answers {
        let value = hide_emails(&answer.value);
        let field = |kind: FieldKind, value: String| Field {
            kind,
            label: answer.label.clone(),
            value,
            line: answer.line,
            column: 1,
        };
        match role(&answer.label, ctx) {
            Role::Organization => idea.organization = plain::plain_text(&value),
            Role::Title => idea.title = plain::plain_text(&value),
            Role::Term => term = Some(plain::plain_text(&value)).filter(|t| !t.is_empty()),
            Role::SameSkillsBox | Role::CustomPrerequisite(Custom::Toggle) => {}
            Role::SkillsList if same_skills => {}
            Role::SkillsList => skill_lists.push(value.clone()),
            Role::Prerequisites => prerequisites.extend(answer.checked()),
            Role::CustomPrerequisite(Custom::Name) => custom_name = Some(plain::plain_text(&value)),
            Role::CustomPrerequisite(Custom::Description) => custom_text = Some(value.clone()),
            Role::CustomPrerequisite(Custom::FileUpload) => {
                custom_upload = !answer.checked().is_empty()
            }
            Role::Known(FieldKind::Skills) => skill_lists.insert(0, value.clone()),
            Role::Known(FieldKind::Description) => {
                for part in parse::split_form_sections(
                    field(FieldKind::Description, value.clone()),
                    &ctx.labels,
                ) {
                    let text = Some(part.value.clone()).filter(|v| !v.trim().is_empty());
                    match part.kind {
                        FieldKind::Description => idea.description = text,
                        FieldKind::ExpectedOutcome => idea.expected_outcome = text,
                        FieldKind::StretchGoals => idea.stretch_goals = text,
                        _ => idea.extra.push(part.clone()),
                    }
                    idea.fields.push(part);
                }
                continue;
            }
            Role::Known(kind) => read_known(&mut idea, kind, &value, field(kind, value.clone())),
            Role::Other if !value.is_empty() => {
                let checked = answer.checked();
                let shown = if checked.is_empty() {
                    value.clone()
                } else {
                    bullets(&checked)
                };
                idea.extra.push(field(FieldKind::Extra, shown));
            }
            Role::Other => {}
        }
        idea.fields
            .push(field(role_kind(role(&answer.label, ctx)), value));
    }
    if let Some(name) = custom_name.filter(|n| !n.is_empty()) {
        let mut item = match custom_text.as_deref().map(plain::plain_text) {
            Some(text) if !text.is_empty() => format!("{name}: {text}"),
            _ => name,
        };
        if custom_upload {
            item.push_str(" (a file to upload)");
        }
        prerequisites.push(item);
    }
    if !prerequisites.is_empty() {
        let line = answers
            .iter()
            .find(|a| matches!(role(&a.label, ctx), Role::Prerequisites))
            .map_or(0, |a| a.line);
        idea.extra.push(Field {
            kind: FieldKind::Extra,
            label: "Prerequisites".into(),
            value: bullets(&prerequisites),
            line,
            column: 1,
        });
    }
    let mut seen = std::collections::HashSet::new();
    for list in skill_lists {
        let parsed = skills::parse_skills(&list, &ctx.skills);
        for skill in parsed.skills {
            if seen.insert(skill.to_lowercase()) {
                idea.skills.push(skill);
            }
        }
        idea.skill_notes.extend(parsed.notes);
    }
    if idea.title.is_empty() {
        idea.title = title_of_issue(issue_title);
    }
    ReadIdea { idea, term }
}

fn read_known(idea: &mut Idea, kind: FieldKind, value: &str, field: Field) {
    let text = Some(value.to_string()).filter(|v| !v.trim().is_empty());
    match kind {
        FieldKind::ExpectedOutcome => idea.expected_outcome = text,
        FieldKind::Mentors => idea.mentors = read_mentors(value),
        FieldKind::Issues => idea.issues = issues::parse_issues(value),
        FieldKind::LfxUrl => idea.lfx_url = plain::urls(value).into_iter().next(),
        FieldKind::Difficulty => idea.difficulty = text.map(|v| plain::plain_text(&v)),
        FieldKind::Size => idea.size = text.map(|v| plain::plain_text(&v)),
        FieldKind::StretchGoals => idea.stretch_goals = text,
        FieldKind::Mentees | FieldKind::Extra if text.is_some() => idea.extra.push(field),
        _ => {}
    }
}

/// Mentors as the form writes them, or in any shape term files use when a
/// mentor wrote no `|` lines; never with an e-mail address.
fn read_mentors(value: &str) -> Vec<Mentor> {
    let found = if value.contains('|') {
        parse_mentor_lines(value)
            .into_iter()
            .filter_map(|line| {
                let name = if line.name.is_empty() {
                    line.handle.clone()?
                } else {
                    plain::plain_text(&line.name)
                };
                Some(Mentor {
                    name,
                    github: line.handle,
                    ..Mentor::default()
                })
            })
            .collect()
    } else {
        mentors::parse_mentors(value)
    };
    found
        .into_iter()
        .map(|m| Mentor { email: None, ..m })
        .collect()
}

fn role_kind(role: Role) -> FieldKind {
    match role {
        Role::Known(kind) => kind,
        Role::SkillsList => FieldKind::Skills,
        _ => FieldKind::Extra,
    }
}

fn bullets(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("- {i}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// An issue's title without the bracketed prefix forms put first
/// (`[Proposal] Faster builds` → `Faster builds`).
pub fn title_of_issue(title: &str) -> String {
    let mut rest = title.trim();
    while let Some(after) = rest.strip_prefix('[') {
        match after.split_once(']') {
            Some((_, tail)) => rest = tail.trim_start_matches([' ', ':', '-', '—']).trim(),
            None => break,
        }
    }
    plain::collapse_spaces(rest)
}

/// Every e-mail address in `text` replaced by a notice that one was there.
pub fn hide_emails(text: &str) -> String {
    let is_part = |c: char| c.is_ascii_alphanumeric() || ".+-_'@".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let trimmed = word.trim_end_matches('.');
        if trimmed.contains('@') && is_email(trimmed) {
            out.push_str("(e-mail address hidden)");
            out.push_str(&word[trimmed.len()..]);
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if is_part(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracketed_prefixes_leave_the_title() {
        assert_eq!(
            title_of_issue("[CNCF LFX Proposal] Argo: faster   sync"),
            "Argo: faster sync"
        );
        assert_eq!(title_of_issue("[a][b] - Idea"), "Idea");
        assert_eq!(title_of_issue("Plain title"), "Plain title");
        assert_eq!(title_of_issue("[unclosed title"), "[unclosed title");
    }

    #[test]
    fn emails_are_hidden_and_the_rest_kept() {
        assert_eq!(
            hide_emails("write to jo@example.org. Or @jo on Slack, see a@b"),
            "write to (e-mail address hidden). Or @jo on Slack, see a@b"
        );
        assert_eq!(
            hide_emails("[mail](mailto:jo@example.org)"),
            "[mail](mailto:(e-mail address hidden))"
        );
    }

    #[test]
    fn roles_of_form_labels() {
        let ctx = ParseContext::default();
        let r = |l: &str| role(l, &ctx);
        assert_eq!(r("CNCF Project"), Role::Organization);
        assert_eq!(r("Program Name"), Role::Title);
        assert_eq!(r("Term"), Role::Term);
        assert_eq!(
            r("Program Description"),
            Role::Known(FieldKind::Description)
        );
        assert_eq!(r("Technologies"), Role::Known(FieldKind::Skills));
        assert_eq!(r("Required/Desirable Skills"), Role::SkillsList);
        assert_eq!(r("Skills same as Technologies?"), Role::SameSkillsBox);
        assert_eq!(r("Mentors"), Role::Known(FieldKind::Mentors));
        assert_eq!(r("Upstream Issue URL"), Role::Known(FieldKind::Issues));
        assert_eq!(r("Application Prerequisites"), Role::Prerequisites);
        assert_eq!(
            r("Custom Prerequisites"),
            Role::CustomPrerequisite(Custom::Toggle)
        );
        assert_eq!(
            r("Custom Prerequisite Name"),
            Role::CustomPrerequisite(Custom::Name)
        );
        assert_eq!(
            r("Custom Prerequisite — File Upload"),
            Role::CustomPrerequisite(Custom::FileUpload)
        );
        assert_eq!(r("Coding Challenge URL"), Role::Other);
    }
}
