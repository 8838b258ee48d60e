//! Nothing lost (issue 7, point 7): hostile text typed and pasted into the forms is stored clean,
//! found however it is typed, and never acts as a key. Keys go through the real keymap; a bracketed
//! paste is `Action::Paste`, as the event loop sends it.

use std::path::Path;

use loket::app::{App, Overlay};
use loket::domain::couple::Request;
use loket::domain::walkin::desk_day;
use ratatui::crossterm::event::KeyCode;
use unicode_width::UnicodeWidthStr;

use crate::common::db::{dump, raw};
use crate::common::desk::{app_on, filled_store, now, walk_in};
use crate::common::shown::{column_of, from_column, rows, screen};
use crate::common::{ctrl, draw, form_of, open_file, paste, press, sign_in, top_form_kind, type_text};

const NO_SUCH_DATE: &str = "Deze datum bestaat niet.";

/// The partners of the walk-in with this ticket today, as stored: (given, prefix, surname, sort_key, given_key).
fn stored_partners(path: &Path, ticket: u32) -> Vec<(String, String, String, String, String)> {
    let conn = raw(path);
    let mut stmt = conn
        .prepare(
            "SELECT p.given_name, p.prefix, p.surname, p.sort_key, p.given_key
             FROM partners p JOIN walk_ins w ON w.couple_id = p.couple_id
             WHERE w.day = ?1 AND w.ticket = ?2 ORDER BY p.position",
        )
        .expect("select");
    stmt.query_map(rusqlite::params![desk_day(now()).to_string(), ticket], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .expect("partners")
    .collect::<rusqlite::Result<_>>()
    .expect("partners")
}

fn walk_in_count(path: &Path) -> i64 {
    raw(path).query_row("SELECT count(*) FROM walk_ins", [], |r| r.get(0)).expect("count")
}

/// What goes into one name field of the walk-in form: typed, pasted, or left empty.
enum Input {
    Type(&'static str),
    Paste(&'static str),
    Skip,
}
use Input::*;

/// Opens the walk-in form, fills its name fields one input a field (Tab between), saves, and
/// returns the ticket the save announced.
fn register_names(app: &mut App, inputs: &[Input]) -> u32 {
    press(app, KeyCode::Char('n'));
    for (i, input) in inputs.iter().enumerate() {
        if i > 0 {
            press(app, KeyCode::Tab);
        }
        match input {
            Type(text) => type_text(app, text),
            Paste(text) => paste(app, text),
            Skip => {}
        }
    }
    ctrl(app, 's');
    registered_ticket(app)
}

/// The ticket the last save announced ("Ingeschreven: nummer 4, …").
fn registered_ticket(app: &App) -> u32 {
    let flash = app.flash.as_ref().map(|f| f.text.clone()).unwrap_or_default();
    assert!(
        flash.starts_with("Ingeschreven: nummer "),
        "registered: {flash:?} (overlays: {})",
        app.overlays.len()
    );
    flash["Ingeschreven: nummer ".len()..]
        .split(',')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a ticket number")
}

#[test]
fn hostile_names_typed_and_pasted_are_stored_clean() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let (store, _) = filled_store(&path);
    let mut app = app_on(store);
    sign_in(&mut app, "Ingrid Hoekstra");

    // 1. NFD typed (e + combining circumflex), the IJ digraph, a zero-width space and a bidi override.
    let first_couple = [
        Type("IJsbrand"),
        Paste("van der"),
        Type("We\u{0302}reld"),
        Type("An\u{200B}na"),
        Skip,
        Paste("Jan\u{202E}sen"),
    ];
    let first = register_names(&mut app, &first_couple);

    // 2. Arabic and Hebrew, pasted and typed, with bidi marks and isolates around them.
    let second_couple = [
        Paste("\u{2067}مريم\u{2069}"),
        Skip,
        Type("Haddad"),
        Type("\u{200F}אבי"),
        Skip,
        Paste("Cohen\u{200E}"),
    ];
    let second = register_names(&mut app, &second_couple);

    // 3. One partner: an emoji family with joiners, pasted; a tab in a paste is text, not a key.
    press(&mut app, KeyCode::Char('n'));
    press(&mut app, KeyCode::BackTab); // to "Wie kwam"
    press(&mut app, KeyCode::Right); // één partner
    press(&mut app, KeyCode::Tab);
    paste(&mut app, "Noa\t👨\u{200D}👩\u{200D}👧");
    assert_eq!(
        form_of(&app).and_then(|f| f.focused()).map(|f| f.label),
        Some("walk_in.given1"),
        "a pasted tab does not move on"
    );
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "Öztürk");
    ctrl(&mut app, 's');
    let third = registered_ticket(&app);

    let p = stored_partners(&path, first);
    assert_eq!(
        (p[0].0.as_str(), p[0].1.as_str(), p[0].2.as_str()),
        ("IJsbrand", "van der", "W\u{00EA}reld"),
        "NFC, IJ kept"
    );
    assert_eq!(p[0].2.chars().count(), 6, "one precomposed ê");
    assert!(p[0].3.starts_with("wereld ijsbrand"), "folded sort key: {:?}", p[0].3);
    assert_eq!(p[0].4, "ijsbrand", "folded given name");
    assert_eq!(
        (p[1].0.as_str(), p[1].2.as_str()),
        ("Anna", "Jansen"),
        "zero-width space and bidi override removed"
    );
    let p = stored_partners(&path, second);
    assert_eq!((p[0].0.as_str(), p[0].2.as_str()), ("مريم", "Haddad"));
    assert_eq!((p[1].0.as_str(), p[1].2.as_str()), ("אבי", "Cohen"));
    let p = stored_partners(&path, third);
    assert_eq!(p.len(), 1, "one partner");
    assert_eq!(
        (p[0].0.as_str(), p[0].2.as_str()),
        ("Noa 👨\u{200D}👩\u{200D}👧", "Öztürk"),
        "joiners kept, the tab a space"
    );
    let everything = dump(&path);
    for (table, rows) in &everything {
        for row in rows {
            for bad in ['\u{202E}', '\u{200B}', '\u{200E}', '\u{200F}', '\u{2067}', '\u{2069}', '\t'] {
                assert!(!row.contains(bad), "{bad:?} stored in {table}: {row}");
            }
        }
    }

    // Found however it is typed: folded, with or without the accent, the IJ as two letters.
    let found = |q: &str| {
        app.store_for_tests().find_couples(q, 8).expect("find").iter().map(|c| c.names()).collect::<Vec<_>>()
    };
    for q in ["wereld", "Wêreld", "We\u{0302}reld", "ijsbrand", "IJSB", "ijsbrand wer", "van der wereld"] {
        assert!(
            found(q).iter().any(|n| n.contains("Wêreld, IJsbrand van der")),
            "{q:?} finds IJsbrand: {:?}",
            found(q)
        );
    }
    assert!(found("مريم").iter().any(|n| n.contains("مريم")), "Arabic found");
    assert!(found("אבי").iter().any(|n| n.contains("אבי")), "Hebrew found");

    // The queue still lines up: every row's "Wacht" and "Vraag" start under their headers.
    for (w, h) in [(80, 24), (120, 40)] {
        let buffer = draw(&app, w, h);
        let lines = rows(&buffer);
        for line in &lines {
            assert_eq!(line.width(), usize::from(w), "every row is exactly the window wide: {line:?}");
        }
        let header = lines.iter().position(|l| l.contains("Wacht") && l.contains("Vraag")).expect("header");
        let wait_x = column_of(&lines[header], "Wacht").expect("Wacht");
        let request_x = column_of(&lines[header], "Vraag").expect("Vraag");
        let visible = app.queue.visible();
        assert_eq!(visible.len(), 5, "five walk-ins not finished");
        for (i, walk_in) in visible.iter().enumerate() {
            // A couple too long for one line takes a line per partner: find the row by its number.
            let ticket = format!("{} ", walk_in.ticket);
            let row = lines[header + 1..].iter().find(|l| l.starts_with(&ticket)).expect("the walk-in's row");
            let waited = app.texts.duration(walk_in.waited(app.now));
            let request = app.texts.t(&walk_in.request.text_key()).to_owned();
            assert!(
                from_column(row, wait_x).starts_with(&waited),
                "at {w}×{h}, Wacht of row {i} at column {wait_x}: {row:?}"
            );
            assert!(
                from_column(row, request_x).starts_with(&request),
                "at {w}×{h}, Vraag of row {i} at column {request_x}: {row:?}"
            );
        }
        let s = lines.join("\n");
        // Each partner's name whole, also at 80 columns.
        for name in ["Wêreld, IJsbrand van der", "Haddad, مريم", "Öztürk, Noa 👨\u{200D}👩\u{200D}👧"]
        {
            assert!(s.contains(name), "{name} in the queue at {w}×{h}:\n{s}");
        }
    }
}

#[test]
fn hostile_text_in_the_notes_and_a_user_name_is_stored_clean() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let (store, couple) = filled_store(&path);
    let mut app = app_on(store);

    // A new user's name, pasted with a bidi override and a zero-width space, typed with NFD,
    // added by the coordinator on the users screen.
    sign_in(&mut app, "Henk Bos");
    press(&mut app, KeyCode::Char('6'));
    press(&mut app, KeyCode::Char('n'));
    paste(&mut app, "Zo\u{200B}e\u{0308}\u{202E} ");
    type_text(&mut app, "Yılmaz");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right); // hulpverlener
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "een eerste wachtwoord");
    ctrl(&mut app, 's');
    assert!(app.overlays.is_empty(), "the user is saved:\n{}", screen(&app, 80, 24));
    press(&mut app, KeyCode::Char('w'));
    let names: Vec<String> =
        app.store_for_tests().users().expect("users").into_iter().map(|u| u.name).collect();
    assert!(names.contains(&"Zo\u{00EB} Yılmaz".to_owned()), "cleaned and NFC: {names:?}");

    // The notes: several lines pasted, cleaned line by line, the lines kept.
    sign_in(&mut app, "Sara de Boer");
    open_file(&mut app, "vries");
    press(&mut app, KeyCode::Char('n'));
    assert!(matches!(app.overlays.last(), Some(Overlay::Notes(_))), "the notes editor");
    paste(&mut app, &"x".repeat(1_000_000));
    assert!(screen(&app, 80, 24).contains("Te lang: hoogstens 20000 tekens."), "a 1 MB paste is refused");
    paste(
        &mut app,
        "Gesprek met We\u{0302}reld\r\nAfspraak:\u{202E} elke\u{200B} week 👨\u{200D}👩\u{200D}👧\rمريم en אבי",
    );
    ctrl(&mut app, 's');
    assert!(app.overlays.is_empty(), "the notes are saved");
    let notes: String = raw(&path)
        .query_row("SELECT notes FROM couples WHERE id = ?1", [couple], |r| r.get(0))
        .expect("notes");
    assert_eq!(notes, "Gesprek met Wêreld\nAfspraak: elke week 👨\u{200D}👩\u{200D}👧\nمريم en אבי");
}

#[test]
fn the_ij_digraph_sorts_as_i_j_among_the_names() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let (mut store, _) = filled_store(&path);
    for (given, surname) in [("Ilse", "Ilk"), ("Kees", "IJzerman"), ("Anna", "Ibrahim"), ("Yvo", "Yntema")] {
        store
            .register_walk_in(&walk_in(&[(given, "", surname)], Request::Information), now(), None)
            .expect("walk-in");
    }
    let order: Vec<String> =
        store.find_couples("i", 8).expect("find").iter().map(|c| c.partners[0].surname.clone()).collect();
    let surnames: Vec<&str> =
        order.iter().map(String::as_str).filter(|s| ["Ilk", "IJzerman", "Ibrahim"].contains(s)).collect();
    assert_eq!(surnames, ["Ibrahim", "IJzerman", "Ilk"], "IJ sorts as I then J: {order:?}");
    assert_eq!(store.find_couples("ijz", 8).expect("find").len(), 1);
}

/// The ligature Ĳ (U+0132) is one character for the Dutch IJ; NFC keeps it, so search and sorting
/// must fold it to "ij" as they fold accents.
#[test]
fn the_ij_ligature_is_found_and_sorted_as_ij() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let (store, _) = filled_store(&path);
    let mut app = app_on(store);
    sign_in(&mut app, "Ingrid Hoekstra");
    press(&mut app, KeyCode::Char('n'));
    press(&mut app, KeyCode::BackTab);
    press(&mut app, KeyCode::Right); // één partner
    press(&mut app, KeyCode::Tab);
    paste(&mut app, "\u{0132}sbrand");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    paste(&mut app, "\u{0132}zerman");
    ctrl(&mut app, 's');
    let ticket = registered_ticket(&app);
    let p = stored_partners(&path, ticket);
    assert_eq!(p[0].0, "\u{0132}sbrand", "kept as typed (NFC does not change it)");
    assert_eq!(p[0].4, "ijsbrand", "the given name folds to i + j");
    assert!(p[0].3.starts_with("ijzerman"), "the sort key folds to i + j: {:?}", p[0].3);
    assert_eq!(
        app.store_for_tests().find_couples("ijsbrand", 8).expect("find").len(),
        1,
        "found by its given name"
    );
    assert_eq!(
        app.store_for_tests().find_couples("ijzer", 8).expect("find").len(),
        1,
        "found by its surname"
    );
}

#[test]
fn a_huge_or_multi_line_paste_is_refused_whole_and_never_submits() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let (store, _) = filled_store(&path);
    let mut app = app_on(store);
    sign_in(&mut app, "Ingrid Hoekstra");
    let walk_ins = walk_in_count(&path);
    press(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "Anna");
    let given = |app: &App| form_of(app).map(|f| f.value("walk_in.given1").unwrap_or_default().to_owned());
    let focus = |app: &App| form_of(app).and_then(|f| f.focused()).map(|f| f.label);

    // 1 MB into a name field: refused whole, "Te lang", the field as it was.
    paste(&mut app, &"x".repeat(1_000_000));
    assert_eq!(given(&app).as_deref(), Some("Anna"));
    let s = screen(&app, 80, 24);
    assert!(s.contains("Te lang: hoogstens 60 tekens."), "{s}");
    // 1 MB of wide and combining characters, and 1 MB into the note: the same.
    paste(&mut app, &"ê👨\u{200D}👩".repeat(200_000));
    assert_eq!(given(&app).as_deref(), Some("Anna"));
    assert!(screen(&app, 80, 24).contains("Te lang"));
    // Exactly up to the limit still fits; one more does not.
    paste(&mut app, &"a".repeat(56));
    assert_eq!(given(&app).map(|g| g.chars().count()), Some(60));
    press(&mut app, KeyCode::Char('z'));
    assert_eq!(given(&app).map(|g| g.chars().count()), Some(60), "typing stops at the limit");
    ctrl(&mut app, 'u');
    type_text(&mut app, "Anna");

    // Several lines into a one-line field: refused, the form stays, focus stays, nothing saved.
    for text in ["Jansen\nAnna", "de Vries\r\n", "\r", "\n", "x\u{2028}y\ry", "Anna\tJansen\r"] {
        paste(&mut app, text);
        assert_eq!(top_form_kind(&app), Some("walk_in.title"), "{text:?}: the form stays open");
        assert_eq!(focus(&app), Some("walk_in.given1"), "{text:?}: never acts as Enter or Tab");
        assert_eq!(given(&app).as_deref(), Some("Anna"), "{text:?}: the field unchanged");
        let s = screen(&app, 80, 24);
        if text.contains(['\n', '\r']) {
            assert!(s.contains("meerdere regels"), "{text:?}:\n{s}");
        }
    }
    // A paste with an escape or Ctrl-S in it is text, not a key: the form neither closes nor saves.
    paste(&mut app, "\u{1b}\u{13}");
    assert_eq!(top_form_kind(&app), Some("walk_in.title"), "a pasted Esc or Ctrl-S does nothing");
    for _ in 0..8 {
        press(&mut app, KeyCode::Tab);
    }
    assert_eq!(focus(&app), Some("walk_in.note"));
    paste(&mut app, &"n".repeat(1_000_000));
    assert_eq!(
        form_of(&app).map(|f| f.value("walk_in.note").unwrap_or_default().to_owned()).as_deref(),
        Some("")
    );
    assert!(screen(&app, 80, 24).contains("Te lang: hoogstens 300 tekens."));
    paste(&mut app, "kwam\nom tien uur");
    assert!(screen(&app, 80, 24).contains("meerdere regels"));
    assert_eq!(walk_in_count(&path), walk_ins, "no paste saved anything");
    assert_eq!(top_form_kind(&app), Some("walk_in.title"));
    // On the queue a paste does nothing at all.
    app.overlays.clear();
    paste(&mut app, "n\rAnna\r");
    assert!(app.overlays.is_empty(), "a paste on the queue opens nothing");
    assert_eq!(walk_in_count(&path), walk_ins);
}

#[test]
fn impossible_dates_are_refused_with_a_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let (store, couple) = filled_store(&path);
    let mut app = app_on(store);
    sign_in(&mut app, "Sara de Boer");
    open_file(&mut app, "vries");
    let events = |path: &Path| -> i64 {
        raw(path)
            .query_row("SELECT count(*) FROM life_events WHERE couple_id = ?1", [couple], |r| r.get(0))
            .expect("count")
    };
    let before = events(&path);

    // The life-event form of the file pane.
    press(&mut app, KeyCode::Char('l'));
    assert_eq!(top_form_kind(&app), Some("file.life_event_title"));
    press(&mut app, KeyCode::Tab);
    for date in ["31-02-2026", "29-02-2027", "31-04", "30/02/26"] {
        ctrl(&mut app, 'u');
        type_text(&mut app, date);
        ctrl(&mut app, 's');
        assert_eq!(top_form_kind(&app), Some("file.life_event_title"), "{date}: the form stays open");
        let s = screen(&app, 80, 24);
        assert!(s.contains(NO_SUCH_DATE), "{date} is refused in words:\n{s}");
        assert_eq!(
            form_of(&app).map(|f| f.value("file.life_event_date").unwrap_or_default().to_owned()).as_deref(),
            Some(date),
            "kept"
        );
        assert_eq!(events(&path), before, "{date}: nothing saved");
    }
    // A date that exists is taken.
    ctrl(&mut app, 'u');
    type_text(&mut app, "29-02-2024");
    ctrl(&mut app, 's');
    assert!(app.overlays.is_empty(), "29-02-2024 exists");
    assert_eq!(events(&path), before + 1);

    // The planner's conversation form.
    press(&mut app, KeyCode::Char('3'));
    let sessions = |app: &App| app.planner.trajectory.as_ref().map_or(0, |t| t.sessions.len());
    let planned = sessions(&app);
    press(&mut app, KeyCode::Char('a'));
    assert_eq!(top_form_kind(&app), Some("plan.session_title"));
    for when in ["31-02 14:00", "29-02-2027 14:00", "31-11 10:00"] {
        ctrl(&mut app, 'u');
        type_text(&mut app, when);
        assert!(screen(&app, 80, 24).contains(NO_SUCH_DATE), "{when}: said while typing");
        ctrl(&mut app, 's');
        assert_eq!(top_form_kind(&app), Some("plan.session_title"), "{when}: the form stays open");
        let s = screen(&app, 80, 24);
        assert!(s.contains(NO_SUCH_DATE), "{when} is refused in words:\n{s}");
        assert_eq!(sessions(&app), planned, "{when}: nothing planned");
    }
    app.overlays.clear();

    // The report's own dates.
    press(&mut app, KeyCode::Char('5'));
    press(&mut app, KeyCode::Char('d'));
    assert_eq!(top_form_kind(&app), Some("report.range_title"));
    ctrl(&mut app, 'u');
    type_text(&mut app, "31-02-2026");
    ctrl(&mut app, 's');
    assert_eq!(top_form_kind(&app), Some("report.range_title"), "the period form stays open");
    let s = screen(&app, 80, 24);
    assert!(s.contains(NO_SUCH_DATE), "{s}");
}
