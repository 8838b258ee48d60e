//! Keys that work the same on every pane.

use ratatui::crossterm::event::KeyCode;

use crate::common::desk::{app_on, filled_store};
use crate::common::{press, screen, sign_in};

/// Esc on any pane but the queue goes back to the queue, as help says ("Esc terug naar de
/// wachtrij"); with a popup open it closes only the popup; on the queue it does nothing.
#[test]
fn esc_goes_back_to_the_queue_from_every_pane_and_closes_a_popup_first() {
    use loket::action::Pane;
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = filled_store(&dir.path().join("loket.db"));
    let mut app = app_on(store);
    sign_in(&mut app, "Henk Bos");
    crate::common::open_file(&mut app, "vries");
    for (key, pane) in [
        ('2', Pane::File),
        ('3', Pane::Planner),
        ('4', Pane::Referral),
        ('5', Pane::Report),
        ('6', Pane::Users),
        ('7', Pane::Log),
    ] {
        press(&mut app, KeyCode::Char(key));
        // The log pane opens its filter form the first time: Esc closes that first.
        if !app.overlays.is_empty() {
            press(&mut app, KeyCode::Esc);
            assert!(app.overlays.is_empty(), "{pane:?}: the popup closed");
            assert_eq!(app.pane, pane, "{pane:?}: still there after closing its popup");
        }
        assert_eq!(app.pane, pane);
        press(&mut app, KeyCode::Char('?'));
        press(&mut app, KeyCode::Esc);
        assert_eq!((app.pane, app.overlays.len()), (pane, 0), "Esc closed help only");
        press(&mut app, KeyCode::Esc);
        assert_eq!(app.pane, Pane::Queue, "from {pane:?}");
        assert!(screen(&app, 80, 24).contains("1 Wachtrij"));
    }
    press(&mut app, KeyCode::Esc);
    assert!(!app.quit && app.pane == Pane::Queue, "Esc on the queue does nothing");
    // Over a message, Esc takes only the message away; the next one goes back.
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('x'));
    assert!(app.flash.is_some(), "x on an open file says it cannot be erased");
    press(&mut app, KeyCode::Esc);
    assert_eq!((app.pane, app.flash.is_none()), (Pane::File, true));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.pane, Pane::Queue);
    press(&mut app, KeyCode::Char('?'));
    let help = screen(&app, 120, 40);
    assert!(help.contains("terug naar de wachtrij"), "{help}");
}

/// A form's label never runs into its value (issue 15): the label column grows to the widest
/// label, and a label that still does not fit ends in "…" with a space after it.
#[test]
fn a_form_label_keeps_a_space_before_its_value_at_80x24_in_both_languages() {
    use loket::config::{Config, Lang};
    use loket::i18n::Texts;
    for (lang, label) in [(Lang::En, "Given name partner 1 *"), (Lang::Nl, "Voornaam partner 1 *")] {
        let dir = tempfile::tempdir().expect("temp dir");
        let (store, _) = filled_store(&dir.path().join("loket.db"));
        let mut app = loket::app::App::new(
            store,
            Config::default(),
            Texts::new(lang),
            Box::new(crate::common::desk::now),
        );
        sign_in(&mut app, "Ingrid Hoekstra");
        press(&mut app, KeyCode::Char('n'));
        crate::common::type_text(&mut app, "IJsbrand");
        let s = screen(&app, 80, 24);
        let line = s.lines().find(|l| l.contains("IJsbrand")).unwrap_or_default().to_owned();
        let at = line.find("IJsbrand").expect("the value");
        assert!(line[..at].ends_with(' '), "a space before the value: {line:?}\n{s}");
        assert!(s.contains(label) || s.contains('…'), "{lang:?}: {s}");
    }
}
