//! End to end, a concern (*zorgsignaal*) through the meldcode: the real `loket` binary in a
//! pseudo-terminal, on a demo database. A counsellor opens a concern and records steps 1 to 4 (the
//! afwegingskader's five questions with answers and notes); while it is open, planning a
//! conversation asks "toch samen?" (no plans nothing, yes plans); step 5, a report to Veilig Thuis,
//! closes it; the closed concern stays readable in the file and the timeline, and planning no
//! longer asks. The database says the same.

use crate::common::pty::*;

use chrono::Utc;

/// The counsellor `sign_in_as_counsellor` signs in as.
const COUNSELLOR: &str = "Sara de Boer";
const SESSION_FORM: &str = "Gesprek (1,5 uur)";
const ASKED: &str = "Er is een zorgsignaal: toch samen?";

/// A demo couple with two partners, without a trajectory or a concern, whose file is the
/// counsellor's or no one's: its id, file number ("2026-004") and the first four letters of
/// partner 1's folded surname (to search with).
fn quiet_couple(place: &Place) -> (i64, String, String) {
    let db = rusqlite::Connection::open(place.db()).expect("open the database");
    let mut stmt = db
        .prepare(
            "SELECT c.id, c.file_year, c.file_seq, p.sort_key FROM couples c
             JOIN partners p ON p.couple_id = c.id AND p.position = 1
             WHERE NOT EXISTS (SELECT 1 FROM trajectories t WHERE t.couple_id = c.id)
               AND NOT EXISTS (SELECT 1 FROM concerns k WHERE k.couple_id = c.id)
               AND (SELECT count(*) FROM partners q WHERE q.couple_id = c.id) = 2
               AND (c.counsellor_id IS NULL OR c.counsellor_id = (SELECT id FROM users WHERE name = ?1))
             ORDER BY c.id",
        )
        .expect("prepare");
    let couples: Vec<(i64, i64, i64, String)> = stmt
        .query_map([COUNSELLOR], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("query couples")
        .collect::<rusqlite::Result<_>>()
        .expect("couples");
    couples
        .into_iter()
        .map(|(id, year, seq, key)| {
            let query: String = key.split(' ').next().unwrap_or_default().chars().take(4).collect();
            (id, format!("{year}-{seq:03}"), query)
        })
        .find(|(.., q)| q.chars().count() >= 3 && q.chars().all(|c| c.is_ascii_lowercase()))
        .expect("a demo couple without a trajectory or a concern")
}

fn sessions(place: &Place, couple: i64) -> i64 {
    let db = rusqlite::Connection::open(place.db()).expect("open the database");
    db.query_row(
        "SELECT count(*) FROM sessions s JOIN trajectories t ON t.id = s.trajectory_id WHERE t.couple_id = ?1",
        [couple],
        |r| r.get(0),
    )
    .expect("count sessions")
}

impl Loket {
    /// `!` on the file: picks the step offered first (Enter) and waits for its form.
    fn step_form(&mut self, name: &str) {
        self.send("!");
        self.wait_for("welke stap");
        self.wait_for(&format!("▸ Stap {name}"));
        self.send(ENTER);
        self.wait_for(&format!("Zorgsignaal · stap {name}"));
        self.wait_for("▸ Datum *");
    }

    /// Saves the step form; waits until the file's steps line shows `marks`.
    fn save_step(&mut self, marks: &str) -> String {
        self.send(CTRL_S);
        self.wait_gone("Zorgsignaal · stap");
        self.wait_for(marks)
    }
}

/// The afwegingskader's answers as typed: Right presses from "onbekend" (0: onbekend, 1: ja,
/// 2: nee), what the form then shows, the stored code, and the note.
const WEIGHING: [(usize, &str, &str, &str); 5] = [
    (1, "ja", "yes", "Beiden beschrijven dreiging"),
    (1, "ja", "yes", "Herhaald, ook bij de kinderen"),
    (2, "nee", "no", "Geen passende hulp op korte termijn"),
    (0, "onbekend", "unknown", "Nog niet besproken"),
    (2, "nee", "no", "Veiligheid niet te borgen"),
];

#[test]
fn a_concern_through_the_meldcode_asks_before_planning_until_it_is_closed() {
    let place = Place::demo();
    let (couple, file, query) = quiet_couple(&place);
    let mut app = Loket::start(&place);
    app.sign_in_as_counsellor();
    app.open_by_search(&query, &file);
    app.start_trajectory(&file);

    // The concern, opened on the file.
    app.send("2");
    app.wait_for("e bewerken");
    app.send("!");
    app.wait_for("Zorgsignaal openen");
    app.wait_for("▸ Signalen *");
    app.send("Dreiging met geweld bij ruzie");
    app.wait_for("Dreiging met geweld bij ruzie");
    app.send(CTRL_S);
    app.wait_for("Zorgsignaal geopend.");
    let screen = app.wait_for("1 ·  2 ·  3 ·  4 ·  5 ·");
    assert!(line_with(&screen, &format!("Dossier {file}")).contains("apart ontvangen"), "{screen}");

    // Step 1: the signals mapped (a note is required).
    app.step_form("1 · Signalen in kaart");
    app.send(TAB);
    app.wait_for("▸ Notitie *");
    app.send("Signalen op een rij");
    app.wait_for("Signalen op een rij");
    app.save_step("1 ✓  2 ·  3 ·");

    // Step 2: the aandachtsfunctionaris consulted.
    app.step_form("2 · Collega geraadpleegd");
    app.send(TAB);
    app.wait_for("▸ Geraadpleegd");
    app.send(RIGHT);
    app.wait_for("◂ de aandachtsfunctionaris ▸");
    app.send(TAB);
    app.send("Met Jeroen besproken");
    app.wait_for("Met Jeroen besproken");
    app.save_step("1 ✓  2 ✓  3 ·");

    // Step 3: talked with both partners (the first choice).
    app.step_form("3 · Gesprek gevoerd");
    app.send(TAB);
    app.wait_for("◂ beide partners ▸");
    app.send(TAB);
    app.send("Samen en apart gesproken");
    app.wait_for("Samen en apart gesproken");
    app.save_step("3 ✓  4 ·");

    // Step 4: the five questions, each with an answer and a note.
    app.step_form("4 · Risico afgewogen");
    for (q, (rights, shown, _, note)) in WEIGHING.iter().enumerate() {
        app.send(TAB);
        let screen = app.wait_for(&format!("▸ {} ", q + 1));
        assert!(line_with(&screen, &format!("▸ {} ", q + 1)).contains("◂ onbekend ▸"), "{screen}");
        app.send(&RIGHT.repeat(*rights));
        wait_until(&app.screen, &format!("question {} answered {shown}", q + 1), TIMEOUT, |s| {
            s.lines().any(|l| l.contains(&format!("▸ {} ", q + 1)) && l.contains(&format!("◂ {shown} ▸")))
        });
        app.send(TAB);
        app.wait_for("▸   toelichting");
        app.send(note);
        app.wait_for(note);
    }
    let screen = app.save_step("4 ✓  5 ·");
    let weighed = line_with(&screen, "4 · Risico afgewogen");
    assert!(weighed.contains("1 ja, 2 ja, 3 nee, 4 onbekend, 5 nee"), "the answers in the file:\n{screen}");

    // While the concern is open, planning asks first: no plans nothing, the form stays.
    app.send("3");
    app.wait_for("0 van 5 gevoerd, 0 gepland, 5 over");
    app.open_session_form();
    app.send(CTRL_S);
    app.wait_for(ASKED);
    app.send("n");
    let screen = app.wait_gone(ASKED);
    assert!(screen.contains(SESSION_FORM), "the form stays after no:\n{screen}");
    assert!(!screen.contains("Vastgelegd:"), "nothing planned:\n{screen}");
    assert_eq!(sessions(&place, couple), 0, "no means nothing planned");
    // Yes plans it.
    app.send(CTRL_S);
    app.wait_for(ASKED);
    app.send("j");
    app.wait_for("Vastgelegd:");
    app.wait_gone(SESSION_FORM);
    app.wait_for("0 van 5 gevoerd, 1 gepland, 4 over");
    assert_eq!(sessions(&place, couple), 1, "yes plans it");

    // Step 5: a report to Veilig Thuis. The weighing (acute or structural: yes) refuses help alone.
    app.send("2");
    app.wait_for("e bewerken");
    app.step_form("5 · Besluit");
    app.send(TAB);
    app.wait_for("◂ hulp georganiseerd ▸");
    app.send(CTRL_S);
    let screen = app.wait_for("vraagt om een melding bij Veilig Thuis");
    assert!(screen.contains("Zorgsignaal · stap 5"), "the form stays:\n{screen}");
    app.send(RIGHT);
    app.wait_for("◂ melding bij Veilig Thuis ▸");
    app.send(TAB);
    app.send("Melding gedaan");
    app.wait_for("Melding gedaan");
    app.send(CTRL_S);
    app.wait_for("Besluit vastgelegd: het zorgsignaal is gesloten.");
    app.wait_gone("Zorgsignaal · stap");

    // Closed: readable in the file (with its decision) and the timeline; no longer apart.
    let today = Utc::now().with_timezone(&chrono_tz::Europe::Amsterdam).date_naive();
    let shown_today = today.format("%d-%m-%Y").to_string();
    let closed = format!("– {shown_today}, gesloten: melding bij Veilig Thuis");
    let screen = app.wait_for(&closed);
    assert!(line_with(&screen, &closed).starts_with("Zorgsignaal "), "{screen}");
    assert!(screen.contains("Zorgsignaal: besluit genomen (stap 5), gesloten"), "the timeline:\n{screen}");
    assert!(!screen.contains("Zorgsignaal open sinds"), "no open concern:\n{screen}");
    assert!(!line_with(&screen, &format!("Dossier {file}")).contains("apart ontvangen"), "{screen}");
    app.send("!");
    app.wait_for("Zorgsignaal openen");
    app.send(ESC);
    app.wait_gone("Zorgsignaal openen");

    // Planning no longer asks.
    app.send("3");
    app.wait_for("0 van 5 gevoerd, 1 gepland, 4 over");
    app.open_session_form();
    app.send(CTRL_S);
    let screen = app.wait_for("Vastgelegd:");
    assert!(!screen.contains(ASKED), "{screen}");
    app.wait_for("0 van 5 gevoerd, 2 gepland, 3 over");

    app.quit();
    drop(app);

    let db = rusqlite::Connection::open(place.db()).expect("open the database");
    let (id, signals, closed_on, closed_at): (i64, String, Option<String>, Option<String>) = db
        .query_row(
            "SELECT id, signals, closed_on, closed_at FROM concerns WHERE couple_id = ?1",
            [couple],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("one concern for the couple");
    assert_eq!(signals, "Dreiging met geweld bij ruzie");
    assert_eq!(closed_on.as_deref(), Some(today.to_string().as_str()), "closed today");
    assert!(closed_at.is_some(), "closed");
    let steps: Vec<(i64, String, String, String)> = db
        .prepare("SELECT step, choice, note, done_on FROM concern_steps WHERE concern_id = ?1 ORDER BY id")
        .expect("prepare")
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("steps")
        .collect::<rusqlite::Result<_>>()
        .expect("steps");
    let expected = [
        (1, "", "Signalen op een rij"),
        (2, "officer", "Met Jeroen besproken"),
        (3, "both", "Samen en apart gesproken"),
        (4, "", ""),
        (5, "report", "Melding gedaan"),
    ];
    let got: Vec<(i64, &str, &str)> = steps.iter().map(|(s, c, n, _)| (*s, c.as_str(), n.as_str())).collect();
    assert_eq!(got, expected);
    assert!(steps.iter().all(|(.., on)| *on == today.to_string()), "each step dated today: {steps:?}");
    let answers: Vec<(i64, String, String)> = db
        .prepare(
            "SELECT a.question, a.answer, a.note FROM concern_answers a
             JOIN concern_steps s ON s.id = a.step_id WHERE s.concern_id = ?1 ORDER BY a.question",
        )
        .expect("prepare")
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .expect("answers")
        .collect::<rusqlite::Result<_>>()
        .expect("answers");
    let expected: Vec<(i64, String, String)> = WEIGHING
        .iter()
        .enumerate()
        .map(|(i, (_, _, code, note))| (i as i64 + 1, (*code).to_owned(), (*note).to_owned()))
        .collect();
    assert_eq!(answers, expected);
    assert_eq!(sessions(&place, couple), 2, "one planned while open (after yes), one after closing");
}
