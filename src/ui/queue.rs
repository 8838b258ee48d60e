//! The walk-in queue pane (*Wachtrij*).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState};

use crate::app::App;
use crate::domain::names::PersonName;
use crate::domain::walkin::{Attendance, DESK_TZ, Status, WalkIn, desk_day, summarise};
use crate::theme::THEME;
use crate::ui::widgets::fit::{self, Part};

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
    let texts: Vec<RowTexts> = visible.iter().map(|w| row_texts(app, w)).collect();
    let finished =
        (active < visible.len()).then(|| t.f("queue.finished_header", &[("n", &(visible.len() - active))]));
    let headers = [
        t.t("queue.col_ticket"),
        t.t("queue.col_arrived"),
        t.t("queue.col_waited"),
        t.t("queue.col_file"),
        t.t("queue.col_name"),
        t.t("queue.col_who"),
        t.t("queue.col_request"),
        t.t("queue.col_status"),
    ];
    let widths = if wide {
        narrow(
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
        )
    } else {
        narrow_widths(&headers, &texts, finished.as_deref(), table_area.width)
    };
    // The room each column really gets, so that a text too long for it ends in "…".
    let columns = Layout::horizontal(widths.clone()).spacing(COLUMN_SPACING).split(table_area);
    let name_width = columns[if wide { NAME } else { NAME - 1 }].width as usize;
    let status_width = columns.last().map_or(0, |c| c.width as usize);

    let mut rows: Vec<Row> = Vec::new();
    for (i, texts) in texts.into_iter().enumerate() {
        if let Some(finished) = finished.as_ref().filter(|_| i == active) {
            let mut cells = vec![Cell::from(""); NAME];
            cells.push(Cell::from(Span::styled(fit::ellipsize(finished, name_width), THEME.muted)));
            rows.push(Row::new(narrow_vec(cells, wide)));
        }
        rows.push(row(texts, wide, name_width, status_width));
    }
    let header = Row::new(narrow(headers, wide)).style(THEME.title);
    let title = t.f("queue.title", &[("date", &t.date_short(app.now))]);
    let table = Table::new(rows, widths)
        .header(header)
        .block(Block::default().borders(Borders::TOP).title(Span::styled(title, THEME.title)))
        .row_highlight_style(THEME.selected)
        .column_spacing(COLUMN_SPACING);
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

/// Columns between columns.
const COLUMN_SPACING: u16 = 1;
/// The name's column among all eight (the file number, index 3, goes in a narrow window).
const NAME: usize = 4;

/// A walk-in's row as text, before it is fitted to the columns; the status also in two short
/// lines (the status word, then the counsellor or the outcome) for a narrow column.
struct RowTexts {
    cells: [String; 8],
    /// Each partner's name, for a name column too narrow for the couple on one line.
    partners: Vec<String>,
    /// The status word alone ("in gesprek", "klaar").
    short_status: String,
    /// What goes with it: the counsellor (whole), or the outcome and its short form.
    detail: Option<(String, String)>,
    style: Style,
    /// *apart ontvangen*: the couple has an open concern (shown to every role, without reason).
    apart: Option<String>,
}

impl RowTexts {
    /// The least width of the status column for this row: its status word and the short form of
    /// its detail each on a line of their own.
    fn status_min(&self) -> usize {
        let detail = self.detail.as_ref().map_or(0, |(_, short)| fit::width(short));
        fit::width(&self.short_status).max(detail)
    }
}

fn row_texts(app: &App, w: &WalkIn) -> RowTexts {
    let t = &app.texts;
    let (status, short_status, detail) = match w.state.status {
        Status::Waiting => (t.t("status.waiting").to_owned(), t.t("status.waiting").to_owned(), None),
        Status::InConversation => {
            let name = w.counsellor_name.clone().unwrap_or_default();
            (
                t.f("queue.with_counsellor", &[("name", &name)]),
                t.t("queue.talking_short").to_owned(),
                Some((name.clone(), name)),
            )
        }
        Status::Done => {
            let outcome = w.state.outcome.map(|o| t.t(&o.text_key()).to_owned()).unwrap_or_default();
            let short = w.state.outcome.map(|o| t.t(&format!("queue.outcome_{}", o.code())).to_owned());
            (
                t.f("queue.done_with", &[("outcome", &outcome)]),
                t.t("queue.done_short").to_owned(),
                Some((outcome.clone(), short.unwrap_or(outcome))),
            )
        }
        Status::Left => (t.t("status.left").to_owned(), t.t("queue.left_short").to_owned(), None),
    };
    let style = match w.state.status {
        Status::Waiting => THEME.base,
        Status::InConversation => THEME.focused,
        Status::Done | Status::Left => THEME.muted,
    };
    // A note typed at registration: a sign only (counsellors read it in the file).
    let sign = if w.has_note { super::file_parts::NOTE_SIGN } else { "" };
    let cells = [
        format!("{}{sign}", w.ticket),
        arrival(app, w),
        t.duration(w.waited(app.now)),
        w.couple.file.to_string(),
        w.couple.names(),
        t.t(who_key(w.attendance)).to_owned(),
        t.t(&w.request.text_key()).to_owned(),
        status,
    ];
    let partners = w.couple.partners.iter().map(PersonName::sortable).collect();
    let apart = w.couple.receive_apart.then(|| t.t("concern.apart").to_owned());
    RowTexts { cells, partners, short_status, detail, style, apart }
}

/// The widths the short columns of a narrow window like to have (number, time, wait, who,
/// request); they give up their spare room when a name needs it.
const NARROW_WIDTHS: [usize; 5] = [3, 5, 7, 6, 12];

/// The columns of a narrow window: the short ones as wide as they like to be, or down to their
/// widest text (header included) when a name needs the room; the name as wide as the widest name,
/// as long as that leaves the status room for its short form; the status the rest.
fn narrow_widths(
    headers: &[&str; 8],
    rows: &[RowTexts],
    finished: Option<&str>,
    width: u16,
) -> Vec<Constraint> {
    let widest = |i: usize| {
        rows.iter().map(|r| fit::width(&r.cells[i])).chain([fit::width(headers[i])]).max().unwrap_or(0)
    };
    let needed: Vec<usize> = [0, 1, 2, 5, 6].into_iter().map(widest).collect();
    let liked: Vec<usize> = needed.iter().zip(NARROW_WIDTHS).map(|(n, l)| l.max(*n)).collect();
    let status_min = rows.iter().map(RowTexts::status_min).chain([fit::width(headers[7])]).max().unwrap_or(0);
    let name_wanted = widest(NAME).max(finished.map_or(0, fit::width));
    let rest = |short: &[usize]| {
        (width as usize).saturating_sub(short.iter().sum::<usize>() + COLUMN_SPACING as usize * 6)
    };
    let short = if name_wanted + status_min <= rest(&liked) { liked } else { needed };
    // Room to spare is shared as in a wide window: four parts name, three parts status.
    let room = rest(&short);
    let name =
        name_wanted.max(room * 4 / 7).min(room.saturating_sub(status_min)).max(fit::width(headers[NAME]));
    let length = |w: usize| Constraint::Length(w as u16);
    vec![
        length(short[0]),
        length(short[1]),
        length(short[2]),
        length(name),
        length(short[3]),
        length(short[4]),
        Constraint::Fill(1),
    ]
}

/// A walk-in's row, each text fitted to its column. A couple too long for one line gets a line
/// per partner ("Berg, Jan van den &" / "El Amrani, Mo"); only a name too long for a line of its own
/// ends in "…". A status too long for its column takes two lines: the status word, then the
/// counsellor (whole) or the outcome (in its short form when the long one does not fit).
fn row<'a>(texts: RowTexts, wide: bool, name_width: usize, status_width: usize) -> Row<'a> {
    let RowTexts {
        cells: [ticket, arrived, waited, file, name, who, request, status],
        partners,
        short_status,
        detail,
        style,
        apart,
    } = texts;
    let statuses: Vec<Line> = if fit::width(&status) <= status_width {
        vec![Line::raw(status)]
    } else {
        let mut lines = vec![Line::raw(fit::ellipsize(&short_status, status_width))];
        if let Some((long, short)) = detail {
            let detail = if fit::width(&long) <= status_width { long } else { short };
            lines.push(Line::raw(fit::ellipsize(&detail, status_width)));
        }
        lines
    };
    let names: Vec<Line> = if fit::width(&name) <= name_width || partners.len() < 2 {
        vec![Line::raw(fit::ellipsize(&name, name_width))]
    } else {
        let last = partners.len() - 1;
        partners
            .iter()
            .enumerate()
            .map(|(i, p)| if i < last { format!("{p} &") } else { p.clone() })
            .map(|p| Line::raw(fit::ellipsize(&p, name_width)))
            .collect()
    };
    let mut names = names;
    if let Some(apart) = apart {
        names.push(Line::styled(fit::ellipsize(&apart, name_width), THEME.alert));
    }
    let height = names.len().max(statuses.len()) as u16;
    let cells = [
        Cell::from(ticket),
        Cell::from(arrived),
        Cell::from(waited),
        Cell::from(Span::styled(file, THEME.muted)),
        Cell::from(Text::from(names)),
        Cell::from(who),
        Cell::from(request),
        Cell::from(Text::from(statuses)),
    ];
    Row::new(narrow(cells, wide)).style(style).height(height)
}

/// The day in figures. In a narrow window the parts take their short forms, then the least
/// important go whole ("langste", then "gem."); a part is never cut in the middle.
fn render_summary(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let s = summarise(&app.queue.walk_ins, app.now);
    let (average, longest) = (t.duration(s.average_wait), t.duration(s.longest_wait));
    let both = |key: &str, short: &str, arg: (&str, &dyn std::fmt::Display), rank| Part {
        long: t.f(key, &[arg]),
        short: t.f(short, &[arg]),
        rank,
    };
    let mut finished = both("queue.summary_finished", "queue.summary_finished", ("n", &s.finished), 5);
    if !app.queue.show_finished && s.finished > 0 {
        finished.long.push_str(t.t("queue.finished_hidden"));
        finished.short.push_str(t.t("queue.finished_hidden_short"));
    }
    let parts = [
        both("queue.summary_waiting", "queue.summary_waiting", ("n", &s.waiting), 9),
        both("queue.summary_average", "queue.summary_average_short", ("time", &average), 3),
        both("queue.summary_longest", "queue.summary_longest_short", ("time", &longest), 2),
        both("queue.summary_talking", "queue.summary_talking_short", ("n", &s.in_conversation), 6),
        finished,
    ];
    let text = fit::fit_parts(&parts, t.t("queue.summary_separator"), area.width as usize);
    frame.render_widget(Paragraph::new(text), area);
}

/// The columns to show: narrow windows leave out the file number (index 3), since the name
/// matters more at the desk.
fn narrow<T, const N: usize>(columns: [T; N], wide: bool) -> Vec<T> {
    narrow_vec(columns.into(), wide)
}

fn narrow_vec<T>(columns: Vec<T>, wide: bool) -> Vec<T> {
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
