//! The users screen: each user with their roles, active or deactivated. No password is shown,
//! ever; only whether the user still has to choose one is known to the store.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState};

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
            // A name another active user has too (from before names were checked) is marked, with
            // the user's number, so that the two can be told apart and one renamed or deactivated.
            let duplicate = *active && app.users.is_duplicate(u);
            let status = match (active, duplicate) {
                (true, true) => t.t("users.duplicate"),
                (true, false) => t.t("users.active"),
                (false, _) => t.t("users.inactive"),
            };
            let row = Row::new([
                Cell::from(app.users.name_of(u)),
                Cell::from(roles_text(t, u)),
                Cell::from(status),
            ]);
            match (active, duplicate) {
                (true, true) => row.style(THEME.alert),
                (true, false) => row,
                (false, _) => row.style(THEME.muted),
            }
        })
        .collect();
    let header = Row::new([t.t("users.name"), t.t("users.roles"), t.t("users.status")]).style(THEME.title);
    let table = Table::new(rows, [Constraint::Fill(2), Constraint::Fill(2), Constraint::Length(14)])
        .header(header)
        .block(Block::default().borders(Borders::ALL).title(t.t("users.title")).title_style(THEME.title))
        .row_highlight_style(THEME.selected)
        .highlight_symbol("▸ ");
    let mut state = TableState::default().with_selected(Some(app.users.selected));
    // Below the list, what to do about two active users of the same name.
    let duplicates = app.users.users.iter().any(|(u, active)| *active && app.users.is_duplicate(u));
    let note = if duplicates {
        crate::ui::widgets::fit::wrap("", t.t("users.duplicates"), usize::from(area.width), 0)
    } else {
        Vec::new()
    };
    let [list, below] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(note.len() as u16)]).areas(area);
    frame.render_stateful_widget(table, list, &mut state);
    frame.render_widget(Paragraph::new(note.join("\n")).style(THEME.alert), below);
}
