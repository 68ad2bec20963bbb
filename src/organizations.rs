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
    // Look-alike names in groups (an acronym, its expansion, both together):
    // one suggestion per group, mapping every name onto the most written one.
    let mut group: Vec<usize> = (0..order.len()).collect();
    fn root(group: &mut [usize], mut i: usize) -> usize {
        while group[i] != i {
            group[i] = group[group[i]];
            i = group[i];
        }
        i
    }
    // Each name's forms once: the pairs are many on a big site.
    let name_forms: Vec<Vec<String>> = order.iter().map(|k| forms(chosen[k.as_str()].0)).collect();
    for i in 0..order.len() {
        for j in i + 1..order.len() {
            // Keys differ: each of `order` is a distinct key.
            if share_a_form(&name_forms[i], &name_forms[j]) {
                let (ri, rj) = (root(&mut group, i), root(&mut group, j));
                group[rj] = ri;
            }
        }
    }
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); order.len()];
    for i in 0..order.len() {
        let r = root(&mut group, i);
        members[r].push(i);
    }
    let mut diags = Vec::new();
    for names in members.iter().filter(|m| m.len() > 1) {
        let mut names: Vec<(&str, usize)> =
            names.iter().map(|&i| chosen[order[i].as_str()]).collect();
        // The most written first; on a tie, the longest (the fullest name).
        names.sort_by_key(|(name, count)| {
            (std::cmp::Reverse(*count), std::cmp::Reverse(name.len()))
        });
        let common = names[0].0;
        let rare: Vec<&str> = names[1..].iter().map(|(n, _)| *n).collect();
        let Some(at) = ideas.iter().find(|idea| idea.organization == rare[0]) else {
            continue;
        };
        let quoted: Vec<String> = rare.iter().map(|n| format!("'{n}'")).collect();
        let entries: Vec<String> = rare
            .iter()
            .map(|n| format!("{} = {}", toml_string(n), toml_string(common)))
            .collect();
        diags.push(
            Diagnostic::info(
                "organization-alias",
                &at.source.file,
                at.source.line,
                at.source.column,
                format!(
                    "{} and '{common}' look like one organization",
                    quoted.join(", ")
                ),
            )
            .with_help(format!(
                "if they are, add to trellis.toml:\n[organizations]\n{}",
                entries.join("\n")
            )),
        );
    }
    diags
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// An acronym and its expansion ("TUF", "The Update Framework"), or a name
/// with and without its acronym in parentheses.
pub fn look_alike(a: &str, b: &str) -> bool {
    key(a) != key(b) && share_a_form(&forms(a), &forms(b))
}

fn share_a_form(a: &[String], b: &[String]) -> bool {
    a.iter().any(|f| b.contains(f))
}

/// The short forms a name may be written as: itself without its parenthesis,
/// the parenthesis alone ("TUF"), and its initials with and without small words.
fn forms(name: &str) -> Vec<String> {
    let mut forms = Vec::new();
    let (bare, paren) = match (name.find('('), name.rfind(')')) {
        (Some(open), Some(close)) if open < close => (&name[..open], Some(&name[open + 1..close])),
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
    fn look_alikes_make_one_suggestion_per_group() {
        let mut ideas = [
            idea("TUF", 1),
            idea("The Update Framework", 2),
            idea("The Update Framework (TUF)", 3),
            idea("The Update Framework (TUF)", 4),
        ];
        let diags = unify(&mut ideas.iter_mut().collect::<Vec<_>>(), &BTreeMap::new());
        assert_eq!(diags.len(), 1, "{diags:?}");
        let help = diags[0].help.as_deref().unwrap();
        assert!(
            help.contains("\"TUF\" = \"The Update Framework (TUF)\""),
            "{help}"
        );
        assert!(
            help.contains("\"The Update Framework\" = \"The Update Framework (TUF)\""),
            "{help}"
        );
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
