//! Planning with years of history: `Store::plan_session` and the schema's clash triggers on a file
//! with many conversations.
//!
//! Every new conversation is checked against the counsellor's and the room's others (the store's
//! own check, then the triggers on `sessions`). Those checks must look at a short window around
//! the new conversation, not at everything before it, so that planning in the tenth year is as
//! quick as in the first. This benchmark writes `N` conversations over the ten years before today
//! (100 counsellors, a room each, about five a trajectory; straight through SQL in one
//! transaction), then times, at the end of that history:
//! - `plan_session` through the store (its checks, the triggers, the access log), and
//! - one `INSERT` into `sessions` alone (the triggers only), rolled back each time,
//!
//! once with a small history and once with the full one, side by side, and shows the query plan
//! of the store's check (`Store::explain_clash_checks`). It fails if that plan reads the index
//! without a lower bound on the start, or if a clash is not refused.
//!
//! Run: `cargo bench --bench planner` (the binary gets `--bench`: 500,000 conversations against
//! 5,000). Without `--bench`, as `cargo test --all-targets` runs it, it is a smoke run of 2,000
//! against 200 conversations. `LOKET_BENCH_SESSIONS=100000` sets another full history.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveTime, TimeZone, Utc, Weekday};
use loket::domain::planner::{PlanRefused, SessionStatus};
use loket::domain::trajectory::{DutyHour, NewSession};
use loket::domain::user::{Role, User};
use loket::store::{Store, StoreError};
use rusqlite::{Connection, params};

/// Counsellors, each with a room of their own.
const COUNSELLORS: i64 = 100;
/// Timed plannings (each in a trajectory of its own).
const RUNS: i64 = 200;

fn today() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 8, 0, 0).single().expect("valid time")
}

fn sql_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Writes `n` conversations (held, a few cancelled) over the ten years before today, spread over
/// the counsellors, five to a trajectory, one couple each; plus `RUNS` empty trajectories of
/// counsellor 1 to plan in. The clash triggers are set aside while the history is written (it
/// has no clash by construction: each counsellor's conversations are hours apart in their own
/// room) and put back as they were.
fn fill(path: &Path, n: i64) -> rusqlite::Result<Vec<i64>> {
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "cache_size", -256_000)?;
    let tx = conn.transaction()?;
    for c in 1..=COUNSELLORS {
        tx.execute(
            "INSERT INTO users (id, name, role, created_at) VALUES (?1, ?2, 'counsellor', '2016-01-01T08:00:00Z')",
            params![c + 10, format!("Counsellor {c}")],
        )?;
    }
    let triggers: Vec<(String, String)> = {
        let mut stmt = tx.prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sessions_%'",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (name, _) in &triggers {
        tx.execute_batch(&format!("DROP TRIGGER {name}"))?;
    }
    let per_counsellor = (n / COUNSELLORS).max(1);
    let span = Duration::from_secs(10 * 365 * 86_400);
    let step = span.as_secs() as i64 / per_counsellor;
    let first = today() - chrono::Duration::seconds(span.as_secs() as i64);
    let mut runs = Vec::new();
    {
        let mut couple = tx.prepare(
            "INSERT INTO couples (id, file_year, file_seq, request, source, status, created_at)
             VALUES (?1, 2016, ?1, 'repair', 'self', 'trajectory', '2016-01-01T08:00:00Z')",
        )?;
        let mut trajectory = tx.prepare(
            "INSERT INTO trajectories (id, couple_id, counsellor_id, year, started_at, ended_at)
             VALUES (?1, ?1, ?2, 2016, '2016-01-01T08:00:00Z', ?3)",
        )?;
        let mut session = tx.prepare(
            "INSERT INTO sessions (trajectory_id, counsellor_id, room, starts_at, ends_at, status)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        let mut id = 0;
        for c in 1..=COUNSELLORS {
            for k in 0..per_counsellor {
                if k % 5 == 0 {
                    id += 1;
                    couple.execute([id])?;
                    trajectory.execute(params![id, c + 10, Some("2016-01-01T08:00:00Z")])?;
                }
                let start = first + chrono::Duration::seconds(k * step);
                let status = if k % 17 == 0 { "cancelled" } else { "held" };
                let end = start + chrono::Duration::minutes(90);
                session.execute(params![
                    id,
                    c + 10,
                    format!("Kamer {c}"),
                    sql_time(start),
                    sql_time(end),
                    status
                ])?;
            }
        }
        for _ in 0..RUNS {
            id += 1;
            couple.execute([id])?;
            trajectory.execute(params![id, 11, None::<String>])?;
            runs.push(id);
        }
    }
    for (_, sql) in &triggers {
        tx.execute_batch(sql)?;
    }
    tx.commit()?;
    Ok(runs)
}

struct Timing {
    median: Duration,
    p99: Duration,
    max: Duration,
}

fn timing(mut runs: Vec<Duration>) -> Timing {
    runs.sort();
    let n = runs.len();
    Timing { median: runs[n / 2], p99: runs[(n * 99 / 100).min(n - 1)], max: runs[n - 1] }
}

fn us(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e6)
}

/// Builds a file with `n` conversations and times planning at the end of its history.
fn measure(n: i64) -> (Timing, Timing, Vec<String>) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("loket.db");
    drop(Store::open(&path).expect("Store::open creates the database"));
    let start = Instant::now();
    let trajectories = fill(&path, n).expect("history");
    println!("{n} conversations written in {:.2} s", start.elapsed().as_secs_f64());
    let mut store = Store::open(&path).expect("reopen");
    let by = User { id: 11, name: "Counsellor 1".to_owned(), roles: vec![Role::Counsellor] };
    let t = |h| NaiveTime::from_hms_opt(h, 0, 0).expect("valid time");
    let duty = DutyHour { weekday: Weekday::Wed, from: t(9), to: t(10) };
    // Future slots of counsellor 1 in room 1, two hours apart in the evening and night (never the
    // walk-in hour).
    let slot =
        |i: i64| today() + chrono::Duration::days(1 + i / 4) + chrono::Duration::hours(12 + 2 * (i % 4));
    let mut planned = Vec::new();
    for (i, &trajectory) in (0..).zip(&trajectories) {
        let new = NewSession {
            trajectory_id: trajectory,
            start: slot(i),
            room: "Kamer 1".to_owned(),
            status: SessionStatus::Planned,
            attended: None,
        };
        let start = Instant::now();
        store.plan_session(&new, duty, &by, today()).expect("plan");
        planned.push(start.elapsed());
    }
    // A clash is still refused, at the end of the history.
    let busy = NewSession {
        trajectory_id: trajectories[0],
        start: slot(0) + chrono::Duration::minutes(89),
        room: "Kamer 2".to_owned(),
        status: SessionStatus::Planned,
        attended: None,
    };
    let refused = store.plan_session(&busy, duty, &by, today());
    assert!(matches!(refused, Err(StoreError::Plan(PlanRefused::CounsellorBusy(_)))), "{refused:?}");

    // The triggers alone: one insert, rolled back, for a counsellor with a full history.
    let conn = Connection::open(&path).expect("raw connection");
    let mut inserts = Vec::new();
    for i in 0..RUNS {
        let start_at = slot(RUNS + i);
        conn.execute_batch("SAVEPOINT one").expect("savepoint");
        let start = Instant::now();
        conn.execute(
            "INSERT INTO sessions (trajectory_id, counsellor_id, room, starts_at, ends_at, status)
             VALUES (?1, 12, 'Kamer 2', ?2, ?3, 'planned')",
            params![trajectories[1], sql_time(start_at), sql_time(start_at + chrono::Duration::minutes(90))],
        )
        .expect("insert");
        inserts.push(start.elapsed());
        conn.execute_batch("ROLLBACK TO one; RELEASE one").expect("rollback");
    }
    let plan = store.explain_clash_checks(slot(0)).expect("explain");
    (timing(planned), timing(inserts), plan)
}

fn main() {
    let full = std::env::args().skip(1).any(|a| a == "--bench");
    let (small, large) = if full { (5_000, 500_000) } else { (200, 2_000) };
    let large = std::env::var("LOKET_BENCH_SESSIONS")
        .map(|v| v.trim().parse().expect("LOKET_BENCH_SESSIONS must be a number of conversations"))
        .unwrap_or(large);
    println!(
        "loket planner benchmark: {small} and {large} conversations over ten years, {COUNSELLORS} counsellors, {RUNS} plannings{}\n",
        if full { "" } else { " (smoke run; `cargo bench --bench planner` measures 500,000)" }
    );
    let (small_plan, small_insert, _) = measure(small);
    let (large_plan, large_insert, plan) = measure(large);
    println!("\n{:<44} {:>10} {:>10} {:>10}", "call", "median µs", "p99 µs", "max µs");
    for (label, t) in [
        (format!("plan_session, {small} conversations"), &small_plan),
        (format!("plan_session, {large} conversations"), &large_plan),
        (format!("INSERT (triggers only), {small}"), &small_insert),
        (format!("INSERT (triggers only), {large}"), &large_insert),
    ] {
        println!("{label:<44} {:>10} {:>10} {:>10}", us(t.median), us(t.p99), us(t.max));
    }
    println!("\nEXPLAIN QUERY PLAN, the store's clash checks (counsellor, room):");
    for line in &plan {
        println!("  {line}");
    }
    let unbounded: Vec<&String> = plan
        .iter()
        .filter(|l| l.contains("SEARCH") && l.contains("starts_at<?") && !l.contains("starts_at>?"))
        .collect();
    assert!(unbounded.is_empty(), "a clash check reads every earlier conversation: {unbounded:?}");
}
