//! Nothing lost (issue 7, point 6), end to end: the real `loket` binary in a pseudo-terminal, on a
//! demo database. After a panic inside drawing, an error from the event loop, SIGINT, SIGQUIT,
//! SIGTERM, SIGHUP and a plain `q`, the terminal is usable again (`stty -a` in the same terminal shows `icanon` and
//! `echo`), the alternate screen is left and no personal data is printed. A storm of resizes on
//! every pane does not bring it down.
//!
//! As in `walk_in.rs`, everything the program writes goes into a `vt100` parser (which answers
//! the cursor-position query) and every step waits for the screen it expects; no fixed sleeps.

use crate::common::pty::Loket as Term;
use crate::common::pty::*;

use std::path::Path;
use std::thread::{self};
use std::time::{Duration, Instant};

/// What crossterm sends to leave the alternate screen.
const LEAVE_ALTERNATE: &[u8] = b"\x1b[?1049l";

/// How loket is started in the terminal.
enum Run {
    /// `loket --db P` itself.
    Alone,
    /// `sh -c 'loket --db P; echo "loket-exit=$?"; stty -a'`: stty then reads the very terminal
    /// loket has just left.
    ThenStty,
}

/// loket in a terminal of `cols` × `rows` on the place's database, as `run` says, with the fault
/// `fault` (`LOKET_TEST_FAULT`) when given.
fn start(place: &Place, run: Run, fault: Option<&str>, cols: u16, rows: u16) -> Term {
    let loket = env!("CARGO_BIN_EXE_loket");
    let mut cmd = match run {
        Run::Alone => {
            let mut cmd = place.command(loket);
            cmd.arg("--db");
            cmd.arg(place.db());
            cmd
        }
        Run::ThenStty => {
            let mut cmd = place.command("sh");
            cmd.arg("-c");
            cmd.arg(r#""$0" --db "$1"; echo "loket-exit=$?"; stty -a"#);
            cmd.arg(loket);
            cmd.arg(place.db());
            cmd
        }
    };
    if let Some(at) = fault {
        cmd.env("LOKET_TEST_FAULT", at);
    }
    Term::spawn(cmd, cols, rows)
}

impl Term {
    /// loket's process id: the terminal's process itself, or the child `sh` started for it.
    fn loket_pid(&mut self) -> u32 {
        let top = self.child.process_id().expect("process id");
        let start = Instant::now();
        loop {
            if comm(top).as_deref() == Some("loket") {
                return top;
            }
            let children = std::process::Command::new("pgrep")
                .args(["-P", &top.to_string()])
                .output()
                .expect("run pgrep");
            let found = String::from_utf8_lossy(&children.stdout)
                .split_whitespace()
                .filter_map(|p| p.parse::<u32>().ok())
                .find(|p| comm(*p).as_deref() == Some("loket"));
            if let Some(pid) = found {
                return pid;
            }
            assert!(start.elapsed() < TIMEOUT, "no loket process under {top}");
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends a signal (`INT`, `QUIT`, `TERM`, `HUP`) to loket only, not to the shell around it.
    fn signal_loket(&mut self, name: &str) {
        let pid = self.loket_pid();
        let status = std::process::Command::new("kill")
            .args([&format!("-{name}"), &pid.to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{name} {pid} failed: {status:?}");
    }

    /// What was written after loket first left the alternate screen: its last words and stty's.
    fn after_leaving(&self) -> String {
        let bytes = self.bytes.lock().expect("log lock");
        let at = bytes.windows(LEAVE_ALTERNATE.len()).position(|w| w == LEAVE_ALTERNATE);
        let at = at.unwrap_or_else(|| {
            panic!("loket never left the alternate screen:\n{}", String::from_utf8_lossy(&bytes))
        });
        String::from_utf8_lossy(&bytes[at..]).into_owned()
    }

    fn alternate_screen(&self) -> bool {
        self.screen.lock().expect("screen lock").screen().alternate_screen()
    }

    fn cursor_hidden(&self) -> bool {
        self.screen.lock().expect("screen lock").screen().hide_cursor()
    }

    /// Signs in as the first user of the demo's list and waits for the queue.
    fn sign_in_first(&mut self) {
        self.wait_for("Wie bent u?");
        self.wait_for("▸ Anouk Verbeek");
        self.send(ENTER);
        self.wait_for("Aanmelden als Anouk Verbeek");
        self.send(&[DEMO_PASSWORD, ENTER].concat());
        self.wait_for("Anouk Verbeek (hulpverlener)");
        self.wait_for("n nieuw");
    }
}

fn comm(pid: u32) -> Option<String> {
    std::fs::read_to_string(format!("/proc/{pid}/comm")).ok().map(|s| s.trim().to_owned())
}

/// The terminal flags `stty -a` printed, one word each ("icanon", "-echo", …).
fn stty_flags(text: &str) -> Vec<String> {
    let at = text.find("loket-exit=").unwrap_or_else(|| panic!("no exit line before stty's output:\n{text}"));
    text[at..].split([' ', ';', '\n', '\r']).filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// loket's exit code, as the shell printed it.
fn exit_code(text: &str) -> i32 {
    let at =
        text.find("loket-exit=").unwrap_or_else(|| panic!("no exit line:\n{text}")) + "loket-exit=".len();
    let digits: String = text[at..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().unwrap_or_else(|_| panic!("no exit code:\n{text}"))
}

/// Whether the terminal loket left behind is usable again: canonical mode and echo are on, the
/// alternate screen is left. Returns what was written after loket left the alternate screen.
fn assert_terminal_back(term: &Term, status: &portable_pty::ExitStatus, case: &str) -> String {
    assert!(status.success(), "{case}: the shell and stty ran: {status:?}");
    assert!(!term.alternate_screen(), "{case}: back on the normal screen");
    let after = term.after_leaving();
    let shown = term.contents();
    let flags = stty_flags(&shown);
    for flag in ["icanon", "echo", "isig", "icrnl", "opost"] {
        assert!(flags.iter().any(|f| f == flag), "{case}: `{flag}` on again; stty says:\n{shown}");
        assert!(
            !flags.iter().any(|f| *f == format!("-{flag}")),
            "{case}: `-{flag}` left behind; stty says:\n{shown}"
        );
    }
    after
}

/// No personal data in what loket printed when it stopped: neither the name in the fault's own
/// panic message nor the names of the demo's couples.
fn assert_no_personal_data(after: &str, case: &str) {
    for name in ["IJsbrand", "Wêreld", "Wereld", "El Amrani", "Yılmaz"] {
        assert!(!after.contains(name), "{case}: {name:?} printed:\n{after}");
    }
}

/// The message after a fault says that what was saved is safe, in English or in Dutch.
fn says_saved_data_is_safe(after: &str) -> bool {
    let lower = after.to_lowercase();
    ["saved is safe", "is veilig", "blijft bewaard", "opgeslagen is veilig", "is bewaard"]
        .iter()
        .any(|p| lower.contains(p))
}

#[test]
fn the_terminal_comes_back_after_a_panic_an_error_signals_and_quit() {
    let place = Place::demo();

    // A panic inside drawing: the very first frame.
    let mut term = start(&place, Run::ThenStty, Some("draw"), 120, 40);
    let status = term.wait_exit(TIMEOUT);
    let after = assert_terminal_back(&term, &status, "a panic inside drawing");
    assert_no_personal_data(&after, "a panic inside drawing");
    assert!(says_saved_data_is_safe(&after), "a panic says saved data is safe:\n{after}");
    assert!(after.contains("loket: "), "one line from loket:\n{after}");
    assert_ne!(exit_code(&term.contents()), 0, "a panic does not end with success");
    drop(term);

    // An error returned from the event loop, after the first frame.
    let mut term = start(&place, Run::ThenStty, Some("loop"), 120, 40);
    let status = term.wait_exit(TIMEOUT);
    let after = assert_terminal_back(&term, &status, "an error from the loop");
    assert_no_personal_data(&after, "an error from the loop");
    assert!(after.contains("loket: "), "one line from loket:\n{after}");
    assert_ne!(exit_code(&term.contents()), 0, "an error does not end with success");
    drop(term);

    // Every catchable signal that ends a program (issue 14, point 9), to loket itself, signed in
    // on the queue: the terminal comes back and loket ends with 128 + the signal's number.
    for (signal, number) in [("INT", 2), ("QUIT", 3), ("TERM", 15), ("HUP", 1)] {
        let mut term = start(&place, Run::ThenStty, None, 120, 40);
        term.sign_in_first();
        term.signal_loket(signal);
        let status = term.wait_exit(TIMEOUT);
        let case = format!("SIG{signal}");
        let after = assert_terminal_back(&term, &status, &case);
        assert_no_personal_data(&after, &case);
        assert!(!term.cursor_hidden(), "{case}: the cursor is shown again");
        assert_eq!(exit_code(&term.contents()), 128 + number, "{case}: exit code");
    }

    // A plain quit.
    let mut term = start(&place, Run::ThenStty, None, 120, 40);
    term.sign_in_first();
    term.send("q");
    let status = term.wait_exit(TIMEOUT);
    assert_terminal_back(&term, &status, "q");
    assert_eq!(exit_code(&term.contents()), 0, "q ends with success");

    let report = loket::store::check(&place.db(), loket::store::Access::Plain).expect("check");
    assert!(report.is_ok(), "the file after all of it: {report:?}");
}

/// An error from the event loop is not a crash of the data: the user should read that what was
/// saved is safe, as after a panic.
#[test]
fn an_error_from_the_loop_says_saved_data_is_safe() {
    let place = Place::demo();
    let mut term = start(&place, Run::ThenStty, Some("loop"), 120, 40);
    let status = term.wait_exit(TIMEOUT);
    let after = assert_terminal_back(&term, &status, "an error from the loop");
    assert!(says_saved_data_is_safe(&after), "the message says saved data is safe:\n{after}");
}

/// After a panic the message must stay on the screen for the user to read, not be overwritten by
/// what the shell prints next.
#[test]
fn the_panic_message_stays_readable_after_loket_ends() {
    let place = Place::demo();
    let mut term = start(&place, Run::ThenStty, Some("draw"), 120, 40);
    let status = term.wait_exit(TIMEOUT);
    assert_terminal_back(&term, &status, "a panic inside drawing");
    let shown = term.contents();
    let line = shown.lines().find(|l| l.contains("internal error")).unwrap_or_default();
    assert!(line.starts_with("loket: internal error ("), "the message whole on its line:\n{shown}");
    assert!(
        line.ends_with("What was saved is safe; please report this."),
        "the message whole on its line:\n{shown}"
    );
    assert!(shown.lines().any(|l| l.starts_with("loket-exit=101")), "the shell's line below it:\n{shown}");
}

fn walk_in_count(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).expect("open the database");
    conn.query_row("SELECT count(*) FROM walk_ins", [], |r| r.get(0)).expect("count")
}

#[test]
fn sigterm_with_typed_but_unsaved_data_leaves_the_file_whole() {
    let place = Place::demo();
    let before = walk_in_count(&place.db());
    let mut term = start(&place, Run::ThenStty, None, 120, 40);
    term.sign_in_first();
    term.send("n");
    term.wait_for("▸ Voornaam partner 1");
    term.send("Tjitske\tvan der\tWal");
    term.wait_for("Wal");
    term.signal_loket("TERM");
    let status = term.wait_exit(TIMEOUT);
    let after = assert_terminal_back(&term, &status, "SIGTERM in a form");
    assert_no_personal_data(&after, "SIGTERM in a form");
    assert!(!after.contains("Tjitske"), "what was typed is not printed:\n{after}");

    let db = rusqlite::Connection::open(place.db()).expect("open the database");
    let ok: String = db.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity_check");
    assert_eq!(ok, "ok");
    let broken: i64 = db
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))
        .expect("foreign_key_check");
    assert_eq!(broken, 0, "no dangling rows");
    assert_eq!(walk_in_count(&place.db()), before, "the unsaved walk-in is not there, not even in part");
    let typed: i64 = db
        .query_row("SELECT count(*) FROM partners WHERE given_name = 'Tjitske' OR surname = 'Wal'", [], |r| {
            r.get(0)
        })
        .expect("partners");
    assert_eq!(typed, 0, "no partner of the unsaved form");
    let report = loket::store::check(&place.db(), loket::store::Access::Plain).expect("check");
    assert!(report.is_ok(), "{report:?}");
}

const SIZES: [(u16, u16); 9] =
    [(1, 1), (30, 8), (59, 15), (60, 16), (80, 24), (200, 60), (300, 100), (2, 50), (120, 3)];

/// The key hint that only this pane shows (at 80 columns and more).
const PANES: [(&str, &str); 5] =
    [("1", "c oproepen"), ("2", "e bewerken"), ("3", "a gesprek"), ("4", "b brief"), ("5", "p periode")];

impl Term {
    /// Goes to a pane with its number key and waits for its hint: once, even in a storm of resizes
    /// (see `a_key_pressed_as_the_window_is_resized_is_handled_at_once`).
    fn go_to_pane(&mut self, key: &str, hint: &str) -> String {
        self.send(key);
        self.wait_for(hint)
    }
}

#[test]
fn a_storm_of_resizes_on_every_pane() {
    let place = Place::demo();
    let mut term = start(&place, Run::Alone, None, 120, 40);
    term.sign_in_first();
    // A file open, so that the file, planner and referral panes have something to draw.
    term.send("/");
    term.wait_for("Bestaand dossier zoeken");
    term.send("wer");
    term.wait_for("Wêreld");
    term.send(ENTER);
    term.wait_for("e bewerken");

    for (n, (key, hint)) in PANES.iter().enumerate() {
        term.resize(120, 40);
        term.go_to_pane(key, hint);
        for i in 0..200 {
            let (cols, rows) = SIZES[(i * 7 + n) % SIZES.len()];
            term.resize(cols, rows);
            if i % 50 == 25 {
                // Now and then keys in between: help on and off again.
                term.send("??");
            }
        }
        assert!(term.running(), "loket is still running after the storm on pane {key}");
    }

    // It still draws: too small, then the queue at 80×24.
    term.resize(30, 8);
    term.wait_for("te klein");
    term.resize(80, 24);
    let screen = term.go_to_pane("1", "c oproepen");
    term.wait_gone("te klein");
    let screen = if screen.contains("wachtend") { screen } else { term.wait_for("wachtend") };
    assert!(screen.contains("1 Wachtrij"), "the queue at 80×24:\n{screen}");
    assert!(term.running());
    term.send("q");
    assert!(term.wait_exit(TIMEOUT).success(), "a clean quit after the storm");
    assert!(!term.alternate_screen());
}

/// A key pressed at the moment the window is resized is handled at once, not only when the next
/// key comes. Each round resizes the terminal and presses `?` (help on, help off) in the same
/// instant, and waits up to two seconds for help to open or close.
///
/// The key was held back by crossterm 0.29's default event reader, not by loket's loop: it waits
/// on the terminal and the resize signal with mio, edge-triggered, and when one wait reports both
/// it returns the resize and drops the terminal's readiness, so the key already read by the
/// terminal is seen only when the next byte arrives. loket turns on crossterm's `use-dev-tty`
/// reader (level-triggered `poll`), which sees the key on the next call (Cargo.toml).
#[test]
fn a_key_pressed_as_the_window_is_resized_is_handled_at_once() {
    let place = Place::demo();
    let mut term = start(&place, Run::Alone, None, 120, 40);
    term.sign_in_first();
    for round in 0..400 {
        let open = round % 2 == 0;
        let (cols, rows) = if open { (100, 30) } else { (120, 40) };
        term.resize(cols, rows);
        term.send("?");
        let shown = |text: &str| {
            if open {
                text.contains("Help: toetsen")
            } else {
                text.contains("c oproepen") && !text.contains("Help: toetsen")
            }
        };
        let start = Instant::now();
        while !shown(&term.contents()) && start.elapsed() < Duration::from_secs(2) {
            thread::sleep(Duration::from_millis(10));
        }
        let text = term.contents();
        if !shown(&text) {
            // Another key (unbound here) lets the held key through.
            term.send("z");
            let start = Instant::now();
            while !shown(&term.contents()) && start.elapsed() < Duration::from_secs(2) {
                thread::sleep(Duration::from_millis(10));
            }
            panic!(
                "round {round}: `?` pressed with a resize to {cols}×{rows} was not handled within 2 s \
                 (help should be {}); after the next key (z) it was handled: {}\n{text}",
                if open { "open" } else { "closed" },
                shown(&term.contents())
            );
        }
    }
    term.send("q");
    assert!(term.wait_exit(TIMEOUT).success());
}
