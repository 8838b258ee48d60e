//! The help overlay, built from the keymap for the screen under it.

use ratatui::Frame;
use ratatui::layout::Rect;
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
                Span::styled(format!("  {:<11}", keys_for(context, b.description)), THEME.key),
                Span::raw(t.t(b.description)),
            ]));
        }
    }
    let popup = centered(area, 64, lines.len() as u16 + 2);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(t.t("help.title"))
        .title_style(THEME.title)
        .title_bottom(t.t("help.close"));
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), popup);
}

/// Every key of one description in a context: "↑/k", "1/2/3".
fn keys_for(context: crate::keymap::Context, description: &str) -> String {
    crate::keymap::BINDINGS
        .iter()
        .filter(|b| b.context == context && b.description == description)
        .map(Binding::key_label)
        .collect::<Vec<_>>()
        .join("/")
}
