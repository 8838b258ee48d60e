//! Carrying out what the panes and popups ask: the message line, popups, opening and reading
//! the file on the desk, bringing a pane to the front, routing a message to its pane.

use std::collections::VecDeque;

use super::ctx::{AppMsg, Ctx, Effect, Effects, Msg};
use super::popups::{self, Overlay};
use super::{App, Flash};
use crate::action::Pane;
use crate::domain::user::User;
use crate::store::StoreError;

impl App {
    /// Carries out effects in order; a message to a pane may bring more.
    pub(super) fn apply(&mut self, effects: Effects) {
        let mut queue: VecDeque<Effect> = effects.into();
        while let Some(effect) = queue.pop_front() {
            let more = self.apply_one(effect);
            for (i, e) in more.into_iter().enumerate() {
                queue.insert(i, e);
            }
        }
        self.data_version = self.store.data_version().unwrap_or(self.data_version);
    }

    fn apply_one(&mut self, effect: Effect) -> Effects {
        match effect {
            Effect::Info(text) => self.flash = Some(Flash { text, error: false, at: self.now }),
            Effect::Error(text) => self.flash = Some(Flash { text, error: true, at: self.now }),
            Effect::Open(overlay) => self.overlays.push(overlay),
            Effect::CloseForm => {
                if let Some(i) =
                    self.overlays.iter().rposition(|o| matches!(o, Overlay::Form(_) | Overlay::Notes(_)))
                {
                    self.overlays.truncate(i);
                }
            }
            Effect::FormMessage(text) => match self.overlays.last_mut() {
                Some(Overlay::Form(f)) => f.form_mut().message = Some(text),
                _ => self.flash = Some(Flash { text, error: true, at: self.now }),
            },
            Effect::OpenFile(couple) => return self.open_file(couple),
            Effect::ReloadFile => return self.reload_file(),
            Effect::Reload => return self.reload(),
            Effect::Show(pane)
                if pane.coordinator_only() && !self.user.as_ref().is_some_and(User::manages_users) =>
            {
                let key = if pane == Pane::Log { "audit.coordinator_only" } else { "users.coordinator_only" };
                self.flash = Some(Flash { text: self.texts.t(key).to_owned(), error: true, at: self.now });
            }
            Effect::Show(pane) => {
                self.pane = pane;
                match pane {
                    Pane::Report => return self.report.reload(&mut ctx!(self)),
                    Pane::Users => return self.users.reload(&mut ctx!(self)),
                    Pane::Log => return self.log.shown(&mut ctx!(self)),
                    _ => {}
                }
            }
            Effect::Send(msg) => return self.route(msg),
            Effect::SignIn(user) => {
                if self.pane.coordinator_only() && !user.manages_users() {
                    self.pane = Pane::Queue;
                }
                self.user = Some(user);
                let mut effects = self.queue.reload(&mut ctx!(self));
                effects.extend(super::panes::users::due_notice(&mut ctx!(self)));
                return effects;
            }
            Effect::Quit => self.request_quit(),
        }
        Vec::new()
    }

    /// A message to the pane (or popup, or the app) it is for.
    fn route(&mut self, msg: Msg) -> Effects {
        let ctx = &mut ctx!(self);
        match msg {
            Msg::Login(m) => self.login.update_msg(m, ctx),
            Msg::Queue(m) => self.queue.update(m, ctx),
            Msg::File(m) => self.file_pane.update(m, ctx),
            Msg::Planner(m) => self.planner.update(m, ctx),
            Msg::Referral(m) => self.referral.update(m, ctx),
            Msg::Report(m) => self.report.update(m, ctx),
            Msg::Users(m) => self.users.update(m, ctx),
            Msg::Log(m) => self.log.update(m, ctx),
            Msg::Form(m) => {
                if let Some(Overlay::Form(f)) = self.overlays.last_mut() {
                    popups::form::reply(f.as_mut(), m, ctx);
                }
                Vec::new()
            }
            Msg::App(AppMsg::Quit) => {
                self.quit = true;
                Vec::new()
            }
            Msg::App(AppMsg::Discard) => vec![Effect::CloseForm],
            Msg::App(AppMsg::ReloadFile) => {
                self.overlays.retain(|o| !matches!(o, Overlay::Form(_) | Overlay::Notes(_)));
                vec![Effect::ReloadFile]
            }
            Msg::App(AppMsg::OpenFile(couple)) => vec![Effect::OpenFile(couple)],
        }
    }

    /// Opens a couple's file on the desk (the access is logged) and shows it.
    fn open_file(&mut self, couple: i64) -> Effects {
        let Some(user) = self.user.clone() else { return Vec::new() };
        let mut effects = Vec::new();
        // A full disk or a read-only file must not keep a file from being read: then it is shown
        // read-only, and the user is told that its opening could not be logged. Never silently.
        let (opened, unlogged) = match self.store.open_file(couple, &user, self.now) {
            Err(e @ (StoreError::DiskFull | StoreError::ReadOnly)) => {
                let why = if matches!(e, StoreError::DiskFull) { "disk_full" } else { "read_only" };
                let text = self.texts.f(
                    "file.access_not_logged",
                    &[("why", &self.texts.t(&format!("file.not_logged_{why}")))],
                );
                effects.push(Effect::Error(text));
                (self.store.read_file(couple, &user), true)
            }
            other => (other, false),
        };
        match opened {
            Ok(file) => {
                self.file = Some(file);
                self.unlogged = unlogged;
                self.pane = Pane::File;
                self.planner.selected = 0;
                self.referral.selected = 0;
                effects.extend(self.reload_open_file());
            }
            Err(e) => self.show_error(&e),
        }
        effects
    }

    /// Reads the open file again (after a save here or a change elsewhere).
    fn reload_file(&mut self) -> Effects {
        let (Some(user), Some(id)) = (self.user.clone(), self.file.as_ref().map(|f| f.id)) else {
            return Vec::new();
        };
        match self.store.read_file(id, &user) {
            Ok(file) => {
                self.file = Some(file);
                self.reload_open_file()
            }
            Err(StoreError::NotFound) => {
                self.file = None;
                vec![Effect::Error(self.texts.t("file.gone").to_owned())]
            }
            Err(e) => {
                self.show_error(&e);
                Vec::new()
            }
        }
    }

    /// What hangs on the open file: its scores, its trajectory, its referrals.
    fn reload_open_file(&mut self) -> Effects {
        let ctx = &mut ctx!(self);
        let mut effects = self.file_pane.reload(ctx);
        effects.extend(self.planner.reload(ctx));
        effects.extend(self.referral.reload(ctx));
        effects
    }

    /// Reads again what is on screen, after a change elsewhere.
    fn reload(&mut self) -> Effects {
        let mut effects = self.login.reload(&mut ctx!(self));
        if self.user.is_some() {
            effects.extend(self.queue.reload(&mut ctx!(self)));
            effects.extend(self.reload_file());
            if self.file.is_none() {
                effects.extend(self.reload_open_file());
            }
        }
        effects
    }
}
