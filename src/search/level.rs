//! Difficulty levels in a student's words: "beginner", "easy" and "entry level"
//! all ask for the same ideas, whatever word the mentor wrote in the Difficulty
//! field. The index files each idea under every word of the levels its difficulty
//! names, so a query needs no table of its own and the browser none either.

/// The levels, easiest first, each with the words that name it. A difficulty
/// text names a level when one of its tokens is one of these words.
const LEVELS: [&[&str]; 3] = [
    &[
        "beginner",
        "beginners",
        "easy",
        "basic",
        "entry",
        "starter",
        "newcomer",
        "novice",
        "junior",
        "simple",
    ],
    &["intermediate", "medium", "moderate", "mid"],
    &[
        "advanced",
        "hard",
        "difficult",
        "expert",
        "senior",
        "challenging",
        "complex",
    ],
];

/// Every word of every level `difficulty` names ("Easy to medium" → the words of
/// the first two levels), joined by spaces; empty when it names none.
pub fn level_words(difficulty: &str) -> String {
    let tokens = super::tokenize::tokens(difficulty);
    LEVELS
        .iter()
        .filter(|words| tokens.iter().any(|t| words.contains(&t.as_str())))
        .flat_map(|words| words.iter().copied())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_level_brings_all_its_words() {
        let words = level_words("Beginner");
        assert!(
            words.contains("easy") && words.contains("newcomer"),
            "{words}"
        );
        assert!(!words.contains("hard"));
    }

    #[test]
    fn a_range_brings_both_levels() {
        let words = level_words("Easy/Medium");
        assert!(words.contains("beginner") && words.contains("intermediate"));
        assert!(!words.contains("advanced"));
    }

    #[test]
    fn unknown_difficulty_names_no_level() {
        assert_eq!(level_words("175 hours"), "");
    }
}
