//! The `ideas.json` export: the site model as a public, versioned API
//! (schema: `docs/ideas.schema.json`).

use rayon::prelude::*;
use serde::Serialize;

use crate::model::{Idea, Site};

/// Bumped when a key changes meaning or disappears; adding keys keeps the version.
/// Version 2 moved `ideas` out of `ideas.json` into one file per term (`parts`).
pub const SCHEMA_VERSION: u32 = 2;

/// The export as files: `ideas.json`, the head, `terms` as in the model and
/// `parts`, one entry per term that has ideas, and each part,
/// `ideas/<term>.json`, with that term's ideas. The parts' `ideas` in `parts`
/// order are `Site::ideas` in order, as version 1 listed them in one file;
/// split, no file grows with the whole site. Ideas come as [`idea_json`]
/// printed them (`printed`, in `Site::ideas` order: made once per idea by
/// [`crate::prepare`], kept between rebuilds) — without mentors' e-mail
/// addresses, unless the site sets `export_emails`, which prints the ideas
/// again with them.
pub fn ideas_files(
    site: &Site,
    config: &crate::config::Config,
    printed: &[&str],
) -> Vec<(String, String)> {
    let mut parts: Vec<(&str, std::ops::Range<usize>)> = Vec::new();
    for (i, idea) in site.ideas.iter().enumerate() {
        match parts.last_mut() {
            Some((term, range)) if *term == idea.term => range.end = i + 1,
            _ => parts.push((&idea.term, i..i + 1)),
        }
    }
    // Term ids are slugs; two term files may still slug alike, so the part
    // files are named as pages are, unique.
    let names = crate::slug::unique(&parts.iter().map(|(t, _)| t.to_string()).collect::<Vec<_>>());
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
    out.push_str(",\n  \"parts\": ");
    let entries: Vec<Part> = parts
        .iter()
        .zip(&names)
        .map(|((term, range), name)| Part {
            term,
            ideas: range.len(),
            file: format!("ideas/{name}.json"),
        })
        .collect();
    push_array(&mut out, &entries);
    out.push_str("\n}");
    let mut files = vec![("ideas.json".to_string(), out)];
    files.extend(
        parts
            .into_par_iter()
            .zip(entries)
            .map(|((term, range), entry)| {
                let mut part =
                    String::with_capacity(range.clone().map(|i| printed[i].len() + 2).sum());
                part.push_str(&format!(
                    "{{\n  \"version\": {SCHEMA_VERSION},\n  \"term\": {},\n  \"ideas\": ",
                    json_string(term)
                ));
                if config.export_emails {
                    push_array(&mut part, &site.ideas[range]);
                } else {
                    push_printed(&mut part, &printed[range]);
                }
                part.push_str("\n}");
                (entry.file, part)
            })
            .collect::<Vec<_>>(),
    );
    files
}

/// An entry of `parts`: where a term's ideas are, and how many.
#[derive(Serialize)]
struct Part<'a> {
    term: &'a str,
    ideas: usize,
    /// Relative to `ideas.json`.
    file: String,
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

    fn site() -> Site {
        let term = |id: &str| Term {
            id: id.into(),
            title: format!("Term \"{id}\"\nnext"),
            ..Term::default()
        };
        let idea = |title: &str, term: &str| Idea {
            title: title.into(),
            term: term.into(),
            skills: vec!["Go".into(), "C#".into()],
            ..Idea::default()
        };
        Site {
            terms: vec![term("t2"), term("t1")],
            ideas: vec![
                idea("A", "t2"),
                idea("B", "t2"),
                idea("C", "t1"),
                idea("D", "t1"),
            ],
            pages: Vec::new(),
        }
    }

    /// The files of the export as `ideas_files` writes them, parsed.
    fn written(site: &Site, config: &Config) -> Vec<(String, serde_json::Value)> {
        let printed: Vec<String> = site.ideas.iter().map(idea_json).collect();
        let printed: Vec<&str> = printed.iter().map(String::as_str).collect();
        ideas_files(site, config, &printed)
            .into_iter()
            .map(|(rel, text)| (rel, serde_json::from_str(&text).unwrap()))
            .collect()
    }

    #[test]
    fn split_export_reassembles_to_the_single_file() {
        let config = Config::default();
        for site in [site(), Site::default()] {
            // What one file held before the split: serde's print of the whole model.
            let single: serde_json::Value = serde_json::from_str(
                &serde_json::to_string_pretty(&Export {
                    version: SCHEMA_VERSION,
                    generator: concat!("trellis ", env!("CARGO_PKG_VERSION")),
                    title: &config.title,
                    base_url: &config.base_url,
                    terms: &site.terms,
                    ideas: &site.ideas,
                })
                .unwrap(),
            )
            .unwrap();
            let files = written(&site, &config);
            let file = |rel: &str| &files.iter().find(|(r, _)| r == rel).unwrap().1;
            let mut top = file("ideas.json").clone();
            let parts = top.as_object_mut().unwrap().remove("parts").unwrap();
            let mut ideas = Vec::new();
            for part in parts.as_array().unwrap() {
                let items = file(part["file"].as_str().unwrap())["ideas"]
                    .as_array()
                    .unwrap()
                    .clone();
                assert_eq!(part["ideas"], items.len());
                ideas.extend(items);
            }
            top["ideas"] = serde_json::Value::Array(ideas);
            assert_eq!(top, single);
            assert_eq!(files.len(), 1 + parts.as_array().unwrap().len());
        }
    }

    #[test]
    fn each_part_holds_one_term_and_is_pretty_printed_as_serde_would() {
        let site = site();
        let config = Config::default();
        let printed: Vec<String> = site.ideas.iter().map(idea_json).collect();
        let printed: Vec<&str> = printed.iter().map(String::as_str).collect();
        let files = ideas_files(&site, &config, &printed);
        let rels: Vec<&str> = files.iter().map(|(r, _)| r.as_str()).collect();
        assert_eq!(rels, ["ideas.json", "ideas/t2.json", "ideas/t1.json"]);
        #[derive(Serialize)]
        struct PartFile<'a> {
            version: u32,
            term: &'a str,
            ideas: &'a [Idea],
        }
        assert_eq!(
            files[1].1,
            serde_json::to_string_pretty(&PartFile {
                version: SCHEMA_VERSION,
                term: "t2",
                ideas: &site.ideas[..2],
            })
            .unwrap()
        );
    }

    #[test]
    fn mentor_emails_are_exported_only_when_the_site_says_so() {
        use crate::model::Mentor;
        let site = Site {
            terms: vec![],
            pages: vec![],
            ideas: vec![Idea {
                term: "t1".into(),
                mentors: vec![Mentor {
                    name: "Jo".into(),
                    email: Some("jo@example.org".into()),
                    ..Mentor::default()
                }],
                ..Idea::default()
            }],
        };
        let mut config = Config::default();
        let mentor = |config: &Config| {
            let files = written(&site, config);
            files[1].1["ideas"][0]["mentors"][0].clone()
        };
        let private = mentor(&config);
        assert_eq!(private["name"], "Jo");
        assert!(private["email"].is_null());
        config.export_emails = true;
        assert_eq!(mentor(&config)["email"], "jo@example.org");
    }
}
