//! Issue 15, defect 1: undoing a walk-in's outcome also undoes what it did to the couple's file.

use loket::domain::file::{FileStatus, Happening};
use loket::domain::walkin::{Change, Outcome, Status};
use loket::store::StoreError;

use crate::common::desk::{Desk, at, desk};

/// A walk-in of a new file, called in by the receptionist for Sara; returns the walk-in's and the
/// couple's id.
fn called_in(d: &mut Desk) -> (i64, i64) {
    let by = Some(d.receptionist.id);
    let (walk_in, couple) = d.register(&[("Els", "", "Jansen")], at(12, 2, 8, 5), by);
    let call_in = Change::CallIn { counsellor_id: d.counsellor.id };
    d.store.change_walk_in(walk_in, 1, call_in, at(12, 2, 8, 10), by).expect("call in");
    (walk_in, couple)
}

fn finish(d: &mut Desk, walk_in: i64, outcome: Outcome, minute: u32) {
    let v = d.store.walk_in(walk_in).expect("walk-in").version;
    let by = Some(d.receptionist.id);
    d.store.change_walk_in(walk_in, v, Change::Finish { outcome }, at(12, 2, 8, minute), by).expect("finish");
}

fn undo(d: &mut Desk, walk_in: i64, minute: u32) -> Result<bool, StoreError> {
    let v = d.store.walk_in(walk_in).expect("walk-in").version;
    d.store.undo_walk_in_change(walk_in, v, at(12, 2, 8, minute), Some(d.receptionist.id))
}

fn status(d: &Desk, couple: i64) -> FileStatus {
    d.store.read_file(couple, &d.coordinator).expect("file").status
}

#[test]
fn undoing_one_conversation_held_puts_the_file_back_to_new() {
    // Queue: c Enter, d Enter (one conversation held), u, then d End Enter (will come back).
    let mut d = desk();
    let (walk_in, couple) = called_in(&mut d);
    finish(&mut d, walk_in, Outcome::OneConversation, 30);
    assert_eq!(status(&d, couple), FileStatus::OneConversation);
    assert!(undo(&mut d, walk_in, 31).expect("undo"));
    assert_eq!(status(&d, couple), FileStatus::New, "the file goes back with the walk-in");
    finish(&mut d, walk_in, Outcome::WillComeBack, 32);
    let file = d.store.read_file(couple, &d.coordinator).expect("file");
    assert_eq!(file.status, FileStatus::New);
    // The timeline says so: to one conversation, and back to new.
    let statuses: Vec<FileStatus> = file
        .timeline
        .iter()
        .filter_map(|e| match e.what {
            Happening::Status { to, .. } => Some(to),
            _ => None,
        })
        .collect();
    assert_eq!(statuses, [FileStatus::New, FileStatus::OneConversation], "{:?}", file.timeline);
    // And the access log has the file's change, by the receptionist.
    let log = d.store.log_of_file(couple).expect("log");
    assert!(
        log.iter().any(|e| e.event == "file_changed" && e.detail == "status"),
        "{:?}",
        log.iter().map(|e| (&e.event, &e.detail)).collect::<Vec<_>>()
    );
}

#[test]
fn undoing_a_trajectory_to_plan_puts_the_file_back_where_it_was() {
    let mut d = desk();
    let (walk_in, couple) = called_in(&mut d);
    finish(&mut d, walk_in, Outcome::TrajectoryToPlan, 30);
    assert_eq!(status(&d, couple), FileStatus::Trajectory);
    assert!(undo(&mut d, walk_in, 31).expect("undo"));
    assert_eq!(status(&d, couple), FileStatus::New);

    // A file that was at one conversation goes back to one conversation, not to new.
    let mut d = desk();
    let (walk_in, couple) = called_in(&mut d);
    finish(&mut d, walk_in, Outcome::OneConversation, 30);
    let v = d.store.walk_in(walk_in).expect("walk-in").version;
    let (second, _) = {
        let by = Some(d.receptionist.id);
        let new = loket::domain::walkin::NewWalkIn {
            couple: loket::domain::walkin::CoupleRef::Existing(couple),
            ..crate::common::desk::walk_in(&[("Els", "", "Jansen")], loket::domain::couple::Request::Repair)
        };
        let id = d.store.register_walk_in(&new, at(12, 2, 8, 40), by).expect("register");
        (id, v)
    };
    let call_in = Change::CallIn { counsellor_id: d.counsellor.id };
    d.store.change_walk_in(second, 1, call_in, at(12, 2, 8, 41), Some(d.receptionist.id)).expect("call");
    finish(&mut d, second, Outcome::TrajectoryToPlan, 50);
    assert_eq!(status(&d, couple), FileStatus::Trajectory);
    assert!(undo(&mut d, second, 51).expect("undo"));
    assert_eq!(status(&d, couple), FileStatus::OneConversation);
}

#[test]
fn undoing_the_call_in_takes_the_counsellor_it_gave_the_file_off_again() {
    let mut d = desk();
    let (walk_in, couple) = called_in(&mut d);
    let file = d.store.read_file(couple, &d.coordinator).expect("file");
    assert_eq!(file.counsellor.map(|(id, _)| id), Some(d.counsellor.id));
    assert!(undo(&mut d, walk_in, 11).expect("undo"));
    assert_eq!(d.store.walk_in(walk_in).expect("walk-in").state.status, Status::Waiting);
    let file = d.store.read_file(couple, &d.coordinator).expect("file");
    assert_eq!(file.counsellor, None, "the wrong counsellor picked does not stay on the file");
}

#[test]
fn a_file_that_moved_on_since_is_not_moved_back_and_nothing_is_undone() {
    // The counsellor started the trajectory after the walk-in was marked *traject inplannen*: the
    // undo is refused, the walk-in and the file stay as they are.
    let mut d = desk();
    let (walk_in, couple) = called_in(&mut d);
    finish(&mut d, walk_in, Outcome::TrajectoryToPlan, 30);
    let sara = d.counsellor.clone();
    d.store.start_trajectory(couple, sara.id, &sara, at(12, 2, 8, 35)).expect("trajectory");
    assert!(matches!(undo(&mut d, walk_in, 36), Err(StoreError::Stale)));
    assert_eq!(d.store.walk_in(walk_in).expect("walk-in").state.status, Status::Done);
    assert_eq!(status(&d, couple), FileStatus::Trajectory);

    // Closed by the coordinator since: the same.
    let mut d = desk();
    let (walk_in, couple) = called_in(&mut d);
    finish(&mut d, walk_in, Outcome::OneConversation, 30);
    let file = d.store.read_file(couple, &d.coordinator).expect("file");
    let closing = Some((loket::domain::file::CloseOutcome::Stopped, at(12, 2, 8, 0).date_naive()));
    let coordinator = d.coordinator.clone();
    d.store
        .set_file_status(couple, file.version, FileStatus::Closed, closing, &coordinator, at(12, 2, 8, 40))
        .expect("close");
    assert!(matches!(undo(&mut d, walk_in, 41), Err(StoreError::Stale)));
    assert_eq!(status(&d, couple), FileStatus::Closed);
    assert_eq!(d.store.walk_in(walk_in).expect("walk-in").state.status, Status::Done);
}
