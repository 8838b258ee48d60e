//! Keys to actions, per context. Each pane and popup declares its own bindings; this module
//! gathers them into one table, turns the terminal's key events into the app's own keys, and
//! resolves a key in the contexts on screen. Help and the key hints are built from the same
//! table, so what the screen says and what the keys do cannot drift apart.

use std::sync::LazyLock;

use ratatui::crossterm::event::{KeyCode as TermCode, KeyEvent, KeyModifiers};

use crate::action::{Action, EditOp, Key, KeyCode, bind, ctrl};
pub use crate::action::{Binding, Context};
use crate::app::{panes, popups};
use crate::config::Lang;

/// The keys that work on every pane.
fn global() -> Vec<Binding> {
    use Context::Global;
    use KeyCode::*;
    let mut b = vec![
        bind(Global, Char('?'), Action::Help, "key.help", true),
        bind(Global, Char('/'), Action::Find, "key.find", true),
        bind(Global, Char('q'), Action::Quit, "key.quit", true),
        bind(Global, Char('w'), Action::SwitchUser, "key.switch_user", false),
        bind(Global, Esc, Action::Back, "key.back_to_queue", false),
        ctrl(Global, Char('c'), Action::ForceQuit, "key.force_quit", false),
        ctrl(Global, Char('l'), Action::Lock, "key.lock", false),
        ctrl(Global, Char('p'), Action::ChangePassword, "key.change_password", false),
        bind(Context::Lock, Enter, Action::Enter, "key.unlock", true),
        bind(Context::Lock, F(2), Action::SwitchUser, "key.switch_user", true),
        bind(Context::Lock, Backspace, Action::Edit(EditOp::Backspace), "key.edit", false),
        bind(Context::Gate, Enter, Action::Enter, "key.login", true),
        bind(Context::Gate, Char('h'), Action::Recovery, "key.recovery", true),
        bind(Context::Gate, Char('q'), Action::Quit, "key.quit", true),
        bind(Context::Gate, Up, Action::Up, "key.up", false),
        bind(Context::Gate, Down, Action::Down, "key.down", false),
        bind(Context::GateInput, Enter, Action::Enter, "key.unlock", true),
        bind(Context::GateInput, Esc, Action::Back, "key.back", true),
        bind(Context::GateInput, Backspace, Action::Edit(EditOp::Backspace), "key.edit", false),
        ctrl(Context::GateInput, Char('u'), Action::Edit(EditOp::Clear), "key.clear_field", false),
        ctrl(Context::Lock, Char('u'), Action::Edit(EditOp::Clear), "key.clear_field", false),
    ];
    for (n, digit) in ('1'..='9').enumerate().take(crate::action::Pane::ALL.len()) {
        b.push(bind(Global, Char(digit), Action::SwitchPane(n), "key.switch_pane", false));
    }
    b
}

/// The one table of bindings: the panes', the popups', then the global ones.
pub static BINDINGS: LazyLock<Vec<Binding>> = LazyLock::new(|| {
    let mut b = panes::bindings();
    b.extend(popups::bindings());
    b.extend(global());
    b
});

/// The app's own key for a terminal key event; `None` for keys the app does not use.
pub fn key_of(event: &KeyEvent) -> Option<Key> {
    let code = match event.code {
        TermCode::Char(c) => KeyCode::Char(c),
        TermCode::Enter => KeyCode::Enter,
        TermCode::Esc => KeyCode::Esc,
        TermCode::Tab => KeyCode::Tab,
        TermCode::BackTab => KeyCode::BackTab,
        TermCode::Up => KeyCode::Up,
        TermCode::Down => KeyCode::Down,
        TermCode::Left => KeyCode::Left,
        TermCode::Right => KeyCode::Right,
        TermCode::Home => KeyCode::Home,
        TermCode::End => KeyCode::End,
        TermCode::PageUp => KeyCode::PageUp,
        TermCode::PageDown => KeyCode::PageDown,
        TermCode::Backspace => KeyCode::Backspace,
        TermCode::Delete => KeyCode::Delete,
        TermCode::F(n) => KeyCode::F(n),
        _ => return None,
    };
    Some(Key {
        code,
        ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
        alt: event.modifiers.contains(KeyModifiers::ALT),
    })
}

/// The action for a terminal key event in the given contexts, the top-most (a popup) first.
pub fn resolve(contexts: &[Context], event: &KeyEvent) -> Option<Action> {
    resolve_key(contexts, &key_of(event)?)
}

/// The action for `key` in the given contexts. In a context that takes text, a plain character
/// is typed rather than looked up further.
pub fn resolve_key(contexts: &[Context], key: &Key) -> Option<Action> {
    // Ctrl-C and Ctrl-L always reach the app, whatever is on top.
    if key.code == KeyCode::Char('c') && key.ctrl {
        return Some(Action::ForceQuit);
    }
    if key.code == KeyCode::Char('l') && key.ctrl {
        return Some(Action::Lock);
    }
    for &context in contexts {
        if let Some(b) = BINDINGS.iter().find(|b| b.context == context && b.key == *key) {
            return Some(b.action.clone());
        }
        if context.takes_text()
            && let KeyCode::Char(c) = key.code
            && !key.ctrl
            && !key.alt
        {
            return Some(Action::Edit(EditOp::Insert(c)));
        }
    }
    None
}

/// The bindings of these contexts shown in `lang`, one per (context, description), in table order:
/// what the help overlay lists and, with `hints_only`, what the bottom line shows.
pub fn bindings_for(contexts: &[Context], hints_only: bool, lang: Lang) -> Vec<&'static Binding> {
    let mut seen: Vec<(Context, &str)> = Vec::new();
    let mut out = Vec::new();
    for &context in contexts {
        for b in
            BINDINGS.iter().filter(|b| b.context == context && (!hints_only || b.hint) && b.shown_for(lang))
        {
            if !seen.contains(&(context, b.description)) {
                seen.push((context, b.description));
                out.push(b);
            }
        }
    }
    out
}

#[cfg(test)]
#[path = "keymap_tests.rs"]
mod tests;
