//! Two processes at once: both write and nothing is lost or locked, a stale change is refused.
//!
//! Second processes are this test binary itself, started again to run the ignored test
//! [`writer_child`], which only writes when the environment tells it to.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use loket::domain::file::FileDetails;
use loket::domain::user::Role;
use loket::domain::walkin::{Change, Outcome, Status};
use loket::store::{SCHEMA_VERSION, Store, StoreError};
use rusqlite::Connection;

use super::support::*;

/// The environment that makes [`writer_child`] write.
const WRITER_DB: &str = "LOKET_SAFETY_WRITER_DB";
const WRITER_NAME: &str = "LOKET_SAFETY_WRITER_NAME";
const WRITER_COUNT: &str = "LOKET_SAFETY_WRITER_COUNT";
/// A file whose existence starts the writes (both writers at the same moment).
const WRITER_GO: &str = "LOKET_SAFETY_WRITER_GO";
/// A file whose existence ends the writes early.
const WRITER_STOP: &str = "LOKET_SAFETY_WRITER_STOP";
/// Microseconds to wait after each walk-in, as a person would (default: none, as fast as it can).
const WRITER_PAUSE: &str = "LOKET_SAFETY_WRITER_PAUSE_US";

/// The second process: this test binary, running only [`writer_child`].
fn spawn_writer(
    db: &Path,
    name: &str,
    count: usize,
    pause: Duration,
    stop: Option<&Path>,
    log: &Path,
) -> Child {
    let out = fs::File::create(log).expect("log");
    let err = out.try_clone().expect("log");
    let mut cmd = Command::new(std::env::current_exe().expect("the test binary"));
    cmd.args(["--exact", "writers::writer_child", "--nocapture", "--ignored"])
        .env(WRITER_DB, db)
        .env(WRITER_NAME, name)
        .env(WRITER_COUNT, count.to_string())
        .env(WRITER_GO, sidecar(db, ".go"))
        .env(WRITER_PAUSE, pause.as_micros().to_string())
        .env("RUST_BACKTRACE", "0")
        .stdout(out)
        .stderr(err);
    if let Some(stop) = stop {
        cmd.env(WRITER_STOP, stop);
    }
    cmd.spawn().expect("spawn the writer")
}

/// Waits for a writer and checks that it wrote everything without ever meeting a lock.
fn assert_writer_ok(child: &mut Child, log: &Path, name: &str) {
    let status = wait_at_most(child, Duration::from_secs(120));
    let output = fs::read_to_string(log).unwrap_or_default();
    assert!(status.is_some_and(|s| s.success()), "writer {name} failed ({status:?}):\n{output}");
    assert!(output.contains("1 passed"), "writer {name} did not run:\n{output}");
    let lower = output.to_lowercase();
    assert!(!lower.contains("locked") && !lower.contains("busy"), "writer {name} met a lock:\n{output}");
}

/// Run by the tests in this file as a second process (see [`spawn_writer`]); does nothing otherwise.
/// Registers walk-ins at one walk-in hour, calls them in and finishes them (or lets them leave) and
/// edits some files, each a transaction of its own, as fast as it can or with a pause after each
/// walk-in. Any error fails it.
#[test]
#[ignore = "a helper process for the other tests in this file"]
fn writer_child() {
    let Ok(db) = std::env::var(WRITER_DB) else { return };
    let name = std::env::var(WRITER_NAME).expect("name");
    let count: usize = std::env::var(WRITER_COUNT).expect("count").parse().expect("count");
    let stop = std::env::var_os(WRITER_STOP).map(PathBuf::from);
    let pause = Duration::from_micros(std::env::var(WRITER_PAUSE).map_or(0, |p| p.parse().expect("pause")));
    let fail = |what: &str, e: StoreError| -> ! { panic!("writer {name}: {what}: {e} ({e:?})") };
    if let Some(go) = std::env::var_os(WRITER_GO) {
        fs::write(format!("{db}.{name}.ready"), "").expect("ready");
        while !Path::new(&go).exists() {
            std::thread::sleep(Duration::from_micros(200));
        }
    }
    let mut store = Store::open(Path::new(&db)).unwrap_or_else(|e| fail("open", e));
    let when = at(12, 2, 8, 0);
    let desk = store
        .seed_user(&format!("Balie {name}"), &[Role::Receptionist], crate::common::desk::hash(), when)
        .unwrap_or_else(|e| fail("user", e));
    let counsellor = store
        .seed_user(&format!("Hulpverlener {name}"), &[Role::Counsellor], crate::common::desk::hash(), when)
        .unwrap_or_else(|e| fail("user", e));
    let mut written = 0;
    for i in 0..count {
        if stop.as_deref().is_some_and(Path::exists) {
            break;
        }
        let now = when + chrono::Duration::seconds(i as i64);
        let id = store
            .register_walk_in(&walk_in(&format!("{name}{i}"), "Schrijver"), now, Some(desk.id))
            .unwrap_or_else(|e| fail("register", e));
        if i % 3 == 2 {
            store
                .change_walk_in(id, 1, Change::Leave, now, Some(desk.id))
                .unwrap_or_else(|e| fail("leave", e));
        } else {
            let call = Change::CallIn { counsellor_id: counsellor.id };
            store.change_walk_in(id, 1, call, now, Some(desk.id)).unwrap_or_else(|e| fail("call in", e));
            let finish = Change::Finish { outcome: Outcome::WillComeBack };
            store
                .change_walk_in(id, 2, finish, now, Some(counsellor.id))
                .unwrap_or_else(|e| fail("finish", e));
        }
        if i % 5 == 0 {
            let couple = store.walk_in(id).unwrap_or_else(|e| fail("read", e)).couple.id;
            let file = store.read_file(couple, &counsellor).unwrap_or_else(|e| fail("read file", e));
            let details = FileDetails {
                partners: file.partners.clone(),
                children: 2,
                request: file.request,
                source: file.source,
            };
            store
                .save_details(couple, file.version, &details, &counsellor, now)
                .unwrap_or_else(|e| fail("edit", e));
        }
        written += 1;
        std::thread::sleep(pause);
    }
    println!("writer {name}: {written} walk-ins");
}

/// Writer processes with their logs and names; killed if the test ends while they still run.
pub(crate) struct Writers(Vec<(Child, PathBuf, &'static str)>);

impl Writers {
    /// Waits for each writer and checks that it wrote everything without ever meeting a lock.
    pub(crate) fn assert_all_ok(mut self) {
        for (child, log, name) in &mut self.0 {
            assert_writer_ok(child, log, name);
        }
    }

    /// Fails the test with the logs when a writer has already stopped.
    pub(crate) fn assert_running(&mut self) {
        for (child, log, name) in &mut self.0 {
            if let Some(status) = child.try_wait().expect("try_wait") {
                let log = fs::read_to_string(log).unwrap_or_default();
                panic!("writer {name} stopped ({status}):\n{log}");
            }
        }
    }
}

impl Drop for Writers {
    fn drop(&mut self) {
        for (child, _, _) in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Starts writers `A` and `B` on `db`, lets them open it and begin at the same moment (once both
/// have said they are ready), and returns them, still running.
pub(crate) fn run_writers(db: &Path, each: usize, pause: Duration, stop: Option<&Path>) -> Writers {
    let mut writers = Writers(
        ["A", "B"]
            .into_iter()
            .map(|name| {
                let log = sidecar(db, &format!(".{name}.log"));
                (spawn_writer(db, name, each, pause, stop, &log), log, name)
            })
            .collect(),
    );
    let waiting = Instant::now();
    while !["A", "B"].iter().all(|n| sidecar(db, &format!(".{n}.ready")).exists()) {
        writers.assert_running();
        assert!(waiting.elapsed() < Duration::from_secs(60), "the writers did not start");
        std::thread::sleep(Duration::from_millis(2));
    }
    fs::write(sidecar(db, ".go"), "").expect("go");
    writers
}

/// Two processes write many walk-ins, status changes and edits to one file at the same moment, as
/// fast as they can, and again at a person's pace (so that their writes interleave); nothing is
/// lost, tickets and file numbers stay unique and gapless, and neither ever meets "locked".
#[test]
fn two_processes_write_at_once_and_nothing_is_lost_or_locked() {
    const EACH: usize = 150;
    for (pace, pause) in
        [("as fast as they can", Duration::ZERO), ("at a person's pace", Duration::from_millis(5))]
    {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("desk.db");
        let watcher = Store::open(&db).expect("create the database");
        let before = watcher.data_version().expect("data_version");
        run_writers(&db, EACH, pause, None).assert_all_ok();
        // The other processes' changes reach this connection through data_version, reading no table.
        assert_ne!(watcher.data_version().expect("data_version"), before);
        let day = watcher.walk_ins_on(at(12, 2, 8, 0).date_naive()).expect("the day");
        assert_eq!(day.len(), 2 * EACH, "every walk-in of both processes");
        drop(watcher);
        let turns = check_two_writers(&db, EACH);
        println!(
            "two processes {pace}: {} walk-ins, the desk changed {turns} times between tickets",
            2 * EACH
        );
        if !pause.is_zero() {
            assert!(turns >= 10, "the writes of the two processes interleave: {turns} turns");
        }
    }
}

/// Checks what two writers of `each` walk-ins left; returns how often the desk changed between
/// consecutive tickets.
fn check_two_writers(db: &Path, each: usize) -> i64 {
    let conn = Connection::open(db).expect("open");
    assert_eq!(integrity(&conn), ["ok"]);
    assert!(dangling(&conn).is_empty());
    for desk in ["A", "B"] {
        let mine = |sql: &str| -> i64 {
            conn.query_row(sql, [format!("Balie {desk}")], |r| r.get(0)).expect("count")
        };
        assert_eq!(
            mine("SELECT count(*) FROM walk_ins w JOIN users u ON u.id = w.registered_by WHERE u.name = ?1"),
            each as i64,
            "walk-ins of {desk}"
        );
    }
    let changes = (0..each).map(|i| if i % 3 == 2 { 1 } else { 2 }).sum::<i64>() * 2;
    assert_eq!(count(&conn, "SELECT count(*) FROM walk_in_changes"), changes, "every status change");
    let edits = each.div_ceil(5) as i64 * 2;
    assert_eq!(count(&conn, "SELECT count(*) FROM file_events WHERE kind = 'edit'"), edits, "every edit");
    assert_eq!(count(&conn, "SELECT count(*) FROM couples WHERE children = 2"), edits, "every edit");
    assert_eq!(
        count(&conn, "SELECT count(*) FROM walk_ins WHERE status IN ('waiting', 'in_conversation')"),
        0
    );
    // Tickets of the day and file numbers: unique and without gaps, shared by both desks.
    let tickets: Vec<i64> = {
        let mut stmt = conn.prepare("SELECT ticket FROM walk_ins ORDER BY ticket").expect("tickets");
        stmt.query_map([], |r| r.get(0)).expect("rows").collect::<Result<_, _>>().expect("rows")
    };
    assert_eq!(tickets, (1..=2 * each as i64).collect::<Vec<_>>());
    assert_eq!(count(&conn, "SELECT count(DISTINCT file_seq) FROM couples"), 2 * each as i64);
    assert_eq!(count(&conn, "SELECT max(file_seq) FROM couples"), 2 * each as i64);
    // How often the desk changed between consecutive tickets: how much the writes interleaved.
    count(
        &conn,
        "SELECT count(*) FROM walk_ins a JOIN walk_ins b ON b.ticket = a.ticket + 1 AND b.day = a.day
         WHERE a.registered_by <> b.registered_by",
    )
}

/// Two desks start loket on a file that does not exist yet at the same moment: both create it,
/// one runs the migrations, and both go on to write. Forty times, as the race is narrow.
#[test]
fn two_processes_opening_a_new_file_at_once_both_work() {
    const EACH: usize = 4;
    for round in 0..40 {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join(format!("new-{round}.db"));
        run_writers(&db, EACH, Duration::ZERO, None).assert_all_ok();
        check_two_writers(&db, EACH);
        assert_eq!(mode(&db), 0o600, "created owner-only");
        assert_eq!(Store::open(&db).expect("open").schema_version().expect("version"), SCHEMA_VERSION);
    }
}

/// A change saved on a walk-in or a file since another desk read it is refused there as stale, with
/// nothing of the refused change saved; and every commit moves the other connection's
/// `data_version` at once, which is what the app polls (twice a second) to show others' changes.
#[test]
fn a_stale_change_is_refused_and_data_version_shows_the_other_desk_s_change() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("desk.db");
    let mut desk = Store::open(&db).expect("the receptionist's terminal");
    let mut room = Store::open(&db).expect("the counsellor's terminal");
    let counsellor = desk
        .seed_user("Sara de Boer", &[Role::Counsellor], crate::common::desk::hash(), at(12, 2, 8, 0))
        .expect("user");

    let seen = room.data_version().expect("data_version");
    let id = desk.register_walk_in(&walk_in("IJsbrand", "Wêreld"), at(12, 2, 8, 5), None).expect("register");
    let after_register = room.data_version().expect("data_version");
    assert_ne!(after_register, seen, "the other desk's registration shows at once");
    let read = room.walk_in(id).expect("read");
    assert_eq!(room.data_version().expect("data_version"), after_register, "reading changes nothing");

    desk.change_walk_in(
        id,
        read.version,
        Change::CallIn { counsellor_id: counsellor.id },
        at(12, 2, 8, 10),
        None,
    )
    .expect("call in");
    assert_ne!(room.data_version().expect("data_version"), after_register, "the call-in shows at once");
    let err =
        room.change_walk_in(id, read.version, Change::Leave, at(12, 2, 8, 11), None).expect_err("stale");
    assert!(matches!(err, StoreError::Stale), "{err:?}");
    assert_eq!(err.to_string(), "someone else changed this since you opened it");
    let now = room.walk_in(id).expect("read again");
    assert_eq!(
        (now.state.status, now.version),
        (Status::InConversation, 2),
        "the refused change saved nothing"
    );
    let err = desk.undo_walk_in_change(id, read.version, at(12, 2, 8, 12), None).expect_err("a stale undo");
    assert!(matches!(err, StoreError::Stale), "{err:?}");
    // Read again, the change goes through.
    room.change_walk_in(
        id,
        now.version,
        Change::Finish { outcome: Outcome::OneConversation },
        at(12, 2, 8, 50),
        None,
    )
    .expect("finish with the version read again");

    // The same for a file's details.
    let couple = now.couple.id;
    let mine = desk.read_file(couple, &counsellor).expect("file");
    let theirs = room.read_file(couple, &counsellor).expect("file");
    let with_children = |children| FileDetails {
        partners: mine.partners.clone(),
        children,
        request: mine.request,
        source: mine.source,
    };
    let seen = room.data_version().expect("data_version");
    desk.save_details(couple, mine.version, &with_children(3), &counsellor, at(12, 2, 9, 0)).expect("save");
    assert_ne!(room.data_version().expect("data_version"), seen);
    let err = room
        .save_details(couple, theirs.version, &with_children(1), &counsellor, at(12, 2, 9, 1))
        .expect_err("stale");
    assert!(matches!(err, StoreError::Stale), "{err:?}");
    assert_eq!(room.read_file(couple, &counsellor).expect("file").children, 3, "the first save stands");

    let conn = Connection::open(&db).expect("open");
    assert_eq!(count(&conn, "SELECT count(*) FROM walk_in_changes"), 2);
    assert_eq!(count(&conn, "SELECT count(*) FROM file_events WHERE kind = 'edit'"), 1);
}
