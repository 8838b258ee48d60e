//! Registering a walk-in: the form, linking a returning couple, and the question when a new
//! file has the name of an existing one.

use super::super::super::ctx::{Ctx, Effect, Effects, Msg, failed};
use super::super::super::popups::{Choice, Confirm, Field, FieldKind, Find, Form, FormPopup, Overlay};
use crate::action::Action;
use crate::domain::capitals::capitalised;
use crate::domain::contact;
use crate::domain::couple::{CoupleSummary, Request, Source};
use crate::domain::names::PersonName;
use crate::domain::text::{NAME_MAX, NOTE_MAX};
use crate::domain::walkin::{Attendance, CoupleRef, NewContact, NewWalkIn};

// Each partner's phone and e-mail come last: optional, after what the desk always asks.
crate::form_fields!(F {
    Couple,
    Attendance,
    Given1,
    Prefix1,
    Surname1,
    Given2,
    Prefix2,
    Surname2,
    Request,
    Source,
    Note,
    Phone1,
    Email1,
    Phone2,
    Email2
});

/// The fields asked only for a new file: each partner's name, phone and e-mail.
const NEW_FILE: [F; 10] = [
    F::Given1,
    F::Prefix1,
    F::Surname1,
    F::Given2,
    F::Prefix2,
    F::Surname2,
    F::Phone1,
    F::Email1,
    F::Phone2,
    F::Email2,
];

/// Longest phone number and e-mail address, as in the file's details form.
const PHONE_MAX: usize = 20;
const EMAIL_MAX: usize = 254;

#[derive(Debug)]
pub struct WalkInForm {
    form: Form,
}

/// The walk-in form, new or linked to a returning couple's file (whose request and source it
/// starts from).
pub fn open(couple: Option<CoupleSummary>, ctx: &Ctx) -> Effect {
    let name = |label, required| Field::text(label, NAME_MAX, required);
    let mut form = Form::new(
        "walk_in.title",
        vec![
            Field::couple("walk_in.couple"),
            Field::choice("walk_in.attendance", Choice::of(Attendance::ALL, Attendance::text_key)),
            name("walk_in.given1", true),
            name("walk_in.prefix1", false),
            name("walk_in.surname1", true),
            name("walk_in.given2", true),
            name("walk_in.prefix2", false),
            name("walk_in.surname2", true),
            Field::choice("walk_in.request", Choice::of(Request::ALL, Request::text_key)),
            Field::choice("walk_in.source", Choice::of(Source::ALL, Source::text_key)),
            Field::text("walk_in.note", NOTE_MAX, false),
            Field::text("walk_in.phone1", PHONE_MAX, false),
            Field::text("walk_in.email1", EMAIL_MAX, false),
            Field::text("walk_in.phone2", PHONE_MAX, false),
            Field::text("walk_in.email2", EMAIL_MAX, false),
        ],
    );
    form.focus_on(F::Given1);
    let mut walk_in = WalkInForm { form };
    walk_in.sync_visibility();
    if let Some(c) = couple {
        walk_in.link(c, ctx);
    }
    Effect::Open(Overlay::Form(Box::new(walk_in)))
}

impl WalkInForm {
    fn linked(&self) -> Option<&CoupleSummary> {
        match self.form.field(F::Couple).map(|f| &f.kind) {
            Some(FieldKind::Couple(c)) => c.as_ref(),
            _ => None,
        }
    }

    fn attendance(&self) -> Attendance {
        self.form.chosen(F::Attendance, Attendance::ALL).unwrap_or(Attendance::Both)
    }

    /// Names are asked only for a new file; the second partner's name is required when both came.
    fn sync_visibility(&mut self) {
        let new_file = self.linked().is_none();
        for k in NEW_FILE {
            self.form.set_visible(k, new_file);
        }
        let both = self.attendance() == Attendance::Both;
        self.form.set_required(F::Given2, both);
        self.form.set_required(F::Surname2, both);
    }

    /// The partners typed in the form with their phone and e-mail, checked; `None` when a field
    /// has a problem (marked on it).
    fn partners(&mut self) -> Option<(Vec<PersonName>, Vec<NewContact>)> {
        let first = self.person([F::Given1, F::Prefix1, F::Surname1]);
        let first_contact = self.contact(F::Phone1, F::Email1);
        let second_empty = [F::Given2, F::Surname2, F::Phone2, F::Email2]
            .iter()
            .all(|k| self.form.text(*k).trim().is_empty());
        // One partner came and nothing is known of the other: that is fine.
        if self.attendance() == Attendance::One && second_empty {
            self.form.set_required(F::Given2, false);
            self.form.set_required(F::Surname2, false);
            let _ = self.form.checked_text(F::Prefix2);
            return Some((vec![first?], vec![first_contact?]));
        }
        // A second partner partly typed must be typed whole.
        self.form.set_required(F::Given2, true);
        self.form.set_required(F::Surname2, true);
        let second = self.person([F::Given2, F::Prefix2, F::Surname2]);
        let second_contact = self.contact(F::Phone2, F::Email2);
        self.sync_visibility();
        Some((vec![first?, second?], vec![first_contact?, second_contact?]))
    }

    fn person(&mut self, [given, prefix, surname]: [F; 3]) -> Option<PersonName> {
        let g = self.form.checked_text(given);
        let p = self.form.checked_text(prefix);
        let s = self.form.checked_text(surname);
        Some(PersonName { given: g?, prefix: p?, surname: s? })
    }

    /// A partner's phone and e-mail, checked as the file's details form checks them.
    fn contact(&mut self, phone: F, email: F) -> Option<NewContact> {
        let phone = self.form.parsed(phone, |s| contact::phone(s).map_err(|p| p.text_key()));
        let email = self.form.parsed(email, |s| contact::email(s).map_err(|p| p.text_key()));
        Some(NewContact {
            phone: phone?.map(|p| p.shown).unwrap_or_default(),
            email: email?.unwrap_or_default(),
        })
    }
}

impl FormPopup for WalkInForm {
    crate::form_access!();

    fn submit(&mut self, _ctx: &mut Ctx) -> Effects {
        let (couple, contacts) = match self.linked() {
            Some(c) => (Some(CoupleRef::Existing(c.id)), Vec::new()),
            None => match self.partners() {
                Some((partners, contacts)) => (Some(CoupleRef::New(partners)), contacts),
                None => (None, Vec::new()),
            },
        };
        let note = self.form.checked_text(F::Note);
        let request = self.form.chosen(F::Request, Request::ALL);
        let source = self.form.chosen(F::Source, Source::ALL);
        let (Some(couple), Some(note), Some(request), Some(source)) = (couple, note, request, source) else {
            return Vec::new();
        };
        let walk_in = NewWalkIn { couple, attendance: self.attendance(), request, source, note };
        vec![Effect::Send(register(walk_in, contacts, false))]
    }

    /// Saving the form unchanged would register a walk-in of a returning couple on defaults alone
    /// (after a stray `i`): who came is chosen first.
    fn must_choose(&self) -> Option<(usize, &'static str)> {
        self.linked().is_some().then_some((F::Attendance as usize, "walk_in.choose_first"))
    }

    fn changed(&mut self, _ctx: &Ctx) {
        self.sync_visibility();
    }

    fn offers(&self, extra: &Action) -> bool {
        *extra == Action::FindCouple
    }

    fn extra(&mut self, action: &Action, _ctx: &mut Ctx) -> Effects {
        match action {
            Action::FindCouple => {
                self.form.focus_on(F::Couple);
                vec![Effect::Open(Overlay::Find(Find::link_form()))]
            }
            _ => Vec::new(),
        }
    }

    fn link(&mut self, couple: CoupleSummary, ctx: &Ctx) {
        // A returning couple comes, by default, for what their file says, found as before.
        let intake = match ctx.file.filter(|f| f.id == couple.id) {
            Some(f) => Some((f.request, f.source)),
            None => ctx.store.couple_intake(couple.id).ok(),
        };
        if let Some(field) = self.form.field_mut(F::Couple) {
            field.kind = FieldKind::Couple(Some(couple));
            self.form.dirty = true;
            if let Some((request, source)) = intake {
                self.form.select(F::Request, Request::ALL, &request);
                self.form.select(F::Source, Source::ALL, &source);
            }
            self.sync_visibility();
            self.form.focus_on(F::Attendance);
        }
    }
}

/// The message that registers `walk_in`: `checked` once the question about a possible existing
/// file was answered (or needs no asking).
fn register(walk_in: NewWalkIn, contacts: Vec<NewContact>, checked: bool) -> Msg {
    Msg::Queue(super::Msg::Register { walk_in, contacts, checked, named: false })
}

/// For a new file whose names were typed without capitals: the question whether to save them
/// with capitals ("Berg, Jan van der"), or as typed. Never changed without asking.
pub fn capitals_question(walk_in: &NewWalkIn, contacts: &[NewContact], ctx: &Ctx) -> Option<Effects> {
    let CoupleRef::New(partners) = &walk_in.couple else { return None };
    if partners.iter().all(|p| capitalised(p) == *p) {
        return None;
    }
    let capitals: Vec<PersonName> = partners.iter().map(capitalised).collect();
    let shown = capitals.iter().map(PersonName::sortable).collect::<Vec<_>>().join(" & ");
    let question = ctx.texts.f("walk_in.capitals_question", &[("names", &shown)]);
    let save = |walk_in: NewWalkIn| {
        Msg::Queue(super::Msg::Register { walk_in, contacts: contacts.to_vec(), checked: true, named: true })
    };
    let with_capitals = NewWalkIn { couple: CoupleRef::New(capitals), ..walk_in.clone() };
    Some(vec![Effect::Open(Overlay::Confirm(Confirm {
        question,
        on_yes: save(with_capitals),
        on_no: Some(save(walk_in.clone())),
    }))])
}

/// For a new file with a partner of the same name as an existing file: the question whether
/// to register the walk-in for that file. Yes and no each carry the walk-in to register.
pub fn duplicate_question(walk_in: &NewWalkIn, contacts: &[NewContact], ctx: &mut Ctx) -> Option<Effects> {
    let CoupleRef::New(partners) = &walk_in.couple else { return None };
    let existing = match ctx.store.possible_duplicates(partners, &[]) {
        Ok(ids) => ids.first().and_then(|id| ctx.store.couple_summary(*id).ok())?,
        Err(e) => return Some(failed(ctx, &e)),
    };
    let question =
        ctx.texts.f("confirm.possible_duplicate", &[("file", &existing.file), ("names", &existing.names())]);
    let for_existing = NewWalkIn { couple: CoupleRef::Existing(existing.id), ..walk_in.clone() };
    // The existing file keeps its own phone and e-mail (the message after saving says so).
    let answer = |walk_in: NewWalkIn| register(walk_in, contacts.to_vec(), true);
    Some(vec![Effect::Open(Overlay::Confirm(Confirm {
        question,
        on_yes: answer(for_existing),
        on_no: Some(answer(walk_in.clone())),
    }))])
}
