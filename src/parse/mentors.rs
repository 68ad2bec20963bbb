//! The mentors sub-parser: every way a term file names a mentor, to {name, github, email, url}.
//!
//! Seen in real files: `Name (@handle, email)`, `Name(@handle)`, `[Name](https://github.com/handle) (email)`,
//! one mentor per sub-bullet, and lists joined by `;`, `,`, `and`, or nothing
//! at all between one mentor's closing parenthesis and the next name.

use crate::model::Mentor;

use super::caseless;
use crate::util::plain::{collapse_spaces, plain_text};

pub fn parse_mentors(markdown: &str) -> Vec<Mentor> {
    let mut mentors: Vec<Mentor> = Vec::new();
    for entry in markdown
        .lines()
        .flat_map(|l| split_entries(strip_bullet(l)))
    {
        let Some(mentor) = parse_one(&entry) else {
            continue;
        };
        // A piece with only contact details ("Jane Doe, jane@x.org") belongs to the mentor before it.
        match mentors.last_mut() {
            Some(prev) if mentor.name.is_empty() => {
                prev.github = prev.github.take().or(mentor.github);
                prev.email = prev.email.take().or(mentor.email);
                prev.url = prev.url.take().or(mentor.url);
            }
            _ => mentors.push(mentor),
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
    mentors
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
        } else if depth == 0 && (rest.starts_with(" and ") || rest.starts_with(" & ")) {
            entries.push(std::mem::take(&mut current));
            i += if rest.starts_with(" and ") { 4 } else { 2 };
        } else if c == ')' && depth == 0 && next_starts_name(&chars[i + 1..]) {
            // "Name (@a, a@x) Other Name (@b)": no separator after the parenthesis.
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
        } else if rest.starts_with('(') {
            // An unclosed parenthesis runs to the end of the entry.
            let (inner, end) = match matching(rest, '(', ')') {
                Some(end) => (&rest[1..end - 1], end),
                None => (&rest[1..], rest.len()),
            };
            for token in inner
                .split([',', ';', '|'])
                .map(str::trim)
                .filter(|t| !t.is_empty())
            {
                if !classify_token(token, &mut mentor) {
                    notes.push(plain_text(token));
                }
            }
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

fn classify_link(text: &str, url: &str, mentor: &mut Mentor, name: &mut String) {
    let text_plain = plain_text(text);
    if !classify_token(&text_plain, mentor) {
        name.push(' ');
        name.push_str(&text_plain);
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
}
