//! Multi-line notes in ratatui-textarea: a file's notes or a conversation's. Saving hands the
//! cleaned text back to the pane that opened the editor.

use ratatui_textarea::{CursorMove, TextArea, WrapMode};

use super::{After, Confirm};
use crate::action::{Action, EditOp};
use crate::app::ctx::{AppMsg, Ctx, Effect, Effects, Msg};

/// The longest notes we keep, in characters: long enough for years of notes, short enough
/// that a runaway paste cannot fill the disk.
pub const NOTES_MAX: usize = 20_000;

#[derive(Debug, Clone)]
pub struct NotesEditor {
    pub text: TextArea<'static>,
    /// The record whose notes these are, and its version when the editor opened.
    pub id: i64,
    pub version: i64,
    pub dirty: bool,
    /// What saving hands back: (id, version, cleaned text).
    pub on_save: fn(i64, i64, String) -> Msg,
    /// The editor's title when it is not the file's notes (a partner's own note).
    pub title: Option<String>,
}

impl NotesEditor {
    pub fn new(text: &str, id: i64, version: i64, on_save: fn(i64, i64, String) -> Msg) -> Self {
        let lines =
            if text.is_empty() { vec![String::new()] } else { text.lines().map(str::to_owned).collect() };
        let mut area = TextArea::new(lines);
        area.set_wrap_mode(WrapMode::Word);
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        NotesEditor { text: area, id, version, dirty: false, on_save, title: None }
    }

    /// The same editor under another title.
    pub fn titled(self, title: String) -> Self {
        NotesEditor { title: Some(title), ..self }
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

    pub(super) fn update(&mut self, action: Action, ctx: &mut Ctx) -> (After, Effects) {
        let effects = match action {
            Action::Back if !self.dirty => return (After::Close, Vec::new()),
            Action::Back => {
                vec![Effect::Open(Confirm::ask(ctx.t("confirm.discard_form"), Msg::App(AppMsg::Discard)))]
            }
            Action::Save => {
                vec![Effect::Send((self.on_save)(self.id, self.version, clean_notes(&self.value())))]
            }
            Action::Enter => {
                self.edit(EditOp::Newline);
                self.dirty = true;
                Vec::new()
            }
            Action::Edit(op) if matches!(op, EditOp::Insert(_)) && self.length() >= NOTES_MAX => {
                too_long(ctx)
            }
            Action::Edit(op) => {
                let deleting =
                    matches!(op, EditOp::Backspace | EditOp::Delete | EditOp::DeleteWord | EditOp::Clear);
                if self.edit(op) || deleting {
                    self.dirty = true;
                }
                Vec::new()
            }
            Action::Paste(text) => {
                let text = text.replace("\r\n", "\n").replace('\r', "\n");
                if self.length() + text.chars().count() > NOTES_MAX {
                    too_long(ctx)
                } else {
                    self.text.insert_str(text);
                    self.dirty = true;
                    Vec::new()
                }
            }
            _ => Vec::new(),
        };
        (After::Keep, effects)
    }
}

fn too_long(ctx: &Ctx) -> Effects {
    vec![Effect::Error(ctx.texts.f("form.error_too_long", &[("max", &NOTES_MAX)]))]
}

/// Cleans notes before saving: NFC, dangerous characters removed per line, lines kept.
pub fn clean_notes(text: &str) -> String {
    let lines: Vec<String> = text.lines().map(crate::domain::text::clean_line).collect();
    lines.join("\n").trim_end().to_owned()
}
