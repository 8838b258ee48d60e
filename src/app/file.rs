//! The file pane (*Dossier*): one couple's file, opened from the queue or by finding it.

use super::notes::NotesEditor;
use super::overlay::{Find, FindPurpose, PickItem, PickPurpose, Picker};
use super::{App, ConfirmAction, FormKind, FormOverlay, Overlay};
use crate::action::{Action, Pane};
use crate::domain::file::{CoupleFile, FileStatus, Notes, Safety};
use crate::store::StoreError;

impl App {
    /// Opens a couple's file in the file pane (the access is logged).
    pub(super) fn open_file(&mut self, couple: i64) {
        let Some(user) = self.user.clone() else { return };
        // A full disk must not keep a file from being read: then the opening is shown, but its
        // log entry could not be written, and the user is told.
        let opened = match self.store.open_file(couple, &user, self.now) {
            Err(StoreError::DiskFull) => {
                self.warn("file.access_not_logged");
                self.store.read_file(couple, &user)
            }
            other => other,
        };
        match opened {
            Ok(file) => {
                self.scores = self.store.score_changes(file.id).unwrap_or_default();
                self.file = Some(file);
                self.pane = Pane::File;
                self.planner.selected = 0;
                self.reload_planner();
                self.referral.selected = 0;
                self.reload_referrals();
            }
            Err(e) => self.show_error(&e),
        }
    }

    /// Reads the open file again (after a save here or a change elsewhere).
    pub(super) fn reload_file(&mut self) {
        let (Some(user), Some(id)) = (self.user.clone(), self.file.as_ref().map(|f| f.id)) else { return };
        match self.store.read_file(id, &user) {
            Ok(file) => {
                self.scores = self.store.score_changes(id).unwrap_or_default();
                self.file = Some(file);
            }
            Err(StoreError::NotFound) => {
                self.file = None;
                self.warn("file.gone");
            }
            Err(e) => self.show_error(&e),
        }
    }

    pub(super) fn open_find(&mut self, purpose: FindPurpose) {
        self.overlays.push(Overlay::Find(Find { purpose, ..Find::default() }));
    }

    pub(super) fn update_file(&mut self, action: Action) {
        if action == Action::Find {
            return self.open_find(FindPurpose::OpenFile);
        }
        let Some(file) = self.file.clone() else {
            return self.warn("file.none_open");
        };
        let writable = !self.store.is_read_only();
        match action {
            _ if !writable && action != Action::WalkInForCouple => self.warn("error.read_only"),
            Action::EditFile => self.open_details_form(&file),
            Action::AddLifeEvent => self.open_life_event_form(),
            Action::ChangeStatus => self.pick_status(&file),
            Action::ToggleSafety => self.toggle_safety(&file),
            Action::EditNotes => self.edit_notes(&file),
            Action::WalkInForCouple => self.walk_in_for(&file),
            Action::Refer => self.refer(file.id),
            _ => {}
        }
    }

    fn pick_status(&mut self, file: &CoupleFile) {
        let options: Vec<FileStatus> = file.status.next().to_vec();
        let items = options
            .iter()
            .map(|s| PickItem { label: self.texts.t(&s.text_key()).to_owned(), remark: None })
            .collect();
        self.overlays.push(Overlay::Picker(Picker {
            title: "file.pick_status",
            items,
            selected: 0,
            purpose: PickPurpose::FileStatus(options),
        }));
    }

    /// A status was picked: closing asks for the outcome and date first.
    pub(super) fn status_picked(&mut self, to: FileStatus) {
        let Some(file) = self.file.clone() else { return };
        if to == FileStatus::Closed {
            return self.open_close_form();
        }
        let Some(user) = self.user.clone() else { return };
        let result = self.store.set_file_status(file.id, file.version, to, None, &user, self.now);
        self.after_file_write(result, "file.status_changed");
    }

    fn toggle_safety(&mut self, file: &CoupleFile) {
        let may = self.user.as_ref().is_some_and(|u| u.role.sets_safety_concern());
        if !may {
            return self.warn("file.safety_counsellor_only");
        }
        if file.has_safety_concern() {
            self.ask(self.texts.t("confirm.clear_safety").to_owned(), ConfirmAction::ClearSafety);
        } else {
            self.open_safety_form();
        }
    }

    pub(super) fn clear_safety(&mut self) {
        let (Some(file), Some(user)) = (self.file.clone(), self.user.clone()) else { return };
        let result = self.store.set_safety(file.id, file.version, None, &user, self.now);
        self.after_file_write(result, "file.safety_cleared");
    }

    fn edit_notes(&mut self, file: &CoupleFile) {
        match &file.notes {
            Notes::Text(text) => {
                self.overlays.push(Overlay::Notes(Box::new(NotesEditor::new(text, file.id, file.version))))
            }
            Notes::Hidden { .. } => self.warn("file.notes_not_for_you"),
        }
    }

    /// Starts a walk-in for this (returning) couple: the walk-in form, linked to the file.
    fn walk_in_for(&mut self, file: &CoupleFile) {
        if self.store.is_read_only() {
            return self.warn("error.read_only");
        }
        match self.store.couple_summary(file.id) {
            Ok(couple) => {
                self.pane = Pane::Queue;
                self.open_walk_in_form();
                if let Some(Overlay::Form(f)) = self.overlays.last_mut() {
                    super::walkin_form::link(&mut f.form, couple);
                }
            }
            Err(e) => self.show_error(&e),
        }
    }

    /// After a write to the open file: on success read it again and confirm; when someone else
    /// changed it meanwhile, offer to reload; other problems are shown. Returns whether it saved.
    pub(super) fn after_file_write(&mut self, result: Result<(), StoreError>, done_key: &str) -> bool {
        match result {
            Ok(()) => {
                self.reload_file();
                self.info(self.texts.t(done_key).to_owned());
                true
            }
            Err(StoreError::Stale) => {
                self.ask(self.texts.t("confirm.reload_file").to_owned(), ConfirmAction::ReloadFile);
                false
            }
            Err(e) => {
                self.show_error(&e);
                false
            }
        }
    }

    /// Saves one of the file's forms; the form stays open (with what was typed) when it fails.
    pub(super) fn save_file_form(&mut self, mut top: FormOverlay) {
        top.form.clear_errors();
        let (Some(file), Some(user)) = (self.file.clone(), self.user.clone()) else { return };
        // Checked against the file as it was when the form opened, not as it is on screen now.
        let version = top.form.base_version.unwrap_or(file.version);
        if top.kind == FormKind::FileDetails && !top.form.dirty {
            return; // nothing changed: nothing to save, and no edit in the timeline
        }
        let result = match top.kind {
            FormKind::FileDetails => match super::file_forms::details(&mut top.form, &file, self.now) {
                Some(details) => Some(self.store.save_details(file.id, version, &details, &user, self.now)),
                None => None,
            },
            FormKind::LifeEvent => match super::file_forms::life_event(&mut top.form, self.now) {
                Some((kind, on)) => {
                    Some(self.store.add_life_event(file.id, version, kind, on, &user, self.now))
                }
                None => None,
            },
            FormKind::Close => match super::file_forms::closing(&mut top.form, self.now) {
                Some(closing) => Some(self.store.set_file_status(
                    file.id,
                    version,
                    FileStatus::Closed,
                    Some(closing),
                    &user,
                    self.now,
                )),
                None => None,
            },
            FormKind::Safety => match top.form.checked_text(super::FieldId::SafetyReason) {
                Some(reason) => Some(self.store.set_safety(file.id, version, Some(&reason), &user, self.now)),
                None => None,
            },
            FormKind::WalkIn
            | FormKind::User
            | FormKind::Session
            | FormKind::CancelSession
            | FormKind::Referral
            | FormKind::ReferralIn
            | FormKind::Scores
            | FormKind::Period => None,
        };
        let Some(result) = result else {
            top.form.focus_first_error();
            return self.overlays.push(Overlay::Form(top));
        };
        let done = match top.kind {
            FormKind::Close => "file.closed",
            FormKind::Safety => "file.safety_set",
            FormKind::LifeEvent => "file.life_event_added",
            _ => "file.saved",
        };
        let failed = result.is_err();
        self.overlays.push(Overlay::Form(top));
        if self.after_file_write(result, done) {
            // Saved: the form below the message goes.
            self.overlays.retain(|o| !matches!(o, Overlay::Form(_)));
        } else if failed && !matches!(self.overlays.last(), Some(Overlay::Confirm(_))) {
            // Not saved and not a reload question: the form stays, with the error shown on it.
            if let (Some(flash), Some(Overlay::Form(f))) = (self.flash.clone(), self.overlays.last_mut()) {
                f.form.message = Some(flash.text);
            }
        }
    }

    /// The safety line everyone sees, with the reason only for those who may read it.
    pub fn safety_reason(&self) -> Option<&str> {
        match self.file.as_ref().map(|f| &f.safety) {
            Some(Safety::Concern { reason: Some(r) }) => Some(r.as_str()),
            _ => None,
        }
    }
}
