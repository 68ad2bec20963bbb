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
        }
    }
}

impl Config {
    /// Reads `root/trellis.toml`, or the defaults when there is none.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(FILE_NAME);
        match std::fs::read_to_string(&path) {
            Ok(text) => Config::parse(&text, FILE_NAME),
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
        Ok(config)
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
    fn label_alias_must_name_a_field() {
        let err =
            Config::parse("[labels]\nMentorinnen = \"mentorz\"\n", "trellis.toml").unwrap_err();
        assert!(err.message.contains("mentorz"));
    }
}
