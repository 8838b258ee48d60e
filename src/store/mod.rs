//! The SQLite store: the only module that speaks SQL.
//!
//! [`Store::open`] is the one way in: it creates the folder and the file (owner-only),
//! refuses files that are not ours or are newer than this program, sets the pragmas and
//! runs the append-only migrations. Every write is one transaction begun IMMEDIATE.

mod access_log;
mod audit;
mod bookings;
mod bulk;
mod cipher;
mod clash;
mod concerns;
mod couples;
mod erasure;
mod error;
mod files;
mod inzage;
mod partner_notes;
mod path;
mod planner;
mod queue;
mod queue_file;
mod referrals;
mod report;
mod rows;
mod safety;
mod settings;
mod timeline;
mod trajectory_undo;
mod users;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};
use rusqlite_migration::{M, Migrations};

pub use access_log::workstation;
pub use cipher::Access;
use cipher::apply_key;
pub use couples::SHORTLIST;
pub use erasure::Erasure;
pub use error::StoreError;
pub use inzage::ExportFailed;
pub use path::{NotAFile, regular_or_missing};
use path::{check_side_files, side_file};
pub use safety::{CheckReport, check, encrypt_copy};
pub use users::NewUser;

/// How long a write waits for another process's write to finish before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The migrations, append-only: a shipped file is never edited, the next change is a new file.
const MIGRATION_FILES: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_queue_indexes.sql"),
    include_str!("migrations/0003_files.sql"),
    include_str!("migrations/0004_planner.sql"),
    include_str!("migrations/0005_referrals.sql"),
    include_str!("migrations/0006_scores.sql"),
    include_str!("migrations/0007_passwords.sql"),
    include_str!("migrations/0008_access_log.sql"),
    include_str!("migrations/0009_log_partner.sql"),
    include_str!("migrations/0010_settings_erasure.sql"),
    include_str!("migrations/0011_concerns.sql"),
    include_str!("migrations/0012_consent_history.sql"),
    include_str!("migrations/0013_partner_notes.sql"),
    include_str!("migrations/0014_walk_in_undo_file.sql"),
    include_str!("migrations/0015_file_fixes.sql"),
    include_str!("migrations/0016_search_index.sql"),
    include_str!("migrations/0017_report_indexes.sql"),
];

static MIGRATIONS: LazyLock<Migrations<'static>> =
    LazyLock::new(|| Migrations::new(MIGRATION_FILES.iter().map(|sql| M::up(sql)).collect()));

/// The schema version this program writes: one per migration.
pub const SCHEMA_VERSION: i64 = MIGRATION_FILES.len() as i64;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open loket database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    read_only: bool,
    /// The SQLCipher key (as its pragma text), kept to key a backup with the same key.
    key: Option<zeroize::Zeroizing<String>>,
}

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Whether the file at `path` is a plain SQLite database (not encrypted): it starts with SQLite's
/// header, where an encrypted one starts with its random salt. Only a regular file is opened to
/// look (a FIFO would wait for ever).
pub fn is_plain(path: &Path) -> bool {
    let mut header = [0u8; 16];
    matches!(regular_or_missing(path), Ok(Some(_)))
        && fs::File::open(path).and_then(|mut f| f.read_exact(&mut header)).is_ok()
        && &header == SQLITE_HEADER
}

impl Store {
    /// Opens (or creates) a plain database at `path`. See the module documentation.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, Access::Plain)
    }

    /// Opens (or creates) the database at `path`, encrypted under a key or plain.
    pub fn open_with(path: &Path, access: Access<'_>) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            // The data folder is owner-only (0700) from the start, as the file in it.
            crate::files::create_private_dir(dir).map_err(|e| StoreError::Io(e.kind()))?;
        }
        let key = access.pragma();
        let read_only = prepare_file(path, key.is_some())?;
        let conn = if read_only {
            open_read_only(path, key.as_ref())?
        } else {
            let conn = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            apply_key(&conn, key.as_ref())?;
            conn
        };
        let mut store = Store::set_up(conn, path.to_owned(), read_only, true)?;
        store.key = key;
        Ok(store)
    }

    /// A new, empty database in memory, for fast logic tests: the same set-up as [`Store::open`]
    /// (the same checks, pragmas and migrations), without the file's own (folder, permissions,
    /// WAL). Gone when dropped.
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        Store::set_up(conn, PathBuf::from(":memory:"), false, false)
    }

    /// The one set-up of every connection: busy timeout, schema version check, pragmas, migrations.
    fn set_up(mut conn: Connection, path: PathBuf, read_only: bool, on_disk: bool) -> Result<Store> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Read the version before anything writes: a newer file must stay byte-for-byte as it is.
        let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema { found, supported: SCHEMA_VERSION });
        }
        if found < 0 {
            return Err(StoreError::BadSchema);
        }
        // Schema version 0 is a new, empty database; one that already holds tables (or anything
        // else) is another program's, and stays byte-for-byte as it is.
        if found == 0 && foreign(&conn)? {
            return Err(StoreError::NotADatabase);
        }
        conn.pragma_update(None, "foreign_keys", true)?;
        // Deleted rows (an erased file above all) are overwritten with zeros, not left in free pages.
        conn.pragma_update(None, "secure_delete", true)?;
        if !read_only {
            // Write-ahead logging is a file's; a database in memory keeps its own journal.
            if on_disk {
                set_wal(&conn)?;
            }
            conn.pragma_update(None, "synchronous", "FULL")?;
            migrate(&mut conn)?;
        } else if found < SCHEMA_VERSION {
            // A read-only file cannot be brought up to date, and this program cannot read it as it is.
            return Err(StoreError::ReadOnly);
        }
        Ok(Store { conn, path, read_only, key: None })
    }

    /// The file this store reads and writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the file could only be opened for reading.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// The schema version recorded in the file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// A number that changes whenever another connection commits a change to the file.
    /// Cheap: it reads no table.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    /// The steps of `EXPLAIN QUERY PLAN` for `sql` with `params`: for the benchmark that checks
    /// that reads use an index.
    fn explain(&self, sql: &str, params: impl rusqlite::Params) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        let rows = stmt.query_map(params, |r| r.get::<_, String>(3))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Runs `f` as one write transaction begun IMMEDIATE: all of it is saved, or none.
    fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        if self.read_only {
            return Err(StoreError::ReadOnly);
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }
}

/// Whether the database is another program's: schema version 0 with a table, index, view or
/// trigger in it. One statement reads both at one moment: another desk may be migrating a new file.
fn foreign(conn: &Connection) -> Result<bool> {
    let sql = "SELECT (SELECT user_version FROM pragma_user_version) = 0 \
               AND EXISTS (SELECT 1 FROM sqlite_master)";
    Ok(conn.query_row(sql, [], |r| r.get(0))?)
}

/// Switches the file to WAL. Switching needs the file to itself for a moment, and SQLite does not
/// wait for that: when another desk opens the same (new) file at this instant, try again shortly.
fn set_wal(conn: &Connection) -> Result<()> {
    let mut tries = 0;
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Ok(()) => return Ok(()),
            Err(e)
                if tries < 250
                    && matches!(
                        e.sqlite_error_code(),
                        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
                    ) =>
            {
                tries += 1;
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Opens a file this process may not write, without making anything beside it: a reader that
/// cannot write the database must not leave a `-wal` or `-shm` of its own (owned by it, in a shared
/// folder), which would block the owner's saves. When both are there (the file is open elsewhere,
/// or they were left behind), SQLite reads through them and makes nothing new. Otherwise the file
/// is read as immutable, which makes no side file: without a write-ahead log every save is in the
/// database itself, and a log that still holds saves is refused rather than skipped.
pub(crate) fn open_read_only(path: &Path, key: Option<&zeroize::Zeroizing<String>>) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let wal = side_file(path, "-wal");
    let side_files_there =
        [&wal, &side_file(path, "-shm")].iter().all(|side| matches!(regular_or_missing(side), Ok(Some(_))));
    if side_files_there {
        let conn = Connection::open_with_flags(path, flags)?;
        if apply_key(&conn, key).is_ok()
            && conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0)).is_ok()
        {
            return Ok(conn);
        }
    }
    // Immutable reading ignores the write-ahead log: with saves still in it, refuse rather than
    // read the file as it was before them.
    if fs::symlink_metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return Err(StoreError::ReadOnlyWithLog);
    }
    let uri =
        format!("file:{}?immutable=1", path.display().to_string().replace('?', "%3f").replace('#', "%23"));
    let conn = Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)?;
    apply_key(&conn, key)?;
    Ok(conn)
}

/// Brings the schema up to date. Two desks may open the file at the same moment after an update:
/// then one runs the migrations and the other, finding the work done (or the file busy), reads the
/// version again and goes on.
fn migrate(conn: &mut Connection) -> Result<()> {
    let mut tries = 0;
    loop {
        match MIGRATIONS.to_latest(conn) {
            Ok(()) => return Ok(()),
            Err(e) if tries < 50 && another_desk_migrates(&e) => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(20 + 10 * tries));
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Whether a migration failed because another process was migrating the same file.
fn another_desk_migrates(e: &rusqlite_migration::Error) -> bool {
    let text = e.to_string();
    text.contains("already exists") || text.contains("locked") || text.contains("busy")
}

/// Creates a new file with owner-only permissions, or checks that an existing one is an SQLite
/// database. Anything but a regular file is refused before it is opened or changed. Returns
/// whether the file can only be read.
fn prepare_file(path: &Path, encrypted: bool) -> Result<bool> {
    match regular_or_missing(path)? {
        None => match create_private_file(path) {
            // Another desk created it a moment ago: fine, it is a new (empty) database.
            Ok(()) | Err(StoreError::Io(std::io::ErrorKind::AlreadyExists)) => {
                check_side_files(path)?;
                Ok(false)
            }
            Err(e) => Err(e),
        },
        Some(meta) => {
            let read_only = prepare_existing(path, encrypted)?;
            if !read_only {
                check_side_files(path)?;
            }
            // An empty file becomes a new database: it gets the same owner-only permissions.
            if !read_only && meta.len() == 0 {
                make_private(path)?;
            }
            Ok(read_only)
        }
    }
}

#[cfg(unix)]
fn make_private(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o600)).map_err(|e| StoreError::Io(e.kind()))
}

#[cfg(not(unix))]
fn make_private(_path: &Path) -> Result<()> {
    Ok(())
}

/// Checks that an existing file is an SQLite database (or empty): a plain one starts with SQLite's
/// header, an encrypted one must not (it starts with its random salt). Returns whether the file
/// can only be read.
fn prepare_existing(path: &Path, encrypted: bool) -> Result<bool> {
    match regular_or_missing(path)? {
        None => Err(StoreError::Io(std::io::ErrorKind::NotFound)),
        Some(meta) => {
            if meta.len() > 0 {
                let mut header = [0u8; 16];
                let mut file = fs::File::open(path).map_err(|e| StoreError::Io(e.kind()))?;
                if meta.len() < 100 || file.read_exact(&mut header).is_err() {
                    return Err(StoreError::NotADatabase);
                }
                match (encrypted, &header == SQLITE_HEADER) {
                    (false, false) => return Err(StoreError::NotADatabase),
                    (true, true) => return Err(StoreError::Plain),
                    _ => {}
                }
            }
            let writable = fs::OpenOptions::new().append(true).open(path).is_ok();
            Ok(!writable)
        }
    }
}

#[cfg(unix)]
pub(crate) fn create_private_file(path: &Path) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map(drop)
        .map_err(|e| StoreError::Io(e.kind()))
}

#[cfg(not(unix))]
pub(crate) fn create_private_file(path: &Path) -> Result<()> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map(drop)
        .map_err(|e| StoreError::Io(e.kind()))
}

/// An instant as stored: UTC, whole seconds, ISO-8601.
fn to_sql_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Reads a stored instant; a value that is not one is reported as damage, not as a panic.
fn from_sql_time(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(|_| StoreError::Corrupt)
}
