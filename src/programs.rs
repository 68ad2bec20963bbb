//! Which program and which period a file belongs to, read from where it lies
//! in the repository. Foundations do not write "program" and "term" into their
//! files: they put them in the path (`lfx-mentorship/2023/02-Jun-Aug/README.md`,
//! `summerofcode/2023.md`, `ideas/2024.md`). These are pure functions of the
//! path (relative to the content directory, `/`-separated) and of the
//! `[programs]` table of `trellis.toml`.
//!
//! The order of authority is: the file's front matter (applied by the caller),
//! then the `[programs]` table (the longest folder or file path that names the
//! file), then the well-known folder and file names below.

use std::collections::BTreeMap;

use crate::config::ProgramSettings;

/// Folder and file-name words that name a program, with the program's name.
/// Matched against a path segment with `-`, `_` and spaces removed.
const WELL_KNOWN: &[(&str, &str)] = &[
    ("lfxmentorship", "LFX Mentorship"),
    ("communitybridge", "LFX Mentorship"),
    ("lfx", "LFX Mentorship"),
    ("googlesummerofcode", "Google Summer of Code"),
    ("summerofcode", "Google Summer of Code"),
    ("gsoc", "Google Summer of Code"),
    ("googleseasonofdocs", "Google Season of Docs"),
    ("seasonofdocs", "Google Season of Docs"),
    ("gsod", "Google Season of Docs"),
    ("outreachy", "Outreachy"),
];

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Words that say what a file holds within its term, not which term.
const ROLE_WORDS: &[&str] = &[
    "selected",
    "accepted",
    "ideas",
    "idea",
    "proposals",
    "proposal",
    "projects",
    "project",
];

const SEASONS: [&str; 5] = ["spring", "summer", "fall", "autumn", "winter"];

/// Words a period's name may carry besides the period itself ("ideas-2024",
/// "lfx-2023-term1", "2020-projects").
const FILLER: &[&str] = &[
    "ideas",
    "idea",
    "project",
    "projects",
    "proposals",
    "mentorship",
    "program",
    "programme",
    "cohort",
    "round",
];

/// A program as the path (or the configuration) names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramRef {
    pub name: String,
    /// The `[programs]` key that named it, for its settings (`apply_url`).
    pub key: Option<String>,
}

/// A period within a program: a year, a part of a year, or both.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Period {
    pub year: Option<u32>,
    /// "Term 2 (Jun–Aug)", "Q3–Q4", "Spring".
    pub part: Option<String>,
    /// The part's order within the year, for sorting (term number, quarter, month).
    pub order: u32,
}

impl Period {
    /// "2023 · Term 2 (Jun–Aug)", "2023", "Term 1".
    pub fn label(&self) -> String {
        match (self.year, &self.part) {
            (Some(y), Some(p)) => format!("{y} · {p}"),
            (Some(y), None) => y.to_string(),
            (None, Some(p)) => p.clone(),
            (None, None) => String::new(),
        }
    }

    fn is_empty(&self) -> bool {
        self.year.is_none() && self.part.is_none()
    }

    /// `other`'s facts fill what this one lacks (a folder's year, a sub-folder's part).
    fn merge(&mut self, other: Period) {
        if other.year.is_some() {
            self.year = other.year;
        }
        if other.part.is_some() {
            self.part = other.part;
            self.order = other.order;
        }
    }
}

/// What a file's role is within the folder of its term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// `README.md`, `index.md`: the term's overview (status, timeline).
    Overview,
    /// `project_ideas.md`, `proposals.md`: the proposed ideas.
    Ideas,
    /// `selected_projects.md`, `accepted.md`: the ideas that were funded.
    Selected,
    /// A file named for the period itself (`2023.md`).
    Own,
    /// Anything else in a term's folder (an admin guide, a results table).
    Other,
}

/// Everything a path says about a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathFacts {
    pub program: Option<ProgramRef>,
    pub period: Period,
    /// The term the file would belong to: its period folder (`a/2023/02-Jun-Aug`)
    /// or, for a file named for its period, the file without `.md` (`a/2023`).
    /// `None` when no segment of the path names a period.
    pub term_key: Option<String>,
    pub role: Role,
}

/// Reads `rel` (relative to the content directory, `/`-separated).
pub fn facts(rel: &str, programs: &BTreeMap<String, ProgramSettings>) -> PathFacts {
    let stem_path = rel.strip_suffix(".md").unwrap_or(rel);
    let segments: Vec<&str> = stem_path.split('/').filter(|s| !s.is_empty()).collect();
    let (folders, file) = match segments.split_last() {
        Some((file, folders)) => (folders, *file),
        None => (&[][..], ""),
    };
    let mut period = Period::default();
    let mut term_key = None;
    for (i, folder) in folders.iter().enumerate() {
        if let Some(p) = period_of(folder) {
            period.merge(p);
            term_key = Some(folders[..=i].join("/"));
        }
    }
    // A file named for its period is a term of its own; with a role word too
    // (`lfx-2020-q3q4-selected.md`), it joins the term of the same period.
    let mut role = role_of(file);
    let words = words_of(file);
    let core: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| !ROLE_WORDS.contains(w))
        .collect();
    if let Some(p) = (!core.is_empty())
        .then(|| period_of(&core.join("-")))
        .flatten()
    {
        period.merge(p);
        if core.len() == words.len() {
            term_key = Some(stem_path.to_string());
            role = Role::Own;
        } else {
            let mut key: Vec<&str> = folders.to_vec();
            let core = core.join("-");
            key.push(&core);
            term_key = Some(key.join("/"));
        }
    }
    PathFacts {
        program: program_of(&segments, programs),
        period,
        term_key,
        role,
    }
}

/// The `[programs]` entry naming the longest leading part of the path, else a
/// well-known name in any segment (the nearest to the file wins), else the
/// entry for the whole content directory (`""`).
fn program_of(
    segments: &[&str],
    programs: &BTreeMap<String, ProgramSettings>,
) -> Option<ProgramRef> {
    for n in (1..=segments.len()).rev() {
        let prefix = segments[..n].join("/");
        for key in [prefix.clone(), format!("{prefix}.md")] {
            if let Some(settings) = programs.get(&key) {
                return Some(ProgramRef {
                    name: settings.name.clone(),
                    key: Some(key),
                });
            }
        }
    }
    let well_known = segments.iter().rev().find_map(|segment| {
        let squashed: String = segment
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        let words = words_of(segment);
        WELL_KNOWN
            .iter()
            .find(|(word, _)| squashed.starts_with(word) || words.iter().any(|w| w == word))
            .map(|(_, name)| ProgramRef {
                name: (*name).to_string(),
                key: None,
            })
    });
    // The whole content directory's program (`[programs.""]`) is the fallback.
    well_known.or_else(|| {
        ["", "."].iter().find_map(|key| {
            programs.get(*key).map(|settings| ProgramRef {
                name: settings.name.clone(),
                key: Some((*key).to_string()),
            })
        })
    })
}

fn role_of(file: &str) -> Role {
    let name = file.to_lowercase();
    if matches!(name.as_str(), "readme" | "index" | "_index") {
        Role::Overview
    } else if name.contains("select") || name.contains("accept") || name.contains("funded") {
        Role::Selected
    } else if name.contains("idea") || name.contains("proposal") || name == "projects" {
        Role::Ideas
    } else {
        Role::Other
    }
}

fn words_of(segment: &str) -> Vec<String> {
    segment
        .split(['-', '_', ' ', '.'])
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The period a path segment names, when all of its words are period words
/// (a year, an ordinal, months, a season, `qN`, `termN`), filler or a program.
pub fn period_of(segment: &str) -> Option<Period> {
    let words = words_of(segment);
    let mut period = Period::default();
    let mut ordinal: Option<u32> = None;
    let mut months: Vec<usize> = Vec::new();
    let mut quarters: Vec<u32> = Vec::new();
    let mut season: Option<&str> = None;
    let mut term: Option<u32> = None;
    let mut unknown = false;
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        if let Ok(n) = w.parse::<u32>() {
            if w.len() == 4 && (1990..2200).contains(&n) {
                period.year = Some(n);
            } else if (1..=12).contains(&n) && w.len() <= 2 {
                ordinal = Some(n);
            } else {
                return None;
            }
        } else if let Some(n) = w.strip_prefix("term").and_then(|n| {
            if n.is_empty() {
                // "term-1": the number is the next word.
                words
                    .get(i + 1)
                    .and_then(|next| next.parse::<u32>().ok())
                    .inspect(|_| i += 1)
            } else {
                n.parse::<u32>().ok()
            }
        }) {
            term = Some(n);
        } else if let Some(qs) = w.strip_prefix('q').and_then(|rest| {
            // `q1`, and `q3q4` written as one word.
            rest.split('q')
                .map(|n| n.parse::<u32>().ok().filter(|q| (1..=4).contains(q)))
                .collect::<Option<Vec<u32>>>()
        }) {
            quarters.extend(qs);
        } else if let Some(m) = month_of(w) {
            months.push(m);
        } else if let Some(s) = SEASONS.iter().find(|s| **s == w) {
            season = Some(s);
        } else if FILLER.contains(&w) || is_program_word(w) {
        } else {
            // Another word (an organization: `keptn-gsoc-2022`) is allowed
            // beside a year, never alone.
            unknown = true;
        }
        i += 1;
    }
    if unknown && period.year.is_none() {
        return None;
    }
    let number = term.or(ordinal);
    let detail = if let (Some(first), Some(last)) = (months.first(), months.last()) {
        Some(if first == last {
            MONTHS[*first].to_string()
        } else {
            format!("{}–{}", MONTHS[*first], MONTHS[*last])
        })
    } else {
        season.map(capitalized)
    };
    period.part = match (number, detail, quarters.as_slice()) {
        (Some(n), Some(d), _) => Some(format!("Term {n} ({d})")),
        (Some(n), None, _) => Some(format!("Term {n}")),
        (None, Some(d), _) => Some(d),
        (None, None, [q]) => Some(format!("Q{q}")),
        (None, None, [first, .., last]) => Some(format!("Q{first}–Q{last}")),
        (None, None, []) => None,
    };
    period.order = number
        .map(|n| n * 4)
        .or(quarters.first().map(|q| q * 3))
        .or(months.first().map(|m| *m as u32 + 1))
        .or(season.map(|s| match s {
            "spring" => 3,
            "summer" => 6,
            "fall" | "autumn" => 9,
            _ => 12,
        }))
        .unwrap_or(0);
    (!period.is_empty()).then_some(period)
}

fn is_program_word(w: &str) -> bool {
    WELL_KNOWN.iter().any(|(word, _)| *word == w)
}

fn month_of(w: &str) -> Option<usize> {
    if w.len() < 3 {
        return None;
    }
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    FULL.iter()
        .position(|m| m.starts_with(w) || (w == "sept" && *m == "september"))
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The title of a term: its program and its period ("LFX Mentorship 2023 ·
/// Term 1 (Mar–May)"), or `None` when the path and settings do not give both.
pub fn term_title(program: Option<&str>, period: &Period) -> Option<String> {
    let label = period.label();
    match program {
        Some(p) if !label.is_empty() => Some(format!("{p} {label}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_table() -> BTreeMap<String, ProgramSettings> {
        BTreeMap::new()
    }

    #[test]
    fn lfx_term_folder_gives_program_period_and_folder() {
        let f = facts("lfx-mentorship/2023/02-Jun-Aug/README.md", &no_table());
        assert_eq!(f.program.unwrap().name, "LFX Mentorship");
        assert_eq!(f.period.label(), "2023 · Term 2 (Jun–Aug)");
        assert_eq!(
            f.term_key.as_deref(),
            Some("lfx-mentorship/2023/02-Jun-Aug")
        );
        assert_eq!(f.role, Role::Overview);
        let ideas = facts(
            "lfx-mentorship/2023/02-Jun-Aug/project_ideas.md",
            &no_table(),
        );
        assert_eq!(ideas.term_key, f.term_key);
        assert_eq!(ideas.role, Role::Ideas);
        let selected = facts(
            "lfx-mentorship/2020/q3-q4/selected_projects.md",
            &no_table(),
        );
        assert_eq!(selected.role, Role::Selected);
        assert_eq!(selected.period.label(), "2020 · Q3–Q4");
    }

    #[test]
    fn period_names_foundations_use() {
        let label = |s: &str| period_of(s).map(|p| p.label());
        assert_eq!(label("01-Mar-May").as_deref(), Some("Term 1 (Mar–May)"));
        assert_eq!(label("02-Summer").as_deref(), Some("Term 2 (Summer)"));
        assert_eq!(label("03-Sept-Nov").as_deref(), Some("Term 3 (Sep–Nov)"));
        assert_eq!(label("q1").as_deref(), Some("Q1"));
        assert_eq!(label("q3-q4").as_deref(), Some("Q3–Q4"));
        assert_eq!(label("term1").as_deref(), Some("Term 1"));
        assert_eq!(label("spring").as_deref(), Some("Spring"));
        assert_eq!(label("2026-term-1").as_deref(), Some("2026 · Term 1"));
        assert_eq!(label("gsoc-2024").as_deref(), Some("2024"));
        assert_eq!(label("keptn-gsoc-2022").as_deref(), Some("2022"));
        assert_eq!(label("lfx-mentorship"), None);
        assert_eq!(label("previous-years"), None);
        assert_eq!(label("README"), None);
        assert_eq!(label("automation"), None);
    }

    #[test]
    fn per_year_file_is_a_term_of_its_own() {
        let f = facts("summerofcode/2023.md", &no_table());
        assert_eq!(f.program.unwrap().name, "Google Summer of Code");
        assert_eq!(f.term_key.as_deref(), Some("summerofcode/2023"));
        assert_eq!(f.role, Role::Own);
        let archive = facts(
            "archive/seasonofdocs/previous-years/2021/README.md",
            &no_table(),
        );
        assert_eq!(archive.program.unwrap().name, "Google Season of Docs");
        assert_eq!(archive.period.label(), "2021");
    }

    #[test]
    fn flat_files_of_one_period_share_a_term() {
        let own = facts("lfx-2020-q3q4.md", &no_table());
        let selected = facts("lfx-2020-q3q4-selected.md", &no_table());
        let ideas = facts("lfx-2020-q3q4-ideas.md", &no_table());
        assert_eq!(own.term_key.as_deref(), Some("lfx-2020-q3q4"));
        assert_eq!(own.role, Role::Own);
        assert_eq!(selected.term_key, own.term_key);
        assert_eq!(selected.role, Role::Selected);
        assert_eq!(ideas.term_key, own.term_key);
        assert_eq!(ideas.role, Role::Ideas);
        assert_eq!(own.period.label(), "2020 · Q3–Q4");
        assert_eq!(facts("project_ideas.md", &no_table()).term_key, None);
    }

    #[test]
    fn files_without_a_period_are_no_term() {
        let f = facts("lfx-mentorship/README.md", &no_table());
        assert_eq!(f.term_key, None);
        assert_eq!(f.program.unwrap().name, "LFX Mentorship");
        assert_eq!(facts("guides/applying.md", &no_table()).program, None);
    }

    #[test]
    fn programs_table_wins_over_well_known_names() {
        let mut table = BTreeMap::new();
        table.insert(
            "ideas".to_string(),
            ProgramSettings {
                name: "Example GSoC".into(),
                apply_url: None,
            },
        );
        let f = facts("ideas/2024.md", &table);
        assert_eq!(f.program.as_ref().unwrap().name, "Example GSoC");
        assert_eq!(f.program.unwrap().key.as_deref(), Some("ideas"));
        assert_eq!(f.term_key.as_deref(), Some("ideas/2024"));
    }

    #[test]
    fn titles_name_program_and_period() {
        let p = period_of("2023").unwrap();
        assert_eq!(
            term_title(Some("Google Summer of Code"), &p).as_deref(),
            Some("Google Summer of Code 2023")
        );
        assert_eq!(term_title(None, &p), None);
    }
}
