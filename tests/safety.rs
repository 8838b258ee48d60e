//! Nothing lost (issue 7): crashes, two processes at once, backups, `loket check` and faults on open,
//! against the real binary and real files.
//!
//! The crash loop kills `loket demo` with SIGKILL at random moments, 200 times by default, four at
//! a time. The long version: `LOKET_CRASH_RUNS=2000 cargo test --test safety crash -- --nocapture`
//! (`LOKET_CRASH_JOBS` sets how many run at a time, `LOKET_CRASH_SEED` the seed of the random
//! moments; the summary is printed with `--nocapture`).
//!
//! Second processes are this test binary itself, started again to run the ignored test
//! [`writer_child`], which only writes when the environment tells it to.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use loket::domain::couple::{Request, Source};
use loket::domain::file::FileDetails;
use loket::domain::names::PersonName;
use loket::domain::user::Role;
use loket::domain::walkin::{Attendance, Change, CoupleRef, NewWalkIn, Outcome, Status};
use loket::store::{SCHEMA_VERSION, Store, StoreError};
use rusqlite::Connection;

const BIN: &str = env!("CARGO_BIN_EXE_loket");

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// The binary with a configuration file that does not exist (the defaults) and no database or
/// language from the environment.
fn loket_command(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env("LOKET_CONFIG", dir.join("no-config.toml")).env_remove("LOKET_DB").env_remove("LOKET_LANG");
    cmd
}

fn loket(dir: &Path, args: &[&str]) -> Output {
    loket_command(dir).args(args).output().expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn utf8(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// A failure of the binary: a non-zero exit that is not a panic, and exactly one line on stderr.
fn assert_one_line_failure(out: &Output, what: &str) {
    let err = text(&out.stderr);
    assert!(!out.status.success(), "{what}: should fail, stdout {:?}", text(&out.stdout));
    assert_eq!(out.status.code(), Some(1), "{what}: exit 1, not a panic or a signal: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{what}: one line: {err:?}");
    assert!(err.starts_with("loket: "), "{what}: {err:?}");
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).permissions().mode() & 0o777
}

fn sidecar(db: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", db.display()))
}

fn remove_db(db: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = fs::remove_file(sidecar(db, suffix));
    }
}

/// The names in a folder, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A database filled by `loket demo`, closed (its write-ahead log checkpointed and removed).
fn demo_db(dir: &Path, name: &str, couples: usize) -> PathBuf {
    let db = dir.join(name);
    let out = loket(dir, &["demo", "--db", utf8(&db), "--couples", &couples.to_string()]);
    assert!(out.status.success(), "demo: {}", text(&out.stderr));
    assert!(!sidecar(&db, "-wal").exists(), "a clean exit leaves no write-ahead log");
    db
}

fn integrity(conn: &Connection) -> Vec<String> {
    let mut stmt = conn.prepare("PRAGMA integrity_check").expect("integrity_check");
    stmt.query_map([], |r| r.get::<_, String>(0)).expect("rows").collect::<Result<_, _>>().expect("rows")
}

fn dangling(conn: &Connection) -> Vec<(String, i64)> {
    let mut stmt = conn.prepare("PRAGMA foreign_key_check").expect("foreign_key_check");
    stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?.unwrap_or(0))))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows")
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Waits for a child at most `limit`; kills it when it takes longer.
fn wait_at_most(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return Some(status);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Whether this test runs as root, for whom file permissions do not apply: the owner of a file it
/// creates tells.
fn running_as_root(dir: &Path) -> bool {
    let probe = dir.join("whoami");
    fs::write(&probe, "").expect("probe");
    let uid = fs::metadata(&probe).expect("probe").uid();
    fs::remove_file(&probe).expect("probe");
    uid == 0
}

/// A small deterministic pseudo-random sequence (xorshift64*).
struct Prng(u64);

impl Prng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v.trim().parse().unwrap_or_else(|_| panic!("{name}={v:?} is not a number")),
        Err(_) => default,
    }
}

fn at(month: u32, day: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, h, m, 0).single().expect("valid time")
}

fn walk_in(given: &str, surname: &str) -> NewWalkIn {
    NewWalkIn {
        couple: CoupleRef::New(vec![
            PersonName::new(given, "", surname),
            PersonName::new("Els", "", "Jansen"),
        ]),
        attendance: Attendance::Both,
        request: Request::Repair,
        source: Source::SelfReferred,
        note: String::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// 1. Crashes
// ---------------------------------------------------------------------------------------------

/// What a killed process left in its write-ahead log, read before anything opens the database.
#[derive(Debug, Default, Clone, Copy)]
struct WalTail {
    /// Frames of the current log after its last commit frame: a transaction being written.
    uncommitted_frames: usize,
    /// The log ends inside a frame: killed in the middle of writing one.
    torn_frame: bool,
}

impl WalTail {
    fn read(db: &Path) -> WalTail {
        let Ok(bytes) = fs::read(sidecar(db, "-wal")) else { return WalTail::default() };
        if bytes.len() < 32 {
            return WalTail { uncommitted_frames: 0, torn_frame: !bytes.is_empty() };
        }
        let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
        let page_size = be(&bytes[8..12]) as usize;
        let salts = &bytes[16..24];
        let frame = 24 + page_size;
        let (mut off, mut frames, mut committed) = (32, 0, 0);
        while off + frame <= bytes.len() && &bytes[off + 8..off + 16] == salts {
            frames += 1;
            if be(&bytes[off + 4..off + 8]) != 0 {
                committed = frames;
            }
            off += frame;
        }
        WalTail { uncommitted_frames: frames - committed, torn_frame: (bytes.len() - 32) % frame != 0 }
    }

    fn mid_commit(self) -> bool {
        self.uncommitted_frames > 0 || self.torn_frame
    }
}

/// How far a (possibly killed) demo fill got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Progress {
    couples: i64,
    /// Walk-ins that are done or left.
    finished: i64,
    walk_ins: i64,
}

/// Checks that every save in a demo database is whole or absent. Returns how far the fill got.
fn check_whole_saves(conn: &Connection) -> Result<Progress, String> {
    let problems = integrity(conn);
    if problems != ["ok"] {
        return Err(format!("integrity_check: {problems:?}"));
    }
    let dangling = dangling(conn);
    if !dangling.is_empty() {
        return Err(format!("foreign_key_check: {dangling:?}"));
    }
    // The migrations are one transaction: no schema at all, or all of it.
    let version = count(conn, "PRAGMA user_version");
    let objects = count(conn, "SELECT count(*) FROM sqlite_master");
    if version == 0 && objects == 0 {
        return Ok(Progress { couples: 0, finished: 0, walk_ins: 0 });
    }
    if version != SCHEMA_VERSION {
        return Err(format!("schema version {version} with {objects} objects: a half migration"));
    }
    let mut failures = Vec::new();
    let mut fail = |what: String| failures.push(what);

    // A couple and its walk-in are one save: partners (both when both came) and exactly one walk-in.
    let mut stmt = conn
        .prepare(
            "SELECT c.id,
                    (SELECT count(*) FROM partners p WHERE p.couple_id = c.id),
                    (SELECT count(*) FROM partners p WHERE p.couple_id = c.id AND p.position = 1),
                    (SELECT count(*) FROM walk_ins w WHERE w.couple_id = c.id),
                    (SELECT count(*) FROM walk_ins w WHERE w.couple_id = c.id AND w.attendance = 'both')
             FROM couples c ORDER BY c.id",
        )
        .expect("couples");
    let rows: Vec<(i64, i64, i64, i64, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows");
    for (id, partners, first, walk_ins, both) in &rows {
        if !(1..=2).contains(partners) || *first != 1 {
            fail(format!("couple {id}: {partners} partners (first: {first})"));
        }
        if *walk_ins != 1 {
            fail(format!("couple {id}: {walk_ins} walk-ins, registered with exactly one"));
        }
        if *both == 1 && *partners != 2 {
            fail(format!("couple {id}: both came, but {partners} partner(s) saved"));
        }
    }

    // A status change is one save: the walk-in's state, its history row and the file's follow-up.
    let mut stmt = conn
        .prepare(
            "SELECT w.id, w.status, w.counsellor_id IS NOT NULL, w.outcome, w.called_at IS NOT NULL, w.version,
                    (SELECT count(*) FROM walk_in_changes h WHERE h.walk_in_id = w.id),
                    (SELECT count(*) FROM walk_in_changes h WHERE h.walk_in_id = w.id AND h.undone_at IS NOT NULL),
                    (SELECT group_concat(h.from_status || '>' || h.to_status, ' ') FROM
                        (SELECT * FROM walk_in_changes WHERE walk_in_id = w.id AND undone_at IS NULL ORDER BY id) h),
                    c.status, c.counsellor_id IS NOT NULL,
                    (SELECT count(*) FROM file_events e WHERE e.couple_id = c.id AND e.kind = 'status')
             FROM walk_ins w JOIN couples c ON c.id = w.couple_id ORDER BY w.id",
        )
        .expect("walk-ins");
    type WalkInRow =
        (i64, String, bool, Option<String>, bool, i64, i64, i64, Option<String>, String, bool, i64);
    let walk_ins: Vec<WalkInRow> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
                r.get(11)?,
            ))
        })
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("rows");
    let mut finished = 0;
    for (
        id,
        status,
        counsellor,
        outcome,
        called,
        version,
        changes,
        undone,
        history,
        file,
        file_counsellor,
        events,
    ) in &walk_ins
    {
        let history = history.clone().unwrap_or_default();
        let expected = match status.as_str() {
            "waiting" => "",
            "in_conversation" => "waiting>in_conversation",
            "done" => "waiting>in_conversation in_conversation>done",
            "left" => "waiting>left",
            other => {
                fail(format!("walk-in {id}: unknown status {other}"));
                continue;
            }
        };
        if history != expected {
            fail(format!("walk-in {id}: status {status} with history {history:?}"));
        }
        if *version != 1 + changes + undone {
            fail(format!("walk-in {id}: version {version} after {changes} changes ({undone} undone)"));
        }
        let called_in = matches!(status.as_str(), "in_conversation" | "done");
        if called_in != *counsellor || called_in != *called {
            fail(format!("walk-in {id}: {status} with counsellor {counsellor}, called at {called}"));
        }
        if (status == "done") != outcome.is_some() {
            fail(format!("walk-in {id}: {status} with outcome {outcome:?}"));
        }
        if called_in && !file_counsellor {
            fail(format!("walk-in {id}: called in, but the file has no counsellor"));
        }
        let moves_file = matches!(outcome.as_deref(), Some("one_conversation" | "trajectory_to_plan"));
        if moves_file && (file == "new" || *events == 0) {
            fail(format!(
                "walk-in {id}: outcome {outcome:?}, but the file is {file} with {events} status events"
            ));
        }
        if outcome.as_deref() == Some("trajectory_to_plan") && file == "one_conversation" {
            fail(format!("walk-in {id}: a trajectory to plan, but the file is on one conversation"));
        }
        if matches!(status.as_str(), "done" | "left") {
            finished += 1;
        }
    }

    // The file's own saves: each with its timeline event.
    let pairs = [
        (
            "details without their event",
            "SELECT count(*) FROM couples c
             WHERE (c.children > 0 OR EXISTS (SELECT 1 FROM partners p WHERE p.couple_id = c.id AND p.phone <> ''))
               <> EXISTS (SELECT 1 FROM file_events e WHERE e.couple_id = c.id AND e.kind = 'edit')",
        ),
        (
            "life events without their event",
            "SELECT count(*) FROM couples c WHERE (SELECT count(*) FROM life_events l WHERE l.couple_id = c.id)
               <> (SELECT count(*) FROM file_events e WHERE e.couple_id = c.id AND e.kind = 'life_event')",
        ),
        (
            "notes without their event",
            "SELECT count(*) FROM couples c WHERE (c.notes <> '')
               <> EXISTS (SELECT 1 FROM file_events e WHERE e.couple_id = c.id AND e.kind = 'notes')",
        ),
        (
            "a safety concern without its event",
            "SELECT count(*) FROM couples c WHERE c.safety_concern
               <> EXISTS (SELECT 1 FROM file_events e WHERE e.couple_id = c.id AND e.kind = 'safety_set')",
        ),
        (
            "a trajectory on a file not on the trajectory track",
            "SELECT count(*) FROM trajectories t JOIN couples c ON c.id = t.couple_id WHERE c.status <> 'trajectory'",
        ),
        (
            "a file status without its event (or an event without its status)",
            "SELECT count(*) FROM couples c WHERE c.status <> 'new' AND c.status IS NOT
               (SELECT detail FROM file_events e WHERE e.couple_id = c.id AND e.kind = 'status' ORDER BY e.id DESC LIMIT 1)",
        ),
    ];
    for (what, sql) in pairs {
        let n = count(conn, sql);
        if n != 0 {
            fail(format!("{n} × {what}"));
        }
    }

    // File numbers per year and tickets per day: unique and without gaps.
    for (what, sql) in [
        (
            "file numbers",
            "SELECT file_year, group_concat(file_seq) FROM (SELECT * FROM couples ORDER BY file_seq) GROUP BY file_year",
        ),
        (
            "tickets",
            "SELECT day, group_concat(ticket) FROM (SELECT * FROM walk_ins ORDER BY ticket) GROUP BY day",
        ),
    ] {
        let mut stmt = conn.prepare(sql).expect(what);
        let groups: Vec<(String, String)> = stmt
            .query_map([], |r| {
                Ok((r.get::<_, rusqlite::types::Value>(0).map(|v| format!("{v:?}"))?, r.get(1)?))
            })
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("rows");
        for (key, list) in groups {
            let numbers: Vec<i64> = list.split(',').map(|n| n.parse().expect("a number")).collect();
            let expected: Vec<i64> = (1..=numbers.len() as i64).collect();
            if numbers != expected {
                fail(format!("{what} of {key}: {list}"));
            }
        }
    }
    if failures.is_empty() {
        Ok(Progress { couples: rows.len() as i64, finished, walk_ins: walk_ins.len() as i64 })
    } else {
        Err(failures.join("; "))
    }
}

fn demo_child(dir: &Path, db: &Path, couples: usize) -> Child {
    loket_command(dir)
        .args(["demo", "--db", utf8(db), "--couples", &couples.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn loket demo")
}

/// What the crash runs came to.
#[derive(Debug, Default)]
struct Tally {
    /// Killed before the database file existed: nothing to check.
    no_file: u64,
    /// Finished before the kill came: the whole fill is there.
    finished: u64,
    /// Killed while filling.
    partial: u64,
    /// ... of which before the first couple was saved (the schema and users, or nothing yet).
    before_couples: u64,
    /// ... of which in the middle of writing a commit to the write-ahead log.
    mid_commit: u64,
}

/// The median of the last whole runs.
fn median(durations: &[Duration]) -> Duration {
    let mut last: Vec<Duration> = durations.iter().rev().take(9).copied().collect();
    last.sort();
    last[last.len() / 2]
}

/// One crash run: `loket demo` killed after a random delay within a little more than the median
/// whole run; then every check on what it left.
fn crash_once(
    dir: &Path,
    run: u64,
    seed: u64,
    complete: Progress,
    durations: &std::sync::Mutex<Vec<Duration>>,
    tally: &std::sync::Mutex<Tally>,
) {
    // A little beyond the median, so that some runs finish and keep the measure up to date.
    let span = median(&durations.lock().expect("durations")).as_micros() as u64 * 5 / 4;
    let delay =
        Duration::from_micros(Prng(seed ^ (run + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1).below(span + 1));
    let db = dir.join(format!("run-{run}.db"));
    let mut child = demo_child(dir, &db, COUPLES);
    let spawned = Instant::now();
    while spawned.elapsed() < delay {
        if child.try_wait().expect("try_wait").is_some() {
            durations.lock().expect("durations").push(spawned.elapsed());
            break;
        }
        std::thread::sleep(Duration::from_micros(500));
    }
    let _ = child.kill(); // SIGKILL; an error only means it had already exited
    let status = child.wait().expect("wait");
    if !db.exists() {
        tally.lock().expect("tally").no_file += 1;
        return;
    }
    let tail = WalTail::read(&db);
    // What the kill left, as it was, in case this run fails.
    let evidence = dir.join(format!("run-{run}-as-killed"));
    fs::create_dir(&evidence).expect("evidence folder");
    for suffix in ["", "-wal", "-shm"] {
        let from = sidecar(&db, suffix);
        if from.exists() {
            fs::copy(&from, evidence.join(from.file_name().expect("name"))).expect("copy");
        }
    }
    let fail = |why: String| -> ! {
        panic!(
            "run {run} (seed {seed:#x}, killed after {delay:?}, {status}, {tail:?}): {why}; \
             the files as the kill left them are in {}",
            evidence.display()
        )
    };
    // The user's first step after a crash: `loket check`.
    let checked = loket(dir, &["check", "--db", utf8(&db)]);
    if !checked.status.success() {
        fail(format!("loket check: {}{}", text(&checked.stdout), text(&checked.stderr)));
    }
    let conn = Connection::open(&db).expect("open after the kill");
    let progress = check_whole_saves(&conn).unwrap_or_else(|e| fail(e));
    drop(conn);
    // And loket itself opens it again (running the migrations if the kill came before them).
    if let Err(e) = Store::open(&db) {
        fail(format!("Store::open after the kill: {e}"));
    }
    if status.success() && progress != complete {
        fail(format!("the run finished, but the fill is {progress:?}, not {complete:?}"));
    }
    let mut tally = tally.lock().expect("tally");
    if status.success() {
        tally.finished += 1;
    } else {
        tally.partial += 1;
        tally.before_couples += u64::from(progress.couples == 0);
        tally.mid_commit += u64::from(tail.mid_commit());
    }
    drop(tally);
    remove_db(&db);
    fs::remove_dir_all(&evidence).expect("remove evidence");
}

/// How many couples each crashed demo fills.
const COUPLES: usize = 40;

/// Kills `loket demo` (one transaction per registration and status change) with SIGKILL at random
/// moments spread over the time a whole run takes, 200 times (`LOKET_CRASH_RUNS`), four at a time
/// (`LOKET_CRASH_JOBS`); after each kill the file passes `integrity_check`, `foreign_key_check` and
/// `loket check`, and every save is whole or absent.
#[test]
fn crash_kills_at_random_moments_leave_every_save_whole_or_absent() {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicU64, Ordering};
    let runs = env_number("LOKET_CRASH_RUNS", 200);
    let jobs = env_number("LOKET_CRASH_JOBS", 4).max(1);
    let seed = env_number("LOKET_CRASH_SEED", 0x10ce_7000_0007);
    // Kept when a run fails, to look at; removed when all is well.
    let dir = tempfile::tempdir().expect("temp dir").keep();

    // How long a whole run takes (as many at a time as the loop runs), and what it leaves. The time
    // varies with the load of the machine: the kills are spread over the median of the last whole
    // runs (and a quarter more), measured again as the loop goes.
    let whole: Vec<(Duration, Progress)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..jobs * 2)
            .map(|i| {
                let dir = &dir;
                s.spawn(move || {
                    std::thread::sleep(Duration::from_millis(if i < jobs { 0 } else { 300 }));
                    let db = dir.join(format!("whole-{i}.db"));
                    let start = Instant::now();
                    let status = demo_child(dir, &db, COUPLES).wait().expect("wait");
                    let took = start.elapsed();
                    assert!(status.success(), "a whole demo run");
                    let conn = Connection::open(&db).expect("open");
                    let progress = check_whole_saves(&conn).unwrap_or_else(|e| panic!("a whole run: {e}"));
                    drop(conn);
                    remove_db(&db);
                    (took, progress)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("a whole run")).collect()
    });
    let complete = whole[0].1;
    assert_eq!(complete.couples, COUPLES as i64);
    assert!(whole.iter().all(|(_, p)| *p == complete), "every whole run fills the same");
    let durations = Mutex::new(whole.iter().map(|(d, _)| *d).collect::<Vec<_>>());

    let tally = Mutex::new(Tally::default());
    let next = AtomicU64::new(0);
    let started = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| {
                loop {
                    let run = next.fetch_add(1, Ordering::Relaxed);
                    if run >= runs {
                        break;
                    }
                    crash_once(&dir, run, seed, complete, &durations, &tally);
                }
            });
        }
    });
    let t = tally.into_inner().expect("tally");
    println!(
        "crash runs: {runs}, {jobs} at a time, in {:.1?} (a whole run takes about {:?}; seed {seed:#x}): \
         {} killed before the file existed, {} finished before the kill, {} killed while writing \
         ({} before the first couple was saved, {} in the middle of a commit to the write-ahead log); \
         every save whole or absent",
        started.elapsed(),
        median(&durations.into_inner().expect("durations")),
        t.no_file,
        t.finished,
        t.partial,
        t.before_couples,
        t.mid_commit,
    );
    assert!(t.partial * 2 >= runs.saturating_sub(t.no_file), "most runs should be killed while writing");
    fs::remove_dir_all(&dir).expect("clean up");
}

// ---------------------------------------------------------------------------------------------
// 2. Two processes at once
// ---------------------------------------------------------------------------------------------

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
    cmd.args(["--exact", "writer_child", "--nocapture", "--ignored"])
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
        .add_user(&format!("Balie {name}"), Role::Receptionist, when)
        .unwrap_or_else(|e| fail("user", e));
    let counsellor = store
        .add_user(&format!("Hulpverlener {name}"), Role::Counsellor, when)
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
struct Writers(Vec<(Child, PathBuf, &'static str)>);

impl Writers {
    /// Waits for each writer and checks that it wrote everything without ever meeting a lock.
    fn assert_all_ok(mut self) {
        for (child, log, name) in &mut self.0 {
            assert_writer_ok(child, log, name);
        }
    }

    /// Fails the test with the logs when a writer has already stopped.
    fn assert_running(&mut self) {
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
fn run_writers(db: &Path, each: usize, pause: Duration, stop: Option<&Path>) -> Writers {
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
    let counsellor = desk.add_user("Sara de Boer", Role::Counsellor, at(12, 2, 8, 0)).expect("user");

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
    let err = desk.undo_walk_in_change(id, read.version, at(12, 2, 8, 12)).expect_err("a stale undo");
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

// ---------------------------------------------------------------------------------------------
// 3. Backups
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// 4. loket check
// ---------------------------------------------------------------------------------------------

/// The page size of a database file, from its header.
fn page_size(bytes: &[u8]) -> usize {
    match u16::from_be_bytes([bytes[16], bytes[17]]) {
        1 => 65536,
        n => n as usize,
    }
}

/// `loket check` says all is well on a good file (exit 0), and on a dangling reference, a damaged
/// index and pages overwritten in the middle of the file says what is wrong with a non-zero exit,
/// never a panic, and changes nothing.
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
            if name == "newer.db" && command == ["check"] {
                // The check reads it, says which version it is, and changes nothing.
                assert!(text(&out.stdout).contains("schema version 99"), "{what}: {}", text(&out.stdout));
            } else {
                assert_one_line_failure(&out, &what);
                assert!(text(&out.stderr).contains(expected), "{what}: {}", text(&out.stderr));
            }
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
