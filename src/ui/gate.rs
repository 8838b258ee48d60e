//! The gate of an encrypted file: who can unlock it, and their password (or the recovery key).
//! Nothing of the database is shown: it is not open yet.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, Wrap};

use super::centered;
use super::widgets::masked_input;
use crate::app::gate::{Gate, Typing};
use crate::keymap::bindings_for;
use crate::theme::THEME;

pub fn render(gate: &Gate, frame: &mut Frame) {
    let t = &gate.texts;
    let area = frame.area();
    frame.render_widget(Clear, area);
    let rows = gate.users.len() as u16;
    let popup = centered(area, 64, rows + 9);
    let block = Block::default().borders(Borders::ALL).title(t.t("gate.title")).title_style(THEME.title);
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [list_area, _, field_area, message_area, keys_area] = Layout::vertical([
        Constraint::Length(rows.max(1)),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(2),
        Constraint::Length(1),
    ])
    .areas(inner);
    let items: Vec<ListItem> = gate.users.iter().map(|u| ListItem::new(u.name.clone())).collect();
    let list = List::new(items).highlight_style(THEME.selected).highlight_symbol("▸ ");
    let mut state = ListState::default().with_selected((!gate.users.is_empty()).then_some(gate.selected));
    frame.render_stateful_widget(list, list_area, &mut state);
    if gate.typing != Typing::Nothing {
        let label =
            if gate.typing == Typing::Recovery { t.t("gate.recovery_key") } else { t.t("login.password") };
        let [label_area, input_area] =
            Layout::horizontal([Constraint::Length(16), Constraint::Min(1)]).areas(field_area);
        frame.render_widget(Paragraph::new(label).style(THEME.focused), label_area);
        // The recovery key is long and typed from paper: it is shown; a password never is.
        if gate.typing == Typing::Recovery {
            super::widgets::text_input(&gate.input, true, frame, input_area);
        } else {
            masked_input(&gate.input, true, frame, input_area);
        }
    }
    if let Some(m) = &gate.message {
        frame.render_widget(
            Paragraph::new(m.as_str()).style(THEME.alert).wrap(Wrap { trim: true }),
            message_area,
        );
    }
    let hints: Vec<String> = bindings_for(&gate.contexts(), true, t.lang())
        .iter()
        .map(|b| format!("{} {}", b.key_label(), t.t(b.description)))
        .collect();
    frame.render_widget(Paragraph::new(Line::styled(hints.join("  "), THEME.muted)), keys_area);
}
