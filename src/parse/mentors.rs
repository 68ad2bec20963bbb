//! The mentors sub-parser: every way a term file names a mentor, to {name, github, email, url}.
//!
//! Seen in real files: `Name (@handle, email)`, `Name(@handle)`, `[Name](https://github.com/handle) (email)`,
//! one mentor per sub-bullet, and lists joined by `;`, `,`, `and`, or nothing
//! at all between one mentor's closing parenthesis and the next name.

use crate::model::Mentor;

use super::caseless;
use crate::util::plain::{collapse_spaces, plain_text};

pub fn parse_mentors(markdown: &str) -> Vec<Mentor> {
    read_mentors(markdown).0
}

/// The mentors of a Mentor(s) field, and the entries that name no person ("TBD",
/// "Almost any committer"), kept as written so the page can still show them.
pub fn read_mentors(markdown: &str) -> (Vec<Mentor>, Vec<String>) {
    let text = normalize(&strip_comments(markdown));
    let mut mentors: Vec<Mentor> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for line in text.lines() {
        let (line_role, line) = leading_role(strip_bullet(line));
        let entries = split_entries(line);
        let mut i = 0;
        while i < entries.len() {
            let entry = &entries[i];
            i += 1;
            let (role, entry_text) = trailing_role(entry);
            let Some(mut mentor) = parse_one(entry_text) else {
                continue;
            };
            mentor.role = role.or_else(|| line_role.clone());
            // "Jane Doe, janedoe, jane@x.org": a lone word between a name and an email is a handle.
            if let (Some(prev), Some(next)) = (mentors.last_mut(), entries.get(i)) {
                if is_bare_handle(&mentor) && prev.github.is_none() && is_email(next.trim()) {
                    prev.github = Some(mentor.name.clone());
                    continue;
                }
            }
            // A piece with only contact details ("Jane Doe, jane@x.org") belongs to the mentor before it.
            match mentors.last_mut() {
                // … unless it names a second handle: "@jane, @jroe" are two mentors.
                Some(prev)
                    if mentor.name.is_empty()
                        && !(prev.github.is_some() && mentor.github.is_some()) =>
                {
                    prev.github = prev.github.take().or(mentor.github);
                    prev.email = prev.email.take().or(mentor.email);
                    prev.url = prev.url.take().or(mentor.url);
                }
                _ if is_no_person(&mentor) => notes.push(plain_text(entry)),
                _ => mentors.push(mentor),
            }
        }
    }
    for m in &mut mentors {
        if m.name.is_empty() {
            m.name = m
                .github
                .clone()
                .or_else(|| m.email.clone())
                .unwrap_or_default();
        }
    }
    mentors.retain(|m| !m.name.is_empty());
    (mentors, notes)
}

/// Full-width punctuation (common in files written with a CJK input method) reads as ASCII.
pub fn normalize(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '：' => ':',
            '，' => ',',
            '；' => ';',
            '＠' => '@',
            '、' => ',',
            _ => c,
        })
        .collect()
}

/// `<!-- … -->` comments are instructions for the author, never a mentor.
fn strip_comments(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find("<!--") {
        out.push_str(&rest[..open]);
        match rest[open..].find("-->") {
            Some(close) => rest = &rest[open + close + 3..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// Words that say what part a mentor plays rather than who they are.
const ROLES: &[&str] = &[
    "primary mentor",
    "secondary mentor",
    "lead mentor",
    "main mentor",
    "co-mentor",
    "comentor",
    "primary",
    "secondary",
    "lead",
    "main",
    "mentor",
];

fn role_of(word: &str) -> Option<String> {
    let w = word
        .trim()
        .trim_matches(|c: char| matches!(c, '*' | '_' | ':' | '-' | '–' | '(' | ')' | ' '))
        .to_lowercase();
    ROLES
        .iter()
        .any(|r| *r == w)
        .then(|| w.trim_end_matches(" mentor").to_string())
}

/// "Primary Mentor: Jane (@jane)", "Secondary - John": the role, and the rest of the line.
fn leading_role(line: &str) -> (Option<String>, &str) {
    for sep in [':', '-', '–'] {
        if let Some((head, rest)) = line.split_once(sep) {
            if let Some(role) = role_of(head).filter(|r| r != "mentor") {
                return (Some(role), rest.trim());
            }
        }
    }
    (None, line)
}

/// "Jane (@jane) - primary", "Jane (@jane) (secondary)": the role, and the entry without it.
fn trailing_role(entry: &str) -> (Option<String>, &str) {
    let t = entry.trim_end();
    if t.ends_with(')') {
        if let Some(open) = t.rfind('(') {
            if let Some(role) = role_of(&t[open..]).filter(|r| r != "mentor") {
                return (Some(role), t[..open].trim_end());
            }
        }
    }
    for sep in [" - ", " – ", ", "] {
        if let Some((head, tail)) = t.rsplit_once(sep) {
            if let Some(role) = role_of(tail).filter(|r| r != "mentor") {
                return (Some(role), head);
            }
        }
    }
    (None, t)
}

/// A piece that is one word and no contact: a handle written without `@`.
fn is_bare_handle(m: &Mentor) -> bool {
    m.github.is_none()
        && m.email.is_none()
        && m.url.is_none()
        && m.note.is_none()
        && !m.name.contains(' ')
        && is_handle(&m.name)
}

/// Entries that stand for no one in particular: a placeholder or an invitation.
fn is_no_person(m: &Mentor) -> bool {
    if m.github.is_some() || m.email.is_some() || m.url.is_some() {
        return false;
    }
    let name = m.name.to_lowercase();
    const WORDS: &[&str] = &[
        "tbd",
        "tba",
        "n/a",
        "none",
        "unknown",
        "any",
        "anyone",
        "anybody",
        "someone",
        "yourself",
        "you",
        "committer",
        "committers",
        "maintainer",
        "maintainers",
        "volunteer",
        "volunteers",
        "team",
        "here",
        "name",
        "mentors",
        "determined",
        "later",
        "github",
        "link",
        "...",
        "?",
    ];
    let words: Vec<&str> = name
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | '.'))
        .filter(|w| !w.is_empty())
        .collect();
    // A lowercase phrase with no contact is a fragment of prose ("package it for …").
    let prose = m.name.starts_with(|c: char| c.is_lowercase()) && words.len() > 1;
    words.is_empty()
        || prose
        || words.len() > 5
        || words.iter().any(|w| WORDS.contains(w))
        || name == "?"
        || name.chars().all(|c| !c.is_alphabetic())
}

fn strip_bullet(line: &str) -> &str {
    let t = line.trim();
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = t.strip_prefix(marker) {
            return rest;
        }
    }
    // Numbered sub-lists: "1. Name".
    match t.split_once(". ") {
        Some((n, rest)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => rest,
        _ => t,
    }
}

/// Splits a line into one string per mentor, outside parentheses and brackets.
fn split_entries(line: &str) -> Vec<String> {
    let line = caseless::strip_prefix(line, "either ").unwrap_or(line);
    let mut entries = Vec::new();
    let mut current = String::new();
    let mut depth = 0i32;
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '(' | '[' | '<' => depth += 1,
            ')' | ']' | '>' => depth = (depth - 1).max(0),
            _ => {}
        }
        let rest: String = chars[i..].iter().take(5).collect::<String>().to_lowercase();
        if depth == 0 && (c == ';' || c == ',' || c == '/' && chars.get(i + 1) == Some(&' ')) {
            entries.push(std::mem::take(&mut current));
        } else if depth == 0
            && (rest.starts_with(" and ") || rest.starts_with(" & ") || rest.starts_with(" or "))
        {
            entries.push(std::mem::take(&mut current));
            i += if rest.starts_with(" and ") {
                4
            } else if rest.starts_with(" or ") {
                3
            } else {
                2
            };
        } else if depth == 0
            && c == '.'
            && ends_contact(&current)
            && next_starts_name(&chars[i + 1..])
        {
            // "Jane (@jane). John (@john)": a full stop after a mentor's contact.
            entries.push(std::mem::take(&mut current));
        } else if c == ')'
            && depth == 0
            && next_starts_name(&chars[i + 1..])
            && current
                .rfind('(')
                .is_some_and(|open| current[open..].contains(['@', '/', '.']))
        {
            // "Name (@a, a@x) Other Name (@b)": no separator after a parenthesis of
            // contacts ("Fisher(Fei) Xu" is one name).
            current.push(c);
            entries.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
        i += 1;
    }
    entries.push(current);
    entries
        .into_iter()
        .map(|e| e.trim().to_string())
        .filter(|e| !e.is_empty())
        .collect()
}

/// Whether an entry so far ends with a contact (a parenthesis, a link, a handle).
fn ends_contact(entry: &str) -> bool {
    let t = entry.trim_end();
    t.ends_with(')')
        || t.ends_with(']')
        || t.ends_with('>')
        || t.rsplit(' ').next().is_some_and(|w| w.starts_with('@'))
}

fn next_starts_name(rest: &[char]) -> bool {
    let mut it = rest.iter().skip_while(|c| **c == ' ');
    rest.first() == Some(&' ') && it.next().is_some_and(|c| c.is_uppercase() || *c == '[')
}

fn parse_one(entry: &str) -> Option<Mentor> {
    let mut mentor = Mentor::default();
    let mut name_parts = String::new();
    let mut notes = Vec::new();
    let mut rest = entry;
    while !rest.is_empty() {
        if let Some((text, url, after)) = markdown_link(rest) {
            classify_link(&text, &url, &mut mentor, &mut name_parts);
            rest = after;
        } else if let Some((text, after)) = reference_link(rest) {
            let text_plain = plain_text(&text);
            if !classify_token(&text_plain, &mut mentor) {
                name_parts.push(' ');
                name_parts.push_str(&text_plain);
            }
            rest = after;
        } else if rest.starts_with('(') {
            // An unclosed parenthesis runs to the end of the entry.
            let (inner, end) = match matching(rest, '(', ')') {
                Some(end) => (&rest[1..end - 1], end),
                None => (&rest[1..], rest.len()),
            };
            classify_group(inner, &mut mentor, &mut notes);
            rest = &rest[end..];
        } else if rest.starts_with('<') {
            let (inner, end) = match rest.find('>') {
                Some(close) => (&rest[1..close], close + 1),
                None => (&rest[1..], rest.len()),
            };
            classify_token(inner.trim(), &mut mentor);
            rest = &rest[end..];
        } else {
            let end =
                rest.find(['(', '[', '<', ' '])
                    .map_or(rest.len(), |i| if i == 0 { 1 } else { i });
            let word = &rest[..end];
            if !classify_token(word.trim(), &mut mentor) {
                name_parts.push_str(word);
            }
            rest = &rest[end..];
        }
    }
    mentor.name = clean_name(&plain_text(&name_parts));
    if !notes.is_empty() {
        mentor.note = Some(notes.join(", "));
    }
    (mentor != Mentor::default()).then_some(mentor)
}

/// The inside of `( … )` after a name: handles, emails, `github: x` pairs, or a remark.
fn classify_group(inner: &str, mentor: &mut Mentor, notes: &mut Vec<String>) {
    let tokens: Vec<&str> = inner
        .split([',', ';', '|'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect();
    // With an email or a labelled contact beside it, a bare word is the GitHub handle.
    let has_contact = tokens.iter().any(|t| {
        t.split_whitespace().any(is_email)
            || t.contains(':')
            || t.split_whitespace().any(|w| w.starts_with('@'))
    });
    for token in tokens {
        // "@[handle](https://github.com/handle)": the `@` outside the link.
        let token = token
            .strip_prefix('@')
            .filter(|t| t.starts_with('['))
            .unwrap_or(token);
        if let Some((text, url, _)) = markdown_link(token) {
            classify_link(&text, &url, mentor, &mut String::new());
            continue;
        }
        if let Some((key, value)) = token.split_once(':') {
            let key = key.trim().to_lowercase();
            let value = value.trim().trim_start_matches('@');
            match key.as_str() {
                "github" | "gh" | "github handle" | "github id" => {
                    if !classify_token(value, mentor) && is_handle(value) {
                        mentor.github.get_or_insert_with(|| value.to_string());
                    }
                    continue;
                }
                "email" | "e-mail" | "mail" => {
                    classify_token(value, mentor);
                    continue;
                }
                _ if !key.starts_with("http") => {
                    notes.push(plain_text(token));
                    continue;
                }
                _ => {}
            }
        }
        // "@jane email jane@x.org": contacts apart, with the words that name them.
        let parts: Vec<&str> = token
            .split_whitespace()
            .filter(|p| {
                !matches!(
                    p.trim_end_matches(':').to_lowercase().as_str(),
                    "email" | "e-mail" | "mail" | "github" | "gh"
                )
            })
            .collect();
        // Several words, each a contact: all of them, or none (it is a remark).
        let words = token.split_whitespace().count();
        if !parts.is_empty() && (words > 1 || parts.len() < words) {
            let mut scratch = mentor.clone();
            if parts.iter().all(|p| classify_token(p, &mut scratch)) {
                *mentor = scratch;
                continue;
            }
        }
        if classify_token(token, mentor) {
            continue;
        }
        if has_contact && mentor.github.is_none() && is_handle(token) {
            mentor.github = Some(token.to_string());
            continue;
        }
        notes.push(plain_text(token));
    }
}

/// `[text][]`, `[text][ref]` or a bare `[text]` at the start of `s`: its text and what follows.
fn reference_link(s: &str) -> Option<(String, &str)> {
    if !s.starts_with('[') {
        return None;
    }
    let close = matching(s, '[', ']')?;
    let mut after = &s[close..];
    if after.starts_with('[') {
        after = &after[matching(after, '[', ']')?..];
    }
    Some((s[1..close - 1].to_string(), after))
}

/// `[text](url)` at the start of `s`: its text, url and what follows.
fn markdown_link(s: &str) -> Option<(String, String, &str)> {
    if !s.starts_with('[') {
        return None;
    }
    let close = matching(s, '[', ']')?;
    let after = &s[close..];
    if !after.starts_with('(') {
        return None;
    }
    let end = matching(after, '(', ')')?;
    Some((
        s[1..close - 1].to_string(),
        after[1..end - 1].trim().to_string(),
        &after[end..],
    ))
}

/// The longest bracketed run taken as one link or remark. Real ones are a name and
/// a URL; without a bound, a line of thousands of unclosed `[` would be rescanned
/// to its end from each of them, which is quadratic.
const MAX_BRACKETED: usize = 1024;

/// Index just past the bracket closing the one `s` starts with, if within [`MAX_BRACKETED`].
fn matching(s: &str, open: char, close: char) -> Option<usize> {
    let mut depth = 0;
    for (i, c) in s.char_indices().take_while(|(i, _)| *i < MAX_BRACKETED) {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return Some(i + c.len_utf8());
            }
        }
    }
    None
}

/// A link's text and target. When both name a GitHub handle and disagree, the
/// target wins (it is where the link goes), unless it is a cut-short form of the
/// text (`[@ryantm](https://github.com/ryan)`), a typo in the URL.
fn classify_link(text: &str, url: &str, mentor: &mut Mentor, name: &mut String) {
    let text_plain = plain_text(text);
    let had = mentor.github.clone();
    if !classify_token(&text_plain, mentor) {
        name.push(' ');
        name.push_str(&text_plain);
    }
    let from_text = mentor.github.clone().filter(|_| had.is_none());
    if let (Some(from_text), Some(from_url)) = (&from_text, github_handle(url)) {
        let cut_short = from_text
            .to_lowercase()
            .starts_with(&from_url.to_lowercase());
        if !cut_short && from_text != &from_url {
            mentor.github = Some(from_url);
        }
        return;
    }
    classify_token(url, mentor);
}

/// Files a handle, email or URL into the mentor; false for anything else.
fn classify_token(token: &str, mentor: &mut Mentor) -> bool {
    let token = token
        .trim()
        .trim_matches(|c: char| matches!(c, '*' | '_' | '`' | ',' | ';' | '.' | ':'));
    if token.is_empty() {
        return false;
    }
    let lower = token.to_lowercase();
    if let Some(email) = lower.strip_prefix("mailto:") {
        mentor.email.get_or_insert_with(|| email.to_string());
        return true;
    }
    if lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("github.com/")
    {
        match github_handle(token) {
            Some(handle) => {
                mentor.github.get_or_insert(handle);
            }
            None => {
                mentor.url.get_or_insert_with(|| token.to_string());
            }
        }
        return true;
    }
    if let Some(handle) = token.strip_prefix('@') {
        if is_handle(handle) {
            mentor.github.get_or_insert_with(|| handle.to_string());
            return true;
        }
    }
    if is_email(token) {
        mentor.email.get_or_insert_with(|| token.to_string());
        return true;
    }
    false
}

/// The user of a `github.com/<user>` profile URL (not of a repository or issue).
pub fn github_handle(url: &str) -> Option<String> {
    let rest = url.split_once("github.com/")?.1;
    let handle = rest.trim_end_matches('/');
    (is_handle(handle)).then(|| handle.to_string())
}

fn is_handle(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 39
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn is_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((user, domain)) => {
            !user.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

fn clean_name(s: &str) -> String {
    let s = collapse_spaces(s);
    let s = s.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '-' | '–' | ':' | '|' | ',' | '*' | '_' | '.')
    });
    for prefix in ["github:", "email:", "e-mail:"] {
        if let Some(name) = caseless::strip_suffix(s, prefix) {
            return clean_name(name);
        }
    }
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(name: &str, github: Option<&str>, email: Option<&str>) -> Mentor {
        Mentor {
            name: name.into(),
            github: github.map(Into::into),
            email: email.map(Into::into),
            ..Mentor::default()
        }
    }

    #[test]
    fn name_handle_email() {
        assert_eq!(
            parse_mentors("Bill Mulligan (@xmulligan, bill@isovalent.com) "),
            vec![m(
                "Bill Mulligan",
                Some("xmulligan"),
                Some("bill@isovalent.com")
            )]
        );
    }

    #[test]
    fn semicolon_and_comma_lists() {
        let got = parse_mentors("Natalie Arellano (@natalieparellano, narellano@vmware.com); Joe Kimmel (@joe-kimmel-vmw, jkimmel@vmware.com)");
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[1],
            m(
                "Joe Kimmel",
                Some("joe-kimmel-vmw"),
                Some("jkimmel@vmware.com")
            )
        );
        let got = parse_mentors("Carlos Panato (@cpanato), Richard Case (@richardcase)");
        assert_eq!(
            got,
            vec![
                m("Carlos Panato", Some("cpanato"), None),
                m("Richard Case", Some("richardcase"), None)
            ]
        );
    }

    #[test]
    fn mentor_with_markdown_link_keeps_email() {
        let got = parse_mentors(
            "[Manan Gupta](https://github.com/GuptaManan100) (manan@planetscale.com)",
        );
        assert_eq!(
            got,
            vec![m(
                "Manan Gupta",
                Some("GuptaManan100"),
                Some("manan@planetscale.com")
            )]
        );
    }

    #[test]
    fn no_separator_between_mentors() {
        let got = parse_mentors("Qiao Zhongpei (@chivalryq, chivalry.pp@gmail.com) Zeng Qingguo (@barnettZQG, barnett.zqg@gmail.com)");
        assert_eq!(
            got.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(),
            vec!["Qiao Zhongpei", "Zeng Qingguo"]
        );
    }

    #[test]
    fn no_space_before_parenthesis() {
        assert_eq!(
            parse_mentors("Da Yin(@Somefive, yd219913@alibaba-inc.com)"),
            vec![m(
                "Da Yin",
                Some("Somefive"),
                Some("yd219913@alibaba-inc.com")
            )]
        );
    }

    #[test]
    fn sub_bullets_one_per_mentor() {
        let got = parse_mentors("\n- Antonin Bas (@antoninbas, antonin.bas@gmail.com)\n- Hang Yan (@hangyan, hang.yan@hotmail.com)");
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].github.as_deref(), Some("hangyan"));
    }

    #[test]
    fn remark_is_a_note_and_and_separates() {
        let got = parse_mentors("Peter Portante, Tushar Katarki and Miguel Pérez Colino (backup)");
        assert_eq!(got.len(), 3);
        assert_eq!(got[2].name, "Miguel Pérez Colino");
        assert_eq!(got[2].note.as_deref(), Some("backup"));
    }

    #[test]
    fn contact_after_comma_joins_previous_mentor() {
        assert_eq!(
            parse_mentors("Jane Doe, jane@example.org"),
            vec![m("Jane Doe", None, Some("jane@example.org"))]
        );
    }

    fn handles(markdown: &str) -> Vec<(String, Option<String>)> {
        parse_mentors(markdown)
            .into_iter()
            .map(|m| (m.name, m.github))
            .collect()
    }

    fn pair(name: &str, github: &str) -> (String, Option<String>) {
        (name.to_string(), Some(github.to_string()))
    }

    #[test]
    fn handle_without_at_beside_an_email() {
        assert_eq!(
            parse_mentors("Jane Doe (janedoe, jane@example.org)"),
            vec![m("Jane Doe", Some("janedoe"), Some("jane@example.org"))]
        );
        assert_eq!(
            parse_mentors("Jane Doe, janedoe, jane@example.org; John Roe, jroe, john@example.org"),
            vec![
                m("Jane Doe", Some("janedoe"), Some("jane@example.org")),
                m("John Roe", Some("jroe"), Some("john@example.org"))
            ]
        );
    }

    #[test]
    fn labelled_contacts_in_parentheses() {
        assert_eq!(
            parse_mentors("Jane Doe (email: jane@example.org, github: janedoe)"),
            vec![m("Jane Doe", Some("janedoe"), Some("jane@example.org"))]
        );
    }

    #[test]
    fn handle_and_email_without_a_comma() {
        assert_eq!(
            parse_mentors("Jane Doe (@janedoe jane@example.org)"),
            vec![m("Jane Doe", Some("janedoe"), Some("jane@example.org"))]
        );
    }

    #[test]
    fn groups_separated_by_full_stop_and_or() {
        assert_eq!(
            handles("Jane Doe (@jane). John Roe (@jroe)"),
            vec![pair("Jane Doe", "jane"), pair("John Roe", "jroe")]
        );
        assert_eq!(
            handles("Either [Ann Lee](https://github.com/annlee) or [Bo Chen](https://github.com/bochen)"),
            vec![pair("Ann Lee", "annlee"), pair("Bo Chen", "bochen")]
        );
    }

    #[test]
    fn reference_links_and_link_text_handles() {
        assert_eq!(
            handles("[@janedoe][], [@jroe]"),
            vec![pair("janedoe", "janedoe"), pair("jroe", "jroe")]
        );
        // The handle the author wrote wins over a profile URL cut short…
        assert_eq!(
            handles("- [@ryantm](https://github.com/ryan)"),
            vec![pair("ryantm", "ryantm")]
        );
        // … but a link to another profile goes where it points.
        assert_eq!(
            handles("[@ZhiqiangZhou](https://github.com/strrl)"),
            vec![pair("strrl", "strrl")]
        );
        assert_eq!(
            handles("Fei Xu (@[fisherxu](https://github.com/fisherxu))"),
            vec![pair("Fei Xu", "fisherxu")]
        );
    }

    #[test]
    fn role_words_become_the_role() {
        let got = parse_mentors("- Jane Doe (@jane) - primary\n- John Roe (@jroe) (secondary)\n- Primary Mentor: Ann Lee (@annlee)");
        let roles: Vec<_> = got
            .iter()
            .map(|m| (m.name.as_str(), m.role.as_deref()))
            .collect();
        assert_eq!(
            roles,
            vec![
                ("Jane Doe", Some("primary")),
                ("John Roe", Some("secondary")),
                ("Ann Lee", Some("primary"))
            ]
        );
    }

    #[test]
    fn entries_that_are_no_person_stay_text() {
        let (mentors, notes) =
            read_mentors("Almost any committer; TBD\n- Add yourself here\n- Jane Doe (@jane)");
        assert_eq!(mentors, vec![m("Jane Doe", Some("jane"), None)]);
        assert_eq!(
            notes,
            vec!["Almost any committer", "TBD", "Add yourself here"]
        );
    }

    #[test]
    fn template_comment_is_never_a_mentor() {
        let (mentors, notes) = read_mentors("<!-- Name (@github, email) -->\nJane Doe (@jane)");
        assert_eq!(mentors, vec![m("Jane Doe", Some("jane"), None)]);
        assert!(notes.is_empty());
    }

    #[test]
    fn full_width_punctuation_reads_like_ascii() {
        assert_eq!(
            parse_mentors("张伟（@zhangwei，zw@example.org）"),
            vec![m("张伟", Some("zhangwei"), Some("zw@example.org"))]
        );
    }

    #[test]
    fn a_remark_inside_a_name_does_not_split_it() {
        assert_eq!(
            handles("Fisher(Fei) Xu (@[fisherxu](https://github.com/fisherxu))"),
            vec![pair("Fisher Xu", "fisherxu")]
        );
    }

    #[test]
    fn names_only_are_mentors_without_handles() {
        let got = parse_mentors("Thomas Schuetz, Scott Rigby (Weave/Flux)");
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].note.as_deref(), Some("Weave/Flux"));
    }
}
