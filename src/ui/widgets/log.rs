//! Who saw or changed the open file: its access log, newest first (the file pane's `a`).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::widgets::{Block, Borders, Clear, Row, Table, TableState};

use crate::app::App;
use crate::app::popups::LogView;
use crate::theme::THEME;
use crate::ui::centered;

pub fn render(app: &App, view: &LogView, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let popup = centered(area, area.width.saturating_sub(4).max(40), area.height.saturating_sub(2).max(6));
    let rows: Vec<Row> = view
        .rows
        .iter()
        .map(|e| {
            let when = chrono::DateTime::parse_from_rfc3339(&e.at)
                .map(|at| {
                    let at = at.with_timezone(&chrono::Utc);
                    format!("{} {}", t.date_short(at), t.time(at))
                })
                .unwrap_or_else(|_| e.at.clone());
            let what = t.t(&format!("access.{}", e.event)).to_owned();
            Row::new([when, what, e.user_name.clone(), detail(app, e)])
        })
        .collect();
    let header =
        Row::new([t.t("log.when"), t.t("log.what"), t.t("log.who"), t.t("log.detail")]).style(THEME.title);
    let title = t.f("log.title", &[("file", &view.file)]);
    let table = Table::new(
        rows,
        [Constraint::Length(16), Constraint::Length(18), Constraint::Length(22), Constraint::Fill(1)],
    )
    .header(header)
    .block(Block::default().borders(Borders::ALL).title(title).title_style(THEME.title))
    .row_highlight_style(THEME.selected);
    let mut state = TableState::default().with_selected((!view.rows.is_empty()).then_some(view.top));
    frame.render_widget(Clear, popup);
    frame.render_stateful_widget(table, popup, &mut state);
}

/// A row's detail in the user's language. The log keeps codes and numbers (its rows never change);
/// they are put into words here. A search's words are shown as the staff typed them.
fn detail(app: &App, e: &crate::domain::access::LogEntry) -> String {
    let t = &app.texts;
    let mut text = what_detail(app, e);
    if let Some(partner) = e.partner {
        text = t.f("log.for_partner", &[("n", &partner), ("detail", &text)]);
    }
    if !e.on_behalf.is_empty() {
        text = t.f("log.on_behalf", &[("name", &e.on_behalf), ("detail", &text)]);
    }
    text
}

fn what_detail(app: &App, e: &crate::domain::access::LogEntry) -> String {
    let t = &app.texts;
    let d = e.detail.as_str();
    let known = |key: String, args: &[(&str, &dyn std::fmt::Display)]| {
        let text = t.f(&key, args);
        if text == key { d.to_owned() } else { text }
    };
    match e.event.as_str() {
        // "planned #12", "held #12", "note #12"
        "conversation" => match d.split_once(" #") {
            Some((what, id)) => known(format!("log.conversation_{what}"), &[("id", &id)]),
            None => d.to_owned(),
        },
        "trajectory" => known(format!("log.trajectory_{d}"), &[]),
        // "given therapy", "withdrawn therapy"
        "consent" => match d.split_once(' ') {
            Some((what, party)) => known(format!("log.consent_{what}"), &[("party", &app.party_name(party))]),
            None => d.to_owned(),
        },
        "walk_in" => match d {
            "registered" => t.t("log.registered").to_owned(),
            "registered, new file" => t.t("log.registered_new_file").to_owned(),
            _ => match (d.strip_prefix("to "), d.strip_prefix("undone, back to ")) {
                (Some(status), _) => t.f("log.to_status", &[("status", &t.t(&format!("status.{status}")))]),
                (_, Some(status)) => t.f("log.undone_to", &[("status", &t.t(&format!("status.{status}")))]),
                _ => d.to_owned(),
            },
        },
        "file_changed" | "referral" => {
            // A part this loket has no words for is shown as stored.
            let key = format!("log.part_{d}");
            let text = t.t(&key);
            if text == key { d.to_owned() } else { text.to_owned() }
        }
        "letter" => app.party_name(d),
        "user_changed" => user_change(t, d),
        _ => d.to_owned(),
    }
}

/// "added user 5", "roles of user 5: receptionist+counsellor", "password of user 5 reset",
/// "user 5 deactivated", in words.
fn user_change(t: &crate::i18n::Texts, d: &str) -> String {
    let roles =
        |codes: &str| codes.split('+').map(|c| t.t(&format!("role.{c}")).to_owned()).collect::<Vec<_>>();
    if let Some(id) = d.strip_prefix("added user ") {
        t.f("log.user_added", &[("id", &id)])
    } else if let Some((id, codes)) = d.strip_prefix("roles of user ").and_then(|r| r.split_once(": ")) {
        t.f("log.user_roles", &[("id", &id), ("roles", &roles(codes).join(" + "))])
    } else if let Some(id) = d.strip_prefix("password of user ").and_then(|r| r.strip_suffix(" reset")) {
        t.f("log.user_reset", &[("id", &id)])
    } else if let Some(id) = d.strip_prefix("user ").and_then(|r| r.strip_suffix(" deactivated")) {
        t.f("log.user_deactivated", &[("id", &id)])
    } else {
        d.to_owned()
    }
}
