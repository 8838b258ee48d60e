//! The screens, drawn on ratatui's TestBackend, with keys fed through the real keymap.

use crate::common::desk::{morning_queue, now};
use crate::common::{assert_nothing_cut, line_with, press, press_with, screen, type_text};

use std::cell::Cell;
use std::rc::Rc;

use chrono::{DateTime, Duration, Utc};
use loket::app::App;
use loket::config::{Config, Lang};
use loket::domain::user::Role;
use loket::i18n::Texts;
use loket::store::Store;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

struct Desk {
    app: App,
    clock: Rc<Cell<DateTime<Utc>>>,
    _dir: tempfile::TempDir,
}

/// A desk with a receptionist, two counsellors and a morning's queue; signed in as the receptionist.
fn desk(lang: Lang, with_queue: bool) -> Desk {
    desk_with(lang, with_queue, false)
}

/// The desk; with `concern`, the first couple has an open concern (zorgsignaal).
fn desk_with(lang: Lang, with_queue: bool, concern: bool) -> Desk {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("loket.db")).expect("open");
    let t0 = now() - Duration::minutes(30);
    store.seed_user("Ingrid Hoekstra", &[Role::Receptionist], crate::common::desk::hash(), t0).expect("user");
    let sara =
        store.seed_user("Sara de Boer", &[Role::Counsellor], crate::common::desk::hash(), t0).expect("user");
    let pieter =
        store.seed_user("Pieter Kok", &[Role::Counsellor], crate::common::desk::hash(), t0).expect("user");
    if with_queue {
        let first = [("IJsbrand", "van der", "Wêreld"), ("Els", "", "Jansen")];
        morning_queue(&mut store, t0, &first, 25, (sara.id, pieter.id), true);
        if concern {
            let couple = store.find_couples("berg", 1).expect("find")[0].id;
            store.open_concern(couple, "Dreiging thuis", &sara, t0).expect("concern");
        }
    }
    let clock = Rc::new(Cell::new(now()));
    let shared = Rc::clone(&clock);
    let mut app = App::new(store, Config::default(), Texts::new(lang), Box::new(move || shared.get()));
    press(&mut app, KeyCode::Enter); // Ingrid is first in the list
    crate::common::type_text(&mut app, crate::common::desk::PASSWORD);
    press(&mut app, KeyCode::Enter);
    Desk { app, clock, _dir: dir }
}

/// The names in the queue, each partner's, and the counsellors: never cut off.
const NAMES: [&str; 6] =
    ["Öztürk, Ayşe", "Berg, Jan van den", "El Amrani, Mo", "Visser, Zoë", "Pieter Kok", "Sara de Boer"];

/// The line of a screen, by number.
fn line(screen: &str, n: usize) -> &str {
    screen.lines().nth(n).unwrap_or_default()
}

#[test]
fn queue_dutch_80x24() {
    let d = desk(Lang::Nl, true);
    let s = screen(&d.app, 80, 24);
    // The summary in its short form, the hidden finished walk-in and how to show it included.
    assert_eq!(line(&s, 1), "2 wachtend · gem. 14 min · max. 18 min · 1 in gesprek · 1 afgerond (f toont)");
    // Each name whole; the status takes a second line for the counsellor rather than cut a name.
    assert!(line_with(&s, "Öztürk, Ayşe ").ends_with(" in gesprek"), "{s}");
    assert!(line(&s, 5).ends_with(" Pieter Kok"), "{s}");
    assert!(line_with(&s, "Berg, Jan van den & El Amrani, Mo ").ends_with(" wacht"), "{s}");
    assert!(line_with(&s, "Visser, Zoë ").ends_with(" wacht"), "{s}");
    // The key hints take two lines: none of the queue's keys is left out (issue 15, defect 5).
    assert_eq!(line(&s, 21), "? help  q stoppen  / zoeken  n nieuw  c oproepen  d klaar  x weg  u ongedaan");
    assert_eq!(line(&s, 22), "f afgerond  o dossier");
    assert_nothing_cut(&s, &NAMES);
    insta::assert_snapshot!(s);
}

#[test]
fn queue_dutch_120x40() {
    let d = desk(Lang::Nl, true);
    insta::assert_snapshot!(screen(&d.app, 120, 40));
}

#[test]
fn queue_english_80x24() {
    let mut d = desk(Lang::En, true);
    let s = screen(&d.app, 80, 24);
    assert_eq!(line(&s, 1), "2 waiting · avg. 14 min · max. 18 min · 1 talking · 1 finished (f shows)");
    assert!(line_with(&s, "Öztürk, Ayşe ").ends_with(" talking"), "{s}");
    assert!(line(&s, 5).ends_with(" Pieter Kok"), "{s}");
    assert!(line_with(&s, "Berg, Jan van den & El Amrani, Mo ").ends_with(" waiting"), "{s}");
    assert_eq!(line(&s, 21), "? help  q quit  / find  n new  c call in  d done  x left  u undo  f finished");
    assert_eq!(line(&s, 22), "o file");
    assert_nothing_cut(&s, &NAMES);
    insta::assert_snapshot!(s);
    // With the finished walk-in shown, the summary no longer says it is hidden.
    press(&mut d.app, KeyCode::Char('f'));
    let s = screen(&d.app, 80, 24);
    assert_eq!(line(&s, 1), "2 waiting · avg. wait 14 min · longest 18 min · 1 in conversation · 1 finished");
    assert!(line_with(&s, "── Finished (1) ──").starts_with("   "), "{s}");
    assert_nothing_cut(&s, &NAMES);
}

#[test]
fn queue_english_120x40_with_finished_shown() {
    let mut d = desk(Lang::En, true);
    press(&mut d.app, KeyCode::Char('f'));
    insta::assert_snapshot!(screen(&d.app, 120, 40));
}

#[test]
fn waiting_times_are_live() {
    let mut d = desk(Lang::Nl, true);
    let before = screen(&d.app, 120, 40);
    assert!(before.contains("langste 18 min"), "{before}");
    // Ten minutes without a key would lock the screen after the default five.
    d.app.config.lock_after_minutes = 15;
    d.clock.set(now() + Duration::minutes(10));
    d.app.update(loket::action::Action::Tick);
    let after = screen(&d.app, 120, 40);
    assert!(after.contains("langste 28 min"), "{after}");
}

#[test]
fn empty_queue_and_the_walk_in_form() {
    let mut d = desk(Lang::Nl, false);
    insta::assert_snapshot!("empty_queue_80x24", screen(&d.app, 80, 24));
    press(&mut d.app, KeyCode::Char('n'));
    type_text(&mut d.app, "IJsbrand");
    insta::assert_snapshot!("walk_in_form_80x24", screen(&d.app, 80, 24));
}

#[test]
fn saving_without_names_marks_the_fields_and_keeps_the_typing() {
    let mut d = desk(Lang::Nl, false);
    press(&mut d.app, KeyCode::Char('n'));
    press(&mut d.app, KeyCode::Tab);
    press(&mut d.app, KeyCode::Tab);
    type_text(&mut d.app, "Wêreld");
    press_with(&mut d.app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let s = screen(&d.app, 80, 24);
    insta::assert_snapshot!("walk_in_form_errors_80x24", s);
    assert!(s.contains("Dit veld is verplicht."), "{s}");
    assert!(s.contains("Wêreld"), "{s}");
}

#[test]
fn registering_calling_in_and_finishing_through_the_keys() {
    let mut d = desk(Lang::Nl, false);
    press(&mut d.app, KeyCode::Char('n'));
    for (text, tabs) in [("IJsbrand", 1), ("van der", 1), ("Wêreld", 1), ("Els", 2), ("Jansen", 0)] {
        type_text(&mut d.app, text);
        for _ in 0..tabs {
            press(&mut d.app, KeyCode::Tab);
        }
    }
    press_with(&mut d.app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(d.app.overlays.is_empty(), "form closed after saving");
    press(&mut d.app, KeyCode::Char('c'));
    press(&mut d.app, KeyCode::Down); // Sara de Boer, after Pieter Kok
    press(&mut d.app, KeyCode::Enter);
    let called = screen(&d.app, 120, 40);
    assert!(called.contains("in gesprek · Sara de Boer"), "{called}");
    press(&mut d.app, KeyCode::Char('d'));
    let s = screen(&d.app, 80, 24);
    // Too long for one line beside the other columns: a line per partner, each name whole.
    let lines: Vec<&str> = s.lines().collect();
    assert!(lines[4].starts_with("1  09:30 0 min Wêreld, IJsbrand van der &  "), "{s}");
    assert!(lines[4].ends_with(" beiden versterken in gesprek"), "{s}");
    // The counsellor on the status's second line, whole.
    assert!(lines[5].trim().starts_with("Jansen, Els ") && lines[5].ends_with(" Sara de Boer"), "{s}");
    assert_nothing_cut(&s, &["Wêreld, IJsbrand van der", "Jansen, Els", "Sara de Boer"]);
    assert_eq!(line(&s, 22), "Enter kiezen  Esc annuleren");
    insta::assert_snapshot!("outcome_picker_80x24", s);
    press(&mut d.app, KeyCode::Enter);
    press(&mut d.app, KeyCode::Char('f'));
    let done = screen(&d.app, 120, 40);
    assert!(done.contains("klaar: eenmalig gesprek gevoerd"), "{done}");
    press(&mut d.app, KeyCode::Char('u'));
    let undone = screen(&d.app, 120, 40);
    assert!(undone.contains("in gesprek · Sara de Boer"), "{undone}");
}

#[test]
fn a_busy_counsellor_is_marked_and_asks_first() {
    let mut d = desk(Lang::Nl, true);
    // Walk-ins waiting: van den Berg and Visser, in arrival order; Pieter is talking with Öztürk.
    press(&mut d.app, KeyCode::Down); // skip Öztürk (in conversation)
    press(&mut d.app, KeyCode::Char('c'));
    let picker = screen(&d.app, 80, 24);
    assert!(picker.contains("Pieter Kok  (al in gesprek)"), "{picker}");
    press(&mut d.app, KeyCode::Enter);
    let question = screen(&d.app, 80, 24);
    assert!(question.contains("Pieter Kok is al in gesprek"), "{question}");
    press(&mut d.app, KeyCode::Char('n'));
    assert!(d.app.overlays.is_empty());
    let berg = d.app.queue.selected().expect("selected");
    assert_eq!(berg.couple.partners[0].surname, "Berg");
    assert_eq!(berg.state.status, loket::domain::walkin::Status::Waiting, "a no leaves the walk-in waiting");
    press(&mut d.app, KeyCode::Char('c'));
    press(&mut d.app, KeyCode::Enter);
    press(&mut d.app, KeyCode::Char('j'));
    let berg = d.app.queue.selected().expect("selected");
    assert_eq!(berg.state.status, loket::domain::walkin::Status::InConversation, "a yes calls in");
}

#[test]
fn help_is_built_from_the_keymap() {
    let mut d = desk(Lang::Nl, true);
    press(&mut d.app, KeyCode::Char('?'));
    insta::assert_snapshot!("help_80x24", screen(&d.app, 80, 24));
    press(&mut d.app, KeyCode::Esc);
    assert!(d.app.overlays.is_empty());
}

#[test]
fn too_small_and_tiny_sizes_never_panic() {
    let d = desk(Lang::Nl, true);
    let s = screen(&d.app, 59, 16);
    assert!(s.contains("Het venster is te klein"), "{s}");
    for (w, h) in [(1, 1), (2, 1), (1, 30), (60, 16), (61, 17), (300, 100), (15, 3)] {
        screen(&d.app, w, h);
    }
}

#[test]
fn first_start_asks_for_the_first_user() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("loket.db")).expect("open");
    let mut app = App::new(store, Config::default(), Texts::new(Lang::Nl), Box::new(now));
    let s = screen(&app, 80, 24);
    assert!(s.contains("Welkom bij loket: u bent de eerste gebruiker (coördinator)"), "{s}");
    type_text(&mut app, "IJsbrand van der Wêreld");
    press(&mut app, KeyCode::Tab);
    // The own name is refused as a password; the two passwords must agree.
    type_text(&mut app, "IJsbrand van der Wêreld");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "IJsbrand van der Wêreld");
    press_with(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(app.user.is_none());
    assert!(screen(&app, 80, 24).contains("Uw eigen naam is geen goed wachtwoord."));
    press_with(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_text(&mut app, "fietsen langs de dijk");
    press(&mut app, KeyCode::Tab);
    press_with(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_text(&mut app, "fietsen langs de dyk");
    press_with(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(screen(&app, 80, 24).contains("De twee wachtwoorden verschillen."));
    press_with(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_text(&mut app, "fietsen langs de dijk");
    press(&mut app, KeyCode::Enter); // Enter on the last field saves
    let user = app.user.clone().expect("signed in");
    assert_eq!(
        (user.name.as_str(), user.roles.as_slice()),
        ("IJsbrand van der Wêreld", &[Role::Coordinator][..])
    );
    assert!(screen(&app, 80, 24).contains("1 Wachtrij"));
}

#[test]
fn undo_after_left_restores_that_walk_in_not_the_selected_one() {
    let mut d = desk(Lang::Nl, true);
    // Selected: Öztürk (in conversation with Pieter). Move to van den Berg and mark as left.
    press(&mut d.app, KeyCode::Down);
    press(&mut d.app, KeyCode::Char('x'));
    let left = screen(&d.app, 120, 40);
    assert!(left.contains("Nummer 3 is weggegaan"), "{left}");
    // Berg is now hidden among the finished; the selection moved to another row.
    press(&mut d.app, KeyCode::Char('u'));
    let undone = screen(&d.app, 120, 40);
    assert!(undone.contains("Laatste wijziging van nummer 3 is ongedaan gemaakt."), "{undone}");
    assert!(undone.contains("in gesprek · Pieter Kok"), "the other conversation is untouched: {undone}");
    let berg = d.app.queue.selected().expect("selected");
    assert_eq!((berg.ticket, berg.state.status), (3, loket::domain::walkin::Status::Waiting));
}

#[test]
fn the_form_scrolls_to_the_focused_field_in_a_low_window() {
    let mut d = desk(Lang::Nl, false);
    press(&mut d.app, KeyCode::Char('n'));
    for _ in 0..8 {
        press(&mut d.app, KeyCode::Tab);
    }
    type_text(&mut d.app, "hallo");
    let s = screen(&d.app, 60, 16);
    assert!(s.contains("▸ Notitie (kort)        hallo"), "{s}");
}

#[test]
fn f1_opens_help_over_a_form_and_it_lists_the_form_keys() {
    let mut d = desk(Lang::Nl, false);
    press(&mut d.app, KeyCode::Char('n'));
    press(&mut d.app, KeyCode::F(1));
    let s = screen(&d.app, 80, 24);
    assert!(s.contains("Help: toetsen") && s.contains("Ctrl-S"), "{s}");
    press(&mut d.app, KeyCode::Char('?'));
    assert!(matches!(d.app.overlays.last(), Some(loket::app::Overlay::Form(_))), "help closed, form kept");
}

/// An open concern shows the receptionist only the neutral "apart ontvangen" in the queue.
#[test]
fn the_receptionist_sees_apart_in_the_queue_and_nothing_more() {
    let d = desk_with(Lang::Nl, true, true);
    let small = screen(&d.app, 80, 24);
    assert!(small.contains("apart ontvangen"), "{small}");
    assert!(!small.contains("Dreiging") && !small.contains("zorgsignaal"), "{small}");
    insta::assert_snapshot!("queue_apart_receptionist_80x24", small);
}

/// Esc on "is this the same couple?" decides nothing: back to the form, what was typed kept, and
/// no walk-in registered (issue 14, defect 16).
#[test]
fn esc_on_the_same_couple_question_goes_back_to_the_form() {
    let mut d = desk(Lang::Nl, true);
    let count = |d: &Desk| d.app.store_for_tests().walk_ins_on(now().date_naive()).map(|w| w.len()).ok();
    let before = count(&d);
    press(&mut d.app, KeyCode::Char('n'));
    for (text, tabs) in [("Els", 2), ("Jansen", 1), ("Kees", 2), ("Vries", 0)] {
        type_text(&mut d.app, text);
        for _ in 0..tabs {
            press(&mut d.app, KeyCode::Tab);
        }
    }
    press_with(&mut d.app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let question = screen(&d.app, 120, 40);
    assert!(question.contains("Er is al een dossier met deze naam"), "{question}");
    press(&mut d.app, KeyCode::Esc);
    assert!(matches!(d.app.overlays.last(), Some(loket::app::Overlay::Form(_))), "back to the form");
    assert_eq!(d.app.overlays.len(), 1);
    let form = screen(&d.app, 120, 40);
    assert!(form.contains("Jansen") && form.contains("Kees") && form.contains("Vries"), "{form}");
    assert!(!form.contains("Er is al een dossier"), "{form}");
    assert_eq!(count(&d), before, "nothing registered");
}

/// A zero-width joiner typed inside a Latin name is dropped at input (issue 14, defect 14): the name
/// is stored and shown as `Jansen`, and the row's columns stay in line with the header.
#[test]
fn a_zero_width_joiner_in_a_typed_name_leaves_the_row_in_line() {
    let mut d = desk(Lang::Nl, false);
    press(&mut d.app, KeyCode::Char('n'));
    for (text, tabs) in [("Els", 2), ("Jan\u{200D}sen", 1), ("Kees", 2), ("Vries", 0)] {
        type_text(&mut d.app, text);
        for _ in 0..tabs {
            press(&mut d.app, KeyCode::Tab);
        }
    }
    press_with(&mut d.app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(d.app.overlays.is_empty(), "registered");
    let s = screen(&d.app, 120, 40);
    let header = line_with(&s, "Naam");
    let row = line_with(&s, "Vries, Kees");
    assert!(row.contains("Jansen, Els & Vries, Kees") && !row.contains('\u{200D}'), "{row:?}");
    let column = |l: &str, word: &str| l.find(word).map(|at| l[..at].chars().count());
    assert_eq!(column(row, "beiden"), column(header, "Wie"), "in line:\n{header}\n{row}");
    let w = &d.app.queue.walk_ins[0];
    assert_eq!(w.couple.partners[0].surname, "Jansen");
}

/// The find popup says when more couples match than it shows, and how many, in the user's
/// language; with no more than it shows, no such line.
#[test]
fn the_find_popup_says_how_many_more_match_at_80x24() {
    for (lang, twelve, many) in [
        (Lang::Nl, "8 van 12 — typ verder", "8 van meer dan 1.000 — typ verder"),
        (Lang::En, "8 of 12 — keep typing", "8 of more than 1,000 — keep typing"),
    ] {
        let mut d = desk(lang, false);
        {
            let conn = rusqlite::Connection::open(d.app.store_for_tests().path()).expect("second connection");
            for (seq, given, surname) in
                (1..=12).map(|n| (n, "Els", "Jansen")).chain((100..1105).map(|n| (n, "Jan", "Bakker")))
            {
                conn.execute(
                    "INSERT INTO couples (file_year, file_seq, request, source, created_at)
                     VALUES (2025, ?1, 'repair', 'self', '2025-01-06T09:00:00Z')",
                    [seq],
                )
                .expect("couple");
                let key = format!("{} {} ", surname.to_lowercase(), given.to_lowercase());
                conn.execute(
                    "INSERT INTO partners (couple_id, position, given_name, prefix, surname, sort_key, given_key)
                     VALUES (?1, 1, ?2, '', ?3, ?4, lower(?2))",
                    rusqlite::params![conn.last_insert_rowid(), given, surname, key],
                )
                .expect("partner");
            }
        }
        press(&mut d.app, KeyCode::Char('/'));
        type_text(&mut d.app, "jans");
        let s = screen(&d.app, 80, 24);
        assert_eq!(s.matches("Jansen, Els").count(), 8, "{s}");
        assert!(line_with(&s, twelve).contains(&format!("│{twelve}")), "{s}");
        for _ in 0..4 {
            press(&mut d.app, KeyCode::Backspace);
        }
        type_text(&mut d.app, "bakker");
        let s = screen(&d.app, 80, 24);
        assert!(s.contains(many), "{s}");
        type_text(&mut d.app, " jan");
        assert!(screen(&d.app, 80, 24).contains(many));
        for _ in 0.." jan".len() + "bakker".len() {
            press(&mut d.app, KeyCode::Backspace);
        }
        type_text(&mut d.app, "2025-7");
        let s = screen(&d.app, 80, 24);
        assert!(s.contains("2025-007  Jansen, Els") && !s.contains(twelve) && !s.contains(many), "{s}");
    }
}
