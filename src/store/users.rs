//! The desk's users and their roles.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::rows::code_at;
use super::{Result, Store, to_sql_time};
use crate::domain::user::{Role, User};

/// A user of the desk.
const USER_COLUMNS: &str = "id, name, role";

fn user_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User { id: row.get(0)?, name: row.get(1)?, role: code_at(row, 2, Role::from_code)? })
}

impl Store {
    /// Active users, sorted by name.
    pub fn users(&self) -> Result<Vec<User>> {
        let sql =
            format!("SELECT {USER_COLUMNS} FROM users WHERE active = 1 ORDER BY name COLLATE NOCASE, id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], user_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
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
