//! The coordinator's look at the access log: the rows of one file, one user, a period or some
//! events, newest first. A fixed number of queries whatever the number of rows: the file number
//! and the user's name are looked up once, then one `SELECT` reads the rows (by the indexes on
//! `(couple_id, id)`, `(user_id, id)` or `at`).

use chrono::{DateTime, Duration, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

use super::access_log::{LOG_COLUMNS, entry_from_row, log};
use super::report::start_of;
use super::users::{require_coordinator, same_name};
use super::{Result, Store, StoreError, to_sql_time};
use crate::domain::access::{AccessEvent, LogEntry, LogFilter};
use crate::domain::user::User;

/// Which rows belong to the file asked for.
enum FileScope {
    /// The couple's rows, by its id.
    Couple(i64),
    /// A couple no longer in the database (erased): its rows by the file number they kept.
    Number(String),
}

/// A filter with its file number and user's name looked up.
struct Resolved {
    file: Option<FileScope>,
    users: Vec<i64>,
}

/// Looks up the file number and the user's name; either unknown is an error of its own.
fn resolve(conn: &Connection, filter: &LogFilter) -> Result<Resolved> {
    let file = match filter.file {
        None => None,
        Some(number) => {
            let couple: Option<i64> = conn
                .query_row(
                    "SELECT id FROM couples WHERE file_year = ?1 AND file_seq = ?2",
                    [i64::from(number.year), i64::from(number.seq)],
                    |r| r.get(0),
                )
                .optional()?;
            match couple {
                Some(id) => Some(FileScope::Couple(id)),
                None => {
                    let text = number.to_string();
                    let logged: Option<i64> = conn
                        .query_row("SELECT 1 FROM access_log WHERE file_number = ?1 LIMIT 1", [&text], |r| {
                            r.get(0)
                        })
                        .optional()?;
                    logged.ok_or(StoreError::UnknownFile)?;
                    Some(FileScope::Number(text))
                }
            }
        }
    };
    let users = match &filter.user {
        None => Vec::new(),
        Some(name) => {
            // Also users deactivated since: their rows stay theirs. A name used again after a
            // deactivation finds both.
            let mut stmt = conn.prepare_cached("SELECT id, name FROM users ORDER BY id")?;
            let ids: Vec<i64> = stmt
                .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?
                .into_iter()
                .filter(|(_, other)| same_name(other, name))
                .map(|(id, _)| id)
                .collect();
            if ids.is_empty() {
                return Err(StoreError::UnknownUser);
            }
            ids
        }
    };
    Ok(Resolved { file, users })
}

/// The first instant after a desk day.
fn end_of(day: chrono::NaiveDate) -> DateTime<Utc> {
    start_of(day + Duration::days(1))
}

/// One `SELECT` for the rows a resolved filter chooses, newest first.
fn select(
    conn: &Connection,
    filter: &LogFilter,
    resolved: &Resolved,
    limit: Option<usize>,
    offset: usize,
) -> Result<Vec<LogEntry>> {
    let mut clauses: Vec<String> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let mut add = |clause: &str, new: Vec<Value>| {
        let marks: Vec<String> = (0..new.len()).map(|i| format!("?{}", values.len() + i + 1)).collect();
        clauses.push(clause.replace("{}", &marks.join(", ")));
        values.extend(new);
    };
    match &resolved.file {
        Some(FileScope::Couple(id)) => add("couple_id = {}", vec![Value::Integer(*id)]),
        Some(FileScope::Number(text)) => add("file_number = {}", vec![Value::Text(text.clone())]),
        None => {}
    }
    if !resolved.users.is_empty() {
        add("user_id IN ({})", resolved.users.iter().map(|id| Value::Integer(*id)).collect());
    }
    if let Some(from) = filter.from {
        add("at >= {}", vec![Value::Text(to_sql_time(start_of(from)))]);
    }
    if let Some(to) = filter.to {
        add("at < {}", vec![Value::Text(to_sql_time(end_of(to)))]);
    }
    if !filter.events.is_empty() {
        add("event IN ({})", filter.events.iter().map(|e| Value::Text(e.code().to_owned())).collect());
    }
    let mut sql = format!("SELECT {LOG_COLUMNS} FROM access_log");
    if !clauses.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&clauses.join(" AND "));
    }
    // The id is the order of writing; times can repeat within a second.
    sql.push_str(" ORDER BY id DESC");
    let limit = limit.map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
    let offset = i64::try_from(offset).unwrap_or(i64::MAX);
    sql.push_str(&format!(" LIMIT {limit} OFFSET {offset}"));
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(values), entry_from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

impl Store {
    /// The log rows `filter` chooses, newest first: at most `limit` (all with `None`), skipping
    /// the first `offset`. A file number or a user's name that the database does not know is
    /// [`StoreError::UnknownFile`] or [`StoreError::UnknownUser`]. Reads only: see
    /// [`Store::audit_log`] for a coordinator's look, which is logged.
    pub fn log_query(
        &self,
        filter: &LogFilter,
        limit: Option<usize>,
        offset: usize,
    ) -> Result<Vec<LogEntry>> {
        let resolved = resolve(&self.conn, filter)?;
        select(&self.conn, filter, &resolved, limit, offset)
    }

    /// A coordinator's look at the log (the screen or `loket audit`): refused unless `by` is an
    /// active coordinator as the database says; the rows are read and the look itself is logged
    /// ([`AccessEvent::Audit`], the filter in codes, the file's couple when one is asked for) in
    /// one transaction, so nothing is seen that was not logged. The look's own row is not among
    /// the rows it returns.
    pub fn audit_log(
        &mut self,
        by: &User,
        filter: &LogFilter,
        limit: Option<usize>,
        offset: usize,
        now: DateTime<Utc>,
    ) -> Result<Vec<LogEntry>> {
        self.write(|tx| {
            require_coordinator(tx, by)?;
            let resolved = resolve(tx, filter)?;
            let rows = select(tx, filter, &resolved, limit, offset)?;
            let couple = match resolved.file {
                Some(FileScope::Couple(id)) => Some(id),
                _ => None,
            };
            log(tx, now, AccessEvent::Audit, Some(by), couple, &filter.codes(&resolved.users))?;
            Ok(rows)
        })
    }
}
