//! The notes editor as a popup over the file pane.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, Clear};

use crate::app::{App, NotesEditor};
use crate::theme::THEME;

pub fn render(app: &App, editor: &NotesEditor, frame: &mut Frame, area: Rect) {
    let popup = Rect {
        x: area.x + 1,
        y: area.y + 1,
        width: area.width.saturating_sub(2),
        height: area.height.saturating_sub(2),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(editor.title.clone().unwrap_or_else(|| app.texts.t("file.notes_title").to_owned()))
        .title_style(THEME.title)
        .title_bottom(app.texts.t("file.notes_keys"));
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    frame.render_widget(&editor.text, inner);
}
