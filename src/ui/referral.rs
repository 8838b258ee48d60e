//! The referral pane (*Verwijzing*): the open couple's referrals with the facts card, consent and
//! what blocks sending; referrals in; or the follow-up list across all couples.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, TableState, Wrap};

use crate::app::App;
use crate::config::Lang;
use crate::domain::dates::format_date;
use crate::domain::referral::{Referral, ReferralStatus};
use crate::theme::THEME;

fn section(title: String) -> Block<'static> {
    Block::default().borders(Borders::TOP).title(Span::styled(format!(" {title} "), THEME.title))
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    if app.referral.show_follow_ups {
        return render_follow_ups(app, frame, area);
    }
    let t = &app.texts;
    let Some(file) = &app.file else {
        return frame.render_widget(Paragraph::new(t.t("refer.open_a_file")).style(THEME.muted), area);
    };
    let list_height = (app.referral.list.len() as u16 + 2).clamp(3, 7);
    let [head, list, detail, ins] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(list_height),
        Constraint::Min(4),
        Constraint::Length(3),
    ])
    .areas(area);
    let names = file.partners.iter().map(|p| p.name.sortable()).collect::<Vec<_>>().join(" & ");
    let title = Line::from(vec![
        Span::styled(t.f("file.title", &[("file", &file.file)]), THEME.title),
        Span::raw(format!("  {names}")),
    ]);
    frame.render_widget(Paragraph::new(title), head);

    let rows: Vec<Row> = app
        .referral
        .list
        .iter()
        .map(|r| {
            let when = r.sent_on.or(r.follow_up_on).map(format_date).unwrap_or_default();
            Row::new([app.party_name(&r.party), t.t(&r.status.text_key()).to_owned(), when])
        })
        .collect();
    let header =
        Row::new([t.t("refer.col_party"), t.t("refer.col_status"), t.t("refer.col_date")]).style(THEME.title);
    let table = Table::new(rows, [Constraint::Fill(2), Constraint::Length(16), Constraint::Length(12)])
        .header(header)
        .block(section(t.t("refer.out").to_owned()))
        .row_highlight_style(THEME.selected);
    let mut state = TableState::default();
    if app.referral.list.is_empty() {
        frame.render_widget(
            Paragraph::new(t.t("refer.none")).style(THEME.muted).block(section(t.t("refer.out").to_owned())),
            list,
        );
    } else {
        state.select(Some(app.referral.selected));
        frame.render_stateful_widget(table, list, &mut state);
    }
    if let Some(r) = app.referral.selected() {
        render_detail(app, r, frame, detail);
    }
    let lines: Vec<Line> = if app.referral.referrals_in.is_empty() {
        vec![Line::styled(t.t("refer.in_none"), THEME.muted)]
    } else {
        app.referral
            .referrals_in
            .iter()
            .map(|(s, on)| Line::raw(format!("{}  {}", format_date(*on), t.t(&s.text_key()))))
            .collect()
    };
    frame.render_widget(Paragraph::new(lines).block(section(t.t("refer.in").to_owned())), ins);
}

fn render_detail(app: &App, r: &Referral, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).spacing(2).areas(area);
    let yes_no = |b: bool| t.t(if b { "letter.yes" } else { "letter.no" }).to_owned();
    let mut lines = Vec::new();
    // What blocks sending comes first: in a low window it must not be the line that is cut off.
    if let Err(blocked) = r.may_send()
        && matches!(r.status, ReferralStatus::Draft | ReferralStatus::Sent)
    {
        lines.push(Line::styled(app.blocked_text(&blocked), THEME.alert));
    }
    lines.extend([
        Line::from(vec![
            Span::styled(format!("{}: ", t.t("refer.reason")), THEME.muted),
            Span::raw(r.reason.clone()),
        ]),
        Line::raw(format!(
            "{}: {} · {}: {}",
            t.t("refer.cost_explained"),
            yes_no(r.cost_explained),
            t.t("refer.insurance_to_check"),
            yes_no(r.insurance_to_check)
        )),
        Line::raw(format!("{}: {}", t.t("refer.shared"), t.t(&r.shared.text_key()))),
    ]);
    if let Some(on) = r.follow_up_on {
        lines.push(Line::raw(format!("{}: {}", t.t("refer.follow_up"), format_date(on))));
    }
    lines.push(Line::styled(t.t("refer.consent_heading"), THEME.title));
    for (position, c) in &r.consents {
        let name = app
            .file
            .as_ref()
            .and_then(|f| f.partners.iter().find(|p| p.position == *position))
            .map_or_else(|| position.to_string(), |p| p.name.full());
        let state = match (c.given_on, c.withdrawn_on) {
            (_, Some(w)) => {
                Span::styled(t.f("refer.consent_withdrawn_on", &[("date", &format_date(w))]), THEME.alert)
            }
            (Some(g), None) => {
                Span::styled(t.f("refer.consent_given_on", &[("date", &format_date(g))]), THEME.ok)
            }
            (None, None) => Span::styled(t.t("refer.consent_missing").to_owned(), THEME.alert),
        };
        lines.push(Line::from(vec![Span::raw(format!("  {name}: ")), state]));
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(section(app.party_name(&r.party))),
        left,
    );
    let facts: Vec<Line> = app
        .config
        .parties
        .iter()
        .find(|p| p.code == r.party)
        .map(|p| match t.lang() {
            Lang::Nl => &p.facts,
            Lang::En => &p.facts_en,
        })
        .map(|f| f.iter().map(|x| Line::raw(format!("• {x}"))).collect())
        .unwrap_or_default();
    frame.render_widget(
        Paragraph::new(facts).wrap(Wrap { trim: true }).block(section(t.t("refer.facts").to_owned())),
        right,
    );
}

fn render_follow_ups(app: &App, frame: &mut Frame, area: Rect) {
    let t = &app.texts;
    let rows: Vec<Row> = app
        .referral
        .follow_ups
        .iter()
        .map(|f| Row::new([format_date(f.follow_up_on), f.file.to_string(), app.party_name(&f.party)]))
        .collect();
    let block = section(t.f("refer.follow_ups_title", &[("n", &app.referral.follow_ups.len())]));
    if rows.is_empty() {
        return frame.render_widget(
            Paragraph::new(t.t("refer.follow_ups_none")).style(THEME.muted).block(block),
            area,
        );
    }
    let header = Row::new([t.t("refer.col_follow_up"), t.t("queue.col_file"), t.t("refer.col_party")])
        .style(THEME.title);
    let table = Table::new(rows, [Constraint::Length(12), Constraint::Length(10), Constraint::Fill(1)])
        .header(header)
        .block(block)
        .row_highlight_style(THEME.selected);
    let mut state = TableState::default().with_selected(Some(app.referral.selected));
    frame.render_stateful_widget(table, area, &mut state);
}
