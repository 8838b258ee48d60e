//! A yes/no question that carries the action it confirms.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::app::{App, Confirm};
use crate::theme::THEME;
use crate::ui::centered;

pub fn render(app: &App, confirm: &Confirm, frame: &mut Frame, area: Rect) {
    let popup = centered(area, 56, 6);
    let block =
        Block::default().borders(Borders::ALL).title(app.texts.t("confirm.title")).title_style(THEME.alert);
    let text = vec![
        Line::raw(confirm.question.as_str()),
        Line::raw(""),
        Line::styled(app.texts.t("confirm.keys"), THEME.key),
    ];
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(text).block(block).wrap(Wrap { trim: true }), popup);
}
