//! Keeping the data safe: an online backup, and a check of the file.

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;

use super::{Result, Store, StoreError, create_private_file};

/// What `loket check` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    pub schema_version: i64,
    /// The lines `PRAGMA integrity_check` gave other than "ok".
    pub integrity: Vec<String>,
    /// Rows whose foreign key points nowhere: (table, rowid).
    pub foreign_keys: Vec<(String, i64)>,
    /// The first row of the access log whose hash chain breaks (changed, removed, inserted).
    pub log_broken_at: Option<i64>,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.integrity.is_empty() && self.foreign_keys.is_empty() && self.log_broken_at.is_none()
    }
}

impl Store {
    /// Copies the database to `target` with SQLite's online backup API, while others may go on
    /// writing. The copy is made beside the target (owner-only), checked, and only then given the
    /// target's name with a hard link, which cannot replace: a name taken before or meanwhile (a
    /// file, a link, another backup) is refused with `AlreadyExists` and left as it is.
    pub fn backup(&self, target: &Path) -> Result<()> {
        if target.symlink_metadata().is_ok() {
            return Err(StoreError::Io(std::io::ErrorKind::AlreadyExists));
        }
        // A name of our own beside the target: no other file is ever touched.
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let partial = target.with_file_name(format!(".{name}.loket-backup-{}", std::process::id()));
        create_private_file(&partial)?;
        let result = (|| -> Result<()> {
            let mut copy = Connection::open(&partial)?;
            // An encrypted database is copied encrypted, under the same key and with the same salt
            // (the file's first 16 bytes), so that the slots beside the original open the copy too.
            let salted = match &self.key {
                Some(key) => {
                    let salt =
                        crate::keys::database_id_of(&self.path).map_err(|_| StoreError::NotADatabase)?;
                    Some(crate::keys::salted_pragma(key, &salt))
                }
                None => None,
            };
            super::apply_key(&copy, salted.as_ref())?;
            {
                // All pages in one step: a copy made in small steps starts over whenever another
                // desk saves in between, and could go on for ever at a busy desk.
                let backup = rusqlite::backup::Backup::new(&self.conn, &mut copy)?;
                loop {
                    match backup.step(-1)? {
                        rusqlite::backup::StepResult::Done => break,
                        _ => std::thread::sleep(Duration::from_millis(10)),
                    }
                }
            }
            let ok: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
            if ok != "ok" {
                return Err(StoreError::Corrupt);
            }
            copy.pragma_update(None, "journal_mode", "DELETE")?;
            drop(copy);
            crate::files::place_new(&partial, target).map_err(|e| StoreError::Io(e.kind()))
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        result
    }

    /// Limits how many pages the database may grow to, on this connection: to simulate a full disk.
    pub fn set_max_pages(&self, pages: u64) -> Result<()> {
        self.conn.pragma_update(None, "max_page_count", i64::try_from(pages).unwrap_or(i64::MAX))?;
        Ok(())
    }
}

/// Checks a database file without changing it: integrity, foreign keys, schema version. Only a
/// loket database of a schema this program knows passes: anything but a regular file, an empty
/// file, another program's database (schema version 0) and a newer schema are refused.
pub fn check(path: &Path, access: super::Access<'_>) -> Result<CheckReport> {
    let meta = super::regular_or_missing(path)?.ok_or(StoreError::Io(std::io::ErrorKind::NotFound))?;
    if meta.len() == 0 {
        return Err(StoreError::Empty);
    }
    let key = access.pragma();
    super::prepare_existing(path, key.is_some())?;
    let conn = super::open_read_only(path, key.as_ref())?;
    conn.busy_timeout(super::BUSY_TIMEOUT)?;
    let schema_version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if schema_version > super::SCHEMA_VERSION {
        return Err(StoreError::NewerSchema { found: schema_version, supported: super::SCHEMA_VERSION });
    }
    if schema_version == 0 {
        return Err(StoreError::NotADatabase);
    }
    if schema_version < 0 {
        return Err(StoreError::BadSchema);
    }
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let integrity: Vec<String> = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter(|line| line != "ok")
        .collect();
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let foreign_keys = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?.unwrap_or(0))))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // A file from before the log (a schema older than 8, read-only) has no chain to check.
    let has_log: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'access_log')",
        [],
        |r| r.get(0),
    )?;
    let log_broken_at = if has_log { super::access_log::first_broken(&conn)? } else { None };
    Ok(CheckReport { schema_version, integrity, foreign_keys, log_broken_at })
}

/// Writes an encrypted copy of the plain database at `from` to `to` (a new file, owner-only) under
/// `key`, through SQLCipher's export, and checks it. The plain file's write-ahead log is emptied
/// into it first, so that the copy holds every save and the log can go.
pub fn encrypt_copy(from: &Path, to: &Path, key: &crate::keys::DbKey) -> Result<()> {
    let conn = Connection::open(from)?;
    conn.busy_timeout(super::BUSY_TIMEOUT)?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    super::create_private_file(to)?;
    let result = (|| -> Result<()> {
        let target = to.to_str().ok_or(StoreError::Io(std::io::ErrorKind::InvalidInput))?;
        conn.execute(
            "ATTACH DATABASE ?1 AS encrypted KEY ?2",
            rusqlite::params![target, key.sqlcipher_pragma().as_str()],
        )?;
        conn.query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
        conn.execute_batch(&format!(
            "PRAGMA encrypted.user_version = {version}; DETACH DATABASE encrypted;"
        ))?;
        let report = check(to, super::Access::Key(key))?;
        if report.is_ok() && report.schema_version == version { Ok(()) } else { Err(StoreError::Corrupt) }
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(to);
    }
    result
}
