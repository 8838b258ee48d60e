//! The planner on ratatui's TestBackend: the trajectory list, the week view, and the rules on screen.

use crate::common::desk::{duty, walk_in};
use crate::common::{assert_nothing_cut, ctrl, press, screen, type_text};

use chrono::{DateTime, Duration, TimeZone, Utc};
use loket::app::App;
use loket::config::{Config, Lang};
use loket::domain::couple::Request;
use loket::domain::planner::SessionStatus;
use loket::domain::trajectory::NewSession;
use loket::domain::user::Role;
use loket::i18n::Texts;
use loket::store::Store;
use ratatui::crossterm::event::KeyCode;

/// Monday 19 October 2026, 10:00 in Amsterdam (summer time, UTC+2): the week before the clocks go back.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 10, 19, 8, 0, 0).single().expect("valid time")
}

fn local(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    loket::domain::walkin::DESK_TZ
        .with_ymd_and_hms(2026, 10, d, h, m, 0)
        .earliest()
        .expect("exists")
        .with_timezone(&Utc)
}

/// A counsellor (Sara) with a trajectory for IJsbrand van der Wêreld & Els Jansen: one conversation
/// held last week, two planned. Signed in as Sara, the file open, on the planner tab.
fn planner(lang: Lang, dir: &std::path::Path) -> App {
    let mut store = Store::open(&dir.join("loket.db")).expect("open");
    let t0 = now() - Duration::days(10);
    let sara =
        store.seed_user("Sara de Boer", &[Role::Counsellor], crate::common::desk::hash(), t0).expect("user");
    let walk_in = walk_in(&[("IJsbrand", "van der", "Wêreld"), ("Els", "", "Jansen")], Request::Repair);
    let w = store.register_walk_in(&walk_in, t0, None).expect("walk-in");
    let couple = store.walk_in(w).expect("walk-in").couple.id;
    let trajectory = store.start_trajectory(couple, sara.id, &sara, t0).expect("trajectory");
    for (start, status) in [
        (local(13, 14, 0), SessionStatus::Held),
        (local(20, 14, 0), SessionStatus::Planned),
        (local(27, 10, 30), SessionStatus::Planned),
    ] {
        let new = NewSession {
            trajectory_id: trajectory,
            start,
            room: "Spreekkamer 1".into(),
            status,
            attended: None,
        };
        store.plan_session(&new, duty(), &sara, now()).expect("plan");
    }
    let mut app = App::new(store, Config::default(), Texts::new(lang), Box::new(now));
    crate::common::sign_in_first(&mut app);
    crate::common::open_file(&mut app, "wer");
    press(&mut app, KeyCode::Char('3'));
    app
}

/// The couple and the counsellor in the planner: never cut off.
const NAMES: [&str; 3] = ["Wêreld, IJsbrand van der", "Jansen, Els", "Sara de Boer"];

#[test]
fn the_trajectory_at_80x24_and_120x40() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = planner(Lang::Nl, dir.path());
    let wide = screen(&app, 120, 40);
    assert!(wide.contains("1 van 5 gevoerd, 2 gepland, 2 over"), "{wide}");
    assert!(wide.contains("Budget 2026: 1/10 trajecten · 1,5 uur gevoerd"), "{wide}");
    insta::assert_snapshot!("planner_trajectory_120x40", wide);
    let small = screen(&app, 80, 24);
    let lines: Vec<&str> = small.lines().collect();
    assert_eq!(lines[2], "Traject 2026-001  Wêreld, IJsbrand van der & Jansen, Els  ·  Sara de Boer");
    assert_eq!(lines[22], "? help  q stoppen  / zoeken  t traject  a gesprek  h gevoerd  m niet verschenen");
    assert_nothing_cut(&small, &NAMES);
    insta::assert_snapshot!("planner_trajectory_80x24", small);
}

#[test]
fn the_week_view_marks_today_and_pages_by_week() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = planner(Lang::Nl, dir.path());
    press(&mut app, KeyCode::Char('v'));
    let this_week = screen(&app, 120, 40);
    assert!(this_week.contains("ma 19 okt •") && this_week.contains("di 20 okt"), "{this_week}");
    assert!(this_week.contains("14:00 2026-001"), "{this_week}");
    insta::assert_snapshot!("planner_week_120x40", this_week);
    // At 80 columns the key reminder takes its short form, whole.
    let small = screen(&app, 80, 24);
    let head = small.lines().nth(2).unwrap_or_default();
    assert_eq!(head, "Week 43 · Sara de Boer   ([ ] andere week, c andere hulpverlener)", "{small}");
    assert_nothing_cut(&small, &NAMES);
    press(&mut app, KeyCode::Char(']'));
    let next = screen(&app, 120, 40);
    assert!(next.contains("di 27 okt") && next.contains("10:30 2026-001") && !next.contains("•"), "{next}");
    // No full names in the week: file number and initials only.
    assert!(next.contains("IJ. van der W. & E. J.") && !next.contains("Wêreld"), "{next}");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.pane, loket::action::Pane::File);
}

#[test]
fn the_form_shows_what_it_understood_and_refuses_the_walk_in_hour() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = planner(Lang::Nl, dir.path());
    press(&mut app, KeyCode::Char('a'));
    ctrl(&mut app, 'u');
    type_text(&mut app, "wo 9:30");
    let s = screen(&app, 80, 24);
    assert!(s.contains("→ wo 21 okt 2026 09:30–11:00"), "{s}");
    ctrl(&mut app, 's');
    let refused = screen(&app, 80, 24);
    assert!(refused.contains("Dan is het inloopspreekuur"), "{refused}");
    ctrl(&mut app, 'u');
    type_text(&mut app, "di 15:00");
    ctrl(&mut app, 's');
    let clash = screen(&app, 120, 40);
    assert!(
        clash.contains("De hulpverlener heeft dan al een gesprek: dossier 2026-001, di 20 okt 14:00."),
        "{clash}"
    );
    ctrl(&mut app, 'u');
    type_text(&mut app, "28-03-2027 02:30"); // the clocks go forward at 02:00
    let gap = screen(&app, 120, 40);
    assert!(gap.contains("Dit tijdstip bestaat niet"), "{gap}");
}

#[test]
fn the_doubled_autumn_hour_asks_which_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = planner(Lang::Nl, dir.path());
    // The doubled hour is a Sunday night: only a desk that works round the clock can plan in it.
    use chrono::{NaiveTime, Weekday};
    use loket::config::{Clock, Day};
    app.config.working_hours.days =
        [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun]
            .into_iter()
            .map(Day)
            .collect();
    app.config.working_hours.start = Clock(NaiveTime::MIN);
    app.config.working_hours.end = Clock(NaiveTime::from_hms_opt(23, 59, 0).expect("time"));
    press(&mut app, KeyCode::Char('a'));
    ctrl(&mut app, 'u');
    type_text(&mut app, "25-10 02:30");
    ctrl(&mut app, 's');
    let s = screen(&app, 80, 24);
    assert!(s.contains("Dit tijdstip bestaat twee keer"), "{s}");
    assert_eq!(s.lines().nth(22), Some("Enter kiezen  Esc annuleren"), "{s}");
    assert_nothing_cut(&s, &NAMES);
    insta::assert_snapshot!("planner_which_time_80x24", s);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    let saved = app
        .planner
        .trajectory
        .as_ref()
        .expect("trajectory")
        .sessions
        .iter()
        .map(|s| s.start)
        .collect::<Vec<_>>();
    assert!(
        saved.contains(&Utc.with_ymd_and_hms(2026, 10, 25, 1, 30, 0).single().expect("valid")),
        "winter time chosen: {saved:?}"
    );
}

#[test]
fn a_sixth_conversation_is_refused_on_screen() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = planner(Lang::Nl, dir.path());
    for _ in 0..2 {
        press(&mut app, KeyCode::Char('a'));
        ctrl(&mut app, 's');
    }
    let full = screen(&app, 120, 40);
    assert!(full.contains("1 van 5 gevoerd, 4 gepland, 0 over"), "{full}");
    press(&mut app, KeyCode::Char('a'));
    assert!(app.overlays.is_empty(), "no form for a sixth");
    assert!(screen(&app, 120, 40).contains("Dit traject heeft al 5 gesprekken"));
    // Cancel one: its place comes back.
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('x'));
    type_text(&mut app, "ziek");
    ctrl(&mut app, 's');
    let after = screen(&app, 120, 40);
    assert!(after.contains("geannuleerd: ziek") && after.contains("3 gepland, 1 over"), "{after}");
}

#[test]
fn english_planner() {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = planner(Lang::En, dir.path());
    insta::assert_snapshot!("planner_trajectory_english_120x40", screen(&app, 120, 40));
}

/// Issue 15: a cancelled conversation has no number; the list counts only the conversations that
/// take a place (never "#6" in a trajectory of five).
#[test]
fn only_the_conversations_that_count_are_numbered() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = planner(Lang::Nl, dir.path());
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('x'));
    type_text(&mut app, "ziek");
    ctrl(&mut app, 's');
    let s = screen(&app, 80, 24);
    let row = |text: &str| crate::common::line_with(&s, text).trim_start().to_owned();
    assert!(row("geannuleerd: zi…").starts_with("– "), "{s}");
    assert!(row("di 27 okt").starts_with("2 "), "the next one is number 2: {s}");
    insta::assert_snapshot!("planner_cancelled_unnumbered_80x24", s);
}

/// Issue 15: a conversation recorded afterwards as held asks who came (it is not assumed to be
/// both partners).
#[test]
fn a_conversation_recorded_afterwards_asks_who_came() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = planner(Lang::Nl, dir.path());
    press(&mut app, KeyCode::Char('a'));
    ctrl(&mut app, 'u');
    type_text(&mut app, "16-10-2026 14:00");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right); // gevoerd
    ctrl(&mut app, 's');
    let s = screen(&app, 80, 24);
    assert!(s.contains("Gevoerd: wie waren er?") && s.contains("Els Jansen"), "{s}");
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter); // Els alone
    assert!(app.overlays.is_empty(), "saved: {}", screen(&app, 80, 24));
    let sessions = &app.planner.trajectory.as_ref().expect("trajectory").sessions;
    let held = sessions.iter().find(|s| s.start == local(16, 14, 0)).expect("recorded");
    assert_eq!(held.attended, Some(loket::domain::planner::Attended::Partner2));
}

/// Issue 15: `u` undoes a trajectory started by mistake (after a question), and refuses one with a
/// conversation held.
#[test]
fn u_undoes_a_trajectory_without_conversations_held() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = planner(Lang::Nl, dir.path());
    press(&mut app, KeyCode::Char('u'));
    assert!(app.overlays.is_empty());
    assert!(screen(&app, 120, 40).contains("kan niet ongedaan worden gemaakt"));
    // A second couple, whose trajectory was started by mistake this morning.
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("loket.db")).expect("open");
    let sara = store
        .seed_user("Sara de Boer", &[Role::Counsellor], crate::common::desk::hash(), now())
        .expect("user");
    let w = store
        .register_walk_in(&walk_in(&[("Els", "", "Jansen")], Request::Repair), now(), None)
        .expect("walk-in");
    let couple = store.walk_in(w).expect("walk-in").couple.id;
    store.start_trajectory(couple, sara.id, &sara, now()).expect("trajectory");
    let mut app = App::new(store, Config::default(), Texts::new(Lang::Nl), Box::new(now));
    crate::common::sign_in_first(&mut app);
    crate::common::open_file(&mut app, "jansen");
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('z'));
    let question = screen(&app, 80, 24);
    assert!(question.contains("Bij vergissing begonnen?"), "ending says that undoing is there: {question}");
    press(&mut app, KeyCode::Char('n'));
    press(&mut app, KeyCode::Char('u'));
    press(&mut app, KeyCode::Char('j'));
    let s = screen(&app, 80, 24);
    assert!(s.contains("Traject ongedaan gemaakt") && s.contains("Geen lopend traject"), "{s}");
    assert!(s.contains("Budget 2026: 0/10 trajecten"), "the funded place is back: {s}");
    assert_eq!(app.file.as_ref().map(|f| f.status), Some(loket::domain::file::FileStatus::New));
}

#[test]
fn the_scores_form_names_the_partners_and_keeps_a_space_before_each_mark() {
    for (lang, first, last) in [
        (Lang::Nl, "IJsbrand: tevredenheid relatie", "Els: hoop voor de relatie"),
        (Lang::En, "IJsbrand: satisfaction", "Els: hope"),
    ] {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut app = planner(lang, dir.path());
        press(&mut app, KeyCode::Home); // the conversation held last week
        press(&mut app, KeyCode::Char('o'));
        for mark in ["4", "6", "5", "7", "8", "9"] {
            type_text(&mut app, mark);
            press(&mut app, KeyCode::Tab);
        }
        let s = screen(&app, 80, 24);
        assert!(!s.contains("P1") && !s.contains("P2"), "{s}");
        let row = crate::common::line_with(&s, first);
        assert!(row.contains(&format!("{first} *")) && row.contains(" 4"), "{row}");
        let after = row.split(first).nth(1).unwrap_or_default();
        assert!(after.trim_start_matches(" *").starts_with(' '), "a space before the mark: {row:?}");
        assert!(crate::common::line_with(&s, last).contains(" 9"), "{s}");
        assert!(!s.contains('…'), "{s}");
    }
}

#[test]
fn the_week_view_shows_each_entry_whole_with_its_room_and_the_selected_one_in_full() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = planner(Lang::Nl, dir.path());
    press(&mut app, KeyCode::Char('v'));
    press(&mut app, KeyCode::Char(']'));
    for (w, h) in [(80, 24), (120, 40)] {
        let s = screen(&app, w, h);
        assert!(!s.contains('…'), "nothing cut at {w}×{h}:\n{s}");
        // The room is in the day's column, under the entry.
        assert!(s.contains("Spreekkamer 1"), "{s}");
        // The selected entry in full under the week: when, file, names, room, status.
        let detail = crate::common::line_with(&s, "▸ ");
        assert!(
            detail.contains("di 27 okt 2026 10:30–12:00 · 2026-001 · IJ. van der W. & E. J. · Spreekkamer 1"),
            "{s}"
        );
    }
    // At 80 columns the initials wrap within their day instead of being cut.
    let s = screen(&app, 80, 24);
    assert!(s.contains("IJ. van der W. &"), "{s}");
}

#[test]
fn closed_days_are_skipped_by_the_next_free_slot_and_refused_with_a_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = planner(Lang::Nl, dir.path());
    // The next free slot is a week after the last conversation (Tue 27 October 10:30): Tue 3 November.
    press(&mut app, KeyCode::Char('a'));
    assert!(screen(&app, 80, 24).contains("→ di 3 nov 2026"), "{}", screen(&app, 80, 24));
    app.overlays.clear();
    // The desk closes on 3 and 4 November; Sara has 5 November off.
    // (Set beside the app, as a coordinator at another desk would.)
    let mut store = Store::open(&dir.path().join("loket.db")).expect("second connection");
    let coordinator = store
        .seed_user("Kees Bakker", &[Role::Coordinator], crate::common::desk::hash(), now())
        .expect("coordinator");
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 11, d).expect("date");
    let today = day(1) - Duration::days(20);
    store.set_closed_days(None, &[day(3), day(4)].into(), today, &coordinator, now()).expect("closed");
    let sara = app.user.clone().expect("signed in");
    store.set_closed_days(Some(sara.id), &[day(5)].into(), today, &coordinator, now()).expect("off");
    drop(store);
    press(&mut app, KeyCode::Char('a'));
    let s = screen(&app, 80, 24);
    assert!(s.contains("→ vr 6 nov 2026"), "the first open day:\n{s}");
    // Typed on a closed day: refused, the form stays with what was typed.
    ctrl(&mut app, 'u');
    type_text(&mut app, "04-11-2026 14:00");
    ctrl(&mut app, 's');
    let s = screen(&app, 80, 24);
    assert!(s.contains("Het loket is dicht op wo 4 nov"), "{s}");
    assert!(s.contains("04-11-2026 14:00"), "{s}");
    ctrl(&mut app, 'u');
    type_text(&mut app, "05-11-2026 14:00");
    ctrl(&mut app, 's');
    let s = screen(&app, 120, 40);
    assert!(s.contains("De hulpverlener is vrij op do 5 nov"), "{s}");
    // The week shows them.
    app.overlays.clear();
    press(&mut app, KeyCode::Char('v'));
    for _ in 0..2 {
        press(&mut app, KeyCode::Char(']'));
    }
    let week = screen(&app, 80, 24);
    assert!(week.contains("loket dicht") && week.contains("vrij"), "{week}");
}
