//! Issue 15 at the walk-in desk: the queue at 80×24, undo, the walk-in form (phone and e-mail, a
//! returning couple's defaults, capitals), the next user's start and stray keys.

use crate::common::desk::{now, walk_in};
use crate::common::{assert_nothing_cut, ctrl, line_with, press, screen, sign_in, type_text};

use chrono::Duration;
use loket::action::Pane;
use loket::app::{App, FieldKind};
use loket::config::{Config, Lang};
use loket::domain::couple::{Request, Source};
use loket::domain::user::Role;
use loket::domain::walkin::{Change, NewWalkIn, Status};
use loket::i18n::Texts;
use loket::store::Store;
use ratatui::crossterm::event::KeyCode;

struct Desk {
    app: App,
    /// The returning couple's file (Smit), who came last week for separation, sent by school.
    smit: i64,
    _dir: tempfile::TempDir,
}

/// Two couples both named "Jan van der Berg & …" wait; Öztürk is in conversation with Pieter Kok.
/// Signed in as the receptionist.
fn desk(lang: Lang) -> Desk {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("loket.db")).expect("open");
    let t0 = now() - Duration::days(7);
    let hash = crate::common::desk::hash();
    store.seed_user("Ingrid Hoekstra", &[Role::Receptionist], hash, t0).expect("user");
    let pieter = store.seed_user("Pieter Kok", &[Role::Counsellor], hash, t0).expect("user");
    store.seed_user("Sara de Boer", &[Role::Counsellor], hash, t0).expect("user");
    let smit = NewWalkIn {
        source: Source::School,
        ..walk_in(&[("Karin", "", "Smit"), ("Ruud", "", "Smit")], Request::Separation)
    };
    let last_week = store.register_walk_in(&smit, t0, None).expect("smit");
    store.change_walk_in(last_week, 1, Change::Leave, t0, None).expect("left");
    let smit = store.walk_in(last_week).expect("walk-in").couple.id;
    let t1 = now() - Duration::minutes(30);
    let ozturk = store.register_walk_in(&walk_in(&[("Ayşe", "", "Öztürk")], Request::Repair), t1, None);
    let ozturk = ozturk.expect("öztürk");
    for (n, partners) in [
        (5, [("Jan", "van der", "Berg"), ("Anne-Marie", "", "Vriesema")]),
        (9, [("Jan", "van der", "Berg"), ("Anne-Marie", "", "Vries")]),
    ] {
        store
            .register_walk_in(&walk_in(&partners, Request::Strengthen), t1 + Duration::minutes(n), None)
            .expect("berg");
    }
    let call = Change::CallIn { counsellor_id: pieter.id };
    store.change_walk_in(ozturk, 1, call, t1 + Duration::minutes(12), None).expect("call");
    let mut app = App::new(store, Config::default(), Texts::new(lang), Box::new(now));
    sign_in(&mut app, "Ingrid Hoekstra");
    Desk { app, smit, _dir: dir }
}

fn line(screen: &str, n: usize) -> &str {
    screen.lines().nth(n).unwrap_or_default()
}

fn walk_ins(app: &App) -> usize {
    app.store_for_tests().walk_ins_on(now().date_naive()).map(|w| w.len()).unwrap_or_default()
}

fn form_message(app: &App) -> Option<String> {
    crate::common::form_of(app).and_then(|f| f.message.clone())
}

/// Defect 5: at 80×24 every name is whole, so the two Bergs differ on screen; the counsellor is
/// named whole; and the hints keep `f` and `o`.
#[test]
fn the_busy_hour_fits_80x24_in_dutch_and_english() {
    for (lang, talking, finished, open) in
        [(Lang::Nl, "in gesprek", "f afgerond", "o dossier"), (Lang::En, "talking", "f finished", "o file")]
    {
        let d = desk(lang);
        let s = screen(&d.app, 80, 24);
        let names =
            ["Berg, Jan van der", "Vriesema, Anne-Marie", "Vries, Anne-Marie", "Öztürk, Ayşe", "Pieter Kok"];
        assert_nothing_cut(&s, &names);
        // The two couples named Berg: each partner whole, so the rows differ.
        assert!(s.contains("Vriesema, Anne-Marie") && s.contains("Vries, Anne-Marie"), "{s}");
        assert!(line_with(&s, "Öztürk, Ayşe").ends_with(talking), "{s}");
        assert!(line(&s, 5).ends_with(" Pieter Kok"), "the counsellor, whole:\n{s}");
        let hints = format!("{}\n{}", line(&s, 21), line(&s, 22));
        assert!(hints.contains(finished) && hints.contains(open), "{s}");
        insta::assert_snapshot!(format!("busy_hour_{lang:?}_80x24"), s);
    }
}

/// `u` undoes the desk's own last change wherever the selection is, and the hint says whose.
#[test]
fn u_undoes_the_desks_own_last_change_after_moving_through_the_list() {
    let mut d = desk(Lang::Nl);
    press(&mut d.app, KeyCode::Down); // the first Berg, number 2
    press(&mut d.app, KeyCode::Char('c'));
    press(&mut d.app, KeyCode::Down); // Sara de Boer (Pieter is busy)
    press(&mut d.app, KeyCode::Enter);
    assert!(screen(&d.app, 80, 24).contains("u ongedaan nr 2"), "{}", screen(&d.app, 80, 24));
    press(&mut d.app, KeyCode::End); // on to the other Berg, number 3
    press(&mut d.app, KeyCode::Char('u'));
    let status = |app: &App, ticket: u32| {
        app.queue.walk_ins.iter().find(|w| w.ticket == ticket).map(|w| w.state.status)
    };
    assert_eq!(status(&d.app, 2), Some(Status::Waiting), "number 2's call-in was undone");
    assert_eq!(status(&d.app, 3), Some(Status::Waiting));
    assert!(d.app.flash.as_ref().is_some_and(|f| f.text.contains("nummer 2")));
    // Nothing of this desk is left to undo: it says so, and the hint no longer names a number.
    press(&mut d.app, KeyCode::Char('u'));
    let s = screen(&d.app, 80, 24);
    assert!(s.contains("niets (meer) om ongedaan te maken") && !s.contains("ongedaan nr"), "{s}");
}

/// Defect 1 with the keys: c Enter, d Enter, u, d End Enter, o: the file is *nieuw* again.
#[test]
fn undo_puts_the_file_back_as_it_was() {
    let mut d = desk(Lang::Nl);
    press(&mut d.app, KeyCode::Char('f'));
    press(&mut d.app, KeyCode::Down);
    press(&mut d.app, KeyCode::Char('c'));
    press(&mut d.app, KeyCode::Down);
    press(&mut d.app, KeyCode::Enter);
    press(&mut d.app, KeyCode::Char('d'));
    press(&mut d.app, KeyCode::Enter); // eenmalig gesprek gevoerd
    press(&mut d.app, KeyCode::Char('u'));
    press(&mut d.app, KeyCode::Char('d'));
    press(&mut d.app, KeyCode::End); // komt terug
    press(&mut d.app, KeyCode::Enter);
    press(&mut d.app, KeyCode::Char('o'));
    let file = d.app.file.as_ref().expect("the file is open");
    assert_eq!(file.partners[1].name.surname, "Vriesema");
    let s = screen(&d.app, 80, 24);
    assert!(line(&s, 1).starts_with("Dossier 2026-003  nieuw  ·"), "{s}");
}

/// After `w`, the next user starts on the queue, not on the tab the last one left.
#[test]
fn the_next_user_starts_on_the_queue() {
    let mut d = desk(Lang::Nl);
    press(&mut d.app, KeyCode::Char('3'));
    assert_eq!(d.app.pane, Pane::Planner);
    press(&mut d.app, KeyCode::Char('w'));
    sign_in(&mut d.app, "Sara de Boer");
    assert_eq!(d.app.pane, Pane::Queue);
    assert!(screen(&d.app, 80, 24).contains("Inloopspreekuur"));
}

/// A stray key and Ctrl-S make no record of untouched defaults: a returning couple's walk-in, a
/// referral in and a life event each ask for a deliberate choice first.
#[test]
fn a_stray_key_and_ctrl_s_save_nothing() {
    let mut d = desk(Lang::Nl);
    press(&mut d.app, KeyCode::Char('w'));
    sign_in(&mut d.app, "Sara de Boer");
    crate::common::open_file(&mut d.app, "smit");
    let before = walk_ins(&d.app);
    press(&mut d.app, KeyCode::Char('i'));
    ctrl(&mut d.app, 's');
    assert_eq!(walk_ins(&d.app), before, "no walk-in registered");
    assert_eq!(
        form_message(&d.app).as_deref(),
        Some("Kies eerst wie er kwam (Enter opent de lijst), dan Ctrl-S.")
    );
    let s = screen(&d.app, 80, 24);
    assert!(s.contains("Kies eerst wie er kwam") && s.contains("▸ Wie kwam"), "{s}");
    press(&mut d.app, KeyCode::Enter); // the list of who came
    press(&mut d.app, KeyCode::Enter); // beiden, chosen
    ctrl(&mut d.app, 's');
    assert_eq!(walk_ins(&d.app), before + 1, "registered once chosen");

    crate::common::open_file(&mut d.app, "smit");
    press(&mut d.app, KeyCode::Char('4'));
    press(&mut d.app, KeyCode::Char('i'));
    ctrl(&mut d.app, 's');
    let referred_in = |app: &App, couple| app.store_for_tests().referrals_in(couple).map(|r| r.len()).ok();
    assert_eq!(referred_in(&d.app, d.smit), Some(0), "no referral in recorded");
    assert!(form_message(&d.app).is_some_and(|m| m.starts_with("Kies eerst wie het stel verwees")));
    press(&mut d.app, KeyCode::Right); // a deliberate choice
    ctrl(&mut d.app, 's');
    assert_eq!(referred_in(&d.app, d.smit), Some(1));

    press(&mut d.app, KeyCode::Char('2'));
    let events = |app: &App| app.file.as_ref().map(|f| f.life_events.len());
    let before = events(&d.app);
    press(&mut d.app, KeyCode::Char('l'));
    ctrl(&mut d.app, 's');
    assert!(form_message(&d.app).is_some_and(|m| m.starts_with("Kies eerst welke gebeurtenis")));
    assert_eq!(events(&d.app), before, "no life event added");
}

/// A returning couple's walk-in starts from its file's request and source, from the file pane's
/// `i` and when linked in the form.
#[test]
fn a_returning_couple_starts_from_its_file() {
    let mut d = desk(Lang::Nl);
    let chosen = |app: &App| {
        let form = crate::common::form_of(app).expect("the walk-in form");
        let label = |i: usize| match &form.fields[i].kind {
            FieldKind::Choice(c) => Some(c.label_key().to_owned()),
            _ => None,
        };
        (label(8), label(9))
    };
    let expected = (Some("request.separation".to_owned()), Some("source.school".to_owned()));
    crate::common::open_file(&mut d.app, "smit");
    press(&mut d.app, KeyCode::Char('i'));
    assert_eq!(chosen(&d.app), expected);
    let s = screen(&d.app, 80, 24);
    assert!(s.contains("◂ scheiding ▸") && s.contains("◂ school ▸"), "{s}");
    press(&mut d.app, KeyCode::Esc);
    press(&mut d.app, KeyCode::Char('j')); // discard
    press(&mut d.app, KeyCode::Char('1'));
    press(&mut d.app, KeyCode::Char('n'));
    ctrl(&mut d.app, 'f');
    type_text(&mut d.app, "smit");
    press(&mut d.app, KeyCode::Enter);
    assert_eq!(chosen(&d.app), expected);
}

/// Types a new couple into the walk-in form: partner 1's given name, prefix, surname, partner 2's
/// the same (Tab between), then Tab to partner 1's phone.
fn type_couple(app: &mut App, fields: [&str; 6]) {
    press(app, KeyCode::Char('n'));
    for (i, text) in fields.iter().enumerate() {
        if i > 0 {
            press(app, KeyCode::Tab);
        }
        type_text(app, text);
    }
    for _ in 0..4 {
        press(app, KeyCode::Tab); // request, source, note, phone 1
    }
}

/// Phone and e-mail can be given at registration, checked as the file's details are.
#[test]
fn phone_and_email_are_taken_at_registration() {
    let mut d = desk(Lang::Nl);
    let before = walk_ins(&d.app);
    type_couple(&mut d.app, ["Lotte", "", "Visser", "Bram", "de", "Wit"]);
    type_text(&mut d.app, "06-1234");
    press(&mut d.app, KeyCode::Tab);
    type_text(&mut d.app, "lotte@voorbeeld.nl");
    ctrl(&mut d.app, 's');
    let s = screen(&d.app, 80, 24);
    assert!(s.contains("Geen Nederlands telefoonnummer") && s.contains("06-1234"), "{s}");
    assert_eq!(walk_ins(&d.app), before, "nothing saved with a wrong number");
    // The cursor is on the phone, as typed: put it right.
    type_text(&mut d.app, "5678");
    press(&mut d.app, KeyCode::Tab);
    press(&mut d.app, KeyCode::Tab);
    type_text(&mut d.app, "+31 6 8765 4321");
    ctrl(&mut d.app, 's');
    assert_eq!(walk_ins(&d.app), before + 1, "{}", screen(&d.app, 80, 24));
    let store = d.app.store_for_tests();
    let couple = store.find_couples("visser", 1).expect("find")[0].id;
    let coordinator = loket::domain::user::User { roles: vec![Role::Coordinator], ..user(&d.app) };
    let file = store.read_file(couple, &coordinator).expect("file");
    let contact: Vec<(&str, &str)> =
        file.partners.iter().map(|p| (p.phone.as_str(), p.email.as_str())).collect();
    assert_eq!(contact, [("06-12345678", "lotte@voorbeeld.nl"), ("+31 6 8765 4321", "")]);
    // Found by phone, as the file's own details are.
    assert_eq!(store.find_couples("0687654321", 5).expect("find").len(), 1);
}

fn user(app: &App) -> loket::domain::user::User {
    app.user.clone().expect("signed in")
}

/// Names typed in lower case are offered with capitals before saving, and saved as typed on `n`.
#[test]
fn names_typed_in_lower_case_are_offered_with_capitals() {
    let mut d = desk(Lang::Nl);
    type_couple(&mut d.app, ["jan", "", "van der berg", "ijsbrand", "", "wêreld"]);
    ctrl(&mut d.app, 's');
    let s = screen(&d.app, 80, 24);
    assert!(
        s.contains("Berg, Jan van der &") && s.contains("Wêreld, IJsbrand?"),
        "the capitals are offered:\n{s}"
    );
    press(&mut d.app, KeyCode::Char('j'));
    let w = d.app.queue.walk_ins.iter().max_by_key(|w| w.ticket).expect("registered");
    let names: Vec<(&str, &str, &str)> =
        w.couple.partners.iter().map(|p| (p.given.as_str(), p.prefix.as_str(), p.surname.as_str())).collect();
    assert_eq!(names, [("Jan", "van der", "Berg"), ("IJsbrand", "", "Wêreld")]);

    // Saved as typed on n: the desk's choice, never changed without asking.
    type_couple(&mut d.app, ["piet", "", "bos", "an", "", "bos"]);
    ctrl(&mut d.app, 's');
    assert!(screen(&d.app, 80, 24).contains("Bos, Piet & Bos, An"));
    press(&mut d.app, KeyCode::Char('n'));
    let w = d.app.queue.walk_ins.iter().max_by_key(|w| w.ticket).expect("registered");
    assert_eq!(w.couple.names(), "bos, piet & bos, an");
}
