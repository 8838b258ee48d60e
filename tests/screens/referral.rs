//! The referral pane (tab 4) on ratatui's TestBackend, with keys through the real keymap: one
//! screen per status of a referral, the facts card, consent per partner and what blocks sending,
//! the follow-up list, and English once.

use crate::common::desk::{now, partner};
use crate::common::{assert_nothing_cut, line_with, press, press_with, screen, type_text};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use loket::app::App;
use loket::config::{Config, Lang};
use loket::domain::couple::{Request, Source};
use loket::domain::file::{FileDetails, Wish};
use loket::domain::names::PersonName;
use loket::domain::referral::{NewReferral, PartyKind, ReferralStatus, Scope, Shared};
use loket::domain::user::{Role, User};
use loket::domain::walkin::{Attendance, Change, CoupleRef, NewWalkIn, Outcome};
use loket::i18n::Texts;
use loket::store::Store;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

pub(crate) fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).expect("valid date")
}

/// The couple the tests refer on, with diacritics in both names.
fn partners() -> Vec<PersonName> {
    vec![PersonName::new("IJsbrand", "van der", "Wêreld"), PersonName::new("Zoë", "", "Öztürk")]
}

/// Both names as the pane writes them ("IJsbrand van der Wêreld & Zoë Öztürk").
const BOTH: &str = "IJsbrand van der Wêreld & Zoë Öztürk";

/// What a test prepared: the store, the couple's id and the counsellor who does the work.
pub(crate) struct Fixture {
    pub(crate) store: Store,
    pub(crate) couple: i64,
    pub(crate) counsellor: User,
}

/// A counsellor and a receptionist, and IJsbrand van der Wêreld & Zoë Öztürk, who walked in two
/// weeks ago, were referred on, and whose file has phone numbers and e-mail addresses.
pub(crate) fn fixture(dir: &std::path::Path) -> Fixture {
    let mut store = Store::open(&dir.join("loket.db")).expect("open");
    let t0 = now() - Duration::days(14);
    let counsellor = store
        .seed_user("Harm Hulpverlener", &[Role::Counsellor], crate::common::desk::hash(), t0)
        .expect("user");
    store.seed_user("Rita Receptie", &[Role::Receptionist], crate::common::desk::hash(), t0).expect("user");
    let couple = walk_in(&mut store, &counsellor, t0, Outcome::ReferredOn);
    let file = store.read_file(couple, &counsellor).expect("file");
    let names = partners();
    let details = FileDetails {
        partners: vec![
            partner(1, &names[0], ("06-12345678", "ijsbrand@example.nl"), 1984, Wish::StayTogether),
            partner(2, &names[1], ("06-87654321", "zoe@example.nl"), 1987, Wish::StayTogether),
        ],
        children: 1,
        request: Request::Repair,
        source: Source::NeighbourhoodTeam,
    };
    store
        .save_details(couple, file.version, &details, &counsellor, t0 + Duration::hours(1))
        .expect("details");
    Fixture { store, couple, counsellor }
}

/// Registers the couple as a walk-in at `at`, hands them to `counsellor` and finishes with
/// `outcome`. Returns the couple's id.
fn walk_in(store: &mut Store, counsellor: &User, at: DateTime<Utc>, outcome: Outcome) -> i64 {
    let new = NewWalkIn {
        couple: CoupleRef::New(partners()),
        attendance: Attendance::Both,
        request: Request::Repair,
        source: Source::NeighbourhoodTeam,
        note: String::new(),
    };
    let w = store.register_walk_in(&new, at, None).expect("walk-in");
    let call = Change::CallIn { counsellor_id: counsellor.id };
    store.change_walk_in(w, 1, call, at + Duration::minutes(5), None).expect("call in");
    let finish = Change::Finish { outcome };
    store.change_walk_in(w, 2, finish, at + Duration::minutes(40), None).expect("finish");
    store.walk_in(w).expect("walk-in").couple.id
}

/// A referral to relationship therapy, made through the store.
pub(crate) fn therapy(follow_up_on: Option<NaiveDate>) -> NewReferral {
    NewReferral {
        party: "therapy".into(),
        party_kind: PartyKind::Therapy,
        scope: Scope::Couple,
        reason: "Vastgelopen communicatie; het stel wil samen verder met een therapeut.".into(),
        cost_explained: true,
        insurance_to_check: true,
        shared: Shared::WithRequest,
        summary: String::new(),
        follow_up_on,
    }
}

/// A referral to therapy through the store, with consent of both partners on 20 November and
/// sent on the 21st (follow-up on `follow_up_on`). Returns its id.
fn sent_referral(f: &mut Fixture, follow_up_on: NaiveDate) -> i64 {
    let id = f
        .store
        .create_referral(f.couple, &therapy(Some(follow_up_on)), &f.counsellor, now())
        .expect("create");
    for position in [1, 2] {
        let version = f.store.referral(id, &f.counsellor).expect("referral").version;
        f.store.set_consent(id, version, position, true, day(20), &f.counsellor, now()).expect("consent");
    }
    let version = f.store.referral(id, &f.counsellor).expect("referral").version;
    f.store
        .set_referral_status(id, version, ReferralStatus::Sent, day(21), &f.counsellor, now())
        .expect("send");
    id
}

fn answer(f: &mut Fixture, id: i64, to: ReferralStatus) {
    let version = f.store.referral(id, &f.counsellor).expect("referral").version;
    f.store.set_referral_status(id, version, to, day(28), &f.counsellor, now()).expect("answer");
}

pub(crate) fn ctrl_s(app: &mut App) {
    press_with(app, KeyCode::Char('s'), KeyModifiers::CONTROL);
}

/// Signs in as the counsellor (first on the list), finds "wer", opens the file and goes to tab 4.
pub(crate) fn referral_pane(store: Store, lang: Lang) -> App {
    let mut app = App::new(store, Config::default(), Texts::new(lang), Box::new(now));
    crate::common::sign_in_first(&mut app);
    crate::common::open_file(&mut app, "wer");
    assert!(app.file.is_some(), "the file opened");
    press(&mut app, KeyCode::Char('4'));
    app
}

/// Both sizes of the same state, each under its own snapshot name.
pub(crate) fn snapshot_both(app: &App, name: &str) -> (String, String) {
    let small = screen(app, 80, 24);
    let wide = screen(app, 120, 40);
    insta::assert_snapshot!(format!("{name}_80x24"), small);
    insta::assert_snapshot!(format!("{name}_120x40"), wide);
    (small, wide)
}

/// The key hints of the referral pane at 80 columns, whole.
const HINTS: &str = "? help  q stoppen  / zoeken  n nieuwe verwijzing  c toestemming  s status";

/// The names that must never show cut off, in both forms the pane writes them, and the counsellor.
pub(crate) const NAMES: [&str; 5] =
    ["IJsbrand van der Wêreld", "Zoë Öztürk", "Wêreld, IJsbrand van der", "Öztürk, Zoë", "Harm Hulpverlener"];

/// What the detail says of `name`'s consent: the text beside "  name:", or on the line below it
/// when it did not fit beside the name.
fn consent_state(screen: &str, name: &str) -> String {
    let lines: Vec<&str> = screen.lines().collect();
    let head = format!("  {name}:");
    let at = lines.iter().position(|l| l.starts_with(&head));
    let at = at.unwrap_or_else(|| panic!("no consent line for {name}:\n{screen}"));
    let rest = &lines[at][head.len()..];
    let text = if rest.starts_with(' ') && !rest.starts_with("  ") {
        rest
    } else {
        lines.get(at + 1).and_then(|l| l.strip_prefix("    ")).unwrap_or_default()
    };
    text.split("  ").next().unwrap_or_default().trim().to_owned()
}

/// The checks of every 80x24 referral screen: each partner's consent state, the key hints on the
/// second-last line, and no name or bracket cut off.
fn check_80x24(small: &str, consent: [&str; 2], hints: &str) {
    assert_eq!(consent_state(small, "IJsbrand van der Wêreld"), consent[0], "{small}");
    assert_eq!(consent_state(small, "Zoë Öztürk"), consent[1], "{small}");
    let lines: Vec<&str> = small.lines().collect();
    assert_eq!(lines[lines.len() - 2], hints, "{small}");
    assert_nothing_cut(small, &NAMES);
}

/// The facts card (the right 44% of the detail, under "Wat het stel moet weten"), its wrapped
/// lines joined with single spaces.
fn facts_card(screen: &str, width: usize) -> String {
    facts_card_titled(screen, width, "Wat het stel moet weten", "Verwezen door")
}

fn facts_card_titled(screen: &str, width: usize, title: &str, below: &str) -> String {
    let left = width * 56 / 100;
    let lines: Vec<&str> = screen.lines().collect();
    let start = lines.iter().position(|l| l.contains(title)).expect("the facts card");
    let end = lines.iter().position(|l| l.contains(below)).expect("referrals in");
    let text: Vec<String> =
        lines[start + 1..end].iter().map(|l| l.chars().skip(left).collect::<String>()).collect();
    text.join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of the last message (the flash in the status line).
pub(crate) fn flash(app: &App) -> String {
    app.flash.as_ref().map(|f| f.text.clone()).unwrap_or_default()
}

/// The main flow by keys: n (form), c per partner, s refused while consent is missing, then sent.
#[test]
fn a_referral_made_by_keys_is_sent_only_with_everyone_s_consent() {
    let dir = tempfile::tempdir().expect("temp dir");
    let f = fixture(dir.path());
    let mut app = referral_pane(f.store, Lang::Nl);
    let empty = screen(&app, 80, 24);
    assert!(empty.contains("Nog geen verwijzingen. n maakt er een."), "{empty}");

    // The form: Naar starts on the first party; Right moves to relationship therapy.
    press(&mut app, KeyCode::Char('n'));
    assert!(!app.overlays.is_empty(), "the form opened");
    press(&mut app, KeyCode::Right);
    let form = screen(&app, 120, 40);
    assert!(form.contains("Relatietherapie (vrije vestiging)"), "{form}");
    assert!(form.contains("16-12-2026"), "follow-up two weeks ahead by default:\n{form}");
    insta::assert_snapshot!("referral_form_120x40", form);
    press(&mut app, KeyCode::Tab); // Voor: the couple, as it starts
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "Vastgelopen communicatie over de opvoeding.");
    // Paid help: refused until the cost was explained.
    ctrl_s(&mut app);
    assert!(screen(&app, 120, 40).contains("Bij betaalde hulp: leg eerst uit wat het kost"));
    press(&mut app, KeyCode::Right); // Kosten uitgelegd: ja
    ctrl_s(&mut app);
    assert!(app.overlays.is_empty(), "the form closed:\n{}", screen(&app, 120, 40));
    assert_eq!(flash(&app), "Verwijzing aangemaakt (concept). Leg nu de toestemming vast (c).");

    // Draft without consent: the pane says whose consent is missing.
    let (small, wide) = snapshot_both(&app, "referral_draft_no_consent");
    check_80x24(&small, ["nog niet gegeven", "nog niet gegeven"], HINTS);
    for s in [&small, &wide] {
        assert!(s.contains("concept"), "{s}");
    }
    for (s, width) in [(&small, 80), (&wide, 120)] {
        let card = facts_card(s, width);
        assert!(card.contains("ten minste ongeveer € 800"), "the cost on the facts card:\n{s}");
        assert!(card.contains("Niet vergoed uit de basisverzekering"), "insurance:\n{s}");
        assert!(card.contains("het stel checkt dit zelf bij de verzekeraar"), "insurance:\n{s}");
    }
    let blocked = format!(
        "Kan nog niet verstuurd worden en er kan geen brief gemaakt worden: toestemming ontbreekt van {BOTH}."
    );
    // The explanation wraps in the detail's column (the left 55%, beside the facts card): read
    // that column as one text.
    let detail: Vec<String> = wide.lines().map(|l| l.chars().take(120 * 55 / 100).collect()).collect();
    let detail = detail.join(" ").split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(detail.contains(&blocked), "the reason in the pane, whole:\n{wide}");
    assert!(wide.contains("IJsbrand van der Wêreld") && wide.contains("Zoë Öztürk"), "both names:\n{wide}");
    assert!(wide.contains("Vastgelopen communicatie over de opvoeding."), "{wide}");

    // Sending is refused, in words, naming both partners.
    press(&mut app, KeyCode::Char('s'));
    assert!(app.overlays.is_empty(), "no status picker while consent is missing");
    assert!(
        flash(&app).contains("Kan nog niet verstuurd worden") && flash(&app).contains(&blocked),
        "{}",
        flash(&app)
    );
    // Nor is there a letter.
    press(&mut app, KeyCode::Char('b'));
    assert!(flash(&app).contains(&blocked), "{}", flash(&app));
    assert!(!dir.path().join("brieven").exists(), "no letter written");

    // Consent of IJsbrand: the picker offers both partners.
    press(&mut app, KeyCode::Char('c'));
    let picker = screen(&app, 80, 24);
    assert!(picker.contains("IJsbrand van der Wêreld geeft toestemming (vandaag)"), "{picker}");
    assert!(picker.contains("Zoë Öztürk geeft toestemming (vandaag)"), "{picker}");
    // The consent lines come first in the detail: the picker does not hide them.
    check_80x24(&picker, ["nog niet gegeven", "nog niet gegeven"], "Enter kiezen  Esc annuleren");
    insta::assert_snapshot!("referral_consent_picker_80x24", picker);
    press(&mut app, KeyCode::Enter);
    assert_eq!(flash(&app), "Toestemming vastgelegd.");
    // Both partners' consent and whose consent is missing, also at 80x24.
    let (small, wide) = snapshot_both(&app, "referral_draft_one_consent");
    check_80x24(&small, ["gegeven op 02-12-2026", "nog niet gegeven"], HINTS);
    assert!(line_with(&small, "ontbreekt van Zoë Öztürk.").starts_with("ontbreekt van"), "{small}");
    assert!(wide.contains("toestemming ontbreekt van Zoë Öztürk."), "{wide}");
    assert!(wide.contains("gegeven op 02-12-2026"), "{wide}");

    // Still refused, now naming only Zoë.
    press(&mut app, KeyCode::Char('s'));
    assert!(app.overlays.is_empty(), "no status picker while Zoë's consent is missing");
    assert!(flash(&app).ends_with("toestemming ontbreekt van Zoë Öztürk."), "{}", flash(&app));
    // At 80 columns the message wraps onto a second line, so that it names Zoë.
    let small = screen(&app, 80, 24);
    check_80x24(&small, ["gegeven op 02-12-2026", "nog niet gegeven"], HINTS);
    let message = "Kan nog niet verstuurd worden en er kan geen brief gemaakt worden: toestemming\n\
                   ontbreekt van Zoë Öztürk.\n";
    assert!(small.contains(&format!("{message}{HINTS}")), "the whole message above the hints:\n{small}");
    // Two message lines leave the reason one line: it ends in "…" rather than being cut silently.
    assert!(
        line_with(&small, "Reden: ").starts_with("Reden: Vastgelopen communicatie over de…  "),
        "{small}"
    );
    insta::assert_snapshot!("referral_send_refused_80x24", small);

    // The partner without consent comes first in the list: Enter records Zoë's.
    press(&mut app, KeyCode::Char('c'));
    assert!(screen(&app, 80, 24).contains("▸ Zoë Öztürk geeft toestemming (vandaag)"));
    press(&mut app, KeyCode::Enter);
    assert_eq!(flash(&app), "Toestemming vastgelegd.");

    // Now the status picker opens with 'verstuurd'.
    press(&mut app, KeyCode::Char('s'));
    let picker = screen(&app, 80, 24);
    assert!(picker.contains("Status van de verwijzing") && picker.contains("verstuurd"), "{picker}");
    press(&mut app, KeyCode::Enter);
    assert_eq!(flash(&app), "Status van de verwijzing gewijzigd.");
    let (small, wide) = snapshot_both(&app, "referral_sent");
    check_80x24(&small, ["gegeven op 02-12-2026", "gegeven op 02-12-2026"], HINTS);
    for s in [&small, &wide] {
        assert!(s.contains("verstuurd") && !s.contains("ontbreekt"), "{s}");
    }
    let stored = app.referral.list.first().expect("one referral").clone();
    assert_eq!(stored.status, ReferralStatus::Sent);
    assert_eq!(stored.sent_on, Some(now().date_naive()));
    assert_eq!(stored.party, "therapy");
}

#[test]
fn an_accepted_referral() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut f = fixture(dir.path());
    let id = sent_referral(&mut f, day(30) + Duration::days(5));
    answer(&mut f, id, ReferralStatus::Accepted);
    let mut app = referral_pane(f.store, Lang::Nl);
    let (small, wide) = snapshot_both(&app, "referral_accepted");
    check_80x24(&small, ["gegeven op 20-11-2026", "gegeven op 20-11-2026"], HINTS);
    for s in [&small, &wide] {
        assert!(s.contains("geaccepteerd") && s.contains("gegeven op 20-11-2026"), "{s}");
    }
    // Nothing follows an answer.
    press(&mut app, KeyCode::Char('s'));
    assert!(app.overlays.is_empty());
    assert_eq!(flash(&app), "Deze verwijzing is afgerond.");
}

#[test]
fn a_declined_referral() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut f = fixture(dir.path());
    let id = sent_referral(&mut f, day(30) + Duration::days(5));
    answer(&mut f, id, ReferralStatus::Declined);
    let app = referral_pane(f.store, Lang::Nl);
    let (small, wide) = snapshot_both(&app, "referral_declined");
    check_80x24(&small, ["gegeven op 20-11-2026", "gegeven op 20-11-2026"], HINTS);
    for s in [&small, &wide] {
        assert!(s.contains("afgewezen"), "{s}");
    }
}

/// Both consented, then Zoë withdraws (by keys): nothing more is sent, no letter is made.
#[test]
fn a_withdrawal_stops_sending_and_the_letter() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut f = fixture(dir.path());
    let id =
        f.store.create_referral(f.couple, &therapy(Some(day(30))), &f.counsellor, now()).expect("create");
    for position in [1, 2] {
        let version = f.store.referral(id, &f.counsellor).expect("referral").version;
        f.store.set_consent(id, version, position, true, day(20), &f.counsellor, now()).expect("consent");
    }
    let mut app = referral_pane(f.store, Lang::Nl);
    press(&mut app, KeyCode::Char('c'));
    let picker = screen(&app, 80, 24);
    assert!(picker.contains("Zoë Öztürk trekt de toestemming in (vandaag)"), "{picker}");
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    // A withdrawal is asked once more: yes records it.
    assert!(screen(&app, 80, 24).contains("Trekt Zoë Öztürk de toestemming echt in?"));
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(flash(&app), "Toestemming ingetrokken: er wordt niets meer verstuurd.");
    // Each partner's consent comes first, also at 80x24; the reason nothing is sent follows it.
    let (small, wide) = snapshot_both(&app, "referral_withdrawn");
    check_80x24(&small, ["gegeven op 20-11-2026", "ingetrokken op 02-12-2026"], HINTS);
    assert!(
        line_with(&small, "Er wordt niets meer verstuurd: Zoë Öztürk ").starts_with("Er wordt"),
        "{small}"
    );
    assert!(line_with(&small, "trok de toestemming in.").starts_with("trok de"), "{small}");
    let words = wide.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(words.contains("ingetrokken op 02-12-2026"), "{wide}");
    assert!(words.contains("Zoë Öztürk trok de toestemming"), "{wide}");

    press(&mut app, KeyCode::Char('s'));
    assert!(app.overlays.is_empty(), "no status picker after a withdrawal");
    assert_eq!(flash(&app), "Er wordt niets meer verstuurd: Zoë Öztürk trok de toestemming in.");
    press(&mut app, KeyCode::Char('b'));
    assert_eq!(flash(&app), "Er wordt niets meer verstuurd: Zoë Öztürk trok de toestemming in.");
    assert!(!dir.path().join("brieven").exists(), "no letter written");
}

/// A referral sent on 21 November whose follow-up date (1 December) has passed, and one that is
/// not due yet: only the first is on the list; Enter opens it in its file.
#[test]
fn the_follow_up_list_shows_the_overdue_referral() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut f = fixture(dir.path());
    sent_referral(&mut f, day(30) + Duration::days(1));
    let other =
        f.store.create_referral(f.couple, &therapy(Some(day(30) + Duration::days(20))), &f.counsellor, now());
    other.expect("a second referral, not sent");
    let mut app = referral_pane(f.store, Lang::Nl);
    press(&mut app, KeyCode::Char('f'));
    let (small, wide) = snapshot_both(&app, "referral_follow_ups");
    let lines: Vec<&str> = small.lines().collect();
    assert_eq!(lines[lines.len() - 2], HINTS, "{small}");
    assert_nothing_cut(&small, &NAMES);
    for s in [&small, &wide] {
        assert!(s.contains("Opvolglijst: 1 verwijzing(en)"), "{s}");
        assert!(s.contains("01-12-2026") && s.contains("2026-001"), "{s}");
    }
    press(&mut app, KeyCode::Enter);
    assert!(!app.referral.show_follow_ups);
    let selected = app.referral.selected().expect("a selected referral");
    assert_eq!(selected.status, ReferralStatus::Sent);
}

#[test]
fn english_referral_pane() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut f = fixture(dir.path());
    let id =
        f.store.create_referral(f.couple, &therapy(Some(day(30))), &f.counsellor, now()).expect("create");
    let version = f.store.referral(id, &f.counsellor).expect("referral").version;
    f.store.set_consent(id, version, 1, true, day(20), &f.counsellor, now()).expect("consent");
    let app = referral_pane(f.store, Lang::En);
    let wide = screen(&app, 120, 40);
    let card = facts_card_titled(&wide, 120, "What the couple should know", "Referred in by");
    assert!(card.contains("about €800 at the least"), "{wide}");
    assert!(card.contains("Not covered by basic health insurance"), "{wide}");
    insta::assert_snapshot!("referral_english_draft_one_consent_120x40", wide);
    // At 80x24 in English too: both partners' consent and the hints, nothing cut.
    let small = screen(&app, 80, 24);
    check_80x24(
        &small,
        ["given on 20-11-2026", "not given yet"],
        "? help  q quit  / find  n new referral  c consent  s status  b letter",
    );
    assert!(
        line_with(&small, "consent is missing from Zoë Öztürk.").starts_with("yet: consent is missing"),
        "{small}"
    );
}

/// From the file pane, r opens the referral form on tab 4; from the queue only a walk-in referred on.
#[test]
fn r_refers_from_the_file_and_from_a_walk_in_referred_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut f = fixture(dir.path());
    // Today: the couple walked in again and went home with a trajectory to plan.
    walk_in_again(&mut f, Outcome::TrajectoryToPlan);
    let mut app = App::new(f.store, Config::default(), Texts::new(Lang::Nl), Box::new(now));
    press(&mut app, KeyCode::Enter);
    crate::common::type_text(&mut app, crate::common::desk::PASSWORD);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('f')); // show finished walk-ins
    press(&mut app, KeyCode::Char('r'));
    assert!(app.overlays.is_empty());
    assert_eq!(
        flash(&app),
        "Alleen een inloper met de uitkomst 'doorverwezen' gaat naar het verwijsformulier."
    );

    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "oztu");
    press(&mut app, KeyCode::Enter);
    assert!(app.file.is_some(), "the file opened");
    press(&mut app, KeyCode::Char('r'));
    let s = screen(&app, 120, 40);
    assert!(s.contains("Verwijzing") && s.contains("Adviespunt Scheiden"), "{s}");
    press(&mut app, KeyCode::Esc);
    assert!(app.overlays.is_empty(), "{}", screen(&app, 120, 40));
    assert!(screen(&app, 120, 40).contains("Nog geen verwijzingen"));
}

#[test]
fn r_on_a_walk_in_referred_on_opens_the_form() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut f = fixture(dir.path());
    walk_in_again(&mut f, Outcome::ReferredOn);
    let mut app = App::new(f.store, Config::default(), Texts::new(Lang::Nl), Box::new(now));
    press(&mut app, KeyCode::Enter);
    crate::common::type_text(&mut app, crate::common::desk::PASSWORD);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('f'));
    press(&mut app, KeyCode::Char('r'));
    assert!(app.file.is_some(), "the walk-in's file opened");
    assert!(!app.overlays.is_empty(), "the referral form opened");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "Vragen over ouderschap na de scheiding.");
    ctrl_s(&mut app);
    let s = screen(&app, 120, 40);
    assert!(s.contains("Adviespunt Scheiden") && s.contains("concept") && s.contains("Gratis."), "{s}");
}

/// Today's walk-in of the same couple (joined to the existing file), finished with `outcome`.
fn walk_in_again(f: &mut Fixture, outcome: Outcome) {
    let new = NewWalkIn {
        couple: CoupleRef::Existing(f.couple),
        attendance: Attendance::Both,
        request: Request::Repair,
        source: Source::NeighbourhoodTeam,
        note: String::new(),
    };
    let at = now() - Duration::minutes(50);
    let w = f.store.register_walk_in(&new, at, None).expect("walk-in");
    let call = Change::CallIn { counsellor_id: f.counsellor.id };
    f.store.change_walk_in(w, 1, call, at + Duration::minutes(5), None).expect("call in");
    f.store
        .change_walk_in(w, 2, Change::Finish { outcome }, at + Duration::minutes(40), None)
        .expect("finish");
}
