//! Loading: find the term files under the content directory and read them as text.
//!
//! Only this stage touches the content directory. It normalizes what editors vary
//! on (a BOM, CRLF or lone CR line endings) so that every later stage sees `\n`
//! and the same line numbers an editor shows.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::util::leftovers::is_leftover;

/// One term file as read from disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Relative to the content directory, with `/` separators: the file's identity.
    pub rel: String,
    pub path: PathBuf,
    pub text: String,
}

/// Walks `content_dir` for `*.md` term files and `*.json` GitHub issue
/// exports, skipping hidden entries, editors' leftovers and anything
/// that is not a regular file (a FIFO named `x.md` would block a reader forever).
///
/// Symbolic links are followed only while they stay inside the content directory:
/// a link to `/etc` or to a runner's home would otherwise publish files that are
/// no proposal, from a pull request that only added a link. A loop is reported
/// instead of walked, and a file reached twice through links is read once.
pub fn load_content(content_dir: &Path) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    load_selected(content_dir, &|_| true)
}

/// [`load_content`] of the files whose relative path `keep` accepts (the
/// site's `include` and `exclude` globs): a file left out is not even read.
pub fn load_selected(
    content_dir: &Path,
    keep: &dyn Fn(&str) -> bool,
) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diags = Vec::new();
    let shown = content_dir.display().to_string();
    if !content_dir.is_dir() {
        diags.push(
            Diagnostic::error(
                "content-missing",
                &shown,
                0,
                0,
                format!("content directory '{shown}' does not exist"),
            )
            .with_help("create it and add a term file, or set `content_dir` in trellis.toml"),
        );
        return (files, diags);
    }
    let inside = std::fs::canonicalize(content_dir).unwrap_or_else(|_| content_dir.to_path_buf());
    // Each file by its real path, with the name it was first read under.
    let mut read: HashMap<PathBuf, String> = HashMap::new();
    let mut walker = walkdir::WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_leftover(&e.file_name().to_string_lossy()));
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                diags.push(walk_error(content_dir, &e));
                continue;
            }
        };
        let rel = relative(content_dir, entry.path());
        let real =
            std::fs::canonicalize(entry.path()).unwrap_or_else(|_| entry.path().to_path_buf());
        if entry.path_is_symlink() && !real.starts_with(&inside) {
            diags.push(
                Diagnostic::error(
                    "symlink-outside",
                    &rel,
                    0,
                    0,
                    format!(
                        "symbolic link '{rel}' points outside the content directory (to '{}'): not followed",
                        real.display()
                    ),
                )
                .with_help("copy what it points to into the content directory, or remove the link"),
            );
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if !entry.file_type().is_file()
            || entry
                .path()
                .extension()
                .is_none_or(|x| x != "md" && x != "json")
            || !keep(&rel)
        {
            continue;
        }
        if let Some(first) = read.get(&real) {
            diags.push(Diagnostic::warning(
                "duplicate-file",
                &rel,
                0,
                0,
                format!("'{rel}' is '{first}' again, reached through a symbolic link: read once"),
            ));
            continue;
        }
        read.insert(real, rel.clone());
        match std::fs::read(entry.path()) {
            Ok(bytes) => match decode(bytes) {
                Ok(text) => files.push(SourceFile {
                    rel,
                    path: entry.path().to_path_buf(),
                    text,
                }),
                Err((line, column)) => diags.push(
                    Diagnostic::error(
                        "not-utf8",
                        &rel,
                        line,
                        column,
                        "this file is not valid UTF-8 text",
                    )
                    .with_help("save it as UTF-8 in your editor"),
                ),
            },
            Err(e) => diags.push(Diagnostic::error(
                "content-unreadable",
                &rel,
                0,
                0,
                format!("cannot read '{rel}': {e}"),
            )),
        }
    }
    (files, diags)
}

/// What went wrong at one entry of the content walk, in a mentor's words.
fn walk_error(content_dir: &Path, e: &walkdir::Error) -> Diagnostic {
    let rel = e
        .path()
        .map(|p| relative(content_dir, p))
        .filter(|rel| !rel.is_empty())
        .unwrap_or_else(|| content_dir.display().to_string());
    let is_link = e
        .path()
        .and_then(|p| std::fs::symlink_metadata(p).ok())
        .is_some_and(|m| m.file_type().is_symlink());
    let message = if e.loop_ancestor().is_some() {
        format!("symbolic link loop at '{rel}': not followed")
    } else if is_link {
        // The OS says ELOOP or ENOENT: either way there is nothing to read behind it.
        format!("symbolic link '{rel}' loops or points to nothing: not followed")
    } else {
        format!("cannot read '{rel}': {e}")
    };
    Diagnostic::error("content-unreadable", &rel, 0, 0, message)
}

/// Reads one file given on the command line, with the same normalization.
///
/// Its name is the one the walk would give it, however the path was written
/// (`./content/a.md`, an absolute path, `content/../content/a.md`), so a file
/// has one name in every diagnostic.
pub fn load_file(content_dir: &Path, path: &Path) -> Result<SourceFile, Diagnostic> {
    let rel = match (
        std::fs::canonicalize(content_dir),
        std::fs::canonicalize(path),
    ) {
        (Ok(dir), Ok(file)) if file.starts_with(&dir) => relative(&dir, &file),
        _ => relative(content_dir, path),
    };
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(
            "content-unreadable",
            &rel,
            0,
            0,
            format!("cannot read '{rel}': {e}"),
        )
    })?;
    let text = decode(bytes).map_err(|(line, column)| {
        Diagnostic::error(
            "not-utf8",
            &rel,
            line,
            column,
            "this file is not valid UTF-8 text",
        )
        .with_help("save it as UTF-8 in your editor")
    })?;
    Ok(SourceFile {
        rel,
        path: path.to_path_buf(),
        text,
    })
}

fn relative(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// UTF-8 decoding with line-ending normalization; on failure, where the first bad byte is.
pub fn decode(bytes: Vec<u8>) -> Result<String, (usize, usize)> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
        (line, column)
    })?;
    Ok(normalize(text))
}

/// Strips a BOM and turns CRLF and lone CR into LF (CommonMark counts each as one line ending).
pub fn normalize(text: String) -> String {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_normalized() {
        assert_eq!(
            decode(b"\xef\xbb\xbfa\r\nb\rc".to_vec()).unwrap(),
            "a\nb\nc"
        );
    }

    #[test]
    fn non_utf8_reports_line_and_column() {
        assert_eq!(decode(b"ok\nab\xffc".to_vec()), Err((2, 3)));
    }
}
