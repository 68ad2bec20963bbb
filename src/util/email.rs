//! E-mail addresses kept off the published site as plain text. Mentors write
//! their addresses into proposals for mentees, not for harvesters: a mentor card
//! shows an address reversed and hex-encoded, revealed by the theme's script on
//! click, and every other place an address turns up (a mistyped label, a note, a
//! feed, the search index, `ideas.json`) gets the same treatment or the spoken
//! form `jane at example dot org`.

use std::borrow::Cow;

/// Whether `text` is one whole address of the plain kind mentor lists use.
pub fn is_email(text: &str) -> bool {
    find(text).first() == Some(&(0, text.len()))
}

/// The address reversed and hex-encoded: no `@`, no dots, nothing a harvester matches.
pub fn encode(email: &str) -> String {
    email.bytes().rev().map(|b| format!("{b:02x}")).collect()
}

/// `jo.doe@example.org` → `jo.doe at example dot org`, for readers without scripts.
pub fn spoken(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => format!("{local} at {}", domain.replace('.', " dot ")),
        None => email.to_string(),
    }
}

/// The byte ranges of the addresses in `text`: a local part of letters, digits
/// and `._%+-`, an `@`, and a domain of two or more labels ending in letters
/// (`pkg@1.2.3` and `@handle` are not addresses).
pub fn find(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut after = 0;
    for at in memchr::memchr_iter(b'@', bytes) {
        if at < after {
            continue;
        }
        let local = |b: u8| b.is_ascii_alphanumeric() || b"._%+-".contains(&b);
        let mut start = at;
        while start > after && local(bytes[start - 1]) {
            start -= 1;
        }
        while start < at && bytes[start] == b'.' {
            start += 1;
        }
        let domain = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'.';
        let mut end = at + 1;
        while end < bytes.len() && domain(bytes[end]) {
            end += 1;
        }
        while end > at + 1 && matches!(bytes[end - 1], b'.' | b'-') {
            end -= 1;
        }
        let host = &text[at + 1..end];
        let labels: Vec<&str> = host.split('.').collect();
        let top = labels.last().copied().unwrap_or("");
        let valid = start < at
            && labels.len() >= 2
            && labels.iter().all(|l| !l.is_empty())
            && top.len() >= 2
            && top.bytes().all(|b| b.is_ascii_alphabetic());
        if valid {
            found.push((start, end));
            after = end;
        }
    }
    found
}

/// `text` with every address in its spoken form: for titles, summaries, feeds,
/// the search index and data files, where no markup can hold a reveal button.
pub fn speak_all(text: &str) -> Cow<'_, str> {
    let found = find(text);
    if found.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16 * found.len());
    let mut last = 0;
    for (start, end) in found {
        out.push_str(&text[last..start]);
        out.push_str(&spoken(&text[start..end]));
        last = end;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

/// The markup mentor cards use for an address, for the theme's script to reveal
/// (`static/trellis.js`): `inline` for one inside running text.
pub fn reveal_html(email: &str, inline: bool) -> String {
    let class = if inline {
        "email email-inline"
    } else {
        "email"
    };
    format!(
        "<span class=\"{class}\" data-email=\"{}\"><span class=\"email-text\">{}</span>\
         <button type=\"button\" class=\"email-reveal\">Show email</button></span>",
        encode(email),
        spoken(email)
    )
}

/// Sanitized HTML (as ammonia writes it: quoted attributes, `<` and `>` escaped
/// in text) with every address hidden: in text, the reveal markup of
/// [`reveal_html`], except inside a link, where a button may not go, and in
/// attribute values, which get the spoken form.
pub fn obfuscate_html(html: &str) -> Cow<'_, str> {
    if find(html).is_empty() {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + 128);
    let mut links = 0usize;
    let mut rest = html;
    while !rest.is_empty() {
        let (text, tail) = rest.split_at(rest.find('<').unwrap_or(rest.len()));
        let mut last = 0;
        for (start, end) in find(text) {
            out.push_str(&text[last..start]);
            let email = &text[start..end];
            if links > 0 {
                out.push_str(&spoken(email));
            } else {
                out.push_str(&reveal_html(email, true));
            }
            last = end;
        }
        out.push_str(&text[last..]);
        if tail.is_empty() {
            break;
        }
        let tag_end = tag_length(tail);
        let tag = &tail[..tag_end];
        if tag.starts_with("<a ") || tag == "<a>" {
            links += 1;
        } else if tag == "</a>" {
            links = links.saturating_sub(1);
        }
        out.push_str(&speak_all(tag));
        rest = &tail[tag_end..];
    }
    Cow::Owned(out)
}

/// The length of the tag `html` starts with, through its `>`: a `>` inside a
/// quoted attribute value does not end it.
fn tag_length(html: &str) -> usize {
    let mut quoted = false;
    for (i, b) in html.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'>' if !quoted => return i + 1,
            _ => {}
        }
    }
    html.len()
}

/// The bytes of a site file with any address still in them spoken, the last
/// guard before a file is written. Pages hide addresses where they render them;
/// this catches what comes from elsewhere (a title, a feed entry, a search
/// document). The `ideas.json` export (its index and its per-term parts,
/// `ideas/<term>.json`) keeps its addresses when the site exports them.
pub fn guard<'d>(file: &str, data: &'d [u8], export_emails: bool) -> Cow<'d, [u8]> {
    let export = file == "ideas.json" || (file.starts_with("ideas/") && file.ends_with(".json"));
    if export_emails && export {
        return Cow::Borrowed(data);
    }
    if memchr::memchr(b'@', data).is_none() {
        return Cow::Borrowed(data);
    }
    match std::str::from_utf8(data) {
        Ok(text) => match speak_all(text) {
            Cow::Borrowed(_) => Cow::Borrowed(data),
            Cow::Owned(spoken) => Cow::Owned(spoken.into_bytes()),
        },
        // Images and fonts hold no addresses meant for a reader.
        Err(_) => Cow::Borrowed(data),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn emails(text: &str) -> Vec<&str> {
        find(text).into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn addresses_are_found_and_lookalikes_are_not() {
        assert_eq!(
            emails("Jane (@jane, jane.doe+x@mail.example.org). Or <bo@ex-ample.io>."),
            ["jane.doe+x@mail.example.org", "bo@ex-ample.io"]
        );
        assert!(emails("@handle, pkg@1.2.3, a@b, x@.org, @@, a@b.c").is_empty());
        assert!(is_email("jo+x@ex-ample.org"));
        assert!(!is_email("jo@\"<x>\".org"));
        assert!(!is_email("nobody"));
    }

    #[test]
    fn email_is_encoded_and_spoken() {
        assert_eq!(encode("a@b.c"), "632e624061");
        assert_eq!(spoken("jo.doe@example.org"), "jo.doe at example dot org");
        assert_eq!(
            speak_all("write to jo@example.org."),
            "write to jo at example dot org."
        );
    }

    #[test]
    fn html_text_gets_the_reveal_button_links_and_attributes_the_spoken_form() {
        let html = "<p>Mail jo@example.org or <a title=\"a>b\" href=\"https://x.org/?to=jo@example.org\">jo@example.org</a></p>";
        let out = obfuscate_html(html);
        assert!(find(&out).is_empty(), "{out}");
        assert_eq!(
            out,
            format!(
                "<p>Mail {} or <a title=\"a>b\" href=\"https://x.org/?to=jo at example dot org\">jo at example dot org</a></p>",
                reveal_html("jo@example.org", true)
            )
        );
    }

    #[test]
    fn the_guard_leaves_exported_addresses_in_ideas_json_only() {
        let data = b"{\"email\": \"jo@example.org\"}";
        assert_eq!(&*guard("ideas.json", data, true), data);
        assert_eq!(
            &*guard("ideas.json", data, false),
            b"{\"email\": \"jo at example dot org\"}"
        );
        assert_eq!(
            &*guard("atom.xml", data, true),
            b"{\"email\": \"jo at example dot org\"}"
        );
    }
}
