//! Trellis: a static site generator for mentorship project-ideas portals.
//!
//! The pipeline, one module a stage: [`load`] (files) → [`parse`] (term files →
//! ideas + diagnostics) → [`site`] (the [`model::Site`]) → [`export`] (the
//! `ideas.json` API) and [`render`] (the pages) → [`output`] (an atomic write). [`pipeline`] runs them in order.

pub mod config;
pub mod diagnostic;
pub mod export;
pub mod load;
pub mod model;
pub mod output;
pub mod parse;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;

use std::path::Path;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

/// What a build wrote.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildStats {
    pub files: usize,
    pub bytes: u64,
}

/// Renders a loaded site with its theme (the default one, with the site's own
/// `templates/` and `static/` laid over it) and writes it to `output`, atomically:
/// on any error the previous output stays as it was.
pub fn write_site(
    root: &Path,
    loaded: &pipeline::Loaded,
    output: &Path,
) -> Result<BuildStats, String> {
    output::check_output_dir(root, &loaded.content_dir, output)?;
    let theme = render::assets::Theme::for_site(root)?;
    // Compile before staging, so a broken template fails fast and touches nothing.
    render::compile(&theme)?;
    let staging = output::Staging::begin(output).map_err(|e| {
        format!(
            "cannot create the output next to '{}': {e}",
            output.display()
        )
    })?;
    let files = AtomicUsize::new(0);
    let bytes = AtomicU64::new(0);
    let sink = |rel: &str, data: &[u8]| {
        staging.write(rel, data)?;
        files.fetch_add(1, Ordering::Relaxed);
        bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        Ok(())
    };
    let json = export::ideas_json(&loaded.site, &loaded.config);
    sink("ideas.json", json.as_bytes()).map_err(|e| format!("cannot write ideas.json: {e}"))?;
    render::render_site(&loaded.site, &loaded.config, &theme, &sink)?;
    for (rel, data) in search::files(&loaded.site) {
        sink(rel, &data).map_err(|e| format!("cannot write {rel}: {e}"))?;
    }
    let stats = BuildStats {
        files: files.into_inner(),
        bytes: bytes.into_inner(),
    };
    staging
        .commit()
        .map_err(|e| format!("cannot move the new site into '{}': {e}", output.display()))?;
    Ok(stats)
}
