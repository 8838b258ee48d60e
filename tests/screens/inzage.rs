//! The access copy from the file pane: a coordinator presses `p`, picks the partner and reads
//! where the copy went; anyone else is told it is a coordinator's.

use std::os::unix::fs::PermissionsExt;

use ratatui::crossterm::event::KeyCode;

use crate::common::desk::{app_on, filled_store};
use crate::common::{open_file, press, screen, sign_in};

#[test]
fn a_coordinator_picks_the_partner_and_sees_where_the_copy_went() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = filled_store(&dir.path().join("loket.db"));
    let mut app = app_on(store);
    sign_in(&mut app, "Henk Bos");
    open_file(&mut app, "vries");
    press(&mut app, KeyCode::Char('?'));
    let help = screen(&app, 120, 40);
    assert!(help.contains(" p         inzage voor een partner"), "in help:\n{help}");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('p'));
    let picking = screen(&app, 80, 24);
    assert!(picking.contains("Inzage voor welke partner?"), "{picking}");
    assert!(
        picking.contains("partner 1: Kees de Vries") && picking.contains("partner 2: Els Jansen"),
        "{picking}"
    );
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    let folder = dir.path().join("inzage");
    let said = app.flash.as_ref().map(|f| f.text.clone()).unwrap_or_default();
    assert!(
        said.starts_with(&format!("Inzage voor partner 2 geschreven in {}:", folder.display())),
        "{said}"
    );
    assert!(
        said.contains("inzage-2026-001-partner2-2026-12-02.txt, inzage-2026-001-partner2-2026-12-02.json"),
        "{said}"
    );
    assert!(screen(&app, 120, 40).contains("Inzage voor partner 2 geschreven in"), "on the message line");
    let mode = |p: &std::path::Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode(&folder), 0o700);
    let text = folder.join("inzage-2026-001-partner2-2026-12-02.txt");
    assert_eq!(mode(&text), 0o600);
    let copy = std::fs::read_to_string(&text).expect("read");
    assert!(copy.contains("Naam: Els Jansen") && !copy.contains("Vries"), "{copy}");
    // Again the same day: refused, said in one line, the copy as it was.
    press(&mut app, KeyCode::Char('p'));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    let refused = app.flash.as_ref().expect("a message");
    assert!(refused.error && refused.text.ends_with("bestaat al: er is niets geschreven"), "{refused:?}");
    assert_eq!(std::fs::read_to_string(&text).expect("read"), copy);
}

#[test]
fn only_a_coordinator_makes_a_copy() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = filled_store(&dir.path().join("loket.db"));
    let mut app = app_on(store);
    sign_in(&mut app, "Sara de Boer");
    open_file(&mut app, "vries");
    press(&mut app, KeyCode::Char('p'));
    assert!(app.overlays.is_empty(), "no partner to pick");
    assert!(screen(&app, 80, 24).contains("Alleen een coördinator maakt een inzage."));
    assert!(!dir.path().join("inzage").exists(), "nothing written");
}
