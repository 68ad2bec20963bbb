//! Build errors in the browser. Over an open page, the overlay is drawn by the
//! injected script from the `error` event (see `reload.js`); this module makes
//! the page served when there is no good build at all yet, so a first build
//! that fails still opens a server that says what is wrong, and turns into the
//! site on the first save that fixes it.

use crate::diagnostic::{Diagnostic, Severity};

use super::http::inject_script;
use crate::util::escape::html as html_escape;

/// A page listing `failures` at their file and line; everything from the
/// files is escaped, since proposal text must never run as markup.
pub(crate) fn error_page(failures: &[Diagnostic], script_tag: &str) -> String {
    let mut items = String::new();
    for d in failures {
        items.push_str(&format!(
            "<li><code>{}</code><br>{}[{}]: {}",
            html_escape(&d.location()),
            match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "note",
            },
            d.code,
            html_escape(&d.message)
        ));
        if let Some(help) = &d.help {
            items.push_str(&format!("<br><small>help: {}</small>", html_escape(help)));
        }
        items.push_str("</li>\n");
    }
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head>\n\
         <body style=\"font-family:system-ui,sans-serif;max-width:50rem;margin:3rem auto\">\n\
         <h1>The site could not be built</h1>\n\
         <p>Fix the problems below and save; this page turns into the site by itself.</p>\n\
         <ul>\n{items}</ul>\n</body></html>\n"
    );
    String::from_utf8_lossy(&inject_script(page.as_bytes(), script_tag)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_page_escapes_the_message_and_names_file_and_line() {
        let d = Diagnostic::error("bad", "2026.md", 3, 2, "<script>alert(1)</script>");
        let page = error_page(&[d], "<script src=\"/r.js\"></script>");
        assert!(page.contains("2026.md:3:2"), "{page}");
        assert!(page.contains("&lt;script&gt;alert(1)"), "{page}");
        assert!(!page.contains("<script>alert"), "{page}");
        assert!(
            page.contains("<script src=\"/r.js\"></script></body>"),
            "{page}"
        );
    }
}
