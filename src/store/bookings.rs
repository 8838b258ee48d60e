//! Bookings and the year's budget figures: conversations as the week view, the calendar export and
//! the next free slot see them (file number and initials, never names).

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::params;

use super::Booking;
use super::planner::code;
use super::{Result, Store, from_sql_time, to_sql_time};
use crate::domain::couple::FileNumber;
use crate::domain::names::PersonName;
use crate::domain::planner::SessionStatus;

impl Store {
    /// A counsellor's conversations (all statuses) between two instants, with file number and initials.
    pub fn bookings(
        &self,
        counsellor: Option<i64>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Booking>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.id, t.couple_id, c.file_year, c.file_seq, u.name, s.starts_at, s.room, s.status,
                    s.counsellor_id
             FROM sessions s JOIN trajectories t ON t.id = s.trajectory_id
                  JOIN couples c ON c.id = t.couple_id JOIN users u ON u.id = s.counsellor_id
             WHERE (?1 IS NULL OR s.counsellor_id = ?1) AND s.starts_at >= ?2 AND s.starts_at < ?3
             ORDER BY s.starts_at",
        )?;
        let rows = stmt
            .query_map(params![counsellor, to_sql_time(from), to_sql_time(to)], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i32>(2)?,
                    r.get::<_, u32>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, i64>(8)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(session_id, couple_id, year, seq, counsellor, start, room, status, counsellor_id)| {
                let names = self.couple_summary(couple_id)?.partners;
                Ok(Booking {
                    session_id,
                    couple_id,
                    file: FileNumber { year, seq },
                    initials: initials(&names),
                    counsellor_id,
                    counsellor,
                    start: from_sql_time(&start)?,
                    room,
                    status: code(&status, SessionStatus::from_code)?,
                })
            })
            .collect()
    }

    /// The year's figures for the budget: trajectories started, conversations held.
    pub fn budget_figures(&self, year: i32) -> Result<(u32, u32)> {
        let started: u32 =
            self.conn.query_row("SELECT count(*) FROM trajectories WHERE year = ?1", [year], |r| r.get(0))?;
        let (from, to) = (
            NaiveDate::from_ymd_opt(year, 1, 1).map(|d| d.to_string()).unwrap_or_default(),
            NaiveDate::from_ymd_opt(year + 1, 1, 1).map(|d| d.to_string()).unwrap_or_default(),
        );
        let held: u32 = self.conn.query_row(
            "SELECT count(*) FROM sessions WHERE status = 'held' AND starts_at >= ?1 AND starts_at < ?2",
            params![from, to],
            |r| r.get(0),
        )?;
        Ok((started, held))
    }
}

/// "IJ.v.d.W. & E.J."-style initials of a couple, for the calendar: no full names leave the desk.
fn initials(partners: &[PersonName]) -> String {
    partners.iter().map(PersonName::initials).collect::<Vec<_>>().join(" & ")
}
