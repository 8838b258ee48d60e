//! The file's forms: details (partners, contact, wishes, children), a life event, closing, safety.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use super::form::{Choice, Field, FieldId, Form};
use super::{App, FormKind, FormOverlay, Overlay};
use crate::domain::contact;
use crate::domain::couple::{Request, Source};
use crate::domain::dates::{format_date, parse_date};
use crate::domain::file::{CloseOutcome, CoupleFile, FileDetails, LifeEventKind, Partner, Wish};
use crate::domain::names::PersonName;
use crate::domain::text::NAME_MAX;
use crate::domain::walkin::desk_day;

/// Longest reason of a safety concern.
const REASON_MAX: usize = 200;

fn choice<T: Copy>(all: &[T], code: fn(T) -> &'static str, key: fn(T) -> String) -> Choice {
    Choice::new(all.iter().map(|v| (code(*v), key(*v))).collect())
}

/// The fields of one partner in the details form, in order.
fn partner_fields(n: u8) -> [FieldId; 7] {
    use FieldId::*;
    if n == 1 {
        [Given1, Prefix1, Surname1, Phone1, Email1, Year1, Wish1]
    } else {
        [Given2, Prefix2, Surname2, Phone2, Email2, Year2, Wish2]
    }
}

fn details_form(file: &CoupleFile) -> Form {
    let mut fields = Vec::new();
    for n in [1u8, 2] {
        let [given, prefix, surname, phone, email, year, wish] = partner_fields(n);
        let labels = if n == 1 {
            ["walk_in.given1", "walk_in.prefix1", "walk_in.surname1"]
        } else {
            ["walk_in.given2", "walk_in.prefix2", "walk_in.surname2"]
        };
        fields.extend([
            Field::text(given, labels[0], NAME_MAX, n == 1),
            Field::text(prefix, labels[1], NAME_MAX, false),
            Field::text(surname, labels[2], NAME_MAX, n == 1),
            Field::text(phone, "file.phone", 20, false),
            Field::text(email, "file.email", 254, false),
            Field::text(year, "file.birth_year", 4, false),
            Field::choice(wish, "file.wish", choice(Wish::ALL, Wish::code, Wish::text_key)),
        ]);
    }
    fields.extend([
        Field::text(FieldId::Children, "file.children", 2, false),
        Field::choice(
            FieldId::Request,
            "walk_in.request",
            choice(Request::ALL, Request::code, Request::text_key),
        ),
        Field::choice(FieldId::Source, "walk_in.source", choice(Source::ALL, Source::code, Source::text_key)),
    ]);
    let mut form = Form::new("file.edit_title", fields);
    for p in &file.partners {
        let [given, prefix, surname, phone, email, year, wish] = partner_fields(p.position);
        form.set_text(given, &p.name.given);
        form.set_text(prefix, &p.name.prefix);
        form.set_text(surname, &p.name.surname);
        form.set_text(phone, &p.phone);
        form.set_text(email, &p.email);
        form.set_text(year, &p.birth_year.map(|y| y.to_string()).unwrap_or_default());
        form.select_code(wish, p.wish.code());
    }
    form.set_text(FieldId::Children, &file.children.to_string());
    form.select_code(FieldId::Request, file.request.code());
    form.select_code(FieldId::Source, file.source.code());
    form.dirty = false;
    form.focus_on(FieldId::Phone1);
    form
}

/// Checks the details form; `None` when a field has a problem (marked on it).
pub fn details(form: &mut Form, file: &CoupleFile, now: DateTime<Utc>) -> Option<FileDetails> {
    let this_year = desk_day(now).year();
    let mut partners = Vec::new();
    let mut ok = true;
    for n in [1u8, 2] {
        let [given, prefix, surname, phone, email, year, wish] = partner_fields(n);
        let typed =
            [given, prefix, surname, phone, email, year].iter().any(|id| !form.text(*id).trim().is_empty());
        let known = file.partners.iter().any(|p| p.position == n);
        if n == 2 && !typed && !known {
            continue; // no second partner, and none typed
        }
        form.set_required(given, true);
        form.set_required(surname, true);
        let name = (form.checked_text(given), form.checked_text(prefix), form.checked_text(surname));
        let phone = form.parsed(phone, |s| contact::phone(s).map_err(|p| p.text_key()));
        let email = form.parsed(email, |s| contact::email(s).map_err(|p| p.text_key()));
        let year = form.parsed(year, |s| contact::birth_year(s, this_year).map_err(|p| p.text_key()));
        let wish = form.choice(wish).and_then(|c| Wish::from_code(c.code()));
        match (name, phone, email, year, wish) {
            (
                (Some(given), Some(prefix), Some(surname)),
                Some(phone),
                Some(email),
                Some(birth_year),
                Some(wish),
            ) => partners.push(Partner {
                position: n,
                name: PersonName { given, prefix, surname },
                phone: phone.map(|p| p.shown).unwrap_or_default(),
                email: email.unwrap_or_default(),
                birth_year,
                wish,
            }),
            _ => ok = false,
        }
    }
    let children = form.parsed(FieldId::Children, |s| contact::count(s).map_err(|p| p.text_key()));
    let request = form.choice(FieldId::Request).and_then(|c| Request::from_code(c.code()));
    let source = form.choice(FieldId::Source).and_then(|c| Source::from_code(c.code()));
    match (ok, children, request, source) {
        (true, Some(children), Some(request), Some(source)) => {
            Some(FileDetails { partners, children, request, source })
        }
        _ => None,
    }
}

/// Checks the life-event form: the kind, and a date that may be left empty.
pub fn life_event(form: &mut Form, now: DateTime<Utc>) -> Option<(LifeEventKind, Option<NaiveDate>)> {
    let kind = form.choice(FieldId::EventKind).and_then(|c| LifeEventKind::from_code(c.code()));
    let today = desk_day(now);
    let on = form.parsed(FieldId::EventDate, |s| match parse_date(s, today) {
        _ if s.trim().is_empty() => Ok(None),
        Ok(d) if d > today => Err("form.error_future_date"),
        Ok(d) => Ok(Some(d)),
        Err(p) => Err(p.text_key()),
    });
    Some((kind?, on?))
}

/// Checks the closing form: an outcome and a date, not in the future.
pub fn closing(form: &mut Form, now: DateTime<Utc>) -> Option<(CloseOutcome, NaiveDate)> {
    let outcome = form.choice(FieldId::CloseOutcome).and_then(|c| CloseOutcome::from_code(c.code()));
    let today = desk_day(now);
    let on = form.parsed(FieldId::CloseDate, |s| match parse_date(s, today) {
        Ok(d) if d > today => Err("form.error_future_date"),
        Ok(d) => Ok(d),
        Err(p) => Err(p.text_key()),
    });
    Some((outcome?, on?))
}

impl App {
    fn push_form(&mut self, kind: FormKind, mut form: Form) {
        // The file as the user sees it now: saving later is checked against this version.
        form.base_version = self.file.as_ref().map(|f| f.version);
        self.overlays.push(Overlay::Form(FormOverlay { kind, form }));
    }

    pub(super) fn open_details_form(&mut self, file: &CoupleFile) {
        self.push_form(FormKind::FileDetails, details_form(file));
    }

    pub(super) fn open_life_event_form(&mut self) {
        let kinds = choice(LifeEventKind::ALL, LifeEventKind::code, LifeEventKind::text_key);
        let form = Form::new(
            "file.life_event_title",
            vec![
                Field::choice(FieldId::EventKind, "file.life_event_kind", kinds),
                Field::text(FieldId::EventDate, "file.life_event_date", 10, false),
            ],
        );
        self.push_form(FormKind::LifeEvent, form);
    }

    pub(super) fn open_close_form(&mut self) {
        let outcomes = choice(CloseOutcome::ALL, CloseOutcome::code, CloseOutcome::text_key);
        let mut form = Form::new(
            "file.close_title",
            vec![
                Field::choice(FieldId::CloseOutcome, "file.close_outcome", outcomes),
                Field::text(FieldId::CloseDate, "file.close_date", 10, true),
            ],
        );
        form.set_text(FieldId::CloseDate, &format_date(desk_day(self.now)));
        self.push_form(FormKind::Close, form);
    }

    pub(super) fn open_safety_form(&mut self) {
        let form = Form::new(
            "file.safety_title",
            vec![Field::text(FieldId::SafetyReason, "file.safety_reason", REASON_MAX, true)],
        );
        self.push_form(FormKind::Safety, form);
    }
}
