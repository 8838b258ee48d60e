//! Reading a database file beside the app, with a connection of its own.

use std::collections::BTreeMap;
use std::path::Path;

pub fn raw(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("open read-only")
}

pub fn page_count(path: &Path) -> u64 {
    let pages: i64 = raw(path).query_row("PRAGMA page_count", [], |r| r.get(0)).expect("page_count");
    u64::try_from(pages).expect("a positive page count")
}

fn tables(conn: &rusqlite::Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .expect("tables");
    stmt.query_map([], |r| r.get(0)).expect("tables").collect::<rusqlite::Result<_>>().expect("tables")
}

/// Every row of every table, as text: to compare the file before and after.
pub fn dump(path: &Path) -> BTreeMap<String, Vec<String>> {
    let conn = raw(path);
    let mut out = BTreeMap::new();
    for table in tables(&conn) {
        // A table without rowid (the search index's own tables) is ordered by its key, the first column.
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM \"{table}\" ORDER BY rowid"))
            .or_else(|_| conn.prepare(&format!("SELECT * FROM \"{table}\" ORDER BY 1")))
            .expect("select");
        let columns = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let mut line = Vec::new();
                for i in 0..columns {
                    line.push(format!("{:?}", r.get_ref(i)?));
                }
                Ok(line.join("|"))
            })
            .expect("rows")
            .collect::<rusqlite::Result<Vec<_>>>()
            .expect("rows");
        out.insert(table, rows);
    }
    out
}

/// Asserts that two dumps are alike, naming only the tables that differ (and their row counts).
pub fn assert_same(
    before: &BTreeMap<String, Vec<String>>,
    after: &BTreeMap<String, Vec<String>>,
    what: &str,
) {
    let differ: Vec<String> = before
        .keys()
        .chain(after.keys())
        .filter(|t| before.get(*t) != after.get(*t))
        .map(|t| {
            format!(
                "{t}: {} rows → {} rows",
                before.get(t).map_or(0, Vec::len),
                after.get(t).map_or(0, Vec::len)
            )
        })
        .collect();
    assert!(differ.is_empty(), "{what}; tables that differ: {differ:?}");
}

pub fn integrity_ok(path: &Path) {
    let report = loket::store::check(path, loket::store::Access::Plain).expect("check");
    assert!(report.is_ok(), "integrity and foreign keys: {report:?}");
}
