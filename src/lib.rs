//! Trellis: a static site generator for mentorship project-ideas portals.
//!
//! The pipeline, one module a stage: [`load`] (files) → [`parse`] (term files →
//! ideas + diagnostics) → [`site`] (the [`model::Site`]) → [`export`] (the
//! `ideas.json` API) → [`output`] (an atomic write). [`pipeline`] runs them in order.

pub mod config;
pub mod diagnostic;
pub mod export;
pub mod load;
pub mod model;
pub mod output;
pub mod parse;
pub mod pipeline;
pub mod site;
pub mod slug;

use std::path::Path;

/// What a build wrote.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildStats {
    pub files: usize,
    pub bytes: u64,
}

/// Writes a loaded site to `output`, atomically.
pub fn write_site(
    root: &Path,
    loaded: &pipeline::Loaded,
    output: &Path,
) -> Result<BuildStats, String> {
    output::check_output_dir(root, &loaded.content_dir, output)?;
    let staging = output::Staging::begin(output).map_err(|e| {
        format!(
            "cannot create the output next to '{}': {e}",
            output.display()
        )
    })?;
    let json = export::ideas_json(&loaded.site, &loaded.config);
    staging
        .write("ideas.json", json.as_bytes())
        .map_err(|e| format!("cannot write ideas.json: {e}"))?;
    let stats = BuildStats {
        files: 1,
        bytes: json.len() as u64,
    };
    staging
        .commit()
        .map_err(|e| format!("cannot move the new site into '{}': {e}", output.display()))?;
    Ok(stats)
}
