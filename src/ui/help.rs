//! The help overlay, built from the keymap for the screen under it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::centered;
use crate::app::App;
use crate::keymap::{Binding, bindings_for};
use crate::theme::THEME;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let mut lines: Vec<Line> = Vec::new();
    for context in app.help_contexts() {
        let bindings: Vec<&Binding> = bindings_for(&[context], false);
        if bindings.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(t.t(context.title_key()), THEME.title));
        for b in bindings {
            lines.push(Line::from(vec![
                Span::styled(format!(" {:<10}", keys_for(context, b.description)), THEME.key),
                Span::raw(t.t(b.description)),
            ]));
        }
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .title(t.t("help.title"))
        .title_style(THEME.title)
        .title_bottom(t.t("help.close"));
    // A long list goes in two columns, split at the start of a group near the middle.
    let tall = lines.len() as u16 + 2 > area.height;
    if !tall {
        let popup = centered(area, 64, lines.len() as u16 + 2);
        frame.render_widget(Clear, popup);
        return frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), popup);
    }
    let middle = lines.len() / 2;
    let split = (middle..lines.len()).find(|i| lines[*i].width() == 0).map_or(middle, |i| i + 1);
    let right = lines.split_off(split.min(lines.len()));
    let height = lines.len().max(right.len()) as u16 + 2;
    let popup = centered(area, 110, height);
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(inner);
    frame.render_widget(Paragraph::new(lines), left_area);
    frame.render_widget(Paragraph::new(right), right_area);
}

/// Every key of one description in a context: "↑/k"; a run of digits as "1–6".
fn keys_for(context: crate::keymap::Context, description: &str) -> String {
    let labels: Vec<String> = crate::keymap::BINDINGS
        .iter()
        .filter(|b| b.context == context && b.description == description)
        .map(Binding::key_label)
        .collect();
    let digits: Vec<u32> = labels.iter().filter_map(|l| l.parse().ok()).collect();
    let run = digits.len() > 2 && digits.len() == labels.len() && digits.windows(2).all(|w| w[1] == w[0] + 1);
    match (run, digits.first(), digits.last()) {
        (true, Some(first), Some(last)) => format!("{first}–{last}"),
        _ => labels.join("/"),
    }
}
