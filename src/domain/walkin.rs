//! A walk-in at the weekly walk-in hour: its ticket, its status and the rules for changing it.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::{Europe::Amsterdam, Tz};

use super::coded_enum;
use super::couple::{CoupleSummary, Request, Source};
use super::names::PersonName;

/// The desk's time zone: every time is shown in it and every "today" is taken in it.
pub const DESK_TZ: Tz = Amsterdam;

/// The desk's calendar day of an instant.
pub fn desk_day(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&DESK_TZ).date_naive()
}

coded_enum!(
    /// Who came to the walk-in hour.
    Attendance, "attendance" {
        Both => "both",
        One => "one",
    }
);

coded_enum!(
    /// Where a walk-in is in the queue.
    Status, "status" {
        Waiting => "waiting",
        InConversation => "in_conversation",
        Done => "done",
        Left => "left",
    }
);

coded_enum!(
    /// How a conversation at the walk-in hour ended.
    Outcome, "outcome" {
        OneConversation => "one_conversation",
        TrajectoryToPlan => "trajectory_to_plan",
        ReferredOn => "referred_on",
        WillComeBack => "will_come_back",
    }
);

impl Status {
    /// Waiting and in conversation are still on the desk's mind; done and left are finished.
    pub fn is_finished(self) -> bool {
        matches!(self, Status::Done | Status::Left)
    }
}

/// The part of a walk-in that changes as the hour goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalkInState {
    pub status: Status,
    pub counsellor_id: Option<i64>,
    pub outcome: Option<Outcome>,
}

impl WalkInState {
    pub const NEW: WalkInState = WalkInState { status: Status::Waiting, counsellor_id: None, outcome: None };
}

/// A change the receptionist makes to a walk-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Called in and handed to a counsellor.
    CallIn { counsellor_id: i64 },
    /// The conversation ended with an outcome.
    Finish { outcome: Outcome },
    /// Left without a conversation.
    Leave,
}

/// Why a change does not fit the walk-in's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ChangeRefused {
    #[error("only a waiting walk-in can be called in")]
    NotWaiting,
    #[error("only a walk-in in conversation can be marked done")]
    NotInConversation,
}

impl WalkInState {
    /// The state after `change`, or why the change is not possible now.
    pub fn apply(self, change: Change) -> Result<WalkInState, ChangeRefused> {
        match (self.status, change) {
            (Status::Waiting, Change::CallIn { counsellor_id }) => Ok(WalkInState {
                status: Status::InConversation,
                counsellor_id: Some(counsellor_id),
                outcome: None,
            }),
            (Status::InConversation, Change::Finish { outcome }) => {
                Ok(WalkInState { status: Status::Done, outcome: Some(outcome), ..self })
            }
            (Status::Waiting, Change::Leave) => Ok(WalkInState { status: Status::Left, ..self }),
            (_, Change::CallIn { .. } | Change::Leave) => Err(ChangeRefused::NotWaiting),
            (_, Change::Finish { .. }) => Err(ChangeRefused::NotInConversation),
        }
    }
}

/// A walk-in as the queue shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkIn {
    pub id: i64,
    pub couple: CoupleSummary,
    pub ticket: u32,
    pub arrived_at: DateTime<Utc>,
    pub attendance: Attendance,
    pub request: Request,
    pub source: Source,
    /// Whether a short note was typed at registration. Its text is a note (`Role::reads_notes`):
    /// the queue never reads it, counsellors read it in the file.
    pub has_note: bool,
    pub state: WalkInState,
    pub counsellor_name: Option<String>,
    /// When the walk-in last changed status (called in, done, left).
    pub changed_at: Option<DateTime<Utc>>,
    /// When it was called in, if it was.
    pub called_at: Option<DateTime<Utc>>,
    pub version: i64,
}

impl WalkIn {
    /// How long this walk-in waited: until called in or until leaving, or until `now` while waiting.
    pub fn waited(&self, now: DateTime<Utc>) -> Duration {
        let until = match self.state.status {
            Status::Waiting => now,
            Status::Left => self.changed_at.unwrap_or(now),
            Status::InConversation | Status::Done => self.called_at.unwrap_or(now),
        };
        (until - self.arrived_at).max(Duration::zero())
    }
}

/// The queue's summary line: how many wait, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueSummary {
    pub waiting: usize,
    pub in_conversation: usize,
    pub finished: usize,
    pub average_wait: Duration,
    pub longest_wait: Duration,
}

/// Counts and waiting times of those still waiting, at `now`. Walk-ins left open on an earlier
/// day are counted, but their waits would distort today's figures and are left out of them.
pub fn summarise(walk_ins: &[WalkIn], now: DateTime<Utc>) -> QueueSummary {
    let mut summary = QueueSummary::default();
    let mut total = Duration::zero();
    let mut timed = 0;
    for w in walk_ins {
        match w.state.status {
            Status::Waiting => {
                summary.waiting += 1;
                if desk_day(w.arrived_at) == desk_day(now) {
                    let waited = w.waited(now);
                    timed += 1;
                    total += waited;
                    summary.longest_wait = summary.longest_wait.max(waited);
                }
            }
            Status::InConversation => summary.in_conversation += 1,
            Status::Done | Status::Left => summary.finished += 1,
        }
    }
    if timed > 0 {
        summary.average_wait = total / timed;
    }
    summary
}

/// Counsellors already in a running conversation, other than with `except` (a walk-in id).
pub fn busy_counsellors(walk_ins: &[WalkIn], except: Option<i64>) -> Vec<i64> {
    walk_ins
        .iter()
        .filter(|w| w.state.status == Status::InConversation && Some(w.id) != except)
        .filter_map(|w| w.state.counsellor_id)
        .collect()
}

/// Which file a walk-in belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoupleRef {
    /// A returning couple's file.
    Existing(i64),
    /// A new file for these partners (one or two, already cleaned).
    New(Vec<PersonName>),
}

/// A walk-in as the receptionist registers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWalkIn {
    pub couple: CoupleRef,
    pub attendance: Attendance,
    pub request: Request,
    pub source: Source,
    pub note: String,
}

/// A partner's phone and e-mail, typed with a new file at registration (already checked; the
/// phone as typed, cleaned). Empty when not given.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewContact {
    pub phone: String,
    pub email: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::couple::FileNumber;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 2, h, m, 0).single().expect("valid time")
    }

    fn walk_in(id: i64, arrived: DateTime<Utc>, state: WalkInState) -> WalkIn {
        WalkIn {
            id,
            couple: CoupleSummary {
                id,
                file: FileNumber { year: 2026, seq: id as u32 },
                partners: vec![],
                receive_apart: false,
            },
            ticket: id as u32,
            arrived_at: arrived,
            attendance: Attendance::Both,
            request: Request::Repair,
            source: Source::SelfReferred,
            has_note: false,
            state,
            counsellor_name: None,
            changed_at: None,
            called_at: None,
            version: 1,
        }
    }

    #[test]
    fn a_walk_in_moves_waiting_then_in_conversation_then_done() {
        let called = WalkInState::NEW.apply(Change::CallIn { counsellor_id: 7 }).expect("call in");
        assert_eq!(called.status, Status::InConversation);
        assert_eq!(called.counsellor_id, Some(7));
        let done = called.apply(Change::Finish { outcome: Outcome::TrajectoryToPlan }).expect("finish");
        assert_eq!(done.status, Status::Done);
        assert_eq!(done.outcome, Some(Outcome::TrajectoryToPlan));
        assert_eq!(done.counsellor_id, Some(7));
    }

    #[test]
    fn impossible_changes_are_refused() {
        let finish = Change::Finish { outcome: Outcome::OneConversation };
        assert_eq!(WalkInState::NEW.apply(finish), Err(ChangeRefused::NotInConversation));
        let called = WalkInState::NEW.apply(Change::CallIn { counsellor_id: 1 }).expect("call in");
        assert_eq!(called.apply(Change::Leave), Err(ChangeRefused::NotWaiting));
        assert_eq!(called.apply(Change::CallIn { counsellor_id: 2 }), Err(ChangeRefused::NotWaiting));
        let left = WalkInState::NEW.apply(Change::Leave).expect("leave");
        assert_eq!(left.status, Status::Left);
        assert_eq!(left.apply(finish), Err(ChangeRefused::NotInConversation));
    }

    #[test]
    fn waiting_time_stops_when_called_in() {
        let mut w = walk_in(1, at(9, 0), WalkInState::NEW);
        assert_eq!(w.waited(at(9, 25)).num_minutes(), 25);
        w.state = WalkInState::NEW.apply(Change::CallIn { counsellor_id: 1 }).expect("call in");
        w.called_at = Some(at(9, 10));
        assert_eq!(w.waited(at(9, 25)).num_minutes(), 10);
        // A clock that is behind never gives a negative wait.
        let early = walk_in(2, at(9, 30), WalkInState::NEW);
        assert_eq!(early.waited(at(9, 0)), Duration::zero());
    }

    #[test]
    fn summary_counts_only_those_waiting_for_times() {
        let called = WalkInState::NEW.apply(Change::CallIn { counsellor_id: 4 }).expect("call in");
        let list = [
            walk_in(1, at(9, 0), called),
            walk_in(2, at(9, 5), WalkInState::NEW),
            walk_in(3, at(9, 15), WalkInState::NEW),
            walk_in(4, at(9, 16), WalkInState::NEW.apply(Change::Leave).expect("leave")),
        ];
        let s = summarise(&list, at(9, 25));
        assert_eq!((s.waiting, s.in_conversation, s.finished), (2, 1, 1));
        assert_eq!(s.longest_wait.num_minutes(), 20);
        assert_eq!(s.average_wait.num_minutes(), 15);
        assert_eq!(busy_counsellors(&list, None), [4]);
        assert!(busy_counsellors(&list, Some(1)).is_empty());
        // Someone left waiting yesterday counts as waiting but not in today's waiting times.
        let yesterday = at(9, 0) - Duration::days(1);
        let mut with_old = list.to_vec();
        with_old.push(walk_in(5, yesterday, WalkInState::NEW));
        let s = summarise(&with_old, at(9, 25));
        assert_eq!((s.waiting, s.longest_wait.num_minutes(), s.average_wait.num_minutes()), (3, 20, 15));
    }

    #[test]
    fn the_desk_day_is_amsterdam_time() {
        // 23:30 UTC on 1 December is already 2 December in Amsterdam.
        let late = Utc.with_ymd_and_hms(2026, 12, 1, 23, 30, 0).single().expect("valid");
        assert_eq!(desk_day(late), NaiveDate::from_ymd_opt(2026, 12, 2).expect("valid date"));
    }
}
