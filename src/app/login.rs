//! Who is working: the list of users at start, and adding a user.

use super::form::{Choice, Field, FieldId, Form};
use super::overlay::{FormKind, FormOverlay, Overlay};
use super::{App, overlay};
use crate::action::Action;
use crate::domain::text::NAME_MAX;
use crate::domain::user::{Role, User};

#[derive(Debug, Clone, Default)]
pub struct LoginState {
    pub users: Vec<User>,
    pub selected: usize,
}

impl App {
    pub(super) fn reload_users(&mut self) {
        match self.store.users() {
            Ok(users) => {
                self.login.selected = self.login.selected.min(users.len().saturating_sub(1));
                self.login.users = users;
            }
            Err(e) => self.show_error(&e),
        }
    }

    pub(super) fn update_login(&mut self, action: Action) {
        match action {
            Action::Enter => {
                if let Some(user) = self.login.users.get(self.login.selected).cloned() {
                    self.user = Some(user);
                    self.reload_queue();
                }
            }
            Action::NewUser => {
                if self.store.is_read_only() {
                    self.warn("error.read_only");
                } else {
                    self.open_user_form(false);
                }
            }
            Action::Quit | Action::Back => self.quit = true,
            Action::Help => self.overlays.push(Overlay::Help),
            other => self.login.selected = overlay::step(self.login.selected, self.login.users.len(), &other),
        }
    }

    pub(super) fn open_user_form(&mut self, first: bool) {
        let roles = Role::ALL.iter().map(|r| (r.code(), r.text_key())).collect();
        let title = if first { "user_form.title_first" } else { "user_form.title" };
        let form = Form::new(
            title,
            vec![
                Field::text(FieldId::UserName, "user_form.name", NAME_MAX, true),
                Field::choice(FieldId::Role, "user_form.role", Choice::new(roles)),
            ],
        );
        self.overlays.push(Overlay::Form(FormOverlay { kind: FormKind::User, form }));
    }

    /// Saves the user form; returns the form back when it must stay open.
    pub(super) fn save_user(&mut self, mut form: Form) -> Option<Form> {
        form.clear_errors();
        let name = form.checked_text(FieldId::UserName);
        let role = form.choice(FieldId::Role).and_then(|c| Role::from_code(c.code()));
        let (Some(name), Some(role)) = (name, role) else {
            form.focus_first_error();
            return Some(form);
        };
        let first = self.login.users.is_empty();
        match self.store.add_user(&name, role, self.now) {
            Ok(user) => {
                self.reload_users();
                if let Some(i) = self.login.users.iter().position(|u| u.id == user.id) {
                    self.login.selected = i;
                }
                if first {
                    self.user = Some(user);
                    self.reload_queue();
                }
                None
            }
            Err(e) => {
                form.message = Some(self.error_text(&e));
                Some(form)
            }
        }
    }
}
