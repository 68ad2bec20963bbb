//! An issue body as GitHub writes an issue form's answers into it: each field
//! as `### Label`, a blank line, the answer, a blank line. An empty optional
//! field is `_No response_`; checkboxes are `- [x] option` lines.
//!
//! ```markdown
//! ### Organization
//!
//! Alpha
//!
//! ### Stretch goals
//!
//! _No response_
//! ```

use crate::parse::labels::normalize_label;

/// What GitHub writes for an optional field left empty.
const NO_RESPONSE: &str = "_No response_";

/// One field's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The label as the `###` heading writes it.
    pub label: String,
    /// The answer as markdown, trimmed; empty for `_No response_`.
    pub value: String,
    /// 1-based line of the `###` heading in the body.
    pub line: usize,
    /// 1-based line the answer starts on.
    pub value_line: usize,
}

impl Answer {
    /// The options ticked in a checkboxes answer.
    pub fn checked(&self) -> Vec<String> {
        self.value
            .lines()
            .filter_map(|l| {
                let l = l.trim_start();
                let rest = l.strip_prefix("- ").or_else(|| l.strip_prefix("* "))?;
                let rest = rest
                    .strip_prefix("[x]")
                    .or_else(|| rest.strip_prefix("[X]"))?;
                Some(rest.trim().to_string())
            })
            .collect()
    }
}

/// The answers in `body`, in order. With `labels`, only headings naming one of
/// them start an answer, so a `### heading` a mentor wrote inside a textarea
/// stays part of that answer; without, every `###` heading does. Headings inside
/// fenced code never count. Text before the first answer (GitHub writes none)
/// is no answer.
pub fn split_body(body: &str, labels: Option<&[&str]>) -> Vec<Answer> {
    let keys: Option<Vec<String>> = labels.map(|l| l.iter().map(|l| normalize_label(l)).collect());
    let mut answers: Vec<(String, usize, Vec<&str>)> = Vec::new();
    let mut fence: Option<&str> = None;
    for (n, line) in body.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
        } else if let Some(label) = heading(line) {
            let known = keys
                .as_ref()
                .is_none_or(|k| k.contains(&normalize_label(label)));
            if known {
                answers.push((label.to_string(), n + 1, Vec::new()));
                continue;
            }
        }
        if let Some((_, _, lines)) = answers.last_mut() {
            lines.push(line);
        }
    }
    answers
        .into_iter()
        .map(|(label, line, lines)| {
            let lead = lines.iter().take_while(|l| l.trim().is_empty()).count();
            let value = lines[lead..].join("\n").trim().to_string();
            Answer {
                label,
                value: if value == NO_RESPONSE {
                    String::new()
                } else {
                    value
                },
                line,
                value_line: line + 1 + lead,
            }
        })
        .collect()
}

/// The label of a `### Label` line, the heading GitHub writes for each field.
fn heading(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("### ")?;
    let label = rest.trim().trim_end_matches('#').trim();
    (!label.is_empty()).then_some(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "### Organization\n\nAlpha\n\n### Description\n\nIt does things.\n\n### Notes\nin a textarea\n\n```\n### not a field\n```\n\n### Extras\n\n_No response_\n\n### Boxes\n\n- [x] Resume\n- [ ] Cover Letter\n- [X] Coding Challenge\n";

    #[test]
    fn answers_in_order_with_lines_and_no_response_empty() {
        let answers = split_body(BODY, None);
        let got: Vec<(&str, &str, usize, usize)> = answers
            .iter()
            .map(|a| (a.label.as_str(), a.value.as_str(), a.line, a.value_line))
            .collect();
        assert_eq!(
            got,
            [
                ("Organization", "Alpha", 1, 3),
                ("Description", "It does things.", 5, 7),
                ("Notes", "in a textarea\n\n```\n### not a field\n```", 9, 10),
                ("Extras", "", 16, 18),
                (
                    "Boxes",
                    "- [x] Resume\n- [ ] Cover Letter\n- [X] Coding Challenge",
                    20,
                    22
                ),
            ]
        );
        assert_eq!(answers[4].checked(), ["Resume", "Coding Challenge"]);
    }

    #[test]
    fn with_the_form_labels_other_headings_stay_in_their_answer() {
        let body = "### Description\n\nIntro\n\n### My own heading\n\nMore\n\n### Mentors\n\nJo\n";
        let answers = split_body(body, Some(&["Description", "Mentors"]));
        assert_eq!(answers.len(), 2);
        assert_eq!(answers[0].value, "Intro\n\n### My own heading\n\nMore");
    }

    #[test]
    fn a_body_without_answers_has_none() {
        assert!(split_body("Just a bug report.\n\n#### Steps\n", None).is_empty());
    }
}
