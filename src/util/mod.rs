//! Small jobs that every stage shares, each done once here: line positions,
//! hashing, escaping, markdown as plain text, URLs, real paths and which files
//! are an editor's leftovers. Nothing here knows about term files, ideas or pages, and
//! nothing here uses any other module of Trellis.

pub mod email;
pub mod escape;
pub mod fingerprint;
pub mod leftovers;
pub mod line_index;
pub mod paths;
pub mod plain;
