//! Checking one issue body, for `trellis check --issue-body`: the problems as
//! diagnostics at the body's lines, or as a markdown comment a bot posts on
//! the issue — what is wrong, field by field, and how to fix it.
//!
//! Every value taken from the issue reaches the comment in a code span
//! ([`super::validate::quote`]), so an issue cannot make the comment mention
//! people, link anywhere or carry markup.

use std::fmt::Write as _;

use crate::diagnostic::{Diagnostic, Severity};
use crate::parse::labels::Labels;

use super::body::split_body;
use super::form::Form;
use super::validate::{quote, validate, Problem};

/// The problems of `body`, checked against the form it was written with among
/// `forms` (the built-in proposal form when the site has none).
pub fn check_body(body: &str, forms: &[Form], labels: &Labels) -> Vec<Problem> {
    let built_in;
    let forms = if forms.is_empty() {
        built_in = [super::default_form()];
        &built_in[..]
    } else {
        forms
    };
    let body = crate::load::normalize(body.to_string());
    let Some(form) = super::form_for(&body, forms) else {
        let names: Vec<String> = forms.iter().map(|f| quote(&f.name)).collect();
        return vec![Problem {
            severity: Severity::Error,
            code: "not-a-form-answer",
            field: None,
            line: 0,
            message: format!(
                "this issue does not answer the form {}: its `###` sections are not the form's fields",
                names.join(" or ")
            ),
            help: Some(
                "open the issue with the form (New issue → the proposal form), or keep every `### Field` heading the form wrote".into(),
            ),
        }];
    };
    let labels_of: Vec<&str> = form.fields.iter().map(|f| f.label.as_str()).collect();
    let answers = split_body(&body, Some(&labels_of));
    validate(&answers, Some(form), labels)
}

/// The problems as diagnostics of `file` (the body's name, as the user gave it).
pub fn diagnostics(problems: &[Problem], file: &str) -> Vec<Diagnostic> {
    problems
        .iter()
        .map(|p| Diagnostic {
            severity: p.severity,
            code: p.code,
            file: file.to_string(),
            line: p.line,
            column: usize::from(p.line > 0),
            message: p.message.clone(),
            help: p.help.clone(),
        })
        .collect()
}

/// The comment: a verdict line, then the problems grouped by field in form
/// order, each with how to fix it.
pub fn markdown(problems: &[Problem]) -> String {
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    let mut out = String::new();
    let plural = |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    let _ = match (errors, warnings) {
        (0, 0) => writeln!(out, "### ✅ This proposal passes every check"),
        (0, w) => writeln!(
            out,
            "### ✅ This proposal passes, with {} to look at",
            plural(w, "note")
        ),
        (e, 0) => writeln!(
            out,
            "### ❌ This proposal has {} to fix",
            plural(e, "problem")
        ),
        (e, w) => writeln!(
            out,
            "### ❌ This proposal has {} to fix, and {} to look at",
            plural(e, "problem"),
            plural(w, "note")
        ),
    };
    let mut fields: Vec<Option<&str>> = Vec::new();
    for p in problems {
        if !fields.contains(&p.field.as_deref()) {
            fields.push(p.field.as_deref());
        }
    }
    for field in fields {
        out.push('\n');
        match field {
            Some(label) => {
                let _ = writeln!(out, "**{}**\n", quote(label));
            }
            None => out.push_str("**The issue as a whole**\n\n"),
        }
        for p in problems.iter().filter(|p| p.field.as_deref() == field) {
            let mark = match p.severity {
                Severity::Error => "❌",
                Severity::Warning | Severity::Info => "⚠️",
            };
            let _ = writeln!(out, "- {mark} {}", sentence(&p.message));
            if let Some(help) = &p.help {
                let _ = writeln!(out, "  How to fix: {}", sentence(help));
            }
        }
    }
    if errors + warnings > 0 {
        out.push_str("\n<sub>Edit the issue to fix these; this comment is brought up to date after every edit.</sub>\n");
    }
    out
}

/// A message as a sentence: capitalized, with a full stop.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut s: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    if !s.ends_with(['.', '?', '!']) {
        s.push('.');
    }
    s
}
