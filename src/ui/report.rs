//! The report pane (*Rapportage*): the council's figures for a period, with bars for the counts
//! and a chart of walk-ins per week on top. The groups flow into as many columns as the width
//! holds (one to three); a label that does not fit wraps onto a next line instead of being cut,
//! and when the figures are longer than the window they scroll (j/k, PgDn/PgUp, Home/End).

use chrono::Duration;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::{App, PeriodChoice};
use crate::domain::dates::format_date;
use crate::domain::report::{Shown, Value, show};
use crate::report::{GROUPS, label};
use crate::theme::THEME;
use crate::ui::widgets::fit;

/// The least width of a column of figures: narrower windows get fewer columns.
const COLUMN: usize = 38;

/// Rows of the weekly chart (each row has eight steps).
const CHART_ROWS: usize = 2;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let Some(period) = app.report.period else { return };
    let choice = match app.report.choice {
        PeriodChoice::ThisYear => t.t("report.period_year"),
        PeriodChoice::LastHalfYear => t.t("report.period_half"),
        PeriodChoice::Range(..) => t.t("report.period_range"),
    };
    let mode = if app.report.computing() {
        t.t("report.computing")
    } else if app.report.exact {
        t.t("report.exact")
    } else {
        t.t("report.suppressed")
    };
    let title = t.f("report.title", &[("from", &format_date(period.from)), ("to", &format_date(period.to))]);
    // In a narrow window the separators close up, then the period's name goes; whether the
    // figures are exact or as for the council stays as long as it fits whole.
    let max = area.width as usize;
    let rest = [format!("  ·  {choice}  ·  {mode}"), format!(" · {choice} · {mode}"), format!(" · {mode}")]
        .into_iter()
        .find(|r| fit::width(&title) + fit::width(r) <= max)
        .unwrap_or_default();
    let title = Line::from(vec![
        Span::styled(fit::ellipsize(&title, max), THEME.title),
        Span::styled(rest, if app.report.exact { THEME.alert } else { THEME.muted }),
    ]);
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    frame.render_widget(Paragraph::new(title), head);

    let lines = content(app, body.width as usize);
    let rows = body.height as usize;
    if lines.len() <= rows {
        app.report.max_scroll.set(0);
        return frame.render_widget(Paragraph::new(lines), body);
    }
    // Too long for the window: the last row says where in the figures the view is, and how to move.
    let room = rows.saturating_sub(1).max(1);
    let max_scroll = lines.len() - room;
    app.report.max_scroll.set(max_scroll);
    let first = app.report.scroll.min(max_scroll);
    let shown: Vec<Line> = lines.into_iter().skip(first).take(room).collect();
    let [view, position] = Layout::vertical([Constraint::Min(0), Constraint::Length(1)]).areas(body);
    frame.render_widget(Paragraph::new(shown), view);
    let total = max_scroll + room;
    let at = t.f("report.scroll", &[("from", &(first + 1)), ("to", &(first + room)), ("total", &total)]);
    let keys = t.t("report.scroll_keys");
    let text = if fit::width(&at) + fit::width(keys) + 3 <= max { format!("{at} · {keys}") } else { at };
    frame.render_widget(Paragraph::new(fit::ellipsize(&text, max)).style(THEME.muted), position);
}

/// Every line of the report below its title, at `width` columns: the chart, then the groups.
fn content(app: &App, width: usize) -> Vec<Line<'static>> {
    let mut lines = chart(app, width);
    let columns = (width / COLUMN).clamp(1, 3);
    let column_width = (width.saturating_sub(columns - 1) / columns).max(1);
    let blocks: Vec<Vec<Line<'static>>> = GROUPS.iter().map(|g| group(app, column_width, g)).collect();
    lines.push(Line::raw(""));
    lines.extend(flow(blocks, columns, column_width));
    lines
}

/// The groups in `columns` columns, top to bottom then left to right, in their order, split where
/// the tallest column is lowest. A column's lines are padded to its width, with a rule between
/// columns, so nothing is drawn over a neighbour.
fn flow(blocks: Vec<Vec<Line<'static>>>, columns: usize, column_width: usize) -> Vec<Line<'static>> {
    let heights: Vec<usize> = blocks.iter().map(Vec::len).collect();
    let mut cols: Vec<Vec<Line<'static>>> = Vec::new();
    let mut sizes = split(&heights, columns).into_iter();
    let mut left = 0;
    for block in blocks {
        if left == 0 {
            cols.push(Vec::new());
            left = sizes.next().unwrap_or(usize::MAX);
        }
        left -= 1;
        if let Some(col) = cols.last_mut() {
            if !col.is_empty() {
                col.push(Line::raw(""));
            }
            col.extend(block);
        }
    }
    let height = cols.iter().map(Vec::len).max().unwrap_or(0);
    (0..height)
        .map(|row| {
            let mut spans: Vec<Span<'static>> = Vec::new();
            for (i, col) in cols.iter().enumerate() {
                if i > 0 {
                    spans.push(Span::styled("│", THEME.muted));
                }
                let line = col.get(row).cloned().unwrap_or_default();
                let used = line.width();
                spans.extend(line.spans);
                if i + 1 < cols.len() {
                    spans.push(Span::raw(" ".repeat(column_width.saturating_sub(used))));
                }
            }
            Line::from(spans)
        })
        .collect()
}

/// How many of the blocks of `heights` go in each of at most `columns` columns (in order, a blank
/// line between two blocks) so that the tallest column is as low as it can be.
fn split(heights: &[usize], columns: usize) -> Vec<usize> {
    let tall = |part: &[usize]| part.iter().sum::<usize>() + part.len().saturating_sub(1);
    if columns <= 1 || heights.len() <= 1 {
        return vec![heights.len()];
    }
    (1..heights.len())
        .map(|first| {
            let mut rest = split(&heights[first..], columns - 1);
            let mut at = first;
            let highest = rest.iter().fold(tall(&heights[..first]), |h, n| {
                at += n;
                h.max(tall(&heights[at - n..at]))
            });
            rest.insert(0, first);
            (highest, rest)
        })
        .min_by_key(|(highest, _)| *highest)
        .map_or_else(|| vec![heights.len()], |(_, sizes)| sizes)
}

/// The longest bar, in cells.
const BAR: u64 = 5;

/// A group's heading and figures in `width` columns, each figure with a small bar for counts and
/// shares. A label that does not fit wraps under itself; the value stays on its first line.
fn group(app: &App, width: usize, g: &str) -> Vec<Line<'static>> {
    let t = &app.texts;
    let heading = glue_remark(t.t(&format!("report.group_{g}")), width.saturating_sub(1));
    let mut lines: Vec<Line<'static>> =
        fit::wrap("", &heading, width, 1).into_iter().map(|l| Line::styled(l, THEME.title)).collect();
    let figures: Vec<_> = app.report.figures.iter().filter(|f| f.group == g).collect();
    let max = figures
        .iter()
        .filter_map(|f| if let Value::Count(n) = f.value { Some(n) } else { None })
        .max()
        .unwrap_or(0);
    let shown: Vec<(String, usize)> = figures
        .iter()
        .map(|fig| {
            let shown = show(fig.value, app.report.exact, t.format().decimal_comma());
            let bar = match (fig.value, &shown) {
                (Value::Count(n), Shown::Number(_)) if max > 0 => (n * BAR).div_ceil(max) as usize,
                (Value::Share { part, whole }, Shown::Number(_)) if whole > 0 => {
                    (part * BAR).div_ceil(whole) as usize
                }
                _ => 0,
            };
            let text = match (fig.value, shown) {
                (Value::Euros { euros, .. }, Shown::Number(_)) => t.format().euros(euros),
                (_, shown) => shown.text(),
            };
            (text, bar)
        })
        .collect();
    let value_width = shown.iter().map(|(v, _)| fit::width(v)).max().unwrap_or(1);
    // " label value bar": the label gets what the value and the bar leave.
    let name_width = width.saturating_sub(value_width + BAR as usize + 3).max(6);
    for (fig, (value, bar)) in figures.iter().zip(shown) {
        let name = glue_remark(&label(fig, t, &app.config), name_width - 2);
        for (i, part) in fit::wrap("", &name, name_width, 2).into_iter().enumerate() {
            let pad = name_width.saturating_sub(fit::width(&part));
            if i == 0 {
                lines.push(Line::from(vec![
                    Span::raw(format!(" {part}{} ", " ".repeat(pad))),
                    Span::raw(format!("{value:>value_width$} ")),
                    Span::styled("█".repeat(bar), THEME.focused),
                ]));
            } else {
                lines.push(Line::raw(format!(" {part}")));
            }
        }
    }
    lines
}

/// `text` with its closing remark in brackets kept on one line when wrapped, if it fits in
/// `room` columns: "Trajecten afgerond" / "(4 of 5 gesprekken)", not "… (4 of 5" / "gesprekken)".
fn glue_remark(text: &str, room: usize) -> String {
    match text.rfind(" (").filter(|_| text.ends_with(')')) {
        Some(at) if fit::width(&text[at + 1..]) <= room => {
            fit::keep_together(text, &[text[at + 1..].to_owned()])
        }
        _ => text.to_owned(),
    }
}

/// The weekly walk-ins as a chart of `CHART_ROWS` rows in the full width: a heading with the
/// highest week, the bars, and the first and last week shown below. When the period has more
/// weeks than the width holds, the newest are shown and the heading says how many.
fn chart(app: &App, width: usize) -> Vec<Line<'static>> {
    let t = &app.texts;
    let weekly = &app.report.weekly;
    let room = width.saturating_sub(1).max(1);
    let skipped = weekly.len().saturating_sub(room);
    let data = &weekly[skipped..];
    let highest = data.iter().copied().max().unwrap_or(0);
    let mut heading = t.t("report.weekly").to_owned();
    if skipped > 0 {
        heading = format!("{heading} · {}", t.f("report.weekly_newest", &[("n", &data.len())]));
    }
    heading = format!("{heading} · {}", t.f("report.weekly_highest", &[("n", &highest)]));
    let mut lines = vec![Line::styled(fit::ellipsize(&heading, width), THEME.title)];
    const STEPS: [&str; 9] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];
    let levels = (CHART_ROWS * 8) as u64;
    let heights: Vec<u64> =
        data.iter().map(|n| if highest == 0 { 0 } else { (n * levels).div_ceil(highest) }).collect();
    for row in (0..CHART_ROWS).rev() {
        let base = row as u64 * 8;
        let bars: String =
            heights.iter().map(|h| STEPS[h.saturating_sub(base).min(8) as usize]).collect::<String>();
        lines.push(Line::styled(format!(" {bars}"), THEME.focused));
    }
    if let Some(period) = app.report.period {
        let week = |i: usize| {
            let day = period.from + Duration::days(7 * i as i64);
            t.date_short(day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc())
        };
        let left = week(skipped);
        let right = week(weekly.len().saturating_sub(1));
        let gap = (data.len() + 1).saturating_sub(fit::width(&left) + fit::width(&right) + 1);
        let axis = if data.len() > 1 && gap > 0 {
            format!(" {left}{}{right}", " ".repeat(gap))
        } else {
            format!(" {right}")
        };
        lines.push(Line::styled(axis, THEME.muted));
    }
    lines
}
