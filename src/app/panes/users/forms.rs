//! The users screen's forms: a new user (name, roles, a first password), roles, a reset password.

use super::{Msg, to_users};
use crate::app::ctx::{Ctx, Effect, Effects};
use crate::app::popups::{Choice, Field, Form, FormPopup, Overlay};
use crate::domain::password::{Secret, check_new};
use crate::domain::text::NAME_MAX;
use crate::domain::user::{Role, User};

/// The answers of a yes/no field, in order.
const NO_YES: [bool; 2] = [false, true];

#[derive(Debug)]
enum Kind {
    Add,
    Roles(User),
    Reset(User),
    Rename(User),
}

#[derive(Debug)]
struct UserForm {
    kind: Kind,
    form: Form,
}

crate::form_fields!(
    /// The new-user form; the role fields are read by their place (one per role, in order).
    #[allow(dead_code)]
    A { Name, Receptionist, Counsellor, Coordinator, Password }
);
crate::form_fields!(
    /// The roles form: one yes/no per role, in order.
    #[allow(dead_code)]
    R { Receptionist, Counsellor, Coordinator }
);
crate::form_fields!(P { Password });
crate::form_fields!(N { Name });

fn yes_no(on: bool) -> Choice {
    let mut c = Choice::new(vec!["letter.no".to_owned(), "letter.yes".to_owned()]);
    c.selected = usize::from(on);
    c
}

/// One yes/no field per role, in the order of [`Role::ALL`].
fn role_fields(user: Option<&User>) -> Vec<Field> {
    Role::ALL.iter().map(|r| Field::choice(role_label(*r), yes_no(user.is_some_and(|u| u.has(*r))))).collect()
}

fn role_label(role: Role) -> &'static str {
    match role {
        Role::Receptionist => "users.is_receptionist",
        Role::Counsellor => "users.is_counsellor",
        Role::Coordinator => "users.is_coordinator",
    }
}

fn open(kind: Kind, form: Form) -> Effect {
    Effect::Open(Overlay::Form(Box::new(UserForm { kind, form })))
}

pub(super) fn add() -> Effect {
    let mut fields = vec![Field::text("user_form.name", NAME_MAX, true)];
    fields.extend(role_fields(None));
    fields.push(Field::secret("users.first_password"));
    open(Kind::Add, Form::new("user_form.title", fields))
}

pub(super) fn roles(user: &User) -> Effect {
    let mut form = Form::new("users.roles_title", role_fields(Some(user)));
    form.title_name = Some(user.name.clone());
    open(Kind::Roles(user.clone()), form)
}

pub(super) fn rename(user: &User) -> Effect {
    let mut form = Form::new("users.rename_title", vec![Field::text("user_form.name", NAME_MAX, true)]);
    form.title_name = Some(user.name.clone());
    form.set_text(N::Name, &user.name);
    open(Kind::Rename(user.clone()), form)
}

pub(super) fn reset(user: &User) -> Effect {
    let mut form = Form::new("users.reset_title", vec![Field::secret("users.first_password")]);
    form.title_name = Some(user.name.clone());
    open(Kind::Reset(user.clone()), form)
}

impl UserForm {
    /// The roles answered yes, starting at the field of the first role; at least one.
    fn chosen_roles(&mut self, first: usize) -> Option<Vec<Role>> {
        let roles: Vec<Role> = Role::ALL
            .iter()
            .enumerate()
            .filter(|(i, _)| self.form.chosen(Index(first + i), &NO_YES) == Some(true))
            .map(|(_, r)| *r)
            .collect();
        if roles.is_empty() {
            self.form.set_error(Index(first), "users.no_role");
            return None;
        }
        Some(roles)
    }

    /// A first password, checked like any other against the user's name.
    fn first_password<K: crate::app::popups::FieldKey>(&mut self, k: K, name: &str) -> Option<Secret> {
        let password = Secret::new(self.form.text(k).to_owned());
        match check_new(&password, name) {
            Ok(()) => Some(password),
            Err(p) => {
                self.form.set_error(k, p.text_key());
                None
            }
        }
    }
}

/// A field by its place in the form.
#[derive(Clone, Copy)]
struct Index(usize);

impl crate::app::popups::FieldKey for Index {
    fn index(self) -> usize {
        self.0
    }
}

impl FormPopup for UserForm {
    crate::form_access!();

    fn submit(&mut self, _ctx: &mut Ctx) -> Effects {
        let msg = match &self.kind {
            Kind::Add => {
                let name = self.form.checked_text(A::Name);
                let roles = self.chosen_roles(A::Receptionist as usize);
                let password = name.as_deref().and_then(|n| self.first_password(A::Password, n));
                let (Some(name), Some(roles), Some(password)) = (name, roles, password) else {
                    return Vec::new();
                };
                Msg::Add { name, roles, password }
            }
            Kind::Roles(user) => {
                let user = user.id;
                let Some(roles) = self.chosen_roles(R::Receptionist as usize) else { return Vec::new() };
                Msg::Roles { user, roles }
            }
            Kind::Rename(user) => {
                let user = user.id;
                let Some(name) = self.form.checked_text(N::Name) else { return Vec::new() };
                Msg::Rename { user, name }
            }
            Kind::Reset(user) => {
                let (id, name) = (user.id, user.name.clone());
                let Some(password) = self.first_password(P::Password, &name) else { return Vec::new() };
                Msg::Reset { user: id, password }
            }
        };
        vec![Effect::Send(to_users(msg))]
    }
}
