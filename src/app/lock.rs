//! The lock: after some minutes without a key, or at once on Ctrl-L, the screen is covered until
//! the signed-in user types their password again. What was open (a form, the notes) stays as it
//! was underneath; the clock and another desk's changes go on.

use chrono::{DateTime, Duration, Utc};
use tui_input::Input;

use super::popups::form::edit_line;
use super::{App, Ctx};
use crate::action::{Action, Pane};
use crate::domain::access::AccessEvent;
use crate::domain::password::{MAX_LENGTH, Secret};
use crate::domain::user::SignIn;

/// The locked screen's state: the password being typed and what was said about the last try.
#[derive(Debug, Clone, Default)]
pub struct Lock {
    pub input: Input,
    pub message: Option<String>,
}

/// How long the desk may stay without a key: the configured minutes. A debug build takes
/// `LOKET_TEST_LOCK_SECONDS` instead, so that a test of the real binary need not wait minutes
/// (as `LOKET_TEST_FAULT`, it does nothing in a release build).
fn idle_time(minutes: u32) -> Duration {
    let for_tests = cfg!(debug_assertions)
        .then(|| std::env::var("LOKET_TEST_LOCK_SECONDS").ok()?.parse::<i64>().ok())
        .flatten();
    for_tests.map_or_else(|| Duration::minutes(i64::from(minutes)), Duration::seconds)
}

impl App {
    /// Whether the screen is locked.
    pub fn locked(&self) -> bool {
        self.lock.is_some()
    }

    /// Covers the screen (only once someone is signed in). The message line goes too: it may
    /// name a couple.
    pub(super) fn lock_now(&mut self) {
        if self.user.is_some() && self.lock.is_none() {
            self.lock = Some(Lock::default());
            self.flash = None;
            self.log(AccessEvent::Lock);
        }
    }

    /// Whether the desk has been left alone long enough to lock.
    pub(super) fn idle_since(&self, now: DateTime<Utc>) -> bool {
        self.user.is_some() && now - self.last_key >= idle_time(self.config.lock_after_minutes)
    }

    /// A key on the locked screen: the password, Enter to unlock, F2 for another user.
    pub(super) fn update_lock(&mut self, action: Action) {
        let Some(lock) = self.lock.as_mut() else { return };
        match action {
            Action::Edit(_) | Action::Paste(_) => {
                edit_line(&mut lock.input, &action, MAX_LENGTH);
            }
            Action::Enter => self.unlock(),
            Action::SwitchUser => {
                // The session ends: what was open goes, and the next person signs in.
                self.lock = None;
                self.overlays.clear();
                self.sign_out();
            }
            _ => {}
        }
    }

    fn unlock(&mut self) {
        let (Some(lock), Some(user)) = (self.lock.as_mut(), self.user.as_ref()) else { return };
        let password = Secret::new(lock.input.value().to_owned());
        lock.input = Input::default();
        let message = match self.store.sign_in(user.id, &password, self.now) {
            Ok(SignIn::Welcome(_) | SignIn::ChooseNew(_)) => {
                self.lock = None;
                self.log(AccessEvent::Unlock);
                return;
            }
            Ok(SignIn::Wrong) => self.texts.t("login.wrong").to_owned(),
            Ok(SignIn::Wait(until)) => {
                let seconds = (until - self.now).num_seconds().max(1);
                self.texts.f("login.wait", &[("seconds", &seconds)])
            }
            Err(e) => super::error_text(&self.texts, None, &e),
        };
        if let Some(lock) = self.lock.as_mut() {
            lock.message = Some(message);
        }
    }

    /// Records a lock or an unlock; a log that cannot be written is said, the lock holds anyway.
    fn log(&mut self, event: AccessEvent) {
        if self.store.is_read_only() {
            return;
        }
        let user = self.user.clone();
        if let Err(e) = self.store.log_event(event, user.as_ref(), None, "", self.now)
            && self.lock.is_none()
        {
            let text = super::error_text(&self.texts, None, &e);
            self.flash = Some(super::Flash { text, error: true, at: self.now });
        }
    }

    /// Back to the list of users: the next person must not see what the last one had open.
    pub(super) fn sign_out(&mut self) {
        self.user = None;
        self.file = None;
        // The next person starts at the desk's home, the queue, and cannot undo the last one's
        // changes from there.
        self.pane = Pane::Queue;
        self.queue.history.clear();
        self.log = super::LogState::default();
        let effects = self.login.reload(&mut ctx!(self));
        self.apply(effects);
    }
}
