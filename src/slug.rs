//! Slugs: URL-safe, lowercase, hyphenated names for pages, and the one rule
//! that keeps the slugs of one listing apart.

use std::collections::HashSet;

/// Longest slug segment; long titles are cut at a hyphen so URLs stay shareable.
const MAX_LEN: usize = 80;

/// `"Add telemetry & pprof (CAPG)"` → `"add-telemetry-pprof-capg"`; non-Latin
/// scripts are transliterated, and nothing but `[a-z0-9-]` survives, so a slug
/// can never climb out of its directory.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if c == '+' {
            slug.push_str("plus");
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let mut slug = slug.trim_end_matches('-').to_string();
    if slug.len() > MAX_LEN {
        let cut = slug[..MAX_LEN].rfind('-').unwrap_or(MAX_LEN);
        slug.truncate(cut);
    }
    slug
}

/// Unique slugs for `bases`, in their order: the first of each base keeps it,
/// and a repeat gets `-2`, `-3`, … — the first such name that neither another
/// base nor an earlier repeat holds. So an idea titled "Same 2" keeps
/// `same-2` although an earlier "Same" repeats, and that repeat becomes `same-3`.
pub fn unique<S: AsRef<str>>(bases: &[S]) -> Vec<String> {
    let taken: HashSet<&str> = bases.iter().map(AsRef::as_ref).collect();
    let mut suffixed: HashSet<String> = HashSet::new();
    let mut first: HashSet<&str> = HashSet::new();
    bases
        .iter()
        .map(|base| {
            let base = base.as_ref();
            if first.insert(base) {
                return base.to_string();
            }
            let mut n = 2;
            loop {
                let slug = format!("{base}-{n}");
                if !taken.contains(slug.as_str()) && suffixed.insert(slug.clone()) {
                    return slug;
                }
                n += 1;
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_get_the_first_free_suffix() {
        assert_eq!(
            unique(&["same", "same", "same-2"]),
            ["same", "same-3", "same-2"]
        );
        assert_eq!(unique(&["a", "a", "a", "b"]), ["a", "a-2", "a-3", "b"]);
        assert_eq!(unique(&["x-2", "x", "x"]), ["x-2", "x", "x-3"]);
    }

    #[test]
    fn slugs_are_safe_and_readable() {
        assert_eq!(
            slugify("Add telemetry & pprof (CAPG)"),
            "add-telemetry-pprof-capg"
        );
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("Giedrius Statkevičius"), "giedrius-statkevicius");
        assert_eq!(slugify("C++ SDK"), "cplusplus-sdk");
        assert_eq!(slugify("…"), "");
    }
}
