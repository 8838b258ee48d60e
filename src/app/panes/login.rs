//! Who is working: the list of users at start, and adding a user.

use super::super::ctx::{Ctx, Effect, Effects, failed, warn};
use super::super::popups::{Choice, Field, Form, FormPopup, Overlay, step};
use crate::action::{Action, Binding, Context, KeyCode, bind, list_keys};
use crate::domain::text::NAME_MAX;
use crate::domain::user::{Role, User};

#[derive(Debug, Clone, Default)]
pub struct LoginState {
    pub users: Vec<User>,
    pub selected: usize,
}

#[derive(Debug, Clone)]
pub enum Msg {
    /// The user form was filled in.
    AddUser { name: String, role: Role },
}

crate::form_fields!(UserField { Name, Role });

/// The form to add a user.
#[derive(Debug)]
struct UserForm {
    form: Form,
}

impl UserForm {
    fn new(first: bool) -> Self {
        let title = if first { "user_form.title_first" } else { "user_form.title" };
        let form = Form::new(
            title,
            vec![
                Field::text("user_form.name", NAME_MAX, true),
                Field::choice("user_form.role", Choice::of(Role::ALL, Role::text_key)),
            ],
        );
        UserForm { form }
    }
}

impl FormPopup for UserForm {
    fn form(&self) -> &Form {
        &self.form
    }

    fn form_mut(&mut self) -> &mut Form {
        &mut self.form
    }

    fn submit(&mut self, _ctx: &mut Ctx) -> Effects {
        let name = self.form.checked_text(UserField::Name);
        let role = self.form.chosen(UserField::Role, Role::ALL);
        match (name, role) {
            (Some(name), Some(role)) => {
                vec![Effect::Send(super::super::Msg::Login(Msg::AddUser { name, role }))]
            }
            _ => Vec::new(),
        }
    }
}

impl LoginState {
    /// At start: the list of users, or on an empty database the form for the first one.
    pub fn start(&mut self, ctx: &mut Ctx) -> Effects {
        let mut effects = self.reload(ctx);
        if self.users.is_empty() && !ctx.read_only() {
            effects.push(Effect::Open(Overlay::Form(Box::new(UserForm::new(true)))));
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

    pub fn update(&mut self, action: Action, ctx: &mut Ctx) -> Effects {
        match action {
            Action::Enter => match self.users.get(self.selected).cloned() {
                Some(user) => vec![Effect::SignIn(user)],
                None => Vec::new(),
            },
            Action::NewUser if ctx.read_only() => warn(ctx, "error.read_only"),
            Action::NewUser => vec![Effect::Open(Overlay::Form(Box::new(UserForm::new(false))))],
            Action::Quit | Action::Back => vec![Effect::Quit],
            Action::Help => vec![Effect::Open(Overlay::Help)],
            other => {
                self.selected = step(self.selected, self.users.len(), &other);
                Vec::new()
            }
        }
    }

    pub fn update_msg(&mut self, msg: Msg, ctx: &mut Ctx) -> Effects {
        let Msg::AddUser { name, role } = msg;
        let first = self.users.is_empty();
        match ctx.store.add_user(&name, role, ctx.now) {
            Ok(user) => {
                let mut effects = vec![Effect::CloseForm];
                effects.extend(self.reload(ctx));
                if let Some(i) = self.users.iter().position(|u| u.id == user.id) {
                    self.selected = i;
                }
                if first {
                    effects.push(Effect::SignIn(user));
                }
                effects
            }
            Err(e) => vec![Effect::FormMessage(ctx.error_text(&e))],
        }
    }
}

pub fn bindings() -> Vec<Binding> {
    use Context::Login;
    use KeyCode::*;
    let mut b = vec![
        bind(Login, Enter, Action::Enter, "key.login", true),
        bind(Login, Char('n'), Action::NewUser, "key.new_user", true),
        bind(Login, Char('q'), Action::Quit, "key.quit", true),
        bind(Login, Char('?'), Action::Help, "key.help", true),
    ];
    b.extend(list_keys(Login));
    b
}
