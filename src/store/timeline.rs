//! A couple's timeline: walk-ins, conversations, trajectories and file events, newest first.

use chrono::{DateTime, Utc};
use rusqlite::{Transaction, params};

use super::rows::{code, damaged, time_at};
use super::{Result, Store, StoreError, to_sql_time};
use crate::domain::couple::Source;
use crate::domain::file::{CloseOutcome, FileStatus, Happening, LifeEventKind, Notes, TimelineEntry};
use crate::domain::user::User;
use crate::domain::walkin::{Outcome, Status};

impl Store {
    /// Everything that happened to a file, newest first, each at the moment it happened (a
    /// conversation when it was held or missed, a cancellation when it was cancelled): walk-ins and
    /// file events. Concerns (and the old safety flag) are left out unless `concerns` (the role
    /// sees that they exist); a walk-in's short note is read only when `notes` (the role reads
    /// notes), else only whether there is one.
    pub(super) fn timeline(&self, couple: i64, concerns: bool, notes: bool) -> Result<Vec<TimelineEntry>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, kind, detail, who, note, has_note FROM (
                 SELECT arrived_at AS at, 'walk_in' AS kind,
                        ticket || ' ' || status || ' ' || coalesce(outcome, '') AS detail, id AS n, '' AS who,
                        CASE WHEN ?3 THEN note END AS note, note <> '' AS has_note
                 FROM walk_ins WHERE couple_id = ?1
                 UNION ALL
                 SELECT e.at, e.kind, e.detail, e.id, coalesce(u.name, ''), NULL, 0 FROM file_events e
                     LEFT JOIN users u ON u.id = e.user_id WHERE e.couple_id = ?1
                     AND (?2 OR e.kind NOT IN ('concern_opened', 'concern_step', 'safety_set', 'safety_cleared'))
                 UNION ALL
                 SELECT CASE WHEN s.status = 'cancelled' THEN coalesce(s.cancelled_at, s.starts_at) ELSE s.starts_at END,
                        'session', s.status, s.id, '', NULL, 0 FROM sessions s
                     JOIN trajectories t ON t.id = s.trajectory_id
                 WHERE t.couple_id = ?1 AND s.status <> 'planned'
                 UNION ALL
                 SELECT started_at, 'trajectory_started', '', id, '', NULL, 0 FROM trajectories WHERE couple_id = ?1
                 UNION ALL
                 SELECT ended_at, 'trajectory_ended', '', id, '', NULL, 0 FROM trajectories
                 WHERE couple_id = ?1 AND ended_at IS NOT NULL AND undone_at IS NULL
                 UNION ALL
                 SELECT undone_at, 'trajectory_undone', '', id, '', NULL, 0 FROM trajectories
                 WHERE couple_id = ?1 AND undone_at IS NOT NULL
             ) ORDER BY at DESC, n DESC LIMIT 200",
        )?;
        let rows = stmt.query_map(params![couple, concerns, notes], entry_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// Reads a timeline row: `at, kind, detail, who, note, has_note`.
fn entry_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TimelineEntry> {
    let (kind, detail, who): (String, String, String) = (r.get(1)?, r.get(2)?, r.get(3)?);
    let what = match kind.as_str() {
        // A letter names who wrote it.
        "letter" => Happening::Letter { party: detail, by: who },
        _ => happening(&kind, &detail).map_err(|_| damaged(2))?,
    };
    let what = match what {
        Happening::WalkIn { ticket, status, outcome, .. } => {
            let note = match r.get::<_, Option<String>>(4)? {
                Some(text) => Notes::Text(text),
                None => Notes::Hidden { exist: r.get(5)? },
            };
            Happening::WalkIn { ticket, status, outcome, note }
        }
        other => other,
    };
    Ok(TimelineEntry { at: time_at(r, 0)?, what })
}

/// Reads a timeline row's kind and codes back into what happened.
fn happening(kind: &str, detail: &str) -> Result<Happening> {
    let mut parts = detail.split_whitespace();
    let mut next_code = || parts.next().unwrap_or("");
    Ok(match kind {
        "walk_in" => {
            let ticket = next_code().parse().map_err(|_| StoreError::Corrupt)?;
            let status = code(next_code(), Status::from_code)?;
            let outcome = Outcome::from_code(next_code());
            Happening::WalkIn { ticket, status, outcome, note: Notes::Hidden { exist: false } }
        }
        "status" => {
            let to = code(next_code(), FileStatus::from_code)?;
            Happening::Status { to, outcome: CloseOutcome::from_code(next_code()) }
        }
        "edit" => Happening::Edited,
        "notes" => Happening::Notes,
        "private_note" => Happening::PrivateNote(next_code().parse().map_err(|_| StoreError::Corrupt)?),
        "safety_set" => Happening::SafetySet,
        "safety_cleared" => Happening::SafetyCleared,
        "concern_opened" => Happening::ConcernOpened,
        "concern_step" => Happening::ConcernStep(next_code().parse().map_err(|_| StoreError::Corrupt)?),
        "life_event" => Happening::LifeEvent(code(next_code(), LifeEventKind::from_code)?),
        "referral_out" => Happening::ReferralOut(next_code().to_owned()),
        "referral_status" => {
            Happening::ReferralStatus(code(next_code(), crate::domain::referral::ReferralStatus::from_code)?)
        }
        "referral_in" => Happening::ReferralIn(code(next_code(), Source::from_code)?),
        "session" => {
            Happening::Conversation(code(next_code(), crate::domain::planner::SessionStatus::from_code)?)
        }
        "trajectory_started" => Happening::TrajectoryStarted,
        "trajectory_ended" => Happening::TrajectoryEnded,
        "trajectory_undone" => Happening::TrajectoryUndone,
        _ => return Err(StoreError::Corrupt),
    })
}

impl Store {
    /// Records on the couple's timeline that a letter for `referral` was written, and by whom.
    pub fn record_letter(&mut self, referral: i64, user: &User, now: DateTime<Utc>) -> Result<()> {
        if !user.may(crate::domain::user::Role::writes_letters) {
            return Err(super::StoreError::NotAllowed);
        }
        self.write(|tx| {
            let (couple, party): (i64, String) =
                tx.query_row("SELECT couple_id, party FROM referrals WHERE id = ?1", [referral], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            file_event(tx, couple, now, user, "letter", &party)
        })
    }
}

/// Records an event on a file's timeline, inside the write that caused it.
pub(super) fn file_event(
    tx: &Transaction<'_>,
    id: i64,
    now: DateTime<Utc>,
    user: &User,
    kind: &str,
    detail: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO file_events (couple_id, at, user_id, kind, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, to_sql_time(now), user.id, kind, detail],
    )?;
    // The access log says what part changed (never its content).
    use crate::domain::access::AccessEvent;
    let (event, part) = match kind {
        "letter" => (AccessEvent::Letter, detail),
        "referral_out" | "referral_status" | "referral_in" => (AccessEvent::Referral, kind),
        other => (AccessEvent::FileChanged, other),
    };
    super::access_log::log(tx, now, event, Some(user), Some(id), part)
}
