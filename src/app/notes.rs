//! Editing a file's notes: multi-line text in ratatui-textarea, for counsellors and coordinators.

use ratatui_textarea::{CursorMove, TextArea, WrapMode};

use super::{App, ConfirmAction, Flash, Overlay};
use crate::action::{Action, EditOp};

/// The longest notes we keep, in characters: long enough for years of notes, short enough
/// that a runaway paste cannot fill the disk.
pub const NOTES_MAX: usize = 20_000;

/// Whose notes are edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotesTarget {
    /// The couple's file.
    File,
    /// One conversation of a trajectory (counsellors only).
    Session,
}

#[derive(Debug, Clone)]
pub struct NotesEditor {
    pub text: TextArea<'static>,
    pub target: NotesTarget,
    /// The couple's or the conversation's id.
    pub couple: i64,
    pub version: i64,
    pub dirty: bool,
}

impl NotesEditor {
    pub fn for_session(text: &str, session: i64, version: i64) -> Self {
        NotesEditor { target: NotesTarget::Session, ..Self::new(text, session, version) }
    }

    pub fn new(text: &str, couple: i64, version: i64) -> Self {
        let lines =
            if text.is_empty() { vec![String::new()] } else { text.lines().map(str::to_owned).collect() };
        let mut area = TextArea::new(lines);
        area.set_wrap_mode(WrapMode::Word);
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        NotesEditor { text: area, target: NotesTarget::File, couple, version, dirty: false }
    }

    pub fn value(&self) -> String {
        self.text.lines().join("\n")
    }

    fn length(&self) -> usize {
        self.text.lines().iter().map(|l| l.chars().count() + 1).sum()
    }

    fn edit(&mut self, op: EditOp) -> bool {
        let t = &mut self.text;
        match op {
            EditOp::Insert(c) => t.insert_char(c),
            EditOp::Newline => t.insert_newline(),
            EditOp::Backspace => return t.delete_char(),
            EditOp::Delete => return t.delete_next_char(),
            EditOp::DeleteWord => return t.delete_word(),
            EditOp::Clear => return t.delete_line_by_head(),
            EditOp::Left => t.move_cursor(CursorMove::Back),
            EditOp::Right => t.move_cursor(CursorMove::Forward),
            EditOp::WordLeft => t.move_cursor(CursorMove::WordBack),
            EditOp::WordRight => t.move_cursor(CursorMove::WordForward),
            EditOp::Home => t.move_cursor(CursorMove::Head),
            EditOp::End => t.move_cursor(CursorMove::End),
            EditOp::LineUp => t.move_cursor(CursorMove::Up),
            EditOp::LineDown => t.move_cursor(CursorMove::Down),
        }
        matches!(op, EditOp::Insert(_) | EditOp::Newline)
    }
}

/// Cleans notes before saving: NFC, dangerous characters removed per line, lines kept.
pub fn clean_notes(text: &str) -> String {
    let lines: Vec<String> = text.lines().map(crate::domain::text::clean_line).collect();
    lines.join("\n").trim_end().to_owned()
}

impl App {
    pub(super) fn update_notes(&mut self, mut editor: Box<NotesEditor>, action: Action) {
        match action {
            Action::Back => {
                if editor.dirty {
                    self.overlays.push(Overlay::Notes(editor));
                    self.ask(self.texts.t("confirm.discard_form").to_owned(), ConfirmAction::DiscardForm);
                }
                return;
            }
            Action::Save => return self.save_notes(editor),
            Action::Enter => {
                editor.edit(EditOp::Newline);
                editor.dirty = true;
            }
            Action::Edit(op) => {
                if matches!(op, EditOp::Insert(_)) && editor.length() >= NOTES_MAX {
                    self.notes_too_long();
                } else {
                    let deleting =
                        matches!(op, EditOp::Backspace | EditOp::Delete | EditOp::DeleteWord | EditOp::Clear);
                    if editor.edit(op) || deleting {
                        editor.dirty = true;
                    }
                }
            }
            Action::Paste(text) => {
                let text = text.replace("\r\n", "\n").replace('\r', "\n");
                if editor.length() + text.chars().count() > NOTES_MAX {
                    self.notes_too_long();
                } else {
                    editor.text.insert_str(text);
                    editor.dirty = true;
                }
            }
            _ => {}
        }
        self.overlays.push(Overlay::Notes(editor));
    }

    fn notes_too_long(&mut self) {
        let text = self.texts.f("form.error_too_long", &[("max", &NOTES_MAX)]);
        self.flash = Some(Flash { text, error: true, at: self.now });
    }

    fn save_notes(&mut self, editor: Box<NotesEditor>) {
        let Some(user) = self.user.clone() else { return };
        let text = clean_notes(&editor.value());
        let saved = match editor.target {
            NotesTarget::File => self.store.save_notes(editor.couple, editor.version, &text, &user, self.now),
            NotesTarget::Session => self.store.save_session_note(editor.couple, editor.version, &text, &user),
        };
        match saved {
            Ok(()) => {
                self.reload_file();
                self.reload_planner();
                self.info(self.texts.t("file.notes_saved").to_owned());
            }
            Err(e) => {
                let stale = matches!(e, crate::store::StoreError::Stale);
                self.overlays.push(Overlay::Notes(editor));
                if stale {
                    self.ask(self.texts.t("confirm.reload_file").to_owned(), ConfirmAction::ReloadFile);
                } else {
                    self.show_error(&e);
                }
            }
        }
    }
}
