//! Who saw or changed the open file: its access log, newest first (the file pane's `a`). Its
//! codes are put into words by `audit::words`, as on the coordinator's log screen.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Block, Borders, Clear, Row, Table, TableState};

use crate::app::App;
use crate::app::popups::LogView;
use crate::audit::words;
use crate::theme::THEME;
use crate::ui::centered;

pub fn render(app: &App, view: &LogView, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let popup = centered(area, area.width.saturating_sub(4).max(40), area.height.saturating_sub(2).max(6));
    let rows: Vec<Row> = view
        .rows
        .iter()
        .map(|e| {
            let when = chrono::DateTime::parse_from_rfc3339(&e.at)
                .map(|at| {
                    let at = at.with_timezone(&chrono::Utc);
                    format!("{} {}", t.date_short(at), t.time(at))
                })
                .unwrap_or_else(|_| e.at.clone());
            let what = words::event_text(t, &e.event);
            Row::new([when, what, e.user_name.clone(), words::detail_with_who(t, &app.config, e)])
        })
        .collect();
    let header =
        Row::new([t.t("log.when"), t.t("log.what"), t.t("log.who"), t.t("log.detail")]).style(THEME.title);
    let title = t.f("log.title", &[("file", &view.file)]);
    let table = Table::new(
        rows,
        [Constraint::Length(16), Constraint::Length(18), Constraint::Length(22), Constraint::Fill(1)],
    )
    .header(header)
    .block(Block::default().borders(Borders::ALL).title(title).title_style(THEME.title))
    .row_highlight_style(THEME.selected);
    let mut state = TableState::default().with_selected((!view.rows.is_empty()).then_some(view.top));
    frame.render_widget(Clear, popup);
    frame.render_stateful_widget(table, popup, &mut state);
}
