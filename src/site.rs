//! The model stage: parsed term files become one [`Site`], with every idea given a
//! stable, unique slug and the terms ordered newest first.

use crate::diagnostic::Diagnostic;
use crate::model::{Site, Term};
use crate::parse::TermFile;
use crate::slug::{self, slugify};

/// The organization of an idea whose file names none (an ideas list of one
/// organization, one idea per file): its pages and links need a name to show.
const NO_ORGANIZATION: &str = "Other";

/// Assembles the site. Slugs come from titles, never positions, so reordering ideas
/// in a file changes no URL; only true duplicates get a numeric suffix (and a warning).
pub fn assemble(files: Vec<TermFile>) -> (Site, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut files = files;
    files.sort_by(|a, b| {
        term_order(&b.term)
            .cmp(&term_order(&a.term))
            .then_with(|| a.term.id.cmp(&b.term.id))
    });
    let mut site = Site::default();
    let mut bases = Vec::new();
    for mut file in files {
        for idea in &mut file.ideas {
            if idea.organization.trim().is_empty() {
                idea.organization = NO_ORGANIZATION.into();
            }
        }
        bases.extend(file.ideas.iter().map(|idea| {
            format!(
                "{}/{}/{}",
                file.term.id,
                non_empty_slug(&slugify(&idea.organization), "other"),
                non_empty_slug(&slugify(&idea.title), "idea")
            )
        }));
        site.ideas.extend(file.ideas);
        site.terms.push(file.term);
    }
    let slugs = slug::unique(&bases);
    for ((idea, slug), base) in site.ideas.iter_mut().zip(slugs).zip(&bases) {
        if slug != *base {
            diags.push(
                Diagnostic::warning(
                    "duplicate-title",
                    &idea.source.file,
                    idea.source.line,
                    idea.source.column,
                    format!("another idea of {} in this term is also called '{}'; this one is published at …/{}", idea.organization, idea.title, slug.rsplit('/').next().unwrap_or_default()),
                )
                .with_help("give each idea its own title"),
            );
        }
        idea.url = format!("ideas/{slug}/");
        idea.slug = slug;
    }
    (site, diags)
}

fn non_empty_slug(slug: &str, fallback: &str) -> String {
    if slug.is_empty() {
        fallback.to_string()
    } else {
        slug.to_string()
    }
}

/// Newest first: by start date when known, else by the year and term number in the
/// term's id or title ("lfx-2021-term3" → 2021-3).
fn term_order(term: &Term) -> (u32, u32, u32) {
    if let Some(start) = term.start.as_deref() {
        let mut parts = start.split('-').map(|p| p.parse::<u32>().unwrap_or(0));
        return (
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
            parts.next().unwrap_or(0),
        );
    }
    let text = format!("{} {}", term.id, term.title).to_lowercase();
    let numbers: Vec<u32> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    let year = numbers
        .iter()
        .copied()
        .find(|n| (1990..2200).contains(n))
        .unwrap_or(0);
    let part = numbers
        .iter()
        .copied()
        .find(|n| (1..=12).contains(n))
        .unwrap_or(0);
    // A term number stands for the month it starts in, roughly: term 1 March, 2 June, 3 September.
    (year, part * 3, 0)
}

impl Site {
    /// The term mentees should see first: the newest open one, else the newest.
    pub fn current_term(&self) -> Option<&Term> {
        self.terms
            .iter()
            .find(|t| t.status == Some(crate::model::TermStatus::Open))
            .or(self.terms.first())
    }

    pub fn term(&self, id: &str) -> Option<&Term> {
        self.terms.iter().find(|t| t.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Idea;

    #[test]
    fn same_same_and_same_2_get_three_slugs() {
        let idea = |title: &str, line: usize| Idea {
            title: title.into(),
            organization: "Org".into(),
            source: crate::model::Source {
                file: "t.md".into(),
                line,
                column: 1,
            },
            ..Idea::default()
        };
        let file = TermFile {
            term: Term {
                id: "t".into(),
                ..Term::default()
            },
            ideas: vec![idea("Same", 1), idea("Same", 5), idea("Same 2", 9)],
        };
        let (site, diags) = assemble(vec![file]);
        let slugs: Vec<&str> = site.ideas.iter().map(|i| i.slug.as_str()).collect();
        assert_eq!(slugs, ["t/org/same", "t/org/same-3", "t/org/same-2"]);
        assert_eq!(site.ideas[1].url, "ideas/t/org/same-3/");
        assert_eq!(diags.len(), 1);
        assert_eq!((diags[0].code, diags[0].line), ("duplicate-title", 5));
    }
}
