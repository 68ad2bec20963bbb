//! The theme: the default templates and static files embedded in the binary by
//! `build.rs`, with a site's own `templates/` and `static/` laid over them file by
//! file (a site changes one template without copying the others).
//!
//! This is the only part of `render` that reads the file system, and only the
//! site's theme directories, once per build.

use crate::util::leftovers::is_leftover;
use std::collections::BTreeMap;
use std::path::Path;

use super::Error;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/theme.rs"));
}

/// Templates by name and static files by output path, defaults overridden by the site's.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub templates: BTreeMap<String, Template>,
    pub statics: BTreeMap<String, Vec<u8>>,
}

/// One template's text and where it came from, for error messages.
#[derive(Debug, Clone)]
pub struct Template {
    pub text: String,
    /// `templates/idea.html` of the site, or `the default theme`.
    pub origin: String,
}

impl Theme {
    /// The theme built into Trellis.
    pub fn embedded() -> Theme {
        let templates = embedded::TEMPLATES
            .iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    Template {
                        text: text.to_string(),
                        origin: "the default theme".into(),
                    },
                )
            })
            .collect();
        let statics = embedded::STATIC
            .iter()
            .map(|(name, bytes)| (name.to_string(), bytes.to_vec()))
            .collect();
        Theme { templates, statics }
    }

    /// The embedded theme with `root/templates/` and `root/static/` laid over it.
    pub fn for_site(root: &Path) -> Result<Theme, Error> {
        let mut theme = Theme::embedded();
        for (rel, bytes) in read_tree(root, "templates")? {
            let text = String::from_utf8(bytes).map_err(|_| Error::NotUtf8(rel.clone()))?;
            theme.templates.insert(
                rel.clone(),
                Template {
                    text,
                    origin: format!("templates/{rel}"),
                },
            );
        }
        for (rel, bytes) in read_tree(root, "static")? {
            theme.statics.insert(rel, bytes);
        }
        Ok(theme)
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.templates.contains_key(name)
    }
}

/// Every file under `root/name` but hidden files and editors' leftovers, by
/// its `/`-separated relative path; a missing directory is empty.
///
/// Every entry must really lie inside the site root, as the content directory's
/// links must: a pull request that adds `static/env.txt -> /proc/self/environ`
/// would otherwise publish the build machine's secrets. Such a link is refused,
/// naming it, and the build stops.
fn read_tree(root: &Path, name: &str) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let dir = root.join(name);
    let mut files = Vec::new();
    if std::fs::symlink_metadata(&dir).is_err() {
        return Ok(files);
    }
    let inside = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let walker = walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_leftover(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(|source| Error::WalkTheme {
            at: source
                .path()
                .map_or_else(|| name.to_string(), |p| shown(root, p)),
            source,
        })?;
        let rel_to_root = shown(root, entry.path());
        let real = std::fs::canonicalize(entry.path()).map_err(|source| Error::ReadTheme {
            path: rel_to_root.clone(),
            source,
        })?;
        if !real.starts_with(&inside) {
            return Err(Error::ThemeLinkOutside(rel_to_root));
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(&dir)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let bytes = std::fs::read(entry.path()).map_err(|source| Error::ReadTheme {
            path: rel_to_root,
            source,
        })?;
        files.push((rel, bytes));
    }
    Ok(files)
}

/// `path` relative to the site root, with `/` separators, for messages.
fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_theme_has_the_base_template_and_stylesheet() {
        let theme = Theme::embedded();
        assert!(theme.has_template("base.html"));
        assert!(theme.statics.contains_key("style.css"));
    }

    #[test]
    fn site_files_override_defaults_one_by_one() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("templates")).unwrap();
        std::fs::write(tmp.path().join("templates/404.html"), "gone").unwrap();
        std::fs::create_dir_all(tmp.path().join("static/img")).unwrap();
        std::fs::write(tmp.path().join("static/img/logo.svg"), "<svg/>").unwrap();
        let theme = Theme::for_site(tmp.path()).unwrap();
        assert_eq!(theme.templates["404.html"].text, "gone");
        assert_eq!(theme.templates["404.html"].origin, "templates/404.html");
        assert_eq!(theme.templates["base.html"].origin, "the default theme");
        assert_eq!(theme.statics["img/logo.svg"], b"<svg/>");
        assert!(theme.statics.contains_key("style.css"));
    }
}
