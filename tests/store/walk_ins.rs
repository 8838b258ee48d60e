//! The store on a real temporary SQLite file.

use chrono::{TimeZone, Utc};
use loket::domain::couple::Request;
use loket::domain::user::Role;
use loket::domain::walkin::{Attendance, Change, CoupleRef, NewWalkIn, Outcome, Status};
use loket::store::{SCHEMA_VERSION, Store, StoreError};

use crate::common::desk::{at, walk_in};

fn new_couple(partners: &[(&str, &str, &str)]) -> NewWalkIn {
    walk_in(partners, Request::Repair)
}

fn ijsbrand() -> NewWalkIn {
    new_couple(&[("IJsbrand", "van der", "Wêreld"), ("Els", "", "Jansen")])
}

#[test]
fn a_walk_in_survives_closing_and_reopening() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nested/folder/loket.db");
    let (walk_in, counsellor) = {
        let mut store = Store::open(&path).expect("open creates folder and file");
        let counsellor = store
            .seed_user("Sara de Boer", &[Role::Counsellor], crate::common::desk::hash(), at(12, 2, 8, 0))
            .expect("user");
        let id = store.register_walk_in(&ijsbrand(), at(12, 2, 8, 5), None).expect("register");
        store
            .change_walk_in(id, 1, Change::CallIn { counsellor_id: counsellor.id }, at(12, 2, 8, 10), None)
            .expect("call in");
        (id, counsellor)
    };
    let store = Store::open(&path).expect("reopen");
    let day = store.walk_ins_on(at(12, 2, 12, 0).date_naive()).expect("queue");
    assert_eq!(day.len(), 1);
    let w = &day[0];
    assert_eq!(w.id, walk_in);
    assert_eq!(w.ticket, 1);
    assert_eq!(w.couple.file.to_string(), "2026-001");
    assert_eq!(w.couple.names(), "Wêreld, IJsbrand van der & Jansen, Els");
    assert_eq!(w.state.status, Status::InConversation);
    assert_eq!(w.counsellor_name.as_deref(), Some(counsellor.name.as_str()));
    assert_eq!(w.arrived_at, at(12, 2, 8, 5));
    assert_eq!(w.waited(at(12, 2, 9, 0)).num_minutes(), 5);
}

#[test]
fn a_newer_schema_is_refused_and_the_file_is_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("future.db");
    {
        let conn = rusqlite::Connection::open(&path).expect("plain sqlite");
        conn.execute_batch("CREATE TABLE x (a); INSERT INTO x VALUES (1);").expect("table");
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).expect("version");
    }
    let before = std::fs::read(&path).expect("read");
    let err = Store::open(&path).err().expect("refused");
    assert!(
        matches!(err, StoreError::NewerSchema { found, supported } if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION),
        "{err:?}"
    );
    assert_eq!(std::fs::read(&path).expect("read"), before, "file changed");
    assert!(!dir.path().join("future.db-wal").exists());
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, content) in
        [("notes.db", b"Dear diary, ".repeat(20)), ("short.db", b"SQLite format 3\0".to_vec())]
    {
        let path = dir.path().join(name);
        std::fs::write(&path, &content).expect("write");
        assert!(matches!(Store::open(&path), Err(StoreError::NotADatabase)), "{name}");
        assert_eq!(std::fs::read(&path).expect("read"), content);
    }
}

#[cfg(unix)]
#[test]
fn the_database_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let mut store = Store::open(&path).expect("open");
    store.register_walk_in(&ijsbrand(), at(12, 2, 8, 5), None).expect("register");
    for file in ["loket.db", "loket.db-wal"] {
        let mode = std::fs::metadata(dir.path().join(file)).expect("exists").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{file}");
    }
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
}

#[test]
fn tickets_count_per_day_and_file_numbers_per_year() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("loket.db")).expect("open");
    let first = store.register_walk_in(&ijsbrand(), at(12, 2, 8, 5), None).expect("1");
    let second =
        store.register_walk_in(&new_couple(&[("Ayşe", "", "Öztürk")]), at(12, 2, 8, 6), None).expect("2");
    let next_week =
        store.register_walk_in(&new_couple(&[("Jan", "de", "Vries")]), at(12, 9, 8, 5), None).expect("3");
    // New year's day in Amsterdam while it is still 31 December in UTC.
    let new_year = Utc.with_ymd_and_hms(2026, 12, 31, 23, 30, 0).single().expect("valid");
    let fourth = store.register_walk_in(&new_couple(&[("Kees", "", "Smit")]), new_year, None).expect("4");
    let tickets: Vec<_> =
        [first, second, next_week, fourth].iter().map(|id| store.walk_in(*id).expect("walk-in")).collect();
    let numbers: Vec<_> = tickets.iter().map(|w| (w.ticket, w.couple.file.to_string())).collect();
    assert_eq!(
        numbers,
        [(1, "2026-001".into()), (2, "2026-002".into()), (1, "2026-003".into()), (1, "2027-001".to_string())]
    );
}

#[test]
fn a_returning_couple_keeps_its_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("loket.db")).expect("open");
    let first = store.register_walk_in(&ijsbrand(), at(12, 2, 8, 5), None).expect("first visit");
    let couple = store.walk_in(first).expect("walk-in").couple;
    let again =
        NewWalkIn { couple: CoupleRef::Existing(couple.id), attendance: Attendance::One, ..ijsbrand() };
    let second = store.register_walk_in(&again, at(12, 9, 8, 5), None).expect("second visit");
    assert_eq!(store.walk_in(second).expect("walk-in").couple, couple);
    assert_eq!(store.couple_count().expect("count"), 1);
    let gone = NewWalkIn { couple: CoupleRef::Existing(couple.id + 100), ..ijsbrand() };
    assert!(matches!(store.register_walk_in(&gone, at(12, 9, 8, 6), None), Err(StoreError::NotFound)));
}

#[test]
fn couples_are_found_by_surname_without_prefix_or_diacritics_and_by_file_number() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("loket.db")).expect("open");
    store.register_walk_in(&ijsbrand(), at(12, 2, 8, 5), None).expect("1");
    store.register_walk_in(&new_couple(&[("Ayşe", "", "Öztürk")]), at(12, 2, 8, 6), None).expect("2");
    store.register_walk_in(&new_couple(&[("Jan", "van den", "Berg")]), at(12, 2, 8, 7), None).expect("3");
    let found = |q: &str| -> Vec<String> {
        store.find_couples(q, 10).expect("search").iter().map(|c| c.file.to_string()).collect()
    };
    assert_eq!(found("were"), ["2026-001"]);
    assert_eq!(found("WÊR"), ["2026-001"]);
    assert_eq!(found("ozt"), ["2026-002"]);
    assert_eq!(found("els"), ["2026-001"]);
    assert_eq!(found("2026-003"), ["2026-003"]);
    assert_eq!(found("van"), Vec::<String>::new(), "a prefix alone is not a surname");
    assert_eq!(found("van der wereld"), ["2026-001"]);
    assert_eq!(found("ijsbrand wêreld"), ["2026-001"]);
    assert_eq!(found("jan berg"), ["2026-003"]);
    assert_eq!(found("jan wereld"), Vec::<String>::new(), "every word must match one partner");
    assert_eq!(found(""), Vec::<String>::new());
}

#[test]
fn status_changes_check_the_version_and_can_be_undone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("loket.db")).expect("open");
    let sara = store
        .seed_user("Sara de Boer", &[Role::Counsellor], crate::common::desk::hash(), at(12, 2, 8, 0))
        .expect("user");
    let id = store.register_walk_in(&ijsbrand(), at(12, 2, 8, 5), None).expect("register");
    store
        .change_walk_in(id, 1, Change::CallIn { counsellor_id: sara.id }, at(12, 2, 8, 10), None)
        .expect("call");
    // A second desk that still saw version 1 cannot overwrite.
    let stale = store.change_walk_in(id, 1, Change::Leave, at(12, 2, 8, 11), None);
    assert!(matches!(stale, Err(StoreError::Stale)), "{stale:?}");
    // A change that does not fit the status is refused by the domain rule, inside the transaction.
    let wrong = store.change_walk_in(id, 2, Change::Leave, at(12, 2, 8, 11), None);
    assert!(matches!(wrong, Err(StoreError::Refused(_))), "{wrong:?}");
    store
        .change_walk_in(id, 2, Change::Finish { outcome: Outcome::ReferredOn }, at(12, 2, 8, 50), None)
        .expect("finish");
    let done = store.walk_in(id).expect("walk-in");
    assert_eq!((done.state.status, done.state.outcome), (Status::Done, Some(Outcome::ReferredOn)));

    assert!(store.undo_walk_in_change(id, done.version, at(12, 2, 8, 51), None).expect("undo done"));
    let back = store.walk_in(id).expect("walk-in");
    assert_eq!((back.state.status, back.state.outcome), (Status::InConversation, None));
    assert_eq!(back.called_at, Some(at(12, 2, 8, 10)));
    assert!(store.undo_walk_in_change(id, back.version, at(12, 2, 8, 52), None).expect("undo call"));
    let waiting = store.walk_in(id).expect("walk-in");
    assert_eq!(waiting.state, loket::domain::walkin::WalkInState::NEW);
    assert!(!store.undo_walk_in_change(id, waiting.version, at(12, 2, 8, 53), None).expect("nothing left"));
}

#[test]
fn another_connection_sees_a_change_through_data_version() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let mut desk = Store::open(&path).expect("desk");
    let office = Store::open(&path).expect("office");
    let before = office.data_version().expect("version");
    assert_eq!(office.data_version().expect("version"), before, "no change, no new version");
    desk.register_walk_in(&ijsbrand(), at(12, 2, 8, 5), None).expect("register");
    assert_ne!(office.data_version().expect("version"), before);
    assert_eq!(office.walk_ins_on(at(12, 2, 8, 5).date_naive()).expect("queue").len(), 1);
}

#[test]
fn walk_ins_left_open_yesterday_stay_in_todays_queue() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("loket.db")).expect("open");
    let open = store.register_walk_in(&ijsbrand(), at(12, 1, 22, 50), None).expect("late walk-in");
    let closed =
        store.register_walk_in(&new_couple(&[("Jan", "de", "Vries")]), at(12, 1, 20, 0), None).expect("2");
    store.change_walk_in(closed, 1, Change::Leave, at(12, 1, 20, 30), None).expect("left");
    let today =
        store.register_walk_in(&new_couple(&[("Ayşe", "", "Öztürk")]), at(12, 2, 8, 0), None).expect("3");
    let queue: Vec<i64> =
        store.queue_for(at(12, 2, 9, 0).date_naive()).expect("queue").iter().map(|w| w.id).collect();
    assert_eq!(queue, [open, today], "yesterday's open walk-in carries over, the finished one does not");
}

#[cfg(unix)]
#[test]
fn an_empty_file_given_as_database_becomes_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("leeg.db");
    std::fs::write(&path, b"").expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    Store::open(&path).expect("an empty file is a new database");
    let mode = std::fs::metadata(&path).expect("exists").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn a_store_in_memory_is_set_up_like_a_file_one() {
    let mut store = Store::open_in_memory().expect("in memory");
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION, "every migration ran");
    assert!(!store.is_read_only());
    let id = store.register_walk_in(&ijsbrand(), at(12, 2, 8, 5), None).expect("walk-in");
    // Foreign keys are on here too: a counsellor who does not exist is refused.
    let nobody = Change::CallIn { counsellor_id: 9999 };
    assert!(store.change_walk_in(id, 1, nobody, at(12, 2, 8, 10), None).is_err());
    assert_eq!(store.walk_in(id).expect("walk-in").state.status, Status::Waiting, "nothing half-written");
}

#[test]
fn the_queue_in_memory_carries_each_couple_with_both_partners() {
    let mut store = Store::open_in_memory().expect("in memory");
    store.register_walk_in(&ijsbrand(), at(12, 2, 8, 5), None).expect("walk-in");
    store
        .register_walk_in(&new_couple(&[("Fatima", "", "El Amrani")]), at(12, 2, 8, 7), None)
        .expect("walk-in");
    let queue = store.queue_for(at(12, 2, 9, 0).date_naive()).expect("queue");
    let couples: Vec<(String, Vec<String>)> = queue
        .iter()
        .map(|w| (w.couple.file.to_string(), w.couple.partners.iter().map(|p| p.full()).collect()))
        .collect();
    assert_eq!(
        couples,
        [
            ("2026-001".to_owned(), vec!["IJsbrand van der Wêreld".to_owned(), "Els Jansen".to_owned()]),
            ("2026-002".to_owned(), vec!["Fatima El Amrani".to_owned()]),
        ]
    );
    let found = store.find_couples("wereld", 5).expect("find");
    assert_eq!(found.iter().map(|c| c.id).collect::<Vec<_>>(), [queue[0].couple.id]);
}

/// A zero-width joiner inside a name (issue 14, defect 14) neither hides a file from the duplicate
/// check and the search nor makes another name: `Jan\u{200D}sen` is `Jansen`, both ways.
#[test]
fn a_zero_width_joiner_in_a_name_is_found_as_the_name_without_it() {
    use loket::domain::names::PersonName;
    for (stored, typed) in [("Jan\u{200D}sen", "Jansen"), ("Jansen", "Jan\u{200D}sen")] {
        let mut store = Store::open_in_memory().expect("store");
        store.register_walk_in(&new_couple(&[("Els", "", stored)]), at(12, 2, 8, 5), None).expect("register");
        let same = store.possible_duplicates(&[PersonName::new("Els", "", typed)], &[]).expect("duplicates");
        assert_eq!(same.len(), 1, "duplicate check: {stored:?} for {typed:?}");
        for query in [typed.to_owned(), format!("els {typed}"), typed.to_lowercase()] {
            let found = store.find_couples(&query, 8).expect("search");
            assert_eq!(found.len(), 1, "search {query:?} for {stored:?}");
        }
    }
}
