//! Who is working: the list of users at start, signing in with a password, the first user of an
//! empty database, choosing a new password, and changing one's own.

mod forms;

use super::super::ctx::{Ctx, Effect, Effects, failed, warn};
use super::super::popups::{Overlay, step};
use crate::action::{Action, Binding, Context, KeyCode, bind, list_keys};
use crate::domain::password::{PasswordHash, Secret};
use crate::domain::user::{SignIn, User};

#[derive(Debug, Clone, Default)]
pub struct LoginState {
    pub users: Vec<User>,
    pub selected: usize,
    /// A line under the list, such as the demo's password.
    pub notice: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Msg {
    /// The first user of an empty database (a coordinator), with their password.
    CreateFirst {
        name: String,
        password: Secret,
    },
    SignIn {
        user: i64,
        password: Secret,
    },
    /// A new password, chosen right after signing in (after a reset, or from before passwords).
    ChooseNew {
        user: User,
        password: Secret,
    },
    /// A signed-in user changes their own password, the old one first.
    ChangeOwn {
        old: Secret,
        new: Secret,
    },
}

fn to_login(msg: Msg) -> super::super::Msg {
    super::super::Msg::Login(msg)
}

/// Hashes a password, or says that it could not be (no randomness on this machine).
fn hashed(password: &str, ctx: &Ctx) -> Result<PasswordHash, Effects> {
    PasswordHash::new(password).ok_or_else(|| vec![Effect::FormMessage(ctx.t("password.no_hash"))])
}

impl LoginState {
    /// At start: the list of users, or on an empty database the form for the first one.
    pub fn start(&mut self, ctx: &mut Ctx) -> Effects {
        let mut effects = self.reload(ctx);
        if matches!(ctx.store.has_users(), Ok(false)) && !ctx.read_only() {
            effects.push(forms::first_user());
        }
        effects
    }

    pub fn reload(&mut self, ctx: &mut Ctx) -> Effects {
        match ctx.store.users() {
            Ok(users) => {
                self.selected = self.selected.min(users.len().saturating_sub(1));
                self.users = users;
                Vec::new()
            }
            Err(e) => failed(ctx, &e),
        }
    }

    pub fn update(&mut self, action: Action, _ctx: &mut Ctx) -> Effects {
        match action {
            Action::Enter => match self.users.get(self.selected) {
                Some(user) => vec![forms::password(user)],
                None => Vec::new(),
            },
            Action::Quit | Action::Back => vec![Effect::Quit],
            Action::Help => vec![Effect::Open(Overlay::Help)],
            other => {
                self.selected = step(self.selected, self.users.len(), &other);
                Vec::new()
            }
        }
    }

    pub fn update_msg(&mut self, msg: Msg, ctx: &mut Ctx) -> Effects {
        match msg {
            Msg::CreateFirst { name, password } => {
                let hash = match hashed(&password, ctx) {
                    Ok(h) => h,
                    Err(effects) => return effects,
                };
                match ctx.store.create_first_user(&name, &hash, ctx.now) {
                    Ok(user) => {
                        let mut effects = vec![Effect::CloseForm];
                        effects.extend(self.reload(ctx));
                        effects.extend(ctx.set_slot(&user, &password));
                        effects.push(Effect::SignIn(user));
                        // The recovery key, once: to be written down and kept in the safe.
                        if let Some(keys) = ctx.keys {
                            let text =
                                ctx.texts.f("keys.recovery_once", &[("key", &keys.recovery_text().as_str())]);
                            effects.push(Effect::Open(Overlay::Notice("keys.recovery_title", text)));
                        }
                        effects
                    }
                    Err(e) => vec![Effect::FormMessage(ctx.error_text(&e))],
                }
            }
            Msg::SignIn { user, password } => match ctx.store.sign_in(user, &password, ctx.now) {
                Ok(SignIn::Welcome(me)) => {
                    let mut effects = vec![Effect::CloseForm];
                    // A user without a slot (after the recovery key or `loket encrypt`) gets one now.
                    if ctx.keys.is_some_and(|k| !k.has_slot(me.id)) {
                        effects.extend(ctx.set_slot(&me, &password));
                    }
                    effects.push(Effect::SignIn(me));
                    effects
                }
                Ok(SignIn::ChooseNew(me)) => vec![Effect::CloseForm, forms::choose_new(me)],
                Ok(SignIn::Wrong) => vec![Effect::FormMessage(ctx.t("login.wrong"))],
                Ok(SignIn::Wait(until)) => {
                    let seconds = (until - ctx.now).num_seconds().max(1);
                    vec![Effect::FormMessage(ctx.texts.f("login.wait", &[("seconds", &seconds)]))]
                }
                Err(e) => vec![Effect::FormMessage(ctx.error_text(&e))],
            },
            Msg::ChooseNew { user, password } => {
                let hash = match hashed(&password, ctx) {
                    Ok(h) => h,
                    Err(effects) => return effects,
                };
                match ctx.store.change_password(&user, None, &hash) {
                    Ok(()) => {
                        let mut effects = vec![Effect::CloseForm, Effect::Info(ctx.t("password.changed"))];
                        effects.extend(ctx.set_slot(&user, &password));
                        effects.push(Effect::SignIn(user));
                        effects
                    }
                    Err(e) => vec![Effect::FormMessage(ctx.error_text(&e))],
                }
            }
            Msg::ChangeOwn { old, new } => {
                let Some(user) = ctx.user.cloned() else { return Vec::new() };
                let hash = match hashed(&new, ctx) {
                    Ok(h) => h,
                    Err(effects) => return effects,
                };
                match ctx.store.change_password(&user, Some(&old), &hash) {
                    Ok(()) => {
                        let mut effects = vec![Effect::CloseForm, Effect::Info(ctx.t("password.changed"))];
                        effects.extend(ctx.set_slot(&user, &new));
                        effects
                    }
                    Err(e) => vec![Effect::FormMessage(ctx.error_text(&e))],
                }
            }
        }
    }

    /// The form to change one's own password (from anywhere, once signed in).
    pub fn change_own(ctx: &Ctx) -> Effects {
        match ctx.user {
            Some(user) if !ctx.read_only() => vec![forms::change_own(user)],
            Some(_) => warn(ctx, ctx.read_only_key()),
            None => Vec::new(),
        }
    }
}

pub fn bindings() -> Vec<Binding> {
    use Context::Login;
    use KeyCode::*;
    let mut b = vec![
        bind(Login, Enter, Action::Enter, "key.login", true),
        bind(Login, Char('q'), Action::Quit, "key.quit", true),
        bind(Login, Char('?'), Action::Help, "key.help", true),
    ];
    b.extend(list_keys(Login));
    b
}
