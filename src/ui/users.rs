//! The users screen: each user with their roles, active or deactivated. No password is shown,
//! ever; only whether the user still has to choose one is known to the store.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Block, Borders, Cell, Row, Table, TableState};

use super::roles_text;
use crate::app::App;
use crate::theme::THEME;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let rows: Vec<Row> = app
        .users
        .users
        .iter()
        .map(|(u, active)| {
            let status = if *active { t.t("users.active") } else { t.t("users.inactive") };
            let row =
                Row::new([Cell::from(u.name.clone()), Cell::from(roles_text(t, u)), Cell::from(status)]);
            if *active { row } else { row.style(THEME.muted) }
        })
        .collect();
    let header = Row::new([t.t("users.name"), t.t("users.roles"), t.t("users.status")]).style(THEME.title);
    let table = Table::new(rows, [Constraint::Fill(2), Constraint::Fill(2), Constraint::Length(14)])
        .header(header)
        .block(Block::default().borders(Borders::ALL).title(t.t("users.title")).title_style(THEME.title))
        .row_highlight_style(THEME.selected)
        .highlight_symbol("▸ ");
    let mut state = TableState::default().with_selected(Some(app.users.selected));
    frame.render_stateful_widget(table, area, &mut state);
}
