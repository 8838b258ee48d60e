//! The access log: one append-only row per event, chained by hashes (see migration 0008 and
//! `domain::access`). Rows are written inside the transaction of what they record, so an event
//! and its log row are saved together or not at all.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::{Result, Store, to_sql_time};
use crate::domain::access::{AccessEvent, GENESIS, LogEntry, chain_hash};
use crate::domain::couple::FileNumber;
use crate::domain::user::User;

/// The columns of a log row, in the order the chain hashes them.
pub(super) const LOG_COLUMNS: &str = "id, at, event, user_id, user_name, user_roles, couple_id, file_number, detail, workstation, on_behalf, partner";

pub(super) fn entry_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<LogEntry> {
    Ok(LogEntry {
        id: row.get(0)?,
        at: row.get(1)?,
        event: row.get(2)?,
        user_id: row.get(3)?,
        user_name: row.get(4)?,
        user_roles: row.get(5)?,
        couple_id: row.get(6)?,
        file_number: row.get(7)?,
        detail: row.get(8)?,
        workstation: row.get(9)?,
        on_behalf: row.get(10)?,
        partner: row.get(11)?,
    })
}

/// Where loket runs: the operating system's user and the host's name ("ria@balie-pc").
pub fn workstation() -> &'static str {
    static HERE: OnceLock<String> = OnceLock::new();
    HERE.get_or_init(|| {
        let user = std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).unwrap_or_else(|_| "?".into());
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .or_else(|_| std::fs::read_to_string("/etc/hostname"))
            .map(|h| h.trim().to_owned())
            .unwrap_or_else(|_| "?".into());
        format!("{user}@{host}")
    })
}

/// What one log row says, beyond the user and the time: the client and the detail.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct About<'a> {
    pub couple: Option<i64>,
    /// The partner (1 or 2) the event concerns, where it concerns one.
    pub partner: Option<u8>,
    /// The name of the user on whose behalf this one acted, where it differs.
    pub on_behalf: &'a str,
    pub detail: &'a str,
}

/// Appends one event to the log, chained to the row before it.
pub(super) fn log(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    event: AccessEvent,
    user: Option<&User>,
    couple: Option<i64>,
    detail: &str,
) -> Result<()> {
    append(tx, now, event, user, About { couple, detail, ..About::default() })
}

/// Appends one event with all it may say (partner, on whose behalf).
pub(super) fn append(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    event: AccessEvent,
    user: Option<&User>,
    about: About<'_>,
) -> Result<()> {
    let file_number = match about.couple {
        Some(id) => tx
            .query_row("SELECT file_year, file_seq FROM couples WHERE id = ?1", [id], |r| {
                Ok(FileNumber { year: r.get(0)?, seq: r.get(1)? }.to_string())
            })
            .optional()?
            .unwrap_or_default(),
        None => String::new(),
    };
    let (last, prev): (i64, String) = tx
        .query_row("SELECT id, hash FROM access_log ORDER BY id DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?
        .unwrap_or((0, GENESIS.to_owned()));
    let on_behalf = match user {
        Some(u) if u.name == about.on_behalf => "",
        _ => about.on_behalf,
    };
    let entry = LogEntry {
        id: last + 1,
        at: to_sql_time(now),
        event: event.code().to_owned(),
        user_id: user.map(|u| u.id),
        user_name: user.map(|u| u.name.clone()).unwrap_or_default(),
        user_roles: user
            .map(|u| u.roles.iter().map(|r| r.code()).collect::<Vec<_>>().join("+"))
            .unwrap_or_default(),
        couple_id: about.couple,
        file_number,
        detail: about.detail.to_owned(),
        workstation: workstation().to_owned(),
        on_behalf: on_behalf.to_owned(),
        partner: about.partner.map(i64::from),
    };
    insert_entry(tx, &entry, &prev)?;
    Ok(())
}

/// Inserts `entry` chained to the row before it (whose hash is `prev`); returns the entry's hash.
pub(super) fn insert_entry(tx: &Transaction<'_>, entry: &LogEntry, prev: &str) -> Result<String> {
    let hash = chain_hash(prev, entry);
    tx.prepare_cached(&format!(
        "INSERT INTO access_log ({LOG_COLUMNS}, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
    ))?
    .execute(params![
        entry.id,
        entry.at,
        entry.event,
        entry.user_id,
        entry.user_name,
        entry.user_roles,
        entry.couple_id,
        entry.file_number,
        entry.detail,
        entry.workstation,
        entry.on_behalf,
        entry.partner,
        prev,
        hash
    ])?;
    Ok(hash)
}

/// Appends an event by the user with this id (their name and roles as the database has them now).
pub(super) fn log_by_id(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    event: AccessEvent,
    user: Option<i64>,
    couple: Option<i64>,
    detail: &str,
) -> Result<()> {
    let who = match user {
        Some(id) => super::users::user_by_id(tx, id)?,
        None => None,
    };
    log(tx, now, event, who.as_ref(), couple, detail)
}

impl Store {
    /// Records an event that changes nothing else (a search, a backup, an export).
    pub fn log_event(
        &mut self,
        event: AccessEvent,
        user: Option<&User>,
        couple: Option<i64>,
        detail: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| log(tx, now, event, user, couple, detail))
    }

    /// The log of one couple's file, oldest first.
    pub fn log_of_file(&self, couple: i64) -> Result<Vec<LogEntry>> {
        let sql = format!("SELECT {LOG_COLUMNS} FROM access_log WHERE couple_id = ?1 ORDER BY id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([couple], entry_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// The first row whose hash does not follow from its fields and the row before it (a row changed,
/// removed or put in between); `None` when the whole chain holds.
pub(super) fn first_broken(conn: &rusqlite::Connection) -> Result<Option<i64>> {
    let sql = format!("SELECT {LOG_COLUMNS}, prev_hash, hash FROM access_log ORDER BY id");
    let mut stmt = conn.prepare(&sql)?;
    let rows =
        stmt.query_map([], |r| Ok((entry_from_row(r)?, r.get::<_, String>(12)?, r.get::<_, String>(13)?)))?;
    let (mut prev, mut expected_id) = (GENESIS.to_owned(), 1);
    for row in rows {
        let (entry, prev_hash, hash) = row?;
        if entry.id != expected_id || prev_hash != prev || chain_hash(&prev, &entry) != hash {
            return Ok(Some(entry.id));
        }
        prev = hash;
        expected_id += 1;
    }
    Ok(None)
}
