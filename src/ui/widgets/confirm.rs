//! A yes/no question that carries the action it confirms.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::app::{App, Confirm};
use crate::theme::THEME;
use crate::ui::centered;

pub fn render(app: &App, confirm: &Confirm, frame: &mut Frame, area: Rect) {
    // A short question in a small box; a long one (the recovery key) gets the room it needs.
    let width: u16 = if confirm.question.chars().count() > 120 { 76 } else { 56 };
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let lines = crate::ui::widgets::fit::wrap("", &confirm.question, inner, 0).len() as u16;
    let popup = centered(area, width, lines + 4);
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

/// Something to read once, with its own title; any of the question's keys closes it.
pub fn notice(app: &App, title: &str, text: &str, frame: &mut Frame, area: Rect) {
    let width: u16 = 76;
    let lines = crate::ui::widgets::fit::wrap("", text, usize::from(width - 2), 0).len() as u16;
    let popup = centered(area, width, lines + 4);
    let block = Block::default().borders(Borders::ALL).title(app.texts.t(title)).title_style(THEME.alert);
    let body = vec![Line::raw(text), Line::raw(""), Line::styled(app.texts.t("confirm.read"), THEME.key)];
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(body).block(block).wrap(Wrap { trim: true }), popup);
}
