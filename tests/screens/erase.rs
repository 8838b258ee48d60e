//! Erasing a closed file by hand (the number typed again) and the settings form, on ratatui's
//! TestBackend with keys through the real keymap; and the retention notice at a coordinator's
//! sign-in.

use chrono::NaiveDate;
use loket::app::App;
use loket::domain::file::{CloseOutcome, FileStatus};
use ratatui::crossterm::event::KeyCode;

use crate::common::desk::{app_on, at, desk};
use crate::common::{ctrl, open_file, press, screen, sign_in, top_form_kind, type_text};

/// A desk with a file closed in 2019 (past the term: due) and an open one; the app on it.
fn app() -> (tempfile::TempDir, App) {
    let mut d = desk();
    d.register(&[("Els", "", "Jansen")], at(11, 4, 8, 5), None);
    let (_, old) = d.register(&[("Xaverius", "", "Wêreldbol")], at(11, 4, 8, 10), None);
    let sara = d.counsellor.clone();
    let v = d.store.read_file(old, &sara).expect("file").version;
    let closing = Some((CloseOutcome::Separated, NaiveDate::from_ymd_opt(2019, 3, 1).expect("date")));
    d.store.set_file_status(old, v, FileStatus::Closed, closing, &sara, at(11, 5, 9, 0)).expect("close");
    (d.dir, app_on(d.store))
}

#[test]
fn a_coordinator_erases_a_closed_file_after_typing_its_number_again() {
    let (_dir, mut app) = app();
    sign_in(&mut app, "Kees Bakker");
    let shown = screen(&app, 120, 40);
    assert!(
        shown.contains(
            "Bewaartermijn: 1 gesloten dossier(s) langer dan 5 jaar geleden gesloten (loket retention)."
        ),
        "{shown}"
    );
    // An open file is not erased.
    open_file(&mut app, "jansen");
    press(&mut app, KeyCode::Char('x'));
    assert_eq!(top_form_kind(&app), None);
    assert!(screen(&app, 80, 24).contains("Alleen een gesloten dossier kan worden gewist"));

    open_file(&mut app, "wereldbol");
    press(&mut app, KeyCode::Char('x'));
    assert_eq!(top_form_kind(&app), Some("erase.title"));
    let form = screen(&app, 80, 24);
    for line in ["Dossier 2026-002 wissen", "Typ het nummer *", "Dit kan niet ongedaan worden gemaakt."] {
        assert!(form.contains(line), "{line} in\n{form}");
    }
    // Another file's number, or no number at all: nothing is erased, and the form says so.
    for (typed, said) in [
        ("2026-001", "Dit is niet het nummer van dit dossier: er is niets gewist."),
        ("wereldbol", "Dit is geen dossiernummer (zoals 2026-001): er is niets gewist."),
    ] {
        ctrl(&mut app, 'u');
        type_text(&mut app, typed);
        press(&mut app, KeyCode::Enter);
        assert_eq!(top_form_kind(&app), Some("erase.title"), "{typed}");
        let shown = screen(&app, 80, 24);
        assert!(shown.contains(said), "{said} in\n{shown}");
        assert_eq!(app.store_for_tests().couple_count().expect("count"), 2);
    }
    ctrl(&mut app, 'u');
    type_text(&mut app, "2026-2");
    press(&mut app, KeyCode::Enter);
    assert_eq!(top_form_kind(&app), None);
    assert!(app.file.is_none(), "the erased file is off the desk");
    assert_eq!(app.store_for_tests().couple_count().expect("count"), 1);
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("Dossier 2026-002 is gewist"), "{shown}");
    assert!(!shown.contains("Wêreld"), "{shown}");
}

#[test]
fn only_a_coordinator_erases_a_file() {
    let (_dir, mut app) = app();
    sign_in(&mut app, "Sara de Boer");
    assert!(!screen(&app, 120, 40).contains("Bewaartermijn"), "the notice is for coordinators");
    open_file(&mut app, "wereldbol");
    press(&mut app, KeyCode::Char('x'));
    assert_eq!(top_form_kind(&app), None);
    assert!(screen(&app, 80, 24).contains("Alleen een coördinator wist een dossier."));
    assert_eq!(app.store_for_tests().couple_count().expect("count"), 2);
}

#[test]
fn the_coordinator_changes_the_retention_term_on_the_users_pane() {
    let (_dir, mut app) = app();
    sign_in(&mut app, "Kees Bakker");
    press(&mut app, KeyCode::Char('6'));
    press(&mut app, KeyCode::Char('s'));
    assert_eq!(top_form_kind(&app), Some("settings.title"));
    let form = screen(&app, 80, 24);
    assert!(form.contains("Bewaartermijn (jaren)") && form.contains("5"), "{form}");
    for (typed, said) in [
        ("0", "Kies een getal van 1 tot en met 100. Er is niets gewijzigd."),
        ("500", "Kies een getal van 1 tot en met 100. Er is niets gewijzigd."),
        ("vijf", "Dit is geen getal: typ een heel getal, zoals 5. Er is niets gewijzigd."),
    ] {
        ctrl(&mut app, 'u');
        type_text(&mut app, typed);
        ctrl(&mut app, 's'); // (Enter moves on to the closed days)
        assert_eq!(top_form_kind(&app), Some("settings.title"), "{typed}");
        let shown = screen(&app, 80, 24);
        assert!(shown.contains(said), "{said} in\n{shown}");
        assert_eq!(app.store_for_tests().retention_years().expect("read"), 5);
    }
    ctrl(&mut app, 'u');
    type_text(&mut app, "7");
    ctrl(&mut app, 's'); // (Enter moves on to the closed days)
    assert_eq!(top_form_kind(&app), None);
    assert!(screen(&app, 80, 24).contains("Instellingen opgeslagen."));
    assert_eq!(app.store_for_tests().retention_years().expect("read"), 7);
}

#[test]
fn the_coordinator_sets_closed_days_and_days_off_in_the_settings() {
    let (_dir, mut app) = app();
    sign_in(&mut app, "Kees Bakker");
    press(&mut app, KeyCode::Char('6'));
    press(&mut app, KeyCode::Char('s'));
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "kerst");
    ctrl(&mut app, 's');
    let refused = screen(&app, 80, 24);
    assert!(refused.contains("Schrijf dagen als 24-12-2026"), "{refused}");
    assert_eq!(top_form_kind(&app), Some("settings.title"));
    ctrl(&mut app, 'u');
    type_text(&mut app, "24-12 t/m 26-12, 31-12");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab); // Sara de Boer (Jan Smit comes first)
    type_text(&mut app, "23-12-2026");
    let form = screen(&app, 80, 24);
    assert!(form.contains("Loket dicht op") && form.contains("Vrij: Sara de Boer"), "{form}");
    ctrl(&mut app, 's');
    assert_eq!(top_form_kind(&app), None, "{}", screen(&app, 80, 24));
    let closed = app.store_for_tests().closed_days().expect("read");
    let day = |d| NaiveDate::from_ymd_opt(2026, 12, d).expect("date");
    assert_eq!(closed.desk, [day(24), day(25), day(26), day(31)].into());
    assert_eq!(closed.off.values().cloned().collect::<Vec<_>>(), [[day(23)].into()]);
    // Opened again, the form shows them as runs.
    press(&mut app, KeyCode::Char('s'));
    let again = screen(&app, 80, 24);
    assert!(again.contains("24-12-2026 t/m 26-12-2026, 31-12-2026"), "{again}");
    assert!(crate::common::line_with(&again, "Vrij: Sara de Boer").contains("23-12-2026"), "{again}");
}
