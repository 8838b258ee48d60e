//! The access copy (*inzage*) of one partner: read in a fixed number of queries, whatever the
//! number of rows, inside the write that logs it. Only this partner's own columns are selected;
//! the other partner's contact details, year of birth, wish, consents and scores are never read.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::access_log::{About, append};
use super::rows::{code_at, date_at, opt_code_at, opt_date_at, opt_time_at, time_at};
use super::{Result, Store, StoreError};
use crate::domain::access::AccessEvent;
use crate::domain::couple::{FileNumber, Request, Source};
use crate::domain::file::{CloseOutcome, FileStatus, LifeEventKind, Wish};
use crate::domain::inzage::*;
use crate::domain::planner::{Attended, SessionStatus};
use crate::domain::referral::{ReferralStatus, Shared};
use crate::domain::user::User;
use crate::domain::walkin::{Attendance, Outcome, Status};

/// Why an export did not happen: the store, or the delivery (writing the files), whose error is
/// handed back as it was. Either way nothing was logged.
#[derive(Debug)]
pub enum ExportFailed<D> {
    Store(StoreError),
    Deliver(D),
}

impl Store {
    /// The id of the file with this number and the positions of its partners; `None` when there
    /// is no such file.
    pub fn file_partners(&self, number: FileNumber) -> Result<Option<(i64, Vec<u8>)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, p.position FROM couples c LEFT JOIN partners p ON p.couple_id = c.id
             WHERE c.file_year = ?1 AND c.file_seq = ?2 ORDER BY p.position",
        )?;
        let rows = stmt.query_map(params![number.year, number.seq], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<u8>>(1)?))
        })?;
        let mut found: Option<(i64, Vec<u8>)> = None;
        for row in rows {
            let (id, position) = row?;
            let entry = found.get_or_insert_with(|| (id, Vec::new()));
            entry.1.extend(position);
        }
        Ok(found)
    }

    /// Makes the access copy of `partner` of file `couple` for a coordinator and hands it to
    /// `deliver` (which writes it), in one transaction with its log row (`access_export`, the
    /// couple, the partner and `format`; never content). The copy holds its own log row. When
    /// `deliver` fails, or the user is not an active coordinator, nothing is logged.
    pub fn export_access_copy<T, D>(
        &mut self,
        couple: i64,
        partner: u8,
        by: &User,
        now: DateTime<Utc>,
        format: &str,
        deliver: impl FnOnce(&AccessCopy) -> std::result::Result<T, D>,
    ) -> std::result::Result<T, ExportFailed<D>> {
        let mut failed = None;
        let result = self.write(|tx| {
            super::users::require_coordinator(tx, by)?;
            let about = About { couple: Some(couple), partner: Some(partner), on_behalf: "", detail: format };
            append(tx, now, AccessEvent::AccessExport, Some(by), about)?;
            let copy = read_copy(tx, couple, partner, now)?;
            deliver(&copy).map_err(|d| {
                failed = Some(d);
                StoreError::NotFound // rolls the log row back; the delivery's own error is returned
            })
        });
        match (result, failed) {
            (_, Some(d)) => Err(ExportFailed::Deliver(d)),
            (Ok(v), None) => Ok(v),
            (Err(e), None) => Err(ExportFailed::Store(e)),
        }
    }
}

/// The file and this partner: `couples c JOIN partners p` (this position only) `LEFT JOIN users u`.
const HEAD_SQL: &str =
    "SELECT c.file_year, c.file_seq, c.created_at, c.status, c.outcome, c.closed_on, c.request,
        c.source, c.children, u.name, c.notes, EXISTS (SELECT 1 FROM concerns k WHERE k.couple_id = c.id),
        (SELECT count(*) FROM partners q WHERE q.couple_id = c.id),
        p.given_name, p.prefix, p.surname, p.phone, p.email, p.birth_year, p.wish, p.private_note
     FROM couples c JOIN partners p ON p.couple_id = c.id AND p.position = ?2
     LEFT JOIN users u ON u.id = c.counsellor_id WHERE c.id = ?1";

/// Reads [`HEAD_SQL`] into a copy without its lists; also how many partners the file has.
fn head_from_row(r: &Row<'_>, partner: u8, now: DateTime<Utc>) -> rusqlite::Result<(AccessCopy, u32)> {
    let copy = AccessCopy {
        file_number: FileNumber { year: r.get(0)?, seq: r.get(1)? }.to_string(),
        partner,
        made_at: now,
        file: FileFacts {
            opened_at: time_at(r, 2)?,
            status: code_at(r, 3, FileStatus::from_code)?.code().to_owned(),
            outcome: opt_code_at(r, 4, CloseOutcome::from_code)?.map(|o| o.code().to_owned()),
            closed_on: opt_date_at(r, 5)?,
            request: code_at(r, 6, Request::from_code)?.code().to_owned(),
            source: code_at(r, 7, Source::from_code)?.code().to_owned(),
            children: r.get(8)?,
            counsellor: r.get(9)?,
        },
        notes: r.get(10)?,
        own_note: r.get(20)?,
        review_first: r.get(11)?,
        person: Person {
            given_name: r.get(13)?,
            prefix: r.get(14)?,
            surname: r.get(15)?,
            phone: r.get(16)?,
            email: r.get(17)?,
            birth_year: r.get(18)?,
            wish: code_at(r, 19, Wish::from_code)?.code().to_owned(),
        },
        walk_ins: Vec::new(),
        trajectories: Vec::new(),
        conversations: Vec::new(),
        life_events: Vec::new(),
        referrals: Vec::new(),
        referrals_in: Vec::new(),
        scores: Vec::new(),
        access_log: Vec::new(),
    };
    Ok((copy, r.get(12)?))
}

const VISIT_SQL: &str =
    "SELECT w.day, w.arrived_at, w.attendance, w.request, w.status, w.outcome, u.name, w.note
     FROM walk_ins w LEFT JOIN users u ON u.id = w.counsellor_id
     WHERE w.couple_id = ?1 ORDER BY w.arrived_at, w.id";

fn visit_from_row(r: &Row<'_>) -> rusqlite::Result<Visit> {
    Ok(Visit {
        day: date_at(r, 0)?,
        arrived_at: time_at(r, 1)?,
        came: code_at(r, 2, Attendance::from_code)?.code().to_owned(),
        request: code_at(r, 3, Request::from_code)?.code().to_owned(),
        status: code_at(r, 4, Status::from_code)?.code().to_owned(),
        outcome: opt_code_at(r, 5, Outcome::from_code)?.map(|o| o.code().to_owned()),
        counsellor: r.get(6)?,
        note: r.get(7)?,
    })
}

const TRAJECTORY_SQL: &str = "SELECT t.started_at, t.ended_at, u.name FROM trajectories t
     JOIN users u ON u.id = t.counsellor_id WHERE t.couple_id = ?1 ORDER BY t.started_at, t.id";

fn trajectory_from_row(r: &Row<'_>) -> rusqlite::Result<TrajectoryRow> {
    Ok(TrajectoryRow { started_at: time_at(r, 0)?, ended_at: opt_time_at(r, 1)?, counsellor: r.get(2)? })
}

const CONVERSATION_SQL: &str =
    "SELECT s.starts_at, s.status, s.attended, u.name, s.room, s.cancel_reason, s.note
     FROM sessions s JOIN trajectories t ON t.id = s.trajectory_id JOIN users u ON u.id = s.counsellor_id
     WHERE t.couple_id = ?1 ORDER BY s.starts_at, s.id";

fn conversation_from_row(r: &Row<'_>) -> rusqlite::Result<Conversation> {
    Ok(Conversation {
        starts_at: time_at(r, 0)?,
        status: code_at(r, 1, SessionStatus::from_code)?.code().to_owned(),
        attended: opt_code_at(r, 2, Attended::from_code)?.map(|a| a.code().to_owned()),
        counsellor: r.get(3)?,
        room: r.get(4)?,
        cancel_reason: r.get(5)?,
        note: r.get(6)?,
    })
}

const LIFE_EVENT_SQL: &str = "SELECT kind, happened_on FROM life_events WHERE couple_id = ?1
     ORDER BY happened_on IS NULL, happened_on, id";

fn life_event_from_row(r: &Row<'_>) -> rusqlite::Result<LifeEventRow> {
    Ok(LifeEventRow {
        kind: code_at(r, 0, LifeEventKind::from_code)?.code().to_owned(),
        on: opt_date_at(r, 1)?,
    })
}

/// Referrals for the couple or for this partner alone (never one for the other partner alone),
/// with this partner's current consent only: the latest give, and the withdrawal when the latest
/// row of their consent history is one.
const REFERRAL_SQL: &str = "SELECT r.party, r.reason, r.status, r.shared, r.summary, r.created_at, r.sent_on,
        r.answered_on,
        (SELECT h.on_day FROM consent_history h WHERE h.referral_id = r.id AND h.position = ?2
            AND h.action = 'give' ORDER BY h.id DESC LIMIT 1),
        (SELECT CASE h.action WHEN 'withdraw' THEN h.on_day END FROM consent_history h
            WHERE h.referral_id = r.id AND h.position = ?2 ORDER BY h.id DESC LIMIT 1)
     FROM referrals r
     WHERE r.couple_id = ?1 AND (r.scope = 'couple' OR r.scope = 'partner' || ?2) ORDER BY r.created_at, r.id";

fn referral_from_row(r: &Row<'_>) -> rusqlite::Result<ReferralRow> {
    Ok(ReferralRow {
        party: r.get(0)?,
        party_name: String::new(),
        reason: r.get(1)?,
        status: code_at(r, 2, ReferralStatus::from_code)?.code().to_owned(),
        shared: code_at(r, 3, Shared::from_code)?.code().to_owned(),
        summary: r.get(4)?,
        created_at: time_at(r, 5)?,
        sent_on: opt_date_at(r, 6)?,
        answered_on: opt_date_at(r, 7)?,
        consent_given_on: opt_date_at(r, 8)?,
        consent_withdrawn_on: opt_date_at(r, 9)?,
    })
}

const REFERRAL_IN_SQL: &str =
    "SELECT source, referred_on FROM referrals_in WHERE couple_id = ?1 ORDER BY referred_on, id";

fn referral_in_from_row(r: &Row<'_>) -> rusqlite::Result<ReferralIn> {
    Ok(ReferralIn {
        source: code_at(r, 0, Source::from_code)?.code().to_owned(),
        referred_on: date_at(r, 1)?,
    })
}

/// This partner's own marks only.
const SCORE_SQL: &str = "SELECT s.starts_at, sc.satisfaction, sc.communication, sc.hope
     FROM scores sc JOIN sessions s ON s.id = sc.session_id JOIN trajectories t ON t.id = s.trajectory_id
     WHERE t.couple_id = ?1 AND sc.position = ?2 ORDER BY s.starts_at, sc.id";

fn score_from_row(r: &Row<'_>) -> rusqlite::Result<ScoreRow> {
    Ok(ScoreRow {
        conversation_at: time_at(r, 0)?,
        satisfaction: r.get(1)?,
        communication: r.get(2)?,
        hope: r.get(3)?,
    })
}

/// The file's log, without the rows about the other partner, and without the walk-in rows
/// (the visits this partner may see are listed on their own; a visit of the other partner alone
/// must not show here by its time).
const LOG_SQL: &str = "SELECT at, event, detail, user_name, user_roles, workstation FROM access_log
     WHERE couple_id = ?1 AND (partner IS NULL OR partner = ?2) AND event <> 'walk_in' ORDER BY id";

fn log_from_row(r: &Row<'_>) -> rusqlite::Result<LogRow> {
    let event: String = r.get(1)?;
    let detail: String = r.get(2)?;
    let named =
        matches!(event.as_str(), "file_changed" | "referral") && NAMED_PARTS.contains(&detail.as_str());
    Ok(LogRow {
        at: time_at(r, 0)?,
        part: if named { detail } else { String::new() },
        event,
        user: r.get(3)?,
        roles: r.get(4)?,
        workstation: r.get(5)?,
    })
}

/// Runs one of the list queries above with the couple (and the partner, where it asks for `?2`).
fn list<T>(
    conn: &Connection,
    sql: &str,
    couple: i64,
    partner: Option<u8>,
    map: fn(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = match partner {
        Some(p) => stmt.query_map(params![couple, p], map)?.collect::<rusqlite::Result<Vec<_>>>(),
        None => stmt.query_map([couple], map)?.collect::<rusqlite::Result<Vec<_>>>(),
    };
    Ok(rows?)
}

/// The whole copy, in nine queries.
fn read_copy(conn: &Connection, couple: i64, partner: u8, now: DateTime<Utc>) -> Result<AccessCopy> {
    let (mut copy, partners) = conn
        .prepare_cached(HEAD_SQL)?
        .query_row(params![couple, partner], |r| head_from_row(r, partner, now))
        .optional()?
        .ok_or(StoreError::NotFound)?;
    copy.walk_ins = list(conn, VISIT_SQL, couple, None, visit_from_row)?;
    copy.walk_ins.retain(|v| visit_is_theirs(&v.came, partners));
    copy.trajectories = list(conn, TRAJECTORY_SQL, couple, None, trajectory_from_row)?;
    copy.conversations = list(conn, CONVERSATION_SQL, couple, None, conversation_from_row)?;
    copy.conversations.retain(|c| conversation_is_theirs(c.attended.as_deref(), partner));
    copy.life_events = list(conn, LIFE_EVENT_SQL, couple, None, life_event_from_row)?;
    copy.referrals = list(conn, REFERRAL_SQL, couple, Some(partner), referral_from_row)?;
    copy.referrals_in = list(conn, REFERRAL_IN_SQL, couple, None, referral_in_from_row)?;
    copy.scores = list(conn, SCORE_SQL, couple, Some(partner), score_from_row)?;
    copy.access_log = list(conn, LOG_SQL, couple, Some(partner), log_from_row)?;
    Ok(copy)
}
