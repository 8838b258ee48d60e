//! What can go wrong with the database, and how SQLite's and the migrations' errors become ours.

use rusqlite::ErrorCode;

/// What can go wrong with the database. Messages never contain personal data.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database schema is version {found}, newer than this program knows ({supported})")]
    NewerSchema { found: i64, supported: i64 },
    #[error("the file is not a loket database")]
    NotADatabase,
    /// A schema version no loket writes (below zero, set by hand or by another program).
    #[error("the database schema version is not one loket writes")]
    BadSchema,
    #[error("the file is empty: not a loket database yet")]
    Empty,
    #[error("the path is not a regular file: {0:?}")]
    NotAFile(super::NotAFile),
    #[error("the database file is damaged")]
    Corrupt,
    #[error("the database is busy in another program")]
    Locked,
    #[error("the database is open read-only")]
    ReadOnly,
    #[error("the database can only be read, and its last saves are still in its -wal file")]
    ReadOnlyWithLog,
    /// SQLite's `-wal`, `-shm` or `-journal` beside the database cannot be written by this
    /// process (another user's, read-only, or not a regular file): saves would fail.
    #[error("the database's {0} file beside it cannot be written")]
    SideFileBlocked(&'static str),
    #[error("the disk is full")]
    DiskFull,
    #[error("someone else changed this since you opened it")]
    Stale,
    #[error("the record no longer exists")]
    NotFound,
    #[error("your role may not do this")]
    NotAllowed,
    #[error("an active user already has this name")]
    DuplicateUser,
    #[error("at least one active coordinator must remain")]
    LastCoordinator,
    #[error("no file has this number")]
    UnknownFile,
    #[error("no user has this name")]
    UnknownUser,
    #[error("the password is not right")]
    WrongPassword,
    #[error("the key does not open this database")]
    WrongKey,
    #[error("the database is not encrypted")]
    Plain,
    #[error("this status change is not possible")]
    BadStatus,
    #[error("the conversation cannot be planned like this")]
    Plan(crate::domain::planner::PlanRefused),
    #[error("paid help must explain its cost first")]
    CostNotExplained,
    #[error("the file has no such partner")]
    UnknownPartner,
    #[error("the referral is not for this partner")]
    NotForPartner,
    #[error("the referral cannot be sent yet")]
    Blocked(crate::domain::referral::Blocked),
    #[error("only a closed file can be erased")]
    NotClosed,
    #[error("this value is not possible for the setting")]
    Setting(crate::domain::settings::SettingRefused),
    #[error("this step of the concern is not possible")]
    Concern(crate::domain::concern::ConcernProblem),
    #[error("cannot open the database file: {0}")]
    Io(std::io::ErrorKind),
    #[error("this change is not possible now: {0}")]
    Refused(#[from] crate::domain::walkin::ChangeRefused),
    #[error("database error: {0}")]
    Sql(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Locked,
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(ErrorCode::NotADatabase) => StoreError::NotADatabase,
            Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt,
            _ if matches!(e, rusqlite::Error::QueryReturnedNoRows) => StoreError::NotFound,
            // A stored value this program cannot read back (see `rows`).
            _ if matches!(
                e,
                rusqlite::Error::FromSqlConversionFailure(..) | rusqlite::Error::IntegralValueOutOfRange(..)
            ) =>
            {
                StoreError::Corrupt
            }
            // The SQLite message names tables and constraints, never values.
            _ => StoreError::Sql(e.to_string()),
        }
    }
}

impl From<rusqlite_migration::Error> for StoreError {
    fn from(e: rusqlite_migration::Error) -> Self {
        match e {
            rusqlite_migration::Error::RusqliteError { err, .. } => err.into(),
            // "invalid user version received": the version was set by hand or another program.
            rusqlite_migration::Error::InvalidUserVersion => StoreError::BadSchema,
            rusqlite_migration::Error::ForeignKeyCheck(_) => StoreError::Corrupt,
            other => StoreError::Sql(other.to_string()),
        }
    }
}
