//! A couple's file: reading it as a role may, editing it with a version check, its timeline.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::rows::{code, code_at, opt_code_at, opt_date_at};
use super::timeline::file_event;
use super::{Result, Store, StoreError, to_sql_time};
use crate::domain::access::AccessEvent;
use crate::domain::contact::phone_digits;
use crate::domain::couple::{FileNumber, Request, Source};
use crate::domain::file::{
    CloseOutcome, CoupleFile, FileDetails, FileStatus, LifeEvent, LifeEventKind, Notes, Partner, Wish,
};
use crate::domain::names::{PersonName, fold};
use crate::domain::user::{Role, User};

/// A couple's file as the role may see it: `couples c LEFT JOIN users u` (the counsellor), with
/// `?2` whether the notes may be read; column 13 whether the partners are received apart (an
/// open concern; its content is read by [`Store::concerns`], for those who may).
fn file_columns() -> String {
    format!(
        "c.id, c.file_year, c.file_seq, c.status, c.outcome, c.closed_on, c.request, c.source,
         c.children, c.counsellor_id, u.name, CASE WHEN ?2 THEN c.notes END, c.notes <> '',
         {}, c.version",
        super::concerns::RECEIVE_APART
    )
}

/// Reads [`file_columns`]; partners, life events and the timeline are read by their own queries.
fn file_from_row(r: &Row<'_>) -> rusqlite::Result<CoupleFile> {
    let counsellor = match (r.get::<_, Option<i64>>(9)?, r.get::<_, Option<String>>(10)?) {
        (Some(id), Some(name)) => Some((id, name)),
        _ => None,
    };
    let notes = match r.get::<_, Option<String>>(11)? {
        Some(text) => Notes::Text(text),
        None => Notes::Hidden { exist: r.get(12)? },
    };
    Ok(CoupleFile {
        id: r.get(0)?,
        file: FileNumber { year: r.get(1)?, seq: r.get(2)? },
        status: code_at(r, 3, FileStatus::from_code)?,
        outcome: opt_code_at(r, 4, CloseOutcome::from_code)?,
        closed_on: opt_date_at(r, 5)?,
        request: code_at(r, 6, Request::from_code)?,
        source: code_at(r, 7, Source::from_code)?,
        children: r.get(8)?,
        counsellor,
        partners: Vec::new(),
        life_events: Vec::new(),
        notes,
        private_notes: Vec::new(),
        concerns: Vec::new(),
        receive_apart: r.get(13)?,
        wishes_shown: false,
        timeline: Vec::new(),
        version: r.get(14)?,
    })
}

/// A partner as the file shows it, but for the wish: the caller adds it as the last column
/// (`wish`, or `'unknown'` where it may not be read).
pub(super) const PARTNER_COLUMNS: &str = "position, given_name, prefix, surname, phone, email, birth_year";

pub(super) fn partner_from_row(r: &Row<'_>) -> rusqlite::Result<Partner> {
    Ok(Partner {
        position: r.get(0)?,
        name: PersonName { given: r.get(1)?, prefix: r.get(2)?, surname: r.get(3)? },
        phone: r.get(4)?,
        email: r.get(5)?,
        birth_year: r.get(6)?,
        wish: code_at(r, 7, Wish::from_code)?,
    })
}

/// A life event of a file.
const LIFE_EVENT_COLUMNS: &str = "id, kind, happened_on";

fn life_event_from_row(r: &Row<'_>) -> rusqlite::Result<LifeEvent> {
    Ok(LifeEvent { id: r.get(0)?, kind: code_at(r, 1, LifeEventKind::from_code)?, on: opt_date_at(r, 2)? })
}

impl Store {
    /// Opens a couple's file for `viewer`: logs the access, then reads what the role may see.
    /// The notes' text and a concern's content are not even read from the database for a role
    /// that may not see them. Refused with [`StoreError::ReadOnly`] when the access cannot be
    /// logged because the file is open read-only (the caller may then [`Store::read_file`] and
    /// say so).
    pub fn open_file(&mut self, id: i64, viewer: &User, now: DateTime<Utc>) -> Result<CoupleFile> {
        if self.read_only {
            return Err(StoreError::ReadOnly);
        }
        // A file that does not exist is not logged as read (and says so).
        self.write(|tx| {
            let exists: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM couples WHERE id = ?1)", [id], |r| r.get(0))?;
            if !exists {
                return Err(StoreError::NotFound);
            }
            super::access_log::log(tx, now, AccessEvent::FileRead, Some(viewer), Some(id), "")
        })?;
        self.read_file(id, viewer)
    }

    /// Reads a couple's file as `viewer` may see it (no access is logged).
    pub fn read_file(&self, id: i64, viewer: &User) -> Result<CoupleFile> {
        let notes_allowed = viewer.may(Role::reads_notes);
        let sql = format!(
            "SELECT {} FROM couples c LEFT JOIN users u ON u.id = c.counsellor_id WHERE c.id = ?1",
            file_columns()
        );
        let mut file = self
            .conn
            .prepare_cached(&sql)?
            .query_row(params![id, notes_allowed], file_from_row)
            .optional()?
            .ok_or(StoreError::NotFound)?;
        file.wishes_shown = viewer.may(Role::reads_wishes);
        file.partners = self.partners(id, file.wishes_shown)?;
        file.private_notes = self.private_notes(id, viewer)?;
        file.life_events = self.life_events(id)?;
        file.concerns = self.concerns(id, viewer)?;
        file.timeline = self.timeline(id, viewer.may(Role::sees_concern), notes_allowed)?;
        Ok(file)
    }

    /// A file's partners; their wishes only when `wishes` (else each reads as unknown).
    fn partners(&self, couple: i64, wishes: bool) -> Result<Vec<Partner>> {
        let sql = format!(
            "SELECT {PARTNER_COLUMNS}, CASE WHEN ?2 THEN wish ELSE 'unknown' END
             FROM partners WHERE couple_id = ?1 ORDER BY position"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![couple, wishes], partner_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn life_events(&self, couple: i64) -> Result<Vec<LifeEvent>> {
        let sql = format!(
            "SELECT {LIFE_EVENT_COLUMNS} FROM life_events WHERE couple_id = ?1
             ORDER BY happened_on IS NULL, happened_on, id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([couple], life_event_from_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Saves the edited details of a file last read at `version`; refused when someone else saved
    /// since. For a user who may not read the wishes the stored ones are kept (a new partner's
    /// is unknown), whatever `details` says.
    pub fn save_details(
        &mut self,
        id: i64,
        version: i64,
        details: &FileDetails,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let wishes = user.may(Role::reads_wishes);
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
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, CASE WHEN ?13 THEN ?12 ELSE 'unknown' END)
                     ON CONFLICT (couple_id, position) DO UPDATE SET
                        given_name = excluded.given_name, prefix = excluded.prefix, surname = excluded.surname,
                        sort_key = excluded.sort_key, given_key = excluded.given_key, phone = excluded.phone,
                        phone_key = excluded.phone_key, email = excluded.email, birth_year = excluded.birth_year,
                        wish = CASE WHEN ?13 THEN excluded.wish ELSE wish END",
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
                        p.wish.code(),
                        wishes
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
                super::planner::cancel_planned(tx, "couple_id = ?1 AND ended_at IS NULL", id, super::planner::ENDED, now)?;
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

    /// Saves the notes of a file. Counsellors and coordinators only.
    pub fn save_notes(
        &mut self,
        id: i64,
        version: i64,
        text: &str,
        user: &User,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !user.may(Role::reads_notes) {
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
pub(super) fn bump_version(tx: &Transaction<'_>, id: i64, version: i64) -> Result<()> {
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
