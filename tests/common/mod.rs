//! What the test binaries share: the desks they start from ([`desk`]), the real binary ([`bin`]),
//! the database read beside the app ([`db`]), the pseudo-terminal harness ([`pty`]), and keys fed
//! through the real keymap with the screen as text (here).
#![allow(dead_code)] // each test binary uses its own part of this

pub mod bin;
pub mod db;
pub mod desk;
pub mod pty;

use loket::action::Action;
use loket::app::{App, Overlay};
use loket::keymap;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

pub fn press(app: &mut App, code: KeyCode) {
    press_with(app, code, KeyModifiers::NONE);
}

pub fn press_with(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
    let key = KeyEvent::new(code, modifiers);
    if let Some(action) = keymap::resolve(&app.contexts(), &key) {
        app.update(action);
    }
}

pub fn ctrl(app: &mut App, c: char) {
    press_with(app, KeyCode::Char(c), KeyModifiers::CONTROL);
}

pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// A bracketed paste, as the event loop sends it.
pub fn paste(app: &mut App, text: &str) {
    app.update(Action::Paste(text.to_owned()));
}

/// Signs in as `name` from the user list (sorted by name).
pub fn sign_in(app: &mut App, name: &str) {
    let index = app.login.users.iter().position(|u| u.name == name).expect("user on the list");
    press(app, KeyCode::Home);
    for _ in 0..index {
        press(app, KeyCode::Down);
    }
    press(app, KeyCode::Enter);
    type_text(app, desk::PASSWORD);
    press(app, KeyCode::Enter);
    assert_eq!(app.user.as_ref().map(|u| u.name.as_str()), Some(name));
}

/// Signs in as the first user of the list (with the fixtures' password).
pub fn sign_in_first(app: &mut App) {
    press(app, KeyCode::Enter);
    type_text(app, desk::PASSWORD);
    press(app, KeyCode::Enter);
}

/// Opens a file with `/` and the start of a surname.
pub fn open_file(app: &mut App, query: &str) {
    press(app, KeyCode::Char('/'));
    type_text(app, query);
    press(app, KeyCode::Enter);
    assert!(app.file.is_some(), "a file is open after finding {query:?}");
}

pub fn form_of(app: &App) -> Option<&loket::app::Form> {
    app.overlays.iter().rev().find_map(|o| match o {
        Overlay::Form(f) => Some(f.form()),
        _ => None,
    })
}

/// The title (its text key) of the form on top: which form it is.
pub fn top_form_kind(app: &App) -> Option<&'static str> {
    match app.overlays.last() {
        Some(Overlay::Form(f)) => Some(f.form().title),
        _ => None,
    }
}

pub fn draw(app: &App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal.draw(|frame| loket::ui::render(app, frame)).expect("draw");
    terminal.backend().buffer().clone()
}

/// The screen as lines; the status bar's database path (a temporary folder) is cut off.
pub fn screen(app: &App, width: u16, height: u16) -> String {
    let buffer = draw(app, width, height);
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

/// The screen as a terminal shows it, for text of every width.
pub mod shown {
    use super::*;

    /// The screen's rows: a wide character's hidden second cell is skipped, so a row's display
    /// width (unicode-width) is the buffer's width.
    pub fn rows(buffer: &Buffer) -> Vec<String> {
        (0..buffer.area.height)
            .map(|y| {
                let mut row = String::new();
                let mut hidden = 0;
                for x in 0..buffer.area.width {
                    if hidden > 0 {
                        hidden -= 1;
                        continue;
                    }
                    let symbol = buffer[(x, y)].symbol();
                    row.push_str(symbol);
                    hidden = symbol.width().saturating_sub(1);
                }
                row
            })
            .collect()
    }

    /// The whole screen, each row trimmed at the end, the database path kept.
    pub fn screen(app: &App, width: u16, height: u16) -> String {
        rows(&draw(app, width, height)).iter().map(|r| r.trim_end()).collect::<Vec<_>>().join("\n")
    }

    /// The display column at which `needle` starts in `row`, counted with unicode-width.
    pub fn column_of(row: &str, needle: &str) -> Option<usize> {
        row.find(needle).map(|at| row[..at].width())
    }

    /// What `row` shows from display column `column` on.
    pub fn from_column(row: &str, column: usize) -> &str {
        let at = row
            .char_indices()
            .map(|(i, _)| i)
            .chain([row.len()])
            .find(|&i| row[..i].width() >= column)
            .unwrap_or(row.len());
        &row[at..]
    }
}
