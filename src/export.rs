//! `loket export-ics`: the planned conversations as an iCalendar file, for a counsellor's agenda.
//!
//! What leaves the desk is kept small on purpose: the file number, the couple's initials, the
//! room, the time and the counsellor's name. No full names, no notes, no phone numbers or e-mail.
//! A file is written beside its target, owner-only, and placed under its name, so that a
//! half-written calendar never exists under the name asked for; what is not a calendar of ours
//! (a device, a FIFO, a link) is never replaced (see [`write_out`]).

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};

use crate::domain::dates::{DateProblem, parse_date};
use crate::domain::planner::{SessionStatus, end_of};
use crate::domain::user::Role;
use crate::domain::walkin::{DESK_TZ, desk_day};
use crate::i18n::Texts;
use crate::store::{Store, StoreError};

/// How far ahead the export looks from its first day.
pub const HORIZON_DAYS: i64 = 2 * 366;

/// One planned conversation as it may leave the desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub session_id: i64,
    /// "2026-001".
    pub file: String,
    /// "IJ. van der W. & E. J.".
    pub initials: String,
    pub counsellor: String,
    pub start: DateTime<Utc>,
    pub room: String,
}

/// What the command line asked for, as typed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Request<'a> {
    pub counsellor: Option<&'a str>,
    pub from: Option<&'a str>,
    pub out: Option<&'a Path>,
}

/// Why the export did not happen. Each becomes one line in the user's language.
#[derive(Debug)]
pub enum ExportError {
    /// No user has this name.
    UnknownCounsellor(String),
    /// `--from` is not a date (or no such date).
    BadDate(String, DateProblem),
    /// The database could not be read.
    Store(StoreError),
    /// The calendar could not be written.
    Write(String, io::ErrorKind),
    /// `--out` is a symbolic link to a regular file, a folder or nothing: never followed there.
    Link(String),
}

impl ExportError {
    pub fn message(&self, texts: &Texts) -> String {
        match self {
            ExportError::UnknownCounsellor(name) => {
                texts.f("cli.export_unknown_counsellor", &[("name", &one_line(name))])
            }
            ExportError::BadDate(raw, problem) => texts.f(
                "cli.export_bad_from",
                &[("date", &one_line(raw)), ("reason", &texts.t(problem.text_key()))],
            ),
            ExportError::Store(e) => {
                texts.f("cli.export_cannot_read", &[("reason", &crate::errors::store_error_text(texts, e))])
            }
            ExportError::Write(target, kind) => texts.f(
                "cli.export_cannot_write",
                &[("path", target), ("reason", &crate::errors::io_text(texts, *kind))],
            ),
            ExportError::Link(target) => texts.f("cli.export_link_refused", &[("path", target)]),
        }
    }
}

impl From<StoreError> for ExportError {
    fn from(e: StoreError) -> Self {
        ExportError::Store(e)
    }
}

/// Runs the export: finds the counsellor, reads the planned conversations from the first day on,
/// and writes the calendar to the file (owner-only, renamed into place) or to standard output.
/// Returns the line to show when a file was written.
pub fn run(
    store: &Store,
    request: &Request<'_>,
    texts: &Texts,
    now: DateTime<Utc>,
) -> Result<Option<String>, ExportError> {
    let counsellor = match request.counsellor {
        Some(name) => Some(counsellor_id(store, name)?),
        None => None,
    };
    let first_day = match request.from {
        Some(raw) => parse_date(raw, desk_day(now)).map_err(|p| ExportError::BadDate(raw.to_owned(), p))?,
        None => desk_day(now),
    };
    let entries = planned(store, counsellor, start_of_day(first_day))?;
    let text = calendar(&entries, texts, now);
    match request.out {
        Some(path) => {
            write_out(path, text.as_bytes()).map_err(|e| match e {
                OutProblem::Link => ExportError::Link(path.display().to_string()),
                OutProblem::Io(e) => ExportError::Write(path.display().to_string(), e.kind()),
            })?;
            let path = path.display();
            Ok(Some(match entries.len() {
                1 => texts.f("cli.export_written_one", &[("path", &path)]),
                n => texts.f("cli.export_written", &[("n", &n), ("path", &path)]),
            }))
        }
        None => {
            let mut stdout = io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(|e| ExportError::Write("stdout".to_owned(), e.kind()))?;
            Ok(None)
        }
    }
}

/// The id of the user with this name, in any case (a counsellor first, should two share it).
pub fn counsellor_id(store: &Store, name: &str) -> Result<i64, ExportError> {
    let wanted = name.trim().to_lowercase();
    let mut matching: Vec<_> =
        store.users()?.into_iter().filter(|u| u.name.to_lowercase() == wanted).collect();
    matching.sort_by_key(|u| !u.may(Role::holds_conversations));
    matching.first().map(|u| u.id).ok_or_else(|| ExportError::UnknownCounsellor(name.to_owned()))
}

/// Midnight at the desk (Europe/Amsterdam) at the start of `day`, as an instant.
pub fn start_of_day(day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_time(NaiveTime::MIN);
    DESK_TZ
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc))
}

/// The planned conversations (not held, no-show or cancelled ones) from `from` on, within the horizon.
pub fn planned(
    store: &Store,
    counsellor: Option<i64>,
    from: DateTime<Utc>,
) -> Result<Vec<Entry>, StoreError> {
    let to = from + Duration::days(HORIZON_DAYS);
    Ok(store
        .bookings(counsellor, from, to)?
        .into_iter()
        .filter(|b| b.status == SessionStatus::Planned)
        .map(|b| Entry {
            session_id: b.session_id,
            file: b.file.to_string(),
            initials: b.initials,
            counsellor: b.counsellor,
            start: b.start,
            room: b.room,
        })
        .collect())
}

/// The calendar as iCalendar text (RFC 5545), times in UTC.
pub fn calendar(entries: &[Entry], texts: &Texts, now: DateTime<Utc>) -> String {
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", "-//Relatieloket//loket//NL"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"))
        .name(texts.t("cli.ics_calendar"));
    for entry in entries {
        cal.push(
            Event::new()
                .uid(&format!("session-{}@loket", entry.session_id))
                .timestamp(now)
                .starts(entry.start)
                .ends(end_of(entry.start))
                .summary(&ics_text(
                    &texts.f("cli.ics_summary", &[("file", &entry.file), ("initials", &entry.initials)]),
                ))
                .location(&ics_text(&entry.room))
                .description(&ics_text(&texts.f("cli.ics_description", &[("counsellor", &entry.counsellor)])))
                .status(EventStatus::Confirmed)
                .done(),
        );
    }
    cal.done().to_string()
}

/// A TEXT value made safe for RFC 5545 (section 3.3.11), behind the configuration's own refusal of
/// control characters: every line break (CR LF, a lone CR or LF, a Unicode line or paragraph
/// separator) becomes one LF, which icalendar writes as `\n` together with its escaping of
/// backslashes, commas and semicolons; any other control character becomes a space. No raw CR or
/// LF can then end a content line early.
fn ics_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .map(|c| match c {
            '\r' | '\n' | '\u{2028}' | '\u{2029}' => '\n',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

pub use crate::files::{write_private, write_private_new};

/// Writes the calendar to `--out`, never replacing what is not a calendar of ours:
/// - nothing there: a new owner-only file, placed without replacing anything made meanwhile;
/// - a regular file (an earlier export): replaced whole, by way of a temporary file and a rename;
/// - a terminal, a pipe, a FIFO or a device (`/dev/stdout`): written into as it is, never replaced;
/// - a symbolic link: followed only to a terminal, a pipe, a FIFO or a device, and written into;
///   a link to a regular file (or to nothing) is refused, so a planted link never redirects a write;
/// - a folder: refused.
pub fn write_out(path: &Path, bytes: &[u8]) -> Result<(), OutProblem> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            write_private_new(path, bytes).map_err(OutProblem::Io)
        }
        Err(e) => Err(OutProblem::Io(e)),
        Ok(meta) if meta.is_file() => write_private(path, bytes).map_err(OutProblem::Io),
        Ok(meta) if meta.is_dir() => Err(OutProblem::Io(io::Error::from(io::ErrorKind::IsADirectory))),
        Ok(meta) if meta.file_type().is_symlink() => match fs::metadata(path) {
            Ok(target) if !target.is_file() && !target.is_dir() => {
                crate::files::write_into(path, bytes, &target).map_err(OutProblem::Io)
            }
            _ => Err(OutProblem::Link),
        },
        Ok(meta) => crate::files::write_into(path, bytes, &meta).map_err(OutProblem::Io),
    }
}

/// Why `--out` was not written.
#[derive(Debug)]
pub enum OutProblem {
    /// A symbolic link to a regular file, a folder or nothing: refused.
    Link,
    Io(io::Error),
}

/// Text typed on the command line, kept to one line for a message.
fn one_line(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Lang;

    fn entry() -> Entry {
        Entry {
            session_id: 7,
            file: "2026-001".to_owned(),
            initials: "IJ. van der W. & E. J.".to_owned(),
            counsellor: "Sara de Boer".to_owned(),
            start: Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).single().expect("valid"),
            room: "Kamer 2".to_owned(),
        }
    }

    #[test]
    fn an_event_holds_file_number_initials_room_and_counsellor() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).single().expect("valid");
        let text = calendar(&[entry()], &Texts::new(Lang::Nl), now);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
        assert!(text.contains("UID:session-7@loket\r\n"), "{text}");
        assert!(text.contains("DTSTART:20261203T090000Z\r\n"), "{text}");
        assert!(text.contains("DTEND:20261203T103000Z\r\n"), "{text}");
        assert!(text.contains("SUMMARY:Gesprek 2026-001 (IJ. van der W. & E. J.)\r\n"), "{text}");
        assert!(text.contains("LOCATION:Kamer 2\r\n"), "{text}");
        assert!(text.contains("Sara de Boer"), "{text}");
        let english = calendar(&[entry()], &Texts::new(Lang::En), now);
        assert!(english.contains("SUMMARY:Conversation 2026-001"), "{english}");
    }

    /// Issue 14, point 15: line breaks and RFC 5545's special characters are escaped; no raw CR
    /// or LF is left inside a content line.
    #[test]
    fn text_values_are_escaped_as_rfc_5545_asks() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).single().expect("valid");
        let room = "Kamer\r\n2; B,C\\D\rE\nF\u{2028}G\tH\u{1b}I";
        let text = calendar(&[Entry { room: room.to_owned(), ..entry() }], &Texts::new(Lang::Nl), now);
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains("LOCATION:Kamer\\n2\\; B\\,C\\\\D\\nE\\nF\\nG H I\r\n"), "{text}");
        assert!(!text.replace("\r\n", "").contains(['\r', '\n']), "a raw CR or LF inside a line:\n{text}");
        assert!(text.contains("SUMMARY:Gesprek 2026-001 (IJ. van der W. & E. J.)\r\n"), "{text}");
    }

    #[test]
    fn the_first_day_starts_at_midnight_in_amsterdam() {
        let winter = NaiveDate::from_ymd_opt(2026, 12, 3).expect("valid");
        assert_eq!(
            start_of_day(winter),
            Utc.with_ymd_and_hms(2026, 12, 2, 23, 0, 0).single().expect("valid")
        );
        let summer = NaiveDate::from_ymd_opt(2026, 7, 1).expect("valid");
        assert_eq!(
            start_of_day(summer),
            Utc.with_ymd_and_hms(2026, 6, 30, 22, 0, 0).single().expect("valid")
        );
    }

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("no-such-folder").join("agenda.ics");
        assert!(write_private(&target, b"x").is_err());
        let ok = dir.path().join("agenda.ics");
        write_private(&ok, b"first").expect("write");
        write_private(&ok, b"second").expect("overwrite");
        assert_eq!(fs::read(&ok).expect("read"), b"second");
        let names: Vec<_> =
            fs::read_dir(dir.path()).expect("list").flatten().map(|e| e.file_name()).collect();
        assert_eq!(names, ["agenda.ics"]);
    }

    #[test]
    fn a_new_file_never_replaces_a_name_nor_follows_a_link() {
        let dir = tempfile::tempdir().expect("temp dir");
        let target = dir.path().join("copy.txt");
        write_private_new(&target, b"first").expect("write");
        let refused = write_private_new(&target, b"second").expect_err("exists");
        assert_eq!(refused.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&target).expect("read"), b"first");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&target).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
            let elsewhere = dir.path().join("elsewhere.txt");
            let link = dir.path().join("link.txt");
            std::os::unix::fs::symlink(&elsewhere, &link).expect("link");
            let refused = write_private_new(&link, b"x").expect_err("a link is a name");
            assert_eq!(refused.kind(), io::ErrorKind::AlreadyExists);
            assert!(!elsewhere.exists(), "the link was not followed");
        }
        let mut names: Vec<_> =
            fs::read_dir(dir.path()).expect("list").flatten().map(|e| e.file_name()).collect();
        names.sort();
        assert!(names.iter().all(|n| !n.to_string_lossy().starts_with('.')), "no temporary file: {names:?}");
    }
}
