//! The access copy (*inzage*, AVG art. 15) of one partner, for a coordinator: read by the store in
//! one transaction with its log row (see `store::inzage`), rendered as text in the user's language
//! and as JSON, and written as one owner-only file per format named by file number, partner and
//! day. A name that exists is never overwritten (nor a link followed): the export is refused whole
//! and nothing is logged. From `loket inzage` and from the file pane (`p`).

pub mod text;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::cli::{Cli, CliError};
use crate::config::Config;
use crate::domain::couple::FileNumber;
use crate::domain::inzage::AccessCopy;
use crate::domain::referral::Party;
use crate::domain::user::{Role, User};
use crate::domain::walkin::desk_day;
use crate::i18n::Texts;
use crate::store::{ExportFailed, Store, StoreError};

/// Which files to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    #[default]
    Both,
}

impl Format {
    /// The code logged with the export (never content).
    pub fn code(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Both => "text+json",
        }
    }

    fn extensions(self) -> &'static [&'static str] {
        match self {
            Format::Text => &["txt"],
            Format::Json => &["json"],
            Format::Both => &["txt", "json"],
        }
    }
}

/// Why no copy was written. Each is one line in the user's language, without personal data.
#[derive(Debug)]
pub enum InzageError {
    /// Not a file number (as typed).
    BadNumber(String),
    /// No file has this number.
    UnknownFile(String),
    /// The file has no such partner.
    NoPartner {
        file: String,
        partner: i64,
    },
    /// A file of that name is already there.
    Exists(PathBuf),
    /// The copy could not be written there.
    Write(PathBuf, std::io::ErrorKind),
    Store(StoreError),
}

impl InzageError {
    pub fn message(&self, t: &Texts) -> String {
        match self {
            InzageError::BadNumber(raw) => {
                let raw: String = raw.chars().filter(|c| !c.is_control()).take(40).collect();
                t.f("inzage.bad_number", &[("file", &raw)])
            }
            InzageError::UnknownFile(file) => t.f("inzage.unknown_file", &[("file", file)]),
            InzageError::NoPartner { file, partner } => {
                t.f("inzage.no_partner", &[("file", file), ("partner", partner)])
            }
            InzageError::Exists(path) => t.f("inzage.exists", &[("path", &path.display())]),
            InzageError::Write(path, kind) => t.f(
                "inzage.cannot_write",
                &[("path", &path.display()), ("reason", &crate::errors::io_text(t, *kind))],
            ),
            InzageError::Store(StoreError::NotAllowed) => t.t("inzage.coordinator_only").to_owned(),
            InzageError::Store(e) => {
                t.f("inzage.cannot_read", &[("reason", &crate::errors::store_error_text(t, e))])
            }
        }
    }
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub paths: Vec<PathBuf>,
    /// A safety concern is recorded on the file: a counsellor should look the copy over first.
    pub review_first: bool,
}

/// `inzage-2026-001-partner1-2026-12-02.txt`: file number, partner and the desk's day, no name.
pub fn file_name(file: &str, partner: u8, now: DateTime<Utc>, extension: &str) -> String {
    format!("inzage-{file}-partner{partner}-{}.{extension}", desk_day(now).format("%Y-%m-%d"))
}

/// The copy as JSON: the read model's own stable English field names and codes.
pub fn json(copy: &AccessCopy) -> String {
    // Serializing plain strings, numbers and lists cannot fail; an empty object says it did.
    serde_json::to_string_pretty(copy).unwrap_or_else(|_| "{}".to_owned()) + "\n"
}

/// Finds the file by its number and checks the partner: the couple's id and the position.
pub fn subject(store: &Store, file: &str, partner: i64) -> Result<(i64, FileNumber, u8), InzageError> {
    let number = FileNumber::parse(file).ok_or_else(|| InzageError::BadNumber(file.to_owned()))?;
    let (id, positions) = store
        .file_partners(number)
        .map_err(InzageError::Store)?
        .ok_or(InzageError::UnknownFile(number.to_string()))?;
    match u8::try_from(partner) {
        Ok(p) if positions.contains(&p) => Ok((id, number, p)),
        _ => Err(InzageError::NoPartner { file: number.to_string(), partner }),
    }
}

/// Writes the copy of `partner` of the file `couple` (number `number`) into `dir`, as `by`: every
/// target name checked first, then the copy read and logged in one transaction and written inside
/// it. Anything that fails leaves no file of ours and no log row.
#[allow(clippy::too_many_arguments)]
pub fn write(
    store: &mut Store,
    by: &User,
    (couple, number, partner): (i64, FileNumber, u8),
    dir: &Path,
    format: Format,
    texts: &Texts,
    parties: &[Party],
    now: DateTime<Utc>,
) -> Result<Written, InzageError> {
    let file = number.to_string();
    let targets: Vec<PathBuf> =
        format.extensions().iter().map(|ext| dir.join(file_name(&file, partner, now, ext))).collect();
    if let Some(there) = targets.iter().find(|p| std::fs::symlink_metadata(p).is_ok()) {
        return Err(InzageError::Exists(there.clone()));
    }
    let mut written: Vec<PathBuf> = Vec::new();
    let mut review_first = false;
    let result = store.export_access_copy(couple, partner, by, now, format.code(), |copy| {
        let mut copy = copy.clone();
        for r in &mut copy.referrals {
            r.party_name = parties
                .iter()
                .find(|p| p.code == r.party)
                .map(|p| p.name_in(texts.lang()).to_owned())
                .unwrap_or_default();
        }
        review_first = copy.review_first;
        for target in &targets {
            let bytes = if target.extension().is_some_and(|e| e == "json") {
                json(&copy)
            } else {
                text::render(&copy, texts)
            };
            crate::export::write_private_new(target, bytes.as_bytes()).map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => InzageError::Exists(target.clone()),
                kind => InzageError::Write(target.clone(), kind),
            })?;
            written.push(target.clone());
        }
        Ok::<_, InzageError>(())
    });
    let failed = match result {
        Ok(()) => return Ok(Written { paths: written, review_first }),
        Err(ExportFailed::Deliver(e)) => e,
        Err(ExportFailed::Store(e)) => InzageError::Store(e),
    };
    // Not logged, so not written: what this export made goes again.
    for path in &written {
        let _ = std::fs::remove_file(path);
    }
    Err(failed)
}

/// Where the app writes copies: `inzage/` beside the database (owner-only), as letters go in
/// `brieven/`.
pub fn desk_dir(db: &Path) -> PathBuf {
    db.parent().map_or_else(|| PathBuf::from("inzage"), |p| p.join("inzage"))
}

/// Makes the desk's folder for copies if it is not there (owner-only).
pub fn make_desk_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

/// `loket inzage`: a coordinator signs in, and the copy is written to `out` (default: here).
#[allow(clippy::too_many_arguments)]
pub fn run(
    cli: &Cli,
    path: &Path,
    texts: &Texts,
    config: &Config,
    file: &str,
    partner: i64,
    out: Option<&Path>,
    format: Format,
) -> Result<(), CliError> {
    let (mut store, user) = crate::access::open_signed_in(cli, path, texts, |u| u.has(Role::Coordinator))?;
    let fail = |e: InzageError| CliError(e.message(texts));
    let subject = subject(&store, file, partner).map_err(fail)?;
    let dir = out.unwrap_or(Path::new("."));
    let written =
        write(&mut store, &user, subject, dir, format, texts, &config.parties, Utc::now()).map_err(fail)?;
    for p in &written.paths {
        println!("{}", texts.f("inzage.written_file", &[("path", &p.display())]));
    }
    if written.review_first {
        println!("{}", texts.t("inzage.review_first"));
    }
    Ok(())
}
