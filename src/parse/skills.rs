//! The skills sub-parser: "Golang, k8s and HTML/CSS (basic is fine)" → Go, Kubernetes, HTML, CSS.
//!
//! Skills become pages and search facets, so spellings must agree: an alias table
//! (built-in, extended by trellis.toml) maps them to one name, and remarks in
//! parentheses or long phrases are kept as notes instead of becoming skills.

use std::collections::{HashMap, HashSet};

use super::caseless;
use crate::util::plain::{collapse_spaces, plain_lines};

const BUILTIN: &[(&str, &str)] = &[
    ("go", "Go"),
    ("golang", "Go"),
    ("go lang", "Go"),
    ("go language", "Go"),
    ("k8s", "Kubernetes"),
    ("kubernetes", "Kubernetes"),
    ("js", "JavaScript"),
    ("javascript", "JavaScript"),
    ("java script", "JavaScript"),
    ("ts", "TypeScript"),
    ("typescript", "TypeScript"),
    ("python", "Python"),
    ("python3", "Python"),
    ("rust", "Rust"),
    ("rustlang", "Rust"),
    ("c++", "C++"),
    ("cpp", "C++"),
    ("c", "C"),
    ("java", "Java"),
    ("git", "Git"),
    ("github", "GitHub"),
    ("docker", "Docker"),
    ("html", "HTML"),
    ("css", "CSS"),
    ("sql", "SQL"),
    ("ebpf", "eBPF"),
    ("bpf", "eBPF"),
    ("wasm", "WebAssembly"),
    ("webassembly", "WebAssembly"),
    ("react", "React"),
    ("reactjs", "React"),
    ("react.js", "React"),
    ("nodejs", "Node.js"),
    ("node.js", "Node.js"),
    ("node", "Node.js"),
    ("yaml", "YAML"),
    ("json", "JSON"),
    ("linux", "Linux"),
    ("bash", "Bash"),
    ("shell", "Shell"),
    ("shell scripting", "Shell"),
    ("prometheus", "Prometheus"),
    ("grpc", "gRPC"),
    ("helm", "Helm"),
    ("opentelemetry", "OpenTelemetry"),
    ("cue", "CUE"),
    ("cuelang", "CUE"),
    ("markdown", "Markdown"),
    ("ci/cd", "CI/CD"),
    ("ui/ux", "UI/UX"),
    ("ux", "UX"),
    ("ui", "UI"),
    ("api", "API"),
    ("apis", "API"),
    ("aws", "AWS"),
    ("gcp", "GCP"),
    ("azure", "Azure"),
    ("terraform", "Terraform"),
    ("webassembly rust sdk", "WebAssembly"),
];

/// Words that introduce a skill without being part of it ("basic knowledge of Rust").
const LEAD_INS: &[&str] = &[
    "working knowledge of the",
    "working knowledge of",
    "basic knowledge of",
    "basic understanding of",
    "good understanding of",
    "understanding of",
    "knowledge of",
    "knowledge on",
    "familiarity with",
    "experience with",
    "experience in",
    "experience working with",
    "working with",
    "interest in",
    "proficiency in",
    "basic",
    "some",
    "and",
    "or",
];

/// Slash-joined pairs that are one skill, not two.
const KEEP_SLASHED: &[&str] = &["ci/cd", "ui/ux", "tcp/ip", "i/o", "pl/sql"];

/// A phrase of more words than this is a remark, not a skill.
const MAX_SKILL_WORDS: usize = 4;

#[derive(Debug, Clone)]
pub struct SkillAliases {
    map: HashMap<String, String>,
}

impl Default for SkillAliases {
    fn default() -> Self {
        SkillAliases::new(std::iter::empty())
    }
}

impl SkillAliases {
    pub fn new<'a>(site: impl IntoIterator<Item = (&'a String, &'a String)>) -> SkillAliases {
        let mut map: HashMap<String, String> = BUILTIN
            .iter()
            .map(|(a, c)| (a.to_string(), c.to_string()))
            .collect();
        for (alias, canonical) in site {
            map.insert(alias.to_lowercase(), canonical.clone());
        }
        SkillAliases { map }
    }

    /// The canonical name of one skill.
    pub fn canonical(&self, skill: &str) -> String {
        let key = skill.to_lowercase();
        if let Some(c) = self.map.get(&key) {
            return c.clone();
        }
        // "Rust language", "C++ programming language" → the language's name.
        for suffix in [
            " programming language",
            " programming",
            " language",
            " lang",
        ] {
            if let Some(stem) = key.strip_suffix(suffix) {
                if let Some(c) = self.map.get(stem) {
                    return c.clone();
                }
            }
        }
        // Not in the table: as written, since `kubeadm` and `k6` are spelled that way.
        skill.to_string()
    }
}

/// Skills and notes parsed from one skills field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedSkills {
    pub skills: Vec<String>,
    pub notes: Vec<String>,
}

pub fn parse_skills(markdown: &str, aliases: &SkillAliases) -> ParsedSkills {
    let text = plain_lines(markdown);
    let mut out = ParsedSkills::default();
    // Skills already taken, ASCII-lowercased: a set, so a field listing thousands
    // of skills costs no more per skill than one listing three.
    let mut seen = HashSet::new();
    let (bare, remarks) = take_parentheticals(&text);
    out.notes.extend(remarks);
    for piece in split_list(&bare) {
        let skill = strip_trailers(strip_lead_ins(
            piece.trim().trim_end_matches(['.', ':', '!']).trim(),
        ));
        if skill.is_empty() {
            continue;
        }
        // A link in a skills field is a reference, never a skill.
        let lower = skill.to_ascii_lowercase();
        if lower.contains("://") || lower.starts_with("www.") {
            out.notes.push(skill.to_string());
            continue;
        }
        if skill.split_whitespace().count() > MAX_SKILL_WORDS {
            out.notes.push(skill.to_string());
            continue;
        }
        let name = aliases.canonical(skill);
        if seen.insert(name.to_ascii_lowercase()) {
            out.skills.push(name);
        }
    }
    out
}

/// Splits off `( … )` remarks (nesting-aware); returns the rest and the remarks.
fn take_parentheticals(text: &str) -> (String, Vec<String>) {
    let mut rest = String::new();
    let mut remarks = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '(' => {
                if depth > 0 {
                    current.push(c);
                }
                depth += 1;
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    let remark = collapse_spaces(&current);
                    if !remark.is_empty() {
                        remarks.push(remark);
                    }
                    current.clear();
                } else {
                    current.push(c);
                }
            }
            _ if depth > 0 => current.push(c),
            _ => rest.push(c),
        }
    }
    if !current.is_empty() {
        rest.push_str(&current);
    }
    (rest, remarks)
}

/// Splits on commas, semicolons, " and ", " or ", "&" and slashes between words.
fn split_list(text: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    for part in text.split([',', ';', '\n', '•']) {
        for part in split_words(part, &[" and ", " or ", " & ", " + "]) {
            let lower = part.trim().to_lowercase();
            if part.contains('/')
                && !KEEP_SLASHED.contains(&lower.as_str())
                && !lower.contains("://")
            {
                pieces.extend(part.split('/').map(str::to_string));
            } else {
                pieces.push(part);
            }
        }
    }
    pieces
}

fn split_words(text: &str, separators: &[&str]) -> Vec<String> {
    let mut parts = vec![text.to_string()];
    for sep in separators {
        parts = parts
            .iter()
            .flat_map(|p| {
                let mut out = Vec::new();
                let mut start = 0;
                for i in caseless::match_indices(p, sep) {
                    out.push(p[start..i].to_string());
                    start = i + sep.len();
                }
                out.push(p[start..].to_string());
                out
            })
            .collect();
    }
    parts
}

/// Words that trail a skill without adding to it ("WebAssembly knowledge").
const TRAILERS: &[&str] = &[" knowledge", " skills", " skill", " experience", " basics"];

fn strip_trailers(s: &str) -> &str {
    TRAILERS
        .iter()
        .find_map(|t| caseless::strip_suffix(s, t).filter(|rest| !rest.is_empty()))
        .map_or(s, str::trim_end)
}

fn strip_lead_ins(mut s: &str) -> &str {
    loop {
        let Some(rest) = LEAD_INS
            .iter()
            .find_map(|l| caseless::strip_prefix(s, l).filter(|rest| rest.starts_with(' ')))
        else {
            return s;
        };
        s = rest.trim_start();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skills(s: &str) -> ParsedSkills {
        parse_skills(s, &SkillAliases::default())
    }

    #[test]
    fn aliases_and_separators() {
        assert_eq!(
            skills("Golang, k8s and HTML/CSS").skills,
            vec!["Go", "Kubernetes", "HTML", "CSS"]
        );
    }

    #[test]
    fn unknown_skills_keep_their_case_and_urls_are_no_skills() {
        let s = skills("kubeadm, k6, Python, https://example.org/guide");
        assert_eq!(s.skills, vec!["kubeadm", "k6", "Python"]);
        assert_eq!(s.notes, vec!["https://example.org/guide"]);
    }

    #[test]
    fn parenthetical_remark_is_a_note() {
        let s = skills("Golang, git, software development.  (Mentee does not need prior experience in profiling)");
        assert_eq!(s.skills, vec!["Go", "Git", "software development"]);
        assert_eq!(
            s.notes,
            vec!["Mentee does not need prior experience in profiling"]
        );
    }

    #[test]
    fn lead_ins_are_dropped_and_languages_named() {
        let s = skills("working knowledge of the Rust language and WebAssembly Rust SDK");
        assert_eq!(s.skills, vec!["Rust", "WebAssembly"]);
    }

    #[test]
    fn trailing_knowledge_is_dropped() {
        let s = skills("C++ programming language, WebAssembly knowledge.");
        assert_eq!(s.skills, vec!["C++", "WebAssembly"]);
    }

    #[test]
    fn sub_bullets_are_skills() {
        assert_eq!(
            skills("\n- Go\n- Kubernetes\n").skills,
            vec!["Go", "Kubernetes"]
        );
    }

    #[test]
    fn ci_cd_stays_one_skill() {
        assert_eq!(skills("CI/CD, Docker").skills, vec!["CI/CD", "Docker"]);
    }

    #[test]
    fn site_alias_wins() {
        let site = [("cuelang".to_string(), "CUE language".to_string())];
        let aliases = SkillAliases::new(site.iter().map(|(a, b)| (a, b)));
        assert_eq!(
            parse_skills("cueLang", &aliases).skills,
            vec!["CUE language"]
        );
    }
}
