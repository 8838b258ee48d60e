//! What a pane gets when it handles a key or a message (`Ctx`), and what it hands back for the
//! app to carry out (`Effect`). Panes never call each other: they ask through effects.

use chrono::{DateTime, Utc};

use super::panes::{file, log, login, planner, queue, referral, report, users};
use super::popups::Overlay;
use crate::action::Pane;
use crate::config::Config;
use crate::domain::couple::CoupleSummary;
use crate::domain::file::CoupleFile;
use crate::domain::user::User;
use crate::i18n::Texts;
use crate::store::{Store, StoreError};

/// The world as a pane sees it while it handles one key or message.
pub struct Ctx<'a> {
    pub store: &'a mut Store,
    pub texts: &'a Texts,
    pub config: &'a Config,
    pub now: DateTime<Utc>,
    /// Who is signed in; `None` only on the sign-in list.
    pub user: Option<&'a User>,
    /// The couple's file on the desk (open in the file pane), shared by the file, planner and
    /// referral panes.
    pub file: Option<&'a CoupleFile>,
    /// The key of an encrypted database and its slots; `None` for a plain file.
    pub keys: Option<&'a super::keyring::KeyRing>,
    /// The open file's opening could not be logged: it is shown read-only.
    pub unlogged: bool,
}

impl Ctx<'_> {
    /// A store error in the user's words, without personal data.
    pub fn error_text(&self, e: &StoreError) -> String {
        super::messages::error_text(self.texts, self.file, e)
    }

    /// A message for the user from a text key.
    pub fn t(&self, key: &str) -> String {
        self.texts.t(key).to_owned()
    }

    /// Gives `user` a key slot for `password` (an encrypted file only); says so when it fails.
    pub fn set_slot(&self, user: &User, password: &str) -> Effects {
        match self.keys.map(|k| k.set_slot(user, password)) {
            Some(Err(_)) => vec![Effect::Error(self.t("keys.slot_failed"))],
            _ => Vec::new(),
        }
    }

    /// While the file on the desk has an open concern, the question to ask before something that
    /// brings both partners together (`what`: `plan` or `refer`), carrying `on_yes`. A counsellor
    /// or the coordinator is told there is a *zorgsignaal*; a receptionist only that the couple
    /// is received separately.
    pub fn apart_question(&self, what: &str, on_yes: Msg) -> Option<Effect> {
        if !self.file.is_some_and(|f| f.receive_apart) {
            return None;
        }
        let sees = self.user.is_some_and(|u| u.may(crate::domain::user::Role::sees_concern));
        let key =
            if sees { format!("confirm.apart_{what}_concern") } else { format!("confirm.apart_{what}") };
        Some(Effect::Open(super::popups::Confirm::ask(self.t(&key), on_yes)))
    }

    /// Whether saves are refused: the database is open read-only, or the open file's opening
    /// could not be logged.
    pub fn read_only(&self) -> bool {
        self.store.is_read_only() || self.unlogged
    }

    /// The text that says why a save is refused while [`Ctx::read_only`].
    pub fn read_only_key(&self) -> &'static str {
        if self.store.is_read_only() { "error.read_only" } else { "file.unlogged_read_only" }
    }
}

/// A message to one pane: what a popup hands back, or another pane's request.
#[derive(Debug, Clone)]
pub enum Msg {
    Login(login::Msg),
    Queue(queue::Msg),
    File(file::Msg),
    Planner(planner::Msg),
    Referral(referral::Msg),
    Report(report::Msg),
    Users(users::Msg),
    Log(log::Msg),
    /// To the form on top.
    Form(FormMsg),
    /// To the app itself.
    App(AppMsg),
}

/// What a popup hands back to the form below it.
#[derive(Debug, Clone)]
pub enum FormMsg {
    /// An option of a choice field was picked: (field, option).
    Choose(usize, usize),
    /// A couple was picked to link the form to.
    Link(CoupleSummary),
}

/// What only the app can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppMsg {
    Quit,
    /// Close the form (or notes) on top without saving.
    Discard,
    /// Someone else changed the file: drop the form below and read the file again.
    ReloadFile,
    /// Open a couple's file (the access is logged).
    OpenFile(i64),
}

/// What a pane asks the app to do after a key or a message, carried out in order.
#[derive(Debug)]
pub enum Effect {
    /// A message on the message line.
    Info(String),
    /// A refusal or problem on the message line.
    Error(String),
    /// Put a popup on top.
    Open(Overlay),
    /// The form (or notes) on top was saved: close it.
    CloseForm,
    /// The form (or notes) on top was not saved: it stays, with this message on it.
    FormMessage(String),
    /// Open a couple's file on the desk and show it.
    OpenFile(i64),
    /// Read the open file (and what hangs on it) again.
    ReloadFile,
    /// Read everything on screen again.
    Reload,
    /// Bring a pane to the front.
    Show(Pane),
    /// A message for a pane (or the app).
    Send(Msg),
    /// Sign a user in at the desk.
    SignIn(User),
    Quit,
}

/// The effects of one step, built up with small helpers.
pub type Effects = Vec<Effect>;

/// A refusal from a text key, on the message line.
pub fn warn(ctx: &Ctx, key: &str) -> Effects {
    vec![Effect::Error(ctx.t(key))]
}

/// A store error on the message line.
pub fn failed(ctx: &Ctx, e: &StoreError) -> Effects {
    vec![Effect::Error(ctx.error_text(e))]
}
