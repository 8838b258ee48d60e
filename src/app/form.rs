//! Forms: typed fields that edit, validate and say what is wrong.

use tui_input::{Input, InputRequest};

use crate::action::EditOp;
use crate::domain::couple::CoupleSummary;
use crate::domain::text::{TextProblem, checked_line};

/// The tui-input request for an edit key.
pub fn input_request(op: EditOp) -> InputRequest {
    match op {
        EditOp::Insert(c) => InputRequest::InsertChar(c),
        EditOp::Backspace => InputRequest::DeletePrevChar,
        EditOp::Delete => InputRequest::DeleteNextChar,
        EditOp::Left => InputRequest::GoToPrevChar,
        EditOp::Right => InputRequest::GoToNextChar,
        EditOp::WordLeft => InputRequest::GoToPrevWord,
        EditOp::WordRight => InputRequest::GoToNextWord,
        EditOp::Home => InputRequest::GoToStart,
        EditOp::End => InputRequest::GoToEnd,
        EditOp::DeleteWord => InputRequest::DeletePrevWord,
        EditOp::Clear | EditOp::Newline | EditOp::LineUp | EditOp::LineDown => InputRequest::DeleteLine,
    }
}

/// Which field of which form; each form uses its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldId {
    // Walk-in
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
    // User
    UserName,
    Role,
    // File details (per partner: 1 and 2)
    Phone1,
    Email1,
    Year1,
    Wish1,
    Phone2,
    Email2,
    Year2,
    Wish2,
    Children,
    // Life event
    EventKind,
    EventDate,
    // Closing a file
    CloseOutcome,
    CloseDate,
    // Safety concern
    SafetyReason,
    // Referral
    Party,
    Reason,
    CostExplained,
    InsuranceToCheck,
    Shared,
    Summary,
    FollowUp,
    InDate,
    // Scores: partner 1 and 2, three questions each
    Score1a,
    Score1b,
    Score1c,
    Score2a,
    Score2b,
    Score2c,
    // Report period
    PeriodFrom,
    PeriodTo,
    // Conversation
    When,
    Room,
    SessionStatus,
    CancelReason,
}

/// A choice among fixed options, each a code with the text key of its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub options: Vec<(&'static str, String)>,
    pub selected: usize,
}

impl Choice {
    /// Options from a coded enum's values: (code, text key).
    pub fn new(options: Vec<(&'static str, String)>) -> Self {
        Choice { options, selected: 0 }
    }

    pub fn code(&self) -> &'static str {
        self.options.get(self.selected).map_or("", |o| o.0)
    }

    pub fn label_key(&self) -> &str {
        self.options.get(self.selected).map_or("", |o| o.1.as_str())
    }

    fn step(&mut self, forward: bool) {
        let n = self.options.len().max(1);
        self.selected = if forward { (self.selected + 1) % n } else { (self.selected + n - 1) % n };
    }
}

#[derive(Debug, Clone)]
pub enum FieldKind {
    /// One line of text, at most `max` characters after cleaning.
    Text {
        input: Input,
        max: usize,
        required: bool,
    },
    Choice(Choice),
    /// A link to an existing couple's file, picked in the find popup; `None` means a new file.
    Couple(Option<CoupleSummary>),
}

#[derive(Debug, Clone)]
pub struct Field {
    pub id: FieldId,
    pub label: &'static str,
    pub kind: FieldKind,
    pub visible: bool,
    /// Text key of what is wrong, with its arguments already filled in by the form.
    pub error: Option<FieldError>,
}

/// What is wrong with a field, as a text key and an optional number for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError {
    pub key: &'static str,
    pub max: Option<usize>,
}

impl FieldError {
    pub fn new(key: &'static str) -> Self {
        FieldError { key, max: None }
    }
}

impl From<TextProblem> for FieldError {
    fn from(p: TextProblem) -> Self {
        match p {
            TextProblem::Empty => FieldError::new("form.error_required"),
            TextProblem::TooLong { max } => FieldError { key: "form.error_too_long", max: Some(max) },
        }
    }
}

impl Field {
    pub fn text(id: FieldId, label: &'static str, max: usize, required: bool) -> Self {
        Field {
            id,
            label,
            kind: FieldKind::Text { input: Input::default(), max, required },
            visible: true,
            error: None,
        }
    }

    pub fn choice(id: FieldId, label: &'static str, choice: Choice) -> Self {
        Field { id, label, kind: FieldKind::Choice(choice), visible: true, error: None }
    }

    pub fn couple(id: FieldId, label: &'static str) -> Self {
        Field { id, label, kind: FieldKind::Couple(None), visible: true, error: None }
    }
}

/// A form: its fields, which one has focus, and whether anything was changed.
#[derive(Debug, Clone)]
pub struct Form {
    pub title: &'static str,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub dirty: bool,
    /// A message about the whole form (a save that failed), in the user's language.
    pub message: Option<String>,
    /// The user has already answered a question about this save (such as "a file with this
    /// name exists"), so it is not asked again.
    pub confirmed: bool,
    /// A remark shown under the fields, such as what a typed date and time was understood as.
    pub understood: Option<(String, bool)>,
    /// The version of the record as it was when the form opened: a save is checked against it,
    /// so that a change made elsewhere meanwhile is refused, not overwritten.
    pub base_version: Option<i64>,
    /// An instant the user picked when the typed local time existed twice (autumn).
    pub pinned: Option<chrono::DateTime<chrono::Utc>>,
}

/// What the form wants the app to do after a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormEffect {
    None,
    /// Open the list of options of this choice.
    OpenChoice(FieldId),
    /// Open the find-a-couple popup.
    FindCouple,
}

impl Form {
    pub fn new(title: &'static str, fields: Vec<Field>) -> Self {
        Form {
            title,
            fields,
            focus: 0,
            dirty: false,
            message: None,
            confirmed: false,
            understood: None,
            pinned: None,
            base_version: None,
        }
    }

    pub fn field(&self, id: FieldId) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    pub fn field_mut(&mut self, id: FieldId) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.id == id)
    }

    pub fn focused(&self) -> Option<&Field> {
        self.fields.get(self.focus)
    }

    /// The raw text of a text field.
    pub fn text(&self, id: FieldId) -> &str {
        match self.field(id).map(|f| &f.kind) {
            Some(FieldKind::Text { input, .. }) => input.value(),
            _ => "",
        }
    }

    pub fn set_text(&mut self, id: FieldId, value: &str) {
        if let Some(FieldKind::Text { input, .. }) = self.field_mut(id).map(|f| &mut f.kind) {
            *input = Input::new(value.to_owned());
        }
    }

    pub fn choice(&self, id: FieldId) -> Option<&Choice> {
        match self.field(id).map(|f| &f.kind) {
            Some(FieldKind::Choice(c)) => Some(c),
            _ => None,
        }
    }

    pub fn select(&mut self, id: FieldId, index: usize) {
        if let Some(FieldKind::Choice(c)) = self.field_mut(id).map(|f| &mut f.kind)
            && index < c.options.len()
        {
            c.selected = index;
            self.dirty = true;
        }
    }

    pub fn set_visible(&mut self, id: FieldId, visible: bool) {
        if let Some(f) = self.field_mut(id) {
            f.visible = visible;
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

    /// Focus on a field, if it is shown.
    pub fn focus_on(&mut self, id: FieldId) {
        if let Some(i) = self.fields.iter().position(|f| f.id == id && f.visible) {
            self.focus = i;
        }
    }

    /// Enter: a text field moves on, a choice or a link opens its list.
    pub fn enter(&mut self) -> FormEffect {
        match self.focused().map(|f| (&f.kind, f.id)) {
            Some((FieldKind::Choice(_), id)) => FormEffect::OpenChoice(id),
            Some((FieldKind::Couple(_), _)) => FormEffect::FindCouple,
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
                let request = input_request(op);
                if input.handle(request).is_some_and(|r| r.value) {
                    self.dirty = true;
                    field.error = None;
                    // What was said about the last save no longer applies to what is typed now.
                    self.message = None;
                }
            }
            FieldKind::Choice(choice) => match op {
                EditOp::Right | EditOp::Insert(' ') => {
                    choice.step(true);
                    self.dirty = true;
                }
                EditOp::Left => {
                    choice.step(false);
                    self.dirty = true;
                }
                _ => {}
            },
            FieldKind::Couple(_) => {}
        }
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
        field.error = None;
        Ok(())
    }

    /// Cleans and checks a text field; on a problem, records it on the field.
    pub fn checked_text(&mut self, id: FieldId) -> Option<String> {
        let field = self.field_mut(id)?;
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
    pub fn parsed<T>(
        &mut self,
        id: FieldId,
        parse: impl FnOnce(&str) -> Result<T, &'static str>,
    ) -> Option<T> {
        let field = self.field_mut(id)?;
        let FieldKind::Text { input, .. } = &field.kind else { return None };
        match parse(input.value()) {
            Ok(value) => Some(value),
            Err(key) => {
                field.error = Some(FieldError::new(key));
                None
            }
        }
    }

    /// Selects the option with this code in a choice field.
    pub fn select_code(&mut self, id: FieldId, code: &str) {
        let index = self.choice(id).and_then(|c| c.options.iter().position(|(c, _)| *c == code));
        if let Some(i) = index {
            self.select(id, i);
        }
    }

    pub fn set_required(&mut self, id: FieldId, value: bool) {
        if let Some(FieldKind::Text { required, .. }) = self.field_mut(id).map(|f| &mut f.kind) {
            *required = value;
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
#[path = "form_tests.rs"]
mod tests;
