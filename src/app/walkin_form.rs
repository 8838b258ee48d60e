//! Registering a walk-in: the form, linking a returning couple, and saving.

use tui_input::Input;

use super::form::{Choice, Field, FieldId, FieldKind, Form, FormEffect, input_request};
use super::overlay::{Find, FindPurpose, FormKind, FormOverlay, Overlay, PickItem, PickPurpose, Picker};
use super::{App, ConfirmAction, overlay};
use crate::action::{Action, EditOp};
use crate::domain::couple::{Request, Source};
use crate::domain::names::PersonName;
use crate::domain::text::{NAME_MAX, NOTE_MAX};
use crate::domain::walkin::{Attendance, CoupleRef, NewWalkIn};

/// How many couples the find popup lists.
const FIND_LIMIT: usize = 8;

fn options<T: Copy>(all: &[T], code: fn(T) -> &'static str, key: fn(T) -> String) -> Choice {
    Choice::new(all.iter().map(|v| (code(*v), key(*v))).collect())
}

/// A fresh walk-in form.
pub fn new_form() -> Form {
    let attendance = options(Attendance::ALL, Attendance::code, Attendance::text_key);
    let requests = options(Request::ALL, Request::code, Request::text_key);
    let sources = options(Source::ALL, Source::code, Source::text_key);
    let name = |id, label, required| Field::text(id, label, NAME_MAX, required);
    let mut form = Form::new(
        "walk_in.title",
        vec![
            Field::couple(FieldId::Couple, "walk_in.couple"),
            Field::choice(FieldId::Attendance, "walk_in.attendance", attendance),
            name(FieldId::Given1, "walk_in.given1", true),
            name(FieldId::Prefix1, "walk_in.prefix1", false),
            name(FieldId::Surname1, "walk_in.surname1", true),
            name(FieldId::Given2, "walk_in.given2", true),
            name(FieldId::Prefix2, "walk_in.prefix2", false),
            name(FieldId::Surname2, "walk_in.surname2", true),
            Field::choice(FieldId::Request, "walk_in.request", requests),
            Field::choice(FieldId::Source, "walk_in.source", sources),
            Field::text(FieldId::Note, "walk_in.note", NOTE_MAX, false),
        ],
    );
    form.focus_on(FieldId::Given1);
    form
}

/// Links the walk-in form to an existing couple's file.
pub fn link(form: &mut Form, couple: crate::domain::couple::CoupleSummary) {
    if let Some(field) = form.field_mut(FieldId::Couple) {
        field.kind = FieldKind::Couple(Some(couple));
        form.dirty = true;
        sync_visibility(form);
        form.focus_on(FieldId::Attendance);
    }
}

fn linked(form: &Form) -> Option<&crate::domain::couple::CoupleSummary> {
    match form.field(FieldId::Couple).map(|f| &f.kind) {
        Some(FieldKind::Couple(c)) => c.as_ref(),
        _ => None,
    }
}

fn attendance(form: &Form) -> Attendance {
    form.choice(FieldId::Attendance).and_then(|c| Attendance::from_code(c.code())).unwrap_or(Attendance::Both)
}

/// Names are asked only for a new file; the second partner's name is required when both came.
pub fn sync_visibility(form: &mut Form) {
    let new_file = linked(form).is_none();
    for id in [
        FieldId::Given1,
        FieldId::Prefix1,
        FieldId::Surname1,
        FieldId::Given2,
        FieldId::Prefix2,
        FieldId::Surname2,
    ] {
        form.set_visible(id, new_file);
    }
    let both = attendance(form) == Attendance::Both;
    form.set_required(FieldId::Given2, both);
    form.set_required(FieldId::Surname2, both);
}

impl App {
    pub(super) fn open_walk_in_form(&mut self) {
        if self.store.is_read_only() {
            return self.warn("error.read_only");
        }
        let mut form = new_form();
        sync_visibility(&mut form);
        self.overlays.push(Overlay::Form(FormOverlay { kind: FormKind::WalkIn, form }));
    }

    pub(super) fn update_form(&mut self, mut top: FormOverlay, action: Action) {
        match action {
            Action::Back => {
                let dirty = top.form.dirty;
                self.overlays.push(Overlay::Form(top));
                if dirty {
                    self.ask(self.texts.t("confirm.discard_form").to_owned(), ConfirmAction::DiscardForm);
                } else {
                    self.overlays.pop();
                }
                return;
            }
            Action::Save => {
                let kept = match top.kind {
                    FormKind::WalkIn => self.save_walk_in(top.form),
                    FormKind::User => self.save_user(top.form),
                    FormKind::Session => return self.save_session_form(top),
                    FormKind::CancelSession => return self.save_cancel_form(top),
                    FormKind::Referral | FormKind::ReferralIn => return self.save_referral_form(top),
                    FormKind::Scores => return self.save_scores_form(top),
                    FormKind::Period => return self.save_period_form(top),
                    _ => return self.save_file_form(top),
                };
                if let Some(form) = kept {
                    self.overlays.push(Overlay::Form(FormOverlay { kind: top.kind, form }));
                }
                return;
            }
            Action::FindCouple if top.kind == FormKind::WalkIn => {
                top.form.focus_on(FieldId::Couple);
                self.overlays.push(Overlay::Form(top));
                self.open_find(FindPurpose::LinkToForm);
                return;
            }
            Action::NextField => top.form.move_focus(true),
            Action::PrevField => top.form.move_focus(false),
            Action::Edit(op) => {
                top.form.edit(op);
                if top.kind == FormKind::WalkIn {
                    sync_visibility(&mut top.form);
                }
                if top.kind == FormKind::Session {
                    top.form.pinned = None;
                    self.overlays.push(Overlay::Form(top));
                    return self.describe_when();
                }
            }
            Action::NextFreeSlot if top.kind == FormKind::Session => {
                self.overlays.push(Overlay::Form(top));
                return self.propose_next_slot();
            }
            Action::Paste(text) => {
                if let Err(e) = top.form.paste(&text) {
                    let message = match e.max {
                        Some(max) => self.texts.f(e.key, &[("max", &max)]),
                        None => self.texts.t(e.key).to_owned(),
                    };
                    self.flash = Some(super::Flash { text: message, error: true, at: self.now });
                }
            }
            Action::Enter => match top.form.enter() {
                FormEffect::None => {}
                FormEffect::OpenChoice(id) => {
                    let picker = self.choice_picker(&top.form, id);
                    self.overlays.push(Overlay::Form(top));
                    if let Some(p) = picker {
                        self.overlays.push(Overlay::Picker(p));
                    }
                    return;
                }
                FormEffect::FindCouple => {
                    self.overlays.push(Overlay::Form(top));
                    self.open_find(FindPurpose::LinkToForm);
                    return;
                }
            },
            _ => {}
        }
        self.overlays.push(Overlay::Form(top));
    }

    fn choice_picker(&self, form: &Form, id: FieldId) -> Option<Picker> {
        let choice = form.choice(id)?;
        let items = choice
            .options
            .iter()
            .map(|(_, key)| PickItem { label: self.texts.t(key).to_owned(), remark: None })
            .collect();
        let title = form.field(id).map_or("walk_in.title", |f| f.label);
        Some(Picker { title, items, selected: choice.selected, purpose: PickPurpose::FormChoice(id) })
    }

    pub(super) fn update_find(&mut self, mut find: Find, action: Action) {
        match action {
            Action::Back => return,
            Action::Enter => {
                let Some(couple) = find.results.get(find.selected).cloned() else {
                    return self.overlays.push(Overlay::Find(find));
                };
                match find.purpose {
                    FindPurpose::OpenFile => self.open_file(couple.id),
                    FindPurpose::LinkToForm => {
                        if let Some(Overlay::Form(f)) = self.overlays.last_mut() {
                            link(&mut f.form, couple);
                        }
                    }
                }
                return;
            }
            Action::Edit(op) => {
                let request = input_request(op);
                if find.input.value().chars().count() < NAME_MAX || !matches!(op, EditOp::Insert(_)) {
                    find.input.handle(request);
                }
                self.search(&mut find);
            }
            Action::Paste(text) if !text.contains(['\n', '\r']) && text.chars().count() <= NAME_MAX => {
                let value = format!("{}{}", find.input.value(), text);
                find.input = Input::new(value);
                self.search(&mut find);
            }
            other => find.selected = overlay::step(find.selected, find.results.len(), &other),
        }
        self.overlays.push(Overlay::Find(find));
    }

    fn search(&mut self, find: &mut Find) {
        match self.store.find_couples(find.input.value(), FIND_LIMIT) {
            Ok(results) => {
                find.results = results;
                find.selected = 0;
            }
            Err(e) => self.show_error(&e),
        }
    }

    /// The first existing file with a partner of the same name, if any.
    fn first_duplicate(&mut self, partners: &[PersonName]) -> Option<crate::domain::couple::CoupleSummary> {
        let found = self.store.possible_duplicates(partners, &[]);
        match found {
            Ok(ids) => ids.first().and_then(|id| self.store.couple_summary(*id).ok()),
            Err(e) => {
                self.show_error(&e);
                None
            }
        }
    }

    /// Checks and saves the walk-in form; returns it when it must stay open (with its problems marked).
    fn save_walk_in(&mut self, mut form: Form) -> Option<Form> {
        form.clear_errors();
        let couple = match linked(&form) {
            Some(c) => Some(CoupleRef::Existing(c.id)),
            None => partners(&mut form).map(CoupleRef::New),
        };
        let note = form.checked_text(FieldId::Note);
        let request = form.choice(FieldId::Request).and_then(|c| Request::from_code(c.code()));
        let source = form.choice(FieldId::Source).and_then(|c| Source::from_code(c.code()));
        let (Some(couple), Some(note), Some(request), Some(source)) = (couple, note, request, source) else {
            form.focus_first_error();
            return Some(form);
        };
        if let CoupleRef::New(partners) = &couple
            && !form.confirmed
            && let Some(existing) = self.first_duplicate(partners)
        {
            let question = self
                .texts
                .f("confirm.possible_duplicate", &[("file", &existing.file), ("names", &existing.names())]);
            self.overlays.push(Overlay::Form(FormOverlay { kind: FormKind::WalkIn, form }));
            self.overlays.push(Overlay::Confirm(super::Confirm {
                question,
                on_yes: ConfirmAction::UseFile(existing),
                on_no: Some(ConfirmAction::NewFileAnyway),
            }));
            return None;
        }
        let walk_in = NewWalkIn { couple, attendance: attendance(&form), request, source, note };
        let user = self.user.as_ref().map(|u| u.id);
        match self.store.register_walk_in(&walk_in, self.now, user) {
            Ok(id) => {
                self.reload_queue();
                // The file on screen (a returning couple's) shows the new walk-in in its timeline.
                self.reload_file();
                self.select_walk_in(id);
                if let Ok(w) = self.store.walk_in(id) {
                    self.info(
                        self.texts.f("queue.registered", &[("ticket", &w.ticket), ("file", &w.couple.file)]),
                    );
                }
                None
            }
            Err(e) => {
                // What was typed stays in the form.
                form.message = Some(self.error_text(&e));
                Some(form)
            }
        }
    }
}

/// The partners typed in the form, checked; `None` when a field has a problem (marked on it).
fn partners(form: &mut Form) -> Option<Vec<PersonName>> {
    let first = person(form, [FieldId::Given1, FieldId::Prefix1, FieldId::Surname1]);
    let second_given = form.text(FieldId::Given2).trim().is_empty();
    let second_surname = form.text(FieldId::Surname2).trim().is_empty();
    // One partner came and nothing is known of the other: that is fine.
    let absent_unknown = attendance(form) == Attendance::One && second_given && second_surname;
    if absent_unknown {
        form.set_required(FieldId::Given2, false);
        form.set_required(FieldId::Surname2, false);
        let _ = form.checked_text(FieldId::Prefix2);
        return first.map(|p| vec![p]);
    }
    // A second partner partly typed must be typed whole.
    form.set_required(FieldId::Given2, true);
    form.set_required(FieldId::Surname2, true);
    let second = person(form, [FieldId::Given2, FieldId::Prefix2, FieldId::Surname2]);
    sync_visibility(form);
    Some(vec![first?, second?])
}

fn person(form: &mut Form, [given, prefix, surname]: [FieldId; 3]) -> Option<PersonName> {
    let g = form.checked_text(given);
    let p = form.checked_text(prefix);
    let s = form.checked_text(surname);
    Some(PersonName { given: g?, prefix: p?, surname: s? })
}
