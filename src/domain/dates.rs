//! Dates as Dutch users type them: `28-11-2026`, `28-11` (this year), `28/11/26`, `2026-11-28`.

use chrono::{Datelike, NaiveDate};

/// Why a date was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// Not written as a date at all.
    Unreadable,
    /// Written as a date that does not exist (31-02, 29-02-2027).
    NoSuchDate,
}

impl DateProblem {
    pub fn text_key(self) -> &'static str {
        match self {
            DateProblem::Unreadable => "form.error_date",
            DateProblem::NoSuchDate => "form.error_no_such_date",
        }
    }
}

/// Reads a date; the year may be left out (this year) or written with two digits (20xx).
pub fn parse_date(raw: &str, today: NaiveDate) -> Result<NaiveDate, DateProblem> {
    let text = raw.trim().to_lowercase();
    if matches!(text.as_str(), "vandaag" | "today") {
        return Ok(today);
    }
    let parts: Vec<&str> = text.split(['-', '/', '.']).collect();
    let numbers: Vec<u32> = parts
        .iter()
        .map(|p| p.parse::<u32>())
        .collect::<Result<_, _>>()
        .map_err(|_| DateProblem::Unreadable)?;
    let (day, month, year) = match (parts.as_slice(), numbers.as_slice()) {
        ([y, _, _], [year, month, day]) if y.len() == 4 => (*day, *month, *year as i32),
        (_, [day, month]) => (*day, *month, today.year()),
        ([_, _, y], [day, month, year]) if y.len() == 2 => (*day, *month, 2000 + *year as i32),
        ([_, _, y], [day, month, year]) if y.len() == 4 => (*day, *month, *year as i32),
        _ => return Err(DateProblem::Unreadable),
    };
    if !(1..=31).contains(&day) || !(1..=12).contains(&month) {
        return Err(DateProblem::Unreadable);
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DateProblem::NoSuchDate)
}

/// "28-11-2026".
pub fn format_date(date: NaiveDate) -> String {
    date.format("%d-%m-%Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 28).expect("valid")
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid")
    }

    #[test]
    fn dutch_ways_of_writing_a_date() {
        assert_eq!(parse_date("03-12-2026", today()), Ok(d(2026, 12, 3)));
        assert_eq!(parse_date("3-12", today()), Ok(d(2026, 12, 3)));
        assert_eq!(parse_date("3/12/26", today()), Ok(d(2026, 12, 3)));
        assert_eq!(parse_date("3.12.2026", today()), Ok(d(2026, 12, 3)));
        assert_eq!(parse_date("2026-12-03", today()), Ok(d(2026, 12, 3)));
        assert_eq!(parse_date(" vandaag ", today()), Ok(today()));
        assert_eq!(format_date(d(2026, 12, 3)), "03-12-2026");
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(parse_date("31-02-2026", today()), Err(DateProblem::NoSuchDate));
        assert_eq!(parse_date("29-02-2027", today()), Err(DateProblem::NoSuchDate));
        assert_eq!(parse_date("29-02-2028", today()), Ok(d(2028, 2, 29)));
        assert_eq!(parse_date("32-01-2026", today()), Err(DateProblem::Unreadable));
        assert_eq!(parse_date("3-13-2026", today()), Err(DateProblem::Unreadable));
        assert_eq!(parse_date("morgen", today()), Err(DateProblem::Unreadable));
        assert_eq!(parse_date("", today()), Err(DateProblem::Unreadable));
    }
}
