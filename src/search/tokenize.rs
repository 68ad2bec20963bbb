//! Text to search tokens: folded to ASCII, lowercased, split, and lightly stemmed.
//!
//! `static/search.js` has a twin of every function here (`fold`, `tokens`, `stem`,
//! `STOP`); the index only works if both sides turn the same text into the same
//! tokens, so a change here is a change there, and the unit tests below pin the
//! behaviour both must have.

use std::collections::BTreeMap;

/// Words that carry no meaning on their own. They are left out of the index, and a
/// query never requires them, so "rust for the web" is not emptied by "for" and "the".
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "into",
    "is", "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "will",
    "with",
];

pub fn is_stop_word(token: &str) -> bool {
    STOP_WORDS.contains(&token)
}

/// The ASCII spelling of one character, before lowercasing. Characters that have
/// none (emoji, private use) become a separator.
pub fn fold_char(c: char) -> &'static str {
    if c.is_ascii() {
        // Never reached for ASCII: callers keep ASCII characters as they are.
        return "";
    }
    deunicode::deunicode_char(c).unwrap_or(" ")
}

/// Every non-ASCII character of `text` with its folded spelling, for the table the
/// browser folds queries with (JavaScript has no transliteration table of its own).
pub fn collect_folds(text: &str, into: &mut BTreeMap<char, String>) {
    for c in text.chars().filter(|c| !c.is_ascii()) {
        into.entry(c).or_insert_with(|| fold_char(c).to_string());
    }
}

/// A URL segment for `text` by the rules of `crate::slug::slugify`, folding with the
/// index's table as `static/search.js` does, so that the browser can derive most
/// idea URLs instead of reading them. Where the two ever disagree, the index keeps
/// the URL itself, so a difference costs bytes, never a broken link.
pub fn slug(text: &str, folds: &BTreeMap<char, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut push = |c: char| {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if c == '+' {
            out.push_str("plus");
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    };
    for c in text.chars() {
        if c.is_ascii() {
            push(c);
        } else {
            folds
                .get(&c)
                .map_or(" ", String::as_str)
                .chars()
                .for_each(&mut push);
        }
    }
    let mut slug = out.trim_end_matches('-').to_string();
    if slug.len() > SLUG_MAX {
        let cut = slug[..SLUG_MAX].rfind('-').unwrap_or(SLUG_MAX);
        slug.truncate(cut);
    }
    slug
}

/// As `crate::slug`'s longest segment.
const SLUG_MAX: usize = 80;

/// Whether `c` is written without spaces between words: Han ideographs, kana and
/// Hangul. Text in these scripts is indexed as overlapping character pairs
/// (bigrams), as search engines do, since no word boundary can be read from it.
/// Only Basic Multilingual Plane ranges, so that a term's characters count the
/// same in Rust and in JavaScript's UTF-16 strings, and sort the same in both.
pub fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x11FF | 0x3040..=0x30FF | 0x3130..=0x318F | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}

/// The tokens of `text`, in order, folded and lowercased but not stemmed.
///
/// A token is a run of ASCII letters and digits; `+` and `#` right after a run stay
/// on it when nothing alphanumeric follows them, so "C++" and "C#" remain searchable.
/// A run of [`is_cjk`] characters gives each pair of neighbours ("北京大学" → "北京",
/// "京大", "大学"), or the character itself when it stands alone.
pub fn tokens(text: &str) -> Vec<String> {
    let mut folded = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            folded.push(c.to_ascii_lowercase());
        } else if is_cjk(c) {
            folded.push(c);
        } else {
            folded.extend(fold_char(c).chars().map(|c| c.to_ascii_lowercase()));
        }
    }
    let bytes = folded.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii() {
            // Folding left no other non-ASCII character than those of `is_cjk`.
            let run: Vec<char> = folded[i..].chars().take_while(|&c| is_cjk(c)).collect();
            i += run.iter().map(|c| c.len_utf8()).sum::<usize>().max(1);
            match run.len() {
                0 => {}
                1 => out.push(run[0].to_string()),
                _ => out.extend(run.windows(2).map(|w| w.iter().collect::<String>())),
            }
            continue;
        }
        if !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let mut end = i;
        while end < bytes.len() && matches!(bytes[end], b'+' | b'#') {
            end += 1;
        }
        if end > i && !bytes.get(end).is_some_and(u8::is_ascii_alphanumeric) {
            i = end;
        }
        out.push(folded[start..i].to_string());
    }
    out
}

/// A light English stemmer: plurals, `-ing`, `-ed` and a final `e`, so "schedule",
/// "schedules" and "scheduling" meet, and "kubernets" meets "Kubernetes". It is
/// deliberately weaker than Porter's: it never merges words a mentee would tell
/// apart ("scheduler" stays itself), and it is short enough to mirror in JavaScript.
pub fn stem(word: &str) -> String {
    if word.len() < 4 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word.to_string();
    }
    let mut w = word.to_string();
    if w.ends_with("ies") && !w.ends_with("eies") && !w.ends_with("aies") {
        w.truncate(w.len() - 3);
        w.push('y');
    } else if w.ends_with('s') && !["us", "ss"].iter().any(|e| w.ends_with(e)) {
        w.pop();
    }
    for suffix in ["ing", "ed"] {
        if let Some(rest) = w.strip_suffix(suffix) {
            if rest.len() >= 3 && rest.bytes().any(is_vowel) {
                w.truncate(rest.len());
                undouble(&mut w);
                break;
            }
        }
    }
    if w.len() >= 4 && w.ends_with('e') {
        w.pop();
    }
    w
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y')
}

/// "running" → "runn" → "run"; "install" and "pass" keep their double letter.
fn undouble(w: &mut String) {
    let b = w.as_bytes();
    let n = b.len();
    if n >= 4 && b[n - 1] == b[n - 2] && !is_vowel(b[n - 1]) && !b"lsz".contains(&b[n - 1]) {
        w.pop();
    }
}

/// The index terms of `text`: tokens without stop words, stemmed.
pub fn terms(text: &str) -> Vec<String> {
    tokens(text)
        .into_iter()
        .filter(|t| !is_stop_word(t))
        .map(|t| stem(&t))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_lowercase_ascii_words() {
        assert_eq!(
            tokens("Kubectl plugin: why a Pod is PENDING?"),
            ["kubectl", "plugin", "why", "a", "pod", "is", "pending"]
        );
    }

    #[test]
    fn accents_and_other_scripts_fold_to_ascii() {
        assert_eq!(
            tokens("Tomasz Wójcik, José Núñez"),
            ["tomasz", "wojcik", "jose", "nunez"]
        );
        assert_eq!(tokens("Straße Ærø"), ["strasse", "aero"]);
    }

    #[test]
    fn cjk_text_becomes_character_pairs() {
        assert_eq!(tokens("北京大学"), ["北京", "京大", "大学"]);
        assert_eq!(tokens("Rust编程 与 Go"), ["rust", "编程", "与", "go"]);
        assert_eq!(tokens("クラウド"), ["クラ", "ラウ", "ウド"]);
        assert_eq!(terms("分布式"), ["分布", "布式"]);
    }

    #[test]
    fn plus_and_hash_stay_on_language_names() {
        assert_eq!(tokens("C++, C# and F#"), ["c++", "c#", "and", "f#"]);
        assert_eq!(tokens("a+b"), ["a", "b"]);
        assert_eq!(tokens("node.js k8s"), ["node", "js", "k8s"]);
    }

    #[test]
    fn plurals_meet_their_singular() {
        for (a, b) in [
            ("metrics", "metric"),
            ("policies", "policy"),
            ("databases", "database"),
            ("boxes", "box"),
            ("processes", "process"),
            ("apis", "api"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} / {b}");
        }
    }

    #[test]
    fn verb_forms_meet_their_base() {
        for (a, b) in [
            ("scheduling", "schedule"),
            ("profiling", "profile"),
            ("running", "run"),
            ("logging", "log"),
            ("tested", "test"),
            ("planned", "plan"),
            ("installed", "install"),
            ("processing", "process"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} / {b}");
        }
    }

    #[test]
    fn stemming_leaves_distinct_words_apart() {
        assert_eq!(stem("string"), "string");
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("class"), "class");
        assert_ne!(stem("scheduler"), stem("schedule"));
        assert_eq!(stem("k8s"), "k8s");
        assert_eq!(stem("go"), "go");
    }

    #[test]
    fn kubernetes_misspelt_without_e_stems_alike() {
        assert_eq!(stem("kubernets"), stem("kubernetes"));
        assert_eq!(stem("kubernetes"), "kubernet");
    }

    #[test]
    fn slug_agrees_with_the_site_slugs() {
        let mut folds = BTreeMap::new();
        for title in [
            "Add telemetry & pprof (CAPG)",
            "Giedrius Statkevičius",
            "C++ bindings for Núñez's „parser“",
            &"very long title ".repeat(12),
        ] {
            collect_folds(title, &mut folds);
            assert_eq!(slug(title, &folds), crate::slug::slugify(title), "{title}");
        }
    }

    #[test]
    fn terms_drop_stop_words() {
        assert_eq!(terms("Rust for the Web"), ["rust", "web"]);
    }

    #[test]
    fn folds_record_every_non_ascii_character() {
        let mut folds = BTreeMap::new();
        collect_folds("Núñez ß", &mut folds);
        assert_eq!(folds.get(&'ú').map(String::as_str), Some("u"));
        assert_eq!(folds.get(&'ß').map(String::as_str), Some("ss"));
        assert_eq!(folds.len(), 3);
    }
}
