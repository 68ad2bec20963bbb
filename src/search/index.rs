//! The search index file: its format, its writer, and the postings codec.
//!
//! # What the index holds
//!
//! [`super::pieces`] splits it into the files the browser reads; its doc comment is
//! the file format's specification. In memory it is:
//!
//! - `fold`: every non-ASCII character of the indexed text → its ASCII spelling, from
//!   `deunicode`. The browser has no transliteration table, so the index brings the
//!   part of one it needs; queries are folded with it exactly as the text was.
//! - `terms`: the term table, newest first: `id`, `title`, `status` (`open`,
//!   `upcoming`, `in-progress` or `closed`), `program` (empty for none) and `boost`, the factor every score of the term's ideas
//!   is multiplied by (the current open term first, older terms a little lower).
//! - `orgs`, `skills`, `mentors`, `difficulties`, `sizes`: facet values, sorted, so
//!   documents refer to them by number and each name is written once.
//! - `docs`: the document table as columns, one entry per idea in site order:
//!   `title`, `org` (into `orgs`), `sub` (sub-projects joined with " › "), `term`
//!   (into `terms`), `skills` and `mentors` (lists into their tables), `difficulty`
//!   and `size` (into their tables, -1 for none), `snippet` (the description's first
//!   ~120 characters, plain text) and `url`: empty when the idea's URL is the usual
//!   `ideas/<term>/<slug of org>/<slug of title>/`, which the browser derives with
//!   the same slug rules (about a tenth of the card bytes), else the URL.
//! - `words`: every index term (token, folded, stemmed, stop words left out), sorted,
//!   so an exact term is a binary search and a prefix is a contiguous range; written
//!   front-coded (see `front_coded`).
//! - `postings`: parallel to `words`, one string per term: first its *strong*
//!   documents (the term is in the title, skills, organization or mentors), each as
//!   the gap from the previous document number and a weight digit; then, when there
//!   are any, `.` and its *weak* documents (only in the description or outcome) as
//!   gaps alone, all of weight [`WEAK_WEIGHT`]. Digits and varints: [`encode_postings`].
//!
//! A strong weight is the term's BM25F score in the document, already saturated, in
//! 1..=15: `tf = Σ w_field · tf_field / (1 − b_field + b_field · len_field / avg_len_field)`,
//! `weight = round(15 · tf / (K1 + tf))`, with the weights and `b` of [`FIELDS`].
//! The query side multiplies it by the word's idf, computed from the document count.
//!
//! # Why this shape
//!
//! Columns and numbered facet values keep repeated strings out; gaps keep document
//! numbers to one character for common words. Most postings are plain mentions in a
//! description, whose weights would differ only by term frequency: giving them one
//! implied weight makes them one character each and removes most of the entropy
//! gzip cannot squeeze (a sixth of the gzipped index on 10,000 ideas), while the
//! short fields, where a match says most about an idea, keep a weight each.
//! Precomputing weights moves all field and length arithmetic to build time, so the
//! browser only decodes the postings of the few words a query names, never the
//! whole index. JSON rather than a binary format, because it is
//! parsed natively and fast, is readable when debugging, and compresses almost as
//! well once gzipped. Positions are not stored: the phrase bonus reads the phrase
//! keys of [`super::pieces`], pairs of adjacent title terms.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasherDefault;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{level, tokenize};
use crate::model::{Idea, Site, TermStatus};
use crate::util::fingerprint::QuickHash;
use crate::util::plain::plain_text;

/// The version of the written format ([`super::pieces`]).
pub const VERSION: u32 = 2;

/// Searchable fields with their weights (title > skills > organization > mentors,
/// level > description > outcome > details) and BM25 length normalization `b`.
/// The long fields get none: a longer description is not less about its subject,
/// and equal weights for every plain mention make the postings compress far better.
///
/// Together they hold every word an idea page shows: `organization` has the
/// sub-projects too, `level` the difficulty as written and the words of its
/// level ([`super::level`]), and `details` the rest (skill notes, stretch goals,
/// extra fields with their labels, notes, mentor remarks, issue names, size, and
/// the term's title and program, added from the term table).
pub const FIELDS: [(&str, f64, f64); 8] = [
    ("title", 10.0, 0.75),
    ("skills", 6.0, 0.75),
    ("organization", 4.0, 0.75),
    ("mentors", 3.0, 0.75),
    ("level", 3.0, 0.0),
    ("description", 1.5, 0.0),
    ("outcome", 1.0, 0.0),
    ("details", 1.0, 0.0),
];
/// Where the term's words go: [`FIELDS`]' `details`.
const DETAILS: usize = 7;

/// BM25 saturation: a field weight of 10 already gives 0.83 of the maximum.
const K1: f64 = 2.0;
/// Weights are stored as one digit, 1..=15: finer steps change no ranking a person
/// would notice, and each extra level costs about 5% of the gzipped postings.
pub const MAX_WEIGHT: u32 = 15;
/// The fields before this one in [`FIELDS`] are short: a term in them gets a stored weight.
const STRONG_FIELDS: usize = 5;
/// The weight of a term found only in the description or outcome: that of one
/// mention in the description, `round(15 · 1.5 / (K1 + 1.5))`.
pub const WEAK_WEIGHT: u32 = 6;
/// Snippet length in characters, cut back to a word boundary.
const SNIPPET_CHARS: usize = 120;

#[derive(Debug, Clone, PartialEq)]
pub struct Index {
    pub version: u32,
    pub fold: BTreeMap<char, String>,
    pub terms: Vec<TermEntry>,
    pub orgs: Vec<String>,
    pub skills: Vec<String>,
    pub mentors: Vec<String>,
    pub difficulties: Vec<String>,
    pub sizes: Vec<String>,
    pub docs: Docs,
    pub words: Vec<String>,
    pub postings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermEntry {
    pub id: String,
    pub title: String,
    pub status: String,
    /// The term's program, for the program facet; empty when it has none.
    #[serde(default)]
    pub program: String,
    pub boost: f64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Docs {
    pub title: Vec<String>,
    pub org: Vec<u32>,
    pub sub: Vec<String>,
    pub term: Vec<u32>,
    pub skills: Vec<Vec<u32>>,
    pub mentors: Vec<Vec<u32>>,
    pub difficulty: Vec<i32>,
    pub size: Vec<i32>,
    pub snippet: Vec<String>,
    pub url: Vec<String>,
}

/// A search index that does not read as one.
#[derive(Debug, thiserror::Error)]
pub enum BadIndex {
    #[error("search index: {0}")]
    Json(serde_json::Error),
    #[error("search index: the piece {0} is missing")]
    Missing(String),
}

impl Index {
    pub fn len(&self) -> usize {
        self.docs.title.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.title.is_empty()
    }

    /// The site-relative URL of a document's idea page.
    pub fn url(&self, doc: usize) -> String {
        let d = &self.docs;
        match d.url[doc].as_str() {
            "" => derived_url(
                &self.terms[d.term[doc] as usize].id,
                &self.orgs[d.org[doc] as usize],
                &d.title[doc],
                &self.fold,
            ),
            url => url.to_string(),
        }
    }

    /// The postings of `words[word]`, decoded.
    pub fn postings_of(&self, word: usize) -> Vec<(u32, u32)> {
        decode_postings(&self.postings[word])
    }

    /// Builds the index of every idea of the site.
    pub fn build(site: &Site) -> Index {
        // Tokenizing is most of the work and each idea's part is its own: in parallel.
        let documents: Vec<Document> = site.ideas.par_iter().map(Document::of).collect();
        Index::of_documents(site, &documents.iter().collect::<Vec<_>>())
    }

    /// Builds the index of the site from the [`Document`] of each of its ideas,
    /// in `Site::ideas` order: the dev server keeps those of unchanged ideas
    /// from one rebuild to the next.
    pub fn of_documents(site: &Site, documents: &[&Document]) -> Index {
        let current = site.current_term().map(|t| t.id.as_str());
        let terms: Vec<TermEntry> = site
            .terms
            .iter()
            .enumerate()
            .map(|(rank, t)| TermEntry {
                id: t.id.clone(),
                title: t.title.clone(),
                status: status_name(t.status).into(),
                program: t.program.clone().unwrap_or_default(),
                boost: term_boost(rank, current == Some(t.id.as_str()), t.status),
            })
            .collect();
        let term_number: HashMap<&str, u32> = site
            .terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i as u32))
            .collect();

        let orgs = Table::new(site.ideas.iter().map(|i| i.organization.clone()));
        let skills = Table::new(site.ideas.iter().flat_map(|i| i.skills.clone()));
        let mentors = Table::new(site.ideas.iter().flat_map(mentor_names));
        let difficulties = Table::new(site.ideas.iter().filter_map(|i| tidy(&i.difficulty)));
        let sizes = Table::new(site.ideas.iter().filter_map(|i| tidy(&i.size)));

        let mut docs = Docs::default();
        let mut fold = BTreeMap::new();
        for (idea, document) in site.ideas.iter().zip(documents) {
            fold.extend(document.fold.iter().map(|(c, s)| (*c, s.clone())));
            docs.title.push(idea.title.clone());
            docs.org.push(orgs.number(&idea.organization));
            docs.sub.push(idea.subprojects.join(" › "));
            docs.term
                .push(term_number.get(idea.term.as_str()).copied().unwrap_or(0));
            docs.skills
                .push(idea.skills.iter().map(|s| skills.number(s)).collect());
            docs.mentors.push(
                mentor_names(idea)
                    .iter()
                    .map(|m| mentors.number(m))
                    .collect(),
            );
            docs.difficulty
                .push(tidy(&idea.difficulty).map_or(-1, |d| difficulties.number(&d) as i32));
            docs.size
                .push(tidy(&idea.size).map_or(-1, |s| sizes.number(&s) as i32));
            docs.snippet.push(document.snippet.clone());
        }
        // Only now is the fold table complete, and the browser derives URLs with it.
        for (d, idea) in site.ideas.iter().enumerate() {
            let term = &terms[docs.term[d] as usize].id;
            let derived = derived_url(term, &idea.organization, &idea.title, &fold);
            docs.url.push(if idea.url == derived {
                String::new()
            } else {
                idea.url.clone()
            });
        }
        // The term's title, program and name are on each of its ideas' pages.
        let term_words: Vec<Vec<String>> = site
            .terms
            .iter()
            .map(|t| {
                let text = [Some(&t.title), t.program.as_ref(), t.term.as_ref()];
                let mut words: Vec<String> = text
                    .into_iter()
                    .flatten()
                    .flat_map(|t| tokenize::terms(t))
                    .collect();
                words.sort_unstable();
                words.dedup();
                words
            })
            .collect();
        let doc_terms: Vec<&[String]> = docs
            .term
            .iter()
            .map(|&t| term_words.get(t as usize).map_or(&[][..], Vec::as_slice))
            .collect();
        for t in &site.terms {
            for text in [Some(&t.title), t.program.as_ref(), t.term.as_ref()]
                .into_iter()
                .flatten()
            {
                tokenize::collect_folds(text, &mut fold);
            }
        }
        let (words, postings) = inverted(documents, &doc_terms);
        Index {
            version: VERSION,
            fold,
            terms,
            orgs: orgs.names,
            skills: skills.names,
            mentors: mentors.names,
            difficulties: difficulties.names,
            sizes: sizes.names,
            docs,
            words,
            postings,
        }
    }
}

/// `ideas/<term>/<slug of the organization>/<slug of the title>/`: the URL the
/// model gives most ideas. The index leaves it out where it is this one, and the
/// browser derives it again (`url` in `static/search.js`).
fn derived_url(term: &str, org: &str, title: &str, fold: &BTreeMap<char, String>) -> String {
    format!(
        "ideas/{term}/{}/{}/",
        tokenize::slug(org, fold),
        tokenize::slug(title, fold)
    )
}

/// Terms without a status are past ones: the facet offers open and closed.
fn status_name(status: Option<TermStatus>) -> &'static str {
    match status {
        Some(TermStatus::Open) => "open",
        Some(TermStatus::Upcoming) => "upcoming",
        Some(TermStatus::InProgress) => "in-progress",
        Some(TermStatus::Closed) | None => "closed",
    }
}

/// The current open term's ideas rank above old ones: ×1.4 for it, and 2% less for
/// every term back in time (never below 0.6), so among equals the newer idea wins
/// but a much better match from an old term still does too. Two decimals, so the
/// browser and Rust read the very same number.
fn term_boost(rank: usize, current: bool, status: Option<TermStatus>) -> f64 {
    let recency = (1.0 - 0.02 * rank as f64).max(0.6);
    let open = if current && status == Some(TermStatus::Open) {
        1.4
    } else {
        1.0
    };
    (recency * open * 100.0).round() / 100.0
}

fn mentor_names(idea: &Idea) -> Vec<String> {
    idea.mentors
        .iter()
        .map(|m| m.name.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect()
}

fn tidy(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(|v| plain_text(v).trim().to_string())
        .filter(|v| !v.is_empty())
}

/// What the index takes from one idea's text: made from the idea alone, so
/// that it is made once per idea and kept while the idea does not change.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The index terms of each field, in [`FIELDS`] order, joined by spaces
    /// (a term is letters, digits, `+` and `#`), with their number: one string
    /// a field instead of one a term keeps the documents of a big site, which
    /// the dev server holds between rebuilds, to a fifth of the memory.
    terms: [FieldTerms; 8],
    /// The non-ASCII characters of its text, with their ASCII spellings.
    fold: BTreeMap<char, String>,
    snippet: String,
}

impl Document {
    pub fn of(idea: &Idea) -> Document {
        let md = |m: &Option<String>| m.as_deref().map(plain_text).unwrap_or_default();
        let (intro, description, outcome) = (
            md(&idea.intro),
            md(&idea.description),
            md(&idea.expected_outcome),
        );
        let mentors = idea
            .mentors
            .iter()
            .map(|m| format!("{} {}", m.name, m.github.as_deref().unwrap_or_default()))
            .collect::<Vec<_>>()
            .join(" ");
        let difficulty = idea
            .difficulty
            .as_deref()
            .map(plain_text)
            .unwrap_or_default();
        let level = format!("{difficulty} {}", level::level_words(&difficulty));
        let snippet = snippet([&description, &intro, &outcome]);
        let fields = [
            idea.title.clone(),
            idea.skills.join(" "),
            format!("{} {}", idea.organization, idea.subprojects.join(" ")),
            mentors,
            level,
            format!("{intro} {description}"),
            outcome,
            details(idea),
        ];
        let mut fold = BTreeMap::new();
        for text in fields.iter().chain([&snippet]) {
            tokenize::collect_folds(text, &mut fold);
        }
        Document {
            terms: fields.map(|t| FieldTerms::of(&t)),
            fold,
            snippet,
        }
    }
}

/// What an idea page shows beyond the named fields: the `details` of [`FIELDS`].
fn details(idea: &Idea) -> String {
    let md = |m: &Option<String>| m.as_deref().map(plain_text).unwrap_or_default();
    let mut parts: Vec<String> = idea.skill_notes.clone();
    parts.push(md(&idea.stretch_goals));
    for field in &idea.extra {
        parts.push(plain_text(&field.label));
        parts.push(plain_text(&field.value));
    }
    parts.push(md(&idea.notes));
    parts.extend(idea.mentors.iter().filter_map(|m| m.note.clone()));
    parts.extend(idea.mentors.iter().filter_map(|m| m.role.clone()));
    parts.extend(idea.mentor_notes.iter().map(|n| plain_text(n)));
    parts.extend(idea.issues.iter().map(|i| i.label.clone()));
    parts.push(md(&idea.size));
    parts.extend(idea.size_class.clone());
    parts.extend(
        idea.size_hours
            .map(|h| format!("{} {} hours", h.min, h.max)),
    );
    parts.extend(idea.category.clone());
    parts.join(" ")
}

/// The index terms of one field of a document.
#[derive(Debug, Clone, PartialEq)]
struct FieldTerms {
    joined: Box<str>,
    count: u32,
}

impl FieldTerms {
    fn of(text: &str) -> FieldTerms {
        let terms = tokenize::terms(text);
        FieldTerms {
            count: terms.len() as u32,
            joined: terms.join(" ").into(),
        }
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        self.joined.split(' ').filter(|t| !t.is_empty())
    }
}

/// The opening of the first non-blank text (the description, else the intro,
/// else the outcome), cut at a word boundary: what a result shows under its title.
fn snippet(texts: [&str; 3]) -> String {
    let text = texts
        .into_iter()
        .map(str::trim)
        .find(|t| !t.is_empty())
        .unwrap_or_default();
    if text.chars().count() <= SNIPPET_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(SNIPPET_CHARS).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > SNIPPET_CHARS / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.', ' ']))
}

/// The sorted words and their encoded postings, from each document's field terms
/// and the words of its term (`term_words[doc]`, counted as `details`).
fn inverted(documents: &[&Document], term_words: &[&[String]]) -> (Vec<String>, Vec<String>) {
    let n = documents.len().max(1) as f64;
    let mut avg = [0.0f64; FIELDS.len()];
    for fields in documents.iter().map(|d| &d.terms) {
        for (f, terms) in fields.iter().enumerate() {
            avg[f] += f64::from(terms.count) / n;
        }
    }
    // Each document's words with their weights (`None`: weak), in parallel.
    let weighed: Vec<Vec<(&str, Option<u32>)>> = documents
        .par_iter()
        .zip(term_words.par_iter())
        .map(|(document, term_words)| {
            let mut tf: FastMap<&str, (f64, bool)> = FastMap::default();
            for (f, terms) in document.terms.iter().enumerate() {
                let (_, weight, b) = FIELDS[f];
                let norm = if avg[f] > 0.0 {
                    1.0 - b + b * f64::from(terms.count) / avg[f]
                } else {
                    1.0
                };
                for t in terms.iter() {
                    let e = tf.entry(t).or_default();
                    e.0 += weight / norm;
                    e.1 |= f < STRONG_FIELDS;
                }
            }
            for t in term_words.iter() {
                tf.entry(t.as_str()).or_default().0 += FIELDS[DETAILS].1;
            }
            tf.into_iter()
                .map(|(term, (tf, strong))| {
                    let weight = (MAX_WEIGHT as f64 * tf / (K1 + tf)).round() as u32;
                    (term, strong.then(|| weight.clamp(1, MAX_WEIGHT)))
                })
                .collect()
        })
        .collect();
    let mut lists: FastMap<&str, Postings> = FastMap::default();
    for (doc, words) in weighed.iter().enumerate() {
        for &(term, weight) in words {
            let list = lists.entry(term).or_default();
            match weight {
                Some(weight) => list.strong.push((doc as u32, weight)),
                None => list.weak.push(doc as u32),
            }
        }
    }
    let mut lists: Vec<(&str, Postings)> = lists.into_iter().collect();
    lists.par_sort_unstable_by_key(|(word, _)| *word);
    lists
        .into_par_iter()
        .map(|(word, p)| (word.to_string(), encode_postings(&p)))
        .unzip()
}

/// A table keyed by the site's own words, looked up millions of times on a big
/// site: a fast hash instead of SipHash (see [`QuickHash`]).
type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<QuickHash>>;

/// Facet values, sorted case-insensitively, numbered by position.
struct Table {
    names: Vec<String>,
    numbers: HashMap<String, u32>,
}

impl Table {
    fn new(values: impl Iterator<Item = String>) -> Table {
        // Each name comes once per idea that has it: drop the repeats before sorting.
        let mut names: Vec<String> = values
            .collect::<std::collections::HashSet<String>>()
            .into_iter()
            .collect();
        names.sort_by_cached_key(|n| (n.to_lowercase(), n.clone()));
        let numbers = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as u32))
            .collect();
        Table { names, numbers }
    }

    fn number(&self, name: &str) -> u32 {
        // Every name looked up was among the values the table was made from.
        self.numbers[name]
    }
}

/// The sorted word list as one string, each word as the number of leading
/// characters it shares with the one before (one digit) and the rest, separated by
/// commas: `["rust","rustc"]` → `"0rust,4c"`. A fifth smaller when gzipped than a
/// plain list. Characters, not bytes: CJK terms are not ASCII, and the browser
/// slices by UTF-16 units, which are characters for every character a term holds.
pub(super) mod front_coded {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::DIGITS;

    pub fn serialize<S: Serializer>(words: &[String], s: S) -> Result<S::Ok, S::Error> {
        let mut out = String::new();
        let mut prev = "";
        for word in words {
            let shared = prev
                .chars()
                .zip(word.chars())
                .take_while(|(a, b)| a == b)
                .count()
                .min(63);
            if !out.is_empty() {
                out.push(',');
            }
            out.push(DIGITS[shared] as char);
            out.extend(word.chars().skip(shared));
            prev = word;
        }
        s.serialize_str(&out)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        let text = String::deserialize(d)?;
        let mut words: Vec<String> = Vec::new();
        for entry in text.split(',').filter(|e| !e.is_empty()) {
            let shared = super::digit(entry.as_bytes()[0]) as usize;
            let prev = words.last().map_or("", String::as_str);
            let kept: String = prev.chars().take(shared).collect();
            let word = format!("{kept}{}", entry.get(1..).unwrap_or_default());
            words.push(word);
        }
        Ok(words)
    }
}

/// The 64 digits of the postings code; all of them need no escaping in JSON.
const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
/// Separates a term's strong postings from its weak ones; not a digit.
const WEAK_MARK: char = '.';

/// The documents of one term, in increasing order within each list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Postings {
    /// Documents with the term in a short field (title, skills, organization,
    /// mentors), each with its weight.
    pub strong: Vec<(u32, u32)>,
    /// Documents with the term only in the description or outcome: all weigh
    /// [`WEAK_WEIGHT`], so no weight is stored.
    pub weak: Vec<u32>,
}

/// Postings as text: the strong list as, for each document, the gap from the
/// previous one (the first from 0) as a varint and then the weight as one digit;
/// then, if there are weak documents, [`WEAK_MARK`] and their gaps alone. A varint
/// is 5-bit groups, most significant first; digits 32..63 mean "more groups follow".
pub fn encode_postings(postings: &Postings) -> String {
    let mut out = String::with_capacity(postings.strong.len() * 2 + postings.weak.len() + 1);
    let mut prev = 0;
    for &(doc, weight) in &postings.strong {
        push_varint(&mut out, doc - prev);
        out.push(DIGITS[(weight & 31) as usize] as char);
        prev = doc;
    }
    if !postings.weak.is_empty() {
        out.push(WEAK_MARK);
        prev = 0;
        for &doc in &postings.weak {
            push_varint(&mut out, doc - prev);
            prev = doc;
        }
    }
    out
}

/// A list of documents alone, as the gaps between them: the weak part of
/// [`encode_postings`] without its mark.
pub fn encode_docs(docs: &[u32]) -> String {
    let mut out = String::with_capacity(docs.len());
    let mut prev = 0;
    for &doc in docs {
        push_varint(&mut out, doc - prev);
        prev = doc;
    }
    out
}

fn push_varint(out: &mut String, value: u32) {
    let mut groups = 1;
    while groups < 7 && value >> (5 * groups) != 0 {
        groups += 1;
    }
    for g in (0..groups).rev() {
        let bits = (value >> (5 * g)) & 31;
        let more = if g > 0 { 32 } else { 0 };
        out.push(DIGITS[(bits | more) as usize] as char);
    }
}

/// The inverse of [`encode_postings`], as `(document, weight)`: strong documents
/// first, then weak ones with [`WEAK_WEIGHT`]. A character outside the code reads as 0.
pub fn decode_postings(text: &str) -> Vec<(u32, u32)> {
    let (strong, weak) = text.split_once(WEAK_MARK).unwrap_or((text, ""));
    let mut out = Vec::with_capacity(strong.len() / 2 + weak.len());
    let mut doc = 0u32;
    let mut value = 0u32;
    let mut in_gap = true;
    for b in strong.bytes() {
        let d = digit(b);
        if in_gap {
            value = (value << 5) | (d & 31);
            if d < 32 {
                doc += value;
                value = 0;
                in_gap = false;
            }
        } else {
            out.push((doc, d & 31));
            in_gap = true;
        }
    }
    doc = 0;
    for b in weak.bytes() {
        let d = digit(b);
        value = (value << 5) | (d & 31);
        if d < 32 {
            doc += value;
            value = 0;
            out.push((doc, WEAK_WEIGHT));
        }
    }
    out
}

fn digit(b: u8) -> u32 {
    DIGITS.iter().position(|&x| x == b).unwrap_or(0) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Mentor, Term};

    #[test]
    fn postings_round_trip_with_large_gaps() {
        let postings = [
            (0, 15),
            (1, 1),
            (2, 7),
            (40, 12),
            (1_000_000, 3),
            (1_000_001, 15),
        ];
        let text = encode_postings(&Postings {
            strong: postings.to_vec(),
            weak: vec![3, 5, 70_000],
        });
        let mut expected = postings.to_vec();
        expected.extend([(3, WEAK_WEIGHT), (5, WEAK_WEIGHT), (70_000, WEAK_WEIGHT)]);
        assert_eq!(decode_postings(&text), expected);
    }

    #[test]
    fn common_postings_take_one_or_two_characters() {
        let postings = Postings {
            strong: (0..100).map(|d| (d, 9)).collect(),
            weak: (100..200).collect(),
        };
        // 100 pairs, the mark, a first weak gap of 100 (two digits) and 99 gaps of 1.
        assert_eq!(encode_postings(&postings).len(), 200 + 1 + 2 + 99);
    }

    #[test]
    fn postings_text_needs_no_json_escaping() {
        let text = encode_postings(&Postings {
            strong: vec![(5000, 15), (123_456, 7)],
            weak: vec![7, 900_000],
        });
        assert_eq!(serde_json::to_string(&text).unwrap(), format!("\"{text}\""));
    }

    fn idea(term: &str, title: &str, skills: &[&str], description: &str) -> Idea {
        Idea {
            title: title.into(),
            organization: "Kubernetes".into(),
            term: term.into(),
            url: format!("ideas/{term}/{}/", crate::slug::slugify(title)),
            skills: skills.iter().map(|s| s.to_string()).collect(),
            mentors: vec![Mentor {
                name: "José Núñez".into(),
                ..Mentor::default()
            }],
            description: Some(description.into()),
            ..Idea::default()
        }
    }

    fn site() -> Site {
        let term = |id: &str, status| Term {
            id: id.into(),
            title: id.into(),
            status: Some(status),
            ..Term::default()
        };
        Site {
            terms: vec![
                term("new", TermStatus::Open),
                term("old", TermStatus::Closed),
            ],
            ideas: vec![
                idea(
                    "new",
                    "Scheduler profiling",
                    &["Go"],
                    "Profiles for **the** scheduler.",
                ),
                idea(
                    "old",
                    "Docs refresh",
                    &["Hugo", "Go"],
                    "Rewrite the glossary.",
                ),
            ],
            pages: Vec::new(),
        }
    }

    #[test]
    fn index_has_sorted_words_with_weighted_postings() {
        let index = Index::build(&site());
        assert!(index.words.windows(2).all(|w| w[0] < w[1]));
        let at = |w: &str| index.words.binary_search(&w.to_string()).unwrap();
        assert_eq!(index.postings_of(at("go")).len(), 2);
        let sched = index.postings_of(at("profil"));
        assert_eq!(sched.iter().map(|p| p.0).collect::<Vec<_>>(), [0]);
        let glossary = index.postings_of(at("glossary"));
        assert!(sched[0].1 > glossary[0].1, "title outweighs description");
        assert!(index.words.binary_search(&"the".to_string()).is_err());
        assert!(index.words.contains(&"nunez".to_string()));
    }

    #[test]
    fn index_carries_the_document_table_and_facets() {
        let index = Index::build(&site());
        assert_eq!(index.docs.title, ["Scheduler profiling", "Docs refresh"]);
        assert_eq!(index.skills, ["Go", "Hugo"]);
        assert_eq!(index.docs.skills[1], [1, 0]);
        assert_eq!(index.docs.snippet[0], "Profiles for the scheduler.");
        assert_eq!(index.docs.term, [0, 1]);
        assert_eq!(index.docs.difficulty, [-1, -1]);
        assert_eq!(index.fold.get(&'ú').map(String::as_str), Some("u"));
    }

    #[test]
    fn current_open_term_is_boosted_over_older_ones() {
        let index = Index::build(&site());
        assert_eq!(index.terms[0].boost, 1.4);
        assert_eq!(index.terms[1].boost, 0.98);
        assert_eq!(index.terms[1].status, "closed");
    }

    #[test]
    fn usual_urls_are_left_out_and_derived_again() {
        let mut site = site();
        site.ideas[1].url = "ideas/elsewhere/".into();
        site.ideas[0].title = "Añadir C++ & Go".into();
        site.ideas[0].url = "ideas/new/kubernetes/anadir-cplusplus-go/".into();
        let index = Index::build(&site);
        assert_eq!(index.docs.url, ["", "ideas/elsewhere/"]);
        assert_eq!(index.url(0), site.ideas[0].url);
        assert_eq!(index.url(1), "ideas/elsewhere/");
    }

    #[test]
    fn words_are_front_coded_in_their_piece() {
        let index = Index::build(&site());
        let pieces = index.pieces();
        let piece = &pieces.iter().find(|(name, _)| name == "words/0").unwrap().1;
        let json: serde_json::Value = serde_json::from_str(piece).unwrap();
        let words = json["words"].as_str().unwrap();
        assert!(words.starts_with("0doc,0glossary,1o,"), "{words}");
    }

    #[test]
    fn index_survives_its_pieces() {
        let index = Index::build(&site());
        let pieces: HashMap<String, String> = index.pieces().into_iter().collect();
        let again = Index::from_pieces(|name| pieces.get(name).cloned()).unwrap();
        assert_eq!(again, index);
    }

    #[test]
    fn long_snippets_end_at_a_word() {
        let long = "word ".repeat(100);
        let s = Document::of(&idea("t", "x", &[], &long)).snippet;
        assert!(s.ends_with("word…"), "{s}");
        assert!(s.chars().count() <= SNIPPET_CHARS + 1);
    }
}
