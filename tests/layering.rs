//! The layering of ARCHITECTURE.md, checked: each top-level module of the
//! library may use only the modules of earlier layers, never one of its own
//! layer or a later one. It reads the `crate::…` paths of every source file
//! (`use crate::x`, `use crate::{x, y}` and paths written inline), outside
//! comments; a module reached by `super::` from inside it is its own.

use std::collections::BTreeSet;
use std::path::Path;

/// The layers, lowest first. A new module of `src/lib.rs` goes into one of them.
const LAYERS: &[&[&str]] = &[
    &["util"],
    &["model", "slug", "diagnostic"],
    &["load"],
    &["parse"],
    &["issue_forms"],
    &["config"],
    &["programs", "timeline", "organizations", "relink"],
    &["discover"],
    &["merge"],
    &["repository"],
    &["site"],
    &["search", "export", "changes"],
    &["prepare"],
    &["render"],
    &["output"],
    &["build"],
    &["serve"],
    &["scaffold"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// The top-level modules a piece of Rust source names through `crate::`.
fn crate_paths(source: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in source.lines() {
        let code = line.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + "crate::".len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue; // `mycrate::`, not `crate::`
            }
            if let Some(group) = rest.strip_prefix('{') {
                found.extend(group_heads(group, source, line));
            } else {
                found.insert(ident(rest).to_string());
            }
        }
    }
    found.retain(|m| !m.is_empty());
    found
}

/// The first segment of each path in a `{a, b::c, d::{e, f}}` group, which may
/// run over several lines of `source` from `line` on.
fn group_heads(group_on_line: &str, source: &str, line: &str) -> Vec<String> {
    let start = source.find(line).unwrap_or(0) + line.len() - group_on_line.len();
    let mut heads = Vec::new();
    let mut depth = 0usize;
    let mut expect_head = true;
    for (i, c) in source[start..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => expect_head = true,
            c if expect_head && (c.is_alphabetic() || c == '_') => {
                heads.push(ident(&source[start + i..]).to_string());
                expect_head = false;
            }
            _ => {}
        }
    }
    heads
}

fn ident(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

fn rust_files(path: &Path) -> Vec<std::path::PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).expect("a module directory reads") {
        files.extend(rust_files(&entry.expect("an entry reads").path()));
    }
    files.retain(|f| f.extension().is_some_and(|e| e == "rs"));
    files
}

/// The modules `src/lib.rs` declares.
fn library_modules(src: &Path) -> Vec<String> {
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("src/lib.rs reads");
    lib.lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';').to_string())
        .collect()
}

#[test]
fn no_module_uses_its_own_layer_or_a_later_one() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for module in library_modules(&src) {
        let Some(layer) = layer_of(&module) else {
            wrong.push(format!("`{module}` is in no layer of tests/layering.rs"));
            continue;
        };
        let file = src.join(format!("{module}.rs"));
        let path = if file.exists() {
            file
        } else {
            src.join(&module)
        };
        for file in rust_files(&path) {
            let source = std::fs::read_to_string(&file).expect("a source file reads");
            for used in crate_paths(&source) {
                if used == module {
                    continue;
                }
                match layer_of(&used) {
                    Some(l) if l < layer => {}
                    _ => wrong.push(format!(
                        "{} uses crate::{used}, which is not below `{module}`",
                        file.strip_prefix(&src).unwrap_or(&file).display()
                    )),
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "the layering is broken:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn paths_are_read_from_uses_groups_and_inline() {
    let source = "use crate::a::X;\nuse crate::{b, c::{D, E},\n    f::G};\n// crate::commented\nlet x = crate::h::y(); mycrate::no;\n";
    let found: Vec<String> = crate_paths(source).into_iter().collect();
    assert_eq!(found, ["a", "b", "c", "f", "h"]);
}
