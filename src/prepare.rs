//! What is made from one idea alone — its summary for cards, its part of
//! `ideas.json`, the hash of its data for page fingerprints, its search index
//! document — made once per build, in parallel, and kept between the dev
//! server's rebuilds: an idea that did not change is not summarized, printed,
//! hashed or tokenized again.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::model::{Idea, Site};
use crate::search::Document;

use crate::util::fingerprint;
use crate::util::plain::summary;

/// Cards show this many characters of the description.
const SUMMARY_CHARS: usize = 220;

/// One idea's derived data.
#[derive(Debug)]
pub struct Derived {
    /// The description (else the intro) as one line of plain text, for cards.
    pub summary: String,
    /// The idea as `ideas.json` prints it, indented for its place in the list.
    pub json: String,
    /// A hash of the idea's whole data.
    pub hash: u64,
    /// What the search index takes from it.
    pub search: Document,
    /// The idea it was made from, kept to recognise it in the next build.
    idea: Option<Idea>,
}

/// The derived data of every idea of a site, in `Site::ideas` order.
#[derive(Debug, Default)]
pub struct Ideas(Vec<Arc<Derived>>);

/// Derived data kept from the previous build, by idea slug.
#[derive(Debug, Default)]
pub struct Memo(HashMap<String, Arc<Derived>>);

impl Ideas {
    /// Derives every idea of `site`, reusing what `memo` holds for ideas equal
    /// to the ones it was made from. With a memo, each result keeps a copy of
    /// its idea, for [`Ideas::memo`]; without one (a one-off build), none.
    pub fn of(site: &Site, memo: Option<&Memo>) -> Ideas {
        Ideas(
            site.ideas
                .par_iter()
                .map(|idea| {
                    let kept = memo
                        .and_then(|m| m.0.get(&idea.slug))
                        .filter(|d| d.idea.as_ref() == Some(idea));
                    match kept {
                        Some(derived) => derived.clone(),
                        None => Arc::new(derive(idea, memo.is_some())),
                    }
                })
                .collect(),
        )
    }

    pub fn get(&self, i: usize) -> &Derived {
        &self.0[i]
    }

    pub fn iter(&self) -> impl Iterator<Item = &Derived> {
        self.0.iter().map(|d| &**d)
    }

    /// What the next build may reuse.
    pub fn memo(&self, site: &Site) -> Memo {
        Memo(
            site.ideas
                .iter()
                .zip(&self.0)
                .map(|(idea, derived)| (idea.slug.clone(), derived.clone()))
                .collect(),
        )
    }
}

fn derive(idea: &Idea, keep: bool) -> Derived {
    Derived {
        summary: idea
            .description
            .as_deref()
            .or(idea.intro.as_deref())
            .map(|d| summary(d, SUMMARY_CHARS))
            .unwrap_or_default(),
        json: crate::export::idea_json(idea),
        hash: fingerprint::of("idea", idea),
        search: Document::of(idea),
        idea: keep.then(|| idea.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(description: &str) -> Site {
        Site {
            terms: vec![],
            ideas: vec![Idea {
                slug: "t/o/a".into(),
                description: Some(description.into()),
                ..Idea::default()
            }],
            pages: Vec::new(),
        }
    }

    #[test]
    fn unchanged_ideas_are_reused_and_changed_ones_derived_again() {
        let first = site("Build **a** thing.");
        let ideas = Ideas::of(&first, Some(&Memo::default()));
        assert_eq!(ideas.get(0).summary, "Build a thing.");
        let memo = ideas.memo(&first);
        let again = Ideas::of(&first, Some(&memo));
        assert!(Arc::ptr_eq(&ideas.0[0], &again.0[0]), "reused");
        let changed = Ideas::of(&site("Build another."), Some(&memo));
        assert_eq!(changed.get(0).summary, "Build another.");
        assert_ne!(changed.get(0).hash, ideas.get(0).hash);
    }
}
