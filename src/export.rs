//! The `ideas.json` export: the site model as a public, versioned API
//! (schema: `docs/ideas.schema.json`).

use rayon::prelude::*;
use serde::Serialize;

use crate::model::{Idea, Site};

/// Bumped when a key changes meaning or disappears; adding keys keeps the version.
pub const SCHEMA_VERSION: u32 = 1;

/// The export, pretty-printed: the head, then `terms` and `ideas` as in the
/// model, the ideas as [`idea_json`] printed them (`printed`, in `Site::ideas`
/// order: made once per idea by [`crate::prepare`], kept between rebuilds) —
/// without mentors' e-mail addresses, unless the site sets `export_emails`,
/// which prints the ideas again with them.
pub fn ideas_json(site: &Site, config: &crate::config::Config, printed: &[&str]) -> String {
    let mut out = String::with_capacity(4096);
    out.push_str("{\n");
    for (key, value) in [
        ("version", SCHEMA_VERSION.to_string()),
        (
            "generator",
            json_string(concat!("trellis ", env!("CARGO_PKG_VERSION"))),
        ),
        ("title", json_string(&config.title)),
        ("base_url", json_string(&config.base_url)),
    ] {
        out.push_str(&format!("  \"{key}\": {value},\n"));
    }
    out.push_str("  \"terms\": ");
    push_array(&mut out, &site.terms);
    out.push_str(",\n  \"ideas\": ");
    if config.export_emails {
        push_array(&mut out, &site.ideas);
    } else {
        push_printed(&mut out, printed);
    }
    out.push_str("\n}");
    out
}

/// One idea as `serde_json::to_string_pretty` prints it as an item of the
/// export's `ideas`: printed on its own, then indented, which gives the same
/// bytes, since a pretty-printed value has no line break inside a string.
/// Mentors' e-mail addresses are left out (`"email": null`).
pub fn idea_json(idea: &Idea) -> String {
    if idea.mentors.iter().all(|m| m.email.is_none()) {
        return item_json(idea);
    }
    let mut private = idea.clone();
    for mentor in &mut private.mentors {
        mentor.email = None;
    }
    item_json(&private)
}

fn item_json(item: &impl Serialize) -> String {
    let json = serde_json::to_string_pretty(item)
        .expect("the model serializes: plain strings, numbers and lists");
    let mut indented = String::with_capacity(json.len() + json.len() / 8);
    for (i, line) in json.split('\n').enumerate() {
        if i > 0 {
            indented.push('\n');
        }
        indented.push_str("    ");
        indented.push_str(line);
    }
    indented
}

/// Appends a list two spaces deep, its items printed in parallel.
fn push_array<T: Serialize + Sync>(out: &mut String, items: &[T]) {
    let printed: Vec<String> = items.par_iter().map(item_json).collect();
    let printed: Vec<&str> = printed.iter().map(String::as_str).collect();
    push_printed(out, &printed);
}

/// Appends items already printed by [`item_json`] as a list two spaces deep.
fn push_printed(out: &mut String, printed: &[&str]) {
    if printed.is_empty() {
        out.push_str("[]");
        return;
    }
    out.reserve(printed.iter().map(|p| p.len() + 2).sum::<usize>() + 4);
    out.push_str("[\n");
    for (i, item) in printed.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(item);
    }
    out.push_str("\n  ]");
}

/// A string as a JSON string literal.
fn json_string(text: &str) -> String {
    serde_json::to_string(text).expect("a string serializes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::model::Term;

    /// The export's shape, printed whole, as [`ideas_json`] must print it piece by piece.
    #[derive(Serialize)]
    struct Export<'a> {
        version: u32,
        generator: &'static str,
        title: &'a str,
        base_url: &'a str,
        terms: &'a [Term],
        ideas: &'a [Idea],
    }

    #[test]
    fn export_is_exactly_the_pretty_printed_model() {
        let site = Site {
            terms: vec![Term {
                id: "t1".into(),
                title: "Term \"one\"\nnext".into(),
                ..Term::default()
            }],
            ideas: vec![
                Idea {
                    title: "A".into(),
                    skills: vec!["Go".into(), "C#".into()],
                    ..Idea::default()
                },
                Idea::default(),
            ],
            pages: Vec::new(),
        };
        let config = Config::default();
        // What serde would print for the whole export at once.
        let expected = |site: &Site| {
            serde_json::to_string_pretty(&Export {
                version: SCHEMA_VERSION,
                generator: concat!("trellis ", env!("CARGO_PKG_VERSION")),
                title: &config.title,
                base_url: &config.base_url,
                terms: &site.terms,
                ideas: &site.ideas,
            })
            .unwrap()
        };
        for site in [site, Site::default()] {
            let printed: Vec<String> = site.ideas.iter().map(idea_json).collect();
            let printed: Vec<&str> = printed.iter().map(String::as_str).collect();
            assert_eq!(ideas_json(&site, &config, &printed), expected(&site));
        }
    }

    #[test]
    fn mentor_emails_are_exported_only_when_the_site_says_so() {
        use crate::model::Mentor;
        let site = Site {
            terms: vec![],
            pages: vec![],
            ideas: vec![Idea {
                mentors: vec![Mentor {
                    name: "Jo".into(),
                    email: Some("jo@example.org".into()),
                    ..Mentor::default()
                }],
                ..Idea::default()
            }],
        };
        let printed: Vec<String> = site.ideas.iter().map(idea_json).collect();
        let ideas: Vec<&str> = printed.iter().map(String::as_str).collect();
        let mut config = Config::default();
        let private: serde_json::Value =
            serde_json::from_str(&ideas_json(&site, &config, &ideas)).unwrap();
        assert_eq!(private["ideas"][0]["mentors"][0]["name"], "Jo");
        assert!(private["ideas"][0]["mentors"][0]["email"].is_null());
        config.export_emails = true;
        let public: serde_json::Value =
            serde_json::from_str(&ideas_json(&site, &config, &ideas)).unwrap();
        assert_eq!(public["ideas"][0]["mentors"][0]["email"], "jo@example.org");
    }
}
