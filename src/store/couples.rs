//! Couples and their partners: creating a file, finding one.

use chrono::{DateTime, Datelike, Utc};
use rusqlite::{OptionalExtension, Transaction, params};

use super::{Result, Store, StoreError, to_sql_time};
use crate::domain::contact::phone_digits;
use crate::domain::couple::{CoupleSummary, FileNumber, Request, Source};
use crate::domain::names::{PREFIX_WORDS, PersonName, fold, matches_words};
use crate::domain::walkin::{Attendance, desk_day};

/// Which file a walk-in belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoupleRef {
    /// A returning couple's file.
    Existing(i64),
    /// A new file for these partners (one or two, already cleaned).
    New(Vec<PersonName>),
}

/// A walk-in as the receptionist registers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWalkIn {
    pub couple: CoupleRef,
    pub attendance: Attendance,
    pub request: Request,
    pub source: Source,
    pub note: String,
}

impl Store {
    /// Couples whose partner's surname (without prefix), given name or file number starts
    /// with `query`, ignoring case and diacritics; at most `limit`, sorted by name.
    pub fn find_couples(&self, query: &str, limit: usize) -> Result<Vec<CoupleSummary>> {
        let words: Vec<String> = fold(query).split_whitespace().map(str::to_owned).collect();
        // The index is searched for the longest word that is a name rather than a prefix;
        // the other words then narrow what it found ("van der wereld", "ijsbrand wereld").
        let longest =
            |names: &mut dyn Iterator<Item = &String>| names.max_by_key(|w| w.chars().count()).cloned();
        let Some(key) = longest(&mut words.iter().filter(|w| !PREFIX_WORDS.contains(&w.as_str())))
            .or_else(|| longest(&mut words.iter()))
        else {
            return Ok(Vec::new());
        };
        let upper = format!("{key}\u{10FFFF}");
        let file = FileNumber::parse(query);
        // A query of (mostly) digits is a phone number: "06 12" finds "06-12345678".
        let phone = phone_digits(query);
        let phone =
            (phone.len() >= 4 && file.is_none() && !query.chars().any(char::is_alphabetic)).then_some(phone);
        let wanted = if words.len() > 1 { limit * 20 } else { limit };
        let mut stmt = self.conn.prepare_cached(
            "SELECT couple_id, min(sort_key) AS k FROM (
                 SELECT couple_id, sort_key FROM partners WHERE sort_key >= ?1 AND sort_key < ?2
                 UNION ALL
                 SELECT couple_id, sort_key FROM partners WHERE given_key >= ?1 AND given_key < ?2
                 UNION ALL
                 SELECT c.id, '' FROM couples c WHERE c.file_year = ?3 AND c.file_seq = ?4
                 UNION ALL
                 SELECT couple_id, sort_key FROM partners
                 WHERE ?6 IS NOT NULL AND phone_key >= ?6 AND phone_key < ?6 || 'a' AND phone_key <> ''
             ) GROUP BY couple_id ORDER BY k LIMIT ?5",
        )?;
        let ids = stmt
            .query_map(
                params![key, upper, file.map(|f| f.year), file.map(|f| f.seq), wanted as i64, phone],
                |r| r.get::<_, i64>(0),
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut found = Vec::new();
        for id in ids {
            let couple = self.couple_summary(id)?;
            let by_file = file.is_some_and(|f| f == couple.file) || phone.is_some();
            if by_file || words.len() == 1 || couple.partners.iter().any(|p| matches_words(p, &words)) {
                found.push(couple);
            }
            if found.len() == limit {
                break;
            }
        }
        Ok(found)
    }

    /// A couple's file number and partners.
    pub fn couple_summary(&self, id: i64) -> Result<CoupleSummary> {
        let (year, seq): (i32, u32) = self
            .conn
            .prepare_cached("SELECT file_year, file_seq FROM couples WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .ok_or(StoreError::NotFound)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT given_name, prefix, surname FROM partners WHERE couple_id = ?1 ORDER BY position",
        )?;
        let partners = stmt
            .query_map([id], |r| Ok(PersonName { given: r.get(0)?, prefix: r.get(1)?, surname: r.get(2)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(CoupleSummary { id, file: FileNumber { year, seq }, partners })
    }

    /// How many couples have a file.
    pub fn couple_count(&self) -> Result<i64> {
        Ok(self.conn.query_row("SELECT count(*) FROM couples", [], |r| r.get(0))?)
    }
}

/// Opens a new file with the next number of the desk's current year; returns the couple's id.
pub(super) fn create_couple(
    tx: &Transaction<'_>,
    partners: &[PersonName],
    request: Request,
    source: Source,
    now: DateTime<Utc>,
) -> Result<i64> {
    let year = desk_day(now).year();
    let highest: Option<u32> =
        tx.query_row("SELECT max(file_seq) FROM couples WHERE file_year = ?1", [year], |r| r.get(0))?;
    let file = FileNumber::next(year, highest);
    tx.execute(
        "INSERT INTO couples (file_year, file_seq, request, source, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![file.year, file.seq, request.code(), source.code(), to_sql_time(now)],
    )?;
    let couple_id = tx.last_insert_rowid();
    let mut insert = tx.prepare_cached(
        "INSERT INTO partners (couple_id, position, given_name, prefix, surname, sort_key, given_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (position, p) in partners.iter().take(2).enumerate() {
        insert.execute(params![
            couple_id,
            position as i64 + 1,
            p.given,
            p.prefix,
            p.surname,
            p.sort_key(),
            fold(&p.given)
        ])?;
    }
    Ok(couple_id)
}
