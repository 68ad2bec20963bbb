//! A term's dates and status, read from its timeline. A file's "Status:" line
//! is written once and forgotten ("Accepting Applications" stays there after
//! the term ended), so the timeline decides when it has dates, and a status
//! that contradicts it is reported. "Today" is `SOURCE_DATE_EPOCH` when set
//! (the reproducible-builds convention), so a build is a function of its input.
//!
//! Pure functions of the timeline, the term's year and today's date, apart
//! from [`today`].

use crate::model::{TermStatus, TimelineEntry};
use crate::parse::term_meta::iso_date;

/// Today as `YYYY-MM-DD`: `SOURCE_DATE_EPOCH` (seconds since 1970, UTC) when it
/// is set and valid, else the system clock.
pub fn today() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    let (y, m, d) = civil_from_days(seconds.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a calendar date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The first date `text` names; a date written without a year ("Wed, July 2")
/// takes `year`, the term's.
pub fn resolve(text: &str, year: Option<u32>) -> Option<String> {
    iso_date(text).or_else(|| year.and_then(|y| iso_date(&format!("{text} {y}"))))
}

/// The last date of a range ("Monday Jan 29 – Tues Feb 13, 5:00 PM"), or
/// `None` when `text` names one day.
fn range_end(text: &str, year: Option<u32>) -> Option<String> {
    let year = iso_date(text).and_then(|d| d[..4].parse().ok()).or(year);
    let cut = [" – ", "–", " — ", " - ", " to ", " until "]
        .iter()
        .filter_map(|sep| text.rfind(sep).map(|i| i + sep.len()))
        .max()?;
    resolve(&text[cut..], year)
}

/// What a timeline says about its term.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dates {
    pub applications_open: Option<String>,
    pub applications_close: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
}

/// Fills in the ISO date of each row written without a year, and finds the
/// rows that mean the opening of applications, their close, the start and the
/// end of the term. Start and end come from rows that say so ("Mentorship
/// begins", "Last day of term"); when no row says the end, the latest date is.
pub fn read(timeline: &mut [TimelineEntry], year: Option<u32>) -> Dates {
    for row in timeline.iter_mut() {
        if row.iso.is_none() {
            row.iso = resolve(&row.date, year);
        }
    }
    let mut dates = Dates::default();
    for row in timeline.iter() {
        let Some(iso) = row.iso.clone() else { continue };
        let event = row.event.to_lowercase();
        let about_applications = (event.contains("application") || event.contains("apply"))
            && !event.contains("review")
            && !event.contains("decision")
            && !event.contains("mentor application");
        if about_applications {
            if ["deadline", "close", "due", "end"]
                .iter()
                .any(|w| event.contains(w))
            {
                dates.applications_close.get_or_insert(iso);
            } else {
                dates.applications_open.get_or_insert(iso);
                if let Some(end) = range_end(&row.date, year) {
                    dates.applications_close.get_or_insert(end);
                }
            }
        } else if is_end(&event) {
            dates
                .end
                .get_or_insert(range_end(&row.date, year).unwrap_or(iso));
        } else if is_start(&event) {
            dates.start.get_or_insert(iso);
        }
    }
    if dates.end.is_none() {
        dates.end = timeline
            .iter()
            .filter_map(|r| r.iso.clone())
            .max()
            .filter(|last| dates.start.as_ref().is_some_and(|s| last > s));
    }
    dates
}

fn is_start(event: &str) -> bool {
    ["begin", "start", "kick", "commence"]
        .iter()
        .any(|w| event.contains(w))
        && !event.contains("proposal")
        && !event.contains("selection")
}

fn is_end(event: &str) -> bool {
    [
        "last day",
        "term ends",
        "program ends",
        "programme ends",
        "mentorship ends",
        "end of term",
        "end of the term",
        "end of program",
        "end of the program",
        "end of mentorship",
        "coding ends",
        "coding period ends",
        "results announced",
    ]
    .iter()
    .any(|w| event.contains(w))
}

/// The status the dates give on `today`, or `None` when they give none.
pub fn status_on(dates: &Dates, today: &str) -> Option<TermStatus> {
    let today = today.to_string();
    if dates.end.as_ref().is_some_and(|end| &today > end) {
        return Some(TermStatus::Closed);
    }
    if dates.start.as_ref().is_some_and(|start| &today >= start) {
        return Some(TermStatus::InProgress);
    }
    if let Some(open) = &dates.applications_open {
        if &today < open {
            return Some(TermStatus::Upcoming);
        }
        if dates
            .applications_close
            .as_ref()
            .is_some_and(|c| &today > c)
        {
            return Some(TermStatus::InProgress);
        }
        return Some(TermStatus::Open);
    }
    if dates
        .applications_close
        .as_ref()
        .is_some_and(|c| &today <= c)
    {
        return Some(TermStatus::Open);
    }
    if dates.start.is_some() {
        return Some(TermStatus::Upcoming);
    }
    None
}

/// The term's status: the dates' when they give one, else the written one;
/// a term of a year before today's is closed whatever is written. The second
/// value is the written status when it is contradicted, for a warning.
pub fn decide(
    written: Option<TermStatus>,
    dates: &Dates,
    year: Option<u32>,
    today: &str,
) -> (Option<TermStatus>, Option<TermStatus>) {
    let this_year: Option<u32> = today.get(..4).and_then(|y| y.parse().ok());
    let past_year = matches!((year, this_year), (Some(y), Some(now)) if y < now);
    let by_dates = status_on(dates, today).map(|s| {
        if past_year && matches!(s, TermStatus::Open | TermStatus::Upcoming) {
            TermStatus::Closed
        } else {
            s
        }
    });
    let by_dates = by_dates.or(past_year.then_some(TermStatus::Closed));
    match (written, by_dates) {
        (Some(w), Some(d)) if !agrees(w, d) => (Some(d), Some(w)),
        (w, d) => (d.or(w), None),
    }
}

/// "In progress" written for a term the dates call open (or the other way)
/// is a matter of words, not a stale file: both mean it has not ended.
fn agrees(written: TermStatus, dates: TermStatus) -> bool {
    written == dates
        || matches!(
            (written, dates),
            (TermStatus::Open, TermStatus::InProgress) | (TermStatus::InProgress, TermStatus::Open)
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(event: &str, date: &str) -> TimelineEntry {
        TimelineEntry {
            event: event.into(),
            date: date.into(),
            iso: iso_date(date),
        }
    }

    fn lfx_timeline() -> Vec<TimelineEntry> {
        vec![
            row(
                "project proposals",
                "Monday Jan 8 - Wednesday Jan 24, 8:00 AM PDT",
            ),
            row(
                "mentee applications open",
                "Monday Jan 29 - Tues Feb 13, 5:00 PM PDT",
            ),
            row(
                "Mentorship program begins with the initial work assignments",
                "Monday March 4 (Week 1)",
            ),
            row("Midterm mentee evaluations", "Wednesday April 10 (Week 6)"),
            row(
                "Final mentee evaluations and final stipend payment approvals",
                "Wed May 22, 5:00 PM PST",
            ),
            row("Last day of term", "Friday May 31"),
        ]
    }

    #[test]
    fn year_less_dates_take_the_terms_year() {
        assert_eq!(
            resolve("Wed, July 2", Some(2025)).as_deref(),
            Some("2025-07-02")
        );
        assert_eq!(resolve("Wed, July 2", None), None);
        assert_eq!(
            resolve("July 2, 2024", Some(2025)).as_deref(),
            Some("2024-07-02")
        );
    }

    #[test]
    fn start_and_end_come_from_the_rows_that_mean_them() {
        let mut timeline = lfx_timeline();
        let dates = read(&mut timeline, Some(2024));
        assert_eq!(dates.applications_open.as_deref(), Some("2024-01-29"));
        assert_eq!(dates.applications_close.as_deref(), Some("2024-02-13"));
        assert_eq!(dates.start.as_deref(), Some("2024-03-04"));
        // Not the "Final mentee evaluations" row, the first to mention "final".
        assert_eq!(dates.end.as_deref(), Some("2024-05-31"));
        assert!(timeline.iter().all(|r| r.iso.is_some()));
    }

    #[test]
    fn status_follows_the_dates() {
        let mut timeline = lfx_timeline();
        let dates = read(&mut timeline, Some(2024));
        let on = |day: &str| status_on(&dates, day);
        assert_eq!(on("2024-01-10"), Some(TermStatus::Upcoming));
        assert_eq!(on("2024-02-01"), Some(TermStatus::Open));
        assert_eq!(on("2024-02-20"), Some(TermStatus::InProgress));
        assert_eq!(on("2024-04-01"), Some(TermStatus::InProgress));
        assert_eq!(on("2024-06-01"), Some(TermStatus::Closed));
    }

    #[test]
    fn stale_written_status_loses_to_the_dates() {
        let mut timeline = lfx_timeline();
        let dates = read(&mut timeline, Some(2024));
        assert_eq!(
            decide(Some(TermStatus::Open), &dates, Some(2024), "2024-08-01"),
            (Some(TermStatus::Closed), Some(TermStatus::Open))
        );
        assert_eq!(
            decide(Some(TermStatus::Closed), &dates, Some(2024), "2024-08-01"),
            (Some(TermStatus::Closed), None)
        );
    }

    #[test]
    fn a_term_of_an_earlier_year_is_never_open() {
        let none = Dates::default();
        assert_eq!(
            decide(Some(TermStatus::Open), &none, Some(2021), "2026-08-01"),
            (Some(TermStatus::Closed), Some(TermStatus::Open))
        );
        assert_eq!(
            decide(None, &none, Some(2021), "2026-08-01"),
            (Some(TermStatus::Closed), None)
        );
        assert_eq!(
            decide(Some(TermStatus::Open), &none, Some(2026), "2026-08-01"),
            (Some(TermStatus::Open), None)
        );
    }

    #[test]
    fn today_reads_source_date_epoch_days() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_670), (2026, 8, 5));
    }
}
