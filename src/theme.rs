//! One semantic theme: panes ask for a meaning (focused, muted, alert), never for a colour.

use ratatui::style::{Color, Modifier, Style};

pub struct Theme {
    pub base: Style,
    pub title: Style,
    pub focused: Style,
    pub selected: Style,
    pub muted: Style,
    pub alert: Style,
    pub ok: Style,
    pub key: Style,
    pub bar: Style,
    pub tab_active: Style,
    pub banner: Style,
}

pub const THEME: Theme = Theme {
    base: Style::new(),
    title: Style::new().add_modifier(Modifier::BOLD),
    focused: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
    selected: Style::new().add_modifier(Modifier::REVERSED),
    muted: Style::new().fg(Color::DarkGray),
    alert: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
    ok: Style::new().fg(Color::Green),
    key: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
    bar: Style::new().fg(Color::Black).bg(Color::Gray),
    tab_active: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD).add_modifier(Modifier::UNDERLINED),
    banner: Style::new().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD),
};
