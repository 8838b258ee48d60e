//! Erasure (AVG art. 17) and retention: a closed file is removed with every row of its couple in
//! one transaction, after its contribution to the council's report was copied into the anonymous
//! tables (migration 0010). The access log keeps its rows and gets one `erasure` row. The
//! connection runs with `secure_delete` on (see `Store::set_up`), so freed space is zeroed, and the
//! write-ahead log is emptied afterwards, so the erased rows are gone from the file's bytes too.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::rows::code;
use super::{Result, Store, StoreError, from_sql_time, to_sql_time};
use crate::domain::access::AccessEvent;
use crate::domain::couple::FileNumber;
use crate::domain::file::FileStatus;
use crate::domain::settings::{DueFile, due_cutoff, whole_years};
use crate::domain::user::User;
use crate::domain::walkin::{DESK_TZ, desk_day};

/// Why a file is erased, as the access log's detail says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erasure {
    /// A coordinator erased this one file (a client's request, say).
    ByHand,
    /// Its retention term had passed (`loket retention --erase`).
    Retention,
}

impl Erasure {
    fn code(self) -> &'static str {
        match self {
            Erasure::ByHand => "by_hand",
            Erasure::Retention => "retention",
        }
    }
}

/// An instant kept for the report: noon at the desk on its day, plus `rank` seconds (the order of a
/// conversation in its trajectory). Every period of the report is whole local days, so the day is
/// all it needs; the time of day goes.
fn noon_of(stored: &str, rank: i64) -> Result<String> {
    let day = desk_day(from_sql_time(stored)?);
    let noon = day.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default());
    let at = DESK_TZ.from_local_datetime(&noon).earliest().map_or_else(|| noon.and_utc(), |t| t.to_utc());
    Ok(to_sql_time(at + Duration::seconds(rank)))
}

fn opt_noon(stored: Option<String>) -> Result<Option<String>> {
    stored.map(|s| noon_of(&s, 0)).transpose()
}

/// Copies what the couple adds to the report into the anonymous tables, under new ids.
fn keep_anonymously(tx: &Transaction<'_>, couple: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO anon_couples (request, source, status, outcome, closed_on)
         SELECT request, source, status, outcome, closed_on FROM couples WHERE id = ?1",
        [couple],
    )?;
    let anon = tx.last_insert_rowid();
    for sql in [
        "INSERT INTO anon_walk_ins (couple_id, day, attendance, request, source, status, outcome)
         SELECT ?2, day, attendance, request, source, status, outcome FROM walk_ins WHERE couple_id = ?1 ORDER BY id",
        "INSERT INTO anon_referrals_in (couple_id, source, referred_on)
         SELECT ?2, source, referred_on FROM referrals_in WHERE couple_id = ?1 ORDER BY id",
        "INSERT INTO anon_life_events (couple_id, kind) SELECT ?2, kind FROM life_events WHERE couple_id = ?1 ORDER BY id",
    ] {
        tx.execute(sql, params![couple, anon])?;
    }
    let referrals: Vec<(String, String, String)> = tx
        .prepare_cached("SELECT party, status, created_at FROM referrals WHERE couple_id = ?1 ORDER BY id")?
        .query_map([couple], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (party, status, created_at) in referrals {
        tx.execute(
            "INSERT INTO anon_referrals (couple_id, party, status, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![anon, party, status, noon_of(&created_at, 0)?],
        )?;
    }
    let trajectories: Vec<(i64, i64, String, Option<String>)> = tx
        .prepare_cached(
            "SELECT id, year, started_at, ended_at FROM trajectories WHERE couple_id = ?1 AND undone_at IS NULL ORDER BY id",
        )?
        .query_map([couple], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (trajectory, year, started, ended) in trajectories {
        tx.execute(
            "INSERT INTO anon_trajectories (couple_id, year, started_at, ended_at) VALUES (?1, ?2, ?3, ?4)",
            params![anon, year, noon_of(&started, 0)?, opt_noon(ended)?],
        )?;
        let anon_trajectory = tx.last_insert_rowid();
        let sessions: Vec<(i64, String, String, Option<String>)> = tx
            .prepare_cached(
                "SELECT id, starts_at, status, attended FROM sessions WHERE trajectory_id = ?1 ORDER BY starts_at, id",
            )?
            .query_map([trajectory], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (rank, (session, starts_at, status, attended)) in sessions.into_iter().enumerate() {
            tx.execute(
                "INSERT INTO anon_sessions (trajectory_id, starts_at, status, attended) VALUES (?1, ?2, ?3, ?4)",
                params![anon_trajectory, noon_of(&starts_at, rank as i64)?, status, attended],
            )?;
            tx.execute(
                "INSERT INTO anon_scores (session_id, position, satisfaction, communication, hope)
                 SELECT ?2, position, satisfaction, communication, hope FROM scores WHERE session_id = ?1 ORDER BY id",
                params![session, tx.last_insert_rowid()],
            )?;
        }
    }
    Ok(())
}

/// Removes every row of the couple, its file last.
fn remove_rows(tx: &Transaction<'_>, couple: i64) -> Result<()> {
    let trajectories = "SELECT id FROM trajectories WHERE couple_id = ?1";
    for sql in [
        format!(
            "DELETE FROM scores WHERE session_id IN (SELECT id FROM sessions WHERE trajectory_id IN ({trajectories}))"
        ),
        format!("DELETE FROM sessions WHERE trajectory_id IN ({trajectories})"),
        "DELETE FROM trajectories WHERE couple_id = ?1".to_owned(),
        // The consent history goes with its referrals (ON DELETE CASCADE): its triggers refuse
        // removing a row whose referral is still there.
        "DELETE FROM referrals WHERE couple_id = ?1".to_owned(),
        "DELETE FROM referrals_in WHERE couple_id = ?1".to_owned(),
        "DELETE FROM walk_in_changes WHERE walk_in_id IN (SELECT id FROM walk_ins WHERE couple_id = ?1)"
            .to_owned(),
        "DELETE FROM walk_ins WHERE couple_id = ?1".to_owned(),
        "DELETE FROM life_events WHERE couple_id = ?1".to_owned(),
        "DELETE FROM file_events WHERE couple_id = ?1".to_owned(),
        "DELETE FROM file_access WHERE couple_id = ?1".to_owned(),
        // A concern's rows refuse deletion but for the couple named in `concern_erasing`.
        "INSERT INTO concern_erasing (couple_id) VALUES (?1)".to_owned(),
        "DELETE FROM concern_answers WHERE couple_id = ?1".to_owned(),
        "DELETE FROM concern_steps WHERE couple_id = ?1".to_owned(),
        "DELETE FROM concerns WHERE couple_id = ?1".to_owned(),
        "DELETE FROM concern_erasing WHERE couple_id = ?1".to_owned(),
        "DELETE FROM partners WHERE couple_id = ?1".to_owned(),
        "DELETE FROM couples WHERE id = ?1".to_owned(),
    ] {
        tx.execute(&sql, [couple])?;
    }
    Ok(())
}

/// Erases one closed file inside `tx`: refused for a file that is not closed.
fn erase_in(
    tx: &Transaction<'_>,
    couple: i64,
    why: Erasure,
    by: &User,
    now: DateTime<Utc>,
) -> Result<FileNumber> {
    let (status, file): (String, FileNumber) = tx
        .query_row("SELECT status, file_year, file_seq FROM couples WHERE id = ?1", [couple], |r| {
            Ok((r.get(0)?, FileNumber { year: r.get(1)?, seq: r.get(2)? }))
        })
        .optional()?
        .ok_or(StoreError::NotFound)?;
    if code(&status, FileStatus::from_code)? != FileStatus::Closed {
        return Err(StoreError::NotClosed);
    }
    // Logged while the file still exists, so the row names its number.
    super::access_log::log(tx, now, AccessEvent::Erasure, Some(by), Some(couple), why.code())?;
    keep_anonymously(tx, couple)?;
    remove_rows(tx, couple)?;
    tx.execute(
        "INSERT INTO erased_files (couple_id, file_year, file_seq, erased_at) VALUES (?1, ?2, ?3, ?4)",
        params![couple, file.year, file.seq, to_sql_time(now)],
    )?;
    Ok(file)
}

impl Store {
    /// Erases a closed file and every row of its couple, in one transaction; a coordinator only.
    /// Its part in the report stays, anonymously. Refused (nothing erased) for a file that is not
    /// closed ([`StoreError::NotClosed`]) or does not exist.
    pub fn erase_file(
        &mut self,
        couple: i64,
        why: Erasure,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<FileNumber> {
        self.erase_files(&[couple], why, by, now)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    /// Erases these closed files in one transaction: all of them, or none.
    pub fn erase_files(
        &mut self,
        couples: &[i64],
        why: Erasure,
        by: &User,
        now: DateTime<Utc>,
    ) -> Result<Vec<FileNumber>> {
        if couples.is_empty() {
            return Ok(Vec::new());
        }
        let erased = self.write(|tx| {
            super::users::require_coordinator(tx, by)?;
            let erased =
                couples.iter().map(|c| erase_in(tx, *c, why, by, now)).collect::<Result<Vec<_>>>()?;
            // The search index drops an erased name's rows at once, but a word can stay behind as
            // a bound between its pages: rewritten whole, the index holds only the names still there.
            tx.execute("INSERT INTO partner_words (partner_words) VALUES ('optimize')", [])?;
            Ok(erased)
        })?;
        self.empty_wal();
        Ok(erased)
    }

    /// Copies the write-ahead log into the file and truncates it, so that erased rows are left in
    /// neither. Best effort: while another desk reads, the log is emptied by a later checkpoint.
    fn empty_wal(&self) {
        let _ = self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
    }

    /// The closed files whose retention term has passed on `today`, oldest closing first.
    pub fn due_files(&self, today: NaiveDate) -> Result<Vec<DueFile>> {
        let cutoff = due_cutoff(today, self.retention_years()?);
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, file_year, file_seq, closed_on FROM couples
             WHERE status = 'closed' AND closed_on <= ?1 ORDER BY closed_on, file_year, file_seq",
        )?;
        let rows = stmt.query_map([cutoff.to_string()], |r| {
            Ok((r.get::<_, i64>(0)?, FileNumber { year: r.get(1)?, seq: r.get(2)? }, r.get::<_, String>(3)?))
        })?;
        let mut due = Vec::new();
        for row in rows {
            let (id, file, closed) = row?;
            let closed_on: NaiveDate = closed.parse().map_err(|_| StoreError::Corrupt)?;
            due.push(DueFile { id, file, closed_on, years: whole_years(closed_on, today) });
        }
        Ok(due)
    }
}
