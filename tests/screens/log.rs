//! The coordinator's access log screen (*Logboek*) on ratatui's TestBackend, keys through the
//! real keymap: who sees it, the filter form and what it refuses, the rows at 80×24 and 120×40,
//! scrolling, and the look itself in the log.

use crate::common::desk::{filled_store, now};
use crate::common::{ctrl, press, screen, sign_in, top_form_kind, type_text};

use loket::action::Pane;
use loket::app::{App, Overlay};
use loket::config::{Config, Lang};
use loket::domain::access::{AccessEvent, LogFilter};
use loket::i18n::Texts;
use loket::ui::widgets::fit;
use ratatui::crossterm::event::KeyCode;

const COORDINATOR: &str = "Henk Bos";

/// The filled desk in `lang`, signed in as `name`.
fn app_as(name: &str, lang: Lang, dir: &std::path::Path) -> (App, i64) {
    let (store, couple) = filled_store(&dir.join("loket.db"));
    let mut app = App::new(store, Config::default(), Texts::new(lang), Box::new(now));
    sign_in(&mut app, name);
    (app, couple)
}

/// The screen with the workstation (this machine's user and host) replaced by a mark of the
/// same width, so that the snapshot is the same on every machine.
fn shown(app: &App, width: u16, height: u16) -> String {
    let ws = loket::store::workstation();
    let cut = fit::ellipsize(ws, 16);
    let mark = |w: usize| format!("{:<w$}", "[ws]".chars().take(w).collect::<String>());
    screen(app, width, height).replace(&cut, &mark(fit::width(&cut))).replace(ws, &mark(fit::width(ws)))
}

/// The file number of the filled desk's couple, as the app shows it.
fn file_number(app: &App, couple: i64) -> String {
    let user = app.user.clone().expect("signed in");
    app.store_for_tests().read_file(couple, &user).expect("file").file.to_string()
}

#[test]
fn only_a_coordinator_sees_the_log_and_its_tab() {
    for name in ["Sara de Boer", "Ingrid Hoekstra"] {
        let dir = tempfile::tempdir().expect("temp dir");
        let (mut app, _) = app_as(name, Lang::Nl, dir.path());
        let before = screen(&app, 120, 40);
        assert!(!before.lines().next().unwrap_or("").contains("Logboek"), "{before}");
        press(&mut app, KeyCode::Char('7'));
        assert_ne!(app.pane, Pane::Log, "{name}");
        assert!(app.overlays.is_empty());
        let flash = app.flash.as_ref().map(|f| f.text.clone()).unwrap_or_default();
        assert_eq!(flash, app.texts.t("audit.coordinator_only"), "{name}");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut app, _) = app_as(COORDINATOR, Lang::Nl, dir.path());
    assert!(screen(&app, 120, 40).lines().next().unwrap_or("").contains("7 Logboek"));
    press(&mut app, KeyCode::Char('7'));
    assert_eq!(app.pane, Pane::Log);
    assert_eq!(top_form_kind(&app), Some("audit.form_title"), "the filter opens before the first look");
}

#[test]
fn everything_newest_first_at_80x24_and_120x40() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut app, couple) = app_as(COORDINATOR, Lang::Nl, dir.path());
    press(&mut app, KeyCode::Char('7'));
    ctrl(&mut app, 's');
    assert!(app.overlays.is_empty(), "the form closed");
    let all = app.store_for_tests().log_query(&LogFilter::default(), None, 0).expect("all");
    // The look is the newest row of the log; the screen shows what was there before it.
    assert_eq!(all[0].event, AccessEvent::Audit.code());
    assert_eq!(all[0].detail, "all");
    assert_eq!(app.log.rows.len(), all.len() - 1);
    assert_eq!(app.log.rows.first().map(|e| e.id), all.get(1).map(|e| e.id));
    let small = shown(&app, 80, 24);
    let lines: Vec<&str> = small.lines().collect();
    assert!(lines[1].contains(&format!("{} regels, nieuwste eerst", app.log.rows.len())), "{small}");
    assert!(lines[2].contains("Wanneer") && lines[2].contains("Dossier"), "{small}");
    assert!(!lines[2].contains("Werkplek"), "the workstation's column goes first at 80: {small}");
    assert!(small.contains("Regel 1 van"), "{small}");
    insta::assert_snapshot!("log_all_80x24", small);
    let wide = shown(&app, 120, 40);
    let header = wide.lines().nth(2).unwrap_or("");
    for column in ["Wanneer", "Wat", "Wie", "Rol", "Dossier", "Bijzonderheid", "Werkplek"] {
        assert!(header.contains(column), "{column} at 120: {wide}");
    }
    assert!(!header.contains("Namens"), "no one acted on behalf of another here: {wide}");
    assert!(wide.contains(&file_number(&app, couple)));
    insta::assert_snapshot!("log_all_120x40", wide);
}

#[test]
fn one_file_filtered_scrolled_and_in_english() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut app, couple) = app_as(COORDINATOR, Lang::En, dir.path());
    let number = file_number(&app, couple);
    press(&mut app, KeyCode::Char('7'));
    type_text(&mut app, &number);
    ctrl(&mut app, 's');
    assert!(app.overlays.is_empty());
    let want = app
        .store_for_tests()
        .log_query(
            &LogFilter { file: loket::domain::couple::FileNumber::parse(&number), ..LogFilter::default() },
            None,
            0,
        )
        .expect("query");
    // The newest row of this file is the look at it.
    assert_eq!(want[0].event, "audit");
    let ids: Vec<i64> = app.log.rows.iter().map(|e| e.id).collect();
    assert_eq!(ids, want[1..].iter().map(|e| e.id).collect::<Vec<_>>());
    assert!(app.log.rows.iter().all(|e| e.file_number == number));
    let wide = shown(&app, 120, 40);
    assert!(wide.contains(&format!("Access log · file {number}")), "{wide}");
    assert!(wide.contains("walk-in") && wide.contains("Sara de Boer"), "{wide}");
    insta::assert_snapshot!("log_file_english_120x40", wide);
    // Scrolling: End, PgUp, Home; the panel says which row is selected.
    let n = app.log.rows.len();
    press(&mut app, KeyCode::End);
    assert_eq!(app.log.selected, n - 1);
    assert!(shown(&app, 80, 24).contains(&format!("Row {n} of {n}")));
    press(&mut app, KeyCode::PageUp);
    assert_eq!(app.log.selected, (n - 1).saturating_sub(10));
    press(&mut app, KeyCode::Home);
    press(&mut app, KeyCode::PageDown);
    assert_eq!(app.log.selected, 10.min(n - 1));
}

#[test]
fn bad_input_is_said_in_the_form_and_nothing_typed_is_lost() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut app, _) = app_as(COORDINATOR, Lang::Nl, dir.path());
    press(&mut app, KeyCode::Char('7'));
    let rows_before = app.store_for_tests().log_query(&LogFilter::default(), None, 0).expect("rows").len();
    // Cases: (file, from, to, what the form says).
    let cases = [
        ("2026-999", "", "", "Er is geen dossier met dit nummer."),
        ("dossier 1", "", "", "Een dossiernummer is als 2026-001."),
        ("", "31-02-2026", "", "bestaat niet"),
        ("", "gisteren", "", "Geen datum"),
        ("", "10-12-2026", "01-12-2026", "Deze datum ligt vóór de begindatum."),
    ];
    for (file, from, to, says) in cases {
        let fields = [(0, file), (2, from), (3, to)];
        for (index, text) in fields {
            if let Some(Overlay::Form(f)) = app.overlays.last_mut() {
                f.form_mut().focus = index;
            }
            ctrl(&mut app, 'u');
            type_text(&mut app, text);
        }
        ctrl(&mut app, 's');
        assert_eq!(top_form_kind(&app), Some("audit.form_title"), "{file} {from} {to}: the form stays");
        let s = screen(&app, 80, 24);
        assert!(s.contains(says), "{says:?} for {file:?} {from:?} {to:?}:\n{s}");
        for typed in [file, from, to] {
            assert!(s.contains(typed), "{typed:?} is kept:\n{s}");
        }
    }
    // Nothing was looked at, so nothing was logged (the unknown file is refused before the look).
    let rows_after = app.store_for_tests().log_query(&LogFilter::default(), None, 0).expect("rows").len();
    assert_eq!(rows_after, rows_before);
}
