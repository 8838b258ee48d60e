//! Drawing: the frame around the panes (tabs, status bar, hints) and the overlays on top.
//! Drawing reads the state and never changes it.

mod concern;
mod file;
mod file_parts;
pub mod gate;
mod help;
mod lock;
mod log;
mod login;
mod planner;
mod queue;
mod referral;
mod report;
mod users;
pub mod widgets;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Tabs, Wrap};

use crate::action::Pane;
use crate::app::{App, Overlay};
use crate::keymap::bindings_for;
use crate::theme::THEME;

/// Below this size the app shows a notice instead of its panes.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if let Some(locked) = &app.lock {
        return lock::render(app, locked, frame);
    }
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        return render_too_small(app, frame, area);
    }
    let flash_lines = flash_lines(app, area.width);
    let hint_lines = hint_lines(app, area.width);
    let [top, body, flash, hints, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(flash_lines.len().max(1) as u16),
        Constraint::Length(hint_lines.len().max(1) as u16),
        Constraint::Length(1),
    ])
    .areas(area);
    if app.user.is_none() {
        frame.render_widget(Paragraph::new(app.texts.t("app.name")).style(THEME.title), top);
        login::render(app, frame, body);
    } else {
        render_tabs(app, frame, top);
        match app.pane {
            Pane::Queue => queue::render(app, frame, body),
            Pane::File => file::render(app, frame, body),
            Pane::Planner => planner::render(app, frame, body),
            Pane::Referral => referral::render(app, frame, body),
            Pane::Report => report::render(app, frame, body),
            Pane::Users => users::render(app, frame, body),
            Pane::Log => log::render(app, frame, body),
        }
    }
    render_flash(app, flash_lines, frame, flash);
    render_hints(hint_lines, frame, hints);
    render_status(app, frame, status);
    for overlay in &app.overlays {
        match overlay {
            Overlay::Help => help::render(app, frame, area),
            Overlay::Form(f) => widgets::form::render(app, f.form(), frame, body),
            Overlay::Picker(p) => widgets::picker::render(app, p, frame, body),
            Overlay::Find(f) => widgets::find::render(app, f, frame, body),
            Overlay::Confirm(c) => widgets::confirm::render(app, c, frame, body),
            Overlay::Notice(title, text) => widgets::confirm::notice(app, title, text, frame, body),
            Overlay::Log(view) => widgets::log::render(app, view, frame, body),
            Overlay::Notes(n) => widgets::notes::render(app, n, frame, body),
        }
    }
}

fn render_too_small(app: &App, frame: &mut Frame, area: Rect) {
    let text = app.texts.f("app.too_small", &[("w", &MIN_WIDTH), ("h", &MIN_HEIGHT)]);
    let [middle] = Layout::vertical([Constraint::Length(3)]).flex(ratatui::layout::Flex::Center).areas(area);
    frame.render_widget(Paragraph::new(text).style(THEME.alert).centered().wrap(Wrap { trim: true }), middle);
}

fn render_tabs(app: &App, frame: &mut Frame, area: Rect) {
    // The users and log screens are a coordinator's only: others do not see their tabs.
    let manages = app.user.as_ref().is_some_and(crate::domain::user::User::manages_users);
    let shown: Vec<(usize, &Pane)> =
        Pane::ALL.iter().enumerate().filter(|(_, p)| manages || !p.coordinator_only()).collect();
    let titles: Vec<String> =
        shown.iter().map(|(i, p)| format!("{} {}", i + 1, app.texts.t(p.title_key()))).collect();
    let selected = shown.iter().position(|(_, p)| **p == app.pane);
    // Each tab is padded by a space on both sides, unless that makes the row too wide.
    let text: usize = titles.iter().map(|t| t.chars().count() + 1).sum();
    let padded = text + 2 * titles.len() <= usize::from(area.width);
    let pad = if padded { " " } else { "" };
    let tabs =
        Tabs::new(titles).select(selected).highlight_style(THEME.tab_active).divider("│").padding(pad, pad);
    frame.render_widget(tabs, area);
}

/// Most lines a message may take from the pane above it.
const FLASH_MAX_LINES: usize = 3;

/// The last message, wrapped at the window's width so that it can be read whole (a refusal names
/// whose consent is missing at its end). Empty without a message.
fn flash_lines(app: &App, width: u16) -> Vec<String> {
    let Some(flash) = &app.flash else { return Vec::new() };
    let text = widgets::fit::keep_together(&flash.text, &partner_names(app));
    let mut lines = widgets::fit::wrap("", &text, width as usize, 0);
    if lines.len() > FLASH_MAX_LINES {
        lines.truncate(FLASH_MAX_LINES);
        if let Some(last) = lines.last_mut() {
            *last = widgets::fit::cut(last, width as usize);
        }
    }
    lines
}

/// The open file's partners by full name ("Zoë Öztürk"), as messages name them: kept together
/// on one line when a text wraps.
fn partner_names(app: &App) -> Vec<String> {
    app.file.iter().flat_map(|f| f.partners.iter().map(|p| p.name.full())).collect()
}

fn render_flash(app: &App, lines: Vec<String>, frame: &mut Frame, area: Rect) {
    if app.read_only() && app.flash.is_none() {
        let banner = Paragraph::new(app.texts.t("app.read_only_banner")).style(THEME.banner);
        return frame.render_widget(banner, area);
    }
    if let Some(flash) = &app.flash {
        let style = if flash.error { THEME.alert } else { THEME.ok };
        let lines: Vec<Line> = lines.into_iter().map(Line::raw).collect();
        frame.render_widget(Paragraph::new(lines).style(style), area);
    }
}

/// Most lines the key hints may take: two on the queue (the desk's home, whose keys are all
/// used in a busy hour; its list gives up the line), one elsewhere.
fn hint_lines_max(app: &App) -> usize {
    if app.user.is_some() && app.pane == Pane::Queue && app.overlays.is_empty() { 2 } else { 1 }
}

/// The key hints of the focused context, built from the keymap, as lines of at most `width`.
/// Help and quit come first; the others follow in their order, on the next line when the line is
/// full (as far as [`hint_lines_max`] allows), and otherwise as long as they fit whole.
fn hint_lines(app: &App, width: u16) -> Vec<Line<'static>> {
    let mut hints = bindings_for(&app.contexts(), true, app.texts.lang());
    hints.sort_by_key(|b| match b.action {
        crate::action::Action::Help => 0,
        crate::action::Action::Quit => 1,
        crate::action::Action::Find => 2,
        _ => 3,
    });
    let max_lines = hint_lines_max(app);
    let mut lines: Vec<(Vec<Span<'static>>, usize)> = vec![(Vec::new(), 0)];
    for b in hints {
        let key = b.key_label();
        let description = match b.action {
            // The queue's u says whose change it undoes.
            crate::action::Action::Undo => match app.queue.undo_ticket() {
                Some(ticket) => app.texts.f("queue.undo_ticket", &[("ticket", &ticket)]),
                None => app.texts.t(b.description).to_owned(),
            },
            _ => app.texts.t(b.description).to_owned(),
        };
        let text = format!(" {description}");
        let length = key.chars().count() + text.chars().count();
        let fits = |(spans, used): &(Vec<Span>, usize)| {
            let separator = if spans.is_empty() { 0 } else { 2 };
            used + separator + length <= usize::from(width)
        };
        let full = lines.last().is_some_and(|l| !fits(l));
        if full && lines.len() < max_lines {
            lines.push((Vec::new(), 0));
        }
        let Some(line) = lines.last_mut().filter(|l| fits(l)) else { continue };
        if !line.0.is_empty() {
            line.0.push(Span::raw("  "));
            line.1 += 2;
        }
        line.1 += length;
        line.0.push(Span::styled(key, THEME.key));
        line.0.push(Span::raw(text));
    }
    lines.into_iter().map(|(spans, _)| Line::from(spans)).collect()
}

fn render_hints(lines: Vec<Line<'static>>, frame: &mut Frame, area: Rect) {
    frame.render_widget(Paragraph::new(lines), area);
}

fn render_status(app: &App, frame: &mut Frame, area: Rect) {
    let user = match &app.user {
        Some(u) => format!("{} ({})", u.name, roles_text(&app.texts, u)),
        None => app.texts.t("status.no_user").to_owned(),
    };
    let text = format!(
        " {} {} │ {} │ {}",
        app.texts.date_short(app.now),
        app.texts.time(app.now),
        user,
        app.db_path().display()
    );
    frame.render_widget(Paragraph::new(text).style(THEME.bar), area);
}

/// A user's roles in words: "hulpverlener + coördinator".
pub fn roles_text(texts: &crate::i18n::Texts, user: &crate::domain::user::User) -> String {
    user.roles.iter().map(|r| texts.t(&r.text_key()).to_owned()).collect::<Vec<_>>().join(" + ")
}

/// A rectangle of at most `width` × `height` in the middle of `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}
