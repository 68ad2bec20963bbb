//! Answering a query from the index: the ranking the search page uses.
//!
//! `static/search.js` runs this same algorithm in the browser (`run` there mirrors
//! [`search`] here, step for step, with the same constants). Rust has it too so that
//! the relevance set in `tests/relevance.rs` can judge the ranking without a browser;
//! change one side and you must change the other.
//!
//! The algorithm:
//! 1. Tokenize the query as the index was. Every word is required (AND), except stop
//!    words, which are not indexed: they are ignored, unless one is the word being
//!    typed, which then counts only if it does not empty the results.
//! 2. Each word matches index terms: its stem exactly (factor 1); when it is the last
//!    word and the query does not end in a space, every term it begins (factor 0.8,
//!    at most [`MAX_PREFIX_TERMS`], the most frequent); and, only when neither found
//!    anything, terms within one edit (4+ characters) or two (8+) that share its
//!    first letter (factor 0.6 or 0.4, transpositions counting as one edit).
//! 3. A word scores a document with the best of its terms, factor × weight/15, times
//!    the word's idf over all the documents its terms match.
//!    A document's score is the sum over words, times its term's boost, times a
//!    phrase bonus: ×2 when the words are the whole title, ×1.5 when they appear in
//!    it in order. (Only the title: the browser tokenizes every title once, while
//!    checking descriptions would cost a query its time budget.)
//! 4. Facet filters keep a document when, for every facet in use, one of its values
//!    is selected. Ties go to the earlier document (newer term, source order).

use std::collections::HashMap;

use super::index::{Index, MAX_WEIGHT};
use super::tokenize::{is_stop_word, stem, terms, tokens};

/// A prefix expands to at most this many terms, so one typed letter stays fast.
pub const MAX_PREFIX_TERMS: usize = 50;
const PREFIX_FACTOR: f64 = 0.8;
const FUZZY_FACTORS: [f64; 3] = [1.0, 0.6, 0.4];
const EXACT_TITLE_BONUS: f64 = 2.0;
const TITLE_PHRASE_BONUS: f64 = 1.5;

/// Selected facet values; within a facet any value may match, across facets all must.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    /// Term ids.
    pub term: Vec<String>,
    /// `open`, `upcoming`, `in-progress` or `closed`.
    pub status: Vec<String>,
    /// Program names.
    pub program: Vec<String>,
    pub org: Vec<String>,
    pub skill: Vec<String>,
    pub mentor: Vec<String>,
    pub difficulty: Vec<String>,
    pub size: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Position in the index's document table.
    pub doc: usize,
    pub score: f64,
}

/// Ideas matching `text`, best first.
pub fn query(index: &Index, text: &str) -> Vec<Hit> {
    search(index, text, &Filters::default())
}

/// Ideas matching `text` and `filters`, best first; with no words in `text`, every
/// idea the filters keep, in site order.
pub fn search(index: &Index, text: &str, filters: &Filters) -> Vec<Hit> {
    let keep = |doc: usize| passes(index, doc, filters);
    let Some(scores) = match_words(index, text) else {
        return (0..index.len())
            .filter(|&d| keep(d))
            .map(|doc| Hit { doc, score: 0.0 })
            .collect();
    };
    let words = query_terms(text);
    let mut hits: Vec<Hit> = scores
        .into_iter()
        .filter(|&(d, _)| keep(d))
        .map(|(doc, score)| {
            let term = &index.terms[index.docs.term[doc] as usize];
            Hit {
                doc,
                score: score * term.boost * phrase_bonus(index, doc, &words, prefix_mode(text)),
            }
        })
        .collect();
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
    hits
}

/// The last word is still being typed unless the query ends in a space.
fn prefix_mode(text: &str) -> bool {
    !text.ends_with(char::is_whitespace)
}

/// The query's words as index terms, stop words left out.
fn query_terms(text: &str) -> Vec<String> {
    terms(text)
}

/// Each matching document with the sum of its word scores, or `None` when the query
/// has no word to match (empty, or only stop words that match nothing).
fn match_words(index: &Index, text: &str) -> Option<HashMap<usize, f64>> {
    let toks = tokens(text);
    let prefix = prefix_mode(text);
    let mut required: Vec<HashMap<usize, f64>> = Vec::new();
    let mut optional: Vec<HashMap<usize, f64>> = Vec::new();
    for (i, tok) in toks.iter().enumerate() {
        let last = prefix && i + 1 == toks.len();
        let stop = is_stop_word(tok);
        if stop && !last {
            continue;
        }
        let scores = word_scores(index, tok, last);
        if stop {
            optional.push(scores);
        } else {
            required.push(scores);
        }
    }
    let mut result: Option<HashMap<usize, f64>> = None;
    for group in required {
        result = Some(match result {
            None => group,
            Some(acc) => intersect(acc, &group),
        });
    }
    for group in optional {
        result = match result {
            None if group.is_empty() => None,
            None => Some(group),
            Some(acc) => {
                let narrowed = intersect(acc.clone(), &group);
                Some(if narrowed.is_empty() { acc } else { narrowed })
            }
        };
    }
    result
}

fn intersect(acc: HashMap<usize, f64>, group: &HashMap<usize, f64>) -> HashMap<usize, f64> {
    acc.into_iter()
        .filter_map(|(d, s)| group.get(&d).map(|g| (d, s + g)))
        .collect()
}

/// The best score each document gets from one query word. The idf is the word's,
/// counted over every document any of its terms matches, so a rare completion of a
/// common prefix ("rust" → "rustpython") cannot outrank the word itself.
fn word_scores(index: &Index, token: &str, prefix: bool) -> HashMap<usize, f64> {
    let mut best: HashMap<usize, f64> = HashMap::new();
    for (word, factor) in candidates(index, token, prefix) {
        for (doc, weight) in index.postings_of(word) {
            let s = factor * weight as f64 / MAX_WEIGHT as f64;
            let e = best.entry(doc as usize).or_insert(0.0);
            if s > *e {
                *e = s;
            }
        }
    }
    let n = index.len() as f64;
    let df = best.len() as f64;
    let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
    best.values_mut().for_each(|s| *s *= idf);
    best
}

/// The index terms a query word stands for, each with its match factor.
pub fn candidates(index: &Index, token: &str, prefix: bool) -> Vec<(usize, f64)> {
    let stemmed = stem(token);
    let words = &index.words;
    let start = words.partition_point(|w| w.as_str() < stemmed.as_str());
    let mut found = Vec::new();
    if words.get(start) == Some(&stemmed) {
        found.push((start, 1.0));
    }
    if prefix {
        let end = start + words[start..].partition_point(|w| w.starts_with(stemmed.as_str()));
        let mut longer: Vec<usize> = (start..end).filter(|&i| words[i] != stemmed).collect();
        // Most frequent first: a longer postings string means more documents, roughly.
        longer.sort_by_key(|&i| std::cmp::Reverse(index.postings[i].len()));
        longer.truncate(MAX_PREFIX_TERMS);
        longer.sort_unstable();
        found.extend(longer.into_iter().map(|i| (i, PREFIX_FACTOR)));
    }
    if !found.is_empty() {
        return found;
    }
    let max_edits = match token.len() {
        0..=3 => return found,
        4..=7 => 1,
        _ => 2,
    };
    let Some(first) = stemmed.chars().next() else {
        return found;
    };
    let lo = words.partition_point(|w| w.chars().next() < Some(first));
    let hi = lo + words[lo..].partition_point(|w| w.starts_with(first));
    for (i, w) in words.iter().enumerate().take(hi).skip(lo) {
        if w.len().abs_diff(stemmed.len()) > max_edits {
            continue;
        }
        let d = strsim::osa_distance(&stemmed, w);
        if d <= max_edits {
            found.push((i, FUZZY_FACTORS[d]));
        }
    }
    found
}

/// ×2 when the query is the whole title, ×1.5 when its words appear in the title in
/// order; the word being typed matches as a prefix.
fn phrase_bonus(index: &Index, doc: usize, words: &[String], prefix: bool) -> f64 {
    if words.is_empty() {
        return 1.0;
    }
    let title = terms(&index.docs.title[doc]);
    if title.len() == words.len() && sequence_at(&title, 0, words, prefix) {
        return EXACT_TITLE_BONUS;
    }
    if words.len() < 2 {
        return 1.0;
    }
    if contains_sequence(&title, words, prefix) {
        return TITLE_PHRASE_BONUS;
    }
    1.0
}

fn contains_sequence(hay: &[String], words: &[String], prefix: bool) -> bool {
    hay.len() >= words.len()
        && (0..=hay.len() - words.len()).any(|at| sequence_at(hay, at, words, prefix))
}

fn sequence_at(hay: &[String], at: usize, words: &[String], prefix: bool) -> bool {
    words.iter().enumerate().all(|(i, w)| {
        let h = &hay[at + i];
        h == w || (prefix && i + 1 == words.len() && h.starts_with(w.as_str()))
    })
}

fn optional(table: &[String], value: i32) -> Option<&String> {
    usize::try_from(value).ok().map(|v| &table[v])
}

fn passes(index: &Index, doc: usize, f: &Filters) -> bool {
    let d = &index.docs;
    let term = &index.terms[d.term[doc] as usize];
    let one = |selected: &[String], value: Option<&String>| {
        selected.is_empty() || value.is_some_and(|v| selected.contains(v))
    };
    let any = |selected: &[String], table: &[String], values: &[u32]| {
        selected.is_empty()
            || values
                .iter()
                .any(|&v| selected.contains(&table[v as usize]))
    };
    one(&f.term, Some(&term.id))
        && one(&f.status, Some(&term.status))
        && one(&f.program, Some(&term.program))
        && one(&f.org, Some(&index.orgs[d.org[doc] as usize]))
        && any(&f.skill, &index.skills, &d.skills[doc])
        && any(&f.mentor, &index.mentors, &d.mentors[doc])
        && one(
            &f.difficulty,
            optional(&index.difficulties, d.difficulty[doc]),
        )
        && one(&f.size, optional(&index.sizes, d.size[doc]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Idea, Site, Term, TermStatus};

    fn idea(term: &str, title: &str, skills: &[&str], description: &str) -> Idea {
        Idea {
            title: title.into(),
            organization: "Org".into(),
            term: term.into(),
            skills: skills.iter().map(|s| s.to_string()).collect(),
            description: Some(description.into()),
            ..Idea::default()
        }
    }

    fn index() -> Index {
        let term = |id: &str, status| Term {
            id: id.into(),
            title: id.into(),
            status: Some(status),
            ..Term::default()
        };
        Index::build(&Site {
            terms: vec![
                term("new", TermStatus::Open),
                term("old", TermStatus::Closed),
            ],
            ideas: vec![
                idea(
                    "new",
                    "Kubernetes operator for backups",
                    &["Go"],
                    "Back up clusters.",
                ),
                idea(
                    "new",
                    "Rust SDK sockets",
                    &["Rust"],
                    "WASI sockets in the Rust SDK.",
                ),
                idea(
                    "old",
                    "Kubernetes operator for backups",
                    &["Go"],
                    "Back up clusters.",
                ),
                idea(
                    "old",
                    "Glossary refresh",
                    &["Hugo"],
                    "Kubernetes docs glossary.",
                ),
            ],
            pages: Vec::new(),
        })
    }

    fn docs(hits: &[Hit]) -> Vec<usize> {
        hits.iter().map(|h| h.doc).collect()
    }

    #[test]
    fn misspelt_word_finds_by_typo_tolerance() {
        let index = index();
        assert_eq!(docs(&query(&index, "kuberntes ")), [0, 2, 3]);
        assert_eq!(docs(&query(&index, "glosary ")), [3]);
    }

    #[test]
    fn short_words_get_no_typo_tolerance() {
        assert_eq!(docs(&query(&index(), "rsut ")), [1]);
        assert!(query(&index(), "rst ").is_empty());
    }

    #[test]
    fn last_word_matches_as_prefix_while_typing() {
        let index = index();
        assert_eq!(docs(&query(&index, "refr")), [3]);
        assert!(query(&index, "refr ").is_empty());
    }

    #[test]
    fn every_word_is_required() {
        let index = index();
        assert_eq!(docs(&query(&index, "kubernetes glossary")), [3]);
        assert!(query(&index, "rust glossary").is_empty());
    }

    #[test]
    fn stop_words_never_empty_the_results() {
        let index = index();
        assert_eq!(docs(&query(&index, "sockets in the")), [1]);
        assert_eq!(docs(&query(&index, "the rust sdk")), [1]);
        assert_eq!(
            query(&index, "the").len(),
            4,
            "only stop words: browse everything"
        );
    }

    #[test]
    fn title_outranks_description_and_current_term_outranks_old() {
        let index = index();
        let hits = query(&index, "kubernetes ");
        assert_eq!(docs(&hits), [0, 2, 3]);
        assert!(hits[1].score > hits[2].score);
    }

    #[test]
    fn facets_narrow_with_or_within_and_across() {
        let index = index();
        let filters = Filters {
            skill: vec!["Go".into(), "Hugo".into()],
            term: vec!["old".into()],
            ..Filters::default()
        };
        assert_eq!(docs(&search(&index, "", &filters)), [2, 3]);
        assert_eq!(docs(&search(&index, "glossary", &filters)), [3]);
    }

    #[test]
    fn exact_title_gets_the_largest_bonus() {
        let index = index();
        let words = query_terms("Kubernetes operator for backups");
        assert_eq!(phrase_bonus(&index, 0, &words, false), EXACT_TITLE_BONUS);
        let words = query_terms("operator for back");
        assert_eq!(phrase_bonus(&index, 0, &words, true), TITLE_PHRASE_BONUS);
        assert_eq!(phrase_bonus(&index, 0, &words, false), 1.0);
    }
}
