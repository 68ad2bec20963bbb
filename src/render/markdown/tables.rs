//! Raw HTML tables, kept only where the HTML parser never moves content out
//! of them.
//!
//! Whatever the parser meets directly inside a `<table>`, `<tbody>` or `<tr>`
//! (text, or any tag but a table's own) is moved in front of the table
//! ("foster parenting"), and the cleaner's tree finds the table among its
//! siblings by a linear search each time: thousands of stray tags or words in
//! one table took time growing with their square, a second for 32,000.
//!
//! So a table written in raw HTML stays a table only when it holds nothing
//! but table tags and white space outside its cells (`td`, `th`, `caption`),
//! where anything goes, markdown included. Every other table tag in raw HTML
//! (of a table that is not so, or outside any, such as a `</td>` inside a
//! markdown table's cell) is shown as text. Markdown's own tables are whole
//! by construction. Then nothing is ever foster-parented, and no text is lost.
//!
//! The reading errs one way only: it sees a tag wherever a parser could (even
//! inside a comment), and leaves a cell at every table tag, so wherever the
//! parser would be outside a cell, it is too.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::{escape_at, tags};

/// Where the parser is inside a raw table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Directly in a table, section or row: anything else here is fostered.
    Table,
    /// In a cell or caption: anything goes.
    Cell,
}

/// Shows as text every raw table tag that is not part of a table kept whole
/// (see the module doc), in place in `events`.
pub(super) fn escape_unsafe_tables(events: &mut [Event]) {
    let mut reader = Reader::default();
    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => reader.html(i, html),
            other => reader.event(other),
        }
    }
    reader.close_region();
    for group in reader.escape.chunk_by(|a, b| a.0 == b.0) {
        let offsets: Vec<usize> = group.iter().map(|&(_, at)| at).collect();
        let event = &mut events[group[0].0];
        *event = match std::mem::replace(event, Event::SoftBreak) {
            Event::Html(html) => Event::Html(escape_at(html, &offsets)),
            Event::InlineHtml(html) => Event::InlineHtml(escape_at(html, &offsets)),
            // Only HTML events have tags recorded.
            other => other,
        };
    }
}

/// Reads one field's events, one raw table (with the tables inside it) at a time.
#[derive(Default)]
struct Reader {
    /// The places open in the current raw table, innermost last; empty
    /// outside raw tables.
    places: Vec<Place>,
    /// The table tags of the current raw table, as (event, offset of `<`).
    region: Vec<(usize, usize)>,
    /// Whether the current raw table holds something outside its cells.
    broken: bool,
    /// A tag began in the last HTML event and its `>` is still to come.
    in_tag: bool,
    /// The table tags to show as text, in document order: a tag outside any
    /// raw table as it is met, a table's tags when it ends, before anything
    /// after it is read.
    escape: Vec<(usize, usize)>,
}

impl Reader {
    fn html(&mut self, event: usize, html: &str) {
        // Text runs from the end of the last tag to the next `<`.
        let mut text_from = if std::mem::take(&mut self.in_tag) {
            match html.find('>') {
                Some(gt) => gt + 1,
                None => {
                    self.in_tag = true;
                    return;
                }
            }
        } else {
            0
        };
        for (lt, end, name) in tags(html) {
            if lt < text_from {
                continue;
            }
            self.text(&html[text_from..lt]);
            match html[lt..].find('>') {
                Some(gt) => text_from = lt + gt + 1,
                None => {
                    text_from = html.len();
                    self.in_tag = true;
                }
            }
            if is_table_tag(&name) {
                self.table_tag(event, lt, end, &name);
            } else if self.directly_in_table() {
                self.broken = true;
            }
        }
        self.text(&html[text_from..]);
    }

    fn text(&mut self, text: &str) {
        if self.directly_in_table() && !is_blank(text) {
            self.broken = true;
        }
    }

    /// A markdown event: inside a raw table, a markdown table's tags would
    /// close the raw table's cells, and any content outside a cell is fostered.
    fn event(&mut self, event: &Event) {
        // Only HTML events continue an unfinished tag; what comes between
        // them, an HTML block's start and end, writes nothing.
        if !matches!(
            event,
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock)
        ) {
            self.in_tag = false;
        }
        let Some(&place) = self.places.last() else {
            return;
        };
        let fine = match event {
            Event::Start(tag) if is_markdown_table(&tag.to_end()) => false,
            Event::End(tag) if is_markdown_table(tag) => false,
            _ if place == Place::Cell => true,
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => true,
            Event::SoftBreak => true,
            Event::Text(text) => is_blank(text),
            _ => false,
        };
        self.broken |= !fine;
    }

    fn table_tag(&mut self, event: usize, lt: usize, end: bool, name: &str) {
        let Some(&place) = self.places.last() else {
            if name == "table" && !end {
                self.places.push(Place::Table);
                self.region.push((event, lt));
            } else {
                self.escape.push((event, lt));
            }
            return;
        };
        self.region.push((event, lt));
        match (place, end, name) {
            // The parser closes the open table and begins another.
            (Place::Table, false, "table") => self.broken = true,
            (Place::Table, false, "td" | "th" | "caption") => self.places.push(Place::Cell),
            (Place::Table, true, "table") => {
                self.places.pop();
            }
            // Rows, sections, columns and stray end tags.
            (Place::Table, ..) => {}
            (Place::Cell, false, "table") => self.places.push(Place::Table),
            (Place::Cell, true, "table") => {
                self.places.truncate(self.places.len().saturating_sub(2));
            }
            // A new cell in place of this one.
            (Place::Cell, false, "td" | "th" | "caption") => {}
            (Place::Cell, ..) => {
                self.places.pop();
            }
        }
        if self.places.is_empty() {
            self.close_region();
        }
    }

    /// Ends the current raw table, at its end tag or at the end of the field
    /// (which closes it too): its tags stay only if it held nothing outside
    /// its cells.
    fn close_region(&mut self) {
        if self.broken {
            self.escape.append(&mut self.region);
        }
        self.region.clear();
        self.places.clear();
        self.broken = false;
    }

    fn directly_in_table(&self) -> bool {
        self.places.last() == Some(&Place::Table)
    }
}

fn is_table_tag(name: &str) -> bool {
    matches!(
        name,
        "table" | "caption" | "colgroup" | "col" | "thead" | "tbody" | "tfoot" | "tr" | "td" | "th"
    )
}

fn is_markdown_table(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Table | TagEnd::TableHead | TagEnd::TableRow | TagEnd::TableCell
    )
}

/// White space as HTML counts it.
fn is_blank(text: &str) -> bool {
    text.bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'))
}

#[cfg(test)]
mod tests {
    use crate::render::markdown::Markdown;

    fn html(markdown: &str) -> String {
        Markdown::new(None).to_html(markdown, 0)
    }

    #[test]
    fn raw_tables_with_only_table_tags_outside_their_cells_are_kept() {
        let nested = html(
            "<table\n  border=1>\n  <thead><tr><th>Name</th></tr></thead>\n  <tr><td>a<table><tr><td>inner</td></tr></table></td></tr>\n</table>\n\nafter",
        );
        assert_eq!(nested.matches("<table>").count(), 2, "{nested}");
        assert!(!nested.contains("&lt;"), "{nested}");
        assert!(nested.contains("<td>inner</td>"), "{nested}");
        assert!(nested.contains("<p>after</p>"), "{nested}");
    }

    #[test]
    fn markdown_inside_a_raw_tables_cell_stays_in_the_table() {
        let out = html("<table>\n<tr><td>\n\n**bold** text\n\n</td></tr>\n</table>");
        assert!(
            out.contains("<td>\n<p><strong>bold</strong> text</p>\n</td>"),
            "{out}"
        );
    }

    #[test]
    fn a_table_left_open_at_the_end_of_the_field_is_kept() {
        let out = html("<table><tr><td>a</td></tr>");
        assert!(
            out.contains("<table><tbody><tr><td>a</td></tr></tbody></table>"),
            "{out}"
        );
    }

    #[test]
    fn raw_tables_with_anything_outside_their_cells_are_shown_as_text() {
        for markdown in [
            "<table>x<br>y</table>",
            "<table><tr>x<td>y</td></tr></table>",
            "<table><tr><td>x</td><b>y</b></tr></table>",
            "<table><colgroup>x<col>y</table>",
            "<table><table>x</table></table> y",
            "<table>\n\nx\n\n<tr><td>y</td></tr></table>",
            "<table><tr><td>x</td></tr>\n\n- y",
        ] {
            let out = html(markdown);
            assert!(!out.contains("<table"), "{markdown}: {out}");
            assert!(out.contains("&lt;table"), "{markdown}: {out}");
            assert!(out.contains('x') && out.contains('y'), "{markdown}: {out}");
        }
    }

    #[test]
    fn a_cell_that_spans_a_markdown_table_breaks_the_raw_table() {
        let out = html("<table><tr><td>\n\n| a |\n|---|\n| b |\n\n</td></tr></table>");
        assert_eq!(
            out.matches("<table>").count(),
            1,
            "only the markdown table: {out}"
        );
        assert!(out.contains("&lt;table&gt;"), "{out}");
    }

    #[test]
    fn table_tags_outside_raw_tables_are_shown_as_text() {
        // In a markdown table's cell, a raw `</td>` would leave the cell and
        // the rest of it would be fostered; outside any table it is dropped.
        let cell = html("| a |\n|---|\n| </td>x<br>y |");
        assert_eq!(cell.matches("<td>").count(), 1, "{cell}");
        assert!(cell.contains("<td>&lt;/td&gt;x<br>y</td>"), "{cell}");
        let stray = html("a <tr> b </td> c");
        assert_eq!(stray, "<p>a &lt;tr&gt; b &lt;/td&gt; c</p>\n");
    }

    #[test]
    fn a_tag_inside_another_tags_attribute_is_not_read_as_one() {
        // The parser would read `<td>` here as an attribute value, and `x`
        // as text directly in the table: fostered.
        let out = html("<table><tr title=\"<td>\">x</tr></table>");
        assert!(!out.contains("<table"), "{out}");
        assert!(out.contains('x'), "{out}");
    }
}
