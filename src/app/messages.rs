//! What the user is told: store errors and refusals in words, without personal data.

use crate::domain::file::CoupleFile;
use crate::domain::planner::{Clash, PlanRefused};
use crate::domain::referral::Blocked;
use crate::i18n::Texts;
use crate::store::StoreError;

/// A store error in the user's language.
pub fn error_text(texts: &Texts, file: Option<&CoupleFile>, e: &StoreError) -> String {
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
        StoreError::Sql(_) => "error.sql",
        StoreError::Plan(refused) => return refusal_text(texts, refused),
        StoreError::Blocked(blocked) => return blocked_text(texts, file, blocked),
    };
    texts.t(key).to_owned()
}

/// Why a conversation cannot be planned, in words, naming the clash (file number and time).
pub fn refusal_text(t: &Texts, refused: &PlanRefused) -> String {
    use PlanRefused::*;
    let clash = |key: &str, c: &Clash| {
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

/// Why a referral cannot be sent yet, naming the partners of the open file.
pub fn blocked_text(texts: &Texts, file: Option<&CoupleFile>, blocked: &Blocked) -> String {
    let names = |positions: &[u8]| -> String {
        positions
            .iter()
            .map(|p| {
                file.and_then(|f| f.partners.iter().find(|x| x.position == *p))
                    .map_or_else(|| p.to_string(), |x| x.name.full())
            })
            .collect::<Vec<_>>()
            .join(" & ")
    };
    match blocked {
        Blocked::NoConsent(p) => texts.f("refer.blocked_no_consent", &[("names", &names(p))]),
        Blocked::Withdrawn(p) => texts.f("refer.blocked_withdrawn", &[("names", &names(p))]),
        Blocked::EmptySummary => texts.t("refer.blocked_empty_summary").to_owned(),
    }
}
