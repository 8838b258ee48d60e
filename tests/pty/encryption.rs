//! Encryption at rest end to end, without `LOKET_PLAIN`: a fresh file is encrypted, its first user
//! sees the recovery key once, the gate opens it with her own password, and a lost slot file is
//! made good with the recovery key and the next sign-in.

use std::path::Path;

use portable_pty::CommandBuilder;

use crate::common::pty::*;

const NAME: &str = "Kees Bakker";
const MISSING_SLOTS: &str =
    "Het sleutelbestand naast de database ontbreekt: alleen de herstelsleutel opent hem nog.";

/// `loket --db <place's db>` in a terminal of 120 × 40, as [`Loket::start_with`] starts it but
/// without `LOKET_PLAIN`: the file is encrypted.
fn start_encrypted(place: &Place) -> Loket {
    let mut cmd: CommandBuilder = place.command(env!("CARGO_BIN_EXE_loket"));
    cmd.env_remove("LOKET_PLAIN");
    cmd.arg("--db");
    cmd.arg(place.db());
    Loket::spawn(cmd, 120, 40)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The file and its journal, as bytes.
fn on_disk(db: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(db).expect("read the database");
    if let Ok(wal) = std::fs::read(format!("{}-wal", db.display())) {
        bytes.extend(wal);
    }
    bytes
}

/// Whether `word` is a recovery key: 13 groups of 4 base32 characters joined by `-`.
fn is_recovery_key(word: &str) -> bool {
    let groups: Vec<&str> = word.split('-').collect();
    groups.len() == 13
        && groups
            .iter()
            .all(|g| g.len() == 4 && g.chars().all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c)))
}

/// The recovery key on the screen; panics with the screen when there is none (or more than one).
fn recovery_key_on(screen: &str) -> String {
    let keys: Vec<&str> =
        screen.split(|c: char| c.is_whitespace() || c == '│').filter(|w| is_recovery_key(w)).collect();
    assert_eq!(keys.len(), 1, "one recovery key on the screen:\n{screen}");
    keys[0].to_owned()
}

/// The screen's text with the box borders taken off and the lines joined, so that a message that
/// wraps inside a box can be found whole.
fn flowing(screen: &str) -> String {
    screen
        .lines()
        .map(|l| l.trim().trim_matches(|c| c == '│' || c == '║').trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn wait_flowing(app: &Loket, text: &str) -> String {
    wait_until(&app.screen, &format!("{text:?} (across lines)"), TIMEOUT, |s| flowing(s).contains(text))
}

#[test]
fn a_new_file_is_encrypted_opens_with_a_password_and_with_the_recovery_key_when_the_slots_are_lost() {
    let place = Place::empty();
    let db = place.db();
    let slots = {
        let mut path = db.as_os_str().to_owned();
        path.push(".keys");
        std::path::PathBuf::from(path)
    };

    // A fresh file: the first user, then the recovery key, once.
    let mut app = start_encrypted(&place);
    app.wait_for("Welkom bij loket: u bent de eerste gebruiker (coördinator)");
    app.send(&[NAME, TAB, FIRST_PASSWORD, TAB, FIRST_PASSWORD, ENTER].concat());
    // The notice's title reads "Herstelsleutel: …" too: wait for the key itself to be drawn.
    let popup = wait_until(&app.screen, "the recovery key", TIMEOUT, |s| {
        s.split(|c: char| c.is_whitespace() || c == '│').any(is_recovery_key)
    });
    let recovery = recovery_key_on(&popup);
    assert!(flowing(&popup).contains(&format!("Herstelsleutel: {recovery}  Schrijf hem op")), "{popup}");
    app.send("j");
    app.wait_gone("Herstelsleutel: ");
    app.wait_for(&format!("{NAME} (coördinator)"));
    app.quit();
    drop(app);

    // On disk: no SQLite header, no name, no password; a slot file for Kees, owner-only.
    let bytes = on_disk(&db);
    assert!(!bytes.starts_with(b"SQLite format 3"), "the file is encrypted");
    for secret in [NAME, FIRST_PASSWORD, recovery.as_str()] {
        assert!(!contains(&bytes, secret.as_bytes()), "{secret:?} in the database");
    }
    let slot_text = std::fs::read_to_string(&slots).expect("the slot file");
    assert!(slot_text.contains(NAME), "{slot_text}");
    assert!(!slot_text.contains(FIRST_PASSWORD) && !slot_text.contains(&recovery), "{slot_text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&slots).expect("slot file").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "owner-only: {mode:o}");
    }

    // The gate: Kees, a wrong password in one line, then the right one.
    let mut app = start_encrypted(&place);
    let gate = app.wait_for("loket: ontgrendelen");
    assert!(gate.contains(&format!("▸ {NAME}")), "{gate}");
    assert!(!gate.contains("Wie bent u?"), "nothing of the database before it opens:\n{gate}");
    app.send(ENTER);
    app.wait_for("Wachtwoord");
    app.send(&["niet het goede wachtwoord", ENTER].concat());
    let refused = app.wait_for("Naam of wachtwoord klopt niet.");
    assert_eq!(refused.matches("Naam of wachtwoord klopt niet.").count(), 1, "{refused}");
    assert!(!refused.contains("niet het goede"), "a password is never shown:\n{refused}");
    app.send(&[FIRST_PASSWORD, ENTER].concat());
    app.wait_gone("loket: ontgrendelen");
    app.wait_for(&format!("{NAME} (coördinator)"));
    app.quit();
    drop(app);

    // The slot file lost: only the recovery key opens the file.
    std::fs::remove_file(&slots).expect("remove the slot file");
    let mut app = start_encrypted(&place);
    let gate = wait_flowing(&app, MISSING_SLOTS);
    assert!(gate.contains("loket: ontgrendelen") && gate.contains("Herstelsleutel"), "{gate}");
    assert!(!gate.contains(NAME), "no slots, no names:\n{gate}");
    app.send(&recovery);
    // Typed from paper, so shown as typed (the field is narrower than the key: its end).
    app.wait_for(&recovery[recovery.len() - 20..]);
    app.send(ENTER);
    app.wait_gone("loket: ontgrendelen");
    // Opened with the recovery key nobody is signed in: the user list, and Kees's own password.
    app.wait_for("Wie bent u?");
    app.wait_for(&format!("▸ {NAME}"));
    app.send(ENTER);
    app.wait_for(&format!("Aanmelden als {NAME}"));
    app.send(&[FIRST_PASSWORD, ENTER].concat());
    app.wait_gone("Wie bent u?");
    app.wait_for(&format!("{NAME} (coördinator)"));
    app.quit();
    drop(app);

    // Signing in gave Kees a slot again: the gate lists him and his password opens the file.
    let slot_text = std::fs::read_to_string(&slots).expect("the slot file is back");
    assert!(slot_text.contains(NAME) && !slot_text.contains(FIRST_PASSWORD), "{slot_text}");
    let mut app = start_encrypted(&place);
    let gate = app.wait_for("loket: ontgrendelen");
    assert!(gate.contains(&format!("▸ {NAME}")), "{gate}");
    assert!(!flowing(&gate).contains(MISSING_SLOTS), "{gate}");
    app.send(ENTER);
    app.wait_for("Wachtwoord");
    app.send(&[FIRST_PASSWORD, ENTER].concat());
    app.wait_gone("loket: ontgrendelen");
    app.wait_for(&format!("{NAME} (coördinator)"));
    app.quit();

    let bytes = on_disk(&db);
    assert!(!bytes.starts_with(b"SQLite format 3") && !contains(&bytes, NAME.as_bytes()));
}

/// `loket <args>` on the command line, without `LOKET_PLAIN`; its standard output.
fn loket_cli(place: &Place, args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_loket"))
        .args(args)
        .current_dir(place.path())
        .env("LOKET_CONFIG", place.config())
        .env("LOKET_LANG", "nl")
        .env_remove("LOKET_DB")
        .env_remove("LOKET_PLAIN")
        .output()
        .expect("the binary runs");
    assert!(out.status.success(), "loket {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A demo desk encrypted by `loket encrypt` as `orig.db`, then restored from `loket backup` as the
/// place's database (the backup writes its slots beside it), and then another desk's slot file
/// put in their place. Returns the recovery key of the place's database.
fn restored_backup_with_foreign_slots(place: &Place) -> String {
    let orig = place.path().join("orig.db");
    let pw = place.path().join("pw");
    std::fs::write(&pw, format!("{DEMO_PASSWORD}\n")).expect("write the password file");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&pw, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    let (orig_arg, pw_arg) = (orig.to_str().expect("utf-8"), pw.to_str().expect("utf-8"));
    let auth = ["--user", "Henk Bos", "--password-file", pw_arg, "--db", orig_arg];
    loket_cli(place, &["demo", "--plain", "--couples", "2", "--db", orig_arg]);
    let recovery = recovery_key_on(&loket_cli(place, &[&["encrypt"][..], &auth].concat()));
    let db = place.db();
    loket_cli(place, &[&["backup", db.to_str().expect("utf-8")][..], &auth].concat());
    assert!(place.path().join("loket.db.keys").exists(), "the backup's own slots");
    let other = place.path().join("other.db");
    let other_arg = other.to_str().expect("utf-8");
    loket_cli(place, &["demo", "--plain", "--couples", "2", "--db", other_arg]);
    let other_auth = ["--user", "Henk Bos", "--password-file", pw_arg, "--db", other_arg];
    loket_cli(place, &[&["encrypt"][..], &other_auth].concat());
    std::fs::copy(place.path().join("other.db.keys"), place.path().join("loket.db.keys"))
        .expect("copy another desk's slot file");
    recovery
}

const FOREIGN_SLOTS: &str =
    "Het sleutelbestand hoort bij een andere database: alleen de herstelsleutel opent deze nog.";

/// Another database's slot file beside this one: the gate says so and takes only the recovery
/// key; a mistyped one is one line.
#[test]
fn another_databases_slot_file_leaves_only_the_recovery_key() {
    let place = Place::empty();
    let recovery = restored_backup_with_foreign_slots(&place);
    let mut app = start_encrypted(&place);
    let gate = wait_flowing(&app, FOREIGN_SLOTS);
    assert!(!gate.contains("Henk Bos"), "no names from a foreign slot file:\n{gate}");
    // A character wrong: not a recovery key at all.
    app.send(&[&recovery[..recovery.len() - 1], "1", ENTER].concat());
    wait_flowing(&app, "Dit is geen herstelsleutel (13 groepjes van 4 letters en cijfers).");
    app.send(&[recovery.as_str(), ENTER].concat());
    app.wait_gone("loket: ontgrendelen");
    app.wait_for("Wie bent u?");
    app.quit();
}

/// Issue 11 point 6 ("a slot file from another database"): after the recovery key, the next
/// sign-in leaves a slot file of this database's own, which the gate accepts at the next start.
#[test]
fn after_the_recovery_key_a_sign_in_replaces_a_foreign_slot_file() {
    let place = Place::empty();
    let recovery = restored_backup_with_foreign_slots(&place);
    let mut app = start_encrypted(&place);
    wait_flowing(&app, FOREIGN_SLOTS);
    app.send(&[recovery.as_str(), ENTER].concat());
    app.wait_for("Wie bent u?");
    // The first of the list (by name): Anouk Verbeek, a counsellor.
    app.send(ENTER);
    app.wait_for("Aanmelden als Anouk Verbeek");
    app.send(&[DEMO_PASSWORD, ENTER].concat());
    app.wait_for("Anouk Verbeek (hulpverlener)");
    app.quit();
    drop(app);

    let app = start_encrypted(&place);
    let gate = app.wait_for("loket: ontgrendelen");
    assert!(gate.contains("▸ Anouk Verbeek"), "{gate}");
    assert!(!flowing(&gate).contains(FOREIGN_SLOTS), "{gate}");
}
