//! A couple's trajectory and its conversations, as the planner and the file read them, and a
//! conversation as a counsellor's week and the calendar export see it.

use chrono::{DateTime, NaiveTime, Utc, Weekday};

use super::couple::FileNumber;
use super::planner::{Attended, SessionStatus};

/// The weekly walk-in hour, when every counsellor is on duty at the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DutyHour {
    pub weekday: Weekday,
    pub from: NaiveTime,
    pub to: NaiveTime,
}

/// A conversation of a trajectory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: i64,
    pub counsellor_id: i64,
    pub room: String,
    pub start: DateTime<Utc>,
    pub status: SessionStatus,
    pub cancel_reason: String,
    pub attended: Option<Attended>,
    /// The conversation note: only counsellors read it.
    pub note: Option<String>,
    pub version: i64,
}

/// A couple's trajectory with its conversations, in time order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trajectory {
    pub id: i64,
    pub couple_id: i64,
    pub counsellor: (i64, String),
    pub started_at: DateTime<Utc>,
    pub ended_at: Option<DateTime<Utc>>,
    pub sessions: Vec<Session>,
    pub version: i64,
}

/// A new conversation: planned ahead, or recorded afterwards as held or no-show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub trajectory_id: i64,
    pub start: DateTime<Utc>,
    pub room: String,
    pub status: SessionStatus,
    pub attended: Option<Attended>,
}

/// A conversation in a counsellor's week or in the calendar export: file number and initials only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    pub session_id: i64,
    pub couple_id: i64,
    pub file: FileNumber,
    pub initials: String,
    pub counsellor_id: i64,
    pub counsellor: String,
    pub start: DateTime<Utc>,
    pub room: String,
    pub status: SessionStatus,
    /// The couple has an open concern: receive the partners separately (no reason, every role).
    pub receive_apart: bool,
}
