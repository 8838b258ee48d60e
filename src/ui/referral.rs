//! The referral pane (*Verwijzing*): the open couple's referrals with the facts card, consent and
//! what blocks sending; referrals in; or the follow-up list across all couples.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Row, Table, TableState, Wrap};

use crate::app::App;
use crate::domain::dates::format_date;
use crate::domain::referral::{ConsentAction, Referral, ReferralStatus};
use crate::theme::THEME;
use crate::ui::widgets::fit;

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
    // Referrals in: a line each, at least one (the "nothing recorded" line), at most two.
    let ins_height = 1 + (app.referral.referrals_in.len() as u16).clamp(1, 2);
    let [head, list, detail, ins] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(list_height),
        Constraint::Min(4),
        Constraint::Length(ins_height),
    ])
    .areas(area);
    let names = file.partners.iter().map(|p| p.name.sortable()).collect::<Vec<_>>().join(" & ");
    let title = t.f("file.title", &[("file", &file.file)]);
    let room = (head.width as usize).saturating_sub(fit::width(&title));
    let title = Line::from(vec![
        Span::styled(title, THEME.title),
        Span::raw(fit::ellipsize(&format!("  {names}"), room)),
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
        Layout::horizontal([Constraint::Percentage(56), Constraint::Percentage(44)]).spacing(2).areas(area);
    let block = section(app.party_name(&r.party));
    let inner = block.inner(left);
    frame.render_widget(block, left);
    frame.render_widget(
        Paragraph::new(detail_lines(app, r, inner.width as usize, inner.height as usize)),
        inner,
    );
    let facts: Vec<Line> = app
        .config
        .parties
        .iter()
        .find(|p| p.code == r.party)
        .map(|p| p.facts_in(t.lang()))
        .map(|f| f.iter().map(|x| Line::raw(format!("• {x}"))).collect())
        .unwrap_or_default();
    frame.render_widget(
        Paragraph::new(facts).wrap(Wrap { trim: true }).block(section(t.t("refer.facts").to_owned())),
        right,
    );
}

/// The left column of the detail in at most `height` lines of `width` columns, by what matters most
/// at the desk: each partner's consent first, then what blocks sending, so that both are in sight
/// in a low window; then the reason, which gets the lines left over (cut with "…"), then the facts
/// of the referral. Should even that not fit, the last line shown ends in "…".
fn detail_lines(app: &App, r: &Referral, width: usize, height: usize) -> Vec<Line<'static>> {
    let t = &app.texts;
    let name_of = |position: u8| {
        app.file
            .as_ref()
            .and_then(|f| f.partners.iter().find(|p| p.position == position))
            .map_or_else(|| position.to_string(), |p| p.name.full())
    };
    let mut top = vec![Line::styled(t.t("refer.consent_heading").to_owned(), THEME.title)];
    for (position, c) in &r.consents {
        let name = name_of(*position);
        let (state, style) = match (c.given_on, c.withdrawn_on) {
            (_, Some(w)) => (t.f("refer.consent_withdrawn_on", &[("date", &format_date(w))]), THEME.alert),
            (Some(g), None) => (t.f("refer.consent_given_on", &[("date", &format_date(g))]), THEME.ok),
            (None, None) => (t.t("refer.consent_missing").to_owned(), THEME.alert),
        };
        top.extend(consent_lines(&name, state, style, width));
    }
    // What blocks sending: right below the consent it is about.
    if let Err(blocked) = r.may_send()
        && matches!(r.status, ReferralStatus::Draft | ReferralStatus::Sent)
    {
        let text = fit::keep_together(&app.blocked_text(&blocked), &super::partner_names(app));
        top.extend(fit::wrap("", &text, width, 0).into_iter().map(|l| Line::styled(l, THEME.alert)));
    }
    if app.referral.show_history {
        return fit_lines(
            top.into_iter().chain(history_lines(app, r, &name_of, width)).collect(),
            width,
            height,
        );
    }

    let yes_no = |b: bool| t.t(if b { "letter.yes" } else { "letter.no" });
    let cost = format!("{}: {}", t.t("refer.cost_explained"), yes_no(r.cost_explained));
    let insurance = format!("{}: {}", t.t("refer.insurance_to_check"), yes_no(r.insurance_to_check));
    // Two short facts share a line when they fit on it; else each has its own.
    let mut facts = match format!("{cost} · {insurance}") {
        both if fit::width(&both) <= width => vec![both],
        _ => vec![cost, insurance],
    };
    let scope = match r.scope.positions() {
        [one] => t.f("refer.scope_one", &[("name", &name_of(*one))]),
        _ => t.t("refer.scope_couple").to_owned(),
    };
    facts.push(format!("{}: {scope}", t.t("refer.scope")));
    facts.push(format!("{}: {}", t.t("refer.shared"), t.t(&r.shared.text_key())));
    // That there is a summary, without its text, for a role that may not read it.
    if !r.summary_shown && r.summary_written {
        facts.push(format!("{}: {}", t.t("refer.summary"), t.t("refer.summary_hidden")));
    }
    if let Some(on) = r.follow_up_on {
        facts.push(format!("{}: {}", t.t("refer.follow_up"), format_date(on)));
    }
    let bottom: Vec<Line> = facts.iter().flat_map(|f| fit::wrap("", f, width, 0)).map(Line::raw).collect();

    let label = format!("{}: ", t.t("refer.reason"));
    // A role that may not read the reason sees that there is one (the store did not select it).
    let text = if r.reason_shown { r.reason.clone() } else { t.t("refer.reason_hidden").to_owned() };
    let mut reason = fit::wrap("", &format!("{label}{text}"), width, 0);
    let room = height.saturating_sub(top.len() + bottom.len()).max(1);
    if reason.len() > room {
        reason.truncate(room);
        if let Some(last) = reason.last_mut() {
            *last = fit::cut(last, width);
        }
    }
    let reason = reason.into_iter().enumerate().map(|(i, l)| match l.strip_prefix(&label) {
        Some(rest) if i == 0 => {
            Line::from(vec![Span::styled(label.clone(), THEME.muted), Span::raw(rest.to_owned())])
        }
        _ => Line::raw(l),
    });

    fit_lines(top.into_iter().chain(reason).chain(bottom).collect(), width, height)
}

/// At most `height` lines: should they not fit, the last line shown ends in "…".
fn fit_lines(mut lines: Vec<Line<'static>>, width: usize, height: usize) -> Vec<Line<'static>> {
    if lines.len() > height && height > 0 {
        lines.truncate(height);
        let last = lines.pop().map(|l| l.to_string()).unwrap_or_default();
        lines.push(Line::styled(fit::cut(&last, width), THEME.muted));
    }
    lines
}

/// The consent history, newest first: when, which partner, given or withdrawn, and who recorded it.
fn history_lines(
    app: &App,
    r: &Referral,
    name_of: &dyn Fn(u8) -> String,
    width: usize,
) -> Vec<Line<'static>> {
    let t = &app.texts;
    let mut lines = vec![Line::styled(t.t("refer.history_heading").to_owned(), THEME.title)];
    if r.history.is_empty() {
        lines.push(Line::styled(format!("  {}", t.t("refer.history_none")), THEME.muted));
    }
    for e in r.history.iter().rev() {
        let date = format_date(e.on);
        let (state, style) = match e.action {
            ConsentAction::Give => (t.f("refer.history_given", &[("date", &date)]), THEME.ok),
            ConsentAction::Withdraw => (t.f("refer.history_withdrawn", &[("date", &date)]), THEME.alert),
        };
        let state = if e.recorded_by.is_empty() {
            state
        } else {
            format!("{state}, {}", t.f("refer.history_by", &[("name", &e.recorded_by)]))
        };
        lines.extend(consent_lines(&name_of(e.position), state, style, width));
    }
    lines
}

/// One partner's consent: "  name: state" on one line when it fits; else the name on its line and
/// the state below it, indented (wrapped if it must).
fn consent_lines(name: &str, state: String, style: Style, width: usize) -> Vec<Line<'static>> {
    let lead = format!("  {name}: ");
    if fit::width(&lead) + fit::width(&state) <= width {
        return vec![Line::from(vec![Span::raw(lead), Span::styled(state, style)])];
    }
    let mut lines = vec![Line::raw(fit::ellipsize(&format!("  {name}:"), width))];
    lines.extend(fit::wrap("    ", &state, width, 4).into_iter().map(|l| Line::styled(l, style)));
    lines
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
