//! Nothing lost (issue 7, point 6): every size from 1×1 to 300×100 on every pane, with help, a form,
//! a pick list and a question on top, draws without a panic; below 60×16 a notice says the window
//! is too small.

use std::panic::{AssertUnwindSafe, catch_unwind};

use loket::app::{App, Overlay};
use ratatui::crossterm::event::KeyCode;

use crate::common::desk::{app_on, filled_store};
use crate::common::shown::screen;
use crate::common::{draw, open_file, press, sign_in, top_form_kind, type_text};

const TOO_SMALL: &str = "Het venster is te klein";

const WIDTHS: [u16; 16] = [1, 2, 3, 5, 8, 13, 20, 40, 59, 60, 61, 80, 119, 120, 200, 300];
const HEIGHTS: [u16; 12] = [1, 2, 3, 5, 10, 15, 16, 17, 24, 40, 60, 100];

/// Draws at every size of the sweep; returns the sizes that panicked.
fn sweep(app: &App, what: &str) -> Vec<String> {
    let mut failed = Vec::new();
    for w in WIDTHS {
        for h in HEIGHTS {
            if catch_unwind(AssertUnwindSafe(|| draw(app, w, h))).is_err() {
                failed.push(format!("{what} at {w}×{h}"));
            }
        }
    }
    failed
}

#[test]
fn every_pane_with_help_and_a_form_on_top_draws_at_every_size() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = filled_store(&dir.path().join("loket.db"));
    let mut app = app_on(store);
    // Before anyone signs in: the user list, and a new user's form.
    let mut failed = sweep(&app, "user list");
    press(&mut app, KeyCode::Char('n'));
    failed.extend(sweep(&app, "new user form"));
    app.overlays.clear();
    sign_in(&mut app, "Sara de Boer");
    open_file(&mut app, "vries");
    assert!(app.planner.trajectory.is_some() && !app.referral.list.is_empty(), "a trajectory and a referral");
    // Each pane with the key of one of its forms.
    let panes = [
        ('1', 'n', "queue"),
        ('2', 'e', "file"),
        ('3', 'a', "planner"),
        ('4', 'n', "referral"),
        ('5', 'd', "report"),
    ];
    for (pane, form_key, name) in panes {
        app.overlays.clear();
        press(&mut app, KeyCode::Char(pane));
        failed.extend(sweep(&app, name));
        press(&mut app, KeyCode::Char('?'));
        assert!(matches!(app.overlays.last(), Some(Overlay::Help)), "help over the {name} pane");
        failed.extend(sweep(&app, &format!("{name} + help")));
        app.overlays.clear();
        press(&mut app, KeyCode::Char(form_key));
        assert!(top_form_kind(&app).is_some(), "a form over the {name} pane ({form_key})");
        type_text(&mut app, "IJsbrand 👨\u{200D}👩\u{200D}👧 مريم");
        failed.extend(sweep(&app, &format!("{name} + form")));
        press(&mut app, KeyCode::F(1));
        assert!(matches!(app.overlays.last(), Some(Overlay::Help)), "help over the form of the {name} pane");
        failed.extend(sweep(&app, &format!("{name} + form + help")));
    }
    // A pick list and a question on top too.
    app.overlays.clear();
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('s'));
    failed.extend(sweep(&app, "file + status picker"));
    app.overlays.clear();
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('z'));
    failed.extend(sweep(&app, "planner + question"));
    assert!(failed.is_empty(), "panicked: {failed:#?}");
}

#[test]
fn sixty_by_sixteen_shows_the_panes_and_smaller_shows_the_notice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = filled_store(&dir.path().join("loket.db"));
    let mut app = app_on(store);
    sign_in(&mut app, "Sara de Boer");
    open_file(&mut app, "vries");
    for (key, marker) in
        [('1', "Wachtrij"), ('2', "Dossier"), ('3', "Planning"), ('4', "Verwijzing"), ('5', "Rapportage")]
    {
        press(&mut app, KeyCode::Char(key));
        let fits = screen(&app, 60, 16);
        assert!(fits.contains("1 Wachtrij") && !fits.contains(TOO_SMALL), "pane {marker} at 60×16:\n{fits}");
        for (w, h) in [(59, 16), (60, 15), (59, 15), (40, 24), (120, 10)] {
            let small = screen(&app, w, h);
            assert!(small.contains(TOO_SMALL), "pane {marker} at {w}×{h} says it is too small:\n{small}");
            assert!(!small.contains("1 Wachtrij"), "no pane at {w}×{h}:\n{small}");
        }
    }
}
