//! Encryption at rest on the command line, without `LOKET_PLAIN`: `loket encrypt` turns a demo
//! file into an encrypted one; the subcommands open it with `--user` and a password from a file or
//! standard input; every refusal is one line and leaves the file as it was.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use crate::common::bin::{assert_one_line_error, loket_command, stderr};

const PASSWORD: &str = loket::demo::DEMO_PASSWORD;
const COORDINATOR: &str = "Henk Bos";
const RECEPTIONIST: &str = "Ingrid Hoekstra";
const WRONG: &str = "loket: Naam of wachtwoord klopt niet.";

/// `loket <args>` in `dir`, without `LOKET_PLAIN`.
fn run(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = loket_command(dir);
    cmd.env_remove("LOKET_PLAIN");
    cmd.args(args).stdin(Stdio::null()).output().expect("the binary runs")
}

/// `loket <args>` in `dir`, without `LOKET_PLAIN`, with `input` on standard input (not a terminal).
fn run_with_input(dir: &Path, args: &[&str], input: &str) -> Output {
    let mut cmd = loket_command(dir);
    cmd.env_remove("LOKET_PLAIN");
    let mut child = cmd
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write the password");
    child.wait_with_output().expect("the binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "should succeed: {}", stderr(out));
    stdout(out)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn keys_of(db: &Path) -> PathBuf {
    let mut path = db.as_os_str().to_owned();
    path.push(".keys");
    PathBuf::from(path)
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).expect("metadata").permissions().mode() & 0o777
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// A password file, owner-only, with `password` on its first line.
fn password_file(dir: &Path, name: &str, password: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("{password}\nthe second line is not read\n")).expect("write");
    #[cfg(unix)]
    set_mode(&path, 0o600);
    path
}

fn s(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// A plain demo database of 3 couples (users: the demo's, with the demo password).
struct Demo {
    dir: tempfile::TempDir,
    db: PathBuf,
    pw: PathBuf,
}

fn demo() -> Demo {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("desk.db");
    let made = run(dir.path(), &["demo", "--plain", "--db", s(&db), "--couples", "3"]);
    ok(&made);
    let pw = password_file(dir.path(), "pw", PASSWORD);
    Demo { dir, db, pw }
}

impl Demo {
    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `loket <args> --db <db>` (no --plain).
    fn loket(&self, args: &[&str]) -> Output {
        let mut all = args.to_vec();
        all.extend(["--db", s(&self.db)]);
        run(self.path(), &all)
    }

    /// `loket encrypt` as the coordinator; returns the recovery key.
    fn encrypt(&self) -> String {
        let out = self.loket(&["encrypt", "--user", COORDINATOR, "--password-file", s(&self.pw)]);
        let text = ok(&out);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert_eq!(
            lines[0],
            format!("{} is versleuteld; het onversleutelde bestand is weg", self.db.display())
        );
        let key = lines[1]
            .strip_prefix("Herstelsleutel: ")
            .and_then(|rest| rest.split("  ").next())
            .unwrap_or_else(|| panic!("the recovery key line: {text}"));
        let groups: Vec<&str> = key.split('-').collect();
        assert_eq!(groups.len(), 13, "{key}");
        assert!(groups.iter().all(|g| g.len() == 4), "{key}");
        assert!(lines[1].contains("Hij wordt maar één keer getoond."), "{text}");
        key.to_owned()
    }
}

#[test]
fn encrypt_makes_a_file_without_names_that_the_coordinator_reports_on_as_before() {
    let demo = demo();
    let csv = ["report", "--format", "csv"];
    let plain_report = ok(&demo.loket(&[&csv[..], &["--plain"]].concat()));
    assert!(plain_report.starts_with("group,key,label,value"), "{plain_report}");
    let plain = std::fs::read(&demo.db).expect("read");
    assert!(plain.starts_with(b"SQLite format 3\0"), "the demo file starts plain");
    assert!(contains(&plain, RECEPTIONIST.as_bytes()), "the plain file holds the names");

    let recovery = demo.encrypt();

    // The file: no SQLite header, no name, no password, no key; nor in its journal.
    let mut bytes = std::fs::read(&demo.db).expect("read");
    assert!(!bytes.starts_with(b"SQLite format 3"), "encrypted");
    if let Ok(wal) = std::fs::read(format!("{}-wal", demo.db.display())) {
        bytes.extend(wal);
    }
    for text in ["Hoekstra", COORDINATOR, "Sara de Boer", PASSWORD, "$argon2id$", &recovery] {
        assert!(!contains(&bytes, text.as_bytes()), "{text:?} in the encrypted file");
    }
    // No plain copy or temporary file left beside it: the database and its slots only.
    let mut left: Vec<String> = std::fs::read_dir(demo.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("desk.db") || n.starts_with(".desk.db"))
        .collect();
    left.sort();
    assert_eq!(left, ["desk.db", "desk.db.keys"]);

    // The slots: owner-only, the coordinator's, no password and no key in them.
    let keys = keys_of(&demo.db);
    #[cfg(unix)]
    assert_eq!(mode(&keys), 0o600);
    let slot_text = std::fs::read_to_string(&keys).expect("the slot file");
    assert!(slot_text.contains(COORDINATOR), "{slot_text}");
    assert!(!slot_text.contains(RECEPTIONIST), "only the coordinator has a slot yet: {slot_text}");
    assert!(!slot_text.contains(PASSWORD) && !slot_text.contains(&recovery), "{slot_text}");

    // The same report, now through the coordinator's slot: from the file and from standard input.
    let user = ["--user", COORDINATOR];
    let from_file = ok(&demo.loket(&[&csv[..], &user, &["--password-file", s(&demo.pw)]].concat()));
    assert_eq!(from_file, plain_report);
    let mut args = csv.to_vec();
    args.extend(user);
    args.extend(["--db", s(&demo.db)]);
    let from_stdin = run_with_input(demo.path(), &args, &format!("{PASSWORD}\n"));
    assert_eq!(ok(&from_stdin), plain_report);
    // The name in any case, as everywhere in loket.
    let lower =
        ok(&demo.loket(&[&csv[..], &["--user", "henk bos", "--password-file", s(&demo.pw)]].concat()));
    assert_eq!(lower, plain_report);

    // check on the encrypted file passes.
    let check = ok(&demo.loket(&["check", "--user", COORDINATOR, "--password-file", s(&demo.pw)]));
    assert!(check.contains("in orde: integriteit ok, geen losse verwijzingen"), "{check}");

    // Encrypting again is refused in one line.
    let again = demo.loket(&["encrypt", "--user", COORDINATOR, "--password-file", s(&demo.pw)]);
    assert_eq!(stderr(&again).trim_end(), "loket: deze database is al versleuteld");
    assert_eq!(again.status.code(), Some(1));
}

#[test]
fn an_encrypted_file_is_refused_without_a_user_a_private_password_file_or_the_right_password() {
    let demo = demo();
    demo.encrypt();
    let before = std::fs::read(&demo.db).expect("read");
    let slots_before = std::fs::read(keys_of(&demo.db)).expect("read");

    let no_user = demo.loket(&["report", "--password-file", s(&demo.pw)]);
    assert_eq!(no_user.status.code(), Some(1));
    assert_eq!(
        stderr(&no_user).trim_end(),
        "loket: deze database is versleuteld: zeg met --user NAAM wie hem opent"
    );
    assert!(stdout(&no_user).is_empty());

    #[cfg(unix)]
    {
        let open = password_file(demo.path(), "open-pw", PASSWORD);
        for mode in [0o644, 0o640, 0o604] {
            set_mode(&open, mode);
            let out = demo.loket(&["report", "--user", COORDINATOR, "--password-file", s(&open)]);
            assert_eq!(out.status.code(), Some(1), "mode {mode:o}");
            assert_eq!(
                stderr(&out).trim_end(),
                "loket: het wachtwoordbestand moet een gewoon bestand zijn dat alleen de eigenaar kan \
                 lezen (chmod 600)",
                "mode {mode:o}"
            );
            assert!(stdout(&out).is_empty());
        }
    }
    let missing = demo.path().join("no-such-pw");
    let out = demo.loket(&["check", "--user", COORDINATOR, "--password-file", s(&missing)]);
    assert_one_line_error(&out, "het wachtwoordbestand kan niet worden gelezen");

    let bad = password_file(demo.path(), "bad-pw", "niet het wachtwoord");
    for command in ["report", "check", "export-ics"] {
        let out = demo.loket(&[command, "--user", COORDINATOR, "--password-file", s(&bad)]);
        assert_eq!(out.status.code(), Some(1), "{command}");
        assert_eq!(stderr(&out).trim_end(), WRONG, "{command}");
        assert!(stdout(&out).is_empty(), "{command}");
    }
    let out = run_with_input(
        demo.path(),
        &["report", "--user", COORDINATOR, "--db", s(&demo.db)],
        "niet het wachtwoord\n",
    );
    assert_eq!(stderr(&out).trim_end(), WRONG);
    // A user without a slot (every demo user but the coordinator, after encrypt), or nobody at
    // all: the same neutral line, which does not tell which is the case.
    for name in [RECEPTIONIST, "Niemand Bekend"] {
        let out = demo.loket(&["report", "--user", name, "--password-file", s(&demo.pw)]);
        assert_eq!(stderr(&out).trim_end(), WRONG, "{name}");
    }

    let copy = demo.path().join("copy.db");
    let out = demo.loket(&["backup", s(&copy), "--user", COORDINATOR, "--password-file", s(&bad)]);
    assert_eq!(stderr(&out).trim_end(), WRONG);
    assert!(!copy.exists(), "no copy without the key");

    assert!(std::fs::read(&demo.db).expect("read") == before, "nothing written to the database");
    assert!(std::fs::read(keys_of(&demo.db)).expect("read") == slots_before, "nor to the slots");
}

#[test]
fn a_plain_file_opens_only_with_plain() {
    let demo = demo();
    let before = std::fs::read(&demo.db).expect("read");
    let line = format!(
        "loket: {} is niet versleuteld: versleutel het met loket encrypt --user NAAM (of open het met \
         --plain, alleen voor tests en de demo)",
        demo.db.display()
    );
    let copy = demo.path().join("copy.db");
    for command in [&["report"][..], &["check"], &["export-ics"], &["backup", s(&copy)]] {
        let out = demo.loket(command);
        assert_eq!(out.status.code(), Some(1), "{command:?}");
        assert_eq!(stderr(&out).trim_end(), line, "{command:?}");
    }
    // Even with a user and the right password: a plain file is refused, not silently opened.
    let out = demo.loket(&["report", "--user", COORDINATOR, "--password-file", s(&demo.pw)]);
    assert_eq!(stderr(&out).trim_end(), line);
    assert!(!copy.exists(), "no copy of a refused file");
    assert!(std::fs::read(&demo.db).expect("read") == before, "nothing written");
    // LOKET_PLAIN=true, as the other tests run, is --plain.
    let mut cmd = loket_command(demo.path());
    let out = cmd.args(["check", "--db", s(&demo.db)]).output().expect("runs");
    assert!(ok(&out).contains("in orde"));
}

#[test]
fn encrypt_is_refused_for_a_receptionist_and_leaves_the_plain_file_as_it_was() {
    let demo = demo();
    let before = std::fs::read(&demo.db).expect("read");
    let out = demo.loket(&["encrypt", "--user", RECEPTIONIST, "--password-file", s(&demo.pw)]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).trim_end(), "loket: Alleen een coördinator beheert gebruikers.");
    assert!(stdout(&out).is_empty(), "no recovery key: {}", stdout(&out));
    assert!(std::fs::read(&demo.db).expect("read") == before, "byte for byte");
    assert!(!keys_of(&demo.db).exists());

    let out = demo.loket(&["encrypt", "--password-file", s(&demo.pw)]);
    assert_eq!(stderr(&out).trim_end(), "loket: zeg met --user NAAM welke coördinator versleutelt");
    let out = demo.loket(&["encrypt", "--user", "Niemand Bekend", "--password-file", s(&demo.pw)]);
    assert_eq!(stderr(&out).trim_end(), WRONG);
    assert!(std::fs::read(&demo.db).expect("read") == before, "byte for byte");
    assert!(!keys_of(&demo.db).exists());
    let left: Vec<_> = std::fs::read_dir(demo.path()).expect("list").collect();
    assert_eq!(left.len(), 2, "the database and the password file only: {left:?}");
}

#[test]
fn encrypt_with_a_wrong_password_is_refused_and_the_file_stays_plain() {
    let demo = demo();
    let bad = password_file(demo.path(), "bad-pw", "niet het wachtwoord");
    let out = demo.loket(&["encrypt", "--user", COORDINATOR, "--password-file", s(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).trim_end(), WRONG);
    assert!(stdout(&out).is_empty());
    assert!(std::fs::read(&demo.db).expect("read").starts_with(b"SQLite format 3\0"));
    assert!(!keys_of(&demo.db).exists());
    // The right password still works afterwards.
    demo.encrypt();
}

/// Issue 11 point 6: a wrong password writes nothing. `loket encrypt` signs in through the store,
/// which counts the failed try in the plain file (`users.failed_tries`, `last_failed_at`).
#[test]
fn encrypt_with_a_wrong_password_leaves_the_plain_file_byte_identical() {
    let demo = demo();
    let before = std::fs::read(&demo.db).expect("read");
    let bad = password_file(demo.path(), "bad-pw", "niet het wachtwoord");
    let out = demo.loket(&["encrypt", "--user", COORDINATOR, "--password-file", s(&bad)]);
    assert_eq!(stderr(&out).trim_end(), WRONG);
    assert!(std::fs::read(&demo.db).expect("read") == before, "byte for byte");
}

#[test]
fn a_backup_of_an_encrypted_file_is_encrypted_and_checks_with_the_slots_beside_it() {
    let demo = demo();
    demo.encrypt();
    let copy = demo.path().join("copy.db");
    let auth = ["--user", COORDINATOR, "--password-file", s(&demo.pw)];
    let out = ok(&demo.loket(&[&["backup", s(&copy)][..], &auth].concat()));
    assert_eq!(out.trim_end(), format!("reservekopie gemaakt en gecontroleerd: {}", copy.display()));

    let bytes = std::fs::read(&copy).expect("read the copy");
    assert!(!bytes.starts_with(b"SQLite format 3"), "the copy is encrypted");
    assert!(!contains(&bytes, b"Hoekstra"), "no name in the copy");
    #[cfg(unix)]
    assert_eq!(mode(&copy), 0o600, "the copy is owner-only");
    // The copy keeps the original's salt, and its slots are written beside it (owner-only): the
    // same password opens it, and a restored backup needs no recovery key.
    let original_id = std::fs::read(&demo.db).expect("read")[..16].to_vec();
    assert_eq!(bytes[..16], original_id[..], "the same database id");
    assert!(keys_of(&copy).exists(), "the slots beside the copy");
    #[cfg(unix)]
    assert_eq!(mode(&keys_of(&copy)), 0o600, "the copy's slots are owner-only");
    let check = ok(&run(demo.path(), &[&["check", "--db", s(&copy)][..], &auth].concat()));
    assert!(check.contains("in orde: integriteit ok, geen losse verwijzingen"), "{check}");
    let report =
        ok(&run(demo.path(), &[&["report", "--format", "csv", "--db", s(&copy)][..], &auth].concat()));
    let original = ok(&demo.loket(&[&["report", "--format", "csv"][..], &auth].concat()));
    assert_eq!(report, original, "the copy holds the same figures");

    // A second backup to the same name overwrites nothing.
    let again = demo.loket(&[&["backup", s(&copy)][..], &auth].concat());
    assert_one_line_error(&again, "het bestand bestaat al");
}
