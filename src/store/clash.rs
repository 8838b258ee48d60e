//! The clash checks of planning: a counsellor or a room already booked, looked up in a bounded
//! window of the indexes, however many years of conversations lie before it.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::{Result, Store, from_sql_time, to_sql_time};
use crate::domain::couple::FileNumber;
use crate::domain::planner::{Clash, end_of};

/// The stored instants a new conversation at `start` is checked against: its start and end, and
/// the earliest start of a conversation that can overlap it. Every conversation lasts as long
/// (the CHECK on `sessions`), so one that overlaps starts less than that length before `start`:
/// this lower bound keeps the look-up a short range of the (counsellor_id, starts_at) and (room,
/// starts_at) indexes, however many years of conversations lie before it (the triggers of
/// migration 0016 bound theirs the same way).
pub(super) struct ClashWindow {
    pub(super) earliest: String,
    pub(super) start: String,
    pub(super) end: String,
}

impl ClashWindow {
    pub(super) fn around(start: DateTime<Utc>) -> Self {
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
pub(super) fn first_clash(
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
