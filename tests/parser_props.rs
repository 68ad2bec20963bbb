//! The parser never panics, whatever it is fed: arbitrary text, markdown-shaped
//! noise and raw bytes; nor does reading or checking an issue body.

use proptest::prelude::*;
use trellis::load::{decode, SourceFile};
use trellis::parse::{parse_term_file, ParseContext};

fn parse(text: String) {
    let source = SourceFile {
        rel: "fuzz.md".into(),
        path: "fuzz.md".into(),
        text,
    };
    let (file, _) = parse_term_file(&source, &ParseContext::default());
    for idea in &file.ideas {
        assert!(idea.source.line >= 1);
    }
}

/// Pieces that real term files are made of, so the generator reaches deep paths.
fn markdownish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("### Org\n".to_string()),
        Just("#### Idea\n".to_string()),
        Just("##### ".to_string()),
        Just("- Description: ".to_string()),
        Just("- **Mentor(s)**: ".to_string()),
        Just("- Recommended Skills: Go, k8s (x)\n".to_string()),
        Just("  - [Name](https://github.com/h) (a@b.c)\n".to_string()),
        Just("> ## Description\n".to_string()),
        Just("```\n".to_string()),
        Just("+++\n".to_string()),
        Just("| a | Date |\n|---|---|\n".to_string()),
        Just("Status: open\n".to_string()),
        Just("\r\n".to_string()),
        "[ -~\\n\\t(),:@#*>\\[\\]é中]{0,20}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn parser_never_panics_on_markdownish_input(text in markdownish()) {
        parse(text);
    }

    #[test]
    fn parser_never_panics_on_any_text(text in any::<String>()) {
        parse(text);
    }

    #[test]
    fn decoding_any_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(text) = decode(bytes) {
            parse(text);
        }
    }
}

#[test]
fn deeply_nested_lists_and_quotes_do_not_overflow() {
    let mut text = String::from("### Org\n#### Idea\n- Description: deep\n");
    for depth in 0..2_000 {
        text.push_str(&"  ".repeat(depth % 400));
        text.push_str("- x\n");
    }
    text.push_str(&">".repeat(5_000));
    text.push_str(" quoted\n");
    parse(text);
}

/// Pieces of issue-form bodies, so the generator reaches the form paths.
fn issue_bodyish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("### Organization\n\n".to_string()),
        Just("### Term\n\n2026 Term 3 (Sep-".to_string()),
        Just("### Title\n\n".to_string()),
        Just("### Description\n\n## Description\n".to_string()),
        Just("## Expected outcomes\n".to_string()),
        Just("### Mentors\n\n".to_string()),
        Just(" | @".to_string()),
        Just("a@b.c | ".to_string()),
        Just("### Upstream Issue URL\n\nhttps://x.y/".to_string()),
        Just("### Skills same as Technologies?\n\n- [x] yes\n".to_string()),
        Just("### Required Skills\n\n".to_string()),
        Just("### Custom Prerequisite Name\n\n".to_string()),
        Just("_No response_\n".to_string()),
        Just("```\n".to_string()),
        Just("\r\n".to_string()),
        "[ -~\\n\\t(),:@#*>|\\[\\]é中]{0,20}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

fn read_issue(body: String) {
    use trellis::issue_forms::{default_form, export::read_export, report};
    let forms = [default_form()];
    let labels = ParseContext::default().labels;
    let problems = report::check_body(&body, &forms, &labels);
    let _ = report::markdown(&problems);
    let export = serde_json::json!([
        {"number": 1, "title": "[P] x", "body": body, "state": "OPEN", "url": "https://github.com/o/r/issues/1"}
    ]);
    for forms in [&forms[..], &[]] {
        let source = SourceFile {
            rel: "issues.json".into(),
            path: "issues.json".into(),
            text: export.to_string(),
        };
        read_export(&source, &ParseContext::default(), forms);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn issue_bodies_never_panic(body in issue_bodyish()) {
        read_issue(body);
    }

    #[test]
    fn issue_bodies_of_any_text_never_panic(body in any::<String>()) {
        read_issue(body);
    }
}
