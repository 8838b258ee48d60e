//! The planner in the store, on a real temporary SQLite file: five conversations of exactly 90
//! minutes, no double bookings (the clash named), the walk-in hour, past and future, one active
//! trajectory, notes for counsellors only, the budget, bookings with initials, the schema's own
//! guards (CHECK and triggers) and two writers at the same moment.

use std::sync::{Arc, Barrier};

use chrono::{DateTime, Duration, TimeZone, Utc};
use loket::domain::file::{CloseOutcome, FileStatus};
use loket::domain::planner::{Attended, Clash, PlanRefused, SessionStatus};
use loket::domain::trajectory::NewSession;
use loket::domain::user::User;
use loket::store::{Store, StoreError};
use rusqlite::{Connection, params};

use crate::common::desk::{Desk, at, desk, duty};

use PlanRefused::*;
use SessionStatus::*;

type At = DateTime<Utc>;
type Sql = rusqlite::Result<usize>;
type Plan = Result<i64, StoreError>;

/// Tuesday 1 December 2026, 09:00 in Amsterdam.
fn now() -> At {
    at(12, 1, 8, 0)
}

/// Conversation slots clear of each other and of the walk-in hour: 04:00 and 16:00 local from 4 January 2027.
fn slot(n: i64) -> At {
    Utc.with_ymd_and_hms(2027, 1, 4, 3, 0, 0).single().expect("valid time") + Duration::hours(12 * n)
}

fn sql(t: At) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn refused<T: std::fmt::Debug>(r: Result<T, StoreError>) -> PlanRefused {
    match r {
        Err(StoreError::Plan(why)) => why,
        other => panic!("expected a planning refusal, got {other:?}"),
    }
}

/// The store desk, with couples and their trajectories.
trait PlannerDesk {
    fn couple_named(&mut self, partners: &[(&str, &str, &str)]) -> i64;
    fn couple(&mut self, surname: &str) -> i64;
    fn trajectory(&mut self, surname: &str, counsellor: i64, when: At) -> (i64, i64);
    fn plan(&mut self, t: i64, start: At, room: &str, status: SessionStatus) -> Plan;
    fn file_number(&self, couple: i64) -> String;
    fn version(&self, couple: i64, session: i64) -> i64;
    fn raw(&self) -> Connection;
}

impl PlannerDesk for Desk {
    fn couple_named(&mut self, partners: &[(&str, &str, &str)]) -> i64 {
        self.register(partners, at(11, 2, 8, 0), None).1
    }

    fn couple(&mut self, surname: &str) -> i64 {
        self.couple_named(&[("Els", "", surname), ("Piet", "", surname)])
    }

    /// A new couple with a trajectory: (couple, trajectory).
    fn trajectory(&mut self, surname: &str, counsellor: i64, when: At) -> (i64, i64) {
        let couple = self.couple(surname);
        let id = self.store.start_trajectory(couple, counsellor, &self.coordinator, when).expect("start");
        (couple, id)
    }

    fn plan(&mut self, t: i64, start: At, room: &str, status: SessionStatus) -> Plan {
        let by = self.receptionist.clone();
        plan(&mut self.store, &by, t, start, room, status, now())
    }

    fn file_number(&self, couple: i64) -> String {
        self.store.read_file(couple, &self.coordinator).expect("file").file.to_string()
    }

    fn version(&self, couple: i64, session: i64) -> i64 {
        let t = self.store.trajectory_of(couple, &self.counsellor).expect("read").expect("trajectory");
        t.sessions.iter().find(|s| s.id == session).expect("session").version
    }

    fn raw(&self) -> Connection {
        Connection::open(&self.path).expect("raw connection")
    }
}

fn plan(store: &mut Store, by: &User, t: i64, start: At, room: &str, s: SessionStatus, now: At) -> Plan {
    let attended = (s == Held).then_some(Attended::Both);
    let new = NewSession { trajectory_id: t, start, room: room.to_owned(), status: s, attended };
    store.plan_session(&new, duty(), by, now)
}

/// A conversation in room 9, inserted past the store's Rust checks.
fn raw_insert(conn: &Connection, (t, counsellor): (i64, i64), start: At, minutes: i64, status: &str) -> Sql {
    conn.execute(
        "INSERT INTO sessions (trajectory_id, counsellor_id, room, starts_at, ends_at, status)
         VALUES (?1, ?2, 'Kamer 9', ?3, ?4, ?5)",
        params![t, counsellor, sql(start), sql(start + Duration::minutes(minutes)), status],
    )
}

fn failure(r: Sql) -> String {
    r.expect_err("the database should refuse this").to_string()
}

#[test]
fn five_conversations_fit_a_sixth_does_not_and_a_cancelled_one_gives_its_place_back() {
    let mut d = desk();
    let (couple, t) = d.trajectory("Jansen", d.counsellor.id, at(11, 2, 9, 0));
    d.plan(t, at(11, 10, 9, 0), "Kamer 1", Held).expect("held 1");
    d.plan(t, at(11, 17, 9, 0), "Kamer 1", NoShow).expect("no-show 2");
    let planned: Vec<i64> =
        (0..3).map(|n| d.plan(t, slot(n), "Kamer 1", Planned).expect("planned")).collect();
    assert_eq!(refused(d.plan(t, slot(5), "Kamer 1", Planned)), Full);
    assert_eq!(refused(d.plan(t, at(11, 24, 9, 0), "Kamer 1", Held)), Full);

    let v = d.version(couple, planned[0]);
    d.store.set_session_status(planned[0], v, Cancelled, None, "ziek", &d.counsellor, now()).expect("cancel");
    let again = d.plan(t, slot(6), "Kamer 1", Planned).expect("the cancelled place is free again");
    assert_eq!(refused(d.plan(t, slot(7), "Kamer 1", Planned)), Full);

    let v = d.version(couple, planned[0]);
    let later = slot(0) + Duration::hours(1);
    assert_eq!(
        refused(d.store.set_session_status(planned[0], v, Held, None, "", &d.counsellor, later)),
        NotPlanned
    );
    let traj = d.store.trajectory_of(couple, &d.counsellor).expect("read").expect("trajectory");
    let statuses: Vec<_> = traj.sessions.iter().map(|s| (s.id, s.status, s.cancel_reason.as_str())).collect();
    assert_eq!(statuses.len(), 6);
    assert!(statuses.contains(&(planned[0], Cancelled, "ziek")), "{statuses:?}");
    assert!(statuses.contains(&(again, Planned, "")), "{statuses:?}");
}

#[test]
fn every_conversation_lasts_ninety_minutes_and_the_schema_holds_the_rules() {
    let mut d = desk();
    let (_, t) = d.trajectory("Jansen", d.counsellor.id, at(11, 2, 9, 0));
    d.plan(t, at(11, 10, 9, 17), "Kamer 1", Held).expect("held");
    for n in 0..3 {
        d.plan(t, slot(n), "Kamer 1", Planned).expect("planned");
    }
    let conn = d.raw();
    let mut stmt = conn.prepare("SELECT starts_at, ends_at FROM sessions").expect("prepare");
    let time =
        |r: &rusqlite::Row<'_>, i: usize| r.get::<_, String>(i).map(|t| t.parse::<At>().expect("time"));
    let rows: Vec<_> = stmt.query_map([], |r| Ok((time(r, 0)?, time(r, 1)?))).expect("query").collect();
    assert_eq!(rows.len(), 4);
    for (start, end) in rows.into_iter().map(|r| r.expect("row")) {
        assert_eq!(end - start, Duration::minutes(90), "{start} – {end}");
    }

    let key = (t, d.counsellor.id);
    for minutes in [89, 120] {
        let err = failure(raw_insert(&conn, key, slot(10), minutes, "planned"));
        assert!(err.contains("CHECK constraint failed"), "{minutes} minutes: {err}");
    }
    raw_insert(&conn, key, slot(10), 90, "planned").expect("a fifth of 90 minutes fits");
    let err = failure(raw_insert(&conn, key, slot(11), 90, "planned"));
    assert!(err.contains("loket: trajectory full"), "{err}");
    raw_insert(&conn, key, slot(11), 90, "cancelled").expect("a cancelled one takes no place");

    let moved = conn.execute(
        "UPDATE sessions SET starts_at = ?1 WHERE starts_at = ?2",
        params![sql(slot(12)), sql(slot(0))],
    );
    assert!(failure(moved).contains("loket: cancel and plan again"));
    let other_couple = (d.trajectory("Bakker", d.counsellor.id, now()).1, d.counsellor.id);
    let err = failure(raw_insert(&conn, other_couple, slot(1) + Duration::minutes(1), 90, "planned"));
    assert!(err.contains("loket: counsellor busy"), "{err}");
}

#[test]
fn a_counsellor_or_a_room_is_not_booked_twice_and_the_clash_is_named() {
    let mut d = desk();
    let (a, ta) = d.trajectory("Jansen", d.counsellor.id, at(11, 2, 9, 0));
    let (b, tb) = d.trajectory("Bakker", d.counsellor.id, at(11, 2, 9, 0));
    let (_, tc) = d.trajectory("Smit", d.other.id, at(11, 2, 9, 0));
    let (t0, file_a) = (at(12, 3, 13, 0), d.file_number(a));
    assert_ne!(file_a, d.file_number(b));
    let first = d.plan(ta, t0, "Kamer 1", Planned).expect("first");
    let clash = Clash { file: file_a.clone(), start: t0 };

    for minutes in [89, 1, -1, -89] {
        let r = d.plan(tb, t0 + Duration::minutes(minutes), "Kamer 2", Planned);
        assert_eq!(refused(r), CounsellorBusy(clash.clone()), "{minutes} minutes off");
    }
    d.plan(tb, t0 + Duration::minutes(90), "Kamer 2", Planned).expect("straight after");
    d.plan(tb, t0 - Duration::minutes(90), "Kamer 2", Planned).expect("straight before");

    let r = d.plan(tc, t0 + Duration::minutes(60), "Kamer 1", Planned);
    assert_eq!(refused(r), RoomTaken(clash));
    d.plan(tc, t0 + Duration::minutes(90), "Kamer 1", Planned).expect("the room is free after");

    let v = d.version(a, first);
    d.store.set_session_status(first, v, Cancelled, None, "ziek", &d.counsellor, now()).expect("cancel");
    d.plan(tb, t0, "Kamer 1", Planned).expect("a cancelled conversation does not clash");
}

#[test]
fn the_walk_in_hour_is_busy_for_planning_but_not_for_recording() {
    let mut d = desk();
    let (_, t) = d.trajectory("Jansen", d.counsellor.id, at(11, 2, 9, 0));
    // Wednesday 2 December 2026: 09:30 local is 08:30 UTC.
    assert_eq!(refused(d.plan(t, at(12, 2, 8, 30), "Kamer 1", Planned)), WalkInHour);
    assert_eq!(refused(d.plan(t, at(12, 2, 6, 45), "Kamer 1", Planned)), WalkInHour, "07:45–09:15 local");
    d.plan(t, at(12, 2, 9, 0), "Kamer 1", Planned).expect("10:00 local");
    d.plan(t, at(12, 2, 6, 30), "Kamer 1", Planned).expect("07:30–09:00 local");
    // Wednesday 25 November, 09:30 local: recorded afterwards, it was held.
    d.plan(t, at(11, 25, 8, 30), "Kamer 1", Held).expect("held during the walk-in hour");
}

#[test]
fn planning_is_for_the_future_and_recording_for_the_past() {
    let mut d = desk();
    let (couple, t) = d.trajectory("Jansen", d.counsellor.id, at(11, 2, 9, 0));
    assert_eq!(refused(d.plan(t, at(11, 30, 13, 0), "Kamer 1", Planned)), InThePast);
    assert_eq!(refused(d.plan(t, now(), "Kamer 1", Planned)), InThePast);
    assert_eq!(refused(d.plan(t, at(12, 3, 13, 0), "Kamer 1", Held)), NotYetHappened);
    assert_eq!(refused(d.plan(t, at(12, 3, 13, 0), "Kamer 1", NoShow)), NotYetHappened);

    let s = d.plan(t, at(12, 3, 13, 0), "Kamer 1", Planned).expect("planned");
    for status in [Held, NoShow] {
        let r = d.store.set_session_status(
            s,
            d.version(couple, s),
            status,
            Some(Attended::Both),
            "",
            &d.counsellor,
            now(),
        );
        assert_eq!(refused(r), NotYetHappened);
    }
    let (v, afterwards) = (d.version(couple, s), at(12, 3, 15, 0));
    d.store
        .set_session_status(s, v, Held, Some(Attended::Partner1), "", &d.counsellor, afterwards)
        .expect("held");
    let traj = d.store.trajectory_of(couple, &d.counsellor).expect("read").expect("trajectory");
    assert_eq!((traj.sessions[0].status, traj.sessions[0].attended), (Held, Some(Attended::Partner1)));
}

#[test]
fn a_couple_has_one_active_trajectory_at_a_time() {
    let mut d = desk();
    let couple = d.couple("Jansen");
    assert_eq!(d.store.read_file(couple, &d.coordinator).expect("file").status, FileStatus::New);
    let first = d.store.start_trajectory(couple, d.counsellor.id, &d.coordinator, now()).expect("start");
    assert_eq!(d.store.read_file(couple, &d.coordinator).expect("file").status, FileStatus::Trajectory);
    let again = d.store.start_trajectory(couple, d.other.id, &d.coordinator, now());
    assert_eq!(refused(again), AlreadyActive);

    let traj = d.store.trajectory_of(couple, &d.coordinator).expect("read").expect("trajectory");
    assert_eq!((traj.id, traj.counsellor.0, traj.ended_at), (first, d.counsellor.id, None));
    d.store.end_trajectory(first, traj.version, &d.counsellor, at(12, 1, 10, 0)).expect("end");
    assert_eq!(refused(d.plan(first, at(12, 3, 13, 0), "Kamer 1", Planned)), Ended);

    let second =
        d.store.start_trajectory(couple, d.other.id, &d.coordinator, at(12, 1, 11, 0)).expect("again");
    let traj = d.store.trajectory_of(couple, &d.coordinator).expect("read").expect("trajectory");
    assert_eq!((traj.id, traj.counsellor.0, traj.ended_at), (second, d.other.id, None));
    d.plan(second, at(12, 3, 13, 0), "Kamer 1", Planned).expect("the new trajectory plans");
}

#[test]
fn a_conversation_note_is_for_counsellors_only() {
    let mut d = desk();
    let (couple, t) = d.trajectory("Jansen", d.counsellor.id, at(11, 2, 9, 0));
    let s = d.plan(t, at(11, 10, 9, 0), "Kamer 1", Held).expect("held");
    let v = d.version(couple, s);
    let r = d.store.save_session_note(s, v, "Ruzie over geld", &d.receptionist, now());
    assert!(matches!(r, Err(StoreError::NotAllowed)), "{r:?}");
    d.store.save_session_note(s, v, "Ruzie over geld", &d.counsellor, now()).expect("save");

    let note_for = |viewer: &User| {
        let t = d.store.trajectory_of(couple, viewer).expect("read").expect("trajectory");
        t.sessions[0].note.clone()
    };
    assert_eq!(note_for(&d.counsellor), Some("Ruzie over geld".to_owned()));
    assert_eq!(note_for(&d.other), Some("Ruzie over geld".to_owned()));
    for viewer in [&d.coordinator, &d.receptionist] {
        assert_eq!(note_for(viewer), None, "{:?}", viewer.roles);
    }
}

#[test]
fn the_budget_counts_trajectories_started_and_conversations_held_in_the_year() {
    let mut d = desk();
    let (couple, t) = d.trajectory("Jansen", d.counsellor.id, at(11, 2, 9, 0));
    d.trajectory("Bakker", d.other.id, at(12, 1, 9, 0));
    d.plan(t, at(11, 10, 9, 0), "Kamer 1", Held).expect("held");
    d.plan(t, at(11, 17, 9, 0), "Kamer 1", Held).expect("held");
    d.plan(t, at(11, 24, 9, 0), "Kamer 1", NoShow).expect("no-show");
    d.plan(t, at(12, 3, 13, 0), "Kamer 1", Planned).expect("planned");
    let cancelled = d.plan(t, at(12, 10, 13, 0), "Kamer 1", Planned).expect("planned");
    let v = d.version(couple, cancelled);
    d.store.set_session_status(cancelled, v, Cancelled, None, "ziek", &d.counsellor, now()).expect("cancel");
    assert_eq!(d.store.budget_figures(2026).expect("budget"), (2, 2));

    let jan = Utc.with_ymd_and_hms(2027, 1, 12, 9, 0, 0).single().expect("valid");
    let (_, t3) = d.trajectory("Smit", d.counsellor.id, jan);
    let by = d.counsellor.clone();
    plan(&mut d.store, &by, t3, jan + Duration::days(1), "Kamer 2", Held, jan + Duration::days(2))
        .expect("held");
    assert_eq!(d.store.budget_figures(2026).expect("budget"), (2, 2));
    assert_eq!(d.store.budget_figures(2027).expect("budget"), (1, 1));
}

#[test]
fn bookings_show_a_counsellors_conversations_with_file_number_and_initials_only() {
    let mut d = desk();
    let couple = d.couple_named(&[("IJsbrand", "van der", "Wêreld"), ("Els", "", "Jansen")]);
    let t = d.store.start_trajectory(couple, d.counsellor.id, &d.coordinator, now()).expect("start");
    let (_, other) = d.trajectory("Bakker", d.other.id, now());
    let in_week = [at(12, 7, 13, 0), at(12, 10, 8, 30)];
    let ids: Vec<i64> = in_week.iter().map(|&s| d.plan(t, s, "Kamer 1", Planned).expect("planned")).collect();
    d.plan(t, at(12, 14, 13, 0), "Kamer 1", Planned).expect("next week");
    d.plan(other, at(12, 8, 13, 0), "Kamer 2", Planned).expect("other counsellor");

    let week = d.store.bookings(Some(d.counsellor.id), at(12, 7, 0, 0), at(12, 14, 0, 0)).expect("bookings");
    let seen: Vec<_> =
        week.iter().map(|b| (b.session_id, b.file.to_string(), b.initials.as_str(), b.start)).collect();
    let file = d.file_number(couple);
    let initials = "IJ. van der W. & E. J.";
    assert_eq!(
        seen,
        vec![(ids[0], file.clone(), initials, in_week[0]), (ids[1], file, initials, in_week[1])]
    );
    let shown = format!("{week:?}");
    for name in ["Wêreld", "IJsbrand", "Jansen", "Els "] {
        assert!(!shown.contains(name), "{name} leaked: {shown}");
    }
    let all = d.store.bookings(None, at(12, 7, 0, 0), at(12, 14, 0, 0)).expect("bookings");
    assert_eq!(all.len(), 3);
}

#[test]

fn the_schema_refuses_un_cancelling_into_a_double_booking() {
    let mut d = desk();
    let (a, ta) = d.trajectory("Jansen", d.counsellor.id, at(11, 2, 9, 0));
    let (_, tb) = d.trajectory("Bakker", d.counsellor.id, at(11, 2, 9, 0));
    let first = d.plan(ta, at(12, 3, 13, 0), "Kamer 1", Planned).expect("first");
    let v = d.version(a, first);
    d.store.set_session_status(first, v, Cancelled, None, "ziek", &d.counsellor, now()).expect("cancel");
    d.plan(tb, at(12, 3, 13, 30), "Kamer 1", Planned).expect("in the freed time");
    // The counsellor and the room would now be booked twice: the trigger that guards un-cancelling
    // refuses it in its own words.
    let r = d.raw().execute("UPDATE sessions SET status = 'planned' WHERE id = ?1", [first]);
    assert_eq!(failure(r), "loket: counsellor busy");
}

#[test]
fn two_desks_upgrading_to_the_planner_at_once_both_open() {
    for _ in 0..3 {
        let d = tempfile::tempdir().expect("temp dir");
        let path = d.path().join("loket.db");
        let conn = Connection::open(&path).expect("plain sqlite");
        for sql in [
            include_str!("../../src/store/migrations/0001_init.sql"),
            include_str!("../../src/store/migrations/0002_queue_indexes.sql"),
            include_str!("../../src/store/migrations/0003_files.sql"),
        ] {
            conn.execute_batch(sql).expect("an older schema");
        }
        conn.pragma_update(None, "user_version", 3).expect("version 3");
        let barrier = Arc::new(Barrier::new(2));
        let desks: Vec<_> = (0..2)
            .map(|_| {
                let (path, barrier) = (path.clone(), Arc::clone(&barrier));
                std::thread::spawn(move || {
                    barrier.wait();
                    Store::open(&path).map(drop)
                })
            })
            .collect();
        for desk in desks {
            let opened = desk.join().expect("thread");
            assert!(opened.is_ok(), "a desk could not open the file: {opened:?}");
        }
    }
}

/// Two desks at the same moment, each with its own connection to the same file.
#[test]
fn two_writers_at_the_same_moment_never_overbook() {
    const ROUNDS: i64 = 20;
    let mut d = desk();
    // Per round: a trajectory with four conversations, and two couples with the same counsellor.
    let mut rounds = Vec::new();
    for r in 0..ROUNDS {
        let (_, full) = d.trajectory(&format!("Vol{r}"), d.counsellor.id, now());
        for k in 0..4 {
            d.plan(full, slot(r * 10 + k), &format!("Kamer {k}"), Planned).expect("setup");
        }
        let (_, x) = d.trajectory(&format!("Een{r}"), d.other.id, now());
        let (_, y) = d.trajectory(&format!("Twee{r}"), d.other.id, now());
        rounds.push((full, x, y));
    }
    let rounds = Arc::new(rounds);
    let barrier = Arc::new(Barrier::new(2));
    let desks: Vec<_> = (0..2i64)
        .map(|me| {
            let (path, rounds, barrier) = (d.path.clone(), Arc::clone(&rounds), Arc::clone(&barrier));
            let by = d.receptionist.clone();
            std::thread::spawn(move || {
                let mut store = Store::open(&path).expect("open in thread");
                let mut results = Vec::new();
                for (r, &(full, x, y)) in (0..).zip(rounds.iter()) {
                    barrier.wait();
                    let fifth = plan(&mut store, &by, full, slot(r * 10 + 4 + me), "Kamer 8", Planned, now());
                    barrier.wait();
                    let (couple, start) =
                        (if me == 0 { x } else { y }, slot(r * 10 + 6) + Duration::minutes(30 * me));
                    let busy =
                        plan(&mut store, &by, couple, start, &format!("Kamer {}", 10 + me), Planned, now());
                    results.push((fifth, busy));
                }
                results
            })
        })
        .collect();
    let results: Vec<Vec<_>> = desks.into_iter().map(|h| h.join().expect("thread")).collect();
    assert!(results.iter().all(|r| r.len() == ROUNDS as usize));
    for (r, ((fifth_a, busy_a), (fifth_b, busy_b))) in results[0].iter().zip(&results[1]).enumerate() {
        match (fifth_a, fifth_b) {
            (Ok(_), Err(StoreError::Plan(Full))) | (Err(StoreError::Plan(Full)), Ok(_)) => {}
            other => panic!("round {r}: the fifth conversation: {other:?}"),
        }
        match (busy_a, busy_b) {
            (Ok(_), Err(StoreError::Plan(CounsellorBusy(_))))
            | (Err(StoreError::Plan(CounsellorBusy(_))), Ok(_)) => {}
            other => panic!("round {r}: the same counsellor twice: {other:?}"),
        }
    }
    let (total, most): (i64, i64) = d
        .raw()
        .query_row(
            "SELECT sum(n), max(n) FROM (SELECT count(*) AS n FROM sessions GROUP BY trajectory_id)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("count");
    assert_eq!((total, most), (6 * ROUNDS, 5), "five and one a round, never six");
}

#[test]
fn ending_a_trajectory_or_closing_the_file_cancels_what_is_still_planned() {
    let mut d = desk();
    // Ending: four planned conversations are cancelled, so a new trajectory cannot add to them.
    let (couple, t) = d.trajectory("Jansen", d.counsellor.id, now());
    for n in 0..4 {
        d.plan(t, slot(n), "Kamer 1", Planned).expect("plan");
    }
    let version = d.store.trajectory_of(couple, &d.counsellor).expect("read").expect("t").version;
    d.store.end_trajectory(t, version, &d.counsellor, now()).expect("end");
    let after = d.store.trajectory_of(couple, &d.counsellor).expect("read").expect("t");
    assert!(after.sessions.iter().all(|s| s.status == Cancelled && s.cancel_reason == "traject afgesloten"));
    let second = d.store.start_trajectory(couple, d.counsellor.id, &d.coordinator, now()).expect("again");
    for n in 0..5 {
        d.plan(second, slot(n), "Kamer 1", Planned).expect("the freed times and five new places");
    }
    let planned: i64 = d
        .raw()
        .query_row(
            "SELECT count(*) FROM sessions s JOIN trajectories t ON t.id = s.trajectory_id
             WHERE t.couple_id = ?1 AND s.status = 'planned'",
            [couple],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(planned, 5, "never more than five planned for a couple");

    // Closing the file ends its trajectory and cancels what is planned.
    let (other, t2) = d.trajectory("Visser", d.other.id, now());
    d.plan(t2, slot(0), "Kamer 2", Planned).expect("plan");
    let file = d.store.read_file(other, &d.coordinator).expect("file");
    let closing = Some((CloseOutcome::Stopped, now().date_naive()));
    d.store
        .set_file_status(other, file.version, FileStatus::Closed, closing, &d.coordinator, now())
        .expect("close");
    let t = d.store.trajectory_of(other, &d.counsellor).expect("read").expect("t");
    assert!(t.ended_at.is_some(), "the trajectory ended with the file");
    assert_eq!(t.sessions[0].status, Cancelled);
    assert_eq!(refused(d.plan(t2, slot(1), "Kamer 2", Planned)), Ended);
}

/// A desk day, from the desk's calendar.
fn day(m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, m, d).expect("date")
}

#[test]
fn closed_days_and_days_off_are_settings_and_refuse_planning_on_them() {
    use loket::domain::settings::Closed as Why;
    let mut d = desk();
    let (_, t) = d.trajectory("Jansen", d.counsellor.id, at(11, 2, 9, 0));
    let (_, other_t) = d.trajectory("Visser", d.other.id, at(11, 2, 9, 0));
    let today = day(12, 1);
    let holidays = [day(12, 24), day(12, 25)].into();
    // Only a coordinator sets them.
    let by_counsellor = d.store.set_closed_days(None, &holidays, today, &d.counsellor.clone(), now());
    assert!(matches!(by_counsellor, Err(StoreError::NotAllowed)), "{by_counsellor:?}");
    let coordinator = d.coordinator.clone();
    d.store.set_closed_days(None, &holidays, today, &coordinator, now()).expect("desk closed");
    let off = [day(12, 23)].into();
    d.store.set_closed_days(Some(d.counsellor.id), &off, today, &coordinator, now()).expect("day off");
    let closed = d.store.closed_days().expect("read");
    assert_eq!(closed.desk, holidays);
    assert_eq!(closed.off.get(&d.counsellor.id), Some(&off));
    // Thursday 24 December, 14:00 local (13:00 UTC): the desk is closed, for everyone.
    let christmas_eve = at(12, 24, 13, 0);
    assert_eq!(
        refused(d.plan(t, christmas_eve, "Kamer 1", Planned)),
        Closed { day: day(12, 24), why: Why::Desk }
    );
    assert_eq!(
        refused(d.plan(other_t, christmas_eve, "Kamer 2", Planned)),
        Closed { day: day(12, 24), why: Why::Desk }
    );
    // Wednesday 23 December: Sara's day off, not Jan's.
    let wednesday = at(12, 23, 13, 0);
    assert_eq!(
        refused(d.plan(t, wednesday, "Kamer 1", Planned)),
        Closed { day: day(12, 23), why: Why::DayOff }
    );
    d.plan(other_t, wednesday, "Kamer 2", Planned).expect("Jan works that day");
    d.plan(t, at(12, 22, 13, 0), "Kamer 1", Planned).expect("the day before is open");
    // Each change is in the access log, by number of days only.
    let conn = d.raw();
    let details: Vec<String> = conn
        .prepare("SELECT detail FROM access_log WHERE event = 'settings_changed' ORDER BY id")
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows");
    assert_eq!(
        details,
        ["closed_days: 0 -> 2 days".to_owned(), format!("days_off:{}: 0 -> 1 days", d.counsellor.id)]
    );
    // A new list replaces the days from today on; days already past stay as they were.
    d.store.set_closed_days(None, &[day(12, 31)].into(), day(12, 25), &coordinator, now()).expect("again");
    assert_eq!(d.store.closed_days().expect("read").desk, [day(12, 24), day(12, 31)].into());
}

/// A conversation of 90 minutes inserted past the store's Rust checks, in `room`: the triggers alone decide.
fn raw_in(conn: &Connection, (t, counsellor): (i64, i64), room: &str, start: At, status: &str) -> Sql {
    conn.execute(
        "INSERT INTO sessions (trajectory_id, counsellor_id, room, starts_at, ends_at, status)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![t, counsellor, room, sql(start), sql(start + Duration::minutes(90)), status],
    )
}

/// `n` cancelled conversations of this counsellor in "Kamer 1", one a day in the years before
/// 2026: history that no clash check may read (a cancelled one takes no place, so the trajectory
/// holds them all).
fn history(conn: &Connection, key: (i64, i64), n: i64) {
    let first = Utc.with_ymd_and_hms(2016, 1, 4, 9, 0, 0).single().expect("valid time");
    for day in 0..n {
        raw_in(conn, key, "Kamer 1", first + Duration::days(day), "cancelled").expect("history");
    }
}

#[test]
fn a_clash_is_found_up_to_the_last_second_of_overlap_and_not_a_second_after() {
    let mut d = desk();
    let (a, ta) = d.trajectory("Jansen", d.counsellor.id, at(11, 2, 9, 0));
    let (_, tb) = d.trajectory("Bakker", d.counsellor.id, at(11, 2, 9, 0));
    let (_, tc) = d.trajectory("Smit", d.other.id, at(11, 2, 9, 0));
    history(&d.raw(), (ta, d.counsellor.id), 400);
    let t0 = at(12, 3, 13, 0);
    let first = d.plan(ta, t0, "Kamer 1", Planned).expect("first");
    let clash = Clash { file: d.file_number(a), start: t0 };
    let second = Duration::seconds(1);
    let length = Duration::minutes(90);

    // Through the store: the same counsellor (another room), then the same room (another counsellor).
    for off in [length - second, second, -second, second - length] {
        let busy = d.plan(tb, t0 + off, "Kamer 2", Planned);
        assert_eq!(refused(busy), CounsellorBusy(clash.clone()), "{off} off: the counsellor");
        let taken = d.plan(tc, t0 + off, "Kamer 1", Planned);
        assert_eq!(refused(taken), RoomTaken(clash.clone()), "{off} off: the room");
    }
    // Through the schema alone, at the same edges: the triggers find the same clashes.
    let conn = d.raw();
    for off in [length - second, -second, second - length] {
        let busy = failure(raw_in(&conn, (tb, d.counsellor.id), "Kamer 2", t0 + off, "planned"));
        assert_eq!(busy, "loket: counsellor busy", "{off} off");
        let taken = failure(raw_in(&conn, (tc, d.other.id), "Kamer 1", t0 + off, "planned"));
        assert_eq!(taken, "loket: room taken", "{off} off");
    }
    // Straight before and straight after: no overlap, no clash, by the store and by the schema.
    d.plan(tb, t0 - length, "Kamer 2", Planned).expect("the counsellor straight before");
    d.plan(tc, t0 + length, "Kamer 1", Planned).expect("the room straight after");
    raw_in(&conn, (tb, d.counsellor.id), "Kamer 3", t0 + length, "planned").expect("straight after");
    raw_in(&conn, (tc, d.other.id), "Kamer 1", t0 - length, "planned").expect("the room straight before");

    // Un-cancelling into an overlap of one second is refused; with none it is allowed.
    let t1 = at(12, 10, 13, 0);
    let later = d.plan(ta, t1, "Kamer 1", Planned).expect("a week later");
    let v = d.version(a, later);
    d.store.set_session_status(later, v, Cancelled, None, "ziek", &d.counsellor, now()).expect("cancel");
    let (_, td) = d.trajectory("Visser", d.other.id, at(11, 2, 9, 0));
    raw_in(&conn, (td, d.other.id), "Kamer 1", t1 + length - second, "planned").expect("in the freed room");
    let again = conn.execute("UPDATE sessions SET status = 'planned' WHERE id = ?1", [later]);
    assert_eq!(failure(again), "loket: counsellor busy", "the room overlaps by one second");
    conn.execute("UPDATE sessions SET status = 'cancelled' WHERE trajectory_id = ?1", [td]).expect("free it");
    conn.execute("UPDATE sessions SET status = 'planned' WHERE id = ?1", [later]).expect("no overlap left");
    assert_ne!(first, later);
}

/// The clash checks read a few index entries around the new conversation, not a counsellor's or a
/// room's whole history: the triggers' work (SQLite's virtual-machine steps for one insert) is the
/// same after 3,000 earlier conversations as after none, and the store's own check is a bounded
/// range of the index.
#[test]
fn the_clash_checks_read_a_window_not_the_history() {
    let mut d = desk();
    let (_, t) = d.trajectory("Jansen", d.counsellor.id, at(11, 2, 9, 0));
    let (_, u) = d.trajectory("Bakker", d.counsellor.id, at(11, 2, 9, 0));
    let conn = d.raw();
    let steps = |conn: &Connection, trajectory: i64, start: At| -> i32 {
        let mut stmt = conn
            .prepare(
                "INSERT INTO sessions (trajectory_id, counsellor_id, room, starts_at, ends_at, status)
                 VALUES (?1, ?2, 'Kamer 1', ?3, ?4, 'planned')",
            )
            .expect("prepare");
        stmt.execute(params![trajectory, d.counsellor.id, sql(start), sql(start + Duration::minutes(90))])
            .expect("insert");
        stmt.get_status(rusqlite::StatementStatus::VmStep)
    };
    let without_history = steps(&conn, t, slot(0));
    history(&conn, (u, d.counsellor.id), 3000);
    let with_history = steps(&conn, t, slot(1));
    assert!(
        with_history < without_history + 100,
        "one insert took {without_history} steps with no history and {with_history} after 3,000 conversations"
    );

    let plans = d.store.explain_clash_checks(slot(2)).expect("explain");
    assert_eq!(plans.iter().filter(|l| l.contains("starts_at>? AND starts_at<?")).count(), 2, "{plans:#?}");
}
