//! What the screen tests share: keys fed through the real keymap, and the screen as text.
#![allow(dead_code)] // each test file uses its own part of this

pub mod pty;

use loket::app::App;
use loket::keymap;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub fn press(app: &mut App, code: KeyCode) {
    press_with(app, code, KeyModifiers::NONE);
}

pub fn press_with(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
    let key = KeyEvent::new(code, modifiers);
    if let Some(action) = keymap::resolve(&app.contexts(), &key) {
        app.update(action);
    }
}

pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// The screen as lines; the status bar's database path (a temporary folder) is cut off.
pub fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal.draw(|frame| loket::ui::render(app, frame)).expect("draw");
    let buffer = terminal.backend().buffer();
    let mut lines = Vec::new();
    for y in 0..buffer.area.height {
        let line: String = (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect();
        lines.push(line.trim_end().to_owned());
    }
    if let Some(last) = lines.last_mut() {
        let parts: Vec<&str> = last.split('│').collect();
        *last = format!("{}│{}│ [db]", parts[0], parts.get(1).unwrap_or(&""));
    }
    lines.join("\n")
}

/// The text pieces of a screen line: its columns (runs of text between two or more spaces) and the
/// parts on either side of a popup's border.
fn pieces(line: &str) -> Vec<&str> {
    line.split(['│', '┌', '┐', '└', '┘'])
        .flat_map(|part| part.split("  "))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// Fails when a column of a line of `screen` ends in one of `names` cut short ("Piete" of
/// "Pieter Kok", "IJsbrand van de") or in an opening bracket ("1 finished (").
pub fn assert_nothing_cut(screen: &str, names: &[&str]) {
    for line in screen.lines() {
        for piece in pieces(line) {
            assert!(
                !piece.ends_with('(') && !piece.ends_with('['),
                "a dangling bracket in {line:?}:\n{screen}"
            );
            // "… & Öztürk, Zoë" ends in a whole name, not in "Zoë Öztürk" cut short.
            if names.iter().any(|n| piece.ends_with(n)) {
                continue;
            }
            for name in names {
                let chars: Vec<char> = name.chars().collect();
                for k in 2..chars.len() {
                    let prefix: String = chars[..k].iter().collect();
                    let prefix = prefix.trim_end_matches([' ', ',']);
                    let cut = prefix.chars().count() >= 2 && piece.ends_with(prefix);
                    assert!(!cut, "{name:?} cut off as {prefix:?} in {line:?}:\n{screen}");
                }
            }
        }
    }
}

/// The line of `screen` that contains `text`; fails when there is none.
pub fn line_with<'a>(screen: &'a str, text: &str) -> &'a str {
    screen.lines().find(|l| l.contains(text)).unwrap_or_else(|| panic!("no line with {text:?}:\n{screen}"))
}
