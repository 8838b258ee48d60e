//! The access log's events and its chain of hashes: who saw or changed what, when, from where.
//! Content never goes into the log: a search's words (what the staff typed) and counts, the part
//! of a file that changed, a file number; never a note, a reason or a name of a client.

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use super::coded_enum;
use super::couple::FileNumber;

coded_enum!(
    /// What happened.
    AccessEvent, "access" {
        FileRead => "file_read",
        FileChanged => "file_changed",
        WalkIn => "walk_in",
        Referral => "referral",
        Search => "search",
        SignIn => "sign_in",
        FailedSignIn => "failed_sign_in",
        Lock => "lock",
        Unlock => "unlock",
        UserChanged => "user_changed",
        Letter => "letter",
        Backup => "backup",
        Check => "check",
        CalendarExport => "calendar_export",
        ExactReport => "exact_report",
        Conversation => "conversation",
        Trajectory => "trajectory",
        Consent => "consent",
        AccessExport => "access_export",
        Erasure => "erasure",
        SettingsChanged => "settings_changed",
        Audit => "audit",
    }
);

/// One row of the log, as it is chained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub id: i64,
    pub at: String,
    pub event: String,
    pub user_id: Option<i64>,
    pub user_name: String,
    pub user_roles: String,
    pub couple_id: Option<i64>,
    pub file_number: String,
    pub detail: String,
    pub workstation: String,
    /// The user on whose behalf this one acted, where that differs ('' otherwise).
    pub on_behalf: String,
    /// The partner (1 or 2) the event concerns, where it concerns one.
    pub partner: Option<i64>,
}

/// What a coordinator asks of the log: one file, one user, a period (desk days, both included)
/// and some events (none: every event). Unset parts do not narrow the rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogFilter {
    pub file: Option<FileNumber>,
    /// A user's name, as typed or picked (matched whatever its case or diacritics).
    pub user: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub events: Vec<AccessEvent>,
}

impl LogFilter {
    /// Whether the period runs forward (an open end always does).
    pub fn period_ok(&self) -> bool {
        match (self.from, self.to) {
            (Some(from), Some(to)) => from <= to,
            _ => true,
        }
    }

    /// The filter in codes, as the audit's own log row records it: "file=2026-001 user=5
    /// from=2026-01-01 event=file_read". The user by id (more than one where a name was reused
    /// after a deactivation), never by name; "all" for no filter.
    pub fn codes(&self, user_ids: &[i64]) -> String {
        let mut parts = Vec::new();
        if let Some(file) = self.file {
            parts.push(format!("file={file}"));
        }
        if !user_ids.is_empty() {
            let ids: Vec<String> = user_ids.iter().map(i64::to_string).collect();
            parts.push(format!("user={}", ids.join(",")));
        }
        if let Some(from) = self.from {
            parts.push(format!("from={from}"));
        }
        if let Some(to) = self.to {
            parts.push(format!("to={to}"));
        }
        parts.extend(self.events.iter().map(|e| format!("event={}", e.code())));
        if parts.is_empty() { "all".to_owned() } else { parts.join(" ") }
    }
}

/// The hash that chains a row to the one before it: SHA-256 over the previous hash and every
/// field of the row, each field length-prefixed so that no two rows hash alike by shifting text.
pub fn chain_hash(prev: &str, e: &LogEntry) -> String {
    let mut h = Sha256::new();
    let ids = [e.user_id.map(|v| v.to_string()), e.couple_id.map(|v| v.to_string())];
    let fields: [&str; 10] = [
        prev,
        &e.at,
        &e.event,
        ids[0].as_deref().unwrap_or("-"),
        &e.user_name,
        &e.user_roles,
        ids[1].as_deref().unwrap_or("-"),
        &e.file_number,
        &e.detail,
        &e.workstation,
    ];
    h.update(e.id.to_le_bytes());
    let partner = e.partner.map(|p| p.to_string());
    // Fields added in schema 9 are hashed only when set, so that rows from before still verify.
    let later = [("on_behalf", e.on_behalf.as_str()), ("partner", partner.as_deref().unwrap_or(""))];
    let set = later.into_iter().filter(|(_, v)| !v.is_empty()).flat_map(|(k, v)| [k, v]);
    for f in fields.into_iter().chain(set) {
        h.update((f.len() as u64).to_le_bytes());
        h.update(f.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The hash before the first row.
pub const GENESIS: &str = "loket-access-log";

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(detail: &str) -> LogEntry {
        LogEntry {
            id: 1,
            at: "2026-12-02T08:00:00Z".into(),
            event: AccessEvent::Search.code().into(),
            user_id: Some(2),
            user_name: "Ria Balie".into(),
            user_roles: "receptionist".into(),
            couple_id: None,
            file_number: String::new(),
            detail: detail.into(),
            workstation: "ria@balie".into(),
            on_behalf: String::new(),
            partner: None,
        }
    }

    #[test]
    fn every_field_and_the_previous_hash_change_the_hash() {
        let base = chain_hash(GENESIS, &entry("wereld: 1"));
        assert_eq!(base.len(), 64);
        assert_eq!(base, chain_hash(GENESIS, &entry("wereld: 1")), "the same row hashes the same");
        assert_ne!(base, chain_hash(GENESIS, &entry("wereld: 2")));
        assert_ne!(base, chain_hash("another", &entry("wereld: 1")));
        let shifted = LogEntry {
            user_name: "Ria Bali".into(),
            user_roles: "ereceptionist".into(),
            ..entry("wereld: 1")
        };
        assert_ne!(base, chain_hash(GENESIS, &shifted), "text shifted between fields is noticed");
    }

    #[test]
    fn the_fields_of_schema_9_count_when_set_and_leave_older_rows_as_they_were() {
        let old = entry("wereld: 1");
        let before = chain_hash(GENESIS, &old);
        let on_behalf = LogEntry { on_behalf: "Pieter Kok".into(), ..old.clone() };
        let partner = LogEntry { partner: Some(2), ..old.clone() };
        assert_ne!(before, chain_hash(GENESIS, &on_behalf));
        assert_ne!(before, chain_hash(GENESIS, &partner));
        assert_ne!(chain_hash(GENESIS, &on_behalf), chain_hash(GENESIS, &partner));
        // The empty defaults hash as a row from schema 8 did (same fields, same order).
        let mut h = Sha256::new();
        h.update(old.id.to_le_bytes());
        for f in [
            GENESIS,
            &old.at,
            &old.event,
            "2",
            &old.user_name,
            &old.user_roles,
            "-",
            "",
            &old.detail,
            &old.workstation,
        ] {
            h.update((f.len() as u64).to_le_bytes());
            h.update(f.as_bytes());
        }
        let schema_8: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(before, schema_8);
    }

    #[test]
    fn a_filter_is_recorded_in_codes_and_checks_its_period() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 1, d);
        assert_eq!(LogFilter::default().codes(&[]), "all");
        let filter = LogFilter {
            file: FileNumber::parse("2026-1"),
            user: Some("Sara de Boer".into()),
            from: day(1),
            to: day(31),
            events: vec![AccessEvent::FileRead, AccessEvent::Letter],
        };
        let codes = filter.codes(&[5]);
        assert_eq!(codes, "file=2026-001 user=5 from=2026-01-01 to=2026-01-31 event=file_read event=letter");
        assert!(!codes.contains("Sara"), "a user by id, not by name");
        assert!(filter.codes(&[5, 9]).contains(" user=5,9 "));
        assert!(filter.period_ok());
        assert!(!LogFilter { from: day(2), to: day(1), ..LogFilter::default() }.period_ok());
        assert!(LogFilter { from: day(2), ..LogFilter::default() }.period_ok());
    }
}
