//! Slugs: URL-safe, lowercase, hyphenated names for pages.

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

#[cfg(test)]
mod tests {
    use super::*;

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
