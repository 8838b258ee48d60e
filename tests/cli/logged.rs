//! What the command line reads for someone else is in the access log: exact figures, a calendar
//! export, a backup, a check of a sound file; as the user named with `--user` where one is.

use crate::common::bin::{loket, stderr};

fn events(db: &std::path::Path) -> Vec<(String, String, String)> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut stmt = conn
        .prepare("SELECT event, user_name, detail FROM access_log WHERE event NOT IN ('walk_in', 'file_changed', 'sign_in', 'referral', 'trajectory', 'conversation', 'consent', 'user_changed') ORDER BY id")
        .expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("query")
        .collect::<rusqlite::Result<Vec<_>>>()
        .expect("rows")
}

#[test]
fn exact_figures_a_calendar_export_a_backup_and_a_check_are_logged_and_suppressed_figures_are_not() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("loket.db");
    let db_arg = db.to_str().expect("utf-8");
    let run = |args: &[&str]| {
        let out = loket(dir.path(), args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    };
    run(&["demo", "--db", db_arg, "--couples", "6"]);
    assert_eq!(events(&db), [], "the demo reads nothing for anyone");
    run(&["report", "--db", db_arg, "--from", "01-01-2026", "--to", "30-06-2026"]);
    assert_eq!(events(&db), [], "figures as for the council are not personal");
    run(&[
        "--user",
        "henk bos",
        "report",
        "--db",
        db_arg,
        "--from",
        "01-01-2026",
        "--to",
        "30-06-2026",
        "--exact",
    ]);
    let ics = dir.path().join("agenda.ics");
    run(&["export-ics", "--db", db_arg, "--out", ics.to_str().expect("utf-8")]);
    let copy = dir.path().join("kopie.db");
    run(&["backup", "--db", db_arg, copy.to_str().expect("utf-8")]);
    run(&["check", "--db", db_arg]);
    let logged = events(&db);
    let logged: Vec<(&str, &str, &str)> =
        logged.iter().map(|(e, u, d)| (e.as_str(), u.as_str(), d.as_str())).collect();
    assert_eq!(
        logged,
        [
            ("exact_report", "Henk Bos", "2026-01-01..2026-06-30"),
            ("calendar_export", "", "all, from today"),
            ("backup", "", ""),
            ("check", "", "ok"),
        ]
    );
}
