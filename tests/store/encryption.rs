//! The store on an encrypted file (SQLCipher): nothing readable on disk, only the right key
//! opens it, a plain file is told apart, and the encrypted backup and the export to an encrypted
//! copy keep every row.

use loket::domain::couple::Request;
use loket::domain::user::Role;
use loket::keys::DbKey;
use loket::store::{Access, Store, StoreError};

use crate::common::desk::{hash, now, walk_in};

fn bytes_of(path: &std::path::Path) -> Vec<u8> {
    let mut all = std::fs::read(path).unwrap_or_default();
    all.extend(std::fs::read(format!("{}-wal", path.display())).unwrap_or_default());
    all
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// An encrypted file with a counsellor and a walk-in of IJsbrand van der Wêreld.
fn filled(path: &std::path::Path, key: &DbKey) {
    let mut store = Store::open_with(path, Access::Key(key)).expect("a new encrypted file");
    store.seed_user("Sara de Boer", &[Role::Counsellor], hash(), now()).expect("user");
    let partners = [("IJsbrand", "van der", "Wêreld"), ("Els", "", "Jansen")];
    store.register_walk_in(&walk_in(&partners, Request::Repair), now(), None).expect("walk-in");
}

#[test]
fn an_encrypted_file_shows_nothing_on_disk_and_opens_only_with_its_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let key = DbKey::random().expect("key");
    filled(&path, &key);
    let disk = bytes_of(&path);
    assert!(!disk.starts_with(b"SQLite format 3"), "not a plain SQLite file");
    for name in ["Wêreld", "IJsbrand", "Jansen", "Sara de Boer", "walk_ins"] {
        assert!(!contains(&disk, name), "{name:?} readable on disk");
    }
    // The right key reads it back.
    let store = Store::open_with(&path, Access::Key(&key)).expect("open with the key");
    assert_eq!(store.users().expect("users").len(), 1);
    assert_eq!(store.find_couples("wereld", 8).expect("find").len(), 1);
    drop(store);
    // Another key, or none, reads nothing and changes nothing.
    let before = std::fs::read(&path).expect("read");
    let other = DbKey::random().expect("key");
    assert!(matches!(Store::open_with(&path, Access::Key(&other)), Err(StoreError::WrongKey)));
    assert!(matches!(Store::open(&path), Err(StoreError::NotADatabase)));
    assert_eq!(std::fs::read(&path).expect("read"), before, "untouched");
}

#[test]
fn a_plain_file_is_not_opened_as_an_encrypted_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    drop(Store::open(&path).expect("plain"));
    let before = std::fs::read(&path).expect("read");
    let key = DbKey::random().expect("key");
    assert!(matches!(Store::open_with(&path, Access::Key(&key)), Err(StoreError::Plain)));
    assert_eq!(std::fs::read(&path).expect("read"), before, "untouched");
}

#[test]
fn a_backup_of_an_encrypted_file_is_encrypted_under_the_same_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let key = DbKey::random().expect("key");
    filled(&path, &key);
    let store = Store::open_with(&path, Access::Key(&key)).expect("open");
    let copy = dir.path().join("backup.db");
    store.backup(&copy).expect("backup");
    let disk = std::fs::read(&copy).expect("read");
    assert!(!disk.starts_with(b"SQLite format 3") && !contains(&disk, "Wêreld"), "the copy is encrypted");
    let back = Store::open_with(&copy, Access::Key(&key)).expect("the copy opens with the key");
    assert_eq!(back.find_couples("wereld", 8).expect("find").len(), 1);
    let report = loket::store::check(&copy, Access::Key(&key)).expect("check");
    assert!(report.is_ok(), "{report:?}");
}

#[test]
fn a_plain_file_exported_to_an_encrypted_copy_keeps_every_row() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plain = dir.path().join("plain.db");
    {
        let mut store = Store::open(&plain).expect("plain");
        store.seed_user("Sara de Boer", &[Role::Counsellor], hash(), now()).expect("user");
        let partners = [("IJsbrand", "van der", "Wêreld"), ("Els", "", "Jansen")];
        store.register_walk_in(&walk_in(&partners, Request::Repair), now(), None).expect("walk-in");
    }
    let key = DbKey::random().expect("key");
    let copy = dir.path().join("encrypted.db");
    loket::store::encrypt_copy(&plain, &copy, &key).expect("export");
    assert!(!contains(&bytes_of(&copy), "Wêreld"));
    let store = Store::open_with(&copy, Access::Key(&key)).expect("open");
    assert_eq!(store.schema_version().expect("version"), loket::store::SCHEMA_VERSION);
    assert_eq!(store.users().expect("users").len(), 1);
    assert_eq!(store.find_couples("jansen", 8).expect("find").len(), 1);
}

/// The report pane's worker reads an encrypted file through a second, read-only connection keyed
/// like the first (issue 17): the same figures as the first connection, and no write through it.
#[test]
fn a_reader_of_an_encrypted_file_has_its_key_and_only_reads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let key = DbKey::random().expect("key");
    filled(&path, &key);
    let store = Store::open_with(&path, Access::Key(&key)).expect("open with the key");
    let reader = store.reader().expect("a second connection");
    assert!(reader.is_read_only());
    let period = loket::domain::report::Period {
        from: chrono::NaiveDate::from_ymd_opt(2020, 1, 1).expect("date"),
        to: chrono::NaiveDate::from_ymd_opt(2030, 12, 31).expect("date"),
    };
    let figures = |s: &Store| format!("{:?}", s.report(period, 10, 10_000, &["therapy"]).expect("report"));
    assert_eq!(figures(&reader), figures(&store));
    assert!(figures(&reader).contains("Count(1)"), "the filled couple is counted: {}", figures(&reader));
    assert!(Store::open_in_memory().expect("memory").reader().is_err(), "no second connection to memory");
}
