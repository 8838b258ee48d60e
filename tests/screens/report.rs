//! The report pane: exact figures (small numbers shown) are in the access log each time they are
//! shown; figures as for the council are not.

use ratatui::crossterm::event::KeyCode;

use crate::common::desk::{app_on, filled_store};
use crate::common::{ctrl, press, screen, sign_in, type_text};

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

/// Value and bar tokens ("<5", "65%", "€ 2.600,00", "–", "█████") taken out of a text, spaces
/// closed up: what is left are the labels' words.
fn words(text: &str) -> String {
    text.split_whitespace()
        .filter(|w| !w.chars().all(|c| c.is_ascii_digit() || "<%€.,–█-".contains(c)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The report's lines below its title, scrolled through with PgDn at `w`×`h`: each line once.
fn all_pages(app: &mut loket::app::App, w: u16, h: u16) -> Vec<String> {
    let mut content: Vec<String> = Vec::new();
    press(app, KeyCode::Home);
    loop {
        let s = screen(app, w, h);
        let first = app.report.scroll.min(app.report.max_scroll.get());
        // Rows 2.. are the figures, up to the position line (when they scroll) or the flash line.
        let rows: Vec<&str> = s.lines().skip(2).take(usize::from(h) - 5).collect();
        let rows = if app.report.max_scroll.get() > 0 { &rows[..rows.len() - 1] } else { &rows[..] };
        for (i, row) in rows.iter().enumerate() {
            if first + i >= content.len() {
                content.push((*row).to_owned());
            }
        }
        if first >= app.report.max_scroll.get() {
            return content;
        }
        press(app, KeyCode::PageDown);
        assert!(app.report.scroll > first, "PgDn moves on");
    }
}

#[test]
fn every_figure_of_the_report_can_be_read_whole_at_80x24_in_both_languages() {
    for lang in [loket::config::Lang::Nl, loket::config::Lang::En] {
        let dir = tempfile::tempdir().expect("temp dir");
        let (store, _) = filled_store(&dir.path().join("loket.db"));
        let mut app = app_on(store);
        app.texts = loket::i18n::Texts::new(lang);
        sign_in(&mut app, "Henk Bos");
        press(&mut app, KeyCode::Char('5'));
        press(&mut app, KeyCode::Char('e'));
        let first = screen(&app, 80, 24);
        assert!(!first.contains('…'), "no label cut:\n{first}");
        let content = all_pages(&mut app, 80, 24);
        assert!(!content.iter().any(|l| l.contains('…')), "no label cut:\n{}", content.join("\n"));
        // Each column read top to bottom holds every label of its figures, whole (wrapped).
        let columns: Vec<String> = (0..2)
            .map(|c| {
                let text: Vec<&str> = content.iter().map(|l| l.split('│').nth(c).unwrap_or("")).collect();
                words(&text.join(" "))
            })
            .collect();
        for fig in &app.report.figures {
            let label = words(&loket::report::label(fig, &app.texts, &app.config));
            assert!(
                columns.iter().any(|c| c.contains(&label)),
                "{label:?} ({lang:?}) not readable whole:\n{}",
                content.join("\n")
            );
        }
        // Home goes back to the top; the last line is the last figure.
        press(&mut app, KeyCode::Home);
        assert_eq!(app.report.scroll, 0);
    }
}

#[test]
fn the_weekly_chart_shows_the_newest_weeks_inside_its_width() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = filled_store(&dir.path().join("loket.db"));
    let mut app = app_on(store);
    sign_in(&mut app, "Henk Bos");
    press(&mut app, KeyCode::Char('5'));
    let newest_has_walk_ins = app.report.weekly.last().copied().unwrap_or(0) > 0;
    assert!(newest_has_walk_ins, "the filled desk's walk-ins are this week: {:?}", app.report.weekly);
    // "Dit jaar" at 80 columns: the bars are there, the newest week at the end of them.
    let s = screen(&app, 80, 24);
    let bars: Vec<&str> = s.lines().skip(3).take(2).collect();
    let last_bar = |row: &str| row.trim_end().chars().last();
    assert!(bars.iter().any(|r| last_bar(r).is_some_and(|c| "▁▂▃▄▅▆▇█".contains(c))), "{s}");
    let weeks = app.report.weekly.len();
    assert!(bars.iter().all(|r| r.chars().count() <= weeks + 1), "one cell per week:\n{s}");
    // A period of two years at 80 columns: more weeks than the width; the newest are shown and
    // the heading says so; nothing runs past the window.
    press(&mut app, KeyCode::Char('d'));
    ctrl(&mut app, 'u');
    type_text(&mut app, "01-01-2025");
    press(&mut app, KeyCode::Tab);
    ctrl(&mut app, 'u');
    type_text(&mut app, crate::common::desk::now().format("%d-%m-%Y").to_string().as_str());
    ctrl(&mut app, 's');
    assert!(app.report.weekly.len() > 80, "{}", app.report.weekly.len());
    for width in [80u16, 100] {
        let s = screen(&app, width, 24);
        let heading = s.lines().nth(2).unwrap_or_default();
        assert!(heading.contains("Inloop per week · nieuwste"), "{s}");
        let bars: Vec<&str> = s.lines().skip(3).take(2).collect();
        assert!(bars.iter().any(|r| last_bar(r).is_some_and(|c| "▁▂▃▄▅▆▇█".contains(c))), "{s}");
        assert!(bars.iter().all(|r| r.chars().count() <= usize::from(width)), "{s}");
    }
}

/// The figures the pane shows for the period of the walk-ins (`walk_ins`).
fn walk_ins_shown(app: &loket::app::App) -> Option<loket::domain::report::Value> {
    app.report.figures.iter().find(|f| f.group == "walk_ins" && f.key == "walk_ins").map(|f| f.value)
}

/// A count shown as a figure.
fn count(v: Option<loket::domain::report::Value>) -> u64 {
    match v {
        Some(loket::domain::report::Value::Count(n)) => n,
        other => panic!("a count: {other:?}"),
    }
}

/// The report pane of a filled file at `path`, computed once, with the walk-ins it shows.
fn report_shown(path: &std::path::Path) -> (loket::app::App, Option<loket::domain::report::Value>) {
    let (store, _) = filled_store(path);
    let mut app = app_on(store);
    sign_in(&mut app, "Henk Bos");
    press(&mut app, KeyCode::Char('5'));
    assert_eq!(app.report.computations, 1);
    let shown = walk_ins_shown(&app);
    (app, shown)
}

/// A walk-in registered at another desk: another connection to the file at `path`.
fn walk_in_at_another_desk(path: &std::path::Path) {
    use crate::common::desk::{now, walk_in};
    let mut other_desk = loket::store::Store::open(path).expect("another desk");
    let new = walk_in(&[("Fleur", "", "Visser")], loket::domain::couple::Request::Repair);
    other_desk.register_walk_in(&new, now(), None).expect("a walk-in at the other desk");
}

/// Issue 17: the figures are computed again only when something changed in the file. Showing the
/// pane again with nothing changed reads nothing; a walk-in registered at another desk (another
/// connection) is counted the next time the pane is shown.
#[test]
fn the_figures_are_computed_again_only_when_the_file_changed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let (mut app, before) = report_shown(&path);
    press(&mut app, KeyCode::Char('1'));
    press(&mut app, KeyCode::Char('5'));
    assert_eq!(app.report.computations, 1, "nothing changed: nothing computed");

    walk_in_at_another_desk(&path);
    press(&mut app, KeyCode::Char('1'));
    press(&mut app, KeyCode::Char('5'));
    assert_eq!(app.report.computations, 2, "the other desk's walk-in is counted");
    assert_eq!(count(walk_ins_shown(&app)), count(before) + 1);
}

/// Issue 17: once a computation took long, the next one runs on a worker thread with its own read
/// connection: the pane keeps the figures it has and says *berekenen…*, keys keep answering, and
/// the new figures arrive on a tick.
#[test]
fn a_slow_report_is_computed_on_a_worker_while_keys_keep_answering() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let (mut app, before) = report_shown(&path);
    app.report.last_took = loket::app::panes::report::SLOW;

    walk_in_at_another_desk(&path);
    press(&mut app, KeyCode::Char('1'));
    press(&mut app, KeyCode::Char('5'));
    assert!(app.report.computing(), "on a worker");
    let waiting = screen(&app, 80, 24);
    assert!(waiting.contains("berekenen…"), "{waiting}");
    assert_eq!(walk_ins_shown(&app), before, "the figures it had, meanwhile");
    // Keys answer meanwhile, and showing the pane again starts no second computation.
    press(&mut app, KeyCode::Char('1'));
    assert!(screen(&app, 80, 24).contains("Inloopspreekuur"));
    press(&mut app, KeyCode::Char('5'));
    for _ in 0..500 {
        if !app.report.computing() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        app.update(loket::action::Action::Tick);
    }
    assert!(!app.report.computing(), "the worker's figures arrived");
    assert_eq!(app.report.computations, 2);
    assert_eq!(count(walk_ins_shown(&app)), count(before) + 1);
    assert!(!screen(&app, 80, 24).contains("berekenen…"));
}
