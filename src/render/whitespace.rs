//! Collapses the blank lines and indentation that templates leave between
//! tags. A run of whitespace with a line break in it renders as one space,
//! so it is written as one `\n`: the page looks the same and reads the same to
//! a screen reader, and a site of many pages is a few percent smaller.
//! `<pre>`, `<textarea>`, `<script>` and `<style>` keep their whitespace.

/// Elements whose whitespace is content.
const VERBATIM: [&str; 4] = ["pre", "textarea", "script", "style"];

/// `html` with each run of whitespace that holds a line break made one `\n`.
pub fn collapse(html: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len());
    // Copied up to here; every index below is at an ASCII byte, so a char boundary.
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => {
                if let Some(tag) = verbatim_at(&bytes[i + 1..]) {
                    let close = format!("</{tag}");
                    i = html[i..]
                        .find(&close)
                        .map_or(bytes.len(), |at| i + at + close.len());
                    continue;
                }
                i += 1;
            }
            b' ' | b'\t' | b'\n' | b'\r' => {
                let start = i;
                while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
                    i += 1;
                }
                let run = &html[start..i];
                if run.len() > 1 && run.contains('\n') {
                    out.push_str(&html[copied..start]);
                    out.push('\n');
                    copied = i;
                }
            }
            _ => i += 1,
        }
    }
    out.push_str(&html[copied..]);
    out
}

/// The verbatim element a tag (after its `<`) opens, if any.
fn verbatim_at(rest: &[u8]) -> Option<&'static str> {
    VERBATIM.into_iter().find(|tag| {
        rest.len() > tag.len()
            && rest[..tag.len()].eq_ignore_ascii_case(tag.as_bytes())
            && matches!(rest[tag.len()], b'>' | b' ' | b'\t' | b'\n' | b'/')
    })
}

#[cfg(test)]
mod tests {
    use super::collapse;

    #[test]
    fn blank_lines_and_indentation_become_one_line_break() {
        assert_eq!(
            collapse("<ul>\n  \n    <li>a</li>\n\n  <li>b</li>\n</ul>"),
            "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"
        );
    }

    #[test]
    fn spaces_within_a_line_are_kept() {
        assert_eq!(
            collapse("<p>a  b\tc</p> <b>x</b>"),
            "<p>a  b\tc</p> <b>x</b>"
        );
    }

    #[test]
    fn verbatim_elements_keep_their_whitespace() {
        let code = "<pre><code>fn main() {\n\n    x\n}</code></pre>";
        assert_eq!(
            collapse(&format!("<div>\n\n  {code}\n\n</div>")),
            format!("<div>\n{code}\n</div>")
        );
        let script = "<script>\n  let a = `x\n\n  y`;\n</script>";
        assert_eq!(collapse(script), script);
        assert_eq!(
            collapse("<textarea>a\n\n b</textarea>"),
            "<textarea>a\n\n b</textarea>"
        );
        // `<p>` and `<preview>` are not `<pre>`.
        assert_eq!(collapse("<p>\n\n x</p>"), "<p>\nx</p>");
        assert_eq!(collapse("<preview>\n\n x"), "<preview>\nx");
    }

    #[test]
    fn unclosed_verbatim_element_and_non_ascii_text_are_safe() {
        assert_eq!(collapse("<pre>\n\n é"), "<pre>\n\n é");
        assert_eq!(collapse("é\n\n  ü <pre"), "é\nü <pre");
    }
}
