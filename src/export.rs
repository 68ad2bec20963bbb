//! The `ideas.json` export: the site model as a public, versioned API
//! (schema: `docs/ideas.schema.json`).

use serde::Serialize;

use crate::model::{Idea, Site, Term};

/// Bumped when a key changes meaning or disappears; adding keys keeps the version.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Export<'a> {
    version: u32,
    generator: &'static str,
    title: &'a str,
    base_url: &'a str,
    terms: &'a [Term],
    ideas: &'a [Idea],
}

pub fn ideas_json(site: &Site, config: &crate::config::Config) -> String {
    let export = Export {
        version: SCHEMA_VERSION,
        generator: concat!("trellis ", env!("CARGO_PKG_VERSION")),
        title: &config.title,
        base_url: &config.base_url,
        terms: &site.terms,
        ideas: &site.ideas,
    };
    serde_json::to_string_pretty(&export)
        .expect("the model serializes: plain strings, numbers and lists")
}
