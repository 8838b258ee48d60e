//! Forms: a popup of fields that edit, check and say what is wrong. Each form is a struct of
//! its own (in the pane that opens it) with a small enum naming its fields; its `submit` turns
//! the fields into a domain value for its pane, or marks the first problem on its field.
//!
//! One convention for every form: the form stays on top while its pane saves; the pane answers
//! with [`Effect::CloseForm`] when it saved, or [`Effect::FormMessage`] (the form stays, with
//! what was typed) when it did not.

mod field;
mod keys;

pub use field::{Choice, Field, FieldError, FieldKey, FieldKind, edit_line, input_request};
pub use keys::{reply, update};
use tui_input::Input;

use crate::action::{Action, EditOp};
use crate::app::ctx::{Ctx, Effects};
use crate::domain::couple::CoupleSummary;
use crate::domain::names::fold;
use crate::domain::text::checked_line;

/// The two accessors of a form struct whose fields are in its `form` field.
#[macro_export]
macro_rules! form_access {
    () => {
        fn form(&self) -> &$crate::app::popups::Form {
            &self.form
        }

        fn form_mut(&mut self) -> &mut $crate::app::popups::Form {
            &mut self.form
        }
    };
}

/// A form on top of a pane: its fields and the rules of the pane that opened it.
pub trait FormPopup: std::fmt::Debug {
    fn form(&self) -> &Form;
    fn form_mut(&mut self) -> &mut Form;
    /// Checks the fields and hands the domain value to the pane that opened the form (as a
    /// message); with a problem, marks it on its field and returns no effects.
    fn submit(&mut self, ctx: &mut Ctx) -> Effects;
    /// After a change: keeps dependent fields in step (which are shown, what a time means).
    fn changed(&mut self, _ctx: &Ctx) {}
    /// A key only this form knows (find a couple, the next free slot).
    fn extra(&mut self, _action: &Action, _ctx: &mut Ctx) -> Effects {
        Vec::new()
    }
    /// Whether a key that only some forms know ([`is_extra`]: find a couple, the next free slot)
    /// does something on this form: help lists it only then.
    fn offers(&self, _extra: &Action) -> bool {
        false
    }
    /// A couple was picked in the find popup opened from this form.
    fn link(&mut self, _couple: CoupleSummary, _ctx: &Ctx) {}
    /// For a form that creates a record: the field to choose on first (its index) and the text
    /// key saying so. Saving such a form before anything was typed or chosen in it (a stray key
    /// and `Ctrl-S`) is refused, so that no record is made of untouched defaults.
    fn must_choose(&self) -> Option<(usize, &'static str)> {
        None
    }
    /// Whether Enter on the last field saves, as in a sign-in (otherwise it moves on).
    fn enter_saves(&self) -> bool {
        false
    }
}

/// Whether `action` is a key only some forms know (handled by [`FormPopup::extra`]).
pub fn is_extra(action: &Action) -> bool {
    matches!(action, Action::FindCouple | Action::NextFreeSlot)
}

/// A form's fields, which one has focus, and whether anything was changed.
#[derive(Debug, Clone)]
pub struct Form {
    pub title: &'static str,
    /// Filled into the title's `{name}`, such as whose password is asked.
    pub title_name: Option<String>,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub dirty: bool,
    /// Something was typed or chosen in the form by the user (not filled in by the program).
    pub touched: bool,
    /// A message about the whole form (a save that failed), in the user's language.
    pub message: Option<String>,
    /// A remark shown under the fields, such as what a typed date and time was understood as
    /// (true: it is a problem).
    pub understood: Option<(String, bool)>,
    /// What the last key did not do (a letter that starts no option of a choice): shown until
    /// the next key.
    pub note: Option<String>,
    /// What goes with the form while it is filled in (the chosen party's facts), shown below the
    /// fields: a title and its lines, in the user's language.
    pub aside: Option<(String, Vec<String>)>,
}

/// What Enter on a field asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormEffect {
    None,
    /// Open the list of options of the choice at this index.
    OpenChoice(usize),
    /// Open the find-a-couple popup.
    FindCouple,
}

impl Form {
    pub fn new(title: &'static str, fields: Vec<Field>) -> Self {
        Form {
            title,
            title_name: None,
            fields,
            focus: 0,
            dirty: false,
            touched: false,
            message: None,
            understood: None,
            note: None,
            aside: None,
        }
    }

    pub fn field<K: FieldKey>(&self, k: K) -> Option<&Field> {
        self.fields.get(k.index())
    }

    pub fn field_mut<K: FieldKey>(&mut self, k: K) -> Option<&mut Field> {
        self.fields.get_mut(k.index())
    }

    pub fn focused(&self) -> Option<&Field> {
        self.fields.get(self.focus)
    }

    /// Whether the field `k` has focus.
    pub fn has_focus<K: FieldKey>(&self, k: K) -> bool {
        self.focus == k.index()
    }

    /// The raw text of the text field with this label (its text key), as typed.
    pub fn value(&self, label: &str) -> Option<&str> {
        self.fields.iter().find(|f| f.label == label).and_then(|f| match &f.kind {
            FieldKind::Text { input, .. } => Some(input.value()),
            _ => None,
        })
    }

    /// The raw text of a text field.
    pub fn text<K: FieldKey>(&self, k: K) -> &str {
        match self.field(k).map(|f| &f.kind) {
            Some(FieldKind::Text { input, .. }) => input.value(),
            _ => "",
        }
    }

    pub fn set_text<K: FieldKey>(&mut self, k: K, value: &str) {
        if let Some(FieldKind::Text { input, .. }) = self.field_mut(k).map(|f| &mut f.kind) {
            *input = Input::new(value.to_owned());
        }
    }

    pub fn choice<K: FieldKey>(&self, k: K) -> Option<&Choice> {
        match self.field(k).map(|f| &f.kind) {
            Some(FieldKind::Choice(c)) => Some(c),
            _ => None,
        }
    }

    /// The domain value chosen in a choice field whose options are `all`, in order.
    pub fn chosen<K: FieldKey, T: Copy>(&self, k: K, all: &[T]) -> Option<T> {
        self.choice(k).and_then(|c| all.get(c.selected).copied())
    }

    /// Selects option `option` of the choice field at `index`.
    pub fn select_at(&mut self, index: usize, option: usize) {
        if let Some(field) = self.fields.get_mut(index)
            && let FieldKind::Choice(c) = &mut field.kind
            && option < c.labels.len()
        {
            c.selected = option;
            field.error = None;
            self.dirty = true;
        }
    }

    /// Selects `value` in a choice field whose options are `all`.
    pub fn select<K: FieldKey, T: PartialEq>(&mut self, k: K, all: &[T], value: &T) {
        if let Some(option) = all.iter().position(|v| v == value) {
            self.select_at(k.index(), option);
        }
    }

    pub fn set_visible<K: FieldKey>(&mut self, k: K, visible: bool) {
        if let Some(f) = self.field_mut(k) {
            f.visible = visible;
        }
    }

    pub fn set_required<K: FieldKey>(&mut self, k: K, value: bool) {
        if let Some(FieldKind::Text { required, .. }) = self.field_mut(k).map(|f| &mut f.kind) {
            *required = value;
        }
    }

    pub fn set_error<K: FieldKey>(&mut self, k: K, key: &'static str) {
        if let Some(f) = self.field_mut(k) {
            f.error = Some(FieldError::new(key));
        }
    }

    /// Moves focus to the next (or previous) visible field, wrapping around.
    pub fn move_focus(&mut self, forward: bool) {
        let n = self.fields.len();
        for step in 1..=n {
            let i = if forward { (self.focus + step) % n } else { (self.focus + n - step) % n };
            if self.fields[i].visible {
                self.focus = i;
                return;
            }
        }
    }

    /// Whether the focus is on the last field that is shown.
    pub fn on_last_field(&self) -> bool {
        self.fields.iter().rposition(|f| f.visible) == Some(self.focus)
    }

    /// Focus on a field, if it is shown.
    pub fn focus_on<K: FieldKey>(&mut self, k: K) {
        if self.fields.get(k.index()).is_some_and(|f| f.visible) {
            self.focus = k.index();
        }
    }

    /// Enter: a text field moves on, a choice or a link opens its list.
    pub fn enter(&mut self) -> FormEffect {
        match self.focused().map(|f| &f.kind) {
            Some(FieldKind::Choice(_)) => FormEffect::OpenChoice(self.focus),
            Some(FieldKind::Couple(_)) => FormEffect::FindCouple,
            _ => {
                self.move_focus(true);
                FormEffect::None
            }
        }
    }

    /// An edit key on the focused field. On a choice, left/right/space step through the options.
    pub fn edit(&mut self, op: EditOp) {
        let Some(field) = self.fields.get_mut(self.focus) else { return };
        match &mut field.kind {
            FieldKind::Text { input, max, .. } => {
                if let EditOp::Insert(_) = op
                    && input.value().chars().count() >= *max
                {
                    field.error = Some(FieldError { key: "form.error_too_long", max: Some(*max) });
                    return;
                }
                if matches!(op, EditOp::Newline | EditOp::LineUp | EditOp::LineDown) {
                    return;
                }
                if input.handle(input_request(op)).is_some_and(|r| r.value) {
                    self.dirty = true;
                    self.touched = true;
                    field.error = None;
                    // What was said about the last save no longer applies to what is typed now.
                    self.message = None;
                }
            }
            // Space never changes a choice: typed on a choice it is answered in `update`.
            FieldKind::Choice(choice) => {
                match op {
                    EditOp::Right => choice.step(true),
                    EditOp::Left => choice.step(false),
                    _ => return,
                }
                // What was wrong with the old choice is no longer shown once it is changed.
                field.error = None;
                self.dirty = true;
                self.touched = true;
            }
            FieldKind::Couple(_) => {}
        }
    }

    /// A character typed on the focused choice: the next option (after the chosen one, going
    /// round) whose label, as `label` writes it, starts with it, in any case and with or without
    /// accents. False, and nothing changed, when no option does.
    pub fn choose_by_letter(&mut self, c: char, label: impl Fn(&str) -> String) -> bool {
        let Some(Field { kind: FieldKind::Choice(choice), error, .. }) = self.fields.get_mut(self.focus)
        else {
            return false;
        };
        let typed = fold(&c.to_string());
        if typed.trim().is_empty() {
            return false;
        }
        let n = choice.labels.len();
        let found = (1..=n)
            .map(|step| (choice.selected + step) % n)
            .find(|i| fold(&label(&choice.labels[*i])).trim_start().starts_with(&typed));
        let Some(option) = found else { return false };
        choice.selected = option;
        *error = None;
        self.dirty = true;
        self.message = None;
        true
    }

    /// A paste into the focused text field. A paste of more than one line, or one that would
    /// make the field too long, is refused whole: nothing is half-inserted and nothing is submitted.
    pub fn paste(&mut self, text: &str) -> Result<(), FieldError> {
        let Some(field) = self.fields.get_mut(self.focus) else { return Ok(()) };
        let FieldKind::Text { input, max, .. } = &mut field.kind else { return Ok(()) };
        if text.contains(['\n', '\r']) {
            return Err(FieldError::new("form.error_multiline_paste"));
        }
        let room = max.saturating_sub(input.value().chars().count());
        if text.chars().take(room + 1).count() > room {
            return Err(FieldError { key: "form.error_too_long", max: Some(*max) });
        }
        let cursor = input.cursor();
        let mut value: Vec<char> = input.value().chars().collect();
        let pasted: Vec<char> = text.chars().collect();
        let at = cursor.min(value.len());
        value.splice(at..at, pasted.iter().copied());
        *input = Input::new(value.into_iter().collect()).with_cursor(at + pasted.len());
        self.dirty = true;
        self.touched = true;
        field.error = None;
        Ok(())
    }

    /// Cleans and checks a text field; on a problem, records it on the field.
    pub fn checked_text<K: FieldKey>(&mut self, k: K) -> Option<String> {
        let field = self.field_mut(k)?;
        let FieldKind::Text { input, max, required } = &field.kind else { return None };
        let required = *required && field.visible;
        match checked_line(input.value(), *max, required) {
            Ok(value) => Some(value),
            Err(problem) => {
                field.error = Some(problem.into());
                None
            }
        }
    }

    /// Checks a text field with `parse`; a problem is marked on the field with its text key.
    pub fn parsed<K: FieldKey, T>(
        &mut self,
        k: K,
        parse: impl FnOnce(&str) -> Result<T, &'static str>,
    ) -> Option<T> {
        let field = self.field_mut(k)?;
        let FieldKind::Text { input, .. } = &field.kind else { return None };
        match parse(input.value()) {
            Ok(value) => Some(value),
            Err(key) => {
                field.error = Some(FieldError::new(key));
                None
            }
        }
    }

    /// Moves focus to the first field with a problem; true when there is one.
    pub fn focus_first_error(&mut self) -> bool {
        if let Some(i) = self.fields.iter().position(|f| f.visible && f.error.is_some()) {
            self.focus = i;
            true
        } else {
            false
        }
    }

    pub fn clear_errors(&mut self) {
        for f in &mut self.fields {
            f.error = None;
        }
        self.message = None;
    }
}

#[cfg(test)]
mod tests;
