//! One organization, one name. The same project is written "TUF", "tuf" and
//! "The Update Framework (TUF)" by different mentors; split three ways, its
//! page shows a third of its ideas. Names that differ only in case, spacing or
//! punctuation are merged here, under the spelling written most often; the
//! `[organizations]` table of `trellis.toml` maps the rest; and names that only
//! look alike (an acronym and its expansion) get a suggestion, never a guess.

use std::collections::{BTreeMap, HashMap};

use crate::diagnostic::Diagnostic;
use crate::model::Idea;

/// A name with case, spacing and punctuation removed: "Open Telemetry" and
/// "OpenTelemetry" share it.
pub fn key(name: &str) -> String {
    deunicode::deunicode(name)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Renames the organization of every idea to its one spelling, and suggests
/// `[organizations]` entries for names that look like one another.
pub fn unify(ideas: &mut [&mut Idea], table: &BTreeMap<String, String>) -> Vec<Diagnostic> {
    let table: HashMap<String, &str> = table.iter().map(|(k, v)| (key(k), v.as_str())).collect();
    for idea in ideas.iter_mut() {
        if let Some(name) = table.get(&key(&idea.organization)) {
            idea.organization = (*name).to_string();
        }
    }
    // Each key's spellings with how often each is written, in order of first use.
    let mut spellings: HashMap<String, Vec<(String, usize)>> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for idea in ideas.iter() {
        let k = key(&idea.organization);
        if k.is_empty() {
            continue;
        }
        let list = spellings.entry(k.clone()).or_insert_with(|| {
            order.push(k.clone());
            Vec::new()
        });
        match list.iter_mut().find(|(s, _)| *s == idea.organization) {
            Some((_, n)) => *n += 1,
            None => list.push((idea.organization.clone(), 1)),
        }
    }
    let chosen: HashMap<&str, (&str, usize)> = spellings
        .iter()
        .map(|(k, list)| {
            // The most written spelling; on a tie, the first written.
            let best = list
                .iter()
                .enumerate()
                .max_by_key(|(i, (_, n))| (*n, std::cmp::Reverse(*i)))
                .map(|(_, (s, _))| s.as_str())
                .unwrap_or_default();
            (k.as_str(), (best, list.iter().map(|(_, n)| n).sum()))
        })
        .collect();
    for idea in ideas.iter_mut() {
        if let Some((name, _)) = chosen.get(key(&idea.organization).as_str()) {
            if idea.organization != *name {
                idea.organization = (*name).to_string();
            }
        }
    }
    let mut diags = Vec::new();
    for (i, a) in order.iter().enumerate() {
        for b in &order[i + 1..] {
            let (name_a, count_a) = chosen[a.as_str()];
            let (name_b, count_b) = chosen[b.as_str()];
            if !look_alike(name_a, name_b) {
                continue;
            }
            // Suggest mapping the rarer name onto the more written one.
            let (rare, common) = if count_a < count_b {
                (name_a, name_b)
            } else {
                (name_b, name_a)
            };
            let Some(at) = ideas.iter().find(|idea| idea.organization == rare) else {
                continue;
            };
            diags.push(
                Diagnostic::info(
                    "organization-alias",
                    &at.source.file,
                    at.source.line,
                    at.source.column,
                    format!("'{rare}' and '{common}' look like one organization"),
                )
                .with_help(format!(
                    "if they are, add to trellis.toml:\n[organizations]\n{} = {}",
                    toml_string(rare),
                    toml_string(common)
                )),
            );
        }
    }
    diags
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// An acronym and its expansion ("TUF", "The Update Framework"), or a name
/// with and without its acronym in parentheses.
pub fn look_alike(a: &str, b: &str) -> bool {
    let forms = |name: &str| -> Vec<String> {
        let mut forms = Vec::new();
        let (bare, paren) = match (name.find('('), name.rfind(')')) {
            (Some(open), Some(close)) if open < close => {
                (&name[..open], Some(&name[open + 1..close]))
            }
            _ => (name, None),
        };
        forms.push(key(bare));
        if let Some(p) = paren {
            forms.push(key(p));
        }
        let words: Vec<&str> = bare
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        if words.len() >= 2 {
            let initials = |skip_small: bool| -> String {
                words
                    .iter()
                    .filter(|w| {
                        !skip_small
                            || !matches!(w.to_lowercase().as_str(), "the" | "of" | "and" | "for")
                    })
                    .filter_map(|w| w.chars().next())
                    .map(|c| c.to_ascii_lowercase())
                    .collect()
            };
            forms.push(initials(false));
            forms.push(initials(true));
        }
        forms.retain(|f| f.len() >= 3);
        forms
    };
    let (fa, fb) = (forms(a), forms(b));
    key(a) != key(b) && fa.iter().any(|f| fb.contains(f))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Source;

    fn idea(org: &str, line: usize) -> Idea {
        Idea {
            organization: org.into(),
            source: Source {
                file: "t.md".into(),
                line,
                column: 1,
            },
            ..Idea::default()
        }
    }

    #[test]
    fn case_space_and_punctuation_make_no_new_organization() {
        let mut ideas = [
            idea("OpenTelemetry", 1),
            idea("Open Telemetry", 2),
            idea("opentelemetry", 3),
            idea("OpenTelemetry", 4),
        ];
        unify(&mut ideas.iter_mut().collect::<Vec<_>>(), &BTreeMap::new());
        assert!(ideas.iter().all(|i| i.organization == "OpenTelemetry"));
    }

    #[test]
    fn table_maps_the_rest_and_look_alikes_get_a_suggestion() {
        let mut ideas = [
            idea("TUF", 1),
            idea("The Update Framework (TUF)", 2),
            idea("The Update Framework (TUF)", 3),
        ];
        let diags = unify(&mut ideas.iter_mut().collect::<Vec<_>>(), &BTreeMap::new());
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].line, 1);
        assert!(diags[0]
            .help
            .as_deref()
            .unwrap()
            .contains("\"TUF\" = \"The Update Framework (TUF)\""));
        let table = BTreeMap::from([("tuf".to_string(), "The Update Framework (TUF)".to_string())]);
        let diags = unify(&mut ideas.iter_mut().collect::<Vec<_>>(), &table);
        assert!(diags.is_empty());
        assert!(ideas
            .iter()
            .all(|i| i.organization == "The Update Framework (TUF)"));
    }

    #[test]
    fn acronyms_and_expansions_look_alike() {
        assert!(look_alike("TUF", "The Update Framework"));
        assert!(look_alike(
            "The Update Framework",
            "The Update Framework (TUF)"
        ));
        assert!(!look_alike("Kubernetes", "KubeEdge"));
        assert!(!look_alike("Jaeger", "Envoy"));
    }
}
