//! The link check run at the end of every build: every internal `href` and `src`
//! of every page must name a file of the output, under the base path, so a site
//! deployed to a sub-path (GitHub Pages) has no broken link. Pure: it reads the
//! rendered HTML and the list of written files, not the disk.

use std::collections::BTreeSet;

/// The `href` and `src` values of a page that point inside the site (paths, not
/// `https:`, `mailto:` or in-page `#` links), entities decoded.
pub fn internal_links(html: &str) -> Vec<String> {
    let mut links = Vec::new();
    for attr in [" href=\"", " src=\"", "\nhref=\"", "\nsrc=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let Some(end) = rest.find('"') else { break };
            let value = decode_entities(&rest[..end]);
            if is_internal(&value) {
                links.push(value);
            }
            rest = &rest[end..];
        }
    }
    links
}

fn is_internal(url: &str) -> bool {
    let url = url.trim();
    !(url.is_empty()
        || url.starts_with('#')
        || url.starts_with("//")
        || url.contains("://")
        || url.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }))
}

/// Decodes the entities Tera and html5ever write into attribute values.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The output file an internal link of `page` resolves to, or why it cannot.
pub fn target_file(link: &str, page: &str, base: &str) -> Result<String, &'static str> {
    let path = link.split(['#', '?']).next().unwrap_or_default();
    let absolute = if path.starts_with('/') {
        match path.strip_prefix(base) {
            Some(rest) => rest.to_string(),
            None if path == base.trim_end_matches('/') => String::new(),
            None => return Err("it is outside the base path"),
        }
    } else {
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        if dir.is_empty() {
            path.to_string()
        } else {
            format!("{dir}/{path}")
        }
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in absolute.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err("it climbs above the site");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    Ok(if absolute.is_empty() || absolute.ends_with('/') {
        if joined.is_empty() {
            "index.html".into()
        } else {
            format!("{joined}/index.html")
        }
    } else {
        joined
    })
}

/// Every link of every page resolves to a written file; else an error naming
/// each broken link and its page (the first twenty).
pub fn check(
    pages: &[(String, Vec<String>)],
    files: &BTreeSet<String>,
    base: &str,
) -> Result<(), String> {
    let mut broken = Vec::new();
    let mut count = 0;
    for (page, links) in pages {
        for link in links {
            let problem = match target_file(link, page, base) {
                Ok(file)
                    if files.contains(&file) || files.contains(&format!("{file}/index.html")) =>
                {
                    continue
                }
                Ok(_) => "no such file in the site",
                Err(why) => why,
            };
            count += 1;
            if broken.len() < 20 {
                broken.push(format!("  {page}: '{link}': {problem}"));
            }
        }
    }
    if broken.is_empty() {
        return Ok(());
    }
    broken.sort();
    Err(format!(
        "{count} broken internal link{} (base path '{base}'):\n{}",
        if count == 1 { "" } else { "s" },
        broken.join("\n")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_internal_links_and_decodes_them() {
        let html = r##"<a href="&#x2F;b&#x2F;skills&#x2F;go&#x2F;">x</a> <a href="https://x.org">y</a> <img src="/b/logo.svg"> <a href="mailto:a@b"></a> <a href="#top"></a> <div data-href="/nope"></div>"##;
        assert_eq!(internal_links(html), vec!["/b/skills/go/", "/b/logo.svg"]);
    }

    #[test]
    fn resolves_links_under_the_base_path() {
        assert_eq!(
            target_file("/b/skills/go/", "x/index.html", "/b/").unwrap(),
            "skills/go/index.html"
        );
        assert_eq!(
            target_file("/b/", "x/index.html", "/b/").unwrap(),
            "index.html"
        );
        assert_eq!(
            target_file("/b/style.css?v=1", "index.html", "/b/").unwrap(),
            "style.css"
        );
        assert_eq!(
            target_file("../y/", "ideas/x/index.html", "/b/").unwrap(),
            "ideas/y/index.html"
        );
        assert!(target_file("/skills/go/", "index.html", "/b/").is_err());
        assert!(target_file("../../../x", "a/index.html", "/").is_err());
    }

    #[test]
    fn check_names_page_and_link() {
        let files = BTreeSet::from(["index.html".to_string()]);
        let pages = vec![(
            "index.html".to_string(),
            vec!["/missing/".to_string(), "/".to_string()],
        )];
        let err = check(&pages, &files, "/").unwrap_err();
        assert!(err.contains("index.html: '/missing/'"), "{err}");
        assert!(err.starts_with("1 broken internal link "), "{err}");
    }
}
