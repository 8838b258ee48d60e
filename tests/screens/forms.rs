//! Forms at 80×24 in both languages (issue 15, defects 14–17): typing on a choice, the facts card
//! beside the referral form, long options, stale marks, help inside a form, the users' names.

use crate::common::{press, screen, type_text};
use crate::referral::{fixture, referral_pane};

use loket::config::Lang;
use ratatui::crossterm::event::KeyCode;

#[test]
fn explore() {
    for lang in [Lang::Nl, Lang::En] {
        let dir = tempfile::tempdir().expect("temp dir");
        let f = fixture(dir.path());
        let mut app = referral_pane(f.store, lang);
        press(&mut app, KeyCode::Char('n'));
        press(&mut app, KeyCode::Right);
        println!("{}", screen(&app, 80, 24));
        press(&mut app, KeyCode::Tab);
        press(&mut app, KeyCode::Tab);
        type_text(
            &mut app,
            "Vastgelopen communicatie over de opvoeding en nog veel meer tekst die niet past in het veld.",
        );
        for _ in 0..3 {
            press(&mut app, KeyCode::Tab);
        }
        press(&mut app, KeyCode::Right);
        press(&mut app, KeyCode::Right);
        println!("{}", screen(&app, 80, 24));
        press(&mut app, KeyCode::F(1));
        println!("{}", screen(&app, 80, 24));
    }
}
