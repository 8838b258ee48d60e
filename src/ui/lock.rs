//! The locked screen: it covers everything. Only "loket is locked", the signed-in user's name,
//! the password field and its keys are shown; no couple, note or queue row.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::centered;
use super::widgets::masked_input;
use crate::app::{App, Lock};
use crate::keymap::bindings_for;
use crate::theme::THEME;

pub fn render(app: &App, lock: &Lock, frame: &mut Frame) {
    let t = &app.texts;
    let area = frame.area();
    frame.render_widget(Clear, area);
    let popup = centered(area, 60, 9);
    let block = Block::default().borders(Borders::ALL).title(t.t("lock.title")).title_style(THEME.title);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [ask, _, field, message, _, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    let name = app.user.as_ref().map_or("", |u| u.name.as_str());
    frame.render_widget(Paragraph::new(t.f("lock.ask", &[("name", &name)])).wrap(Wrap { trim: true }), ask);
    let [label, input] = Layout::horizontal([Constraint::Length(16), Constraint::Min(1)]).areas(field);
    frame.render_widget(Paragraph::new(t.t("login.password")).style(THEME.focused), label);
    masked_input(&lock.input, true, frame, input);
    if let Some(m) = &lock.message {
        frame.render_widget(Paragraph::new(m.as_str()).style(THEME.alert), message);
    }
    render_keys(app, frame, keys);
}

fn render_keys(app: &App, frame: &mut Frame, area: Rect) {
    let hints: Vec<String> = bindings_for(&app.contexts(), true, app.texts.lang())
        .iter()
        .map(|b| format!("{} {}", b.key_label(), app.texts.t(b.description)))
        .collect();
    frame.render_widget(Paragraph::new(Line::styled(hints.join("  "), THEME.muted)), area);
}
