//! Couples and their partners: creating a file, finding one.

use chrono::{DateTime, Datelike, Utc};
use std::collections::HashSet;

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::{Result, Store, StoreError, to_sql_time};
use crate::domain::contact::phone_digits;
use crate::domain::couple::{CoupleSummary, FileNumber, Found, Request, Source};
use crate::domain::names::{PersonName, fold, is_prefix_word, search_words};
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
    /// The couples `query` finds, at most `limit`, sorted by name: see [`Store::search_couples`].
    pub fn find_couples(&self, query: &str, limit: usize) -> Result<Vec<CoupleSummary>> {
        Ok(self.search_couples(query, limit)?.couples)
    }

    /// Searches the couples, ignoring case, diacritics and invisible characters (see
    /// [`fold`]); at most `limit` are shown, sorted by name (a couple under its matching partner),
    /// and `total` says how many match in all, counted up to [`Found::COUNT_CAP`]:
    /// - a file number (`2026-007`) finds that file;
    /// - digits alone (`003`, `7`) find that number in every year, newest year first; four digits
    ///   or more are also the start of a phone number, in national form (`06 12` finds `06-12…`);
    /// - otherwise every word must start a word of one partner's name (given name, prefix,
    ///   surname; a hyphen or apostrophe parts words): "anne marie" finds Anne-Marie, "amrani"
    ///   finds El Amrani, "ijsbrand wer" IJsbrand van der Wêreld. The words meet in the full-text
    ///   index `partner_words` (migration 0014); the newest [`SHORTLIST`] matching partners are
    ///   sorted by name, so when no more match the first by name are shown.
    pub fn search_couples(&self, query: &str, limit: usize) -> Result<Found> {
        let mut candidates: Vec<(String, i64)> = Vec::new();
        let mut seen: HashSet<i64> = HashSet::new();
        let mut total: Option<(usize, bool)> = None;
        let mut capped = false;
        for statement in search_plan(query) {
            let mut stmt = self.conn.prepare_cached(statement.sql)?;
            let params = rusqlite::params_from_iter(statement.params.iter());
            match statement.reads {
                Reads::Count => {
                    let (rows, couples): (i64, i64) =
                        stmt.query_row(params, |r| Ok((r.get(0)?, r.get(1)?)))?;
                    let (rows, couples) =
                        (usize::try_from(rows).unwrap_or(0), usize::try_from(couples).unwrap_or(0));
                    let cut = rows >= PARTNER_CAP || couples > Found::COUNT_CAP;
                    total = Some(if cut { (Found::COUNT_CAP, true) } else { (couples, false) });
                }
                Reads::Shortlist => {
                    let rows =
                        stmt.query_map(params, |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
                    for row in rows {
                        candidates.push(row?);
                    }
                }
                Reads::InOrder { cap } => {
                    // Rows in the statement's order: its first `limit` couples are candidates, all counted.
                    let rows =
                        stmt.query_map(params, |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
                    let (mut read, mut taken) = (0, 0);
                    for row in rows {
                        let (key, id) = row?;
                        read += 1;
                        if seen.insert(id) && taken < limit {
                            candidates.push((key, id));
                            taken += 1;
                        }
                    }
                    capped |= read >= cap;
                }
            }
        }
        // By name (a file-number match first), each couple once.
        candidates.sort();
        let mut ids: Vec<i64> = Vec::new();
        for (_, id) in candidates {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids.truncate(limit);
        let (total, more_than) = total.unwrap_or(if capped || seen.len() > Found::COUNT_CAP {
            (Found::COUNT_CAP, true)
        } else {
            (seen.len(), false)
        });
        Ok(Found { couples: self.couple_summaries(&ids)?, total, more_than })
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
    pub fn explain_search(&self, query: &str) -> Result<Vec<String>> {
        let mut lines = Vec::new();
        for statement in search_plan(query) {
            lines.extend(self.explain(statement.sql, rusqlite::params_from_iter(statement.params.iter()))?);
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

/// How many matching partners, newest first, are sorted by name to choose the couples shown: all
/// of them when no more match, so that the list is then the first by name. Bounded, so that a
/// short query in a large file costs no more than a long one.
pub const SHORTLIST: usize = 200;

/// The partners a count reads at most: enough for [`Found::COUNT_CAP`] couples and one more.
const PARTNER_CAP: usize = 2 * Found::COUNT_CAP + 2;

/// How the rows of a search statement are read.
enum Reads {
    /// One row: partners read (at most [`PARTNER_CAP`]) and the distinct couples among them.
    Count,
    /// (sort key, couple id) rows, all of them candidates, sorted by name afterwards.
    Shortlist,
    /// (sort key, couple id) rows in the statement's order, at most `cap`: the first couples are
    /// candidates, all are counted.
    InOrder { cap: usize },
}

/// One statement of a search.
struct Statement {
    sql: &'static str,
    params: Vec<Value>,
    reads: Reads,
}

/// The statements a search runs (see [`Store::search_couples`]). Each one reads an index over a
/// bounded range: a file number, the digits of a number or phone, or the words of the names.
fn search_plan(query: &str) -> Vec<Statement> {
    let text = |s: String| Value::Text(s);
    let int = |n: usize| Value::Integer(i64::try_from(n).unwrap_or(i64::MAX));
    if let Some(file) = FileNumber::parse(query) {
        return vec![Statement {
            sql: "SELECT '', id FROM couples WHERE file_year = ?1 AND file_seq = ?2",
            params: vec![Value::Integer(file.year.into()), Value::Integer(file.seq.into())],
            reads: Reads::InOrder { cap: usize::MAX },
        }];
    }
    let trimmed = query.trim();
    if !trimmed.is_empty() && !trimmed.chars().any(char::is_alphabetic) {
        let mut plan = Vec::new();
        // Digits alone are a file's number without its year: that number in every year.
        let seq = (trimmed.len() <= 6 && trimmed.chars().all(|c| c.is_ascii_digit()))
            .then(|| trimmed.parse::<u32>().ok())
            .flatten()
            .filter(|n| *n > 0);
        if let Some(seq) = seq {
            plan.push(Statement {
                // Before any name (a control character starts no name), the newest year first.
                sql: "SELECT char(1) || (9999 - file_year), id FROM couples WHERE file_seq = ?1
                      ORDER BY file_year DESC LIMIT ?2",
                params: vec![Value::Integer(seq.into()), int(Found::COUNT_CAP + 1)],
                reads: Reads::InOrder { cap: Found::COUNT_CAP + 1 },
            });
        }
        let digits = phone_digits(query);
        if digits.len() >= 4 {
            plan.push(Statement {
                sql: "SELECT sort_key, couple_id FROM partners
                      WHERE phone_key >= ?1 AND phone_key < ?2 AND phone_key <> ''
                      ORDER BY phone_key LIMIT ?3",
                params: vec![text(digits.clone()), text(format!("{digits}a")), int(PARTNER_CAP)],
                reads: Reads::InOrder { cap: PARTNER_CAP },
            });
        }
        return plan;
    }
    let folded = fold(query);
    let words: Vec<&str> = search_words(&folded).collect();
    if words.is_empty() {
        return Vec::new();
    }
    // Every word as the start of a word of the same partner (`"wer"*`). Words that are only
    // prefixes ("van der") match the prefix too when a name comes with them; alone, they must
    // start the surname or given name, as a prefix alone is not a name.
    let column = if words.iter().all(|w| is_prefix_word(w)) { "words : " } else { "" };
    let matching = words
        .iter()
        .map(|w| format!("{column}\"{}\"*", w.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" AND ");
    vec![
        Statement {
            sql: "SELECT count(*), count(DISTINCT rowid >> 1)
                  FROM (SELECT rowid FROM partner_words WHERE partner_words MATCH ?1 LIMIT ?2)",
            params: vec![text(matching.clone()), int(PARTNER_CAP)],
            reads: Reads::Count,
        },
        Statement {
            sql: "SELECT p.sort_key, p.couple_id
                  FROM (SELECT rowid AS r FROM partner_words WHERE partner_words MATCH ?1
                        ORDER BY rowid DESC LIMIT ?2) w
                  JOIN partners p ON p.couple_id = w.r >> 1 AND p.position = (w.r & 1) + 1",
            params: vec![text(matching), int(SHORTLIST)],
            reads: Reads::Shortlist,
        },
    ]
}
