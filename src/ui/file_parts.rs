//! The lower half of the file pane: life events, notes and the timeline. The notes show their
//! newest lines and the timeline its newest entries; what does not fit is announced on a line of its
//! own ("↑ 4 regels eerder (PgUp)"), never cut off silently, and scrolls into view.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::file::section;
use crate::app::App;
use crate::domain::dates::format_date;
use crate::domain::file::{CoupleFile, Happening, Notes, TimelineEntry};
use crate::domain::walkin::desk_day;
use crate::theme::THEME;
use crate::ui::widgets::fit;

/// The mark before a walk-in's short note, in the timeline (and beside its ticket in the queue).
pub const NOTE_SIGN: &str = "✎";

/// The rows the life events and the notes would like, at these widths (the larger of the two).
pub(super) fn middle_rows(app: &App, file: &CoupleFile, events: usize, notes: usize) -> usize {
    let notes = note_lines(app, file).iter().map(|(text, _)| fit::wrap("", text, notes, 0).len()).sum();
    life_event_lines(app, file, events).len().max(notes)
}

/// The life events, each with its date (or *verwacht* and its date, or *datum onbekend*).
fn life_event_lines(app: &App, file: &CoupleFile, max: usize) -> Vec<Line<'static>> {
    let t = &app.texts;
    let today = desk_day(app.now);
    let mut lines: Vec<Line> = Vec::new();
    if file.life_events.is_empty() {
        lines.push(Line::styled(fit::ellipsize(t.t("file.no_life_events"), max), THEME.muted));
    }
    for e in &file.life_events {
        // A date ahead is an expected event (a birth on its way).
        let on = match e.on {
            Some(d) if d > today => t.f("file.expected_on", &[("date", &format_date(d))]),
            Some(d) => format_date(d),
            None => t.t("file.no_date").to_owned(),
        };
        let kind = t.t(&e.kind.text_key()).to_owned();
        // The date beside the event when both fit, else on a line of its own: never run together.
        if fit::width(&kind) + 2 + fit::width(&on) <= max {
            lines.push(Line::from(vec![Span::raw(kind), Span::styled(format!("  {on}"), THEME.muted)]));
        } else {
            lines.push(Line::raw(fit::ellipsize(&kind, max)));
            lines.push(Line::styled(fit::ellipsize(&format!("  {on}"), max), THEME.muted));
        }
    }
    lines
}

pub(super) fn render_life_events(app: &App, file: &CoupleFile, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let block = section(t.t("file.life_events"));
    let mut lines = life_event_lines(app, file, block.inner(area).width as usize);
    let rows = block.inner(area).height as usize;
    if lines.len() > rows && rows > 0 {
        let hidden = lines.len() - (rows - 1);
        lines.truncate(rows - 1);
        lines.push(Line::styled(t.f("file.more_lines", &[("n", &hidden)]), THEME.muted));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// The notes as lines of text, each with its style, before they are wrapped: the file's notes,
/// then each partner's own note under its mark ([`CoupleFile::notes_line_count`] counts them).
fn note_lines(app: &App, file: &CoupleFile) -> Vec<(String, Style)> {
    let t = &app.texts;
    let muted = |key: &str| vec![(t.t(key).to_owned(), THEME.muted)];
    let mut lines: Vec<(String, Style)> = match &file.notes {
        Notes::Text(text) if text.is_empty() && file.private_notes.is_empty() => muted("file.no_notes"),
        Notes::Text(text) => text.lines().map(|l| (l.to_owned(), THEME.base)).collect(),
        Notes::Hidden { exist: true } => muted("file.notes_hidden"),
        Notes::Hidden { exist: false } => muted("file.no_notes"),
    };
    // Each partner's private note under its mark: what they told alone, for counsellors only.
    for note in &file.private_notes {
        let given = file.partners.iter().find(|p| p.position == note.position).map(|p| p.name.given.as_str());
        let mark = t.f("file.private_note_mark", &[("n", &note.position), ("name", &given.unwrap_or(""))]);
        lines.push((mark, THEME.alert));
        lines.extend(note.text.lines().map(|l| (l.to_owned(), THEME.base)));
    }
    lines
}

/// The notes box: the newest lines (the last ones), with a line saying how many came before
/// (PgUp shows them) and, once scrolled back, how many come after (PgDn).
pub(super) fn render_notes(app: &App, file: &CoupleFile, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let block = section(t.t("file.notes"));
    let inner = block.inner(area);
    let (max, height) = (inner.width as usize, inner.height as usize);
    let lines = note_lines(app, file);
    let back = app.file_pane.notes_back.min(lines.len().saturating_sub(1));
    let later = lines[lines.len() - back..].len();
    // Each line wrapped to the box, remembering which line it came from.
    let wrapped: Vec<(usize, String, Style)> = lines[..lines.len() - back]
        .iter()
        .enumerate()
        .flat_map(|(i, (text, style))| {
            fit::wrap("", text, max, 0).into_iter().map(move |row| (i, row, *style))
        })
        .collect();
    let room = height.saturating_sub(usize::from(later > 0));
    let mut rows: Vec<Line> = Vec::new();
    let mut continued = false;
    let shown = if wrapped.len() > room {
        let from = wrapped.len() - room.saturating_sub(1);
        // The lines not (wholly) shown above: a line whose start is hidden counts too.
        let first = wrapped.get(from).map_or(lines.len() - back, |(i, ..)| *i);
        let partly = wrapped.get(from.wrapping_sub(1)).is_some_and(|(i, ..)| *i == first);
        let earlier = first + usize::from(partly);
        continued = partly;
        rows.push(Line::styled(
            fit::ellipsize(&t.f("file.notes_earlier", &[("n", &earlier.max(1))]), max),
            THEME.focused,
        ));
        &wrapped[from..]
    } else {
        &wrapped[..]
    };
    // A line whose start is above shows that it goes on from there ("…ontslag in september").
    rows.extend(shown.iter().enumerate().map(|(k, (_, text, style))| match k == 0 && continued {
        true => Line::styled(fit::ellipsize(&format!("{}{text}", fit::ELLIPSIS), max), *style),
        false => Line::styled(text.clone(), *style),
    }));
    if later > 0 {
        rows.push(Line::styled(
            fit::ellipsize(&t.f("file.notes_later", &[("n", &later)]), max),
            THEME.focused,
        ));
    }
    frame.render_widget(Paragraph::new(rows).block(block), area);
}

/// An entry of the timeline in words.
fn happening_text(app: &App, what: &Happening) -> String {
    let t = &app.texts;
    let label = |key: String| t.t(&key).to_owned();
    match what {
        Happening::WalkIn { ticket, status, outcome, note } => {
            let mut s = t.f("timeline.walk_in", &[("ticket", ticket), ("status", &label(status.text_key()))]);
            if let Some(o) = outcome {
                s.push_str(&format!(": {}", label(o.text_key())));
            }
            // A role that may not read the note sees that there is one.
            if *note == (Notes::Hidden { exist: true }) {
                s.push_str(&format!(" {NOTE_SIGN}"));
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
        Happening::LifeEvent(kind) => t.f("timeline.life_event", &[("event", &label(kind.text_key()))]),
        Happening::ReferralOut(party) => t.f("timeline.referral_out", &[("party", &app.party_name(party))]),
        Happening::ReferralStatus(status) => {
            t.f("timeline.referral_status", &[("status", &label(status.text_key()))])
        }
        Happening::Conversation(status) => {
            t.f("timeline.conversation", &[("status", &label(status.text_key()))])
        }
        Happening::TrajectoryStarted => t.t("timeline.trajectory_started").to_owned(),
        Happening::TrajectoryEnded => t.t("timeline.trajectory_ended").to_owned(),
        Happening::TrajectoryUndone => t.t("timeline.trajectory_undone").to_owned(),
        Happening::ReferralIn(source) => {
            t.f("timeline.referral_in", &[("source", &label(source.text_key()))])
        }
        Happening::Letter { party, by } => {
            t.f("timeline.letter", &[("party", &app.party_name(party)), ("name", by)])
        }
    }
}

/// An entry's lines: when and what, and under a walk-in the note typed at registration (for a
/// role that reads notes), wrapped under the text.
fn entry_lines(app: &App, entry: &TimelineEntry, max: usize) -> Vec<Line<'static>> {
    let t = &app.texts;
    let when = format!("{} {}  ", t.date_short(entry.at), t.time(entry.at));
    let mut lines = vec![Line::from(vec![
        Span::styled(when.clone(), THEME.muted),
        Span::raw(happening_text(app, &entry.what)),
    ])];
    if let Happening::WalkIn { note: Notes::Text(note), .. } = &entry.what
        && !note.trim().is_empty()
    {
        let hang = fit::width(&when);
        let lead = format!("{}{NOTE_SIGN} ", " ".repeat(hang));
        for row in fit::wrap(&lead, note, max, hang + 2) {
            lines.push(Line::styled(row, THEME.focused));
        }
    }
    lines
}

/// The timeline, newest first, from the entry scrolled to (↑/↓): a line says how many newer
/// entries are above and how many older ones below.
pub(super) fn render_timeline(app: &App, file: &CoupleFile, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let block = section(t.t("file.timeline"));
    let inner = block.inner(area);
    let (max, height) = (inner.width as usize, inner.height as usize);
    let entries = &file.timeline;
    let top = app.file_pane.timeline_top.min(entries.len().saturating_sub(1));
    let mut rows: Vec<Line> = Vec::new();
    if top > 0 {
        rows.push(Line::styled(fit::ellipsize(&t.f("file.newer", &[("n", &top)]), max), THEME.focused));
    }
    let mut next = top;
    while next < entries.len() {
        let lines = entry_lines(app, &entries[next], max);
        let after = usize::from(next + 1 < entries.len());
        let room = height.saturating_sub(rows.len() + after);
        if lines.len() <= room {
            rows.extend(lines);
        } else if next == top {
            // The first entry shown is shown, as much of it as fits.
            rows.extend(lines.into_iter().take(room.max(1)));
        } else {
            break;
        }
        next += 1;
    }
    if next < entries.len() {
        let older = entries.len() - next;
        rows.push(Line::styled(fit::ellipsize(&t.f("file.older", &[("n", &older)]), max), THEME.focused));
    }
    frame.render_widget(Paragraph::new(rows).block(block), area);
}
