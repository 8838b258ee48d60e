//! The running program's state and `update(action)`: no terminal in here.

mod file;
mod file_forms;
mod form;
mod login;
mod messages;
mod notes;
mod overlay;
mod planner;
mod queue;
mod referral;
mod report;
mod session_form;
mod walkin_form;

use chrono::{DateTime, Utc};

pub use form::{Choice, Field, FieldError, FieldId, FieldKind, Form};
pub use login::LoginState;
pub use notes::NotesEditor;
pub use overlay::{
    Confirm, ConfirmAction, Find, FindPurpose, FormKind, FormOverlay, Overlay, PickItem, PickPurpose, Picker,
};
pub use planner::{PlannerState, PlannerView};
pub use queue::QueueState;
pub use referral::ReferralState;
pub use report::{PeriodChoice, ReportState};

use crate::action::{Action, Pane};
use crate::config::Config;
use crate::domain::user::User;
use crate::i18n::Texts;
use crate::keymap::Context;
use crate::store::Store;

/// Where the current time comes from: the system clock, or a fixed one in tests.
pub type Clock = Box<dyn Fn() -> DateTime<Utc>>;

/// A short message on the line above the key hints, in the user's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub text: String,
    pub error: bool,
    /// When it was shown; it fades after [`FLASH_SECONDS`].
    pub at: DateTime<Utc>,
}

/// How long a message stays on screen when nothing else happens.
pub const FLASH_SECONDS: i64 = 10;

pub struct App {
    pub store: Store,
    pub config: Config,
    pub texts: Texts,
    clock: Clock,
    pub now: DateTime<Utc>,
    /// Who is working; `None` while the login list is shown.
    pub user: Option<User>,
    pub login: LoginState,
    pub pane: Pane,
    pub queue: QueueState,
    /// The couple's file open in the file pane.
    pub file: Option<crate::domain::file::CoupleFile>,
    pub planner: PlannerState,
    pub referral: ReferralState,
    pub report: ReportState,
    /// Each partner's first and last scores in the open file's trajectory.
    pub scores: Vec<crate::domain::scores::ScoreChange>,
    pub overlays: Vec<Overlay>,
    pub flash: Option<Flash>,
    pub quit: bool,
    data_version: i64,
}

impl App {
    pub fn new(store: Store, config: Config, texts: Texts, clock: Clock) -> Self {
        let now = clock();
        let mut app = App {
            store,
            config,
            texts,
            clock,
            now,
            user: None,
            login: LoginState::default(),
            pane: Pane::Queue,
            queue: QueueState::default(),
            file: None,
            planner: PlannerState::default(),
            referral: ReferralState::default(),
            report: ReportState::default(),
            scores: Vec::new(),
            overlays: Vec::new(),
            flash: None,
            quit: false,
            data_version: 0,
        };
        app.data_version = app.store.data_version().unwrap_or(0);
        app.reload_users();
        if app.login.users.is_empty() && !app.store.is_read_only() {
            app.open_user_form(true);
        }
        app
    }

    /// Executes one action. Errors are shown to the user, never returned: the app keeps running.
    pub fn update(&mut self, action: Action) {
        match action {
            Action::Tick => return self.tick(),
            Action::ForceQuit => return self.request_quit(),
            _ => self.flash = None,
        }
        if !self.overlays.is_empty() {
            self.update_overlay(action);
        } else if self.user.is_none() {
            self.update_login(action);
        } else {
            self.update_pane(action);
        }
    }

    /// The key contexts in priority order: the overlay on top consumes keys first.
    pub fn contexts(&self) -> Vec<Context> {
        match self.overlays.last() {
            Some(Overlay::Help) => vec![Context::Help],
            Some(Overlay::Form(_)) => vec![Context::Form],
            Some(Overlay::Picker(_)) => vec![Context::Picker],
            Some(Overlay::Find(_)) => vec![Context::Find],
            Some(Overlay::Confirm(_)) => vec![Context::Confirm],
            Some(Overlay::Notes(_)) => vec![Context::Notes],
            None => self.base_contexts(),
        }
    }

    /// The contexts of the screen under any overlays: what the help overlay explains.
    pub fn help_contexts(&self) -> Vec<Context> {
        let below = self.overlays.iter().rev().find(|o| !matches!(o, Overlay::Help));
        match below {
            Some(Overlay::Form(_)) => vec![Context::Form],
            Some(Overlay::Picker(_)) => vec![Context::Picker],
            Some(Overlay::Find(_)) => vec![Context::Find],
            Some(Overlay::Confirm(_)) => vec![Context::Confirm],
            Some(Overlay::Notes(_)) => vec![Context::Notes],
            _ => self.base_contexts(),
        }
    }

    fn base_contexts(&self) -> Vec<Context> {
        if self.user.is_none() {
            return vec![Context::Login];
        }
        match self.pane {
            Pane::Queue => vec![Context::Queue, Context::Global],
            Pane::File => vec![Context::File, Context::Global],
            Pane::Planner => vec![Context::Planner, Context::Global],
            Pane::Referral => vec![Context::Referral, Context::Global],
            Pane::Report => vec![Context::Report, Context::Global],
        }
    }

    /// Whether a form with unsaved changes is open.
    pub fn has_unsaved_form(&self) -> bool {
        self.overlays.iter().any(|o| match o {
            Overlay::Form(f) => f.form.dirty,
            Overlay::Notes(n) => n.dirty,
            _ => false,
        })
    }

    fn request_quit(&mut self) {
        if self.has_unsaved_form() && !matches!(self.overlays.last(), Some(Overlay::Confirm(_))) {
            self.ask(self.texts.t("confirm.quit_unsaved").to_owned(), ConfirmAction::Quit);
        } else {
            self.quit = true;
        }
    }

    fn ask(&mut self, question: String, on_yes: ConfirmAction) {
        self.overlays.push(Overlay::Confirm(Confirm { question, on_yes, on_no: None }));
    }

    fn tick(&mut self) {
        self.now = (self.clock)();
        if self.flash.as_ref().is_some_and(|f| (self.now - f.at).num_seconds() >= FLASH_SECONDS) {
            self.flash = None;
        }
        // data_version changes only when another connection commits: a cheap check, no table read.
        match self.store.data_version() {
            Ok(v) if v != self.data_version => {
                self.data_version = v;
                self.reload();
            }
            Ok(_) => {
                if self.queue.day != Some(crate::domain::walkin::desk_day(self.now)) && self.user.is_some() {
                    self.reload();
                }
            }
            Err(e) => self.show_error(&e),
        }
    }

    /// Reads again what is on screen, after a save here or a change elsewhere.
    fn reload(&mut self) {
        self.reload_users();
        if self.user.is_some() {
            self.reload_queue();
            self.reload_file();
            self.reload_planner();
            self.reload_referrals();
        }
    }

    fn update_pane(&mut self, action: Action) {
        match action {
            Action::Help => self.overlays.push(Overlay::Help),
            Action::Quit => self.request_quit(),
            Action::SwitchUser => {
                // The next person must not see what the last one had open.
                self.user = None;
                self.file = None;
                self.reload_users();
            }
            Action::Find => self.open_find(FindPurpose::OpenFile),
            Action::SwitchPane(i) => {
                if let Some(pane) = Pane::ALL.get(i) {
                    self.pane = *pane;
                    if self.pane == Pane::Report {
                        self.reload_report();
                    }
                }
            }
            other => match self.pane {
                Pane::Queue => self.update_queue(other),
                Pane::File => self.update_file(other),
                Pane::Planner => self.update_planner(other),
                Pane::Referral => self.update_referral(other),
                Pane::Report => self.update_report(other),
            },
        }
    }

    fn update_overlay(&mut self, action: Action) {
        if action == Action::Help && !matches!(self.overlays.last(), Some(Overlay::Help)) {
            return self.overlays.push(Overlay::Help);
        }
        let Some(top) = self.overlays.pop() else { return };
        match top {
            Overlay::Help => {
                if !matches!(action, Action::Back | Action::Help | Action::Quit) {
                    self.overlays.push(Overlay::Help);
                }
            }
            Overlay::Confirm(confirm) => match action {
                Action::Yes => self.confirmed(confirm.on_yes),
                Action::No | Action::Back => {
                    if let Some(on_no) = confirm.on_no {
                        self.confirmed(on_no);
                    }
                }
                _ => self.overlays.push(Overlay::Confirm(confirm)),
            },
            Overlay::Picker(picker) => self.update_picker(picker, action),
            Overlay::Find(find) => self.update_find(find, action),
            Overlay::Form(form) => self.update_form(form, action),
            Overlay::Notes(editor) => self.update_notes(editor, action),
        }
    }

    fn confirmed(&mut self, on_yes: ConfirmAction) {
        match on_yes {
            ConfirmAction::Quit => self.quit = true,
            ConfirmAction::DiscardForm => {
                if matches!(self.overlays.last(), Some(Overlay::Form(_) | Overlay::Notes(_))) {
                    self.overlays.pop();
                }
            }
            ConfirmAction::CallIn { walk_in, version, counsellor } => {
                self.call_in(walk_in, version, counsellor)
            }
            ConfirmAction::UseFile(couple) => {
                if let Some(Overlay::Form(f)) = self.overlays.last_mut() {
                    walkin_form::link(&mut f.form, couple);
                }
                self.update(Action::Save);
            }
            ConfirmAction::NewFileAnyway => {
                if let Some(Overlay::Form(f)) = self.overlays.last_mut() {
                    f.form.confirmed = true;
                }
                self.update(Action::Save);
            }
            ConfirmAction::ReloadFile => {
                self.overlays.retain(|o| !matches!(o, Overlay::Form(_) | Overlay::Notes(_)));
                self.reload_file();
            }
            ConfirmAction::ClearSafety => self.clear_safety(),
            ConfirmAction::StartUnfunded { couple, counsellor } => self.start_trajectory(couple, counsellor),
            ConfirmAction::EndTrajectory => self.end_trajectory(),
        }
    }

    fn update_picker(&mut self, mut picker: Picker, action: Action) {
        match action {
            Action::Back => {}
            Action::Enter if !picker.items.is_empty() => self.picked(picker.purpose, picker.selected),
            other => {
                picker.selected = overlay::step(picker.selected, picker.items.len(), &other);
                self.overlays.push(Overlay::Picker(picker));
            }
        }
    }

    fn picked(&mut self, purpose: PickPurpose, index: usize) {
        match purpose {
            PickPurpose::CallIn { walk_in, version, counsellors, busy } => {
                let Some(c) = counsellors.get(index) else { return };
                if busy.contains(&c.id) {
                    let question = self.texts.f("confirm.counsellor_busy", &[("name", &c.name)]);
                    self.ask(question, ConfirmAction::CallIn { walk_in, version, counsellor: c.id });
                } else {
                    self.call_in(walk_in, version, c.id);
                }
            }
            PickPurpose::Finish { walk_in, version } => {
                if let Some(outcome) = crate::domain::walkin::Outcome::ALL.get(index) {
                    self.finish(walk_in, version, *outcome);
                }
            }
            PickPurpose::TrajectoryCounsellor(counsellors) => {
                if let Some(c) = counsellors.get(index) {
                    self.trajectory_counsellor_picked(c.id);
                }
            }
            PickPurpose::Attended { session, version } => {
                if let Some(a) = crate::domain::planner::Attended::ALL.get(index) {
                    self.mark_held(session, version, *a);
                }
            }
            PickPurpose::WhenTwice { earlier, later } => {
                if let Some(Overlay::Form(f)) = self.overlays.last_mut() {
                    f.form.pinned = Some(if index == 0 { earlier } else { later });
                }
                self.update(Action::Save);
            }
            PickPurpose::ConsentPartner { referral, version, partners } => {
                if let Some((position, holds)) = partners.get(index) {
                    self.consent_picked(referral, version, *position, *holds);
                }
            }
            PickPurpose::ReferralStatus { referral, version, options } => {
                if let Some(to) = options.get(index) {
                    self.referral_status_picked(referral, version, *to);
                }
            }
            PickPurpose::FileStatus(options) => {
                if let Some(to) = options.get(index) {
                    self.status_picked(*to);
                }
            }
            PickPurpose::FormChoice(field) => {
                if let Some(Overlay::Form(f)) = self.overlays.last_mut() {
                    f.form.select(field, index);
                    if f.kind == FormKind::WalkIn {
                        walkin_form::sync_visibility(&mut f.form);
                    }
                    f.form.move_focus(true);
                }
            }
        }
    }
}
