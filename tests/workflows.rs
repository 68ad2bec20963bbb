//! The GitHub Actions workflows: the project's own (`.github/workflows/`) and
//! those `trellis init` writes. Each parses as YAML, pins every action to the
//! commit of a known release, asks for no permission beyond what its jobs need,
//! keeps no checkout credentials and expands no expression inside a script;
//! zizmor, when installed, finds nothing of medium severity or above. The
//! Pages and pull-request workflows are run here, step by step, from a
//! directory holding only the site, against a release holding only the binary
//! as the release workflow packages it.

#[path = "support/actions.rs"]
mod actions;
#[path = "support/skip.rs"]
mod skip;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;

use actions::Runner;
use yaml_rust2::{Yaml, YamlLoader};

const VERSION: &str = env!("CARGO_PKG_VERSION");
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The one commit each action may be used at, and the release it is.
const PINS: &[(&str, &str, &str)] = &[
    (
        "actions/checkout",
        "3d3c42e5aac5ba805825da76410c181273ba90b1",
        "v7.0.1",
    ),
    (
        "actions/configure-pages",
        "983d7736d9b0ae728b81ab479565c72886d7745b",
        "v5.0.0",
    ),
    (
        "actions/upload-pages-artifact",
        "fc324d3547104276b827a68afc52ff2a11cc49c9",
        "v5.0.0",
    ),
    (
        "actions/deploy-pages",
        "cd2ce8fcbc39b97be8ca5fce6e763baed58fa128",
        "v5.0.0",
    ),
];

/// A job's permissions: (scope, `read` or `write`).
type Grants = &'static [(&'static str, &'static str)];

/// Every job of every workflow (file, job), with exactly the permissions it needs.
const PERMISSIONS: &[(&str, &str, Grants)] = &[
    ("ci.yml", "test", &[("contents", "read")]),
    ("release.yml", "create", &[("contents", "write")]),
    ("release.yml", "build", &[("contents", "write")]),
    (
        "pages.yml",
        "build",
        &[("contents", "read"), ("pages", "read")],
    ),
    (
        "pages.yml",
        "deploy",
        &[("pages", "write"), ("id-token", "write")],
    ),
    ("check.yml", "check", &[("contents", "read")]),
];

/// The release targets; the init workflows download the first one's archive.
const TARGETS: &[&str] = &[
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
];

fn trellis(args: &[&str], cwd: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_trellis"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "trellis {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn project_workflows() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows")
}

/// A new site made by `trellis init`, in `dir/name`.
fn init_site(dir: &Path, name: &str) -> PathBuf {
    trellis(&["init", name], dir);
    dir.join(name)
}

/// Every workflow as (file name, text): the project's, then `init`'s, whose
/// site is kept in `dir`.
fn all_workflows(dir: &Path) -> Vec<(String, String)> {
    let site = init_site(dir, "site");
    let mut out = Vec::new();
    for workflows in [project_workflows(), site.join(".github/workflows")] {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&workflows)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        for path in names {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            out.push((name, std::fs::read_to_string(&path).unwrap()));
        }
    }
    out
}

fn parse(name: &str, text: &str) -> Yaml {
    let mut docs = YamlLoader::load_from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(docs.len(), 1, "{name} is one document");
    docs.remove(0)
}

fn jobs(doc: &Yaml) -> Vec<(&str, &Yaml)> {
    doc["jobs"]
        .as_hash()
        .expect("a workflow has jobs")
        .iter()
        .map(|(k, v)| (k.as_str().unwrap(), v))
        .collect()
}

fn steps(job: &Yaml) -> &[Yaml] {
    job["steps"].as_vec().expect("a job has steps")
}

#[test]
fn there_are_the_four_workflows() {
    let tmp = tempfile::tempdir().unwrap();
    let names: Vec<String> = all_workflows(tmp.path())
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names, ["ci.yml", "release.yml", "check.yml", "pages.yml"]);
}

#[test]
fn every_action_is_pinned_to_the_commit_of_a_known_release() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in all_workflows(tmp.path()) {
        let doc = parse(&name, &text);
        let mut used = 0;
        for (_, job) in jobs(&doc) {
            for step in steps(job) {
                if step["uses"].as_str().is_some() {
                    used += 1;
                }
            }
        }
        // The comment holding the version is not in the parsed YAML: read the lines.
        let lines: Vec<&str> = text.lines().filter(|l| l.contains("uses:")).collect();
        assert_eq!(lines.len(), used, "{name}: one `uses:` a line");
        for line in lines {
            let uses = line.split("uses:").nth(1).unwrap().trim();
            let (action, rest) = uses
                .split_once('@')
                .unwrap_or_else(|| panic!("{name}: unpinned {line}"));
            let (sha, version) = rest
                .split_once(" # ")
                .unwrap_or_else(|| panic!("{name}: no version comment: {line}"));
            let pin = PINS
                .iter()
                .find(|(a, ..)| *a == action)
                .unwrap_or_else(|| panic!("{name}: {action} is not a known action"));
            assert_eq!(
                (sha, version.trim()),
                (pin.1, pin.2),
                "{name}: {action} at another commit"
            );
        }
    }
}

#[test]
fn permissions_are_granted_per_job_and_no_wider_than_needed() {
    let tmp = tempfile::tempdir().unwrap();
    let mut seen = Vec::new();
    for (name, text) in all_workflows(tmp.path()) {
        let doc = parse(&name, &text);
        assert_eq!(
            doc["permissions"].as_hash().map(|h| h.len()),
            Some(0),
            "{name}: `permissions: {{}}` at the top, so no job inherits any"
        );
        for (job_name, job) in jobs(&doc) {
            let expected = PERMISSIONS
                .iter()
                .find(|(w, j, _)| *w == name && *j == job_name)
                .unwrap_or_else(|| panic!("{name}: job {job_name} is not in PERMISSIONS"))
                .2;
            let granted: Vec<(&str, &str)> = job["permissions"]
                .as_hash()
                .unwrap_or_else(|| panic!("{name}: job {job_name} has no permissions"))
                .iter()
                .map(|(k, v)| (k.as_str().unwrap(), v.as_str().unwrap()))
                .collect();
            assert_eq!(granted, expected, "{name}: job {job_name}");
            seen.push((name.clone(), job_name.to_string()));
        }
    }
    assert_eq!(seen.len(), PERMISSIONS.len(), "every listed job exists");
}

#[test]
fn checkouts_keep_no_credentials_and_scripts_expand_no_expressions() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in all_workflows(tmp.path()) {
        let doc = parse(&name, &text);
        for (job_name, job) in jobs(&doc) {
            for step in steps(job) {
                if step["uses"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("actions/checkout@"))
                {
                    assert_eq!(
                        step["with"]["persist-credentials"].as_bool(),
                        Some(false),
                        "{name}: a checkout in {job_name} keeps its credentials"
                    );
                }
                if let Some(script) = step["run"].as_str() {
                    assert!(
                        !script.contains("${{"),
                        "{name}: an expression inside a script in {job_name}: {script}"
                    );
                }
            }
        }
    }
}

#[test]
fn init_workflows_download_the_release_of_the_version_that_wrote_them() {
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path(), "site");
    let release = std::fs::read_to_string(project_workflows().join("release.yml")).unwrap();
    let release = parse("release.yml", &release);
    let built: Vec<&str> = release["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_vec()
        .unwrap()
        .iter()
        .map(|t| t["target"].as_str().unwrap())
        .collect();
    assert_eq!(built, TARGETS);
    for file in ["pages.yml", "check.yml"] {
        let text = std::fs::read_to_string(site.join(".github/workflows").join(file)).unwrap();
        let doc = parse(file, &text);
        let (_, job) = jobs(&doc)[0];
        let install = steps(job)
            .iter()
            .find(|s| s["name"].as_str() == Some("Install Trellis"))
            .unwrap_or_else(|| panic!("{file} installs Trellis"));
        assert_eq!(
            install["env"]["TRELLIS_VERSION"].as_str(),
            Some(VERSION),
            "{file}"
        );
        assert_eq!(
            install["env"]["TRELLIS_REPO"].as_str(),
            Some(format!("${{{{ vars.TRELLIS_REPO || '{REPOSITORY}' }}}}").as_str()),
            "{file}"
        );
        assert!(
            text.contains(&format!("trellis-{}.tar.gz", TARGETS[0])),
            "{file}"
        );
        assert!(text.contains("sha256sum --check"), "{file}");
        assert!(!text.contains("cargo"), "{file}: no Rust toolchain");
    }
}

#[test]
fn zizmor_finds_nothing_of_medium_severity_or_above() {
    let required = std::env::var_os("TRELLIS_ZIZMOR").is_some_and(|v| v == "1");
    if Command::new("zizmor").arg("--version").output().is_err() {
        assert!(
            !required,
            "TRELLIS_ZIZMOR=1 but zizmor is not installed (pip install zizmor)"
        );
        skip::say(
            "zizmor skipped: not installed (pip install zizmor; TRELLIS_ZIZMOR=1 requires it)",
        );
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path(), "site");
    let out = Command::new("zizmor")
        .args(["--offline", "--no-progress", "--min-severity", "medium"])
        .arg(project_workflows())
        .arg(site.join(".github/workflows"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The stand-in for a GitHub release of this version: a directory laid out as
/// `<repository>/releases/download/v<version>/`, served to curl as a `file://`
/// URL, holding what the release workflow's own packaging step makes of the
/// binary under test (an archive and its checksum), so that the test also
/// proves the archive is the one the site workflows ask for.
fn release_of_this_binary(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(project_workflows().join("release.yml")).unwrap();
    let release = parse("release.yml", &text);
    let package = steps(&release["jobs"]["build"])
        .iter()
        .find(|s| s["name"].as_str() == Some("Package with a checksum"))
        .and_then(|s| s["run"].as_str())
        .expect("release.yml packages the binary")
        .to_string();
    // The runner's checkout after `cargo build --release --target <target>`.
    let checkout = dir.join("checkout");
    let built = checkout.join(format!("target/{}/release", TARGETS[0]));
    std::fs::create_dir_all(&built).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_trellis"), built.join("trellis")).unwrap();
    for file in ["LICENSE", "README.md"] {
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(file),
            checkout.join(file),
        )
        .unwrap();
    }
    let status = Command::new("bash")
        .args([
            "--noprofile",
            "--norc",
            "-e",
            "-o",
            "pipefail",
            "-c",
            &package,
        ])
        .current_dir(&checkout)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("TARGET", TARGETS[0])
        .env("GITHUB_WORKSPACE", &checkout)
        .status()
        .unwrap();
    assert!(status.success(), "the release's packaging step failed");
    let download = dir.join(format!("releases/download/v{VERSION}"));
    std::fs::create_dir_all(download.parent().unwrap()).unwrap();
    std::fs::rename(checkout.join("dist"), &download).unwrap();
    std::fs::remove_dir_all(&checkout).unwrap();
    let mut assets: Vec<String> = std::fs::read_dir(&download)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assets.sort();
    let asset = format!("trellis-{}.tar.gz", TARGETS[0]);
    assert_eq!(assets, [asset.clone(), format!("{asset}.sha256")]);
    dir.to_path_buf()
}

/// What the test's stand-ins for `uses:` steps saw: each upload's name and path.
type Uploads = Rc<RefCell<Vec<(String, String)>>>;

/// A runner for `workspace`, downloading from `release`, whose checkouts with
/// a `path` copy `base` there.
fn runner(
    workspace: &Path,
    temp: &Path,
    release: &Path,
    base: Option<PathBuf>,
) -> (Runner, Uploads) {
    let uploads: Uploads = Rc::default();
    let seen = uploads.clone();
    let root = workspace.to_path_buf();
    let action = move |action: &str, with: &HashMap<String, String>| {
        let mut outputs = HashMap::new();
        match action {
            "actions/checkout" => {
                assert_eq!(with["persist-credentials"], "false");
                if let Some(path) = with.get("path") {
                    let base = base.as_ref().expect("the test gives a base to check out");
                    assert_eq!(with["ref"], "base-sha");
                    copy_dir(base, &root.join(path));
                }
            }
            "actions/configure-pages" => {
                // A loopback address nothing listens on: the step that fetches
                // the published ideas.json finds none, as on a first deploy,
                // and the test sends nothing off this machine.
                outputs.insert(
                    "base_url".to_string(),
                    "http://127.0.0.1:9/portal".to_string(),
                );
            }
            "actions/upload-pages-artifact" => {
                let path = &with["path"];
                assert!(
                    root.join(path).join("index.html").is_file(),
                    "{path} is a site"
                );
                let name = with.get("name").cloned().unwrap_or("github-pages".into());
                seen.borrow_mut().push((name, path.clone()));
            }
            other => panic!("the test plays no {other}"),
        }
        outputs
    };
    let runner = Runner {
        workspace: workspace.to_path_buf(),
        temp: temp.to_path_buf(),
        vars: HashMap::from([(
            "TRELLIS_REPO".to_string(),
            format!("file://{}", release.display()),
        )]),
        github: HashMap::from([(
            "event.pull_request.base.sha".to_string(),
            "base-sha".to_string(),
        )]),
        action: Box::new(action),
    };
    (runner, uploads)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// bash, curl, tar and sha256sum, which the workflows' steps use.
fn have_runner_tools() -> bool {
    let missing: Vec<&str> = ["bash", "curl", "tar", "sha256sum"]
        .into_iter()
        .filter(|tool| Command::new(tool).arg("--version").output().is_err())
        .collect();
    if !missing.is_empty() {
        skip::say(&format!(
            "workflow run skipped: {} missing",
            missing.join(", ")
        ));
    }
    missing.is_empty()
}

fn workflow(site: &Path, file: &str) -> Yaml {
    let text = std::fs::read_to_string(site.join(".github/workflows").join(file)).unwrap();
    parse(file, &text)
}

#[test]
fn pages_workflow_builds_the_site_from_the_release_binary_alone() {
    if !have_runner_tools() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path(), "site");
    let release = release_of_this_binary(&tmp.path().join("release"));
    let temp = tmp.path().join("runner");
    std::fs::create_dir(&temp).unwrap();
    let (runner, uploads) = runner(&site, &temp, &release, None);

    let result = runner.run(&workflow(&site, "pages.yml"), "build");
    assert!(result.succeeded(), "{:?}\n{}", result.steps, result.log);
    assert_eq!(result.steps.len(), 7, "{:?}", result.steps);
    // The binary that built the site is the one downloaded and checked.
    assert_eq!(
        std::fs::read(temp.join("trellis/trellis")).unwrap(),
        std::fs::read(env!("CARGO_BIN_EXE_trellis")).unwrap()
    );
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(
        home.contains("href=\"/portal/"),
        "links under the Pages base path"
    );
    assert!(site.join("public/ideas.json").is_file());
    assert_eq!(
        *uploads.borrow(),
        [("github-pages".to_string(), "public".to_string())]
    );
}

#[test]
fn pages_workflow_refuses_a_download_that_does_not_match_its_checksum() {
    if !have_runner_tools() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let site = init_site(tmp.path(), "site");
    let release = release_of_this_binary(&tmp.path().join("release"));
    let asset = format!("trellis-{}.tar.gz", TARGETS[0]);
    let sum = release.join(format!("releases/download/v{VERSION}/{asset}.sha256"));
    std::fs::write(&sum, format!("{}  {asset}\n", "0".repeat(64))).unwrap();
    let temp = tmp.path().join("runner");
    std::fs::create_dir(&temp).unwrap();
    let (runner, uploads) = runner(&site, &temp, &release, None);

    let result = runner.run(&workflow(&site, "pages.yml"), "build");
    let ran: Vec<(&str, bool)> = result
        .steps
        .iter()
        .map(|(n, ok)| (n.as_str(), *ok))
        .collect();
    assert_eq!(
        ran,
        [
            (
                "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1",
                true
            ),
            ("Install Trellis", false)
        ]
    );
    assert!(!site.join("public").exists());
    assert!(uploads.borrow().is_empty());
}

#[test]
fn check_workflow_annotates_summarizes_and_keeps_a_preview() {
    if !have_runner_tools() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let base = init_site(tmp.path(), "base");
    let site = tmp.path().join("site");
    copy_dir(&base, &site);
    // The pull request: the example's description rewritten, and an idea
    // added without its skills.
    let term = site.join("content/example-term.md");
    let text = std::fs::read_to_string(&term).unwrap().replace(
        "New contributors struggle with the first hour.",
        "The first hour is the hardest.",
    ) + "\n#### Translate the documentation\n\n- Description: Make the guides readable in Spanish.\n- Expected Outcome: The guides, translated and published.\n- Mentor(s): Ana Ruiz (@anaruiz)\n";
    std::fs::write(&term, &text).unwrap();
    let idea_line = text
        .lines()
        .position(|l| l == "#### Translate the documentation")
        .unwrap()
        + 1;
    let release = release_of_this_binary(&tmp.path().join("release"));
    let temp = tmp.path().join("runner");
    std::fs::create_dir(&temp).unwrap();
    let (runner, uploads) = runner(&site, &temp, &release, Some(base));

    let result = runner.run(&workflow(&site, "check.yml"), "check");
    let ran: Vec<(&str, bool)> = result
        .steps
        .iter()
        .map(|(n, ok)| (n.as_str(), *ok))
        .collect();
    assert_eq!(
        ran[2..],
        [
            ("Install Trellis", true),
            ("The ideas before this pull request", true),
            ("Check proposals", false),
            ("Build a preview", true),
            ("Keep the preview", true),
        ],
        "a warning fails the check (--strict), the preview is kept all the same\n{}",
        result.log
    );
    assert!(
        result.log.contains(&format!(
            "::warning file=content/example-term.md,line={idea_line},col=1,title=missing-skills::"
        )),
        "an annotation on the added idea's line: {}",
        result.log
    );
    let summary = &result.summary;
    assert!(
        summary.contains("1 added, 1 changed, 0 removed; 1 problem."),
        "{summary}"
    );
    assert!(
        summary.contains(&format!(
            "### Added\n\n- **Translate the documentation** (Acme Tools, example-term) in `example-term.md` at line {idea_line} — 1 problem\n  - warning `missing-skills` at line {idea_line}:"
        )),
        "{summary}"
    );
    assert!(
        summary.contains("### Changed\n\n- **Write a getting-started tutorial**"),
        "{summary}"
    );
    assert!(
        !site.join(".trellis-base").exists(),
        "the base checkout is gone before the preview is built"
    );
    assert_eq!(
        *uploads.borrow(),
        [("site-preview".to_string(), "public".to_string())]
    );
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(
        home.contains("href=\"/style.css\""),
        "the preview is built for a local server's root"
    );
}
