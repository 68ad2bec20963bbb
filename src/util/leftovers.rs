//! Which files are not content: hidden files and what editors leave beside the
//! file they save. One rule, so that the loader, the theme's static files and
//! the dev server's watcher agree: `static/x.css~` is neither published nor
//! watched.

/// Hidden files and what editors leave beside the file they save: Vim's
/// `.swp`/`.swx` and its `4913` write test, Emacs's `.#lock` and `~` backups,
/// JetBrains' `___jb_tmp___`.
pub fn is_leftover(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name == "4913"
        || [
            ".swp",
            ".swx",
            ".swo",
            ".tmp",
            ".bak",
            "___jb_tmp___",
            "___jb_old___",
        ]
        .iter()
        .any(|s| name.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_and_hidden_files_are_leftovers() {
        for name in [
            ".git",
            "x.css~",
            "2026.md.swp",
            ".#2026.md",
            "4913",
            "a___jb_tmp___",
        ] {
            assert!(is_leftover(name), "{name}");
        }
        for name in ["2026.md", "site.css", "logo.svg"] {
            assert!(!is_leftover(name), "{name}");
        }
    }
}
