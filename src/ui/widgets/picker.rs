//! A list to pick one item from, as a popup.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState};

use super::fit;
use crate::app::{App, Picker};
use crate::theme::THEME;
use crate::ui::centered;

/// The widest a pick list gets.
const MAX_WIDTH: usize = 62;

pub fn render(app: &App, picker: &Picker, frame: &mut Frame, area: Rect) {
    // As wide as its title and items need (at most 62 columns), so that it covers no more of the
    // pane than it must.
    let title = app.texts.t(picker.title);
    let widest = picker
        .items
        .iter()
        .map(|i| 2 + fit::width(&i.label) + i.remark.as_ref().map_or(0, |r| 2 + fit::width(r)))
        .chain([fit::width(title)])
        .max()
        .unwrap_or(0);
    let popup = centered(area, (widest + 2).min(MAX_WIDTH) as u16, picker.items.len() as u16 + 2);
    let items: Vec<ListItem> = picker
        .items
        .iter()
        .map(|item| {
            let mut spans = vec![Span::raw(item.label.clone())];
            if let Some(remark) = &item.remark {
                spans.push(Span::styled(format!("  {remark}"), THEME.alert));
            }
            ListItem::new(Line::from(spans))
        })
        .collect();
    let block = Block::default().borders(Borders::ALL).title(title).title_style(THEME.title);
    let list = List::new(items).block(block).highlight_style(THEME.selected).highlight_symbol("▸ ");
    let mut state = ListState::default().with_selected(Some(picker.selected));
    frame.render_widget(Clear, popup);
    frame.render_stateful_widget(list, popup, &mut state);
}
