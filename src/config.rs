//! `trellis.toml`: the site's settings. A missing file means defaults; a bad one is
//! a diagnostic with line and column; an unknown key is refused by name, because a
//! misspelt setting that is silently ignored is worse than an error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::{toml_diagnostic, Diagnostic};
use crate::parse::labels::Labels;
use crate::parse::skills::SkillAliases;
use crate::parse::ParseContext;

pub const FILE_NAME: &str = "trellis.toml";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Where the site is published; its path (`/mentoring/`) prefixes every link.
    pub base_url: String,
    /// The content repository, for "Edit this proposal" links (`https://github.com/org/repo`).
    pub repo_url: Option<String>,
    /// Branch that edit links point at.
    pub repo_branch: String,
    /// Relative to the site root.
    pub content_dir: PathBuf,
    /// Relative to the site root.
    pub output_dir: PathBuf,
    /// Custom domain written to `CNAME` for GitHub Pages.
    pub cname: Option<String>,
    /// Skill spellings mapped to one canonical name (`golang = "Go"`), on top of the built-in ones.
    pub skills: BTreeMap<String, String>,
    /// Field labels mapped to a known field (`"Mentorinnen" = "mentors"`), on top of the built-in ones.
    pub labels: BTreeMap<String, String>,
    /// A build stops with an error before its output passes this many times
    /// the size of its input (term files and theme), plus `max_output_floor_mb`
    /// megabytes: a term file crafted to multiply into gigabytes of pages must
    /// not fill the disk of the machine that builds it.
    pub max_output_ratio: u64,
    /// What any site may write whatever its input, on top of the ratio: a
    /// small site's pages and theme are many times its few term files.
    pub max_output_floor_mb: u64,
    /// Globs (relative to `content_dir`) of the markdown files to read; empty means every `*.md`.
    pub include: Vec<String>,
    /// Globs (relative to `content_dir`) of markdown files to leave out of the site.
    pub exclude: Vec<String>,
    /// Programs by folder or file path relative to `content_dir` (`"lfx-mentorship"`),
    /// for repositories whose folder names Trellis does not know.
    pub programs: BTreeMap<String, ProgramSettings>,
    /// Organization spellings mapped to one name (`"TUF" = "The Update Framework (TUF)"`).
    pub organizations: BTreeMap<String, String>,
    /// Whether `ideas.json` lists mentors' e-mail addresses. Off by default: the
    /// site shows them only behind a click, and the export is as public as the site.
    pub export_emails: bool,
}

/// One program's settings in `[programs."folder"]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgramSettings {
    /// The program's name, shown in term titles and on its page.
    pub name: String,
    /// Where mentees apply, for every term of the program that does not say.
    #[serde(default)]
    pub apply_url: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Mentorship project ideas".into(),
            description: "Project ideas for mentees, by organization, skill and mentor.".into(),
            base_url: "/".into(),
            repo_url: None,
            repo_branch: "main".into(),
            content_dir: "content".into(),
            output_dir: "public".into(),
            cname: None,
            skills: BTreeMap::new(),
            labels: BTreeMap::new(),
            max_output_ratio: 100,
            max_output_floor_mb: 64,
            include: Vec::new(),
            exclude: Vec::new(),
            programs: BTreeMap::new(),
            organizations: BTreeMap::new(),
            export_emails: false,
        }
    }
}

impl Config {
    /// Reads `root/trellis.toml`, or the defaults when there is none.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(FILE_NAME);
        // A link out of the site would quote another file's lines in the
        // error for its first bad line: a pull request could print secrets to the CI log.
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            let inside = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
            if !std::fs::canonicalize(&path).is_ok_and(|real| real.starts_with(&inside)) {
                return Err(Diagnostic::error(
                    "symlink-outside",
                    FILE_NAME,
                    0,
                    0,
                    format!(
                        "symbolic link '{FILE_NAME}' points outside the site root: not followed"
                    ),
                )
                .with_help("copy the settings into the site, or remove the link"));
            }
        }
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let config = Config::parse(&text, FILE_NAME)?;
                config.check_paths(root, &text)?;
                Ok(config)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(Diagnostic::error(
                "config-unreadable",
                FILE_NAME,
                0,
                0,
                format!("cannot read {FILE_NAME}: {e}"),
            )),
        }
    }

    pub fn parse(text: &str, file: &str) -> Result<Config, Diagnostic> {
        let config: Config = toml::from_str(text)
            .map_err(|e| toml_diagnostic("config-invalid", file, text, 0, &e))?;
        for (label, field) in &config.labels {
            if crate::parse::labels::field_by_name(field).is_none() {
                return Err(Diagnostic::error(
                    "config-invalid",
                    file,
                    line_of(text, label).unwrap_or(0),
                    1,
                    format!("label alias '{label}' points at unknown field '{field}'"),
                )
                .with_help(format!(
                    "use one of: {}",
                    crate::parse::labels::FIELD_NAMES.join(", ")
                )));
            }
        }
        for (key, pattern) in config
            .include
            .iter()
            .map(|p| ("include", p))
            .chain(config.exclude.iter().map(|p| ("exclude", p)))
        {
            if let Err(e) = globset::Glob::new(pattern) {
                return Err(Diagnostic::error(
                    "config-invalid",
                    file,
                    line_of(text, pattern).unwrap_or(0),
                    1,
                    format!(
                        "`{key}` pattern '{pattern}' is not a valid glob: {}",
                        e.kind()
                    ),
                ));
            }
        }
        config.check_values(text, file)?;
        Ok(config)
    }

    /// Values that parse but would break the site or what is written beside it.
    fn check_values(&self, text: &str, file: &str) -> Result<(), Diagnostic> {
        let refuse = |key: &str, message: String, help: &str| {
            let (line, column) = key_position(text, key);
            Err(Diagnostic::error("config-invalid", file, line, column, message).with_help(help))
        };
        // A line break would start a line of its own in robots.txt and CNAME.
        if self.base_url.chars().any(char::is_control) {
            return refuse(
                "base_url",
                "`base_url` holds a line break or another control character".into(),
                "write the URL on one line",
            );
        }
        let lower = self.base_url.to_ascii_lowercase();
        if !(self.base_url.starts_with('/')
            || lower.starts_with("https://")
            || lower.starts_with("http://"))
        {
            return refuse(
                "base_url",
                format!(
                    "`base_url` '{}' has no scheme: links would be read as paths",
                    self.base_url.escape_debug()
                ),
                "write the whole URL (`https://example.org/mentoring/`) or only its path (`/mentoring/`)",
            );
        }
        if let Some(cname) = &self.cname {
            if cname.is_empty() || cname.chars().any(|c| c.is_control() || c.is_whitespace()) {
                return refuse(
                    "cname",
                    "`cname` must be one domain name, with no spaces or line breaks".into(),
                    "write only the domain, as `mentoring.example.org`",
                );
            }
        }
        for (alias, skill) in &self.skills {
            if alias.trim().is_empty() || skill.trim().is_empty() {
                return refuse(
                    if alias.trim().is_empty() {
                        "\"\""
                    } else {
                        alias
                    },
                    format!(
                        "skill alias '{}' = '{}' is empty on one side",
                        alias.escape_debug(),
                        skill.escape_debug()
                    ),
                    "map a spelling to a skill, as `golang = \"Go\"`",
                );
            }
        }
        if escapes(&self.content_dir) {
            return refuse(
                "content_dir",
                format!(
                    "`content_dir` '{}' is outside the site root",
                    self.content_dir.display()
                ),
                "give a directory inside the site, relative to trellis.toml",
            );
        }
        if !escapes(&self.output_dir) && lexical(&self.output_dir).starts_with("static") {
            return refuse(
                "output_dir",
                "`output_dir` is inside static/: every build would copy the last one into itself"
                    .into(),
                "write the site next to static/, as `public`",
            );
        }
        Ok(())
    }

    /// What only the file system can tell: the output must not be a symbolic
    /// link (a build replaces what it names) nor, through links, lie in static/.
    fn check_paths(&self, root: &Path, text: &str) -> Result<(), Diagnostic> {
        let output = root.join(&self.output_dir);
        let (line, column) = key_position(text, "output_dir");
        if std::fs::symlink_metadata(&output).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Diagnostic::error(
                "config-invalid",
                FILE_NAME,
                line,
                column,
                format!(
                    "`output_dir` '{}' is a symbolic link: a build replaces what it names",
                    self.output_dir.display()
                ),
            )
            .with_help("remove the link, or point `output_dir` at a real directory"));
        }
        let real = crate::util::paths::real_path;
        if let (Ok(out), Ok(statics)) = (real(&output), real(&root.join("static"))) {
            if out.starts_with(&statics) {
                return Err(Diagnostic::error(
                    "config-invalid",
                    FILE_NAME,
                    line,
                    column,
                    "`output_dir` is inside static/: every build would copy the last one into itself",
                )
                .with_help("write the site next to static/, as `public`"));
            }
        }
        Ok(())
    }

    /// What the parser needs of these settings: the label and skill aliases.
    pub fn parse_context(&self) -> ParseContext {
        ParseContext {
            labels: Labels::new(&self.labels),
            skills: SkillAliases::new(&self.skills),
        }
    }

    /// `https://host/base/` when `base_url` names a host, else the base path:
    /// for links that must be absolute (feeds, sitemap, canonical URLs). Here,
    /// beside [`Config::base_path`], so that `base_url` is taken apart in one place.
    pub fn absolute_base(&self) -> String {
        let base = self.base_path();
        match self.base_url.split_once("://") {
            Some((scheme, rest)) => {
                let host = rest.split('/').next().unwrap_or_default();
                format!("{scheme}://{host}{base}")
            }
            None => base,
        }
    }

    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        let rest = match self.base_url.find("://") {
            Some(i) => {
                let after = &self.base_url[i + 3..];
                after.find('/').map_or("/", |j| &after[j..])
            }
            None => self.base_url.as_str(),
        };
        let trimmed = rest.trim_matches('/');
        if trimmed.is_empty() {
            "/".into()
        } else {
            format!("/{trimmed}/")
        }
    }
}

/// `path` with `.` and `..` resolved as text.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Whether a path relative to the site root leaves it, as written.
fn escapes(path: &Path) -> bool {
    let mut depth = 0usize;
    for c in path.components() {
        match c {
            std::path::Component::Normal(_) => depth += 1,
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if depth > 0 => depth -= 1,
            _ => return true,
        }
    }
    false
}

/// The line and column of `key` where it is set (`key = …`), for a
/// diagnostic about its value; (1, 1) when it cannot be found.
fn key_position(text: &str, key: &str) -> (usize, usize) {
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let Some(rest) = trimmed
            .strip_prefix(key)
            .or_else(|| trimmed.strip_prefix(&format!("\"{key}\"")))
        else {
            continue;
        };
        if rest.trim_start().starts_with('=') {
            let column = line[..line.len() - trimmed.len()].chars().count() + 1;
            return (i + 1, column);
        }
    }
    (1, 1)
}

fn line_of(text: &str, needle: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(needle)).map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let err = Config::parse("title = \"x\"\nbase_ur = \"/\"\n", "trellis.toml").unwrap_err();
        assert!(err.message.contains("base_ur"), "{}", err.message);
        assert_eq!((err.line, err.column), (2, 1));
    }

    #[test]
    fn bad_syntax_has_line_and_column() {
        let err = Config::parse("title = \"x\"\ndescription = \n", "trellis.toml").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.column > 1);
    }

    #[test]
    fn base_path_comes_from_base_url() {
        let mut c = Config::default();
        assert_eq!(c.base_path(), "/");
        c.base_url = "https://cncf.github.io/mentoring".into();
        assert_eq!(c.base_path(), "/mentoring/");
        c.base_url = "https://example.org".into();
        assert_eq!(c.base_path(), "/");
    }

    #[test]
    fn values_that_would_break_the_site_name_their_key_and_line() {
        for (toml, key, line, column) in [
            (
                "title = \"x\"\nbase_url = \"https://x.org/\\nDisallow: /\"\n",
                "base_url",
                2,
                1,
            ),
            ("cname = \"a.org\\nevil\"\n", "cname", 1, 1),
            ("base_url = \"example.org/mentoring/\"\n", "base_url", 1, 1),
            ("[skills]\n  golang = \"\"\n", "golang", 2, 3),
            ("[skills]\n\"\" = \"Go\"\n", "empty", 2, 1),
            ("content_dir = \"../elsewhere\"\n", "content_dir", 1, 1),
            ("content_dir = \"/etc\"\n", "content_dir", 1, 1),
            ("output_dir = \"static/site\"\n", "output_dir", 1, 1),
            ("output_dir = \"./static\"\n", "output_dir", 1, 1),
        ] {
            let err = Config::parse(toml, "trellis.toml").unwrap_err();
            assert!(err.message.contains(key), "{toml}: {}", err.message);
            assert_eq!((err.line, err.column), (line, column), "{toml}");
        }
        for fine in [
            "base_url = \"/\"\n",
            "base_url = \"HTTPS://x.org/m/\"\n",
            "content_dir = \"proposals/../content\"\n",
            "output_dir = \"../site-out\"\n",
            "output_dir = \"statics\"\n",
        ] {
            assert!(Config::parse(fine, "trellis.toml").is_ok(), "{fine}");
        }
    }

    #[test]
    fn label_alias_must_name_a_field() {
        let err =
            Config::parse("[labels]\nMentorinnen = \"mentorz\"\n", "trellis.toml").unwrap_err();
        assert!(err.message.contains("mentorz"));
    }
}
