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
/// A form's width, where the window has it.
const WIDTH: u16 = 78;

/// A field's label as shown: the focus or problem marker, the label, " *" when required.
fn label_text(app: &App, field: &Field, marker: &str) -> String {
    let required = matches!(field.kind, FieldKind::Text { required: true, .. });
    let label = match &field.name {
        Some(name) => app.texts.f(field.label, &[("name", name)]),
        None => app.texts.t(field.label).to_owned(),
    };
    format!("{marker}{label}{}", if required { " *" } else { "" })
}

/// Most lines a choice's option takes when it does not fit on one.
const CHOICE_LINES: usize = 3;

pub fn render(app: &App, form: &Form, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let visible: Vec<(usize, &Field)> = form.fields.iter().enumerate().filter(|(_, f)| f.visible).collect();
    let width = area.width.min(WIDTH);
    let inner_width = width.saturating_sub(2);
    // Every label keeps a space before its value: the column fits the widest label (and a space),
    // and a label that still does not fit ends in "…" instead of running into the value.
    let widest = visible.iter().map(|(_, f)| super::fit::width(&label_text(app, f, "  ")) + 1).max();
    let most = (inner_width / 2).max(LABEL_WIDTH);
    let label_width =
        widest.map_or(LABEL_WIDTH, |w| u16::try_from(w).unwrap_or(most)).clamp(LABEL_WIDTH, most);
    let value_width = usize::from(inner_width.saturating_sub(label_width)).max(1);
    // A choice whose option is too long for its line goes on over the next ones, whole.
    let values: Vec<Vec<Line>> =
        visible.iter().map(|(i, f)| value_lines(app, f, *i == form.focus, value_width)).collect();
    let field_rows: usize = values.iter().map(Vec::len).sum();
    // The facts that go with the form, below it under their title, wrapped to its width.
    let aside: Vec<String> = form
        .aside
        .iter()
        .flat_map(|(_, lines)| {
            lines.iter().flat_map(|l| super::fit::wrap("• ", l, usize::from(inner_width), 2))
        })
        .collect();
    let aside_rows = if form.aside.is_some() { aside.len() + 1 } else { 0 };
    let understood = form.understood.as_ref().filter(|_| form.message.is_none());
    let message = match form.focused().and_then(|f| f.error) {
        Some(e) => Some(match e.max {
            Some(max) => t.f(e.key, &[("max", &max)]),
            None => t.t(e.key).to_owned(),
        }),
        None => form.message.clone(),
    };
    // On a choice the keys that choose are said, so that none of them changes it unseen.
    let help =
        if form.focused().is_some_and(Field::is_choice) { "form.help_line_choice" } else { "form.help_line" };
    let line = match (form.note.clone().or(message), understood) {
        (Some(m), _) => Line::styled(m, THEME.alert),
        (None, Some((text, true))) => Line::styled(format!("→ {text}"), THEME.alert),
        (None, Some((text, false))) => Line::styled(format!("→ {text}"), THEME.ok),
        (None, None) => Line::styled(t.t(help), THEME.muted),
    };
    // The message has two lines; beside the facts, only those it needs.
    let message_rows = match aside_rows {
        0 => 2,
        _ => super::fit::wrap("", &line.to_string(), usize::from(inner_width), 0).len().clamp(1, 2),
    };
    let wanted = field_rows + 1 + message_rows + aside_rows + 2;
    let popup = centered(area, width, u16::try_from(wanted).unwrap_or(u16::MAX));
    let title = match &form.title_name {
        Some(name) => t.f(form.title, &[("name", name)]),
        None => t.t(form.title).to_owned(),
    };
    let block = Block::default().borders(Borders::ALL).title(title).title_style(THEME.title);
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    // Short of room, the blank line goes first, then the facts' last lines (the shown one ends in
    // "…"); the fields keep their rows, and scroll only when even they do not fit.
    let room = usize::from(inner.height);
    let blank = usize::from(room >= field_rows + 1 + message_rows + aside_rows);
    let aside_room = if aside_rows == 0 {
        0
    } else {
        room.saturating_sub(field_rows + message_rows + blank).clamp(2.min(aside_rows), aside_rows)
    };
    let [fields_area, _, message_area, aside_area] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(blank as u16),
        Constraint::Length(message_rows as u16),
        Constraint::Length(aside_room as u16),
    ])
    .areas(inner);

    // In a low window the fields scroll, so that the focused one is always in sight.
    let rows = fields_area.height.max(1) as usize;
    let focus_row = visible.iter().position(|(i, _)| *i == form.focus).unwrap_or(0);
    let mut first = focus_row;
    while first > 0 && values[first - 1..=focus_row].iter().map(Vec::len).sum::<usize>() <= rows {
        first -= 1;
    }
    let mut y = fields_area.y;
    for ((index, field), lines) in visible.iter().zip(values).skip(first) {
        if y >= fields_area.bottom() {
            break;
        }
        let focused = *index == form.focus;
        let height = (lines.len() as u16).min(fields_area.bottom() - y);
        let line = Rect { x: fields_area.x, y, width: fields_area.width, height };
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
        match &field.kind {
            FieldKind::Text { input, .. } if field.masked => {
                super::masked_input(input, focused, frame, value_area)
            }
            FieldKind::Text { input, .. } => text_input(input, focused, frame, value_area),
            _ => frame.render_widget(Paragraph::new(lines), value_area),
        }
        y += height;
    }
    if let Some((title, _)) = &form.aside
        && aside_area.height > 0
    {
        let block =
            Block::default().borders(Borders::TOP).title(Span::styled(format!(" {title} "), THEME.title));
        let text = block.inner(aside_area);
        let mut lines = aside;
        let shown = usize::from(text.height);
        if lines.len() > shown && shown > 0 {
            lines.truncate(shown);
            if let Some(last) = lines.last_mut() {
                *last = super::fit::cut(last, usize::from(text.width));
            }
        }
        frame.render_widget(block, aside_area);
        frame.render_widget(Paragraph::new(lines.into_iter().map(Line::raw).collect::<Vec<_>>()), text);
    }

    frame.render_widget(Paragraph::new(line).wrap(ratatui::widgets::Wrap { trim: true }), message_area);
}

/// A field's value as lines: a choice's option (on more lines when it is long), a linked couple;
/// a text field is drawn as an input and takes one line (its lines here are placeholders).
fn value_lines(app: &App, field: &Field, focused: bool, width: usize) -> Vec<Line<'static>> {
    let t = &app.texts;
    let style = if focused { THEME.focused } else { THEME.base };
    match &field.kind {
        FieldKind::Text { .. } => vec![Line::raw("")],
        FieldKind::Choice(choice) => {
            let mut parts = super::fit::wrap("", t.t(choice.label_key()), width.saturating_sub(4), 0);
            if parts.len() > CHOICE_LINES {
                parts.truncate(CHOICE_LINES);
                if let Some(last) = parts.last_mut() {
                    *last = super::fit::cut(last, width.saturating_sub(4));
                }
            }
            let last = parts.len() - 1;
            parts
                .into_iter()
                .enumerate()
                .map(|(i, part)| {
                    let mut spans = vec![
                        Span::styled(if i == 0 { "◂ " } else { "  " }, THEME.muted),
                        Span::styled(part, style),
                    ];
                    if i == last {
                        spans.push(Span::styled(" ▸", THEME.muted));
                    }
                    Line::from(spans)
                })
                .collect()
        }
        FieldKind::Couple(couple) => vec![match couple {
            Some(c) => Line::from(vec![
                Span::styled(c.file.to_string(), THEME.title),
                Span::raw(" "),
                Span::styled(c.names(), style),
            ]),
            None => Line::from(vec![
                Span::styled(t.t("walk_in.new_file").to_owned(), style),
                Span::styled(format!("  {}", t.t("walk_in.find_hint")), THEME.muted),
            ]),
        }],
    }
}
