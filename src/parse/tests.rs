//! Unit tests of the term-file parser on small, hand-written files.

use super::*;
use crate::model::{FieldKind, TermStatus};

fn parse(text: &str) -> (TermFile, Vec<Diagnostic>) {
    let source = SourceFile {
        rel: "t.md".into(),
        path: "t.md".into(),
        text: text.into(),
    };
    parse_term_file(&source, &ParseContext::default())
}

fn titles(file: &TermFile) -> Vec<(&str, &str)> {
    file.ideas
        .iter()
        .map(|i| (i.organization.as_str(), i.title.as_str()))
        .collect()
}

#[test]
fn template_in_code_block_is_not_an_idea() {
    let (file, _) = parse("## Template\n\n```\n### Org\n#### Title\n- Description:\n- Mentor(s):\n```\n\n## Ideas\n### Real\n#### One\n- Description: d\n");
    assert_eq!(titles(&file), vec![("Real", "One")]);
    assert!(file.term.notes[0].markdown.contains("## Template"));
}

#[test]
fn sample_sections_are_skipped_but_sample_in_a_title_is_not() {
    let text = "### Sample\n#### Some idea\n- Description: x\n- Mentor(s): A\n\n### Org\n#### Sample-based profiling\n- Description: y\n";
    let (file, diags) = parse(text);
    assert_eq!(titles(&file), vec![("Org", "Sample-based profiling")]);
    assert!(diags
        .iter()
        .any(|d| d.code == "fields-without-idea" && d.line == 3));
}

#[test]
fn block_quote_headings_belong_to_the_field() {
    let text = "### Org\n#### Issue form idea\n- Description:\n  > ## Motivation\n  > Long text.\n- Mentor(s): A (@a)\n\n#### Next\n- Description: d\n";
    let (file, _) = parse(text);
    assert_eq!(file.ideas.len(), 2);
    let d = file.ideas[0].description.as_deref().unwrap();
    assert!(
        d.contains("## Motivation") && d.contains("Long text."),
        "{d}"
    );
}

#[test]
fn field_lines_and_columns_are_exact() {
    let (file, _) = parse("### Org\n\n#### T\n\n- Description: d\n- **Mentor(s)**: A (@a)\n");
    let idea = &file.ideas[0];
    assert_eq!((idea.source.line, idea.source.column), (3, 1));
    let mentors = idea
        .fields
        .iter()
        .find(|f| f.kind == FieldKind::Mentors)
        .unwrap();
    assert_eq!(
        (mentors.line, mentors.column, mentors.label.as_str()),
        (6, 1, "Mentor(s)")
    );
}

#[test]
fn unlabelled_item_continues_the_field_above_with_a_warning() {
    let (file, diags) =
        parse("### Org\n#### T\n- Description: d\n- Mentor(s):\n- Jane Doe (@jane)\n");
    assert_eq!(file.ideas[0].mentors[0].github.as_deref(), Some("jane"));
    assert!(diags
        .iter()
        .any(|d| d.code == "unlabelled-item" && d.line == 5));
}

#[test]
fn paragraph_label_between_lists_is_a_field() {
    let (file, _) =
        parse("### Org\n#### T\n- Description: d\n\nExpected Outcome: a tool\n\n- Mentor(s): A\n");
    assert_eq!(file.ideas[0].expected_outcome.as_deref(), Some("a tool"));
}

#[test]
fn lazy_continuation_stays_in_the_value() {
    let (file, _) = parse("### Org\n#### T\n- Description: d\n- Expected Outcome: a tool.\nNote: in progress.\n- Mentor(s): A\n");
    assert_eq!(
        file.ideas[0].expected_outcome.as_deref(),
        Some("a tool.\nNote: in progress.")
    );
}

#[test]
fn typo_label_is_extra_with_a_suggestion() {
    let (file, diags) = parse("### Org\n#### T\n- Description: d\n- Mentros: A\n");
    assert_eq!(file.ideas[0].extra[0].label, "Mentros");
    let d = diags.iter().find(|d| d.code == "unknown-field").unwrap();
    assert_eq!((d.line, d.column), (4, 1));
    assert!(
        d.message.contains("did you mean 'Mentor(s)'"),
        "{}",
        d.message
    );
}

#[test]
fn status_line_and_timeline_table_become_term_metadata() {
    let text = "# Term 3\n\nStatus: Accepting Applications\n\n### Timeline\n\n| Activity | Date |\n|---|---|\n| Program begins | Monday, September 7, 2026 |\n| Last day of term | Friday, November 27, 2026 |\n";
    let (file, _) = parse(text);
    assert_eq!(file.term.title, "Term 3");
    assert_eq!(file.term.status, Some(TermStatus::Open));
    assert_eq!(file.term.timeline.len(), 2);
    assert_eq!(file.term.start.as_deref(), Some("2026-09-07"));
    assert_eq!(file.term.end.as_deref(), Some("2026-11-27"));
}

#[test]
fn front_matter_wins_and_lines_count_from_the_file_start() {
    let text = "+++\ntitle = \"LFX 2026 Term 1\"\nstatus = \"closed\"\n+++\n# Other title\n### Org\n#### T\n- Description: d\n";
    let (file, _) = parse(text);
    assert_eq!(file.term.title, "LFX 2026 Term 1");
    assert_eq!(file.term.status, Some(TermStatus::Closed));
    assert_eq!(file.ideas[0].source.line, 7);
}

#[test]
fn heading_link_to_lfx_is_the_apply_link() {
    let (file, _) = parse("### Org\n#### [T](https://mentorship.lfx.linuxfoundation.org/project/1)\n- Description: d\n");
    assert_eq!(file.ideas[0].title, "T");
    assert_eq!(
        file.ideas[0].lfx_url.as_deref(),
        Some("https://mentorship.lfx.linuxfoundation.org/project/1")
    );
}

#[test]
fn heading_with_fields_but_no_title_is_an_error() {
    let (_, diags) = parse("### Org\n####\n- Description: d\n- Mentor(s): A\n");
    assert!(diags
        .iter()
        .any(|d| d.is_error() && d.code == "idea-without-title" && d.line == 2));
}

#[test]
fn fields_with_no_heading_are_reported() {
    let (file, diags) = parse("- Description: d\n- Mentor(s): A\n");
    assert!(file.ideas.is_empty());
    assert!(diags
        .iter()
        .any(|d| d.code == "fields-without-idea" && d.line == 1));
    assert_eq!(file.term.notes.len(), 1);
}

#[test]
fn sub_projects_come_from_the_headings_between() {
    let (file, _) = parse(
        "## Proposed Project ideas\n### Kubernetes\n#### CAPG\n##### Telemetry\n- Description: d\n",
    );
    assert_eq!(file.ideas[0].organization, "Kubernetes");
    assert_eq!(file.ideas[0].subprojects, vec!["CAPG"]);
}

#[test]
fn issue_form_sections_in_a_quote_become_their_fields() {
    let text = "### Org\n#### Form idea\n- Description:\n  > ## Description\n  > What to build.\n  >\n  > ## Expected outcomes\n  > A working thing.\n- Mentor(s): A (@a)\n";
    let (file, diags) = parse(text);
    let idea = &file.ideas[0];
    assert_eq!(idea.description.as_deref(), Some("What to build."));
    assert_eq!(idea.expected_outcome.as_deref(), Some("A working thing."));
    assert!(!diags.iter().any(|d| d.code == "missing-outcome"));
}

#[test]
fn line_and_column_go_back_to_the_same_offset_past_wide_characters() {
    let text = "# Título\r\n- Mentor(s): Renée → @rulenko\nlast";
    let lines = LineIndex::new(text);
    for offset in text.char_indices().map(|(i, _)| i) {
        if text[offset..].starts_with(['\r', '\n']) {
            continue;
        }
        let (line, column) = lines.position(text, offset);
        assert_eq!(lines.offset(text, line, column), offset, "at {offset}");
    }
    // Past the end of a line or of the text: clamped.
    assert_eq!(lines.offset(text, 1, 99), "# Título".len());
    assert_eq!(lines.offset(text, 9, 1), text.len());
}

fn one(text: &str) -> Idea {
    let (file, _) = parse(text);
    assert_eq!(file.ideas.len(), 1, "{:#?}", file.ideas);
    file.ideas.into_iter().next().unwrap()
}

use crate::model::{Idea, IdeaShape};

#[test]
fn every_paragraph_label_shape_is_a_field() {
    for text in [
        "## T\n\nDescription: d\n\nMentors: A (@a)\n",
        "## T\n\n**Description**: d\n\n**Mentors**: A (@a)\n",
        "## T\n\n**Description:** d\n\n**Mentors:** A (@a)\n",
        "## T\n\nDescription:\nd\n\nMentors:\n- A (@a)\n",
        "## T\n\n**Description**\n\nd\n\n**Mentors**\n\n- A (@a)\n",
        "## T\n\nDescription: d\nMentors: A (@a)\n",
    ] {
        let idea = one(text);
        assert_eq!(idea.description.as_deref(), Some("d"), "{text}");
        assert_eq!(idea.mentors[0].github.as_deref(), Some("a"), "{text}");
        assert_eq!(idea.shape, IdeaShape::Paragraphs, "{text}");
    }
}

#[test]
fn a_label_line_takes_the_paragraphs_and_lists_up_to_the_next_label() {
    let idea = one("## T\n\nDescription:\n\nFirst part.\n\n- a point\n\nSecond part.\n\nPrior efforts:\nsome\n\nRating: hard\n");
    assert_eq!(
        idea.description.as_deref(),
        Some("First part.\n\n- a point\n\nSecond part.")
    );
    assert_eq!(idea.extra[0].label, "Prior efforts");
    assert_eq!(idea.difficulty_level.as_deref(), Some("hard"));
}

#[test]
fn sub_headings_that_are_labels_are_fields() {
    let idea = one("## Offline sync\n\n### Abstract\n\nQueue readings.\n\n### Mentors\n\n- Ivo (@ivo)\n\n### Difficulty & Requirements\n\nHard, Kotlin.\n");
    assert_eq!(idea.title, "Offline sync");
    assert_eq!(idea.description.as_deref(), Some("Queue readings."));
    assert_eq!(idea.mentors[0].github.as_deref(), Some("ivo"));
    assert_eq!(idea.difficulty_level.as_deref(), Some("hard"));
    assert_eq!(idea.shape, IdeaShape::Headings);
}

#[test]
fn leading_prose_is_the_description_and_a_caption_is_no_field() {
    let idea = one("### Idea\n\nWhat it is.\n\nSummary:\n\n- Difficulty: Easy\n- Potential mentor(s): Ann Lee, Bo Chen\n");
    assert_eq!(idea.description.as_deref(), Some("What it is."));
    assert_eq!(idea.mentors.len(), 2);
    assert!(idea.extra.is_empty(), "{:?}", idea.extra);
}

#[test]
fn a_small_table_under_the_heading_is_the_ideas_fields() {
    let idea = one("## T\n\n| Intensity | Priority | Involves | Mentors |\n|---|---|---|---|\n| Hard | High | Qt | Ann (@ann) |\n\nThe description.\n");
    assert_eq!(idea.difficulty_level.as_deref(), Some("hard"));
    assert_eq!(idea.skills, vec!["Qt"]);
    assert_eq!(idea.description.as_deref(), Some("The description."));
    assert_eq!(idea.shape, IdeaShape::FieldTable);
}

#[test]
fn each_row_of_a_table_of_ideas_is_an_idea() {
    let (file, _) = parse("# Ideas\n\n| Project | Difficulty | Mentor |\n|---|---|---|\n| One | Easy | @a |\n| Two | Hard | @b |\n");
    let got: Vec<_> = file
        .ideas
        .iter()
        .map(|i| (i.title.as_str(), i.source.line, i.shape))
        .collect();
    assert_eq!(
        got,
        vec![
            ("One", 5, IdeaShape::TableRow),
            ("Two", 6, IdeaShape::TableRow)
        ]
    );
}

#[test]
fn size_sections_drafts_and_categories_group_ideas() {
    let text = "# Ideas\n\n## Large (350 hours)\n\n### Big one\n\nProse.\n\nMentors: A (@a)\n\n## Draft ideas\n\n### Maybe\n\n- Description: d\n\n## Data science\n\n### Frames\n\n- Description: d\n";
    let (file, diags) = parse(text);
    let big = &file.ideas[0];
    assert_eq!(
        (big.size_class.as_deref(), big.size_hours.map(|h| h.min)),
        (Some("large"), Some(350))
    );
    assert!(file.ideas[1].draft);
    assert_eq!(file.ideas[2].category.as_deref(), Some("Data science"));
    assert!(file.ideas.iter().all(|i| i.organization.is_empty()));
    assert!(!diags.iter().any(|d| d.code == "no-organization"));
}

#[test]
fn placeholders_are_never_ideas() {
    let text = "## Real\n\n- Description: d\n\n## {{ TITLE }}\n\n- Description: x\n- Mentor(s): y\n\n## <Project title>\n\n- Description: x\n\n### Example project name\n\n**Description**\n\nx\n\n**Potential mentors**\n\n- Mentor name and link to their github\n";
    let (file, _) = parse(text);
    assert_eq!(titles(&file), vec![("", "Real")]);
}

#[test]
fn a_known_label_without_a_colon_is_read_with_a_warning() {
    let (file, diags) = parse("### Org\n#### T\n- Description: d\n- Mentor(s) Jane Doe (@jane)\n");
    assert_eq!(file.ideas[0].mentors[0].github.as_deref(), Some("jane"));
    let d = diags
        .iter()
        .find(|d| d.code == "label-without-colon")
        .unwrap();
    assert_eq!((d.line, d.column), (4, 1));
    // A sentence that starts with a label's word stays a sentence.
    let (file, diags) =
        parse("### Org\n#### T\n- Description: d\n- Mentors will be announced later\n");
    assert!(file.ideas[0].mentors.is_empty());
    assert!(!diags.iter().any(|d| d.code == "label-without-colon"));
}

#[test]
fn full_width_punctuation_reads_like_ascii() {
    let idea =
        one("### Org\n#### T\n- Description：d\n- Mentor(s)：张伟（@zhangwei，zw@example.org）\n");
    assert_eq!(idea.description.as_deref(), Some("d"));
    assert_eq!(idea.mentors[0].github.as_deref(), Some("zhangwei"));
}

#[test]
fn yaml_front_matter_is_metadata_and_titles_a_one_idea_file() {
    let (file, _) = parse("---\ntitle: Port the renderer\nlayout: idea\n---\n\nWhy and what.\n\n## Mentors\n\n- Ann (@ann)\n\n## Difficulty\n\nHard\n");
    assert_eq!(file.ideas.len(), 1);
    let idea = &file.ideas[0];
    assert_eq!(idea.title, "Port the renderer");
    assert_eq!(idea.description.as_deref(), Some("Why and what."));
    assert!(file
        .term
        .notes
        .iter()
        .all(|n| !n.markdown.contains("layout")));
}

#[test]
fn a_file_of_ideas_in_an_unknown_shape_warns_at_its_first_heading() {
    let (file, diags) = parse(
        "# Ideas\n\n## Faster search\n\nMake it fast.\n\n## Better docs\n\n- rewrite the guide\n",
    );
    assert!(file.ideas.is_empty());
    let d = diags.iter().find(|d| d.code == "no-ideas").unwrap();
    assert_eq!(d.line, 3);
    assert!(d.message.contains("'Faster search'"), "{}", d.message);
    // A file of notes about the program is no list of ideas.
    let (_, diags) = parse("# Term\n\n## Timeline\n\nDates.\n\n## How to apply\n\nApply.\n");
    assert!(!diags.iter().any(|d| d.code == "no-ideas"));
}
