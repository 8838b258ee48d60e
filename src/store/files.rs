//! A couple's file: reading it as a role may, editing it with a version check, its timeline.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::{Result, Store, StoreError, to_sql_time};
use crate::domain::contact::phone_digits;
use crate::domain::couple::{FileNumber, Request, Source};
use crate::domain::file::{
    CloseOutcome, CoupleFile, FileDetails, FileStatus, LifeEvent, LifeEventKind, Notes, Partner, Safety, Wish,
};
use crate::domain::names::{PersonName, fold};
use crate::domain::user::User;

/// The stored columns of a couple row, before the role rule is applied.
struct CoupleRow {
    year: i32,
    seq: u32,
    status: String,
    outcome: Option<String>,
    closed_on: Option<String>,
    request: String,
    source: String,
    children: u32,
    counsellor: Option<(i64, String)>,
    notes: Option<String>,
    notes_exist: bool,
    safety: bool,
    safety_reason: Option<String>,
    version: i64,
}

pub(super) fn code<T>(value: &str, from: fn(&str) -> Option<T>) -> Result<T> {
    from(value).ok_or(StoreError::Corrupt)
}

fn date(text: Option<String>) -> Result<Option<NaiveDate>> {
    text.map(|t| t.parse::<NaiveDate>().map_err(|_| StoreError::Corrupt)).transpose()
}

impl Store {
    /// Opens a couple's file for `viewer`: logs the access, then reads what the role may see.
    /// The notes' text and the safety reason are not even read from the database for a role
    /// that may not see them.
    pub fn open_file(&mut self, id: i64, viewer: &User, now: DateTime<Utc>) -> Result<CoupleFile> {
        if !self.read_only {
            self.write(|tx| {
                tx.execute(
                    "INSERT INTO file_access (couple_id, user_id, at) SELECT id, ?2, ?3 FROM couples WHERE id = ?1",
                    params![id, viewer.id, to_sql_time(now)],
                )?;
                Ok(())
            })?;
        }
        self.read_file(id, viewer)
    }

    /// Reads a couple's file as `viewer` may see it (no access is logged).
    pub fn read_file(&self, id: i64, viewer: &User) -> Result<CoupleFile> {
        let notes_allowed = viewer.role.reads_notes();
        let reason_allowed = viewer.role.reads_safety_reason();
        let row = self
            .conn
            .prepare_cached(
                "SELECT c.file_year, c.file_seq, c.status, c.outcome, c.closed_on, c.request, c.source, c.children,
                        c.counsellor_id, u.name,
                        CASE WHEN ?2 THEN c.notes END, c.notes <> '',
                        c.safety_concern, CASE WHEN ?3 THEN c.safety_reason END, c.version
                 FROM couples c LEFT JOIN users u ON u.id = c.counsellor_id WHERE c.id = ?1",
            )?
            .query_row(params![id, notes_allowed, reason_allowed], |r| {
                let counsellor = match (r.get::<_, Option<i64>>(8)?, r.get::<_, Option<String>>(9)?) {
                    (Some(id), Some(name)) => Some((id, name)),
                    _ => None,
                };
                Ok(CoupleRow {
                    year: r.get(0)?,
                    seq: r.get(1)?,
                    status: r.get(2)?,
                    outcome: r.get(3)?,
                    closed_on: r.get(4)?,
                    request: r.get(5)?,
                    source: r.get(6)?,
                    children: r.get(7)?,
                    counsellor,
                    notes: r.get(10)?,
                    notes_exist: r.get(11)?,
                    safety: r.get(12)?,
                    safety_reason: r.get(13)?,
                    version: r.get(14)?,
                })
            })
            .optional()?
            .ok_or(StoreError::NotFound)?;
        let notes = match row.notes {
            Some(text) if notes_allowed => Notes::Text(text),
            _ => Notes::Hidden { exist: row.notes_exist },
        };
        let safety = if row.safety { Safety::Concern { reason: row.safety_reason } } else { Safety::None };
        Ok(CoupleFile {
            id,
            file: FileNumber { year: row.year, seq: row.seq },
            status: code(&row.status, FileStatus::from_code)?,
            outcome: row.outcome.as_deref().map(|o| code(o, CloseOutcome::from_code)).transpose()?,
            closed_on: date(row.closed_on)?,
            request: code(&row.request, Request::from_code)?,
            source: code(&row.source, Source::from_code)?,
            children: row.children,
            counsellor: row.counsellor,
            partners: self.partners(id)?,
            life_events: self.life_events(id)?,
            notes,
            safety,
            timeline: self.timeline(id)?,
            version: row.version,
        })
    }

    fn partners(&self, couple: i64) -> Result<Vec<Partner>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT position, given_name, prefix, surname, phone, email, birth_year, wish
             FROM partners WHERE couple_id = ?1 ORDER BY position",
        )?;
        let rows = stmt
            .query_map([couple], |r| {
                Ok((
                    r.get::<_, u8>(0)?,
                    PersonName { given: r.get(1)?, prefix: r.get(2)?, surname: r.get(3)? },
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, Option<i32>>(6)?,
                    r.get::<_, String>(7)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(position, name, phone, email, birth_year, wish)| {
                Ok(Partner { position, name, phone, email, birth_year, wish: code(&wish, Wish::from_code)? })
            })
            .collect()
    }

    fn life_events(&self, couple: i64) -> Result<Vec<LifeEvent>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, kind, happened_on FROM life_events WHERE couple_id = ?1 ORDER BY happened_on IS NULL, happened_on, id",
        )?;
        let rows = stmt
            .query_map([couple], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<String>>(2)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(id, kind, on)| {
                Ok(LifeEvent { id, kind: code(&kind, LifeEventKind::from_code)?, on: date(on)? })
            })
            .collect()
    }

    /// Saves the edited details of a file last read at `version`; refused when someone else saved since.
    pub fn save_details(
        &mut self,
        id: i64,
        version: i64,
        details: &FileDetails,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| {
            bump_version(tx, id, version)?;
            tx.execute(
                "UPDATE couples SET children = ?2, request = ?3, source = ?4 WHERE id = ?1",
                params![id, details.children, details.request.code(), details.source.code()],
            )?;
            for p in &details.partners {
                tx.execute(
                    "INSERT INTO partners (couple_id, position, given_name, prefix, surname, sort_key, given_key,
                                           phone, phone_key, email, birth_year, wish)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                     ON CONFLICT (couple_id, position) DO UPDATE SET
                        given_name = excluded.given_name, prefix = excluded.prefix, surname = excluded.surname,
                        sort_key = excluded.sort_key, given_key = excluded.given_key, phone = excluded.phone,
                        phone_key = excluded.phone_key, email = excluded.email, birth_year = excluded.birth_year,
                        wish = excluded.wish",
                    params![
                        id,
                        p.position,
                        p.name.given,
                        p.name.prefix,
                        p.name.surname,
                        p.name.sort_key(),
                        fold(&p.name.given),
                        p.phone,
                        phone_digits(&p.phone),
                        p.email,
                        p.birth_year,
                        p.wish.code()
                    ],
                )?;
            }
            file_event(tx, id, now, user, "edit", "")
        })
    }

    /// Moves a file to another status; closing records the outcome and the date.
    #[allow(clippy::too_many_arguments)]
    pub fn set_file_status(
        &mut self,
        id: i64,
        version: i64,
        to: FileStatus,
        closing: Option<(CloseOutcome, NaiveDate)>,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| {
            let current: String = tx
                .query_row("SELECT status FROM couples WHERE id = ?1", [id], |r| r.get(0))
                .optional()?
                .ok_or(StoreError::NotFound)?;
            let from = code(&current, FileStatus::from_code)?;
            bump_version(tx, id, version)?;
            if !from.can_become(to) || (to == FileStatus::Closed) != closing.is_some() {
                return Err(StoreError::BadStatus);
            }
            let (outcome, closed_on) = match closing {
                Some((o, d)) => (Some(o.code()), Some(d.to_string())),
                None => (None, None),
            };
            tx.execute(
                "UPDATE couples SET status = ?2, outcome = ?3, closed_on = ?4 WHERE id = ?1",
                params![id, to.code(), outcome, closed_on],
            )?;
            if to == FileStatus::Closed {
                // A closed file has no running trajectory and nothing planned.
                super::planner::cancel_planned(tx, "couple_id = ?1 AND ended_at IS NULL", id)?;
                tx.execute(
                    "UPDATE trajectories SET ended_at = ?2, version = version + 1 WHERE couple_id = ?1 AND ended_at IS NULL",
                    params![id, to_sql_time(now)],
                )?;
            }
            let detail = match outcome {
                Some(o) => format!("{} {o}", to.code()),
                None => to.code().to_owned(),
            };
            file_event(tx, id, now, user, "status", &detail)
        })
    }

    /// Records (`Some(reason)`) or clears (`None`) a safety concern. Counsellors only.
    pub fn set_safety(
        &mut self,
        id: i64,
        version: i64,
        reason: Option<&str>,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !user.role.sets_safety_concern() {
            return Err(StoreError::NotAllowed);
        }
        self.write(|tx| {
            bump_version(tx, id, version)?;
            tx.execute(
                "UPDATE couples SET safety_concern = ?2, safety_reason = ?3 WHERE id = ?1",
                params![id, reason.is_some(), reason.unwrap_or("")],
            )?;
            file_event(tx, id, now, user, if reason.is_some() { "safety_set" } else { "safety_cleared" }, "")
        })
    }

    /// Saves the notes of a file. Counsellors and coordinators only.
    pub fn save_notes(
        &mut self,
        id: i64,
        version: i64,
        text: &str,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !user.role.reads_notes() {
            return Err(StoreError::NotAllowed);
        }
        self.write(|tx| {
            bump_version(tx, id, version)?;
            tx.execute("UPDATE couples SET notes = ?2 WHERE id = ?1", params![id, text])?;
            file_event(tx, id, now, user, "notes", "")
        })
    }

    /// Adds a life event to a file.
    pub fn add_life_event(
        &mut self,
        id: i64,
        version: i64,
        kind: LifeEventKind,
        on: Option<NaiveDate>,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| {
            bump_version(tx, id, version)?;
            tx.execute(
                "INSERT INTO life_events (couple_id, kind, happened_on, added_at, added_by) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, kind.code(), on.map(|d| d.to_string()), to_sql_time(now), user.id],
            )?;
            file_event(tx, id, now, user, "life_event", kind.code())
        })
    }

    /// Files with a partner of this name (surname without prefix and given name, folded) and,
    /// when both are known, the same year of birth: possible duplicates of a new registration.
    pub fn possible_duplicates(&self, partners: &[PersonName], years: &[Option<i32>]) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare_cached(DUPLICATES_SQL)?;
        let mut found = Vec::new();
        for (i, p) in partners.iter().enumerate() {
            let (key, upper) = duplicate_keys(p);
            let year = years.get(i).copied().flatten();
            for id in stmt.query_map(params![key, upper, year], |r| r.get::<_, i64>(0))? {
                let id = id?;
                if !found.contains(&id) {
                    found.push(id);
                }
            }
        }
        Ok(found)
    }

    /// The query plan of the statement behind [`Store::possible_duplicates`] for one partner.
    #[doc(hidden)]
    pub fn explain_possible_duplicates(
        &self,
        partner: &PersonName,
        year: Option<i32>,
    ) -> Result<Vec<String>> {
        let (key, upper) = duplicate_keys(partner);
        self.explain(DUPLICATES_SQL, params![key, upper, year])
    }
}

/// Partners whose sort key starts with a surname and given name, born in a year (or not known).
const DUPLICATES_SQL: &str = "SELECT DISTINCT couple_id FROM partners
             WHERE sort_key >= ?1 AND sort_key < ?2 AND (?3 IS NULL OR birth_year IS NULL OR birth_year = ?3)
             ORDER BY couple_id LIMIT 5";

/// The range of sort keys that start with a partner's folded surname and given name.
fn duplicate_keys(p: &PersonName) -> (String, String) {
    let key = format!("{} {} ", fold(&p.surname), fold(&p.given));
    let upper = format!("{key}\u{10FFFF}");
    (key, upper)
}

/// Checks the version the user saw and moves it on, inside the write.
fn bump_version(tx: &Transaction<'_>, id: i64, version: i64) -> Result<()> {
    let changed = tx.execute(
        "UPDATE couples SET version = version + 1 WHERE id = ?1 AND version = ?2",
        params![id, version],
    )?;
    if changed == 1 {
        return Ok(());
    }
    let exists: bool =
        tx.query_row("SELECT EXISTS (SELECT 1 FROM couples WHERE id = ?1)", [id], |r| r.get(0))?;
    Err(if exists { StoreError::Stale } else { StoreError::NotFound })
}

pub(super) fn file_event(
    tx: &Transaction<'_>,
    id: i64,
    now: DateTime<Utc>,
    user: &User,
    kind: &str,
    detail: &str,
) -> Result<()> {
    tx.execute(
        "INSERT INTO file_events (couple_id, at, user_id, kind, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, to_sql_time(now), user.id, kind, detail],
    )?;
    Ok(())
}
