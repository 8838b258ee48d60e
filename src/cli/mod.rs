//! The command line: which database, which language, and the subcommands.

use std::path::{Path, PathBuf};

use chrono::Utc;
use clap::Parser;

use crate::access::{is_plain, key_for, open_existing};
use crate::app::App;
use crate::config::{Config, Lang};
use crate::domain::access::AccessEvent;
use crate::errors;
use crate::i18n::Texts;
use crate::store::{Access, Store, StoreError};

#[derive(Debug, Parser)]
#[command(
    name = "loket",
    version,
    about = "The intake desk of a relationship-support service, in the terminal"
)]
pub struct Cli {
    /// The database file (default: loket.db in your data folder)
    #[arg(long, env = "LOKET_DB", global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Language of the screens: nl or en (default: the configuration's, else nl)
    #[arg(long, env = "LOKET_LANG", global = true, value_name = "nl|en")]
    pub lang: Option<Lang>,
    /// The configuration file (default: config.toml in your config folder)
    #[arg(long, env = "LOKET_CONFIG", global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Try loket on a throw-away database filled with fictitious couples (any --db is ignored)
    #[arg(long)]
    pub demo: bool,
    /// Open a plain (not encrypted) database: for tests and the demo only
    #[arg(long, global = true, env = "LOKET_PLAIN")]
    pub plain: bool,
    /// Who opens an encrypted database on the command line (their password is asked, not given)
    #[arg(long, global = true, value_name = "NAME")]
    pub user: Option<String>,
    /// Read the password from FILE (owner-only), for scripts such as a nightly backup
    #[arg(long, global = true, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

mod commands;
mod progress;
pub use commands::{Command, ReportFormat};

/// An error for the command line: one line, in the user's language, no personal data.
#[derive(Debug)]
pub struct CliError(pub String);

fn project_dirs(texts: &Texts) -> Result<directories::ProjectDirs, CliError> {
    directories::ProjectDirs::from("nl", "Relatieloket", "loket")
        .ok_or_else(|| CliError(texts.t("cli.no_home").to_owned()))
}

fn config_path(cli: &Cli, texts: &Texts) -> Result<PathBuf, CliError> {
    match &cli.config {
        Some(p) => Ok(p.clone()),
        None => Ok(project_dirs(texts)?.config_dir().join("config.toml")),
    }
}

/// The database's path. Anything there but a regular file (a device, a FIFO, a folder, a link) is
/// refused now, by its metadata, before any command looks inside or opens it.
fn db_path(cli: &Cli, texts: &Texts) -> Result<PathBuf, CliError> {
    let path = match &cli.db {
        Some(p) => p.clone(),
        None => project_dirs(texts)?.data_dir().join("loket.db"),
    };
    // Other trouble (a folder that may not be read) is said by the command, as before.
    if let Err(e @ StoreError::NotAFile(_)) = crate::store::regular_or_missing(&path) {
        return Err(cannot_open(texts, &path, &e));
    }
    Ok(path)
}

/// A store error as one line: the path and the reason (see [`errors::store_error_text`]).
pub(crate) fn cannot_open(texts: &Texts, path: &Path, e: &StoreError) -> CliError {
    let reason = errors::store_error_text(texts, e);
    CliError(texts.f("cli.cannot_open", &[("path", &path.display()), ("reason", &reason)]))
}

/// Opens a plain store (the demo), turning a failure into one clear line.
pub(crate) fn open(path: &Path, texts: &Texts) -> Result<Store, CliError> {
    Store::open(path).map_err(|e| cannot_open(texts, path, &e))
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    // Until the configuration is read, its language is unknown: the command line's, else Dutch.
    let early = Texts::new(cli.lang.unwrap_or_default());
    let path = config_path(&cli, &early)?;
    let config_error =
        |path: &Path, e: crate::config::ConfigError| CliError(errors::config_error_text(&early, path, &e));
    let mut config = Config::load(&path).map_err(|e| config_error(&path, e))?;
    // The desk's own list of referral parties, beside the configuration file, replaces the shipped one.
    let parties = path.with_file_name("referral_parties.toml");
    if let Ok(text) = std::fs::read_to_string(&parties) {
        config.parties = crate::config::parse_parties(&text).map_err(|e| config_error(&parties, e))?;
    }
    let lang = cli.lang.unwrap_or(config.language);
    let texts = Texts::new(lang);
    match &cli.command {
        Some(Command::Backup { file }) => {
            let path = db_path(&cli, &texts)?;
            if !path.exists() {
                return Err(CliError(texts.f("cli.no_database", &[("path", &path.display())])));
            }
            let mut store = open_existing(&cli, &path, &texts)?;
            crate::access::log_command(&mut store, &cli, &texts, AccessEvent::Backup, "")?;
            store.backup(file).map_err(|e| {
                let reason = match e {
                    StoreError::Io(std::io::ErrorKind::AlreadyExists) => {
                        texts.t("cli.backup_exists").to_owned()
                    }
                    other => errors::store_error_text(&texts, &other),
                };
                CliError(texts.f("cli.backup_failed", &[("path", &file.display()), ("reason", &reason)]))
            })?;
            // The copy keeps the original's salt: the same slots open it, copied beside it.
            if !is_plain(&path) {
                let copied = crate::keys::SlotFile::load(&crate::keys::slots_path(&path))
                    .and_then(|slots| slots.save(&crate::keys::slots_path(file)));
                if let Err(e) = copied {
                    return Err(CliError(errors::key_error_text(&texts, e)));
                }
            }
            println!("{}", texts.f("cli.backup_done", &[("path", &file.display())]));
            Ok(())
        }
        Some(Command::Check) => {
            let path = db_path(&cli, &texts)?;
            // A missing file is said by the check itself.
            let access_key = if path.exists() { key_for(&cli, &path, &texts)? } else { None };
            let access = access_key.as_ref().map_or(Access::Plain, Access::Key);
            let report = crate::store::check(&path, access).map_err(|e| cannot_open(&texts, &path, &e))?;
            // Logged in the file it checked when that is sound: a damaged file is left as it is.
            let sound = report.is_ok() && report.schema_version == crate::store::SCHEMA_VERSION;
            let opened = match &access_key {
                Some(key) if sound => Store::open_with(&path, Access::Key(key)).ok(),
                None if sound && cli.plain => Store::open(&path).ok(),
                _ => None,
            };
            if let Some(mut store) = opened {
                crate::access::log_command(&mut store, &cli, &texts, AccessEvent::Check, "ok")?;
            }
            println!(
                "{}",
                texts.f(
                    "cli.check_schema",
                    &[("found", &report.schema_version), ("supported", &crate::store::SCHEMA_VERSION)]
                )
            );
            for line in &report.integrity {
                println!("{}", texts.f("cli.check_integrity", &[("line", line)]));
            }
            for (table, row) in &report.foreign_keys {
                println!("{}", texts.f("cli.check_foreign_key", &[("table", table), ("row", row)]));
            }
            if let Some(row) = report.log_broken_at {
                println!("{}", texts.f("cli.check_log_broken", &[("row", &row)]));
            }
            if report.is_ok() {
                println!("{}", texts.t("cli.check_ok"));
                Ok(())
            } else {
                Err(CliError(texts.t("cli.check_failed").to_owned()))
            }
        }
        Some(Command::Config) => {
            let mut effective = config.clone();
            effective.language = lang;
            print!("{}", effective.to_toml());
            Ok(())
        }
        Some(Command::Demo { couples }) => {
            let path = db_path(&cli, &texts)?;
            let mut store = open(&path, &texts)?;
            fill_demo(&mut store, &config, *couples, &texts)?;
            println!("{}", texts.f("cli.demo_done", &[("n", couples), ("path", &path.display())]));
            println!("{}", texts.f("login.demo_passwords", &[("password", &crate::demo::DEMO_PASSWORD)]));
            Ok(())
        }
        Some(Command::Report { from, to, format, exact }) => {
            let path = db_path(&cli, &texts)?;
            let mut store = open_existing(&cli, &path, &texts)?;
            let today = crate::domain::walkin::desk_day(Utc::now());
            let day = |raw: &Option<String>, default: chrono::NaiveDate| match raw {
                None => Ok(default),
                Some(raw) => crate::domain::dates::parse_date(raw, today).map_err(|p| {
                    CliError(texts.f("cli.bad_date", &[("date", raw), ("reason", &texts.t(p.text_key()))]))
                }),
            };
            let year_start =
                chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 1, 1).unwrap_or(today);
            let period = crate::domain::report::Period { from: day(from, year_start)?, to: day(to, today)? };
            if period.from > period.to {
                return Err(CliError(texts.t("cli.bad_period").to_owned()));
            }
            if *exact {
                let detail = period.code();
                crate::access::log_command(&mut store, &cli, &texts, AccessEvent::ExactReport, &detail)?;
            }
            let parties: Vec<&str> = config.parties.iter().map(|p| p.code.as_str()).collect();
            let figures = store
                .report(period, config.budget.funded_trajectories, config.budget.euros, &parties)
                .map_err(|e| CliError(errors::store_error_text(&texts, &e)))?;
            let out = match format {
                ReportFormat::Text => crate::report::text(&figures, period, &texts, &config, *exact),
                ReportFormat::Csv => crate::report::csv(&figures, &texts, &config, *exact)
                    .map_err(|_| CliError(texts.t("cli.report_failed").to_owned()))?,
                ReportFormat::Json => crate::report::json(&figures, period, &texts, &config, *exact),
            };
            print!("{out}");
            Ok(())
        }
        Some(Command::ExportIcs { counsellor, from, out }) => {
            let path = db_path(&cli, &texts)?;
            // An export reads what is there: it never creates a database.
            let mut store = open_existing(&cli, &path, &texts)?;
            let detail = match (counsellor, from) {
                (Some(_), _) => format!("one counsellor, from {}", from.as_deref().unwrap_or("today")),
                (None, _) => format!("all, from {}", from.as_deref().unwrap_or("today")),
            };
            crate::access::log_command(&mut store, &cli, &texts, AccessEvent::CalendarExport, &detail)?;
            let request = crate::export::Request {
                counsellor: counsellor.as_deref(),
                from: from.as_deref(),
                out: out.as_deref(),
            };
            let written = crate::export::run(&store, &request, &texts, Utc::now())
                .map_err(|e| CliError(e.message(&texts)))?;
            if let Some(line) = written {
                println!("{line}");
            }
            Ok(())
        }
        None if cli.demo => {
            // A folder of this run's own (0700, created new): the database, its log and the letters
            // go in it, and it goes as a whole at the end. Nothing found in the temp folder is used.
            let folder = crate::files::create_run_folder(&std::env::temp_dir(), "loket-demo")
                .map_err(|e| cannot_open(&texts, &std::env::temp_dir(), &StoreError::Io(e.kind())))?;
            crate::tui::delete_on_forced_exit(&folder);
            let path = folder.join("demo.db");
            let made = crate::files::open_new(&path).map(drop);
            let result = made
                .map_err(|e| cannot_open(&texts, &path, &StoreError::Io(e.kind())))
                .and_then(|()| open(&path, &texts))
                .and_then(|mut store| {
                    fill_demo(&mut store, &config, 40, &texts)?;
                    let notice =
                        texts.f("login.demo_passwords", &[("password", &crate::demo::DEMO_PASSWORD)]);
                    run_app(store, config, texts, Some(notice))
                });
            let _ = std::fs::remove_dir_all(&folder);
            result
        }
        Some(Command::Audit { file, by, from, to, events, format }) => {
            let (file, by, from, to) = (file.as_deref(), by.as_deref(), from.as_deref(), to.as_deref());
            let request = crate::audit::Request { file, by, from, to, events, format: *format };
            print!("{}", crate::audit::run(&cli, &db_path(&cli, &texts)?, &texts, &config, &request)?);
            Ok(())
        }
        Some(Command::Inzage { file, partner, out, format }) => {
            let path = db_path(&cli, &texts)?;
            crate::inzage::run(&cli, &path, &texts, &config, file, *partner, out.as_deref(), *format)
        }
        Some(Command::Retention { erase }) => {
            crate::retention::run(&cli, &db_path(&cli, &texts)?, &texts, *erase)
        }
        Some(Command::Encrypt) => crate::encrypt::run(&cli, &db_path(&cli, &texts)?, &texts),
        None => desk(&cli, &db_path(&cli, &texts)?, config, texts),
    }
}

fn fill_demo(store: &mut Store, config: &Config, couples: usize, texts: &Texts) -> Result<(), CliError> {
    let mut bar = crate::cli::progress::Bar::on_terminal(texts);
    let filled = crate::demo::fill(store, config, couples, Utc::now(), &mut |done, of| bar.show(done, of));
    bar.finish();
    match filled {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err(CliError(texts.t("cli.demo_not_empty").to_owned())),
        Err(e) => Err(CliError(errors::store_error_text(texts, &e))),
    }
}

/// The desk's own database: encrypted. A new one is made (its first user sets it up); an existing
/// one is unlocked at the gate by a user's password or the recovery key; a plain one opens only
/// with `--plain`.
fn desk(cli: &Cli, path: &Path, config: Config, texts: Texts) -> Result<(), CliError> {
    // Plain only when asked (tests and trying things out): a new file is then plain too.
    if cli.plain {
        return run_app(open(path, &texts)?, config, texts, None);
    }
    let new = std::fs::metadata(path).map_or(true, |m| m.len() == 0);
    if !new && is_plain(path) {
        return Err(CliError(texts.f("cli.plain_file", &[("path", &path.display())])));
    }
    if new {
        let key = crate::keys::DbKey::random().map_err(|e| CliError(errors::key_error_text(&texts, e)))?;
        let store = Store::open_with(path, Access::Key(&key)).map_err(|e| cannot_open(&texts, path, &e))?;
        let made = std::fs::metadata(crate::keys::slots_path(path)).is_err();
        let mut app = App::new(store, config, texts, Box::new(Utc::now));
        app.set_keys(crate::app::keyring::KeyRing::new(key, path.to_owned()));
        let result = run_tui(&mut app, None);
        // Left before anyone was made: nothing can ever open the file, so it goes (it is ours).
        if made && app.login.users.is_empty() {
            drop(app);
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
        return result;
    }
    let mut session = crate::tui::Session::start().map_err(|e| terminal_error(&texts, &e))?;
    let mut gate = crate::app::gate::Gate::new(path.to_owned(), texts.clone());
    session.run(&mut gate).map_err(|e| terminal_error(&texts, &e))?;
    let Some((store, who, key)) = gate.opened.take() else { return Ok(()) };
    let mut app = App::new(store, config, texts, Box::new(Utc::now));
    app.set_keys(crate::app::keyring::KeyRing::new(key, path.to_owned()));
    if let Some((user, password)) = who {
        app.sign_in_with(user, password);
    }
    run_tui(&mut app, Some(session))
}

fn terminal_error(texts: &Texts, e: &std::io::Error) -> CliError {
    CliError(texts.f("cli.terminal_error", &[("reason", &errors::io_text(texts, e.kind()))]))
}

/// Runs the app in the terminal session (a new one when none is given).
fn run_tui(app: &mut App, session: Option<crate::tui::Session>) -> Result<(), CliError> {
    let result = match session {
        Some(mut session) => session.run(app),
        None => crate::tui::run(app),
    };
    result.map_err(|e| terminal_error(&app.texts, &e))
}

fn run_app(store: Store, config: Config, texts: Texts, notice: Option<String>) -> Result<(), CliError> {
    let mut app = App::new(store, config, texts, Box::new(Utc::now));
    app.login.notice = notice;
    crate::tui::run(&mut app).map_err(|e| {
        CliError(app.texts.f("cli.terminal_error", &[("reason", &errors::io_text(&app.texts, e.kind()))]))
    })
}
