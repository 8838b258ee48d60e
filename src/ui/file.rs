//! The file pane (*Dossier*): one couple's file.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::app::App;
use crate::domain::dates::format_date;
use crate::domain::file::{CoupleFile, Happening, Notes, Partner};
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
    let [header, partners, middle, timeline] = Layout::vertical([
        Constraint::Length(2 + concern.len() as u16),
        Constraint::Length(partner_lines),
        Constraint::Length(6),
        Constraint::Min(3),
    ])
    .areas(area);
    render_header(app, file, concern, frame, header);
    render_partners(app, file, frame, partners);
    let [events, notes] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(middle);
    render_life_events(app, file, frame, events);
    render_notes(app, file, frame, notes);
    render_timeline(app, file, frame, timeline);
}

fn section<'a>(title: &'a str) -> Block<'a> {
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

fn render_life_events(app: &App, file: &CoupleFile, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let lines: Vec<Line> = if file.life_events.is_empty() {
        vec![Line::styled(t.t("file.no_life_events"), THEME.muted)]
    } else {
        file.life_events
            .iter()
            .map(|e| {
                let on = e.on.map(format_date).unwrap_or_else(|| t.t("file.no_date").to_owned());
                Line::from(vec![
                    Span::raw(t.t(&e.kind.text_key()).to_owned()),
                    Span::styled(format!("  {on}"), THEME.muted),
                ])
            })
            .collect()
    };
    frame.render_widget(Paragraph::new(lines).block(section(t.t("file.life_events"))), area);
}

fn render_notes(app: &App, file: &CoupleFile, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let muted = |key: &str| vec![Line::styled(t.t(key).to_owned(), THEME.muted)];
    let mut lines: Vec<Line> = match &file.notes {
        Notes::Text(text) if text.is_empty() && file.private_notes.is_empty() => muted("file.no_notes"),
        Notes::Text(text) => text.lines().map(|l| Line::raw(l.to_owned())).collect(),
        Notes::Hidden { exist: true } => muted("file.notes_hidden"),
        Notes::Hidden { exist: false } => muted("file.no_notes"),
    };
    // Each partner's private note under its mark: what they told alone, for counsellors only.
    for note in &file.private_notes {
        let given = file.partners.iter().find(|p| p.position == note.position).map(|p| p.name.given.as_str());
        let mark = t.f("file.private_note_mark", &[("n", &note.position), ("name", &given.unwrap_or(""))]);
        lines.push(Line::styled(mark, THEME.alert));
        lines.extend(note.text.lines().map(|l| Line::raw(l.to_owned())));
    }
    let body = Paragraph::new(lines);
    frame.render_widget(body.wrap(Wrap { trim: false }).block(section(t.t("file.notes"))), area);
}

fn render_timeline(app: &App, file: &CoupleFile, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let label = |key: String| t.t(&key).to_owned();
    let lines: Vec<Line> = file
        .timeline
        .iter()
        .map(|entry| {
            let what = match &entry.what {
                Happening::WalkIn { ticket, status, outcome } => {
                    let mut s =
                        t.f("timeline.walk_in", &[("ticket", ticket), ("status", &label(status.text_key()))]);
                    if let Some(o) = outcome {
                        s.push_str(&format!(": {}", label(o.text_key())));
                    }
                    s
                }
                Happening::Status { to, outcome } => {
                    let mut s = t.f("timeline.status", &[("status", &label(to.text_key()))]);
                    if let Some(o) = outcome {
                        s.push_str(&format!(": {}", label(o.text_key())));
                    }
                    s
                }
                Happening::Edited => t.t("timeline.edit").to_owned(),
                Happening::Notes => t.t("timeline.notes").to_owned(),
                Happening::PrivateNote(n) => t.f("timeline.private_note", &[("n", n)]),
                Happening::SafetySet => t.t("timeline.safety_set").to_owned(),
                Happening::SafetyCleared => t.t("timeline.safety_cleared").to_owned(),
                Happening::ConcernOpened => t.t("timeline.concern_opened").to_owned(),
                Happening::ConcernStep(5) => t.t("timeline.concern_closed").to_owned(),
                Happening::ConcernStep(n) => t.f("timeline.concern_step", &[("step", n)]),
                Happening::LifeEvent(kind) => {
                    t.f("timeline.life_event", &[("event", &label(kind.text_key()))])
                }
                Happening::ReferralOut(party) => {
                    t.f("timeline.referral_out", &[("party", &app.party_name(party))])
                }
                Happening::ReferralStatus(status) => {
                    t.f("timeline.referral_status", &[("status", &label(status.text_key()))])
                }
                Happening::Conversation(status) => {
                    t.f("timeline.conversation", &[("status", &label(status.text_key()))])
                }
                Happening::TrajectoryStarted => t.t("timeline.trajectory_started").to_owned(),
                Happening::TrajectoryEnded => t.t("timeline.trajectory_ended").to_owned(),
                Happening::ReferralIn(source) => {
                    t.f("timeline.referral_in", &[("source", &label(source.text_key()))])
                }
                Happening::Letter { party, by } => {
                    t.f("timeline.letter", &[("party", &app.party_name(party)), ("name", by)])
                }
            };
            let when = format!("{} {}  ", t.date_short(entry.at), t.time(entry.at));
            Line::from(vec![Span::styled(when, THEME.muted), Span::raw(what)])
        })
        .collect();
    frame.render_widget(Paragraph::new(lines).block(section(t.t("file.timeline"))), area);
}
