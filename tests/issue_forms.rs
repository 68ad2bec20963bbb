//! Proposals from GitHub issues, end to end: a `gh issue list` export read
//! into ideas against the site's issue form, the site built from it, one issue
//! body checked with `trellis check --issue-body` in each format, and what
//! `trellis init --issue-forms` writes.
//!
//! The export in `tests/fixtures/issues/proposals.json` was written for these
//! tests from the CNCF LFX proposal form: four proposals of four organizations
//! (optional fields empty, a "same as Technologies" box ticked, 1 to 4
//! mentors), an issue that is no proposal, and a closed proposal.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/skip.rs"]
mod skip;

use std::path::{Path, PathBuf};
use std::process::Stdio;

use cli::{assert_exit, command, site, trellis};
use trellis::build::{self, Loaded};
use trellis::diagnostic::Severity;
use trellis::model::{Idea, Mentor};

const EXPORT: &[u8] = include_bytes!("fixtures/issues/proposals.json");

/// The CNCF proposal form, beside the corpus: `<corpus>/../corpus-forms/`.
fn cncf_form() -> Option<Vec<u8>> {
    let Some(corpus) = std::env::var_os("TRELLIS_CORPUS") else {
        skip::say("skipped: TRELLIS_CORPUS is unset; the CNCF issue form sits beside the corpus");
        return None;
    };
    let path = PathBuf::from(corpus).join("../corpus-forms/cncf-lfx-program-proposal.yml");
    Some(std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn load(root: &Path) -> Loaded {
    let config = build::load_config(root).unwrap();
    build::load_site(root, config, &[])
}

fn mentor(name: &str, github: &str) -> Mentor {
    Mentor {
        name: name.into(),
        github: Some(github.into()),
        ..Mentor::default()
    }
}

fn idea<'a>(loaded: &'a Loaded, title: &str) -> &'a Idea {
    loaded
        .site
        .ideas
        .iter()
        .find(|i| i.title == title)
        .unwrap_or_else(|| panic!("no idea '{title}' among {:?}", titles(loaded)))
}

fn titles(loaded: &Loaded) -> Vec<&str> {
    loaded.site.ideas.iter().map(|i| i.title.as_str()).collect()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The fields every reading of the export agrees on, with or without the form.
fn assert_ideas(loaded: &Loaded) {
    assert_eq!(
        titles(loaded),
        [
            "Sync wave timeline in the UI",
            "Generate reference docs from Falco rules",
            "Flaky test dashboard",
            "Jaeger trace comparison view",
        ]
    );
    let term = &loaded.site.terms[0];
    assert_eq!(loaded.site.terms.len(), 1);
    assert_eq!(term.id, "lfx-mentorship-2026-term-3");
    assert_eq!(term.program.as_deref(), Some("LFX Mentorship"));
    assert_eq!(term.term.as_deref(), Some("2026 Term 3"));
    assert_eq!(
        (term.start.as_deref(), term.end.as_deref()),
        (Some("2026-09-01"), Some("2026-11-30"))
    );

    let argo = idea(loaded, "Sync wave timeline in the UI");
    assert_eq!(argo.organization, "Argo");
    assert_eq!(argo.term, "lfx-mentorship-2026-term-3");
    assert_eq!(
        argo.url,
        "ideas/lfx-mentorship-2026-term-3/argo/sync-wave-timeline-in-the-ui/"
    );
    assert_eq!(
        argo.description.as_deref(),
        Some("Show the order in which sync waves apply, as a timeline beside the resource tree.\nQuestions go to (e-mail address hidden).")
    );
    assert_eq!(
        argo.expected_outcome.as_deref(),
        Some("- A timeline view behind a feature flag\n- Tests for the wave ordering <script>alert(1)</script>")
    );
    // The box is ticked: the skills are the technologies.
    assert_eq!(argo.skills, strings(&["Go", "TypeScript", "React"]));
    assert_eq!(argo.mentors, [mentor("Ada Example", "ada-example")]);
    assert_eq!(argo.issues.len(), 1);
    assert_eq!(
        argo.issues[0].url,
        "https://github.com/example-org/argo-cd/issues/101"
    );
    assert_eq!(argo.issues[0].label, "example-org/argo-cd#101");
    assert_eq!(
        argo.proposal_url.as_deref(),
        Some("https://github.com/example-org/mentoring/issues/2101")
    );
    let extra: Vec<(&str, &str)> = argo
        .extra
        .iter()
        .map(|f| (f.label.as_str(), f.value.as_str()))
        .collect();
    assert_eq!(extra, [("Prerequisites", "- Resume")]);

    let falco = idea(loaded, "Generate reference docs from Falco rules");
    assert_eq!(falco.organization, "Falco");
    assert_eq!(
        falco.description.as_deref(),
        Some("Write a generator that turns rule files into reference pages.")
    );
    assert_eq!(
        falco.expected_outcome.as_deref(),
        Some("A generator in the docs build, and pages for every default rule.")
    );
    // No box: the technologies, then the skills not among them.
    assert_eq!(
        falco.skills,
        strings(&["C++", "eBPF", "Go", "technical writing", "Markdown"])
    );
    assert_eq!(
        falco.mentors,
        [
            mentor("Bo Sample", "bo-sample"),
            mentor("Cy Test", "cytest")
        ]
    );
    let extra: Vec<(&str, &str)> = falco
        .extra
        .iter()
        .map(|f| (f.label.as_str(), f.value.as_str()))
        .collect();
    assert_eq!(
        extra,
        [
            ("Coding Challenge URL", "https://example.org/falco-challenge"),
            (
                "Prerequisites",
                "- Resume\n- Cover Letter\n- Coding Challenge\n- Writing Sample: A page of technical writing you are proud of. (a file to upload)"
            ),
        ]
    );

    let k8s = idea(loaded, "Flaky test dashboard");
    assert_eq!(k8s.organization, "Kubernetes");
    assert_eq!(
        k8s.description.as_deref(),
        Some("Collect test results from CI and rank tests by how often they flake.")
    );
    assert_eq!(k8s.expected_outcome, None);
    assert_eq!(k8s.skills, strings(&["Go", "BigQuery"]));
    assert_eq!(
        k8s.mentors,
        [
            mentor("Dee Mentor", "dee-mentor"),
            mentor("Eli Mentor", "eli-mentor"),
            mentor("Fay Mentor", "fay-mentor"),
            mentor("Gus Mentor", "gus-mentor"),
        ]
    );
    assert!(k8s.extra.is_empty(), "{:?}", k8s.extra);

    // "Program Name" left empty: the issue title without its bracketed prefix.
    let jaeger = idea(loaded, "Jaeger trace comparison view");
    assert_eq!(jaeger.organization, "Jaeger");
    assert_eq!(jaeger.skills, strings(&["JavaScript", "React"]));
    assert_eq!(
        jaeger.mentors,
        [
            mentor("Hal Mentor", "hal-mentor"),
            mentor("Ivy Mentor", "ivy-mentor"),
            mentor("Jon Mentor", "jon-mentor"),
        ]
    );
    assert_eq!(
        jaeger.expected_outcome.as_deref(),
        Some("A comparison page in the Jaeger UI.")
    );
}

/// Diagnostics as `(severity, line, message)`.
fn said(loaded: &Loaded) -> Vec<(Severity, usize, String)> {
    loaded
        .diagnostics
        .iter()
        .map(|d| {
            assert_eq!(d.file, "content/proposals.json");
            (d.severity, d.line, d.message.clone())
        })
        .collect()
}

#[test]
fn export_with_the_cncf_form_reads_exact_ideas_and_points_at_issues() {
    let Some(form) = cncf_form() else { return };
    let dir = site(&[
        ("content/proposals.json", EXPORT),
        (".github/ISSUE_TEMPLATE/lfx-program-proposal.yml", &form),
    ]);
    let loaded = load(dir.path());
    assert_ideas(&loaded);
    assert_eq!(
        said(&loaded),
        [
            (
                Severity::Warning,
                41,
                "#2102: mentor line 2 has no e-mail".to_string()
            ),
            (
                Severity::Warning,
                85,
                "#2104: `Program Name` is required but has no answer".to_string()
            ),
            (
                Severity::Info,
                94,
                "#2105: not a proposal (no issue-form answers with a description or mentors), so not published".to_string()
            ),
            (
                Severity::Info,
                116,
                "#2106: closed, so not published".to_string()
            ),
        ]
    );
    // An issue's problems never fail the site's check: anyone can open an issue.
    assert!(!loaded.has_errors());
}

#[test]
fn export_without_a_form_reads_the_same_ideas_by_the_alias_table() {
    let dir = site(&[("content/proposals.json", EXPORT)]);
    let loaded = load(dir.path());
    assert_ideas(&loaded);
    let messages: Vec<String> = said(&loaded).into_iter().map(|(.., m)| m).collect();
    assert!(
        messages.contains(&"#2102: mentor line 2 has no e-mail".to_string()),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.starts_with("#2106: closed")),
        "{messages:?}"
    );
}

#[test]
fn programs_table_names_the_program_of_an_export() {
    let dir = site(&[
        ("content/proposals.json", EXPORT),
        (
            "trellis.toml",
            b"[programs.\"proposals.json\"]\nname = \"Foundation Mentorship\"\napply_url = \"https://apply.example.org/\"\n",
        ),
    ]);
    let loaded = load(dir.path());
    assert!(!loaded.site.terms.is_empty());
    for term in &loaded.site.terms {
        assert_eq!(term.program.as_deref(), Some("Foundation Mentorship"));
        assert!(
            term.title.starts_with("Foundation Mentorship 2026"),
            "{}",
            term.title
        );
        assert_eq!(
            term.apply_url.as_deref(),
            Some("https://apply.example.org/")
        );
    }
}

#[test]
fn files_that_are_no_export_are_said_and_skipped() {
    let dir = site(&[
        ("content/data.json", br#"{"not": "an export"}"#),
        ("content/broken.json", b"[{\"number\": 1,\n"),
    ]);
    let loaded = load(dir.path());
    assert!(loaded.site.ideas.is_empty());
    let codes: Vec<(&str, Severity, usize)> = loaded
        .diagnostics
        .iter()
        .map(|d| (d.code, d.severity, d.line))
        .collect();
    assert_eq!(
        codes,
        [
            ("export-invalid", Severity::Warning, 2),
            ("not-an-export", Severity::Info, 0),
        ]
    );
}

#[test]
fn issue_ideas_link_to_their_issue_and_publish_no_email() {
    let dir = site(&[
        ("content/proposals.json", EXPORT),
        (
            "trellis.toml",
            b"repo_url = \"https://github.com/example-org/mentoring\"\n",
        ),
    ]);
    let out = dir.path().join("public");
    let loaded = load(dir.path());
    build::write_site(dir.path(), &loaded, &out).unwrap();
    let page = std::fs::read_to_string(
        out.join("ideas/lfx-mentorship-2026-term-3/argo/sync-wave-timeline-in-the-ui/index.html"),
    )
    .unwrap();
    assert!(
        page.contains(
            r#"href="https://github.com/example-org/mentoring/issues/2101" rel="nofollow noopener">Discuss on GitHub</a>"#
        ),
        "{page}"
    );
    assert!(!page.contains("Edit this proposal"), "{page}");
    assert!(!page.contains("<script>alert(1)"), "{page}");
    for entry in walkdir(&out) {
        let text = String::from_utf8_lossy(&std::fs::read(&entry).unwrap()).into_owned();
        for address in ["@example.org", "example.org&#x40;", "at example dot org"] {
            assert!(
                !text.contains(address),
                "{} publishes an e-mail address ({address})",
                entry.display()
            );
        }
    }
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walkdir(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// A body that passes every check of the built-in proposal form.
const GOOD: &str = "### Organization

Example Project

### Term

2027 Term 1 (Mar-May)

### Title

Faster incremental builds

### Description

## Description
Make rebuilds touch only what changed.

## Expected outcomes
Rebuilds in under a second.

### Technologies

Rust

### Skills same as Technologies?

- [x] Yes, mentees need the technologies above and nothing else.

### Required Skills

_No response_

### Difficulty

Intermediate

### Mentors

Ada Example | @ada-example | ada@example.org | adaexample
Bo Sample | @bo-sample | bo@example.org | bosample

### Upstream Issue URL

https://github.com/example-org/example/issues/7

### Application Prerequisites

- [x] Resume
- [ ] Cover Letter
- [ ] Coding Challenge
";

/// `GOOD` with `from` replaced by `to` (which must be there).
fn body_with(from: &str, to: &str) -> String {
    assert!(GOOD.contains(from), "{from}");
    GOOD.replacen(from, to, 1)
}

/// Checks `body` with the site's forms (none: the built-in one), in the human
/// and markdown formats: (exit code, stderr of the human run, the comment).
fn check(body: &str) -> (i32, String, String) {
    let dir = site(&[("body.md", body.as_bytes())]);
    let path = dir.path().join("body.md");
    let path = path.to_str().unwrap();
    let human = trellis(dir.path(), &["check", "--issue-body", path]);
    let markdown = trellis(
        dir.path(),
        &["check", "--issue-body", path, "--format", "markdown"],
    );
    assert_eq!(human.status.code(), markdown.status.code());
    (
        human.status.code().unwrap(),
        cli::stderr(&human),
        String::from_utf8_lossy(&markdown.stdout).into_owned(),
    )
}

#[test]
fn a_good_body_passes() {
    let (code, human, comment) = check(GOOD);
    assert_eq!(code, 0, "{human}");
    assert!(human.contains("0 errors, 0 warnings"), "{human}");
    assert_eq!(comment, "### ✅ This proposal passes every check\n");
}

#[test]
fn required_fields_present_and_answered() {
    let (code, human, comment) =
        check(&body_with("### Title\n\nFaster incremental builds\n\n", ""));
    assert_eq!(code, 1);
    assert!(
        human.contains("error[missing-field]: the required field `Title` is missing"),
        "{human}"
    );
    assert!(
        comment.contains("**`Title`**\n\n- ❌ The required field `Title` is missing.\n  How to fix: Edit the issue and add the `### Title` section back with your answer.\n"),
        "{comment}"
    );
    let (code, human, comment) = check(&body_with("Rust\n", "_No response_\n"));
    assert_eq!(code, 1);
    assert!(
        human.contains("error[required-field]: `Technologies` is required but has no answer"),
        "{human}"
    );
    assert!(human.contains("body.md:21:1"), "{human}");
    assert!(
        comment.contains("- ❌ `Technologies` is required but has no answer."),
        "{comment}"
    );
}

#[test]
fn dropdown_answers_are_among_the_options() {
    let (code, human, comment) = check(&body_with("Intermediate", "Expert"));
    assert_eq!(code, 1);
    assert!(
        human.contains("error[not-an-option]: `Expert` is not one of the options of `Difficulty`"),
        "{human}"
    );
    assert!(human.contains("body.md:35:1"), "{human}");
    assert!(
        comment.contains("**`Difficulty`**\n\n- ❌ `Expert` is not one of the options of `Difficulty`.\n  How to fix: Choose one of `Beginner`, `Intermediate`, `Advanced`.\n"),
        "{comment}"
    );
}

#[test]
fn mentor_lines_are_well_formed() {
    let cases = [
        (
            "Bo Sample | @bo-sample | bo@example.org | bosample",
            "Bo Sample | @bo_sample | bo@example.org | bosample",
            "mentor-bad-handle",
            "mentor line 2: `@bo_sample` is not a GitHub handle",
        ),
        (
            "Bo Sample | @bo-sample | bo@example.org | bosample",
            "Bo Sample | @bo-sample | bo@example | bosample",
            "mentor-bad-email",
            "mentor line 2: `bo@example` is not an e-mail address",
        ),
        (
            "Bo Sample | @bo-sample | bo@example.org | bosample",
            "Bo Sample | @bo-sample |  | bosample",
            "mentor-no-email",
            "mentor line 2 has no e-mail",
        ),
        (
            "Bo Sample | @bo-sample | bo@example.org | bosample",
            "Bo Sample | @Ada-Example | bo@example.org | bosample",
            "mentor-duplicate-handle",
            "mentor line 2 repeats the handle `@Ada-Example` of line 1",
        ),
        (
            "Bo Sample | @bo-sample | bo@example.org | bosample",
            "Bo Sample | @bo-sample | ADA@example.org | bosample",
            "mentor-duplicate-email",
            "mentor line 2 repeats the e-mail of line 1",
        ),
        (
            "Bo Sample | @bo-sample | bo@example.org | bosample",
            "Bo Sample (@bo-sample, bo@example.org)",
            "mentor-shape",
            "mentor line 2 has 1 part(s) separated by `|`, not 4",
        ),
    ];
    for (from, to, code, message) in cases {
        let (exit, human, comment) = check(&body_with(from, to));
        assert_eq!(exit, 1, "{to}: {human}");
        assert!(
            human.contains(&format!("error[{code}]: {message}\n")),
            "{to}: {human}"
        );
        assert!(human.contains("body.md:40:1"), "{to}: {human}");
        let mut sentence = message.to_string();
        sentence[..1].make_ascii_uppercase();
        assert!(
            comment.contains(&format!("**`Mentors`**\n\n- ❌ {sentence}.\n")),
            "{to}: {comment}"
        );
    }
}

#[test]
fn exactly_one_upstream_url() {
    let url = "https://github.com/example-org/example/issues/7";
    let (code, human, comment) = check(&body_with(url, "the tracking issue"));
    assert_eq!(code, 1);
    assert!(
        human.contains("error[upstream-no-url]: `Upstream Issue URL` holds no URL"),
        "{human}"
    );
    assert!(comment.contains("**`Upstream Issue URL`**"), "{comment}");
    let (code, human, comment) = check(&body_with(url, &format!("{url}\n{url}8")));
    assert_eq!(code, 1);
    assert!(
        human.contains(
            "error[upstream-several-urls]: `Upstream Issue URL` holds 2 URLs; exactly one is expected"
        ),
        "{human}"
    );
    assert!(
        comment.contains(
            "How to fix: Open an umbrella issue that links the others, and give its URL alone."
        ),
        "{comment}"
    );
}

#[test]
fn text_limits_the_form_states() {
    let long = "x".repeat(95);
    let (code, human, comment) = check(&body_with("Faster incremental builds", &long));
    assert_eq!(code, 1);
    assert!(
        human
            .contains("error[too-long]: `Title` is 95 characters long; the form allows at most 90"),
        "{human}"
    );
    assert!(
        comment.contains("How to fix: Shorten it by 5 characters."),
        "{comment}"
    );
}

#[test]
fn a_ticked_same_skills_box_with_skills_is_a_warning() {
    let (code, human, comment) = check(&body_with(
        "### Required Skills\n\n_No response_",
        "### Required Skills\n\nGo",
    ));
    assert_eq!(code, 0, "{human}");
    assert!(human.contains("warning[skills-ignored]"), "{human}");
    assert!(
        comment.starts_with("### ✅ This proposal passes, with 1 note to look at\n"),
        "{comment}"
    );
}

#[test]
fn a_body_that_answers_no_form_is_an_error() {
    let (code, human, comment) = check("I would like to propose a project.\n");
    assert_eq!(code, 1);
    assert!(human.contains("error[not-a-form-answer]"), "{human}");
    assert!(comment.contains("**The issue as a whole**"), "{comment}");
}

#[test]
fn issue_text_cannot_mention_or_mark_up_the_comment() {
    let (_, _, comment) = check(&body_with("Intermediate", "@everyone <img src=x> `x`"));
    assert!(
        comment.contains("- ❌ `` @everyone <img src=x> `x` `` is not one of the options"),
        "{comment}"
    );
}

#[test]
fn the_body_can_come_on_standard_input_and_uses_the_site_form() {
    let Some(form) = cncf_form() else { return };
    let dir = site(&[(".github/ISSUE_TEMPLATE/lfx.yml", &form)]);
    let export: serde_json::Value = serde_json::from_slice(EXPORT).unwrap();
    let body = export[1]["body"].as_str().unwrap();
    let mut child = command()
        .arg("--root")
        .arg(dir.path())
        .args(["check", "--issue-body", "-", "--format", "markdown"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), body.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "### ❌ This proposal has 1 problem to fix\n\n**`Mentors`**\n\n- ❌ Mentor line 2 has no e-mail.\n  How to fix: Add the e-mail address tied to the mentor's LFID account.\n\n<sub>Edit the issue to fix these; this comment is brought up to date after every edit.</sub>\n"
    );
}

#[test]
fn init_issue_forms_adds_a_form_and_a_hardened_workflow() {
    let dir = site(&[
        ("trellis.toml", b"title = \"Ours\"\n"),
        (".github/workflows/pages.yml", b"name: pages\n"),
    ]);
    let out = trellis(dir.path(), &["init", "--issue-forms"]);
    let stderr = assert_exit(&out, 0);
    assert!(
        stderr.contains("remove .github/workflows/pages.yml"),
        "{stderr}"
    );
    // An existing site gets the two files alone, its settings untouched.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("trellis.toml")).unwrap(),
        "title = \"Ours\"\n"
    );
    assert!(!dir.path().join("content").exists());
    let form =
        std::fs::read_to_string(dir.path().join(".github/ISSUE_TEMPLATE/proposal.yml")).unwrap();
    let form = trellis::issue_forms::form::parse_form(&form, "proposal.yml")
        .unwrap()
        .unwrap();
    assert_eq!(form.labels, ["proposal"]);
    let workflow_path = dir.path().join(".github/workflows/proposals.yml");
    let text = std::fs::read_to_string(&workflow_path).unwrap();
    let workflow = &yaml_rust2::YamlLoader::load_from_str(&text).unwrap()[0];
    assert!(workflow["permissions"].as_hash().unwrap().is_empty());
    let jobs = workflow["jobs"].as_hash().unwrap();
    for (name, job) in jobs {
        let name = name.as_str().unwrap();
        assert!(
            job["permissions"].as_hash().is_some(),
            "{name} has no permissions of its own"
        );
        for step in job["steps"].as_vec().unwrap() {
            if let Some(run) = step["run"].as_str() {
                assert!(
                    !run.contains("${{"),
                    "{name}: an expression in a script: {run}"
                );
            }
            if let Some(uses) = step["uses"].as_str() {
                let (_, sha) = uses.split_once('@').unwrap();
                assert!(
                    sha.len() == 40 && sha.chars().all(|c| c.is_ascii_hexdigit()),
                    "{name}: {uses} is not pinned to a commit"
                );
                if uses.starts_with("actions/checkout@") {
                    assert_eq!(step["with"]["persist-credentials"].as_bool(), Some(false));
                }
            }
        }
    }
    assert!(text.contains("trellis check --issue-body \"$RUNNER_TEMP/issue-body.md\""));
    assert!(text.contains("gh issue list"));
    // A new site gets the proposals workflow in place of pages.yml.
    let fresh = tempfile::tempdir().unwrap();
    assert_exit(&trellis(fresh.path(), &["init", "--issue-forms"]), 0);
    assert!(fresh.path().join("content").is_dir());
    assert!(fresh
        .path()
        .join(".github/workflows/proposals.yml")
        .is_file());
    assert!(!fresh.path().join(".github/workflows/pages.yml").exists());
    // Again, nothing is overwritten without --force.
    assert_exit(&trellis(dir.path(), &["init", "--issue-forms"]), 2);
    zizmor(&workflow_path);
}

/// `zizmor --offline` on the workflow: nothing of medium severity or above.
fn zizmor(workflow: &Path) {
    let run = std::process::Command::new("zizmor")
        .args(["--offline", "--min-severity", "medium", "--format", "plain"])
        .arg(workflow)
        .output();
    match run {
        Err(_) => {
            skip::say("zizmor is not installed (pip install zizmor): the workflow audit is skipped")
        }
        Ok(out) => assert!(
            out.status.success(),
            "zizmor found problems:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

#[test]
fn site_check_prints_export_problems_as_a_markdown_list() {
    let more = br####"[{"number": 7, "title": "[P] More", "body": "### Description\n\nx\n\n### Upstream Issue URL\n\nsoon"}]"####;
    let dir = site(&[
        ("content/proposals.json", EXPORT),
        ("content/more.json", more),
    ]);
    let out = trellis(dir.path(), &["check", "--format", "markdown"]);
    assert_exit(&out, 0);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("- ⚠️ warning `content/proposals.json:41:1`: `#2102: mentor line 2 has no e-mail` — `add the e-mail address tied to the mentor's LFID account`\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "- ℹ️ note `content/proposals.json:116:1`: `#2106: closed, so not published`\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("`` #7: `Upstream Issue URL` holds no URL ``"),
        "{stdout}"
    );
}

#[test]
fn notes_never_fail_a_strict_check_and_are_notices_on_github() {
    let export =
        br####"[{"number": 3, "title": "Old", "body": "### Mentors\n\nx", "state": "CLOSED"}]"####;
    let dir = site(&[("content/issues.json", export)]);
    let out = trellis(dir.path(), &["check", "--strict", "--format", "github"]);
    assert_exit(&out, 0);
    let stdout = String::from_utf8_lossy(&out.stdout);
    // GitHub's paths are from the working directory: the temporary site's here.
    assert!(
        stdout.starts_with("::notice file=")
            && stdout.ends_with("content/issues.json,line=1,col=1,title=issue-closed::#3: closed, so not published\n"),
        "{stdout}"
    );
}

#[test]
fn issue_body_problems_in_json_and_github_formats() {
    let dir = site(&[("body.md", body_with("Intermediate", "Expert").as_bytes())]);
    let path = dir.path().join("body.md");
    let path = path.to_str().unwrap();
    let json = cli::json_diagnostics(&trellis(
        dir.path(),
        &["check", "--issue-body", path, "--format", "json"],
    ));
    assert_eq!(json.len(), 1);
    assert_eq!(json[0]["code"], "not-an-option");
    assert_eq!(json[0]["file"], path);
    assert_eq!(json[0]["line"], 35);
    let github = trellis(
        dir.path(),
        &["check", "--issue-body", path, "--format", "github"],
    );
    assert_eq!(github.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&github.stdout);
    assert!(
        stdout.contains("body.md,line=35,col=1,title=not-an-option::`Expert` is not one of the options of `Difficulty`"),
        "{stdout}"
    );
}
