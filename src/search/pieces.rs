//! The search index as the browser reads it: small pieces, each fetched only when
//! a query needs it.
//!
//! # Why pieces
//!
//! A search page that downloads the whole index before its first answer costs a
//! student on a phone 150 KB on a site of a thousand ideas and megabytes on a big
//! portal. Split by what a query touches, the first answer needs the head, one
//! vocabulary piece and one postings piece per word, two phrase pieces, and the
//! cards of the twenty results shown: about the same bytes at 100,000 ideas as at
//! 1,000. Facets a student has not opened are not fetched on a big site.
//!
//! Every piece is a script, `search/<name>.js`, that hands its JSON to
//! `trellisSearchPiece(name, data)`: a `<script>` tag loads it over HTTP and from a
//! `file://` page alike, where `fetch` is refused, so the index is written once.
//!
//! # Format (version 2)
//!
//! - `index`, the head: `version`; `id`, a fingerprint of the other pieces, which
//!   the browser puts in their URLs (`?v=`) so that no cache serves a piece of
//!   another build; `count`, the number of documents; `fold` (every
//!   non-ASCII character of the indexed text → its ASCII spelling, for the browser
//!   to fold queries as the text was); `terms` (id, title, status, program, boost,
//!   newest first); `runs`, the term of every document as `[term, how many]` runs
//!   in document order; `words` and `word_starts`, the first word and its number of
//!   each vocabulary piece; `postings`, the number of the first word of each
//!   postings piece; `phrases`, the first key of each phrase piece; `cards`, the
//!   documents per card piece; `facets`, each facet piece with its size in bytes;
//!   and `eager`, whether the facets are small enough to fetch with the first answer.
//! - `words/<k>`: a range of the sorted vocabulary (`start`, the number of its first
//!   word; `words`, front coded as in [`super::index`]; `sizes`, the length of each
//!   word's postings, which ranks the completions of a prefix without fetching them).
//!   Typo tolerance reads the pieces of the query word's first letter.
//! - `postings/<k>`: `start` and the encoded postings of a range of words
//!   ([`super::index::encode_postings`]).
//! - `phrases/<k>`: a range of sorted phrase keys with the documents of each (gaps,
//!   as weak postings). A key is two adjacent title terms, `"rust sdk"`, or a whole
//!   title's terms after `=`, `"=harbor cli"`: the phrase bonus without the titles.
//! - `cards/<k>`: what a result shows of documents `k·cards …`: `title`, `org`,
//!   `sub`, `skills` (names), `snippet` and `url` (empty when derived, as before).
//! - `facets/<name>`: `values`, the names, and `docs`, each document's value number
//!   (-1 for none) or list of them, for `org`, `skill`, `mentor`, `difficulty`, `size`.
//!
//! [`Index::pieces`] writes them and [`Index::from_pieces`] reads them back.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::index::{encode_docs, front_coded, Docs, Index, TermEntry, VERSION};
use super::tokenize;
use super::BadIndex;
use crate::util::fingerprint::Fingerprint;

/// Raw bytes a vocabulary piece grows to before the next begins: a few kilobytes
/// gzipped, so a word costs little more than its own entries.
const WORDS_PIECE_BYTES: usize = 12_000;
/// Raw bytes of a postings piece: a common word alone can be larger.
const POSTINGS_PIECE_BYTES: usize = 16_000;
const PHRASES_PIECE_BYTES: usize = 12_000;
/// Documents per card piece: the twenty results of a first page fall in at most
/// twenty pieces of about 1.5 KB gzipped each.
pub const CARD_DOCS: usize = 16;
/// Facets whose pieces weigh less than this in all come with the first answer;
/// above it each comes when its filter is opened or used.
const EAGER_FACET_BYTES: usize = 96_000;

/// The name of the head piece, which every search loads first.
pub const HEAD: &str = "index";

#[derive(Debug, Serialize, Deserialize)]
struct Head {
    version: u32,
    /// A fingerprint of every other piece: the browser asks for pieces with it
    /// in their URL, so that no cache mixes pieces of two builds.
    id: String,
    count: usize,
    fold: BTreeMap<char, String>,
    terms: Vec<TermEntry>,
    runs: Vec<(u32, usize)>,
    words: Vec<String>,
    word_starts: Vec<usize>,
    postings: Vec<usize>,
    phrases: Vec<String>,
    cards: usize,
    facets: BTreeMap<String, usize>,
    eager: bool,
}

#[derive(Debug, Serialize, Deserialize)]
struct WordsPiece {
    start: usize,
    #[serde(with = "front_coded")]
    words: Vec<String>,
    sizes: Vec<usize>,
}

#[derive(Debug, Serialize, Deserialize)]
struct PostingsPiece {
    start: usize,
    postings: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct PhrasesPiece {
    #[serde(with = "front_coded")]
    keys: Vec<String>,
    docs: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct CardsPiece {
    title: Vec<String>,
    org: Vec<String>,
    sub: Vec<String>,
    skills: Vec<Vec<String>>,
    snippet: Vec<String>,
    url: Vec<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct FacetPiece<T> {
    values: Vec<String>,
    docs: Vec<T>,
}

/// The facets with pieces of their own, as `(name, one value per document)`.
const FACETS: [(&str, bool); 5] = [
    ("org", true),
    ("skill", false),
    ("mentor", false),
    ("difficulty", true),
    ("size", true),
];

impl Index {
    /// Every piece of the index as `(name, JSON)`, the head first.
    pub fn pieces(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut word_firsts = Vec::new();
        let mut word_starts = Vec::new();
        for range in ranges(&self.words, WORDS_PIECE_BYTES, |w| w.len() + 4) {
            word_firsts.push(self.words[range.start].clone());
            word_starts.push(range.start);
            let piece = WordsPiece {
                start: range.start,
                words: self.words[range.clone()].to_vec(),
                sizes: self.postings[range].iter().map(String::len).collect(),
            };
            out.push((format!("words/{}", word_starts.len() - 1), to_json(&piece)));
        }
        let mut posting_starts = Vec::new();
        for range in ranges(&self.postings, POSTINGS_PIECE_BYTES, |p| p.len() + 3) {
            posting_starts.push(range.start);
            let piece = PostingsPiece {
                start: range.start,
                postings: self.postings[range].to_vec(),
            };
            out.push((
                format!("postings/{}", posting_starts.len() - 1),
                to_json(&piece),
            ));
        }
        let phrases = phrase_keys(&self.docs.title);
        let keys: Vec<&String> = phrases.keys().collect();
        let mut phrase_firsts = Vec::new();
        for range in ranges(&keys, PHRASES_PIECE_BYTES, |k| k.len() + 8) {
            phrase_firsts.push(keys[range.start].clone());
            let piece = PhrasesPiece {
                keys: keys[range.clone()].iter().map(|k| k.to_string()).collect(),
                docs: keys[range]
                    .iter()
                    .map(|k| encode_docs(&phrases[*k]))
                    .collect(),
            };
            out.push((
                format!("phrases/{}", phrase_firsts.len() - 1),
                to_json(&piece),
            ));
        }
        for (k, start) in (0..self.len()).step_by(CARD_DOCS).enumerate() {
            let docs = start..(start + CARD_DOCS).min(self.len());
            let d = &self.docs;
            let piece = CardsPiece {
                title: d.title[docs.clone()].to_vec(),
                org: docs
                    .clone()
                    .map(|i| self.orgs[d.org[i] as usize].clone())
                    .collect(),
                sub: d.sub[docs.clone()].to_vec(),
                skills: docs
                    .clone()
                    .map(|i| {
                        d.skills[i]
                            .iter()
                            .map(|&s| self.skills[s as usize].clone())
                            .collect()
                    })
                    .collect(),
                snippet: d.snippet[docs.clone()].to_vec(),
                url: d.url[docs].to_vec(),
            };
            out.push((format!("cards/{k}"), to_json(&piece)));
        }
        let mut facets = BTreeMap::new();
        for (name, _) in FACETS {
            let piece = match name {
                "org" => to_json(&single(&self.orgs, self.docs.org.iter().map(|&o| o as i32))),
                "skill" => to_json(&FacetPiece {
                    values: self.skills.clone(),
                    docs: self.docs.skills.clone(),
                }),
                "mentor" => to_json(&FacetPiece {
                    values: self.mentors.clone(),
                    docs: self.docs.mentors.clone(),
                }),
                "difficulty" => to_json(&single(
                    &self.difficulties,
                    self.docs.difficulty.iter().copied(),
                )),
                _ => to_json(&single(&self.sizes, self.docs.size.iter().copied())),
            };
            facets.insert(name.to_string(), piece.len());
            out.push((format!("facets/{name}"), piece));
        }
        let mut id = Fingerprint::new("search pieces");
        for (name, json) in &out {
            id.add(name).add(json);
        }
        let head = Head {
            version: VERSION,
            id: format!("{:016x}", id.finish()),
            count: self.len(),
            fold: self.fold.clone(),
            terms: self.terms.clone(),
            runs: runs(&self.docs.term),
            words: word_firsts,
            word_starts,
            postings: posting_starts,
            phrases: phrase_firsts,
            cards: CARD_DOCS,
            eager: facets.values().sum::<usize>() <= EAGER_FACET_BYTES,
            facets,
        };
        out.insert(0, (HEAD.to_string(), to_json(&head)));
        out
    }

    /// The index again from its pieces, `piece(name)` giving each one's JSON.
    pub fn from_pieces(piece: impl Fn(&str) -> Option<String>) -> Result<Index, BadIndex> {
        let read = |name: &str| piece(name).ok_or_else(|| BadIndex::Missing(name.to_string()));
        let head: Head = parse(&read(HEAD)?)?;
        let mut words = Vec::new();
        for k in 0..head.words.len() {
            let p: WordsPiece = parse(&read(&format!("words/{k}"))?)?;
            words.extend(p.words);
        }
        let mut postings = Vec::new();
        for k in 0..head.postings.len() {
            let p: PostingsPiece = parse(&read(&format!("postings/{k}"))?)?;
            postings.extend(p.postings);
        }
        let mut docs = Docs::default();
        for k in 0..head.count.div_ceil(head.cards.max(1)) {
            let p: CardsPiece = parse(&read(&format!("cards/{k}"))?)?;
            docs.title.extend(p.title);
            docs.sub.extend(p.sub);
            docs.snippet.extend(p.snippet);
            docs.url.extend(p.url);
        }
        docs.term = head
            .runs
            .iter()
            .flat_map(|&(term, n)| std::iter::repeat_n(term, n))
            .collect();
        let org: FacetPiece<i32> = parse(&read("facets/org")?)?;
        let skill: FacetPiece<Vec<u32>> = parse(&read("facets/skill")?)?;
        let mentor: FacetPiece<Vec<u32>> = parse(&read("facets/mentor")?)?;
        let difficulty: FacetPiece<i32> = parse(&read("facets/difficulty")?)?;
        let size: FacetPiece<i32> = parse(&read("facets/size")?)?;
        docs.org = org.docs.iter().map(|&o| o as u32).collect();
        docs.skills = skill.docs;
        docs.mentors = mentor.docs;
        docs.difficulty = difficulty.docs;
        docs.size = size.docs;
        Ok(Index {
            version: head.version,
            fold: head.fold,
            terms: head.terms,
            orgs: org.values,
            skills: skill.values,
            mentors: mentor.values,
            difficulties: difficulty.values,
            sizes: size.values,
            docs,
            words,
            postings,
        })
    }
}

/// A piece as the script the browser loads.
pub fn script(name: &str, json: &str) -> String {
    let name = serde_json::to_string(name).expect("a name serializes");
    format!("trellisSearchPiece({name},{json});\n")
}

/// The name and JSON of a piece's script: the inverse of [`script`].
pub fn unscript(text: &str) -> Option<(String, &str)> {
    let rest = text.strip_prefix("trellisSearchPiece(")?;
    let end = rest.find("\",")? + 1;
    let name: String = serde_json::from_str(&rest[..end]).ok()?;
    let json = rest[end + 1..].trim_end().strip_suffix(");")?;
    Some((name, json))
}

fn parse<T: DeserializeOwned>(json: &str) -> Result<T, BadIndex> {
    serde_json::from_str(json).map_err(BadIndex::Json)
}

fn single(values: &[String], docs: impl Iterator<Item = i32>) -> FacetPiece<i32> {
    FacetPiece {
        values: values.to_vec(),
        docs: docs.collect(),
    }
}

/// Consecutive ranges of `items` whose weights add up to about `budget` each; an
/// item heavier than the budget is a range of its own.
fn ranges<T>(
    items: &[T],
    budget: usize,
    weight: impl Fn(&T) -> usize,
) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut sum) = (0, 0);
    for (i, item) in items.iter().enumerate() {
        let w = weight(item);
        if sum > 0 && sum + w > budget {
            out.push(start..i);
            (start, sum) = (i, 0);
        }
        sum += w;
    }
    if start < items.len() {
        out.push(start..items.len());
    }
    out
}

/// The term of each document as `(term, how many)` runs: documents come term by term.
fn runs(terms: &[u32]) -> Vec<(u32, usize)> {
    let mut out: Vec<(u32, usize)> = Vec::new();
    for &t in terms {
        match out.last_mut() {
            Some((last, n)) if *last == t => *n += 1,
            _ => out.push((t, 1)),
        }
    }
    out
}

/// The phrase keys of every title with their documents: each pair of adjacent
/// title terms (`"rust sdk"`), and the whole title after `=` (`"=rust sdk socket"`).
pub fn phrase_keys(titles: &[String]) -> BTreeMap<String, Vec<u32>> {
    let mut keys: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (doc, title) in titles.iter().enumerate() {
        let terms = tokenize::terms(title);
        if terms.is_empty() {
            continue;
        }
        let mut add = |key: String| {
            let docs = keys.entry(key).or_default();
            if docs.last() != Some(&(doc as u32)) {
                docs.push(doc as u32);
            }
        };
        add(format!("={}", terms.join(" ")));
        for pair in terms.windows(2) {
            add(format!("{} {}", pair[0], pair[1]));
        }
    }
    keys
}

fn to_json<T: Serialize>(piece: &T) -> String {
    serde_json::to_string(piece).expect("a piece serializes: strings, numbers and lists")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_fill_to_the_budget_and_keep_heavy_items_alone() {
        let items = [3, 3, 3, 10, 1, 1];
        let got = ranges(&items, 6, |&w| w);
        assert_eq!(got, [0..2, 2..3, 3..4, 4..6]);
        assert!(ranges::<u32>(&[], 6, |&w| w as usize).is_empty());
    }

    #[test]
    fn runs_count_documents_term_by_term() {
        assert_eq!(runs(&[0, 0, 1, 1, 1, 0]), [(0, 2), (1, 3), (0, 1)]);
    }

    #[test]
    fn phrase_keys_are_adjacent_pairs_and_whole_titles() {
        let keys = phrase_keys(&["Rust SDK sockets".into(), "The Rust SDK".into()]);
        let names: Vec<&str> = keys.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            ["=rust sdk", "=rust sdk socket", "rust sdk", "sdk socket"]
        );
        assert_eq!(keys["rust sdk"], [0, 1]);
    }

    #[test]
    fn a_script_gives_back_its_name_and_json() {
        let text = script("words/3", "{\"a\":\"x\\\",\"}");
        assert_eq!(
            unscript(&text),
            Some(("words/3".to_string(), "{\"a\":\"x\\\",\"}"))
        );
        assert_eq!(unscript("alert(1)"), None);
    }
}
