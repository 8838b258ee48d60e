//! The walk-in queue: registering, status changes and their undo.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::couples::{COUPLE_COLUMNS, PARTNER_JOINS, couple_from_row, create_couple};
use super::queue_file::{follow_walk_in, undo_follow};
use super::rows::{code_at, opt_code_at, opt_time_at, time_at, width};
use super::{Result, Store, StoreError, to_sql_time};
use crate::domain::access::AccessEvent;
use crate::domain::contact::phone_digits;
use crate::domain::couple::{Request, Source};
use crate::domain::walkin::{
    Attendance, Change, CoupleRef, NewContact, NewWalkIn, Outcome, Status, WalkIn, WalkInState, desk_day,
};

/// A walk-in with its couple and counsellor: `walk_ins w` joined by [`WALK_IN_JOINS`].
const WALK_IN_COLUMNS: &str = "w.id, w.ticket, w.arrived_at, w.attendance, w.request, w.source, w.note <> '',
     w.status, w.counsellor_id, w.outcome, w.called_at, w.changed_at, w.version, u.name";

/// Where [`COUPLE_COLUMNS`] (after the walk-in's own columns) and the counsellor's name come from.
const WALK_IN_JOINS: &str =
    "JOIN couples c ON c.id = w.couple_id LEFT JOIN users u ON u.id = w.counsellor_id";

/// The number of [`WALK_IN_COLUMNS`]: the couple's columns follow them.
const WALK_IN_WIDTH: usize = width(WALK_IN_COLUMNS);

/// Reads a walk-in from `SELECT {WALK_IN_COLUMNS}, {COUPLE_COLUMNS} FROM walk_ins w {WALK_IN_JOINS} {PARTNER_JOINS}`.
fn walk_in_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<WalkIn> {
    Ok(WalkIn {
        id: r.get(0)?,
        ticket: r.get(1)?,
        arrived_at: time_at(r, 2)?,
        attendance: code_at(r, 3, Attendance::from_code)?,
        request: code_at(r, 4, Request::from_code)?,
        source: code_at(r, 5, Source::from_code)?,
        has_note: r.get(6)?,
        state: WalkInState {
            status: code_at(r, 7, Status::from_code)?,
            counsellor_id: r.get(8)?,
            outcome: opt_code_at(r, 9, Outcome::from_code)?,
        },
        called_at: opt_time_at(r, 10)?,
        changed_at: opt_time_at(r, 11)?,
        version: r.get(12)?,
        counsellor_name: r.get(13)?,
        couple: couple_from_row(r, WALK_IN_WIDTH)?,
    })
}

/// Reads a walk-in's state from stored codes, outside a row.
fn state_of(status: &str, counsellor_id: Option<i64>, outcome: Option<&str>) -> Result<WalkInState> {
    let status = Status::from_code(status).ok_or(StoreError::Corrupt)?;
    let outcome = outcome.map(|o| Outcome::from_code(o).ok_or(StoreError::Corrupt)).transpose()?;
    Ok(WalkInState { status, counsellor_id, outcome })
}

/// The query of walk-ins matching `condition`, by arrival: one row each, couple included.
fn walk_ins_sql(condition: &str) -> String {
    format!(
        "SELECT {WALK_IN_COLUMNS}, {COUPLE_COLUMNS} FROM walk_ins w {WALK_IN_JOINS} {PARTNER_JOINS}
         WHERE {condition} ORDER BY w.arrived_at, w.id"
    )
}

impl Store {
    /// The walk-ins of one desk day, by arrival.
    pub fn walk_ins_on(&self, day: NaiveDate) -> Result<Vec<WalkIn>> {
        self.select_walk_ins("w.day = ?1", day)
    }

    /// The queue of a desk day: its walk-ins, and walk-ins of earlier days that were never
    /// finished (so that they can still be closed), by arrival.
    pub fn queue_for(&self, day: NaiveDate) -> Result<Vec<WalkIn>> {
        self.select_walk_ins(QUEUE, day)
    }

    /// The query plan of the statement behind [`Store::queue_for`].
    #[doc(hidden)]
    pub fn explain_queue_for(&self, day: NaiveDate) -> Result<Vec<String>> {
        self.explain(&walk_ins_sql(QUEUE), [day.to_string()])
    }

    /// One query, whatever the number of walk-ins: each row carries its couple.
    fn select_walk_ins(&self, condition: &str, day: NaiveDate) -> Result<Vec<WalkIn>> {
        let mut stmt = self.conn.prepare_cached(&walk_ins_sql(condition))?;
        let rows = stmt.query_map([day.to_string()], walk_in_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// One walk-in.
    pub fn walk_in(&self, id: i64) -> Result<WalkIn> {
        self.conn
            .prepare_cached(&walk_ins_sql("w.id = ?1"))?
            .query_row([id], walk_in_from_row)
            .optional()?
            .ok_or(StoreError::NotFound)
    }

    /// Registers a walk-in (opening a new file if needed) with the day's next ticket.
    /// Returns the new walk-in's id.
    pub fn register_walk_in(
        &mut self,
        walk_in: &NewWalkIn,
        now: DateTime<Utc>,
        user_id: Option<i64>,
    ) -> Result<i64> {
        self.register_walk_in_with(walk_in, &[], now, user_id)
    }

    /// Registers a walk-in as [`Store::register_walk_in`] does; a new file also gets each partner's
    /// phone and e-mail from `contacts` (in the partners' order), in the same write. An existing
    /// file keeps its own.
    pub fn register_walk_in_with(
        &mut self,
        walk_in: &NewWalkIn,
        contacts: &[NewContact],
        now: DateTime<Utc>,
        user_id: Option<i64>,
    ) -> Result<i64> {
        self.write(|tx| {
            let couple_id = match &walk_in.couple {
                CoupleRef::Existing(id) => {
                    let exists: bool =
                        tx.query_row("SELECT EXISTS (SELECT 1 FROM couples WHERE id = ?1)", [id], |r| r.get(0))?;
                    if !exists {
                        return Err(StoreError::NotFound);
                    }
                    *id
                }
                CoupleRef::New(partners) => {
                    let id = create_couple(tx, partners, walk_in.request, walk_in.source, now)?;
                    for (position, c) in contacts.iter().take(partners.len().min(2)).enumerate() {
                        tx.execute(
                            "UPDATE partners SET phone = ?3, phone_key = ?4, email = ?5
                             WHERE couple_id = ?1 AND position = ?2",
                            params![id, position as i64 + 1, c.phone, phone_digits(&c.phone), c.email],
                        )?;
                    }
                    id
                }
            };
            let day = desk_day(now).to_string();
            let (ticket, latest): (u32, Option<String>) = tx.query_row(
                "SELECT coalesce(max(ticket), 0) + 1, max(arrived_at) FROM walk_ins WHERE day = ?1",
                [&day],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            // The arrival is settled here, with the write lock held: another desk's walk-in that
            // took its ticket first has not arrived later, so ticket order and arrival order agree.
            let arrived_at = to_sql_time(now).max(latest.unwrap_or_default());
            tx.execute(
                "INSERT INTO walk_ins (couple_id, day, ticket, arrived_at, attendance, request, source, note, status, registered_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'waiting', ?9)",
                params![
                    couple_id,
                    day,
                    ticket,
                    arrived_at,
                    walk_in.attendance.code(),
                    walk_in.request.code(),
                    walk_in.source.code(),
                    walk_in.note,
                    user_id
                ],
            )?;
            let id = tx.last_insert_rowid();
            let detail = if matches!(walk_in.couple, CoupleRef::New(_)) { "registered, new file" } else { "registered" };
            super::access_log::log_by_id(tx, now, AccessEvent::WalkIn, user_id, Some(couple_id), detail)?;
            Ok(id)
        })
    }

    /// What a couple's file says they came for and how they found the desk: the defaults of a
    /// returning couple's next walk-in. Like the queue's rows, not a read of the file's content.
    pub fn couple_intake(&self, couple: i64) -> Result<(Request, Source)> {
        let (request, source): (String, String) = self
            .conn
            .query_row("SELECT request, source FROM couples WHERE id = ?1", [couple], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?
            .ok_or(StoreError::NotFound)?;
        let request = Request::from_code(&request).ok_or(StoreError::Corrupt)?;
        Ok((request, Source::from_code(&source).ok_or(StoreError::Corrupt)?))
    }

    /// Applies a status change to a walk-in last read at `version`. A walk-in changed by
    /// someone else since then is refused with [`StoreError::Stale`].
    pub fn change_walk_in(
        &mut self,
        id: i64,
        version: i64,
        change: Change,
        now: DateTime<Utc>,
        user_id: Option<i64>,
    ) -> Result<()> {
        self.write(|tx| {
            let current = current_state(tx, id, version)?;
            let next = current.state.apply(change)?;
            let at = to_sql_time(now);
            // What the change does to the file is kept with it, so that its undo can take it back.
            let file = follow_walk_in(tx, id, change, &at, user_id)?;
            tx.execute(
                "INSERT INTO walk_in_changes
                   (walk_in_id, at, user_id, to_status, from_status, from_counsellor_id, from_outcome, from_called_at,
                    from_changed_at, from_file_status, set_file_counsellor)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    id,
                    at,
                    user_id,
                    next.status.code(),
                    current.state.status.code(),
                    current.state.counsellor_id,
                    current.state.outcome.map(Outcome::code),
                    current.called_at,
                    current.changed_at,
                    file.from_status,
                    file.set_counsellor
                ],
            )?;
            let called_at = if matches!(change, Change::CallIn { .. }) { Some(at.clone()) } else { current.called_at };
            tx.execute(
                "UPDATE walk_ins SET status = ?2, counsellor_id = ?3, outcome = ?4, called_at = ?5, changed_at = ?6,
                        version = version + 1
                 WHERE id = ?1",
                params![id, next.status.code(), next.counsellor_id, next.outcome.map(Outcome::code), called_at, at],
            )?;
            let detail = format!("to {}", next.status.code());
            let couple: i64 = tx.query_row("SELECT couple_id FROM walk_ins WHERE id = ?1", [id], |r| r.get(0))?;
            super::access_log::log_by_id(tx, now, AccessEvent::WalkIn, user_id, Some(couple), &detail)
        })
    }

    /// Undoes the last status change of a walk-in last read at `version`, when that change was
    /// made by `user_id` and the walk-in is still as that change left it. A change by someone
    /// else, or a walk-in changed since, is refused with [`StoreError::Stale`] and nothing changes.
    /// Returns false when there was nothing to undo.
    pub fn undo_walk_in_change(
        &mut self,
        id: i64,
        version: i64,
        now: DateTime<Utc>,
        user_id: Option<i64>,
    ) -> Result<bool> {
        self.write(|tx| {
            current_state(tx, id, version)?;
            let last = tx
                .query_row(
                    "SELECT h.id, h.from_status, h.from_counsellor_id, h.from_outcome, h.from_called_at, h.from_changed_at,
                            h.user_id IS ?2 AND h.to_status = w.status AND h.at IS w.changed_at
                     FROM walk_in_changes h JOIN walk_ins w ON w.id = h.walk_in_id
                     WHERE h.walk_in_id = ?1 AND h.undone_at IS NULL ORDER BY h.id DESC LIMIT 1",
                    params![id, user_id],
                    |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, Option<i64>>(2)?,
                            r.get::<_, Option<String>>(3)?,
                            r.get::<_, Option<String>>(4)?,
                            r.get::<_, Option<String>>(5)?,
                            r.get::<_, bool>(6)?,
                        ))
                    },
                )
                .optional()?;
            let Some((change_id, status, counsellor_id, outcome, called_at, changed_at, own)) = last else {
                return Ok(false);
            };
            // Only one's own change, and only while the walk-in is still as it left it.
            if !own {
                return Err(StoreError::Stale);
            }
            // Check what we restore is a state we know, before writing it back.
            state_of(&status, counsellor_id, outcome.as_deref())?;
            // What the change did to the file goes back too (or, when the file has moved on
            // since, nothing is undone).
            undo_follow(tx, id, change_id, now, user_id)?;
            tx.execute("UPDATE walk_in_changes SET undone_at = ?2 WHERE id = ?1", params![change_id, to_sql_time(now)])?;
            tx.execute(
                "UPDATE walk_ins SET status = ?2, counsellor_id = ?3, outcome = ?4, called_at = ?5, changed_at = ?6,
                        version = version + 1
                 WHERE id = ?1",
                params![id, status, counsellor_id, outcome, called_at, changed_at],
            )?;
            let couple: i64 = tx.query_row("SELECT couple_id FROM walk_ins WHERE id = ?1", [id], |r| r.get(0))?;
            let detail = format!("undone, back to {status}");
            super::access_log::log_by_id(tx, now, AccessEvent::WalkIn, user_id, Some(couple), &detail)?;
            Ok(true)
        })
    }
}

struct Current {
    state: WalkInState,
    called_at: Option<String>,
    changed_at: Option<String>,
}

/// The walk-in's state inside a write, checked against the version the user saw.
fn current_state(tx: &Transaction<'_>, id: i64, version: i64) -> Result<Current> {
    let found = tx
        .query_row(
            "SELECT status, counsellor_id, outcome, called_at, changed_at, version FROM walk_ins WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, i64>(5)?,
                ))
            },
        )
        .optional()?;
    let (status, counsellor_id, outcome, called_at, changed_at, stored_version) =
        found.ok_or(StoreError::NotFound)?;
    if stored_version != version {
        return Err(StoreError::Stale);
    }
    Ok(Current { state: state_of(&status, counsellor_id, outcome.as_deref())?, called_at, changed_at })
}

/// The day's queue: walk-ins of the day, and those left waiting or in conversation before it.
const QUEUE: &str = "w.day = ?1 OR (w.day < ?1 AND w.status IN ('waiting', 'in_conversation'))";
