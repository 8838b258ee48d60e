//! The concern (*zorgsignaal*) on the file pane, as the role may see it: for a counsellor the open
//! concern's signals, steps done and what is next; for the coordinator only since when it is open
//! and when earlier ones closed; for a receptionist nothing (the header's *apart ontvangen* only).

use ratatui::text::{Line, Span};

use crate::app::App;
use crate::domain::concern::{Concern, StepDetail, next_steps};
use crate::domain::dates::format_date;
use crate::domain::file::CoupleFile;
use crate::domain::walkin::desk_day;
use crate::theme::THEME;
use crate::ui::widgets::fit;

/// "4 · Risico afgewogen".
fn step_name(app: &App, step: u8) -> String {
    format!("{step} · {}", app.texts.t(&format!("concern.step_{step}")))
}

/// The concern's lines for a pane `width` wide: at most `max` (the open concern first, then the
/// most recent closed one).
pub fn lines(app: &App, file: &CoupleFile, width: usize, max: usize) -> Vec<Line<'static>> {
    let t = &app.texts;
    let mut lines = Vec::new();
    if let Some(open) = file.open_concern() {
        let since = t.f("concern.open_since", &[("date", &format_date(desk_day(open.opened_at)))]);
        match &open.content {
            Some(c) => {
                let head = format!("{since} ({}): {}", c.opened_by, c.signals);
                lines.push(Line::styled(fit::ellipsize(&head, width), THEME.alert));
                let done = open.done();
                let marks: Vec<String> = (1..=5u8)
                    .map(|s| if done.contains(&s) { format!("{s} ✓") } else { format!("{s} ·") })
                    .collect();
                let next = next_steps(&done)
                    .into_iter()
                    .map(|s| step_name(app, s))
                    .collect::<Vec<_>>()
                    .join(t.t("concern.or"));
                let steps = t.f("concern.steps_line", &[("steps", &marks.join("  ")), ("next", &next)]);
                lines.push(Line::from(vec![Span::raw(fit::ellipsize(&steps, width))]));
                for s in &c.steps {
                    lines.push(Line::styled(fit::ellipsize(&step_line(app, s), width), THEME.muted));
                }
            }
            None => lines.push(Line::styled(since, THEME.alert)),
        }
    }
    if let Some(closed) = file.concerns.iter().find(|c| !c.is_open()) {
        lines.push(Line::styled(fit::ellipsize(&closed_line(app, closed), width), THEME.muted));
    }
    lines.truncate(max);
    lines
}

/// "2 · Collega geraadpleegd  04-12-2026  Sara de Boer: aandachtsfunctionaris · advies gevraagd".
fn step_line(app: &App, s: &crate::domain::concern::StepRecord) -> String {
    let t = &app.texts;
    let mut what: Vec<String> = Vec::new();
    match &s.detail {
        StepDetail::Consulted(c) => what.push(t.t(&c.text_key()).to_owned()),
        StepDetail::Talked(k) => what.push(t.t(&k.text_key()).to_owned()),
        StepDetail::Decided(d) => what.push(t.t(&d.text_key()).to_owned()),
        StepDetail::Weighed(answers) => {
            let short: Vec<String> = answers
                .iter()
                .enumerate()
                .map(|(i, w)| format!("{} {}", i + 1, t.t(&w.answer.text_key())))
                .collect();
            what.push(short.join(", "));
        }
        StepDetail::Mapped => {}
    }
    if !s.note.is_empty() {
        what.push(s.note.clone());
    }
    format!("  {}  {}  {}: {}", step_name(app, s.detail.number()), format_date(s.on), s.by, what.join(" · "))
}

/// "Zorgsignaal 03-11-2026 – 28-11-2026, gesloten: melding bij Veilig Thuis".
fn closed_line(app: &App, c: &Concern) -> String {
    let t = &app.texts;
    let closed = c.closed_on.map(format_date).unwrap_or_default();
    let mut line =
        t.f("concern.closed_line", &[("from", &format_date(desk_day(c.opened_at))), ("to", &closed)]);
    let decision = c.content.as_ref().and_then(|k| {
        k.steps.iter().find_map(|s| match s.detail {
            StepDetail::Decided(d) => Some(d),
            _ => None,
        })
    });
    if let Some(d) = decision {
        line.push_str(&format!(": {}", t.t(&d.text_key())));
    }
    line
}
