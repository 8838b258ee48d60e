//! The desk's settings: policy numbers kept in the database (key and value), each with the range
//! it may take and its default, and the retention term that makes a closed file due for erasure.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, Months, NaiveDate};

use super::coded_enum;
use super::couple::FileNumber;

coded_enum!(
    /// A setting, by its key in the `settings` table. `retention_years`: the years a closed
    /// file is kept before it is due for erasure (AVG art. 5 and 17).
    Setting, "setting" {
        RetentionYears => "retention_years",
    }
);

/// Why a value for a setting is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingRefused {
    NotANumber,
    OutOfRange { min: u32, max: u32 },
}

impl Setting {
    /// The value when the table holds none (the migration writes it too).
    pub fn default_value(self) -> u32 {
        match self {
            // Without a law that says otherwise: 5 years after closing (see the README).
            Setting::RetentionYears => 5,
        }
    }

    /// The values this setting may take, both included.
    pub fn range(self) -> (u32, u32) {
        match self {
            Setting::RetentionYears => (1, 100),
        }
    }

    /// Reads a typed value: a whole number in the setting's range.
    pub fn parse(self, text: &str) -> Result<u32, SettingRefused> {
        let (min, max) = self.range();
        let n: u32 = match text.trim().parse::<i64>() {
            Ok(n) => u32::try_from(n).unwrap_or(if n < 0 { 0 } else { u32::MAX }),
            Err(_) => return Err(SettingRefused::NotANumber),
        };
        if (min..=max).contains(&n) { Ok(n) } else { Err(SettingRefused::OutOfRange { min, max }) }
    }
}

impl SettingRefused {
    /// The text key of this refusal (`{min}` and `{max}` for a value out of range).
    pub fn text_key(self) -> &'static str {
        match self {
            SettingRefused::NotANumber => "settings.not_a_number",
            SettingRefused::OutOfRange { .. } => "settings.out_of_range",
        }
    }
}

/// The last closing day of a file that is due on `today` with a term of `years`: a file closed on
/// 3 March 2021 is due from 3 March 2026 on (with 5 years). A closing on 29 February counts from
/// 28 February in a year without one.
pub fn due_cutoff(today: NaiveDate, years: u32) -> NaiveDate {
    today.checked_sub_months(Months::new(years.saturating_mul(12))).unwrap_or(NaiveDate::MIN)
}

/// A closed file past the retention term: its number, when it was closed and how many whole years
/// ago. No name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueFile {
    pub id: i64,
    pub file: FileNumber,
    pub closed_on: NaiveDate,
    pub years: u32,
}

/// Whole years from `from` to `to`.
pub fn whole_years(from: NaiveDate, to: NaiveDate) -> u32 {
    let mut years = 0u32;
    while from.checked_add_months(Months::new((years + 1) * 12)).is_some_and(|d| d <= to) {
        years += 1;
    }
    years
}

/// Days on which no conversation is planned: the desk's closed days (holidays) and each
/// counsellor's days off (by user id). Kept in the `settings` table as lists of ISO dates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClosedDays {
    pub desk: BTreeSet<NaiveDate>,
    pub off: BTreeMap<i64, BTreeSet<NaiveDate>>,
}

/// Why a day is closed to a counsellor's conversations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// The desk is closed (a holiday).
    Desk,
    /// The counsellor has the day off.
    DayOff,
}

impl ClosedDays {
    /// Whether `day` is closed for `counsellor`'s conversations, and why (the desk first).
    pub fn closed_for(&self, day: NaiveDate, counsellor: i64) -> Option<Closed> {
        if self.desk.contains(&day) {
            Some(Closed::Desk)
        } else if self.off.get(&counsellor).is_some_and(|d| d.contains(&day)) {
            Some(Closed::DayOff)
        } else {
            None
        }
    }
}

/// The settings key of a list of closed days: the desk's, or a counsellor's days off.
pub fn closed_days_key(counsellor: Option<i64>) -> String {
    match counsellor {
        None => "closed_days".to_owned(),
        Some(id) => format!("days_off:{id}"),
    }
}

/// The longest run one "t/m" may give, in days: a typing error ("2027" for "2026") should not
/// close a year or more.
pub const MAX_RANGE_DAYS: i64 = 62;

/// Why a typed list of days is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DaysProblem {
    /// A part is not a date, or a run's end lies before its start.
    Unreadable,
    /// A run longer than [`MAX_RANGE_DAYS`].
    TooLong,
}

impl DaysProblem {
    pub fn text_key(self) -> &'static str {
        match self {
            DaysProblem::Unreadable => "settings.days_unreadable",
            DaysProblem::TooLong => "settings.days_too_long",
        }
    }
}

/// Reads a list of days as typed: dates separated by commas or semicolons, and runs written
/// "24-12-2026 t/m 01-01-2027" (also "tm", "to", ".." or "–"). A date without a year is this year's.
pub fn parse_days(text: &str, today: NaiveDate) -> Result<BTreeSet<NaiveDate>, DaysProblem> {
    let mut days = BTreeSet::new();
    for part in text.split([',', ';']).map(str::trim).filter(|p| !p.is_empty()) {
        let lower = part.to_lowercase();
        let ends: Vec<&str> = [" t/m ", " tm ", " to ", "..", "–", " - "]
            .iter()
            .find_map(|sep| lower.split_once(sep).map(|(a, b)| vec![a, b]))
            .unwrap_or_else(|| vec![lower.as_str()]);
        let dates: Vec<NaiveDate> = ends
            .iter()
            .map(|e| super::dates::parse_date(e, today).map_err(|_| DaysProblem::Unreadable))
            .collect::<Result<_, _>>()?;
        let (first, last) = (dates[0], *dates.last().unwrap_or(&dates[0]));
        if last < first {
            return Err(DaysProblem::Unreadable);
        }
        if (last - first).num_days() >= MAX_RANGE_DAYS {
            return Err(DaysProblem::TooLong);
        }
        let mut day = first;
        while day <= last {
            days.insert(day);
            day += Duration::days(1);
        }
    }
    Ok(days)
}

/// A list of days as the form shows it: runs of two or more days as "24-12-2026 t/m 26-12-2026",
/// with `through` the language's word.
pub fn days_text(days: &BTreeSet<NaiveDate>, through: &str) -> String {
    let mut runs: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for day in days {
        match runs.last_mut() {
            Some((_, end)) if *end + Duration::days(1) == *day => *end = *day,
            _ => runs.push((*day, *day)),
        }
    }
    let date = super::dates::format_date;
    runs.iter()
        .map(|(a, b)| if a == b { date(*a) } else { format!("{} {through} {}", date(*a), date(*b)) })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The stored form of a list of days: ISO dates, comma-separated.
pub fn days_code(days: &BTreeSet<NaiveDate>) -> String {
    days.iter().map(NaiveDate::to_string).collect::<Vec<_>>().join(",")
}

/// Reads the stored form back; `None` when it is damaged.
pub fn days_from_code(code: &str) -> Option<BTreeSet<NaiveDate>> {
    code.split(',').filter(|p| !p.is_empty()).map(|p| p.parse::<NaiveDate>().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn a_retention_term_is_a_whole_number_of_years_from_1_to_100() {
        let r = Setting::RetentionYears;
        assert_eq!(r.parse("7"), Ok(7));
        assert_eq!(r.parse(" 1 "), Ok(1));
        assert_eq!(r.parse("100"), Ok(100));
        let out = Err(SettingRefused::OutOfRange { min: 1, max: 100 });
        for bad in ["0", "-3", "101", "99999999999999"] {
            assert_eq!(r.parse(bad), out, "{bad}");
        }
        for bad in ["", "vijf", "5.5", "5 jaar", "1e3"] {
            assert_eq!(r.parse(bad), Err(SettingRefused::NotANumber), "{bad}");
        }
        assert_eq!(r.default_value(), 5);
        assert_eq!(Setting::from_code("retention_years"), Some(r));
    }

    #[test]
    fn a_file_is_due_on_the_day_its_term_has_passed() {
        assert_eq!(due_cutoff(d(2026, 3, 3), 5), d(2021, 3, 3));
        assert_eq!(due_cutoff(d(2025, 2, 28), 1), d(2024, 2, 28));
        assert_eq!(due_cutoff(d(2024, 2, 29), 1), d(2023, 2, 28));
        assert_eq!(whole_years(d(2021, 3, 3), d(2026, 3, 2)), 4);
        assert_eq!(whole_years(d(2021, 3, 3), d(2026, 3, 3)), 5);
        assert_eq!(whole_years(d(2026, 3, 3), d(2021, 3, 3)), 0);
    }

    #[test]
    fn closed_days_are_typed_as_dates_and_runs() {
        let today = d(2026, 11, 20);
        let days = parse_days("24-12 t/m 26-12, 31-12-2026; 1-1-2027", today).expect("days");
        let want: BTreeSet<NaiveDate> =
            [d(2026, 12, 24), d(2026, 12, 25), d(2026, 12, 26), d(2026, 12, 31), d(2027, 1, 1)].into();
        assert_eq!(days, want);
        assert_eq!(days_text(&days, "t/m"), "24-12-2026 t/m 26-12-2026, 31-12-2026 t/m 01-01-2027");
        assert_eq!(parse_days(&days_text(&days, "to"), today), Ok(want.clone()));
        assert_eq!(days_from_code(&days_code(&days)), Some(want));
        assert_eq!(parse_days("", today), Ok(BTreeSet::new()));
        assert_eq!(parse_days("kerst", today), Err(DaysProblem::Unreadable));
        assert_eq!(parse_days("26-12 t/m 24-12", today), Err(DaysProblem::Unreadable));
        assert_eq!(parse_days("1-1-2026 t/m 1-1-2027", today), Err(DaysProblem::TooLong));
        assert_eq!(days_from_code("2026-12-24,kerst"), None);
    }

    #[test]
    fn the_desk_closed_comes_before_a_day_off() {
        let mut closed = ClosedDays::default();
        closed.desk.insert(d(2026, 12, 25));
        closed.off.insert(7, [d(2026, 12, 23), d(2026, 12, 25)].into());
        assert_eq!(closed.closed_for(d(2026, 12, 25), 7), Some(Closed::Desk));
        assert_eq!(closed.closed_for(d(2026, 12, 23), 7), Some(Closed::DayOff));
        assert_eq!(closed.closed_for(d(2026, 12, 23), 8), None);
    }
}
