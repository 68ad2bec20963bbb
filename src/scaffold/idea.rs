//! `trellis new idea`: a well-formed idea skeleton, inserted at the end of its
//! organization's section (the organization heading is created when missing).

use crate::parse::placeholders::SKELETON;
use crate::util::plain::plain_text;

/// Inserts an idea titled `title` under the heading named `org` in the term file
/// `text`; returns the new text and the 1-based line of the idea's heading.
pub fn insert_idea(text: &str, org: &str, title: &str) -> (String, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let headings = headings(&lines);
    let org_heading = headings
        .iter()
        .find(|(_, _, t)| t.eq_ignore_ascii_case(org.trim()));
    let (insert_at, level, new_org) = match org_heading {
        Some(&(i, level, _)) => {
            // The end of the organization's section: the next heading at its level or above.
            let end = headings
                .iter()
                .find(|(j, l, _)| *j > i && *l <= level)
                .map_or(lines.len(), |(j, _, _)| *j);
            (end, level + 1, None)
        }
        None => {
            // A new organization, at the level the file's organizations use.
            let org_level = headings
                .iter()
                .map(|(_, l, _)| *l)
                .filter(|l| *l >= 2)
                .min()
                .map_or(3, |l| l.max(3));
            (
                lines.len(),
                org_level + 1,
                Some(format!("{} {}", "#".repeat(org_level as usize), org.trim())),
            )
        }
    };
    let mut before: Vec<String> = lines[..insert_at].iter().map(|l| l.to_string()).collect();
    while before.last().is_some_and(|l| l.trim().is_empty()) {
        before.pop();
    }
    let mut block = vec![String::new()];
    if let Some(heading) = new_org {
        block.push(heading);
        block.push(String::new());
    }
    let heading_line = before.len() + block.len() + 1;
    block.push(format!("{} {}", "#".repeat(level as usize), title.trim()));
    block.push(String::new());
    for (label, prompt) in SKELETON {
        block.push(format!("- {label}: {prompt}"));
    }
    let after: Vec<String> = lines[insert_at..].iter().map(|l| l.to_string()).collect();
    if !after.is_empty() {
        block.push(String::new());
    }
    let mut out = [before, block, after].concat().join("\n");
    out.push('\n');
    (out, heading_line)
}

/// ATX headings outside code fences: (line index, level, plain text).
fn headings(lines: &[&str]) -> Vec<(usize, u8, String)> {
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        for marker in ["```", "~~~"] {
            if t.starts_with(marker) {
                fence = match fence {
                    Some(m) if m == marker => None,
                    None => Some(marker),
                    other => other,
                };
            }
        }
        if fence.is_some() {
            continue;
        }
        let level = t.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&level) && t[level..].starts_with(' ') {
            out.push((i, level as u8, plain_text(t[level..].trim())));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idea_goes_at_the_end_of_its_organization() {
        let text = "## Ideas\n\n### Alpha\n\n#### One\n- Description: a\n\n### Beta\n\n#### Two\n- Description: b\n";
        let (out, line) = insert_idea(text, "alpha", "New idea");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[line - 1], "#### New idea");
        assert!(out.find("#### New idea").unwrap() < out.find("### Beta").unwrap());
    }

    #[test]
    fn missing_organization_is_created() {
        let (out, line) = insert_idea("## Ideas\n\n### Alpha\n\n#### One\n", "Gamma", "Fresh");
        assert!(out.contains("### Gamma\n\n#### Fresh\n"), "{out}");
        assert_eq!(out.lines().nth(line - 1), Some("#### Fresh"));
    }

    #[test]
    fn headings_in_code_blocks_are_ignored() {
        let (out, _) = insert_idea("```\n### Alpha\n```\n", "Alpha", "X");
        assert!(out.contains("```\n\n### Alpha\n\n#### X"), "{out}");
    }
}
