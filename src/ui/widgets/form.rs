//! A form as a popup: a label and a field per line, the problem of the focused field below.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::text_input;
use crate::app::{App, Field, FieldKind, Form};
use crate::theme::THEME;
use crate::ui::centered;

/// The label column's least width; it grows to the form's widest label, up to half the popup.
const LABEL_WIDTH: u16 = 24;

/// A field's label as shown: the focus or problem marker, the label, " *" when required.
fn label_text(app: &App, field: &Field, marker: &str) -> String {
    let required = matches!(field.kind, FieldKind::Text { required: true, .. });
    let label = match &field.name {
        Some(name) => app.texts.f(field.label, &[("name", name)]),
        None => app.texts.t(field.label).to_owned(),
    };
    format!("{marker}{label}{}", if required { " *" } else { "" })
}

pub fn render(app: &App, form: &Form, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let visible: Vec<(usize, &Field)> = form.fields.iter().enumerate().filter(|(_, f)| f.visible).collect();
    let popup = centered(area, 78, visible.len() as u16 + 5);
    let title = match &form.title_name {
        Some(name) => t.f(form.title, &[("name", name)]),
        None => t.t(form.title).to_owned(),
    };
    let block = Block::default().borders(Borders::ALL).title(title).title_style(THEME.title);
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    let [fields_area, _, message_area] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1), Constraint::Length(2)]).areas(inner);

    // In a low window the fields scroll, so that the focused one is always in sight.
    let rows = fields_area.height.max(1) as usize;
    let focus_row = visible.iter().position(|(i, _)| *i == form.focus).unwrap_or(0);
    let first = (focus_row + 1).saturating_sub(rows);
    // Every label keeps a space before its value: the column fits the widest label (and a space),
    // and a label that still does not fit ends in "…" instead of running into the value.
    let widest = visible.iter().map(|(_, f)| super::fit::width(&label_text(app, f, "  ")) + 1).max();
    let most = (fields_area.width / 2).max(LABEL_WIDTH);
    let label_width =
        widest.map_or(LABEL_WIDTH, |w| u16::try_from(w).unwrap_or(most)).clamp(LABEL_WIDTH, most);
    for (row, (index, field)) in visible.iter().skip(first).enumerate() {
        let y = fields_area.y + row as u16;
        if y >= fields_area.bottom() {
            break;
        }
        let focused = *index == form.focus;
        let line = Rect { x: fields_area.x, y, width: fields_area.width, height: 1 };
        let [label_area, value_area] =
            Layout::horizontal([Constraint::Length(label_width), Constraint::Min(1)]).areas(line);
        let (marker, style) = match (field.error.is_some(), focused) {
            (true, true) => ("▸ ", THEME.alert),
            (true, false) => ("! ", THEME.alert),
            (false, true) => ("▸ ", THEME.focused),
            (false, false) => ("  ", THEME.base),
        };
        let label = super::fit::ellipsize(&label_text(app, field, marker), usize::from(label_width) - 1);
        frame.render_widget(Paragraph::new(label).style(style), label_area);
        render_value(app, field, focused, frame, value_area);
    }

    let understood = form.understood.as_ref().filter(|_| form.message.is_none());
    let message = match form.focused().and_then(|f| f.error) {
        Some(e) => Some(match e.max {
            Some(max) => t.f(e.key, &[("max", &max)]),
            None => t.t(e.key).to_owned(),
        }),
        None => form.message.clone(),
    };
    let line = match (message, understood) {
        (Some(m), _) => Line::styled(m, THEME.alert),
        (None, Some((text, true))) => Line::styled(format!("→ {text}"), THEME.alert),
        (None, Some((text, false))) => Line::styled(format!("→ {text}"), THEME.ok),
        (None, None) => Line::styled(t.t("form.help_line"), THEME.muted),
    };
    frame.render_widget(Paragraph::new(line).wrap(ratatui::widgets::Wrap { trim: true }), message_area);
}

fn render_value(app: &App, field: &Field, focused: bool, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let style = if focused { THEME.focused } else { THEME.base };
    match &field.kind {
        FieldKind::Text { input, .. } if field.masked => super::masked_input(input, focused, frame, area),
        FieldKind::Text { input, .. } => text_input(input, focused, frame, area),
        FieldKind::Choice(choice) => {
            let line = Line::from(vec![
                Span::styled("◂ ", THEME.muted),
                Span::styled(t.t(choice.label_key()), style),
                Span::styled(" ▸", THEME.muted),
            ]);
            frame.render_widget(Paragraph::new(line), area);
        }
        FieldKind::Couple(couple) => {
            let line = match couple {
                Some(c) => Line::from(vec![
                    Span::styled(c.file.to_string(), THEME.title),
                    Span::raw(" "),
                    Span::styled(c.names(), style),
                ]),
                None => Line::from(vec![
                    Span::styled(t.t("walk_in.new_file"), style),
                    Span::styled(format!("  {}", t.t("walk_in.find_hint")), THEME.muted),
                ]),
            };
            frame.render_widget(Paragraph::new(line), area);
        }
    }
}
