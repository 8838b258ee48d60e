//! `loket demo --couples N` beyond the showcase: years of history written in bulk, which must be
//! data the app itself could have written — the schema's rules, the access log's chain and the
//! proportions README promises.

use chrono::{TimeZone, Utc};
use loket::config::Config;
use loket::store::{Access, Store, check};

/// Runs a query that returns one number.
fn number(conn: &rusqlite::Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"))
}

#[test]
fn the_history_keeps_the_apps_rules_and_the_promised_proportions() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("history.db");
    let now = Utc.with_ymd_and_hms(2026, 12, 2, 10, 30, 0).single().expect("a time");
    let mut store = Store::open(&path).expect("open");
    let mut seen = Vec::new();
    let made =
        loket::demo::fill(&mut store, &Config::default(), 3_040, now, &mut |done, of| seen.push((done, of)))
            .expect("fill")
            .expect("an empty file is filled");
    assert_eq!(made.couples, 3_040);
    assert_eq!(seen.last(), Some(&(3_000, 3_000)), "progress reaches the whole history");
    drop(store);

    let conn = rusqlite::Connection::open(&path).expect("open raw");
    let couples = number(&conn, "SELECT count(*) FROM couples");
    assert_eq!(couples, 3_040);
    // Every couple has one or two partners and one or two walk-ins, all of them done.
    assert_eq!(
        number(
            &conn,
            "SELECT count(*) FROM couples c WHERE (SELECT count(*) FROM partners p WHERE p.couple_id = c.id) NOT BETWEEN 1 AND 2
                OR (SELECT count(*) FROM walk_ins w WHERE w.couple_id = c.id) NOT BETWEEN 1 AND 2"
        ),
        0
    );
    let returning = number(
        &conn,
        "SELECT count(*) FROM (SELECT couple_id FROM walk_ins GROUP BY couple_id HAVING count(*) = 2)",
    );
    assert!(returning > 50, "some couples came back: {returning}");
    // About a third start a trajectory, of at most five conversations that count.
    let trajectories = number(&conn, "SELECT count(*) FROM trajectories");
    assert!((couples / 5..couples / 2).contains(&trajectories), "{trajectories} trajectories of {couples}");
    assert_eq!(
        number(
            &conn,
            "SELECT count(*) FROM (SELECT trajectory_id FROM sessions WHERE status <> 'cancelled'
                                   GROUP BY trajectory_id HAVING count(*) > 5)"
        ),
        0
    );
    for status in ["held", "no_show", "cancelled"] {
        let n = number(&conn, &format!("SELECT count(*) FROM sessions WHERE status = '{status}'"));
        assert!(n > 0, "conversations {status}: {n}");
    }
    // No counsellor and no room is ever booked twice.
    for column in ["counsellor_id", "room"] {
        let clashes = number(
            &conn,
            &format!(
                "SELECT count(*) FROM sessions a JOIN sessions b ON a.{column} = b.{column} AND a.id < b.id
                 WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'
                   AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at"
            ),
        );
        assert_eq!(clashes, 0, "double bookings by {column}");
    }
    // Referrals out with both partners' consent, referrals in, life events and scores.
    let referrals = number(&conn, "SELECT count(*) FROM referrals");
    assert!(referrals > couples / 20, "{referrals} referrals");
    assert_eq!(
        number(
            &conn,
            "SELECT count(*) FROM referrals r WHERE (SELECT count(*) FROM consent_history h WHERE h.referral_id = r.id)
                <> (SELECT count(*) FROM partners p WHERE p.couple_id = r.couple_id)"
        ),
        0,
        "every partner consented to each referral"
    );
    assert!(number(&conn, "SELECT count(*) FROM referrals_in") > 0);
    assert!(number(&conn, "SELECT count(*) FROM life_events") > couples / 8);
    assert!(number(&conn, "SELECT count(*) FROM scores") > trajectories);
    // Closed files have an outcome and a closing day; the history spans about ten years, before
    // the showcase's twelve weeks, and file numbers run on per year from 1 without gaps.
    assert_eq!(
        number(
            &conn,
            "SELECT count(*) FROM couples WHERE status = 'closed' AND (outcome IS NULL OR closed_on IS NULL)"
        ),
        0
    );
    assert!(number(&conn, "SELECT count(*) FROM couples WHERE status = 'closed'") > couples / 2);
    let first_year = number(&conn, "SELECT min(file_year) FROM couples");
    assert!((2016..=2017).contains(&first_year), "history from {first_year}");
    assert_eq!(
        number(
            &conn,
            "SELECT count(*) FROM (SELECT file_year FROM couples GROUP BY file_year HAVING max(file_seq) <> count(*))"
        ),
        0
    );
    // The history is written first and ends before the showcase's first walk-in.
    let history_ends: String = conn
        .query_row("SELECT max(ends_at) FROM sessions WHERE room LIKE 'Regiokamer %'", [], |r| r.get(0))
        .expect("history conversations");
    let showcase_begins: String = conn
        .query_row("SELECT min(arrived_at) FROM walk_ins WHERE couple_id > 3000", [], |r| r.get(0))
        .expect("showcase");
    assert!(history_ends < showcase_begins, "{history_ends} before {showcase_begins}");
    drop(conn);
    // The access log's chain holds over the history and the showcase, and the file is sound.
    let report = check(&path, Access::Plain).expect("check");
    assert!(report.is_ok(), "{report:?}");
    assert!(report.log_broken_at.is_none());
}
