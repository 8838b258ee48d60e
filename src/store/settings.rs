//! The desk's settings: one row per key in `settings` (migration 0010), read with a typed
//! accessor per setting and changed by a coordinator only, each change in the access log.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StoreError, to_sql_time};
use crate::domain::access::AccessEvent;
use crate::domain::settings::{ClosedDays, Setting, closed_days_key, days_code, days_from_code};
use crate::domain::user::User;

/// A setting's stored value, or its default when the table holds none; a stored value that is
/// not one the setting may take is damage.
fn read(conn: &rusqlite::Connection, setting: Setting) -> Result<u32> {
    let stored: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([setting.code()], |r| r.get(0))
        .optional()?;
    match stored {
        None => Ok(setting.default_value()),
        Some(text) => setting.parse(&text).map_err(|_| StoreError::Corrupt),
    }
}

impl Store {
    /// A setting's value (its default when none was stored).
    pub fn setting(&self, setting: Setting) -> Result<u32> {
        read(&self.conn, setting)
    }

    /// The retention term in years: files closed longer ago are due for erasure.
    pub fn retention_years(&self) -> Result<u32> {
        self.setting(Setting::RetentionYears)
    }

    /// Changes a setting to the typed `value`; an active coordinator only (as the database says).
    /// A value the setting may not take is refused ([`StoreError::Setting`]) and nothing changes.
    /// The change is logged with the old and the new value ("retention_years: 5 -> 7").
    pub fn set_setting(
        &mut self,
        setting: Setting,
        value: &str,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<u32> {
        let new = setting.parse(value).map_err(StoreError::Setting)?;
        self.write(|tx| {
            super::users::require_coordinator(tx, by)?;
            let old = read(tx, setting)?;
            if old == new {
                return Ok(new);
            }
            tx.execute(
                "INSERT INTO settings (key, value, changed_at, changed_by) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, changed_at = excluded.changed_at,
                    changed_by = excluded.changed_by",
                params![setting.code(), new.to_string(), to_sql_time(now), by.id],
            )?;
            let detail = format!("{}: {old} -> {new}", setting.code());
            super::access_log::log(tx, now, AccessEvent::SettingsChanged, Some(by), None, &detail)?;
            Ok(new)
        })
    }
}

/// Every list of closed days: the desk's and each counsellor's days off. A damaged list is damage.
pub(super) fn read_closed_days(conn: &rusqlite::Connection) -> Result<ClosedDays> {
    let mut stmt = conn.prepare_cached(
        "SELECT key, value FROM settings WHERE key = 'closed_days' OR key LIKE 'days_off:%' ORDER BY key",
    )?;
    let rows: Vec<(String, String)> =
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
    let mut closed = ClosedDays::default();
    for (key, value) in rows {
        let days = days_from_code(&value).ok_or(StoreError::Corrupt)?;
        match key.strip_prefix("days_off:") {
            Some(id) => {
                closed.off.insert(id.parse().map_err(|_| StoreError::Corrupt)?, days);
            }
            None => closed.desk = days,
        }
    }
    Ok(closed)
}

impl Store {
    /// The desk's closed days and the counsellors' days off.
    pub fn closed_days(&self) -> Result<ClosedDays> {
        read_closed_days(&self.conn)
    }

    /// Sets the closed days from `today` on, of the desk (`counsellor` None) or a counsellor's
    /// days off; the days before `today` stay as they were. An active coordinator only; the
    /// change is logged with the number of days ("closed_days: 2 -> 5 days").
    pub fn set_closed_days(
        &mut self,
        counsellor: Option<i64>,
        days: &BTreeSet<NaiveDate>,
        today: NaiveDate,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let key = closed_days_key(counsellor);
        self.write(|tx| {
            super::users::require_coordinator(tx, by)?;
            let all = read_closed_days(tx)?;
            let old = match counsellor {
                None => all.desk,
                Some(id) => all.off.get(&id).cloned().unwrap_or_default(),
            };
            let new: BTreeSet<NaiveDate> = old
                .iter()
                .filter(|d| **d < today)
                .chain(days.iter().filter(|d| **d >= today))
                .copied()
                .collect();
            if new == old {
                return Ok(());
            }
            tx.execute(
                "INSERT INTO settings (key, value, changed_at, changed_by) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, changed_at = excluded.changed_at,
                    changed_by = excluded.changed_by",
                params![key, days_code(&new), to_sql_time(now), by.id],
            )?;
            let detail = format!("{key}: {} -> {} days", old.len(), new.len());
            super::access_log::log(tx, now, AccessEvent::SettingsChanged, Some(by), None, &detail)
        })
    }
}
