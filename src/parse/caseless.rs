//! Case-insensitive matching of ASCII words (labels, lead-ins, separators) that
//! returns slices of the original text.
//!
//! Lowercasing a string and then slicing the original at offsets found in the
//! lowercase copy is wrong: `İ` and `K` (Kelvin) lowercase to text of another byte
//! length, so the offsets drift and the slice can fall inside a character, which
//! panics. Comparing ASCII bytes in place cannot drift.

/// `s` without `prefix` (ASCII, any case), or `None`.
pub fn strip_prefix<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.as_bytes().get(..prefix.len())?;
    // A match ends after an ASCII byte, so it ends on a character boundary.
    (prefix.is_ascii() && head.eq_ignore_ascii_case(prefix.as_bytes())).then(|| &s[prefix.len()..])
}

/// `s` without `suffix` (ASCII, any case), or `None`.
pub fn strip_suffix<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let start = s.len().checked_sub(suffix.len())?;
    let tail = &s.as_bytes()[start..];
    // A match is all ASCII, so it starts on a character boundary.
    (suffix.is_ascii() && tail.eq_ignore_ascii_case(suffix.as_bytes())).then(|| &s[..start])
}

/// Byte offsets of every non-overlapping occurrence of `needle` (ASCII, any case) in `s`.
pub fn match_indices(s: &str, needle: &str) -> Vec<usize> {
    let (hay, pat) = (s.as_bytes(), needle.as_bytes());
    let mut found = Vec::new();
    if pat.is_empty() || !needle.is_ascii() {
        return found;
    }
    let mut i = 0;
    while i + pat.len() <= hay.len() {
        if hay[i..i + pat.len()].eq_ignore_ascii_case(pat) {
            found.push(i);
            i += pat.len();
        } else {
            i += 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_any_ascii_case() {
        assert_eq!(strip_prefix("Knowledge of Go", "knowledge of"), Some(" Go"));
        assert_eq!(strip_suffix("Rust SKILLS", " skills"), Some("Rust"));
        assert_eq!(match_indices("Go AND Rust and C", " and "), vec![2, 11]);
    }

    #[test]
    fn characters_that_change_length_when_lowercased_never_split() {
        // 'K' (Kelvin, 3 bytes) lowercases to 'k' (1 byte); 'İ' (2 bytes) to "i̇" (3 bytes).
        assert_eq!(strip_suffix("Rust s\u{212a}ill", " skill"), None);
        assert_eq!(strip_prefix("\u{212a}nowledge of Go", "knowledge of"), None);
        assert_eq!(match_indices("İİ and İ", " and "), vec![4]);
        assert_eq!(strip_prefix("é", "e"), None);
        assert_eq!(strip_suffix("x", "longer"), None);
    }
}
