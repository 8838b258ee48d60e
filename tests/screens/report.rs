//! The report pane: exact figures (small numbers shown) are in the access log each time they are
//! shown; figures as for the council are not.

use ratatui::crossterm::event::KeyCode;

use crate::common::desk::{app_on, filled_store};
use crate::common::{press, screen, sign_in};

fn exact_reports(path: &std::path::Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(path).expect("open");
    let mut stmt = conn
        .prepare("SELECT user_name, detail FROM access_log WHERE event = 'exact_report' ORDER BY id")
        .expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("query")
        .collect::<rusqlite::Result<Vec<_>>>()
        .expect("rows")
}

#[test]
fn exact_figures_are_logged_when_shown_and_for_each_period_shown_exactly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let (store, _) = filled_store(&path);
    let mut app = app_on(store);
    sign_in(&mut app, "Henk Bos");
    press(&mut app, KeyCode::Char('5'));
    assert!(app.report.period.is_some(), "{}", screen(&app, 120, 40));
    assert_eq!(exact_reports(&path), [], "the council's figures are not logged");
    press(&mut app, KeyCode::Char('e'));
    assert!(app.report.exact);
    let this_year = exact_reports(&path);
    assert_eq!(this_year.len(), 1);
    assert_eq!(this_year[0].0, "Henk Bos");
    assert!(this_year[0].1.starts_with("2026-01-01.."), "{this_year:?}");
    // Another period, still exact: logged again with that period.
    press(&mut app, KeyCode::Char('p'));
    let both = exact_reports(&path);
    assert_eq!(both.len(), 2, "{both:?}");
    assert_ne!(both[0].1, both[1].1);
    // Back to the council's figures: nothing more.
    press(&mut app, KeyCode::Char('e'));
    press(&mut app, KeyCode::Char('p'));
    assert_eq!(exact_reports(&path).len(), 2);
}
