//! Nothing lost (issue 7, points 5, 6 and 7) on ratatui's TestBackend and the store: a full disk,
//! every size from 1×1 to 300×100 on every pane, and hostile text typed and pasted into the forms.
//! Keys go through the real keymap; a bracketed paste is `Action::Paste`, as the event loop sends it.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use loket::action::Action;
use loket::app::{App, Form, Overlay};
use loket::config::{Config, Lang};
use loket::domain::couple::{Request, Source};
use loket::domain::file::LifeEventKind;
use loket::domain::names::PersonName;
use loket::domain::planner::SessionStatus;
use loket::domain::referral::{NewReferral, PartyKind, Shared};
use loket::domain::trajectory::{DutyHour, NewSession};
use loket::domain::user::{Role, User};
use loket::domain::walkin::{Attendance, Change, CoupleRef, DESK_TZ, NewWalkIn, Outcome, desk_day};
use loket::i18n::Texts;
use loket::keymap;
use loket::store::{Store, StoreError};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

/// Wednesday 2 December 2026, 09:30 in Amsterdam: the walk-in hour.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 8, 30, 0).single().expect("valid time")
}

/// A local time in December 2026 (winter time) in Amsterdam.
fn december(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    DESK_TZ
        .with_ymd_and_hms(2026, 12, day, hour, minute, 0)
        .single()
        .expect("exists once")
        .with_timezone(&Utc)
}

const DISK_FULL: &str = "De schijf is vol: niet opgeslagen. Uw invoer staat er nog.";
const TOO_SMALL: &str = "Het venster is te klein";
const NO_SUCH_DATE: &str = "Deze datum bestaat niet.";

fn walk_in(partners: &[(&str, &str, &str)], request: Request) -> NewWalkIn {
    NewWalkIn {
        couple: CoupleRef::New(partners.iter().map(|(g, p, s)| PersonName::new(g, p, s)).collect()),
        attendance: if partners.len() == 2 { Attendance::Both } else { Attendance::One },
        request,
        source: Source::SelfReferred,
        note: String::new(),
    }
}

/// A desk in the middle of its walk-in hour: a coordinator, a receptionist and two counsellors;
/// Kees de Vries & Els Jansen came, talked with Sara, got a trajectory (one conversation planned
/// for tomorrow), a life event and a referral to relationship therapy; Öztürk is in conversation
/// with Pieter and van den Berg & El Amrani are waiting. Returns the store and the couple's id.
fn filled_store(path: &Path) -> (Store, i64) {
    let mut store = Store::open(path).expect("open");
    let t0 = now() - Duration::minutes(40);
    store.add_user("Henk Bos", Role::Coordinator, t0).expect("user");
    store.add_user("Ingrid Hoekstra", Role::Receptionist, t0).expect("user");
    let sara = store.add_user("Sara de Boer", Role::Counsellor, t0).expect("user");
    let pieter = store.add_user("Pieter Kok", Role::Counsellor, t0).expect("user");
    let a = store
        .register_walk_in(
            &walk_in(&[("Kees", "de", "Vries"), ("Els", "", "Jansen")], Request::Repair),
            t0,
            None,
        )
        .expect("a");
    let b = store
        .register_walk_in(
            &walk_in(&[("Ayşe", "", "Öztürk")], Request::Separation),
            t0 + Duration::minutes(5),
            None,
        )
        .expect("b");
    store
        .register_walk_in(
            &walk_in(&[("Jan", "van den", "Berg"), ("Mo", "", "El Amrani")], Request::Strengthen),
            t0 + Duration::minutes(12),
            None,
        )
        .expect("c");
    store
        .change_walk_in(a, 1, Change::CallIn { counsellor_id: sara.id }, t0 + Duration::minutes(3), None)
        .expect("call a");
    store
        .change_walk_in(
            a,
            2,
            Change::Finish { outcome: Outcome::TrajectoryToPlan },
            t0 + Duration::minutes(30),
            None,
        )
        .expect("finish a");
    store
        .change_walk_in(b, 1, Change::CallIn { counsellor_id: pieter.id }, t0 + Duration::minutes(15), None)
        .expect("call b");
    let couple = store.walk_in(a).expect("walk-in").couple.id;
    let trajectory = store.start_trajectory(couple, sara.id, &sara, now()).expect("trajectory");
    let config = Config::default();
    let duty = DutyHour {
        weekday: config.walk_in_hour.weekday.0,
        from: config.walk_in_hour.start.0,
        to: config.walk_in_hour.end.0,
    };
    let session = NewSession {
        trajectory_id: trajectory,
        start: december(3, 14, 0),
        room: "Spreekkamer 1".into(),
        status: SessionStatus::Planned,
        attended: None,
    };
    store.plan_session(&session, duty, now()).expect("plan");
    let version = store.read_file(couple, &sara).expect("file").version;
    let grief = NaiveDate::from_ymd_opt(2026, 3, 14);
    store.add_life_event(couple, version, LifeEventKind::Grief, grief, &sara, now()).expect("life event");
    let referral = NewReferral {
        party: "therapy".into(),
        party_kind: PartyKind::Therapy,
        reason: "Vastgelopen communicatie.".into(),
        cost_explained: true,
        insurance_to_check: true,
        shared: Shared::WithRequest,
        summary: String::new(),
        follow_up_on: NaiveDate::from_ymd_opt(2026, 12, 16),
    };
    store.create_referral(couple, &referral, &sara, now()).expect("referral");
    (store, couple)
}

fn app_on(store: Store) -> App {
    App::new(store, Config::default(), Texts::new(Lang::Nl), Box::new(now))
}

fn press(app: &mut App, code: KeyCode) {
    press_with(app, code, KeyModifiers::NONE);
}

fn press_with(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
    if let Some(action) = keymap::resolve(&app.contexts(), &KeyEvent::new(code, modifiers)) {
        app.update(action);
    }
}

fn ctrl(app: &mut App, c: char) {
    press_with(app, KeyCode::Char(c), KeyModifiers::CONTROL);
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn paste(app: &mut App, text: &str) {
    app.update(Action::Paste(text.to_owned()));
}

/// Signs in as `name` from the user list (sorted by name).
fn sign_in(app: &mut App, name: &str) {
    let index = app.login.users.iter().position(|u| u.name == name).expect("user on the list");
    press(app, KeyCode::Home);
    for _ in 0..index {
        press(app, KeyCode::Down);
    }
    press(app, KeyCode::Enter);
    assert_eq!(app.user.as_ref().map(|u| u.name.as_str()), Some(name));
}

/// Opens a file with `/` and the start of a surname.
fn open_file(app: &mut App, query: &str) {
    press(app, KeyCode::Char('/'));
    type_text(app, query);
    press(app, KeyCode::Enter);
    assert!(app.file.is_some(), "a file is open after finding {query:?}");
}

fn draw(app: &App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal.draw(|frame| loket::ui::render(app, frame)).expect("draw");
    terminal.backend().buffer().clone()
}

/// The screen's rows as a terminal shows them: a wide character's hidden second cell is skipped,
/// so a row's display width (unicode-width) is the buffer's width.
fn rows(buffer: &Buffer) -> Vec<String> {
    (0..buffer.area.height)
        .map(|y| {
            let mut row = String::new();
            let mut hidden = 0;
            for x in 0..buffer.area.width {
                if hidden > 0 {
                    hidden -= 1;
                    continue;
                }
                let symbol = buffer[(x, y)].symbol();
                row.push_str(symbol);
                hidden = symbol.width().saturating_sub(1);
            }
            row
        })
        .collect()
}

fn screen(app: &App, width: u16, height: u16) -> String {
    rows(&draw(app, width, height)).iter().map(|r| r.trim_end()).collect::<Vec<_>>().join("\n")
}

/// The display column at which `needle` starts in `row`, counted with unicode-width.
fn column_of(row: &str, needle: &str) -> Option<usize> {
    row.find(needle).map(|at| row[..at].width())
}

/// What `row` shows from display column `column` on.
fn from_column(row: &str, column: usize) -> &str {
    let at = row
        .char_indices()
        .map(|(i, _)| i)
        .chain([row.len()])
        .find(|&i| row[..i].width() >= column)
        .unwrap_or(row.len());
    &row[at..]
}

fn form_of(app: &App) -> Option<&Form> {
    app.overlays.iter().rev().find_map(|o| match o {
        Overlay::Form(f) => Some(f.form()),
        _ => None,
    })
}

/// The title (its text key) of the form on top: which form it is.
fn top_form_kind(app: &App) -> Option<&'static str> {
    match app.overlays.last() {
        Some(Overlay::Form(f)) => Some(f.form().title),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Reading the file beside the app, with a connection of its own.

fn raw(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("open read-only")
}

fn page_count(path: &Path) -> u64 {
    let pages: i64 = raw(path).query_row("PRAGMA page_count", [], |r| r.get(0)).expect("page_count");
    u64::try_from(pages).expect("a positive page count")
}

fn tables(conn: &rusqlite::Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .expect("tables");
    stmt.query_map([], |r| r.get(0)).expect("tables").collect::<rusqlite::Result<_>>().expect("tables")
}

/// Every row of every table, as text: to compare the file before and after.
fn dump(path: &Path) -> BTreeMap<String, Vec<String>> {
    let conn = raw(path);
    let mut out = BTreeMap::new();
    for table in tables(&conn) {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\" ORDER BY rowid")).expect("select");
        let columns = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let mut line = Vec::new();
                for i in 0..columns {
                    line.push(format!("{:?}", r.get_ref(i)?));
                }
                Ok(line.join("|"))
            })
            .expect("rows")
            .collect::<rusqlite::Result<Vec<_>>>()
            .expect("rows");
        out.insert(table, rows);
    }
    out
}

/// Asserts that two dumps are alike, naming only the tables that differ (and their row counts).
fn assert_same(before: &BTreeMap<String, Vec<String>>, after: &BTreeMap<String, Vec<String>>, what: &str) {
    let differ: Vec<String> = before
        .keys()
        .chain(after.keys())
        .filter(|t| before.get(*t) != after.get(*t))
        .map(|t| {
            format!(
                "{t}: {} rows → {} rows",
                before.get(t).map_or(0, Vec::len),
                after.get(t).map_or(0, Vec::len)
            )
        })
        .collect();
    assert!(differ.is_empty(), "{what}; tables that differ: {differ:?}");
}

fn integrity_ok(path: &Path) {
    let report = loket::store::check(path).expect("check");
    assert!(report.is_ok(), "integrity and foreign keys: {report:?}");
}

/// A name part of exactly 60 characters (the limit), numbered so that no two are alike.
fn long_name(kind: &str, n: usize) -> String {
    let mut name = format!("{kind}{n:03}");
    while name.chars().count() < 60 {
        name.push('a');
    }
    name
}

fn long_walk_in(n: usize) -> NewWalkIn {
    let partner =
        |g: &str, s: &str| PersonName::new(&long_name(g, n), &long_name("Vander", n), &long_name(s, n));
    NewWalkIn {
        couple: CoupleRef::New(vec![partner("Voornaam", "Achternaam"), partner("Tweede", "Partner")]),
        attendance: Attendance::Both,
        request: Request::Repair,
        source: Source::SelfReferred,
        note: "n".repeat(300),
    }
}

/// With the file limited to its current pages, registers long walk-ins through the store until the
/// room left on those pages is used up. Each refused save must leave nothing behind.
/// Returns how many fitted.
fn fill_until_full(store: &mut Store, path: &Path) -> usize {
    for n in 0..500 {
        let before = dump(path);
        match store.register_walk_in(&long_walk_in(n), now(), None) {
            Ok(_) => {}
            Err(StoreError::DiskFull) => {
                assert_same(&before, &dump(path), "a walk-in refused on a full disk leaves no row behind");
                return n;
            }
            Err(other) => panic!("a full disk should be reported as DiskFull, not {other:?}"),
        }
    }
    panic!("500 long walk-ins fitted into a file that may not grow");
}

// ---------------------------------------------------------------------------------------------
// 5. Disk full

#[test]
fn a_full_disk_refuses_the_save_keeps_the_form_and_the_earlier_data() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let (mut store, _) = filled_store(&path);
    let original = dump(&path);
    store.set_max_pages(page_count(&path)).expect("limit the file to its current size");
    // The last pages still have some room: use it up through the store. The form then types the
    // walk-in that was just refused (same sizes, the next names), which needs a new page too.
    let fitted = fill_until_full(&mut store, &path);
    let before = dump(&path);

    let mut app = app_on(store);
    sign_in(&mut app, "Ingrid Hoekstra");
    let queue_before = app.queue.walk_ins.len();
    press(&mut app, KeyCode::Char('n'));
    let typed = [
        long_name("Voornaam", fitted),
        long_name("Vander", fitted),
        long_name("Achternaam", fitted),
        long_name("Tweede", fitted),
        long_name("Vander", fitted),
        long_name("Partner", fitted),
    ];
    for (i, text) in typed.iter().enumerate() {
        type_text(&mut app, text);
        press(&mut app, KeyCode::Tab);
        if i == typed.len() - 1 {
            press(&mut app, KeyCode::Tab); // request
            press(&mut app, KeyCode::Tab); // found via
        }
    }
    type_text(&mut app, &"n".repeat(300));
    ctrl(&mut app, 's');

    // Refused, said in words on the form, and everything typed is still there.
    assert_eq!(top_form_kind(&app), Some("walk_in.title"), "the form stays open");
    let form = form_of(&app).expect("form");
    assert_eq!(form.message.as_deref(), Some(DISK_FULL));
    let fields = [
        "walk_in.given1",
        "walk_in.prefix1",
        "walk_in.surname1",
        "walk_in.given2",
        "walk_in.prefix2",
        "walk_in.surname2",
    ];
    for (id, text) in fields.iter().zip(&typed) {
        assert_eq!(form.value(id), Some(text.as_str()), "{id:?} kept");
    }
    assert_eq!(form.value("walk_in.note").unwrap_or_default(), "n".repeat(300), "the note kept");
    let s = screen(&app, 80, 24);
    assert!(s.contains(DISK_FULL), "the message on the form:\n{s}");
    assert!(s.contains("Nieuwe inloper"), "the form on screen:\n{s}");
    assert!(!s.contains("Ingeschreven"), "nothing claims to be saved:\n{s}");
    assert_same(&before, &dump(&path), "the refused save changed nothing in the file");

    // Saving again on the still full disk says the same, and still keeps the typing.
    ctrl(&mut app, 's');
    assert_eq!(form_of(&app).map(|f| f.message.as_deref()), Some(Some(DISK_FULL)));
    assert_eq!(
        form_of(&app).map(|f| f.value("walk_in.given1").unwrap_or_default().to_owned()),
        Some(typed[0].clone())
    );

    // The app keeps running: discard the form, move, and show every pane.
    press(&mut app, KeyCode::Esc);
    assert!(screen(&app, 80, 24).contains("Wijzigingen in dit formulier weggooien?"));
    press(&mut app, KeyCode::Char('j'));
    assert!(app.overlays.is_empty(), "the form is gone after yes");
    assert!(!app.quit);
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('f'));
    app.update(Action::Tick);
    assert_eq!(app.queue.walk_ins.len(), queue_before, "the queue as before");
    open_file(&mut app, "vries");
    for (key, marker) in
        [('1', "Wachtrij"), ('2', "Dossier"), ('3', "Planning"), ('4', "Verwijzing"), ('5', "Rapportage")]
    {
        press(&mut app, KeyCode::Char(key));
        for (w, h) in [(80, 24), (120, 40)] {
            let s = screen(&app, w, h);
            assert!(s.contains(&format!("{key} {marker}")) && !s.contains(TOO_SMALL), "pane {key}:\n{s}");
        }
    }
    assert!(!app.quit, "still running");
    // Reading and moving wrote nothing, except the log of who opened the file.
    let mut after = dump(&path);
    let opened = after.remove("file_access").unwrap_or_default();
    let mut expected = before.clone();
    let logged = expected.remove("file_access").unwrap_or_default();
    assert_same(&expected, &after, "only the file's opening was written after the refused save");
    assert_eq!(opened.len(), logged.len() + 1, "the opening is logged once");

    // The earlier data is intact, as a second store on the file sees it.
    let second = Store::open(&path).expect("a second store on the file");
    assert_eq!(second.couple_count().expect("couples"), 3 + fitted as i64);
    assert_eq!(second.users().expect("users").len(), 4);
    assert_eq!(second.queue_for(desk_day(now())).expect("queue").len(), queue_before);
    drop(second);
    for (table, rows) in &original {
        let now_rows = &before[table];
        assert!(
            rows.iter().all(|r| now_rows.contains(r)),
            "every row of {table} from before the limit is still there"
        );
    }
    integrity_ok(&path);
}

#[test]
fn a_store_write_on_a_full_disk_is_refused_whole_and_the_same_save_succeeds_with_room() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let (mut store, _) = filled_store(&path);
    let pages = page_count(&path);
    store.set_max_pages(pages).expect("limit");
    // A walk-in (a couple, its partners and the walk-in, in one transaction): whole or not at all.
    let fitted = fill_until_full(&mut store, &path);

    // A user: one row, refused as DiskFull once the users' page is full, and no partial row.
    let users_before = store.users().expect("users").len();
    let mut added = 0;
    let refused = loop {
        assert!(added < 1000, "1000 users fitted into a file that may not grow");
        let before = dump(&path);
        match store.add_user(&long_name("Gebruiker", added), Role::Receptionist, now()) {
            Ok(_) => added += 1,
            Err(e) => {
                assert_same(&before, &dump(&path), "a refused user leaves nothing behind");
                break e;
            }
        }
    };
    assert!(matches!(refused, StoreError::DiskFull), "a full disk is DiskFull: {refused:?}");
    let users: Vec<User> = store.users().expect("the store still reads");
    assert_eq!(users.len(), users_before + added);
    assert!(!users.iter().any(|u| u.name == long_name("Gebruiker", added)), "the refused user is not there");
    assert_eq!(page_count(&path), pages, "the file did not grow");
    integrity_ok(&path);

    // Nothing is left open: with room again, the very same writes succeed.
    store.set_max_pages(pages + 1000).expect("room again");
    store.add_user(&long_name("Gebruiker", added), Role::Receptionist, now()).expect("the user now fits");
    store.register_walk_in(&long_walk_in(fitted), now(), None).expect("the walk-in now fits");
    integrity_ok(&path);
}

#[test]
fn after_a_full_disk_the_kept_form_saves_once_there_is_room() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let (mut store, _) = filled_store(&path);
    let pages = page_count(&path);
    store.set_max_pages(pages).expect("limit");
    let fitted = fill_until_full(&mut store, &path);
    let mut app = app_on(store);
    sign_in(&mut app, "Ingrid Hoekstra");
    press(&mut app, KeyCode::Char('n'));
    for text in [long_name("Voornaam", fitted), long_name("Vander", fitted), long_name("Achternaam", fitted)]
    {
        type_text(&mut app, &text);
        press(&mut app, KeyCode::Tab);
    }
    for text in [long_name("Tweede", fitted), long_name("Vander", fitted), long_name("Partner", fitted)] {
        type_text(&mut app, &text);
        press(&mut app, KeyCode::Tab);
    }
    ctrl(&mut app, 's');
    assert_eq!(form_of(&app).and_then(|f| f.message.clone()).as_deref(), Some(DISK_FULL));

    app.store_for_tests().set_max_pages(pages + 1000).expect("room again");
    ctrl(&mut app, 's');
    assert!(app.overlays.is_empty(), "saved, the form closed: {:?}", app.overlays.len());
    let s = screen(&app, 120, 40);
    assert!(s.contains("Ingeschreven: nummer"), "{s}");
    let stored = raw(&path)
        .query_row(
            "SELECT count(*) FROM partners WHERE given_name = ?1",
            [long_name("Voornaam", fitted)],
            |r| r.get::<_, i64>(0),
        )
        .expect("count");
    assert_eq!(stored, 1, "what was kept in the form is what was saved");
    integrity_ok(&path);
}

/// Opening a file writes one row (who opened it, when). When that row does not fit, the refusal
/// must not claim that typed input was kept: nothing was typed.
#[test]
fn opening_a_file_on_a_full_disk_says_what_happened() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let (mut store, couple) = filled_store(&path);
    store.set_max_pages(page_count(&path)).expect("limit");
    fill_until_full(&mut store, &path);
    // Fill the access log's pages too, by opening the file until its log no longer fits.
    let sara = store.users().expect("users").into_iter().find(|u| u.name == "Sara de Boer").expect("Sara");
    let mut opened = 0;
    while store.open_file(couple, &sara, now()).is_ok() {
        opened += 1;
        assert!(opened < 10_000, "the access log never filled up");
    }
    let mut app = app_on(store);
    sign_in(&mut app, "Sara de Boer");
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "vries");
    press(&mut app, KeyCode::Enter);
    let s = screen(&app, 100, 24);
    assert!(
        app.file.is_some() || !s.contains("Uw invoer staat er nog"),
        "opened, or refused in fitting words:\n{s}"
    );
}

// ---------------------------------------------------------------------------------------------
// 6. Sizes

const WIDTHS: [u16; 16] = [1, 2, 3, 5, 8, 13, 20, 40, 59, 60, 61, 80, 119, 120, 200, 300];
const HEIGHTS: [u16; 12] = [1, 2, 3, 5, 10, 15, 16, 17, 24, 40, 60, 100];

/// Draws at every size of the sweep; returns the sizes that panicked.
fn sweep(app: &App, what: &str) -> Vec<String> {
    let mut failed = Vec::new();
    for w in WIDTHS {
        for h in HEIGHTS {
            if catch_unwind(AssertUnwindSafe(|| draw(app, w, h))).is_err() {
                failed.push(format!("{what} at {w}×{h}"));
            }
        }
    }
    failed
}

#[test]
fn every_pane_with_help_and_a_form_on_top_draws_at_every_size() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = filled_store(&dir.path().join("loket.db"));
    let mut app = app_on(store);
    // Before anyone signs in: the user list, and a new user's form.
    let mut failed = sweep(&app, "user list");
    press(&mut app, KeyCode::Char('n'));
    failed.extend(sweep(&app, "new user form"));
    app.overlays.clear();
    sign_in(&mut app, "Sara de Boer");
    open_file(&mut app, "vries");
    assert!(app.planner.trajectory.is_some() && !app.referral.list.is_empty(), "a trajectory and a referral");
    // Each pane with the key of one of its forms.
    let panes = [
        ('1', 'n', "queue"),
        ('2', 'e', "file"),
        ('3', 'a', "planner"),
        ('4', 'n', "referral"),
        ('5', 'd', "report"),
    ];
    for (pane, form_key, name) in panes {
        app.overlays.clear();
        press(&mut app, KeyCode::Char(pane));
        failed.extend(sweep(&app, name));
        press(&mut app, KeyCode::Char('?'));
        assert!(matches!(app.overlays.last(), Some(Overlay::Help)), "help over the {name} pane");
        failed.extend(sweep(&app, &format!("{name} + help")));
        app.overlays.clear();
        press(&mut app, KeyCode::Char(form_key));
        assert!(top_form_kind(&app).is_some(), "a form over the {name} pane ({form_key})");
        type_text(&mut app, "IJsbrand 👨\u{200D}👩\u{200D}👧 مريم");
        failed.extend(sweep(&app, &format!("{name} + form")));
        press(&mut app, KeyCode::F(1));
        assert!(matches!(app.overlays.last(), Some(Overlay::Help)), "help over the form of the {name} pane");
        failed.extend(sweep(&app, &format!("{name} + form + help")));
    }
    // A pick list and a question on top too.
    app.overlays.clear();
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('s'));
    failed.extend(sweep(&app, "file + status picker"));
    app.overlays.clear();
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('z'));
    failed.extend(sweep(&app, "planner + question"));
    assert!(failed.is_empty(), "panicked: {failed:#?}");
}

#[test]
fn sixty_by_sixteen_shows_the_panes_and_smaller_shows_the_notice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (store, _) = filled_store(&dir.path().join("loket.db"));
    let mut app = app_on(store);
    sign_in(&mut app, "Sara de Boer");
    open_file(&mut app, "vries");
    for (key, marker) in
        [('1', "Wachtrij"), ('2', "Dossier"), ('3', "Planning"), ('4', "Verwijzing"), ('5', "Rapportage")]
    {
        press(&mut app, KeyCode::Char(key));
        let fits = screen(&app, 60, 16);
        assert!(fits.contains("1 Wachtrij") && !fits.contains(TOO_SMALL), "pane {marker} at 60×16:\n{fits}");
        for (w, h) in [(59, 16), (60, 15), (59, 15), (40, 24), (120, 10)] {
            let small = screen(&app, w, h);
            assert!(small.contains(TOO_SMALL), "pane {marker} at {w}×{h} says it is too small:\n{small}");
            assert!(!small.contains("1 Wachtrij"), "no pane at {w}×{h}:\n{small}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 7. Hostile text

/// The partners of the walk-in with this ticket today, as stored: (given, prefix, surname, sort_key, given_key).
fn stored_partners(path: &Path, ticket: u32) -> Vec<(String, String, String, String, String)> {
    let conn = raw(path);
    let mut stmt = conn
        .prepare(
            "SELECT p.given_name, p.prefix, p.surname, p.sort_key, p.given_key
             FROM partners p JOIN walk_ins w ON w.couple_id = p.couple_id
             WHERE w.day = ?1 AND w.ticket = ?2 ORDER BY p.position",
        )
        .expect("select");
    stmt.query_map(rusqlite::params![desk_day(now()).to_string(), ticket], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    })
    .expect("partners")
    .collect::<rusqlite::Result<_>>()
    .expect("partners")
}

fn walk_in_count(path: &Path) -> i64 {
    raw(path).query_row("SELECT count(*) FROM walk_ins", [], |r| r.get(0)).expect("count")
}

/// The ticket the last save announced ("Ingeschreven: nummer 4, …").
fn registered_ticket(app: &App) -> u32 {
    let flash = app.flash.as_ref().map(|f| f.text.clone()).unwrap_or_default();
    assert!(
        flash.starts_with("Ingeschreven: nummer "),
        "registered: {flash:?} (overlays: {})",
        app.overlays.len()
    );
    flash["Ingeschreven: nummer ".len()..]
        .split(',')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a ticket number")
}

#[test]
fn hostile_names_typed_and_pasted_are_stored_clean() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let (store, _) = filled_store(&path);
    let mut app = app_on(store);
    sign_in(&mut app, "Ingrid Hoekstra");

    // 1. NFD typed (e + combining circumflex), the IJ digraph, a zero-width space and a bidi override.
    press(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "IJsbrand");
    press(&mut app, KeyCode::Tab);
    paste(&mut app, "van der");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "We\u{0302}reld");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "An\u{200B}na");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    paste(&mut app, "Jan\u{202E}sen");
    ctrl(&mut app, 's');
    let first = registered_ticket(&app);

    // 2. Arabic and Hebrew, pasted and typed, with bidi marks and isolates around them.
    press(&mut app, KeyCode::Char('n'));
    paste(&mut app, "\u{2067}مريم\u{2069}");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "Haddad");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "\u{200F}אבי");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    paste(&mut app, "Cohen\u{200E}");
    ctrl(&mut app, 's');
    let second = registered_ticket(&app);

    // 3. One partner: an emoji family with joiners, pasted; a tab in a paste is text, not a key.
    press(&mut app, KeyCode::Char('n'));
    press(&mut app, KeyCode::BackTab); // to "Wie kwam"
    press(&mut app, KeyCode::Right); // één partner
    press(&mut app, KeyCode::Tab);
    paste(&mut app, "Noa\t👨\u{200D}👩\u{200D}👧");
    assert_eq!(
        form_of(&app).and_then(|f| f.focused()).map(|f| f.label),
        Some("walk_in.given1"),
        "a pasted tab does not move on"
    );
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "Öztürk");
    ctrl(&mut app, 's');
    let third = registered_ticket(&app);

    let p = stored_partners(&path, first);
    assert_eq!(
        (p[0].0.as_str(), p[0].1.as_str(), p[0].2.as_str()),
        ("IJsbrand", "van der", "W\u{00EA}reld"),
        "NFC, IJ kept"
    );
    assert_eq!(p[0].2.chars().count(), 6, "one precomposed ê");
    assert!(p[0].3.starts_with("wereld ijsbrand"), "folded sort key: {:?}", p[0].3);
    assert_eq!(p[0].4, "ijsbrand", "folded given name");
    assert_eq!(
        (p[1].0.as_str(), p[1].2.as_str()),
        ("Anna", "Jansen"),
        "zero-width space and bidi override removed"
    );
    let p = stored_partners(&path, second);
    assert_eq!((p[0].0.as_str(), p[0].2.as_str()), ("مريم", "Haddad"));
    assert_eq!((p[1].0.as_str(), p[1].2.as_str()), ("אבי", "Cohen"));
    let p = stored_partners(&path, third);
    assert_eq!(p.len(), 1, "one partner");
    assert_eq!(
        (p[0].0.as_str(), p[0].2.as_str()),
        ("Noa 👨\u{200D}👩\u{200D}👧", "Öztürk"),
        "joiners kept, the tab a space"
    );
    let everything = dump(&path);
    for (table, rows) in &everything {
        for row in rows {
            for bad in ['\u{202E}', '\u{200B}', '\u{200E}', '\u{200F}', '\u{2067}', '\u{2069}', '\t'] {
                assert!(!row.contains(bad), "{bad:?} stored in {table}: {row}");
            }
        }
    }

    // Found however it is typed: folded, with or without the accent, the IJ as two letters.
    let found = |q: &str| {
        app.store_for_tests().find_couples(q, 8).expect("find").iter().map(|c| c.names()).collect::<Vec<_>>()
    };
    for q in ["wereld", "Wêreld", "We\u{0302}reld", "ijsbrand", "IJSB", "ijsbrand wer", "van der wereld"] {
        assert!(
            found(q).iter().any(|n| n.contains("Wêreld, IJsbrand van der")),
            "{q:?} finds IJsbrand: {:?}",
            found(q)
        );
    }
    assert!(found("مريم").iter().any(|n| n.contains("مريم")), "Arabic found");
    assert!(found("אבי").iter().any(|n| n.contains("אבי")), "Hebrew found");

    // The queue still lines up: every row's "Wacht" and "Vraag" start under their headers.
    for (w, h) in [(80, 24), (120, 40)] {
        let buffer = draw(&app, w, h);
        let lines = rows(&buffer);
        for line in &lines {
            assert_eq!(line.width(), usize::from(w), "every row is exactly the window wide: {line:?}");
        }
        let header = lines.iter().position(|l| l.contains("Wacht") && l.contains("Vraag")).expect("header");
        let wait_x = column_of(&lines[header], "Wacht").expect("Wacht");
        let request_x = column_of(&lines[header], "Vraag").expect("Vraag");
        let visible = app.queue.visible();
        assert_eq!(visible.len(), 5, "five walk-ins not finished");
        for (i, walk_in) in visible.iter().enumerate() {
            // A couple too long for one line takes a line per partner: find the row by its number.
            let ticket = format!("{} ", walk_in.ticket);
            let row = lines[header + 1..].iter().find(|l| l.starts_with(&ticket)).expect("the walk-in's row");
            let waited = app.texts.duration(walk_in.waited(app.now));
            let request = app.texts.t(&walk_in.request.text_key()).to_owned();
            assert!(
                from_column(row, wait_x).starts_with(&waited),
                "at {w}×{h}, Wacht of row {i} at column {wait_x}: {row:?}"
            );
            assert!(
                from_column(row, request_x).starts_with(&request),
                "at {w}×{h}, Vraag of row {i} at column {request_x}: {row:?}"
            );
        }
        let s = lines.join("\n");
        // Each partner's name whole, also at 80 columns.
        for name in ["Wêreld, IJsbrand van der", "Haddad, مريم", "Öztürk, Noa 👨\u{200D}👩\u{200D}👧"]
        {
            assert!(s.contains(name), "{name} in the queue at {w}×{h}:\n{s}");
        }
    }
}

#[test]
fn hostile_text_in_the_notes_and_a_user_name_is_stored_clean() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let (store, couple) = filled_store(&path);
    let mut app = app_on(store);

    // A new user's name, pasted with a bidi override and a zero-width space, typed with NFD.
    press(&mut app, KeyCode::Char('n'));
    paste(&mut app, "Zo\u{200B}e\u{0308}\u{202E} ");
    type_text(&mut app, "Yılmaz");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right); // hulpverlener
    ctrl(&mut app, 's');
    assert!(app.overlays.is_empty(), "the user is saved");
    let names: Vec<String> =
        app.store_for_tests().users().expect("users").into_iter().map(|u| u.name).collect();
    assert!(names.contains(&"Zo\u{00EB} Yılmaz".to_owned()), "cleaned and NFC: {names:?}");

    // The notes: several lines pasted, cleaned line by line, the lines kept.
    sign_in(&mut app, "Sara de Boer");
    open_file(&mut app, "vries");
    press(&mut app, KeyCode::Char('n'));
    assert!(matches!(app.overlays.last(), Some(Overlay::Notes(_))), "the notes editor");
    paste(&mut app, &"x".repeat(1_000_000));
    assert!(screen(&app, 80, 24).contains("Te lang: hoogstens 20000 tekens."), "a 1 MB paste is refused");
    paste(
        &mut app,
        "Gesprek met We\u{0302}reld\r\nAfspraak:\u{202E} elke\u{200B} week 👨\u{200D}👩\u{200D}👧\rمريم en אבי",
    );
    ctrl(&mut app, 's');
    assert!(app.overlays.is_empty(), "the notes are saved");
    let notes: String = raw(&path)
        .query_row("SELECT notes FROM couples WHERE id = ?1", [couple], |r| r.get(0))
        .expect("notes");
    assert_eq!(notes, "Gesprek met Wêreld\nAfspraak: elke week 👨\u{200D}👩\u{200D}👧\nمريم en אבי");
}

#[test]
fn the_ij_digraph_sorts_as_i_j_among_the_names() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let (mut store, _) = filled_store(&path);
    for (given, surname) in [("Ilse", "Ilk"), ("Kees", "IJzerman"), ("Anna", "Ibrahim"), ("Yvo", "Yntema")] {
        store
            .register_walk_in(&walk_in(&[(given, "", surname)], Request::Information), now(), None)
            .expect("walk-in");
    }
    let order: Vec<String> =
        store.find_couples("i", 8).expect("find").iter().map(|c| c.partners[0].surname.clone()).collect();
    let surnames: Vec<&str> =
        order.iter().map(String::as_str).filter(|s| ["Ilk", "IJzerman", "Ibrahim"].contains(s)).collect();
    assert_eq!(surnames, ["Ibrahim", "IJzerman", "Ilk"], "IJ sorts as I then J: {order:?}");
    assert_eq!(store.find_couples("ijz", 8).expect("find").len(), 1);
}

/// The ligature Ĳ (U+0132) is one character for the Dutch IJ; NFC keeps it, so search and sorting
/// must fold it to "ij" as they fold accents.
#[test]
fn the_ij_ligature_is_found_and_sorted_as_ij() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let (store, _) = filled_store(&path);
    let mut app = app_on(store);
    sign_in(&mut app, "Ingrid Hoekstra");
    press(&mut app, KeyCode::Char('n'));
    press(&mut app, KeyCode::BackTab);
    press(&mut app, KeyCode::Right); // één partner
    press(&mut app, KeyCode::Tab);
    paste(&mut app, "\u{0132}sbrand");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    paste(&mut app, "\u{0132}zerman");
    ctrl(&mut app, 's');
    let ticket = registered_ticket(&app);
    let p = stored_partners(&path, ticket);
    assert_eq!(p[0].0, "\u{0132}sbrand", "kept as typed (NFC does not change it)");
    assert_eq!(p[0].4, "ijsbrand", "the given name folds to i + j");
    assert!(p[0].3.starts_with("ijzerman"), "the sort key folds to i + j: {:?}", p[0].3);
    assert_eq!(
        app.store_for_tests().find_couples("ijsbrand", 8).expect("find").len(),
        1,
        "found by its given name"
    );
    assert_eq!(
        app.store_for_tests().find_couples("ijzer", 8).expect("find").len(),
        1,
        "found by its surname"
    );
}

#[test]
fn a_huge_or_multi_line_paste_is_refused_whole_and_never_submits() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let (store, _) = filled_store(&path);
    let mut app = app_on(store);
    sign_in(&mut app, "Ingrid Hoekstra");
    let walk_ins = walk_in_count(&path);
    press(&mut app, KeyCode::Char('n'));
    type_text(&mut app, "Anna");
    let given = |app: &App| form_of(app).map(|f| f.value("walk_in.given1").unwrap_or_default().to_owned());
    let focus = |app: &App| form_of(app).and_then(|f| f.focused()).map(|f| f.label);

    // 1 MB into a name field: refused whole, "Te lang", the field as it was.
    paste(&mut app, &"x".repeat(1_000_000));
    assert_eq!(given(&app).as_deref(), Some("Anna"));
    let s = screen(&app, 80, 24);
    assert!(s.contains("Te lang: hoogstens 60 tekens."), "{s}");
    // 1 MB of wide and combining characters, and 1 MB into the note: the same.
    paste(&mut app, &"ê👨\u{200D}👩".repeat(200_000));
    assert_eq!(given(&app).as_deref(), Some("Anna"));
    assert!(screen(&app, 80, 24).contains("Te lang"));
    // Exactly up to the limit still fits; one more does not.
    paste(&mut app, &"a".repeat(56));
    assert_eq!(given(&app).map(|g| g.chars().count()), Some(60));
    press(&mut app, KeyCode::Char('z'));
    assert_eq!(given(&app).map(|g| g.chars().count()), Some(60), "typing stops at the limit");
    ctrl(&mut app, 'u');
    type_text(&mut app, "Anna");

    // Several lines into a one-line field: refused, the form stays, focus stays, nothing saved.
    for text in ["Jansen\nAnna", "de Vries\r\n", "\r", "\n", "x\u{2028}y\ry", "Anna\tJansen\r"] {
        paste(&mut app, text);
        assert_eq!(top_form_kind(&app), Some("walk_in.title"), "{text:?}: the form stays open");
        assert_eq!(focus(&app), Some("walk_in.given1"), "{text:?}: never acts as Enter or Tab");
        assert_eq!(given(&app).as_deref(), Some("Anna"), "{text:?}: the field unchanged");
        let s = screen(&app, 80, 24);
        if text.contains(['\n', '\r']) {
            assert!(s.contains("meerdere regels"), "{text:?}:\n{s}");
        }
    }
    // A paste with an escape or Ctrl-S in it is text, not a key: the form neither closes nor saves.
    paste(&mut app, "\u{1b}\u{13}");
    assert_eq!(top_form_kind(&app), Some("walk_in.title"), "a pasted Esc or Ctrl-S does nothing");
    for _ in 0..8 {
        press(&mut app, KeyCode::Tab);
    }
    assert_eq!(focus(&app), Some("walk_in.note"));
    paste(&mut app, &"n".repeat(1_000_000));
    assert_eq!(
        form_of(&app).map(|f| f.value("walk_in.note").unwrap_or_default().to_owned()).as_deref(),
        Some("")
    );
    assert!(screen(&app, 80, 24).contains("Te lang: hoogstens 300 tekens."));
    paste(&mut app, "kwam\nom tien uur");
    assert!(screen(&app, 80, 24).contains("meerdere regels"));
    assert_eq!(walk_in_count(&path), walk_ins, "no paste saved anything");
    assert_eq!(top_form_kind(&app), Some("walk_in.title"));
    // On the queue a paste does nothing at all.
    app.overlays.clear();
    paste(&mut app, "n\rAnna\r");
    assert!(app.overlays.is_empty(), "a paste on the queue opens nothing");
    assert_eq!(walk_in_count(&path), walk_ins);
}

#[test]
fn impossible_dates_are_refused_with_a_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let (store, couple) = filled_store(&path);
    let mut app = app_on(store);
    sign_in(&mut app, "Sara de Boer");
    open_file(&mut app, "vries");
    let events = |path: &Path| -> i64 {
        raw(path)
            .query_row("SELECT count(*) FROM life_events WHERE couple_id = ?1", [couple], |r| r.get(0))
            .expect("count")
    };
    let before = events(&path);

    // The life-event form of the file pane.
    press(&mut app, KeyCode::Char('l'));
    assert_eq!(top_form_kind(&app), Some("file.life_event_title"));
    press(&mut app, KeyCode::Tab);
    for date in ["31-02-2026", "29-02-2027", "31-04", "30/02/26"] {
        ctrl(&mut app, 'u');
        type_text(&mut app, date);
        ctrl(&mut app, 's');
        assert_eq!(top_form_kind(&app), Some("file.life_event_title"), "{date}: the form stays open");
        let s = screen(&app, 80, 24);
        assert!(s.contains(NO_SUCH_DATE), "{date} is refused in words:\n{s}");
        assert_eq!(
            form_of(&app).map(|f| f.value("file.life_event_date").unwrap_or_default().to_owned()).as_deref(),
            Some(date),
            "kept"
        );
        assert_eq!(events(&path), before, "{date}: nothing saved");
    }
    // A date that exists is taken.
    ctrl(&mut app, 'u');
    type_text(&mut app, "29-02-2024");
    ctrl(&mut app, 's');
    assert!(app.overlays.is_empty(), "29-02-2024 exists");
    assert_eq!(events(&path), before + 1);

    // The planner's conversation form.
    press(&mut app, KeyCode::Char('3'));
    let sessions = |app: &App| app.planner.trajectory.as_ref().map_or(0, |t| t.sessions.len());
    let planned = sessions(&app);
    press(&mut app, KeyCode::Char('a'));
    assert_eq!(top_form_kind(&app), Some("plan.session_title"));
    for when in ["31-02 14:00", "29-02-2027 14:00", "31-11 10:00"] {
        ctrl(&mut app, 'u');
        type_text(&mut app, when);
        assert!(screen(&app, 80, 24).contains(NO_SUCH_DATE), "{when}: said while typing");
        ctrl(&mut app, 's');
        assert_eq!(top_form_kind(&app), Some("plan.session_title"), "{when}: the form stays open");
        let s = screen(&app, 80, 24);
        assert!(s.contains(NO_SUCH_DATE), "{when} is refused in words:\n{s}");
        assert_eq!(sessions(&app), planned, "{when}: nothing planned");
    }
    app.overlays.clear();

    // The report's own dates.
    press(&mut app, KeyCode::Char('5'));
    press(&mut app, KeyCode::Char('d'));
    assert_eq!(top_form_kind(&app), Some("report.range_title"));
    ctrl(&mut app, 'u');
    type_text(&mut app, "31-02-2026");
    ctrl(&mut app, 's');
    assert_eq!(top_form_kind(&app), Some("report.range_title"), "the period form stays open");
    let s = screen(&app, 80, 24);
    assert!(s.contains(NO_SUCH_DATE), "{s}");
}
