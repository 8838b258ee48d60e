//! A partner's own note: what one partner told a counsellor alone. Picked by partner, edited in
//! the notes editor under that partner's mark; counsellors only (the store refuses the others).

use super::{Msg, to_file};
use crate::app::ctx::{Ctx, Effect, Effects, warn};
use crate::app::popups::{NotesEditor, Overlay, PickItem, Picker};
use crate::domain::file::CoupleFile;
use crate::domain::user::Role;

/// Which partner's note: straight to the editor for a one-person file, else a pick.
pub(super) fn pick(file: &CoupleFile, ctx: &Ctx) -> Effects {
    if !ctx.user.is_some_and(|u| u.may(Role::reads_notes)) {
        return warn(ctx, "file.notes_not_for_you");
    }
    if ctx.read_only() {
        return warn(ctx, ctx.read_only_key());
    }
    match file.partners.as_slice() {
        [only] => edit(file, only.position, ctx),
        partners => {
            let items = partners
                .iter()
                .map(|p| {
                    let label =
                        ctx.texts.f("inzage.partner_item", &[("n", &p.position), ("name", &p.name.full())]);
                    PickItem::new(label, to_file(Msg::PrivateNoteOf(p.position)))
                })
                .collect();
            vec![Effect::Open(Overlay::Picker(Picker::new("file.pick_private_note", items)))]
        }
    }
}

/// The editor for partner `position`'s own note, with what it holds now.
pub(super) fn edit(file: &CoupleFile, position: u8, ctx: &Ctx) -> Effects {
    let current = file.private_notes.iter().find(|n| n.position == position).map_or("", |n| n.text.as_str());
    // A plain fn per partner: the editor hands back (file, version, text).
    let on_save: fn(i64, i64, String) -> crate::app::ctx::Msg = if position == 1 {
        |couple, version, text| to_file(Msg::SavePrivateNote { couple, position: 1, version, text })
    } else {
        |couple, version, text| to_file(Msg::SavePrivateNote { couple, position: 2, version, text })
    };
    let title = ctx.texts.f("file.private_note_title", &[("n", &position)]);
    let editor = NotesEditor::new(current, file.id, file.version, on_save).titled(title);
    vec![Effect::Open(Overlay::Notes(Box::new(editor)))]
}
