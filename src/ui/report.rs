//! The report pane (*Rapportage*): the council's figures for a period on one screen, with bars
//! for the counts and a weekly sparkline of walk-ins.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Sparkline};

use crate::app::{App, PeriodChoice};
use crate::domain::dates::format_date;
use crate::domain::report::{Shown, Value, show};
use crate::report::label;
use crate::theme::THEME;
use crate::ui::widgets::fit;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let Some(period) = app.report.period else { return };
    let choice = match app.report.choice {
        PeriodChoice::ThisYear => t.t("report.period_year"),
        PeriodChoice::LastHalfYear => t.t("report.period_half"),
        PeriodChoice::Range(..) => t.t("report.period_range"),
    };
    let mode = if app.report.exact { t.t("report.exact") } else { t.t("report.suppressed") };
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
    let [head, top, bottom] =
        Layout::vertical([Constraint::Length(1), Constraint::Percentage(60), Constraint::Fill(1)])
            .areas(area);
    frame.render_widget(Paragraph::new(title), head);
    let [c1, c2, c3] = Layout::horizontal([Constraint::Ratio(1, 3); 3]).areas(top);
    let [c1top, spark] = Layout::vertical([Constraint::Min(3), Constraint::Length(4)]).areas(c1);
    group(app, frame, c1top, &["walk_ins", "request", "track"]);
    sparkline(app, frame, spark);
    group(app, frame, c2, &["trajectories", "budget"]);
    group(app, frame, c3, &["outcomes", "scores"]);
    let [b1, b2, b3] = Layout::horizontal([Constraint::Ratio(1, 3); 3]).areas(bottom);
    group(app, frame, b1, &["referrals_in"]);
    group(app, frame, b2, &["referrals_out"]);
    group(app, frame, b3, &["life_events"]);
}

/// The longest bar, in cells.
const BAR: u64 = 5;

/// The figures of some groups, each with a small bar for counts and shares.
fn group(app: &App, frame: &mut Frame, area: Rect, groups: &[&str]) {
    let t = &app.texts;
    let width = area.width as usize;
    let mut lines = Vec::new();
    for g in groups {
        let heading = fit::shorten(t.t(&format!("report.group_{g}")), width.saturating_sub(1));
        lines.push(Line::styled(heading, THEME.title));
        let figures: Vec<_> = app.report.figures.iter().filter(|f| f.group == *g).collect();
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
        let name_width = width.saturating_sub(value_width + BAR as usize + 4).max(6);
        for (fig, (value, bar)) in figures.iter().zip(shown) {
            let name = fit::shorten(&label(fig, t, &app.config), name_width);
            lines.push(Line::from(vec![
                Span::raw(format!(" {name:<name_width$} ")),
                Span::raw(format!("{value:>value_width$} ")),
                Span::styled("█".repeat(bar), THEME.focused),
            ]));
        }
    }
    frame.render_widget(Paragraph::new(lines).block(Block::default().borders(Borders::RIGHT)), area);
}

fn sparkline(app: &App, frame: &mut Frame, area: Rect) {
    let block =
        Block::default().borders(Borders::TOP).title(Span::styled(app.texts.t("report.weekly"), THEME.title));
    // Weekly counts are small numbers: they stay on the desk's screen, never in what is exported.
    let spark = Sparkline::default().block(block).data(&app.report.weekly).style(THEME.focused);
    frame.render_widget(spark, area);
}
