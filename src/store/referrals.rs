//! Referrals out and in. Sending (and the letter) is checked against the consent rule inside the
//! transaction; the letter's data never includes notes.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, Row, Transaction, params};

use super::access_log::{About, append};
use super::files::{PARTNER_COLUMNS, partner_from_row};
use super::rows::{code_at, date_at, opt_date_at, opt_time_at};
use super::timeline::file_event;
use super::{Result, Store, StoreError, to_sql_time};
use crate::domain::access::AccessEvent;
use crate::domain::couple::{FileNumber, Request, Source};
use crate::domain::file::{LifeEventKind, Partner, Wish};
use crate::domain::referral::{
    Consent, ConsentAction, ConsentEntry, FollowUp, LetterData, NewReferral, Referral, ReferralStatus, Scope,
    Shared,
};
use crate::domain::user::{Role, User};

/// A referral of `referrals r`; its consents are read by their own query (see [`read_referrals`]).
/// The reason is selected only when `?2`, the summary only when `?3` (else both read as empty;
/// column 15 says whether a summary was written, so that sending can still be judged).
const REFERRAL_COLUMNS: &str = "r.id, r.couple_id, r.party, CASE WHEN ?2 THEN r.reason ELSE '' END,
     r.cost_explained, r.insurance_to_check, r.shared, CASE WHEN ?3 THEN r.summary ELSE '' END, r.status,
     r.follow_up_on, r.sent_on, r.version, r.scope, ?2, ?3, trim(r.summary, ' ' || char(9, 10, 13)) <> ''";

/// Which of a referral's texts a reader may see: the reason and the summary.
#[derive(Debug, Clone, Copy)]
struct Shown {
    reason: bool,
    summary: bool,
}

impl Shown {
    /// Everything: for the store's own checks inside a write, and for a counsellor.
    const ALL: Shown = Shown { reason: true, summary: true };

    fn to(viewer: &User) -> Shown {
        Shown {
            reason: viewer.may(Role::reads_referral_reason),
            summary: viewer.may(Role::reads_referral_summary),
        }
    }
}

fn referral_from_row(r: &Row<'_>) -> rusqlite::Result<Referral> {
    Ok(Referral {
        id: r.get(0)?,
        couple_id: r.get(1)?,
        party: r.get(2)?,
        reason: r.get(3)?,
        cost_explained: r.get(4)?,
        insurance_to_check: r.get(5)?,
        shared: code_at(r, 6, Shared::from_code)?,
        summary: r.get(7)?,
        status: code_at(r, 8, ReferralStatus::from_code)?,
        follow_up_on: opt_date_at(r, 9)?,
        sent_on: opt_date_at(r, 10)?,
        consents: Vec::new(),
        history: Vec::new(),
        version: r.get(11)?,
        scope: code_at(r, 12, Scope::from_code)?,
        reason_shown: r.get(13)?,
        summary_shown: r.get(14)?,
        summary_written: r.get(15)?,
    })
}

/// Whether partner `p.position` is one the referral `r` is for (SQL, on `referrals r` and
/// `partners p`): the couple's referral is for both, a partner's for that partner only.
const FOR_PARTNER: &str = "(r.scope = 'couple' OR r.scope = 'partner' || p.position)";

/// A row of the consent history: `consent_history h LEFT JOIN users u`.
const HISTORY_COLUMNS: &str =
    "h.referral_id, h.position, h.action, h.on_day, h.shared, h.recorded_at, coalesce(u.name, '')";

fn history_from_row(r: &Row<'_>) -> rusqlite::Result<(i64, ConsentEntry)> {
    Ok((
        r.get(0)?,
        ConsentEntry {
            position: r.get(1)?,
            action: code_at(r, 2, ConsentAction::from_code)?,
            on: date_at(r, 3)?,
            shared: code_at(r, 4, Shared::from_code)?,
            recorded_at: opt_time_at(r, 5)?,
            recorded_by: r.get(6)?,
        },
    ))
}

/// A referral waiting for an answer: `referrals r JOIN couples c`.
const FOLLOW_UP_COLUMNS: &str = "r.id, r.couple_id, c.file_year, c.file_seq, r.party, r.follow_up_on";

fn follow_up_from_row(r: &Row<'_>) -> rusqlite::Result<FollowUp> {
    Ok(FollowUp {
        referral_id: r.get(0)?,
        couple_id: r.get(1)?,
        file: FileNumber { year: r.get(2)?, seq: r.get(3)? },
        party: r.get(4)?,
        follow_up_on: date_at(r, 5)?,
    })
}

/// The referrals matching `condition` (on `referrals r`, with `?1` = `value`), newest first, each
/// with the consent of every partner whose data goes along: two queries, however many there are.
fn read_referrals(conn: &Connection, condition: &str, value: i64, shown: Shown) -> Result<Vec<Referral>> {
    let sql = format!(
        "SELECT {REFERRAL_COLUMNS} FROM referrals r WHERE {condition} ORDER BY r.created_at DESC, r.id DESC"
    );
    let mut referrals = conn
        .prepare_cached(&sql)?
        .query_map(params![value, shown.reason, shown.summary], referral_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let sql = format!(
        "SELECT r.id, p.position FROM referrals r JOIN partners p ON p.couple_id = r.couple_id
         WHERE ({condition}) AND {FOR_PARTNER} ORDER BY r.id, p.position"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    for row in stmt.query_map([value], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, u8>(1)?)))? {
        let (id, position) = row?;
        if let Some(referral) = referrals.iter_mut().find(|r| r.id == id) {
            referral.consents.push((position, Consent::default()));
        }
    }
    let sql = format!(
        "SELECT {HISTORY_COLUMNS} FROM referrals r JOIN consent_history h ON h.referral_id = r.id
             LEFT JOIN users u ON u.id = h.recorded_by
         WHERE {condition} ORDER BY h.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    for row in stmt.query_map([value], history_from_row)? {
        let (id, entry) = row?;
        if let Some(referral) = referrals.iter_mut().find(|r| r.id == id) {
            referral.history.push(entry);
        }
    }
    // The current state of each partner it is for: the latest row of their history.
    for referral in &mut referrals {
        for (position, consent) in &mut referral.consents {
            *consent = Consent::current(&referral.history, *position);
        }
    }
    Ok(referrals)
}

/// One referral, all of it: for the store's own checks and the letter.
fn read_referral(conn: &Connection, id: i64) -> Result<Referral> {
    read_referrals(conn, "r.id = ?1", id, Shown::ALL)?.pop().ok_or(StoreError::NotFound)
}

impl Store {
    pub fn create_referral(
        &mut self,
        couple: i64,
        new: &NewReferral,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        new.may_save().map_err(|_| StoreError::CostNotExplained)?;
        // A written summary about the couple is a counsellor's to write (as to read).
        if new.shared == Shared::WithSummary && !user.may(Role::reads_referral_summary) {
            return Err(StoreError::NotAllowed);
        }
        self.write(|tx| {
            // Only partners of the file: a one-person file can only refer its partner.
            if !new.scope.fits(&positions_of(tx, couple)?) {
                return Err(StoreError::UnknownPartner);
            }
            tx.execute(
                "INSERT INTO referrals (couple_id, party, reason, cost_explained, insurance_to_check, shared, summary,
                                        follow_up_on, created_at, created_by, scope)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    couple,
                    new.party,
                    new.reason,
                    new.cost_explained,
                    new.insurance_to_check,
                    new.shared.code(),
                    new.summary,
                    new.follow_up_on.map(|d| d.to_string()),
                    to_sql_time(now),
                    user.id,
                    new.scope.code()
                ],
            )?;
            let id = tx.last_insert_rowid();
            file_event(tx, couple, now, user, "referral_out", &new.party)?;
            Ok(id)
        })
    }

    /// A couple's referrals out, newest first, as `viewer` may read them: the reason and the
    /// summary are not even selected for a role that may not read them.
    pub fn referrals_of(&self, couple: i64, viewer: &User) -> Result<Vec<Referral>> {
        read_referrals(&self.conn, "r.couple_id = ?1", couple, Shown::to(viewer))
    }

    /// One referral, as `viewer` may read it (see [`Store::referrals_of`]).
    pub fn referral(&self, id: i64, viewer: &User) -> Result<Referral> {
        read_referrals(&self.conn, "r.id = ?1", id, Shown::to(viewer))?.pop().ok_or(StoreError::NotFound)
    }

    /// Records a partner's consent (given on `on`), or its withdrawal, as a new row of the
    /// referral's consent history. Refused for a partner the file does not have, or one the
    /// referral is not for; giving a consent that holds, or withdrawing one that does not, is
    /// refused as a status change that is not possible.
    #[allow(clippy::too_many_arguments)] // the change, then who and when, as every write
    pub fn set_consent(
        &mut self,
        referral: i64,
        version: i64,
        position: u8,
        given: bool,
        on: NaiveDate,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| {
            bump(tx, referral, version)?;
            let current = read_referral(tx, referral)?;
            let (couple, party) = (current.couple_id, current.party.clone());
            if !positions_of(tx, couple)?.contains(&position) {
                return Err(StoreError::UnknownPartner);
            }
            if !current.scope.is_for(position) {
                return Err(StoreError::NotForPartner);
            }
            let holds = current.consents.iter().any(|(p, c)| *p == position && c.holds());
            if holds == given {
                return Err(StoreError::BadStatus);
            }
            let action = if given { ConsentAction::Give } else { ConsentAction::Withdraw };
            tx.execute(
                "INSERT INTO consent_history (referral_id, position, action, on_day, shared, recorded_at, recorded_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    referral,
                    position,
                    action.code(),
                    on.to_string(),
                    current.shared.code(),
                    to_sql_time(now),
                    user.id
                ],
            )?;
            // Which referral (its party's code), whether given or withdrawn: never the content.
            let detail = format!("{} {party}", if given { "given" } else { "withdrawn" });
            let about = About { couple: Some(couple), partner: Some(position), detail: &detail, ..About::default() };
            append(tx, now, AccessEvent::Consent, Some(user), about)
        })
    }

    /// Moves a referral on. Sending is refused unless every partner whose data goes along consents.
    pub fn set_referral_status(
        &mut self,
        id: i64,
        version: i64,
        to: ReferralStatus,
        on: NaiveDate,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| {
            let current = read_referral(tx, id)?;
            if current.version != version {
                return Err(StoreError::Stale);
            }
            if !current.status.next().contains(&to) {
                return Err(StoreError::BadStatus);
            }
            if to == ReferralStatus::Sent {
                current.may_send().map_err(StoreError::Blocked)?;
            }
            let column = if to == ReferralStatus::Sent { "sent_on" } else { "answered_on" };
            tx.execute(
                &format!(
                    "UPDATE referrals SET status = ?2, {column} = ?3, version = version + 1 WHERE id = ?1"
                ),
                params![id, to.code(), on.to_string()],
            )?;
            file_event(tx, current.couple_id, now, user, "referral_status", to.code())
        })
    }

    /// Referrals sent whose follow-up date has passed without an answer, across all couples.
    pub fn follow_ups(&self, today: NaiveDate) -> Result<Vec<FollowUp>> {
        let sql = format!(
            "SELECT {FOLLOW_UP_COLUMNS} FROM referrals r JOIN couples c ON c.id = r.couple_id
             WHERE r.status = 'sent' AND r.follow_up_on IS NOT NULL AND r.follow_up_on <= ?1
             ORDER BY r.follow_up_on, r.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([today.to_string()], follow_up_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Records who referred a couple to the desk, and when.
    pub fn record_referral_in(
        &mut self,
        couple: i64,
        source: Source,
        on: NaiveDate,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO referrals_in (couple_id, source, referred_on, recorded_at, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![couple, source.code(), on.to_string(), to_sql_time(now), user.id],
            )?;
            file_event(tx, couple, now, user, "referral_in", source.code())
        })
    }

    /// A couple's referrals in: source and date, newest first.
    pub fn referrals_in(&self, couple: i64) -> Result<Vec<(Source, NaiveDate)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT source, referred_on FROM referrals_in WHERE couple_id = ?1 ORDER BY referred_on DESC, id DESC")?;
        let rows = stmt.query_map([couple], |r| Ok((code_at(r, 0, Source::from_code)?, date_at(r, 1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The data for a referral's letter, for `writer`. Refused unless they may write letters (a
    /// counsellor: it holds the reason and the summary), and (with the reason) unless it may be
    /// sent. The notes of the file and of its conversations are never read here.
    pub fn letter_data(&self, referral: i64, writer: &User) -> Result<LetterData> {
        if !writer.may(Role::writes_letters) {
            return Err(StoreError::NotAllowed);
        }
        let r = read_referral(&self.conn, referral)?;
        r.may_send().map_err(StoreError::Blocked)?;
        let (year, seq, request): (i32, u32, String) = self.conn.query_row(
            "SELECT file_year, file_seq, request FROM couples WHERE id = ?1",
            [r.couple_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )?;
        // Names and contact details of the partners it is for go along (of a referral for one
        // partner, nothing of the other is read); year of birth and wish stay at the desk.
        let sql = format!(
            "SELECT {PARTNER_COLUMNS}, 'unknown' FROM partners
             WHERE couple_id = ?1 AND (?2 = 'couple' OR ?2 = 'partner' || position) ORDER BY position"
        );
        let partners = self
            .conn
            .prepare_cached(&sql)?
            .query_map(params![r.couple_id, r.scope.code()], partner_from_row)?
            .map(|p| p.map(|p| Partner { birth_year: None, wish: Wish::Unknown, ..p }))
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let with_request = r.shared != Shared::NamesOnly;
        let life_events = if with_request {
            let mut stmt = self.conn.prepare_cached(
                "SELECT kind, happened_on FROM life_events WHERE couple_id = ?1 ORDER BY happened_on",
            )?;
            let rows = stmt.query_map([r.couple_id], |row| {
                Ok((code_at(row, 0, LifeEventKind::from_code)?, opt_date_at(row, 1)?))
            })?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        } else {
            Vec::new()
        };
        Ok(LetterData {
            file: FileNumber { year, seq },
            request: if with_request { Request::from_code(&request) } else { None },
            life_events,
            partners,
            referral: r,
        })
    }
}

/// The positions of a file's partners (1, or 1 and 2).
fn positions_of(conn: &Connection, couple: i64) -> Result<Vec<u8>> {
    let mut stmt =
        conn.prepare_cached("SELECT position FROM partners WHERE couple_id = ?1 ORDER BY position")?;
    let rows = stmt.query_map([couple], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<u8>>>()?)
}

fn bump(tx: &Transaction<'_>, id: i64, version: i64) -> Result<()> {
    let changed = tx.execute(
        "UPDATE referrals SET version = version + 1 WHERE id = ?1 AND version = ?2",
        params![id, version],
    )?;
    if changed == 1 { Ok(()) } else { Err(StoreError::Stale) }
}
