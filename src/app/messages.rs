//! What the user is told: store errors and refusals in words, and the message line.

use super::{App, Flash};
use crate::store::StoreError;

impl App {
    /// Shows a store error in words, without personal data.
    pub(super) fn show_error(&mut self, e: &StoreError) {
        let text = self.error_text(e);
        self.flash = Some(Flash { text, error: true, at: self.now });
    }

    pub(super) fn error_text(&self, e: &StoreError) -> String {
        let key = match e {
            StoreError::NewerSchema { .. } => "error.newer_schema",
            StoreError::NotADatabase => "error.not_a_database",
            StoreError::Corrupt => "error.corrupt",
            StoreError::Locked => "error.locked",
            StoreError::ReadOnly => "error.read_only",
            StoreError::ReadOnlyWithLog => "error.read_only_with_log",
            StoreError::DiskFull => "error.disk_full",
            StoreError::Stale => "error.stale",
            StoreError::NotFound => "error.not_found",
            StoreError::Io(_) => "error.io",
            StoreError::Refused(_) => "error.refused",
            StoreError::NotAllowed => "error.not_allowed",
            StoreError::BadStatus => "error.bad_status",
            StoreError::CostNotExplained => "error.cost_not_explained",
            StoreError::Sql(_) => "error.sql",
            StoreError::Plan(refused) => return self.refusal_text(refused),
            StoreError::Blocked(blocked) => return self.blocked_text(blocked),
        };
        self.texts.t(key).to_owned()
    }

    /// Why a conversation cannot be planned, in words, naming the clash (file number and time).
    pub fn refusal_text(&self, refused: &crate::domain::planner::PlanRefused) -> String {
        use crate::domain::planner::PlanRefused::*;
        let t = &self.texts;
        let clash = |key: &str, c: &crate::domain::planner::Clash| {
            if c.file.is_empty() {
                t.f(key, &[("file", &"?"), ("when", &"?")])
            } else {
                let when = format!("{} {}", t.date_short(c.start), t.time(c.start));
                t.f(key, &[("file", &c.file), ("when", &when)])
            }
        };
        match refused {
            Full => t.t("plan.full").to_owned(),
            InThePast => t.t("plan.in_the_past").to_owned(),
            NotYetHappened => t.t("plan.not_yet_happened").to_owned(),
            CounsellorBusy(c) => clash("plan.counsellor_busy", c),
            RoomTaken(c) => clash("plan.room_taken", c),
            WalkInHour => t.t("plan.walk_in_hour").to_owned(),
            Ended => t.t("plan.ended").to_owned(),
            AlreadyActive => t.t("plan.already_active").to_owned(),
            NotPlanned => t.t("plan.not_planned").to_owned(),
        }
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
