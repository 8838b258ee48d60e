//! Whom a referral is for and its consent history, on ratatui's TestBackend with keys through the
//! real keymap: the form's couple-or-partner choice, a referral for one partner whose detail,
//! picker and letter hold nothing of the other, and the history (who, when) with `h`.

use crate::common::desk::now;
use crate::common::{press, screen, type_text};
use crate::referral::{day, fixture, flash, referral_pane, snapshot_both, therapy};

use loket::config::Lang;
use loket::domain::referral::ReferralStatus;
use ratatui::crossterm::event::KeyCode;

/// What only Zoë Öztürk (partner 2) has in the fixture.
const ZOE: [&str; 5] = ["Zoë", "Öztürk", "06-87654321", "zoe@example.nl", "1987"];

#[test]
fn a_referral_for_one_partner_by_keys_shows_and_sends_nothing_of_the_other() {
    let dir = tempfile::tempdir().expect("temp dir");
    let f = fixture(dir.path());
    let mut app = referral_pane(f.store, Lang::Nl);

    // The form: Voor starts on the couple; Right picks IJsbrand alone, Right again Zoë alone.
    press(&mut app, KeyCode::Char('n'));
    press(&mut app, KeyCode::Tab);
    assert!(screen(&app, 120, 40).contains("◂ het stel (beide partners) ▸"), "{}", screen(&app, 120, 40));
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Right);
    assert!(screen(&app, 120, 40).contains("◂ alleen Zoë Öztürk ▸"));
    press(&mut app, KeyCode::Left);
    let (small, wide) = snapshot_both(&app, "referral_form_for_one_partner");
    for s in [&small, &wide] {
        assert!(s.contains("Voor") && s.contains("◂ alleen IJsbrand van der Wêreld ▸"), "{s}");
    }
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "Overweegt uit elkaar te gaan.");
    crate::referral::ctrl_s(&mut app);
    assert!(app.overlays.is_empty(), "saved:\n{}", screen(&app, 120, 40));

    // The detail: only IJsbrand's consent, and whom it is for.
    for (w, h) in [(80, 24), (120, 40)] {
        let s = screen(&app, w, h);
        assert!(s.contains("IJsbrand van der Wêreld: nog niet gegeven"), "{s}");
        assert!(!s.contains("Zoë Öztürk:"), "no consent line for Zoë:\n{s}");
        assert!(s.contains("Voor: alleen IJsbrand van der Wêreld"), "{s}");
    }
    // The picker offers him alone.
    press(&mut app, KeyCode::Char('c'));
    let picker = screen(&app, 120, 40);
    assert!(picker.contains("IJsbrand van der Wêreld geeft toestemming (vandaag)"), "{picker}");
    assert!(!picker.contains("Zoë Öztürk geeft"), "{picker}");
    press(&mut app, KeyCode::Enter);
    assert_eq!(flash(&app), "Toestemming vastgelegd.");
    // His consent alone sends it.
    press(&mut app, KeyCode::Char('s'));
    assert!(!app.overlays.is_empty(), "the status picker: {}", flash(&app));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.referral.selected().map(|r| r.status), Some(ReferralStatus::Sent));

    // The letter holds nothing of Zoë.
    press(&mut app, KeyCode::Char('b'));
    assert!(flash(&app).starts_with("Brief geschreven"), "{}", flash(&app));
    let letters: Vec<_> = std::fs::read_dir(dir.path().join("brieven")).expect("letters").collect();
    assert_eq!(letters.len(), 1);
    let letter = std::fs::read_to_string(letters[0].as_ref().expect("entry").path()).expect("letter");
    assert!(letter.contains("IJsbrand van der Wêreld (06-12345678, ijsbrand@example.nl)"), "{letter}");
    for other in ZOE {
        assert!(!letter.contains(other), "{other:?} in the letter for IJsbrand alone:\n{letter}");
    }
}

#[test]
fn h_shows_the_consent_history_with_who_and_when() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut f = fixture(dir.path());
    let s = &mut f.store;
    let id = s.create_referral(f.couple, &therapy(Some(day(30))), &f.counsellor, now()).expect("create");
    // Both give consent on the 20th; Zoë withdraws on the 23rd.
    for (position, given, on) in [(1, true, 20), (2, true, 20), (2, false, 23)] {
        let v = s.referral(id, &f.counsellor).expect("referral").version;
        s.set_consent(id, v, position, given, day(on), &f.counsellor, now()).expect("consent");
    }
    let mut app = referral_pane(f.store, Lang::Nl);
    press(&mut app, KeyCode::Char('h'));
    let (small, wide) = snapshot_both(&app, "referral_consent_history");
    for s in [&small, &wide] {
        assert!(s.contains("Verloop van de toestemming"), "{s}");
        assert!(s.contains("ingetrokken op 23-11-2026"), "the withdrawal, newest first:\n{s}");
        assert!(s.contains("door Harm"), "who recorded it:\n{s}");
    }
    assert!(wide.contains("gegeven op 20-11-2026, door Harm Hulpverlener"), "{wide}");
    // The current state above it: Zoë's consent withdrawn.
    assert!(wide.contains("Zoë Öztürk: ingetrokken op 23-11-2026"), "{wide}");
    // h again: the reason and facts again.
    press(&mut app, KeyCode::Char('h'));
    let back = screen(&app, 120, 40);
    assert!(!back.contains("Verloop van de toestemming") && back.contains("Reden:"), "{back}");
}
