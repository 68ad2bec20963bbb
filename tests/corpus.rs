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
        // Grouping headings live on as the idea's category or size.
        for text in [&idea.category, &idea.size].into_iter().flatten() {
            push(text);
        }
        // Leading prose becomes the description when no field gives one.
        for text in [&idea.intro, &idea.description, &idea.notes]
            .into_iter()
            .flatten()
        {
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
    if let Some((label, value)) = t.split_once([':', '：']) {
        let value = value.trim_start_matches('*').trim();
        if value.is_empty() {
            // A field with no value: its label is what must land.
            out.push(label.trim_matches(['*', '_', ' ']).to_string());
        } else {
            out.push(value.to_string());
        }
    }
    out.push(trellis::util::plain::plain_text(t));
    // A bold caption line (`**Description**`): its text without the markers.
    out.push(trellis::util::plain::plain_text(line.trim()));
    out
}

/// The lines of a parsed file that landed nowhere: in no idea, note or diagnostic.
fn lost_lines(path: &Path) -> Vec<String> {
    let (source, file, diags) = parse(path);
    let (landed, flagged) = landed_texts(&file, &diags);
    // Front matter is the term's metadata, read as such and never shown as content.
    let (_, body_start, _) = trellis::parse::front_matter::split(&source.text, &source.rel);
    let front_lines = source.text[..body_start].lines().count();
    let mut lost = Vec::new();
    for (i, line) in source.text.lines().enumerate() {
        if line.trim().is_empty() || i < front_lines || flagged.contains(&(i + 1)) {
            continue;
        }
        let found = cores(line)
            .iter()
            .any(|c| c.is_empty() || landed.contains(c.as_str()))
            || table_row_landed(line, &landed);
        if !found {
            lost.push(format!("{}:{}: {}", source.rel, i + 1, line));
        }
    }
    lost
}

/// A table row lands when each of its cells does (a delimiter row has nothing to
/// land; the header of a table of ideas names its title column, read as the titles).
fn table_row_landed(line: &str, landed: &str) -> bool {
    let t = line.trim();
    t.starts_with('|')
        && t.trim_matches('|').split('|').all(|cell| {
            let plain = trellis::util::plain::plain_text(cell.trim());
            plain.chars().all(|c| matches!(c, '-' | ':' | ' '))
                || ["Idea", "Project", "Title", "Name"].contains(&plain.as_str())
                || landed.contains(plain.as_str())
                || landed.contains(cell.trim())
        })
}

#[test]
fn every_line_of_every_corpus_file_lands_somewhere() {
    let Some(dir) = corpus_dir() else { return };
    let mut lost = Vec::new();
    let mut lines_checked = 0;
    let mut files = corpus_files(&dir);
    files.push(seed_path(&dir));
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        lines_checked += text.lines().filter(|l| !l.trim().is_empty()).count();
        lost.extend(lost_lines(&path));
    }
    assert!(lines_checked > 10_000, "only {lines_checked} lines checked");
    assert!(
        lost.is_empty(),
        "{} lines landed nowhere:\n{}",
        lost.len(),
        lost.join("\n")
    );
}

/// Other organizations' lists (`<corpus>/../corpus-foreign/`), when the corpus is
/// there, and Trellis's own files of each shape (`tests/fixtures/shapes/`): each
/// `<name>.md` with the ideas a person read off it in `<name>.txt`.
fn shape_files() -> Vec<(PathBuf, PathBuf)> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut pairs = Vec::new();
    if let Some(dir) = std::env::var_os("TRELLIS_CORPUS") {
        let foreign = PathBuf::from(dir).join("../corpus-foreign");
        for path in corpus_files(&foreign) {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            pairs.push((path, fixtures.join("foreign").join(format!("{stem}.txt"))));
        }
        assert!(
            pairs.len() >= 3,
            "the foreign corpus has {} files",
            pairs.len()
        );
    } else {
        skip::say("skipped: TRELLIS_CORPUS is unset; other organizations' lists were not read");
    }
    for path in corpus_files(&fixtures.join("shapes")) {
        pairs.push((path.clone(), path.with_extension("txt")));
    }
    pairs
}

/// One idea as the shape fixtures write it: title line, then what was read of it.
fn shape_record(idea: &trellis::model::Idea) -> Vec<String> {
    let org = if idea.organization.is_empty() {
        "(none)"
    } else {
        &idea.organization
    };
    let mut out = vec![format!("== {org} | {}", idea.title)];
    if let Some(category) = &idea.category {
        out.push(format!("category: {category}"));
    }
    if idea.draft {
        out.push("draft: yes".into());
    }
    if !idea.mentors.is_empty() {
        let mentors: Vec<String> = idea
            .mentors
            .iter()
            .map(|m| match &m.github {
                Some(h) => format!("{} @{h}", m.name),
                None => m.name.clone(),
            })
            .collect();
        out.push(format!("mentors: {}", mentors.join("; ")));
    }
    if let Some(level) = &idea.difficulty_level {
        out.push(format!("difficulty: {level}"));
    }
    if let Some(class) = &idea.size_class {
        let hours = idea.size_hours.map_or(String::new(), |h| {
            if h.min == h.max {
                format!(" {}", h.min)
            } else {
                format!(" {}-{}", h.min, h.max)
            }
        });
        out.push(format!("size: {class}{hours}"));
    }
    out
}

fn read_fixture(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Handles in `mentors:` lines.
fn handles(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|l| l.strip_prefix("mentors: "))
        .flat_map(|m| m.split("; "))
        .filter_map(|m| m.rsplit_once(" @").map(|(_, h)| h.to_string()))
        .collect()
}

fn matched(got: &[String], want: &[String]) -> usize {
    let mut left = got.to_vec();
    want.iter()
        .filter(|w| match left.iter().position(|g| g == *w) {
            Some(i) => {
                left.remove(i);
                true
            }
            None => false,
        })
        .count()
}

#[test]
fn every_shape_of_ideas_list_parses_to_the_ideas_read_off_it() {
    let mut failures = Vec::new();
    let (mut titles, mut handle_counts) = ((0, 0, 0), (0, 0, 0));
    for (path, fixture) in shape_files() {
        let (_, file, diags) = parse(&path);
        let errors: Vec<_> = diags.iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "{}: errors {errors:#?}", path.display());
        let got: Vec<String> = file.ideas.iter().flat_map(shape_record).collect();
        let want = read_fixture(&fixture);
        let title_lines = |l: &[String]| -> Vec<String> {
            l.iter().filter(|x| x.starts_with("== ")).cloned().collect()
        };
        let (gt, wt) = (title_lines(&got), title_lines(&want));
        titles.0 += matched(&gt, &wt);
        titles.1 += gt.len();
        titles.2 += wt.len();
        let (gh, wh) = (handles(&got), handles(&want));
        handle_counts.0 += matched(&gh, &wh);
        handle_counts.1 += gh.len();
        handle_counts.2 += wh.len();
        if got != want {
            failures.push(format!(
                "{}:\n  got:\n    {}\n  fixture:\n    {}",
                path.display(),
                got.join("\n    "),
                want.join("\n    ")
            ));
        }
        failures.extend(lost_lines(&path));
    }
    println!(
        "ideas: {} of {} read ({} found); mentor handles: {} of {} ({} found)",
        titles.0, titles.2, titles.1, handle_counts.0, handle_counts.2, handle_counts.1
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
