//! Concerns (zorgsignalen) in the store: the meldcode's five steps in order, a closed concern
//! that nothing changes (the store refuses, and so do the schema's triggers), who reads what,
//! the neutral "apart ontvangen" on the summaries, and the old flag migrated into a concern.

use chrono::NaiveDate;
use loket::domain::concern::{
    Answer, ConcernProblem, Consulted, Decision, NewStep, StepDetail, Talk, Weighing,
};
use loket::domain::file::Happening;
use loket::store::{Store, StoreError};

use crate::common::desk::{Desk, at, desk};

fn on(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).expect("valid date")
}

fn step(detail: StepDetail, d: u32) -> NewStep {
    NewStep { detail, on: on(d), note: "kort".to_owned() }
}

fn weighed(answers: [Answer; 5]) -> StepDetail {
    StepDetail::Weighed(answers.iter().map(|a| Weighing { answer: *a, note: "toelichting".into() }).collect())
}

/// A couple with an open concern walked through steps 1 to 4; returns the couple and the concern.
fn concern_at_step_4(d: &mut Desk) -> (i64, i64) {
    let (_, couple) =
        d.register(&[("Els", "", "Jansen"), ("IJsbrand", "van der", "Wêreld")], at(12, 1, 9, 0), None);
    let c = d
        .store
        .open_concern(couple, "Blauwe plek, partner bang", &d.counsellor, at(12, 1, 10, 0))
        .expect("open");
    let steps = [
        step(StepDetail::Mapped, 1),
        step(StepDetail::Talked(Talk::One), 2),
        step(StepDetail::Consulted(Consulted::OfficerAndVeiligThuis), 2),
        step(weighed([Answer::Yes, Answer::Yes, Answer::Unknown, Answer::No, Answer::No]), 3),
    ];
    for (i, s) in steps.iter().enumerate() {
        d.store.record_step(c, s, &d.counsellor, at(12, 3, 9, i as u32)).expect("step");
    }
    (couple, c)
}

#[test]
fn the_steps_follow_the_meldcode_and_step_5_closes_the_concern() {
    let mut d = desk();
    let (couple, _) = d.register(&[("Els", "", "Jansen")], at(12, 1, 9, 0), None);
    let c = d.store.open_concern(couple, "Signalen", &d.counsellor, at(12, 1, 10, 0)).expect("open");
    let again = d.store.open_concern(couple, "Nog een", &d.counsellor, at(12, 1, 10, 1));
    assert!(matches!(again, Err(StoreError::Concern(ConcernProblem::AlreadyOpen))), "{again:?}");
    let early = d.store.record_step(
        c,
        &step(StepDetail::Decided(Decision::Help), 1),
        &d.counsellor,
        at(12, 1, 11, 0),
    );
    assert!(matches!(early, Err(StoreError::Concern(ConcernProblem::NeedsStep(4)))), "{early:?}");
    let (couple, c) = concern_at_step_4(&mut d);
    // Question 2 (acute or structural unsafety) is yes: help alone is refused, a report is needed.
    let help =
        d.store.record_step(c, &step(StepDetail::Decided(Decision::Help), 4), &d.counsellor, at(12, 4, 9, 0));
    assert!(matches!(help, Err(StoreError::Concern(ConcernProblem::MustReport))), "{help:?}");
    d.store
        .record_step(c, &step(StepDetail::Decided(Decision::Report), 4), &d.counsellor, at(12, 4, 9, 1))
        .expect("report to Veilig Thuis");
    let file = d.store.read_file(couple, &d.counsellor).expect("read");
    assert!(!file.receive_apart && file.open_concern().is_none());
    let closed = &file.concerns[0];
    assert_eq!(closed.closed_on, Some(on(4)));
    assert_eq!(closed.done(), vec![1, 2, 3, 4, 5]);
    let content = closed.content.as_ref().expect("content for the counsellor");
    assert_eq!(
        (content.signals.as_str(), content.opened_by.as_str()),
        ("Blauwe plek, partner bang", d.counsellor.name.as_str())
    );
    assert_eq!(closed.weighing().map(|w| w.len()), Some(5));
    let steps: Vec<_> =
        file.timeline.iter().filter(|e| matches!(e.what, Happening::ConcernStep(_))).collect();
    assert_eq!(steps.len(), 5);
    // Nothing more on a closed concern; a new one can be opened.
    let more = d.store.record_step(c, &step(StepDetail::Mapped, 5), &d.counsellor, at(12, 5, 9, 0));
    assert!(matches!(more, Err(StoreError::Concern(ConcernProblem::Closed))), "{more:?}");
    d.store.open_concern(couple, "Nieuwe signalen", &d.counsellor, at(12, 6, 9, 0)).expect("a new concern");
    assert_eq!(d.store.read_file(couple, &d.counsellor).expect("read").concerns.len(), 2);
    // The log names the parts, never the content.
    let log = format!("{:?}", d.store.log_of_file(couple).expect("log"));
    assert!(log.contains("concern_step") && log.contains("concern_opened"), "{log}");
    assert!(!log.contains("Blauwe") && !log.contains("kort") && !log.contains("toelichting"), "{log}");
}

#[test]
fn raw_sql_cannot_change_or_remove_a_recorded_step() {
    let mut d = desk();
    let (couple, c) = concern_at_step_4(&mut d);
    d.store
        .record_step(c, &step(StepDetail::Decided(Decision::Both), 4), &d.counsellor, at(12, 4, 9, 0))
        .expect("decided");
    let db = rusqlite::Connection::open(&d.path).expect("open");
    for sql in [
        "UPDATE concern_steps SET note = 'anders'",
        "DELETE FROM concern_steps",
        "UPDATE concern_answers SET answer = 'no'",
        "DELETE FROM concern_answers",
        "UPDATE concerns SET signals = 'weg'",
        "UPDATE concerns SET closed_at = NULL, closed_on = NULL",
        "DELETE FROM concerns",
    ] {
        assert!(db.execute(sql, []).is_err(), "{sql} was allowed");
    }
    let insert = db.execute(
        "INSERT INTO concern_steps (concern_id, couple_id, step, done_on, recorded_at) VALUES (?1, ?2, 1, '2026-12-05', 'x')",
        [c, couple],
    );
    assert!(insert.is_err(), "a step added to a closed concern");
    let kept: i64 = db.query_row("SELECT count(*) FROM concern_steps", [], |r| r.get(0)).expect("count");
    assert_eq!(kept, 5);
    // Only the erasure of the whole file, which names the couple first, removes the rows.
    db.execute("INSERT INTO concern_erasing (couple_id) VALUES (?1)", [couple]).expect("mark");
    for table in ["concern_answers", "concern_steps", "concerns"] {
        db.execute(&format!("DELETE FROM {table} WHERE couple_id = ?1"), [couple]).expect("erase");
    }
}

#[test]
fn only_counsellors_read_a_concern_the_coordinator_sees_that_it_exists_the_receptionist_only_apart() {
    let mut d = desk();
    let (couple, c) = concern_at_step_4(&mut d);
    for user in [&d.receptionist, &d.coordinator] {
        let refused = d.store.open_concern(couple, "x", user, at(12, 4, 9, 0));
        assert!(matches!(refused, Err(StoreError::NotAllowed)), "{refused:?}");
        let refused =
            d.store.record_step(c, &step(StepDetail::Decided(Decision::Report), 4), user, at(12, 4, 9, 0));
        assert!(matches!(refused, Err(StoreError::NotAllowed)), "{refused:?}");
    }
    // (role, sees that it exists, reads its content)
    let table = [(&d.receptionist, false, false), (&d.coordinator, true, false), (&d.counsellor, true, true)];
    for (viewer, exists, content) in table {
        let file = d.store.read_file(couple, viewer).expect("read");
        assert!(file.receive_apart, "{:?}", viewer.roles);
        assert_eq!(file.open_concern().is_some(), exists, "{:?}", viewer.roles);
        assert_eq!(file.concerns.iter().any(|k| k.content.is_some()), content, "{:?}", viewer.roles);
        let shown = format!("{file:?}");
        for secret in ["Blauwe", "kort", "toelichting"] {
            assert_eq!(shown.contains(secret), content, "{secret} for {:?}", viewer.roles);
        }
        let in_timeline = file.timeline.iter().any(|e| matches!(e.what, Happening::ConcernOpened));
        assert_eq!(in_timeline, exists, "{:?}", viewer.roles);
    }
    // The summaries of search, queue and planner carry the neutral marker only.
    let found = d.store.find_couples("jansen", 5).expect("find");
    assert!(found.iter().all(|s| s.receive_apart), "{found:?}");
}

#[test]
fn the_old_flag_becomes_an_open_concern_on_upgrade() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-8.db");
    std::fs::copy(&from, &path).expect("copy the fixture");
    let db = rusqlite::Connection::open(&path).expect("open");
    let (couple, user): (i64, i64) = db
        .query_row(
            "SELECT (SELECT min(id) FROM couples), (SELECT min(id) FROM users WHERE role = 'counsellor')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("a couple and a counsellor");
    db.execute(
        "UPDATE couples SET safety_concern = 1, safety_reason = 'Dreiging bij ruzie' WHERE id = ?1",
        [couple],
    )
    .expect("flag");
    db.execute(
        "INSERT INTO file_events (couple_id, at, user_id, kind, detail) VALUES (?1, '2026-11-02T09:00:00Z', ?2, 'safety_set', '')",
        [couple, user],
    )
    .expect("its event");
    drop(db);
    let store = Store::open(&path).expect("open and migrate");
    let counsellor = store.users().expect("users").into_iter().find(|u| u.id == user).expect("counsellor");
    let counsellor =
        loket::domain::user::User { roles: vec![loket::domain::user::Role::Counsellor], ..counsellor };
    let file = store.read_file(couple, &counsellor).expect("read");
    assert!(file.receive_apart);
    let open = file.open_concern().expect("an open concern");
    assert_eq!(open.opened_at, at(11, 2, 9, 0));
    assert_eq!(open.content.as_ref().map(|c| c.signals.as_str()), Some("Dreiging bij ruzie"));
    assert!(file.timeline.iter().any(|e| e.what == Happening::SafetySet), "the old event stays");
}
