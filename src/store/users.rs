//! The desk's users and their roles.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::{Result, Store, StoreError, to_sql_time};
use crate::domain::user::{Role, User};

fn user_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, String, String)> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
}

fn into_user((id, name, role): (i64, String, String)) -> Result<User> {
    let role = Role::from_code(&role).ok_or(StoreError::Corrupt)?;
    Ok(User { id, name, role })
}

impl Store {
    /// Active users, sorted by name.
    pub fn users(&self) -> Result<Vec<User>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, role FROM users WHERE active = 1 ORDER BY name COLLATE NOCASE, id",
        )?;
        let rows = stmt.query_map([], user_from_row)?;
        rows.map(|r| into_user(r?)).collect()
    }

    /// Active counsellors: the people a walk-in can be handed to.
    pub fn counsellors(&self) -> Result<Vec<User>> {
        Ok(self.users()?.into_iter().filter(|u| u.role.holds_conversations()).collect())
    }

    /// Adds a user. `name` must already be cleaned (see `domain::text`).
    pub fn add_user(&mut self, name: &str, role: Role, now: DateTime<Utc>) -> Result<User> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO users (name, role, created_at) VALUES (?1, ?2, ?3)",
                params![name, role.code(), to_sql_time(now)],
            )?;
            Ok(User { id: tx.last_insert_rowid(), name: name.to_owned(), role })
        })
    }
}
