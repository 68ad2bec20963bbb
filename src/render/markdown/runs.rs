//! Long runs of text broken into pieces with `<wbr>` before cleaning.
//!
//! The cleaner's HTML serializer (html5ever's), at each `&` or each character
//! it writes as an entity (`°`, `©`, a no-break space…), searches the rest of
//! the text node for the next `<` or `>`: a text node of those characters
//! costs the square of its length (1 MB took 6.8 s, 4 MB 153 s). Text nodes
//! are kept short instead: after [`RUN`] bytes of text with no markup, at the
//! next space (or, in a run with no space, where it is), a `<wbr>` ends the
//! node. A `<wbr>` only marks a place where a line may break, so after a space
//! it changes nothing a reader sees, and no text is lost or moved.

use pulldown_cmark::{CowStr, Event};

/// Bytes of text after which a run is broken at the next space.
const RUN: usize = 1024;

/// `events` with text and code spans longer than [`RUN`] bytes broken by `<wbr>`.
pub(super) fn break_long_runs(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    // Adjacent text events become one text node, so the run is counted across them.
    let mut run = Run::default();
    let mut out = Vec::with_capacity(events.len());
    for event in events {
        match event {
            Event::Text(text) if run.bytes + text.len() >= RUN || run.cut => {
                run.split(&text, &mut out);
            }
            Event::Text(text) => {
                run.bytes += text.len();
                out.push(Event::Text(text));
            }
            Event::Code(code) if code.len() > RUN => {
                out.push(Event::InlineHtml(CowStr::Borrowed("<code>")));
                Run::default().split(&code, &mut out);
                out.push(Event::InlineHtml(CowStr::Borrowed("</code>")));
                run = Run::default();
            }
            other => {
                run = Run::default();
                out.push(other);
            }
        }
    }
    out
}

/// A run of text being cut: its bytes since the last cut, and whether a cut
/// is due before the next character.
#[derive(Default)]
struct Run {
    bytes: usize,
    cut: bool,
}

impl Run {
    /// Pushes `text` as text events with a `<wbr>` at each cut: after a space
    /// once [`RUN`] bytes are reached, or at twice that with no space.
    fn split<'a>(&mut self, text: &str, out: &mut Vec<Event<'a>>) {
        let mut start = 0;
        for (i, c) in text.char_indices() {
            if self.cut {
                if i > start {
                    out.push(Event::Text(CowStr::from(text[start..i].to_string())));
                }
                out.push(Event::InlineHtml(CowStr::Borrowed("<wbr>")));
                (start, self.bytes, self.cut) = (i, 0, false);
            }
            self.bytes += c.len_utf8();
            self.cut = (self.bytes >= RUN && c.is_whitespace()) || self.bytes >= 2 * RUN;
        }
        if start < text.len() {
            out.push(Event::Text(CowStr::from(text[start..].to_string())));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text pieces of `events`, each run between two `<wbr>` joined.
    fn pieces(events: &[Event]) -> Vec<String> {
        let mut pieces = vec![String::new()];
        for event in events {
            match event {
                Event::Text(t) => pieces.last_mut().unwrap().push_str(t),
                Event::InlineHtml(h) if &**h == "<wbr>" => pieces.push(String::new()),
                _ => {}
            }
        }
        pieces
    }

    #[test]
    fn long_text_breaks_after_a_space_and_keeps_every_byte() {
        let text = "word ".repeat(1000);
        let pieces = pieces(&break_long_runs(vec![Event::Text(text.as_str().into())]));
        assert_eq!(pieces.concat(), text);
        assert!(pieces.iter().all(|p| p.len() <= RUN + 5));
        assert!(pieces[..pieces.len() - 1].iter().all(|p| p.ends_with(' ')));
    }

    #[test]
    fn runs_are_counted_across_text_events_and_cut_without_spaces() {
        // Entities come as text events of their own, one character each.
        let events: Vec<Event> = (0..5000).map(|_| Event::Text("°".into())).collect();
        let pieces = pieces(&break_long_runs(events));
        assert_eq!(pieces.concat(), "°".repeat(5000));
        assert!(pieces.len() >= 4, "{}", pieces.len());
        assert!(pieces.iter().all(|p| p.len() <= 2 * RUN));
    }

    #[test]
    fn short_text_and_code_pass_unchanged() {
        let events = vec![Event::Text("a & b".into()), Event::Code("x".into())];
        assert_eq!(break_long_runs(events.clone()), events);
    }
}
