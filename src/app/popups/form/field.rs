//! A form's fields: their names, kinds (text, a choice of a domain enum, a link to a couple's
//! file), what is wrong with them, and how an edit key reaches the text input.

use tui_input::{Input, InputRequest};

use crate::action::EditOp;
use crate::domain::couple::CoupleSummary;
use crate::domain::text::TextProblem;

/// Names a field of one form: each form has a small enum of its own, in the order of its fields.
pub trait FieldKey: Copy {
    fn index(self) -> usize;
}

/// Declares a form's field names, in the order the form lists its fields.
#[macro_export]
macro_rules! form_fields {
    ($(#[$meta:meta])* $name:ident { $($field:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($field),+ }
        impl $crate::app::popups::form::FieldKey for $name {
            fn index(self) -> usize {
                self as usize
            }
        }
    };
}

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

/// A choice among fixed options, each shown by its text key (or a name from the desk's lists).
/// The form reads it back as the domain value at the same place in the domain's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub labels: Vec<String>,
    pub selected: usize,
}

impl Choice {
    pub fn new(labels: Vec<String>) -> Self {
        Choice { labels, selected: 0 }
    }

    /// The options of a domain enum, by their text keys.
    pub fn of<T: Copy>(all: &[T], key: fn(T) -> String) -> Self {
        Choice::new(all.iter().map(|v| key(*v)).collect())
    }

    pub fn label_key(&self) -> &str {
        self.labels.get(self.selected).map_or("", String::as_str)
    }

    pub(super) fn step(&mut self, forward: bool) {
        let n = self.labels.len().max(1);
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
    pub label: &'static str,
    pub kind: FieldKind,
    pub visible: bool,
    /// A password: shown as dots, never as typed.
    pub masked: bool,
    /// What is wrong, as a text key with its number.
    pub error: Option<FieldError>,
    /// Filled into the label's `{name}`, such as the partner a score is of.
    pub name: Option<String>,
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
    pub fn text(label: &'static str, max: usize, required: bool) -> Self {
        Field {
            label,
            kind: FieldKind::Text { input: Input::default(), max, required },
            visible: true,
            masked: false,
            error: None,
            name: None,
        }
    }

    pub fn choice(label: &'static str, choice: Choice) -> Self {
        Field {
            label,
            kind: FieldKind::Choice(choice),
            visible: true,
            masked: false,
            error: None,
            name: None,
        }
    }

    /// A password field: required, shown as dots.
    pub fn secret(label: &'static str) -> Self {
        Field { masked: true, ..Field::text(label, crate::domain::password::MAX_LENGTH, true) }
    }

    pub fn is_choice(&self) -> bool {
        matches!(self.kind, FieldKind::Choice(_))
    }

    pub fn couple(label: &'static str) -> Self {
        Field { label, kind: FieldKind::Couple(None), visible: true, masked: false, error: None, name: None }
    }

    /// The same field, with `name` in its label's `{name}`.
    pub fn named(self, name: String) -> Self {
        Field { name: Some(name), ..self }
    }
}

/// A key on a one-line text outside a form (the find field, a password on the lock or the gate):
/// typing stops at `max` characters; a paste goes in at the end when it is one line that keeps the
/// text within `max`, and is refused whole otherwise. Returns whether the text changed.
pub fn edit_line(input: &mut Input, action: &crate::action::Action, max: usize) -> bool {
    use crate::action::Action;
    let length = input.value().chars().count();
    match action {
        Action::Edit(op) if length < max || !matches!(op, EditOp::Insert(_)) => {
            input.handle(input_request(*op)).is_some_and(|r| r.value)
        }
        Action::Paste(text) if !text.contains(['\n', '\r']) && length + text.chars().count() <= max => {
            *input = Input::new(format!("{}{}", input.value(), text));
            true
        }
        _ => false,
    }
}
