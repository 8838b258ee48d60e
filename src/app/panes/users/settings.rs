//! The desk's settings, a coordinator's form on the users pane: one field per numeric setting
//! (the retention term), then the closed days: the desk's (holidays) and each counsellor's days
//! off, typed as dates and runs ("24-12 t/m 26-12, 31-12"). The store checks each value and logs
//! a change.

use std::collections::BTreeSet;

use chrono::NaiveDate;

use super::{Msg, to_users};
use crate::app::ctx::{Ctx, Effect, Effects, failed};
use crate::app::popups::{Field, FieldError, FieldKey, Form, FormPopup, Overlay};
use crate::domain::settings::{DaysProblem, MAX_RANGE_DAYS, Setting, days_text, parse_days};
use crate::domain::walkin::desk_day;

/// The longest list of closed days one field takes, in characters.
const DAYS_MAX: usize = 400;

#[derive(Debug)]
struct SettingsForm {
    form: Form,
    /// Whose days off each field after the numeric settings and the desk's days holds.
    counsellors: Vec<i64>,
}

/// A field by its place: one per setting, in the order of [`Setting::ALL`], then the desk's
/// closed days, then one per counsellor.
#[derive(Clone, Copy)]
struct Index(usize);

impl FieldKey for Index {
    fn index(self) -> usize {
        self.0
    }
}

pub(super) fn open(ctx: &Ctx) -> Effects {
    let (counsellors, closed) = match (ctx.store.counsellors(), ctx.store.closed_days()) {
        (Ok(c), Ok(d)) => (c, d),
        (Err(e), _) | (_, Err(e)) => return failed(ctx, &e),
    };
    let mut fields: Vec<Field> = Setting::ALL.iter().map(|s| Field::text(label(*s), 6, true)).collect();
    fields.push(Field::text("settings.closed_days", DAYS_MAX, false));
    fields.extend(
        counsellors.iter().map(|c| Field::text("settings.days_off", DAYS_MAX, false).named(c.name.clone())),
    );
    let mut form = Form::new("settings.title", fields);
    for (i, setting) in Setting::ALL.iter().enumerate() {
        match ctx.store.setting(*setting) {
            Ok(value) => form.set_text(Index(i), &value.to_string()),
            Err(e) => return failed(ctx, &e),
        }
    }
    // Days from today on: past ones are kept, but no longer matter.
    let today = desk_day(ctx.now);
    let through = ctx.t("settings.through");
    let upcoming = |days: &BTreeSet<NaiveDate>| -> BTreeSet<NaiveDate> {
        days.iter().filter(|d| **d >= today).copied().collect()
    };
    let first = Setting::ALL.len();
    form.set_text(Index(first), &days_text(&upcoming(&closed.desk), &through));
    for (i, c) in counsellors.iter().enumerate() {
        let off = closed.off.get(&c.id).map(upcoming).unwrap_or_default();
        form.set_text(Index(first + 1 + i), &days_text(&off, &through));
    }
    form.dirty = false;
    let counsellors = counsellors.iter().map(|c| c.id).collect();
    vec![Effect::Open(Overlay::Form(Box::new(SettingsForm { form, counsellors })))]
}

/// The text key of a setting's field.
fn label(setting: Setting) -> &'static str {
    match setting {
        Setting::RetentionYears => "settings.retention_years",
    }
}

impl FormPopup for SettingsForm {
    crate::form_access!();

    fn submit(&mut self, ctx: &mut Ctx) -> Effects {
        if !self.form.dirty {
            return vec![Effect::CloseForm];
        }
        let values =
            Setting::ALL.iter().enumerate().map(|(i, s)| (*s, self.form.text(Index(i)).to_owned())).collect();
        let today = desk_day(ctx.now);
        let first = Setting::ALL.len();
        let owners = std::iter::once(None).chain(self.counsellors.iter().map(|c| Some(*c)));
        let mut closed = Vec::new();
        for (i, owner) in owners.enumerate() {
            let field = Index(first + i);
            match parse_days(self.form.text(field), today) {
                Ok(days) => closed.push((owner, days)),
                Err(problem) => {
                    if let Some(f) = self.form.field_mut(field) {
                        let max = (problem == DaysProblem::TooLong).then_some(MAX_RANGE_DAYS as usize);
                        f.error = Some(FieldError { key: problem.text_key(), max });
                    }
                    self.form.focus = field.index();
                    return Vec::new();
                }
            }
        }
        vec![Effect::Send(to_users(Msg::Settings { values, closed }))]
    }

    fn enter_saves(&self) -> bool {
        true
    }
}
