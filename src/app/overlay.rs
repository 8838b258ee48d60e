//! What can lie on top of a pane: help, a form, a list to pick from, the find popup, a question.
//! The top overlay gets every key first.

use tui_input::Input;

use super::form::{FieldId, Form};
use crate::domain::couple::CoupleSummary;
use crate::domain::user::User;

#[derive(Debug, Clone)]
pub enum Overlay {
    Help,
    Form(FormOverlay),
    Picker(Picker),
    Find(Find),
    Confirm(Confirm),
    Notes(Box<super::notes::NotesEditor>),
}

/// Which form is open, so that saving knows what to do with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    WalkIn,
    User,
    FileDetails,
    LifeEvent,
    Close,
    Safety,
    /// A conversation of the open trajectory.
    Session,
    /// Cancelling a conversation: its reason.
    CancelSession,
    /// A referral out.
    Referral,
    /// Recording who referred a couple in.
    ReferralIn,
    /// Both partners' scores at a conversation.
    Scores,
    /// The report's period.
    Period,
}

#[derive(Debug, Clone)]
pub struct FormOverlay {
    pub kind: FormKind,
    pub form: Form,
}

/// One line of a pick list: its label and an optional remark ("in gesprek").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickItem {
    pub label: String,
    pub remark: Option<String>,
}

/// What picking an item means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickPurpose {
    /// Hand a walk-in to one of these counsellors.
    CallIn { walk_in: i64, version: i64, counsellors: Vec<User>, busy: Vec<i64> },
    /// Finish a walk-in's conversation with one of these outcomes.
    Finish { walk_in: i64, version: i64 },
    /// Set a choice field of the form below.
    FormChoice(FieldId),
    /// Move the open file to one of these statuses.
    FileStatus(Vec<crate::domain::file::FileStatus>),
    /// Start the open file's trajectory with one of these counsellors.
    TrajectoryCounsellor(Vec<User>),
    /// Mark a conversation held: who attended.
    Attended { session: i64, version: i64 },
    /// Record or withdraw a partner's consent to a referral: (position, consents now).
    ConsentPartner { referral: i64, version: i64, partners: Vec<(u8, bool)> },
    /// Move a referral to one of these statuses.
    ReferralStatus { referral: i64, version: i64, options: Vec<crate::domain::referral::ReferralStatus> },
    /// The typed time exists twice (autumn): which one.
    WhenTwice { earlier: chrono::DateTime<chrono::Utc>, later: chrono::DateTime<chrono::Utc> },
}

#[derive(Debug, Clone)]
pub struct Picker {
    /// Text key of the title.
    pub title: &'static str,
    pub items: Vec<PickItem>,
    pub selected: usize,
    pub purpose: PickPurpose,
}

/// What picking a couple in the find popup does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FindPurpose {
    /// Open the couple's file.
    #[default]
    OpenFile,
    /// Link the walk-in form below to the couple's file.
    LinkToForm,
}

/// The find-a-couple popup: a search field with the couples that match as you type.
#[derive(Debug, Clone, Default)]
pub struct Find {
    pub input: Input,
    pub results: Vec<CoupleSummary>,
    pub selected: usize,
    pub purpose: FindPurpose,
}

/// What a yes to a question does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmAction {
    Quit,
    /// Close the form on top without saving.
    DiscardForm,
    /// Hand the walk-in to a counsellor who is already in a conversation.
    CallIn {
        walk_in: i64,
        version: i64,
        counsellor: i64,
    },
    /// Save the walk-in form below for this existing file instead of a new one.
    UseFile(CoupleSummary),
    /// Save the walk-in form below as a new file after all.
    NewFileAnyway,
    /// Someone else changed the file: drop the form (or notes) below and read the file again.
    ReloadFile,
    /// Clear the open file's safety concern.
    ClearSafety,
    /// Start a trajectory beyond the number funded this year.
    StartUnfunded {
        couple: i64,
        counsellor: i64,
    },
    /// End the open trajectory.
    EndTrajectory,
}

#[derive(Debug, Clone)]
pub struct Confirm {
    /// The question, already in the user's language.
    pub question: String,
    pub on_yes: ConfirmAction,
    /// What a no does, when it is more than closing the question.
    pub on_no: Option<ConfirmAction>,
}

/// Moves a selection in a list of `len` items.
pub fn step(selected: usize, len: usize, action: &crate::action::Action) -> usize {
    use crate::action::Action;
    let last = len.saturating_sub(1);
    match action {
        Action::Up => selected.saturating_sub(1),
        Action::Down => (selected + 1).min(last),
        Action::First => 0,
        Action::Last => last,
        _ => selected.min(last),
    }
}
