//! Why a build failed, by stage, so that a caller decides by kind (the dev
//! server retries on disk when writing to memory failed) and the command line
//! prints the message.

use std::path::PathBuf;

/// A failed build: the error of the stage that failed, grouped by what it
/// means for the output.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The output directory is one Trellis must not replace.
    #[error(transparent)]
    Output(#[from] crate::output::Refusal),
    /// The theme could not be read, its templates not compiled, a page not
    /// rendered, or a link points nowhere: nothing was written.
    #[error(transparent)]
    Render(crate::render::Error),
    /// The staging directory could not be made.
    #[error("cannot create the output next to '{}': {source}", .output.display())]
    Stage {
        output: PathBuf,
        source: std::io::Error,
    },
    /// A file of the site could not be written.
    #[error("cannot write {rel}: {source}")]
    Write { rel: String, source: std::io::Error },
    /// The finished site could not be swapped in.
    #[error("cannot move the new site into '{}': {source}", .output.display())]
    Commit {
        output: PathBuf,
        source: std::io::Error,
    },
}

impl Error {
    /// Whether the build failed in writing, which may leave a dev server's live
    /// directory half updated, rather than before anything was written.
    /// A site past its output limit ([`crate::output::Budget`]) is no write
    /// failure: it would pass the limit on any disk.
    pub fn is_write(&self) -> bool {
        match self {
            Error::Write { source, .. } => source.kind() != std::io::ErrorKind::FileTooLarge,
            Error::Stage { .. } | Error::Commit { .. } => true,
            _ => false,
        }
    }
}

impl From<crate::render::Error> for Error {
    fn from(e: crate::render::Error) -> Error {
        match e {
            crate::render::Error::Write { rel, source } => Error::Write { rel, source },
            e => Error::Render(e),
        }
    }
}
