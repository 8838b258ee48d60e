//! The desk's settings (for now the retention term), a coordinator's form on the users pane:
//! one field per setting, filled with its value. The store checks each value and logs a change.

use super::{Msg, to_users};
use crate::app::ctx::{Ctx, Effect, Effects, failed};
use crate::app::popups::{Field, FieldKey, Form, FormPopup, Overlay};
use crate::domain::settings::Setting;

#[derive(Debug)]
struct SettingsForm {
    form: Form,
}

/// A field by its place: one per setting, in the order of [`Setting::ALL`].
#[derive(Clone, Copy)]
struct Index(usize);

impl FieldKey for Index {
    fn index(self) -> usize {
        self.0
    }
}

pub(super) fn open(ctx: &Ctx) -> Effects {
    let fields = Setting::ALL.iter().map(|s| Field::text(label(*s), 6, true)).collect();
    let mut form = Form::new("settings.title", fields);
    for (i, setting) in Setting::ALL.iter().enumerate() {
        match ctx.store.setting(*setting) {
            Ok(value) => form.set_text(Index(i), &value.to_string()),
            Err(e) => return failed(ctx, &e),
        }
    }
    form.dirty = false;
    vec![Effect::Open(Overlay::Form(Box::new(SettingsForm { form })))]
}

/// The text key of a setting's field.
fn label(setting: Setting) -> &'static str {
    match setting {
        Setting::RetentionYears => "settings.retention_years",
    }
}

impl FormPopup for SettingsForm {
    crate::form_access!();

    fn submit(&mut self, _ctx: &mut Ctx) -> Effects {
        if !self.form.dirty {
            return vec![Effect::CloseForm];
        }
        let values =
            Setting::ALL.iter().enumerate().map(|(i, s)| (*s, self.form.text(Index(i)).to_owned())).collect();
        vec![Effect::Send(to_users(Msg::Settings(values)))]
    }

    fn enter_saves(&self) -> bool {
        true
    }
}
