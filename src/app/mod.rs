//! The running program: `App` routes each action to the popup on top or the pane in front, and
//! carries out the effects they hand back. No terminal in here.
//!
//! Each pane lives in `panes/` and owns its state, its messages, its `update`, the replies of
//! the popups it opens and its key bindings. Popups (`popups/`) are generic: each carries the
//! typed reply it hands back. Panes never call each other; they ask through [`Effect`]s.

/// The context for a pane or popup, borrowing the app's fields one by one so that a pane's
/// own state can be borrowed beside it.
macro_rules! ctx {
    ($app:ident) => {
        Ctx {
            store: &mut $app.store,
            texts: &$app.texts,
            config: &$app.config,
            now: $app.now,
            user: $app.user.as_ref(),
            file: $app.file.as_ref(),
            keys: $app.keys.as_ref(),
            unlogged: $app.unlogged,
        }
    };
}

pub mod ctx;
mod effects;
pub mod gate;
pub mod keyring;
mod lock;
mod messages;
pub mod panes;
pub mod popups;

use std::path::Path;

use chrono::{DateTime, Utc};

pub use ctx::{AppMsg, Ctx, Effect, Effects, FormMsg, Msg};
pub use lock::Lock;
pub use messages::{blocked_text, error_text};
pub use panes::file::FilePane;
pub use panes::log::LogState;
pub use panes::login::LoginState;
pub use panes::planner::{PlannerState, PlannerView};
pub use panes::queue::QueueState;
pub use panes::referral::ReferralState;
pub use panes::report::{PeriodChoice, ReportState};
pub use panes::users::UsersState;
pub use popups::{
    Choice, Confirm, Field, FieldError, FieldKind, Find, Form, NotesEditor, Overlay, PickItem, Picker,
};

use crate::action::{Action, Context, Pane};
use crate::config::Config;
use crate::domain::file::CoupleFile;
use crate::domain::user::User;
use crate::i18n::Texts;
use crate::store::{Store, StoreError};

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
    store: Store,
    pub config: Config,
    pub texts: Texts,
    clock: Clock,
    pub now: DateTime<Utc>,
    /// Who is working; `None` while the sign-in list is shown.
    pub user: Option<User>,
    /// The couple's file on the desk, shared by the file, planner and referral panes.
    pub file: Option<CoupleFile>,
    /// The open file's opening could not be logged (full disk, read-only file): it is shown
    /// read-only until a file is opened with its log row written.
    pub unlogged: bool,
    pub pane: Pane,
    pub login: LoginState,
    pub queue: QueueState,
    pub file_pane: FilePane,
    pub planner: PlannerState,
    pub referral: ReferralState,
    pub report: ReportState,
    pub users: UsersState,
    /// The coordinator's access log screen.
    pub log: LogState,
    pub overlays: Vec<Overlay>,
    /// The screen is locked: covered until the user's password is typed again.
    pub lock: Option<Lock>,
    /// When the last key was pressed, for the lock after minutes without one.
    last_key: DateTime<Utc>,
    pub flash: Option<Flash>,
    /// The key of an encrypted database and its slots; `None` for a plain file.
    keys: Option<keyring::KeyRing>,
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
            file: None,
            unlogged: false,
            pane: Pane::Queue,
            login: LoginState::default(),
            queue: QueueState::default(),
            file_pane: FilePane::default(),
            planner: PlannerState::default(),
            referral: ReferralState::default(),
            report: ReportState::default(),
            users: UsersState::default(),
            log: LogState::default(),
            overlays: Vec::new(),
            lock: None,
            last_key: now,
            flash: None,
            keys: None,
            quit: false,
            data_version: 0,
        };
        app.data_version = app.store.data_version().unwrap_or(0);
        let effects = app.login.start(&mut ctx!(app));
        app.apply(effects);
        app
    }

    /// The key of the encrypted database this app works on, to keep its slots in step with the
    /// users. Given before the first user is made or anyone signs in.
    pub fn set_keys(&mut self, keys: keyring::KeyRing) {
        self.keys = Some(keys);
    }

    /// Signs in the user who unlocked the file at the gate, with the password they typed there.
    pub fn sign_in_with(&mut self, user: i64, password: crate::domain::password::Secret) {
        self.apply(vec![Effect::Send(Msg::Login(panes::login::Msg::SignIn { user, password }))]);
    }

    /// Whether saves are refused: the database is open read-only, or the open file's opening
    /// could not be logged.
    pub fn read_only(&self) -> bool {
        self.store.is_read_only() || self.unlogged
    }

    /// The database file, for the status bar.
    pub fn db_path(&self) -> &Path {
        self.store.path()
    }

    /// The app's own connection, for tests that inject faults or check what was saved.
    #[doc(hidden)]
    pub fn store_for_tests(&self) -> &Store {
        &self.store
    }

    /// Executes one action. Errors are shown to the user, never returned: the app keeps running.
    pub fn update(&mut self, action: Action) {
        match action {
            Action::Tick => return self.tick(),
            // A locked desk is not quit from the keyboard: what is open underneath stays.
            Action::ForceQuit if self.locked() => return,
            Action::ForceQuit => return self.request_quit(),
            Action::Lock => return self.lock_now(),
            // Esc over a message only takes the message away (the reflex to dismiss it); the
            // next Esc goes back.
            Action::Back if self.flash.take().is_some() && self.overlays.is_empty() => return,
            _ => self.flash = None,
        }
        // Every key happens now: what it saves carries the time it was pressed.
        self.last_key = (self.clock)();
        self.now = self.last_key;
        if self.locked() {
            return self.update_lock(action);
        }
        let effects = if !self.overlays.is_empty() {
            self.update_popup(action)
        } else if self.user.is_none() {
            self.login.update(action, &mut ctx!(self))
        } else {
            self.update_pane(action)
        };
        self.apply(effects);
    }

    /// The key contexts in priority order: the popup on top consumes keys first.
    pub fn contexts(&self) -> Vec<Context> {
        if self.locked() {
            return vec![Context::Lock];
        }
        match self.overlays.last() {
            Some(top) => vec![top.context()],
            None => self.base_contexts(),
        }
    }

    /// The contexts of the screen under any help: what the help overlay explains.
    pub fn help_contexts(&self) -> Vec<Context> {
        match self.overlays.iter().rev().find(|o| !matches!(o, Overlay::Help)) {
            Some(below) => vec![below.context()],
            None => self.base_contexts(),
        }
    }

    fn base_contexts(&self) -> Vec<Context> {
        if self.user.is_none() {
            return vec![Context::Login];
        }
        let pane = match self.pane {
            Pane::Queue => Context::Queue,
            Pane::File => Context::File,
            Pane::Planner => Context::Planner,
            Pane::Referral => Context::Referral,
            Pane::Report => Context::Report,
            Pane::Users => Context::Users,
            Pane::Log => Context::Log,
        };
        vec![pane, Context::Global]
    }

    /// Whether a form with unsaved changes is open.
    pub fn has_unsaved_form(&self) -> bool {
        self.overlays.iter().any(Overlay::unsaved)
    }

    fn request_quit(&mut self) {
        if self.has_unsaved_form() && !matches!(self.overlays.last(), Some(Overlay::Confirm(_))) {
            let question = self.texts.t("confirm.quit_unsaved").to_owned();
            self.overlays.push(Confirm::ask(question, Msg::App(AppMsg::Quit)));
        } else {
            self.quit = true;
        }
    }

    fn tick(&mut self) {
        self.now = (self.clock)();
        if self.flash.as_ref().is_some_and(|f| (self.now - f.at).num_seconds() >= FLASH_SECONDS) {
            self.flash = None;
        }
        if !self.locked() && self.idle_since(self.now) {
            self.lock_now();
        }
        // data_version changes only when another connection commits: a cheap check, no table read.
        match self.store.data_version() {
            Ok(v) if v != self.data_version => {
                self.data_version = v;
                self.apply(vec![Effect::Reload]);
            }
            Ok(_)
                if self.user.is_some()
                    && self.queue.day != Some(crate::domain::walkin::desk_day(self.now)) =>
            {
                self.apply(vec![Effect::Reload]);
            }
            Ok(_) => {}
            Err(e) => self.show_error(&e),
        }
        let effects = self.report.poll(&mut ctx!(self));
        self.apply(effects);
    }

    fn update_pane(&mut self, action: Action) -> Effects {
        match action {
            Action::Help => vec![Effect::Open(Overlay::Help)],
            Action::Quit => vec![Effect::Quit],
            Action::SwitchUser => {
                self.sign_out();
                Vec::new()
            }
            Action::ChangePassword => LoginState::change_own(&ctx!(self)),
            Action::Find => vec![Effect::Open(Overlay::Find(Find::open_file()))],
            // Esc on a pane goes back to the desk's home, the queue (a popup or a message goes
            // with it first).
            Action::Back if self.pane != Pane::Queue => vec![Effect::Show(Pane::Queue)],
            Action::SwitchPane(i) => match Pane::ALL.get(i) {
                Some(pane) => vec![Effect::Show(*pane)],
                None => Vec::new(),
            },
            other => {
                let ctx = &mut ctx!(self);
                match self.pane {
                    Pane::Queue => self.queue.on_key(other, ctx),
                    Pane::File => self.file_pane.on_key(other, ctx),
                    Pane::Planner => self.planner.on_key(other, ctx),
                    Pane::Referral => self.referral.on_key(other, ctx),
                    Pane::Report => self.report.on_key(other, ctx),
                    Pane::Users => self.users.on_key(other, ctx),
                    Pane::Log => self.log.on_key(other, ctx),
                }
            }
        }
    }

    fn update_popup(&mut self, action: Action) -> Effects {
        if action == Action::Help && !matches!(self.overlays.last(), Some(Overlay::Help)) {
            return vec![Effect::Open(Overlay::Help)];
        }
        let Some(top) = self.overlays.last_mut() else { return Vec::new() };
        let (after, effects) = popups::update(top, action, &mut ctx!(self));
        if let popups::After::Close = after {
            self.overlays.pop();
        }
        effects
    }

    fn show_error(&mut self, e: &StoreError) {
        let text = error_text(&self.texts, self.file.as_ref(), e);
        self.flash = Some(Flash { text, error: true, at: self.now });
    }

    /// A referral party's name for its code.
    pub fn party_name(&self, code: &str) -> String {
        panes::referral::party_name(&self.config, code, self.texts.lang())
    }

    /// A conversation's time span in words.
    pub fn span_text(&self, start: DateTime<Utc>) -> String {
        panes::planner::span_text(&self.texts, start)
    }

    /// Why a referral cannot be sent yet, naming the partners of the open file.
    pub fn blocked_text(&self, blocked: &crate::domain::referral::Blocked) -> String {
        blocked_text(&self.texts, self.file.as_ref(), blocked)
    }
}
