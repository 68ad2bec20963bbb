//! Client-side search: an index built here at build time, queried in the browser by
//! `static/search.js` on the page `search/`.
//!
//! [`tokenize`] turns text into index terms, [`index`] builds the index, [`pieces`]
//! splits it into the files a query fetches one by one (its doc comment is the
//! format's specification), and [`query`] ranks ideas for a query exactly as the
//! browser does, so the ranking can be tested in Rust. Nothing here touches the
//! file system: [`files`] returns bytes for the writer.

pub mod index;
pub mod level;
pub mod pieces;
pub mod query;
pub mod tokenize;

pub use index::{BadIndex, Document, Index};
pub use query::{answer, query, search, Answer, Filters, Hit, Outcome};

use crate::model::Site;

/// The file every search loads first: the head of the index.
pub const HEAD_FILE: &str = "search/index.js";

/// The index files to write under the output, as (site-relative path, bytes):
/// one script per piece, `search/<piece>.js`, loaded by a `<script>` tag, which
/// works over HTTP and on a site opened from disk (where `fetch` is refused).
pub fn files(site: &Site) -> Vec<(String, Vec<u8>)> {
    files_of(&Index::build(site))
}

/// [`files`] of an index already built.
pub fn files_of(index: &Index) -> Vec<(String, Vec<u8>)> {
    index
        .pieces()
        .into_iter()
        .map(|(name, json)| {
            (
                format!("search/{name}.js"),
                pieces::script(&name, &json).into_bytes(),
            )
        })
        .collect()
}

/// The index read back from the files [`files`] wrote, `file(path)` giving each
/// one's text: for tests and tools that rank as the browser does.
pub fn read(file: impl Fn(&str) -> Option<String>) -> Result<Index, BadIndex> {
    Index::from_pieces(|name| {
        let text = file(&format!("search/{name}.js"))?;
        let (found, json) = pieces::unscript(&text)?;
        (found == name).then(|| json.to_string())
    })
}
