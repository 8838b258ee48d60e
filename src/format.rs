//! Numbers, euros, hours and dates as the user's language writes them: one formatter per
//! language, used by the screens, the text report of the command line and the letters. What is
//! read by programs (CSV, JSON, iCalendar, the access log) keeps its own fixed form.

use chrono::NaiveDate;

use crate::config::Lang;

/// How one language writes numbers and amounts. Dutch: "1.234,5" and "€ 1.234,50"; English:
/// "1,234.5" and "€1,234.50". Dates are "28-11-2026" in both, the form the date fields read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    lang: Lang,
}

impl Format {
    pub fn new(lang: Lang) -> Self {
        Format { lang }
    }

    /// Whether decimals are written with a comma (Dutch) rather than a point.
    pub fn decimal_comma(self) -> bool {
        self.lang == Lang::Nl
    }

    fn separators(self) -> (char, char) {
        match self.lang {
            Lang::Nl => ('.', ','),
            Lang::En => (',', '.'),
        }
    }

    /// A number with `places` decimals and its thousands grouped: "2.000,5" or "2,000.5".
    pub fn number(self, x: f64, places: usize) -> String {
        let (group, decimal) = self.separators();
        let text = format!("{:.places$}", x.abs());
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let mut out = String::new();
        // "-0,0" is written without its sign.
        if x < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
            out.push('-');
        }
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                out.push(group);
            }
            out.push(c);
        }
        if !fraction.is_empty() {
            out.push(decimal);
            out.push_str(fraction);
        }
        out
    }

    /// A count: "2.000" or "2,000".
    pub fn count(self, n: u64) -> String {
        self.number(n as f64, 0)
    }

    /// An amount in euros with its cents: "€ 2.000,00" (Dutch) or "€2,000.00" (English).
    pub fn euros(self, amount: f64) -> String {
        let number = self.number(amount, 2);
        match self.lang {
            Lang::Nl => format!("€ {number}"),
            Lang::En => format!("€{number}"),
        }
    }

    /// Hours with one decimal, without the unit (the sentence around it has it): "10,5" or "10.5".
    pub fn hours(self, hours: f64) -> String {
        self.number(hours, 1)
    }

    /// A day: "28-11-2026" in both languages, as the date fields are typed.
    pub fn date(self, day: NaiveDate) -> String {
        crate::domain::dates::format_date(day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_groups_with_points_and_decimals_with_a_comma() {
        let nl = Format::new(Lang::Nl);
        assert_eq!(nl.euros(2000.0), "€ 2.000,00");
        assert_eq!(nl.euros(10_000.0), "€ 10.000,00");
        assert_eq!(nl.euros(133.333), "€ 133,33");
        assert_eq!(nl.euros(0.0), "€ 0,00");
        assert_eq!(nl.euros(-1234.5), "€ -1.234,50");
        assert_eq!(nl.hours(10.5), "10,5");
        assert_eq!(nl.count(1_234_567), "1.234.567");
        assert!(nl.decimal_comma());
    }

    #[test]
    fn english_groups_with_commas_and_decimals_with_a_point() {
        let en = Format::new(Lang::En);
        assert_eq!(en.euros(2000.0), "€2,000.00");
        assert_eq!(en.euros(1999.999), "€2,000.00");
        assert_eq!(en.hours(1234.5), "1,234.5");
        assert_eq!(en.number(-0.01, 1), "0.0");
        assert_eq!(en.count(999), "999");
        assert!(!en.decimal_comma());
        let day = NaiveDate::from_ymd_opt(2026, 11, 28).expect("valid");
        assert_eq!(en.date(day), "28-11-2026");
    }
}
