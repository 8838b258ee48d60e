//! The help overlay, built from the keymap for the screen under it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::centered;
use crate::app::popups::form::is_extra;
use crate::app::{App, Overlay};
use crate::keymap::{Binding, bindings_for};
use crate::theme::THEME;
use crate::ui::widgets::fit;

/// The least width of the key column (most keys are shorter).
const KEY_COLUMN: usize = 8;
/// The widest keys that still share their line with the description.
const KEY_COLUMN_MOST: usize = 16;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let mut lines: Vec<Line> = Vec::new();
    // The form under help, if any: a key only some forms know is listed only where it works.
    let form = app.overlays.iter().rev().find_map(|o| match o {
        Overlay::Form(f) => Some(f),
        _ => None,
    });
    for context in app.help_contexts() {
        let bindings: Vec<&Binding> = bindings_for(&[context], false, t.lang())
            .into_iter()
            .filter(|b| !is_extra(&b.action) || form.is_some_and(|f| f.offers(&b.action)))
            .collect();
        if bindings.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(t.t(context.title_key()), THEME.title));
        // The key column fits the group's widest keys (up to KEY_COLUMN_MOST), with two spaces
        // before the description; a longer list of keys has a line of its own above it.
        let keys: Vec<String> = bindings.iter().map(|b| keys_for(context, b.description, t.lang())).collect();
        let column = keys.iter().map(|k| fit::width(k)).filter(|w| *w <= KEY_COLUMN_MOST).max().unwrap_or(0);
        let column = column.max(KEY_COLUMN) + 2;
        for (b, key) in bindings.iter().zip(keys) {
            let key = if fit::width(&key) + 2 > column {
                lines.push(Line::styled(format!(" {key}"), THEME.key));
                String::new()
            } else {
                key
            };
            let pad = " ".repeat(column - fit::width(&key));
            lines.push(Line::from(vec![
                Span::styled(format!(" {key}{pad}"), THEME.key),
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
fn keys_for(context: crate::keymap::Context, description: &str, lang: crate::config::Lang) -> String {
    let labels: Vec<String> = crate::keymap::BINDINGS
        .iter()
        .filter(|b| b.context == context && b.description == description && b.shown_for(lang))
        .map(Binding::key_label)
        .collect();
    let digits: Vec<u32> = labels.iter().filter_map(|l| l.parse().ok()).collect();
    let run = digits.len() > 2 && digits.len() == labels.len() && digits.windows(2).all(|w| w[1] == w[0] + 1);
    match (run, digits.first(), digits.last()) {
        (true, Some(first), Some(last)) => format!("{first}–{last}"),
        _ => labels.join("/"),
    }
}
