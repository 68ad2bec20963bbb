//! Ideas and fields written as markdown tables.
//!
//! Two shapes: a small table of fields under an idea's heading (labels as the
//! header row with one row of values, or as the first column), and a table of
//! ideas, one row each, whose header names a title column (Idea, Project, Title)
//! beside field columns (Skills, Difficulty, Mentor). Cells keep their markdown,
//! so a mentor's `[Name](https://github.com/handle)` keeps its handle.

use crate::model::FieldKind;

use super::labels::Labels;
use crate::util::plain::plain_text;

/// One labelled value read from a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableField {
    pub label: String,
    pub kind: FieldKind,
    pub value: String,
    /// The row's 0-based line within the table's source.
    pub row_line: usize,
}

/// One row of a table of ideas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableIdea {
    pub title: String,
    /// The title cell's link, when it has one.
    pub link: Option<String>,
    pub fields: Vec<TableField>,
    pub row_line: usize,
}

/// The cells of each row of a table's source, header first, the delimiter row left out;
/// with the 0-based line each row sits on.
pub fn raw_rows(source: &str) -> Vec<(usize, Vec<String>)> {
    source
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim().contains('|'))
        .filter(|(_, l)| {
            !l.trim()
                .chars()
                .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
        })
        .map(|(i, l)| (i, split_row(l)))
        .collect()
}

/// A row's cells, split on `|` outside code spans and not escaped.
fn split_row(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut in_code = false;
    let mut escaped = false;
    for c in t.chars() {
        match c {
            '\\' if !escaped => {
                escaped = true;
                cell.push(c);
                continue;
            }
            '`' => in_code = !in_code,
            '|' if !in_code && !escaped => {
                cells.push(cell.trim().to_string());
                cell.clear();
                continue;
            }
            _ => {}
        }
        escaped = false;
        cell.push(c);
    }
    cells.push(cell.trim().to_string());
    cells
        .into_iter()
        .map(|c| {
            c.replace("\\|", "|")
                .replace("<br>", "\n")
                .replace("<br/>", "\n")
        })
        .collect()
}

fn kind_of(header: &str, labels: &Labels) -> Option<FieldKind> {
    labels
        .lookup(&plain_text(header))
        .filter(|k| !matches!(k, FieldKind::Extra | FieldKind::Mentees))
}

/// Headers that name an idea's title column.
fn is_title_header(header: &str) -> bool {
    let key = super::labels::normalize_label(&plain_text(header));
    matches!(
        key.as_str(),
        "idea"
            | "ideas"
            | "project"
            | "projects"
            | "title"
            | "name"
            | "projectname"
            | "projecttitle"
            | "projectidea"
            | "ideatitle"
            | "ideaname"
            | "topic"
            | "proposal"
    )
}

/// A table of ideas: a title column and at least one known field column.
pub fn table_ideas(source: &str, labels: &Labels) -> Option<Vec<TableIdea>> {
    let rows = raw_rows(source);
    let (_, header) = rows.first()?;
    let title_col = header.iter().position(|h| is_title_header(h))?;
    let kinds: Vec<Option<FieldKind>> = header.iter().map(|h| kind_of(h, labels)).collect();
    if kinds.iter().flatten().count() == 0 {
        return None;
    }
    let ideas = rows[1..]
        .iter()
        .filter_map(|(line, cells)| {
            let raw_title = cells.get(title_col)?;
            let title = plain_text(raw_title);
            if title.is_empty() {
                return None;
            }
            let fields = header
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != title_col)
                .filter_map(|(i, h)| {
                    let value = cells.get(i)?.trim();
                    (!value.is_empty()).then(|| TableField {
                        label: plain_text(h),
                        kind: kinds[i].unwrap_or(FieldKind::Extra),
                        value: value.to_string(),
                        row_line: *line,
                    })
                })
                .collect();
            Some(TableIdea {
                link: crate::util::plain::link_target(raw_title),
                title,
                fields,
                row_line: *line,
            })
        })
        .collect();
    Some(ideas)
}

/// A small table of one idea's fields: labels as the header with one row of values,
/// or labels down the first column. At least two labels must be known fields.
pub fn field_table(source: &str, labels: &Labels) -> Option<Vec<TableField>> {
    let rows = raw_rows(source);
    let (_, header) = rows.first()?;
    if header.iter().any(|h| is_title_header(h)) {
        return None;
    }
    let known_header = header
        .iter()
        .filter(|h| kind_of(h, labels).is_some())
        .count();
    if known_header >= 2 && rows.len() == 2 {
        let (line, values) = &rows[1];
        return Some(
            header
                .iter()
                .zip(values)
                .filter(|(h, v)| !h.is_empty() && !v.is_empty())
                .map(|(h, v)| TableField {
                    label: plain_text(h),
                    kind: kind_of(h, labels).unwrap_or(FieldKind::Extra),
                    value: v.clone(),
                    row_line: *line,
                })
                .collect(),
        );
    }
    let known_first = rows
        .iter()
        .filter(|(_, r)| r.first().is_some_and(|c| kind_of(c, labels).is_some()))
        .count();
    if known_first >= 2 && rows.iter().all(|(_, r)| r.len() >= 2) {
        return Some(
            rows.iter()
                .filter(|(_, r)| !r[0].is_empty())
                .map(|(line, r)| TableField {
                    label: plain_text(&r[0]),
                    kind: kind_of(&r[0], labels).unwrap_or(FieldKind::Extra),
                    value: r[1..].join(" ").trim().to_string(),
                    row_line: *line,
                })
                .collect(),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_row_of_labels_with_one_row() {
        let t = "| Intensity | Priority | Involves | Mentors |\n|---|---|---|---|\n| Medium | High | C++, Qt | [Ann Lee](https://github.com/annlee) |\n";
        let fields = field_table(t, &Labels::default()).unwrap();
        let kinds: Vec<_> = fields.iter().map(|f| f.kind).collect();
        assert_eq!(
            kinds,
            vec![
                FieldKind::Difficulty,
                FieldKind::Extra,
                FieldKind::Skills,
                FieldKind::Mentors
            ]
        );
        assert_eq!(fields[3].value, "[Ann Lee](https://github.com/annlee)");
        assert_eq!(fields[3].row_line, 2);
    }

    #[test]
    fn labels_down_the_first_column() {
        let t = "| | |\n|---|---|\n| Difficulty | Hard |\n| Mentor | Bo Chen (@bochen) |\n| Size | 350 hours |\n";
        let fields = field_table(t, &Labels::default()).unwrap();
        assert_eq!(fields.len(), 3);
        assert_eq!(fields[2].kind, FieldKind::Size);
    }

    #[test]
    fn table_of_ideas_with_a_title_column() {
        let t = "| Idea | Skills | Length | Difficulty | Mentor |\n|---|---|---|---|---|\n| [Faster builds](#faster-builds) | Rust | 175h | Medium | @annlee |\n| Plugin API `a|b` | Go | 350h | Hard | @bochen |\n";
        let ideas = table_ideas(t, &Labels::default()).unwrap();
        assert_eq!(ideas.len(), 2);
        assert_eq!(ideas[0].title, "Faster builds");
        assert_eq!(ideas[0].link.as_deref(), Some("#faster-builds"));
        assert_eq!(ideas[1].title, "Plugin API a|b");
        assert_eq!(ideas[1].fields[3].value, "@bochen");
    }

    #[test]
    fn timeline_tables_are_neither() {
        let t = "| Activity | Date |\n|---|---|\n| Applications open | March 1 |\n";
        assert!(field_table(t, &Labels::default()).is_none());
        assert!(table_ideas(t, &Labels::default()).is_none());
    }
}
