//! Term metadata written in the body, as the CNCF files do: a `Status:` line and a timeline table.

use crate::model::{TermStatus, TimelineEntry};

/// "Status: Accepting Applications" → open; "Status: Completed" → closed.
pub fn status_from_line(text: &str) -> Option<TermStatus> {
    let (label, value) = text.split_once(':')?;
    if !label.trim().eq_ignore_ascii_case("status") {
        return None;
    }
    let v = value.to_lowercase();
    if ["upcoming", "coming soon", "not yet open", "planned"]
        .iter()
        .any(|w| v.contains(w))
    {
        Some(TermStatus::Upcoming)
    } else if [
        "accepting",
        "open",
        "in progress",
        "ongoing",
        "active",
        "running",
    ]
    .iter()
    .any(|w| v.contains(w))
    {
        Some(TermStatus::Open)
    } else if ["closed", "complete", "finished", "ended", "done"]
        .iter()
        .any(|w| v.contains(w))
    {
        Some(TermStatus::Closed)
    } else {
        None
    }
}

/// Timeline rows from a table whose header names an activity and a date.
pub fn timeline_from_table(rows: &[Vec<String>]) -> Option<Vec<TimelineEntry>> {
    let header = rows.first()?;
    let date_col = header
        .iter()
        .position(|h| h.to_lowercase().contains("date"))?;
    let event_col = if date_col == 0 { 1 } else { 0 };
    let entries: Vec<TimelineEntry> = rows[1..]
        .iter()
        .filter_map(|row| {
            let event = row.get(event_col)?.trim().to_string();
            let date = row.get(date_col)?.trim().to_string();
            (!event.is_empty()).then(|| TimelineEntry {
                iso: iso_date(&date),
                event,
                date,
            })
        })
        .collect();
    (!entries.is_empty()).then_some(entries)
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// The first date in `text` as `YYYY-MM-DD`: ISO dates, "March 2, 2026", "2 March 2026".
/// In a range ("January 7 – January 20, 2026") the first day is taken, with the range's year.
pub fn iso_date(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '–' | '—'))
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.trim_end_matches(['.', ')'])
                .trim_start_matches('(')
                .to_lowercase()
        })
        .collect();
    for w in &words {
        if w.len() == 10
            && w.as_bytes()[4] == b'-'
            && w.as_bytes()[7] == b'-'
            && w.chars().filter(|c| c.is_ascii_digit()).count() == 8
        {
            return Some(w.clone());
        }
    }
    let year = words
        .iter()
        .find_map(|w| w.parse::<u32>().ok().filter(|y| (1990..2200).contains(y)))?;
    for (i, w) in words.iter().enumerate() {
        let Some(month) = MONTHS.iter().position(|m| w.starts_with(m) && w.len() >= 3) else {
            continue;
        };
        let day_of = |s: Option<&String>| {
            s.and_then(|d| {
                d.trim_end_matches(|c: char| c.is_alphabetic())
                    .parse::<u32>()
                    .ok()
            })
            .filter(|d| (1..=31).contains(d))
        };
        if let Some(day) =
            day_of(words.get(i + 1)).or_else(|| i.checked_sub(1).and_then(|j| day_of(words.get(j))))
        {
            return Some(format!("{year:04}-{:02}-{day:02}", month + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_the_forms_term_files_use() {
        assert_eq!(
            iso_date("Monday, March 2, 2026").as_deref(),
            Some("2026-03-02")
        );
        assert_eq!(
            iso_date("Wednesday, January 7 – Tuesday, January 20, 2026").as_deref(),
            Some("2026-01-07")
        );
        assert_eq!(iso_date("2026-09-07").as_deref(), Some("2026-09-07"));
        assert_eq!(iso_date("2 March 2026").as_deref(), Some("2026-03-02"));
        assert_eq!(iso_date("Times TBD"), None);
    }

    #[test]
    fn status_lines() {
        assert_eq!(
            status_from_line("Status: Accepting Applications"),
            Some(TermStatus::Open)
        );
        assert_eq!(
            status_from_line("Status: Completed"),
            Some(TermStatus::Closed)
        );
        assert_eq!(status_from_line("Mentorship duration - three months"), None);
    }
}
