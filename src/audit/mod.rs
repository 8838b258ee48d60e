//! `loket audit`: a coordinator's look at the access log on the command line, as aligned text,
//! CSV or JSON. The filter is checked before anyone is signed in; the look itself is logged (as
//! on the log screen) in the same transaction that reads the rows.

pub mod words;

use std::path::Path;

use chrono::Utc;
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::cli::{Cli, CliError, ReportFormat};
use crate::config::Config;
use crate::domain::access::{AccessEvent, LogEntry, LogFilter};
use crate::domain::couple::FileNumber;
use crate::domain::dates::parse_date;
use crate::domain::user::Role;
use crate::errors;
use crate::i18n::Texts;

/// What `loket audit` was asked, as typed.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub file: Option<&'a str>,
    /// The user whose doings are asked for (`--by`; `--user` is who asks).
    pub by: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub events: &'a [String],
    pub format: ReportFormat,
}

/// The filter a request asks for, or one line saying what is wrong with it.
pub fn filter_of(request: &Request<'_>, texts: &Texts) -> Result<LogFilter, CliError> {
    let today = crate::domain::walkin::desk_day(Utc::now());
    let file = match request.file {
        None => None,
        Some(raw) => Some(
            FileNumber::parse(raw)
                .ok_or_else(|| CliError(texts.f("cli.audit_bad_file", &[("file", &raw.trim())])))?,
        ),
    };
    let day = |raw: Option<&str>| match raw {
        None => Ok(None),
        Some(raw) => parse_date(raw, today).map(Some).map_err(|p| {
            CliError(texts.f("cli.bad_date", &[("date", &raw), ("reason", &texts.t(p.text_key()))]))
        }),
    };
    let mut events = Vec::new();
    for code in request.events {
        let event = AccessEvent::from_code(code.trim()).ok_or_else(|| {
            let known: Vec<&str> = AccessEvent::ALL.iter().map(|e| e.code()).collect();
            CliError(texts.f("cli.audit_bad_event", &[("code", code), ("known", &known.join(", "))]))
        })?;
        if !events.contains(&event) {
            events.push(event);
        }
    }
    let filter = LogFilter {
        file,
        user: request.by.map(|n| n.trim().to_owned()),
        from: day(request.from)?,
        to: day(request.to)?,
        events,
    };
    if !filter.period_ok() {
        return Err(CliError(texts.t("cli.bad_period").to_owned()));
    }
    Ok(filter)
}

/// Runs `loket audit`: checks the filter, signs the coordinator of `--user` in, reads and logs.
pub fn run(
    cli: &Cli,
    path: &Path,
    texts: &Texts,
    config: &Config,
    request: &Request<'_>,
) -> Result<String, CliError> {
    let filter = filter_of(request, texts)?;
    let (mut store, user) = crate::access::open_signed_in(cli, path, texts, |u| u.has(Role::Coordinator))?;
    let rows = store
        .audit_log(&user, &filter, None, 0, Utc::now())
        .map_err(|e| CliError(errors::store_error_text(texts, &e)))?;
    match request.format {
        ReportFormat::Text => Ok(text(&rows, texts, config)),
        ReportFormat::Csv => {
            csv(&rows, texts, config).map_err(|_| CliError(texts.t("cli.audit_failed").to_owned()))
        }
        ReportFormat::Json => {
            json(&rows, &filter, texts, config).map_err(|_| CliError(texts.t("cli.audit_failed").to_owned()))
        }
    }
}

/// One row as the command line writes it: stored codes beside their words.
#[derive(Serialize)]
struct Row {
    id: i64,
    /// As stored: UTC, ISO 8601.
    at: String,
    /// At the desk: "02-12-2026 09:30".
    local: String,
    event: String,
    event_text: String,
    user: String,
    roles: String,
    roles_text: String,
    on_behalf: String,
    file: String,
    partner: Option<i64>,
    detail: String,
    detail_text: String,
    workstation: String,
}

fn row(e: &LogEntry, texts: &Texts, config: &Config) -> Row {
    Row {
        id: e.id,
        at: e.at.clone(),
        local: words::when_text(&e.at),
        event: e.event.clone(),
        event_text: words::event_text(texts, &e.event),
        user: e.user_name.clone(),
        roles: e.user_roles.clone(),
        roles_text: words::roles_text(texts, &e.user_roles),
        on_behalf: e.on_behalf.clone(),
        file: e.file_number.clone(),
        partner: e.partner,
        detail: e.detail.clone(),
        detail_text: words::detail_text(texts, config, e),
        workstation: e.workstation.clone(),
    }
}

/// Aligned columns with a header in the user's language, newest first; a line when none.
pub fn text(rows: &[LogEntry], texts: &Texts, config: &Config) -> String {
    if rows.is_empty() {
        return format!("{}\n", texts.t("audit.no_rows"));
    }
    let keys = ["when", "what", "who", "role", "behalf", "file", "detail", "place"];
    let header: Vec<String> = keys.iter().map(|k| texts.t(&format!("audit.col_{k}")).to_owned()).collect();
    let mut lines = vec![header];
    for e in rows {
        let r = row(e, texts, config);
        let file = words::file_text(texts, e);
        lines.push(vec![
            r.local,
            r.event_text,
            r.user,
            r.roles_text,
            r.on_behalf,
            file,
            r.detail_text,
            r.workstation,
        ]);
    }
    let widths: Vec<usize> =
        (0..keys.len()).map(|i| lines.iter().map(|l| l[i].width()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for line in &lines {
        let cells: Vec<String> = line
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell}{}", " ".repeat(w - cell.width())))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// CSV with a header of stable codes (the same names as the JSON's fields).
pub fn csv(rows: &[LogEntry], texts: &Texts, config: &Config) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for e in rows {
        w.serialize(row(e, texts, config))?;
    }
    if rows.is_empty() {
        w.write_record([
            "id",
            "at",
            "local",
            "event",
            "event_text",
            "user",
            "roles",
            "roles_text",
            "on_behalf",
            "file",
            "partner",
            "detail",
            "detail_text",
            "workstation",
        ])?;
    }
    crate::csv_cells::finish(w)
}

#[derive(Serialize)]
struct Json {
    filter: JsonFilter,
    rows: Vec<Row>,
}

/// The filter as asked: dates as ISO 8601, events as codes; `null` or empty where not asked.
#[derive(Serialize)]
struct JsonFilter {
    file: Option<String>,
    user: Option<String>,
    from: Option<String>,
    to: Option<String>,
    events: Vec<&'static str>,
}

/// JSON: the filter and the rows, newest first, with stable field names.
pub fn json(
    rows: &[LogEntry],
    filter: &LogFilter,
    texts: &Texts,
    config: &Config,
) -> serde_json::Result<String> {
    let rows = rows.iter().map(|e| row(e, texts, config)).collect();
    let filter = JsonFilter {
        file: filter.file.map(|f| f.to_string()),
        user: filter.user.clone(),
        from: filter.from.map(|d| d.to_string()),
        to: filter.to.map(|d| d.to_string()),
        events: filter.events.iter().map(|e| e.code()).collect(),
    };
    let mut out = serde_json::to_string_pretty(&Json { filter, rows })?;
    out.push('\n');
    Ok(out)
}
