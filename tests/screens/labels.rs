//! Issue 15, "Done when": every pane and every popup a key opens on it, at 80×24 in Dutch and
//! English, as a coordinator and as a counsellor. A label cut short ("…") must never leave two
//! labels that read the same: two equal cut texts, or a cut text that is also the start of
//! another label in its column ("Trajecten ge…" beside "Trajecten gestart").

use loket::config::Lang;
use ratatui::crossterm::event::KeyCode;

use crate::common::desk::{app_on, filled_store};
use crate::common::{press, screen, sign_in, type_text};

/// The text pieces of a row with the column each starts at: runs of text between two or more
/// spaces, and the parts on either side of a border.
fn pieces(row: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    let mut spaces = 0;
    for (x, c) in row.chars().enumerate() {
        let border = "│┌┐└┘─├┤".contains(c);
        if border || (c == ' ' && spaces >= 1) {
            let piece = current.trim().to_owned();
            if !piece.is_empty() {
                out.push((start, piece));
            }
            current.clear();
            spaces = 0;
            start = x + 1;
            continue;
        }
        if c == ' ' {
            spaces += 1;
        } else {
            spaces = 0;
        }
        if current.is_empty() {
            start = x;
        }
        current.push(c);
    }
    let piece = current.trim().to_owned();
    if !piece.is_empty() {
        out.push((start, piece));
    }
    out
}

/// What is wrong with the cut labels of a screen, if anything.
fn equal_labels(screen: &str) -> Option<String> {
    let all: Vec<(usize, String)> = screen.lines().flat_map(pieces).collect();
    let cuts: Vec<&(usize, String)> = all.iter().filter(|(_, p)| p.contains('…')).collect();
    for (i, (x, cut)) in cuts.iter().enumerate() {
        let stem = cut.split('…').next().unwrap_or_default();
        if cuts.iter().skip(i + 1).any(|(_, other)| other == cut) {
            return Some(format!("{cut:?} stands twice"));
        }
        let twin = all.iter().find(|(ox, other)| ox == x && other != cut && other.starts_with(stem));
        if let Some((_, other)) = twin.filter(|_| !stem.trim().is_empty()) {
            return Some(format!("{cut:?} reads the same as {other:?}"));
        }
    }
    None
}

fn check(app: &loket::app::App, what: &str, failures: &mut Vec<String>) {
    let s = screen(app, 80, 24);
    if let Some(problem) = equal_labels(&s) {
        failures.push(format!("{what}: {problem}\n{s}"));
    }
}

/// Each pane, with help and with every popup a letter key opens on it.
fn sweep(app: &mut loket::app::App, who: &str, failures: &mut Vec<String>) {
    for pane in '1'..='7' {
        app.overlays.clear();
        press(app, KeyCode::Char(pane));
        check(app, &format!("{who}, pane {pane}"), failures);
        press(app, KeyCode::Char('?'));
        check(app, &format!("{who}, pane {pane} + help"), failures);
        app.overlays.clear();
        for key in ('a'..='z').filter(|k| !"qw".contains(*k)).chain(['/']) {
            press(app, KeyCode::Char(key));
            if !app.overlays.is_empty() {
                check(app, &format!("{who}, pane {pane} + {key}"), failures);
            }
            app.overlays.clear();
            press(app, KeyCode::Char(pane));
        }
        check(app, &format!("{who}, pane {pane} after its keys"), failures);
    }
}

#[test]
fn a_cut_never_leaves_two_labels_equal_on_any_pane_or_popup_at_80x24() {
    let mut failures = Vec::new();
    for lang in [Lang::Nl, Lang::En] {
        for who in ["Henk Bos", "Sara de Boer"] {
            let dir = tempfile::tempdir().expect("temp dir");
            let (store, _) = filled_store(&dir.path().join("loket.db"));
            let mut app = app_on(store);
            app.texts = loket::i18n::Texts::new(lang);
            check(&app, "sign-in", &mut failures);
            press(&mut app, KeyCode::Char('n'));
            check(&app, "new user form", &mut failures);
            app.overlays.clear();
            sign_in(&mut app, who);
            press(&mut app, KeyCode::Char('/'));
            type_text(&mut app, "vries");
            press(&mut app, KeyCode::Enter);
            app.overlays.clear();
            sweep(&mut app, &format!("{who} ({lang:?})"), &mut failures);
        }
    }
    assert!(failures.is_empty(), "{} screens with equal labels:\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn the_check_finds_labels_that_read_the_same() {
    assert_eq!(equal_labels(" Trajecten gestart   3\n Trajecten afgerond  2"), None);
    assert!(equal_labels(" Trajecten ge…  3 │\n Trajecten ge…  2 │").is_some());
    assert!(equal_labels(" Trajecten ge…  3\n Trajecten gestopt  2").is_some());
    assert_eq!(equal_labels(" Berg, Jan van der…  wacht\n Vries, Kees de  wacht"), None);
}
