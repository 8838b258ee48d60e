//! The concern (*zorgsignaal*) on the file pane: opening one with its signals, and recording the
//! meldcode's next step in one form (date, the step's choice, step 4's five questions, a note).

use chrono::NaiveDate;

use super::{Msg, to_file};
use crate::app::ctx::{Ctx, Effect, Effects, warn};
use crate::app::popups::{Choice, Field, Form, FormPopup, Overlay, PickItem, Picker};
use crate::domain::concern::{
    Answer, Concern, Consulted, Decision, NewStep, QUESTIONS, StepDetail, Talk, Weighing, next_steps,
};
use crate::domain::dates::{format_date, parse_date};
use crate::domain::file::CoupleFile;
use crate::domain::user::Role;
use crate::domain::walkin::desk_day;

/// Longest signals text, step note or answer note.
pub(super) const NOTE_MAX: usize = 200;

/// The concern key (`!`): a counsellor opens a concern, or picks the next step of the open one.
pub(super) fn on_key(file: &CoupleFile, ctx: &mut Ctx) -> Effects {
    if !ctx.user.is_some_and(|u| u.may(Role::records_concern)) {
        return warn(ctx, "concern.counsellor_only");
    }
    let Some(concern) = file.open_concern() else {
        let form = Form::new("concern.open_title", vec![Field::text("concern.signals", NOTE_MAX, true)]);
        return vec![open(form, Target::Open(file.id), 0)];
    };
    let items = next_steps(&concern.done())
        .into_iter()
        .map(|step| {
            let label = ctx.texts.f("concern.record_step", &[("step", &step_name(ctx, step))]);
            PickItem::new(label, to_file(Msg::StepForm { concern: concern.id, step }))
        })
        .collect();
    vec![Effect::Open(Overlay::Picker(Picker::new("concern.pick_step", items)))]
}

/// "4 · Risico afgewogen".
pub fn step_name(ctx: &Ctx, step: u8) -> String {
    format!("{step} · {}", ctx.t(&format!("concern.step_{step}")))
}

crate::form_fields!(K { Date, Choice, A1, N1, A2, N2, A3, N3, A4, N4, A5, N5, Note });

/// The answer and note fields of question `q` (1 to 5).
fn question_fields(q: usize) -> (K, K) {
    use K::*;
    [(A1, N1), (A2, N2), (A3, N3), (A4, N4), (A5, N5)][q - 1]
}

/// The form for step `step` of the open concern `concern`.
pub(super) fn step_form(concern: &Concern, step: u8, ctx: &Ctx) -> Effect {
    let choice = match step {
        2 => Choice::of(Consulted::ALL, Consulted::text_key),
        3 => Choice::of(Talk::ALL, Talk::text_key),
        5 => Choice::of(Decision::ALL, Decision::text_key),
        _ => Choice::new(Vec::new()),
    };
    let choice_label = match step {
        2 => "concern.consulted",
        3 => "concern.talked",
        _ => "concern.decision",
    };
    let mut fields = vec![Field::text("concern.date", 10, true), Field::choice(choice_label, choice)];
    for q in 1..=QUESTIONS {
        let label = ["concern.q1", "concern.q2", "concern.q3", "concern.q4", "concern.q5"][q - 1];
        fields.push(Field::choice(label, Choice::of(Answer::ALL, Answer::text_key)));
        fields.push(Field::text("concern.answer_note", NOTE_MAX, false));
    }
    fields.push(Field::text("concern.note", NOTE_MAX, step == 1));
    let mut form = Form::new("concern.step_title", fields);
    form.title_name = Some(step_name(ctx, step));
    form.set_text(K::Date, &format_date(desk_day(ctx.now)));
    form.set_visible(K::Choice, matches!(step, 2 | 3 | 5));
    for q in 1..=QUESTIONS {
        let (a, n) = question_fields(q);
        form.set_visible(a, step == 4);
        form.set_visible(n, step == 4);
    }
    form.dirty = false;
    open(form, Target::Step(concern.id), step)
}

/// What the concern form saves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// Open a concern for this couple.
    Open(i64),
    /// Record a step of this concern.
    Step(i64),
}

#[derive(Debug)]
struct ConcernForm {
    target: Target,
    step: u8,
    form: Form,
}

fn open(form: Form, target: Target, step: u8) -> Effect {
    Effect::Open(Overlay::Form(Box::new(ConcernForm { target, step, form })))
}

impl ConcernForm {
    fn new_step(&mut self, today: NaiveDate) -> Option<NewStep> {
        let form = &mut self.form;
        let on = form.parsed(K::Date, |s| match parse_date(s, today) {
            Ok(d) if d > today => Err("form.error_future_date"),
            Ok(d) => Ok(d),
            Err(p) => Err(p.text_key()),
        });
        let note = form.checked_text(K::Note);
        let detail = match self.step {
            1 => Some(StepDetail::Mapped),
            2 => form.chosen(K::Choice, Consulted::ALL).map(StepDetail::Consulted),
            3 => form.chosen(K::Choice, Talk::ALL).map(StepDetail::Talked),
            5 => form.chosen(K::Choice, Decision::ALL).map(StepDetail::Decided),
            _ => {
                let mut answers = Vec::new();
                for q in 1..=QUESTIONS {
                    let (a, n) = question_fields(q);
                    let answer = form.chosen(a, Answer::ALL);
                    let note = form.checked_text(n);
                    answers.push(Weighing { answer: answer?, note: note? });
                }
                Some(StepDetail::Weighed(answers))
            }
        };
        Some(NewStep { detail: detail?, on: on?, note: note? })
    }
}

impl FormPopup for ConcernForm {
    crate::form_access!();

    fn submit(&mut self, ctx: &mut Ctx) -> Effects {
        let msg = match self.target {
            Target::Open(couple) => match self.form.checked_text(K::Date) {
                // The open form has one field (the signals), at the place of `Date`.
                Some(signals) => Msg::OpenConcern { couple, signals },
                None => return Vec::new(),
            },
            Target::Step(concern) => match self.new_step(desk_day(ctx.now)) {
                Some(step) => Msg::RecordStep { concern, step },
                None => return Vec::new(),
            },
        };
        vec![Effect::Send(to_file(msg))]
    }
}
