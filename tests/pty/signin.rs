//! End to end on the real binary: a fresh file, its first user (a coordinator) with a password,
//! a receptionist added on the users screen, a restart, the receptionist's own password, no way
//! to the users screen, the lock and the unlock; and the file holds only a hash.

use crate::common::pty::*;

const RIA_FIRST: &str = "welkom bij de balie";
const RIA_OWN: &str = "ria fietst naar huis";
const CTRL_L: &str = "\x0c";

#[test]
fn a_coordinator_adds_a_receptionist_who_signs_in_with_her_own_password_and_locks() {
    let place = Place::empty();
    let mut app = Loket::start_with(&place, &[], 100, 30);
    app.wait_for("Welkom bij loket: u bent de eerste gebruiker (coördinator)");
    app.send(&["Kees Bakker", TAB, FIRST_PASSWORD, TAB, FIRST_PASSWORD, ENTER].concat());
    app.wait_for("Kees Bakker (coördinator)");

    // The users screen: Ria, receptionist, with a first password.
    app.send("6");
    app.wait_for("Gebruikers en rollen");
    app.send("n");
    app.wait_for("Nieuwe gebruiker");
    app.send(&["Ria Balie", TAB, RIGHT, TAB, TAB, TAB, RIA_FIRST].concat());
    app.wait_for("Ria Balie");
    app.send(CTRL_S);
    app.wait_for("Gebruiker toegevoegd");
    let screen = app.wait_for("receptie");
    assert!(line_with(&screen, "Ria Balie").contains("actief"), "{screen}");
    app.quit();
    drop(app);

    // A new start: Ria signs in with the first password and must choose her own.
    let mut app = Loket::start_with(&place, &[], 100, 30);
    app.wait_for("Wie bent u?");
    app.send(END);
    app.wait_for("▸ Ria Balie");
    app.send(ENTER);
    app.wait_for("Aanmelden als Ria Balie");
    app.send(&["niet goed", ENTER].concat());
    app.wait_for("Naam of wachtwoord klopt niet.");
    app.send(&[RIA_FIRST, ENTER].concat());
    app.wait_for("Kies een nieuw wachtwoord");
    app.send(&[RIA_OWN, TAB, RIA_OWN, ENTER].concat());
    app.wait_for("Ria Balie (receptie)");
    app.wait_for("Uw wachtwoord is gewijzigd.");

    // No users screen for a receptionist: no tab, and 6 says why.
    let screen = app.contents();
    assert!(!screen.contains("6 Gebruikers"), "{screen}");
    app.send("6");
    app.wait_for("Alleen een coördinator beheert gebruikers.");

    // The lock: the whole screen covered until her password is typed again.
    app.send("n");
    app.wait_for("Nieuwe inloper");
    app.send("Anna");
    app.send(CTRL_L);
    let locked = app.wait_for("loket is vergrendeld");
    assert!(!locked.contains("Nieuwe inloper") && !locked.contains("Anna"), "{locked}");
    assert!(locked.contains("Ria Balie, typ uw wachtwoord om verder te gaan."), "{locked}");
    app.send(&[RIA_OWN, ENTER].concat());
    app.wait_gone("loket is vergrendeld");
    let back = app.wait_for("Nieuwe inloper");
    assert!(back.contains("Anna"), "the form as it was:\n{back}");
    app.send(ESC);
    app.wait_for("Wijzigingen in dit formulier weggooien?");
    app.send("j");
    app.wait_gone("Nieuwe inloper");
    app.quit();

    // On disk: a hash, never a password.
    let bytes = std::fs::read(place.db()).expect("read the file");
    for password in [FIRST_PASSWORD, RIA_FIRST, RIA_OWN] {
        assert!(!contains(&bytes, password.as_bytes()), "{password:?} in the file");
    }
    assert!(contains(&bytes, b"$argon2id$"), "the hashes are there");
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The lock after minutes without a key, through the real binary: a debug build takes
/// `LOKET_TEST_LOCK_SECONDS` for the configured minutes, so the test waits two seconds.
#[test]
fn the_desk_locks_itself_when_left_alone_and_unlocks_with_the_password() {
    let place = Place::demo();
    let mut cmd = place.command(env!("CARGO_BIN_EXE_loket"));
    cmd.arg("--db");
    cmd.arg(place.db());
    cmd.env("LOKET_TEST_LOCK_SECONDS", "2");
    let mut app = Loket::spawn(cmd, 100, 30);
    app.sign_in_as_counsellor();
    app.send("n");
    app.wait_for("Nieuwe inloper");
    app.send("Anna");
    let locked = app.wait_for("loket is vergrendeld");
    assert!(!locked.contains("Anna") && !locked.contains("Nieuwe inloper"), "{locked}");
    app.send(&[DEMO_PASSWORD, ENTER].concat());
    app.wait_gone("loket is vergrendeld");
    assert!(app.wait_for("Nieuwe inloper").contains("Anna"), "the form as it was");
}
