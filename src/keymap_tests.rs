//! Tests of keymap.rs.
use super::*;
use ratatui::crossterm::event::KeyCode;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

#[test]
fn the_pane_wins_over_global_and_global_is_reached() {
    let ctx = [Context::Queue, Context::Global];
    assert_eq!(resolve(&ctx, &key(KeyCode::Char('n'))), Some(Action::NewWalkIn));
    assert_eq!(resolve(&ctx, &key(KeyCode::Char('q'))), Some(Action::Quit));
    assert_eq!(resolve(&ctx, &key(KeyCode::Char('1'))), Some(Action::SwitchPane(0)));
    assert_eq!(resolve(&ctx, &key(KeyCode::Char('z'))), None);
}

#[test]
fn in_a_form_letters_are_typed_not_commands() {
    let ctx = [Context::Form];
    assert_eq!(resolve(&ctx, &key(KeyCode::Char('q'))), Some(Action::Edit(EditOp::Insert('q'))));
    assert_eq!(resolve(&ctx, &key(KeyCode::Char('n'))), Some(Action::Edit(EditOp::Insert('n'))));
    let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert_eq!(resolve(&ctx, &ctrl_s), Some(Action::Save));
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(resolve(&ctx, &ctrl_c), Some(Action::ForceQuit));
    let upper = KeyEvent::new(KeyCode::Char('W'), KeyModifiers::SHIFT);
    assert_eq!(resolve(&ctx, &upper), Some(Action::Edit(EditOp::Insert('W'))));
}

#[test]
fn shift_tab_goes_back_however_the_terminal_sends_it() {
    let plain = KeyEvent::new(KeyCode::BackTab, KeyModifiers::NONE);
    let shifted = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(resolve(&[Context::Form], &plain), Some(Action::PrevField));
    assert_eq!(resolve(&[Context::Form], &shifted), Some(Action::PrevField));
}

#[test]
fn every_binding_has_a_description_in_both_languages() {
    for lang in [crate::config::Lang::Nl, crate::config::Lang::En] {
        let texts = crate::i18n::Texts::new(lang);
        for b in BINDINGS.iter() {
            assert_ne!(texts.t(b.description), b.description, "missing text for {}", b.description);
            assert_ne!(texts.t(b.context.title_key()), b.context.title_key());
        }
    }
}

#[test]
fn no_key_is_bound_twice_in_one_context() {
    for (i, a) in BINDINGS.iter().enumerate() {
        for b in &BINDINGS[i + 1..] {
            assert!(!(a.context == b.context && a.key == b.key), "{:?} {:?} bound twice", a.context, a.key);
        }
    }
}

#[test]
fn hints_come_from_the_table() {
    let hints = bindings_for(&[Context::Queue, Context::Global], true, crate::config::Lang::Nl);
    let labels: Vec<_> = hints.iter().map(|b| b.key_label()).collect();
    assert_eq!(labels, ["n", "c", "d", "x", "u", "f", "o", "?", "/", "q"]);
}
