//! Old idea URLs kept working after a rename. A slug comes from the idea's
//! title, so fixing a typo in a title moves its page, and links already shared
//! (in chats, applications, search engines, open tabs) would end in a 404.
//! Given the `ideas.json` of the last published site, each idea whose slug
//! vanished is matched to the idea it became, and its old address gets a small
//! page that sends the reader on: a meta refresh, a canonical link and a plain
//! link, no script needed.
//!
//! An old idea is matched, within its term, by the first of these that picks
//! exactly one idea with a new slug (an idea is matched at most once; a tie
//! matches nothing rather than guess):
//! 1. the same upstream issues, in the same organization;
//! 2. the same title (its organization was renamed);
//! 3. the same description;
//! 4. a similar title in the same organization (normalized Levenshtein
//!    similarity of at least 0.6, the closest one).
//!
//! An idea that moved to another term, or that is gone, gets no redirect.

use std::collections::HashSet;

use serde::Deserialize;

use crate::config::Config;
use crate::model::{IssueLink, Site};

/// How close a retitled idea's title must stay to its old one.
const SIMILAR_TITLE: f64 = 0.6;

/// One way of recognising an old idea among the site's, by index.
type Tier<'a> = &'a dyn Fn(&usize) -> bool;

/// What `ideas.json` says of an idea, as far as matching needs.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default)]
pub struct PublishedIdea {
    pub title: String,
    pub organization: String,
    pub term: String,
    pub slug: String,
    pub description: Option<String>,
    pub issues: Vec<IssueLink>,
}

/// An export: version 1 lists `ideas`; later ones name the files that do in `parts`.
#[derive(Deserialize)]
struct Published {
    #[serde(default)]
    ideas: Vec<PublishedIdea>,
    #[serde(default)]
    parts: Vec<PublishedPart>,
}

#[derive(Deserialize)]
struct PublishedPart {
    /// Relative to `ideas.json`.
    file: String,
}

/// One old idea address and where its idea lives now, both site-relative
/// (`ideas/<slug>/`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub from: String,
    pub to: String,
    pub title: String,
}

/// What comparing the published ideas with the site found.
#[derive(Debug, Default)]
pub struct Moves {
    pub moved: Vec<Move>,
    /// Old addresses no idea of the site matches: they will answer 404.
    pub gone: Vec<String>,
}

/// Why `--previous` gave no published ideas.
#[derive(Debug, thiserror::Error)]
pub enum NotPublished {
    #[error(
        "--previous takes a file: fetch it first, e.g. `curl -fsSL {0} -o previous-ideas.json`"
    )]
    Url(String),
    #[error("cannot read --previous {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("--previous {path} is not an ideas.json export: {source}")]
    NotAnExport {
        path: String,
        source: serde_json::Error,
    },
    #[error("--previous {path} names a part outside it: {part}")]
    PartOutside { path: String, part: String },
    #[error("cannot read {} (a part of --previous {path}): {source}", .file.display())]
    ReadPart {
        path: String,
        file: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("{} is not a part of an ideas.json export: {source}", .file.display())]
    NotAPart {
        file: std::path::PathBuf,
        source: serde_json::Error,
    },
}

/// Reads the `ideas.json` of the published site from a file. A URL is refused
/// with a hint: Trellis has no HTTP client, and the Pages workflow fetches the
/// file with curl before the build.
pub fn read_published(path: &str) -> Result<Vec<PublishedIdea>, NotPublished> {
    if path.starts_with("http://") || path.starts_with("https://") {
        return Err(NotPublished::Url(path.to_string()));
    }
    let text = std::fs::read_to_string(path).map_err(|source| NotPublished::Read {
        path: path.to_string(),
        source,
    })?;
    let mut published: Published =
        serde_json::from_str(&text).map_err(|source| NotPublished::NotAnExport {
            path: path.to_string(),
            source,
        })?;
    let dir = std::path::Path::new(path)
        .parent()
        .unwrap_or(std::path::Path::new(""));
    for part in &published.parts {
        if part.file.starts_with('/') || part.file.split('/').any(|c| c == "..") {
            return Err(NotPublished::PartOutside {
                path: path.to_string(),
                part: part.file.clone(),
            });
        }
        let file = dir.join(&part.file);
        let text = std::fs::read_to_string(&file).map_err(|source| NotPublished::ReadPart {
            path: path.to_string(),
            file: file.clone(),
            source,
        })?;
        let part: Published =
            serde_json::from_str(&text).map_err(|source| NotPublished::NotAPart {
                file: file.clone(),
                source,
            })?;
        published.ideas.extend(part.ideas);
    }
    Ok(published.ideas)
}

/// Matches each published idea whose slug the site no longer has to the idea it
/// became (see the module doc for how).
pub fn moves(published: &[PublishedIdea], site: &Site) -> Moves {
    let current: HashSet<&str> = site.ideas.iter().map(|i| i.slug.as_str()).collect();
    let old: HashSet<&str> = published.iter().map(|i| i.slug.as_str()).collect();
    let mut fresh: Vec<usize> = (0..site.ideas.len())
        .filter(|&i| !old.contains(site.ideas[i].slug.as_str()))
        .collect();
    let mut result = Moves::default();
    for gone in published
        .iter()
        .filter(|p| is_slug(&p.slug) && !current.contains(p.slug.as_str()))
    {
        let same_term: Vec<usize> = fresh
            .iter()
            .copied()
            .filter(|&i| site.ideas[i].term == gone.term)
            .collect();
        let same_org = |i: &usize| same_text(&site.ideas[*i].organization, &gone.organization);
        let by_issues = |i: &usize| {
            !gone.issues.is_empty()
                && same_org(i)
                && issues(&site.ideas[*i].issues) == issues(&gone.issues)
        };
        let by_title = |i: &usize| same_text(&site.ideas[*i].title, &gone.title);
        let by_description = |i: &usize| {
            let now = site.ideas[*i].description.as_deref().unwrap_or("");
            let then = gone.description.as_deref().unwrap_or("");
            !then.trim().is_empty() && same_text(now, then)
        };
        let tiers: [Tier; 3] = [&by_issues, &by_title, &by_description];
        let unique = tiers.iter().find_map(|tier| {
            let found: Vec<usize> = same_term.iter().copied().filter(|i| tier(i)).collect();
            (found.len() == 1).then(|| found[0])
        });
        let similar = || {
            let mut scored: Vec<(f64, usize)> = same_term
                .iter()
                .copied()
                .filter(same_org)
                .map(|i| (title_similarity(&site.ideas[i].title, &gone.title), i))
                .filter(|(s, _)| *s >= SIMILAR_TITLE)
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0));
            match scored.as_slice() {
                [(best, i), (next, _), ..] if best > next => Some(*i),
                [(_, i)] => Some(*i),
                _ => None,
            }
        };
        match unique.or_else(similar) {
            Some(i) => {
                fresh.retain(|&f| f != i);
                result.moved.push(Move {
                    from: format!("ideas/{}/", gone.slug),
                    to: format!("ideas/{}/", site.ideas[i].slug),
                    title: site.ideas[i].title.clone(),
                });
            }
            None => result.gone.push(format!("ideas/{}/", gone.slug)),
        }
    }
    result
}

/// The page written at a moved idea's old address.
pub fn redirect_page(moved: &Move, config: &Config) -> String {
    let base = if config.base_url.ends_with('/') {
        config.base_url.clone()
    } else {
        format!("{}/", config.base_url)
    };
    let to = escape(&format!("{base}{}", moved.to));
    let title = escape(&moved.title);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Moved: {title}</title>\n<meta name=\"robots\" content=\"noindex\">\n\
         <link rel=\"canonical\" href=\"{to}\">\n<meta http-equiv=\"refresh\" content=\"0; url={to}\">\n\
         </head>\n<body>\n<p>This idea has moved: <a href=\"{to}\">{title}</a>.</p>\n</body>\n</html>\n"
    )
}

/// Whether a slug from a published file is safe to turn into a path: lowercase
/// ASCII letters, digits and hyphens in segments, nothing that leaves `ideas/`.
fn is_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.split('/').all(|segment| {
            !segment.is_empty()
                && segment
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

/// The issue URLs of an idea, in an order that does not depend on the file's.
fn issues(links: &[IssueLink]) -> Vec<&str> {
    let mut urls: Vec<&str> = links.iter().map(|l| l.url.as_str()).collect();
    urls.sort_unstable();
    urls
}

fn same_text(a: &str, b: &str) -> bool {
    a.split_whitespace()
        .map(str::to_lowercase)
        .eq(b.split_whitespace().map(str::to_lowercase))
}

fn title_similarity(a: &str, b: &str) -> f64 {
    strsim::normalized_levenshtein(&a.to_lowercase(), &b.to_lowercase())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Idea;

    fn idea(term: &str, org: &str, slug: &str, title: &str) -> Idea {
        Idea {
            term: term.into(),
            organization: org.into(),
            slug: format!("{term}/{}/{slug}", org.to_lowercase()),
            title: title.into(),
            ..Idea::default()
        }
    }

    fn published(idea: &Idea) -> PublishedIdea {
        PublishedIdea {
            title: idea.title.clone(),
            organization: idea.organization.clone(),
            term: idea.term.clone(),
            slug: idea.slug.clone(),
            description: idea.description.clone(),
            issues: idea.issues.clone(),
        }
    }

    #[test]
    fn a_retitled_idea_is_found_by_issue_description_or_title() {
        let issue = IssueLink {
            url: "https://github.com/o/r/issues/1".into(),
            label: "o/r#1".into(),
        };
        let mut by_issue = idea("t", "Org", "old-one", "Old one");
        by_issue.issues = vec![issue.clone()];
        let mut by_text = idea("t", "Org", "second", "Second");
        by_text.description = Some("Build  a thing.".into());
        let typo = idea("t", "Org", "improve-loggin", "Improve loggin");
        let kept = idea("t", "Org", "kept", "Kept");
        let before: Vec<PublishedIdea> =
            [&by_issue, &by_text, &typo, &kept].map(published).to_vec();

        let mut renamed_issue = idea("t", "Org", "brand-new-name", "Brand new name");
        renamed_issue.issues = vec![issue];
        let mut renamed_text = idea("t", "Org", "another-title", "Another title");
        renamed_text.description = Some("build a thing.".into());
        let fixed = idea("t", "Org", "improve-logging", "Improve logging");
        let unrelated = idea("t", "Org", "zzz", "Completely different");
        let site = Site {
            terms: vec![],
            pages: vec![],
            ideas: vec![renamed_issue, renamed_text, fixed, kept, unrelated],
        };
        let found = moves(&before, &site);
        let pairs: Vec<(&str, &str)> = found
            .moved
            .iter()
            .map(|m| (m.from.as_str(), m.to.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("ideas/t/org/old-one/", "ideas/t/org/brand-new-name/"),
                ("ideas/t/org/second/", "ideas/t/org/another-title/"),
                (
                    "ideas/t/org/improve-loggin/",
                    "ideas/t/org/improve-logging/"
                ),
            ]
        );
        assert!(found.gone.is_empty());
    }

    #[test]
    fn ties_other_terms_and_unsafe_slugs_get_no_redirect() {
        let gone = idea("t", "Org", "a", "Parser work");
        let mut hostile = published(&idea("t", "Org", "x", "Parser work"));
        hostile.slug = "../../etc".into();
        let site = Site {
            terms: vec![],
            pages: vec![],
            ideas: vec![
                idea("t", "Org", "b", "Parser works"),
                idea("t", "Org", "c", "Parser worky"),
                idea("u", "Org", "parser-work", "Parser work"),
            ],
        };
        let found = moves(&[published(&gone), hostile], &site);
        assert!(found.moved.is_empty(), "{:?}", found.moved);
        assert_eq!(found.gone, ["ideas/t/org/a/"]);
    }

    #[test]
    fn the_redirect_page_needs_no_script() {
        let page = redirect_page(
            &Move {
                from: "ideas/t/o/a/".into(),
                to: "ideas/t/o/b/".into(),
                title: "B <new>".into(),
            },
            &Config {
                base_url: "https://x.org/m".into(),
                ..Config::default()
            },
        );
        assert!(page.contains(
            "<meta http-equiv=\"refresh\" content=\"0; url=https://x.org/m/ideas/t/o/b/\">"
        ));
        assert!(page.contains("<link rel=\"canonical\" href=\"https://x.org/m/ideas/t/o/b/\">"));
        assert!(page.contains("<a href=\"https://x.org/m/ideas/t/o/b/\">B &lt;new&gt;</a>"));
        assert!(!page.contains("<script"));
    }
}
