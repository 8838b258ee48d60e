//! The open database's key, kept while the app runs, and the key slots beside the database:
//! a slot is added when a user gets a (new) password, and removed when a user is deactivated.

use std::path::PathBuf;

use crate::domain::user::User;
use crate::keys::{DbKey, KeyError, SlotFile, database_id_of, slots_path};

pub struct KeyRing {
    key: DbKey,
    db: PathBuf,
}

impl KeyRing {
    pub fn new(key: DbKey, db: PathBuf) -> Self {
        KeyRing { key, db }
    }

    fn load(&self) -> Result<SlotFile, KeyError> {
        let id = database_id_of(&self.db)?;
        match SlotFile::load(&slots_path(&self.db)) {
            Ok(slots) if slots.database_id() == id => Ok(slots),
            // Another database's slots (a copied file): this database's own start afresh.
            Ok(_) => Ok(SlotFile::new(id)),
            // None yet (a new file, or the slots were lost and the recovery key opened it).
            Err(KeyError::Missing) => Ok(SlotFile::new(id)),
            Err(e) => Err(e),
        }
    }

    /// Gives `user` a slot that opens the database with `password` (or wraps theirs anew).
    pub fn set_slot(&self, user: &User, password: &str) -> Result<(), KeyError> {
        let mut slots = self.load()?;
        slots.add(user.id, &user.name, password, &self.key)?;
        slots.save(&slots_path(&self.db))
    }

    /// Whether `user` has a slot.
    pub fn has_slot(&self, user: i64) -> bool {
        self.load().is_ok_and(|s| s.has_slot(user))
    }

    /// The gate shows `user`'s new name.
    pub fn rename_slot(&self, user: i64, name: &str) -> Result<(), KeyError> {
        let mut slots = self.load()?;
        slots.rename(user, name);
        slots.save(&slots_path(&self.db))
    }

    /// Takes `user`'s slot away: their password no longer opens the database.
    pub fn remove_slot(&self, user: i64) -> Result<(), KeyError> {
        let mut slots = self.load()?;
        slots.remove(user);
        slots.save(&slots_path(&self.db))
    }

    /// The recovery key, to be shown once when the file is made.
    pub fn recovery_text(&self) -> zeroize::Zeroizing<String> {
        self.key.recovery_text()
    }
}
