//! A couple's history as `loket demo --couples N` writes it in bulk (`Store::write_history`):
//! plain values, decided by `demo::history`.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::couple::{Request, Source};
use crate::domain::file::{CloseOutcome, LifeEventKind, Wish};
use crate::domain::names::PersonName;
use crate::domain::planner::{Attended, SessionStatus};
use crate::domain::referral::ReferralStatus;
use crate::domain::walkin::{Attendance, Outcome};

/// One partner of a historic couple, with the contact details the counsellor recorded.
#[derive(Debug, Clone)]
pub struct HistoricPartner {
    pub name: PersonName,
    pub phone: String,
    pub email: String,
    pub birth_year: Option<i32>,
    pub wish: Wish,
}

/// A walk-in that was called in by a counsellor and finished with an outcome.
#[derive(Debug, Clone)]
pub struct HistoricWalkIn {
    pub arrived: DateTime<Utc>,
    pub attendance: Attendance,
    pub counsellor: i64,
    pub called: DateTime<Utc>,
    pub done: DateTime<Utc>,
    pub outcome: Outcome,
}

/// A conversation of a trajectory, with the outcome measure of the partners present.
#[derive(Debug, Clone)]
pub struct HistoricSession {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub room: String,
    pub status: SessionStatus,
    pub attended: Option<Attended>,
    /// Per partner present (1 or 2): satisfaction, communication, hope (0-10).
    pub scores: Vec<(u8, [u8; 3])>,
}

#[derive(Debug, Clone)]
pub struct HistoricTrajectory {
    pub counsellor: i64,
    pub started: DateTime<Utc>,
    pub ended: Option<DateTime<Utc>>,
    pub sessions: Vec<HistoricSession>,
}

/// A referral out, with both partners' consent given on the day it was made.
#[derive(Debug, Clone)]
pub struct HistoricReferral {
    pub party: String,
    pub created: DateTime<Utc>,
    pub status: ReferralStatus,
    pub answered_on: Option<NaiveDate>,
}

/// A couple's whole history: its file, walk-ins, trajectory, referrals and what happened to it.
#[derive(Debug, Clone)]
pub struct HistoricCouple {
    pub partners: Vec<HistoricPartner>,
    pub children: u32,
    pub request: Request,
    pub source: Source,
    /// One or two; the first made the file.
    pub walk_ins: Vec<HistoricWalkIn>,
    pub trajectory: Option<HistoricTrajectory>,
    pub referral: Option<HistoricReferral>,
    pub referred_in: Option<(Source, NaiveDate)>,
    pub life_event: Option<(LifeEventKind, Option<NaiveDate>)>,
    /// The outcome and the day the file was closed, when it was.
    pub closed: Option<(CloseOutcome, DateTime<Utc>)>,
}
