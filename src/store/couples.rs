//! Couples and their partners: creating a file, finding one.

use chrono::{DateTime, Datelike, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::{Result, Store, StoreError, to_sql_time};
use crate::domain::contact::phone_digits;
use crate::domain::couple::{CoupleSummary, FileNumber, Request, Source};
use crate::domain::names::{PREFIX_WORDS, PersonName, fold};
use crate::domain::walkin::desk_day;

/// A couple's summary: file number, both partners' names and whether they are received apart (an
/// open concern, never its content), read in the same row as whatever joins `couples c` with
/// [`PARTNER_JOINS`]. (The last column is [`super::concerns::RECEIVE_APART`], spelled out here
/// so that this stays a constant.)
pub(super) const COUPLE_COLUMNS: &str = "c.id, c.file_year, c.file_seq, p1.given_name, p1.prefix, p1.surname, p2.given_name, p2.prefix, p2.surname,
     EXISTS (SELECT 1 FROM concerns k WHERE k.couple_id = c.id AND k.closed_at IS NULL)";

/// The partners of `couples c` (at most two, positions 1 and 2), one row per couple.
pub(super) const PARTNER_JOINS: &str = "LEFT JOIN partners p1 ON p1.couple_id = c.id AND p1.position = 1
     LEFT JOIN partners p2 ON p2.couple_id = c.id AND p2.position = 2";

/// Reads [`COUPLE_COLUMNS`], starting at column `first` of the row.
pub(super) fn couple_from_row(row: &Row<'_>, first: usize) -> rusqlite::Result<CoupleSummary> {
    let mut partners = Vec::with_capacity(2);
    for at in [first + 3, first + 6] {
        if let Some(given) = row.get::<_, Option<String>>(at)? {
            partners.push(PersonName { given, prefix: row.get(at + 1)?, surname: row.get(at + 2)? });
        }
    }
    Ok(CoupleSummary {
        id: row.get(first)?,
        file: FileNumber { year: row.get(first + 1)?, seq: row.get(first + 2)? },
        partners,
        receive_apart: row.get(first + 9)?,
    })
}

impl Store {
    /// Couples whose partner's surname (without prefix), given name or file number starts
    /// with `query`, ignoring case and diacritics; at most `limit`, sorted by name.
    pub fn find_couples(&self, query: &str, limit: usize) -> Result<Vec<CoupleSummary>> {
        let mut found: Vec<(String, i64)> = Vec::new();
        for (sql, params) in search_plan(query, limit) {
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(params.iter()), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })?;
            for row in rows {
                found.push(row?);
            }
        }
        // Merge the branches: by name (a file-number match first), each couple once.
        found.sort();
        let mut ids: Vec<i64> = Vec::new();
        for (_, id) in found {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids.truncate(limit);
        self.couple_summaries(&ids)
    }

    /// The summaries of these couples, in this order, in one query.
    fn couple_summaries(&self, ids: &[i64]) -> Result<Vec<CoupleSummary>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let marks = vec!["?"; ids.len()].join(", ");
        let sql = format!("SELECT {COUPLE_COLUMNS} FROM couples c {PARTNER_JOINS} WHERE c.id IN ({marks})");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let found = stmt
            .query_map(rusqlite::params_from_iter(ids.iter()), |r| couple_from_row(r, 0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        ids.iter().map(|id| found.iter().find(|c| c.id == *id).cloned().ok_or(StoreError::NotFound)).collect()
    }

    /// The query plan of each statement a search runs: for benchmarks and for checking that
    /// search uses indexes only.
    pub fn explain_search(&self, query: &str, limit: usize) -> Result<Vec<String>> {
        let mut lines = Vec::new();
        for (sql, params) in search_plan(query, limit) {
            let mut stmt = self.conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
            let rows =
                stmt.query_map(rusqlite::params_from_iter(params.iter()), |r| r.get::<_, String>(3))?;
            for row in rows {
                lines.push(row?);
            }
        }
        Ok(lines)
    }

    /// A couple's file number and partners.
    pub fn couple_summary(&self, id: i64) -> Result<CoupleSummary> {
        let sql = format!("SELECT {COUPLE_COLUMNS} FROM couples c {PARTNER_JOINS} WHERE c.id = ?1");
        self.conn
            .prepare_cached(&sql)?
            .query_row([id], |r| couple_from_row(r, 0))
            .optional()?
            .ok_or(StoreError::NotFound)
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
    // An erased file's number and id are never given again: the access log still names them.
    let highest: Option<u32> = tx.query_row(
        "SELECT max(s) FROM (SELECT max(file_seq) AS s FROM couples WHERE file_year = ?1
                             UNION ALL SELECT max(file_seq) FROM erased_files WHERE file_year = ?1)",
        [year],
        |r| r.get(0),
    )?;
    let file = FileNumber::next(year, highest);
    tx.execute(
        "INSERT INTO couples (id, file_year, file_seq, request, source, created_at)
         VALUES ((SELECT coalesce(max(i), 0) + 1 FROM (SELECT max(id) AS i FROM couples
                                                       UNION ALL SELECT max(couple_id) FROM erased_files)),
                 ?1, ?2, ?3, ?4, ?5)",
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

/// The statements a search runs, each with its parameters. Every one walks an index in order
/// and stops at `limit`, so a short query on a large file is as fast as a long one:
/// - a file number (`2026-007`) looks that file up;
/// - a query of digits is a phone number, searched on the digits in national form;
/// - otherwise the longest word that is a name (not a prefix like "van der") is looked up in the
///   folded surnames and given names; every other word must start a word of the same partner's
///   name ("van der wereld", "ijsbrand wer").
fn search_plan(query: &str, limit: usize) -> Vec<(String, Vec<String>)> {
    let mut plan = Vec::new();
    if let Some(file) = FileNumber::parse(query) {
        plan.push((
            "SELECT '', id FROM couples WHERE file_year = ?1 AND file_seq = ?2".to_owned(),
            vec![file.year.to_string(), file.seq.to_string()],
        ));
        return plan;
    }
    let digits = phone_digits(query);
    if digits.len() >= 4 && !query.chars().any(char::is_alphabetic) {
        plan.push((
            format!(
                "SELECT sort_key, couple_id FROM partners
                 WHERE phone_key >= ?1 AND phone_key < ?2 AND phone_key <> ''
                 ORDER BY phone_key LIMIT {limit}"
            ),
            vec![digits.clone(), format!("{digits}a")],
        ));
        return plan;
    }
    let words: Vec<String> = fold(query).split_whitespace().map(str::to_owned).collect();
    let longest = |names: &mut dyn Iterator<Item = &String>| names.max_by_key(|w| w.chars().count()).cloned();
    let Some(key) = longest(&mut words.iter().filter(|w| !PREFIX_WORDS.contains(&w.as_str())))
        .or_else(|| longest(&mut words.iter()))
    else {
        return plan;
    };
    let mut others = words.clone();
    if let Some(i) = others.iter().position(|w| *w == key) {
        others.remove(i);
    }
    for column in ["sort_key", "given_key"] {
        let mut sql =
            format!("SELECT sort_key, couple_id FROM partners WHERE {column} >= ?1 AND {column} < ?2");
        let mut params = vec![key.clone(), format!("{key}\u{10FFFF}")];
        for (i, word) in others.iter().enumerate() {
            sql.push_str(&format!(" AND instr(' ' || sort_key, ?{}) > 0", i + 3));
            params.push(format!(" {word}"));
        }
        sql.push_str(&format!(" ORDER BY {column} LIMIT {limit}"));
        plan.push((sql, params));
    }
    // A surname of several words ("El Amrani") is found by typing it whole.
    if words.len() > 1 {
        let whole = words.join(" ");
        plan.push((
            format!(
                "SELECT sort_key, couple_id FROM partners WHERE sort_key >= ?1 AND sort_key < ?2
                 ORDER BY sort_key LIMIT {limit}"
            ),
            vec![whole.clone(), format!("{whole}\u{10FFFF}")],
        ));
    }
    plan
}
