//! Relative links between the markdown files of a repository, pointed at what
//! those files became. A README that links `../2024/README.md` or
//! `./project_ideas.md` means the page made of that file; a link to an image or
//! a script of the repository means that file on `repo_url`. Left as written,
//! each would be a broken link on the site.
//!
//! Pure: a function of the markdown, the file's path and the site's map of
//! files to pages.

use std::collections::HashMap;

use pulldown_cmark::{Event, Parser, Tag};

/// Where links lead: each markdown file's page, and the repository.
pub struct LinkMap {
    /// Content-relative path of a markdown file → the page's absolute path on
    /// the site (`/base/terms/x/`).
    pub pages: HashMap<String, String>,
    /// `{repo_url}/blob/{branch}/`, when the site has a repository.
    pub repo_blob: Option<String>,
    /// The content directory within the repository (`programs`), `/`-separated.
    pub content_dir: String,
}

impl LinkMap {
    /// `markdown` (of the file at `rel`) with each relative link rewritten.
    pub fn rewrite(&self, markdown: &str, rel: &str) -> String {
        let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        for (event, range) in Parser::new(markdown).into_offset_iter() {
            let dest = match &event {
                Event::Start(Tag::Link { dest_url, .. })
                | Event::Start(Tag::Image { dest_url, .. }) => dest_url,
                _ => continue,
            };
            let Some(target) = self.target(dest, rel) else {
                continue;
            };
            // The destination as written inside the link's source text; a
            // reference link keeps it elsewhere and is left alone.
            let text = &markdown[range.clone()];
            if let Some(at) = text.rfind(&format!("]({dest}")) {
                let start = range.start + at + 2;
                edits.push((start..start + dest.len(), target));
            }
        }
        let mut out = markdown.to_string();
        edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
        edits.dedup_by_key(|(r, _)| r.start);
        for (range, target) in edits {
            out.replace_range(range, &target);
        }
        out
    }

    /// Where a relative `dest` written in the file at `rel` leads, or `None`
    /// for an absolute URL, an in-page anchor, or a file Trellis cannot place.
    pub fn target(&self, dest: &str, rel: &str) -> Option<String> {
        if dest.is_empty()
            || dest.starts_with('#')
            || dest.starts_with('/')
            || dest.contains("://")
            || dest.starts_with("mailto:")
        {
            return None;
        }
        let (path, fragment) = match dest.find(['#', '?']) {
            Some(i) => (&dest[..i], &dest[i..]),
            None => (dest, ""),
        };
        let folder = rel.rsplit_once('/').map_or("", |(f, _)| f);
        let (resolved, above) = join(folder, path);
        if above == 0 {
            let candidates = [
                resolved.clone(),
                format!("{resolved}.md"),
                format!("{}/README.md", resolved.trim_end_matches('/')),
                format!("{}/readme.md", resolved.trim_end_matches('/')),
            ];
            if let Some(page) = candidates
                .iter()
                .find_map(|c| self.pages.get(c.trim_start_matches('/')))
            {
                let fragment = if fragment.starts_with('#') {
                    fragment
                } else {
                    ""
                };
                return Some(format!("{page}{fragment}"));
            }
        }
        let blob = self.repo_blob.as_ref()?;
        let mut root: Vec<&str> = self
            .content_dir
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        for _ in 0..above {
            root.pop()?;
        }
        let prefix = root.join("/");
        let full = [prefix.as_str(), resolved.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("/");
        Some(format!("{blob}{full}{fragment}"))
    }
}

/// `folder` joined with a relative `path`, `.` and `..` applied; the second
/// value counts the levels the path climbs above the content directory.
fn join(folder: &str, path: &str) -> (String, usize) {
    let mut parts: Vec<&str> = folder.split('/').filter(|s| !s.is_empty()).collect();
    let mut above = 0;
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    above += 1;
                }
            }
            s => parts.push(s),
        }
    }
    (parts.join("/"), above)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map() -> LinkMap {
        LinkMap {
            pages: HashMap::from([
                (
                    "lfx/README.md".to_string(),
                    "/b/guides/lfx-readme/".to_string(),
                ),
                (
                    "lfx/2024/01/README.md".to_string(),
                    "/b/terms/lfx-2024-01/".to_string(),
                ),
                (
                    "lfx/2024/01/project_ideas.md".to_string(),
                    "/b/terms/lfx-2024-01/".to_string(),
                ),
            ]),
            repo_blob: Some("https://github.com/o/r/blob/main/".into()),
            content_dir: "programs".into(),
        }
    }

    #[test]
    fn links_to_markdown_files_point_at_their_pages() {
        let m = map();
        let md = "See [ideas](./project_ideas.md#kubernetes) and [the program](../../README.md).";
        assert_eq!(
            m.rewrite(md, "lfx/2024/01/README.md"),
            "See [ideas](/b/terms/lfx-2024-01/#kubernetes) and [the program](/b/guides/lfx-readme/)."
        );
        assert_eq!(
            m.rewrite("[t](2024/01)", "lfx/README.md"),
            "[t](/b/terms/lfx-2024-01/)"
        );
    }

    #[test]
    fn other_files_point_at_the_repository() {
        let m = map();
        assert_eq!(
            m.target("../../../CONTRIBUTING.md", "lfx/2024/README.md")
                .as_deref(),
            Some("https://github.com/o/r/blob/main/CONTRIBUTING.md")
        );
        assert_eq!(
            m.target("logo.png", "lfx/README.md").as_deref(),
            Some("https://github.com/o/r/blob/main/programs/lfx/logo.png")
        );
        assert_eq!(m.target("https://x.org/a.md", "lfx/README.md"), None);
        assert_eq!(m.target("#top", "lfx/README.md"), None);
        let no_repo = LinkMap {
            repo_blob: None,
            ..map()
        };
        assert_eq!(no_repo.target("logo.png", "lfx/README.md"), None);
    }
}
