//! The indexes a mentee browses by: organizations, skills and mentors, each with
//! its ideas across terms (newest term first, as `Site::ideas` is ordered) and a
//! slug of its own that no other entry of the same index shares.

use std::collections::{BTreeMap, HashMap};

use crate::model::{Mentor, Site};
use crate::slug::{self, slugify};

/// One organization, skill or mentor and the ideas that name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// As first written in the newest term that names it.
    pub name: String,
    pub slug: String,
    /// Indices into `Site::ideas`, newest term first.
    pub ideas: Vec<usize>,
    /// Mentors only: the GitHub handle, when any idea gives one.
    pub github: Option<String>,
}

/// An index: its entries, sorted by name, and how to find one by the key of a name.
#[derive(Debug, Clone, Default)]
pub struct Index {
    pub entries: Vec<Entry>,
    by_key: HashMap<String, usize>,
}

impl Index {
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.by_key.get(key).map(|&i| &self.entries[i])
    }

    /// Where the entry of a key is in `entries`.
    pub fn position(&self, key: &str) -> Option<usize> {
        self.by_key.get(key).copied()
    }
}

/// The three indexes of a site.
#[derive(Debug, Clone, Default)]
pub struct Taxonomy {
    pub organizations: Index,
    pub skills: Index,
    pub mentors: Index,
    /// Mentor names (lowercased) that some idea pairs with a GitHub handle.
    handle_of_name: HashMap<String, String>,
}

impl Taxonomy {
    pub fn build(site: &Site) -> Taxonomy {
        let mut handle_of_name = HashMap::new();
        for mentor in site.ideas.iter().flat_map(|i| &i.mentors) {
            if let Some(handle) = &mentor.github {
                handle_of_name
                    .entry(mentor.name.trim().to_lowercase())
                    .or_insert_with(|| handle.to_lowercase());
            }
        }
        let mut orgs = Builder::default();
        let mut skills = Builder::default();
        let mut mentors = Builder::default();
        for (i, idea) in site.ideas.iter().enumerate() {
            orgs.add(org_key(&idea.organization), &idea.organization, i, None);
            for skill in &idea.skills {
                skills.add(skill_key(skill), skill, i, None);
            }
            for mentor in &idea.mentors {
                let key = mentor_key(mentor, &handle_of_name);
                mentors.add(key, &mentor.name, i, mentor.github.as_deref());
            }
        }
        Taxonomy {
            organizations: orgs.finish(slugify, "organization"),
            skills: skills.finish(skill_slug, "skill"),
            mentors: mentors.finish(slugify, "mentor"),
            handle_of_name,
        }
    }

    pub fn organization(&self, name: &str) -> Option<&Entry> {
        self.organizations.get(&org_key(name))
    }

    pub fn skill(&self, name: &str) -> Option<&Entry> {
        self.skills.get(&skill_key(name))
    }

    pub fn mentor(&self, mentor: &Mentor) -> Option<&Entry> {
        self.mentors.get(&mentor_key(mentor, &self.handle_of_name))
    }
}

fn org_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The key of a skill name in the skills index: spellings differing in case are one skill.
pub fn skill_key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// A mentor is the same person wherever their GitHub handle appears; without a
/// handle, a name that another idea pairs with a handle is that person too.
fn mentor_key(mentor: &Mentor, handle_of_name: &HashMap<String, String>) -> String {
    let name = mentor.name.trim().to_lowercase();
    match mentor
        .github
        .as_deref()
        .map(str::to_lowercase)
        .or_else(|| handle_of_name.get(&name).cloned())
    {
        Some(handle) => format!("@{handle}"),
        None => name,
    }
}

/// `C#` and `C` must not share a page, nor `C++` and `C`.
fn skill_slug(name: &str) -> String {
    slugify(&name.replace('#', " sharp"))
}

#[derive(Default)]
struct Builder {
    entries: BTreeMap<String, Entry>,
}

impl Builder {
    fn add(&mut self, key: String, name: &str, idea: usize, github: Option<&str>) {
        let entry = self.entries.entry(key).or_insert_with(|| Entry {
            name: name.trim().to_string(),
            slug: String::new(),
            ideas: Vec::new(),
            github: None,
        });
        if entry.ideas.last() != Some(&idea) {
            entry.ideas.push(idea);
        }
        if entry.github.is_none() {
            entry.github = github.map(str::to_string);
        }
    }

    /// Gives every entry a unique slug: the mentor's handle or the name, slugged,
    /// with `-2`, `-3`, … for the rare names that slug alike (in key order, so stable;
    /// [`slug::unique`]).
    fn finish(self, slug_of: impl Fn(&str) -> String, fallback: &str) -> Index {
        let bases: Vec<String> = self
            .entries
            .values()
            .map(|entry| {
                let base = match &entry.github {
                    Some(handle) => slugify(handle),
                    None => slug_of(&entry.name),
                };
                if base.is_empty() {
                    fallback.to_string()
                } else {
                    base
                }
            })
            .collect();
        let mut keyed: Vec<(String, Entry)> = self.entries.into_iter().collect();
        for ((_, entry), slug) in keyed.iter_mut().zip(slug::unique(&bases)) {
            entry.slug = slug;
        }
        keyed.sort_by_cached_key(|(_, e)| (e.name.to_lowercase(), e.slug.clone()));
        let by_key = keyed
            .iter()
            .enumerate()
            .map(|(i, (key, _))| (key.clone(), i))
            .collect();
        Index {
            entries: keyed.into_iter().map(|(_, e)| e).collect(),
            by_key,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Idea;

    fn idea(org: &str, skills: &[&str], mentors: Vec<Mentor>) -> Idea {
        Idea {
            title: "t".into(),
            organization: org.into(),
            skills: skills.iter().map(|s| s.to_string()).collect(),
            mentors,
            ..Idea::default()
        }
    }

    fn mentor(name: &str, github: Option<&str>) -> Mentor {
        Mentor {
            name: name.into(),
            github: github.map(str::to_string),
            ..Mentor::default()
        }
    }

    #[test]
    fn same_person_with_and_without_handle_is_one_mentor() {
        let site = Site {
            terms: vec![],
            ideas: vec![
                idea("A", &[], vec![mentor("Priya Raman", Some("praman-dev"))]),
                idea("B", &[], vec![mentor("Priya Raman", None)]),
                idea("B", &[], vec![mentor("Jo Doe", None)]),
            ],
            pages: Vec::new(),
        };
        let tax = Taxonomy::build(&site);
        assert_eq!(tax.mentors.entries.len(), 2);
        let priya = tax.mentor(&mentor("Priya Raman", None)).unwrap();
        assert_eq!(priya.slug, "praman-dev");
        assert_eq!(priya.ideas, vec![0, 1]);
        assert_eq!(tax.mentor(&mentor("Jo Doe", None)).unwrap().slug, "jo-doe");
    }

    #[test]
    fn skills_that_slug_alike_get_distinct_pages() {
        let site = Site {
            terms: vec![],
            ideas: vec![idea("A", &["C", "C#", "C++", "go", "Go"], vec![])],
            pages: Vec::new(),
        };
        let tax = Taxonomy::build(&site);
        let slugs: Vec<&str> = tax.skills.entries.iter().map(|e| e.slug.as_str()).collect();
        assert_eq!(slugs, vec!["c", "c-sharp", "cplusplus", "go"]);
        assert_eq!(tax.skill("GO").unwrap().ideas, vec![0]);
    }

    #[test]
    fn organizations_differing_in_case_are_one() {
        let site = Site {
            terms: vec![],
            ideas: vec![
                idea("CNCF Kubernetes", &[], vec![]),
                idea("cncf  kubernetes", &[], vec![]),
            ],
            pages: Vec::new(),
        };
        let tax = Taxonomy::build(&site);
        assert_eq!(tax.organizations.entries.len(), 1);
        assert_eq!(
            tax.organization("CNCF Kubernetes").unwrap().ideas,
            vec![0, 1]
        );
    }
}
