//! The gate: before an encrypted database can be read, someone unlocks it with their own password
//! (their key slot), or with the recovery key when the slots are lost. Then the app opens on it.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use tui_input::Input;

use super::popups::form::edit_line;
use super::popups::step;
use crate::action::{Action, Context};
use crate::domain::password::{MAX_LENGTH, Secret, TRIES_BEFORE_WAIT, WAIT_SECONDS};
use crate::i18n::Texts;
use crate::keys::{DbKey, KeyError, SlotFile, SlotInfo, database_id_of, slots_path};
use crate::store::{Access, Store, StoreError};

/// What is being typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Typing {
    /// Nothing: a name is picked from the list.
    Nothing,
    /// The password of the selected user.
    Password,
    /// The recovery key.
    Recovery,
}

/// An unlocked database: the store, who unlocked it with which password (none with the recovery
/// key), and its key.
pub type Opened = (Store, Option<(i64, Secret)>, DbKey);

pub struct Gate {
    pub texts: Texts,
    pub users: Vec<SlotInfo>,
    pub selected: usize,
    pub typing: Typing,
    pub input: Input,
    pub message: Option<String>,
    slots: Option<SlotFile>,
    db: PathBuf,
    failures: u32,
    wait: Option<Instant>,
    /// The store, opened; with who signed in and their password, to sign them in to the app.
    pub opened: Option<Opened>,
    pub quit: bool,
}

impl Gate {
    /// The gate of the encrypted database at `db`. A missing, damaged or foreign slot file leaves
    /// only the recovery key, and says why.
    pub fn new(db: PathBuf, texts: Texts) -> Gate {
        let mut gate = Gate {
            texts,
            users: Vec::new(),
            selected: 0,
            typing: Typing::Nothing,
            input: Input::default(),
            message: None,
            slots: None,
            db,
            failures: 0,
            wait: None,
            opened: None,
            quit: false,
        };
        let problem = match SlotFile::load(&slots_path(&gate.db)) {
            Ok(slots) if database_id_of(&gate.db).ok() != Some(slots.database_id()) => {
                Some("gate.foreign_slots")
            }
            Ok(slots) if slots.users().is_empty() => Some("gate.no_slots"),
            Ok(slots) => {
                gate.users = slots.users();
                gate.slots = Some(slots);
                None
            }
            Err(KeyError::Missing) => Some("gate.missing_slots"),
            Err(_) => Some("gate.damaged_slots"),
        };
        if let Some(key) = problem {
            gate.message = Some(gate.texts.t(key).to_owned());
            gate.typing = Typing::Recovery;
        }
        gate
    }

    pub fn contexts(&self) -> Vec<Context> {
        match self.typing {
            Typing::Nothing => vec![Context::Gate],
            _ => vec![Context::GateInput],
        }
    }

    pub fn update(&mut self, action: Action) {
        match (self.typing, action) {
            (_, Action::Quit | Action::ForceQuit) => self.quit = true,
            (Typing::Nothing, Action::Enter) if !self.users.is_empty() => {
                self.typing = Typing::Password;
                self.message = None;
            }
            (Typing::Nothing, Action::Recovery) => {
                self.typing = Typing::Recovery;
                self.message = None;
            }
            (Typing::Nothing, other) => self.selected = step(self.selected, self.users.len(), &other),
            (_, Action::Back) if self.slots.is_some() => {
                self.typing = Typing::Nothing;
                self.input = Input::default();
                self.message = None;
            }
            (_, edit @ (Action::Edit(_) | Action::Paste(_))) => {
                edit_line(&mut self.input, &edit, MAX_LENGTH);
            }
            (_, Action::Enter) => self.try_open(),
            _ => {}
        }
    }

    /// Unlocks with what was typed: a user's slot, or the recovery key.
    fn try_open(&mut self) {
        let typed = Secret::new(self.input.value().to_owned());
        self.input = Input::default();
        if let Some(until) = self.wait.filter(|w| *w > Instant::now()) {
            let seconds = until.saturating_duration_since(Instant::now()).as_secs().max(1);
            self.message = Some(self.texts.f("login.wait", &[("seconds", &seconds)]));
            return;
        }
        let user = self.users.get(self.selected).map(|u| u.user);
        let key = match (self.typing, &self.slots, user) {
            (Typing::Recovery, _, _) => {
                DbKey::from_recovery_text(&typed).map_err(|_| "gate.not_a_recovery_key")
            }
            (Typing::Password, Some(slots), Some(user)) => {
                slots.unwrap(user, &typed).map_err(|_| "login.wrong")
            }
            _ => return,
        };
        let opened = key.and_then(|key| match Store::open_with(&self.db, Access::Key(&key)) {
            Ok(store) => Ok((store, key)),
            Err(StoreError::WrongKey) if self.typing == Typing::Recovery => Err("gate.wrong_recovery_key"),
            Err(StoreError::WrongKey) => Err("gate.foreign_slots"),
            Err(_) => Err("gate.cannot_open"),
        });
        match opened {
            Ok((store, key)) => {
                let who = match self.typing {
                    Typing::Password => user.map(|u| (u, typed)),
                    _ => None,
                };
                self.opened = Some((store, who, key));
            }
            Err(text) => {
                self.failures += 1;
                if self.failures >= TRIES_BEFORE_WAIT {
                    self.failures = 0;
                    self.wait = Some(Instant::now() + Duration::from_secs(WAIT_SECONDS.unsigned_abs()));
                }
                self.message = Some(self.texts.t(text).to_owned());
            }
        }
    }
}
