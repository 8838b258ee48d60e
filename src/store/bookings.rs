//! Bookings and the year's budget figures: conversations as the week view, the calendar export and
//! the next free slot see them (file number and initials, never names).

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Row, params};

use super::couples::{COUPLE_COLUMNS, PARTNER_JOINS, couple_from_row};
use super::rows::{code_at, time_at, width};
use super::{Result, Store, to_sql_time};
use crate::domain::names::PersonName;
use crate::domain::planner::SessionStatus;
use crate::domain::trajectory::Booking;

/// A conversation with its counsellor: `sessions s JOIN users u`, followed by the couple's
/// [`COUPLE_COLUMNS`] (for the file number and the initials).
const BOOKING_COLUMNS: &str = "s.id, s.counsellor_id, u.name, s.starts_at, s.room, s.status";

/// The number of [`BOOKING_COLUMNS`]: the couple's columns follow them.
const BOOKING_WIDTH: usize = width(BOOKING_COLUMNS);

fn booking_from_row(r: &Row<'_>) -> rusqlite::Result<Booking> {
    let couple = couple_from_row(r, BOOKING_WIDTH)?;
    Ok(Booking {
        session_id: r.get(0)?,
        couple_id: couple.id,
        file: couple.file,
        initials: initials(&couple.partners),
        counsellor_id: r.get(1)?,
        counsellor: r.get(2)?,
        start: time_at(r, 3)?,
        room: r.get(4)?,
        status: code_at(r, 5, SessionStatus::from_code)?,
        receive_apart: couple.receive_apart,
    })
}

impl Store {
    /// A counsellor's conversations (all statuses) between two instants, with file number and initials.
    pub fn bookings(
        &self,
        counsellor: Option<i64>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<Booking>> {
        let sql = format!(
            "SELECT {BOOKING_COLUMNS}, {COUPLE_COLUMNS}
             FROM sessions s JOIN trajectories t ON t.id = s.trajectory_id
                  JOIN couples c ON c.id = t.couple_id JOIN users u ON u.id = s.counsellor_id {PARTNER_JOINS}
             WHERE (?1 IS NULL OR s.counsellor_id = ?1) AND s.starts_at >= ?2 AND s.starts_at < ?3
             ORDER BY s.starts_at"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows =
            stmt.query_map(params![counsellor, to_sql_time(from), to_sql_time(to)], booking_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The year's figures for the budget: trajectories started, conversations held (erased files'
    /// too, from their anonymous rows).
    pub fn budget_figures(&self, year: i32) -> Result<(u32, u32)> {
        let started: u32 =
            self.conn.query_row("SELECT count(*) FROM report_trajectories WHERE year = ?1", [year], |r| {
                r.get(0)
            })?;
        let (from, to) = (
            NaiveDate::from_ymd_opt(year, 1, 1).map(|d| d.to_string()).unwrap_or_default(),
            NaiveDate::from_ymd_opt(year + 1, 1, 1).map(|d| d.to_string()).unwrap_or_default(),
        );
        let held: u32 = self.conn.query_row(
            "SELECT count(*) FROM report_sessions WHERE status = 'held' AND starts_at >= ?1 AND starts_at < ?2",
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
