//! Shared widgets: form, pick list, find popup, question, and text that fits its room.

pub mod confirm;
pub mod find;
pub mod fit;
pub mod form;
pub mod log;
pub mod notes;
pub mod picker;

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use tui_input::Input;

use crate::theme::THEME;

/// Draws a one-line text input in `area`: focused, scrolled so the cursor shows, with the cursor
/// placed; unfocused, from its start, ending in "…" when it does not fit.
pub fn text_input(input: &Input, focused: bool, frame: &mut Frame, area: Rect) {
    let width = area.width.max(1) as usize;
    let scroll = input.visual_scroll(width.saturating_sub(1));
    let style = if focused { THEME.focused } else { THEME.base };
    let visible: String =
        if focused { skip_columns(input.value(), scroll) } else { fit::ellipsize(input.value(), width) };
    frame.render_widget(ratatui::widgets::Paragraph::new(Line::from(Span::styled(visible, style))), area);
    if focused {
        let x = input.visual_cursor().saturating_sub(scroll) as u16;
        frame.set_cursor_position(Position::new(area.x + x.min(area.width.saturating_sub(1)), area.y));
    }
}

/// Draws a password field: a dot per character typed, the cursor after the dots; never the text.
pub fn masked_input(input: &Input, focused: bool, frame: &mut Frame, area: Rect) {
    let dots = Input::new("•".repeat(input.value().chars().count())).with_cursor(input.cursor());
    text_input(&dots, focused, frame, area);
}

/// The text after its first `columns` display columns.
fn skip_columns(text: &str, columns: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut skipped = 0;
    text.chars()
        .skip_while(|c| {
            if skipped >= columns {
                return false;
            }
            skipped += c.width().unwrap_or(0);
            true
        })
        .collect()
}
