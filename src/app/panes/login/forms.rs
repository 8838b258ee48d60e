//! The sign-in forms: a password, the first user, a new password, one's own password changed.
//! Each checks what it can before anything is hashed or saved.

use super::{Msg, to_login};
use crate::app::ctx::{Ctx, Effect, Effects};
use crate::app::popups::{Field, Form, FormPopup, Overlay};
use crate::domain::password::{PasswordProblem, Secret, check_new};
use crate::domain::text::NAME_MAX;
use crate::domain::user::User;

/// Which of the sign-in forms, and whose.
#[derive(Debug)]
enum Kind {
    /// Sign in as this user (id).
    Password(i64),
    First,
    ChooseNew(User),
    ChangeOwn(String),
}

#[derive(Debug)]
struct LoginForm {
    kind: Kind,
    form: Form,
}

crate::form_fields!(P { Password });
crate::form_fields!(F { Name, Password, Repeat });
crate::form_fields!(N { Password, Repeat });
crate::form_fields!(C { Old, Password, Repeat });

fn open(kind: Kind, form: Form) -> Effect {
    Effect::Open(Overlay::Form(Box::new(LoginForm { kind, form })))
}

/// Sign in as `user`: their password.
pub(super) fn password(user: &User) -> Effect {
    let mut form = Form::new("login.password_title", vec![Field::secret("login.password")]);
    form.title_name = Some(user.name.clone());
    open(Kind::Password(user.id), form)
}

/// The first user of an empty database: a coordinator, with a password.
pub(super) fn first_user() -> Effect {
    let form = Form::new(
        "user_form.title_first",
        vec![
            Field::text("user_form.name", NAME_MAX, true),
            Field::secret("login.new_password"),
            Field::secret("login.repeat"),
        ],
    );
    open(Kind::First, form)
}

/// A new password, right after signing in.
pub(super) fn choose_new(user: User) -> Effect {
    let form = Form::new(
        "login.choose_title",
        vec![Field::secret("login.new_password"), Field::secret("login.repeat")],
    );
    open(Kind::ChooseNew(user), form)
}

/// One's own password changed: the old one first.
pub(super) fn change_own(user: &User) -> Effect {
    let form = Form::new(
        "login.change_title",
        vec![
            Field::secret("login.old_password"),
            Field::secret("login.new_password"),
            Field::secret("login.repeat"),
        ],
    );
    open(Kind::ChangeOwn(user.name.clone()), form)
}

impl LoginForm {
    fn secret<K: crate::app::popups::FieldKey>(&self, k: K) -> Secret {
        Secret::new(self.form.text(k).to_owned())
    }

    /// A new password and its repetition, checked against the policy and the user's name.
    fn new_password<K: crate::app::popups::FieldKey>(
        &mut self,
        password: K,
        repeat: K,
        name: &str,
    ) -> Option<Secret> {
        let new = self.secret(password);
        let problem = match check_new(&new, name) {
            Err(p) => Some((password, p)),
            Ok(()) if *new != *self.secret(repeat) => Some((repeat, PasswordProblem::Mismatch)),
            Ok(()) => None,
        };
        match problem {
            Some((k, p)) => {
                self.form.set_error(k, p.text_key());
                None
            }
            None => Some(new),
        }
    }
}

impl FormPopup for LoginForm {
    crate::form_access!();

    fn enter_saves(&self) -> bool {
        true
    }

    fn submit(&mut self, _ctx: &mut Ctx) -> Effects {
        let msg = match &self.kind {
            Kind::Password(user) => {
                let user = *user;
                let password = self.secret(P::Password);
                // What was typed goes: a wrong password is typed again whole.
                self.form.set_text(P::Password, "");
                Msg::SignIn { user, password }
            }
            Kind::First => {
                let Some(name) = self.form.checked_text(F::Name) else { return Vec::new() };
                let Some(password) = self.new_password(F::Password, F::Repeat, &name) else {
                    return Vec::new();
                };
                Msg::CreateFirst { name, password }
            }
            Kind::ChooseNew(user) => {
                let user = user.clone();
                let Some(password) = self.new_password(N::Password, N::Repeat, &user.name) else {
                    return Vec::new();
                };
                Msg::ChooseNew { user, password }
            }
            Kind::ChangeOwn(name) => {
                let name = name.clone();
                let old = self.secret(C::Old);
                let Some(new) = self.new_password(C::Password, C::Repeat, &name) else { return Vec::new() };
                Msg::ChangeOwn { old, new }
            }
        };
        vec![Effect::Send(to_login(msg))]
    }
}
