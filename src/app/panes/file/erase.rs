//! Erasing a closed file by hand (a coordinator only): the file's number typed again confirms it.
//! A number that is not this file's erases nothing and says so.

use super::{Msg, to_file};
use crate::app::ctx::{Ctx, Effect, Effects};
use crate::app::popups::{Field, Form, FormPopup, Overlay};
use crate::domain::couple::FileNumber;
use crate::domain::file::CoupleFile;

crate::form_fields!(E { Number });

/// The confirmation form: the file it is for, and the number to type.
#[derive(Debug)]
struct EraseForm {
    form: Form,
    couple: i64,
    file: FileNumber,
}

pub(super) fn confirm(file: &CoupleFile, ctx: &Ctx) -> Effect {
    let mut form = Form::new("erase.title", vec![Field::text("erase.number", 12, true)]);
    form.title_name = Some(file.file.to_string());
    form.understood = Some((ctx.t("erase.warning"), true));
    Effect::Open(Overlay::Form(Box::new(EraseForm { form, couple: file.id, file: file.file })))
}

impl FormPopup for EraseForm {
    crate::form_access!();

    fn submit(&mut self, _ctx: &mut Ctx) -> Effects {
        let file = self.file;
        let typed = self.form.parsed(E::Number, |s| match FileNumber::parse(s) {
            Some(n) if n == file => Ok(n),
            Some(_) => Err("erase.wrong_number"),
            None => Err("erase.not_a_number"),
        });
        match typed {
            Some(_) => vec![Effect::Send(to_file(Msg::Erase(self.couple)))],
            None => Vec::new(),
        }
    }

    fn enter_saves(&self) -> bool {
        true
    }
}
