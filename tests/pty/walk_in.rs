//! End to end: the real `loket` binary in a pseudo-terminal, driven by key presses.
//!
//! Everything the program writes is fed into a `vt100` parser (ratatui only sends the cells
//! that changed), and the tests wait until the screen shows what they expect. No fixed sleeps:
//! every step waits for the screen change that the previous key should cause.

use crate::common::pty::*;

use std::time::Duration;

use chrono::{Datelike, Utc};

/// The desk's current year, as in new file numbers ("2026-001"): the year in Amsterdam.
fn desk_year() -> i32 {
    Utc::now().with_timezone(&chrono_tz::Europe::Amsterdam).year()
}

impl Loket {
    /// Sends a signal (`KILL`, `HUP`, `TERM`) to the program, through the shell's `kill`.
    ///
    /// Not `Child::kill`: portable-pty's sends SIGHUP, which loket catches to stop cleanly, and
    /// sends SIGKILL after a grace of 200 ms, which is shorter than loket may take to notice
    /// (up to one tick), so that what it tests would depend on timing.
    fn signal(&mut self, name: &str) {
        let pid = self.child.process_id().expect("loket's process id");
        let status = std::process::Command::new("sh")
            .args(["-c", &format!("kill -{name} {pid}")])
            .status()
            .expect("run sh");
        assert!(status.success(), "kill -{name} {pid} failed: {status:?}");
    }

    /// Kills the program hard (SIGKILL): no signal handler, no clean-up, as in a crash or a
    /// power cut.
    fn crash(&mut self) -> portable_pty::ExitStatus {
        self.signal("KILL");
        let status = self.child.wait().expect("reap loket");
        self.finish_reading();
        status
    }

    /// Creates the first user (a coordinator, with a password) on an empty database and waits
    /// for the queue.
    fn first_user(&mut self, name: &str) {
        self.wait_for("Welkom bij loket: u bent de eerste gebruiker (coördinator)");
        self.send(name);
        self.wait_for(name);
        self.send(&[TAB, FIRST_PASSWORD, TAB, FIRST_PASSWORD, ENTER].concat());
        self.wait_for("1 Wachtrij");
        self.wait_for("Nog niemand binnen vandaag");
    }
}

/// The whole walk-in hour of the issue, then a killed program and a restart on the same file.
#[test]
fn a_walk_in_goes_through_the_queue_and_survives_a_kill() {
    let place = Place::empty();
    let mut app = Loket::start_with(&place, &[], 120, 40);

    // The first user is a coordinator with a password of their own, signed in at once.
    app.first_user("Ingrid Hoekstra");
    app.wait_for("Ingrid Hoekstra (coördinator)");

    // A counsellor, added on the users screen (tab 6) with a first password, counsellor: yes.
    app.send("6");
    app.wait_for("Gebruikers en rollen");
    app.send("n");
    app.wait_for("Nieuwe gebruiker");
    app.send("Sara de Boer");
    app.wait_for("Sara de Boer");
    app.send(&[TAB, TAB, RIGHT, TAB, TAB].concat());
    app.send("een eerste wachtwoord");
    app.send(CTRL_S);
    app.wait_for("Gebruiker toegevoegd");
    app.wait_for("hulpverlener");
    app.send("1");
    app.wait_for("Nog niemand binnen vandaag");

    // Register the couple; focus starts on the first partner's given name.
    app.send("n");
    app.wait_for("Nieuwe inloper");
    app.wait_for("▸ Voornaam partner 1");
    app.send(&["IJsbrand", "van der", "Wêreld", "Els", "", "Jansen"].join(TAB));
    app.wait_for("Wêreld");
    app.wait_for("Jansen");
    app.send(CTRL_S);
    let year = desk_year();
    app.wait_for(&format!("Ingeschreven: nummer 1, dossier {year}-001."));
    let screen = app.wait_for("Wêreld, IJsbrand van der & Jansen, Els");
    let row = line_with(&screen, "Wêreld, IJsbrand van der");
    assert!(row.contains(&format!("{year}-001")), "file number in the row: {row:?}");
    assert!(row.trim_start().starts_with('1'), "ticket 1 first in the row: {row:?}");
    assert!(row.contains("wacht"), "status waiting in the row: {row:?}");
    assert!(has_time(&row), "arrival time in the row: {row:?}");

    // Call them in to Sara.
    app.send("c");
    app.wait_for("Oproepen: naar welke hulpverlener?");
    app.wait_for("▸ Sara de Boer");
    app.send(ENTER);
    app.wait_for("in gesprek · Sara de Boer");

    // Done, after one conversation: the row moves to the hidden finished group.
    app.send("d");
    let picker = app.wait_for("Klaar: hoe is het gesprek afgelopen?");
    for outcome in ["eenmalig gesprek gevoerd", "traject inplannen", "doorverwezen", "komt terug"] {
        assert!(picker.contains(outcome), "outcome {outcome:?} offered:\n{picker}");
    }
    app.send(ENTER);
    app.wait_for("(verborgen, f toont)");
    app.wait_gone("Wêreld, IJsbrand van der");

    app.send("f");
    let screen = app.wait_for("Wêreld, IJsbrand van der & Jansen, Els");
    assert!(screen.contains("── Afgerond (1) ──"), "finished group header:\n{screen}");
    assert!(
        line_with(&screen, "Wêreld, IJsbrand").contains("klaar: eenmalig gesprek gevoerd"),
        "done row:\n{screen}"
    );

    // Not a clean quit: the process is killed, without a chance to close the database.
    let status = app.crash();
    assert!(!status.success(), "a killed loket does not report success: {status:?}");
    drop(app);

    // Everything was saved at once: a new start shows the same queue.
    let mut again = Loket::start_with(&place, &[], 120, 40);
    again.wait_for("Wie bent u?");
    again.wait_for("▸ Ingrid Hoekstra");
    again.wait_for("Sara de Boer  (hulpverlener)");
    again.send(ENTER);
    again.wait_for("Aanmelden als Ingrid Hoekstra");
    again.send(&[FIRST_PASSWORD, ENTER].concat());
    again.wait_for("Ingrid Hoekstra (coördinator)");
    again.wait_for("(verborgen, f toont)");
    again.send("f");
    let screen = again.wait_for("Wêreld, IJsbrand van der & Jansen, Els");
    let row = line_with(&screen, "Wêreld, IJsbrand van der");
    assert!(row.contains("klaar: eenmalig gesprek gevoerd"), "done status after the restart: {row:?}");
    assert!(row.contains(&format!("{year}-001")), "file number after the restart: {row:?}");
    again.send("q");
    assert!(again.wait_exit(TIMEOUT).success(), "clean quit after the restart");

    // And the file says the same.
    let db = rusqlite::Connection::open(place.db()).expect("open the database");
    let (status, outcome): (String, String) = db
        .query_row("SELECT status, outcome FROM walk_ins", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("one walk-in");
    assert_eq!((status.as_str(), outcome.as_str()), ("done", "one_conversation"));
    let (given, prefix): (String, String) = db
        .query_row("SELECT given_name, prefix FROM partners WHERE surname = 'Wêreld'", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("partner Wêreld");
    assert_eq!((given.as_str(), prefix.as_str()), ("IJsbrand", "van der"));
    let counsellor: String = db
        .query_row("SELECT u.name FROM walk_ins w JOIN users u ON u.id = w.counsellor_id", [], |r| r.get(0))
        .expect("counsellor of the walk-in");
    assert_eq!(counsellor, "Sara de Boer");
}

/// Saving the walk-in form without names keeps it open, says why, and loses nothing typed.
#[test]
fn empty_names_keep_the_form_open_with_what_was_typed() {
    let place = Place::empty();
    let mut app = Loket::start_with(&place, &[], 120, 40);
    app.first_user("Ingrid Hoekstra");

    app.send("n");
    app.wait_for("Nieuwe inloper");
    app.wait_for("▸ Voornaam partner 1");
    // From the first given name to the note: eight fields on.
    app.send(&TAB.repeat(8));
    app.wait_for("▸ Notitie (kort)");
    app.send("kwam om tien uur");
    app.wait_for("kwam om tien uur");
    app.send(CTRL_S);

    let screen = app.wait_for("Dit veld is verplicht.");
    assert!(screen.contains("Nieuwe inloper"), "the form is still open:\n{screen}");
    assert!(screen.contains("kwam om tien uur"), "the note is still there:\n{screen}");
    // Focus is on the first field with a problem; the other empty names are marked.
    assert!(screen.contains("▸ Voornaam partner 1"), "focus on the first empty name:\n{screen}");
    assert!(screen.contains("! Voornaam partner 2"), "the second empty name is marked:\n{screen}");
    assert!(!screen.contains("Ingeschreven"), "nothing registered:\n{screen}");

    // Leaving the changed form asks first; yes closes it, and nothing was saved.
    app.send("\x1b");
    app.wait_for("Wijzigingen in dit formulier weggooien?");
    app.send("j");
    app.wait_gone("Nieuwe inloper");
    app.wait_for("Nog niemand binnen vandaag");
    app.send("q");
    assert!(app.wait_exit(TIMEOUT).success());
    let db = rusqlite::Connection::open(place.db()).expect("open the database");
    let count: i64 = db.query_row("SELECT count(*) FROM walk_ins", [], |r| r.get(0)).expect("count");
    assert_eq!(count, 0, "an invalid form saves nothing");
}

/// `q` ends the program with success and gives the terminal back; so do Ctrl-C, closing the
/// terminal (SIGHUP) and SIGTERM.
#[test]
fn quitting_restores_the_terminal() {
    let place = Place::empty();
    let mut app = Loket::start_with(&place, &[], 120, 40);
    app.first_user("Ingrid Hoekstra");
    assert!(
        app.screen.lock().expect("screen lock").screen().alternate_screen(),
        "runs on the alternate screen"
    );

    app.send("q");
    let status = app.wait_exit(Duration::from_secs(5));
    assert!(status.success(), "exit status after q: {status:?}");
    let parser = app.screen.lock().expect("screen lock");
    assert!(!parser.screen().alternate_screen(), "back on the normal screen after q");
    assert!(!parser.screen().hide_cursor(), "cursor shown again after q");
    drop(parser);

    // Ctrl-C on the user list of the next start.
    let mut again = Loket::start_with(&place, &[], 120, 40);
    again.wait_for("▸ Ingrid Hoekstra");
    again.send(CTRL_C);
    let status = again.wait_exit(Duration::from_secs(5));
    assert!(status.success(), "exit status after Ctrl-C: {status:?}");
    assert!(!again.screen.lock().expect("screen lock").screen().alternate_screen());

    // Closing the terminal (a hang-up) while a changed form is open also stops loket cleanly.
    let mut third = Loket::start_with(&place, &[], 120, 40);
    third.wait_for("▸ Ingrid Hoekstra");
    third.send(ENTER);
    third.wait_for("Aanmelden als Ingrid Hoekstra");
    third.send(&[FIRST_PASSWORD, ENTER].concat());
    third.wait_for("Ingrid Hoekstra (coördinator)");
    third.send("n");
    third.wait_for("▸ Voornaam partner 1");
    third.send("Anna");
    third.wait_for("Anna");
    third.signal("HUP");
    let status = third.wait_exit(Duration::from_secs(5));
    // Ended by a signal: 128 + its number (issue 14, point 9), after the terminal is restored.
    assert_eq!(status.exit_code(), 128 + 1, "exit status after a hang-up: {status:?}");
    assert!(!third.screen.lock().expect("screen lock").screen().alternate_screen());

    // And so does a polite request to stop (SIGTERM), as from a shutdown.
    let mut fourth = Loket::start_with(&place, &[], 120, 40);
    fourth.wait_for("▸ Ingrid Hoekstra");
    fourth.signal("TERM");
    let status = fourth.wait_exit(Duration::from_secs(5));
    assert_eq!(status.exit_code(), 128 + 15, "exit status after SIGTERM: {status:?}");
    assert!(!fourth.screen.lock().expect("screen lock").screen().alternate_screen());
}

/// A small terminal still shows the queue; one too small says so, and growing back restores it.
#[test]
fn small_terminals_and_resizing() {
    let place = Place::empty();
    let mut app = Loket::start_with(&place, &[], 80, 24);
    app.first_user("Ingrid Hoekstra");
    let screen = app.wait_for("n nieuw");
    assert!(screen.contains("1 Wachtrij"), "tab at 80×24:\n{screen}");

    app.resize(50, 12);
    app.wait_for("Het venster is te klein");
    app.wait_gone("1 Wachtrij");

    app.resize(80, 24);
    app.wait_gone("Het venster is te klein");
    let screen = app.wait_for("1 Wachtrij");
    assert!(screen.contains("n nieuw"), "key hints after growing back:\n{screen}");
    app.wait_for("Nog niemand binnen vandaag");

    app.send("q");
    assert!(app.wait_exit(TIMEOUT).success());
}

/// With `--lang en` the screens are English from the first one.
#[test]
fn english_on_request() {
    let place = Place::empty();
    let mut app = Loket::start_with(&place, &["--lang", "en"], 120, 40);
    let screen = app.wait_for("Welcome to loket: you are the first user (coordinator)");
    assert!(!screen.contains("Welkom"), "no Dutch title:\n{screen}");
    app.send(CTRL_C);
    assert!(app.wait_exit(TIMEOUT).success());
}

/// Whether a line holds a time of day such as "09:41".
fn has_time(line: &str) -> bool {
    let chars: Vec<char> = line.chars().collect();
    chars.windows(5).any(|w| {
        w[0].is_ascii_digit()
            && w[1].is_ascii_digit()
            && w[2] == ':'
            && w[3].is_ascii_digit()
            && w[4].is_ascii_digit()
    })
}
