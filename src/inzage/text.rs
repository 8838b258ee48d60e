//! The access copy as readable text in the user's language: a heading per section, dates as
//! `dd-mm-yyyy` (times in Europe/Amsterdam), codes in words. Every label is in `assets/i18n`.

use std::fmt::Write;

use chrono::{DateTime, Utc};

use crate::audit::words::{self, moment};
use crate::domain::dates::format_date as day;
use crate::domain::inzage::{AccessCopy, Conversation, ReferralRow, Visit};
use crate::domain::walkin::DESK_TZ;
use crate::i18n::Texts;

/// "02-12-2026": the desk's day of an instant.
fn local_day(at: DateTime<Utc>) -> String {
    day(at.with_timezone(&DESK_TZ).date_naive())
}

/// A coded value in words (`section.code`).
fn word(t: &Texts, section: &str, code: &str) -> String {
    t.t(&format!("{section}.{code}")).to_owned()
}

struct Out<'a> {
    t: &'a Texts,
    text: String,
}

impl Out<'_> {
    fn line(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
    }

    /// A section's heading, underlined.
    fn heading(&mut self, key: &str) {
        let title = self.t.t(key).to_owned();
        let rule = "=".repeat(title.chars().count());
        let _ = write!(self.text, "\n{title}\n{rule}\n");
    }

    /// "Label: value" (left out when the value is empty).
    fn field(&mut self, key: &str, value: &str) {
        if !value.is_empty() {
            let label = self.t.t(key).to_owned();
            self.line(&format!("{label}: {value}"));
        }
    }

    /// An indented "Label: text", each line of a multi-line text indented too.
    fn indented(&mut self, key: &str, value: &str) {
        if value.trim().is_empty() {
            return;
        }
        let label = self.t.t(key).to_owned();
        self.line(&format!("  {label}:"));
        for l in value.lines() {
            self.line(&format!("    {l}"));
        }
    }

    fn none_if_empty(&mut self, empty: bool) {
        if empty {
            let none = self.t.t("inzage.none").to_owned();
            self.line(&none);
        }
    }
}

/// The whole copy as text.
pub fn render(copy: &AccessCopy, t: &Texts) -> String {
    let mut o = Out { t, text: String::new() };
    o.line(t.t("inzage.title"));
    o.line(&t.f(
        "inzage.subtitle",
        &[("file", &copy.file_number), ("partner", &copy.partner), ("made", &moment(copy.made_at))],
    ));
    o.line(t.t("inzage.intro"));
    person(&mut o, copy);
    file(&mut o, copy);
    o.heading("inzage.h_walk_ins");
    copy.walk_ins.iter().for_each(|v| visit(&mut o, v));
    o.none_if_empty(copy.walk_ins.is_empty());
    o.heading("inzage.h_trajectories");
    for tr in &copy.trajectories {
        let ended = tr.ended_at.map(|e| t.f("inzage.ended", &[("at", &local_day(e))]));
        let started = t.f("inzage.started", &[("at", &local_day(tr.started_at))]);
        let parts = [Some(started), ended, Some(tr.counsellor.clone())];
        o.line(&parts.into_iter().flatten().collect::<Vec<_>>().join(" · "));
    }
    o.none_if_empty(copy.trajectories.is_empty());
    o.heading("inzage.h_conversations");
    copy.conversations.iter().for_each(|c| conversation(&mut o, c, copy.partner));
    o.none_if_empty(copy.conversations.is_empty());
    o.heading("inzage.h_life_events");
    for e in &copy.life_events {
        let kind = word(t, "life_event", &e.kind);
        o.line(&e.on.map_or(kind.clone(), |d| format!("{kind} · {}", day(d))));
    }
    o.none_if_empty(copy.life_events.is_empty());
    o.heading("inzage.h_referrals");
    copy.referrals.iter().for_each(|r| referral(&mut o, r));
    o.none_if_empty(copy.referrals.is_empty());
    o.heading("inzage.h_referrals_in");
    for r in &copy.referrals_in {
        o.line(&format!("{} · {}", word(t, "source", &r.source), day(r.referred_on)));
    }
    o.none_if_empty(copy.referrals_in.is_empty());
    o.heading("inzage.h_scores");
    for s in &copy.scores {
        let marks = t.f(
            "inzage.marks",
            &[("satisfaction", &s.satisfaction), ("communication", &s.communication), ("hope", &s.hope)],
        );
        o.line(&format!("{}: {marks}", local_day(s.conversation_at)));
    }
    o.none_if_empty(copy.scores.is_empty());
    o.heading("inzage.h_notes");
    for l in copy.notes.lines() {
        o.line(l);
    }
    o.none_if_empty(copy.notes.trim().is_empty());
    o.heading("inzage.h_own_note");
    for l in copy.own_note.lines() {
        o.line(l);
    }
    o.none_if_empty(copy.own_note.trim().is_empty());
    log(&mut o, copy);
    o.heading("inzage.h_left_out");
    for key in ["inzage.left_out_other", "inzage.left_out_alone", "inzage.left_out_safety"] {
        o.line(&format!("- {}", t.t(key)));
    }
    o.text
}

fn person(o: &mut Out<'_>, copy: &AccessCopy) {
    let p = &copy.person;
    o.heading("inzage.h_person");
    let name = [p.given_name.as_str(), p.prefix.as_str(), p.surname.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    o.field("inzage.name", &name);
    o.field("inzage.phone", &p.phone);
    o.field("inzage.email", &p.email);
    o.field("inzage.birth_year", &p.birth_year.map(|y| y.to_string()).unwrap_or_default());
    o.field("inzage.wish", &word(o.t, "wish", &p.wish));
}

fn file(o: &mut Out<'_>, copy: &AccessCopy) {
    let (f, t) = (&copy.file, o.t);
    o.heading("inzage.h_file");
    o.field("inzage.opened", &local_day(f.opened_at));
    o.field("inzage.status", &word(t, "file_status", &f.status));
    o.field("inzage.outcome", &f.outcome.as_deref().map(|c| word(t, "close_outcome", c)).unwrap_or_default());
    o.field("inzage.closed_on", &f.closed_on.map(day).unwrap_or_default());
    o.field("inzage.request", &word(t, "request", &f.request));
    o.field("inzage.source", &word(t, "source", &f.source));
    o.field("inzage.children", &f.children.to_string());
    o.field("inzage.counsellor", f.counsellor.as_deref().unwrap_or(""));
}

fn visit(o: &mut Out<'_>, v: &Visit) {
    let t = o.t;
    let came = if v.came == "both" { t.t("inzage.came_both") } else { t.t("inzage.came_you") };
    let status = match &v.outcome {
        Some(outcome) => format!("{}: {}", word(t, "status", &v.status), word(t, "outcome", outcome)),
        None => word(t, "status", &v.status),
    };
    let mut parts = vec![moment(v.arrived_at), came.to_owned(), word(t, "request", &v.request), status];
    parts.extend(v.counsellor.clone());
    o.line(&parts.join(" · "));
    o.indented("inzage.walk_in_note", &v.note);
}

fn conversation(o: &mut Out<'_>, c: &Conversation, partner: u8) {
    let t = o.t;
    let mut parts =
        vec![moment(c.starts_at), word(t, "session_status", &c.status), c.room.clone(), c.counsellor.clone()];
    match c.attended.as_deref() {
        Some("both") => parts.push(t.t("inzage.came_both").to_owned()),
        Some(a) if a == format!("partner{partner}") => parts.push(t.t("inzage.came_you").to_owned()),
        _ => {}
    }
    o.line(&parts.join(" · "));
    o.indented("inzage.cancel_reason", &c.cancel_reason);
    o.indented("inzage.conversation_note", &c.note);
}

fn referral(o: &mut Out<'_>, r: &ReferralRow) {
    let t = o.t;
    let party = if r.party_name.is_empty() { r.party.clone() } else { r.party_name.clone() };
    let made = t.f("inzage.made_on", &[("at", &local_day(r.created_at))]);
    let mut parts = vec![party, made, word(t, "referral_status", &r.status)];
    parts.extend(r.sent_on.map(|d| t.f("inzage.sent_on", &[("at", &day(d))])));
    parts.extend(r.answered_on.map(|d| t.f("inzage.answered_on", &[("at", &day(d))])));
    o.line(&parts.join(" · "));
    o.indented("inzage.reason", &r.reason);
    o.indented("inzage.shared", &word(t, "shared", &r.shared));
    o.indented("inzage.summary", &r.summary);
    let consent = match (r.consent_given_on, r.consent_withdrawn_on) {
        (_, Some(w)) => t.f("inzage.consent_withdrawn", &[("at", &day(w))]),
        (Some(g), None) => t.f("inzage.consent_given", &[("at", &day(g))]),
        (None, None) => t.t("inzage.consent_none").to_owned(),
    };
    o.indented("inzage.consent", &consent);
}

fn log(o: &mut Out<'_>, copy: &AccessCopy) {
    let t = o.t;
    o.heading("inzage.h_log");
    for row in &copy.access_log {
        let mut what = words::event_text(t, &row.event);
        if !row.part.is_empty() {
            what = format!("{what} ({})", word(t, "log", &format!("part_{}", row.part)));
        }
        let roles = words::roles_text(t, &row.roles);
        let who = if roles.is_empty() { row.user.clone() } else { format!("{} ({roles})", row.user) };
        o.line(&[moment(row.at), what, who, row.workstation.clone()].join(" · "));
    }
    o.none_if_empty(copy.access_log.is_empty());
}
