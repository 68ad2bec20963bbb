//! Writing the site: into a fresh staging directory beside the output, swapped in
//! only when everything was written, so a failed build leaves the previous site as
//! it was. Trellis only ever replaces a directory that it made itself.

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// Marks an output directory as Trellis's own, so it may be replaced.
pub const MARKER: &str = ".trellis-output";

/// Where a build puts the files of a site: the staging directory of `trellis
/// build` ([`Staging`]) or an update of the dev server's live directory
/// ([`Update`]). A build writes through this alone, so a full build and a
/// rebuild are the same code over a different set of pages.
pub trait Output: Sync {
    /// Writes one file at a site-relative path; paths that would leave the site are refused.
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;
    /// A file of the site as written so far, as text (the link check reads
    /// pages back to name each broken link). The live directory's update holds
    /// new files in memory, so this is a read, not a path.
    fn read(&self, rel: &str) -> Option<String>;
}

/// Why an output directory is refused: each names the directory as given
/// and, when it differs, as it really is ([`Named`]).
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("refusing to write the site to '{}': it is a symbolic link, and the build replaces what it names; give the real directory instead", .0.display())]
    Symlink(PathBuf),
    /// The site root, the content directory or the output has no real path.
    #[error("cannot resolve '{}': {source}", .path.display())]
    Unresolvable { path: PathBuf, source: io::Error },
    #[error("refusing to write the site to {0}: it is the file system root")]
    FileSystemRoot(Named),
    #[error("refusing to write the site to {0}: it is your home directory")]
    HomeDirectory(Named),
    #[error("refusing to write the site to {0}: it holds the site root itself")]
    HoldsSiteRoot(Named),
    #[error("refusing to write the site to {0}: it overlaps the content directory")]
    OverlapsContent(Named),
    #[error("refusing to write the site to {0}: it is inside static/, so every build would copy the last one into itself")]
    InsideStatic(Named),
    #[error("refusing to replace {0}: it is a file, not a directory; remove it or choose another --output")]
    NotADirectory(Named),
    #[error("refusing to replace {0}: it is not empty and was not made by Trellis (no {MARKER} file); remove it or choose another --output")]
    NotOurs(Named),
}

/// An output directory as given, and its real path: shown as `'given'`, with
/// ` (really 'real')` after it when the two differ, so a refusal names both
/// what the user typed and what the file system made of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub given: PathBuf,
    pub real: PathBuf,
}

impl std::fmt::Display for Named {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "'{}'", self.given.display())?;
        if self.real != self.given {
            write!(f, " (really '{}')", self.real.display())?;
        }
        Ok(())
    }
}

/// Refuses output directories whose loss would hurt: `/`, the home directory, the
/// site root or any directory above it, the content directory or anything inside it,
/// a symbolic link, existing non-empty directories that Trellis did not make, and
/// anything that is not a directory (a build would move a file aside and never put
/// it back). Returns the output's real path, which the build must write to.
///
/// Every check is made on the real path, with the symbolic links of its existing
/// part resolved: as text, `lnk/../victim` (with `lnk` a link committed to the
/// site) looks like a directory of the site, but the file system reads it as the
/// `victim` beside wherever `lnk` points.
pub fn check_output_dir(
    root: &Path,
    content_dir: &Path,
    output: &Path,
) -> Result<PathBuf, Refusal> {
    if std::fs::symlink_metadata(output).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Refusal::Symlink(output.to_path_buf()));
    }
    let real = |p: &Path| {
        crate::util::paths::real_path(p).map_err(|source| Refusal::Unresolvable {
            path: p.to_path_buf(),
            source,
        })
    };
    let (root, content, out) = (real(root)?, real(content_dir)?, real(output)?);
    let named = || Named {
        given: output.to_path_buf(),
        real: out.clone(),
    };
    if out.parent().is_none() {
        return Err(Refusal::FileSystemRoot(named()));
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from) {
        if real(&home).is_ok_and(|home| home == out) {
            return Err(Refusal::HomeDirectory(named()));
        }
    }
    if root.starts_with(&out) {
        return Err(Refusal::HoldsSiteRoot(named()));
    }
    if out.starts_with(&content) || content.starts_with(&out) {
        return Err(Refusal::OverlapsContent(named()));
    }
    if real(&root.join("static")).is_ok_and(|statics| out.starts_with(statics)) {
        return Err(Refusal::InsideStatic(named()));
    }
    if out.exists() && !out.is_dir() {
        return Err(Refusal::NotADirectory(named()));
    }
    if out.is_dir() && !is_own(&out) {
        return Err(Refusal::NotOurs(named()));
    }
    Ok(out)
}

/// Whether Trellis may remove `dir`: it carries the marker file, or is empty.
fn is_own(dir: &Path) -> bool {
    dir.join(MARKER).is_file()
        || std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

/// Removes a directory Trellis made, and refuses any other: whatever path
/// checks came before, a directory without the marker file is never deleted.
pub fn remove_own_dir(dir: &Path) -> io::Result<()> {
    if std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) || !is_own(dir) {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "refusing to remove '{}': it was not made by Trellis (no {MARKER} file)",
                dir.display()
            ),
        ));
    }
    std::fs::remove_dir_all(dir)
}

/// The bytes a build may still write. Output grows with its input (a card
/// lists a bounded number of skills and mentors), so a build that passes the
/// limit was fed something made to multiply: it is stopped before the disk
/// fills, with an error that names the setting.
pub struct Budget {
    limit: u64,
    spent: AtomicU64,
}

impl Budget {
    /// `ratio` times `input` bytes, plus `floor_mb` megabytes.
    pub fn new(input: u64, ratio: u64, floor_mb: u64) -> Budget {
        Budget {
            limit: input
                .saturating_mul(ratio)
                .saturating_add(floor_mb.saturating_mul(1 << 20)),
            spent: AtomicU64::new(0),
        }
    }

    /// Counts `bytes` about to be written; an error once the total passes the limit.
    pub fn spend(&self, bytes: usize) -> io::Result<()> {
        let spent = self.spent.fetch_add(bytes as u64, Ordering::Relaxed) + bytes as u64;
        if spent > self.limit {
            return Err(io::Error::new(
                io::ErrorKind::FileTooLarge,
                format!(
                "the site would pass {} bytes, more than `max_output_ratio` and `max_output_floor_mb` in {} allow for this input; stopped before the disk fills",
                self.limit,
                crate::config::FILE_NAME,
            ),
            ));
        }
        Ok(())
    }
}

/// An output that stops at a [`Budget`]: each file is charged before it
/// reaches the output it wraps, so the full build, the dev server's rebuild
/// and `trellis check` all stop at the same limit.
pub struct Budgeted<'o> {
    output: &'o dyn Output,
    budget: Budget,
}

impl<'o> Budgeted<'o> {
    pub fn new(output: &'o dyn Output, budget: Budget) -> Budgeted<'o> {
        Budgeted { output, budget }
    }
}

impl Output for Budgeted<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.budget.spend(bytes.len())?;
        self.output.write(rel, bytes)
    }

    fn read(&self, rel: &str) -> Option<String> {
        self.output.read(rel)
    }
}

/// A site being written. Dropped without [`Staging::commit`], it removes itself.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
    /// Directories already made, so that each of thousands of files costs one
    /// system call to create and write, not three more to make its directory.
    made: Dirs,
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
        clear_leftovers(parent, &name, target);
        let dir = parent.join(format!(".{name}.trellis-new-{}", std::process::id()));
        if dir.exists() {
            remove_own_dir(&dir)?;
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
            made: Dirs::default(),
        })
    }

    /// The directory being written, for reading back what was written.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn path_of(&self, rel: &str) -> io::Result<PathBuf> {
        Ok(self.dir.join(checked_rel(rel)?))
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
        if had_old && !is_own(&self.target) {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!(
                    "refusing to replace '{}': it was not made by Trellis (no {MARKER} file)",
                    self.target.display()
                ),
            ));
        }
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
            remove_own_dir(&old)?;
        }
        Ok(())
    }
}

/// What a build leaves beside the output while it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leftover {
    /// `.{name}.trellis-new-{pid}`: the new site being written.
    New,
    /// `.{name}.trellis-old-{pid}`: the previous site, set aside during the swap.
    Old,
}

/// Reads a directory name as a leftover of the build of process `pid` for the output `name`.
fn leftover_of(file_name: &str, name: &str) -> Option<(Leftover, u32)> {
    let rest = file_name.strip_prefix('.')?.strip_prefix(name)?;
    let (kind, pid) = if let Some(pid) = rest.strip_prefix(".trellis-new-") {
        (Leftover::New, pid)
    } else {
        (Leftover::Old, rest.strip_prefix(".trellis-old-")?)
    };
    Some((kind, pid.parse().ok()?))
}

/// Clears what builds that were killed (power loss, SIGKILL, a full disk's
/// SIGXFSZ) left beside the output, since no one else ever will: an unfinished
/// new site is removed, and a previous site set aside by a swap that never
/// finished goes back in place if the output is missing, else is removed. Only
/// leftovers of processes that are gone are touched, so a build running beside
/// this one keeps its own; where the OS has no `/proc` to tell, nothing is.
fn clear_leftovers(parent: &Path, name: &str, target: &Path) {
    for (kind, dir) in orphans(parent, |n| leftover_of(n, name)) {
        // Best effort: a leftover that cannot be cleared now is tried again next build.
        let _ = if kind == Leftover::Old && !target.exists() {
            std::fs::rename(dir, target)
        } else {
            remove_own_dir(&dir)
        };
    }
}

/// The directories in `parent` left by processes that are gone: those whose
/// name `owner` reads as belonging to process id `pid` (with what else it
/// tells of the name), when that process is not running and is not this one.
/// Where the OS has no `/proc` to tell, none: a directory of a live process
/// must never be taken for an orphan.
pub fn orphans<T>(parent: &Path, owner: impl Fn(&str) -> Option<(T, u32)>) -> Vec<(T, PathBuf)> {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return Vec::new();
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|entry| {
            let (what, pid) = owner(entry.file_name().to_str()?)?;
            let gone = pid != std::process::id() && !proc.join(pid.to_string()).exists();
            gone.then(|| (what, entry.path()))
        })
        .collect()
}

/// The directories made so far in an output directory.
#[derive(Default)]
struct Dirs(Mutex<HashSet<PathBuf>>);

impl Dirs {
    fn make_parent(&self, path: &Path) -> io::Result<()> {
        let Some(parent) = path.parent() else {
            return Ok(());
        };
        // A poisoned lock only means another writer panicked; the set is still valid.
        if self
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(parent)
        {
            return Ok(());
        }
        std::fs::create_dir_all(parent)?;
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(parent.to_path_buf());
        Ok(())
    }
}

/// Refuses site-relative paths that would leave the site.
fn checked_rel(rel: &str) -> io::Result<&Path> {
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
    Ok(rel_path)
}

/// A site directory that the dev server keeps and updates in place: after the
/// first build, a rebuild rewrites only the files whose bytes changed and
/// removes the files the site no longer has, so a save costs what it changed,
/// not a copy of the whole site.
pub struct LiveDir {
    dir: PathBuf,
    /// Every file of the site, by site-relative path, with a hash of its bytes.
    files: HashMap<String, u64>,
    /// Nothing has been committed yet.
    fresh: bool,
}

impl LiveDir {
    /// An empty site directory at `dir`, which must not exist yet.
    pub fn create(dir: &Path) -> io::Result<LiveDir> {
        std::fs::create_dir_all(dir)?;
        std::fs::write(
            dir.join(MARKER),
            "This directory was written by Trellis and is replaced on every build.\n",
        )?;
        Ok(LiveDir {
            dir: dir.to_path_buf(),
            files: HashMap::new(),
            fresh: true,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether nothing was committed yet.
    pub fn is_fresh(&self) -> bool {
        self.fresh
    }

    /// Empties the directory of `live` and starts over, as [`LiveDir::create`].
    pub fn recreate(live: &LiveDir) -> io::Result<LiveDir> {
        remove_own_dir(&live.dir)?;
        LiveDir::create(&live.dir)
    }

    /// Starts an update. The first one writes straight to disk (there is no
    /// previous site to keep); later ones keep every file in memory until
    /// [`LiveDir::commit`], so a failed rebuild leaves the served site whole.
    pub fn begin(&self) -> Update {
        Update {
            direct: self.fresh,
            dir: self.dir.clone(),
            made: Dirs::default(),
            files: Mutex::new(HashMap::new()),
            pending: Mutex::new(Vec::new()),
        }
    }

    /// Applies an update: writes its files whose bytes changed, each by a rename
    /// so a request never reads half a file, and removes the files it did not
    /// produce or keep. On an error the directory is partly updated: build anew.
    pub fn commit(&mut self, update: Update) -> io::Result<Changes> {
        let files = update.files.into_inner().unwrap_or_else(|p| p.into_inner());
        let mut changes = Changes::default();
        let mut gone: Vec<&String> = self
            .files
            .keys()
            .filter(|f| !files.contains_key(*f))
            .collect();
        gone.sort();
        for rel in gone {
            let path = self.dir.join(rel);
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
            remove_empty_parents(&self.dir, &path);
            changes.removed += 1;
        }
        let pending = update
            .pending
            .into_inner()
            .unwrap_or_else(|p| p.into_inner());
        for (rel, bytes) in pending {
            if self.files.get(&rel) == files.get(&rel) {
                continue;
            }
            let path = self.dir.join(&rel);
            update.made.make_parent(&path)?;
            let name = path
                .file_name()
                .map_or("file".into(), |n| n.to_string_lossy().into_owned());
            let tmp = path.with_file_name(format!(".{name}.trellis-tmp"));
            std::fs::write(&tmp, &bytes)?;
            std::fs::rename(&tmp, &path)?;
            changes.written += 1;
            changes.bytes += bytes.len() as u64;
        }
        if update.direct {
            changes.written = files.len();
        }
        self.files = files;
        self.fresh = false;
        Ok(changes)
    }

    /// The hash of a file's bytes as the last commit left it.
    pub fn hash_of(&self, rel: &str) -> Option<u64> {
        self.files.get(rel).copied()
    }
}

/// Removes the directories above `path` that are now empty, up to `root`.
fn remove_empty_parents(root: &Path, path: &Path) {
    let mut dir = path.parent();
    while let Some(d) = dir.filter(|d| *d != root && d.starts_with(root)) {
        if std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

/// What a commit changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    pub written: usize,
    pub bytes: u64,
    pub removed: usize,
}

/// The files of one rebuild of a [`LiveDir`], gathered from many threads.
pub struct Update {
    direct: bool,
    dir: PathBuf,
    made: Dirs,
    /// Every file of the new site with the hash of its bytes.
    files: Mutex<HashMap<String, u64>>,
    /// Bytes not on disk yet.
    pending: Mutex<Vec<(String, Vec<u8>)>>,
}

impl Update {
    /// Keeps a file of the previous site as it is (a page the rebuild skipped).
    pub fn keep(&self, rel: &str, live: &LiveDir) {
        if let Some(hash) = live.hash_of(rel) {
            self.files
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .entry(rel.to_string())
                .or_insert(hash);
        }
    }

    /// Whether the new site has this file.
    pub fn has(&self, rel: &str) -> bool {
        self.files
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains_key(rel)
    }

    /// Every file of the new site.
    pub fn paths(&self) -> Vec<String> {
        self.files
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .keys()
            .cloned()
            .collect()
    }
}

impl Output for Update {
    /// Adds a file to the new site.
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let rel_path = checked_rel(rel)?;
        let hash = content_hash(bytes);
        if self.direct {
            let path = self.dir.join(rel_path);
            self.made.make_parent(&path)?;
            std::fs::write(path, bytes)?;
        } else {
            self.pending
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push((rel.to_string(), bytes.to_vec()));
        }
        self.files
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(rel.to_string(), hash);
        Ok(())
    }

    /// A file of the new site as text: from memory when it is new, else from disk.
    fn read(&self, rel: &str) -> Option<String> {
        let pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
        match pending.iter().rev().find(|(r, _)| r == rel) {
            Some((_, bytes)) => String::from_utf8(bytes.clone()).ok(),
            None => std::fs::read_to_string(self.dir.join(rel)).ok(),
        }
    }
}

/// A hash of a file's bytes, to tell whether a rebuild changed it. A fast one
/// (a rebuild hashes megabytes): each step is a bijection of the state for a
/// given word, so any change of a single word changes the hash for sure.
fn content_hash(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut hasher = crate::util::fingerprint::QuickHash::default();
    hasher.write(bytes);
    hasher.write_usize(bytes.len());
    hasher.finish()
}

impl Output for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.path_of(rel)?;
        self.made.make_parent(&path)?;
        std::fs::write(path, bytes)
    }

    fn read(&self, rel: &str) -> Option<String> {
        std::fs::read_to_string(self.path_of(rel).ok()?).ok()
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
    fn leftovers_are_told_by_name() {
        assert_eq!(
            leftover_of(".public.trellis-new-42", "public"),
            Some((Leftover::New, 42))
        );
        assert_eq!(
            leftover_of(".public.trellis-old-7", "public"),
            Some((Leftover::Old, 7))
        );
        assert_eq!(leftover_of(".docs.trellis-new-42", "public"), None);
        assert_eq!(leftover_of(".public.trellis-new-x", "public"), None);
        assert_eq!(leftover_of("public", "public"), None);
    }

    #[test]
    fn leftovers_of_dead_builds_are_cleared_and_an_orphaned_site_restored() {
        if !Path::new("/proc/self").exists() {
            eprintln!("skipped: no /proc to tell dead builds from live ones");
            return;
        }
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        // No process has this pid: Linux's pid_max is at most 2^22.
        let dead = u32::MAX - 1;
        let new = tmp.path().join(format!(".public.trellis-new-{dead}"));
        let old = tmp.path().join(format!(".public.trellis-old-{dead}"));
        std::fs::create_dir_all(&new).unwrap();
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(old.join("index.html"), "previous").unwrap();
        let staging = Staging::begin(&target).unwrap();
        assert!(!new.exists(), "unfinished site removed");
        assert!(!old.exists());
        assert_eq!(
            std::fs::read_to_string(target.join("index.html")).unwrap(),
            "previous",
            "the site a killed swap set aside is back"
        );
        drop(staging);
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
