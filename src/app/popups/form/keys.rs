//! Keys on the form on top, and the replies of the popups it opened.

use super::{Field, Form, FormEffect, FormPopup};
use crate::action::{Action, EditOp};
use crate::app::ctx::{AppMsg, Ctx, Effect, Effects, FormMsg, Msg};
use crate::app::popups::form::FieldKind;
use crate::app::popups::{After, Confirm, Find, Overlay, PickItem, Picker};

/// A key on the form on top.
pub fn update(f: &mut dyn FormPopup, action: Action, ctx: &mut Ctx) -> (After, Effects) {
    f.form_mut().note = None;
    let effects = match action {
        Action::Back => {
            if !f.form().dirty {
                return (After::Close, Vec::new());
            }
            vec![Effect::Open(Confirm::ask(ctx.t("confirm.discard_form"), Msg::App(AppMsg::Discard)))]
        }
        Action::Enter if f.enter_saves() && f.form().on_last_field() => return update(f, Action::Save, ctx),
        Action::Save if !f.form().touched && f.must_choose().is_some() => {
            if let Some((field, key)) = f.must_choose() {
                let form = f.form_mut();
                form.clear_errors();
                form.focus = field;
                form.message = Some(ctx.t(key));
            }
            Vec::new()
        }
        Action::Save => {
            f.form_mut().clear_errors();
            let effects = f.submit(ctx);
            if effects.is_empty() {
                f.form_mut().focus_first_error();
            }
            effects
        }
        Action::NextField => {
            f.form_mut().move_focus(true);
            Vec::new()
        }
        Action::PrevField => {
            f.form_mut().move_focus(false);
            Vec::new()
        }
        // A character typed on a choice picks the option it starts; one that starts none is
        // said, never dropped unseen.
        Action::Edit(EditOp::Insert(c)) if f.form().focused().is_some_and(Field::is_choice) => {
            if f.form_mut().choose_by_letter(c, |key| ctx.t(key)) {
                f.form_mut().touched = true;
                f.changed(ctx);
            } else {
                let note = if c.is_whitespace() {
                    ctx.t("form.space_on_choice")
                } else {
                    ctx.texts.f("form.no_option", &[("key", &c)])
                };
                f.form_mut().note = Some(note);
            }
            Vec::new()
        }
        Action::Edit(op) => {
            f.form_mut().edit(op);
            f.changed(ctx);
            Vec::new()
        }
        Action::Paste(text) => match f.form_mut().paste(&text) {
            Ok(()) => {
                f.changed(ctx);
                Vec::new()
            }
            Err(e) => vec![Effect::Error(match e.max {
                Some(max) => ctx.texts.f(e.key, &[("max", &max)]),
                None => ctx.t(e.key),
            })],
        },
        Action::Enter => match f.form_mut().enter() {
            FormEffect::None => Vec::new(),
            FormEffect::OpenChoice(index) => choice_picker(f.form(), index, ctx).into_iter().collect(),
            FormEffect::FindCouple => vec![Effect::Open(Overlay::Find(Find::link_form()))],
        },
        other => f.extra(&other, ctx),
    };
    (After::Keep, effects)
}

/// The list of a choice field's options, handing the picked one back to the form.
fn choice_picker(form: &Form, index: usize, ctx: &Ctx) -> Option<Effect> {
    let field = form.fields.get(index)?;
    let FieldKind::Choice(choice) = &field.kind else { return None };
    let items = choice
        .labels
        .iter()
        .enumerate()
        .map(|(option, key)| PickItem::new(ctx.t(key), Msg::Form(FormMsg::Choose(index, option))))
        .collect();
    Some(Effect::Open(Overlay::Picker(Picker { title: field.label, items, selected: choice.selected })))
}

/// A reply from a popup to the form below it.
pub fn reply(f: &mut dyn FormPopup, msg: FormMsg, ctx: &Ctx) {
    match msg {
        FormMsg::Choose(index, option) => {
            f.form_mut().select_at(index, option);
            f.form_mut().touched = true;
            f.changed(ctx);
            f.form_mut().move_focus(true);
        }
        FormMsg::Link(couple) => {
            f.form_mut().touched = true;
            f.link(couple, ctx);
        }
    }
}
