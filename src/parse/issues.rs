//! The upstream-issues sub-parser: URLs with a short label such as `vitessio/vitess#12136`.

use crate::model::IssueLink;

use crate::util::plain::{plain_text, urls};

pub fn parse_issues(markdown: &str) -> Vec<IssueLink> {
    let mut found: Vec<IssueLink> = urls(markdown)
        .into_iter()
        .map(|url| IssueLink {
            label: short_label(&url),
            url,
        })
        .collect();
    // "kubernetes/kubernetes#22768" written without a URL still names a GitHub issue.
    if found.is_empty() {
        for word in plain_text(markdown).split_whitespace() {
            if let Some(url) = shorthand_url(word.trim_matches(|c: char| !c.is_alphanumeric())) {
                found.push(IssueLink {
                    label: short_label(&url),
                    url,
                });
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    found.retain(|i| seen.insert(i.url.clone()));
    found
}

/// `owner/repo#N` for GitHub issues and pull requests, `owner/repo` for repositories, else host and path.
pub fn short_label(url: &str) -> String {
    let without_scheme = url.split_once("://").map_or(url, |(_, r)| r);
    let without_query = without_scheme
        .split(['?', '#'])
        .next()
        .unwrap_or(without_scheme);
    let parts: Vec<&str> = without_query.trim_end_matches('/').split('/').collect();
    if matches!(parts.first(), Some(&"github.com") | Some(&"www.github.com")) {
        match parts.as_slice() {
            [_, owner, repo, "issues" | "pull" | "discussions", n, ..] => {
                return format!("{owner}/{repo}#{n}")
            }
            [_, owner, repo] => return format!("{owner}/{repo}"),
            _ => {}
        }
    }
    let label = without_query
        .trim_start_matches("www.")
        .trim_end_matches('/');
    if label.chars().count() > 60 {
        let cut: String = label.chars().take(57).collect();
        format!("{cut}…")
    } else {
        label.to_string()
    }
}

fn shorthand_url(word: &str) -> Option<String> {
    let (repo, number) = word.split_once('#')?;
    let (owner, name) = repo.split_once('/')?;
    let ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    (ok(owner) && ok(name) && !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()))
        .then(|| format!("https://github.com/{owner}/{name}/issues/{number}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_issue_gets_short_label() {
        let got = parse_issues("<https://github.com/vitessio/vitess/issues/8604>");
        assert_eq!(got[0].label, "vitessio/vitess#8604");
    }

    #[test]
    fn pulls_repos_and_other_hosts() {
        assert_eq!(short_label("https://github.com/a/b/pull/7"), "a/b#7");
        assert_eq!(short_label("https://github.com/a/b"), "a/b");
        assert_eq!(
            short_label("https://gitlab.com/a/b/-/issues/3"),
            "gitlab.com/a/b/-/issues/3"
        );
    }

    #[test]
    fn several_links_in_sub_bullets() {
        let got = parse_issues(
            "\n- https://github.com/a/b/issues/1\n- [two](https://github.com/a/b/issues/2)",
        );
        assert_eq!(
            got.iter().map(|i| i.label.as_str()).collect::<Vec<_>>(),
            vec!["a/b#1", "a/b#2"]
        );
    }

    #[test]
    fn shorthand_reference_becomes_a_url() {
        let got = parse_issues("see kubernetes/kubernetes#22768");
        assert_eq!(
            got[0].url,
            "https://github.com/kubernetes/kubernetes/issues/22768"
        );
    }
}
