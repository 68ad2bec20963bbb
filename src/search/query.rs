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
//!    typed, which then counts only if it does not empty the results. A query
//!    with text but no word left to search ("the and", "!!") is answered as such
//!    ([`Outcome::NothingSearchable`]), never with every idea.
//!    When no idea has every word, the ideas with the most of them are the answer
//!    ([`Outcome::Partial`]); among sets of words of that size, the one keeping
//!    the earliest words. Each hit knows which words it lacks, so the page can
//!    say which were left out: "rust beginner" still finds Rust ideas.
//! 2. Each word matches index terms: its stem exactly (factor 1); when it is the last
//!    word and the query does not end in a space, every term it begins (factor 0.8,
//!    at most [`MAX_PREFIX_TERMS`], the most frequent); and, only when neither found
//!    anything, terms within one edit (4+ characters) or two (8+) that share its
//!    first letter (factor 0.6 or 0.4, transpositions counting as one edit); only
//!    ASCII words are corrected, CJK pairs never.
//! 3. A word scores a document with the best of its terms, factor × weight/15, times
//!    the word's idf over all the documents its terms match.
//!    A document's score is the sum over words, times its term's boost, times a
//!    phrase bonus: ×2 when the words are the whole title, ×1.5 when each pair of
//!    adjacent words is adjacent in it. (Only the title: the index keeps its word
//!    pairs as phrase keys; the pairs of every description would double its size.)
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
    /// The required words of the query this idea lacks, as bits by position in
    /// [`Answer::words`]: none unless the answer is [`Outcome::Partial`].
    pub missing: u32,
}

/// What kind of answer a query got, which the page says above the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// No words: every idea the filters keep, in site order.
    Browse,
    /// Ideas with every word.
    All,
    /// No idea has every word: those with the most of them.
    Partial,
    /// The query has text, but only stop words or no word at all.
    NothingSearchable,
}

/// Ranked hits with what the page needs to explain them.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub hits: Vec<Hit>,
    pub outcome: Outcome,
    /// The query's required words as typed (tokens), in order.
    pub words: Vec<String>,
}

/// Ideas matching `text`, best first.
pub fn query(index: &Index, text: &str) -> Vec<Hit> {
    search(index, text, &Filters::default())
}

/// Ideas matching `text` and `filters`, best first; with no words in `text`, every
/// idea the filters keep, in site order.
pub fn search(index: &Index, text: &str, filters: &Filters) -> Vec<Hit> {
    answer(index, text, filters).hits
}

/// [`search`] with the kind of answer and the words it was about.
pub fn answer(index: &Index, text: &str, filters: &Filters) -> Answer {
    let keep = |doc: usize| passes(index, doc, filters);
    let matched = match_words(index, text);
    let (scores, outcome) = match matched.outcome {
        Outcome::Browse => {
            let hits = (0..index.len())
                .filter(|&d| keep(d))
                .map(|doc| Hit {
                    doc,
                    score: 0.0,
                    missing: 0,
                })
                .collect();
            return Answer {
                hits,
                outcome: Outcome::Browse,
                words: matched.words,
            };
        }
        outcome => (matched.scores, outcome),
    };
    let words = query_terms(text);
    let mut hits: Vec<Hit> = scores
        .into_iter()
        .filter(|&(d, _)| keep(d))
        .map(|(doc, (score, missing))| {
            let term = &index.terms[index.docs.term[doc] as usize];
            Hit {
                doc,
                score: score * term.boost * phrase_bonus(index, doc, &words, prefix_mode(text)),
                missing,
            }
        })
        .collect();
    hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
    Answer {
        hits,
        outcome,
        words: matched.words,
    }
}

/// The last word is still being typed unless the query ends in a space.
fn prefix_mode(text: &str) -> bool {
    !text.ends_with(char::is_whitespace)
}

/// The query's words as index terms, stop words left out.
fn query_terms(text: &str) -> Vec<String> {
    terms(text)
}

/// The documents a query's words match, each with the sum of its word scores and
/// the bits of the required words it lacks.
struct Matched {
    scores: HashMap<usize, (f64, u32)>,
    outcome: Outcome,
    words: Vec<String>,
}

/// At most this many required words are told apart in [`Hit::missing`]; later
/// ones add to a score but are not required. Thirty, so the
/// browser's bit operations on 32-bit signed integers give the same bits.
const MAX_WORDS: usize = 30;

fn match_words(index: &Index, text: &str) -> Matched {
    let toks = tokens(text);
    let prefix = prefix_mode(text);
    let nothing = |outcome| Matched {
        scores: HashMap::new(),
        outcome,
        words: Vec::new(),
    };
    if toks.iter().all(|t| is_stop_word(t)) {
        return nothing(if text.trim().is_empty() {
            Outcome::Browse
        } else {
            Outcome::NothingSearchable
        });
    }
    let mut words = Vec::new();
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
            words.push(tok.clone());
            required.push(scores);
        }
    }
    // Each document with its summed score and the words it lacks.
    let mut tally: HashMap<usize, (f64, u32)> = HashMap::new();
    for (w, group) in required.iter().enumerate() {
        for (&d, &s) in group {
            tally.entry(d).or_insert((0.0, all_bits(required.len()))).0 += s;
            if w < MAX_WORDS {
                tally.get_mut(&d).expect("just inserted").1 &= !(1u32 << w);
            }
        }
    }
    let most = tally
        .values()
        .map(|&(_, missing)| missing.count_ones())
        .min();
    let outcome = if most == Some(0) {
        Outcome::All
    } else {
        Outcome::Partial
    };
    let left_out = tally
        .values()
        .map(|&(_, missing)| missing)
        .filter(|m| Some(m.count_ones()) == most)
        .reduce(earlier_words_kept);
    let mut result: HashMap<usize, (f64, u32)> = tally
        .into_iter()
        .filter(|&(_, (_, missing))| Some(missing) == left_out)
        .collect();
    for group in optional {
        let narrowed: HashMap<usize, (f64, u32)> = result
            .iter()
            .filter_map(|(&d, &(s, m))| group.get(&d).map(|g| (d, (s + g, m))))
            .collect();
        if !narrowed.is_empty() {
            result = narrowed;
        }
    }
    Matched {
        scores: result,
        outcome,
        words,
    }
}

/// Of two sets of left-out words of one size, the one that keeps the query's
/// earlier words: a student names the subject first and qualifies it after
/// ("rust beginner"), so the later word goes first. One set for the whole
/// answer, so the page can say which words it left out.
fn earlier_words_kept(a: u32, b: u32) -> u32 {
    let diff = a ^ b;
    let first = diff & diff.wrapping_neg();
    if a & first == 0 {
        a
    } else {
        b
    }
}

/// One bit set for each of the first `n` words (at most [`MAX_WORDS`]).
fn all_bits(n: usize) -> u32 {
    (1u32 << n.min(MAX_WORDS)) - 1
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
    if !token.is_ascii() {
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

/// ×2 when the query is the whole title, ×1.5 when each pair of its adjacent words
/// is a pair of adjacent title words; the word being typed matches as a prefix.
/// Pairs rather than the whole sequence, because the browser reads them from the
/// phrase keys of [`super::pieces`] without the titles: for two words the same, for
/// more a little looser (the pairs may sit apart in a long title).
fn phrase_bonus(index: &Index, doc: usize, words: &[String], prefix: bool) -> f64 {
    if words.is_empty() {
        return 1.0;
    }
    let title = terms(&index.docs.title[doc]);
    let matches =
        |h: &String, w: &String, last: bool| h == w || (last && h.starts_with(w.as_str()));
    if title.len() == words.len()
        && title
            .iter()
            .zip(words)
            .enumerate()
            .all(|(i, (h, w))| matches(h, w, prefix && i + 1 == words.len()))
    {
        return EXACT_TITLE_BONUS;
    }
    if words.len() < 2 {
        return 1.0;
    }
    let has_pair = |i: usize| {
        let last = prefix && i + 2 == words.len();
        title
            .windows(2)
            .any(|p| p[0] == words[i] && matches(&p[1], &words[i + 1], last))
    };
    if (0..words.len() - 1).all(has_pair) {
        return TITLE_PHRASE_BONUS;
    }
    1.0
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
    fn every_word_is_required_while_some_idea_has_them_all() {
        let index = index();
        let found = answer(&index, "kubernetes glossary", &Filters::default());
        assert_eq!(docs(&found.hits), [3]);
        assert_eq!(found.outcome, Outcome::All);
        assert_eq!(found.hits[0].missing, 0);
    }

    #[test]
    fn without_an_idea_having_every_word_those_with_most_of_them_answer() {
        let index = index();
        let found = answer(&index, "rust sdk glossary ", &Filters::default());
        assert_eq!(found.outcome, Outcome::Partial);
        assert_eq!(found.words, ["rust", "sdk", "glossary"]);
        assert_eq!(docs(&found.hits), [1], "two of three words beat one");
        assert_eq!(found.hits[0].missing, 0b100, "glossary left out");
        let found = answer(&index, "glossary rust ", &Filters::default());
        assert_eq!(docs(&found.hits), [3], "the earlier word is kept");
        assert_eq!(earlier_words_kept(0b001, 0b010), 0b010);
        assert_eq!(earlier_words_kept(0b1001, 0b0110), 0b0110, "word 0 kept");
        let found = answer(&index, "zzzz qqqq ", &Filters::default());
        assert_eq!(found.outcome, Outcome::Partial);
        assert!(found.hits.is_empty());
    }

    #[test]
    fn level_words_match_the_difficulty() {
        let mut beginner = idea("new", "Lint rules", &["Rust"], "Add lints.");
        beginner.difficulty = Some("Beginner".into());
        let mut hard = idea("new", "Borrow checker", &["Rust"], "Rework it.");
        hard.difficulty = Some("Hard".into());
        let index = Index::build(&Site {
            pages: vec![],
            terms: vec![Term {
                id: "new".into(),
                ..Term::default()
            }],
            ideas: vec![beginner, hard],
        });
        assert_eq!(docs(&query(&index, "rust easy ")), [0]);
        assert_eq!(docs(&query(&index, "advanced rust ")), [1]);
    }

    #[test]
    fn cjk_query_finds_cjk_text_and_is_never_corrected() {
        let index = Index::build(&Site {
            pages: vec![],
            terms: vec![Term {
                id: "new".into(),
                ..Term::default()
            }],
            ideas: vec![
                idea(
                    "new",
                    "分布式追踪的可视化",
                    &["Go"],
                    "为调度器添加性能分析。",
                ),
                idea("new", "Tracing UI", &["Go"], "Visualize traces."),
            ],
        });
        assert_eq!(docs(&query(&index, "可视化")), [0]);
        assert_eq!(docs(&query(&index, "调度器 ")), [0]);
        assert_eq!(docs(&query(&index, "分")), [0], "one character as a prefix");
        assert!(query(&index, "視覺化 ").is_empty());
    }

    #[test]
    fn stop_words_never_empty_the_results() {
        let index = index();
        assert_eq!(docs(&query(&index, "sockets in the")), [1]);
        assert_eq!(docs(&query(&index, "the rust sdk")), [1]);
    }

    #[test]
    fn only_stop_words_or_signs_are_nothing_searchable() {
        let index = index();
        for text in ["the and", "the", "!! ?", "  of "] {
            let found = answer(&index, text, &Filters::default());
            assert_eq!(found.outcome, Outcome::NothingSearchable, "{text:?}");
            assert!(found.hits.is_empty(), "{text:?}");
        }
        let all = answer(&index, "  ", &Filters::default());
        assert_eq!((all.outcome, all.hits.len()), (Outcome::Browse, 4));
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
