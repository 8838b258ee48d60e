//! The desk's settings: policy numbers kept in the database (key and value), each with the range
//! it may take and its default, and the retention term that makes a closed file due for erasure.

use chrono::{Months, NaiveDate};

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
}
