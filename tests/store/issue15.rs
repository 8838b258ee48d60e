//! Issue 15 in the store: a trajectory started by mistake is undone and counts nowhere; the
//! timeline puts a cancelled conversation where it was cancelled; a walk-in's short note is read
//! only by a role that reads notes.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use loket::domain::file::{FileStatus, Happening, LifeEventKind, Notes};
use loket::domain::planner::{PlanRefused, SessionStatus};
use loket::domain::report::{Period, Value};
use loket::domain::trajectory::NewSession;
use loket::domain::walkin::{Attendance, CoupleRef, NewWalkIn, Status};
use loket::store::StoreError;

use crate::common::desk::{Desk, at, desk, duty};

type At = DateTime<Utc>;

/// A conversation slot clear of the walk-in hour: 14:00 local on a weekday of January 2027.
fn slot(day: u32) -> At {
    Utc.with_ymd_and_hms(2027, 1, day, 13, 0, 0).single().expect("valid time")
}

fn plan(d: &mut Desk, trajectory: i64, start: At, status: SessionStatus, now: At) -> i64 {
    let new =
        NewSession { trajectory_id: trajectory, start, room: "Spreekkamer 1".into(), status, attended: None };
    d.store.plan_session(&new, duty(), &d.counsellor, now).expect("plan")
}

fn version_of(d: &Desk, trajectory: i64, couple: i64) -> i64 {
    let t = d.store.trajectory_of(couple, &d.counsellor).expect("read").expect("a trajectory");
    assert_eq!(t.id, trajectory);
    t.version
}

fn count(d: &Desk, key: &str) -> Value {
    let period = Period {
        from: NaiveDate::from_ymd_opt(2026, 1, 1).expect("day"),
        to: NaiveDate::from_ymd_opt(2027, 12, 31).expect("day"),
    };
    let figures = crate::report::figures(&d.store, period);
    figures.iter().find(|f| f.group == "trajectories" && f.key == key).expect("figure").value
}

#[test]
fn a_trajectory_started_by_mistake_is_undone_and_counts_nowhere() {
    let mut d = desk();
    let now = at(12, 2, 9, 0);
    let (_, couple) = d.register(&[("Els", "", "Jansen")], at(12, 2, 8, 0), None);
    let sara = d.counsellor.clone();
    let trajectory = d.store.start_trajectory(couple, sara.id, &sara, now).expect("start");
    let planned = plan(&mut d, trajectory, slot(5), SessionStatus::Planned, now);
    assert_eq!(d.store.read_file(couple, &sara).expect("file").status, FileStatus::Trajectory);
    assert_eq!(d.store.budget_figures(2026).expect("budget").0, 1, "started: one funded place used");

    let later = now + Duration::minutes(5);
    let v = version_of(&d, trajectory, couple);
    d.store.undo_trajectory(trajectory, v, &sara, later).expect("undo");

    // The file is as before the start, the conversation planned is cancelled, nothing is running.
    let file = d.store.read_file(couple, &sara).expect("file");
    assert_eq!(file.status, FileStatus::New, "the file gets its status back");
    assert_eq!(d.store.trajectory_of(couple, &sara).expect("read"), None, "no trajectory shown");
    assert!(matches!(
        file.timeline.first().map(|e| &e.what),
        Some(Happening::Status { to: FileStatus::New, .. })
    ));
    assert!(file.timeline.iter().any(|e| e.what == Happening::TrajectoryUndone && e.at == later));
    assert!(!file.timeline.iter().any(|e| e.what == Happening::TrajectoryEnded), "not an ended trajectory");
    let bookings = d.store.bookings(None, now, slot(6)).expect("bookings");
    assert_eq!(
        bookings.iter().find(|b| b.session_id == planned).map(|b| b.status),
        Some(SessionStatus::Cancelled)
    );
    // Counted nowhere: not started, not stopped, not against the budget.
    assert_eq!(d.store.budget_figures(2026).expect("budget").0, 0, "the funded place is given back");
    assert_eq!(count(&d, "started"), Value::Count(0));
    assert_eq!(count(&d, "stopped"), Value::Count(0));
    // Logged, as the start was.
    let log = d.store.log_of_file(couple).expect("log");
    assert!(log.iter().any(|e| e.event == "trajectory" && e.detail == "undone"), "{log:?}");
    // A new trajectory can start at once.
    d.store.start_trajectory(couple, sara.id, &sara, later).expect("start again");
}

#[test]
fn a_trajectory_with_a_conversation_held_cannot_be_undone_and_ending_it_still_counts() {
    let mut d = desk();
    let now = at(12, 2, 9, 0);
    let (_, couple) = d.register(&[("Els", "", "Jansen")], at(11, 2, 8, 0), None);
    let sara = d.counsellor.clone();
    let trajectory = d.store.start_trajectory(couple, sara.id, &sara, at(11, 3, 9, 0)).expect("start");
    plan(&mut d, trajectory, at(11, 10, 13, 0), SessionStatus::Held, now);
    let v = version_of(&d, trajectory, couple);
    match d.store.undo_trajectory(trajectory, v, &sara, now) {
        Err(StoreError::Plan(PlanRefused::AlreadyUsed)) => {}
        other => panic!("expected a refusal, got {other:?}"),
    }
    d.store.end_trajectory(trajectory, v, &sara, now).expect("end");
    assert_eq!(count(&d, "stopped"), Value::Count(1), "ended with one held: stopped");
    assert_eq!(d.store.budget_figures(2026).expect("budget").0, 1);
}

#[test]
fn a_cancelled_conversation_stands_in_the_timeline_where_it_was_cancelled() {
    let mut d = desk();
    let (_, couple) = d.register(&[("Els", "", "Jansen")], at(12, 1, 8, 0), None);
    let sara = d.counsellor.clone();
    let trajectory = d.store.start_trajectory(couple, sara.id, &sara, at(12, 1, 9, 0)).expect("start");
    // Planned for 30 December, cancelled on 2 December at 10:00; a life event noted at 11:00.
    let session = plan(&mut d, trajectory, at(12, 30, 13, 0), SessionStatus::Planned, at(12, 1, 9, 5));
    let cancelled = at(12, 2, 9, 0);
    let v = d.store.trajectory_of(couple, &sara).expect("read").expect("t").sessions[0].version;
    d.store
        .set_session_status(session, v, SessionStatus::Cancelled, None, "ziek", &sara, cancelled)
        .expect("cancel");
    let version = d.store.read_file(couple, &sara).expect("file").version;
    d.store
        .add_life_event(couple, version, LifeEventKind::Moving, None, &sara, at(12, 2, 10, 0))
        .expect("event");

    let timeline = d.store.read_file(couple, &sara).expect("file").timeline;
    assert_eq!(
        timeline[0].what,
        Happening::LifeEvent(LifeEventKind::Moving),
        "today's newest first: {timeline:?}"
    );
    assert_eq!(timeline[1].what, Happening::Conversation(SessionStatus::Cancelled));
    assert_eq!(timeline[1].at, cancelled, "at the moment it was cancelled, not on 30 December");
    assert!(timeline.windows(2).all(|w| w[0].at >= w[1].at), "newest first");
}

#[test]
fn a_walk_ins_note_is_read_by_counsellors_only() {
    let mut d = desk();
    let note = "Kwam op advies van school, zoon (8) heeft last van ruzies";
    let walk_in = NewWalkIn {
        couple: CoupleRef::New(vec![loket::domain::names::PersonName::new("Els", "", "Jansen")]),
        attendance: Attendance::One,
        request: loket::domain::couple::Request::Repair,
        source: loket::domain::couple::Source::School,
        note: note.to_owned(),
    };
    let id = d.store.register_walk_in(&walk_in, at(12, 2, 8, 0), Some(d.receptionist.id)).expect("register");
    let couple = d.store.walk_in(id).expect("walk-in").couple.id;
    // The queue knows only that there is a note.
    let queue = d.store.queue_for(NaiveDate::from_ymd_opt(2026, 12, 2).expect("day")).expect("queue");
    assert!(queue[0].has_note);
    assert!(!format!("{queue:?}").contains("advies"), "the queue holds no note text");
    let note_of = |file: &loket::domain::file::CoupleFile| {
        file.timeline.iter().find_map(|e| match &e.what {
            Happening::WalkIn { status: Status::Waiting, note, .. } => Some(note.clone()),
            _ => None,
        })
    };
    let counsellor = d.store.open_file(couple, &d.counsellor.clone(), at(12, 2, 8, 5)).expect("open");
    assert_eq!(note_of(&counsellor), Some(Notes::Text(note.to_owned())));
    for other in [d.receptionist.clone(), d.coordinator.clone()] {
        let file = d.store.open_file(couple, &other, at(12, 2, 8, 6)).expect("open");
        assert_eq!(note_of(&file), Some(Notes::Hidden { exist: true }), "{}", other.name);
        assert!(!format!("{file:?}").contains("advies"));
    }
    // Reading it is a file read in the access log, for each of them.
    let reads = d.store.log_of_file(couple).expect("log").iter().filter(|e| e.event == "file_read").count();
    assert_eq!(reads, 3);
}
