//! The desk's settings: one row per key in `settings` (migration 0010), read with a typed
//! accessor per setting and changed by a coordinator only, each change in the access log.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Result, Store, StoreError, to_sql_time};
use crate::domain::access::AccessEvent;
use crate::domain::settings::Setting;
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
