//! `trellis check` and `trellis build` as CI and people run them: diagnostics at
//! file:line:col, the exit codes, the GitHub and JSON formats, and what a build
//! prints: its summary line, and progress only on a terminal.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/site.rs"]
mod site;
#[path = "support/skip.rs"]
mod skip;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use cli::{assert_exit, command, json_diagnostics, site, trellis};
use site::{example_root, html_files};

const BROKEN: &[u8] = b"### Org\n\n#### Idea one\n\n- Description: something\n- Mentros: Jane Doe (@jane)\n\n####\n- Description: no title\n- Mentor(s): A (@a)\n";

#[test]
fn broken_file_prints_located_diagnostics_and_exits_1() {
    let dir = site(&[("content/term.md", BROKEN)]);
    let stderr = assert_exit(&trellis(dir.path(), &["check"]), 1);
    assert!(stderr.contains("term.md:8:1"), "{stderr}");
    assert!(
        stderr.contains("this heading has idea fields but no title"),
        "{stderr}"
    );
    assert!(stderr.contains("term.md:6:1"), "{stderr}");
    assert!(stderr.contains("did you mean 'Mentor(s)'"), "{stderr}");
    assert!(
        stderr.contains("- Mentros: Jane Doe (@jane)"),
        "quotes the source line: {stderr}"
    );
}

#[test]
fn github_format_prints_annotations_at_paths_from_the_repository_root() {
    let dir = site(&[("content/term.md", BROKEN)]);
    // As a workflow runs it: in the repository's root, with the default --root.
    let out = command()
        .args(["check", "--format", "github"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("::error file=content/term.md,line=8,col=1,")),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("::warning file=content/term.md,line=6,col=1,")),
        "{stdout}"
    );
}

#[test]
fn json_format_is_machine_readable() {
    let dir = site(&[("content/term.md", BROKEN)]);
    let diags = json_diagnostics(&trellis(dir.path(), &["check", "--format", "json"]));
    let first_error = diags
        .iter()
        .find(|d| d["severity"] == "error")
        .expect("an error among the diagnostics");
    assert_eq!(first_error["line"], 8);
    assert_eq!(first_error["code"], "idea-without-title");
}

#[test]
fn a_file_has_one_path_from_the_site_root_however_it_is_named() {
    let dir = site(&[("content/term.md", BROKEN)]);
    let files = |args: &[&str]| -> Vec<String> {
        json_diagnostics(&trellis(dir.path(), args))
            .iter()
            .map(|d| d["file"].as_str().unwrap().to_string())
            .collect()
    };
    let found = files(&["check", "--format", "json"]);
    assert!(!found.is_empty());
    assert!(found.iter().all(|f| f == "content/term.md"), "{found:?}");
    let named = dir.path().join("content/term.md");
    let roundabout = dir.path().join("content/../content/./term.md");
    for path in [named, roundabout] {
        let path = path.to_str().unwrap();
        assert_eq!(files(&["check", "--format", "json", path]), found, "{path}");
    }
}

#[test]
fn warnings_fail_only_with_strict() {
    let file: &[u8] = b"### Org\n#### Idea\n- Description: d\n";
    let dir = site(&[("content/term.md", file)]);
    assert_eq!(trellis(dir.path(), &["check"]).status.code(), Some(0));
    assert_eq!(
        trellis(dir.path(), &["check", "--strict"]).status.code(),
        Some(1)
    );
}

#[test]
fn non_utf8_file_is_an_error_naming_the_file() {
    let dir = site(&[("content/bad.md", b"### Org\n#### Idea \xff\xfe\n")]);
    let stderr = assert_exit(&trellis(dir.path(), &["check"]), 1);
    assert!(
        stderr.contains("bad.md") && stderr.contains("not valid UTF-8"),
        "{stderr}"
    );
}

#[test]
fn checking_named_files_only() {
    let dir = site(&[
        ("content/good.md", b"### Org\n#### Idea\n- Description: d\n"),
        ("content/bad.md", BROKEN),
    ]);
    let good = dir.path().join("content/good.md");
    assert_exit(&trellis(dir.path(), &["check", good.to_str().unwrap()]), 0);
}

#[test]
fn bad_config_is_a_usage_error_with_its_line() {
    let dir = site(&[
        ("trellis.toml", b"title = \"x\"\nbase_ur = \"/\"\n"),
        ("content/t.md", b""),
    ]);
    let stderr = assert_exit(&trellis(dir.path(), &["check"]), 2);
    assert!(
        stderr.contains("trellis.toml:2:1") && stderr.contains("base_ur"),
        "{stderr}"
    );
}

#[test]
fn missing_content_directory_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = assert_exit(&trellis(dir.path(), &["check"]), 1);
    assert!(stderr.contains("does not exist"), "{stderr}");
}

#[test]
fn example_site_checks_clean_of_errors() {
    let out = trellis(&example_root(), &["check", "--format", "json"]);
    let diags = json_diagnostics(&out);
    assert_exit(&out, 0);
    let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(
        codes.contains(&"unknown-field"),
        "the example's deliberate typo is caught: {codes:?}"
    );
    assert!(codes.contains(&"missing-outcome"), "{codes:?}");
}

/// A site of `ideas` ideas, twenty to an organization: big enough that a debug
/// build runs well past the moment progress appears.
fn big_site(ideas: usize) -> tempfile::TempDir {
    let mut term = String::from("# Big term\n\n");
    for i in 0..ideas {
        if i % 20 == 0 {
            term.push_str(&format!("### Organization {}\n\n", i / 20));
        }
        term.push_str(&format!(
            "#### Idea number {i}\n\n- Description: Make part {i} faster.\n- Expected Outcome: Part {i} is faster.\n- Recommended Skills: Rust, Go\n- Mentor(s): Jane Doe (@jane, jane@example.org)\n\n"
        ));
    }
    site(&[
        ("trellis.toml", b"title = \"Big\"\n"),
        ("content/2026-term-1.md", term.as_bytes()),
    ])
}

/// The `Built …` line of a build's stderr.
fn summary_line(stderr: &str) -> &str {
    stderr
        .lines()
        .find(|l| l.starts_with("Built "))
        .unwrap_or_else(|| panic!("no summary line in: {stderr}"))
}

#[test]
fn build_summary_counts_what_is_on_disk() {
    let root = example_root();
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("public");
    let stderr = assert_exit(
        &trellis(&root, &["build", "--output", output.to_str().unwrap()]),
        0,
    );
    let line = summary_line(&stderr);

    let ideas = cli::exported_ideas(&output).len();
    let pages = html_files(&output).len();
    assert!(pages > 100, "the example site has more than 100 pages");
    // Every piece of the search index, as the summary counts it.
    let index_bytes: u64 = walkdir::WalkDir::new(output.join("search"))
        .into_iter()
        .map(|e| e.expect("a search file"))
        .filter(|e| e.path().extension().is_some_and(|x| x == "js"))
        .map(|e| e.metadata().expect("its size").len())
        .sum();
    let warnings = json_diagnostics(&trellis(&root, &["check", "--format", "json"]))
        .iter()
        .filter(|d| d["severity"] == "warning")
        .count();
    assert!(warnings > 1, "the example site has deliberate warnings");

    let expected_start = format!(
        "Built {ideas} ideas, {pages} pages, search index {} KB in ",
        (index_bytes as f64 / 1000.0).round()
    );
    assert!(
        line.starts_with(&expected_start),
        "{line:?} vs {expected_start:?}"
    );
    let expected_end = format!(" s with {warnings} warnings → {}/", output.display());
    assert!(
        line.ends_with(&expected_end),
        "{line:?} vs {expected_end:?}"
    );
    let seconds: f64 = line[expected_start.len()..line.len() - expected_end.len()]
        .parse()
        .unwrap_or_else(|e| panic!("the build time in {line:?}: {e}"));
    assert!(seconds > 0.0 && seconds < 600.0, "{line}");
}

#[test]
fn build_summary_separates_thousands() {
    let dir = big_site(1_000);
    let out = command()
        .arg("build")
        .current_dir(dir.path())
        .output()
        .expect("the trellis binary runs");
    let stderr = assert_exit(&out, 0);
    let pages = html_files(&dir.path().join("public")).len();
    let with_commas = format!("{},{:03}", pages / 1000, pages % 1000);
    let line = summary_line(&stderr);
    assert!(
        line.starts_with(&format!("Built 1,000 ideas, {with_commas} pages, ")),
        "{line}"
    );
    assert!(line.ends_with(" → public/"), "{line}");
}

#[test]
fn build_off_a_terminal_prints_no_progress_or_escapes() {
    let dir = big_site(1_000);
    let out = command()
        .arg("--root")
        .arg(dir.path())
        .arg("build")
        .env_remove("NO_COLOR")
        .output()
        .expect("the trellis binary runs");
    let stderr = assert_exit(&out, 0);
    assert!(!stderr.contains('\r'), "{stderr:?}");
    assert!(!stderr.contains('\x1b'), "{stderr:?}");
    assert!(!stderr.contains("Writing the site"), "{stderr:?}");
    assert_eq!(stderr.lines().count(), 1, "only the summary: {stderr:?}");
    summary_line(&stderr);
}

#[test]
fn quiet_build_prints_nothing_on_success() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("public");
    let out = trellis(
        &example_root(),
        &["--quiet", "build", "--output", output.to_str().unwrap()],
    );
    assert_eq!(assert_exit(&out, 0), "");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    assert!(output.join("index.html").is_file());
}

/// Runs `trellis build` on `root` with a pseudo-terminal as its stdout and stderr
/// (util-linux `script`), and returns what the terminal received; `None` when
/// `script` is not installed.
fn build_on_a_terminal(root: &Path) -> Option<String> {
    let command = format!(
        "'{}' --root '{}' build",
        env!("CARGO_BIN_EXE_trellis"),
        root.display()
    );
    let out = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .output();
    match out {
        Ok(out) => {
            assert_eq!(out.status.code(), Some(0), "{out:?}");
            Some(String::from_utf8_lossy(&out.stdout).into_owned())
        }
        Err(e) => {
            skip::say(&format!(
                "SKIPPED: the terminal tests need util-linux `script`: {e}"
            ));
            None
        }
    }
}

/// The build time, in seconds, of the summary line at the end of `screen`.
fn build_seconds(screen: &str) -> f64 {
    screen
        .rsplit(" in ")
        .next()
        .and_then(|rest| rest.split(" s").next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no build time in {screen:?}"))
}

#[test]
fn long_build_on_a_terminal_shows_progress_without_colour_then_the_summary() {
    let dir = big_site(1_000);
    let Some(screen) = build_on_a_terminal(dir.path()) else {
        return;
    };
    assert!(
        screen.contains("Writing the site: ") && screen.contains(" files"),
        "{screen:?}"
    );
    // NO_COLOR is set: cursor movement is fine, colour (CSI … m) is not.
    let colour = screen.split("\x1b[").skip(1).find(|seq| {
        seq.chars()
            .find(|c| !c.is_ascii_digit() && *c != ';')
            .is_some_and(|end| end == 'm')
    });
    assert!(colour.is_none(), "colour despite NO_COLOR: {screen:?}");
    // Drawn at most ten times a second (and once more to clear it).
    let seconds = build_seconds(&screen);
    let draws = screen.matches("\x1b[2K").count();
    assert!(
        (draws as f64) <= seconds * 10.0 + 3.0,
        "{draws} draws in {seconds} s"
    );
    // The progress line is cleared: the summary starts its own line.
    let last = screen.trim_end().rsplit(['\r', '\n']).next().unwrap();
    assert!(
        last.trim_start_matches("\x1b[2K")
            .starts_with("Built 1,000 ideas, "),
        "{screen:?}"
    );
}

#[test]
fn quick_build_on_a_terminal_prints_only_the_summary() {
    let dir = site(&[
        ("trellis.toml", b"title = \"x\"\n"),
        (
            "content/t.md",
            b"### Org\n\n#### Idea\n\n- Description: d\n- Expected Outcome: o\n- Recommended Skills: Go\n- Mentor(s): A (@a)\n",
        ),
    ]);
    let Some(screen) = build_on_a_terminal(dir.path()) else {
        return;
    };
    assert!(screen.contains("Built 1 idea, "), "{screen:?}");
    // The build's own clock starts before its progress does, so a build it
    // reports as quicker than the delay never had its progress drawn.
    let seconds = build_seconds(&screen);
    if seconds >= 0.3 {
        eprintln!("not checked: this machine took {seconds} s for a one-idea build");
        return;
    }
    assert!(screen.starts_with("Built 1 idea, "), "{screen:?}");
    assert!(!screen.contains('\x1b'), "{screen:?}");
    assert_eq!(screen.lines().count(), 1, "{screen:?}");
}

/// A list in a shape Trellis cannot read: headings with prose, no fields at all.
const UNREADABLE: &[u8] = b"# Our ideas\n\n## Faster search\n\nMake search faster. Talk to Jane.\n\n## Better docs\n\nRewrite the guide.\n";

#[test]
fn a_file_of_ideas_read_as_none_fails_strict_and_names_its_first_heading() {
    let dir = site(&[("content/term.md", UNREADABLE)]);
    let stderr = assert_exit(&trellis(dir.path(), &["check", "--strict"]), 1);
    assert!(stderr.contains("no-ideas"), "{stderr}");
    assert!(stderr.contains("'Faster search'"), "{stderr}");
    assert!(stderr.contains("term.md:3:1"), "{stderr}");
    assert!(
        stderr.contains("Mentor(s)"),
        "says what it looked for: {stderr}"
    );
}

#[test]
fn verbose_check_prints_each_files_ideas_and_shapes() {
    let dir = site(&[
        ("content/bullets.md", b"### Org\n\n#### One\n\n- Description: d\n- Mentor(s): A (@a)\n"),
        ("content/paragraphs.md", b"# Ideas\n\n## Two\n\nProse first.\n\nPossible mentors:\n- [@b](https://github.com/b)\n\nRating: easy\n"),
        ("content/term.md", UNREADABLE),
    ]);
    let out = trellis(dir.path(), &["--verbose", "check"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bullets.md: 1 idea (1 in bullet fields)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("paragraphs.md: 1 idea (1 in paragraph fields)"),
        "{stderr}"
    );
    assert!(stderr.contains("term.md: 0 ideas"), "{stderr}");
}

#[test]
fn summary_against_an_earlier_export_lists_the_changed_ideas_in_a_file() {
    let before = b"### Org\n\n#### Kept idea\n\n- Description: same\n- Expected Outcome: o\n- Recommended Skills: Go\n- Mentor(s): A (@a)\n\n#### Retired idea\n\n- Description: old\n- Expected Outcome: o\n- Recommended Skills: Go\n- Mentor(s): A (@a)\n";
    let dir = site(&[("content/term.md", before)]);
    let old = dir.path().join("old");
    assert_exit(
        &trellis(dir.path(), &["build", "--output", old.to_str().unwrap()]),
        0,
    );
    std::fs::write(
        dir.path().join("content/term.md"),
        b"### Org\n\n#### Fresh idea\n\n- Description: new\n- Mentor(s): B (@b)\n\n#### Kept idea\n\n- Description: same\n- Expected Outcome: o\n- Recommended Skills: Go\n- Mentor(s): A (@a)\n",
    )
    .unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let out = trellis(
        dir.path(),
        &[
            "check",
            "--format",
            "github",
            "--summary-against",
            old.join("ideas.json").to_str().unwrap(),
            "--summary-file",
            summary.to_str().unwrap(),
        ],
    );
    assert_exit(&out, 0);
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.starts_with("earlier step\n## "), "appended: {text}");
    assert!(
        text.contains("1 added, 0 changed, 1 removed; 2 problems."),
        "{text}"
    );
    assert!(
        text.contains("- **Fresh idea** (Org, term) in `term.md` at line 3 — 2 problems\n"),
        "{text}"
    );
    assert!(
        text.contains("  - warning `missing-outcome` at line 3:"),
        "{text}"
    );
    assert!(
        text.contains("### Removed\n\n- **Retired idea** (Org, term)\n"),
        "{text}"
    );
    assert!(!text.contains("Kept idea"), "unchanged, only moved: {text}");
    // The annotations still go to standard output, apart from the summary.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("::warning "), "{stdout}");
    assert!(!stdout.contains("Fresh idea**"), "{stdout}");
}

#[test]
fn summary_against_a_file_that_is_not_an_export_is_a_usage_error() {
    let dir = site(&[("content/term.md", BROKEN)]);
    std::fs::write(dir.path().join("old.json"), b"[1, 2]").unwrap();
    let out = trellis(
        dir.path(),
        &[
            "check",
            "--summary-against",
            dir.path().join("old.json").to_str().unwrap(),
        ],
    );
    let stderr = assert_exit(&out, 2);
    assert!(stderr.contains("not an ideas.json export"), "{stderr}");
}

/// Runs `trellis <args>` on the example site with its stdout a pipe whose reader
/// is gone before the first byte, as in `trellis check --format json | head -1`.
fn into_closed_pipe(args: &[&str]) -> std::process::Output {
    let mut child = command()
        .arg("--root")
        .arg(example_root())
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the trellis binary runs");
    drop(child.stdout.take());
    child.wait_with_output().expect("the run's output is read")
}

#[test]
fn a_closed_pipe_ends_output_quietly() {
    for args in [
        &["check", "--format", "json"][..],
        &["check", "--format", "github"][..],
        &["completions", "fish"][..],
        &["completions", "bash"][..],
    ] {
        let out = into_closed_pipe(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "trellis {args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "trellis {args:?}: {stderr}");
    }
}

#[test]
fn serve_without_a_content_directory_is_a_usage_error() {
    let dir = site(&[("trellis.toml", b"title = \"x\"\n")]);
    let out = cli::trellis_within(
        dir.path(),
        &["serve", "--port", "0"],
        Duration::from_secs(60),
    );
    let stderr = assert_exit(&out, 2);
    assert!(
        stderr.contains("content directory") && stderr.contains("does not exist"),
        "{stderr}"
    );
}

#[test]
fn serve_on_a_port_in_use_suggests_port_0() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = cli::trellis_within(
        &example_root(),
        &["--quiet", "serve", "--port", &port],
        Duration::from_secs(120),
    );
    let stderr = assert_exit(&out, 2);
    assert!(stderr.contains("--port 0"), "{stderr}");
}

#[test]
fn output_naming_a_file_is_a_usage_error() {
    let dir = site(&[
        ("trellis.toml", b"title = \"x\"\n"),
        ("content/t.md", b"# T\n"),
        ("site.txt", b"not a directory"),
    ]);
    let file = dir.path().join("site.txt");
    let output = file.to_str().unwrap();
    let stderr = assert_exit(&trellis(dir.path(), &["build", "--output", output]), 2);
    assert!(stderr.contains("it is a file"), "{stderr}");
    assert_eq!(std::fs::read(&file).unwrap(), b"not a directory");
}

#[test]
fn unfilled_idea_skeleton_is_a_warning_and_fails_strict() {
    let dir = site(&[(
        "content/t.md",
        b"# Term\n\n## Ideas\n\n### Org\n\n#### Filled\n\n- Description: Real text.\n- Expected Outcome: A tool.\n- Recommended Skills: Go\n- Mentor(s): Jo (@jo)\n",
    )]);
    let term = dir.path().join("content/t.md");
    let out = command()
        .args(["new", "idea", "--org", "Org", "--title", "Fresh", "--term"])
        .arg(&term)
        .output()
        .unwrap();
    assert_exit(&out, 0);
    let out = trellis(dir.path(), &["check", "--format", "json"]);
    assert_exit(&out, 0);
    let placeholders: Vec<u64> = json_diagnostics(&out)
        .iter()
        .filter(|d| d["code"] == "placeholder")
        .map(|d| d["line"].as_u64().unwrap())
        .collect();
    let text = std::fs::read_to_string(&term).unwrap();
    let line_of =
        |prefix: &str| text.lines().position(|l| l.starts_with(prefix)).unwrap() as u64 + 1;
    let mut expected = vec![
        line_of("- Description: What will"),
        line_of("- Expected Outcome: What exists"),
        line_of("- Mentor(s): Your Name"),
    ];
    expected.sort();
    assert_eq!(placeholders, expected, "{text}");
    assert_exit(&trellis(dir.path(), &["check", "--strict"]), 1);
}

#[test]
fn impossible_dates_are_errors_at_their_line() {
    let dir = site(&[(
        "content/t.md",
        b"+++\ntitle = \"T\"\nstart = \"2026-02-31\"\n[[timeline]]\nevent = \"Apply\"\ndate = \"April 31, 2026\"\n+++\n# T\n\n| Activity | Date |\n|---|---|\n| Begins | February 30, 2026 |\n| Review | 2026-03-01 |\n",
    )]);
    let out = trellis(dir.path(), &["check", "--format", "json"]);
    assert_exit(&out, 1);
    let lines: Vec<u64> = json_diagnostics(&out)
        .iter()
        .filter(|d| d["code"] == "impossible-date" && d["severity"] == "error")
        .map(|d| d["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [3, 6, 12]);

    let native = site(&[(
        "content/t.md",
        b"+++\ntitle = \"T\"\nend = 2026-02-31\n+++\n# T\n",
    )]);
    let stderr = assert_exit(&trellis(native.path(), &["check"]), 1);
    assert!(stderr.contains("t.md:3:"), "{stderr}");
}

#[test]
fn renamed_idea_keeps_its_old_address_with_previous() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site::example_copy(tmp.path());
    let first = tmp.path().join("first");
    assert_exit(
        &trellis(&root, &["build", "--output", first.to_str().unwrap()]),
        0,
    );
    // The export as fetched from the site: `ideas.json` and its parts beside it.
    let previous = tmp.path().join("previous-ideas.json");
    std::fs::copy(first.join("ideas.json"), &previous).unwrap();
    std::fs::create_dir(tmp.path().join("ideas")).unwrap();
    for part in std::fs::read_dir(first.join("ideas")).unwrap() {
        let part = part.unwrap().path();
        if part.extension().is_some_and(|e| e == "json") {
            std::fs::copy(
                &part,
                tmp.path().join("ideas").join(part.file_name().unwrap()),
            )
            .unwrap();
        }
    }
    site::edit(
        &root.join("content/2026-term-3.md"),
        "#### Query plan visualizer for vtexplain",
        "#### Query plan viewer for vtexplain",
    );
    let previous = previous.to_str().unwrap();

    let check = trellis(&root, &["check", "--previous", previous]);
    let stderr = assert_exit(&check, 0);
    let old = "ideas/2026-term-3/vitess/query-plan-visualizer-for-vtexplain/";
    let new = "ideas/2026-term-3/vitess/query-plan-viewer-for-vtexplain/";
    assert!(
        stderr.contains(&format!("moved: {old} → {new}")),
        "{stderr}"
    );

    let second = tmp.path().join("second");
    let out = trellis(
        &root,
        &[
            "build",
            "--output",
            second.to_str().unwrap(),
            "--previous",
            previous,
        ],
    );
    assert_exit(&out, 0);
    assert!(second.join(new).join("index.html").is_file());
    let redirect = std::fs::read_to_string(second.join(old).join("index.html")).unwrap();
    let target = format!("https://example.github.io/trellis/{new}");
    assert!(
        redirect.contains(&format!("content=\"0; url={target}\""))
            && redirect.contains(&format!("<link rel=\"canonical\" href=\"{target}\">"))
            && redirect.contains(&format!("<a href=\"{target}\">")),
        "{redirect}"
    );

    let url = trellis(
        &root,
        &[
            "build",
            "--previous",
            "https://example.github.io/trellis/ideas.json",
        ],
    );
    let stderr = assert_exit(&url, 2);
    assert!(stderr.contains("curl"), "{stderr}");
}
