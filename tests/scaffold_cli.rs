//! `trellis init` and `trellis new idea` as a coordinator and a mentor use them.

use std::path::Path;
use std::process::{Command, Output};

use yaml_rust2::YamlLoader;

fn trellis(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_trellis"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn init_then_build_makes_a_site() {
    let tmp = tempfile::tempdir().unwrap();
    ok(&trellis(&["init", "portal"], tmp.path()));
    let site = tmp.path().join("portal");
    ok(&trellis(
        &["--root", "portal", "check", "--strict"],
        tmp.path(),
    ));
    ok(&trellis(&["--root", "portal", "build"], tmp.path()));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("public/ideas.json")).unwrap()).unwrap();
    let part = json["parts"][0]["file"].as_str().unwrap();
    let part: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.join("public").join(part)).unwrap()).unwrap();
    assert_eq!(
        part["ideas"][0]["title"],
        "Write a getting-started tutorial"
    );
    assert!(
        site.join("public/index.html").exists(),
        "the home page is built"
    );
    let readme = std::fs::read_to_string(site.join("README.md")).unwrap();
    for how in ["trellis new idea", "trellis serve", "Pages → Source"] {
        assert!(readme.contains(how), "the README says how: {how}");
    }
    assert!(readme.contains(&format!(
        "{}/releases/tag/v{}",
        env!("CARGO_PKG_REPOSITORY"),
        env!("CARGO_PKG_VERSION")
    )));
}

#[test]
fn init_workflows_parse_and_use_the_official_pages_actions() {
    let tmp = tempfile::tempdir().unwrap();
    ok(&trellis(&["init"], tmp.path()));
    let pages = std::fs::read_to_string(tmp.path().join(".github/workflows/pages.yml")).unwrap();
    let doc = &YamlLoader::load_from_str(&pages).unwrap()[0];
    let steps: Vec<String> = doc["jobs"]["build"]["steps"]
        .as_vec()
        .unwrap()
        .iter()
        .chain(doc["jobs"]["deploy"]["steps"].as_vec().unwrap())
        .filter_map(|s| s["uses"].as_str().map(str::to_string))
        .collect();
    for action in [
        "actions/checkout@",
        "actions/configure-pages@",
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
    ] {
        assert!(
            steps.iter().any(|s| s.starts_with(action)),
            "{action} in {steps:?}"
        );
    }
    assert!(pages.contains("trellis check --format github"));
    let check = std::fs::read_to_string(tmp.path().join(".github/workflows/check.yml")).unwrap();
    let doc = &YamlLoader::load_from_str(&check).unwrap()[0];
    assert!(!doc["on"]["pull_request"].is_badvalue());
    assert!(check.contains("trellis check --format github --strict"));
}

#[test]
fn init_refuses_to_overwrite_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("trellis.toml"), "title = \"mine\"\n").unwrap();
    let out = trellis(&["init"], tmp.path());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("trellis.toml")).unwrap(),
        "title = \"mine\"\n"
    );
    assert!(!tmp.path().join("content").exists(), "nothing written");
    ok(&trellis(&["init", "--force"], tmp.path()));
    assert_ne!(
        std::fs::read_to_string(tmp.path().join("trellis.toml")).unwrap(),
        "title = \"mine\"\n"
    );
}

#[test]
fn new_idea_then_check_passes() {
    let tmp = tempfile::tempdir().unwrap();
    ok(&trellis(&["init"], tmp.path()));
    let out = trellis(
        &[
            "new",
            "idea",
            "--term",
            "content/example-term.md",
            "--org",
            "Another Project",
            "--title",
            "Faster builds",
        ],
        tmp.path(),
    );
    ok(&out);
    let location = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let line: usize = location.rsplit(':').next().unwrap().parse().unwrap();
    let text = std::fs::read_to_string(tmp.path().join("content/example-term.md")).unwrap();
    assert_eq!(text.lines().nth(line - 1), Some("#### Faster builds"));
    ok(&trellis(&["check"], tmp.path()));
    let json = trellis(&["check", "--format", "json"], tmp.path());
    let diags: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(diags
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["severity"] != "error"));
}

#[test]
fn completions_are_printed_for_bash() {
    let tmp = tempfile::tempdir().unwrap();
    let out = trellis(&["completions", "bash"], tmp.path());
    ok(&out);
    assert!(String::from_utf8_lossy(&out.stdout).contains("_trellis"));
}
