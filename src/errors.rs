//! The one place that turns errors into words, in the user's language: for the app and the command
//! line alike. No error's own (English) `Display` text reaches the user, and no message carries
//! personal data: file numbers, times, paths and the desk's own configuration at most.

use std::io::ErrorKind;
use std::path::Path;

use crate::config::{ConfigError, ConfigProblem};
use crate::domain::planner::{Clash, PlanRefused};
use crate::domain::referral::Blocked;
use crate::i18n::Texts;
use crate::store::StoreError;

/// A store error in words. Partners a refused referral waits for are named by position; the app,
/// which knows the open file, names them with [`store_error_text_naming`].
pub fn store_error_text(texts: &Texts, e: &StoreError) -> String {
    store_error_text_naming(texts, e, &|position| position.to_string())
}

/// A store error in words, with `name` giving the partner at a position.
pub fn store_error_text_naming(texts: &Texts, e: &StoreError, name: &dyn Fn(u8) -> String) -> String {
    let key = match e {
        StoreError::NewerSchema { found, supported } => {
            return texts.f("error.newer_schema", &[("found", found), ("supported", supported)]);
        }
        StoreError::Io(kind) => return texts.f("error.io", &[("reason", &io_text(texts, *kind))]),
        StoreError::NotAFile(kind) => {
            return texts.f("error.not_a_file", &[("kind", &texts.t(kind.text_key()))]);
        }
        StoreError::SideFileBlocked(suffix) => {
            return texts.f("error.side_file_blocked", &[("suffix", suffix)]);
        }
        StoreError::Plan(refused) => return refusal_text(texts, refused),
        StoreError::Blocked(blocked) => return blocked_text(texts, blocked, name),
        StoreError::Setting(refused) => return setting_refused_text(texts, *refused),
        StoreError::Concern(crate::domain::concern::ConcernProblem::NeedsStep(n)) => {
            return texts.f("concern.problem_needs_step", &[("step", n)]);
        }
        StoreError::Concern(problem) => problem.text_key(),
        StoreError::NotADatabase => "error.not_a_database",
        StoreError::BadSchema => "error.bad_schema",
        StoreError::Empty => "error.empty",
        StoreError::Corrupt => "error.corrupt",
        StoreError::Locked => "error.locked",
        StoreError::ReadOnly => "error.read_only",
        StoreError::ReadOnlyWithLog => "error.read_only_with_log",
        StoreError::DiskFull => "error.disk_full",
        StoreError::Stale => "error.stale",
        StoreError::NotFound => "error.not_found",
        StoreError::Refused(_) => "error.refused",
        StoreError::NotAllowed => "error.not_allowed",
        StoreError::DuplicateUser => "error.duplicate_user",
        StoreError::LastCoordinator => "error.last_coordinator",
        StoreError::UnknownFile => "error.unknown_file",
        StoreError::UnknownUser => "error.unknown_user",
        StoreError::WrongPassword => "error.wrong_password",
        StoreError::WrongKey => "error.wrong_key",
        StoreError::Plain => "error.plain",
        StoreError::BadStatus => "error.bad_status",
        StoreError::CostNotExplained => "error.cost_not_explained",
        StoreError::UnknownPartner => "error.unknown_partner",
        StoreError::NotForPartner => "error.not_for_partner",
        StoreError::NotClosed => "error.not_closed",
        // SQLite's own message names tables, never values, but it is English: it stays out.
        StoreError::Sql(_) => "error.sql",
    };
    texts.t(key).to_owned()
}

/// Why a value for a setting is refused, with the range it may take.
pub fn setting_refused_text(texts: &Texts, refused: crate::domain::settings::SettingRefused) -> String {
    use crate::domain::settings::SettingRefused;
    match refused {
        SettingRefused::OutOfRange { min, max } => {
            texts.f(refused.text_key(), &[("min", &min), ("max", &max)])
        }
        SettingRefused::NotANumber => texts.t(refused.text_key()).to_owned(),
    }
}

/// Why a conversation cannot be planned, naming the clash (file number and time).
pub fn refusal_text(texts: &Texts, refused: &PlanRefused) -> String {
    let clash = |key: &str, c: &Clash| {
        if c.file.is_empty() {
            texts.f(key, &[("file", &"?"), ("when", &"?")])
        } else {
            let when = format!("{} {}", texts.date_short(c.start), texts.time(c.start));
            texts.f(key, &[("file", &c.file), ("when", &when)])
        }
    };
    let key = match refused {
        PlanRefused::CounsellorBusy(c) => return clash("plan.counsellor_busy", c),
        PlanRefused::RoomTaken(c) => return clash("plan.room_taken", c),
        PlanRefused::Closed { day, why } => {
            let key = match why {
                crate::domain::settings::Closed::Desk => "plan.desk_closed",
                crate::domain::settings::Closed::DayOff => "plan.day_off",
            };
            let day = texts.date_short(day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc());
            return texts.f(key, &[("day", &day)]);
        }
        PlanRefused::Full => "plan.full",
        PlanRefused::InThePast => "plan.in_the_past",
        PlanRefused::NotYetHappened => "plan.not_yet_happened",
        PlanRefused::WalkInHour => "plan.walk_in_hour",
        PlanRefused::Ended => "plan.ended",
        PlanRefused::AlreadyActive => "plan.already_active",
        PlanRefused::NotPlanned => "plan.not_planned",
        PlanRefused::AlreadyUsed => "plan.undo_used",
    };
    texts.t(key).to_owned()
}

/// Why a referral cannot be sent yet, with `name` giving the partner at a position.
pub fn blocked_text(texts: &Texts, blocked: &Blocked, name: &dyn Fn(u8) -> String) -> String {
    let names = |positions: &[u8]| positions.iter().map(|p| name(*p)).collect::<Vec<_>>().join(" & ");
    match blocked {
        Blocked::NoConsent(p) => texts.f("refer.blocked_no_consent", &[("names", &names(p))]),
        Blocked::Withdrawn(p) => texts.f("refer.blocked_withdrawn", &[("names", &names(p))]),
        Blocked::EmptySummary => texts.t("refer.blocked_empty_summary").to_owned(),
    }
}

/// What went wrong reading or writing a file, in words.
pub fn io_text(texts: &Texts, kind: ErrorKind) -> String {
    let key = match kind {
        ErrorKind::NotFound => "io.not_found",
        ErrorKind::PermissionDenied => "io.permission_denied",
        ErrorKind::AlreadyExists => "io.already_exists",
        ErrorKind::NotADirectory => "io.not_a_directory",
        ErrorKind::IsADirectory => "io.is_a_directory",
        ErrorKind::ReadOnlyFilesystem => "io.read_only",
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => "io.disk_full",
        _ => "io.other",
    };
    texts.t(key).to_owned()
}

/// A problem with the key slots or the recovery key, in the user's language: never a key,
/// a password or a path's contents.
pub fn key_error_text(texts: &Texts, e: crate::keys::KeyError) -> String {
    use crate::keys::KeyError::*;
    match e {
        Missing => texts.t("gate.missing_slots").to_owned(),
        Damaged => texts.t("gate.damaged_slots").to_owned(),
        NotOurs => texts.t("keys.not_ours").to_owned(),
        NoSlot | WrongPassword => texts.t("login.wrong").to_owned(),
        NotARecoveryKey => texts.t("gate.not_a_recovery_key").to_owned(),
        NoRandomness => texts.t("password.no_hash").to_owned(),
        Io(kind) => io_text(texts, kind),
    }
}

/// A configuration file (or the desk's list of referral parties) that cannot be used: the file,
/// the line when known, and what is wrong with it.
pub fn config_error_text(texts: &Texts, path: &Path, e: &ConfigError) -> String {
    let message = config_problem_text(texts, &e.problem);
    match e.line {
        Some(line) => texts
            .f("cli.bad_config_line", &[("path", &path.display()), ("line", &line), ("message", &message)]),
        None => texts.f("cli.bad_config", &[("path", &path.display()), ("message", &message)]),
    }
}

fn config_problem_text(texts: &Texts, problem: &ConfigProblem) -> String {
    let quoted = |s: &str| one_line(s);
    match problem {
        ConfigProblem::Unreadable(kind) => {
            texts.f("config_error.unreadable", &[("reason", &io_text(texts, *kind))])
        }
        ConfigProblem::Syntax => texts.t("config_error.syntax").to_owned(),
        ConfigProblem::UnknownKey(key) => texts.f("config_error.unknown_key", &[("key", &quoted(key))]),
        ConfigProblem::MissingKey(key) => texts.f("config_error.missing_key", &[("key", &quoted(key))]),
        ConfigProblem::BadValue { key, value } => {
            let value = quoted(value.as_deref().unwrap_or("?"));
            let hint = match key.as_deref() {
                Some("weekday" | "days") => "config_error.bad_weekday",
                Some("start" | "end") => "config_error.bad_time",
                Some("language") => "config_error.bad_language",
                Some("kind") => "config_error.bad_kind",
                Some(_) => "config_error.bad_value",
                None => "config_error.bad_value_here",
            };
            texts.f(hint, &[("key", &quoted(key.as_deref().unwrap_or(""))), ("value", &value)])
        }
        ConfigProblem::StartNotBeforeEnd(section) => {
            texts.f("config_error.start_not_before_end", &[("section", section)])
        }
        ConfigProblem::NoDays => texts.t("config_error.no_days").to_owned(),
        ConfigProblem::LockMinutes => texts.t("config_error.lock_minutes").to_owned(),
        ConfigProblem::NoRooms => texts.t("config_error.no_rooms").to_owned(),
        ConfigProblem::EmptyRoom => texts.t("config_error.empty_room").to_owned(),
        ConfigProblem::ControlCharacter { key, value } => {
            texts.f("config_error.control_character", &[("key", &quoted(key)), ("value", &quoted(value))])
        }
        ConfigProblem::DuplicateRoom(room) => {
            texts.f("config_error.duplicate_room", &[("value", &quoted(room))])
        }
        ConfigProblem::DuplicateParty(code) => {
            texts.f("config_error.duplicate_party", &[("value", &quoted(code))])
        }
        ConfigProblem::NoParties => texts.t("config_error.no_parties").to_owned(),
    }
}

/// A value from a file, shown on one short line.
fn one_line(s: &str) -> String {
    let flat: String = s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let mut short: String = flat.chars().take(40).collect();
    if flat.chars().count() > 40 {
        short.push('…');
    }
    short
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Lang;

    #[test]
    fn every_store_error_has_words_in_both_languages_and_never_its_own_text() {
        let all = [
            StoreError::NewerSchema { found: 9, supported: 6 },
            StoreError::NotADatabase,
            StoreError::BadSchema,
            StoreError::Empty,
            StoreError::NotAFile(crate::store::NotAFile::Folder),
            StoreError::NotAFile(crate::store::NotAFile::Link),
            StoreError::NotAFile(crate::store::NotAFile::Fifo),
            StoreError::NotAFile(crate::store::NotAFile::Device),
            StoreError::NotAFile(crate::store::NotAFile::Socket),
            StoreError::NotAFile(crate::store::NotAFile::Other),
            StoreError::Corrupt,
            StoreError::Locked,
            StoreError::ReadOnly,
            StoreError::ReadOnlyWithLog,
            StoreError::SideFileBlocked("-shm"),
            StoreError::DiskFull,
            StoreError::Stale,
            StoreError::NotFound,
            StoreError::NotAllowed,
            StoreError::UnknownFile,
            StoreError::UnknownUser,
            StoreError::BadStatus,
            StoreError::CostNotExplained,
            StoreError::UnknownPartner,
            StoreError::NotForPartner,
            StoreError::NotClosed,
            StoreError::Setting(crate::domain::settings::SettingRefused::NotANumber),
            StoreError::Setting(crate::domain::settings::SettingRefused::OutOfRange { min: 1, max: 100 }),
            StoreError::Concern(crate::domain::concern::ConcernProblem::NeedsStep(3)),
            StoreError::Concern(crate::domain::concern::ConcernProblem::MustReport),
            StoreError::Io(ErrorKind::PermissionDenied),
            StoreError::Plan(PlanRefused::Full),
            StoreError::Plan(PlanRefused::Closed {
                day: chrono::NaiveDate::from_ymd_opt(2026, 12, 24).unwrap_or_default(),
                why: crate::domain::settings::Closed::Desk,
            }),
            StoreError::Blocked(Blocked::NoConsent(vec![2])),
            StoreError::Sql("no such table: secrets".to_owned()),
        ];
        for lang in [Lang::Nl, Lang::En] {
            let texts = Texts::new(lang);
            for e in &all {
                let text = store_error_text(&texts, e);
                assert!(!text.is_empty() && !text.contains('{'), "{lang:?} {e:?}: {text}");
                assert!(!text.starts_with("error.") && !text.contains("secrets"), "{lang:?} {e:?}: {text}");
            }
        }
        let nl = Texts::new(Lang::Nl);
        assert!(
            store_error_text(&nl, &StoreError::NewerSchema { found: 9, supported: 6 }).contains("versie 9")
        );
    }

    #[test]
    fn a_config_problem_names_the_line_and_the_value_in_dutch() {
        let texts = Texts::new(Lang::Nl);
        let e = ConfigError {
            line: Some(3),
            problem: ConfigProblem::BadValue { key: Some("weekday".into()), value: Some("someday".into()) },
        };
        assert_eq!(
            config_error_text(&texts, Path::new("c.toml"), &e),
            "configuratiebestand c.toml, regel 3: de dag \"someday\" bestaat niet (gebruik ma, di, wo, do, vr, za of zo)"
        );
    }
}
