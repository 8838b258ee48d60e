//! The council report as text, CSV or JSON: the same figures as the report pane, with small numbers
//! suppressed unless `exact` is asked for.

use serde::Serialize;

use crate::config::{Config, Lang};
use crate::domain::report::{Figure, Period, Shown, show};
use crate::i18n::Texts;

/// The report's sections, in the order they are shown.
pub const GROUPS: &[&str] = &[
    "walk_ins",
    "request",
    "track",
    "trajectories",
    "budget",
    "outcomes",
    "scores",
    "referrals_in",
    "referrals_out",
    "life_events",
];

/// A figure's label in the user's language.
pub fn label(figure: &Figure, texts: &Texts, config: &Config) -> String {
    let key = match figure.group {
        "request" if !figure.key.ends_with("_share") => format!("request.{}", figure.key),
        "outcomes" => format!("close_outcome.{}", figure.key),
        "referrals_in" => format!("source.{}", figure.key),
        "life_events" => format!("life_event.{}", figure.key),
        "referrals_out" => {
            return config
                .parties
                .iter()
                .find(|p| p.code == figure.key)
                .map_or_else(|| figure.key.clone(), |p| p.name_in(texts.lang()).to_owned());
        }
        _ => format!("report.{}", figure.key),
    };
    texts.t(&key).to_owned()
}

/// The value as it is written: "<5", "–" or the number.
pub fn value_text(figure: &Figure, exact: bool, lang: Lang) -> String {
    show(figure.value, exact, lang == Lang::Nl).text()
}

/// The report for people to read: each label and its value in two columns that line up whatever
/// the labels' letters, euros with their sign as the language writes them ("€ 2.000,00",
/// "€2,000.00").
pub fn text(figures: &[Figure], period: Period, texts: &Texts, config: &Config, exact: bool) -> String {
    use unicode_width::UnicodeWidthStr;
    let format = texts.format();
    let mut out =
        texts.f("report.title", &[("from", &format.date(period.from)), ("to", &format.date(period.to))]);
    out.push('\n');
    if !exact {
        out.push_str(texts.t("report.suppressed_note"));
        out.push('\n');
    }
    let rows: Vec<(&str, String, String)> = figures
        .iter()
        .map(|fig| {
            let value = match (fig.value, show(fig.value, exact, format.decimal_comma())) {
                (crate::domain::report::Value::Euros { euros, .. }, Shown::Number(_)) => format.euros(euros),
                (_, shown) => shown.text(),
            };
            (fig.group, label(fig, texts, config), value)
        })
        .collect();
    let label_width = rows.iter().map(|(_, l, _)| l.width()).max().unwrap_or(0).max(44);
    let value_width = rows.iter().map(|(_, _, v)| v.width()).max().unwrap_or(0).max(10);
    for group in GROUPS {
        out.push('\n');
        out.push_str(texts.t(&format!("report.group_{group}")));
        out.push('\n');
        for (_, label, value) in rows.iter().filter(|(g, _, _)| g == group) {
            let gap = " ".repeat(label_width - label.width() + 1 + value_width - value.width());
            out.push_str(&format!("  {label}{gap}{value}\n"));
        }
    }
    out
}

/// CSV with a header: group, key, label, value (the value as shown, so "<5" where suppressed).
pub fn csv(figures: &[Figure], texts: &Texts, config: &Config, exact: bool) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["group", "key", "label", "value"])?;
    for fig in figures {
        w.write_record([fig.group, &fig.key, &label(fig, texts, config), &value_text(fig, exact, Lang::En)])?;
    }
    crate::csv_cells::finish(w)
}

#[derive(Serialize)]
struct JsonReport<'a> {
    from: String,
    to: String,
    exact: bool,
    figures: Vec<JsonFigure<'a>>,
}

#[derive(Serialize)]
struct JsonFigure<'a> {
    group: &'a str,
    key: &'a str,
    label: String,
    /// The value as shown ("<5" where suppressed, null where hidden), numbers as numbers.
    value: serde_json::Value,
}

pub fn json(figures: &[Figure], period: Period, texts: &Texts, config: &Config, exact: bool) -> String {
    let figures = figures
        .iter()
        .map(|fig| {
            let value = match show(fig.value, exact, false) {
                Shown::Suppressed => serde_json::Value::String("<5".to_owned()),
                Shown::Hidden => serde_json::Value::Null,
                Shown::Number(s) => match s.trim_end_matches('%').parse::<f64>() {
                    Ok(n) if s.ends_with('%') => serde_json::json!({ "percent": n }),
                    Ok(n) if n.fract() == 0.0 && !s.contains('.') => serde_json::json!(n as i64),
                    Ok(n) => serde_json::json!(n),
                    Err(_) => serde_json::Value::String(s),
                },
            };
            JsonFigure { group: fig.group, key: &fig.key, label: label(fig, texts, config), value }
        })
        .collect();
    let report = JsonReport { from: period.from.to_string(), to: period.to.to_string(), exact, figures };
    serde_json::to_string_pretty(&report).unwrap_or_default()
}
