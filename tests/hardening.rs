//! The catalogue of hostile and broken input: each test feeds Trellis one kind of
//! bad input and checks the promise made for it in `docs/reliability.md` — a clear
//! error at a file and line, or a documented safe outcome; never a panic, never a
//! hang, never a lost or half-written site.

#[path = "support/cli.rs"]
mod cli;
#[path = "support/skip.rs"]
mod skip;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use cli::{
    assert_exit, command, json_diagnostics, site, stderr, trellis, trellis_within, write_files,
};
use trellis::diagnostic::Diagnostic;
use trellis::load::{self, SourceFile};
use trellis::model::Site;
use trellis::parse::mentors::parse_mentors;
use trellis::parse::skills::{parse_skills, SkillAliases};
use trellis::parse::{self, ParseContext, TermFile};

// ---------------------------------------------------------------------------
// Measuring work: a per-thread allocation counter and the thread's CPU time.
// ---------------------------------------------------------------------------

/// Counts the allocations made by each thread, so a test can measure the work
/// of a parse on its own thread whatever else the machine is doing.
struct CountingAllocator;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn count_allocation() {
    // `try_with`: the slot may already be gone while a thread shuts down.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

// SAFETY: every call is passed on unchanged to the system allocator.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_allocation();
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_allocation();
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// What one run cost this thread.
#[derive(Debug, Clone, Copy)]
struct Work {
    allocations: u64,
    /// CPU time of this thread, where the OS tells it (`/proc/thread-self/stat`).
    cpu: Option<Duration>,
}

fn thread_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces:
    // field 3 (state) comes first, utime is field 14 and stime field 15, in ticks.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // USER_HZ is 100 on every Linux architecture Trellis runs on.
    Some(Duration::from_millis(ticks * 10))
}

fn measure<T>(f: impl FnOnce() -> T) -> (T, Work) {
    let allocations = ALLOCATIONS.with(Cell::get);
    let cpu = thread_cpu_time();
    let value = f();
    let work = Work {
        allocations: ALLOCATIONS.with(Cell::get) - allocations,
        cpu: cpu.zip(thread_cpu_time()).map(|(a, b)| b.saturating_sub(a)),
    };
    (value, work)
}

/// Doubling the input must roughly double the work: the allocation count is
/// exact and must grow 1.6–2.5×; CPU time is noisy, so it only has to stay under
/// 3.2× (a quadratic step would take 4×) when both runs took long enough to tell.
fn assert_linear(what: &str, single: Work, double: Work) {
    let ratio = double.allocations as f64 / single.allocations.max(1) as f64;
    eprintln!("{what}: {single:?} then {double:?}: allocations ×{ratio:.2}");
    assert!(
        (1.6..=2.5).contains(&ratio),
        "{what}: doubling the input multiplied allocations by {ratio:.2}"
    );
    if let (Some(a), Some(b)) = (single.cpu, double.cpu) {
        if a >= Duration::from_millis(300) {
            let cpu_ratio = b.as_secs_f64() / a.as_secs_f64();
            assert!(
                cpu_ratio < 3.2,
                "{what}: doubling the input multiplied CPU time by {cpu_ratio:.2} ({a:?} → {b:?})"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Helpers: output snapshots and the library.
// ---------------------------------------------------------------------------

/// Every file under `dir` with its bytes (symlinks as their target), for
/// byte-for-byte comparisons of an output before and after a failed build.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            let bytes = if e.file_type().is_file() {
                std::fs::read(e.path()).unwrap()
            } else if e.path_is_symlink() {
                std::fs::read_link(e.path())
                    .unwrap()
                    .into_os_string()
                    .into_encoded_bytes()
            } else {
                b"<dir>".to_vec()
            };
            (rel, bytes)
        })
        .collect()
}

fn source(rel: &str, text: &str) -> SourceFile {
    SourceFile {
        rel: rel.into(),
        path: rel.into(),
        text: text.into(),
    }
}

fn parse_text(text: &str) -> (TermFile, Vec<Diagnostic>) {
    parse::parse_term_file(&source("term.md", text), &ParseContext::default())
}

fn has(diags: &[Diagnostic], code: &str, line: usize) -> bool {
    diags.iter().any(|d| d.code == code && d.line == line)
}

/// The pipeline of `trellis::build::load_site`, on this thread only, so that
/// [`measure`] sees all of its work.
fn load_site_on_this_thread(content: &Path) -> (Site, Vec<Diagnostic>) {
    let (sources, mut diags) = load::load_content(content);
    let ctx = ParseContext::default();
    let files = sources
        .iter()
        .map(|s| {
            let (file, mut d) = parse::parse_term_file(s, &ctx);
            diags.append(&mut d);
            file
        })
        .collect();
    let (site, mut d) = trellis::site::assemble(files);
    diags.append(&mut d);
    (site, diags)
}

const GOOD: &[u8] = b"# Term 2026\n\n### Org\n\n#### Faster WAL replay\n\n- Description: Make it fast.\n- Expected Outcome: It is fast.\n- Recommended Skills: Go\n- Mentor(s): Jane Doe (@jane)\n";

// ---------------------------------------------------------------------------
// Encodings and line endings.
// ---------------------------------------------------------------------------

#[test]
fn non_utf8_file_is_an_error_at_the_first_bad_byte_and_other_files_still_load() {
    let dir = site(&[
        ("content/bad.md", b"# Term\n\nabc \xff\xfe def\n"),
        ("content/good.md", GOOD),
    ]);
    let out = trellis(dir.path(), &["check"]);
    let err = assert_exit(&out, 1);
    assert!(err.contains("bad.md:3:5"), "{err}");
    assert!(err.contains("not valid UTF-8"), "{err}");
    assert!(
        err.contains("1 ideas"),
        "the good file is still read: {err}"
    );
    let out = trellis(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        !dir.path().join("public").exists(),
        "no site from broken content"
    );
}

#[test]
fn byte_order_mark_is_dropped_and_lines_stay_right() {
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend_from_slice(GOOD);
    let text = load::decode(bytes).unwrap();
    let (file, diags) = parse_text(&text);
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    assert_eq!(file.term.title, "Term 2026", "no BOM in the title");
    assert_eq!(file.ideas[0].source.line, 5);
    assert_eq!(file.ideas[0].source.column, 1);
}

/// Every line ending in turn LF, CRLF and CR.
fn mixed_line_endings(lf: &str) -> String {
    lf.lines()
        .zip(["\r\n", "\r", "\n"].iter().cycle())
        .map(|(line, end)| format!("{line}{end}"))
        .collect()
}

#[test]
fn crlf_and_lone_cr_line_endings_keep_line_numbers() {
    // Line 6 has a misspelt label; its warning must say line 6 whatever the endings.
    let lf = "# Term\n\n### Org\n\n#### Idea\n- Mentros: Jane (@jane)\n- Description: d\n";
    for (name, text) in [
        ("LF", lf.to_string()),
        ("CRLF", lf.replace('\n', "\r\n")),
        ("CR", lf.replace('\n', "\r")),
        ("mixed", mixed_line_endings(lf)),
    ] {
        let dir = site(&[("content/term.md", text.as_bytes())]);
        let out = trellis(dir.path(), &["check", "--format", "json"]);
        let diags = json_diagnostics(&out);
        let typo = diags
            .iter()
            .find(|d| d["code"] == "unknown-field")
            .unwrap_or_else(|| panic!("{name}: no unknown-field warning in {diags:?}"));
        assert_eq!(
            (typo["line"].as_u64(), typo["column"].as_u64()),
            (Some(6), Some(1)),
            "{name}"
        );
        let (file, _) = parse_text(&load::decode(text.into_bytes()).unwrap());
        assert_eq!(file.ideas[0].source.line, 5, "{name}");
        assert_eq!(file.ideas[0].description.as_deref(), Some("d"), "{name}");
    }
}

#[test]
fn empty_and_blank_files_are_terms_without_ideas() {
    for text in ["", "\n\n\n", "   \n\t\n", "\u{feff}"] {
        let (file, diags) = parse_text(&load::decode(text.as_bytes().to_vec()).unwrap());
        assert!(file.ideas.is_empty());
        assert!(diags.is_empty(), "{text:?}: {diags:?}");
        assert_eq!(file.term.title, "term", "titled after the file");
    }
    let dir = site(&[("content/empty.md", b"")]);
    assert_exit(&trellis(dir.path(), &["check"]), 0);
    assert_exit(&trellis(dir.path(), &["build"]), 0);
}

#[test]
fn control_characters_and_nul_bytes_are_text_not_structure() {
    let text = "### Org\u{0}\n#### Idea \u{1b}[31mred\u{7}\n- Description: a\u{0}b \u{202e}evil\u{fffe}\n- Mentor(s): J\u{0} (@j)\n";
    let (file, diags) = parse_text(text);
    assert_eq!(file.ideas.len(), 1);
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    let dir = site(&[("content/term.md", text.as_bytes())]);
    assert_exit(&trellis(dir.path(), &["build"]), 0);
    let ideas = cli::exported_ideas(&dir.path().join("public"));
    assert_eq!(ideas[0]["organization"], "Org\u{0}");
}

#[test]
fn one_ten_megabyte_line_parses() {
    let text = format!(
        "### Org\n#### Idea\n- Description: {}\n",
        "word ".repeat(2_000_000)
    );
    let (file, _) = parse_text(&text);
    assert_eq!(
        file.ideas[0].description.as_ref().map(String::len),
        Some(10_000_000 - 1)
    );
}

#[test]
fn unclosed_front_matter_is_an_error_and_the_file_is_still_read() {
    let (file, diags) = parse_text("+++\ntitle = \"T\"\n### Org\n#### Idea\n- Description: d\n");
    assert!(has(&diags, "front-matter-unclosed", 1), "{diags:?}");
    assert_eq!(file.ideas.len(), 1, "read as markdown, nothing lost");
}

// ---------------------------------------------------------------------------
// Size: big files, many ideas, deep nesting.
// ---------------------------------------------------------------------------

/// A term file of about `bytes` bytes, of ideas shaped like real ones: fields,
/// several mentors and skills, a long description with lists, code and tables.
fn big_term_file(bytes: usize) -> String {
    let mut text =
        String::from("# LFX Mentorship 2026 Term 1\n\nStatus: open\n\n## Project Ideas\n\n");
    let paragraph = "The mentee will profile the write-ahead log replay, find where time goes, and \
        make it faster without changing the on-disk format. See `wal.go` and [the design doc](https://example.org/doc).\n";
    let mut n = 0;
    while text.len() < bytes {
        if n % 50 == 0 {
            text.push_str(&format!("### Organization {}\n\n", n / 50));
        }
        text.push_str(&format!(
            "#### Idea {n}: faster replay\n\n\
             - Description: {paragraph}\
             \x20 {paragraph}\
             \x20 - first step\n  - second step\n    - a detail\n\n\
             \x20 ```go\n  func main() {{}}\n  ```\n\n\
             \x20 | a | b |\n  |---|---|\n  | 1 | 2 |\n\n\
             - Expected Outcome: Replay is twice as fast.\n\
             - Recommended Skills: Go, Kubernetes, profiling (pprof is fine)\n\
             - Mentor(s): Jane Doe (@jane{n}, jane{n}@example.org), [Max](https://github.com/max{n})\n\
             - Upstream Issue: https://github.com/org/repo/issues/{n}\n\n\
             Notes after the fields.\n\n"
        ));
        n += 1;
    }
    text
}

#[test]
fn fifty_megabyte_term_file_parses_in_linear_time() {
    let ctx = ParseContext::default();
    let mut runs = Vec::new();
    for bytes in [25_000_000, 50_000_000] {
        let text = big_term_file(bytes);
        let expected_ideas = text.matches("\n#### Idea ").count();
        let started = Instant::now();
        let ((file, diags), work) = measure(|| {
            let text = load::decode(text.into_bytes()).unwrap();
            parse::parse_term_file(&source("big.md", &text), &ctx)
        });
        eprintln!(
            "{bytes} bytes: {expected_ideas} ideas in {:?}",
            started.elapsed()
        );
        assert_eq!(file.ideas.len(), expected_ideas);
        assert!(diags.iter().all(|d| !d.is_error()), "{:?}", &diags[..1]);
        assert!(started.elapsed() < Duration::from_secs(600), "time-bounded");
        runs.push(work);
    }
    assert_linear("term file 25 MB → 50 MB", runs[0], runs[1]);
}

/// A site of `terms` term files holding `ideas` small ideas in all.
fn many_idea_site(root: &Path, terms: usize, ideas: usize) {
    let per_term = ideas / terms;
    for t in 0..terms {
        let mut text = format!("# Term {t}\n\n");
        for i in 0..per_term {
            if i % 100 == 0 {
                text.push_str(&format!("### Org {}\n\n", i / 100));
            }
            text.push_str(&format!(
                "#### Idea {i}\n- Description: Do thing {i}.\n- Recommended Skills: Go\n- Mentor(s): J (@j{i})\n\n"
            ));
        }
        write_files(
            root,
            &[(&format!("content/term-{t:03}.md"), text.as_bytes())],
        );
    }
}

#[test]
fn hundred_thousand_idea_site_parses_in_linear_time() {
    let mut runs = Vec::new();
    for ideas in [50_000, 100_000] {
        let dir = tempfile::tempdir().unwrap();
        many_idea_site(dir.path(), 100, ideas);
        let started = Instant::now();
        let ((site, diags), work) =
            measure(|| load_site_on_this_thread(&dir.path().join("content")));
        eprintln!("{ideas} ideas in {:?}", started.elapsed());
        assert_eq!(site.ideas.len(), ideas);
        assert_eq!(site.terms.len(), 100);
        assert!(diags.iter().all(|d| !d.is_error()));
        let slugs: std::collections::HashSet<&str> =
            site.ideas.iter().map(|i| i.slug.as_str()).collect();
        assert_eq!(slugs.len(), ideas, "every idea has its own slug");
        runs.push(work);
    }
    assert_linear("site of 50,000 → 100,000 ideas", runs[0], runs[1]);
}

#[test]
fn ten_thousand_ideas_without_an_organization_parse_in_linear_time() {
    // Each idea looks back for an organization heading; with none, that look must
    // not be a scan of every idea before it.
    let mut runs = Vec::new();
    for ideas in [5_000, 10_000] {
        let text: String = (0..ideas)
            .map(|i| format!("#### Idea {i}\n- Description: d\n- Mentor(s): J (@j)\n\n"))
            .collect();
        let ((file, diags), work) = measure(|| parse_text(&text));
        assert_eq!(file.ideas.len(), ideas);
        // A file with no organization heading at all is one organization's list.
        assert!(file.ideas.iter().all(|i| i.organization.is_empty()));
        assert!(!diags.iter().any(|d| d.code == "no-organization"));
        runs.push(work);
    }
    assert_linear("ideas without organization", runs[0], runs[1]);
}

#[test]
fn skills_field_with_thousands_of_skills_parses_in_linear_time() {
    // Each new skill is checked against those taken before: with a set, not a scan.
    let mut runs = Vec::new();
    for n in [20_000, 40_000] {
        let field = (0..n)
            .map(|i| format!("Skill{i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let (parsed, work) = measure(|| parse_skills(&field, &SkillAliases::default()));
        assert_eq!(parsed.skills.len(), n);
        runs.push(work);
    }
    assert_linear("skills field", runs[0], runs[1]);
}

#[test]
fn mentors_field_with_thousands_of_mentors_or_open_brackets_parses_in_linear_time() {
    // An unclosed `[` is looked at for a link: never rescanned to the end of the line.
    let mut runs = Vec::new();
    for n in [10_000, 20_000] {
        let mut field = (0..n)
            .map(|i| format!("M{i} (@m{i})"))
            .collect::<Vec<_>>()
            .join(", ");
        field.push_str(", Jane ");
        field.push_str(&"[".repeat(n));
        field.push_str(&"(".repeat(n));
        let (mentors, work) = measure(|| parse_mentors(&field));
        assert_eq!(mentors.len(), n + 1);
        runs.push(work);
    }
    assert_linear("mentors field", runs[0], runs[1]);
}

#[test]
fn thousands_of_unknown_labels_parse_in_linear_time() {
    // Each unknown label gets a "did you mean" look: a bounded one.
    let mut runs = Vec::new();
    for n in [1_500, 3_000] {
        let mut text = String::from("### Org\n#### Idea\n- Description: d\n");
        for i in 0..n {
            text.push_str(&format!("- Unknown label {i}: v\n"));
        }
        let ((file, _), work) = measure(|| parse_text(&text));
        assert_eq!(file.ideas[0].extra.len(), n);
        runs.push(work);
    }
    assert_linear("unknown labels", runs[0], runs[1]);
}

/// 10,000 levels of nested lists, block quotes, and both mixed, inside an idea's
/// description and in the term's notes.
fn deeply_nested() -> String {
    let lists = "- ".repeat(10_000);
    let quotes = "> ".repeat(10_000);
    let mixed = "> - ".repeat(5_000);
    let brackets = "[".repeat(10_000) + &"(".repeat(10_000);
    let emphasis = "*a ".repeat(10_000) + &"**".repeat(10_000);
    format!(
        "# Term\n\n{lists}deep list\n\n{quotes}deep quote\n\n### Org\n\n#### Idea\n\n\
         - Description: {brackets}\n{lists}x\n\n  {quotes}y\n\n  {mixed}z\n\n  {emphasis}\n\
         - Mentor(s): {brackets}\n- Recommended Skills: {brackets}\n- Expected Outcome: {quotes}q\n"
    )
}

#[test]
fn ten_thousand_nested_lists_or_quotes_do_not_overflow_the_parser_stack() {
    // A small stack: whatever the parser does per nesting level, it must not be
    // a recursion as deep as the input.
    let text = deeply_nested();
    let handle = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let (file, diags) = parse_text(&text);
            (file.ideas.len(), diags.iter().any(Diagnostic::is_error))
        })
        .unwrap();
    let (ideas, errors) = handle.join().expect("no stack overflow, no panic");
    assert_eq!(ideas, 1);
    assert!(!errors);
}

#[test]
fn ten_thousand_nested_lists_or_quotes_build_a_site() {
    let text = deeply_nested();
    let dir = site(&[("content/deep.md", text.as_bytes())]);
    assert_exit(&trellis(dir.path(), &["check"]), 0);
    let out = trellis(dir.path(), &["build"]);
    assert_exit(&out, 0);
    assert!(dir.path().join("public/ideas.json").is_file());
}

// ---------------------------------------------------------------------------
// Structure: headings and fields that do not fit together.
// ---------------------------------------------------------------------------

#[test]
fn heading_with_fields_but_no_title_is_an_error_at_its_line() {
    let text = "### Org\n\n####\n- Description: no title\n- Mentor(s): A (@a)\n";
    let (file, diags) = parse_text(text);
    assert!(has(&diags, "idea-without-title", 3), "{diags:?}");
    assert!(diags.iter().any(|d| d.is_error()));
    assert_eq!(file.ideas.len(), 1, "kept, so its fields are not lost");
    let dir = site(&[("content/term.md", text.as_bytes())]);
    let out = trellis(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("term.md:3:1"), "{}", stderr(&out));
}

#[test]
fn fields_without_a_heading_warn_and_stay_in_the_notes() {
    let text = "Intro.\n\n- Description: orphan fields\n- Mentor(s): A (@a)\n\n### Org\n";
    let (file, diags) = parse_text(text);
    assert!(has(&diags, "fields-without-idea", 3), "{diags:?}");
    assert!(file.ideas.is_empty());
    let notes: String = file
        .term
        .notes
        .iter()
        .map(|n| n.markdown.as_str())
        .collect();
    assert!(notes.contains("orphan fields"), "nothing lost: {notes}");
}

#[test]
fn duplicate_titles_get_distinct_slugs_and_a_warning() {
    let text = "### Org\n#### Same\n- Description: one\n#### Same\n- Description: two\n#### Same!\n- Description: three\n";
    let (file, mut diags) = parse_text(text);
    let (site, mut more) = trellis::site::assemble(vec![file]);
    diags.append(&mut more);
    let slugs: Vec<&str> = site.ideas.iter().map(|i| i.slug.as_str()).collect();
    assert_eq!(
        slugs,
        ["term/org/same", "term/org/same-2", "term/org/same-3"]
    );
    assert!(has(&diags, "duplicate-title", 4), "{diags:?}");
    assert!(has(&diags, "duplicate-title", 6), "{diags:?}");
}

// ---------------------------------------------------------------------------
// The file system: loops, unreadable entries, missing directories.
// ---------------------------------------------------------------------------

#[test]
fn symlink_loops_in_content_are_reported_not_followed_forever() {
    let dir = site(&[("content/sub/term.md", GOOD)]);
    let content = dir.path().join("content");
    // A directory link back to its own ancestor, and two file links to each other.
    std::os::unix::fs::symlink("..", content.join("sub/up")).unwrap();
    std::os::unix::fs::symlink("a.md", content.join("b.md")).unwrap();
    std::os::unix::fs::symlink("b.md", content.join("a.md")).unwrap();
    // Another name for the same directory: its files are read once.
    std::os::unix::fs::symlink("sub", content.join("alias")).unwrap();
    let out = trellis_within(
        dir.path(),
        &["check", "--format", "json"],
        Duration::from_secs(60),
    );
    let diags = json_diagnostics(&out);
    let found =
        |code: &str, file: &str| diags.iter().any(|d| d["code"] == code && d["file"] == file);
    assert!(found("content-unreadable", "content/sub/up"), "{diags:#?}");
    assert!(found("content-unreadable", "content/a.md"), "{diags:#?}");
    assert!(found("content-unreadable", "content/b.md"), "{diags:#?}");
    assert!(found("duplicate-file", "content/sub/term.md"), "{diags:#?}");
    let out = trellis_within(dir.path(), &["check"], Duration::from_secs(60));
    let err = stderr(&out);
    assert!(err.contains("symbolic link loop at 'sub/up'"), "{err}");
    assert!(err.contains("'a.md' loops or points to nothing"), "{err}");
    assert!(
        err.contains("1 term files: 1 ideas"),
        "the real file is read once: {err}"
    );
}

#[test]
fn symlinks_out_of_the_content_directory_are_not_followed() {
    let dir = site(&[
        ("content/term.md", GOOD),
        ("secret/key.md", b"# SECRET KEY\n"),
    ]);
    let content = dir.path().join("content");
    std::os::unix::fs::symlink("../secret/key.md", content.join("stolen.md")).unwrap();
    std::os::unix::fs::symlink("..", content.join("parent")).unwrap();
    std::os::unix::fs::symlink("/", content.join("everything")).unwrap();
    let out = trellis_within(dir.path(), &["check"], Duration::from_secs(60));
    let err = assert_exit(&out, 1);
    for link in ["stolen.md", "parent", "everything"] {
        let message = format!("symbolic link '{link}' points outside the content directory");
        assert!(err.contains(&message), "{link}: {err}");
    }
    assert!(err.contains("1 term files: 1 ideas"), "{err}");
    assert!(!err.contains("SECRET"), "{err}");
    let out = trellis(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.path().join("public").exists(), "nothing published");
}

#[test]
fn content_directory_that_is_itself_a_link_is_read() {
    // Only links below the content directory are held to it: the directory itself
    // may live anywhere (a monorepo linking `content` to its proposals).
    let dir = site(&[("proposals/term.md", GOOD)]);
    std::os::unix::fs::symlink("proposals", dir.path().join("content")).unwrap();
    let err = assert_exit(&trellis(dir.path(), &["check"]), 0);
    assert!(err.contains("1 term files: 1 ideas"), "{err}");
}

#[test]
fn unreadable_entries_are_reported_and_special_files_skipped() {
    let dir = site(&[("content/term.md", GOOD)]);
    let content = dir.path().join("content");
    // A dangling symlink cannot be read, even by root.
    std::os::unix::fs::symlink("/nonexistent/trellis/gone.md", content.join("gone.md")).unwrap();
    // A FIFO named like a term file would block a reader forever: it must be skipped.
    let fifo = Command::new("mkfifo").arg(content.join("pipe.md")).status();
    let have_fifo = fifo.is_ok_and(|s| s.success());
    if !have_fifo {
        eprintln!("NOTE: mkfifo unavailable: the FIFO case was not exercised");
    }
    // A directory named like a term file is a directory.
    std::fs::create_dir(content.join("folder.md")).unwrap();
    // chmod 000: unreadable for everyone but root.
    let locked = content.join("locked.md");
    std::fs::write(&locked, GOOD).unwrap();
    std::fs::set_permissions(&locked, PermissionsExt::from_mode(0o000)).unwrap();
    let root_reads_anyway = std::fs::read(&locked).is_ok();
    let out = trellis_within(dir.path(), &["check"], Duration::from_secs(60));
    let err = assert_exit(&out, 1);
    assert!(err.contains("gone.md"), "the dangling link is named: {err}");
    if root_reads_anyway {
        eprintln!("NOTE: running as root, where chmod 000 does not stop reads; the dangling symlink stands in for it");
    } else {
        assert!(
            err.contains("locked.md"),
            "the unreadable file is named: {err}"
        );
    }
    assert!(
        !err.contains("pipe.md"),
        "the FIFO is skipped silently: {err}"
    );
    assert!(!err.contains("folder.md"), "so is the directory: {err}");
}

#[test]
fn missing_content_directory_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = trellis(dir.path(), &["check"]);
    let err = assert_exit(&out, 1);
    assert!(
        err.contains("content directory") && err.contains("does not exist"),
        "{err}"
    );
    let out = trellis(dir.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.path().join("public").exists());
}

// ---------------------------------------------------------------------------
// Configuration and front matter.
// ---------------------------------------------------------------------------

#[test]
fn invalid_toml_in_trellis_toml_names_line_and_column() {
    let dir = site(&[
        (
            "trellis.toml",
            b"title = \"Portal\"\nbase_url = \"/x/\nrepo_branch = \"main\"\n",
        ),
        ("content/term.md", GOOD),
    ]);
    for command in ["check", "build"] {
        let out = trellis(dir.path(), &[command]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{command}: {err}");
        assert!(err.contains("trellis.toml:2:"), "{command}: {err}");
    }
    assert!(!dir.path().join("public").exists());
}

#[test]
fn invalid_toml_in_front_matter_names_file_line_and_column() {
    let text = b"+++\ntitle = \"Term\"\nstatus = open\n+++\n### Org\n#### Idea\n- Description: d\n";
    let dir = site(&[("content/term.md", text)]);
    let out = trellis(dir.path(), &["check", "--format", "json"]);
    let diags = json_diagnostics(&out);
    let error = diags
        .iter()
        .find(|d| d["code"] == "front-matter-invalid")
        .unwrap_or_else(|| panic!("{diags:?}"));
    assert_eq!(error["file"], "content/term.md");
    assert_eq!(error["line"], 3);
    assert_eq!(error["column"], 10);
    assert_eq!(out.status.code(), Some(1));
}

// ---------------------------------------------------------------------------
// Templates: a broken user template fails the build and keeps the old site.
// ---------------------------------------------------------------------------

/// Builds a good site, breaks `templates/<name>`, builds again: the second
/// build must fail with `expected` in its message and leave the first output as it was.
fn broken_template_keeps_previous_output(name: &str, template: &str, expected: &[&str]) {
    let dir = site(&[("content/term.md", GOOD)]);
    assert_exit(&trellis(dir.path(), &["build"]), 0);
    let public = dir.path().join("public");
    let before = snapshot(&public);
    write_files(
        dir.path(),
        &[(&format!("templates/{name}"), template.as_bytes())],
    );
    let out = trellis(dir.path(), &["build"]);
    let err = assert_exit(&out, 1);
    for e in expected {
        assert!(err.contains(e), "{e:?} not in: {err}");
    }
    assert_eq!(snapshot(&public), before, "previous output intact");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains("trellis-new"))
        .collect();
    assert!(leftovers.is_empty(), "staging removed: {leftovers:?}");
}

#[test]
fn template_syntax_error_names_template_and_line_and_keeps_previous_output() {
    broken_template_keeps_previous_output(
        "idea.html",
        "<html>\n<body>\n{% if idea.title %}\n<h1>{{ idea.title }</h1>\n</body>\n",
        &["templates/idea.html", "4:"],
    );
}

#[test]
fn unknown_template_variable_names_template_and_keeps_previous_output() {
    broken_template_keeps_previous_output(
        "idea.html",
        "<html>\n<body>\n<h1>{{ no_such_variable.title }}</h1>\n</body>\n</html>\n",
        &["templates/idea.html", "no_such_variable"],
    );
}

// ---------------------------------------------------------------------------
// The output directory.
// ---------------------------------------------------------------------------

#[test]
fn dangerous_output_directories_are_refused() {
    let dir = site(&[("content/term.md", GOOD)]);
    let fake_home = tempfile::tempdir().unwrap();
    std::fs::write(fake_home.path().join("keep.txt"), "mine").unwrap();
    let root = dir.path().to_str().unwrap();
    let content = dir.path().join("content");
    let inside_content = content.join("public");
    let home = fake_home.path().to_str().unwrap();
    let before = snapshot(dir.path());
    let home_before = snapshot(fake_home.path());
    for (output, why) in [
        ("/", "file system root"),
        (home, "home directory"),
        (root, "site root"),
        (content.to_str().unwrap(), "content directory"),
        (inside_content.to_str().unwrap(), "content directory"),
    ] {
        let out = command()
            .args(["--root", root, "build", "--output", output])
            .env("HOME", home)
            .output()
            .unwrap();
        let err = stderr(&out);
        assert_ne!(out.status.code(), Some(0), "{output}: {err}");
        assert!(
            err.contains("refusing") && err.contains(why),
            "{output}: {err}"
        );
    }
    assert_eq!(snapshot(dir.path()), before, "the site is untouched");
    assert_eq!(snapshot(fake_home.path()), home_before, "home is untouched");
}

#[test]
fn output_that_is_a_file_or_a_foreign_directory_is_left_alone() {
    let dir = site(&[("content/term.md", GOOD)]);
    std::fs::write(dir.path().join("public"), "not a directory").unwrap();
    let out = trellis(dir.path(), &["build"]);
    assert_ne!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(dir.path().join("public")).unwrap(),
        b"not a directory"
    );
    let foreign = dir.path().join("docs");
    write_files(&foreign, &[("index.html", b"someone else's")]);
    let out = trellis(
        dir.path(),
        &["build", "--output", foreign.to_str().unwrap()],
    );
    assert!(
        stderr(&out).contains("not made by Trellis"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read(foreign.join("index.html")).unwrap(),
        b"someone else's"
    );
}

/// A site of 200 ideas with one static file far bigger than any page, written
/// after every page: a limit between the two fails the build in its middle.
fn mid_sized_site() -> tempfile::TempDir {
    let mut text = String::from("# Term 2026\n\n");
    for o in 0..20 {
        text.push_str(&format!("### Org {o}\n\n"));
        for i in 0..10 {
            text.push_str(&format!(
                "#### Idea {o}-{i}\n- Description: {}\n- Expected Outcome: done\n- Recommended Skills: Go\n- Mentor(s): J (@j{o})\n\n",
                "words ".repeat(50)
            ));
        }
    }
    site(&[
        ("content/term.md", text.as_bytes()),
        ("static/video.bin", &[7u8; 4 << 20]),
    ])
}

/// Runs `trellis build` with writes limited to `limit_kib` KiB a file (RLIMIT_FSIZE,
/// through bash's `ulimit -f`); with `ignore_signal`, SIGXFSZ is ignored, so a
/// write past the limit fails with EFBIG instead of killing the process.
fn build_with_file_size_limit(root: &Path, limit_kib: u64, ignore_signal: bool) -> Output {
    let trap = if ignore_signal { "trap '' XFSZ; " } else { "" };
    Command::new("bash")
        .arg("-c")
        .arg(format!(
            "{trap}ulimit -f {limit_kib} && exec \"$0\" --root \"$1\" build"
        ))
        .arg(env!("CARGO_BIN_EXE_trellis"))
        .arg(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn write_failure_in_the_middle_of_a_build_keeps_previous_output() {
    if Command::new("bash")
        .arg("-c")
        .arg("ulimit -f 1")
        .status()
        .is_err()
    {
        skip::say("SKIPPED: write_failure_in_the_middle_of_a_build needs bash for `ulimit -f`");
        return;
    }
    let dir = mid_sized_site();
    assert_exit(&trellis(dir.path(), &["build"]), 0);
    let public = dir.path().join("public");
    let before = snapshot(&public);
    let pages = before.iter().filter(|(p, _)| !p.ends_with("video.bin"));
    let limit_kib = pages.map(|(_, b)| b.len() as u64).max().unwrap() / 1024 + 64;
    assert!(
        limit_kib < 4096,
        "every page fits, the static file does not"
    );
    // Change the content, so a build that wrongly went through would show.
    let term = dir.path().join("content/term.md");
    let text = std::fs::read_to_string(&term)
        .unwrap()
        .replace("Idea 0-0", "Renamed idea");
    std::fs::write(&term, text).unwrap();

    // The write fails with an error: reported, staging removed, old site intact.
    let out = build_with_file_size_limit(dir.path(), limit_kib, true);
    let err = assert_exit(&out, 1);
    assert!(
        err.contains("cannot write") && err.contains("previous output is untouched"),
        "{err}"
    );
    assert_eq!(
        snapshot(&public),
        before,
        "previous output intact after a write error"
    );
    let names = || -> Vec<String> {
        std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    assert!(
        !names().iter().any(|n| n.contains("trellis-new")),
        "{:?}",
        names()
    );

    // The process is killed by the write (SIGXFSZ): no chance to clean up, and
    // still the old site is whole.
    let out = build_with_file_size_limit(dir.path(), limit_kib, false);
    assert_eq!(
        out.status.code(),
        None,
        "killed by a signal: {}",
        stderr(&out)
    );
    assert_eq!(
        snapshot(&public),
        before,
        "previous output intact after a crash"
    );

    // The next good build succeeds and clears what the killed one left behind.
    assert_exit(&trellis(dir.path(), &["build"]), 0);
    assert!(cli::exported_ideas(&public)
        .iter()
        .any(|idea| idea.to_string().contains("Renamed idea")));
    assert!(
        !names().iter().any(|n| n.contains("trellis-new")),
        "{:?}",
        names()
    );
}

// ---------------------------------------------------------------------------
// Paths: nothing a term file says can make Trellis write outside the output.
// ---------------------------------------------------------------------------

const ESCAPES: &[&str] = &[
    "../../etc/passwd",
    "..",
    ".",
    "/",
    "/etc/shadow",
    "..\\..\\windows\\system32",
    "%2e%2e%2f%2e%2e%2fetc",
    "~/.ssh/authorized_keys",
    "....//....//etc",
    "CON",
    "a\u{0}b",
];

fn hostile_term_file() -> String {
    let mut text = String::from("+++\ntitle = \"../../etc/passwd\"\n+++\n# Term\n\n");
    for org in ESCAPES {
        text.push_str(&format!("### {org}\n\n"));
        for title in ESCAPES {
            text.push_str(&format!(
                "#### {title}\n\n- Description: d\n- Recommended Skills: {title}, ../x, /\n- Mentor(s): {title} (@{title}, {title}@x.org), [..](../../up)\n\n"
            ));
        }
    }
    text
}

#[test]
fn no_title_organization_slug_or_file_name_writes_outside_the_output() {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("site");
    let text = hostile_term_file();
    write_files(
        &root,
        &[
            ("content/a..b.md", text.as_bytes()),
            ("content/%2e%2e%2f%2e%2e%2fescape.md", text.as_bytes()),
            ("content/back\\..\\slash.md", text.as_bytes()),
            ("content/.. .md", text.as_bytes()),
        ],
    );
    let passwd = std::fs::read("/etc/passwd").ok();
    let public = root.join("public");
    let before = snapshot(outer.path());
    let out = trellis(&root, &["build"]);
    assert_exit(&out, 0);
    // Everything but the output is as it was, in the whole directory around the site.
    let after: BTreeMap<_, _> = snapshot(outer.path())
        .into_iter()
        .filter(|(p, _)| !p.starts_with("site/public"))
        .collect();
    assert_eq!(
        after, before,
        "nothing appeared or changed outside the output"
    );
    assert_eq!(std::fs::read("/etc/passwd").ok(), passwd);
    // Inside the output: plain files and directories with safe names only.
    let real_public = std::fs::canonicalize(&public).unwrap();
    for entry in walkdir::WalkDir::new(&public) {
        let entry = entry.unwrap();
        assert!(!entry.path_is_symlink(), "{}", entry.path().display());
        let real = std::fs::canonicalize(entry.path()).unwrap();
        assert!(real.starts_with(&real_public), "{}", real.display());
        let name = entry.file_name().to_string_lossy();
        assert!(
            !name.contains("..") && !name.contains('\\') && !name.contains('%'),
            "unsafe name {name:?} at {}",
            entry.path().display()
        );
    }
    let ideas = &cli::exported_ideas(&public);
    // `.. .md` is hidden (it starts with a dot), and hidden files are skipped by design.
    assert_eq!(
        ideas.len(),
        3 * ESCAPES.len() * ESCAPES.len(),
        "no idea lost"
    );
    for idea in ideas {
        let slug = idea["slug"].as_str().unwrap();
        assert!(
            slug.split('/').all(|s| !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')),
            "{slug}"
        );
    }
}

// ---------------------------------------------------------------------------
// Rendering: nesting the HTML cleaner would take quadratic time over.
// ---------------------------------------------------------------------------

/// How deep the elements of `html` nest, for HTML as the cleaner writes it:
/// every `<` starts a tag, every element but a void one is closed.
fn element_depth(html: &str) -> usize {
    const VOID: [&str; 6] = ["br", "hr", "img", "input", "col", "wbr"];
    let (mut depth, mut deepest) = (0usize, 0);
    for tag in html.split('<').skip(1) {
        let name: String = tag
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '>')
            .collect();
        if let Some(closed) = name.strip_prefix('/') {
            assert!(depth > 0, "</{closed}> closes nothing");
            depth -= 1;
        } else if !VOID.contains(&name.as_str()) {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    deepest
}

#[test]
fn ten_thousand_nested_quotes_lists_or_divs_render_with_their_text_and_nesting_capped() {
    let markdown = trellis::render::markdown::Markdown::new(None);
    let cases = [
        ("block quotes", format!("{}innermost", "> ".repeat(10_000))),
        ("lists", format!("{}innermost", "- ".repeat(10_000))),
        ("quoted lists", format!("{}innermost", "> - ".repeat(5_000))),
        (
            "raw HTML",
            format!(
                "{}innermost{}",
                "<div>".repeat(10_000),
                "</div>".repeat(10_000)
            ),
        ),
    ];
    for (what, input) in cases {
        let html = markdown.to_html(&input, 2);
        assert!(
            html.contains("innermost"),
            "{what}: the innermost text is lost"
        );
        let depth = element_depth(&html);
        // 32 levels of lists are 64 elements (`ul` and `li`), with a paragraph in each.
        assert!(depth <= 100, "{what}: elements nest {depth} deep");
        eprintln!("{what}: {} bytes of HTML, nesting {depth} deep", html.len());
    }
}

/// The words `w0`, `w1`, … in `html`, in the order they appear.
fn numbered_words(html: &str) -> Vec<usize> {
    html.split(|c: char| !c.is_ascii_alphanumeric())
        .filter_map(|w| w.strip_prefix('w')?.parse().ok())
        .collect()
}

#[test]
fn thousands_of_stray_words_and_tags_in_one_table_keep_their_text_in_order() {
    // An HTML parser moves what it meets directly inside a table in front of
    // it, and the sanitizer's tree paid for each move with a search of the
    // table's siblings. Such tables now show as text, and nothing moves.
    let markdown = trellis::render::markdown::Markdown::new(None);
    let n = 4_000;
    let words = |unit: &str| -> String {
        (0..n)
            .map(|i| unit.replace("{}", &format!("w{i}")))
            .collect()
    };
    let cases = [
        ("stray tags", format!("<table>{}</table>", words("{}<br>"))),
        (
            "stray elements",
            format!("<table>{}", words("<span>{}</span>")),
        ),
        ("stray end tags", format!("<table>{}", words("{}</p>"))),
        ("paragraphs", format!("<table>\n\n{}", words("{}\n\n"))),
        (
            "a markdown table's cell",
            format!("| a |\n|---|\n| </td>{} |", words("{}<br>")),
        ),
    ];
    for (what, input) in cases {
        let html = markdown.to_html(&input, 2);
        assert_eq!(
            numbered_words(&html),
            (0..n).collect::<Vec<_>>(),
            "{what}: words lost or moved"
        );
        let tables = html.matches("<table>").count();
        assert!(tables <= 1, "{what}: {tables} tables");
        if let Some(table) = html.find("<table>") {
            assert!(
                html.find("w0").is_some_and(|w| w > table),
                "{what}: text moved in front of the table"
            );
        }
        eprintln!("{what}: {} bytes of HTML, {tables} table", html.len());
    }
}

#[test]
fn symlinks_out_of_the_site_in_static_templates_or_settings_are_refused() {
    let secret = site(&[("env.txt", b"SECRET_TOKEN=hunter2\n")]);
    let target = secret.path().join("env.txt");
    for (link, what) in [
        ("static/env.txt", "a file in static/"),
        ("templates/base.html", "a template"),
        ("static/etc", "a directory in static/"),
        ("trellis.toml", "the settings"),
    ] {
        let dir = site(&[("content/term.md", GOOD), ("static/ok.txt", b"fine")]);
        let path = dir.path().join(link);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let points_at = if link == "static/etc" {
            secret.path()
        } else {
            target.as_path()
        };
        std::os::unix::fs::symlink(points_at, &path).unwrap();
        let out = trellis(dir.path(), &["build"]);
        let err = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_ne!(out.status.code(), Some(0), "{what}: {err}");
        assert!(
            err.contains("points outside the site root"),
            "{what}: {err}"
        );
        assert!(err.contains(link), "{what} is named: {err}");
        assert!(!err.contains("hunter2"), "{what}: {err}");
        assert!(
            !dir.path().join("public").exists(),
            "{what}: nothing published"
        );
    }
    // A link that stays inside the site is followed.
    let dir = site(&[("content/term.md", GOOD), ("shared/logo.svg", b"<svg/>")]);
    std::fs::create_dir_all(dir.path().join("static")).unwrap();
    std::os::unix::fs::symlink("../shared/logo.svg", dir.path().join("static/logo.svg")).unwrap();
    assert_exit(&trellis(dir.path(), &["build"]), 0);
    assert_eq!(
        std::fs::read(dir.path().join("public/logo.svg")).unwrap(),
        b"<svg/>"
    );
}

#[test]
fn output_through_a_committed_link_is_checked_at_its_real_path() {
    // `lnk/../victim` reads as a directory of the site, but the file system
    // resolves it beside wherever `lnk` points: there sits a directory Trellis
    // never made.
    let elsewhere = site(&[("victim/precious.txt", b"keep me"), ("sub/x", b"")]);
    let dir = site(&[
        ("content/term.md", GOOD),
        ("trellis.toml", b"output_dir = \"lnk/../victim\"\n"),
    ]);
    std::os::unix::fs::symlink(elsewhere.path().join("sub"), dir.path().join("lnk")).unwrap();
    let before = snapshot(elsewhere.path());
    let out = trellis(dir.path(), &["build"]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_ne!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("was not made by Trellis"), "{err}");
    assert!(err.contains("really"), "the real path is shown: {err}");
    assert_eq!(
        snapshot(elsewhere.path()),
        before,
        "nothing outside changed"
    );
    // The same through --output, and an output that is itself a link.
    let through = dir.path().join("lnk/../victim");
    let out = trellis(
        dir.path(),
        &["build", "--output", through.to_str().unwrap()],
    );
    assert_ne!(out.status.code(), Some(0));
    std::os::unix::fs::symlink(elsewhere.path().join("victim"), dir.path().join("public")).unwrap();
    let public = dir.path().join("public");
    let out = trellis(dir.path(), &["build", "--output", public.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_ne!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("symbolic link"), "{err}");
    assert_eq!(
        snapshot(elsewhere.path()),
        before,
        "nothing outside changed"
    );
}

#[test]
fn a_directory_without_the_marker_is_never_removed() {
    let dir = site(&[("mine/index.html", b"not a site of Trellis")]);
    let err = trellis::output::remove_own_dir(&dir.path().join("mine")).unwrap_err();
    assert!(err.to_string().contains(".trellis-output"), "{err}");
    assert!(dir.path().join("mine/index.html").exists());
    std::fs::write(dir.path().join("mine/.trellis-output"), "").unwrap();
    trellis::output::remove_own_dir(&dir.path().join("mine")).unwrap();
    assert!(!dir.path().join("mine").exists());
}

/// The total size of the files under `dir`.
fn bytes_under(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().unwrap().len())
        .sum()
}

/// A term file with one idea of `n` skills and `n` mentors.
fn crowded_idea(n: usize) -> String {
    let skills: Vec<String> = (0..n).map(|i| format!("Skill{i}")).collect();
    let mentors: Vec<String> = (0..n)
        .map(|i| format!("Mentor Number{i} (@m{i})"))
        .collect();
    format!(
        "# Term 2026\n\n### Org\n\n#### Crowded\n\n- Description: Many hands.\n- Recommended Skills: {}\n- Mentor(s): {}\n",
        skills.join(", "),
        mentors.join(", ")
    )
}

#[test]
fn output_grows_linearly_with_one_ideas_skills_and_mentors() {
    let size = |n: usize| {
        let dir = site(&[("content/term.md", crowded_idea(n).as_bytes())]);
        assert_exit(&trellis(dir.path(), &["build"]), 0);
        let page =
            std::fs::read_to_string(dir.path().join("public/skills/skill0/index.html")).unwrap();
        assert!(
            page.contains(&format!("and {} more", n - 12)),
            "the card counts the rest"
        );
        (
            bytes_under(&dir.path().join("public")),
            bytes_under(&dir.path().join("content")),
        )
    };
    let (small, small_input) = size(200);
    let (large, large_input) = size(800);
    let input_ratio = large_input as f64 / small_input as f64;
    let output_ratio = large as f64 / small as f64;
    eprintln!("input ×{input_ratio:.2}, output ×{output_ratio:.2} ({small} → {large} bytes)");
    assert!(
        output_ratio < input_ratio * 1.25,
        "output ×{output_ratio:.2} for input ×{input_ratio:.2}: not linear"
    );
}

#[test]
fn a_build_stops_before_its_output_passes_the_limit() {
    let dir = site(&[
        ("content/term.md", crowded_idea(300).as_bytes()),
        (
            "trellis.toml",
            b"max_output_ratio = 2\nmax_output_floor_mb = 0\n",
        ),
    ]);
    let out = trellis(dir.path(), &["build"]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_ne!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("max_output_ratio"),
        "the setting is named: {err}"
    );
    assert!(!dir.path().join("public").exists(), "nothing published");
    let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 2, "the staging directory is removed");
    // The default limit leaves room for the same site.
    std::fs::remove_file(dir.path().join("trellis.toml")).unwrap();
    assert_exit(&trellis(dir.path(), &["build"]), 0);
}

#[test]
fn html_shown_as_text_is_not_link_checked() {
    let term = "# Term 2026\n\n### Org\n\n#### Docs\n\n- Description: Write `<a href=\"/docs/\">` in a span, and\n\n  ```html\n  <img src=\"/missing.png\"> <a href=\"/nowhere/\">x</a>\n  ```\n- Mentor(s): Jane Doe (@jane)\n";
    let dir = site(&[("content/term.md", term.as_bytes())]);
    assert_exit(&trellis(dir.path(), &["check"]), 0);
    assert_exit(&trellis(dir.path(), &["build"]), 0);
    let page = std::fs::read_to_string(dir.path().join("public/index.html")).unwrap();
    assert!(!page.is_empty());
}

/// The files of a site: relative path and bytes.
type Files<'a> = Vec<(&'a str, &'a [u8])>;

#[test]
fn check_refuses_what_build_refuses() {
    // A real broken link, a broken template and an output past the limit:
    // each fails `build`, so `check`, the gate on pull requests, must fail too.
    let cases: [(&str, Files); 3] = [
        (
            "broken internal link",
            vec![
                ("content/term.md", GOOD),
                ("templates/404.html", b"<a href=\"/docs/\">docs</a>"),
            ],
        ),
        (
            "templates/idea.html",
            vec![
                ("content/term.md", GOOD),
                ("templates/idea.html", b"{% if %}"),
            ],
        ),
        (
            "max_output_ratio",
            vec![
                ("content/term.md", GOOD),
                (
                    "trellis.toml",
                    b"max_output_ratio = 0\nmax_output_floor_mb = 0\n",
                ),
            ],
        ),
    ];
    for (why, files) in cases {
        let dir = site(&files);
        let build = trellis(dir.path(), &["build"]);
        assert_ne!(build.status.code(), Some(0), "{why}: build refuses");
        let err = assert_exit(&trellis(dir.path(), &["check"]), 1);
        assert!(err.contains(why), "{why}: {err}");
        let out = trellis(dir.path(), &["check", "--format", "github"]);
        assert_eq!(out.status.code(), Some(1), "{why}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("render-failed"));
    }
}

#[test]
fn settings_that_would_break_the_site_are_errors_at_their_line() {
    let cases: [(&[u8], &str); 4] = [
        (
            b"title = \"x\"\nbase_url = \"https://x.org/\\nDisallow: /\"\n",
            "trellis.toml:2:1",
        ),
        (b"cname = \"a.org\\nevil\"\n", "trellis.toml:1:1"),
        (
            b"title = \"x\"\n\n[skills]\ngolang = \"\"\n",
            "trellis.toml:4:1",
        ),
        (b"\ncontent_dir = \"../..\"\n", "trellis.toml:2:1"),
    ];
    for (toml, at) in cases {
        let dir = site(&[("content/term.md", GOOD), ("trellis.toml", toml)]);
        let err = assert_exit(&trellis(dir.path(), &["build"]), 2);
        assert!(err.contains(at), "{at}: {err}");
        assert!(!dir.path().join("public").exists());
    }
    // An output that is a link, named at its key.
    let dir = site(&[
        ("content/term.md", GOOD),
        ("trellis.toml", b"title = \"x\"\noutput_dir = \"site\"\n"),
        ("elsewhere/keep.txt", b"keep"),
    ]);
    std::os::unix::fs::symlink("elsewhere", dir.path().join("site")).unwrap();
    let err = assert_exit(&trellis(dir.path(), &["build"]), 2);
    assert!(err.contains("trellis.toml:2:1"), "{err}");
    assert!(err.contains("symbolic link"), "{err}");
    assert!(dir.path().join("elsewhere/keep.txt").exists());
    // An output inside static/, through --output as well.
    let dir = site(&[("content/term.md", GOOD), ("static/logo.svg", b"<svg/>")]);
    let inside = dir.path().join("static/site");
    let out = trellis(dir.path(), &["build", "--output", inside.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_ne!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("inside static/"), "{err}");
}

#[test]
fn control_characters_in_files_and_names_are_never_printed_raw() {
    let evil = b"# Term 2026\n\n### Org\n\n#### Faster \x1b]0;pwned\x07 replay\n\n- Description: \x1b[2J\x1b[HAll checks passed\n- Mentros\x1b[31m: Jane \x1b]52;c;cGF3bmVk\x07\n- Mentor(s): Jane Doe (@jane)\n";
    let dir = site(&[("content/term.md", GOOD), ("content/evil\x1b[2J.md", evil)]);
    for args in [
        &["check"][..],
        &["check", "--format", "github"],
        &["--verbose", "build"],
    ] {
        let out = trellis(dir.path(), args);
        for (stream, bytes) in [("stderr", &out.stderr), ("stdout", &out.stdout)] {
            let text = String::from_utf8_lossy(bytes);
            assert!(
                !text.chars().any(|c| c.is_control() && c != '\n'),
                "{args:?} {stream}: {text:?}"
            );
        }
        let all = String::from_utf8_lossy(&out.stderr).into_owned()
            + &String::from_utf8_lossy(&out.stdout);
        assert!(
            all.contains("evil␛[2J.md"),
            "{args:?}: the file is still named: {all}"
        );
    }
}

#[test]
fn control_characters_in_titles_leave_every_generated_format_valid() {
    let term = "+++\ntitle = \"Term\\u0000 \\u001b[2J 2026\\u0007\"\nstart = 2026-09-07\n[[timeline]]\nevent = \"Opens\\u0000\\u0008\\u007f\\u0085\"\ndate = 2026-07-29\n+++\n\n### Org\u{1}\n\n#### Faster\u{0} WAL\u{1b} replay\u{fffe}\u{7f}\n\n- Description: Make it \u{b}fast.\n- Mentor(s): Jane\u{c} Doe (@jane)\n";
    let dir = site(&[
        ("content/term.md", term.as_bytes()),
        ("trellis.toml", b"base_url = \"https://example.org/m/\"\n"),
    ]);
    assert_exit(&trellis(dir.path(), &["build"]), 0);
    let public = dir.path().join("public");
    for xml in ["atom.xml", "sitemap.xml"] {
        let text = std::fs::read_to_string(public.join(xml)).unwrap();
        let doc = roxmltree::Document::parse(&text)
            .unwrap_or_else(|e| panic!("{xml} is not XML: {e}\n{text:?}"));
        assert!(doc.root_element().has_children(), "{xml}");
    }
    let atom = std::fs::read_to_string(public.join("atom.xml")).unwrap();
    assert!(
        atom.contains("Faster WAL replay"),
        "the title stays: {atom}"
    );
    let ics_files: Vec<PathBuf> = walkdir::WalkDir::new(&public)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "ics"))
        .map(|e| e.into_path())
        .collect();
    assert_eq!(ics_files.len(), 1, "the term's calendar is written");
    let ics = std::fs::read_to_string(&ics_files[0]).unwrap();
    assert!(
        !ics.replace("\r\n", "").chars().any(char::is_control),
        "{ics:?}"
    );
    assert!(ics.contains("SUMMARY:Term [2J 2026: Opens"), "{ics}");
    let json = std::fs::read_to_string(public.join("ideas.json")).unwrap();
    serde_json::from_str::<serde_json::Value>(&json).expect("ideas.json parses");
}

#[test]
fn long_paragraphs_full_of_entities_render_in_linear_time() {
    // The sanitizer's serializer searched the rest of a text node at each `&`
    // or `°`: 4× the text took 13–16× the time. Now 4× is about 4×.
    let markdown = trellis::render::markdown::Markdown::new(None);
    for unit in ["&", "°", "&amp;&deg;&copy;", "R&D ° © "] {
        let paragraph = |bytes: usize| unit.repeat(bytes / unit.len());
        let code = |bytes: usize| format!("`{}`", paragraph(bytes));
        for (what, input) in [
            ("paragraph", &paragraph as &dyn Fn(usize) -> String),
            ("code span", &code),
        ] {
            let (small, small_work) = measure(|| markdown.to_html(&input(32 << 10), 2));
            let (large, large_work) = measure(|| markdown.to_html(&input(128 << 10), 2));
            assert!(large.len() > 3 * small.len(), "{unit:?} {what}");
            let (a, b) = (small_work.cpu.unwrap(), large_work.cpu.unwrap());
            let ratio = b.as_secs_f64() / a.as_secs_f64().max(0.01);
            eprintln!("{unit:?} {what}: {a:?} → {b:?}, ×{ratio:.2}");
            // A quadratic step would take 16×; allow for a noisy machine.
            assert!(
                ratio < 7.0,
                "{unit:?} {what}: 4× the text took ×{ratio:.2} the time"
            );
        }
    }
    // Nothing is lost: the text of a long run is all there, in order.
    let text = "°&©".repeat(20_000);
    let html = markdown.to_html(&text, 2).replace("<wbr>", "");
    assert_eq!(html, format!("<p>{}</p>\n", "°&amp;©".repeat(20_000)));
}
