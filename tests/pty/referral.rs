//! End to end, the referral pane: the real `loket` binary in a pseudo-terminal, on a demo database
//! (`loket demo --couples 12`). A counsellor opens a file that has notes, refers the couple to
//! relationship therapy, is refused sending and a letter until both partners consent, sends it and
//! writes the letter; the letter is an owner-only file named by file number and date, with the
//! party's cost facts and without the file's notes.
//!
//! As in `file.rs`, everything the program writes goes into a `vt100` parser and every
//! step waits for the screen change that the previous key should cause.

use crate::common::pty::*;

use std::path::Path;
use std::thread::{self};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};

const COLS: u16 = 120;
const ROWS: u16 = 40;

const THERAPY: &str = "Relatietherapie (vrije vestiging)";
const REASON: &str = "Vastgelopen gesprekken; samen naar een therapeut";
/// What the demo writes in the notes of some files; it must never reach a letter.
const DEMO_NOTE: &str = "Verzonnen notitie";

/// The last row of the message (the third row from the bottom: message, key hints, status line);
/// empty when there is no message.
fn message_line(screen: &Screen) -> String {
    message_rows(screen).pop().unwrap_or_default()
}

/// The rows that may hold the message, which wraps onto up to three rows above the key hints.
fn message_rows(screen: &Screen) -> Vec<String> {
    let parser = screen.lock().expect("screen lock");
    let rows: Vec<String> = parser.screen().rows(0, COLS).map(|r| r.trim_end().to_owned()).collect();
    let end = usize::from(ROWS) - 2;
    rows[end - 3..end].to_vec()
}

/// The message that starts with `start`, its wrapped rows joined again: from the lowest row above
/// the key hints where it starts, down to the last row of the message.
fn message_starting(screen: &Screen, start: &str) -> Option<String> {
    let rows = message_rows(screen);
    let first = rows.iter().rposition(|r| r.starts_with(start))?;
    Some(rows[first..].join(" "))
}

/// Today at the desk (Amsterdam), as loket dates consent, sending and the letter.
fn desk_today() -> NaiveDate {
    Utc::now().with_timezone(&chrono_tz::Europe::Amsterdam).date_naive()
}

/// A couple of the demo, as the database has it.
struct Couple {
    id: i64,
    /// "2026-002"
    file: String,
    /// Both partners' full names ("Anouk van der Wêreld"), by position.
    names: Vec<String>,
    notes: String,
}

/// The first demo couple of two partners whose file has notes.
fn couple_with_notes(db: &Path) -> Couple {
    let db = rusqlite::Connection::open(db).expect("open the database");
    let (id, year, seq, notes): (i64, i64, i64, String) = db
        .query_row(
            "SELECT c.id, c.file_year, c.file_seq, c.notes FROM couples c
             WHERE c.notes <> '' AND (SELECT count(*) FROM partners p WHERE p.couple_id = c.id) = 2
             ORDER BY c.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("a demo couple of two with notes");
    let names = db
        .prepare("SELECT given_name, prefix, surname FROM partners WHERE couple_id = ?1 ORDER BY position")
        .expect("prepare")
        .query_map([id], |r| {
            let parts: [String; 3] = [r.get(0)?, r.get(1)?, r.get(2)?];
            Ok(parts.iter().filter(|p| !p.is_empty()).cloned().collect::<Vec<_>>().join(" "))
        })
        .expect("query partners")
        .collect::<rusqlite::Result<Vec<_>>>()
        .expect("partners");
    assert_eq!(names.len(), 2);
    assert!(notes.contains(DEMO_NOTE), "the demo's note: {notes:?}");
    Couple { id, file: format!("{year}-{seq:03}"), names, notes }
}

impl Loket {
    /// Waits until the message (above the key hints) starts with `text`; returns the whole message.
    fn wait_message(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            if let Some(message) = message_starting(&self.screen, text) {
                return message;
            }
            let line = message_line(&self.screen);
            if start.elapsed() > TIMEOUT {
                panic!(
                    "timed out waiting for the message {text:?}; the message line is {line:?}, the screen:\n{}",
                    self.contents()
                );
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Waits until the message line is empty.
    fn wait_message_gone(&self) {
        let start = Instant::now();
        while !message_line(&self.screen).is_empty() {
            if start.elapsed() > TIMEOUT {
                panic!("the message stayed; the screen:\n{}", self.contents());
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Finds a file by its number with `/` and opens it; waits for the file pane to show it.
    fn open_file(&mut self, file: &str) {
        self.send("/");
        self.wait_for("Bestaand dossier zoeken");
        self.send(file);
        self.wait_for(&format!("▸ {file}"));
        self.send(ENTER);
        self.wait_gone("Bestaand dossier zoeken");
        self.wait_for(&format!("Dossier {file}"));
        // The file's key hints, below the pane, are drawn after it: the whole file is on screen.
        self.wait_for("e bewerken");
    }
}

/// The issue's flow on the real binary: refer from the file, blocked without consent, consent per
/// partner, sent, and the letter on disk.
#[test]
fn refer_to_therapy_with_consent_and_write_the_letter() {
    let place = Place::demo();
    let couple = couple_with_notes(&place.db());
    let (first, second) = (&couple.names[0], &couple.names[1]);
    let letters = place.path().join("brieven");
    let mut app = Loket::start(&place);
    app.sign_in_as_counsellor();
    app.open_file(&couple.file);

    // r in the file: the referral form on tab 4, "Naar" first; Right once is relationship therapy.
    app.send("r");
    app.wait_for("▸ Naar");
    app.wait_for("◂ Adviespunt Scheiden, Kind & Ouderschap (SKO) ▸");
    app.send(RIGHT);
    app.wait_for(&format!("◂ {THERAPY} ▸"));
    // For: the couple, as it starts for a file with two partners.
    app.send(TAB);
    app.wait_for("▸ Voor");
    app.wait_for("◂ het stel (beide partners) ▸");
    app.send(TAB);
    app.wait_for("▸ Reden *");
    app.send(REASON);
    app.wait_for(REASON);
    // Paid help: the cost must have been explained before the referral is saved.
    app.send(CTRL_S);
    app.wait_for("Bij betaalde hulp: leg eerst uit wat het kost");
    app.send(RIGHT);
    app.wait_for("◂ ja ▸");
    app.send(CTRL_S);
    app.wait_message("Verwijzing aangemaakt (concept).");
    let screen = app.wait_gone("▸ Naar");
    assert!(screen.contains("4 Verwijzing"), "the referral tab:\n{screen}");
    assert!(line_with(&screen, THERAPY).contains("concept"), "a draft:\n{screen}");
    assert!(screen.contains("ten minste ongeveer €"), "the cost on the facts card:\n{screen}");
    assert!(screen.contains(&format!("{first}: nog niet gegeven")), "{screen}");
    assert!(screen.contains(&format!("{second}: nog niet gegeven")), "{screen}");

    // s: refused in words while consent is missing; no status picker.
    app.send("s");
    let line = app.wait_message("Kan nog niet verstuurd worden");
    assert!(line.contains("er kan geen brief gemaakt worden"), "{line}");
    let screen = app.contents();
    assert!(!screen.contains("Status van de verwijzing"), "no status picker:\n{screen}");

    // Every key clears the message; Esc over a message does nothing else.
    app.send(ESC);
    app.wait_message_gone();
    // b: refused likewise, and no letter is written.
    app.send("b");
    let line = app.wait_message("Kan nog niet verstuurd worden");
    assert!(line.contains("er kan geen brief gemaakt worden"), "{line}");
    assert!(!letters.exists(), "no letter without consent");

    // c: the consent picker offers both partners; Enter records the first.
    app.send("c");
    app.wait_for("Toestemming: van wie?");
    app.wait_for(&format!("▸ {first} geeft toestemming (vandaag)"));
    app.wait_for(&format!("{second} geeft toestemming (vandaag)"));
    app.send(ENTER);
    app.wait_message("Toestemming vastgelegd.");
    let today = desk_today().format("%d-%m-%Y").to_string();
    app.wait_for(&format!("{first}: gegeven op {today}"));

    // b again: no letter while the second partner has not consented, and the message names them.
    app.send("b");
    let line = app.wait_message("Kan nog niet verstuurd worden");
    assert!(line.contains(&format!("toestemming ontbreekt van {second}.")), "{line}");
    assert!(!line.contains(first.as_str()), "only the partner without consent is named: {line}");
    assert!(!letters.exists(), "no letters folder before the letter may be made");

    // c, Enter: the partner without consent comes first, so the second partner consents.
    app.send("c");
    app.wait_for("Toestemming: van wie?");
    app.wait_for(&format!("{first} trekt de toestemming in (vandaag)"));
    app.wait_for(&format!("▸ {second} geeft toestemming (vandaag)"));
    app.send(ENTER);
    app.wait_message("Toestemming vastgelegd.");
    let screen = app.wait_for(&format!("{second}: gegeven op {today}"));
    assert!(!screen.contains("Kan nog niet verstuurd worden"), "nothing blocks now:\n{screen}");

    // c, Enter: a withdrawal is asked once more; n keeps the consent.
    app.send("c");
    app.wait_for(&format!("▸ {first} trekt de toestemming in (vandaag)"));
    app.send(ENTER);
    app.wait_for(&format!("Trekt {first} de toestemming echt in?"));
    app.send("n");
    let screen = app.wait_gone("de toestemming echt in?");
    assert!(screen.contains(&format!("{first}: gegeven op {today}")), "still given:\n{screen}");

    // s: the picker offers 'verstuurd'; Enter sends.
    app.send("s");
    app.wait_for("Status van de verwijzing");
    app.wait_for("▸ verstuurd");
    app.send(ENTER);
    app.wait_message("Status van de verwijzing gewijzigd.");
    let screen = app.wait_gone("▸ verstuurd");
    let row = line_with(&screen, THERAPY);
    assert!(row.contains("verstuurd") && row.contains(&today), "sent today: {row:?}\n{screen}");

    // b: the letter.
    app.send("b");
    let line = app.wait_message("Brief geschreven: ");
    let name = format!("verwijzing-{}-{}-therapy-nl.md", couple.file, desk_today().format("%Y-%m-%d"));
    let path = letters.join(&name);
    let shown = line.trim().strip_prefix("Brief geschreven: ").unwrap_or_default();
    let full = path.to_string_lossy();
    // A long temporary folder may not fit the line; then what fits is the start of the path.
    let fits = line.chars().count() < usize::from(COLS);
    assert!(if fits { shown == full } else { full.starts_with(shown) }, "{line:?} is not {full:?}");
    app.quit();
    drop(app);

    // One letter in brieven/, owner-only, nothing half-written beside it.
    let entries: Vec<String> = std::fs::read_dir(&letters)
        .expect("the letters folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(entries, std::slice::from_ref(&name), "only the letter in {letters:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("the letter").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the letter is for its owner only: {mode:o}");
        let mode = std::fs::metadata(&letters).expect("the folder").permissions().mode() & 0o777;
        assert_eq!(mode & 0o077, 0, "the letters folder is for its owner only: {mode:o}");
    }
    let letter = std::fs::read_to_string(&path).expect("read the letter");
    for expected in [
        format!("**Aan:** {THERAPY}"),
        format!("**Dossier:** {}", couple.file),
        format!("- {first} ("),
        format!("- {second} ("),
        REASON.to_owned(),
        "Betaald door het stel zelf: ten minste ongeveer € 800".to_owned(),
        "Niet vergoed uit de basisverzekering".to_owned(),
        "het stel checkt dit zelf bij de verzekeraar".to_owned(),
        format!("{first} gaf op {today} toestemming om deze gegevens te delen met {THERAPY}."),
        format!("{second} gaf op {today} toestemming om deze gegevens te delen met {THERAPY}."),
    ] {
        assert!(letter.contains(&expected), "the letter holds {expected:?}:\n{letter}");
    }
    assert!(!letter.contains(DEMO_NOTE), "the file's notes are in the letter:\n{letter}");
    for line in couple.notes.lines().filter(|l| !l.trim().is_empty()) {
        assert!(!letter.contains(line.trim()), "a line of the notes in the letter: {line:?}\n{letter}");
    }
    assert!(!letter.contains("{{"), "no placeholder left:\n{letter}");

    // The database agrees: sent today, both partners consented.
    let db = rusqlite::Connection::open(place.db()).expect("open the database");
    let (party, status, sent_on): (String, String, Option<String>) = db
        .query_row("SELECT party, status, sent_on FROM referrals WHERE couple_id = ?1", [couple.id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .expect("the one referral");
    assert_eq!((party.as_str(), status.as_str()), ("therapy", "sent"));
    assert_eq!(sent_on, Some(desk_today().to_string()));
    let consents: i64 = db
        .query_row(
            "SELECT count(*) FROM consent_history h JOIN referrals r ON r.id = h.referral_id
             WHERE r.couple_id = ?1 AND h.action = 'give' AND r.scope = 'couple'",
            [couple.id],
            |r| r.get(0),
        )
        .expect("count consents");
    assert_eq!(consents, 2);
}
