//! Issue 15 on the file pane at 80x24: the walk-in's short note, long notes that show their newest
//! lines and scroll, life events that never run into the notes (an expected birth too), closing
//! without a default outcome, and the children at home typed without a stray 0.

use crate::common::desk::{desk, now};
use crate::common::{ctrl, form_of, press, screen, sign_in, type_text};

use chrono::Duration;
use loket::app::App;
use loket::config::{Config, Lang};
use loket::domain::couple::{Request, Source};
use loket::domain::file::{FileStatus, LifeEventKind};
use loket::domain::names::PersonName;
use loket::domain::walkin::{Attendance, CoupleRef, NewWalkIn};
use loket::i18n::Texts;
use loket::store::Store;
use ratatui::crossterm::event::KeyCode;

const NOTE: &str = "Kwam op advies van school, zoon (8) heeft last van ruzies";

/// A desk with one couple that came to the walk-in hour this morning with a short note; the app
/// signed in as `user`, the file `2026-001` open.
fn app_as(user: &str, notes: Option<&str>, event: Option<LifeEventKind>) -> (App, tempfile::TempDir) {
    let mut d = desk();
    let walk_in = NewWalkIn {
        couple: CoupleRef::New(vec![
            PersonName::new("Els", "", "Jansen"),
            PersonName::new("Piet", "", "Jansen"),
        ]),
        attendance: Attendance::Both,
        request: Request::Separation,
        source: Source::School,
        note: NOTE.to_owned(),
    };
    let t0 = now() - Duration::minutes(20);
    let id = d.store.register_walk_in(&walk_in, t0, Some(d.receptionist.id)).expect("register");
    let couple = d.store.walk_in(id).expect("walk-in").couple.id;
    let sara = d.counsellor.clone();
    let version = |s: &Store| s.read_file(couple, &sara).expect("file").version;
    if let Some(kind) = event {
        d.store.add_life_event(couple, version(&d.store), kind, None, &sara, t0).expect("event");
    }
    if let Some(text) = notes {
        d.store.save_notes(couple, version(&d.store), text, &sara, t0).expect("notes");
    }
    let store = Store::open(&d.path).expect("open");
    let mut app = App::new(store, Config::default(), Texts::new(Lang::Nl), Box::new(now));
    sign_in(&mut app, user);
    crate::common::open_file(&mut app, "jansen");
    (app, d.dir)
}

#[test]
fn a_counsellor_reads_the_walk_ins_note_in_the_timeline_and_the_queue_marks_it() {
    let (mut app, _dir) = app_as("Sara de Boer", None, None);
    let s = screen(&app, 80, 24);
    let walk_in = s.lines().position(|l| l.contains("Inloop nr 1: wacht")).unwrap_or_else(|| panic!("{s}"));
    let below: String = s.lines().skip(walk_in + 1).take(2).collect::<Vec<_>>().join(" ");
    assert!(below.contains("✎ Kwam op advies van school, zoon (8)") && below.contains("ruzies"), "{s}");
    // The queue row carries a sign only, for every role.
    press(&mut app, KeyCode::Char('1'));
    let queue = screen(&app, 80, 24);
    assert!(queue.lines().any(|l| l.trim_start().starts_with("1✎")), "{queue}");
    assert!(!queue.contains("advies"), "{queue}");
}

#[test]
fn a_receptionist_sees_that_the_walk_in_has_a_note_never_its_text() {
    let (mut app, _dir) = app_as("Ria Balie", None, None);
    let s = screen(&app, 80, 24);
    assert!(crate::common::line_with(&s, "Inloop nr 1: wacht").ends_with('✎'), "{s}");
    assert!(!s.contains("advies"), "{s}");
    press(&mut app, KeyCode::Char('1'));
    let queue = screen(&app, 80, 24);
    assert!(queue.lines().any(|l| l.trim_start().starts_with("1✎")) && !queue.contains("advies"), "{queue}");
    assert!(!format!("{:?} {:?}", app.file, app.queue).contains("advies"), "no note text in the state");
}

#[test]
fn long_notes_show_their_newest_lines_say_there_is_more_and_scroll() {
    let notes: Vec<String> = (1..=9).map(|n| format!("regel {n}")).collect();
    let (mut app, _dir) = app_as("Sara de Boer", Some(&notes.join("\n")), None);
    let s = screen(&app, 80, 24);
    assert!(
        s.contains("regel 9") && !s.contains("regel 1 ") && !s.lines().any(|l| l.ends_with("regel 1")),
        "{s}"
    );
    assert!(s.contains("regels eerder (PgUp)"), "{s}");
    insta::assert_snapshot!("file_long_notes_80x24", s);
    for _ in 0..3 {
        press(&mut app, KeyCode::PageUp);
    }
    let back = screen(&app, 80, 24);
    assert!(back.lines().any(|l| l.ends_with("regel 1")) && back.contains("regels later (PgDn)"), "{back}");
    assert!(!back.contains("regel 9"), "{back}");
    for _ in 0..3 {
        press(&mut app, KeyCode::PageDown);
    }
    assert!(screen(&app, 80, 24).contains("regel 9"));
}

#[test]
fn life_events_and_notes_never_run_together_at_80x24() {
    let (app, _dir) = app_as("Sara de Boer", Some("ontslag in september."), Some(LifeEventKind::Birth));
    let s = screen(&app, 80, 24);
    assert!(!s.contains("onbekenontslag") && s.contains("datum onbekend"), "{s}");
    let row = crate::common::line_with(&s, "ontslag in september.");
    assert!(row.contains("  ontslag in september."), "two columns apart: {row:?}\n{s}");
}

#[test]
fn an_expected_birth_is_added_with_its_date_ahead() {
    let (mut app, _dir) = app_as("Sara de Boer", None, None);
    press(&mut app, KeyCode::Char('l'));
    press(&mut app, KeyCode::Right); // geboorte van een kind
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "1-3-2027");
    ctrl(&mut app, 's');
    let s = screen(&app, 80, 24);
    assert!(app.overlays.is_empty(), "saved: {s}");
    assert!(s.contains("geboorte van een kind") && s.contains("verwacht 01-03-2027"), "{s}");
}

#[test]
fn closing_has_no_default_outcome() {
    let (mut app, _dir) = app_as("Sara de Boer", None, None);
    press(&mut app, KeyCode::Char('s'));
    press(&mut app, KeyCode::End);
    press(&mut app, KeyCode::Enter); // gesloten
    let form = screen(&app, 80, 24);
    assert!(form.contains("kies de uitkomst") && !form.contains("samen en versterkt"), "{form}");
    ctrl(&mut app, 's');
    let s = screen(&app, 80, 24);
    assert!(s.contains("Kies hoe het dossier afliep."), "{s}");
    assert_eq!(app.file.as_ref().map(|f| f.status), Some(FileStatus::New), "nothing saved");
}

#[test]
fn typing_the_children_at_home_gives_that_number() {
    let (mut app, _dir) = app_as("Sara de Boer", None, None);
    press(&mut app, KeyCode::Char('e'));
    for _ in 0..20 {
        if form_of(&app).and_then(|f| f.focused()).map(|f| f.label) == Some("file.children") {
            break;
        }
        press(&mut app, KeyCode::Tab);
    }
    type_text(&mut app, "3");
    assert_eq!(form_of(&app).and_then(|f| f.value("file.children")), Some("3"));
    ctrl(&mut app, 's');
    assert_eq!(app.file.as_ref().map(|f| f.children), Some(3));
}

#[test]
fn a_note_line_whose_start_is_scrolled_off_shows_that_it_goes_on() {
    let line = "ruzie over geld sinds het ontslag in september, afspraak gemaakt";
    let mut notes: Vec<String> = (1..=6).map(|n| format!("Gesprek {n}: {line}")).collect();
    notes.push("Laatste regel".to_owned());
    let (app, _dir) = app_as("Sara de Boer", Some(&notes.join("\n")), None);
    let s = screen(&app, 80, 24);
    let marker = s.lines().position(|l| l.contains("regels eerder (PgUp)")).unwrap_or_else(|| panic!("{s}"));
    let next = s.lines().nth(marker + 1).unwrap_or_default();
    assert!(next.ends_with("…ontslag in september, afspraak gemaakt"), "{s}");
    assert!(s.contains("Gesprek 6:") && s.contains("Laatste regel"), "{s}");
}
