//! Undoing a trajectory started by mistake (issue 15): it then counts nowhere.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::planner::{UNDONE, cancel_planned, log_planning};
use super::timeline::file_event;
use super::{Result, Store, StoreError, to_sql_time};
use crate::domain::access::AccessEvent;
use crate::domain::planner::PlanRefused;
use crate::domain::user::User;

impl Store {
    /// Undoes a trajectory started by mistake: refused once a conversation of it was held or
    /// missed (it then ends, and counts). Its planned conversations are cancelled, it is marked
    /// undone (and so counts nowhere in the report or the budget), and a file that starting it
    /// moved to the trajectory track gets its status back, unless it changed since.
    pub fn undo_trajectory(&mut self, id: i64, version: i64, user: &User, now: DateTime<Utc>) -> Result<()> {
        self.write(|tx| {
            let (couple, moved_from, undone, stored): (i64, Option<String>, Option<String>, i64) = tx
                .query_row(
                    "SELECT couple_id, moved_from, undone_at, version FROM trajectories WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?
                .ok_or(StoreError::NotFound)?;
            if stored != version || undone.is_some() {
                return Err(StoreError::Stale);
            }
            let used: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM sessions WHERE trajectory_id = ?1 AND status IN ('held', 'no_show'))",
                [id],
                |r| r.get(0),
            )?;
            if used {
                return Err(StoreError::Plan(PlanRefused::AlreadyUsed));
            }
            cancel_planned(tx, "id = ?1", id, UNDONE, now)?;
            tx.execute(
                "UPDATE trajectories SET undone_at = ?2, ended_at = coalesce(ended_at, ?2), version = version + 1
                 WHERE id = ?1",
                params![id, to_sql_time(now)],
            )?;
            if let Some(before) = moved_from {
                let moved = tx.execute(
                    "UPDATE couples SET status = ?2, version = version + 1 WHERE id = ?1 AND status = 'trajectory'",
                    params![couple, before],
                )?;
                if moved == 1 {
                    file_event(tx, couple, now, user, "status", &before)?;
                }
            }
            log_planning(tx, now, user, AccessEvent::Trajectory, id, None, "undone")
        })
    }
}
