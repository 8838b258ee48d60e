//! What the user is told: store errors and refusals in words (through `crate::errors`), and the
//! message line.

use super::{App, Flash};
use crate::store::StoreError;

impl App {
    /// Shows a store error in words, without personal data.
    pub(super) fn show_error(&mut self, e: &StoreError) {
        let text = self.error_text(e);
        self.flash = Some(Flash { text, error: true, at: self.now });
    }

    pub(super) fn error_text(&self, e: &StoreError) -> String {
        crate::errors::store_error_text_naming(&self.texts, e, &|p| self.partner_name(p))
    }

    /// Why a conversation cannot be planned, in words, naming the clash (file number and time).
    pub fn refusal_text(&self, refused: &crate::domain::planner::PlanRefused) -> String {
        crate::errors::refusal_text(&self.texts, refused)
    }

    pub(super) fn info(&mut self, text: String) {
        self.flash = Some(Flash { text, error: false, at: self.now });
    }

    pub(super) fn flash_error(&mut self, text: String) {
        self.flash = Some(Flash { text, error: true, at: self.now });
    }

    pub(super) fn warn(&mut self, key: &str) {
        self.flash = Some(Flash { text: self.texts.t(key).to_owned(), error: true, at: self.now });
    }
}
