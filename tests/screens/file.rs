//! The file pane for each role, on ratatui's TestBackend, with keys through the real keymap.

use crate::common::desk::{now, partner};
use crate::common::{assert_nothing_cut, press, press_with, screen, type_text};

use chrono::{Duration, NaiveDate};
use loket::app::App;
use loket::config::{Config, Lang};
use loket::domain::couple::{Request, Source};
use loket::domain::file::{FileDetails, LifeEventKind, Wish};
use loket::domain::names::PersonName;
use loket::domain::user::Role;
use loket::domain::walkin::{Attendance, Change, CoupleRef, NewWalkIn, Outcome};
use loket::i18n::Texts;
use loket::store::Store;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

/// A database with one well-filled file: two partners with contact details and different wishes,
/// a walk-in that led to a trajectory, a life event, notes and a safety concern.
fn filled_store(dir: &std::path::Path) -> Store {
    let mut store = Store::open(&dir.join("loket.db")).expect("open");
    let t0 = now() - Duration::days(14);
    store
        .seed_user("Carla Coördinator", &[Role::Coordinator], crate::common::desk::hash(), t0)
        .expect("user");
    let counsellor = store
        .seed_user("Harm Hulpverlener", &[Role::Counsellor], crate::common::desk::hash(), t0)
        .expect("user");
    store.seed_user("Rita Receptie", &[Role::Receptionist], crate::common::desk::hash(), t0).expect("user");
    let partners =
        vec![PersonName::new("IJsbrand", "van der", "Wêreld"), PersonName::new("Els", "", "Jansen")];
    let walk_in = NewWalkIn {
        couple: CoupleRef::New(partners.clone()),
        attendance: Attendance::Both,
        request: Request::Repair,
        source: Source::NeighbourhoodTeam,
        note: String::new(),
    };
    let w = store.register_walk_in(&walk_in, t0, None).expect("walk-in");
    store
        .change_walk_in(
            w,
            1,
            Change::CallIn { counsellor_id: counsellor.id },
            t0 + Duration::minutes(5),
            None,
        )
        .expect("call");
    store
        .change_walk_in(
            w,
            2,
            Change::Finish { outcome: Outcome::TrajectoryToPlan },
            t0 + Duration::minutes(50),
            None,
        )
        .expect("finish");
    let couple = store.walk_in(w).expect("walk-in").couple.id;
    let version = |s: &Store| s.read_file(couple, &counsellor).expect("file").version;
    let details = FileDetails {
        partners: vec![
            partner(1, &partners[0], ("06-12345678", "ijsbrand@example.nl"), 1984, Wish::StayTogether),
            partner(2, &partners[1], ("078-6770000", ""), 1986, Wish::Separate),
        ],
        children: 2,
        request: Request::Repair,
        source: Source::NeighbourhoodTeam,
    };
    let t1 = t0 + Duration::days(1);
    store.save_details(couple, version(&store), &details, &counsellor, t1).expect("details");
    let grief = NaiveDate::from_ymd_opt(2026, 3, 14);
    store
        .add_life_event(couple, version(&store), LifeEventKind::Grief, grief, &counsellor, t1)
        .expect("event");
    store
        .add_life_event(couple, version(&store), LifeEventKind::Unemployment, None, &counsellor, t1)
        .expect("event");
    store
        .save_notes(
            couple,
            version(&store),
            "Ruzie over geld sinds het ontslag.\nAfspraak: elke week samen wandelen.",
            &counsellor,
            t1,
        )
        .expect("notes");
    let concern =
        store.open_concern(couple, "Dreiging bij de laatste ruzie", &counsellor, t1).expect("concern");
    use loket::domain::concern::{Consulted, NewStep, StepDetail, Talk};
    for detail in
        [StepDetail::Mapped, StepDetail::Consulted(Consulted::Officer), StepDetail::Talked(Talk::Both)]
    {
        let step = NewStep { detail, on: t1.date_naive(), note: "Besproken met Jeroen Çelik".to_owned() };
        store.record_step(concern, &step, &counsellor, t1).expect("step");
    }
    store
}

/// Signs in as the `index`-th user of the sorted list, then finds "wer" and opens the file.
fn open_as(index: usize, lang: Lang, dir: &std::path::Path) -> App {
    let store = filled_store(dir);
    let mut app = App::new(store, Config::default(), Texts::new(lang), Box::new(now));
    for _ in 0..index {
        press(&mut app, KeyCode::Down);
    }
    crate::common::sign_in_first(&mut app);
    crate::common::open_file(&mut app, "wer");
    assert!(app.file.is_some(), "the file opened");
    app
}

const COORDINATOR: usize = 0;
const COUNSELLOR: usize = 1;
const RECEPTIONIST: usize = 2;

/// The names on the file pane, and the people who work with it: never cut off.
const NAMES: [&str; 5] =
    ["Wêreld, IJsbrand van der", "Jansen, Els", "Harm Hulpverlener", "Carla Coördinator", "Rita Receptie"];

/// The checks of every 80x24 file screen: the header line with the counsellor's name whole, the
/// key hints, and no name or bracket cut off.
fn check_80x24(small: &str, hints: &str) {
    let lines: Vec<&str> = small.lines().collect();
    assert!(lines[1].starts_with(" apart ontvangen  Dossier 2026-001  traject"), "{}", lines[1]);
    assert_eq!(lines[lines.len() - 2], hints, "{small}");
    assert_nothing_cut(small, &NAMES);
}

/// The file pane's key hints at 80 columns.
const HINTS: &str = "? help  q stoppen  / zoeken  e bewerken  s status  l gebeurtenis  n notities";

#[test]
fn counsellor_sees_everything_80x24_and_120x40() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = open_as(COUNSELLOR, Lang::Nl, dir.path());
    let wide = screen(&app, 120, 40);
    assert!(wide.contains("Ruzie over geld") && wide.contains("Dreiging bij de laatste ruzie"), "{wide}");
    insta::assert_snapshot!("file_counsellor_120x40", wide);
    let small = screen(&app, 80, 24);
    check_80x24(&small, HINTS);
    insta::assert_snapshot!("file_counsellor_80x24", small);
}

#[test]
fn coordinator_sees_the_administration_not_the_notes_nor_the_concern() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = open_as(COORDINATOR, Lang::Nl, dir.path());
    let wide = screen(&app, 120, 40);
    assert!(!wide.contains("Ruzie over geld"), "the notes are a counsellor's: {wide}");
    assert!(wide.contains("apart ontvangen") && wide.contains("Zorgsignaal open sinds"), "{wide}");
    assert!(!wide.contains("Dreiging"), "{wide}");
    insta::assert_snapshot!("file_coordinator_120x40", wide);
    let small = screen(&app, 80, 24);
    check_80x24(&small, HINTS);
    insta::assert_snapshot!("file_coordinator_80x24", small);
}

#[test]
fn receptionist_sees_that_notes_exist_never_their_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = open_as(RECEPTIONIST, Lang::Nl, dir.path());
    let wide = screen(&app, 120, 40);
    assert!(wide.contains("Er zijn notities"), "{wide}");
    assert!(!wide.contains("Ruzie") && !wide.contains("Dreiging"), "{wide}");
    assert!(wide.contains("apart ontvangen") && !wide.contains("Zorgsignaal"), "{wide}");
    // No wish, and not that the wishes differ (issue 13).
    assert!(!wide.contains("wens") && !wide.contains("niet hetzelfde"), "{wide}");
    insta::assert_snapshot!("file_receptionist_120x40", wide);
    let small = screen(&app, 80, 24);
    check_80x24(&small, HINTS);
    assert!(!small.contains("wens") && !small.contains("niet hetzelfde"), "{small}");
    insta::assert_snapshot!("file_receptionist_80x24", small);
    // The notes editor does not open, and the state holds no text to leak.
    press(&mut app, KeyCode::Char('n'));
    assert!(app.overlays.is_empty());
    assert!(!format!("{:?}", app.file).contains("Ruzie"));
    let state = format!("{:?}", app.file);
    assert!(!state.contains("StayTogether") && !state.contains("Separate"), "no wish read: {state}");
    assert!(screen(&app, 120, 40).contains("Notities zijn alleen voor hulpverleners"));
}

#[test]
fn english_file_pane() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = open_as(COUNSELLOR, Lang::En, dir.path());
    insta::assert_snapshot!("file_counsellor_english_120x40", screen(&app, 120, 40));
}

#[test]
fn a_wrong_phone_number_is_explained_and_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = open_as(COUNSELLOR, Lang::Nl, dir.path());
    press(&mut app, KeyCode::Char('e'));
    press_with(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_text(&mut app, "06-1234");
    press_with(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let s = screen(&app, 80, 24);
    assert!(s.contains("Geen Nederlands telefoonnummer") && s.contains("06-1234"), "{s}");
    let lines: Vec<&str> = s.lines().collect();
    assert_eq!(lines[22], "Ctrl-S opslaan  Tab volgend veld  Shift-Tab vorig veld  Esc annuleren");
    // The form's fields hold parts of names ("IJsbrand", "Wêreld") by design: brackets only.
    assert_nothing_cut(&s, &[]);
    insta::assert_snapshot!("file_edit_wrong_phone_80x24", s);
}

#[test]
fn a_receptionists_edit_shows_no_wish_and_keeps_the_stored_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = open_as(RECEPTIONIST, Lang::Nl, dir.path());
    press(&mut app, KeyCode::Char('e'));
    let s = screen(&app, 80, 24);
    assert!(s.contains("Dossier bewerken") && !s.contains("wens"), "no wish field: {s}");
    press_with(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_text(&mut app, "06-87654321");
    press_with(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(app.overlays.is_empty(), "saved: {}", screen(&app, 80, 24));
    // The counsellor still reads both wishes, and the new phone number.
    let store = Store::open(&dir.path().join("loket.db")).expect("open");
    let users = store.users().expect("users");
    let counsellor = users.iter().find(|u| u.has(Role::Counsellor)).expect("counsellor");
    let id = app.file.as_ref().expect("open").id;
    let file = store.read_file(id, counsellor).expect("file");
    let wishes: Vec<Wish> = file.partners.iter().map(|p| p.wish).collect();
    assert_eq!(wishes, [Wish::StayTogether, Wish::Separate]);
    assert_eq!(file.partners[0].phone, "06-87654321");
}

#[test]
fn a_save_over_a_change_made_elsewhere_is_refused_and_offers_to_reload() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = open_as(COUNSELLOR, Lang::Nl, dir.path());
    press(&mut app, KeyCode::Char('e'));
    press_with(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_text(&mut app, "06-87654321");
    // Meanwhile, someone at another desk changes the file.
    let mut other = Store::open(&dir.path().join("loket.db")).expect("second desk");
    let (id, version, counsellor) = {
        let file = app.file.as_ref().expect("open");
        let users = other.users().expect("users");
        let c = users.into_iter().find(|u| u.has(Role::Counsellor)).expect("counsellor");
        (file.id, file.version, c)
    };
    other.add_life_event(id, version, LifeEventKind::Moving, None, &counsellor, now()).expect("other desk");
    // This desk notices the change (as it does twice a second) and shows it; the open form keeps
    // the version it was opened with.
    app.update(loket::action::Action::Tick);
    press_with(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let s = screen(&app, 120, 40);
    assert!(s.contains("Iemand anders heeft dit dossier intussen gewijzigd"), "{s}");
    // No: back to what was typed, nothing overwritten.
    press(&mut app, KeyCode::Char('n'));
    assert!(screen(&app, 120, 40).contains("06-87654321"));
    let stored = other.read_file(id, &counsellor).expect("read");
    assert_eq!(stored.partners[0].phone, "06-12345678", "the stale save did not overwrite");
    // Yes: the file is read again, with the other desk's change.
    press_with(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    press(&mut app, KeyCode::Char('j'));
    assert!(app.overlays.is_empty());
    assert!(screen(&app, 120, 40).contains("verhuizing"));
}

#[test]
fn closing_asks_for_outcome_and_a_real_date() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = open_as(COUNSELLOR, Lang::Nl, dir.path());
    press(&mut app, KeyCode::Char('s'));
    press(&mut app, KeyCode::Enter); // trajectory -> closed is the only way on
    press(&mut app, KeyCode::Right); // no outcome by default: samen en versterkt
    press(&mut app, KeyCode::Right); // uit elkaar
    press(&mut app, KeyCode::Tab);
    press_with(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_text(&mut app, "31-02-2026");
    press_with(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(screen(&app, 80, 24).contains("Deze datum bestaat niet."));
    press_with(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_text(&mut app, "1-12");
    press_with(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let s = screen(&app, 120, 40);
    assert!(s.contains("gesloten: uit elkaar (01-12-2026)"), "{s}");
}

#[test]
fn the_queue_opens_a_walk_ins_file_and_the_file_starts_a_walk_in() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = open_as(RECEPTIONIST, Lang::Nl, dir.path());
    press(&mut app, KeyCode::Char('i'));
    // Who came is chosen first (issue 15: a stray i and Ctrl-S registers nothing).
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    press_with(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let queue = screen(&app, 120, 40);
    assert!(queue.contains("Wêreld, IJsbrand van der & Jansen, Els") && queue.contains("wacht"), "{queue}");
    assert!(queue.contains("dossier 2026-001"), "the walk-in joined the existing file: {queue}");
    press(&mut app, KeyCode::Char('o'));
    assert!(screen(&app, 120, 40).contains("Dossier 2026-001"));
}

#[test]
fn a_new_walk_in_with_a_known_name_is_offered_the_existing_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = open_as(RECEPTIONIST, Lang::Nl, dir.path());
    press(&mut app, KeyCode::Char('1'));
    press(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "Ijsbrand");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "Wereld");
    press(&mut app, KeyCode::Down); // on to partner 2, then back up to "who came" to pick one partner
    press(&mut app, KeyCode::BackTab);
    press(&mut app, KeyCode::BackTab);
    press(&mut app, KeyCode::BackTab);
    press(&mut app, KeyCode::BackTab);
    press(&mut app, KeyCode::Right); // één partner
    press_with(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let s = screen(&app, 120, 40);
    assert!(s.contains("Er is al een dossier met deze naam: 2026-001"), "{s}");
    press(&mut app, KeyCode::Char('j'));
    let queue = screen(&app, 120, 40);
    assert!(queue.contains("dossier 2026-001"), "{queue}");
}

/// The concern's form: step 4 (the afwegingskader's five questions) and step 5 (the decision),
/// at both sizes in both languages.
#[test]
fn the_concern_steps_4_and_5_in_both_languages() {
    for (lang, four, five) in
        [(Lang::Nl, "Risico afgewogen", "Besluit"), (Lang::En, "Risk weighed", "Decision")]
    {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut app = open_as(COUNSELLOR, lang, dir.path());
        press(&mut app, KeyCode::Char('!'));
        let picker = screen(&app, 80, 24);
        assert!(picker.contains(four), "{picker}");
        press(&mut app, KeyCode::Enter);
        let name = format!("{lang:?}").to_lowercase();
        for (w, h) in [(80, 24), (120, 40)] {
            let form = screen(&app, w, h);
            assert!(form.contains(four), "{form}");
            insta::assert_snapshot!(format!("concern_step4_{name}_{w}x{h}"), form);
        }
        press_with(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
        press(&mut app, KeyCode::Char('!'));
        press(&mut app, KeyCode::Enter);
        for (w, h) in [(80, 24), (120, 40)] {
            let form = screen(&app, w, h);
            assert!(form.contains(five), "{form}");
            insta::assert_snapshot!(format!("concern_step5_{name}_{w}x{h}"), form);
        }
        press(&mut app, KeyCode::Esc);
        let file = screen(&app, 120, 40);
        insta::assert_snapshot!(format!("concern_file_{name}_120x40"), file);
    }
}

#[test]
fn a_partners_own_note_is_written_by_partner_and_shown_under_their_mark_to_counsellors_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = open_as(COUNSELLOR, Lang::Nl, dir.path());
    press(&mut app, KeyCode::Char('o'));
    let s = screen(&app, 80, 24);
    assert!(s.contains("Eigen notitie van welke partner?"), "{s}");
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert!(screen(&app, 80, 24).contains("Eigen notitie van partner 2, niet voor de ander"));
    type_text(&mut app, "Wil eigenlijk scheiden");
    crate::common::ctrl(&mut app, 's');
    let wide = screen(&app, 120, 40);
    assert!(wide.contains("Alleen van partner 2 (") && wide.contains("Wil eigenlijk scheiden"), "{wide}");
    let small = screen(&app, 80, 24);
    assert!(small.contains("Alleen van partner 2"), "{small}");
    // The receptionist and the coordinator see no own note, nor that key's editor.
    for other in [RECEPTIONIST, COORDINATOR] {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut app = open_as(other, Lang::Nl, dir.path());
        press(&mut app, KeyCode::Char('o'));
        assert!(app.overlays.is_empty(), "no editor for role {other}");
    }
}
