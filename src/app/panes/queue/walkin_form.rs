//! Registering a walk-in: the form, linking a returning couple, and the question when a new
//! file has the name of an existing one.

use super::super::super::ctx::{Ctx, Effect, Effects, Msg, failed};
use super::super::super::popups::{Choice, Confirm, Field, FieldKind, Find, Form, FormPopup, Overlay};
use crate::action::Action;
use crate::domain::couple::{CoupleSummary, Request, Source};
use crate::domain::names::PersonName;
use crate::domain::text::{NAME_MAX, NOTE_MAX};
use crate::domain::walkin::{Attendance, CoupleRef, NewWalkIn};

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
    Note
});

const NAMES: [F; 6] = [F::Given1, F::Prefix1, F::Surname1, F::Given2, F::Prefix2, F::Surname2];

#[derive(Debug)]
pub struct WalkInForm {
    form: Form,
}

/// The walk-in form, new or linked to a returning couple's file.
pub fn open(couple: Option<CoupleSummary>) -> Effect {
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
        ],
    );
    form.focus_on(F::Given1);
    let mut walk_in = WalkInForm { form };
    walk_in.sync_visibility();
    if let Some(c) = couple {
        walk_in.link(c);
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
        for k in NAMES {
            self.form.set_visible(k, new_file);
        }
        let both = self.attendance() == Attendance::Both;
        self.form.set_required(F::Given2, both);
        self.form.set_required(F::Surname2, both);
    }

    /// The partners typed in the form, checked; `None` when a field has a problem (marked on it).
    fn partners(&mut self) -> Option<Vec<PersonName>> {
        let first = self.person([F::Given1, F::Prefix1, F::Surname1]);
        let second_empty =
            self.form.text(F::Given2).trim().is_empty() && self.form.text(F::Surname2).trim().is_empty();
        // One partner came and nothing is known of the other: that is fine.
        if self.attendance() == Attendance::One && second_empty {
            self.form.set_required(F::Given2, false);
            self.form.set_required(F::Surname2, false);
            let _ = self.form.checked_text(F::Prefix2);
            return first.map(|p| vec![p]);
        }
        // A second partner partly typed must be typed whole.
        self.form.set_required(F::Given2, true);
        self.form.set_required(F::Surname2, true);
        let second = self.person([F::Given2, F::Prefix2, F::Surname2]);
        self.sync_visibility();
        Some(vec![first?, second?])
    }

    fn person(&mut self, [given, prefix, surname]: [F; 3]) -> Option<PersonName> {
        let g = self.form.checked_text(given);
        let p = self.form.checked_text(prefix);
        let s = self.form.checked_text(surname);
        Some(PersonName { given: g?, prefix: p?, surname: s? })
    }
}

impl FormPopup for WalkInForm {
    crate::form_access!();

    fn submit(&mut self, _ctx: &mut Ctx) -> Effects {
        let couple = match self.linked() {
            Some(c) => Some(CoupleRef::Existing(c.id)),
            None => self.partners().map(CoupleRef::New),
        };
        let note = self.form.checked_text(F::Note);
        let request = self.form.chosen(F::Request, Request::ALL);
        let source = self.form.chosen(F::Source, Source::ALL);
        let (Some(couple), Some(note), Some(request), Some(source)) = (couple, note, request, source) else {
            return Vec::new();
        };
        let walk_in = NewWalkIn { couple, attendance: self.attendance(), request, source, note };
        vec![Effect::Send(Msg::Queue(super::Msg::Register { walk_in, checked: false }))]
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

    fn link(&mut self, couple: CoupleSummary) {
        if let Some(field) = self.form.field_mut(F::Couple) {
            field.kind = FieldKind::Couple(Some(couple));
            self.form.dirty = true;
            self.sync_visibility();
            self.form.focus_on(F::Attendance);
        }
    }
}

/// For a new file with a partner of the same name as an existing file: the question whether
/// to register the walk-in for that file. Yes and no each carry the walk-in to register.
pub fn duplicate_question(walk_in: &NewWalkIn, ctx: &mut Ctx) -> Option<Effects> {
    let CoupleRef::New(partners) = &walk_in.couple else { return None };
    let existing = match ctx.store.possible_duplicates(partners, &[]) {
        Ok(ids) => ids.first().and_then(|id| ctx.store.couple_summary(*id).ok())?,
        Err(e) => return Some(failed(ctx, &e)),
    };
    let question =
        ctx.texts.f("confirm.possible_duplicate", &[("file", &existing.file), ("names", &existing.names())]);
    let for_existing = NewWalkIn { couple: CoupleRef::Existing(existing.id), ..walk_in.clone() };
    Some(vec![Effect::Open(Overlay::Confirm(Confirm {
        question,
        on_yes: Msg::Queue(super::Msg::Register { walk_in: for_existing, checked: true }),
        on_no: Some(Msg::Queue(super::Msg::Register { walk_in: walk_in.clone(), checked: true })),
    }))])
}
