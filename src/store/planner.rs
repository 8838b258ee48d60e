//! Trajectories and conversations. The rules are checked here inside the write transaction
//! (with the clash named), and held again by triggers in the schema.

use chrono::{DateTime, Datelike, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::access_log::{About, append};
use super::clash::{ClashWindow, first_clash};
use super::rows::{code, code_at, opt_code_at, opt_time_at, time_at};
use super::timeline::file_event;
use super::{Result, Store, StoreError, from_sql_time, to_sql_time};
use crate::domain::access::AccessEvent;
use crate::domain::planner::{Attended, Clash, PlanRefused, SessionStatus, check_new, during_walk_in_hour};
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
            // The file's status before, when starting moves it on: undoing gives it back.
            let before: Option<String> = tx
                .query_row("SELECT status FROM couples WHERE id = ?1", [couple], |r| r.get(0))
                .optional()?
                .filter(|s: &String| s == "new" || s == "one_conversation");
            tx.execute(
                "INSERT INTO trajectories (couple_id, counsellor_id, year, started_at, moved_from)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![couple, counsellor, desk_day(now).year(), to_sql_time(now), before],
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
             WHERE t.couple_id = ?1 AND t.undone_at IS NULL
             ORDER BY t.ended_at IS NULL DESC, t.started_at DESC LIMIT 1"
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
            if new.status == SessionStatus::Planned {
                let day = new.start.with_timezone(&crate::domain::walkin::DESK_TZ).date_naive();
                if let Some(why) = super::settings::read_closed_days(tx)?.closed_for(day, counsellor) {
                    return Err(StoreError::Plan(PlanRefused::Closed { day, why }));
                }
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
            if code(&current, SessionStatus::from_code)? != SessionStatus::Planned
                || status == SessionStatus::Planned
            {
                return Err(StoreError::Plan(PlanRefused::NotPlanned));
            }
            if status.is_used() && from_sql_time(&start)? > now {
                return Err(StoreError::Plan(PlanRefused::NotYetHappened));
            }
            // A cancellation happened now, whatever day the conversation was planned for.
            let cancelled_at = (status == SessionStatus::Cancelled).then(|| to_sql_time(now));
            tx.execute(
                "UPDATE sessions SET status = ?2, attended = ?3, cancel_reason = ?4, cancelled_at = ?5,
                        version = version + 1 WHERE id = ?1",
                params![id, status.code(), attended.map(Attended::code), reason, cancelled_at],
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
            cancel_planned(tx, "trajectory_id = ?1", id, ENDED, now)?;
            log_planning(tx, now, user, AccessEvent::Trajectory, id, None, "ended")
        })
    }
}

/// The reason stored with a conversation cancelled because its trajectory ended (or its file closed).
pub(super) const ENDED: &str = "traject afgesloten";
/// The reason stored with a conversation cancelled because its trajectory was undone.
pub(super) const UNDONE: &str = "traject ongedaan gemaakt";

/// Logs a change to a trajectory or one of its conversations, for the couple it belongs to and on
/// behalf of its counsellor when someone else (a receptionist booking a follow-up) does it.
pub(super) fn log_planning(
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

/// Cancels, now and for `reason`, the planned conversations of trajectories matching `condition`
/// (with `?1` = `value`).
pub(super) fn cancel_planned(
    tx: &Transaction<'_>,
    condition: &str,
    value: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    tx.execute(
        &format!(
            "UPDATE sessions SET status = 'cancelled', cancel_reason = ?2, cancelled_at = ?3, version = version + 1
             WHERE status = 'planned' AND trajectory_id IN (SELECT id FROM trajectories WHERE {condition})"
        ),
        params![value, reason, to_sql_time(now)],
    )?;
    Ok(())
}
