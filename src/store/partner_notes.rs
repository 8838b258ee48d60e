//! A private note per partner (what one partner tells alone): counsellors read and write it; it is
//! shown with the partner's mark and given to no one else.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::files::bump_version;
use super::timeline::file_event;
use super::{Result, Store, StoreError};
use crate::domain::file::PrivateNote;
use crate::domain::user::{Role, User};

impl Store {
    /// Saves the private note of partner `position` of a file last read at `version`. Counsellors
    /// only; a partner the file does not have is refused and nothing is saved.
    pub fn save_private_note(
        &mut self,
        couple: i64,
        position: u8,
        version: i64,
        text: &str,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !user.may(Role::reads_notes) {
            return Err(StoreError::NotAllowed);
        }
        self.write(|tx| {
            bump_version(tx, couple, version)?;
            let changed = tx.execute(
                "UPDATE partners SET private_note = ?3 WHERE couple_id = ?1 AND position = ?2",
                params![couple, position, text],
            )?;
            if changed != 1 {
                return Err(StoreError::NotFound);
            }
            // The timeline and the log say whose note changed, never what it says.
            file_event(tx, couple, now, user, "private_note", &position.to_string())
        })
    }

    /// The partners' private notes that are not empty, by position; none for a role that may not
    /// read notes (they are not even selected then).
    pub(super) fn private_notes(&self, couple: i64, viewer: &User) -> Result<Vec<PrivateNote>> {
        if !viewer.may(Role::reads_notes) {
            return Ok(Vec::new());
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT position, private_note FROM partners WHERE couple_id = ?1 AND private_note <> ''
             ORDER BY position",
        )?;
        let rows = stmt.query_map([couple], |r| Ok(PrivateNote { position: r.get(0)?, text: r.get(1)? }))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
