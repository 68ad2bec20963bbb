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
/// A date that cannot exist (February 30) is no date; [`impossible_date`] reports it.
pub fn iso_date(text: &str) -> Option<String> {
    dates(text).into_iter().find(|d| possible(*d)).map(iso)
}

/// The last date in `text`: the end of a range ("September 7 – November 27, 2026").
pub fn last_iso_date(text: &str) -> Option<String> {
    dates(text)
        .into_iter()
        .rev()
        .find(|d| possible(*d))
        .map(iso)
}

/// The first date in `text` that cannot exist (`2026-02-31`, "April 31, 2026",
/// `2026-13-01`), as written in ISO form, for a diagnostic.
pub fn impossible_date(text: &str) -> Option<String> {
    dates(text).into_iter().find(|d| !possible(*d)).map(iso)
}

/// The day the term ends, from its timeline: the event that names the term's
/// end ("Last day of term", "Term ends"), else one that names an end, and only
/// then a "final" event — "Final evaluations due" comes days before the end.
/// A range's last day is taken.
pub fn term_end(timeline: &[TimelineEntry]) -> Option<String> {
    let tiers: [&[&str]; 3] = [
        &[
            "last day",
            "term ends",
            "program ends",
            "mentorship ends",
            "end of term",
            "end of the term",
            "end of mentorship",
        ],
        &["ends", "end of"],
        &["final"],
    ];
    tiers.iter().find_map(|words| {
        timeline
            .iter()
            .filter(|e| {
                let event = e.event.to_lowercase();
                words.iter().any(|w| event.contains(w))
            })
            .find_map(|e| last_iso_date(&e.date).or_else(|| e.iso.clone()))
    })
}

type Ymd = (u32, u32, u32);

fn iso((y, m, d): Ymd) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

fn possible((y, m, d): Ymd) -> bool {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// Every date written in `text`, in order, possible or not: ISO dates, and a
/// month name with a day number (1–31) beside it, in the year written anywhere
/// in the text.
fn dates(text: &str) -> Vec<Ymd> {
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '–' | '—'))
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.trim_end_matches(['.', ')', '"', '\''])
                .trim_start_matches(['(', '"', '\''])
                .to_lowercase()
        })
        .collect();
    let mut found = Vec::new();
    for w in &words {
        let b = w.as_bytes();
        if w.len() == 10 && b[4] == b'-' && b[7] == b'-' {
            let num = |r: std::ops::Range<usize>| w.get(r)?.parse::<u32>().ok();
            if let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) {
                found.push((y, m, d));
            }
        }
    }
    if !found.is_empty() {
        return found;
    }
    let Some(year) = words
        .iter()
        .find_map(|w| w.parse::<u32>().ok().filter(|y| (1990..2200).contains(y)))
    else {
        return found;
    };
    let day_of = |s: Option<&String>| {
        s.and_then(|d| {
            d.trim_end_matches(|c: char| c.is_alphabetic())
                .parse::<u32>()
                .ok()
        })
        .filter(|d| (1..=31).contains(d))
    };
    for (i, w) in words.iter().enumerate() {
        let Some(month) = MONTHS.iter().position(|m| w.starts_with(m) && w.len() >= 3) else {
            continue;
        };
        if let Some(day) =
            day_of(words.get(i + 1)).or_else(|| i.checked_sub(1).and_then(|j| day_of(words.get(j))))
        {
            found.push((year, month as u32 + 1, day));
        }
    }
    found
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
    fn impossible_dates_are_no_dates_and_are_reported() {
        assert_eq!(iso_date("2026-02-31"), None);
        assert_eq!(impossible_date("2026-02-31").as_deref(), Some("2026-02-31"));
        assert_eq!(
            impossible_date("Monday, April 31, 2026").as_deref(),
            Some("2026-04-31")
        );
        assert_eq!(impossible_date("2026-13-01").as_deref(), Some("2026-13-01"));
        assert_eq!(impossible_date("February 29, 2028"), None, "a leap year");
        assert_eq!(
            impossible_date("February 29, 2026").as_deref(),
            Some("2026-02-29")
        );
        assert_eq!(impossible_date("Monday, March 2, 2026"), None);
    }

    #[test]
    fn the_term_ends_on_its_last_day_not_at_final_evaluations() {
        let entry = |event: &str, date: &str| TimelineEntry {
            event: event.into(),
            date: date.into(),
            iso: iso_date(date),
        };
        let timeline = [
            entry(
                "Final mentee evaluations due",
                "Wednesday, November 25, 2026",
            ),
            entry("Last day of term", "Monday, November 30, 2026"),
        ];
        assert_eq!(term_end(&timeline).as_deref(), Some("2026-11-30"));
        let ranged = [entry("Mentorship", "September 7 – November 27, 2026")];
        assert_eq!(term_end(&ranged), None, "no event names an end");
        let ranged = [entry("Mentorship ends", "September 7 – November 27, 2026")];
        assert_eq!(term_end(&ranged).as_deref(), Some("2026-11-27"));
        assert_eq!(
            term_end(&timeline[..1]).as_deref(),
            Some("2026-11-25"),
            "the last resort"
        );
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
