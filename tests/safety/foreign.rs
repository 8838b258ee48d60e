//! Never touch what is not ours (issue 14): a database path that is a device, a FIFO or a symbolic
//! link is refused by its metadata before anything opens or changes it; another program's SQLite
//! database is refused and left byte for byte; `loket check` passes only a loket database of a
//! schema this program knows.

use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::Duration;

use loket::store::{NotAFile, Store, StoreError};
use rusqlite::Connection;

use super::support::*;

/// Every way in that takes `--db`: the subcommands, and the app's start (plain, and as a desk
/// without `LOKET_PLAIN`), each given at most 20 seconds (a FIFO opened would wait for ever).
fn every_command(dir: &Path, db: &Path) -> Vec<(String, Output)> {
    let copy = dir.join("copy.db");
    let commands: Vec<(Vec<&str>, bool)> = vec![
        (vec!["report"], true),
        (vec!["demo", "--couples", "3"], true),
        (vec!["check"], true),
        (vec!["export-ics"], true),
        (vec!["backup", utf8(&copy)], true),
        (vec![], true),
        (vec![], false),
    ];
    let mut outputs = Vec::new();
    for (command, plain) in commands {
        let mut cmd = loket_command(dir);
        cmd.args(["--lang", "en", "--db", utf8(db)]).args(&command);
        if !plain {
            cmd.env_remove("LOKET_PLAIN");
        }
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn loket");
        let what = format!("loket {}{}", command.join(" "), if plain { "" } else { " (a desk)" });
        let finished = wait_at_most(&mut child, Duration::from_secs(20));
        assert!(finished.is_some(), "{what} on {}: still running after 20 s", db.display());
        outputs.push((what, child.wait_with_output().expect("output")));
        assert!(!copy.exists(), "no copy made");
    }
    outputs
}

/// What is beside `db` other than the files the test made: a journal, a log, a shared-memory file.
fn assert_nothing_beside(db: &Path) {
    for suffix in ["-journal", "-wal", "-shm"] {
        let side = sidecar(db, suffix);
        assert!(fs::symlink_metadata(&side).is_err(), "{} was made", side.display());
    }
}

/// Runs `mknod` (root only): `None` when it may not, with the reason printed.
fn device_file(dir: &Path, name: &str) -> Option<std::path::PathBuf> {
    let path = dir.join(name);
    let made = std::process::Command::new("mknod").arg(&path).args(["c", "1", "3"]).output();
    match made {
        Ok(out) if out.status.success() => Some(path),
        Ok(out) => {
            eprintln!("skipped: mknod needs root ({})", text(&out.stderr).trim());
            None
        }
        Err(e) => {
            eprintln!("skipped: mknod cannot run ({e})");
            None
        }
    }
}

/// Defect 1: a character device (made under a temporary folder, never on /dev) given as the
/// database is refused by every command in one line, and keeps its mode: no chmod, no journal.
#[test]
fn a_device_file_is_refused_and_never_changed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(dev) = device_file(dir.path(), "dn") else { return };
    fs::set_permissions(&dev, std::os::unix::fs::PermissionsExt::from_mode(0o666)).expect("chmod");
    let before = fs::symlink_metadata(&dev).expect("meta");
    let listing_before = listing(dir.path());
    for (what, out) in every_command(dir.path(), &dev) {
        assert_one_line_failure(&out, &what);
        assert!(
            text(&out.stderr).contains("not a regular file but a device file"),
            "{what}: {}",
            text(&out.stderr)
        );
        let after = fs::symlink_metadata(&dev).expect("meta");
        assert!(after.file_type().is_char_device(), "{what}: still a device");
        assert_eq!((after.mode(), after.rdev()), (before.mode(), before.rdev()), "{what}: changed");
        assert_nothing_beside(&dev);
        assert_eq!(listing(dir.path()), listing_before, "{what}: made something beside it");
    }
    assert!(matches!(Store::open(&dev), Err(StoreError::NotAFile(NotAFile::Device))));
    assert_eq!(fs::symlink_metadata(&dev).expect("meta").mode(), before.mode());
}

/// Defect 8: a FIFO given as the database is refused at once (never opened, which would wait for
/// a writer for ever), by the binary and by the store.
#[test]
fn a_fifo_is_refused_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("f.db");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("run mkfifo");
    assert!(made.success(), "mkfifo");
    for (what, out) in every_command(dir.path(), &fifo) {
        assert_one_line_failure(&out, &what);
        assert!(text(&out.stderr).contains("FIFO"), "{what}: {}", text(&out.stderr));
        assert!(fs::symlink_metadata(&fifo).expect("meta").file_type().is_fifo(), "{what}");
        assert_nothing_beside(&fifo);
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let path = fifo.clone();
    std::thread::spawn(move || {
        let _ = tx.send(Store::open(&path).map(drop));
    });
    let opened = rx.recv_timeout(Duration::from_secs(5)).expect("Store::open returns at once");
    assert!(matches!(opened, Err(StoreError::NotAFile(NotAFile::Fifo))), "{:?}", opened.err());
}

/// Defect 1 (links): a symbolic link, dangling or pointing at a loket database, is refused in the
/// user's words (not SQLite's English), and the file it points at is left as it was.
#[test]
fn a_symbolic_link_is_refused_in_words() {
    let dir = tempfile::tempdir().expect("temp dir");
    let dangling = dir.path().join("dangling.db");
    std::os::unix::fs::symlink(dir.path().join("nowhere.db"), &dangling).expect("symlink");
    let real = demo_db(dir.path(), "real.db", 3);
    let bytes = fs::read(&real).expect("read");
    let link = dir.path().join("link.db");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    for db in [&dangling, &link] {
        for (what, out) in every_command(dir.path(), db) {
            assert_one_line_failure(&out, &what);
            assert!(text(&out.stderr).contains("symbolic link"), "{what}: {}", text(&out.stderr));
        }
        let dutch = loket(dir.path(), &["report", "--db", utf8(db)]);
        assert_one_line_failure(&dutch, "in Dutch");
        assert!(text(&dutch.stderr).contains("symbolische koppeling"), "{}", text(&dutch.stderr));
        assert!(matches!(Store::open(db), Err(StoreError::NotAFile(NotAFile::Link))));
    }
    assert!(!dir.path().join("nowhere.db").exists(), "nothing made where the link points");
    assert_eq!(fs::read(&real).expect("read"), bytes);
    assert_nothing_beside(&real);
}

/// Another program's SQLite database: one table and a row, mode 0644, a rollback journal.
fn foreign_db(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("o.db");
    let conn = Connection::open(&db).expect("open");
    conn.execute_batch(
        "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT);
         INSERT INTO accounts (name) VALUES ('alice');",
    )
    .expect("another program's table");
    drop(conn);
    fs::set_permissions(&db, std::os::unix::fs::PermissionsExt::from_mode(0o644)).expect("chmod");
    db
}

/// Defect 2: another program's database (schema version 0 with tables) is refused by every
/// command and by the store, and stays byte for byte as it was: no WAL, no migration, no chmod.
#[test]
fn another_programs_database_is_refused_and_left_byte_for_byte() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = foreign_db(dir.path());
    let bytes = fs::read(&db).expect("read");
    let modified = fs::metadata(&db).expect("meta").modified().expect("mtime");
    for (what, out) in every_command(dir.path(), &db) {
        assert_one_line_failure(&out, &what);
        let err = text(&out.stderr);
        // A desk without --plain first says the file is not encrypted; it is left alone all the same.
        assert!(err.contains("not a loket database") || what.contains("a desk"), "{what}: {err}");
        assert_eq!(fs::read(&db).expect("read"), bytes, "{what}: the file was changed");
        assert_eq!(fs::metadata(&db).expect("meta").modified().expect("mtime"), modified, "{what}");
        assert_eq!(mode(&db), 0o644, "{what}: chmod");
        assert_nothing_beside(&db);
    }
    let encrypt = loket(dir.path(), &["--lang", "en", "--db", utf8(&db), "encrypt", "--user", "x"]);
    assert_one_line_failure(&encrypt, "loket encrypt");
    assert!(matches!(Store::open(&db), Err(StoreError::NotADatabase)));
    assert_eq!(fs::read(&db).expect("read"), bytes);
    assert_nothing_beside(&db);
    // An empty file still becomes a loket database, as before.
    let empty = dir.path().join("empty.db");
    fs::write(&empty, "").expect("empty file");
    let out = loket(dir.path(), &["demo", "--db", utf8(&empty), "--couples", "3"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// Defect 7: `loket check` passes only a loket database of a schema this program knows. An empty
/// file, another program's database, a schema-99 file, a FIFO and (as root) a device file are
/// each one line with exit 1 and the reason.
#[test]
fn check_fails_on_what_is_not_a_loket_database() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = dir.path().join("empty.db");
    fs::write(&empty, "").expect("empty file");
    let foreign = foreign_db(dir.path());
    let newer = dir.path().join("newer.db");
    fs::copy(&foreign, &newer).expect("copy");
    Connection::open(&newer).and_then(|c| c.pragma_update(None, "user_version", 99)).expect("version 99");
    let fifo = dir.path().join("f.db");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo").success());
    let mut cases = vec![
        (empty, "empty"),
        (foreign, "not a loket database"),
        (newer, "newer version of loket (schema version 99"),
        (fifo, "FIFO"),
    ];
    match device_file(dir.path(), "null") {
        Some(dev) => cases.push((dev, "device file")),
        None => eprintln!("skipped the device file: not root"),
    }
    for (db, expected) in cases {
        let before = fs::symlink_metadata(&db).expect("meta");
        let bytes = if before.is_file() { fs::read(&db).expect("read") } else { Vec::new() };
        let mut child = loket_command(dir.path())
            .args(["--lang", "en", "check", "--db", utf8(&db)])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let what = format!("loket check on {}", db.display());
        assert!(wait_at_most(&mut child, Duration::from_secs(20)).is_some(), "{what}: hangs");
        let out = child.wait_with_output().expect("output");
        assert_one_line_failure(&out, &what);
        assert!(text(&out.stderr).contains(expected), "{what}: {}", text(&out.stderr));
        assert!(!text(&out.stdout).contains("all well"), "{what}: {}", text(&out.stdout));
        if before.is_file() {
            assert_eq!(fs::read(&db).expect("read"), bytes, "{what}: changed");
        }
        assert_eq!(fs::symlink_metadata(&db).expect("meta").mode(), before.mode(), "{what}: chmod");
        assert_nothing_beside(&db);
    }
}

/// Defect 18: a schema version below zero (set by hand: `PRAGMA user_version = -1`) made the
/// migrations say "rusqlite_migration error: invalid user version received". Every command now
/// says in loket's own words, in one line with exit 1, that the version is not one loket writes,
/// and leaves the file as it was.
#[test]
fn a_schema_version_below_zero_is_refused_in_loket_s_own_words() {
    let dir = tempfile::tempdir().expect("temp dir");
    for version in [-1, i64::from(i32::MIN)] {
        let db = demo_db(dir.path(), &format!("v{version}.db"), 3);
        Connection::open(&db).and_then(|c| c.pragma_update(None, "user_version", version)).expect("version");
        let bytes = fs::read(&db).expect("read");
        for (what, out) in every_command(dir.path(), &db) {
            assert_one_line_failure(&out, &what);
            let err = text(&out.stderr);
            assert!(!err.contains("rusqlite") && !err.contains("user version received"), "{what}: {err}");
            // A desk without --plain first says the file is not encrypted; it is left alone all the same.
            assert!(
                err.contains("schema version is not one loket writes") || what.contains("a desk"),
                "{what}: {err}"
            );
            assert_eq!(fs::read(&db).expect("read"), bytes, "{what}: the file was changed");
        }
        let dutch = loket(dir.path(), &["--plain", "report", "--db", utf8(&db)]);
        assert_one_line_failure(&dutch, "in Dutch");
        assert!(text(&dutch.stderr).contains("De schemaversie van dit bestand"), "{}", text(&dutch.stderr));
        assert!(matches!(Store::open(&db), Err(StoreError::BadSchema)));
        assert!(matches!(loket::store::check(&db, loket::store::Access::Plain), Err(StoreError::BadSchema)));
        assert_eq!(fs::read(&db).expect("read"), bytes);
    }
}
