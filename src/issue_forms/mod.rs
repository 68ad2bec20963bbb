//! Proposals written as GitHub issues through an issue form: the forms of the
//! site (`.github/ISSUE_TEMPLATE/*.yml`, [`form`]), an issue body split into its
//! answers ([`body`]), the answers read as an idea ([`read`]) and checked
//! against the form ([`validate`]), a `gh issue list` export read as a source of
//! ideas beside the term files ([`export`]), and the result of checking one
//! body as a comment a bot can post ([`report`]).
//!
//! This is a second way into the parse stage: an export in the content
//! directory becomes term files and diagnostics, as a markdown term file does.

mod body;
pub mod export;
pub mod form;
mod mentor_lines;
mod read;
pub mod report;
pub mod validate;

pub use form::{load_forms, Form};

use crate::model::FieldKind;
use crate::parse::labels::Labels;

use body::{split_body, Answer};

/// The proposal issue form `trellis init --issue-forms` writes, and the form
/// issue bodies are checked against when a site has none.
pub const PROPOSAL_FORM: &str = include_str!("proposal-form.yml");

/// [`PROPOSAL_FORM`], read.
pub fn default_form() -> Form {
    // The form is a constant of this crate, parsed by a unit test.
    form::parse_form(PROPOSAL_FORM, "proposal form")
        .ok()
        .flatten()
        .expect("the built-in proposal form is a valid issue form")
}

/// The form `body` was written with: the one with the most of the body's
/// `###` headings among its labels, when they are at least two and at least
/// half of the headings.
pub fn form_for<'f>(body: &str, forms: &'f [Form]) -> Option<&'f Form> {
    let answers = split_body(body, None);
    let headings: Vec<&str> = answers.iter().map(|a| a.label.as_str()).collect();
    forms
        .iter()
        .map(|f| (f.matches(&headings), f))
        .filter(|(n, _)| *n >= 2 && n * 2 >= headings.len())
        // On a tie the first form (in file-name order) wins.
        .fold(None, |best: Option<(usize, &Form)>, (n, f)| match best {
            Some((m, _)) if m >= n => best,
            _ => Some((n, f)),
        })
        .map(|(_, f)| f)
}

/// Whether answers are a proposal: a description or mentors among them.
/// A bug report written with another form is not.
pub(crate) fn is_proposal(answers: &[Answer], labels: &Labels) -> bool {
    answers.iter().any(|a| {
        matches!(
            labels.lookup(&a.label),
            Some(FieldKind::Description | FieldKind::Mentors)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_form_reads() {
        let form = default_form();
        assert!(form.fields.len() >= 8, "{form:?}");
        assert!(form
            .fields
            .iter()
            .any(|f| f.label == "Mentors" && f.required));
    }

    #[test]
    fn a_body_is_matched_to_its_form() {
        let bug = form::parse_form(
            "name: Bug\nbody:\n  - type: textarea\n    attributes: {label: What happened}\n  - type: input\n    attributes: {label: Version}\n",
            "bug.yml",
        )
        .unwrap()
        .unwrap();
        let forms = [bug, default_form()];
        let proposal = "### Organization\n\nAlpha\n\n### Title\n\nX\n\n### Mentors\n\nJo | @jo | jo@example.org | jo\n";
        assert_eq!(
            form_for(proposal, &forms).map(|f| f.file.as_str()),
            Some("proposal form")
        );
        let report = "### What happened\n\nIt broke\n\n### Version\n\n1.2\n";
        assert_eq!(
            form_for(report, &forms).map(|f| f.file.as_str()),
            Some("bug.yml")
        );
        assert!(form_for("no answers", &forms).is_none());
    }
}
