//! The find-a-couple popup: a search line over the couples that match.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph};

use super::{fit, text_input};
use crate::app::{App, Find};
use crate::theme::THEME;
use crate::ui::centered;

pub fn render(app: &App, find: &Find, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let popup = centered(area, 70, 14);
    let block = Block::default().borders(Borders::ALL).title(t.t("find.title")).title_style(THEME.title);
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    let [input_line, list_area] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    let [prompt, field] = Layout::horizontal([Constraint::Length(2), Constraint::Min(1)]).areas(input_line);
    frame.render_widget(Paragraph::new("/ ").style(THEME.key), prompt);
    text_input(&find.input, true, frame, field);

    if find.results.is_empty() {
        let key = if find.input.value().trim().is_empty() { "find.hint" } else { "find.none" };
        return frame.render_widget(Paragraph::new(t.t(key)).style(THEME.muted), list_area);
    }
    // More couples match than are shown: the last line says how many, above the list's end.
    let more = find.more_than || find.total > find.results.len();
    let list_area = if more && list_area.height > 1 {
        let [list, line] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(list_area);
        let key = if find.more_than { "find.more_than" } else { "find.more" };
        let text = t.f(key, &[("shown", &find.results.len()), ("total", &t.count(find.total))]);
        frame.render_widget(
            Paragraph::new(fit::ellipsize(&text, line.width as usize)).style(THEME.muted),
            line,
        );
        list
    } else {
        list_area
    };
    let items: Vec<ListItem> = find
        .results
        .iter()
        .map(|c| {
            let file = format!("{}  ", c.file);
            // Room after the highlight mark ("▸ ") and the file number: a longer couple ends in "…".
            let apart = if c.receive_apart { format!("  {}", t.t("concern.apart")) } else { String::new() };
            let room = (list_area.width as usize).saturating_sub(2 + fit::width(&file) + fit::width(&apart));
            ListItem::new(Line::from(vec![
                Span::styled(file, THEME.title),
                Span::raw(fit::ellipsize(&c.names(), room)),
                Span::styled(apart, THEME.alert),
            ]))
        })
        .collect();
    let list = List::new(items).highlight_style(THEME.selected).highlight_symbol("▸ ");
    let mut state = ListState::default().with_selected(Some(find.selected));
    frame.render_stateful_widget(list, list_area, &mut state);
}
