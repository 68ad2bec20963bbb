//! Diagnostics: what Trellis tells a mentor about their file, at a line and column.
//!
//! Every stage returns its diagnostics beside its value instead of failing, so one
//! bad proposal never hides the others. Printing lives here too, in the three
//! formats `trellis check` offers.

use std::borrow::Cow;

use serde::Serialize;

use crate::util::line_index::LineIndex;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A note, never a failure, not even with `--strict`: a suggestion, or
    /// something left out on purpose (an issue in an export that is no proposal).
    Info,
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A short stable code (`missing-outcome`), for filtering and for docs.
    pub code: &'static str,
    /// Path as the user knows it (relative to the site root where possible).
    pub file: String,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// How to fix it, when Trellis can tell.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(
        code: &'static str,
        file: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.to_string(),
            line,
            column,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(
        code: &'static str,
        file: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, line, column, message)
        }
    }

    /// A note: something Trellis left out on purpose, said so nobody wonders why.
    pub fn info(
        code: &'static str,
        file: &str,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Info,
            ..Diagnostic::error(code, file, line, column, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }

    /// `file:line:col`, the form editors and terminals turn into links.
    pub fn location(&self) -> String {
        if self.line == 0 {
            self.file.clone()
        } else {
            format!("{}:{}:{}", self.file, self.line, self.column.max(1))
        }
    }
}

/// Output formats of `trellis check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style messages quoting the source line.
    Human,
    /// GitHub Actions workflow commands, shown as annotations on a pull request.
    Github,
    /// One JSON array, for other tools.
    Json,
    /// A markdown list, for a comment a bot posts.
    Markdown,
}

/// Text from a file made safe to print on a terminal: each control character
/// (but the line break and the tab) becomes its visible picture (`␛` for
/// escape, `␀` for NUL), and each bidirectional override becomes `�`. A
/// proposal's escape sequences could otherwise clear the screen, retitle the
/// window, write the clipboard or print a fake "All checks passed". Each
/// character becomes one character, so columns stay right.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                c if !unsafe_char(c) => c,
                '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
                '\u{7f}' => '\u{2421}',
                _ => '\u{fffd}',
            })
            .collect(),
    )
}

/// Renders diagnostics in `format`; `source_of` gives a file's text to quote lines from.
/// What a file put in a message, a name or a quoted line is made [`terminal_safe`]
/// (JSON escapes it already).
pub fn render(
    diags: &[Diagnostic],
    format: Format,
    color: bool,
    source_of: &dyn Fn(&str) -> Option<String>,
) -> String {
    let safe = || {
        diags.iter().map(|d| Diagnostic {
            file: terminal_safe(&d.file).into_owned(),
            message: terminal_safe(&d.message).into_owned(),
            help: d.help.as_deref().map(|h| terminal_safe(h).into_owned()),
            ..d.clone()
        })
    };
    match format {
        Format::Human => {
            let shown: Vec<Diagnostic> = safe().collect();
            // Files are found by the names the diagnostics had before.
            let names: std::collections::HashMap<&str, &str> = shown
                .iter()
                .zip(diags)
                .map(|(shown, d)| (shown.file.as_str(), d.file.as_str()))
                .collect();
            render_human(&shown, color, &|file| {
                let text = source_of(names.get(file).copied().unwrap_or(file))?;
                Some(terminal_safe(&text).into_owned())
            })
        }
        Format::Github => safe().map(|d| render_github(&d)).collect(),
        Format::Markdown => render_markdown(&safe().collect::<Vec<_>>()),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(diags).expect("diagnostics are plain data");
            s.push('\n');
            s
        }
    }
}

/// One bullet a diagnostic, its location in a code span: file names and
/// messages quote what authors wrote, and a comment must not turn that into
/// mentions or markup.
fn render_markdown(diags: &[Diagnostic]) -> String {
    let code = |s: &str| {
        let s = s.replace(['\n', '\r'], " ");
        if s.contains('`') {
            format!("`` {} ``", s.replace("``", "` `"))
        } else {
            format!("`{s}`")
        }
    };
    diags
        .iter()
        .map(|d| {
            let mark = match d.severity {
                Severity::Error => "❌ error",
                Severity::Warning => "⚠️ warning",
                Severity::Info => "ℹ️ note",
            };
            let mut line = format!("- {mark} {}: {}", code(&d.location()), code(&d.message));
            if let Some(help) = &d.help {
                line.push_str(&format!(" — {}", code(help)));
            }
            line.push('\n');
            line
        })
        .collect()
}

fn render_github(d: &Diagnostic) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str(" — ");
        message.push_str(help);
    }
    format!(
        "::{kind} file={},line={},col={},title={}::{}\n",
        escape_property(&d.file),
        d.line.max(1),
        d.column.max(1),
        escape_property(d.code),
        escape_data(&message)
    )
}

/// Workflow-command escaping, as GitHub's toolkit does it.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn render_human(
    diags: &[Diagnostic],
    color: bool,
    source_of: &dyn Fn(&str) -> Option<String>,
) -> String {
    use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
    use codespan_reporting::files::SimpleFiles;
    use codespan_reporting::term::{self, termcolor::Buffer};

    let mut files = SimpleFiles::new();
    let mut sources = std::collections::HashMap::new();
    let mut buffer = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let config = term::Config::default();
    for d in diags {
        let mut cs = match d.severity {
            Severity::Error => CsDiagnostic::error(),
            Severity::Warning => CsDiagnostic::warning(),
            Severity::Info => CsDiagnostic::note(),
        }
        .with_code(d.code)
        .with_message(&d.message);
        if let Some(help) = &d.help {
            cs = cs.with_notes(vec![format!("help: {help}")]);
        }
        // Each file is fetched and indexed once, however many diagnostics it has.
        if d.line > 0 && !sources.contains_key(&d.file) {
            let known = source_of(&d.file).map(|text| {
                let lines = LineIndex::new(&text);
                (files.add(d.file.clone(), text), lines)
            });
            sources.insert(d.file.clone(), known);
        }
        match sources.get(&d.file).and_then(Option::as_ref) {
            Some((id, lines)) if d.line > 0 => {
                // The id was just given by `files.add`.
                let text = files.get(*id).expect("a file added above").source();
                let start = lines.offset(text, d.line, d.column);
                let end = text[start..].find('\n').map_or(text.len(), |n| start + n);
                cs = cs.with_labels(vec![Label::primary(*id, start..end.max(start))]);
            }
            _ => cs = cs.with_notes(vec![format!("in {}", d.location())]),
        }
        // Writing into an in-memory buffer cannot fail except on an invalid span,
        // which `LineIndex::offset` rules out by clamping.
        let _ = term::emit(&mut buffer, &config, &files, &cs);
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// Turns a TOML error into a diagnostic at its line and column; `line_offset` is
/// the line before the TOML's first line (front matter starts below its `+++`).
/// Here, below the parser and the configuration, because both read TOML.
pub fn toml_diagnostic(
    code: &'static str,
    file: &str,
    text: &str,
    line_offset: usize,
    e: &toml::de::Error,
) -> Diagnostic {
    let (line, column) = match e.span() {
        Some(span) => LineIndex::new(text).position(text, span.start),
        None => (1, 1),
    };
    let message = e.message().trim().to_string();
    Diagnostic::error(code, file, line + line_offset, column, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_format_is_an_annotation_line() {
        let d = Diagnostic::warning(
            "unknown-field",
            "content/a.md",
            3,
            3,
            "unknown field 'Mentros'",
        )
        .with_help("did you mean 'Mentor(s)'?");
        let out = render(&[d], Format::Github, false, &|_| None);
        assert_eq!(
            out,
            "::warning file=content/a.md,line=3,col=3,title=unknown-field::unknown field 'Mentros' — did you mean 'Mentor(s)'?\n"
        );
    }

    #[test]
    fn control_characters_from_files_never_reach_the_terminal_raw() {
        let file = "evil\u{1b}]0;title\u{7}.md";
        let text = "first\n- Mentros: \u{1b}[2J\u{1b}]52;c;cGF3bmVk\u{7}All checks passed\u{9b}31m \u{202e}x\n";
        let d = Diagnostic::error("bad", file, 2, 3, "unknown field 'Mentros: \u{1b}[2J'")
            .with_help("\u{1b}[32mfine\u{1b}[0m");
        for format in [Format::Human, Format::Github] {
            let out = render(std::slice::from_ref(&d), format, false, &|f| {
                (f == file).then(|| text.to_string())
            });
            assert!(
                !out.chars().any(|c| c.is_control() && c != '\n'),
                "{format:?}: {out:?}"
            );
            assert!(!out.contains('\u{202e}'), "{out:?}");
            assert!(out.contains("␛[2J"), "shown as a picture: {out}");
        }
        let out = render(&[d], Format::Human, false, &|f| {
            (f == file).then(|| text.to_string())
        });
        assert!(out.contains("evil␛]0;title␇.md:2:3"), "{out}");
        assert!(
            out.contains("All checks passed"),
            "the quoted line is still there: {out}"
        );
    }

    #[test]
    fn human_format_quotes_the_source_line() {
        let d = Diagnostic::error("bad", "a.md", 2, 3, "something is wrong");
        let out = render(&[d], Format::Human, false, &|_| {
            Some("first\n- Mentros: Jane\n".into())
        });
        assert!(out.contains("a.md:2:3"), "{out}");
        assert!(out.contains("- Mentros: Jane"), "{out}");
    }
}
