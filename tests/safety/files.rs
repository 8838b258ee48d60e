//! `loket check` and faults on open: a good file passes, dangling references and damage are
//! reported, bad files are named in one line and never modified, a read-only file is read.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Output;

use loket::store::SCHEMA_VERSION;
use rusqlite::Connection;

use super::support::*;

/// The page size of a database file, from its header.
fn page_size(bytes: &[u8]) -> usize {
    match u16::from_be_bytes([bytes[16], bytes[17]]) {
        1 => 65536,
        n => n as usize,
    }
}

/// `loket check` says all is well on a good file (exit 0), and on a dangling reference, a damaged
/// index and pages overwritten in the middle of the file says what is wrong with a non-zero exit,
/// never a panic, and changes nothing (only a sound file gets a row in its access log).
#[test]
fn check_passes_a_good_file_and_reports_dangling_references_and_damage() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = demo_db(dir.path(), "good.db", 40);
    let check = |db: &Path| loket(dir.path(), &["--lang", "en", "check", "--db", utf8(db)]);

    let ok = check(&good);
    assert!(ok.status.success(), "{}{}", text(&ok.stdout), text(&ok.stderr));
    let said = text(&ok.stdout);
    assert!(
        said.contains(&format!("schema version {SCHEMA_VERSION} (this program: {SCHEMA_VERSION})")),
        "{said}"
    );
    assert!(said.contains("all well"), "{said}");
    let checks: i64 = Connection::open(&good)
        .and_then(|c| c.query_row("SELECT count(*) FROM access_log WHERE event = 'check'", [], |r| r.get(0)))
        .expect("count the checks");
    assert_eq!(checks, 1, "a check of a sound file is in its access log");

    // A walk-in of a couple that does not exist, written past the foreign keys.
    let dangling = dir.path().join("dangling.db");
    fs::copy(&good, &dangling).expect("copy");
    let row = {
        let conn = Connection::open(&dangling).expect("open");
        conn.execute_batch(
            "PRAGMA foreign_keys = OFF;
             INSERT INTO walk_ins (couple_id, day, ticket, arrived_at, attendance, request, source, status)
             VALUES (9999, '2026-12-02', 99, '2026-12-02T08:00:00Z', 'both', 'repair', 'self', 'waiting');",
        )
        .expect("a dangling walk-in");
        conn.last_insert_rowid()
    };
    let before = fs::read(&dangling).expect("read");
    let out = check(&dangling);
    assert_one_line_failure(&out, "a dangling reference");
    assert!(text(&out.stderr).contains("problems"), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(said.contains(&format!("table walk_ins, row {row}")), "names the row: {said}");
    assert!(!said.contains("all well"), "{said}");
    assert_eq!(fs::read(&dangling).expect("read"), before, "check changes nothing");

    // An index whose entry no longer matches its row: integrity_check names it.
    let index = dir.path().join("index.db");
    fs::copy(&good, &index).expect("copy");
    {
        let conn = Connection::open(&index).expect("open");
        let (root, key): (i64, String) = conn
            .query_row(
                "SELECT (SELECT rootpage FROM sqlite_master WHERE name = 'partners_by_sort_key'),
                        (SELECT sort_key FROM partners ORDER BY sort_key LIMIT 1)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .expect("index");
        drop(conn);
        let mut bytes = fs::read(&index).expect("read");
        let size = page_size(&bytes);
        let page = (root as usize - 1) * size..root as usize * size;
        let at = bytes[page.clone()]
            .windows(key.len())
            .position(|w| w == key.as_bytes())
            .expect("the key in the index page")
            + page.start;
        bytes[at] = if bytes[at] == b'a' { b'b' } else { b'a' };
        fs::write(&index, bytes).expect("write");
    }
    let out = check(&index);
    assert_one_line_failure(&out, "a damaged index");
    let said = text(&out.stdout);
    assert!(said.contains("integrity: ") && said.contains("partners_by_sort_key"), "{said}");

    // Pages in the middle of the file overwritten: reported, not panicked on, and left as they are.
    let damaged = dir.path().join("damaged.db");
    let mut bytes = fs::read(&good).expect("read");
    let size = page_size(&bytes);
    let pages = bytes.len() / size;
    assert!(pages > 20, "a multi-page database: {pages}");
    for (i, b) in bytes[size * (pages / 2)..size * (pages / 2 + 3)].iter_mut().enumerate() {
        *b = (i * 7 + 13) as u8;
    }
    fs::write(&damaged, &bytes).expect("write");
    let out = check(&damaged);
    assert_one_line_failure(&out, "overwritten pages");
    let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(said.contains("damaged") || said.contains("integrity: "), "{said}");
    assert_eq!(fs::read(&damaged).expect("read"), bytes, "check changes nothing");
}

// ---------------------------------------------------------------------------------------------
// 5. Faults on open
// ---------------------------------------------------------------------------------------------

/// A missing folder is created (owner-only file inside).
#[test]
fn a_missing_folder_is_created() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("nieuw/map/diep/loket.db");
    let out = loket(dir.path(), &["--db", utf8(&db), "demo", "--couples", "3"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(db.exists());
    assert_eq!(mode(&db), 0o600);
    let checked = loket(dir.path(), &["--db", utf8(&db), "check"]);
    assert!(checked.status.success(), "{}", text(&checked.stdout));
}

/// Files loket cannot use: each command reports it in one line with exit 1 and leaves the file's
/// bytes as they were.
#[test]
fn bad_files_are_reported_in_one_line_and_never_modified() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = demo_db(dir.path(), "good.db", 40);
    let real = fs::read(&good).expect("read");
    let size = page_size(&real);
    let mut page_one = real.clone();
    for (i, b) in page_one[100..size].iter_mut().enumerate() {
        *b = (i * 31 + 7) as u8;
    }
    let newer = dir.path().join("newer.db");
    fs::copy(&good, &newer).expect("copy");
    {
        let conn = Connection::open(&newer).expect("open");
        conn.pragma_update(None, "user_version", 99).expect("user_version");
    }
    assert!(!sidecar(&newer, "-wal").exists());
    let newer_bytes = fs::read(&newer).expect("read");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("letter.db", "Beste mevrouw, ".repeat(400).into_bytes(), "not a loket database"),
        ("truncated.db", real[..3000].to_vec(), "damaged"),
        ("page-one.db", page_one, "damaged"),
        ("newer.db", newer_bytes, "version 99"),
    ];
    for (name, bytes, expected) in cases {
        let db = dir.path().join(name);
        fs::write(&db, &bytes).expect("write");
        let modified = fs::metadata(&db).expect("meta").modified().expect("mtime");
        let copy = dir.path().join(format!("{name}.copy"));
        let commands: Vec<Vec<&str>> = vec![
            vec!["demo"],
            vec!["report"],
            vec!["export-ics"],
            vec!["backup", utf8(&copy)],
            vec!["check"],
        ];
        for command in commands {
            let what = format!("{name}: loket {}", command.join(" "));
            let mut args = vec!["--lang", "en", "--db", utf8(&db)];
            args.extend(&command);
            let out = loket(dir.path(), &args);
            // The check too: a newer schema is no loket database this program knows (exit 1).
            assert_one_line_failure(&out, &what);
            assert!(text(&out.stderr).contains(expected), "{what}: {}", text(&out.stderr));
            assert_eq!(fs::read(&db).expect("read"), bytes, "{what}: the file was changed");
            assert_eq!(
                fs::metadata(&db).expect("meta").modified().expect("mtime"),
                modified,
                "{what}: touched"
            );
            assert!(!copy.exists() && !copy.with_extension("partial").exists(), "{what}: no copy made");
            for suffix in ["-wal", "-journal"] {
                let side = sidecar(&db, suffix);
                let len = fs::metadata(&side).map_or(0, |m| m.len());
                assert_eq!(len, 0, "{what}: wrote {len} bytes to {}", side.display());
            }
        }
    }
    assert_eq!(fs::read(&good).expect("read"), real);
}

const NOBODY: u32 = 65534;

/// The binary on `db`, as `nobody` when `as_nobody`.
fn loket_as(dir: &Path, db: &Path, as_nobody: bool, args: &[&str]) -> Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = loket_command(dir);
    cmd.args(["--lang", "en", "--db", utf8(db)]).args(args);
    if as_nobody {
        cmd.uid(NOBODY).gid(NOBODY);
    }
    cmd.output().expect("the binary runs")
}

/// Checks that `loket check`, the report and a backup (into `copies`) read `db`, which the user
/// running them may not write, and leave it as it was.
fn assert_read_only_file_is_read(dir: &Path, db: &Path, copies: &Path, as_nobody: bool) {
    let bytes = fs::read(db).expect("read");
    let checked = loket_as(dir, db, as_nobody, &["check"]);
    assert!(checked.status.success(), "check: {}{}", text(&checked.stdout), text(&checked.stderr));
    assert!(text(&checked.stdout).contains("all well"), "{}", text(&checked.stdout));
    let report = loket_as(dir, db, as_nobody, &["report", "--format", "json"]);
    assert!(report.status.success(), "report (Store::open read-only): {}", text(&report.stderr));
    let copy = copies.join("copy.db");
    let backup = loket_as(dir, db, as_nobody, &["backup", utf8(&copy)]);
    assert!(backup.status.success(), "backup of a read-only file: {}", text(&backup.stderr));
    assert_eq!(mode(&copy), 0o600);
    let conn = Connection::open(&copy).expect("open the copy");
    assert_eq!(count(&conn, "SELECT count(*) FROM couples"), 12);
    drop(conn);
    fs::remove_file(&copy).expect("remove the copy");
    assert_eq!(fs::read(db).expect("read"), bytes, "the read-only file is unchanged");
}

/// A file this user may not write opens read-only: `loket check` and the report read it (exit 0),
/// and a backup of it can be made, while the file stays as it was. As a normal user the file is
/// made 0400. As root, for whom permissions do not apply, the binary runs as `nobody`: on its own
/// file made 0400, and on a root-owned file (0644) in a root-owned folder (0755), where SQLite
/// cannot make its shared-memory file beside the database in WAL mode either.
#[test]
fn a_read_only_file_is_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let as_root = running_as_root(dir.path());
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).expect("chmod folder");
    let copies = dir.path().join("copies");
    fs::create_dir(&copies).expect("folder for the copies");

    // The user's own file, made read-only.
    let own = dir.path().join("own");
    fs::create_dir(&own).expect("folder");
    let db = demo_db(&own, "desk.db", 12);
    fs::set_permissions(&db, fs::Permissions::from_mode(0o400)).expect("chmod");
    if as_root {
        for path in [&own, &db, &copies] {
            std::os::unix::fs::chown(path, Some(NOBODY), Some(NOBODY)).expect("chown");
        }
    }
    assert_read_only_file_is_read(dir.path(), &db, &copies, as_root);
    if !as_root {
        return;
    }

    // Someone else's file in someone else's folder.
    let db = demo_db(dir.path(), "desk.db", 12);
    let bytes = fs::read(&db).expect("read");
    assert_eq!((bytes[18], bytes[19]), (2, 2), "a database in WAL mode");
    fs::set_permissions(&db, fs::Permissions::from_mode(0o644)).expect("chmod");
    let before = listing(dir.path());
    assert_read_only_file_is_read(dir.path(), &db, &copies, true);
    assert_eq!(listing(dir.path()), before, "nothing was made beside it");
}

/// A read-only file whose write-ahead log holds saved changes (its shared-memory file gone, say
/// after the folder was copied without it) must be read with those changes, or refused: not read
/// as it was before them.
#[test]
fn a_read_only_file_is_never_read_without_its_saved_changes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let as_root = running_as_root(dir.path());
    let copies = dir.path().join("copies");
    fs::create_dir(&copies).expect("folder for the copies");
    let files = dir.path().join("files");
    fs::create_dir(&files).expect("folder");
    let db = demo_db(&files, "desk.db", 12);
    // Saved changes still in the write-ahead log: copy the files while a connection keeps them there.
    let hot = files.join("hot.db");
    {
        let conn = Connection::open(&db).expect("open");
        conn.pragma_update(None, "wal_autocheckpoint", 0).expect("no checkpoint");
        conn.execute("UPDATE couples SET children = 7", []).expect("a save");
        fs::copy(&db, &hot).expect("copy");
        fs::copy(sidecar(&db, "-wal"), sidecar(&hot, "-wal")).expect("copy the log");
    }
    remove_db(&db);
    for path in [&hot, &sidecar(&hot, "-wal")] {
        fs::set_permissions(path, fs::Permissions::from_mode(0o444)).expect("chmod");
    }
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).expect("chmod");
    fs::set_permissions(&files, fs::Permissions::from_mode(0o555)).expect("chmod");
    if as_root {
        std::os::unix::fs::chown(&copies, Some(NOBODY), Some(NOBODY)).expect("chown");
    }
    let copy = copies.join("copy.db");
    let backup = loket_as(dir.path(), &hot, as_root, &["backup", utf8(&copy)]);
    fs::set_permissions(&files, fs::Permissions::from_mode(0o755)).expect("chmod back");
    if backup.status.success() {
        let conn = Connection::open(&copy).expect("open the copy");
        assert_eq!(
            count(&conn, "SELECT count(*) FROM couples WHERE children = 7"),
            12,
            "the copy lacks the last save"
        );
    } else {
        // Refusing is fine too, in one line.
        assert_one_line_failure(&backup, "a read-only file with saves in its log");
    }
}

/// A folder open to all (1777, as `/tmp`) under `dir`, with a small demo database in it.
fn shared_folder_with_demo(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let shared = dir.join("shared");
    fs::create_dir(&shared).expect("folder");
    fs::set_permissions(dir, fs::Permissions::from_mode(0o755)).expect("chmod");
    fs::set_permissions(&shared, fs::Permissions::from_mode(0o1777)).expect("a shared folder");
    let db = demo_db(&shared, "desk.db", 5);
    (shared, db)
}

/// A reader that may not write the file (another user on a 0644 file in a shared folder, or the
/// owner on a 0444 file) leaves no `-wal` or `-shm` of its own beside it: those would be theirs,
/// and block the owner's saves. As root the reader is `nobody` on a root-owned file.
#[test]
fn a_reader_who_cannot_write_makes_nothing_beside_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let as_root = running_as_root(dir.path());
    let (shared, db) = shared_folder_with_demo(dir.path());
    fs::set_permissions(&db, fs::Permissions::from_mode(if as_root { 0o644 } else { 0o444 })).expect("chmod");
    let bytes = fs::read(&db).expect("read");
    let before = listing(&shared);
    for args in [&["report", "--format", "json"][..], &["check"]] {
        let out = loket_as(dir.path(), &db, as_root, args);
        assert!(out.status.success(), "{args:?}: {}{}", text(&out.stdout), text(&out.stderr));
        assert_eq!(listing(&shared), before, "{args:?} made nothing beside the file");
    }
    assert_eq!(fs::read(&db).expect("read"), bytes);
}

/// A `-shm` beside the database that the owner cannot write (left by another user's reader, or made
/// read-only) is named at start, with what to do, instead of saves failing later; loket leaves it
/// as it is. Once it is gone the owner's loket works again. As root the owner is `nobody`.
#[test]
fn a_side_file_the_owner_cannot_write_is_named_and_left_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let as_root = running_as_root(dir.path());
    let (shared, db) = shared_folder_with_demo(dir.path());
    if as_root {
        std::os::unix::fs::chown(&db, Some(NOBODY), Some(NOBODY)).expect("chown");
    }
    let shm = sidecar(&db, "-shm");
    fs::write(&shm, [0u8; 64]).expect("a -shm");
    fs::set_permissions(&shm, fs::Permissions::from_mode(0o400)).expect("read-only");
    let before = listing(&shared);
    let refused = loket_as(dir.path(), &db, as_root, &["report", "--format", "json"]);
    assert!(!refused.status.success(), "{}", text(&refused.stdout));
    let said = text(&refused.stderr);
    assert!(said.contains("-shm") && said.contains("cannot write"), "{said}");
    assert_eq!(said.trim().lines().count(), 1, "one line: {said}");
    assert_eq!(listing(&shared), before);
    assert_eq!(fs::read(&shm).expect("read"), [0u8; 64]);

    fs::remove_file(&shm).expect("the administrator removes it");
    let works = loket_as(dir.path(), &db, as_root, &["report", "--format", "json"]);
    assert!(works.status.success(), "{}", text(&works.stderr));
}
