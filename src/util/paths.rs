//! Paths as the file system reads them: the output guard and the settings
//! check must judge where a path really leads, not how it is written.

use std::io;
use std::path::{Component, Path, PathBuf};

/// The real, absolute path of `path`: each existing part with its symbolic
/// links resolved by the file system, the part that does not exist yet
/// appended as written, with its `.` and `..` resolved as text.
pub fn real_path(path: &Path) -> io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    let mut real = PathBuf::new();
    let mut exists = true;
    for c in absolute.components() {
        match c {
            Component::ParentDir => {
                // `real` has no links left while it exists, so its parent as
                // text is its parent on disk.
                real.pop();
            }
            Component::CurDir => {}
            other => {
                real.push(other);
                if exists && std::fs::symlink_metadata(&real).is_ok() {
                    real = std::fs::canonicalize(&real)?;
                } else {
                    exists = false;
                }
            }
        }
    }
    Ok(real)
}
