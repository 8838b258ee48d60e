//! Opening a database from the command line: a plain one only with `--plain`, an encrypted one
//! with the key slot of `--user` and their password, which is never a command-line argument.

use std::path::Path;

use crate::cli::{Cli, CliError, cannot_open, open};
use crate::domain::names::find_named;
use crate::errors;
use crate::i18n::Texts;
use crate::keys::DbKey;
use crate::store::{Access, Store};

/// Opens an existing database for a subcommand: a plain one only with `--plain`; an encrypted one
/// with the slot of `--user` and their password.
pub fn open_existing(cli: &Cli, path: &Path, texts: &Texts) -> Result<Store, CliError> {
    if !path.exists() {
        return Err(CliError(texts.f("cli.no_database", &[("path", &path.display())])));
    }
    match key_for(cli, path, texts)? {
        None => open(path, texts),
        Some(key) => Store::open_with(path, Access::Key(&key)).map_err(|e| cannot_open(texts, path, &e)),
    }
}

/// The key an existing file is read with: none with `--plain`; a plain file without it is refused;
/// an encrypted one needs the slot of `--user` and their password.
pub fn key_for(cli: &Cli, path: &Path, texts: &Texts) -> Result<Option<DbKey>, CliError> {
    match is_plain(path) {
        _ if cli.plain => Ok(None),
        true => Err(CliError(texts.f("cli.plain_file", &[("path", &path.display())]))),
        false => unlock(cli, path, texts).map(Some),
    }
}

pub use crate::store::is_plain;

/// The database key, from the slot of `--user` and their password.
pub fn unlock(cli: &Cli, path: &Path, texts: &Texts) -> Result<DbKey, CliError> {
    let name = cli.user.as_deref().ok_or_else(|| CliError(texts.t("cli.user_needed").to_owned()))?;
    let password = password(cli, texts)?;
    slot_key(path, texts, name, &password)
}

/// Opens an existing database as the user of `--user`, signed in with their password (asked once,
/// as for [`unlock`]), who must hold a role that `may` accepts: the commands that read or change
/// what only a coordinator may (the access log, exports for a client, erasure). The sign-in is
/// logged, as at the desk.
pub fn open_signed_in(
    cli: &Cli,
    path: &Path,
    texts: &Texts,
    may: fn(&crate::domain::user::User) -> bool,
) -> Result<(Store, crate::domain::user::User), CliError> {
    use crate::domain::user::SignIn;
    if !path.exists() {
        return Err(CliError(texts.f("cli.no_database", &[("path", &path.display())])));
    }
    let name =
        cli.user.as_deref().ok_or_else(|| CliError(texts.t("cli.signed_in_user_needed").to_owned()))?;
    let plain = is_plain(path);
    if plain && !cli.plain {
        return Err(CliError(texts.f("cli.plain_file", &[("path", &path.display())])));
    }
    let password = password(cli, texts)?;
    let mut store = if plain {
        open(path, texts)?
    } else {
        let key = slot_key(path, texts, name, &password)?;
        Store::open_with(path, Access::Key(&key)).map_err(|e| cannot_open(texts, path, &e))?
    };
    let users = store.users().map_err(|e| CliError(errors::store_error_text(texts, &e)))?;
    let user =
        find_named(users, name, |u| &u.name).ok_or_else(|| CliError(texts.t("login.wrong").to_owned()))?;
    let signed = store.sign_in(user.id, &password, chrono::Utc::now());
    match signed.map_err(|e| CliError(errors::store_error_text(texts, &e)))? {
        SignIn::Welcome(user) if may(&user) => Ok((store, user)),
        SignIn::Welcome(_) => Err(CliError(texts.t("cli.role_refused").to_owned())),
        SignIn::ChooseNew(_) => Err(CliError(texts.t("cli.choose_password_first").to_owned())),
        SignIn::Wrong => Err(CliError(texts.t("login.wrong").to_owned())),
        SignIn::Wait(until) => {
            let local = until.with_timezone(&chrono::Local).format("%H:%M").to_string();
            Err(CliError(texts.f("cli.wait_until", &[("time", &local)])))
        }
    }
}

/// The database key in the slot of the user called `name`, opened with their password.
fn slot_key(path: &Path, texts: &Texts, name: &str, password: &str) -> Result<DbKey, CliError> {
    let slots = crate::keys::SlotFile::load(&crate::keys::slots_path(path))
        .map_err(|e| CliError(errors::key_error_text(texts, e)))?;
    if crate::keys::database_id_of(path).ok() != Some(slots.database_id()) {
        return Err(CliError(texts.t("gate.foreign_slots").to_owned()));
    }
    let slot = find_named(slots.users(), name, |u| &u.name)
        .ok_or_else(|| CliError(texts.t("login.wrong").to_owned()))?;
    slots.unwrap(slot.user, password).map_err(|e| CliError(errors::key_error_text(texts, e)))
}

/// The password: from `--password-file` (which must be readable by its owner only), from standard
/// input when that is not a terminal, or asked on the terminal without echo. Never an argument.
pub fn password(cli: &Cli, texts: &Texts) -> Result<crate::domain::password::Secret, CliError> {
    use std::io::IsTerminal;
    let first_line =
        |text: String| crate::domain::password::Secret::new(text.lines().next().unwrap_or("").to_owned());
    if let Some(file) = &cli.password_file {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let meta = std::fs::metadata(file).map_err(|e| {
                CliError(texts.f("cli.password_file", &[("reason", &errors::io_text(texts, e.kind()))]))
            })?;
            if meta.permissions().mode() & 0o077 != 0 || !meta.is_file() {
                return Err(CliError(texts.t("cli.password_file_open").to_owned()));
            }
        }
        let text = std::fs::read_to_string(file).map_err(|e| {
            CliError(texts.f("cli.password_file", &[("reason", &errors::io_text(texts, e.kind()))]))
        })?;
        return Ok(first_line(text));
    }
    if !std::io::stdin().is_terminal() {
        let mut text = String::new();
        std::io::stdin().read_line(&mut text).map_err(|e| {
            CliError(texts.f("cli.password_file", &[("reason", &errors::io_text(texts, e.kind()))]))
        })?;
        return Ok(first_line(text));
    }
    rpassword::prompt_password(texts.t("cli.password_prompt"))
        .map(crate::domain::password::Secret::new)
        .map_err(|e| CliError(errors::io_text(texts, e.kind())))
}

/// Writes a command's event to the access log, as the user of `--user` where one is named (a
/// plain file opened with `--plain` may have none: the row then says only the workstation).
/// Refused, and so the command with it, when the log cannot be written (a full disk); on a file
/// open read-only the command goes on with a warning.
pub fn log_command(
    store: &mut Store,
    cli: &Cli,
    texts: &Texts,
    event: crate::domain::access::AccessEvent,
    detail: &str,
) -> Result<(), CliError> {
    let failed = |e: crate::store::StoreError| CliError(errors::store_error_text(texts, &e));
    // A file this user may only read cannot take a row: the command goes on, and says so.
    if store.is_read_only() {
        eprintln!("{}", texts.t("cli.not_logged_read_only"));
        return Ok(());
    }
    let user = match cli.user.as_deref() {
        Some(name) => find_named(store.users().map_err(failed)?, name, |u| &u.name),
        None => None,
    };
    store.log_event(event, user.as_ref(), None, detail, chrono::Utc::now()).map_err(failed)
}
