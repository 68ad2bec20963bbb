//! Writing the site: into a fresh staging directory beside the output, swapped in
//! only when everything was written, so a failed build leaves the previous site as
//! it was. Trellis only ever replaces a directory that it made itself.

use std::io;
use std::path::{Component, Path, PathBuf};

/// Marks an output directory as Trellis's own, so it may be replaced.
pub const MARKER: &str = ".trellis-output";

/// Refuses output directories whose loss would hurt: `/`, the home directory, the
/// site root or any directory above it, the content directory or anything inside it,
/// and existing non-empty directories that Trellis did not make.
pub fn check_output_dir(root: &Path, content_dir: &Path, output: &Path) -> Result<(), String> {
    let abs = |p: &Path| {
        std::path::absolute(p)
            .map(|p| normalize(&p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    let (root, content, out) = (abs(root), abs(content_dir), abs(output));
    if out.parent().is_none() {
        return Err(format!(
            "refusing to write the site to '{}': it is the file system root",
            out.display()
        ));
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        if abs(&home) == out {
            return Err(format!(
                "refusing to write the site to '{}': it is your home directory",
                out.display()
            ));
        }
    }
    if root.starts_with(&out) {
        return Err(format!(
            "refusing to write the site to '{}': it holds the site root itself",
            out.display()
        ));
    }
    if out.starts_with(&content) || content.starts_with(&out) {
        return Err(format!(
            "refusing to write the site to '{}': it overlaps the content directory",
            out.display()
        ));
    }
    if out.is_dir()
        && !out.join(MARKER).exists()
        && std::fs::read_dir(&out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(false)
    {
        return Err(format!(
            "refusing to replace '{}': it is not empty and was not made by Trellis (no {MARKER} file); remove it or choose another --output",
            out.display()
        ));
    }
    Ok(())
}

/// Resolves `.` and `..` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// A site being written. Dropped without [`Staging::commit`], it removes itself.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    pub fn begin(target: &Path) -> io::Result<Staging> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        let name = target
            .file_name()
            .map_or("site".into(), |n| n.to_string_lossy().into_owned());
        let dir = parent.join(format!(".{name}.trellis-new-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        std::fs::write(
            dir.join(MARKER),
            "This directory was written by Trellis and is replaced on every build.\n",
        )?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            committed: false,
        })
    }

    /// Writes one file at a site-relative path; paths that would leave the site are refused.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.path_of(rel)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, bytes)
    }

    pub fn path_of(&self, rel: &str) -> io::Result<PathBuf> {
        let rel_path = Path::new(rel);
        if rel.is_empty()
            || rel_path
                .components()
                .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write outside the site: '{rel}'"),
            ));
        }
        Ok(self.dir.join(rel_path))
    }

    /// Swaps the new site in for the old one.
    pub fn commit(mut self) -> io::Result<()> {
        let old = self.target.with_file_name(format!(
            ".{}.trellis-old-{}",
            self.target
                .file_name()
                .map_or("site".into(), |n| n.to_string_lossy().into_owned()),
            std::process::id()
        ));
        let had_old = self.target.exists();
        if had_old {
            std::fs::rename(&self.target, &old)?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_old {
                // Put the previous site back: a failed swap must not lose it.
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        self.committed = true;
        if had_old {
            std::fs::remove_dir_all(&old)?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_outputs_are_refused() {
        let root = Path::new("/srv/site");
        let content = Path::new("/srv/site/content");
        assert!(check_output_dir(root, content, Path::new("/")).is_err());
        assert!(check_output_dir(root, content, Path::new("/srv/site")).is_err());
        assert!(check_output_dir(root, content, Path::new("/srv")).is_err());
        assert!(check_output_dir(root, content, Path::new("/srv/site/content/public")).is_err());
        assert!(check_output_dir(root, content, Path::new("/srv/site/public/../content")).is_err());
    }

    #[test]
    fn staging_refuses_escaping_paths() {
        let tmp = tempfile::tempdir().unwrap();
        let staging = Staging::begin(&tmp.path().join("public")).unwrap();
        assert!(staging.write("../evil", b"x").is_err());
        assert!(staging.write("/etc/passwd", b"x").is_err());
        staging.write("a/b.html", b"ok").unwrap();
        staging.commit().unwrap();
        assert_eq!(
            std::fs::read(tmp.path().join("public/a/b.html")).unwrap(),
            b"ok"
        );
    }

    #[test]
    fn uncommitted_staging_leaves_previous_site() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("index.html"), "old").unwrap();
        {
            let staging = Staging::begin(&target).unwrap();
            staging.write("index.html", b"new").unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "old"
        );
        assert_eq!(
            std::fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "staging dir removed"
        );
    }
}
