//! Which markdown files of a repository are terms, and which are pages.
//!
//! A foundation's repository is not laid out for Trellis: beside the term
//! files lie program READMEs, guides, admin notes and files that only point
//! elsewhere. A term is one program's period, found from the path
//! ([`crate::programs`]): the files of one period folder (`README.md`,
//! `project_ideas.md`, `selected_projects.md`) make one term, and a file named
//! for its period (`summerofcode/2023.md`) is a term of its own. A file whose
//! front matter names its program or term is a term too, as is, in a folder
//! that says nothing, a file with ideas in it. Every other file becomes a page.
//!
//! Pure: it reads the loaded files and their parses, not the disk.

use std::collections::{BTreeMap, HashSet};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::load::SourceFile;
use crate::model::{Page, Source};
use crate::parse::{front_matter, TermFile};
use crate::programs::{self, PathFacts, Role};
use crate::slug::slugify;

/// The `include` and `exclude` globs of `trellis.toml`, as one test of a
/// file's path relative to the content directory.
pub struct Selection {
    include: Option<GlobSet>,
    exclude: GlobSet,
}

impl Selection {
    /// Compiles the globs; `Config::parse` has checked each, so a failure here
    /// names the set.
    pub fn of(config: &Config) -> Result<Selection, Diagnostic> {
        let set = |patterns: &[String], key: &str| -> Result<GlobSet, Diagnostic> {
            let mut builder = GlobSetBuilder::new();
            for p in patterns {
                builder.add(Glob::new(p).map_err(|e| invalid(key, &e))?);
            }
            builder.build().map_err(|e| invalid(key, &e))
        };
        Ok(Selection {
            include: if config.include.is_empty() {
                None
            } else {
                Some(set(&config.include, "include")?)
            },
            exclude: set(&config.exclude, "exclude")?,
        })
    }

    /// Whether the file at `rel` is part of the site.
    pub fn keeps(&self, rel: &str) -> bool {
        self.include.as_ref().is_none_or(|set| set.is_match(rel)) && !self.exclude.is_match(rel)
    }
}

fn invalid(key: &str, e: &globset::Error) -> Diagnostic {
    Diagnostic::error(
        "config-invalid",
        crate::config::FILE_NAME,
        0,
        0,
        format!("`{key}` holds an invalid glob: {e}"),
    )
}

/// One file of a term, with what its path says.
pub struct Part {
    /// Its index in the loaded files.
    pub index: usize,
    pub role: Role,
}

/// A term to be made from one or more files.
pub struct TermPlan {
    /// The period folder or file (`lfx-mentorship/2023/02-Jun-Aug`).
    pub key: String,
    pub facts: PathFacts,
    /// Its files, overview first.
    pub parts: Vec<Part>,
}

/// What each loaded file is.
pub struct Plan {
    pub terms: Vec<TermPlan>,
    /// Indexes of the files that are pages.
    pub pages: Vec<usize>,
}

/// Sorts the loaded files into terms and pages; `parsed[i]` is the parse of `sources[i]`.
pub fn plan(config: &Config, sources: &[SourceFile], parsed: &[TermFile]) -> Plan {
    let mut groups: BTreeMap<String, TermPlan> = BTreeMap::new();
    let mut pages = Vec::new();
    for (index, (source, file)) in sources.iter().zip(parsed).enumerate() {
        let facts = programs::facts(&source.rel, &config.programs);
        let stem = source.rel.strip_suffix(".md").unwrap_or(&source.rel);
        let declared = declares_term(&source.text, &source.rel);
        let has_ideas = !file.ideas.is_empty();
        let key = match (&facts.term_key, facts.role) {
            // A stray file in a term's folder joins the term only with ideas in it.
            (Some(key), Role::Other) if declared || has_ideas => Some(key.clone()),
            (Some(_), Role::Other) => None,
            (Some(key), _) => Some(key.clone()),
            (None, _) if declared || has_ideas => Some(stem.to_string()),
            (None, _) => None,
        };
        match key {
            Some(key) => groups
                .entry(key.clone())
                .or_insert_with(|| TermPlan {
                    key,
                    facts: facts.clone(),
                    parts: Vec::new(),
                })
                .parts
                .push(Part {
                    index,
                    role: facts.role,
                }),
            None => pages.push(index),
        }
    }
    // A year folder whose sub-folders are the terms (`2024/01-Mar-May/`): its own
    // files point at them, they are no term of their own.
    let keys: Vec<String> = groups.keys().cloned().collect();
    let parents: HashSet<&String> = keys
        .iter()
        .filter(|k| keys.iter().any(|other| other.starts_with(&format!("{k}/"))))
        .collect();
    let mut terms = Vec::new();
    for (key, mut group) in groups {
        let says_nothing = group.parts.iter().all(|p| {
            let (source, file) = (&sources[p.index], &parsed[p.index]);
            file.ideas.is_empty()
                && file.term.timeline.is_empty()
                && file.term.status.is_none()
                && !declares_term(&source.text, &source.rel)
                && !source.text.lines().any(|l| l.trim_start().starts_with('|'))
        });
        if parents.contains(&key) || says_nothing {
            pages.extend(group.parts.iter().map(|p| p.index));
            continue;
        }
        group
            .parts
            .sort_by_key(|p| (p.role, sources[p.index].rel.clone()));
        terms.push(group);
    }
    pages.sort_by(|a, b| sources[*a].rel.cmp(&sources[*b].rel));
    Plan { terms, pages }
}

/// Whether the file's front matter says it is a term: it names its program or
/// term, or gives the term's dates, status or timeline (a guide has no dates).
fn declares_term(text: &str, rel: &str) -> bool {
    front_matter::split(text, rel).0.is_some_and(|fm| {
        fm.program.is_some()
            || fm.term.is_some()
            || fm.start.is_some()
            || fm.end.is_some()
            || fm.status.is_some()
            || !fm.timeline.is_empty()
    })
}

/// The page a non-term file becomes: titled by its front matter, else its
/// first heading, else its name; listed under the program its path names.
pub fn page(config: &Config, source: &SourceFile) -> Page {
    let (front, body_start, _) = front_matter::split(&source.text, &source.rel);
    let body = &source.text[body_start.min(source.text.len())..];
    let stem = source.rel.strip_suffix(".md").unwrap_or(&source.rel);
    let facts = programs::facts(&source.rel, &config.programs);
    let heading = body
        .lines()
        .find_map(|l| {
            l.strip_prefix("# ")
                .map(|h| h.trim().trim_end_matches('#').trim().to_string())
        })
        .filter(|h| !h.is_empty());
    let name = stem.rsplit('/').next().unwrap_or(stem);
    let folder_title = || {
        let folder = stem.rsplit('/').nth(1).unwrap_or("");
        let base = if matches!(name.to_lowercase().as_str(), "readme" | "index" | "_index")
            && !folder.is_empty()
        {
            folder
        } else {
            name
        };
        humanize(base)
    };
    let title = front
        .and_then(|f| f.title)
        .or(heading)
        .unwrap_or_else(folder_title);
    let id = {
        let slug = slugify(&stem.replace('/', "-"));
        if slug.is_empty() {
            "page".to_string()
        } else {
            slug
        }
    };
    Page {
        url: format!("guides/{id}/"),
        id,
        title,
        // The whole content directory's program (`[programs.""]`) names terms
        // that say nothing else; a guide outside any program's folder is the site's.
        program: facts
            .program
            .filter(|p| !matches!(p.key.as_deref(), Some("" | ".")))
            .map(|p| p.name),
        markdown: body.to_string(),
        source: Source {
            file: source.rel.clone(),
            line: source.text[..body_start.min(source.text.len())]
                .matches('\n')
                .count()
                + 1,
            column: 1,
        },
    }
}

/// `admin-guide` → "Admin guide".
fn humanize(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    let mut chars = spaced.trim().chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse_term_file, ParseContext};

    fn source(rel: &str, text: &str) -> SourceFile {
        SourceFile {
            rel: rel.into(),
            path: rel.into(),
            text: text.into(),
        }
    }

    const IDEA: &str = "# T\n\n### Org\n\n#### Idea\n\n- Description: d\n- Mentor(s): m\n";

    fn plan_of(files: &[(&str, &str)], config: &Config) -> (Vec<SourceFile>, Plan) {
        let sources: Vec<SourceFile> = files.iter().map(|(r, t)| source(r, t)).collect();
        let parsed: Vec<TermFile> = sources
            .iter()
            .map(|s| parse_term_file(s, &ParseContext::default()).0)
            .collect();
        let plan = plan(config, &sources, &parsed);
        (sources, plan)
    }

    #[test]
    fn folder_files_make_one_term_and_the_rest_are_pages() {
        let (sources, plan) = plan_of(
            &[
                ("lfx/README.md", "# LFX\n\nHow the program works.\n"),
                ("lfx/2024/README.md", "# 2024\n\nSee the terms below.\n"),
                (
                    "lfx/2024/01-Mar-May/README.md",
                    "# Term 1\n\nStatus: Completed\n",
                ),
                ("lfx/2024/01-Mar-May/project_ideas.md", IDEA),
                ("lfx/2024/01-Mar-May/automation.md", "# How the bot works\n"),
                ("gsoc/2023.md", IDEA),
                (
                    "gsoc/2021.md",
                    "CNCF took part; ideas are on the GSoC site.\n",
                ),
                ("guide.md", "# Applying\n"),
            ],
            &Config::default(),
        );
        let keys: Vec<&str> = plan.terms.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, ["gsoc/2023", "lfx/2024/01-Mar-May"]);
        assert_eq!(plan.terms[1].parts.len(), 2);
        assert_eq!(plan.terms[1].parts[0].role, Role::Overview);
        let pages: Vec<&str> = plan
            .pages
            .iter()
            .map(|&i| sources[i].rel.as_str())
            .collect();
        assert_eq!(
            pages,
            [
                "gsoc/2021.md",
                "guide.md",
                "lfx/2024/01-Mar-May/automation.md",
                "lfx/2024/README.md",
                "lfx/README.md"
            ]
        );
    }

    #[test]
    fn a_flat_file_with_ideas_is_a_term() {
        let (_, plan) = plan_of(&[("t.md", IDEA)], &Config::default());
        assert_eq!(plan.terms.len(), 1);
    }

    #[test]
    fn include_and_exclude_select_files() {
        let config = Config {
            include: vec!["programs/**".into()],
            exclude: vec!["**/archive/**".into()],
            ..Config::default()
        };
        let selection = Selection::of(&config).unwrap();
        assert!(selection.keeps("programs/lfx/2024.md"));
        assert!(!selection.keeps("programs/archive/2019.md"));
        assert!(!selection.keeps("docs/x.md"));
    }

    #[test]
    fn page_title_comes_from_heading_or_folder() {
        let cfg = Config::default();
        assert_eq!(
            page(&cfg, &source("lfx/README.md", "# LFX Mentorship\n")).title,
            "LFX Mentorship"
        );
        let p = page(&cfg, &source("seasonofdocs/README.md", "Text only.\n"));
        assert_eq!(p.title, "Seasonofdocs");
        assert_eq!(p.program.as_deref(), Some("Google Season of Docs"));
        assert_eq!(p.url, "guides/seasonofdocs-readme/");
    }
}
