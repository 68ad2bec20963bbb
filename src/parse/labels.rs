//! Field labels: the many ways maintainers spell "Mentor(s)", mapped to one meaning.
//!
//! The table covers every spelling seen in real term files. Matching ignores case,
//! spacing and punctuation, so `Mentor(-s)`, `mentors(s)` and `MENTORS` agree.

use std::collections::HashMap;

use crate::model::FieldKind;

/// Built-in aliases, as written by authors; normalized with [`normalize_label`] before lookup.
const ALIASES: &[(&str, FieldKind)] = &[
    ("Description", FieldKind::Description),
    ("Detailed description", FieldKind::Description),
    ("Project description", FieldKind::Description),
    ("Program description", FieldKind::Description),
    ("Summary", FieldKind::Description),
    ("Abstract", FieldKind::Description),
    ("Project abstract", FieldKind::Description),
    ("Brief explanation", FieldKind::Description),
    ("Brief description of the project", FieldKind::Description),
    ("Idea summary", FieldKind::Description),
    ("Overview", FieldKind::Description),
    ("Project overview", FieldKind::Description),
    ("Project summary", FieldKind::Description),
    ("Idea description", FieldKind::Description),
    ("Brief description", FieldKind::Description),
    ("Short description", FieldKind::Description),
    ("Problem statement", FieldKind::Description),
    ("Expected Outcome", FieldKind::ExpectedOutcome),
    ("Expected Outcomes", FieldKind::ExpectedOutcome),
    ("Expected Result", FieldKind::ExpectedOutcome),
    ("Expected Results", FieldKind::ExpectedOutcome),
    ("Expected Deliverables", FieldKind::ExpectedOutcome),
    ("Deliverables", FieldKind::ExpectedOutcome),
    ("Outcome", FieldKind::ExpectedOutcome),
    ("Outcomes", FieldKind::ExpectedOutcome),
    ("Expected outcome(s)", FieldKind::ExpectedOutcome),
    (
        "Expected outcomes/benefits/deliverables",
        FieldKind::ExpectedOutcome,
    ),
    ("Expected benefits", FieldKind::ExpectedOutcome),
    ("Benefits", FieldKind::ExpectedOutcome),
    ("Potential deliverables", FieldKind::ExpectedOutcome),
    ("Potential scope/deliverables", FieldKind::ExpectedOutcome),
    ("Project deliverables", FieldKind::ExpectedOutcome),
    ("Goals", FieldKind::ExpectedOutcome),
    ("Project goals", FieldKind::ExpectedOutcome),
    (
        "Expected results and deliverables",
        FieldKind::ExpectedOutcome,
    ),
    ("Recommended Skills", FieldKind::Skills),
    ("Recommended Skill", FieldKind::Skills),
    ("Recommended Skill(s)", FieldKind::Skills),
    ("Recommend Skills", FieldKind::Skills),
    ("Required Skills", FieldKind::Skills),
    ("Required Skill", FieldKind::Skills),
    ("Skills", FieldKind::Skills),
    ("Skills Required", FieldKind::Skills),
    ("Prerequisites", FieldKind::Skills),
    ("Technologies", FieldKind::Skills),
    ("Skills required/preferred", FieldKind::Skills),
    ("Skills preferred", FieldKind::Skills),
    ("Preferred skills", FieldKind::Skills),
    ("Desired skills", FieldKind::Skills),
    ("Desirable skills", FieldKind::Skills),
    ("Skills needed", FieldKind::Skills),
    ("Required skills/knowledge", FieldKind::Skills),
    ("Required knowledge", FieldKind::Skills),
    ("Knowledge prerequisite", FieldKind::Skills),
    ("Knowledge prerequisites", FieldKind::Skills),
    ("Prerequisite knowledge", FieldKind::Skills),
    ("Required background", FieldKind::Skills),
    ("Programming languages", FieldKind::Skills),
    ("Skill required", FieldKind::Skills),
    ("Recommended knowledge", FieldKind::Skills),
    ("Helpful experience", FieldKind::Skills),
    ("Helpful skills", FieldKind::Skills),
    ("Involves", FieldKind::Skills),
    ("Areas to study", FieldKind::Skills),
    ("Areas to study/improve", FieldKind::Skills),
    ("Prerequisite", FieldKind::Skills),
    ("Requirements", FieldKind::Skills),
    ("Tech stack", FieldKind::Skills),
    ("Languages", FieldKind::Skills),
    ("Skills/Languages", FieldKind::Skills),
    ("Mentor(s)", FieldKind::Mentors),
    ("Mentors(s)", FieldKind::Mentors),
    ("Mentor(-s)", FieldKind::Mentors),
    ("Mentor", FieldKind::Mentors),
    ("Mentors", FieldKind::Mentors),
    ("Mentor Name", FieldKind::Mentors),
    ("Mentor Names", FieldKind::Mentors),
    ("Potential Mentors", FieldKind::Mentors),
    ("Possible Mentors", FieldKind::Mentors),
    ("Likely mentors", FieldKind::Mentors),
    ("Possible mentor", FieldKind::Mentors),
    ("Possible mentor(s)", FieldKind::Mentors),
    ("Potential mentor", FieldKind::Mentors),
    ("Potential mentor(s)", FieldKind::Mentors),
    ("Mentor(s)/Contact", FieldKind::Mentors),
    ("Mentor contact", FieldKind::Mentors),
    ("Co-mentors", FieldKind::Mentors),
    ("Confirmed mentors", FieldKind::Mentors),
    ("Upstream Issue", FieldKind::Issues),
    ("Upstream Issues", FieldKind::Issues),
    ("Upstream Issue (URL)", FieldKind::Issues),
    ("Upstream Issues (URL)", FieldKind::Issues),
    ("Upstream Issue(URL)", FieldKind::Issues),
    ("Upstream Issue (Project URL)", FieldKind::Issues),
    ("Issue", FieldKind::Issues),
    ("Issues", FieldKind::Issues),
    ("Issue(s)", FieldKind::Issues),
    ("Issue Link", FieldKind::Issues),
    ("GitHub Issue", FieldKind::Issues),
    ("Relevant Issues", FieldKind::Issues),
    ("Related Issues", FieldKind::Issues),
    ("More info", FieldKind::Issues),
    ("More information", FieldKind::Issues),
    ("Useful links", FieldKind::Issues),
    ("Related links", FieldKind::Issues),
    ("LFX URL", FieldKind::LfxUrl),
    ("LFX Link", FieldKind::LfxUrl),
    ("LFX Mentorship URL", FieldKind::LfxUrl),
    ("Community Bridge project (URL)", FieldKind::LfxUrl),
    ("Community Bridge URL", FieldKind::LfxUrl),
    ("Apply", FieldKind::LfxUrl),
    ("Difficulty", FieldKind::Difficulty),
    ("Difficulty rating", FieldKind::Difficulty),
    ("Difficulty level", FieldKind::Difficulty),
    ("Rating", FieldKind::Difficulty),
    ("Estimated difficulty", FieldKind::Difficulty),
    ("Expected difficulty", FieldKind::Difficulty),
    ("Difficulty & Requirements", FieldKind::Difficulty),
    ("Intensity", FieldKind::Difficulty),
    ("Skill level", FieldKind::Difficulty),
    ("Expected project size", FieldKind::Size),
    ("Expected size of the project", FieldKind::Size),
    ("Project size", FieldKind::Size),
    ("Size", FieldKind::Size),
    ("Estimated hours", FieldKind::Size),
    ("Hours", FieldKind::Size),
    ("Expected size", FieldKind::Size),
    ("Effort", FieldKind::Size),
    ("Length", FieldKind::Size),
    ("Project length", FieldKind::Size),
    ("Duration", FieldKind::Size),
    ("Project duration", FieldKind::Size),
    ("Estimated time", FieldKind::Size),
    ("Estimated duration", FieldKind::Size),
    ("Estimated effort", FieldKind::Size),
    ("Expected length", FieldKind::Size),
    ("Expected time", FieldKind::Size),
    ("Size of project", FieldKind::Size),
    ("Project duration (hours)", FieldKind::Size),
    ("Time estimate", FieldKind::Size),
    ("Stretch goal", FieldKind::StretchGoals),
    ("Stretch goals", FieldKind::StretchGoals),
    ("Mentee", FieldKind::Mentees),
    ("Mentees", FieldKind::Mentees),
    ("Mentee (Community Bridge URL)", FieldKind::Mentees),
];

/// Names a site may use in `[labels]` of trellis.toml to point at a field.
pub const FIELD_NAMES: &[&str] = &[
    "description",
    "expected_outcome",
    "skills",
    "mentors",
    "issues",
    "lfx_url",
    "difficulty",
    "size",
    "stretch_goals",
    "mentees",
];

pub fn field_by_name(name: &str) -> Option<FieldKind> {
    Some(match name {
        "description" => FieldKind::Description,
        "expected_outcome" => FieldKind::ExpectedOutcome,
        "skills" => FieldKind::Skills,
        "mentors" => FieldKind::Mentors,
        "issues" => FieldKind::Issues,
        "lfx_url" => FieldKind::LfxUrl,
        "difficulty" => FieldKind::Difficulty,
        "size" => FieldKind::Size,
        "stretch_goals" => FieldKind::StretchGoals,
        "mentees" => FieldKind::Mentees,
        _ => return None,
    })
}

/// Lower case, letters and digits only: the key labels are compared by.
pub fn normalize_label(label: &str) -> String {
    label
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The label table of one site: built-ins plus the site's own aliases.
#[derive(Debug, Clone)]
pub struct Labels {
    by_key: HashMap<String, FieldKind>,
}

impl Default for Labels {
    fn default() -> Self {
        Labels::new(std::iter::empty())
    }
}

impl Labels {
    pub fn new<'a>(site_aliases: impl IntoIterator<Item = (&'a String, &'a String)>) -> Labels {
        let mut by_key: HashMap<String, FieldKind> = ALIASES
            .iter()
            .map(|(l, k)| (normalize_label(l), *k))
            .collect();
        // Common misspellings seen in real files, kept out of the table above so
        // that "did you mean" still suggests the proper spelling for new ones.
        for typo in [
            "Metor(s)",
            "Upstraeam Issue",
            "Diffuculty",
            "Strech goals",
            "Mentee (Communty Bridge URL)",
        ] {
            let key = normalize_label(typo);
            let kind = match typo.chars().next() {
                Some('M') if typo.starts_with("Metor") => FieldKind::Mentors,
                Some('U') => FieldKind::Issues,
                Some('D') => FieldKind::Difficulty,
                Some('S') => FieldKind::StretchGoals,
                _ => FieldKind::Mentees,
            };
            by_key.insert(key, kind);
        }
        for (label, field) in site_aliases {
            if let Some(kind) = field_by_name(field) {
                by_key.insert(normalize_label(label), kind);
            }
        }
        Labels { by_key }
    }

    pub fn lookup(&self, label: &str) -> Option<FieldKind> {
        self.by_key.get(&normalize_label(label)).copied()
    }

    /// The proper spelling closest to an unknown label, when it is close enough to be a typo.
    pub fn suggest(&self, label: &str) -> Option<&'static str> {
        let key = normalize_label(label);
        if key.len() < 4 {
            return None;
        }
        let key_chars = key.chars().count();
        ALIASES
            .iter()
            .map(|(l, k)| (normalize_label(l), *k))
            // The edit distance is at least the difference in length: skipping labels
            // too long or too short to reach the threshold keeps a file with thousands
            // of unknown labels from costing thousands of full distance computations.
            .filter(|(l, _)| {
                let (a, b) = (key_chars, l.chars().count());
                a.abs_diff(b) as f64 <= 0.3 * a.max(b) as f64
            })
            .map(|(l, k)| (strsim::normalized_damerau_levenshtein(&key, &l), k))
            .filter(|(score, _)| *score >= 0.7)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, kind)| kind.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_mentor_spelling_means_mentors() {
        let labels = Labels::default();
        for l in [
            "Mentor(s)",
            "Mentors(s)",
            "Mentor",
            "mentors",
            "Mentor(-s)",
            "Metor(s)",
            "MENTOR(S)",
        ] {
            assert_eq!(labels.lookup(l), Some(FieldKind::Mentors), "{l}");
        }
    }

    #[test]
    fn skills_and_issue_spellings() {
        let labels = Labels::default();
        assert_eq!(labels.lookup("Recommend Skills"), Some(FieldKind::Skills));
        assert_eq!(
            labels.lookup("Upstream Issue (URL)"),
            Some(FieldKind::Issues)
        );
        assert_eq!(labels.lookup("Issue"), Some(FieldKind::Issues));
        assert_eq!(
            labels.lookup("Expected outcome"),
            Some(FieldKind::ExpectedOutcome)
        );
    }

    #[test]
    fn labels_of_other_organizations_lists() {
        let labels = Labels::default();
        for (l, kind) in [
            ("Possible mentors", FieldKind::Mentors),
            ("Potential mentor(s)", FieldKind::Mentors),
            ("Skills required/preferred", FieldKind::Skills),
            ("Helpful experience", FieldKind::Skills),
            ("Involves", FieldKind::Skills),
            ("Areas to study/improve", FieldKind::Skills),
            ("Rating", FieldKind::Difficulty),
            ("Estimated difficulty", FieldKind::Difficulty),
            ("Intensity", FieldKind::Difficulty),
            ("Effort", FieldKind::Size),
            ("Length", FieldKind::Size),
            ("Expected size", FieldKind::Size),
            (
                "Expected outcomes/benefits/deliverables",
                FieldKind::ExpectedOutcome,
            ),
            ("More info", FieldKind::Issues),
            ("Abstract", FieldKind::Description),
            ("Project abstract", FieldKind::Description),
            ("Brief explanation", FieldKind::Description),
            ("Brief description of the project", FieldKind::Description),
            ("Idea summary", FieldKind::Description),
        ] {
            assert_eq!(labels.lookup(l), Some(kind), "{l}");
        }
    }

    #[test]
    fn typo_gets_a_suggestion() {
        let labels = Labels::default();
        assert_eq!(labels.lookup("Mentros"), None);
        assert_eq!(labels.suggest("Mentros"), Some("Mentor(s)"));
        assert_eq!(labels.suggest("Descripton"), Some("Description"));
        assert_eq!(labels.suggest("Communication channel"), None);
    }

    #[test]
    fn site_aliases_extend_the_table() {
        let aliases = [("Mentorinnen".to_string(), "mentors".to_string())];
        let labels = Labels::new(aliases.iter().map(|(a, b)| (a, b)));
        assert_eq!(labels.lookup("mentorinnen"), Some(FieldKind::Mentors));
    }
}
