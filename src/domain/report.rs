//! The council's figures for a period: what the desk counts, how small numbers are suppressed in
//! what leaves the desk, and the shares computed from them.

use chrono::NaiveDate;

/// Counts from 1 to this are shown as "<5" outside the desk.
pub const SUPPRESS_BELOW: u64 = 5;

/// A reporting period, both days included (the desk's local days).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The period as the access log keeps it: "2026-01-01..2026-06-30".
    pub fn code(&self) -> String {
        format!("{}..{}", self.from, self.to)
    }
}

/// One value of the report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Count(u64),
    /// A share: `part` of `whole`.
    Share {
        part: u64,
        whole: u64,
    },
    /// Hours, derived from `count` conversations.
    Hours {
        hours: f64,
        count: u64,
    },
    /// Euros, derived from `count` conversations.
    Euros {
        euros: f64,
        count: u64,
    },
    /// A mean over `n` people (None when there is no one to average).
    Mean {
        mean: Option<f64>,
        n: u64,
    },
}

/// A figure: its group (a section of the report), its key, and its value. Group and key are stable
/// codes (the CSV and JSON use them); the screen and the text output show labels from the text files.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub group: &'static str,
    pub key: String,
    pub value: Value,
}

impl Figure {
    pub fn new(group: &'static str, key: impl Into<String>, value: Value) -> Self {
        Figure { group, key: key.into(), value }
    }
}

/// A value as it may leave the desk: suppressed, hidden, or shown.
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    Number(String),
    /// A small count: "<5".
    Suppressed,
    /// A share, hours or a mean computed from a suppressed count: left out.
    Hidden,
}

fn small(n: u64) -> bool {
    n > 0 && n < SUPPRESS_BELOW
}

/// How a value is written: with `exact` (inside the desk) always the number; otherwise counts of
/// 1 to 4 become "<5" and what is computed from them is hidden. Decimals use `comma` (Dutch) or a point.
pub fn show(value: Value, exact: bool, comma: bool) -> Shown {
    let decimal = |x: f64, places: usize| {
        let s = format!("{x:.places$}");
        if comma { s.replace('.', ",") } else { s }
    };
    match value {
        Value::Count(n) if !exact && small(n) => Shown::Suppressed,
        Value::Count(n) => Shown::Number(n.to_string()),
        Value::Share { part, whole } if !exact && (small(part) || small(whole)) => Shown::Hidden,
        Value::Share { whole: 0, .. } => Shown::Hidden,
        Value::Share { part, whole } => {
            Shown::Number(format!("{}%", decimal(part as f64 * 100.0 / whole as f64, 0)))
        }
        Value::Hours { count, .. } | Value::Euros { count, .. } if !exact && small(count) => Shown::Hidden,
        Value::Hours { hours, .. } => Shown::Number(decimal(hours, 1)),
        Value::Euros { euros, .. } => Shown::Number(decimal(euros, 2)),
        Value::Mean { n, .. } if !exact && small(n) => Shown::Hidden,
        Value::Mean { mean: None, .. } => Shown::Hidden,
        Value::Mean { mean: Some(m), .. } => {
            Shown::Number(if m > 0.0 { format!("+{}", decimal(m, 1)) } else { decimal(m, 1) })
        }
    }
}

impl Shown {
    pub fn text(&self) -> String {
        match self {
            Shown::Number(s) => s.clone(),
            Shown::Suppressed => "<5".to_owned(),
            Shown::Hidden => "–".to_owned(),
        }
    }
}

/// The mean change from the first to the last score, over those with both.
pub fn mean_change(pairs: &[(u8, u8)]) -> Value {
    let n = pairs.len() as u64;
    let mean =
        (n > 0).then(|| pairs.iter().map(|(a, b)| f64::from(*b) - f64::from(*a)).sum::<f64>() / n as f64);
    Value::Mean { mean, n }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_suppressed_outside_the_desk() {
        assert_eq!(show(Value::Count(4), false, true), Shown::Suppressed);
        assert_eq!(show(Value::Count(1), false, true), Shown::Suppressed);
        assert_eq!(show(Value::Count(0), false, true), Shown::Number("0".into()));
        assert_eq!(show(Value::Count(5), false, true), Shown::Number("5".into()));
        assert_eq!(show(Value::Count(4), true, true), Shown::Number("4".into()));
    }

    #[test]
    fn shares_from_small_counts_are_hidden() {
        assert_eq!(show(Value::Share { part: 9, whole: 12 }, false, true), Shown::Number("75%".into()));
        assert_eq!(show(Value::Share { part: 3, whole: 12 }, false, true), Shown::Hidden);
        assert_eq!(show(Value::Share { part: 3, whole: 12 }, true, true), Shown::Number("25%".into()));
        assert_eq!(show(Value::Share { part: 0, whole: 0 }, true, true), Shown::Hidden);
    }

    #[test]
    fn derived_values_follow_their_count() {
        assert_eq!(show(Value::Hours { hours: 4.5, count: 3 }, false, true), Shown::Hidden);
        assert_eq!(show(Value::Hours { hours: 10.5, count: 7 }, false, true), Shown::Number("10,5".into()));
        assert_eq!(
            show(Value::Euros { euros: 1400.0, count: 7 }, false, false),
            Shown::Number("1400.00".into())
        );
        assert_eq!(show(mean_change(&[(4, 7), (5, 6)]), true, true), Shown::Number("+2,0".into()));
        assert_eq!(show(mean_change(&[(4, 7), (5, 6)]), false, true), Shown::Hidden);
        assert_eq!(show(mean_change(&[]), true, true), Shown::Hidden);
        assert_eq!(Shown::Suppressed.text(), "<5");
    }
}
