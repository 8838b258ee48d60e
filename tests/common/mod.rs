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
