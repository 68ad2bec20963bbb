//! Difficulty and size as facets: "Medium/High" → `medium-hard`, "175 or 350 hours" →
//! 175–350 hours, `medium-large`.
//!
//! Authors write both in every way ("Intermediate", "Rating: hard", "350 hours
//! (large)", a `## small (90 hours)` section); search facets need one vocabulary.
//! The text as written stays on the idea; these functions only add the normalized form.

use crate::model::HoursRange;

/// The three difficulty levels, in order.
const DIFFICULTY: [&str; 3] = ["easy", "medium", "hard"];

/// The three GSoC sizes, in order.
const SIZE: [&str; 3] = ["small", "medium", "large"];

fn difficulty_word(word: &str) -> Option<usize> {
    Some(match word {
        "beginner" | "beginners" | "easy" | "low" | "basic" | "entry" | "starter" | "simple"
        | "newcomer" | "novice" => 0,
        "medium" | "intermediate" | "moderate" | "mid" | "average" | "normal" => 1,
        "hard" | "advanced" | "high" | "difficult" | "expert" | "challenging" | "complex" => 2,
        _ => return None,
    })
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// A range of indexes into a scale, as `low` or `low-high`.
fn range_name(scale: &[&str; 3], found: &[usize]) -> Option<String> {
    let (low, high) = (*found.iter().min()?, *found.iter().max()?);
    Some(if low == high {
        scale[low].to_string()
    } else {
        format!("{}-{}", scale[low], scale[high])
    })
}

/// `easy`, `medium`, `hard`, or a range of them, from a difficulty as written.
pub fn difficulty_level(text: &str) -> Option<String> {
    let found: Vec<usize> = words(text).filter_map(|w| difficulty_word(&w)).collect();
    range_name(&DIFFICULTY, &found)
}

/// The hours and the size class a size names, each when it can be read.
pub fn size_of(text: &str) -> (Option<String>, Option<HoursRange>) {
    let hours = hours(text);
    let mut found: Vec<usize> = words(text)
        .filter_map(|w| match w.as_str() {
            "small" | "short" => Some(0),
            "medium" | "moderate" => Some(1),
            "large" | "long" | "big" => Some(2),
            _ => None,
        })
        .collect();
    if found.is_empty() {
        if let Some(h) = hours {
            found = vec![class_of_hours(h.min), class_of_hours(h.max)];
        }
    }
    (range_name(&SIZE, &found), hours)
}

/// GSoC's sizes are 90, 175 and 350 hours; anything between rounds to the nearer.
fn class_of_hours(hours: u32) -> usize {
    match hours {
        0..=130 => 0,
        131..=260 => 1,
        _ => 2,
    }
}

/// Figures in a text that speaks of hours ("175 or 350 hours", "90h", "175-350 hrs").
fn hours(text: &str) -> Option<HoursRange> {
    let lower = text.to_lowercase();
    let mut figures: Vec<(u32, &str)> = Vec::new();
    let mut rest = lower.as_str();
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let run = &rest[start..];
        let end = run.find(|c: char| !c.is_ascii_digit()).unwrap_or(run.len());
        if let Ok(n) = run[..end].parse::<u32>() {
            figures.push((n, &run[end..]));
        }
        rest = &run[end..];
    }
    // A size that is only figures ("90", "175/350") counts hours: that is what sizes are in.
    let only_figures = lower
        .chars()
        .all(|c| c.is_ascii_digit() || c.is_whitespace() || matches!(c, '-' | '/' | '–' | ','))
        || lower
            .split_whitespace()
            .all(|w| w == "or" || w.chars().all(|c| c.is_ascii_digit()));
    let speaks_of_hours = lower.contains("hour") || lower.contains("hrs") || only_figures;
    let values: Vec<u32> = figures
        .iter()
        .filter(|(n, after)| {
            let unit = after.trim_start();
            (speaks_of_hours || unit.starts_with('h')) && (10..=1000).contains(n)
        })
        .map(|(n, _)| *n)
        .collect();
    Some(HoursRange {
        min: *values.iter().min()?,
        max: *values.iter().max()?,
    })
}

/// A heading that groups ideas by size (`## small (90 hours)`, `## Large projects`,
/// `## 350 hour projects`): the size it gives them.
pub fn size_section(title: &str) -> Option<String> {
    let ws: Vec<String> = words(title).collect();
    let filler = |w: &str| {
        matches!(
            w,
            "project"
                | "projects"
                | "idea"
                | "ideas"
                | "hours"
                | "hour"
                | "h"
                | "hrs"
                | "size"
                | "sized"
                | "gsoc"
                | "proposals"
        ) || w.chars().all(|c| c.is_ascii_digit())
    };
    let named = ws
        .iter()
        .any(|w| matches!(w.as_str(), "small" | "medium" | "large" | "short" | "long"));
    let only_size = ws.iter().all(|w| {
        filler(w) || matches!(w.as_str(), "small" | "medium" | "large" | "short" | "long")
    });
    let has_hours = hours(title).is_some();
    (only_size && (named || has_hours)).then(|| title.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn difficulty_words_and_ranges() {
        assert_eq!(difficulty_level("Intermediate").as_deref(), Some("medium"));
        assert_eq!(
            difficulty_level("Medium/High").as_deref(),
            Some("medium-hard")
        );
        assert_eq!(
            difficulty_level("Easy/Medium").as_deref(),
            Some("easy-medium")
        );
        assert_eq!(difficulty_level("Beginner").as_deref(), Some("easy"));
        assert_eq!(difficulty_level("**Hard**").as_deref(), Some("hard"));
        assert_eq!(difficulty_level("hardware"), None);
        assert_eq!(difficulty_level("???"), None);
    }

    #[test]
    fn sizes_in_hours_and_words() {
        let r = |min, max| Some(HoursRange { min, max });
        assert_eq!(
            size_of("350 hours (large)"),
            (Some("large".into()), r(350, 350))
        );
        assert_eq!(
            size_of("175 or 350 hours, depending on the scope"),
            (Some("medium-large".into()), r(175, 350))
        );
        assert_eq!(size_of("90h"), (Some("small".into()), r(90, 90)));
        assert_eq!(size_of("Medium"), (Some("medium".into()), None));
        assert_eq!(size_of("N hours"), (None, None));
        assert_eq!(size_of("90"), (Some("small".into()), r(90, 90)));
    }

    #[test]
    fn size_sections() {
        assert!(size_section("small (90 hours)").is_some());
        assert!(size_section("Large").is_some());
        assert!(size_section("350 hour projects").is_some());
        assert!(size_section("Medium sized projects").is_some());
        assert!(size_section("Data science").is_none());
        assert!(size_section("2024").is_none());
    }
}
