//! End to end, the planner: the real `loket` binary in a pseudo-terminal, on a demo database.
//! A counsellor finds a couple, starts a trajectory, plans five conversations of 90 minutes
//! (the next free slot proposed each time), sees the sixth refused, cancels one and plans it
//! again; another trajectory is recorded, held and closed, and its conversation found again in
//! the counsellor's week.
//!
//! As in `walk_in.rs`, everything the program writes goes into a `vt100` parser and every step
//! waits for the screen change that the previous key should cause.

use crate::common::pty::*;

use std::thread::{self};
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Utc};

/// The last of the demo's users in the user list (sorted by name), a counsellor.
const COUNSELLOR: &str = "Sara de Boer";

/// The conversation form's title, and what the planner says when a sixth is asked for.
const SESSION_FORM: &str = "Gesprek (1,5 uur)";
const FULL: &str = "Dit traject heeft al 5 gesprekken: een zesde kan niet.";

const WEEKDAYS: [&str; 7] = ["ma", "di", "wo", "do", "vr", "za", "zo"];
const MONTHS: [&str; 12] =
    ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"];

/// The desk's clock (Amsterdam), as loket reads typed times.
fn desk_now() -> NaiveDateTime {
    Utc::now().with_timezone(&chrono_tz::Europe::Amsterdam).naive_local()
}

/// 10:00 a week ago (a day more if that was a Thursday, when the demo's trajectories hold their
/// conversations): surely in the past, and clear of the demo's bookings.
fn last_week() -> NaiveDateTime {
    let mut day = desk_now().date() - chrono::Duration::days(7);
    if day.weekday() == chrono::Weekday::Thu {
        day -= chrono::Duration::days(1);
    }
    day.and_time(NaiveTime::from_hms_opt(10, 0, 0).expect("10:00"))
}

/// The hours held this year, from the planner's budget line ("… · 4,5 uur gevoerd …").
fn hours_held(screen: &str) -> f64 {
    let line = line_with(screen, "uur gevoerd");
    let before = line.split(" uur gevoerd").next().unwrap_or_default();
    let number = before.rsplit(' ').next().unwrap_or_default().replace('.', "").replace(',', ".");
    number.parse().unwrap_or_else(|e| panic!("hours in {line:?}: {e}"))
}

/// How loket writes a conversation's span: "ma 30 nov 2026 09:00–10:30" (local clock; the
/// working hours never cross a change of summer time).
fn span_text(start: NaiveDateTime) -> String {
    let end = start + chrono::Duration::minutes(90);
    format!(
        "{} {} {} {} {}–{}",
        WEEKDAYS[start.weekday().num_days_from_monday() as usize],
        start.day(),
        MONTHS[start.month0() as usize],
        start.year(),
        start.format("%H:%M"),
        end.format("%H:%M")
    )
}

impl Place {
    /// The `skip`-th demo couple without a trajectory whose file is the counsellor's or no one's
    /// yet: its id, its file number as shown ("2026-004") and the first (up to) four letters of
    /// partner 1's folded surname.
    fn couple_without_trajectory(&self, skip: usize) -> (i64, String, String) {
        let db = rusqlite::Connection::open(self.db()).expect("open the database");
        let mut stmt = db
            .prepare(
                "SELECT c.id, c.file_year, c.file_seq, p.sort_key FROM couples c
                 JOIN partners p ON p.couple_id = c.id AND p.position = 1
                 WHERE NOT EXISTS (SELECT 1 FROM trajectories t WHERE t.couple_id = c.id)
                   AND (c.counsellor_id IS NULL
                        OR c.counsellor_id = (SELECT id FROM users WHERE name = ?1))
                 ORDER BY c.id",
            )
            .expect("prepare");
        let couples: Vec<(i64, i64, i64, String)> = stmt
            .query_map([COUNSELLOR], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .expect("query couples")
            .collect::<rusqlite::Result<_>>()
            .expect("couples");
        let (id, year, seq, query) = couples
            .into_iter()
            .map(|(id, year, seq, key)| {
                let surname = key.split(' ').next().unwrap_or_default().to_owned();
                (id, year, seq, surname.chars().take(4).collect::<String>())
            })
            .filter(|(.., query)| query.chars().count() >= 3 && query.chars().all(|c| c.is_ascii_lowercase()))
            .nth(skip)
            .expect("a demo couple without a trajectory");
        (id, format!("{year}-{seq:03}"), query)
    }
}

impl Loket {
    /// Whether `needle` is on the screen drawn reversed, as a list draws its selected entry.
    fn selected(&self, needle: &str) -> bool {
        let parser = self.screen.lock().expect("screen lock");
        let screen = parser.screen();
        let (rows, cols) = (screen.size().0.get(), screen.size().1.get());
        let first = needle.chars().next().map(String::from).unwrap_or_default();
        (0..rows).any(|row| {
            // The row's text cell by cell, each character with its column (wide ones take two).
            let cells: Vec<(u16, String)> = (0..cols)
                .filter_map(|col| screen.cell(row, col).map(|c| (col, c.contents().to_owned())))
                .filter(|(_, text)| !text.is_empty())
                .collect();
            let text: String = cells.iter().map(|(_, t)| t.as_str()).collect();
            text.match_indices(needle).any(|(at, _)| {
                let index = text[..at].chars().count();
                cells.get(index).is_some_and(|(col, t)| {
                    *t == first && screen.cell(row, *col).is_some_and(vt100::Cell::inverse)
                })
            })
        })
    }

    /// Waits until `needle` is drawn selected.
    fn wait_selected(&self, needle: &str) {
        let start = Instant::now();
        while !self.selected(needle) {
            if start.elapsed() > TIMEOUT {
                panic!("{needle:?} was not selected; the screen shows:\n{}", self.contents());
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Finds a couple with `/` and `query`, moves to file `file` among the results and opens it.
    pub(crate) fn open_by_search(&mut self, query: &str, file: &str) {
        self.send("/");
        self.wait_for("Bestaand dossier zoeken");
        self.wait_for("Typ een achternaam, voornaam of dossiernummer.");
        self.send(query);
        // A result row in the popup: "│▸ 2026-004  …" when selected, "│  2026-004  …" when not.
        let screen = wait_until(&self.screen, &format!("{file} among the results"), TIMEOUT, |s| {
            s.contains(&format!("│  {file}  ")) || s.contains(&format!("│▸ {file}  "))
        });
        let lines: Vec<&str> = screen.lines().collect();
        let selected = lines.iter().position(|l| l.contains("│▸ 20")).expect("a selected result");
        let target = lines.iter().position(|l| l.contains(&format!(" {file}  "))).expect("our file");
        assert!(target >= selected, "the first result is selected:\n{screen}");
        self.send(&DOWN.repeat(target - selected));
        self.wait_for(&format!("│▸ {file}  "));
        self.send(ENTER);
        self.wait_gone("Bestaand dossier zoeken");
        self.wait_for(&format!("Dossier {file}"));
        // The file's key hints, below the pane, are drawn after it: the whole file is on screen.
        self.wait_for("e bewerken");
    }

    /// From the open file to the planning tab, and a trajectory started with the counsellor
    /// the picker proposes (the signed-in counsellor).
    pub(crate) fn start_trajectory(&mut self, file: &str) {
        self.send("3");
        let screen = self.wait_for("Geen lopend traject");
        assert!(screen.contains(&format!("Dossier {file}")), "the open file in the planner:\n{screen}");
        self.send("t");
        self.wait_for("Traject starten: met welke hulpverlener?");
        self.wait_for(&format!("▸ {COUNSELLOR}"));
        self.send(ENTER);
        self.wait_for("Traject gestart.");
        let screen = self.wait_for("0 van 5 gevoerd, 0 gepland, 5 over");
        assert!(screen.contains(&format!("Traject {file}")), "the trajectory's title:\n{screen}");
        assert!(line_with(&screen, &format!("Traject {file}")).contains(COUNSELLOR), "with whom:\n{screen}");
    }

    /// What the conversation form's "Wanneer" field holds now, if it reads as a date and time.
    fn form_when(screen: &str) -> Option<NaiveDateTime> {
        let line = screen.lines().find(|l| l.contains("Wanneer *"))?;
        let after = line.split("Wanneer *").nth(1)?;
        let words: Vec<&str> = after.split_whitespace().take(2).collect();
        NaiveDateTime::parse_from_str(&words.join(" "), "%d-%m-%Y %H:%M").ok()
    }

    /// Waits until the conversation form proposes a time and says under the fields what it was
    /// understood as: "→ ma 30 nov 2026 09:00–10:30". Returns the proposed start.
    fn wait_for_proposal(&self) -> NaiveDateTime {
        let screen = wait_until(&self.screen, "a proposed time with its span", TIMEOUT, |s| {
            Loket::form_when(s).is_some_and(|at| s.contains(&format!("→ {}", span_text(at))))
        });
        let at = Loket::form_when(&screen).expect("a proposed time");
        assert!(line_with(&screen, "Wanneer *").contains("▸"), "the focus on Wanneer:\n{screen}");
        at
    }

    /// Opens the conversation form with `a`; returns the proposed start.
    pub(crate) fn open_session_form(&mut self) -> NaiveDateTime {
        self.send("a");
        self.wait_for(SESSION_FORM);
        self.wait_for_proposal()
    }

    /// Saves the open conversation form that will start at `at`; waits for the planner to say so.
    fn save_session(&mut self, at: NaiveDateTime) -> String {
        self.send(CTRL_S);
        self.wait_for(&format!("Vastgelegd: {}.", span_text(at)));
        self.wait_gone(SESSION_FORM)
    }
}

/// How many of the counsellor's conversations start in the week of `monday` before the planned one
/// of `couple`: where the week view lists that one.
fn bookings_before(place: &Place, monday: NaiveDate, couple: i64) -> usize {
    let midnight = monday.and_time(NaiveTime::MIN);
    let from = chrono::TimeZone::from_local_datetime(&chrono_tz::Europe::Amsterdam, &midnight)
        .earliest()
        .expect("Monday's midnight")
        .with_timezone(&Utc)
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let db = rusqlite::Connection::open(place.db()).expect("open the database");
    let n: i64 = db
        .query_row(
            "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.counsellor_id
             WHERE u.name = ?1 AND s.starts_at >= ?2 AND s.starts_at < (
                 SELECT s2.starts_at FROM sessions s2 JOIN trajectories t ON t.id = s2.trajectory_id
                 WHERE t.couple_id = ?3 AND s2.status = 'planned')",
            rusqlite::params![COUNSELLOR, from, couple],
            |r| r.get(0),
        )
        .expect("count the week's bookings");
    usize::try_from(n).expect("a count")
}

/// The trajectory's summary line with nothing held yet.
fn tally(planned: usize) -> String {
    format!("0 van 5 gevoerd, {planned} gepland, {} over", 5 - planned)
}

/// The test: five conversations planned from the keyboard (one of them with a typed time,
/// refused twice first), the sixth refused, one cancelled and its place used again, and still no
/// way to a sixth. The database agrees: five that count, one cancelled, each exactly 90 minutes.
#[test]
fn plan_five_conversations_and_the_sixth_is_refused() {
    let place = Place::demo();
    let (couple, file, query) = place.couple_without_trajectory(0);
    let mut app = Loket::start(&place);
    app.sign_in_as_counsellor();
    app.open_by_search(&query, &file);
    app.start_trajectory(&file);

    let now = desk_now();
    let mut starts: Vec<NaiveDateTime> = Vec::new();
    for n in 1..=5 {
        let at = app.open_session_form();
        let screen = app.contents();
        assert!(at > now, "conversation {n}: a proposal in the future ({at}):\n{screen}");
        assert!(matches!(at.weekday().num_days_from_monday(), 0..=4), "a working day ({at}):\n{screen}");
        if let Some(previous) = starts.last() {
            assert!(
                at >= *previous + chrono::Duration::days(7),
                "conversation {n} ({at}) at least a week after the last ({previous}):\n{screen}"
            );
        }
        if n == 3 {
            // A time typed by hand: unreadable first, then one in the past, then the proposal again.
            app.send(CTRL_U);
            app.wait_gone(&format!("→ {}", span_text(at)));
            app.send("di 25:00");
            app.wait_for("di 25:00");
            app.wait_for("→ Niet te lezen");
            app.send(CTRL_S);
            // Saved, the reason becomes the field's error: the same words, without the arrow.
            let screen = wait_until(&app.screen, "the field's error", TIMEOUT, |s| {
                s.contains("Niet te lezen") && !s.contains("→ Niet te lezen")
            });
            assert!(line_with(&screen, "Wanneer *").contains("▸"), "the focus on the field:\n{screen}");
            assert!(screen.contains(SESSION_FORM), "the form stays open:\n{screen}");
            assert!(!screen.contains("Vastgelegd:"), "nothing saved:\n{screen}");

            let past = last_week();
            app.send(CTRL_U);
            app.wait_gone("di 25:00");
            app.send(&past.format("%d-%m-%Y %H:%M").to_string());
            app.wait_for(&format!("→ {}", span_text(past)));
            app.send(CTRL_S);
            let screen = app.wait_for("Dit tijdstip ligt in het verleden");
            assert!(screen.contains(SESSION_FORM), "the form stays open:\n{screen}");
            assert!(
                screen.contains(&past.format("%d-%m-%Y %H:%M").to_string()),
                "what was typed is kept:\n{screen}"
            );

            // Ctrl-N proposes the next free time again, and the refusal of the time it replaces
            // goes with it.
            app.send(CTRL_N);
            let again = wait_until(&app.screen, "the proposal back in the field", TIMEOUT, |s| {
                Loket::form_when(s) == Some(at)
            });
            assert!(again.contains(SESSION_FORM), "the form is still open:\n{again}");
            assert!(!again.contains("Dit tijdstip ligt in het verleden"), "no stale refusal:\n{again}");
            assert!(!again.contains("Niet te lezen"), "no stale field error:\n{again}");
            assert!(again.contains(&format!("→ {}", span_text(at))), "the proposal understood:\n{again}");
        }
        let screen = app.save_session(at);
        starts.push(at);
        let screen = if screen.contains(&tally(n)) { screen } else { app.wait_for(&tally(n)) };
        assert!(line_with(&screen, &span_text(at)).contains("gepland"), "the new row:\n{screen}");
    }
    let screen = app.contents();
    for at in &starts {
        assert!(screen.contains(&span_text(*at)), "every conversation in the list:\n{screen}");
    }

    // The sixth: refused, and no form opens.
    app.send("a");
    let screen = app.wait_for(FULL);
    assert!(!screen.contains(SESSION_FORM), "no form for a sixth:\n{screen}");

    // Cancel the second: it gives its place back.
    app.send("j");
    app.wait_selected(&span_text(starts[1]));
    app.send("x");
    app.wait_for("Gesprek annuleren");
    app.wait_for("▸ Reden *");
    app.send("ziek");
    app.wait_for("ziek");
    app.send(CTRL_S);
    app.wait_for("Gesprek geannuleerd; de plek is weer vrij.");
    let screen = app.wait_for(&tally(4));
    assert!(!screen.contains("Gesprek annuleren"), "the cancel form is closed:\n{screen}");
    assert!(
        line_with(&screen, &span_text(starts[1])).contains("geannuleerd: ziek"),
        "the cancelled row with its reason:\n{screen}"
    );

    // A cancelled conversation cannot come back as a sixth.
    app.send("m");
    app.wait_for("Alleen een gepland gesprek kan gevoerd, niet verschenen of geannuleerd worden.");
    app.wait_for(&tally(4));

    // The place can be used again: the form opens; Esc closes it unchanged.
    let at = app.open_session_form();
    let last = starts.iter().max().copied().expect("five starts");
    assert!(at >= last + chrono::Duration::days(7), "after the last that counts ({last}): {at}");
    app.send(ESC);
    // Once the form is gone the Esc has been read on its own (not as Alt with the next key).
    app.wait_gone(SESSION_FORM);
    app.wait_for(&tally(4));

    let again = app.open_session_form();
    assert_eq!(again, at, "the same proposal");
    let screen = app.save_session(at);
    let screen = if screen.contains(&tally(5)) { screen } else { app.wait_for(&tally(5)) };
    assert!(screen.contains("geannuleerd: ziek"), "the cancelled one stays in the list:\n{screen}");

    app.send("a");
    let screen = app.wait_for(FULL);
    assert!(!screen.contains(SESSION_FORM), "no form for a sixth:\n{screen}");

    app.quit();
    drop(app);

    let db = rusqlite::Connection::open(place.db()).expect("open the database");
    let trajectory: i64 = db
        .query_row("SELECT id FROM trajectories WHERE couple_id = ?1 AND ended_at IS NULL", [couple], |r| {
            r.get(0)
        })
        .expect("the couple's trajectory");
    let count = |sql: &str| -> i64 {
        db.query_row(sql, [trajectory], |r| r.get(0)).unwrap_or_else(|e| panic!("{sql}: {e}"))
    };
    assert_eq!(count("SELECT count(*) FROM sessions WHERE trajectory_id = ?1 AND status <> 'cancelled'"), 5);
    assert_eq!(count("SELECT count(*) FROM sessions WHERE trajectory_id = ?1 AND status = 'planned'"), 5);
    assert_eq!(
        count(
            "SELECT count(*) FROM sessions WHERE trajectory_id = ?1 AND status = 'cancelled' \
             AND cancel_reason = 'ziek'"
        ),
        1
    );
    assert_eq!(count("SELECT count(*) FROM sessions WHERE trajectory_id = ?1"), 6);
    assert_eq!(
        count(
            "SELECT count(*) FROM sessions WHERE trajectory_id = ?1 \
             AND round((julianday(ends_at) - julianday(starts_at)) * 1440) <> 90"
        ),
        0,
        "every conversation lasts exactly 90 minutes"
    );
    let status: String =
        db.query_row("SELECT status FROM couples WHERE id = ?1", [couple], |r| r.get(0)).expect("the couple");
    assert_eq!(status, "trajectory");
}

/// A whole trajectory from the keyboard: a conversation of last week recorded as held, the next
/// one planned (and not yet to be marked held), the trajectory closed; then the planned one in
/// the counsellor's week, from where Enter opens the file.
#[test]
fn record_hold_close_and_find_it_in_the_week() {
    let place = Place::demo();
    let (couple, file, query) = place.couple_without_trajectory(1);
    let mut app = Loket::start(&place);
    app.sign_in_as_counsellor();
    app.open_by_search(&query, &file);
    app.start_trajectory(&file);

    // Last week's conversation, recorded with status "gevoerd".
    app.open_session_form();
    let hours_before = hours_held(&app.contents());
    let past = last_week();
    app.send(CTRL_U);
    app.send(&past.format("%d-%m-%Y %H:%M").to_string());
    app.wait_for(&format!("→ {}", span_text(past)));
    app.send(TAB);
    app.send(TAB);
    app.wait_for("▸ Status");
    app.send(RIGHT);
    app.wait_for("◂ gevoerd ▸");
    app.send(CTRL_S);
    // Who came is asked, never assumed (issue 15): both, the first in the list.
    app.wait_for("Gevoerd: wie waren er?");
    app.send(ENTER);
    app.wait_for(&format!("Vastgelegd: {}.", span_text(past)));
    app.wait_gone(SESSION_FORM);
    let screen = app.wait_for("1 van 5 gevoerd, 0 gepland, 4 over");
    let row = line_with(&screen, &span_text(past));
    assert!(row.contains("gevoerd") && row.contains("beiden"), "held by both:\n{screen}");
    assert_eq!(hours_held(&screen), hours_before + 1.5, "the hours in the budget line:\n{screen}");

    // The next one, planned: a week after the last one at the earliest.
    let next = app.open_session_form();
    assert!(next >= past + chrono::Duration::days(7) && next > desk_now(), "next proposal: {next}");
    app.save_session(next);
    app.wait_for("1 van 5 gevoerd, 1 gepland, 3 over");

    // A planned conversation still ahead cannot be marked held.
    app.send("j");
    app.wait_selected(&span_text(next));
    // It is refused at once, before asking who came.
    app.send("h");
    app.wait_for("Dit gesprek ligt nog in de toekomst");
    app.wait_for("1 van 5 gevoerd, 1 gepland, 3 over");

    // Close the trajectory: no more conversations.
    app.send("z");
    app.wait_for("Dit traject afsluiten?");
    app.send("j");
    app.wait_for("Traject afgesloten.");
    let screen = app.wait_for("Afgesloten op");
    assert!(!screen.contains("gevoerd, 1 gepland"), "the tally gives way:\n{screen}");
    app.send("a");
    let screen = app.wait_for("Geen lopend traject");
    assert!(!screen.contains(SESSION_FORM), "no form after the end:\n{screen}");

    // The week view: this week first, then ] to the week of the planned conversation.
    app.send("v");
    let today = desk_now().date();
    let this_week = today.iso_week().week();
    app.wait_for(&format!("Week {this_week} · {COUNSELLOR}"));
    let monday = |d: NaiveDate| d - chrono::Duration::days(d.weekday().num_days_from_monday() as i64);
    let weeks = (monday(next.date()) - monday(today)).num_days() / 7;
    for _ in 0..weeks {
        let shown = app.contents();
        app.send("]");
        wait_until(&app.screen, "the next week", TIMEOUT, |s| s != shown && s.contains("Week "));
    }
    let screen = app.wait_for(&format!("Week {} · {COUNSELLOR}", next.iso_week().week()));
    let booking = format!("{} {file}", next.format("%H:%M"));
    assert!(screen.contains(&booking), "the booking in the week:\n{screen}");
    // The counsellor may have other bookings that week (the demo's), listed by time: down to ours.
    let earlier = bookings_before(&place, monday(next.date()), couple);
    app.send(&"j".repeat(earlier));
    app.wait_selected(&booking);
    app.send(ENTER);
    app.wait_for(&format!("Dossier {file}"));
    let screen = app.wait_for("e bewerken");
    assert!(screen.contains(&format!("Dossier {file}")), "the file opened from the week:\n{screen}");

    app.quit();
    drop(app);

    let db = rusqlite::Connection::open(place.db()).expect("open the database");
    let (ended, held, planned): (Option<String>, i64, i64) = db
        .query_row(
            "SELECT t.ended_at,
                    (SELECT count(*) FROM sessions s WHERE s.trajectory_id = t.id AND s.status = 'held'),
                    (SELECT count(*) FROM sessions s WHERE s.trajectory_id = t.id AND s.status = 'planned')
             FROM trajectories t WHERE t.couple_id = ?1",
            [couple],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("the couple's trajectory");
    assert!(ended.is_some(), "the trajectory is closed");
    // Ending the trajectory cancelled what was still planned, so no couple keeps more than five.
    assert_eq!((held, planned), (1, 0));
}
