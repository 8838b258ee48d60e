//! A conversation's date and time as Dutch users type them: `di 14:00`, `morgen 9:30`,
//! `3-12 14.00`, `03-12-2026 14u`. Read in the desk's time zone, kept in UTC.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};

use super::dates::{DateProblem, parse_date};
use super::walkin::DESK_TZ;

/// What the user typed, understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Understood {
    /// One instant.
    Exact(DateTime<Utc>),
    /// The local time exists twice (the autumn DST change): the earlier (summer time, +02:00)
    /// and the later (winter time, +01:00) instant.
    Twice { earlier: DateTime<Utc>, later: DateTime<Utc> },
}

/// Why a date and time was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenProblem {
    /// Not written as a date and a time at all, or an impossible time (25:00, 14:61).
    Unreadable,
    /// Written as a date that does not exist (31-02, 29-02-2027).
    NoSuchDate,
    /// A day without a time, or a bare hour ("di 14") that could mean either 14:00 or 02:00.
    NoTime,
    /// The local time does not exist (the spring DST change: 02:00–02:59).
    Gap,
}

impl WhenProblem {
    pub fn text_key(self) -> &'static str {
        match self {
            WhenProblem::Unreadable => "when.error_unreadable",
            WhenProblem::NoSuchDate => "when.error_no_such_date",
            WhenProblem::NoTime => "when.error_no_time",
            WhenProblem::Gap => "when.error_gap",
        }
    }
}

/// Reads a day and a time of day, in that order, separated by spaces (an `om` or `at` between
/// them is allowed). The day is a weekday (`di`, `dinsdag`, `tue`: the next one from today,
/// today itself only while the time is still ahead), `vandaag`/`today`, `morgen`/`tomorrow`,
/// `overmorgen`, or a date as [`parse_date`] reads it. The time is `14:00`, `9:30`, `14.00`,
/// `14u` or `14u30`; a bare `14` is refused as [`WhenProblem::NoTime`].
pub fn parse_when(raw: &str, now: DateTime<Utc>) -> Result<Understood, WhenProblem> {
    let text = raw.trim().to_lowercase();
    let words: Vec<&str> = text.split_whitespace().filter(|w| !matches!(*w, "om" | "at")).collect();
    let (day_word, time_word) = match words.as_slice() {
        [day] => {
            // A day alone is missing its time; anything else alone is not a day at all.
            read_day(day, now)?;
            return Err(WhenProblem::NoTime);
        }
        [day, time] => (*day, *time),
        _ => return Err(WhenProblem::Unreadable),
    };
    let day = read_day(day_word, now)?;
    let time = read_time(time_word)?;
    let date = match day {
        Day::Date(date) => date,
        Day::Weekday(weekday) => next_weekday(weekday, time, now),
    };
    to_utc(date.and_time(time))
}

/// The local start and end of a conversation of `minutes` starting at `start`, as the clocks in
/// the desk's time zone show them (across a DST change the end is not start + minutes).
pub fn local_span(start: DateTime<Utc>, minutes: i64) -> (NaiveDateTime, NaiveDateTime) {
    let end = start + Duration::minutes(minutes);
    (start.with_timezone(&DESK_TZ).naive_local(), end.with_timezone(&DESK_TZ).naive_local())
}

/// A day as typed: a date, or a weekday still to be placed once the time is known.
enum Day {
    Date(NaiveDate),
    Weekday(Weekday),
}

fn read_day(word: &str, now: DateTime<Utc>) -> Result<Day, WhenProblem> {
    let today = now.with_timezone(&DESK_TZ).date_naive();
    let day = match word {
        "vandaag" | "today" => Day::Date(today),
        "morgen" | "tomorrow" => Day::Date(today + Duration::days(1)),
        "overmorgen" => Day::Date(today + Duration::days(2)),
        "ma" | "maandag" | "mon" | "monday" => Day::Weekday(Weekday::Mon),
        "di" | "dinsdag" | "tue" | "tuesday" => Day::Weekday(Weekday::Tue),
        "wo" | "woensdag" | "wed" | "wednesday" => Day::Weekday(Weekday::Wed),
        "do" | "donderdag" | "thu" | "thursday" => Day::Weekday(Weekday::Thu),
        "vr" | "vrijdag" | "fri" | "friday" => Day::Weekday(Weekday::Fri),
        "za" | "zaterdag" | "sat" | "saturday" => Day::Weekday(Weekday::Sat),
        "zo" | "zondag" | "sun" | "sunday" => Day::Weekday(Weekday::Sun),
        other => Day::Date(parse_date(other, today).map_err(|p| match p {
            DateProblem::Unreadable => WhenProblem::Unreadable,
            DateProblem::NoSuchDate => WhenProblem::NoSuchDate,
        })?),
    };
    Ok(day)
}

/// `14:00`, `9:30`, `14.00`, `14u`, `14u30`. A bare number of one or two digits is an hour
/// without its minutes, which is refused as missing rather than guessed.
fn read_time(word: &str) -> Result<NaiveTime, WhenProblem> {
    let is_digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let (hour, minute) = if let Some((h, m)) = word.split_once([':', '.']) {
        if m.len() != 2 || !is_digits(m) {
            return Err(WhenProblem::Unreadable);
        }
        (h, m)
    } else if let Some((h, m)) = word.split_once('u') {
        if !(m.is_empty() || (m.len() == 2 && is_digits(m))) {
            return Err(WhenProblem::Unreadable);
        }
        (h, if m.is_empty() { "00" } else { m })
    } else if is_digits(word) && word.len() <= 2 {
        return Err(WhenProblem::NoTime);
    } else {
        return Err(WhenProblem::Unreadable);
    };
    if hour.len() > 2 || !is_digits(hour) {
        return Err(WhenProblem::Unreadable);
    }
    let hour: u32 = hour.parse().map_err(|_| WhenProblem::Unreadable)?;
    let minute: u32 = minute.parse().map_err(|_| WhenProblem::Unreadable)?;
    NaiveTime::from_hms_opt(hour, minute, 0).ok_or(WhenProblem::Unreadable)
}

/// The next `weekday` from today (desk time); today itself only while `time` is still ahead.
fn next_weekday(weekday: Weekday, time: NaiveTime, now: DateTime<Utc>) -> NaiveDate {
    let local_now = now.with_timezone(&DESK_TZ).naive_local();
    let today = local_now.date();
    let ahead = (weekday.num_days_from_monday() + 7 - today.weekday().num_days_from_monday()) % 7;
    let ahead = if ahead == 0 && today.and_time(time) <= local_now { 7 } else { ahead };
    today + Duration::days(i64::from(ahead))
}

fn to_utc(local: NaiveDateTime) -> Result<Understood, WhenProblem> {
    match DESK_TZ.from_local_datetime(&local) {
        LocalResult::Single(at) => Ok(Understood::Exact(at.with_timezone(&Utc))),
        LocalResult::Ambiguous(a, b) => {
            let (a, b) = (a.with_timezone(&Utc), b.with_timezone(&Utc));
            Ok(Understood::Twice { earlier: a.min(b), later: a.max(b) })
        }
        LocalResult::None => Err(WhenProblem::Gap),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().expect("valid")
    }

    /// Saturday 28 November 2026, 10:00 in Amsterdam (winter time, +01:00).
    fn now() -> DateTime<Utc> {
        utc(2026, 11, 28, 9, 0)
    }

    fn exact(raw: &str, now: DateTime<Utc>) -> DateTime<Utc> {
        match parse_when(raw, now) {
            Ok(Understood::Exact(at)) => at,
            other => panic!("{raw}: {other:?}"),
        }
    }

    #[test]
    fn weekdays_count_from_today() {
        assert_eq!(exact("di 14:00", now()), utc(2026, 12, 1, 13, 0));
        assert_eq!(exact("dinsdag 14:00", now()), utc(2026, 12, 1, 13, 0));
        assert_eq!(exact("TUE 14:00", now()), utc(2026, 12, 1, 13, 0));
        assert_eq!(exact("ma 9:30", now()), utc(2026, 11, 30, 8, 30));
        assert_eq!(exact("vr 16:00", now()), utc(2026, 12, 4, 15, 0));
        assert_eq!(exact("zo 12:00", now()), utc(2026, 11, 29, 11, 0));
        // Today is Saturday: a time already past means next week, a time still ahead means today.
        assert_eq!(exact("za 09:00", now()), utc(2026, 12, 5, 8, 0));
        assert_eq!(exact("za 10:00", now()), utc(2026, 12, 5, 9, 0));
        assert_eq!(exact("za 11:00", now()), utc(2026, 11, 28, 10, 0));
        assert_eq!(exact("zaterdag 11:00", now()), utc(2026, 11, 28, 10, 0));
        assert_eq!(exact("sat 11:00", now()), utc(2026, 11, 28, 10, 0));
    }

    #[test]
    fn today_tomorrow_and_the_day_after() {
        assert_eq!(exact("vandaag 14:00", now()), utc(2026, 11, 28, 13, 0));
        assert_eq!(exact("today 14:00", now()), utc(2026, 11, 28, 13, 0));
        assert_eq!(exact("morgen 9:30", now()), utc(2026, 11, 29, 8, 30));
        assert_eq!(exact("tomorrow 9:30", now()), utc(2026, 11, 29, 8, 30));
        assert_eq!(exact("overmorgen 10:00", now()), utc(2026, 11, 30, 9, 0));
        // "Today" is the desk's day: at 23:30 UTC on the 28th it is already the 29th in Amsterdam.
        assert_eq!(exact("morgen 10:00", utc(2026, 11, 28, 23, 30)), utc(2026, 11, 30, 9, 0));
    }

    #[test]
    fn dates_in_their_dutch_forms() {
        for raw in ["3-12 14:00", "03-12-2026 14:00", "3/12/26 14:00", "2026-12-03 14:00", "3.12.2026 14.00"]
        {
            assert_eq!(exact(raw, now()), utc(2026, 12, 3, 13, 0), "{raw}");
        }
        // A day and month already past this year stay this year; planning in the past is refused elsewhere.
        assert_eq!(exact("3-1 14:00", now()), utc(2026, 1, 3, 13, 0));
    }

    #[test]
    fn ways_of_writing_the_time() {
        for raw in ["morgen 14:00", "morgen 14.00", "morgen 14u", "morgen 14U", "  Morgen   om  14:00 "] {
            assert_eq!(exact(raw, now()), utc(2026, 11, 29, 13, 0), "{raw}");
        }
        assert_eq!(exact("morgen 14u30", now()), utc(2026, 11, 29, 13, 30));
        assert_eq!(exact("morgen 0:05", now()), utc(2026, 11, 28, 23, 5));
        assert_eq!(exact("morgen 23:59", now()), utc(2026, 11, 29, 22, 59));
    }

    #[test]
    fn winter_and_summer_time() {
        // Winter: +01:00.
        assert_eq!(exact("15-01-2027 10:00", now()), utc(2027, 1, 15, 9, 0));
        // Summer: +02:00.
        assert_eq!(exact("15-07-2027 10:00", now()), utc(2027, 7, 15, 8, 0));
        assert_eq!(exact("15-07 10:00", now()), utc(2026, 7, 15, 8, 0));
    }

    #[test]
    fn spring_change_has_a_gap() {
        for raw in ["29-03-2026 02:00", "29-03-2026 02:30", "29-03-2026 02:59", "28-03-2027 02:15"] {
            assert_eq!(parse_when(raw, now()), Err(WhenProblem::Gap), "{raw}");
        }
        // Just around the gap the day is ordinary.
        assert_eq!(exact("29-03-2026 01:59", now()), utc(2026, 3, 29, 0, 59));
        assert_eq!(exact("29-03-2026 03:00", now()), utc(2026, 3, 29, 1, 0));
        assert_eq!(exact("29-03-2026 09:00", now()), utc(2026, 3, 29, 7, 0));
        assert_eq!(exact("28-03-2027 09:00", now()), utc(2027, 3, 28, 7, 0));
        // Weekday resolution lands on the gap as well: Sunday 29 March 2026 seen from the Friday before.
        assert_eq!(parse_when("zo 02:30", utc(2026, 3, 27, 12, 0)), Err(WhenProblem::Gap));
    }

    #[test]
    fn autumn_change_happens_twice() {
        assert_eq!(
            parse_when("25-10-2026 02:30", now()),
            Ok(Understood::Twice { earlier: utc(2026, 10, 25, 0, 30), later: utc(2026, 10, 25, 1, 30) })
        );
        assert_eq!(
            parse_when("25-10-2026 02:00", now()),
            Ok(Understood::Twice { earlier: utc(2026, 10, 25, 0, 0), later: utc(2026, 10, 25, 1, 0) })
        );
        assert_eq!(
            parse_when("31-10-2027 02:59", now()),
            Ok(Understood::Twice { earlier: utc(2027, 10, 31, 0, 59), later: utc(2027, 10, 31, 1, 59) })
        );
        // Around the doubled hour the day is ordinary: summer time before, winter time after.
        assert_eq!(exact("25-10-2026 01:59", now()), utc(2026, 10, 24, 23, 59));
        assert_eq!(exact("25-10-2026 03:00", now()), utc(2026, 10, 25, 2, 0));
        assert_eq!(exact("31-10-2027 09:00", now()), utc(2027, 10, 31, 8, 0));
    }

    #[test]
    fn impossible_dates_and_times() {
        assert_eq!(parse_when("31-02 14:00", now()), Err(WhenProblem::NoSuchDate));
        assert_eq!(parse_when("29-02-2027 14:00", now()), Err(WhenProblem::NoSuchDate));
        assert_eq!(exact("29-02-2028 14:00", now()), utc(2028, 2, 29, 13, 0));
        for raw in
            ["morgen 25:00", "morgen 24:00", "morgen 14:61", "morgen 14:6", "morgen 14:600", "morgen 123:00"]
        {
            assert_eq!(parse_when(raw, now()), Err(WhenProblem::Unreadable), "{raw}");
        }
        assert_eq!(parse_when("32-01-2026 14:00", now()), Err(WhenProblem::Unreadable));
    }

    #[test]
    fn a_missing_time_is_asked_for() {
        for raw in ["di", "morgen", "3-12", "03-12-2026", "di 14", "morgen 9", "3-12 14"] {
            assert_eq!(parse_when(raw, now()), Err(WhenProblem::NoTime), "{raw}");
        }
        // A day that is not a day is unreadable before it is missing a time.
        assert_eq!(parse_when("31-02", now()), Err(WhenProblem::NoSuchDate));
    }

    #[test]
    fn garbage_is_unreadable() {
        for raw in [
            "",
            "   ",
            "volgende week",
            "14:00",
            "di 14:00 15:00",
            "dins 14:00",
            "morgen half drie",
            "morgen 14:0a",
            "morgen :30",
            "morgen u30",
            "morgen 14u3",
            "morgen -1:00",
            "morgen 1400",
        ] {
            assert_eq!(parse_when(raw, now()), Err(WhenProblem::Unreadable), "{raw:?}");
        }
    }

    #[test]
    fn local_span_shows_the_clocks() {
        let (start, end) = local_span(utc(2026, 12, 1, 13, 0), 90);
        assert_eq!(start.to_string(), "2026-12-01 14:00:00");
        assert_eq!(end.to_string(), "2026-12-01 15:30:00");
        let (start, end) = local_span(utc(2026, 7, 1, 8, 0), 90);
        assert_eq!(start.to_string(), "2026-07-01 10:00:00");
        assert_eq!(end.to_string(), "2026-07-01 11:30:00");
        // Across the spring change the clocks jump: 01:30 + 90 minutes shows 04:00.
        let (start, end) = local_span(utc(2026, 3, 29, 0, 30), 90);
        assert_eq!(start.to_string(), "2026-03-29 01:30:00");
        assert_eq!(end.to_string(), "2026-03-29 04:00:00");
    }

    #[test]
    fn problems_have_text_keys() {
        assert_eq!(WhenProblem::Unreadable.text_key(), "when.error_unreadable");
        assert_eq!(WhenProblem::NoSuchDate.text_key(), "when.error_no_such_date");
        assert_eq!(WhenProblem::NoTime.text_key(), "when.error_no_time");
        assert_eq!(WhenProblem::Gap.text_key(), "when.error_gap");
    }
}
