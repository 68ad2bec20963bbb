//! Client-side search: an index built here at build time, queried in the browser by
//! `static/search.js` on the page `search/`.
//!
//! [`tokenize`] turns text into index terms, [`index`] defines and writes the index
//! file (its doc comment is the format's specification), and [`query`] ranks ideas
//! for a query exactly as the browser does, so the ranking can be tested in Rust.
//! Nothing here touches the file system: [`files`] returns bytes for the writer.

pub mod index;
pub mod level;
pub mod query;
pub mod tokenize;

pub use index::{BadIndex, Document, Index};
pub use query::{answer, query, search, Answer, Filters, Hit, Outcome};

use crate::model::Site;

/// The global that `search/index.js` assigns, for sites opened from disk.
pub const GLOBAL: &str = "trellisSearchIndex";

/// The index files to write under the output, as (site-relative path, bytes):
/// `search/index.json` for pages served over HTTP, and `search/index.js`, the same
/// JSON assigned to a global, because `fetch` is refused for `file://` pages while a
/// `<script>` tag still loads.
pub fn files(site: &Site) -> Vec<(&'static str, Vec<u8>)> {
    files_of(&Index::build(site))
}

/// [`files`] of an index already built.
pub fn files_of(index: &Index) -> Vec<(&'static str, Vec<u8>)> {
    let json = index.to_json();
    let script = format!("window.{GLOBAL}={json};\n");
    vec![
        ("search/index.json", json.into_bytes()),
        ("search/index.js", script.into_bytes()),
    ]
}
