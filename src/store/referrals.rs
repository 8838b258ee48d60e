//! Referrals out and in. Sending (and the letter) is checked against the consent rule inside the
//! transaction; the letter's data never includes notes.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::files::file_event;
use super::{Result, Store, StoreError, to_sql_time};
use crate::domain::couple::{FileNumber, Request, Source};
use crate::domain::file::{LifeEventKind, Partner};
use crate::domain::referral::{Blocked, Consent, ReferralStatus, Shared, may_send};
use crate::domain::user::User;

/// A referral as the form shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral {
    pub id: i64,
    pub couple_id: i64,
    pub party: String,
    pub reason: String,
    pub cost_explained: bool,
    pub insurance_to_check: bool,
    pub shared: Shared,
    pub summary: String,
    pub status: ReferralStatus,
    pub follow_up_on: Option<NaiveDate>,
    pub sent_on: Option<NaiveDate>,
    /// Consent of each partner whose data goes along (all partners of the file), by position.
    pub consents: Vec<(u8, Consent)>,
    pub version: i64,
}

impl Referral {
    /// Whether it may be sent (or its letter made), and if not, why.
    pub fn may_send(&self) -> std::result::Result<(), Blocked> {
        may_send(&self.consents, self.shared, &self.summary)
    }
}

/// A new referral, as the form hands it over (already checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReferral {
    pub party: String,
    pub reason: String,
    pub cost_explained: bool,
    pub insurance_to_check: bool,
    pub shared: Shared,
    pub summary: String,
    pub follow_up_on: Option<NaiveDate>,
}

/// A referral waiting for an answer past its follow-up date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub referral_id: i64,
    pub couple_id: i64,
    pub file: FileNumber,
    pub party: String,
    pub follow_up_on: NaiveDate,
}

/// What a letter holds: what the form says and what the couple agreed to share. No notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterData {
    pub file: FileNumber,
    pub referral: Referral,
    pub partners: Vec<Partner>,
    /// Only when the request goes along.
    pub request: Option<Request>,
    /// Only when the request goes along.
    pub life_events: Vec<(LifeEventKind, Option<NaiveDate>)>,
}

fn date(text: Option<String>) -> Result<Option<NaiveDate>> {
    text.map(|t| t.parse::<NaiveDate>().map_err(|_| StoreError::Corrupt)).transpose()
}

impl Store {
    pub fn create_referral(
        &mut self,
        couple: i64,
        new: &NewReferral,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        // A written summary about the couple is a counsellor's to write.
        if new.shared == Shared::WithSummary && user.role != crate::domain::user::Role::Counsellor {
            return Err(StoreError::NotAllowed);
        }
        self.write(|tx| {
            tx.execute(
                "INSERT INTO referrals (couple_id, party, reason, cost_explained, insurance_to_check, shared, summary,
                                        follow_up_on, created_at, created_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
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
                    user.id
                ],
            )?;
            let id = tx.last_insert_rowid();
            file_event(tx, couple, now, user, "referral_out", &new.party)?;
            Ok(id)
        })
    }

    /// A couple's referrals out, newest first.
    pub fn referrals_of(&self, couple: i64) -> Result<Vec<Referral>> {
        let ids: Vec<i64> = self
            .conn
            .prepare_cached(
                "SELECT id FROM referrals WHERE couple_id = ?1 ORDER BY created_at DESC, id DESC",
            )?
            .query_map([couple], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.into_iter().map(|id| read_referral(&self.conn, id)).collect()
    }

    pub fn referral(&self, id: i64) -> Result<Referral> {
        read_referral(&self.conn, id)
    }

    /// Records a partner's consent (given on `on`), or its withdrawal.
    pub fn set_consent(
        &mut self,
        referral: i64,
        version: i64,
        position: u8,
        given: bool,
        on: NaiveDate,
        user: &User,
    ) -> Result<()> {
        self.write(|tx| {
            bump(tx, referral, version)?;
            if given {
                tx.execute(
                    "INSERT INTO referral_consents (referral_id, position, given_on, recorded_by) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (referral_id, position) DO UPDATE SET given_on = excluded.given_on,
                        withdrawn_on = NULL, recorded_by = excluded.recorded_by",
                    params![referral, position, on.to_string(), user.id],
                )?;
            } else {
                let changed = tx.execute(
                    "UPDATE referral_consents SET withdrawn_on = ?3, recorded_by = ?4
                     WHERE referral_id = ?1 AND position = ?2 AND given_on IS NOT NULL",
                    params![referral, position, on.to_string(), user.id],
                )?;
                if changed == 0 {
                    return Err(StoreError::BadStatus);
                }
            }
            Ok(())
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
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.id, r.couple_id, c.file_year, c.file_seq, r.party, r.follow_up_on
             FROM referrals r JOIN couples c ON c.id = r.couple_id
             WHERE r.status = 'sent' AND r.follow_up_on IS NOT NULL AND r.follow_up_on <= ?1
             ORDER BY r.follow_up_on, r.id",
        )?;
        let rows = stmt
            .query_map([today.to_string()], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i32>(2)?,
                    r.get::<_, u32>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(referral_id, couple_id, year, seq, party, on)| {
                Ok(FollowUp {
                    referral_id,
                    couple_id,
                    file: FileNumber { year, seq },
                    party,
                    follow_up_on: on.parse().map_err(|_| StoreError::Corrupt)?,
                })
            })
            .collect()
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
        let rows = stmt
            .query_map([couple], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(s, d)| {
                Ok((
                    Source::from_code(&s).ok_or(StoreError::Corrupt)?,
                    d.parse().map_err(|_| StoreError::Corrupt)?,
                ))
            })
            .collect()
    }

    /// The data for a referral's letter. Refused (with the reason) unless it may be sent. The
    /// notes of the file and of its conversations are never read here.
    pub fn letter_data(&self, referral: i64) -> Result<LetterData> {
        let r = read_referral(&self.conn, referral)?;
        r.may_send().map_err(StoreError::Blocked)?;
        let (year, seq, request): (i32, u32, String) = self.conn.query_row(
            "SELECT file_year, file_seq, request FROM couples WHERE id = ?1",
            [r.couple_id],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT position, given_name, prefix, surname, phone, email FROM partners WHERE couple_id = ?1 ORDER BY position",
        )?;
        let partners = stmt
            .query_map([r.couple_id], |row| {
                Ok(Partner {
                    position: row.get(0)?,
                    name: crate::domain::names::PersonName {
                        given: row.get(1)?,
                        prefix: row.get(2)?,
                        surname: row.get(3)?,
                    },
                    phone: row.get(4)?,
                    email: row.get(5)?,
                    birth_year: None,
                    wish: crate::domain::file::Wish::Unknown,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let with_request = r.shared != Shared::NamesOnly;
        let life_events = if with_request {
            let mut stmt = self.conn.prepare_cached(
                "SELECT kind, happened_on FROM life_events WHERE couple_id = ?1 ORDER BY happened_on",
            )?;
            let rows = stmt
                .query_map([r.couple_id], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, Option<String>>(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            rows.into_iter()
                .map(|(k, d)| Ok((LifeEventKind::from_code(&k).ok_or(StoreError::Corrupt)?, date(d)?)))
                .collect::<Result<Vec<_>>>()?
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

fn bump(tx: &Transaction<'_>, id: i64, version: i64) -> Result<()> {
    let changed = tx.execute(
        "UPDATE referrals SET version = version + 1 WHERE id = ?1 AND version = ?2",
        params![id, version],
    )?;
    if changed == 1 { Ok(()) } else { Err(StoreError::Stale) }
}

fn read_referral(conn: &rusqlite::Connection, id: i64) -> Result<Referral> {
    let row = conn
        .prepare_cached(
            "SELECT couple_id, party, reason, cost_explained, insurance_to_check, shared, summary, status,
                    follow_up_on, sent_on, version
             FROM referrals WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, bool>(3)?,
                r.get::<_, bool>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, Option<String>>(8)?,
                r.get::<_, Option<String>>(9)?,
                r.get::<_, i64>(10)?,
            ))
        })
        .optional()?
        .ok_or(StoreError::NotFound)?;
    let (
        couple_id,
        party,
        reason,
        cost_explained,
        insurance_to_check,
        shared,
        summary,
        status,
        follow_up,
        sent,
        version,
    ) = row;
    // Every partner of the file goes along (names and contact details at least).
    let positions: Vec<u8> = conn
        .prepare_cached("SELECT position FROM partners WHERE couple_id = ?1 ORDER BY position")?
        .query_map([couple_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut consents = Vec::new();
    for position in positions {
        let found = conn
            .prepare_cached("SELECT given_on, withdrawn_on FROM referral_consents WHERE referral_id = ?1 AND position = ?2")?
            .query_row(params![id, position], |r| Ok((r.get::<_, Option<String>>(0)?, r.get::<_, Option<String>>(1)?)))
            .optional()?;
        let consent = match found {
            Some((given, withdrawn)) => Consent { given_on: date(given)?, withdrawn_on: date(withdrawn)? },
            None => Consent::default(),
        };
        consents.push((position, consent));
    }
    Ok(Referral {
        id,
        couple_id,
        party,
        reason,
        cost_explained,
        insurance_to_check,
        shared: Shared::from_code(&shared).ok_or(StoreError::Corrupt)?,
        summary,
        status: ReferralStatus::from_code(&status).ok_or(StoreError::Corrupt)?,
        follow_up_on: date(follow_up)?,
        sent_on: date(sent)?,
        consents,
        version,
    })
}
