//! Mentor lines of an issue form, one mentor a line, the first the primary one:
//!
//! ```text
//! Jane Doe | @janedoe | jane@example.org | janedoe
//! ```
//!
//! (name, GitHub handle, e-mail, LFID). Forms ask for this exact shape so that
//! automation can read it; Trellis reads it and says, line by line, what is off.

/// One mentor line as written, with what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentorLine {
    /// 1-based among the answer's non-blank lines.
    pub number: usize,
    /// 1-based line within the answer's text.
    pub offset: usize,
    pub name: String,
    /// Without the `@`.
    pub handle: Option<String>,
    pub email: Option<String>,
    pub lfid: Option<String>,
    pub problems: Vec<LineProblem>,
}

/// What can be wrong with one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineProblem {
    /// Not four `|`-separated parts; the count found.
    Shape(usize),
    NoName,
    NoHandle,
    BadHandle(String),
    NoEmail,
    BadEmail(String),
    NoLfid,
}

/// Reads every non-blank line of a mentors answer.
pub fn parse_mentor_lines(answer: &str) -> Vec<MentorLine> {
    answer
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .enumerate()
        .map(|(i, (offset, line))| parse_line(line, i + 1, offset + 1))
        .collect()
}

fn parse_line(line: &str, number: usize, offset: usize) -> MentorLine {
    let line = line.trim();
    let line = ["- ", "* ", "+ "]
        .iter()
        .find_map(|m| line.strip_prefix(m))
        .unwrap_or(line);
    let parts: Vec<&str> = line.split('|').map(str::trim).collect();
    let mut problems = Vec::new();
    let (name, handle, email, lfid) = if let [name, handle, email, lfid] = parts[..] {
        (name, handle, email, lfid)
    } else {
        problems.push(LineProblem::Shape(parts.len()));
        // Read what can be read by its shape, so the other checks still help:
        // the handle and e-mail are words anywhere, the name what comes first.
        let words = || {
            parts.iter().flat_map(|p| {
                p.split([' ', ',', '(', ')', '<', '>'])
                    .filter(|w| !w.is_empty())
            })
        };
        let handle = words().find(|w| w.starts_with('@') && w.len() > 1);
        let email = words().find(|w| !w.starts_with('@') && w.contains('@'));
        let name = parts.first().map_or("", |first| {
            let end = [handle, email]
                .iter()
                .flatten()
                .filter_map(|w| first.find(w))
                .min()
                .unwrap_or(first.len());
            first[..end].trim_end_matches([' ', '(', ',', '<']).trim()
        });
        let lfid = parts
            .iter()
            .copied()
            .skip(1)
            .rfind(|p| Some(*p) != handle && Some(*p) != email);
        (
            name,
            handle.unwrap_or(""),
            email.unwrap_or(""),
            lfid.unwrap_or(""),
        )
    };
    if name.is_empty() {
        problems.push(LineProblem::NoName);
    }
    let handle = match handle.strip_prefix('@') {
        _ if handle.is_empty() => {
            problems.push(LineProblem::NoHandle);
            None
        }
        Some(h) if is_github_handle(h) => Some(h.to_string()),
        _ => {
            problems.push(LineProblem::BadHandle(handle.to_string()));
            None
        }
    };
    let email = if email.is_empty() {
        problems.push(LineProblem::NoEmail);
        None
    } else if is_email(email) {
        Some(email.to_string())
    } else {
        problems.push(LineProblem::BadEmail(email.to_string()));
        None
    };
    if lfid.is_empty() {
        problems.push(LineProblem::NoLfid);
    }
    MentorLine {
        number,
        offset,
        name: name.to_string(),
        handle,
        email,
        lfid: (!lfid.is_empty()).then(|| lfid.to_string()),
        problems,
    }
}

/// GitHub's rule for user names: letters, digits and single hyphens, at most
/// 39, neither starting nor ending with a hyphen.
pub fn is_github_handle(handle: &str) -> bool {
    !handle.is_empty()
        && handle.len() <= 39
        && handle
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !handle.starts_with('-')
        && !handle.ends_with('-')
        && !handle.contains("--")
}

/// An address of the plain `local@host.tld` kind that mail systems accept.
pub fn is_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".+-_'".contains(c))
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_parts_read_in_order() {
        let lines = parse_mentor_lines(
            "Jane Doe | @janedoe | jane@example.org | janedoe\n\n- Sam Lee  | @sam-lee  | sam@example.org | samlee\n",
        );
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].name, "Jane Doe");
        assert_eq!(lines[0].handle.as_deref(), Some("janedoe"));
        assert_eq!(lines[0].email.as_deref(), Some("jane@example.org"));
        assert_eq!(lines[0].lfid.as_deref(), Some("janedoe"));
        assert!(lines[0].problems.is_empty());
        assert_eq!((lines[1].number, lines[1].offset), (2, 3));
        assert_eq!(lines[1].handle.as_deref(), Some("sam-lee"));
        assert!(lines[1].problems.is_empty());
    }

    #[test]
    fn each_problem_is_named() {
        let problems = |l: &str| parse_mentor_lines(l).remove(0).problems;
        assert_eq!(problems("Jane | @jane | | jane"), [LineProblem::NoEmail]);
        assert_eq!(
            problems("Jane | jane | jane@example.org | jane"),
            [LineProblem::BadHandle("jane".into())]
        );
        assert_eq!(
            problems("Jane | @-jane | jane@example | "),
            [
                LineProblem::BadHandle("@-jane".into()),
                LineProblem::BadEmail("jane@example".into()),
                LineProblem::NoLfid
            ]
        );
        let shapeless = parse_mentor_lines("Jane Doe (@jane, jane@example.org)").remove(0);
        assert_eq!(
            shapeless.problems,
            [LineProblem::Shape(1), LineProblem::NoLfid]
        );
        assert_eq!(shapeless.name, "Jane Doe");
        assert_eq!(shapeless.handle.as_deref(), Some("jane"));
        assert_eq!(
            problems("Jane Doe"),
            [
                LineProblem::Shape(1),
                LineProblem::NoHandle,
                LineProblem::NoEmail,
                LineProblem::NoLfid
            ]
        );
        assert_eq!(
            problems("Jane | @jane | jane@example.org"),
            [LineProblem::Shape(3), LineProblem::NoLfid]
        );
    }

    #[test]
    fn handle_and_email_syntax() {
        assert!(is_github_handle("a-b1"));
        assert!(!is_github_handle("a--b"));
        assert!(!is_github_handle("a_b"));
        assert!(!is_github_handle(&"a".repeat(40)));
        assert!(is_email("jo.o'neil+x@sub.example-host.org"));
        assert!(!is_email("jo@example"));
        assert!(!is_email("jo@@example.org"));
        assert!(!is_email("<jo>@example.org"));
    }
}
