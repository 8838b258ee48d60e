//! Reading stored columns back into domain values. A code, instant or date that is not one of ours
//! is damage ([`StoreError::Corrupt`](super::StoreError::Corrupt)), never a panic.
//!
//! The `*_at` helpers are for row mappers (`fn ..._from_row(&Row) -> rusqlite::Result<T>`), which
//! live beside their column lists in the module that queries them.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Row;
use rusqlite::types::Type;

use super::{Result, StoreError};

/// How many columns a column list names: its commas plus one. For a mapper that reads another
/// type's columns after its own; only for lists without function calls (no commas inside).
pub(super) const fn width(columns: &str) -> usize {
    let bytes = columns.as_bytes();
    let (mut i, mut n) = (0, 1);
    while i < bytes.len() {
        if bytes[i] == b',' {
            n += 1;
        }
        i += 1;
    }
    n
}

/// A stored value that cannot be read back: reported as damage (see `From<rusqlite::Error>`).
pub(super) fn damaged(column: usize) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(column, Type::Text, "not a value loket writes".into())
}

/// A coded value (a domain enum) at `column`.
pub(super) fn code_at<T>(row: &Row<'_>, column: usize, from: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let text: String = row.get(column)?;
    from(&text).ok_or_else(|| damaged(column))
}

/// A coded value that may be absent.
pub(super) fn opt_code_at<T>(
    row: &Row<'_>,
    column: usize,
    from: fn(&str) -> Option<T>,
) -> rusqlite::Result<Option<T>> {
    let text: Option<String> = row.get(column)?;
    text.map(|t| from(&t).ok_or_else(|| damaged(column))).transpose()
}

/// An instant stored as ISO-8601 text in UTC.
pub(super) fn time_at(row: &Row<'_>, column: usize) -> rusqlite::Result<DateTime<Utc>> {
    let text: String = row.get(column)?;
    parse_time(&text).ok_or_else(|| damaged(column))
}

/// An instant that may be absent.
pub(super) fn opt_time_at(row: &Row<'_>, column: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let text: Option<String> = row.get(column)?;
    text.map(|t| parse_time(&t).ok_or_else(|| damaged(column))).transpose()
}

/// A calendar date stored as `YYYY-MM-DD`.
pub(super) fn date_at(row: &Row<'_>, column: usize) -> rusqlite::Result<NaiveDate> {
    let text: String = row.get(column)?;
    text.parse().map_err(|_| damaged(column))
}

/// A calendar date that may be absent.
pub(super) fn opt_date_at(row: &Row<'_>, column: usize) -> rusqlite::Result<Option<NaiveDate>> {
    let text: Option<String> = row.get(column)?;
    text.map(|t| t.parse().map_err(|_| damaged(column))).transpose()
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc))
}

/// A coded value read outside a row mapper.
pub(super) fn code<T>(value: &str, from: fn(&str) -> Option<T>) -> Result<T> {
    from(value).ok_or(StoreError::Corrupt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_list_is_as_wide_as_its_names() {
        assert_eq!(width("w.id"), 1);
        assert_eq!(width("s.id, s.counsellor_id,\n     u.name"), 3);
        assert_eq!(width(super::super::couples::COUPLE_COLUMNS), 10);
    }
}
