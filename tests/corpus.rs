//! The parser against real term files: every file of the CNCF corpus and the seed
//! parses with zero errors, to exactly the ideas a person read off each file
//! (`tests/fixtures/ideas/*.txt`), and every line lands somewhere.

#[path = "support/skip.rs"]
mod skip;
use std::path::{Path, PathBuf};

use trellis::load::{load_file, SourceFile};
use trellis::parse::{parse_term_file, ParseContext, TermFile};

/// The corpus directory, or `None` (said loudly) when TRELLIS_CORPUS is unset.
fn corpus_dir() -> Option<PathBuf> {
    match std::env::var_os("TRELLIS_CORPUS") {
        Some(dir) => Some(PathBuf::from(dir)),
        None => {
            skip::say("skipped: TRELLIS_CORPUS is unset; set it to the corpus directory (.ci/run sets ../shared/corpus)");
            None
        }
    }
}

/// The seed term file sits beside the corpus: `<corpus>/../seed/`.
fn seed_path(corpus: &Path) -> PathBuf {
    corpus.join("../seed/000_5ed5198fa887e642.txt")
}

fn parse(path: &Path) -> (SourceFile, TermFile, Vec<trellis::diagnostic::Diagnostic>) {
    let source = load_file(path.parent().unwrap(), path)
        .unwrap_or_else(|d| panic!("{}: {}", path.display(), d.message));
    let (file, diags) = parse_term_file(&source, &ParseContext::default());
    (source, file, diags)
}

fn fixture_lines(name: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ideas")
        .join(format!("{name}.txt"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

fn idea_lines(file: &TermFile) -> Vec<String> {
    file.ideas
        .iter()
        .map(|i| {
            let mut path = vec![if i.organization.is_empty() {
                "(none)".to_string()
            } else {
                i.organization.clone()
            }];
            path.extend(i.subprojects.iter().cloned());
            format!("{} | {}", path.join(" > "), i.title)
        })
        .collect()
}

fn corpus_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "md") && p.file_name().unwrap() != "README.md"
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_corpus_file_parses_to_the_ideas_read_off_it() {
    let Some(dir) = corpus_dir() else { return };
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut files = corpus_files(&dir);
    files.push(seed_path(&dir));
    for path in files {
        let name = if path.extension().is_some_and(|x| x == "txt") {
            "seed".to_string()
        } else {
            path.file_stem().unwrap().to_string_lossy().into_owned()
        };
        let (_, file, diags) = parse(&path);
        let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "{name}: errors {errors:#?}");
        let got = idea_lines(&file);
        let want = fixture_lines(&name);
        if got != want {
            let missing: Vec<_> = want.iter().filter(|w| !got.contains(w)).collect();
            let extra: Vec<_> = got.iter().filter(|g| !want.contains(g)).collect();
            failures.push(format!("{name}: {} ideas, fixture has {}\n  missing: {missing:#?}\n  unexpected: {extra:#?}", got.len(), want.len()));
        }
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} files checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every text the parser put anywhere: where a line of the file may have landed.
fn landed_texts(
    file: &TermFile,
    diags: &[trellis::diagnostic::Diagnostic],
) -> (String, std::collections::HashSet<usize>) {
    let mut all = String::new();
    let mut push = |s: &str| {
        all.push_str(s);
        all.push('\n');
    };
    push(&file.term.title);
    for note in &file.term.notes {
        push(&note.markdown);
    }
    for entry in &file.term.timeline {
        push(&entry.event);
        push(&entry.date);
    }
    for idea in &file.ideas {
        push(&idea.title);
        push(&idea.organization);
        idea.subprojects.iter().for_each(|s| push(s));
        for text in [&idea.intro, &idea.notes].into_iter().flatten() {
            push(text);
        }
        for field in idea.fields.iter().chain(&idea.extra) {
            push(&field.label);
            push(&field.value);
        }
    }
    let flagged = diags.iter().map(|d| d.line).collect();
    (all, flagged)
}

/// A line's words without the markdown around them: list and heading markers,
/// quote markers, a leading `Label:`.
fn cores(line: &str) -> Vec<String> {
    let t = line
        .trim()
        .trim_start_matches(['#', '>', '-', '*', '+', ' ', '\t'])
        .trim();
    let mut out = vec![t.to_string()];
    if let Some((label, value)) = t.split_once(':') {
        let value = value.trim_start_matches('*').trim();
        if value.is_empty() {
            // A field with no value: its label is what must land.
            out.push(label.trim_matches(['*', '_', ' ']).to_string());
        } else {
            out.push(value.to_string());
        }
    }
    out.push(trellis::util::plain::plain_text(t));
    out
}

#[test]
fn every_line_of_every_corpus_file_lands_somewhere() {
    let Some(dir) = corpus_dir() else { return };
    let mut lost = Vec::new();
    let mut lines_checked = 0;
    let mut files = corpus_files(&dir);
    files.push(seed_path(&dir));
    for path in files {
        let (source, file, diags) = parse(&path);
        let (landed, flagged) = landed_texts(&file, &diags);
        for (i, line) in source.text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            lines_checked += 1;
            let found = flagged.contains(&(i + 1))
                || cores(line)
                    .iter()
                    .any(|c| c.is_empty() || landed.contains(c.as_str()));
            if !found {
                lost.push(format!("{}:{}: {}", source.rel, i + 1, line));
            }
        }
    }
    assert!(lines_checked > 10_000, "only {lines_checked} lines checked");
    assert!(
        lost.is_empty(),
        "{} lines landed nowhere:\n{}",
        lost.len(),
        lost.join("\n")
    );
}
