//! The question before a conversation or a referral with both partners while a concern
//! (*zorgsignaal*) is open, on ratatui's TestBackend with keys through the real keymap: asked only
//! while the concern is open (not before one, not after it closed), in Dutch and English; "no"
//! saves nothing and keeps the form, "yes" saves; a referral for one partner alone is not joint and
//! is not asked about; a receptionist is asked in the neutral words, never "zorgsignaal".

use crate::common::desk::{hash, now, walk_in};
use crate::common::{ctrl, form_of, press, screen, sign_in, type_text};

use chrono::Duration;
use loket::app::{App, Overlay};
use loket::config::{Config, Lang};
use loket::domain::concern::{Answer, Consulted, Decision, NewStep, StepDetail, Talk, Weighing};
use loket::domain::couple::Request;
use loket::domain::user::Role;
use loket::i18n::Texts;
use loket::store::Store;
use ratatui::crossterm::event::KeyCode;

const COUNSELLOR: &str = "Harm Hulpverlener";
const RECEPTIONIST: &str = "Rita Receptie";

/// Where the couple's concern stands when the app starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Concern {
    None,
    Open,
    /// Walked through the five steps, closed with a report to Veilig Thuis.
    Closed,
}

/// A counsellor and a receptionist; IJsbrand van der Wêreld & Zoë Öztürk, who walked in two weeks
/// ago and have a trajectory with the counsellor; their concern as `concern` says. The app signed
/// in as `who`, the file open.
fn start(dir: &std::path::Path, concern: Concern, lang: Lang, who: &str) -> App {
    let mut store = Store::open(&dir.join("loket.db")).expect("open");
    let t0 = now() - Duration::days(14);
    let harm = store.seed_user(COUNSELLOR, &[Role::Counsellor], hash(), t0).expect("user");
    store.seed_user(RECEPTIONIST, &[Role::Receptionist], hash(), t0).expect("user");
    let new = walk_in(&[("IJsbrand", "van der", "Wêreld"), ("Zoë", "", "Öztürk")], Request::Repair);
    let w = store.register_walk_in(&new, t0, None).expect("walk-in");
    let couple = store.walk_in(w).expect("walk-in").couple.id;
    store.start_trajectory(couple, harm.id, &harm, t0).expect("trajectory");
    if concern != Concern::None {
        let t1 = t0 + Duration::days(1);
        let id = store.open_concern(couple, "Dreiging bij de laatste ruzie", &harm, t1).expect("concern");
        if concern == Concern::Closed {
            let weighed = (0..5).map(|_| Weighing { answer: Answer::Yes, note: "ja".into() }).collect();
            for detail in [
                StepDetail::Mapped,
                StepDetail::Consulted(Consulted::Officer),
                StepDetail::Talked(Talk::Both),
                StepDetail::Weighed(weighed),
                StepDetail::Decided(Decision::Report),
            ] {
                let step = NewStep { detail, on: t1.date_naive(), note: "Besproken".into() };
                store.record_step(id, &step, &harm, t1).expect("step");
            }
        }
    }
    let mut app = App::new(store, Config::default(), Texts::new(lang), Box::new(now));
    sign_in(&mut app, who);
    crate::common::open_file(&mut app, "wer");
    app
}

/// The question on top, if one is asked.
fn question(app: &App) -> Option<String> {
    match app.overlays.last() {
        Some(Overlay::Confirm(c)) => Some(c.question.clone()),
        _ => None,
    }
}

/// A count from the database file, read beside the app.
fn count(dir: &std::path::Path, sql: &str) -> i64 {
    crate::common::db::raw(&dir.join("loket.db")).query_row(sql, [], |r| r.get(0)).expect(sql)
}

const SESSIONS: &str = "SELECT count(*) FROM sessions";

/// The planner's conversation form with its proposed time, saved with Ctrl-S.
fn plan(app: &mut App) {
    press(app, KeyCode::Char('3'));
    press(app, KeyCode::Char('a'));
    assert_eq!(crate::common::top_form_kind(app), Some("plan.session_title"), "{}", screen(app, 120, 40));
    ctrl(app, 's');
}

/// The referral form for the couple (`scope` 0) or partner `scope` alone, to the first party
/// (free help), saved with Ctrl-S.
fn refer(app: &mut App, scope: usize) {
    press(app, KeyCode::Char('4'));
    press(app, KeyCode::Char('n'));
    assert_eq!(crate::common::top_form_kind(app), Some("refer.title"), "{}", screen(app, 120, 40));
    press(app, KeyCode::Tab); // Voor
    for _ in 0..scope {
        press(app, KeyCode::Right);
    }
    press(app, KeyCode::Tab);
    type_text(app, "Vragen over ouderschap.");
    ctrl(app, 's');
}

/// Dutch and English: the question for a counsellor, and the keys for yes and no.
const LANGS: [(Lang, &str, char); 2] = [
    (Lang::Nl, "Er is een zorgsignaal: toch samen? Dit gesprek inplannen met beide partners.", 'j'),
    (Lang::En, "There is a safety concern: together anyway? Plan this conversation with both partners.", 'y'),
];

#[test]
fn planning_asks_toch_samen_only_while_a_concern_is_open() {
    for (lang, asked, yes) in LANGS {
        for concern in [Concern::None, Concern::Open, Concern::Closed] {
            let dir = tempfile::tempdir().expect("temp dir");
            let mut app = start(dir.path(), concern, lang, COUNSELLOR);
            plan(&mut app);
            if concern != Concern::Open {
                assert_eq!(question(&app), None, "{lang:?} {concern:?}:\n{}", screen(&app, 120, 40));
                assert_eq!(count(dir.path(), SESSIONS), 1, "{lang:?} {concern:?}: planned at once");
                assert!(app.overlays.is_empty(), "{lang:?} {concern:?}: the form closed");
                continue;
            }
            assert_eq!(question(&app).as_deref(), Some(asked), "{lang:?}");
            // On screen too (the popup wraps the rest of it).
            let shown = screen(&app, 120, 40);
            assert!(shown.contains(asked.split(':').next().unwrap_or(asked)), "{shown}");
            assert_eq!(count(dir.path(), SESSIONS), 0, "{lang:?}: nothing planned before the answer");
            // No: nothing planned, the form stays with its time.
            press(&mut app, KeyCode::Char('n'));
            assert_eq!(question(&app), None, "{lang:?}");
            assert!(form_of(&app).is_some(), "{lang:?}: the form stays:\n{}", screen(&app, 120, 40));
            assert_eq!(count(dir.path(), SESSIONS), 0, "{lang:?}: no means nothing planned");
            // Saved again, asked again; yes plans it.
            ctrl(&mut app, 's');
            assert_eq!(question(&app).as_deref(), Some(asked), "{lang:?}");
            press(&mut app, KeyCode::Char(yes));
            assert!(app.overlays.is_empty(), "{lang:?}: planned:\n{}", screen(&app, 120, 40));
            assert_eq!(count(dir.path(), SESSIONS), 1, "{lang:?}: yes plans it");
        }
    }
}

#[test]
fn referring_the_couple_asks_only_while_a_concern_is_open() {
    let referrals = "SELECT count(*) FROM referrals WHERE scope = 'couple'";
    for (lang, yes, asked) in [
        (Lang::Nl, 'j', "Er is een zorgsignaal: toch het stel samen verwijzen?"),
        (Lang::En, 'y', "There is a safety concern: refer the couple on together anyway?"),
    ] {
        for concern in [Concern::None, Concern::Open, Concern::Closed] {
            let dir = tempfile::tempdir().expect("temp dir");
            let mut app = start(dir.path(), concern, lang, COUNSELLOR);
            refer(&mut app, 0);
            if concern != Concern::Open {
                assert_eq!(question(&app), None, "{lang:?} {concern:?}:\n{}", screen(&app, 120, 40));
                assert_eq!(count(dir.path(), referrals), 1, "{lang:?} {concern:?}: referred at once");
                continue;
            }
            assert_eq!(question(&app).as_deref(), Some(asked), "{lang:?}");
            assert_eq!(count(dir.path(), referrals), 0, "{lang:?}: nothing before the answer");
            press(&mut app, KeyCode::Char('n'));
            assert_eq!(question(&app), None);
            assert_eq!(crate::common::top_form_kind(&app), Some("refer.title"), "the form stays");
            assert_eq!(count(dir.path(), referrals), 0, "{lang:?}: no means no referral");
            ctrl(&mut app, 's');
            assert_eq!(question(&app).as_deref(), Some(asked), "{lang:?}");
            press(&mut app, KeyCode::Char(yes));
            assert!(app.overlays.is_empty(), "{lang:?}: referred:\n{}", screen(&app, 120, 40));
            assert_eq!(count(dir.path(), referrals), 1, "{lang:?}: yes refers the couple");
        }
    }
}

/// A referral for one partner alone is not joint: no "toch samen?", also while a concern is open.
#[test]
fn a_referral_for_one_partner_is_not_asked_about() {
    for lang in [Lang::Nl, Lang::En] {
        for (scope, code) in [(1, "partner1"), (2, "partner2")] {
            let dir = tempfile::tempdir().expect("temp dir");
            let mut app = start(dir.path(), Concern::Open, lang, COUNSELLOR);
            refer(&mut app, scope);
            assert_eq!(question(&app), None, "{lang:?} {code}:\n{}", screen(&app, 120, 40));
            assert!(app.overlays.is_empty(), "{lang:?} {code}: saved:\n{}", screen(&app, 120, 40));
            let sql = format!("SELECT count(*) FROM referrals WHERE scope = '{code}'");
            assert_eq!(count(dir.path(), &sql), 1, "{lang:?}: referred for {code} alone");
            assert_eq!(count(dir.path(), "SELECT count(*) FROM referrals"), 1);
        }
    }
}

/// A receptionist is asked in the neutral words ("apart ontvangen"), for planning and referring,
/// and no screen while asked (the planner, the referral pane) says "zorgsignaal" or "safety", nor
/// the signals.
#[test]
fn the_receptionist_is_asked_without_the_word_zorgsignaal() {
    for (lang, plan_q, refer_q, yes) in [
        (
            Lang::Nl,
            "Dit stel wordt apart ontvangen: toch een gesprek met beide partners inplannen?",
            "Dit stel wordt apart ontvangen: toch het stel samen verwijzen?",
            'j',
        ),
        (
            Lang::En,
            "This couple is received separately: plan a conversation with both partners anyway?",
            "This couple is received separately: refer the couple on together anyway?",
            'y',
        ),
    ] {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut app = start(dir.path(), Concern::Open, lang, RECEPTIONIST);
        let never = |app: &App| {
            for (w, h) in [(80, 24), (120, 40)] {
                let s = screen(app, w, h);
                let lower = s.to_lowercase();
                assert!(
                    !lower.contains("zorgsignaal")
                        && !lower.contains("safety")
                        && !lower.contains("dreiging"),
                    "{lang:?} {w}x{h}:\n{s}"
                );
            }
        };
        plan(&mut app);
        assert_eq!(question(&app).as_deref(), Some(plan_q), "{lang:?}");
        never(&app);
        press(&mut app, KeyCode::Char('n'));
        assert_eq!(count(dir.path(), SESSIONS), 0, "{lang:?}: no means nothing planned");
        ctrl(&mut app, 's');
        press(&mut app, KeyCode::Char(yes));
        assert_eq!(count(dir.path(), SESSIONS), 1, "{lang:?}: yes plans it");
        refer(&mut app, 0);
        assert_eq!(question(&app).as_deref(), Some(refer_q), "{lang:?}");
        never(&app);
        press(&mut app, KeyCode::Char(yes));
        assert_eq!(count(dir.path(), "SELECT count(*) FROM referrals"), 1, "{lang:?}: referred");
        never(&app);
    }
}
