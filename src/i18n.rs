//! The texts of the screens, per language, from `assets/i18n/{nl,en}.toml`,
//! and the Dutch (or English) way of writing dates, times and durations.

use std::collections::HashMap;
use std::fmt::Display;

use chrono::{DateTime, Datelike, Duration, Utc};

use crate::config::Lang;
use crate::domain::walkin::DESK_TZ;

const NL: &str = include_str!("../assets/i18n/nl.toml");
const EN: &str = include_str!("../assets/i18n/en.toml");

/// The texts of one language, keyed `section.name`.
#[derive(Debug, Clone)]
pub struct Texts {
    lang: Lang,
    map: HashMap<String, String>,
    weekdays: Vec<String>,
    months: Vec<String>,
}

impl Texts {
    pub fn new(lang: Lang) -> Self {
        let source = match lang {
            Lang::Nl => NL,
            Lang::En => EN,
        };
        let mut map = HashMap::new();
        // The files are part of the program and checked by tests; a broken one shows its keys.
        if let Ok(table) = toml::from_str::<toml::Table>(source) {
            flatten("", &table, &mut map);
        }
        let list = |key: &str| -> Vec<String> {
            map.get(key)
                .map(|s: &String| s.split_whitespace().map(str::to_owned).collect())
                .unwrap_or_default()
        };
        let weekdays = list("time.weekdays");
        let months = list("time.months");
        Texts { lang, map, weekdays, months }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// How this language writes numbers, euros, hours and dates.
    pub fn format(&self) -> crate::format::Format {
        crate::format::Format::new(self.lang)
    }

    /// The text for `key`; a missing key shows itself, so that it is noticed and never panics.
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.map.get(key).map_or(key, String::as_str)
    }

    /// The text for `key` with `{name}` placeholders filled in.
    pub fn f(&self, key: &str, args: &[(&str, &dyn Display)]) -> String {
        let mut text = self.t(key).to_owned();
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), &value.to_string());
        }
        text
    }

    /// Every key, for the tests that compare languages.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }

    /// A whole number with its thousands marked: "1.395" in Dutch, "1,395" in English.
    pub fn count(&self, n: usize) -> String {
        let mark = match self.lang {
            Lang::Nl => '.',
            Lang::En => ',',
        };
        let digits = n.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(mark);
            }
            out.push(c);
        }
        out
    }

    /// "di 3 dec" in the desk's time zone.
    pub fn date_short(&self, at: DateTime<Utc>) -> String {
        let local = at.with_timezone(&DESK_TZ);
        let weekday = self.weekdays.get(local.weekday().num_days_from_monday() as usize);
        let month = self.months.get(local.month0() as usize);
        match (weekday, month) {
            (Some(w), Some(m)) => format!("{w} {} {m}", local.day()),
            _ => local.format("%d-%m").to_string(),
        }
    }

    /// "14:05" in the desk's time zone.
    pub fn time(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&DESK_TZ).format("%H:%M").to_string()
    }

    /// A waiting time: "7 min", "1 u 05" (Dutch) or "1 h 05" (English).
    pub fn duration(&self, d: Duration) -> String {
        let minutes = d.num_minutes().max(0);
        if minutes < 60 {
            self.f("time.minutes", &[("n", &minutes)])
        } else {
            self.f("time.hours_minutes", &[("h", &(minutes / 60)), ("m", &format!("{:02}", minutes % 60))])
        }
    }
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut HashMap<String, String>) {
    for (key, value) in table {
        let full = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        match value {
            toml::Value::Table(inner) => flatten(&full, inner, out),
            toml::Value::String(s) => {
                out.insert(full, s.clone());
            }
            other => {
                out.insert(full, other.to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::collections::BTreeSet;

    #[test]
    fn both_languages_parse_and_have_the_same_keys() {
        for source in [NL, EN] {
            toml::from_str::<toml::Table>(source).expect("text file parses");
        }
        let nl: BTreeSet<_> = Texts::new(Lang::Nl).keys().map(str::to_owned).collect();
        let en: BTreeSet<_> = Texts::new(Lang::En).keys().map(str::to_owned).collect();
        let only_nl: Vec<_> = nl.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&nl).collect();
        assert!(only_nl.is_empty() && only_en.is_empty(), "only nl: {only_nl:?}, only en: {only_en:?}");
    }

    #[test]
    fn every_key_the_code_asks_for_exists() {
        let texts = Texts::new(Lang::Nl);
        let known: BTreeSet<_> = texts.keys().collect();
        let mut missing = Vec::new();
        for file in rust_files(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))) {
            let code = std::fs::read_to_string(&file).expect("source readable");
            for key in quoted_keys(&code) {
                if !known.contains(key.as_str()) {
                    missing.push(format!("{}: {key}", file.display()));
                }
            }
        }
        assert!(missing.is_empty(), "text keys used in code but missing: {missing:#?}");
    }

    /// String literals shaped `section.key` whose section is one of the text files' sections.
    fn quoted_keys(code: &str) -> Vec<String> {
        let sections: BTreeSet<String> =
            toml::from_str::<toml::Table>(NL).expect("nl parses").keys().cloned().collect();
        code.split('"')
            .skip(1)
            .step_by(2)
            .filter(|lit| {
                lit.split_once('.').is_some_and(|(section, rest)| {
                    sections.contains(section)
                        && !rest.is_empty()
                        && rest.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                })
            })
            .map(str::to_owned)
            .collect()
    }

    fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).expect("src readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(rust_files(&path));
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
        out
    }

    #[test]
    fn every_coded_value_has_a_label_in_both_languages() {
        use crate::domain::{couple, user, walkin};
        let mut keys: Vec<String> = Vec::new();
        keys.extend(couple::Request::ALL.iter().map(|v| v.text_key()));
        keys.extend(couple::Source::ALL.iter().map(|v| v.text_key()));
        keys.extend(user::Role::ALL.iter().map(|v| v.text_key()));
        keys.extend(walkin::Attendance::ALL.iter().map(|v| v.text_key()));
        keys.extend(walkin::Status::ALL.iter().map(|v| v.text_key()));
        keys.extend(walkin::Outcome::ALL.iter().map(|v| v.text_key()));
        use crate::domain::file;
        keys.extend(file::FileStatus::ALL.iter().map(|v| v.text_key()));
        keys.extend(file::CloseOutcome::ALL.iter().map(|v| v.text_key()));
        keys.extend(file::Wish::ALL.iter().map(|v| v.text_key()));
        keys.extend(file::LifeEventKind::ALL.iter().map(|v| v.text_key()));
        use crate::domain::planner;
        keys.extend(planner::SessionStatus::ALL.iter().map(|v| v.text_key()));
        keys.extend(planner::Attended::ALL.iter().map(|v| v.text_key()));
        use crate::domain::referral;
        keys.extend(referral::ReferralStatus::ALL.iter().map(|v| v.text_key()));
        keys.extend(referral::Shared::ALL.iter().map(|v| v.text_key()));
        for lang in [Lang::Nl, Lang::En] {
            let texts = Texts::new(lang);
            for key in &keys {
                assert_ne!(texts.t(key), key, "{lang:?} has no text for {key}");
            }
        }
    }

    #[test]
    fn dates_and_times_are_dutch_in_amsterdam() {
        let t = Texts::new(Lang::Nl);
        // 13:05 UTC on Thursday 3 December 2026 is 14:05 in Amsterdam (winter time).
        let at = Utc.with_ymd_and_hms(2026, 12, 3, 13, 5, 0).single().expect("valid");
        assert_eq!(t.date_short(at), "do 3 dec");
        assert_eq!(t.time(at), "14:05");
        // Summer time: UTC+2.
        let summer = Utc.with_ymd_and_hms(2026, 7, 1, 7, 30, 0).single().expect("valid");
        assert_eq!(t.time(summer), "09:30");
        assert_eq!(Texts::new(Lang::En).date_short(at), "Thu 3 Dec");
    }

    #[test]
    fn durations_read_naturally() {
        let nl = Texts::new(Lang::Nl);
        assert_eq!(nl.duration(Duration::minutes(7)), "7 min");
        assert_eq!(nl.duration(Duration::minutes(65)), "1 u 05");
        assert_eq!(Texts::new(Lang::En).duration(Duration::minutes(125)), "2 h 05");
        assert_eq!(nl.duration(Duration::minutes(-3)), "0 min");
    }
}
