//! The rules an issue form's answers are checked against: every required field
//! answered, dropdown answers among the options, ticked boxes the form
//! requires, the length limits the form states, mentor lines well formed with
//! no handle or e-mail twice, and exactly one upstream issue URL.
//!
//! Rules are pure functions of the answers and the form; each problem names
//! the field it is about, so a comment can group them per field.

use std::collections::HashMap;

use crate::diagnostic::Severity;
use crate::model::FieldKind;
use crate::parse::labels::{normalize_label, Labels};
use crate::util::plain;

use super::body::Answer;
use super::form::{FieldType, Form};
use super::mentor_lines::{parse_mentor_lines, LineProblem};

/// One thing wrong with an issue body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    /// A short stable code, as diagnostics have.
    pub code: &'static str,
    /// The field's label as the form writes it; `None` for the body as a whole.
    pub field: Option<String>,
    /// 1-based line in the body; 0 when the field is missing altogether.
    pub line: usize,
    pub message: String,
    pub help: Option<String>,
}

impl Problem {
    fn error(code: &'static str, field: &str, line: usize, message: String) -> Problem {
        Problem {
            severity: Severity::Error,
            code,
            field: Some(field.to_string()),
            line,
            message,
            help: None,
        }
    }

    fn warning(code: &'static str, field: &str, line: usize, message: String) -> Problem {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(code, field, line, message)
        }
    }

    fn help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }
}

/// Checks `answers` against `form` (when the body's form is known) and the
/// rules every proposal follows (mentor lines, one upstream URL).
pub(crate) fn validate(answers: &[Answer], form: Option<&Form>, labels: &Labels) -> Vec<Problem> {
    let mut problems = Vec::new();
    let by_key: HashMap<String, &Answer> = answers
        .iter()
        .map(|a| (normalize_label(&a.label), a))
        .collect();
    if let Some(form) = form {
        for field in &form.fields {
            let label = field.label.as_str();
            let Some(answer) = by_key.get(&normalize_label(label)) else {
                if field.required || !field.required_options.is_empty() {
                    problems.push(
                        Problem::error(
                            "missing-field",
                            label,
                            0,
                            format!("the required field {} is missing", quote(label)),
                        )
                        .help(format!(
                            "edit the issue and add the `### {label}` section back with your answer"
                        )),
                    );
                }
                continue;
            };
            check_against_form(answer, field, &mut problems);
        }
    }
    for answer in answers {
        match labels.lookup(&answer.label) {
            Some(FieldKind::Mentors) => check_mentors(answer, &mut problems),
            Some(FieldKind::Issues) => check_upstream(answer, &mut problems),
            _ => {}
        }
    }
    check_skills_box(answers, &mut problems);
    // In the body's order, missing fields first: the order a mentor fixes them in.
    problems.sort_by_key(|p| p.line);
    problems
}

fn check_against_form(answer: &Answer, field: &super::form::FormField, out: &mut Vec<Problem>) {
    let label = field.label.as_str();
    let value = answer.value.as_str();
    if field.kind == FieldType::Checkboxes {
        let checked = answer.checked();
        for option in &field.required_options {
            if !checked.iter().any(|c| c == option) {
                out.push(
                    Problem::error(
                        "required-option",
                        label,
                        answer.value_line,
                        format!("the box {} must be ticked", quote(option)),
                    )
                    .help("edit the issue and tick it"),
                );
            }
        }
        return;
    }
    if value.is_empty() {
        if field.required {
            out.push(
                Problem::error(
                    "required-field",
                    label,
                    answer.line,
                    format!("{} is required but has no answer", quote(label)),
                )
                .help("edit the issue and fill it in"),
            );
        }
        return;
    }
    if let FieldType::Dropdown { multiple } = field.kind {
        let chosen: Vec<&str> = if multiple {
            value.split(", ").collect()
        } else {
            vec![value]
        };
        for choice in chosen {
            if !field.options.iter().any(|o| o == choice) {
                out.push(
                    Problem::error(
                        "not-an-option",
                        label,
                        answer.value_line,
                        format!(
                            "{} is not one of the options of {}",
                            quote(choice),
                            quote(label)
                        ),
                    )
                    .help(options_help(choice, &field.options)),
                );
            }
        }
    }
    if let Some(max) = field.max_chars {
        let count = value.chars().count();
        if count > max {
            out.push(
                Problem::error(
                    "too-long",
                    label,
                    answer.value_line,
                    format!(
                        "{} is {count} characters long; the form allows at most {max}",
                        quote(label)
                    ),
                )
                .help(format!("shorten it by {} characters", count - max)),
            );
        }
    }
}

/// The options to choose from: the closest few when there are many.
fn options_help(choice: &str, options: &[String]) -> String {
    const LISTED: usize = 8;
    if options.len() <= LISTED {
        let list: Vec<String> = options.iter().map(|o| quote(o)).collect();
        return format!("choose one of {}", list.join(", "));
    }
    let mut scored: Vec<(f64, &String)> = options
        .iter()
        .map(|o| {
            let score = strsim::jaro_winkler(&choice.to_lowercase(), &o.to_lowercase());
            (score, o)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let close: Vec<String> = scored.iter().take(3).map(|(_, o)| quote(o)).collect();
    format!(
        "choose one of the form's {} options; the closest are {}",
        options.len(),
        close.join(", ")
    )
}

const MENTOR_SHAPE: &str = "write one mentor a line as `Full Name | @github-handle | email | LFID`, the primary mentor first";

fn check_mentors(answer: &Answer, out: &mut Vec<Problem>) {
    let label = answer.label.as_str();
    let lines = parse_mentor_lines(&answer.value);
    let mut handles: HashMap<String, usize> = HashMap::new();
    let mut emails: HashMap<String, usize> = HashMap::new();
    for mentor in &lines {
        let n = mentor.number;
        let line = answer.value_line + mentor.offset - 1;
        for problem in &mentor.problems {
            let (code, message, help) = match problem {
                LineProblem::Shape(parts) => (
                    "mentor-shape",
                    format!("mentor line {n} has {parts} part(s) separated by `|`, not 4"),
                    MENTOR_SHAPE.to_string(),
                ),
                LineProblem::NoName => (
                    "mentor-no-name",
                    format!("mentor line {n} has no name"),
                    "start the line with the mentor's full name".to_string(),
                ),
                LineProblem::NoHandle => (
                    "mentor-no-handle",
                    format!("mentor line {n} has no GitHub handle"),
                    "add the handle with its `@`, as `@janedoe`".to_string(),
                ),
                LineProblem::BadHandle(h) => (
                    "mentor-bad-handle",
                    format!("mentor line {n}: {} is not a GitHub handle", quote(h)),
                    "a handle is `@` then letters, digits and single hyphens, at most 39".to_string(),
                ),
                LineProblem::NoEmail => (
                    "mentor-no-email",
                    format!("mentor line {n} has no e-mail"),
                    "add the e-mail address tied to the mentor's LFID account".to_string(),
                ),
                LineProblem::BadEmail(e) => (
                    "mentor-bad-email",
                    format!("mentor line {n}: {} is not an e-mail address", quote(e)),
                    "write it as `name@example.org`".to_string(),
                ),
                LineProblem::NoLfid => (
                    "mentor-no-lfid",
                    format!("mentor line {n} has no LFID"),
                    "add the mentor's LF username as the fourth part; it can be added later by editing the issue".to_string(),
                ),
            };
            out.push(Problem::error(code, label, line, message).help(help));
        }
        if let Some(handle) = &mentor.handle {
            if let Some(first) = handles.insert(handle.to_lowercase(), n) {
                out.push(
                    Problem::error(
                        "mentor-duplicate-handle",
                        label,
                        line,
                        format!(
                            "mentor line {n} repeats the handle {} of line {first}",
                            quote(&format!("@{handle}"))
                        ),
                    )
                    .help("list each mentor once"),
                );
            }
        }
        if let Some(email) = &mentor.email {
            if let Some(first) = emails.insert(email.to_lowercase(), n) {
                out.push(
                    Problem::error(
                        "mentor-duplicate-email",
                        label,
                        line,
                        format!("mentor line {n} repeats the e-mail of line {first}"),
                    )
                    .help("give each mentor their own e-mail address"),
                );
            }
        }
    }
}

fn check_upstream(answer: &Answer, out: &mut Vec<Problem>) {
    if answer.value.is_empty() {
        return;
    }
    let urls = plain::urls(&answer.value);
    let label = answer.label.as_str();
    let problem = match urls.len() {
        1 => return,
        0 => Problem::error(
            "upstream-no-url",
            label,
            answer.value_line,
            format!("{} holds no URL", quote(label)),
        )
        .help("give the URL of the tracking issue, as `https://github.com/org/repo/issues/1234`"),
        n => Problem::error(
            "upstream-several-urls",
            label,
            answer.value_line,
            format!("{} holds {n} URLs; exactly one is expected", quote(label)),
        )
        .help("open an umbrella issue that links the others, and give its URL alone"),
    };
    out.push(problem);
}

/// A ticked "same as Technologies" box with the skills field filled in too:
/// the box wins, and the mentor should know their list is not read.
fn check_skills_box(answers: &[Answer], out: &mut Vec<Problem>) {
    let same = answers
        .iter()
        .any(|a| is_same_skills_box(&a.label) && !a.checked().is_empty());
    let listed = answers
        .iter()
        .find(|a| is_skills_list(&a.label) && !a.value.is_empty());
    if let (true, Some(skills)) = (same, listed) {
        out.push(
            Problem::warning(
                "skills-ignored",
                &skills.label,
                skills.value_line,
                format!(
                    "the box says the skills are the same as the technologies, so {} is not read",
                    quote(&skills.label)
                ),
            )
            .help("untick the box to publish these skills, or empty the field"),
        );
    }
}

/// "Skills same as Technologies?": a checkbox saying the skills field is not needed.
pub fn is_same_skills_box(label: &str) -> bool {
    let key = normalize_label(label);
    key.contains("same") && (key.contains("skill") || key.contains("technolog"))
}

/// The skills field a form asks for beside its technologies.
pub fn is_skills_list(label: &str) -> bool {
    let key = normalize_label(label);
    key.contains("skill") && !key.contains("same")
}

/// A value from an issue, quoted for a message: in a code span (so that in a
/// comment it cannot mention anyone, link or format), on one line, without
/// control characters, and cut short when long.
pub fn quote(value: &str) -> String {
    const MAX: usize = 60;
    let clean: String = value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let clean = plain::collapse_spaces(clean.trim());
    let mut cut: String = clean.chars().take(MAX).collect();
    if clean.chars().count() > MAX {
        cut.push('…');
    }
    if cut.contains('`') {
        format!("`` {} ``", cut.replace("``", "` `"))
    } else {
        format!("`{cut}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_keeps_a_value_inert() {
        assert_eq!(quote("@octocat"), "`@octocat`");
        assert_eq!(quote("a\nb\u{7}c"), "`a b c`");
        assert_eq!(quote("x`y"), "`` x`y ``");
        assert_eq!(quote(&"a".repeat(70)).chars().count(), 63);
    }

    fn form(yaml: &str) -> Form {
        super::super::form::parse_form(yaml, "f.yml")
            .unwrap()
            .unwrap()
    }

    fn codes(body: &str, form: Option<&Form>) -> Vec<(&'static str, usize)> {
        let answers = super::super::body::split_body(body, None);
        validate(&answers, form, &Labels::default())
            .into_iter()
            .map(|p| (p.code, p.line))
            .collect()
    }

    #[test]
    fn required_boxes_and_multiple_dropdowns() {
        let form = form(
            "name: F\nbody:\n  - type: checkboxes\n    attributes:\n      label: Agree\n      options:\n        - {label: Code of conduct, required: true}\n        - {label: Newsletter}\n  - type: dropdown\n    attributes: {label: Areas, multiple: true, options: [Docs, Code]}\n",
        );
        let body = |agree: &str, areas: &str| {
            format!("### Agree\n\n- [{agree}] Code of conduct\n- [x] Newsletter\n\n### Areas\n\n{areas}\n")
        };
        assert_eq!(codes(&body("x", "Docs, Code"), Some(&form)), []);
        assert_eq!(
            codes(&body(" ", "Docs, Design"), Some(&form)),
            [("required-option", 3), ("not-an-option", 8)]
        );
    }

    #[test]
    fn without_a_form_mentor_and_upstream_rules_still_apply() {
        let body = "### Mentors\n\nJo | @jo | jo@example.org | jo\nJo | @jo | jo2@example.org | jo2\n\n### Upstream Issue\n\nnone yet\n";
        assert_eq!(
            codes(body, None),
            [("mentor-duplicate-handle", 4), ("upstream-no-url", 8)]
        );
    }

    #[test]
    fn skills_box_and_list_labels() {
        assert!(is_same_skills_box("Skills same as Technologies?"));
        assert!(!is_same_skills_box("Required/Desirable Skills"));
        assert!(is_skills_list("Required/Desirable Skills"));
        assert!(!is_skills_list("Technologies"));
    }
}
