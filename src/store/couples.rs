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
    ///   or more are also the start of a phone number, in national form (`06 12` finds `06-12…`;
    ///   the count is then of the partners with such a number);
    /// - otherwise every word must start a word of one partner's name (given name, prefix,
    ///   surname; a hyphen or apostrophe parts words): "anne marie" finds Anne-Marie, "amrani"
    ///   finds El Amrani, "ijsbrand wer" IJsbrand van der Wêreld. The words meet in the full-text
    ///   index `partner_words` (migration 0016); the newest [`SHORTLIST`] matching partners are
    ///   sorted by name, so when no more match the first by name are shown.
    pub fn search_couples(&self, query: &str, limit: usize) -> Result<Found> {
        let mut candidates: Vec<(String, i64)> = Vec::new();
        let mut seen: HashSet<i64> = HashSet::new();
        // Rows counted by a statement of their own (partners with a phone number), beside `seen`
        // (file numbers; a number of four digits or more that is both is counted twice).
        let mut extra = 0;
        let mut total: Option<(usize, bool)> = None;
        let mut capped = false;
        for statement in search_plan(query, limit) {
            let mut stmt = self.conn.prepare_cached(statement.sql)?;
            let params = rusqlite::params_from_iter(statement.params.iter());
            match statement.reads {
                Reads::Words => {
                    // One pass over the matching partners, newest file first (the index's rowids
                    // count down, see `word_row`): a couple's two partners come one after the other.
                    let mut rows = stmt.query(params)?;
                    let (mut read, mut couples, mut last) = (0, 0, None);
                    let mut shortlist: Vec<(i64, i64)> = Vec::new();
                    while let Some(row) = rows.next()? {
                        let (couple, position) = partner_of(row.get(0)?);
                        read += 1;
                        if last != Some(couple) {
                            couples += 1;
                            last = Some(couple);
                        }
                        if shortlist.len() < SHORTLIST {
                            shortlist.push((couple, position));
                        }
                    }
                    let cut = read >= PARTNER_CAP || couples > Found::COUNT_CAP;
                    total = Some(if cut { (Found::COUNT_CAP, true) } else { (couples, false) });
                    let mut key = self.conn.prepare_cached(SORT_KEY_OF)?;
                    for (couple, position) in shortlist {
                        candidates.push((key.query_row(params![couple, position], |r| r.get(0))?, couple));
                    }
                }
                Reads::CountRows => {
                    let rows: i64 = stmt.query_row(params, |r| r.get(0))?;
                    extra = usize::try_from(rows).unwrap_or(0);
                }
                Reads::InOrder { cap, counted } => {
                    // Rows in the statement's order: its first `limit` couples are candidates, all counted.
                    let rows =
                        stmt.query_map(params, |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
                    let (mut read, mut taken) = (0, 0);
                    for row in rows {
                        let (key, id) = row?;
                        read += 1;
                        let new =
                            if counted { seen.insert(id) } else { !candidates.iter().any(|(_, c)| *c == id) };
                        if new && taken < limit {
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
        // A phone number's partners are counted apart from the file numbers read in full.
        let counted = seen.len() + extra;
        let (total, more_than) = total.unwrap_or(if capped || counted > Found::COUNT_CAP {
            (Found::COUNT_CAP, true)
        } else {
            (counted, false)
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
        for statement in search_plan(query, 8) {
            lines.extend(self.explain(statement.sql, rusqlite::params_from_iter(statement.params.iter()))?);
            if matches!(statement.reads, Reads::Words) {
                lines.extend(self.explain(SORT_KEY_OF, params![1, 1])?);
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
/// The number the next new file of the desk's `year` gets. An erased file's number is never given
/// again: the access log still names it.
pub(super) fn next_file_number(tx: &Transaction<'_>, year: i32) -> Result<FileNumber> {
    let highest: Option<u32> = tx
        .prepare_cached(
            "SELECT max(s) FROM (SELECT max(file_seq) AS s FROM couples WHERE file_year = ?1
                             UNION ALL SELECT max(file_seq) FROM erased_files WHERE file_year = ?1)",
        )?
        .query_row([year], |r| r.get(0))?;
    Ok(FileNumber::next(year, highest))
}

pub(super) fn create_couple(
    tx: &Transaction<'_>,
    partners: &[PersonName],
    request: Request,
    source: Source,
    now: DateTime<Utc>,
) -> Result<i64> {
    let file = next_file_number(tx, desk_day(now).year())?;
    // An erased file's id is never given again either: the access log still names it.
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
pub const SHORTLIST: usize = 100;

/// The partners a count reads at most: enough for [`Found::COUNT_CAP`] couples and one more.
const PARTNER_CAP: usize = 2 * Found::COUNT_CAP + 2;

/// The rowids of `partner_words` count down from here: `WORD_ROWS - (couple_id * 2 + position -
/// 1)`, so that the index, read in its own (ascending) order, gives the newest files first, and a
/// row names its couple and partner without a look-up. Keep in step with migration 0016.
const WORD_ROWS: i64 = 1 << 50;

/// The couple and position of a row of `partner_words`.
fn partner_of(rowid: i64) -> (i64, i64) {
    let n = WORD_ROWS - rowid;
    (n >> 1, (n & 1) + 1)
}

/// A shortlisted partner's sort key.
const SORT_KEY_OF: &str = "SELECT sort_key FROM partners WHERE couple_id = ?1 AND position = ?2";

/// How the rows of a search statement are read.
enum Reads {
    /// Rowids of `partner_words`, at most [`PARTNER_CAP`]: all counted (as couples), the first
    /// [`SHORTLIST`] sorted by name.
    Words,
    /// (sort key, couple id) rows in the statement's order, at most `cap`: the first couples are
    /// candidates, all are counted.
    /// `counted`: whether they are counted here (or by a [`Reads::CountRows`] statement).
    InOrder { cap: usize, counted: bool },
    /// One row: a count of rows, at most [`Found::COUNT_CAP`] + 1; it adds to the couples counted.
    CountRows,
}

/// One statement of a search.
struct Statement {
    sql: &'static str,
    params: Vec<Value>,
    reads: Reads,
}

/// The statements a search runs (see [`Store::search_couples`]). Each one reads an index over a
/// bounded range: a file number, the digits of a number or phone, or the words of the names.
fn search_plan(query: &str, limit: usize) -> Vec<Statement> {
    let text = |s: String| Value::Text(s);
    let int = |n: usize| Value::Integer(i64::try_from(n).unwrap_or(i64::MAX));
    if let Some(file) = FileNumber::parse(query) {
        return vec![Statement {
            sql: "SELECT '', id FROM couples WHERE file_year = ?1 AND file_seq = ?2",
            params: vec![Value::Integer(file.year.into()), Value::Integer(file.seq.into())],
            reads: Reads::InOrder { cap: usize::MAX, counted: true },
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
                reads: Reads::InOrder { cap: Found::COUNT_CAP + 1, counted: true },
            });
        }
        let digits = phone_digits(query);
        if digits.len() >= 4 {
            let range = vec![text(digits.clone()), text(format!("{digits}a"))];
            // The first numbers in order (two partners a couple at most), then a count of the
            // partners with such a number (a couple's two share one now and then).
            let mut first = range.clone();
            first.push(int(2 * limit));
            plan.push(Statement {
                sql: "SELECT sort_key, couple_id FROM partners
                      WHERE phone_key >= ?1 AND phone_key < ?2 AND phone_key <> ''
                      ORDER BY phone_key LIMIT ?3",
                params: first,
                reads: Reads::InOrder { cap: usize::MAX, counted: false },
            });
            let mut count = range;
            count.push(int(Found::COUNT_CAP + 1));
            plan.push(Statement {
                sql: "SELECT count(*) FROM (SELECT 1 FROM partners
                      WHERE phone_key >= ?1 AND phone_key < ?2 AND phone_key <> '' LIMIT ?3)",
                params: count,
                reads: Reads::CountRows,
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
    vec![Statement {
        sql: "SELECT rowid FROM partner_words WHERE partner_words MATCH ?1 LIMIT ?2",
        params: vec![text(matching), int(PARTNER_CAP)],
        reads: Reads::Words,
    }]
}
