//! The walk-in queue pane (*Wachtrij*).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState};

use crate::app::App;
use crate::domain::walkin::{Attendance, DESK_TZ, Status, WalkIn, desk_day, summarise};
use crate::theme::THEME;

/// From this width on, the file number has its own column.
const WIDE: u16 = 100;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let [summary_area, table_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    render_summary(app, frame, summary_area);

    let t = &app.texts;
    let wide = area.width >= WIDE;
    let visible = app.queue.visible();
    let active = visible.iter().filter(|w| !w.state.status.is_finished()).count();
    let mut rows: Vec<Row> = Vec::new();
    for (i, w) in visible.iter().enumerate() {
        if i == active {
            let finished = t.f("queue.finished_header", &[("n", &(visible.len() - active))]);
            rows.push(Row::new([
                Cell::from(""),
                Cell::from(""),
                Cell::from(""),
                Cell::from(""),
                Cell::from(Span::styled(finished, THEME.muted)),
            ]));
        }
        rows.push(row(app, w, wide));
    }
    let header = Row::new(narrow(
        [
            t.t("queue.col_ticket"),
            t.t("queue.col_arrived"),
            t.t("queue.col_waited"),
            t.t("queue.col_file"),
            t.t("queue.col_name"),
            t.t("queue.col_who"),
            t.t("queue.col_request"),
            t.t("queue.col_status"),
        ],
        wide,
    ))
    .style(THEME.title);
    let widths = narrow(
        [
            Constraint::Length(3),
            Constraint::Length(5),
            Constraint::Length(7),
            Constraint::Length(8),
            Constraint::Fill(4),
            Constraint::Length(6),
            Constraint::Length(12),
            Constraint::Fill(3),
        ],
        wide,
    );
    let title = t.f("queue.title", &[("date", &t.date_short(app.now))]);
    let table = Table::new(rows, widths)
        .header(header)
        .block(Block::default().borders(Borders::TOP).title(Span::styled(title, THEME.title)))
        .row_highlight_style(THEME.selected)
        .column_spacing(1);
    let mut state = TableState::default();
    if !visible.is_empty() {
        let selected = app.queue.selected;
        state.select(Some(if selected >= active && active < visible.len() {
            selected + 1
        } else {
            selected
        }));
    }
    frame.render_stateful_widget(table, table_area, &mut state);
    if visible.is_empty() {
        let empty = if app.queue.walk_ins.is_empty() { "queue.empty" } else { "queue.all_finished_hidden" };
        let [_, msg] = Layout::vertical([Constraint::Length(3), Constraint::Length(1)]).areas(table_area);
        frame.render_widget(Paragraph::new(t.t(empty)).style(THEME.muted).centered(), msg);
    }
}

fn row<'a>(app: &'a App, w: &WalkIn, wide: bool) -> Row<'a> {
    let t = &app.texts;
    let status = match w.state.status {
        Status::Waiting => t.t("status.waiting").to_owned(),
        Status::InConversation => {
            t.f("queue.with_counsellor", &[("name", &w.counsellor_name.clone().unwrap_or_default())])
        }
        Status::Done => {
            let outcome = w.state.outcome.map(|o| t.t(&o.text_key()).to_owned()).unwrap_or_default();
            t.f("queue.done_with", &[("outcome", &outcome)])
        }
        Status::Left => t.t("status.left").to_owned(),
    };
    let style = match w.state.status {
        Status::Waiting => THEME.base,
        Status::InConversation => THEME.focused,
        Status::Done | Status::Left => THEME.muted,
    };
    let cells = [
        Cell::from(w.ticket.to_string()),
        Cell::from(arrival(app, w)),
        Cell::from(t.duration(w.waited(app.now))),
        Cell::from(Span::styled(w.couple.file.to_string(), THEME.muted)),
        Cell::from(w.couple.names()),
        Cell::from(t.t(who_key(w.attendance)).to_owned()),
        Cell::from(t.t(&w.request.text_key()).to_owned()),
        Cell::from(status),
    ];
    Row::new(narrow(cells, wide)).style(style)
}

fn render_summary(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let s = summarise(&app.queue.walk_ins, app.now);
    let mut text = t.f(
        "queue.summary",
        &[
            ("waiting", &s.waiting),
            ("average", &t.duration(s.average_wait)),
            ("longest", &t.duration(s.longest_wait)),
            ("talking", &s.in_conversation),
            ("finished", &s.finished),
        ],
    );
    if !app.queue.show_finished && s.finished > 0 {
        text.push_str(&t.f("queue.finished_hidden", &[("n", &s.finished)]));
    }
    frame.render_widget(Paragraph::new(text), area);
}

/// The columns to show: narrow windows leave out the file number (index 3), since the name
/// matters more at the desk.
fn narrow<T, const N: usize>(columns: [T; N], wide: bool) -> Vec<T> {
    columns.into_iter().enumerate().filter(|(i, _)| wide || *i != 3).map(|(_, c)| c).collect()
}

/// The short form of who came, for the narrow column.
fn who_key(attendance: Attendance) -> &'static str {
    match attendance {
        Attendance::Both => "queue.who_both",
        Attendance::One => "queue.who_one",
    }
}

/// The arrival time; for a walk-in left open on an earlier day, its date instead ("01-12").
fn arrival(app: &App, w: &WalkIn) -> String {
    if desk_day(w.arrived_at) == desk_day(app.now) {
        app.texts.time(w.arrived_at)
    } else {
        w.arrived_at.with_timezone(&DESK_TZ).format("%d-%m").to_string()
    }
}
