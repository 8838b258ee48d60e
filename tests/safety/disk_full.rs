//! Nothing lost (issue 7, point 5): a full disk refuses a save whole, keeps what was typed and the
//! earlier data, and the same save succeeds once there is room.

use std::path::{Path, PathBuf};

use loket::action::Action;
use loket::app::App;
use loket::domain::couple::{Request, Source};
use loket::domain::file::LifeEventKind;
use loket::domain::names::PersonName;
use loket::domain::referral::NewReferral;
use loket::domain::referral::PartyKind;
use loket::domain::referral::Scope;
use loket::domain::referral::Shared;
use loket::domain::user::{Role, User};
use loket::domain::walkin::{Attendance, desk_day};
use loket::domain::walkin::{CoupleRef, NewWalkIn};
use loket::store::{Store, StoreError};
use ratatui::crossterm::event::KeyCode;

use crate::common::db::{assert_same, dump, integrity_ok, page_count, raw};
use crate::common::desk::{app_on, filled_store, now};
use crate::common::shown::screen;
use crate::common::{ctrl, form_of, open_file, press, sign_in, top_form_kind, type_text};

const DISK_FULL: &str = "De schijf is vol: niet opgeslagen. Uw invoer staat er nog.";
const TOO_SMALL: &str = "Het venster is te klein";

fn long_name(kind: &str, n: usize) -> String {
    let mut name = format!("{kind}{n:03}");
    while name.chars().count() < 60 {
        name.push('a');
    }
    name
}

pub(crate) fn long_walk_in(n: usize) -> NewWalkIn {
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
pub(crate) fn fill_until_full(store: &mut Store, path: &Path) -> usize {
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

/// A filled desk whose file may not grow past its current pages, with the room left on those pages
/// used up: (the folder, the file, the store, the page limit, how many long walk-ins fitted, the
/// couple Kees de Vries & Els Jansen).
fn full_desk() -> (tempfile::TempDir, PathBuf, Store, u64, usize, i64) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let (mut store, couple) = filled_store(&path);
    let pages = page_count(&path);
    store.set_max_pages(pages).expect("limit the file to its current size");
    let fitted = fill_until_full(&mut store, &path);
    (dir, path, store, pages, fitted, couple)
}

/// The six names of the `n`-th long walk-in, in the order the form asks for them.
fn long_names(n: usize) -> [String; 6] {
    ["Voornaam", "Vander", "Achternaam", "Tweede", "Vander", "Partner"].map(|kind| long_name(kind, n))
}

/// Opens the walk-in form and types the `n`-th long walk-in's names, and the note when `note` is set.
fn type_long_walk_in(app: &mut App, n: usize, note: bool) {
    press(app, KeyCode::Char('n'));
    let typed = long_names(n);
    for (i, text) in typed.iter().enumerate() {
        type_text(app, text);
        press(app, KeyCode::Tab);
        if note && i == typed.len() - 1 {
            press(app, KeyCode::Tab); // request
            press(app, KeyCode::Tab); // found via
        }
    }
    if note {
        type_text(app, &"n".repeat(300));
    }
}

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

    let mut app = app_on(store);
    sign_in(&mut app, "Ingrid Hoekstra");
    // After signing in (which the access log records, when there is room for its row).
    let before = dump(&path);
    let queue_before = app.queue.walk_ins.len();
    type_long_walk_in(&mut app, fitted, true);
    let typed = long_names(fitted);
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
    // Reading and moving wrote nothing, except the log of who searched and opened the file.
    let mut after = dump(&path);
    let access_after = after.remove("access_log").unwrap_or_default();
    let mut expected = before.clone();
    let access_before = expected.remove("access_log").unwrap_or_default();
    assert_same(&expected, &after, "only the file's opening was written after the refused save");
    // The search and the opening are in the access log when its last page had room for them; the
    // room left there depends on the schema's page layout, so without it neither is written.
    // Without room the file is still shown, read-only and saying so (see the next test).
    let logged = access_after.len() - access_before.len();
    assert!(logged == 2 || logged == 0, "the search and the opening in the access log, or neither: {logged}");
    assert_eq!(app.unlogged, logged == 0, "shown read-only exactly when its opening was not logged");

    // The earlier data is intact, as a second store on the file sees it.
    let second = Store::open(&path).expect("a second store on the file");
    assert_eq!(second.couple_count().expect("couples"), 3 + fitted as i64);
    assert_eq!(second.users().expect("users").len(), 4);
    assert_eq!(second.queue_for(desk_day(now())).expect("queue").len(), queue_before);
    drop(second);
    // The search index's own tables are left out: it rewrites its pages as names are added (what
    // it holds is checked by searching, above).
    for (table, rows) in original.iter().filter(|(table, _)| !table.starts_with("partner_words")) {
        let now_rows = &before[table];
        assert!(
            rows.iter().all(|r| now_rows.contains(r)),
            "every row of {table} from before the limit is still there"
        );
    }
    integrity_ok(&path);
}

/// One write through the store that adds a row, tried again and again on a full disk: the `n`-th
/// try on `couple`, as Sara.
type Write = fn(&mut Store, i64, &User, usize) -> Result<(), StoreError>;

/// The store's writes that add rows, each a fault case for a full disk.
const WRITES: [(&str, Write); 5] = [
    ("a walk-in (couple, partners and walk-in in one transaction)", |store, _, _, n| {
        store.register_walk_in(&long_walk_in(n), now(), None).map(drop)
    }),
    ("a user", |store, _, _, n| {
        store
            .seed_user(&long_name("Gebruiker", n), &[Role::Receptionist], crate::common::desk::hash(), now())
            .map(drop)
    }),
    ("a life event", |store, couple, sara, _| {
        let version = store.read_file(couple, sara)?.version;
        store.add_life_event(couple, version, LifeEventKind::Moving, None, sara, now())
    }),
    ("a referral", |store, couple, sara, n| {
        let referral = NewReferral {
            party: "therapy".into(),
            party_kind: PartyKind::Therapy,
            scope: Scope::Couple,
            reason: long_name("Reden", n),
            cost_explained: true,
            insurance_to_check: false,
            shared: Shared::NamesOnly,
            summary: String::new(),
            follow_up_on: None,
        };
        store.create_referral(couple, &referral, sara, now()).map(drop)
    }),
    ("the log of who opened a file", |store, couple, sara, _| store.open_file(couple, sara, now()).map(drop)),
];

/// Each write on a full disk (the file limited to its pages, the room on them used up by that
/// write itself) is refused as `DiskFull`, whole: the file is as it was before the refused try,
/// and the file did not grow. With room again, the very same write succeeds.
#[test]
fn every_store_write_on_a_full_disk_is_refused_whole_and_succeeds_with_room() {
    for (what, write) in WRITES {
        let (_dir, path, mut store, pages, _, couple) = full_desk();
        let sara =
            store.users().expect("users").into_iter().find(|u| u.name == "Sara de Boer").expect("Sara");
        let mut n = 0;
        let (before, refused) = loop {
            assert!(n < 10_000, "{what}: 10000 fitted into a file that may not grow");
            let before = dump(&path);
            match write(&mut store, couple, &sara, n) {
                Ok(()) => n += 1,
                Err(e) => break (before, e),
            }
        };
        let outcome = (matches!(refused, StoreError::DiskFull), dump(&path) == before, page_count(&path));
        assert_eq!(
            outcome,
            (true, true, pages),
            "{what}: refused as DiskFull ({refused:?}), the file unchanged"
        );
        store.set_max_pages(pages + 1000).expect("room again");
        let again = write(&mut store, couple, &sara, n).map_err(|e| format!("{e:?}"));
        assert_eq!(again, Ok(()), "{what}: the same write succeeds with room");
        integrity_ok(&path);
    }
}

#[test]
fn after_a_full_disk_the_kept_form_saves_once_there_is_room() {
    let (_dir, path, store, pages, fitted, _) = full_desk();
    let mut app = app_on(store);
    sign_in(&mut app, "Ingrid Hoekstra");
    type_long_walk_in(&mut app, fitted, false);
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

/// Opening a file writes one row (who opened it, when). When that row does not fit, a full disk
/// must not keep the file from being read: it opens, and the user is told that the opening could
/// not be logged (not that typed input was kept: nothing was typed).
#[test]
fn opening_a_file_on_a_full_disk_says_what_happened() {
    let (_dir, path, mut store, _, _, couple) = full_desk();
    // Fill the access log's pages too, by opening the file until its log no longer fits.
    let sara = store.users().expect("users").into_iter().find(|u| u.name == "Sara de Boer").expect("Sara");
    let mut opened = 0;
    while store.open_file(couple, &sara, now()).is_ok() {
        opened += 1;
        assert!(opened < 10_000, "the access log never filled up");
    }
    let before = dump(&path);
    let mut app = app_on(store);
    sign_in(&mut app, "Sara de Boer");
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "vries");
    press(&mut app, KeyCode::Enter);
    let s = screen(&app, 100, 24);
    let flash = app.flash.as_ref().map(|f| f.text.clone());
    assert_eq!(
        (app.file.as_ref().map(|f| f.id), flash.as_deref()),
        (
            Some(couple),
            Some(
                "Alleen te lezen geopend: de opening kon niet worden vastgelegd (de schijf is vol). Wijzigen kan nu niet."
            )
        ),
        "the file opened, and the user told the opening was not logged:\n{s}"
    );
    // Shown read-only: an edit is refused with the reason, before any form opens.
    press(&mut app, KeyCode::Char('e'));
    let flash = app.flash.as_ref().map(|f| f.text.clone());
    assert_eq!(
        (flash.as_deref(), app.overlays.len()),
        (
            Some(
                "Dit dossier is alleen te lezen: de opening kon niet worden vastgelegd. Open het opnieuw als de schijf weer ruimte heeft."
            ),
            0
        )
    );
    assert_same(&before, &dump(&path), "nothing was written");
}
