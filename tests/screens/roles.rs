//! What a receptionist's screens leave out (issue 13): the referral's reason and summary, and the
//! letter, which only a counsellor writes. (The file screen's wishes: `file.rs`.)

use crate::common::desk::now;
use crate::common::{press, screen};
use crate::referral::{fixture, therapy};
use loket::app::App;
use loket::config::{Config, Lang};
use loket::domain::referral::Shared;
use loket::i18n::Texts;
use ratatui::crossterm::event::KeyCode;

const REASON: &str = "REDEN-BLAUWE-REIGER";
const SUMMARY: &str = "SAMENVATTING-GELE-MUS";

#[test]
fn a_receptionist_sees_that_there_is_a_reason_and_a_summary_not_their_text_and_writes_no_letter() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut f = fixture(dir.path());
    let new = loket::domain::referral::NewReferral {
        reason: REASON.to_owned(),
        shared: Shared::WithSummary,
        summary: SUMMARY.to_owned(),
        ..therapy(None)
    };
    let id = f.store.create_referral(f.couple, &new, &f.counsellor, now()).expect("create");
    for position in [1, 2] {
        let version = f.store.referral(id, &f.counsellor).expect("referral").version;
        let day = now().date_naive();
        f.store.set_consent(id, version, position, true, day, &f.counsellor, now()).expect("consent");
    }
    let mut app = App::new(f.store, Config::default(), Texts::new(Lang::Nl), Box::new(now));
    crate::common::sign_in(&mut app, "Rita Receptie");
    crate::common::open_file(&mut app, "wer");
    press(&mut app, KeyCode::Char('4'));
    let small = screen(&app, 80, 24);
    let wide = screen(&app, 120, 40);
    for s in [&small, &wide] {
        assert!(!s.contains("REIGER") && !s.contains("MUS"), "no reason, no summary: {s}");
        assert!(s.contains("Reden: alleen voor hulpverleners"), "{s}");
        assert!(s.contains("Samenvatting: geschreven"), "{s}");
        // With both consents there is nothing to block: the hidden summary counts as written.
        assert!(!s.contains("samenvatting mee, maar die is leeg"), "{s}");
    }
    assert!(!format!("{:?}", app.referral).contains("REIGER"), "not even in the state");
    insta::assert_snapshot!("referral_receptionist_80x24", small);
    // The letter: refused in words, nothing written.
    press(&mut app, KeyCode::Char('b'));
    let s = screen(&app, 80, 24);
    assert!(s.contains("Alleen een hulpverlener schrijft de brief"), "{s}");
    assert!(!dir.path().join("brieven").exists(), "no letter");
}
