//! Encryption at rest: SQLCipher keys each connection with the database's raw key before it reads
//! a page. A plain file (tests, the demo, `--plain`) has no key.

use rusqlite::Connection;

use super::{Result, StoreError};

/// How a file is read: encrypted with SQLCipher under a key (the desk's files), or as plain
/// SQLite (tests, the demo, and `--plain`).
#[derive(Clone, Copy)]
pub enum Access<'a> {
    Plain,
    Key(&'a crate::keys::DbKey),
}

impl Access<'_> {
    pub(super) fn pragma(self) -> Option<zeroize::Zeroizing<String>> {
        match self {
            Access::Plain => None,
            Access::Key(key) => Some(key.sqlcipher_pragma()),
        }
    }
}

/// Keys a new connection: SQLCipher says nothing on its own (no log), and every page is read and
/// written with the key. A wrong key is found at the first read.
pub(super) fn apply_key(conn: &Connection, key: Option<&zeroize::Zeroizing<String>>) -> Result<()> {
    let Some(key) = key else { return Ok(()) };
    // Older SQLCipher builds do not know the log pragma: then there is no log to silence.
    let _ = conn.pragma_update(None, "cipher_log_level", "NONE");
    conn.execute_batch(&zeroize::Zeroizing::new(format!("PRAGMA key = \"{}\";", key.as_str())))?;
    // A wrong key (or a file that is not ours) shows here, before anything writes.
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))
        .map_err(|_| StoreError::WrongKey)?;
    Ok(())
}
