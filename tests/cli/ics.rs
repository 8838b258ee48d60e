//! `loket export-ics`: planned conversations as an iCalendar file, with file number and initials
//! only, written owner-only; the real binary on a real database.

use std::path::PathBuf;
use std::process::Output;

use crate::common::bin::{assert_one_line_error, loket, stderr};

use chrono::{DateTime, Days, NaiveTime, TimeZone, Utc, Weekday};
use icalendar::{CalendarDateTime, Component, DatePerhapsTime, EventLike};
use loket::domain::couple::{Request, Source};
use loket::domain::names::PersonName;
use loket::domain::planner::SessionStatus;
use loket::domain::trajectory::{DutyHour, NewSession};
use loket::domain::user::Role;
use loket::domain::walkin::{Attendance, CoupleRef, DESK_TZ, NewWalkIn, desk_day};
use loket::store::Store;

const NAMES: [&str; 4] = ["Wêreld", "Jansen", "IJsbrand", "Els"];

/// 10:00 at the desk, `days` days after today: always in the future.
fn ten_oclock(days: u64) -> DateTime<Utc> {
    let day = desk_day(Utc::now()).checked_add_days(Days::new(days)).expect("a date");
    let local = day.and_time(NaiveTime::from_hms_opt(10, 0, 0).expect("a time"));
    DESK_TZ.from_local_datetime(&local).earliest().expect("10:00 exists").with_timezone(&Utc)
}

/// A database with one couple in a trajectory: two planned conversations and a cancelled one.
struct Prepared {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    db: String,
    /// The couple's file number, "2026-001".
    file: String,
    planned: [DateTime<Utc>; 2],
}

fn prepare() -> Prepared {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let now = Utc::now();
    let mut store = Store::open(&path).expect("open");
    let counsellor = store
        .seed_user("Sara de Boer", &[Role::Counsellor], crate::common::desk::hash(), now)
        .expect("counsellor");
    let receptionist = store
        .seed_user("Ruud Kramer", &[Role::Receptionist], crate::common::desk::hash(), now)
        .expect("receptionist");
    store
        .seed_user("Piet Bakker", &[Role::Counsellor], crate::common::desk::hash(), now)
        .expect("another counsellor");
    let walk_in = NewWalkIn {
        couple: CoupleRef::New(vec![
            PersonName::new("IJsbrand", "van der", "Wêreld"),
            PersonName::new("Els", "", "Jansen"),
        ]),
        attendance: Attendance::Both,
        request: Request::Repair,
        source: Source::SelfReferred,
        note: "Ruzie over de kinderen; bel Els op 06-12345678".to_owned(),
    };
    let walk_in_id = store.register_walk_in(&walk_in, now, Some(receptionist.id)).expect("walk-in");
    let couple = store
        .walk_ins_on(desk_day(now))
        .expect("queue")
        .into_iter()
        .find(|w| w.id == walk_in_id)
        .expect("the walk-in")
        .couple;
    let trajectory =
        store.start_trajectory(couple.id, counsellor.id, &receptionist, now).expect("trajectory");
    let duty = DutyHour {
        weekday: Weekday::Sun,
        from: NaiveTime::from_hms_opt(0, 0, 0).expect("time"),
        to: NaiveTime::from_hms_opt(0, 1, 0).expect("time"),
    };
    let plan = |store: &mut Store, start, room: &str| {
        let new = NewSession {
            trajectory_id: trajectory,
            start,
            room: room.to_owned(),
            status: SessionStatus::Planned,
            attended: None,
        };
        store.plan_session(&new, duty, &receptionist, now).expect("planned")
    };
    let planned = [ten_oclock(1), ten_oclock(2)];
    plan(&mut store, planned[0], "Kamer 1");
    plan(&mut store, planned[1], "Kamer 2, achter");
    let cancelled = plan(&mut store, ten_oclock(3), "Kamer 3");
    store
        .set_session_status(cancelled, 1, SessionStatus::Cancelled, None, "ziek", &receptionist, now)
        .expect("cancelled");
    drop(store);
    let db = path.to_str().expect("utf-8 path").to_owned();
    Prepared { dir: dir.path().to_owned(), db, file: couple.file.to_string(), planned, _dir: dir }
}

fn utc(value: Option<DatePerhapsTime>) -> DateTime<Utc> {
    match value {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(at))) => at,
        other => panic!("expected a UTC date-time, got {other:?}"),
    }
}

/// Parses the calendar back with the icalendar crate and checks what every event must hold.
fn events(text: &str) -> Vec<icalendar::Event> {
    let calendar: icalendar::Calendar = text.parse().expect("the calendar parses");
    let events: Vec<_> = calendar.events().cloned().collect();
    for event in &events {
        let (start, end) = (utc(event.get_start()), utc(event.get_end()));
        assert_eq!((end - start).num_minutes(), 90, "{text}");
        assert!(
            event.get_uid().is_some_and(|u| u.starts_with("session-") && u.ends_with("@loket")),
            "{text}"
        );
    }
    events
}

fn run_to_file(p: &Prepared, name: &str, extra: &[&str]) -> (Output, String) {
    let out_path = p.dir.join(name);
    let out_arg = out_path.to_str().expect("utf-8").to_owned();
    let mut args = vec!["export-ics", "--db", &p.db, "--out", &out_arg];
    args.extend_from_slice(extra);
    let out = loket(&p.dir, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    (out, std::fs::read_to_string(&out_path).expect("the calendar was written"))
}

#[test]
fn planned_conversations_are_exported_with_file_number_and_initials_only() {
    let p = prepare();
    let (out, text) = run_to_file(&p, "agenda.ics", &[]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        said.trim_end(),
        format!("2 gesprekken geschreven naar {}", p.dir.join("agenda.ics").display())
    );

    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
    assert!(text.trim_end().ends_with("END:VCALENDAR"), "{text}");
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 2, "the cancelled one is left out: {text}");
    let events = events(&text);
    assert_eq!(events.len(), 2);
    let starts: Vec<_> = events.iter().map(|e| utc(e.get_start())).collect();
    assert_eq!(starts, p.planned);
    for event in &events {
        let summary = format!("Gesprek {} (IJ. van der W. & E. J.)", p.file);
        assert_eq!(event.get_summary(), Some(summary.as_str()));
        assert_eq!(event.get_description(), Some("Hulpverlener: Sara de Boer"));
    }
    assert_eq!(events[0].get_location(), Some("Kamer 1"));
    assert_eq!(events[1].get_location(), Some("Kamer 2, achter"));

    let unfolded = icalendar::parser::unfold(&text);
    for name in NAMES {
        assert!(!unfolded.contains(name), "{name} must not leave the desk: {unfolded}");
    }
    for private in ["Ruzie", "06-12345678", "ziek", "Kamer 3"] {
        assert!(!unfolded.contains(private), "{private} must not leave the desk: {unfolded}");
    }

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(p.dir.join("agenda.ics")).expect("metadata").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "owner-only: {mode:o}");
    }
    let left: Vec<_> = std::fs::read_dir(&p.dir)
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "no temporary file is left: {left:?}");
}

#[test]
fn without_out_the_calendar_goes_to_stdout_in_the_chosen_language() {
    let p = prepare();
    let out = loket(&p.dir, &["--lang", "en", "export-ics", "--db", &p.db]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout.clone()).expect("utf-8");
    let events = events(&text);
    assert_eq!(events.len(), 2);
    for event in &events {
        let summary = event.get_summary().expect("a summary");
        assert!(
            summary.starts_with("Conversation ") && summary.ends_with("(IJ. van der W. & E. J.)"),
            "{summary}"
        );
        assert_eq!(event.get_description(), Some("Counsellor: Sara de Boer"));
    }
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn counsellor_and_from_choose_the_conversations() {
    let p = prepare();
    let (out, text) = run_to_file(&p, "sara.ics", &["--counsellor", "sara DE boer"]);
    assert_eq!(events(&text).len(), 2);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("2 gesprekken"));

    let (out, text) = run_to_file(&p, "piet.ics", &["--counsellor", "Piet Bakker"]);
    assert!(events(&text).is_empty(), "{text}");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("0 gesprekken"));

    let later = desk_day(Utc::now()).checked_add_days(Days::new(2)).expect("a date");
    let (out, text) = run_to_file(&p, "later.ics", &["--from", &later.format("%d-%m-%Y").to_string()]);
    let events_later = events(&text);
    assert_eq!(events_later.len(), 1, "{text}");
    assert_eq!(utc(events_later[0].get_start()), p.planned[1]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("1 gesprek geschreven"));

    let after = desk_day(Utc::now()).checked_add_days(Days::new(10)).expect("a date");
    let (_, text) = run_to_file(&p, "none.ics", &["--from", &after.format("%d-%m-%Y").to_string()]);
    assert!(text.contains("BEGIN:VCALENDAR") && text.contains("END:VCALENDAR"), "{text}");
    assert!(events(&text).is_empty(), "{text}");
}

#[test]
fn a_wrong_counsellor_or_date_is_one_line_and_writes_nothing() {
    let p = prepare();
    let target = p.dir.join("never.ics");
    let target_arg = target.to_str().expect("utf-8");
    let out =
        loket(&p.dir, &["export-ics", "--db", &p.db, "--out", target_arg, "--counsellor", "Jan Modaal"]);
    assert_one_line_error(&out, "geen gebruiker met de naam Jan Modaal");
    let out = loket(&p.dir, &["--lang", "en", "export-ics", "--db", &p.db, "--counsellor", "Jan Modaal"]);
    assert_one_line_error(&out, "no user named Jan Modaal");
    assert!(out.stdout.is_empty());

    let out = loket(&p.dir, &["export-ics", "--db", &p.db, "--out", target_arg, "--from", "31-02-2026"]);
    assert_one_line_error(&out, "Deze datum bestaat niet");
    let out = loket(&p.dir, &["export-ics", "--db", &p.db, "--out", target_arg, "--from", "gisteren"]);
    assert_one_line_error(&out, "Geen datum");
    assert!(!target.exists());

    let missing_folder = p.dir.join("no-such-folder").join("agenda.ics");
    let out = loket(&p.dir, &["export-ics", "--db", &p.db, "--out", missing_folder.to_str().expect("utf-8")]);
    assert_one_line_error(&out, "niet schrijven");
}

#[test]
fn an_export_from_a_missing_database_creates_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nowhere.db");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_loket"))
        .args(["export-ics", "--db", path.to_str().expect("utf-8")])
        .env("LOKET_CONFIG", dir.path().join("none.toml"))
        .env_remove("LOKET_LANG")
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("er is geen database"));
    assert!(!path.exists(), "no database was created");
}
