//! The file pane (*Dossier*): one couple's file.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::app::App;
use crate::domain::dates::format_date;
use crate::domain::file::{CoupleFile, Partner};
use crate::theme::THEME;
use crate::ui::widgets::fit;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let Some(file) = &app.file else {
        let [_, middle] = Layout::vertical([Constraint::Length(3), Constraint::Length(2)]).areas(area);
        return frame
            .render_widget(Paragraph::new(t.t("file.none_open")).style(THEME.muted).centered(), middle);
    };
    let partner_lines =
        (file.partners.len() * 2 + app.file_pane.scores.len() + extra_partner_lines(file).len() + 1) as u16;
    // The concern (as the role may see it) gets lines of its own under the header: its steps
    // one by one where the window is tall enough.
    let max = if area.height >= 32 { 9 } else { 3 };
    let concern = super::concern::lines(app, file, area.width as usize, max);
    // Life events and notes side by side, two columns apart so that they never run together;
    // as tall as they need (2 to 5 lines), the rest for the timeline.
    let columns = Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).spacing(2);
    let [events, notes] = columns.areas(Rect { height: 1, ..area });
    let wanted = super::file_parts::middle_rows(app, file, events.width as usize, notes.width as usize);
    let [header, partners, middle, timeline] = Layout::vertical([
        Constraint::Length(2 + concern.len() as u16),
        Constraint::Length(partner_lines),
        Constraint::Length(1 + wanted.clamp(2, 5) as u16),
        Constraint::Min(3),
    ])
    .areas(area);
    render_header(app, file, concern, frame, header);
    render_partners(app, file, frame, partners);
    let [events, notes] = columns.areas(middle);
    super::file_parts::render_life_events(app, file, frame, events);
    super::file_parts::render_notes(app, file, frame, notes);
    super::file_parts::render_timeline(app, file, frame, timeline);
}

pub(super) fn section<'a>(title: &'a str) -> Block<'a> {
    Block::default().borders(Borders::TOP).title(Span::styled(format!(" {title} "), THEME.title))
}

fn render_header(app: &App, file: &CoupleFile, concern: Vec<Line<'static>>, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let mut status = t.t(&file.status.text_key()).to_owned();
    if let (Some(outcome), Some(on)) = (file.outcome, file.closed_on) {
        status = format!("{status}: {} ({})", t.t(&outcome.text_key()), format_date(on));
    }
    let counsellor =
        file.counsellor.as_ref().map_or_else(|| t.t("file.no_counsellor").to_owned(), |c| c.1.clone());
    let title = t.f("file.title", &[("file", &file.file)]);
    let request = t.f("file.request_line", &[("request", &t.t(&file.request.text_key()))]);
    // An open concern: the neutral marker every role sees, without a reason.
    let attention = file.receive_apart.then(|| format!(" {} ", t.t("concern.apart")));
    // In a narrow window the separators close up, then the counsellor's name ends in "…" (or
    // goes, when there is no room for a start of it): never a name cut without a mark.
    let fixed = attention.as_ref().map_or(0, |a| fit::width(a) + 1)
        + fit::width(&title)
        + 2
        + fit::width(&status)
        + fit::width(&request);
    let max = area.width as usize;
    let sep = ["  ·  ", " · "]
        .into_iter()
        .find(|sep| fixed + 2 * fit::width(sep) + fit::width(&counsellor) <= max)
        .unwrap_or(" · ");
    let room = max.saturating_sub(fixed + 2 * fit::width(sep));
    let mut first =
        vec![Span::styled(title, THEME.title), Span::raw(format!("  {status}{sep}")), Span::raw(request)];
    if room >= fit::MIN_NAME_ROOM {
        first.push(Span::raw(format!("{sep}{}", fit::ellipsize(&counsellor, room))));
    }
    let second = vec![Span::styled(
        t.f("file.facts", &[("children", &file.children), ("source", &t.t(&file.source.text_key()))]),
        THEME.muted,
    )];
    if let Some(attention) = attention {
        first.insert(0, Span::styled(attention, THEME.banner));
        first.insert(1, Span::raw(" "));
    }
    let mut lines = vec![Line::from(first), Line::from(second)];
    lines.extend(concern);
    frame.render_widget(Paragraph::new(lines), area);
}

fn partner_lines<'a>(app: &'a App, p: &'a Partner) -> [Line<'a>; 2] {
    let t = &app.texts;
    let year = p.birth_year.map(|y| format!("  ({y})")).unwrap_or_default();
    let contact: Vec<&str> =
        [p.phone.as_str(), p.email.as_str()].into_iter().filter(|s| !s.is_empty()).collect();
    let contact = if contact.is_empty() { t.t("file.no_contact").to_owned() } else { contact.join(" · ") };
    let mut first = vec![Span::styled(p.name.sortable(), THEME.title), Span::raw(year)];
    // No wish for a role that may not read it (the store did not select it).
    if app.file.as_ref().is_some_and(|f| f.wishes_shown) {
        first.push(Span::raw("  ·  "));
        first.push(Span::raw(t.f("file.wish_line", &[("wish", &t.t(&p.wish.text_key()))])));
    }
    [Line::from(first), Line::from(Span::styled(format!("  {contact}"), THEME.muted))]
}

fn render_partners(app: &App, file: &CoupleFile, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let mut lines: Vec<Line> = Vec::new();
    for p in &file.partners {
        lines.extend(partner_lines(app, p));
        if let Some(s) = app.file_pane.scores.iter().find(|s| s.position == p.position) {
            lines.push(Line::styled(format!("  {}", score_line(app, s)), THEME.focused));
        }
    }
    for key in extra_partner_lines(file) {
        let style = if key == "file.wishes_differ" { THEME.alert } else { THEME.muted };
        lines.push(Line::styled(t.t(key), style));
    }
    frame.render_widget(Paragraph::new(lines).block(section(t.t("file.partners"))), area);
}

/// "Meting: tevredenheid 4 → 7 (+3) · praten 3 → 6 (+3) · hoop 5 → 8 (+3)".
fn score_line(app: &App, s: &crate::domain::scores::ScoreChange) -> String {
    let t = &app.texts;
    let items = ["scores.short_satisfaction", "scores.short_communication", "scores.short_hope"];
    let parts: Vec<String> = (0..3)
        .map(|i| {
            let change = i32::from(s.last[i]) - i32::from(s.first[i]);
            let change = if change > 0 { format!("+{change}") } else { change.to_string() };
            if s.times > 1 {
                format!("{} {} → {} ({change})", t.t(items[i]), s.first[i], s.last[i])
            } else {
                format!("{} {}", t.t(items[i]), s.first[i])
            }
        })
        .collect();
    format!("{}: {}", t.t("scores.measured"), parts.join(" · "))
}

/// Remarks under the partners: that their wishes differ, or that only one partner is known.
fn extra_partner_lines(file: &CoupleFile) -> Vec<&'static str> {
    let wishes: Vec<_> = file.partners.iter().map(|p| p.wish).collect();
    let mut keys = Vec::new();
    if file.wishes_shown
        && wishes.len() == 2
        && wishes[0] != wishes[1]
        && !wishes.contains(&crate::domain::file::Wish::Unknown)
    {
        keys.push("file.wishes_differ");
    }
    if file.partners.len() == 1 {
        keys.push("file.one_partner");
    }
    keys
}
