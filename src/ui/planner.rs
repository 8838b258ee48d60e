//! The session planner (*Planning*): the trajectory's conversations, or a counsellor's week.

use chrono::{Datelike, Duration};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState};

use crate::app::{App, PlannerView};
use crate::domain::planner::tally;
use crate::domain::walkin::{DESK_TZ, desk_day};
use crate::theme::THEME;
use crate::ui::widgets::fit;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let [budget, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    render_budget(app, frame, budget);
    match app.planner.view {
        PlannerView::Trajectory => render_trajectory(app, frame, body),
        PlannerView::Week => render_week(app, frame, body),
    }
}

fn render_budget(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let Some(b) = app.planner.budget else { return };
    let f = t.format();
    let hours = f.hours(b.hours_held);
    let text = t.f(
        "plan.budget_line",
        &[
            ("year", &desk_day(app.now).year()),
            ("started", &b.started),
            ("funded", &b.funded),
            ("hours", &hours),
            ("used", &f.euros(b.euros_used)),
            ("budget", &f.euros(b.euros_budget)),
        ],
    );
    let style = if b.started > b.funded { THEME.alert } else { THEME.muted };
    frame.render_widget(Paragraph::new(text).style(style), area);
}

/// "  names  ·  counsellor" in `max` columns: the separator closes up, then the counsellor's name
/// ends in "…" or goes; the couple's names come whole, or end in "…" when they alone are too wide.
fn names_and_counsellor(names: &str, counsellor: &str, max: usize) -> String {
    let names = format!("  {names}");
    for sep in ["  ·  ", " · "] {
        let line = format!("{names}{sep}{counsellor}");
        if fit::width(&line) <= max {
            return line;
        }
    }
    let room = max.saturating_sub(fit::width(&names) + 3);
    if room >= fit::MIN_NAME_ROOM {
        return format!("{names} · {}", fit::ellipsize(counsellor, room));
    }
    fit::ellipsize(&names, max)
}

fn render_trajectory(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let Some(file) = &app.file else {
        return frame.render_widget(Paragraph::new(t.t("plan.open_a_file")).style(THEME.muted), area);
    };
    let [head, table_area] = Layout::vertical([Constraint::Length(3), Constraint::Min(1)]).areas(area);
    let names = file.partners.iter().map(|p| p.name.sortable()).collect::<Vec<_>>().join(" & ");
    let room = (head.width as usize).saturating_sub(fit::width(&t.f("file.title", &[("file", &file.file)])));
    let Some(traj) = &app.planner.trajectory else {
        let lines = vec![
            Line::from(vec![
                Span::styled(t.f("file.title", &[("file", &file.file)]), THEME.title),
                Span::raw(fit::ellipsize(&format!("  {names}"), room)),
            ]),
            Line::styled(t.t("plan.no_trajectory"), THEME.muted),
        ];
        return frame.render_widget(Paragraph::new(lines), head);
    };
    let count = tally(traj.sessions.iter().map(|s| s.status));
    let summary = match traj.ended_at {
        Some(ended) => t.f("plan.ended_on", &[("date", &t.date_short(ended))]),
        None => t.f(
            "plan.tally",
            &[("held", &(count.held + count.no_show)), ("planned", &count.planned), ("left", &count.left)],
        ),
    };
    let title = t.f("plan.trajectory_title", &[("file", &file.file)]);
    let lines = vec![
        Line::from(vec![
            Span::styled(title.clone(), THEME.title),
            Span::raw(names_and_counsellor(
                &names,
                &traj.counsellor.1,
                (head.width as usize).saturating_sub(fit::width(&title)),
            )),
        ]),
        Line::styled(summary, if count.left == 0 { THEME.alert } else { THEME.focused }),
    ];
    frame.render_widget(Paragraph::new(lines), head);

    // The status column's room (the other columns are fixed, one apart): a cancelling reason
    // too long for it ends in "…".
    let status_room = (table_area.width as usize).saturating_sub(2 + 28 + 14 + 14 + 1 + 5);
    // Only the conversations that take a place are numbered (1 to 5); a cancelled one gets none.
    let mut number = 0;
    let rows: Vec<Row> = traj
        .sessions
        .iter()
        .map(|s| {
            let nr = if s.status.takes_a_place() {
                number += 1;
                number.to_string()
            } else {
                "–".to_owned()
            };
            let style = if s.status == crate::domain::planner::SessionStatus::Cancelled {
                THEME.muted
            } else {
                THEME.base
            };
            let mut status = t.t(&s.status.text_key()).to_owned();
            if !s.cancel_reason.is_empty() {
                status = format!("{status}: {}", s.cancel_reason);
            }
            let attended = s.attended.map(|a| t.t(&a.text_key()).to_owned()).unwrap_or_default();
            let note = match &s.note {
                Some(n) if !n.is_empty() => "✎",
                _ => "",
            };
            Row::new([
                Cell::from(nr),
                Cell::from(app.span_text(s.start)),
                Cell::from(s.room.clone()),
                Cell::from(fit::ellipsize(&status, status_room)),
                Cell::from(attended),
                Cell::from(note),
            ])
            .style(style)
        })
        .collect();
    let header = Row::new([
        t.t("plan.col_nr"),
        t.t("plan.col_when"),
        t.t("plan.col_room"),
        t.t("plan.col_status"),
        t.t("plan.col_attended"),
        "",
    ])
    .style(THEME.title);
    let widths = [
        Constraint::Length(2),
        Constraint::Length(28),
        Constraint::Length(14),
        Constraint::Fill(1),
        Constraint::Length(14),
        Constraint::Length(1),
    ];
    let table = Table::new(rows, widths)
        .header(header)
        .block(
            Block::default()
                .borders(Borders::TOP)
                .title(Span::styled(format!(" {} ", t.t("plan.conversations")), THEME.title)),
        )
        .row_highlight_style(THEME.selected);
    let mut state = TableState::default();
    if !traj.sessions.is_empty() {
        state.select(Some(app.planner.selected));
    }
    frame.render_stateful_widget(table, table_area, &mut state);
}

fn render_week(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let Some(monday) = app.planner.week else { return };
    let [head, grid] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let who = app.planner.counsellor.as_ref().map_or_else(String::new, |c| c.name.clone());
    let title = t.f("plan.week_title", &[("week", &monday.iso_week().week()), ("who", &who)]);
    // The key reminder follows whole, in its short form, or not at all: never cut mid-bracket.
    let max = head.width as usize;
    let keys = ["plan.week_keys", "plan.week_keys_short"]
        .into_iter()
        .map(|k| t.t(k))
        .find(|k| fit::width(&title) + fit::width(k) <= max)
        .unwrap_or_default();
    let line = Line::from(vec![
        Span::styled(fit::ellipsize(&title, max), THEME.title),
        Span::styled(keys, THEME.muted),
    ]);
    frame.render_widget(Paragraph::new(line), head);
    let today = desk_day(app.now);
    let selected = app.planner.bookings.get(app.planner.selected);
    // The selected conversation in full under the week: day, time, file, names, room, status.
    let detail = selected.map(|b| detail_lines(app, b, grid.width as usize)).unwrap_or_default();
    let [days, detail_area] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(detail.len() as u16)]).areas(grid);
    let columns = Layout::horizontal([Constraint::Ratio(1, 5); 5]).split(days);
    let selected = selected.map(|b| b.session_id);
    for (i, column) in columns.iter().enumerate() {
        let day = monday + Duration::days(i as i64);
        let label = format!(
            "{} {}",
            t.date_short(day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc()),
            if day == today { "•" } else { "" }
        );
        let style = if day == today { THEME.focused } else { THEME.title };
        // A rule between the days; each entry wraps within its day, never cut.
        let width = (column.width as usize).saturating_sub(1).max(1);
        let mut lines = vec![];
        for b in app.planner.bookings.iter().filter(|b| b.start.with_timezone(&DESK_TZ).date_naive() == day) {
            let mut s = if Some(b.session_id) == selected { THEME.selected } else { THEME.base };
            if !b.status.takes_a_place() {
                s = s.patch(THEME.muted);
            }
            let head = format!("{} {}", t.time(b.start), b.file);
            lines.extend(fit::wrap("", &head, width, 2).into_iter().map(|l| Line::styled(l, s)));
            // Each partner's initials stay together on a line: "IJ. van der W. &" / "E. J.".
            let partners: Vec<String> = b.initials.split(" & ").map(str::to_owned).collect();
            let initials = fit::keep_together(&b.initials, &partners);
            for part in [&initials, &b.room] {
                lines.extend(
                    fit::wrap("  ", part, width, 2).into_iter().map(|l| Line::styled(l, THEME.muted)),
                );
            }
            if !b.status.takes_a_place() {
                let key = b.status.text_key();
                let status = t.t(&key);
                lines.extend(
                    fit::wrap("  ", status, width, 2).into_iter().map(|l| Line::styled(l, THEME.muted)),
                );
            }
            if b.receive_apart {
                let apart = t.t("concern.apart");
                lines.extend(
                    fit::wrap("  ", apart, width, 2).into_iter().map(|l| Line::styled(l, THEME.alert)),
                );
            }
        }
        let counsellor = app.planner.counsellor.as_ref().map_or(0, |c| c.id);
        if let Some(why) = app.planner.closed.closed_for(day, counsellor) {
            let key = match why {
                crate::domain::settings::Closed::Desk => "plan.closed_desk",
                crate::domain::settings::Closed::DayOff => "plan.closed_day_off",
            };
            lines.insert(0, Line::styled(fit::ellipsize(t.t(key), width), THEME.alert));
        }
        if lines.is_empty() {
            lines.push(Line::styled("—", THEME.muted));
        }
        let block = Block::default()
            .borders(Borders::TOP | Borders::RIGHT)
            .border_style(THEME.muted)
            .title(Span::styled(label, style));
        frame.render_widget(Paragraph::new(lines).block(block), *column);
    }
    frame.render_widget(Paragraph::new(detail), detail_area);
}

/// The selected conversation in words, wrapped in `width`: "ma 19 okt 2026 14:00–15:30 · 2026-001
/// · IJ. van der W. & E. J. · Spreekkamer 1 · gepland".
fn detail_lines(app: &App, b: &crate::domain::trajectory::Booking, width: usize) -> Vec<Line<'static>> {
    let t = &app.texts;
    let mut parts = vec![
        app.span_text(b.start),
        b.file.to_string(),
        b.initials.clone(),
        b.room.clone(),
        t.t(&b.status.text_key()).to_owned(),
    ];
    if b.receive_apart {
        parts.push(t.t("concern.apart").to_owned());
    }
    let text = fit::keep_together(&parts.join(" · "), &[b.initials.clone(), b.room.clone()]);
    let mut lines = fit::wrap("▸ ", &text, width, 2);
    if lines.len() > 2 {
        lines.truncate(2);
        if let Some(last) = lines.last_mut() {
            *last = fit::cut(last, width);
        }
    }
    lines.into_iter().map(|l| Line::styled(l, THEME.focused)).collect()
}

#[cfg(test)]
mod tests {
    use super::names_and_counsellor;

    #[test]
    fn the_counsellor_gives_way_before_the_couple() {
        let names = "Wêreld, IJsbrand van der & Jansen, Els";
        let line = |max| names_and_counsellor(names, "Sara de Boer", max);
        assert_eq!(line(60), "  Wêreld, IJsbrand van der & Jansen, Els  ·  Sara de Boer");
        assert_eq!(line(55), "  Wêreld, IJsbrand van der & Jansen, Els · Sara de Boer");
        assert_eq!(line(50), "  Wêreld, IJsbrand van der & Jansen, Els · Sara d…");
        assert_eq!(line(44), "  Wêreld, IJsbrand van der & Jansen, Els");
        assert_eq!(line(30), "  Wêreld, IJsbrand van der…");
    }
}
