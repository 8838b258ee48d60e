//! Backups: whole and owner-only while other processes write, other files left alone.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use loket::store::Store;
use rusqlite::Connection;

use super::crash::check_whole_saves;
use super::support::*;
use super::writers::run_writers;

/// Runs `loket backup` twice while writers `A` and `B` write to `db` (pausing `pause` after each
/// walk-in), each within `limit`; then checks both copies: whole, owner-only, holding what was
/// saved before they began, passing `loket check` and opening in loket. Returns the copies.
fn backups_while_writing(dir: &Path, db: &Path, pause: Duration, limit: Duration) -> Vec<PathBuf> {
    let stop = dir.join("stop");
    let mut writers = run_writers(db, 100_000, pause, Some(&stop));
    // Wait until both are writing.
    let reader = Connection::open(db).expect("open");
    let waiting = Instant::now();
    while count(&reader, "SELECT count(DISTINCT registered_by) FROM walk_ins WHERE registered_by IS NOT NULL")
        < 2
    {
        writers.assert_running();
        assert!(waiting.elapsed() < Duration::from_secs(60), "the writers do not write");
        std::thread::sleep(Duration::from_millis(2));
    }
    assert_eq!(mode(db), 0o600, "the database is owner-only");
    assert_eq!(mode(&sidecar(db, "-wal")), 0o600, "its write-ahead log is owner-only");

    let mut copies = Vec::new();
    for n in 1..=2 {
        let copy = dir.join(format!("copy-{n}.db"));
        let before = count(&reader, "SELECT count(*) FROM walk_ins");
        let log = dir.join(format!("backup-{n}.log"));
        let mut backup = loket_command(dir)
            .args(["--lang", "en", "backup", utf8(&copy), "--db", utf8(db)])
            .stdout(fs::File::create(&log).expect("log"))
            .stderr(fs::File::create(log.with_extension("err")).expect("log"))
            .spawn()
            .expect("loket backup");
        let status = wait_at_most(&mut backup, limit);
        let outcome = |log: &Path| fs::read_to_string(log).unwrap_or_default();
        let status =
            status.unwrap_or_else(|| panic!("backup {n} did not finish within {limit:?} while others wrote"));
        assert!(status.success(), "backup {n}: {}", outcome(&log.with_extension("err")));
        writers.assert_running();
        assert!(outcome(&log).contains(utf8(&copy)), "says where the copy is: {}", outcome(&log));
        copies.push((copy, before));
    }
    fs::write(&stop, "").expect("stop");
    writers.assert_all_ok();
    drop(reader);

    for (copy, before) in &copies {
        assert_eq!(mode(copy), 0o600, "{}: owner-only", copy.display());
        assert!(!copy.with_extension("partial").exists(), "no half copy left");
        let conn = Connection::open(copy).expect("open the copy");
        assert_eq!(integrity(&conn), ["ok"]);
        assert!(dangling(&conn).is_empty());
        assert!(count(&conn, "SELECT count(*) FROM walk_ins") >= *before, "the copy holds what was saved");
        // The writers' saves follow the same rules as the demo's: each whole in the copy, or absent.
        check_whole_saves(&conn).unwrap_or_else(|e| panic!("{}: a half save: {e}", copy.display()));
        drop(conn);
        let checked = loket(dir, &["check", "--db", utf8(copy)]);
        assert!(checked.status.success(), "loket check on the copy: {}", text(&checked.stdout));
        let store = Store::open(copy).expect("the copy opens in loket");
        assert!(!store.is_read_only());
        assert!(store.couple_count().expect("couples") >= 40);
    }
    copies.into_iter().map(|(copy, _)| copy).collect()
}

/// `loket backup` while two other processes write, a save every millisecond or so: exit 0, each copy whole,
/// checked and owner-only; an existing target is refused in one line and left as it was.
#[test]
fn backups_made_while_other_processes_write_are_whole_and_owner_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = demo_db(dir.path(), "desk.db", 40);
    // A pause of 2 ms after each walk-in lets the two writers take turns: a writer that never pauses
    // can keep the other waiting past the busy timeout (SQLite's lock is not fair).
    let copies = backups_while_writing(dir.path(), &db, Duration::from_millis(2), Duration::from_secs(30));

    // (Larger files, of more than 256 pages, are backed up while others write in the test below.)

    // An existing target is refused in one line and left as it was.
    let copy = &copies[0];
    let before = fs::read(copy).expect("read");
    let again = loket(dir.path(), &["--lang", "en", "backup", utf8(copy), "--db", utf8(&db)]);
    assert_one_line_failure(&again, "a backup onto an existing file");
    assert!(text(&again.stderr).contains("already exists"), "{}", text(&again.stderr));
    assert_eq!(fs::read(copy).expect("read"), before, "the existing file is untouched");
    assert_eq!(mode(copy), 0o600);
    // A backup of a database that does not exist makes nothing.
    let missing = loket(
        dir.path(),
        &["backup", utf8(&dir.path().join("x.db")), "--db", utf8(&dir.path().join("no.db"))],
    );
    assert_one_line_failure(&missing, "a backup of no database");
    assert!(!dir.path().join("no.db").exists() && !dir.path().join("x.db").exists());
}

/// A backup never removes or overwrites a file that is not its own: not even one named like its
/// work file (the target's name with `.partial`).
#[test]
fn a_backup_leaves_other_files_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = demo_db(dir.path(), "desk.db", 3);
    let theirs = dir.path().join("notes.partial");
    fs::write(&theirs, "a file of the user's own").expect("write");
    let out = loket(dir.path(), &["backup", utf8(&dir.path().join("notes.db")), "--db", utf8(&db)]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(fs::read_to_string(&theirs).ok().as_deref(), Some("a file of the user's own"));
}

/// The same with a database of about 2 MB (more than 256 pages, so that the copy takes several
/// steps).
#[test]
fn a_backup_of_a_large_database_finishes_while_others_write() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = demo_db(dir.path(), "desk.db", 40);
    {
        // Long notes, as years of use would make: about 2 MB.
        let conn = Connection::open(&db).expect("open");
        conn.execute_batch(
            "INSERT INTO file_events (couple_id, at, kind) SELECT id, '2026-11-01T09:00:00Z', 'notes' FROM couples
               WHERE notes = '';
             UPDATE couples SET notes = hex(randomblob(25000));",
        )
        .expect("notes");
    }
    assert!(fs::metadata(&db).expect("size").len() > 2 * 256 * 4096, "more than two backup steps");
    // As above: a save every millisecond or so.
    backups_while_writing(dir.path(), &db, Duration::from_millis(2), Duration::from_secs(10));
}
