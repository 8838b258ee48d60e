//! The file's forms: details (partners, contact, wishes, children), a life event and closing
//! (the concern's forms are in `concern.rs`). Each is checked against the file as it was when the form opened.

use chrono::{Datelike, NaiveDate};

use super::{Change, Msg, to_file};
use crate::app::ctx::{Ctx, Effect, Effects};
use crate::app::popups::{Choice, Field, FieldKey, Form, FormPopup, Overlay};
use crate::domain::contact;
use crate::domain::couple::{Request, Source};
use crate::domain::dates::{format_date, parse_date};
use crate::domain::file::{CloseOutcome, CoupleFile, FileDetails, FileStatus, LifeEventKind, Partner, Wish};
use crate::domain::names::PersonName;
use crate::domain::text::NAME_MAX;
use crate::domain::walkin::desk_day;

/// Which of the file's forms: what its fields are turned into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Details,
    LifeEvent,
    Close,
}

/// One of the file's forms, with the file's version when it opened.
#[derive(Debug)]
struct FileForm {
    kind: Kind,
    form: Form,
    version: i64,
    /// Which partners the file had when the form opened.
    known: Vec<u8>,
}

fn open(kind: Kind, form: Form, file: &CoupleFile) -> Effect {
    let known = file.partners.iter().map(|p| p.position).collect();
    Effect::Open(Overlay::Form(Box::new(FileForm { kind, form, version: file.version, known })))
}

crate::form_fields!(D {
    Given1,
    Prefix1,
    Surname1,
    Phone1,
    Email1,
    Year1,
    Wish1,
    Given2,
    Prefix2,
    Surname2,
    Phone2,
    Email2,
    Year2,
    Wish2,
    Children,
    Request,
    Source,
});

/// The fields of one partner in the details form, in order.
fn partner_fields(n: u8) -> [D; 7] {
    use D::*;
    if n == 1 {
        [Given1, Prefix1, Surname1, Phone1, Email1, Year1, Wish1]
    } else {
        [Given2, Prefix2, Surname2, Phone2, Email2, Year2, Wish2]
    }
}

pub(super) fn details(file: &CoupleFile) -> Effect {
    let mut fields = Vec::new();
    for n in [1u8, 2] {
        let labels = if n == 1 {
            ["walk_in.given1", "walk_in.prefix1", "walk_in.surname1"]
        } else {
            ["walk_in.given2", "walk_in.prefix2", "walk_in.surname2"]
        };
        fields.extend([
            Field::text(labels[0], NAME_MAX, n == 1),
            Field::text(labels[1], NAME_MAX, false),
            Field::text(labels[2], NAME_MAX, n == 1),
            Field::text("file.phone", 20, false),
            Field::text("file.email", 254, false),
            Field::text("file.birth_year", 4, false),
            Field::choice("file.wish", Choice::of(Wish::ALL, Wish::text_key)),
        ]);
    }
    fields.extend([
        Field::text("file.children", 2, false),
        Field::choice("walk_in.request", Choice::of(Request::ALL, Request::text_key)),
        Field::choice("walk_in.source", Choice::of(Source::ALL, Source::text_key)),
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
        form.select(wish, Wish::ALL, &p.wish);
    }
    // A role that may not read the wishes does not see them either (the store keeps them).
    for n in [1u8, 2] {
        let [.., wish] = partner_fields(n);
        form.set_visible(wish, file.wishes_shown);
    }
    // No children is an empty field (it reads as 0), so that typing a number gives that number.
    if file.children > 0 {
        form.set_text(D::Children, &file.children.to_string());
    }
    form.select(D::Request, Request::ALL, &file.request);
    form.select(D::Source, Source::ALL, &file.source);
    form.dirty = false;
    form.focus_on(D::Phone1);
    open(Kind::Details, form, file)
}

crate::form_fields!(L { Kind, Date });

pub(super) fn life_event(file: &CoupleFile) -> Effect {
    let form = Form::new(
        "file.life_event_title",
        vec![
            Field::choice("file.life_event_kind", Choice::of(LifeEventKind::ALL, LifeEventKind::text_key)),
            Field::text("file.life_event_date", 10, false),
        ],
    );
    open(Kind::LifeEvent, form, file)
}

crate::form_fields!(C { Outcome, Date });

/// The closing form's outcomes: first "choose the outcome", so that none is chosen by default
/// (a separation referred on is not *samen en versterkt*).
fn outcome_choice() -> Choice {
    let mut labels = vec!["file.close_outcome_pick".to_owned()];
    labels.extend(CloseOutcome::ALL.iter().map(|o| o.text_key()));
    Choice::new(labels)
}

pub(super) fn closing(file: &CoupleFile, ctx: &Ctx) -> Effect {
    let mut form = Form::new(
        "file.close_title",
        vec![Field::choice("file.close_outcome", outcome_choice()), Field::text("file.close_date", 10, true)],
    );
    form.set_text(C::Date, &format_date(desk_day(ctx.now)));
    open(Kind::Close, form, file)
}

/// A date that may not lie in the future (and may be left empty unless `required`).
fn past_date<K: FieldKey>(
    form: &mut Form,
    k: K,
    today: NaiveDate,
    required: bool,
) -> Option<Option<NaiveDate>> {
    form.parsed(k, |s| match parse_date(s, today) {
        _ if !required && s.trim().is_empty() => Ok(None),
        Ok(d) if d > today => Err("form.error_future_date"),
        Ok(d) => Ok(Some(d)),
        Err(p) => Err(p.text_key()),
    })
}

impl FileForm {
    /// The details form's fields as file details; `None` when a field has a problem.
    fn file_details(&mut self, this_year: i32) -> Option<FileDetails> {
        let form = &mut self.form;
        let mut partners = Vec::new();
        let mut ok = true;
        for n in [1u8, 2] {
            let [given, prefix, surname, phone, email, year, wish] = partner_fields(n);
            let typed =
                [given, prefix, surname, phone, email, year].iter().any(|k| !form.text(*k).trim().is_empty());
            if n == 2 && !typed && !self.known.contains(&n) {
                continue; // no second partner, and none typed
            }
            form.set_required(given, true);
            form.set_required(surname, true);
            let name = (form.checked_text(given), form.checked_text(prefix), form.checked_text(surname));
            let phone = form.parsed(phone, |s| contact::phone(s).map_err(|p| p.text_key()));
            let email = form.parsed(email, |s| contact::email(s).map_err(|p| p.text_key()));
            let year = form.parsed(year, |s| contact::birth_year(s, this_year).map_err(|p| p.text_key()));
            let wish = form.chosen(wish, Wish::ALL);
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
        let children = form.parsed(D::Children, |s| contact::count(s).map_err(|p| p.text_key()));
        let request = form.chosen(D::Request, Request::ALL);
        let source = form.chosen(D::Source, Source::ALL);
        match (ok, children, request, source) {
            (true, Some(children), Some(request), Some(source)) => {
                Some(FileDetails { partners, children, request, source })
            }
            _ => None,
        }
    }

    fn change(&mut self, ctx: &Ctx) -> Option<Change> {
        let today = desk_day(ctx.now);
        match self.kind {
            Kind::Details => self.file_details(today.year()).map(Change::Details),
            Kind::LifeEvent => {
                let kind = self.form.chosen(L::Kind, LifeEventKind::ALL);
                // A date ahead is an expected event (a birth on its way), shown as such.
                let on = self.form.parsed(L::Date, |s| match parse_date(s, today) {
                    _ if s.trim().is_empty() => Ok(None),
                    Ok(d) => Ok(Some(d)),
                    Err(p) => Err(p.text_key()),
                });
                Some(Change::LifeEvent(kind?, on?))
            }
            Kind::Close => {
                // Option 0 is "choose the outcome": nothing chosen yet.
                let picked = self.form.choice(C::Outcome).and_then(|c| c.selected.checked_sub(1));
                let outcome = picked.and_then(|i| CloseOutcome::ALL.get(i).copied());
                if outcome.is_none() {
                    self.form.set_error(C::Outcome, "file.error_no_outcome");
                }
                let on = past_date(&mut self.form, C::Date, today, true).flatten();
                Some(Change::Status(FileStatus::Closed, Some((outcome?, on?))))
            }
        }
    }
}

impl FormPopup for FileForm {
    crate::form_access!();

    /// A life event's kind is chosen, never saved as the list's first option by default.
    fn must_choose(&self) -> Option<(usize, &'static str)> {
        (self.kind == Kind::LifeEvent).then_some((L::Kind as usize, "file.life_event_choose_first"))
    }

    fn submit(&mut self, ctx: &mut Ctx) -> Effects {
        if self.kind == Kind::Details && !self.form.dirty {
            return vec![Effect::CloseForm]; // nothing changed: nothing to save, and no edit in the timeline
        }
        match self.change(ctx) {
            Some(change) => {
                vec![Effect::Send(to_file(Msg::Write { version: self.version, change, form: true }))]
            }
            None => Vec::new(),
        }
    }
}
