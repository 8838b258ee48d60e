//! Who is working: the list of users at start.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph};

use super::centered;
use crate::app::App;
use crate::theme::THEME;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let users = &app.login.users;
    let height = (users.len() as u16 + 4).clamp(6, area.height);
    let popup = centered(area, 50, height);
    let block = Block::default().borders(Borders::ALL).title(t.t("login.title")).title_style(THEME.title);
    if users.is_empty() {
        let text = t.t("login.no_users");
        return frame.render_widget(Paragraph::new(text).block(block).style(THEME.muted), popup);
    }
    let items: Vec<ListItem> =
        users.iter().map(|u| ListItem::new(format!("{}  ({})", u.name, super::roles_text(t, u)))).collect();
    let list = List::new(items).block(block).highlight_style(THEME.selected).highlight_symbol("▸ ");
    let mut state = ListState::default().with_selected(Some(app.login.selected));
    frame.render_stateful_widget(list, popup, &mut state);
    if let Some(notice) = &app.login.notice {
        // The whole width: the demo's password must be read whole.
        let below = Rect { y: popup.bottom().min(area.bottom().saturating_sub(1)), height: 1, ..area };
        let text = super::widgets::fit::ellipsize(notice, usize::from(below.width));
        frame.render_widget(Paragraph::new(text).style(THEME.alert).centered(), below);
    }
}
