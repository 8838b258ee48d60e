//! Trajectories and conversations. The rules are checked here inside the write transaction
//! (with the clash named), and held again by triggers in the schema.

use chrono::{DateTime, Datelike, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::access_log::{About, append};
use super::rows::{code, code_at, opt_code_at, opt_time_at, time_at};
use super::timeline::file_event;
use super::{Result, Store, StoreError, from_sql_time, to_sql_time};
use crate::domain::access::AccessEvent;
use crate::domain::couple::FileNumber;
use crate::domain::planner::{
    Attended, Clash, PlanRefused, SessionStatus, check_new, during_walk_in_hour, end_of,
};
use crate::domain::trajectory::{DutyHour, NewSession, Session, Trajectory};
use crate::domain::user::{Role, User};
use crate::domain::walkin::desk_day;

/// A trajectory with its counsellor's name: `trajectories t JOIN users u`.
const TRAJECTORY_COLUMNS: &str =
    "t.id, t.couple_id, t.counsellor_id, u.name, t.started_at, t.ended_at, t.version";

/// Reads [`TRAJECTORY_COLUMNS`]; its conversations are read by their own query.
fn trajectory_from_row(r: &Row<'_>) -> rusqlite::Result<Trajectory> {
    Ok(Trajectory {
        id: r.get(0)?,
        couple_id: r.get(1)?,
        counsellor: (r.get(2)?, r.get(3)?),
        started_at: time_at(r, 4)?,
        ended_at: opt_time_at(r, 5)?,
        sessions: Vec::new(),
        version: r.get(6)?,
    })
}

/// A conversation of `sessions s`; `?2` is whether the viewer may read its note.
const SESSION_COLUMNS: &str =
    "s.id, s.counsellor_id, s.room, s.starts_at, s.status, s.cancel_reason, s.attended,
     CASE WHEN ?2 THEN s.note END, s.version";

fn session_from_row(r: &Row<'_>) -> rusqlite::Result<Session> {
    Ok(Session {
        id: r.get(0)?,
        counsellor_id: r.get(1)?,
        room: r.get(2)?,
        start: time_at(r, 3)?,
        status: code_at(r, 4, SessionStatus::from_code)?,
        cancel_reason: r.get(5)?,
        attended: opt_code_at(r, 6, Attended::from_code)?,
        note: r.get(7)?,
        version: r.get(8)?,
    })
}

/// Trigger messages back into the rule they hold.
fn from_trigger(e: rusqlite::Error) -> StoreError {
    let text = e.to_string();
    let rule = |r| StoreError::Plan(r);
    let clash = || Clash { file: String::new(), start: DateTime::<Utc>::MIN_UTC };
    if text.contains("loket: trajectory full") {
        rule(PlanRefused::Full)
    } else if text.contains("loket: counsellor busy") {
        rule(PlanRefused::CounsellorBusy(clash()))
    } else if text.contains("loket: room taken") {
        rule(PlanRefused::RoomTaken(clash()))
    } else if text.contains("one_active_trajectory") || text.contains("trajectories.couple_id") {
        rule(PlanRefused::AlreadyActive)
    } else {
        e.into()
    }
}

impl Store {
    /// Starts a trajectory for a couple with a counsellor; the file moves to the trajectory track.
    pub fn start_trajectory(
        &mut self,
        couple: i64,
        counsellor: i64,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        self.write(|tx| {
            let active: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM trajectories WHERE couple_id = ?1 AND ended_at IS NULL)",
                [couple],
                |r| r.get(0),
            )?;
            if active {
                return Err(StoreError::Plan(PlanRefused::AlreadyActive));
            }
            tx.execute(
                "INSERT INTO trajectories (couple_id, counsellor_id, year, started_at) VALUES (?1, ?2, ?3, ?4)",
                params![couple, counsellor, desk_day(now).year(), to_sql_time(now)],
            )
            .map_err(from_trigger)?;
            let id = tx.last_insert_rowid();
            let moved = tx.execute(
                "UPDATE couples SET status = 'trajectory', counsellor_id = coalesce(counsellor_id, ?2),
                        version = version + 1
                 WHERE id = ?1 AND status IN ('new', 'one_conversation')",
                params![couple, counsellor],
            )?;
            if moved == 1 {
                file_event(tx, couple, now, user, "status", "trajectory")?;
            }
            log_planning(tx, now, user, AccessEvent::Trajectory, id, None, "started")?;
            Ok(id)
        })
    }

    /// The couple's current trajectory, or else the last one; `None` if there never was one.
    pub fn trajectory_of(&self, couple: i64, viewer: &User) -> Result<Option<Trajectory>> {
        let sql = format!(
            "SELECT {TRAJECTORY_COLUMNS} FROM trajectories t JOIN users u ON u.id = t.counsellor_id
             WHERE t.couple_id = ?1 ORDER BY t.ended_at IS NULL DESC, t.started_at DESC LIMIT 1"
        );
        let found = self.conn.prepare_cached(&sql)?.query_row([couple], trajectory_from_row).optional()?;
        let Some(mut trajectory) = found else { return Ok(None) };
        trajectory.sessions = self.sessions(trajectory.id, viewer)?;
        Ok(Some(trajectory))
    }

    fn sessions(&self, trajectory: i64, viewer: &User) -> Result<Vec<Session>> {
        let sql = format!(
            "SELECT {SESSION_COLUMNS} FROM sessions s WHERE s.trajectory_id = ?1 ORDER BY s.starts_at, s.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![trajectory, viewer.has(Role::Counsellor)], session_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Plans (or records) a conversation. Refused, with the reason and any clash named, when the
    /// trajectory is full or ended, the time is on the wrong side of now, the counsellor or the
    /// room is taken, or the counsellor is on duty at the walk-in hour.
    pub fn plan_session(
        &mut self,
        new: &NewSession,
        duty: DutyHour,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        self.write(|tx| {
            let (counsellor, ended): (i64, Option<String>) = tx
                .query_row("SELECT counsellor_id, ended_at FROM trajectories WHERE id = ?1", [new.trajectory_id], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .optional()?
                .ok_or(StoreError::NotFound)?;
            if ended.is_some() {
                return Err(StoreError::Plan(PlanRefused::Ended));
            }
            let existing: Vec<SessionStatus> = {
                let mut stmt = tx.prepare_cached("SELECT status FROM sessions WHERE trajectory_id = ?1")?;
                let codes = stmt.query_map([new.trajectory_id], |r| r.get::<_, String>(0))?;
                codes.map(|c| code(&c?, SessionStatus::from_code)).collect::<Result<_>>()?
            };
            check_new(&existing, new.start, new.status, now).map_err(StoreError::Plan)?;
            if new.status == SessionStatus::Planned && during_walk_in_hour(new.start, duty.weekday, duty.from, duty.to) {
                return Err(StoreError::Plan(PlanRefused::WalkInHour));
            }
            let window = ClashWindow::around(new.start);
            if let Some(clash) = first_clash(tx, "counsellor_id = ?1", &counsellor.to_string(), &window)? {
                return Err(StoreError::Plan(PlanRefused::CounsellorBusy(clash)));
            }
            if let Some(clash) = first_clash(tx, "room = ?1", &new.room, &window)? {
                return Err(StoreError::Plan(PlanRefused::RoomTaken(clash)));
            }
            tx.execute(
                "INSERT INTO sessions (trajectory_id, counsellor_id, room, starts_at, ends_at, status, attended)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    new.trajectory_id,
                    counsellor,
                    new.room,
                    window.start,
                    window.end,
                    new.status.code(),
                    new.attended.map(Attended::code)
                ],
            )
            .map_err(from_trigger)?;
            let id = tx.last_insert_rowid();
            log_planning(tx, now, user, AccessEvent::Conversation, new.trajectory_id, Some(id), new.status.code())?;
            Ok(id)
        })
    }

    /// Marks a planned conversation held, no-show or cancelled (with a reason).
    #[allow(clippy::too_many_arguments)] // the change, then who and when, as every write
    pub fn set_session_status(
        &mut self,
        id: i64,
        version: i64,
        status: SessionStatus,
        attended: Option<Attended>,
        reason: &str,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| {
            let (current, start, stored_version, trajectory): (String, String, i64, i64) = tx
                .query_row(
                    "SELECT status, starts_at, version, trajectory_id FROM sessions WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?
                .ok_or(StoreError::NotFound)?;
            if stored_version != version {
                return Err(StoreError::Stale);
            }
            if code(&current, SessionStatus::from_code)? != SessionStatus::Planned || status == SessionStatus::Planned {
                return Err(StoreError::Plan(PlanRefused::NotPlanned));
            }
            if status.is_used() && from_sql_time(&start)? > now {
                return Err(StoreError::Plan(PlanRefused::NotYetHappened));
            }
            tx.execute(
                "UPDATE sessions SET status = ?2, attended = ?3, cancel_reason = ?4, version = version + 1 WHERE id = ?1",
                params![id, status.code(), attended.map(Attended::code), reason],
            )
            .map_err(from_trigger)?;
            log_planning(tx, now, user, AccessEvent::Conversation, trajectory, Some(id), status.code())
        })
    }

    /// Saves a conversation's note. Counsellors only.
    pub fn save_session_note(
        &mut self,
        id: i64,
        version: i64,
        note: &str,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !user.has(Role::Counsellor) {
            return Err(StoreError::NotAllowed);
        }
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE sessions SET note = ?3, version = version + 1 WHERE id = ?1 AND version = ?2",
                params![id, version, note],
            )?;
            if changed != 1 {
                return Err(StoreError::Stale);
            }
            let trajectory: i64 =
                tx.query_row("SELECT trajectory_id FROM sessions WHERE id = ?1", [id], |r| r.get(0))?;
            log_planning(tx, now, user, AccessEvent::Conversation, trajectory, Some(id), "note")
        })
    }

    /// Ends a trajectory. Its conversations still planned are cancelled ("traject afgesloten"), so
    /// that no couple keeps more than five conversations through a new trajectory.
    pub fn end_trajectory(&mut self, id: i64, version: i64, user: &User, now: DateTime<Utc>) -> Result<()> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE trajectories SET ended_at = ?3, version = version + 1
                 WHERE id = ?1 AND version = ?2 AND ended_at IS NULL",
                params![id, version, to_sql_time(now)],
            )?;
            if changed != 1 {
                return Err(StoreError::Stale);
            }
            cancel_planned(tx, "trajectory_id = ?1", id)?;
            log_planning(tx, now, user, AccessEvent::Trajectory, id, None, "ended")
        })
    }
}

/// Logs a change to a trajectory or one of its conversations, for the couple it belongs to and on
/// behalf of its counsellor when someone else (a receptionist booking a follow-up) does it.
fn log_planning(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    user: &User,
    event: AccessEvent,
    trajectory: i64,
    session: Option<i64>,
    what: &str,
) -> Result<()> {
    let (couple, counsellor): (i64, String) = tx.query_row(
        "SELECT t.couple_id, u.name FROM trajectories t JOIN users u ON u.id = t.counsellor_id WHERE t.id = ?1",
        [trajectory],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let detail = match session {
        Some(id) => format!("{what} #{id}"),
        None => what.to_owned(),
    };
    let about = About { couple: Some(couple), on_behalf: &counsellor, detail: &detail, ..About::default() };
    append(tx, now, event, Some(user), about)
}

/// The stored instants a new conversation at `start` is checked against: its start and end, and
/// the earliest start of a conversation that can overlap it. Every conversation lasts as long
/// (the CHECK on `sessions`), so one that overlaps starts less than that length before `start`:
/// this lower bound keeps the look-up a short range of the (counsellor_id, starts_at) and (room,
/// starts_at) indexes, however many years of conversations lie before it (the triggers of
/// migration 0014 bound theirs the same way).
struct ClashWindow {
    earliest: String,
    start: String,
    end: String,
}

impl ClashWindow {
    fn around(start: DateTime<Utc>) -> Self {
        let end = end_of(start);
        Self {
            earliest: to_sql_time(start - (end - start)),
            start: to_sql_time(start),
            end: to_sql_time(end),
        }
    }
}

/// The statement of [`first_clash`] for a counsellor or room `condition` (with `?1`).
fn clash_sql(condition: &str) -> String {
    format!(
        "SELECT c.file_year, c.file_seq, s.starts_at FROM sessions s
             JOIN trajectories t ON t.id = s.trajectory_id JOIN couples c ON c.id = t.couple_id
         WHERE s.{condition} AND s.starts_at > ?4 AND s.starts_at < ?3 AND s.ends_at > ?2
           AND s.status <> 'cancelled'
         ORDER BY s.starts_at LIMIT 1"
    )
}

/// The first conversation (not cancelled) that overlaps [start, end) for a counsellor or a room.
fn first_clash(
    tx: &Transaction<'_>,
    condition: &str,
    value: &str,
    window: &ClashWindow,
) -> Result<Option<Clash>> {
    let found = tx
        .prepare_cached(&clash_sql(condition))?
        .query_row(params![value, window.start, window.end, window.earliest], |r| {
            Ok((r.get::<_, i32>(0)?, r.get::<_, u32>(1)?, r.get::<_, String>(2)?))
        })
        .optional()?;
    found
        .map(|(year, seq, at)| {
            Ok(Clash { file: FileNumber { year, seq }.to_string(), start: from_sql_time(&at)? })
        })
        .transpose()
}

impl Store {
    /// The query plans of the store's clash checks (a counsellor's, then a room's) for a
    /// conversation at `start`: for the tests and benchmark that check the look-up is a bounded
    /// range of an index, not every earlier conversation.
    pub fn explain_clash_checks(&self, start: DateTime<Utc>) -> Result<Vec<String>> {
        let window = ClashWindow::around(start);
        let mut lines = Vec::new();
        for (condition, value) in [("counsellor_id = ?1", "1"), ("room = ?1", "Kamer 1")] {
            lines.extend(
                self.explain(
                    &clash_sql(condition),
                    params![value, window.start, window.end, window.earliest],
                )?,
            );
        }
        Ok(lines)
    }
}

/// Cancels the planned conversations of trajectories matching `condition` (with `?1` = `value`).
pub(super) fn cancel_planned(tx: &Transaction<'_>, condition: &str, value: i64) -> Result<()> {
    tx.execute(
        &format!(
            "UPDATE sessions SET status = 'cancelled', cancel_reason = 'traject afgesloten', version = version + 1
             WHERE status = 'planned' AND trajectory_id IN (SELECT id FROM trajectories WHERE {condition})"
        ),
        [value],
    )?;
    Ok(())
}
