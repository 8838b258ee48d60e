//! The coordinator's access log screen: what was looked for in the title, the rows newest first
//! in columns that fit the window (the least needed go first when it is narrow), and the selected
//! row in full below, so that nothing a narrow window leaves out is lost.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, TableState, Wrap};

use crate::app::App;
use crate::audit::words;
use crate::domain::access::{LogEntry, LogFilter};
use crate::domain::dates::format_date;
use crate::theme::THEME;
use crate::ui::widgets::fit;

/// The columns, in the order shown: the text key of the header, the widest it grows, and the
/// order in which they go when the window is narrow (0: never).
const COLUMNS: [(&str, usize, u8); 8] = [
    ("audit.col_when", 16, 0),
    ("audit.col_what", 22, 0),
    ("audit.col_who", 20, 0),
    ("audit.col_role", 16, 3),
    ("audit.col_behalf", 16, 2),
    ("audit.col_file", 18, 0),
    ("audit.col_detail", 0, 4),
    ("audit.col_place", 16, 1),
];

/// Where the detail column is: it takes what is left, at least [`DETAIL_MIN`].
const DETAIL: usize = 6;
const DETAIL_MIN: usize = 12;
/// Where the "on behalf of" column is: left out when no row has one.
const BEHALF: usize = 4;
/// Where the workstation column is: always its full width, cut with "…".
const PLACE: usize = 7;

/// The selected row in full: a border and three lines.
const PANEL: u16 = 5;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let state = &app.log;
    let title = fit::ellipsize(&summary(app), usize::from(area.width.saturating_sub(4)));
    let block = Block::default().borders(Borders::ALL).title(title).title_style(THEME.title);
    let Some(_) = &state.filter else {
        let text = Paragraph::new(t.t("audit.nothing_yet")).style(THEME.muted).wrap(Wrap { trim: true });
        return frame.render_widget(text.block(block), area);
    };
    if state.rows.is_empty() {
        let text = Paragraph::new(t.t("audit.no_rows")).style(THEME.muted).wrap(Wrap { trim: true });
        return frame.render_widget(text.block(block), area);
    }
    let [list, panel] = Layout::vertical([Constraint::Min(4), Constraint::Length(PANEL)]).areas(area);
    let cells: Vec<[String; 8]> = state.rows.iter().map(|e| cells(app, e)).collect();
    let headers: Vec<&str> = COLUMNS.iter().map(|(key, ..)| t.t(key)).collect();
    // The room inside the border, less the selection mark.
    let room = usize::from(list.width.saturating_sub(4));
    let widths = fit_columns(&headers, &cells, room);
    let shown: Vec<usize> = (0..COLUMNS.len()).filter(|i| widths[*i] > 0).collect();
    let constraints: Vec<Constraint> = shown.iter().map(|i| Constraint::Length(widths[*i] as u16)).collect();
    let pick = |row: &[String]| -> Vec<String> {
        shown.iter().map(|i| fit::ellipsize(&row[*i], widths[*i])).collect()
    };
    let header: Vec<String> = shown.iter().map(|i| headers[*i].to_owned()).collect();
    let rows: Vec<Row> = cells.iter().map(|c| Row::new(pick(c))).collect();
    let table = Table::new(rows, constraints)
        .header(Row::new(header).style(THEME.title))
        .block(block)
        .row_highlight_style(THEME.selected)
        .highlight_symbol("▸ ");
    let mut table_state = TableState::default().with_selected(Some(state.selected));
    frame.render_stateful_widget(table, list, &mut table_state);
    if let Some(e) = state.selected() {
        render_panel(app, e, frame, panel);
    }
}

/// A row's cells, in the order of [`COLUMNS`].
fn cells(app: &App, e: &LogEntry) -> [String; 8] {
    let t = &app.texts;
    [
        words::when_text(&e.at),
        words::event_text(t, &e.event),
        e.user_name.clone(),
        words::roles_text(t, &e.user_roles),
        e.on_behalf.clone(),
        words::file_text(t, e),
        words::detail_text(t, &app.config, e),
        e.workstation.clone(),
    ]
}

/// Each column's width (0: left out). Columns take what their widest cell needs, up to their
/// limit; when that is too wide, the least needed go first, then the others shrink. The detail
/// column takes what is left; "on behalf of" is left out when no row has one.
fn fit_columns(headers: &[&str], cells: &[[String; 8]], room: usize) -> Vec<usize> {
    let mut widths: Vec<usize> = COLUMNS
        .iter()
        .enumerate()
        .map(|(i, (_, max, _))| {
            let widest = cells.iter().map(|c| fit::width(&c[i])).chain([fit::width(headers[i])]).max();
            match i {
                DETAIL => DETAIL_MIN,
                // The workstation's column is as wide wherever loket runs.
                PLACE => *max,
                _ => widest.unwrap_or(0).min(*max),
            }
        })
        .collect();
    // "On behalf of" only where someone acted for another.
    if cells.iter().all(|c| c[BEHALF].is_empty()) {
        widths[BEHALF] = 0;
    }
    let total = |w: &[usize]| {
        let shown: Vec<&usize> = w.iter().filter(|w| **w > 0).collect();
        shown.iter().copied().sum::<usize>() + shown.len().saturating_sub(1)
    };
    for drop in 1..=4 {
        if total(&widths) <= room {
            break;
        }
        if let Some(i) = COLUMNS.iter().position(|(_, _, order)| *order == drop) {
            widths[i] = 0;
        }
    }
    // Still too wide: the user's name and the event give way, down to 10 each.
    for i in [2, 1] {
        let over = total(&widths).saturating_sub(room);
        widths[i] = widths[i].saturating_sub(over).max(10);
    }
    // The detail takes what is left.
    if widths[DETAIL] > 0 {
        widths[DETAIL] += room.saturating_sub(total(&widths));
    }
    widths
}

/// What was looked for, in words: "Logboek · dossier 2026-001 · iedereen · 01-01-2026 – … · 12 regels".
fn summary(app: &App) -> String {
    let t = &app.texts;
    let mut parts = vec![t.t("audit.title").to_owned()];
    let Some(filter) = &app.log.filter else { return parts.join(" · ") };
    parts.extend(filter_words(app, filter));
    let n = app.log.rows.len();
    parts.push(match (n, app.log.truncated) {
        (_, true) => t.f("audit.truncated", &[("n", &n)]),
        (1, false) => t.t("audit.count_one").to_owned(),
        (n, false) => t.f("audit.count", &[("n", &n)]),
    });
    parts.join(" · ")
}

fn filter_words(app: &App, filter: &LogFilter) -> Vec<String> {
    let t = &app.texts;
    let mut parts = Vec::new();
    if let Some(file) = filter.file {
        parts.push(t.f("audit.sum_file", &[("file", &file)]));
    }
    if let Some(user) = &filter.user {
        parts.push(user.clone());
    }
    match (filter.from, filter.to) {
        (Some(from), Some(to)) => {
            parts.push(format!("{} – {}", format_date(from), format_date(to)));
        }
        (Some(from), None) => parts.push(t.f("audit.sum_from", &[("date", &format_date(from))])),
        (None, Some(to)) => parts.push(t.f("audit.sum_to", &[("date", &format_date(to))])),
        (None, None) => {}
    }
    parts.extend(filter.events.iter().map(|e| words::event_text(t, e.code())));
    if parts.is_empty() {
        parts.push(t.t("audit.everything").to_owned());
    }
    parts
}

/// The selected row in full, wrapped in the panel.
fn render_panel(app: &App, e: &LogEntry, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let c = cells(app, e);
    let mut who = format!("{} · {} · {}", c[0], c[1], c[2]);
    if !c[3].is_empty() {
        who.push_str(&format!(" ({})", c[3]));
    }
    if !e.on_behalf.is_empty() {
        who.push_str(&format!(" · {}", t.f("audit.on_behalf", &[("name", &e.on_behalf)])));
    }
    let mut place = Vec::new();
    if !c[5].is_empty() {
        place.push(t.f("audit.sum_file", &[("file", &c[5])]));
    }
    place.push(t.f("audit.workstation", &[("place", &c[7])]));
    let lines = vec![Line::from(who), Line::from(place.join(" · ")), Line::from(c[6].clone())];
    let title = t.f("audit.row_of", &[("n", &(app.log.selected + 1)), ("total", &app.log.rows.len())]);
    let block = Block::default().borders(Borders::ALL).title(title).title_style(THEME.muted);
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: true }), area);
}
