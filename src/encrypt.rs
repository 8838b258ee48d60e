//! `loket encrypt`: a plain database becomes an encrypted one, in place. A coordinator's password
//! proves who asks and gives the first key slot; the recovery key is shown once. Interrupted at
//! any moment, one of the two files is whole: the encrypted copy is made and checked beside the
//! plain file, and only then renamed over it.

use std::path::Path;

use crate::access::{is_plain, password};
use crate::cli::{Cli, CliError, cannot_open, open};
use crate::domain::names::find_named;
use crate::errors;
use crate::i18n::Texts;
use crate::keys::{DbKey, SlotFile, database_id_of, slots_path};

pub fn run(cli: &Cli, path: &Path, texts: &Texts) -> Result<(), CliError> {
    if !path.exists() {
        return Err(CliError(texts.f("cli.no_database", &[("path", &path.display())])));
    }
    if !is_plain(path) {
        return Err(CliError(texts.t("cli.already_encrypted").to_owned()));
    }
    let name = cli.user.as_deref().ok_or_else(|| CliError(texts.t("cli.encrypt_user_needed").to_owned()))?;
    // Opening also brings the plain file's schema up to date, before it is copied.
    let store = open(path, texts)?;
    let users = store.users().map_err(|e| cannot_open(texts, path, &e))?;
    let user =
        find_named(users, name, |u| &u.name).ok_or_else(|| CliError(texts.t("login.wrong").to_owned()))?;
    let secret = password(cli, texts)?;
    // Checked without writing: a refused encryption leaves the file byte for byte as it was.
    if !store.password_matches(user.id, &secret).map_err(|e| cannot_open(texts, path, &e))? {
        return Err(CliError(texts.t("login.wrong").to_owned()));
    }
    let me = user;
    if !me.manages_users() {
        return Err(CliError(texts.t("users.coordinator_only").to_owned()));
    }
    drop(store);

    let key = DbKey::random().map_err(|e| CliError(errors::key_error_text(texts, e)))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let copy = path.with_file_name(format!(".{name}.loket-encrypt-{}", std::process::id()));
    crate::store::encrypt_copy(path, &copy, &key).map_err(|e| cannot_open(texts, path, &e))?;
    let slots = (|| {
        let mut slots = SlotFile::new(database_id_of(&copy)?);
        slots.add(me.id, &me.name, &secret, &key)?;
        slots.save(&slots_path(path))
    })();
    if let Err(e) = slots {
        let _ = std::fs::remove_file(&copy);
        return Err(CliError(errors::key_error_text(texts, e)));
    }
    // The plain file's journal was emptied into it before the copy: it goes, then the copy takes
    // the file's place in one rename.
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    std::fs::rename(&copy, path).map_err(|e| {
        let _ = std::fs::remove_file(&copy);
        CliError(texts.f(
            "cli.cannot_open",
            &[("path", &path.display()), ("reason", &errors::io_text(texts, e.kind()))],
        ))
    })?;
    println!("{}", texts.f("cli.encrypted", &[("path", &path.display())]));
    println!("{}", texts.f("keys.recovery_once", &[("key", &key.recovery_text().as_str())]));
    Ok(())
}
