//! The users screen (*Gebruikers*), for coordinators only: who may work at the desk, in which
//! roles. A coordinator adds users (with a first password), gives roles, resets a password and
//! deactivates a user (never deletes: the history keeps the name). The store checks the same.

mod forms;
mod settings;

use super::super::ctx::{Ctx, Effect, Effects, failed, warn};
use super::super::popups::{Confirm, step};
use crate::action::{Action, Binding, Context, KeyCode, bind, list_keys};
use crate::domain::names::same_name;
use crate::domain::password::{PasswordHash, Secret};
use crate::domain::settings::Setting;
use crate::domain::user::{Role, User};
use crate::store::NewUser;

#[derive(Debug, Clone, Default)]
pub struct UsersState {
    /// Every user, active ones first; `true` for active.
    pub users: Vec<(User, bool)>,
    pub selected: usize,
}

#[derive(Debug, Clone)]
pub enum Msg {
    Add {
        name: String,
        roles: Vec<Role>,
        password: Secret,
    },
    Roles {
        user: i64,
        roles: Vec<Role>,
    },
    Reset {
        user: i64,
        password: Secret,
    },
    Deactivate(i64),
    Reactivate(i64),
    Rename {
        user: i64,
        name: String,
    },
    /// The settings form's values, as typed.
    /// The settings form was saved: the numeric settings as typed, and the closed days (the
    /// desk's with `None`, a counsellor's days off with their id).
    Settings {
        values: Vec<(Setting, String)>,
        closed: Vec<(Option<i64>, std::collections::BTreeSet<chrono::NaiveDate>)>,
    },
}

fn to_users(msg: Msg) -> super::super::Msg {
    super::super::Msg::Users(msg)
}

/// Only a coordinator sees this screen.
pub fn may_open(ctx: &Ctx) -> bool {
    ctx.user.is_some_and(User::manages_users)
}

impl UsersState {
    pub fn selected(&self) -> Option<&(User, bool)> {
        self.users.get(self.selected)
    }

    /// Whether another active user has `user`'s name (folded, as the store compares names): a
    /// duplicate from before names were checked, to be renamed or deactivated.
    pub fn is_duplicate(&self, user: &User) -> bool {
        self.users
            .iter()
            .any(|(other, active)| *active && other.id != user.id && same_name(&other.name, &user.name))
    }

    /// A user's name, with their number where another active user has the same name.
    pub fn name_of(&self, user: &User) -> String {
        if self.is_duplicate(user) { format!("{} (#{})", user.name, user.id) } else { user.name.clone() }
    }

    pub fn reload(&mut self, ctx: &mut Ctx) -> Effects {
        if !may_open(ctx) {
            self.users.clear();
            return Vec::new();
        }
        match ctx.store.all_users() {
            Ok(users) => {
                self.users = users;
                self.selected = self.selected.min(self.users.len().saturating_sub(1));
                Vec::new()
            }
            Err(e) => failed(ctx, &e),
        }
    }

    pub fn on_key(&mut self, action: Action, ctx: &mut Ctx) -> Effects {
        if !may_open(ctx) {
            return warn(ctx, "users.coordinator_only");
        }
        let writes = matches!(
            action,
            Action::NewUser
                | Action::Roles
                | Action::ResetPassword
                | Action::Deactivate
                | Action::Reactivate
                | Action::RenameUser
                | Action::Settings
        );
        if writes && ctx.read_only() {
            return warn(ctx, ctx.read_only_key());
        }
        if action == Action::Reactivate {
            return match self.selected() {
                Some((u, false)) => {
                    let question = ctx.texts.f("users.confirm_reactivate", &[("name", &self.name_of(u))]);
                    vec![Effect::Open(Confirm::ask(question, to_users(Msg::Reactivate(u.id))))]
                }
                _ => warn(ctx, "users.none_inactive"),
            };
        }
        let selected = self.selected().filter(|(_, active)| *active).map(|(u, _)| u.clone());
        match (action, selected) {
            (Action::NewUser, _) => vec![forms::add()],
            (Action::Settings, _) => settings::open(ctx),
            (Action::Roles, Some(u)) => vec![forms::roles(&u)],
            (Action::ResetPassword, Some(u)) => vec![forms::reset(&u)],
            (Action::Deactivate, Some(u)) if ctx.user.is_some_and(|me| me.id == u.id) => {
                warn(ctx, "users.not_yourself")
            }
            (Action::RenameUser, Some(u)) => vec![forms::rename(&u)],
            (Action::Deactivate, Some(u)) => {
                let question = ctx.texts.f("users.confirm_deactivate", &[("name", &self.name_of(&u))]);
                vec![Effect::Open(Confirm::ask(question, to_users(Msg::Deactivate(u.id))))]
            }
            (Action::Roles | Action::ResetPassword | Action::Deactivate | Action::RenameUser, None) => {
                warn(ctx, "users.none_selected")
            }
            (other, _) => {
                self.selected = step(self.selected, self.users.len(), &other);
                Vec::new()
            }
        }
    }

    pub fn update(&mut self, msg: Msg, ctx: &mut Ctx) -> Effects {
        let Some(me) = ctx.user.cloned() else { return Vec::new() };
        let hash = |password: &str| PasswordHash::new(password);
        // What the key slots need after the save: a slot for this user and password, or none.
        let mut slot: Option<(User, Secret)> = None;
        let mut unslot: Option<i64> = None;
        let (result, done, form) = match msg {
            Msg::Add { name, roles, password } => match hash(&password) {
                Some(h) => {
                    let new = NewUser { name: &name, roles: &roles, hash: &h, temporary: true };
                    let added = ctx.store.add_user(&me, new, ctx.now);
                    let result = added.map(|user| slot = Some((user, password)));
                    (result, "users.added", true)
                }
                None => return vec![Effect::FormMessage(ctx.t("password.no_hash"))],
            },
            Msg::Roles { user, roles } => (ctx.store.set_roles(&me, user, &roles), "users.roles_set", true),
            Msg::Reset { user, password } => match hash(&password) {
                Some(h) => {
                    let target = self.users.iter().map(|(u, _)| u).find(|u| u.id == user).cloned();
                    slot = target.map(|u| (u, password));
                    (ctx.store.reset_password(&me, user, &h), "users.reset_done", true)
                }
                None => return vec![Effect::FormMessage(ctx.t("password.no_hash"))],
            },
            Msg::Deactivate(user) => {
                unslot = Some(user);
                (ctx.store.deactivate_user(&me, user), "users.deactivated", false)
            }
            Msg::Reactivate(user) => (ctx.store.reactivate_user(&me, user), "users.reactivated", false),
            Msg::Rename { user, name } => {
                let renamed = ctx.store.rename_user(&me, user, &name);
                if renamed.is_ok()
                    && let Some(keys) = ctx.keys
                    && keys.has_slot(user)
                    && keys.rename_slot(user, &name).is_err()
                {
                    return vec![Effect::CloseForm, Effect::Error(ctx.t("keys.slot_failed")), Effect::Reload];
                }
                (renamed, "users.renamed", true)
            }
            Msg::Settings { values, closed } => {
                let today = crate::domain::walkin::desk_day(ctx.now);
                let result = values
                    .iter()
                    .try_for_each(|(s, v)| ctx.store.set_setting(*s, v, &me, ctx.now).map(drop))
                    .and_then(|()| {
                        closed.iter().try_for_each(|(owner, days)| {
                            ctx.store.set_closed_days(*owner, days, today, &me, ctx.now)
                        })
                    });
                (result, "settings.saved", true)
            }
        };
        match result {
            Ok(()) => {
                let mut effects = if form { vec![Effect::CloseForm] } else { Vec::new() };
                if let Some((user, password)) = &slot {
                    effects.extend(ctx.set_slot(user, password));
                }
                if let (Some(user), Some(keys)) = (unslot, ctx.keys)
                    && keys.remove_slot(user).is_err()
                {
                    effects.push(Effect::Error(ctx.t("keys.slot_failed")));
                }
                effects.extend(self.reload(ctx));
                effects.push(Effect::Info(ctx.t(done)));
                // The sign-in list and the counsellors elsewhere change with it.
                effects.push(Effect::Reload);
                effects
            }
            Err(e) if form => vec![Effect::FormMessage(ctx.error_text(&e))],
            Err(e) => failed(ctx, &e),
        }
    }
}

/// For a coordinator who signs in: how many closed files are past the retention term, if any.
pub fn due_notice(ctx: &mut Ctx) -> Effects {
    if !may_open(ctx) {
        return Vec::new();
    }
    let today = crate::domain::walkin::desk_day(ctx.now);
    match (ctx.store.due_files(today), ctx.store.retention_years()) {
        (Ok(due), Ok(years)) if !due.is_empty() => {
            vec![Effect::Info(ctx.texts.f("retention.due_notice", &[("n", &due.len()), ("years", &years)]))]
        }
        _ => Vec::new(),
    }
}

pub fn bindings() -> Vec<Binding> {
    use Context::Users;
    use KeyCode::*;
    let mut b = vec![
        bind(Users, Char('n'), Action::NewUser, "key.add_user", true),
        bind(Users, Char('r'), Action::Roles, "key.roles", true),
        bind(Users, Char('p'), Action::ResetPassword, "key.reset_password", true),
        bind(Users, Char('x'), Action::Deactivate, "key.deactivate", true),
        bind(Users, Char('a'), Action::Reactivate, "key.reactivate", false),
        bind(Users, Char('e'), Action::RenameUser, "key.rename_user", false),
        bind(Users, Char('s'), Action::Settings, "key.settings", true),
    ];
    b.extend(list_keys(Users));
    b
}
