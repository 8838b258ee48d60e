//! The log screen's filter: a file number, a user, a period and an event, each left open for all.

use super::super::super::ctx::{Ctx, Effect, Effects, failed};
use super::super::super::popups::{Choice, Field, Form, FormPopup, Overlay};
use super::Msg;
use crate::domain::access::{AccessEvent, LogFilter};
use crate::domain::couple::FileNumber;
use crate::domain::dates::{format_date, parse_date};
use crate::domain::walkin::desk_day;

crate::form_fields!(F { File, User, From, To, Event });

/// The filter form, with the users' names it offers (after "everyone").
#[derive(Debug)]
struct FilterForm {
    form: Form,
    users: Vec<String>,
}

/// Opens the form filled in with `filter`.
pub(super) fn open(filter: &LogFilter, ctx: &mut Ctx) -> Effects {
    let users: Vec<String> = match ctx.store.all_users() {
        Ok(all) => all.into_iter().map(|(u, _)| u.name).collect(),
        Err(e) => return failed(ctx, &e),
    };
    let mut user_labels = vec!["audit.all_users".to_owned()];
    user_labels.extend(users.iter().cloned());
    let mut event_labels = vec!["audit.all_events".to_owned()];
    event_labels.extend(AccessEvent::ALL.iter().map(|e| format!("access.{}", e.code())));
    let mut form = Form::new(
        "audit.form_title",
        vec![
            Field::text("audit.form_file", 10, false),
            Field::choice("audit.form_user", Choice::new(user_labels)),
            Field::text("audit.form_from", 10, false),
            Field::text("audit.form_to", 10, false),
            Field::choice("audit.form_event", Choice::new(event_labels)),
        ],
    );
    if let Some(file) = filter.file {
        form.set_text(F::File, &file.to_string());
    }
    if let Some(name) = &filter.user {
        let names: Vec<Option<&str>> =
            std::iter::once(None).chain(users.iter().map(|u| Some(u.as_str()))).collect();
        form.select(F::User, &names, &Some(name.as_str()));
    }
    if let Some(from) = filter.from {
        form.set_text(F::From, &format_date(from));
    }
    if let Some(to) = filter.to {
        form.set_text(F::To, &format_date(to));
    }
    if let Some(event) = filter.events.first() {
        let events: Vec<Option<AccessEvent>> =
            std::iter::once(None).chain(AccessEvent::ALL.iter().copied().map(Some)).collect();
        form.select(F::Event, &events, &Some(*event));
    }
    form.dirty = false;
    vec![Effect::Open(Overlay::Form(Box::new(FilterForm { form, users })))]
}

impl FormPopup for FilterForm {
    crate::form_access!();

    fn submit(&mut self, ctx: &mut Ctx) -> Effects {
        let today = desk_day(ctx.now);
        let optional_date = |s: &str| match s.trim() {
            "" => Ok(None),
            s => parse_date(s, today).map(Some).map_err(|p| p.text_key()),
        };
        let file = self.form.parsed(F::File, |s| match s.trim() {
            "" => Ok(None),
            s => FileNumber::parse(s).map(Some).ok_or("audit.bad_file"),
        });
        let from = self.form.parsed(F::From, optional_date);
        let to = self.form.parsed(F::To, optional_date);
        let (Some(file), Some(from), Some(to)) = (file, from, to) else { return Vec::new() };
        let user = self.form.choice(F::User).and_then(|c| c.selected.checked_sub(1));
        let event = self.form.choice(F::Event).and_then(|c| c.selected.checked_sub(1));
        let filter = LogFilter {
            file,
            user: user.and_then(|i| self.users.get(i).cloned()),
            from,
            to,
            events: event.and_then(|i| AccessEvent::ALL.get(i).copied()).into_iter().collect(),
        };
        if !filter.period_ok() {
            self.form.set_error(F::To, "audit.to_before_from");
            return Vec::new();
        }
        vec![Effect::Send(super::super::super::Msg::Log(Msg::Look(filter)))]
    }
}
