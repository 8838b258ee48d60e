//! Signing in, the users screen and the lock, on screen: wrong passwords in one neutral line, the
//! wait after five, the lock covering every pane with nothing personal on it, and a form that
//! comes back as it was after unlocking.

use std::cell::Cell;
use std::rc::Rc;

use chrono::Duration;
use loket::app::{App, Overlay};
use loket::config::{Config, Lang};
use loket::i18n::Texts;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use crate::common::desk::{PASSWORD, filled_store, now};
use crate::common::{form_of, press, press_with, screen, sign_in, type_text};

/// The filled desk, with a clock the test moves.
fn desk(dir: &tempfile::TempDir) -> (App, Rc<Cell<chrono::DateTime<chrono::Utc>>>) {
    let (store, _) = filled_store(&dir.path().join("loket.db"));
    let clock = Rc::new(Cell::new(now()));
    let shared = Rc::clone(&clock);
    let app = App::new(store, Config::default(), Texts::new(Lang::Nl), Box::new(move || shared.get()));
    (app, clock)
}

fn ctrl(app: &mut App, c: char) {
    press_with(app, KeyCode::Char(c), KeyModifiers::CONTROL);
}

/// What must never show on a locked screen: the couples, their file, the queue, the notes.
const PERSONAL: [&str; 8] =
    ["Vries", "Jansen", "Öztürk", "Berg", "El Amrani", "2026-", "Spreekkamer", "Vastgelopen"];

#[test]
fn a_wrong_password_is_one_neutral_line_and_five_make_the_user_wait() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut app, clock) = desk(&dir);
    let s = screen(&app, 80, 24);
    assert!(s.contains("Wie bent u?") && s.contains("Henk Bos"), "{s}");
    press(&mut app, KeyCode::Enter);
    assert!(screen(&app, 80, 24).contains("Aanmelden als Henk Bos"));
    for n in 1..=4 {
        type_text(&mut app, "niet het wachtwoord");
        press(&mut app, KeyCode::Enter);
        let s = screen(&app, 80, 24);
        assert!(s.contains("Naam of wachtwoord klopt niet."), "try {n}:\n{s}");
        assert!(!s.contains("•"), "the field is emptied for the next try:\n{s}");
        assert!(app.user.is_none());
    }
    type_text(&mut app, "niet het wachtwoord");
    press(&mut app, KeyCode::Enter);
    let s = screen(&app, 80, 24);
    assert!(s.contains("Te vaak een verkeerd wachtwoord. Probeer het over 30 s opnieuw."), "{s}");
    // The right password, still within the wait, is not even checked.
    clock.set(now() + Duration::seconds(10));
    type_text(&mut app, PASSWORD);
    press(&mut app, KeyCode::Enter);
    assert!(screen(&app, 80, 24).contains("Probeer het over 20 s opnieuw."));
    assert!(app.user.is_none());
    clock.set(now() + Duration::seconds(31));
    type_text(&mut app, PASSWORD);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.user.as_ref().map(|u| u.name.as_str()), Some("Henk Bos"));
}

#[test]
fn the_password_is_never_shown_as_typed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut app, _) = desk(&dir);
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "geheim wachtwoord");
    let s = screen(&app, 80, 24);
    assert!(s.contains("•••••••••••••••••"), "{s}");
    assert!(!s.contains("geheim"), "{s}");
}

#[test]
fn the_lock_covers_every_pane_and_shows_nothing_personal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut app, _) = desk(&dir);
    sign_in(&mut app, "Henk Bos");
    crate::common::open_file(&mut app, "vries");
    for pane in ['1', '2', '3', '4', '5', '6'] {
        press(&mut app, KeyCode::Char(pane));
        let open = screen(&app, 80, 24);
        ctrl(&mut app, 'l');
        let locked = screen(&app, 80, 24);
        assert!(locked.contains("loket is vergrendeld"), "pane {pane}:\n{locked}");
        assert!(locked.contains("Henk Bos, typ uw wachtwoord om verder te gaan."), "pane {pane}:\n{locked}");
        for word in PERSONAL {
            assert!(!locked.contains(word), "{word:?} on the locked screen over pane {pane}:\n{locked}");
        }
        // Keys do nothing underneath while locked: 'q' is typed into the password, not a quit.
        type_text(&mut app, "q");
        assert!(!app.quit);
        ctrl(&mut app, 'u');
        type_text(&mut app, PASSWORD);
        press(&mut app, KeyCode::Enter);
        assert_eq!(screen(&app, 80, 24), open, "pane {pane} back as it was");
    }
}

#[test]
fn unlocking_brings_back_an_open_form_with_what_was_typed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut app, clock) = desk(&dir);
    sign_in(&mut app, "Ingrid Hoekstra");
    press(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "Anna");
    // Left alone for the configured five minutes: locked by the clock, without a key.
    clock.set(now() + Duration::minutes(4));
    app.update(loket::action::Action::Tick);
    assert!(!app.locked(), "not yet after four minutes");
    clock.set(now() + Duration::minutes(5));
    app.update(loket::action::Action::Tick);
    assert!(app.locked(), "locked after five minutes without a key");
    let locked = screen(&app, 80, 24);
    assert!(!locked.contains("Anna") && !locked.contains("Nieuwe inloper"), "{locked}");
    // A wrong password keeps it locked, in one line.
    type_text(&mut app, "fout");
    press(&mut app, KeyCode::Enter);
    assert!(screen(&app, 80, 24).contains("Naam of wachtwoord klopt niet."));
    type_text(&mut app, PASSWORD);
    press(&mut app, KeyCode::Enter);
    assert!(!app.locked());
    assert!(matches!(app.overlays.last(), Some(Overlay::Form(_))), "the form is back");
    assert_eq!(form_of(&app).and_then(|f| f.value("walk_in.given1")), Some("Anna"));
}

#[test]
fn f2_on_the_lock_ends_the_session_for_another_user() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut app, _) = desk(&dir);
    sign_in(&mut app, "Sara de Boer");
    crate::common::open_file(&mut app, "vries");
    ctrl(&mut app, 'l');
    press(&mut app, KeyCode::F(2));
    assert!(app.user.is_none() && app.file.is_none() && app.overlays.is_empty(), "nothing of Sara's stays");
    assert!(screen(&app, 80, 24).contains("Wie bent u?"));
}

#[test]
fn only_a_coordinator_reaches_the_users_screen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut app, _) = desk(&dir);
    sign_in(&mut app, "Ingrid Hoekstra");
    let s = screen(&app, 120, 40);
    assert!(!s.contains("Gebruikers"), "no tab for a receptionist:\n{s}");
    press(&mut app, KeyCode::Char('6'));
    let s = screen(&app, 120, 40);
    assert!(s.contains("Alleen een coördinator beheert gebruikers."), "{s}");
    assert!(s.contains("1 Wachtrij"), "still on the queue:\n{s}");
    press(&mut app, KeyCode::Char('w'));
    sign_in(&mut app, "Henk Bos");
    press(&mut app, KeyCode::Char('6'));
    insta::assert_snapshot!(screen(&app, 80, 24));
}

#[test]
fn a_user_changes_their_own_password_with_the_old_one_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut app, _) = desk(&dir);
    sign_in(&mut app, "Pieter Kok");
    ctrl(&mut app, 'p');
    assert!(screen(&app, 80, 24).contains("Uw wachtwoord wijzigen"));
    type_text(&mut app, "niet het oude");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "pieter fietst graag");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "pieter fietst graag");
    press(&mut app, KeyCode::Enter);
    assert!(screen(&app, 80, 24).contains("Het wachtwoord klopt niet."));
    // The form stays, with what was typed; back to the first field for the right old one.
    press(&mut app, KeyCode::Tab);
    ctrl(&mut app, 'u');
    type_text(&mut app, PASSWORD);
    press(&mut app, KeyCode::Enter); // moves on
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter); // the last field saves
    let s = screen(&app, 80, 24);
    assert!(s.contains("Uw wachtwoord is gewijzigd."), "{s}");
    press(&mut app, KeyCode::Char('w'));
    press(&mut app, KeyCode::End);
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "pieter fietst graag");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.user.as_ref().map(|u| u.name.as_str()), Some("Pieter Kok"));
}

#[test]
fn the_demo_s_password_is_shown_whole_under_the_list() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut app, _) = desk(&dir);
    app.login.notice =
        Some(app.texts.f("login.demo_passwords", &[("password", &loket::demo::DEMO_PASSWORD)]));
    for (w, h) in [(80, 24), (60, 16)] {
        let s = screen(&app, w, h);
        assert!(s.contains("Demo: elke gebruiker heeft het wachtwoord loket-demo"), "{w}×{h}:\n{s}");
    }
}

#[test]
fn the_coordinator_sees_who_opened_the_file_and_a_receptionist_sees_no_log() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut app, _) = desk(&dir);
    sign_in(&mut app, "Sara de Boer");
    crate::common::open_file(&mut app, "vries");
    press(&mut app, KeyCode::Char('w'));
    sign_in(&mut app, "Ingrid Hoekstra");
    crate::common::open_file(&mut app, "vries");
    press(&mut app, KeyCode::Char('a'));
    let s = screen(&app, 120, 40);
    assert!(s.contains("Het toegangslog van een dossier is voor hulpverleners en de coördinator."), "{s}");
    assert!(app.overlays.is_empty());
    press(&mut app, KeyCode::Char('w'));
    sign_in(&mut app, "Henk Bos");
    crate::common::open_file(&mut app, "vries");
    press(&mut app, KeyCode::Char('a'));
    let s = screen(&app, 120, 40);
    let title = s.lines().find(|l| l.contains("Wie zag of wijzigde dossier")).unwrap_or_default().to_owned();
    assert!(title.contains("2026-"), "{s}");
    // Newest first: Henk's own opening, then Ingrid's, then Sara's; each with the search before it.
    let opened: Vec<&str> = s.lines().filter(|l| l.contains("dossier geopend")).collect();
    assert_eq!(opened.len(), 3, "{s}");
    for (line, who) in opened.iter().zip(["Henk Bos", "Ingrid Hoekstra", "Sara de Boer"]) {
        assert!(line.contains(who), "{who} in {line:?}:\n{s}");
    }
    // The log's codes in words: what changed, never English codes on a Dutch screen.
    assert!(s.contains("levensgebeurtenis") && s.contains("ingeschreven, nieuw dossier"), "{s}");
    assert!(s.contains("traject begonnen") && s.contains("gepland"), "the planning in words:\n{s}");
    for code in ["life_event", "registered", "referral_out", "in_conversation", "planned", "started"] {
        assert!(!s.contains(code), "{code:?} on screen:\n{s}");
    }
    // No content of the file in the log: no partner's name.
    let log: String = s.lines().skip_while(|l| !l.contains("Wie zag of wijzigde")).collect();
    assert!(!log.contains("Vries") && !log.contains("Jansen"), "{s}");
    press(&mut app, KeyCode::Esc);
    assert!(app.overlays.is_empty());
}
