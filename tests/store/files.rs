//! A couple's file in the store, on a real temporary SQLite file: who may read what, versioned
//! edits, status and outcome, walk-ins that follow into the file, the access log, possible
//! duplicates and search.

use chrono::{DateTime, NaiveDate, Utc};
use loket::domain::couple::Request;
use loket::domain::file::{
    CloseOutcome, CoupleFile, FileDetails, FileStatus, Happening, LifeEventKind, Notes, Partner, Wish,
};
use loket::domain::names::PersonName;
use loket::domain::walkin::{Change, Outcome, Status};
use loket::store::{Store, StoreError};
use rusqlite::params;

use crate::common::desk::{Desk, at, desk};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The store desk, with walk-ins registered by the receptionist.
trait FileDesk {
    fn walk_in(&mut self, partners: &[(&str, &str, &str)], now: DateTime<Utc>) -> (i64, i64);
    fn new_file(&mut self, partners: &[(&str, &str, &str)], now: DateTime<Utc>) -> i64;
    fn file(&self, id: i64) -> CoupleFile;
}

impl FileDesk for Desk {
    /// Registers a walk-in that opens a new file; returns the walk-in's and the couple's id.
    fn walk_in(&mut self, partners: &[(&str, &str, &str)], now: DateTime<Utc>) -> (i64, i64) {
        let by = Some(self.receptionist.id);
        self.register(partners, now, by)
    }

    fn new_file(&mut self, partners: &[(&str, &str, &str)], now: DateTime<Utc>) -> i64 {
        self.walk_in(partners, now).1
    }

    /// The file as the coordinator reads it (all but the safety reason).
    fn file(&self, id: i64) -> CoupleFile {
        self.store.read_file(id, &self.coordinator).expect("read file")
    }
}

fn details_of(file: &CoupleFile) -> FileDetails {
    FileDetails {
        partners: file.partners.clone(),
        children: file.children,
        request: file.request,
        source: file.source,
    }
}

fn status_changes(file: &CoupleFile) -> Vec<(FileStatus, Option<CloseOutcome>)> {
    file.timeline
        .iter()
        .filter_map(|e| match e.what {
            Happening::Status { to, outcome } => Some((to, outcome)),
            _ => None,
        })
        .collect()
}

#[test]
fn notes_are_read_only_by_counsellors() {
    let mut d = desk();
    let id = d.new_file(&[("Els", "", "Jansen"), ("Piet", "", "Jansen")], at(12, 2, 8, 5));
    let empty = d.store.read_file(id, &d.receptionist).expect("read");
    assert_eq!(empty.notes, Notes::Hidden { exist: false });

    let text = "Ruzie over geld.\nTweede regel";
    d.store.save_notes(id, empty.version, text, &d.counsellor, at(12, 2, 9, 0)).expect("save notes");
    // The receptionist and the coordinator (whose work is the report, not the clinical notes)
    // learn that notes exist, never their text: it is not even read from the database.
    for viewer in [&d.receptionist, &d.coordinator] {
        for seen in [
            d.store.open_file(id, viewer, at(12, 2, 9, 5)).expect("open"),
            d.store.read_file(id, viewer).expect("read"),
        ] {
            assert_eq!(seen.notes, Notes::Hidden { exist: true });
            let shown = format!("{seen:?}");
            assert!(!shown.contains("Ruzie") && !shown.contains("Tweede"), "note text leaked: {shown}");
        }
    }
    assert_eq!(d.store.read_file(id, &d.counsellor).expect("read").notes, Notes::Text(text.to_owned()));
    let opened = d.store.open_file(id, &d.counsellor, at(12, 2, 9, 6)).expect("open");
    assert_eq!(opened.notes, Notes::Text(text.to_owned()));

    let before = d.file(id);
    for writer in [&d.receptionist, &d.coordinator] {
        let refused = d.store.save_notes(id, before.version, "Weg ermee", writer, at(12, 2, 9, 10));
        assert!(matches!(refused, Err(StoreError::NotAllowed)), "{refused:?}");
    }
    assert_eq!(d.file(id), before, "a refused save changes nothing");
}

#[test]
fn a_save_on_an_old_version_is_refused_and_the_first_save_stays() {
    let mut d = desk();
    let id = d.new_file(&[("Els", "", "Jansen")], at(12, 2, 8, 5));
    let first = d.store.read_file(id, &d.counsellor).expect("read");
    let second = d.store.read_file(id, &d.coordinator).expect("read");
    assert_eq!(first.version, second.version);

    let mine = FileDetails { children: 2, request: Request::Strengthen, ..details_of(&first) };
    let theirs = FileDetails { children: 5, request: Request::Separation, ..details_of(&second) };
    d.store.save_details(id, first.version, &mine, &d.counsellor, at(12, 2, 9, 0)).expect("first save");
    let late = d.store.save_details(id, second.version, &theirs, &d.coordinator, at(12, 2, 9, 1));
    assert!(matches!(late, Err(StoreError::Stale)), "{late:?}");

    let stored = d.file(id);
    assert_eq!((stored.children, stored.request), (2, Request::Strengthen));
    assert_eq!(stored.version, first.version + 1);

    let gone = d.store.save_details(id + 1000, 1, &mine, &d.counsellor, at(12, 2, 9, 2));
    assert!(matches!(gone, Err(StoreError::NotFound)), "{gone:?}");
}

#[test]
fn a_second_partner_can_be_added_and_is_found_by_name_and_phone() {
    let mut d = desk();
    let id = d.new_file(&[("Els", "", "Jansen")], at(12, 2, 8, 5));
    let other = d.new_file(&[("Jan", "de", "Vries")], at(12, 2, 8, 6));
    let file = d.file(id);
    assert_eq!(file.partners.len(), 1);

    let mut details = details_of(&file);
    details.partners[0].birth_year = Some(1987);
    details.partners[0].wish = Wish::StayTogether;
    details.partners.push(Partner {
        position: 2,
        name: PersonName::new("Mehmet", "", "Öztürk"),
        phone: "06-12345678".to_owned(),
        email: "mehmet@example.nl".to_owned(),
        birth_year: Some(1985),
        wish: Wish::Unsure,
    });
    d.store.save_details(id, file.version, &details, &d.counsellor, at(12, 2, 9, 0)).expect("save");
    assert_eq!(d.file(id).partners, details.partners);

    // The other file has a phone number too, so that a phone search must tell them apart.
    let mut theirs = details_of(&d.file(other));
    theirs.partners[0].phone = "06-87654321".to_owned();
    d.store
        .save_details(other, d.file(other).version, &theirs, &d.counsellor, at(12, 2, 9, 1))
        .expect("save");

    let found =
        |q: &str| -> Vec<i64> { d.store.find_couples(q, 10).expect("find").iter().map(|c| c.id).collect() };
    assert_eq!(found("ozturk"), [id]);
    assert_eq!(found("Öztürk"), [id]);
    assert_eq!(found("06 1234"), [id]);
    assert_eq!(found("+31 6 12345678"), [id]);
    assert_eq!(found("06 8765"), [other]);
    assert_eq!(found("06 5555"), Vec::<i64>::new());
}

#[test]
fn status_moves_forward_and_closing_needs_an_outcome() {
    let mut d = desk();
    let id = d.new_file(&[("Els", "", "Jansen")], at(12, 2, 8, 5));
    let outcome = Some((CloseOutcome::TogetherStrengthened, date(2026, 12, 20)));
    let c = d.counsellor.clone();

    let v = d.file(id).version;
    let with_outcome = d.store.set_file_status(id, v, FileStatus::Trajectory, outcome, &c, at(12, 2, 9, 0));
    assert!(matches!(with_outcome, Err(StoreError::BadStatus)), "{with_outcome:?}");
    assert_eq!(d.file(id).version, v, "a refused change changes nothing");
    d.store.set_file_status(id, v, FileStatus::Trajectory, None, &c, at(12, 2, 9, 1)).expect("trajectory");
    assert_eq!(d.file(id).status, FileStatus::Trajectory);

    let v = d.file(id).version;
    let back = d.store.set_file_status(id, v, FileStatus::OneConversation, None, &c, at(12, 2, 9, 2));
    assert!(matches!(back, Err(StoreError::BadStatus)), "{back:?}");
    let bare = d.store.set_file_status(id, v, FileStatus::Closed, None, &c, at(12, 2, 9, 3));
    assert!(matches!(bare, Err(StoreError::BadStatus)), "{bare:?}");
    assert_eq!((d.file(id).status, d.file(id).version), (FileStatus::Trajectory, v));

    d.store.set_file_status(id, v, FileStatus::Closed, outcome, &c, at(12, 20, 10, 0)).expect("close");
    let closed = d.file(id);
    assert_eq!(closed.status, FileStatus::Closed);
    assert_eq!(closed.outcome, Some(CloseOutcome::TogetherStrengthened));
    assert_eq!(closed.closed_on, Some(date(2026, 12, 20)));
    assert_eq!(
        status_changes(&closed),
        [(FileStatus::Closed, Some(CloseOutcome::TogetherStrengthened)), (FileStatus::Trajectory, None)],
        "newest first"
    );
    assert!(closed.timeline.windows(2).all(|w| w[0].at >= w[1].at), "timeline is newest first");
}

#[test]
fn a_walk_in_outcome_moves_the_file_on() {
    let mut d = desk();
    let (walk_in, id) = d.walk_in(&[("Els", "", "Jansen")], at(12, 2, 8, 5));
    let sara = d.counsellor.clone();
    let call_in = Change::CallIn { counsellor_id: sara.id };
    d.store.change_walk_in(walk_in, 1, call_in, at(12, 2, 8, 10), Some(d.receptionist.id)).expect("call");
    let v = d.store.walk_in(walk_in).expect("walk-in").version;
    let finish = Change::Finish { outcome: Outcome::TrajectoryToPlan };
    d.store.change_walk_in(walk_in, v, finish, at(12, 2, 8, 50), Some(sara.id)).expect("finish");

    let file = d.file(id);
    assert_eq!(file.status, FileStatus::Trajectory);
    assert_eq!(file.counsellor, Some((sara.id, sara.name.clone())));
    assert!(
        file.timeline.iter().any(|e| matches!(
            e.what,
            Happening::WalkIn {
                ticket: 1,
                status: Status::Done,
                outcome: Some(Outcome::TrajectoryToPlan),
                ..
            }
        )),
        "{:?}",
        file.timeline
    );
    assert_eq!(status_changes(&file), [(FileStatus::Trajectory, None)]);

    let (referred, other) = d.walk_in(&[("Jan", "de", "Vries")], at(12, 2, 8, 20));
    d.store.change_walk_in(referred, 1, call_in, at(12, 2, 8, 55), None).expect("call");
    let v = d.store.walk_in(referred).expect("walk-in").version;
    let finish = Change::Finish { outcome: Outcome::ReferredOn };
    d.store.change_walk_in(referred, v, finish, at(12, 2, 9, 30), None).expect("finish");
    let file = d.file(other);
    assert_eq!(file.status, FileStatus::New);
    assert_eq!(status_changes(&file), []);
    assert!(file.timeline.iter().any(|e| matches!(e.what, Happening::WalkIn { ticket: 2, .. })));
}

#[test]
fn life_events_are_listed_dated_first_in_date_order() {
    let mut d = desk();
    let id = d.new_file(&[("Els", "", "Jansen")], at(12, 2, 8, 5));
    let c = d.counsellor.clone();
    let events = [
        (LifeEventKind::Other, None),
        (LifeEventKind::Birth, Some(date(2025, 3, 1))),
        (LifeEventKind::Grief, Some(date(2024, 5, 10))),
    ];
    for (i, (kind, on)) in events.into_iter().enumerate() {
        let v = d.file(id).version;
        d.store.add_life_event(id, v, kind, on, &c, at(12, 2, 9, i as u32)).expect("add");
    }
    let file = d.file(id);
    let listed: Vec<_> = file.life_events.iter().map(|e| (e.kind, e.on)).collect();
    assert_eq!(listed, [events[2], events[1], events[0]]);
    let logged = file.timeline.iter().filter(|e| matches!(e.what, Happening::LifeEvent(_))).count();
    assert_eq!(logged, 3);
}

#[test]
fn opening_a_file_is_logged_and_reading_it_is_not() {
    let mut d = desk();
    let id = d.new_file(&[("Els", "", "Jansen")], at(12, 2, 8, 5));
    d.store.open_file(id, &d.counsellor, at(12, 2, 9, 0)).expect("open");
    d.store.open_file(id, &d.counsellor, at(12, 2, 9, 30)).expect("open");
    d.store.open_file(id, &d.receptionist, at(12, 2, 9, 45)).expect("open");
    d.store.read_file(id, &d.coordinator).expect("read");
    let missing = d.store.open_file(id + 1000, &d.coordinator, at(12, 2, 9, 50));
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");

    let conn = rusqlite::Connection::open(&d.path).expect("second connection");
    let count = |user: i64| -> i64 {
        conn.query_row(
            "SELECT count(*) FROM access_log WHERE event = 'file_read' AND couple_id = ?1 AND user_id = ?2",
            params![id, user],
            |r| r.get(0),
        )
        .expect("count")
    };
    assert_eq!(count(d.counsellor.id), 2);
    assert_eq!(count(d.receptionist.id), 1);
    assert_eq!(count(d.coordinator.id), 0);
    let total: i64 = conn
        .query_row("SELECT count(*) FROM access_log WHERE event = 'file_read'", [], |r| r.get(0))
        .expect("count");
    assert_eq!(total, 3, "no row for a file that does not exist");
    let when: String = conn
        .query_row(
            "SELECT at FROM access_log WHERE event = 'file_read' AND user_id = ?1",
            [d.receptionist.id],
            |r| r.get(0),
        )
        .expect("time");
    assert_eq!(DateTime::parse_from_rfc3339(&when).expect("rfc3339"), at(12, 2, 9, 45));
}

#[test]
fn possible_duplicates_fold_names_and_respect_known_birth_years() {
    let mut d = desk();
    let same = d.new_file(&[("Ijsbrand", "", "Wereld"), ("Els", "", "Jansen")], at(12, 2, 8, 5));
    let longer = d.new_file(&[("IJsbrand", "", "Wereldmans")], at(12, 2, 8, 6));
    // Another given name that merely starts the same is another person.
    d.new_file(&[("IJsbrandt", "", "Wereld")], at(12, 2, 8, 7));
    let new = [PersonName::new("IJsbrand", "van der", "Wêreld")];
    let dups = |store: &Store, names: &[PersonName], year: Option<i32>| {
        store.possible_duplicates(names, &[year]).expect("duplicates")
    };
    assert_eq!(dups(&d.store, &new, None), [same]);
    assert_eq!(dups(&d.store, &[PersonName::new("IJsbrand", "", "Wereldmans")], None), [longer]);
    assert_eq!(dups(&d.store, &new, Some(1980)), [same], "a year known on one side only still matches");

    for id in [same, longer] {
        let file = d.file(id);
        let mut details = details_of(&file);
        details.partners[0].birth_year = Some(1980);
        d.store.save_details(id, file.version, &details, &d.counsellor, at(12, 2, 9, 0)).expect("save");
    }
    assert_eq!(dups(&d.store, &new, Some(1980)), [same]);
    assert_eq!(dups(&d.store, &new, Some(1981)), Vec::<i64>::new());
    assert_eq!(dups(&d.store, &new, None), [same]);
}

#[test]
fn searching_two_thousand_couples_returns_the_first_few_that_match() {
    let mut d = desk();
    // Two thousand couples that do not match "wer" (some have it inside the surname), straight
    // through SQL, their keys written out by hand: surname without prefix, given name, prefix.
    let others = [
        ("Anna", "", "Jansen", "jansen anna "),
        ("Bram", "de", "Vries", "vries bram de"),
        ("Carla", "", "Verwer", "verwer carla "),
        ("Daan", "", "Ewerts", "ewerts daan "),
        ("Eva", "van", "Dam", "dam eva van"),
        ("Gül", "", "Öztürk", "ozturk gul "),
        ("Hanna", "", "Bakker", "bakker hanna "),
        ("Ivo", "", "Visser", "visser ivo "),
    ];
    {
        let mut conn = rusqlite::Connection::open(&d.path).expect("second connection");
        let tx = conn.transaction().expect("transaction");
        {
            let mut couple = tx
                .prepare(
                    "INSERT INTO couples (file_year, file_seq, request, source, created_at)
                     VALUES (2025, ?1, 'repair', 'self', '2025-01-06T09:00:00Z')",
                )
                .expect("prepare");
            let mut partner = tx
                .prepare(
                    "INSERT INTO partners (couple_id, position, given_name, prefix, surname, sort_key, given_key)
                     VALUES (?1, 1, ?2, ?3, ?4, ?5, lower(?2))",
                )
                .expect("prepare");
            for i in 0..2000usize {
                couple.execute([i as i64 + 1]).expect("couple");
                let (given, prefix, surname, key) = others[i % others.len()];
                partner
                    .execute(params![tx.last_insert_rowid(), given, prefix, surname, key])
                    .expect("partner");
            }
        }
        tx.commit().expect("commit");
    }
    // The couples that match, registered in no particular order.
    for partners in [
        &[("Eva", "", "Wervik")][..],
        &[("Anna", "van der", "Werf")],
        &[("Zoë", "", "Wêreld")],
        &[("Piet", "", "Aalders"), ("Wendy", "", "Werkman")],
        &[("IJsbrand", "van der", "Wêreld")],
        &[("Daan", "", "Werf")],
        &[("Werner", "", "Jansen")],
        &[("Ilse", "", "Wereld")],
        &[("Carla", "", "Wérkhoven")],
        &[("Bram", "de", "Wereld")],
        &[("Ida", "", "Wereld")],
    ] {
        d.new_file(partners, at(12, 2, 8, 5));
    }
    assert_eq!(d.store.couple_count().expect("count"), 2011);

    // By name: surname without prefix and diacritics, then the given name (IJ as I then J), then
    // the prefix; a match on the given name sorts under the surname; a couple under its
    // matching partner.
    let in_order = [
        "Jansen, Werner",
        "Wereld, Bram de",
        "Wereld, Ida",
        "Wêreld, IJsbrand van der",
        "Wereld, Ilse",
        "Wêreld, Zoë",
        "Werf, Anna van der",
        "Werf, Daan",
        "Wérkhoven, Carla",
        "Aalders, Piet & Werkman, Wendy",
        "Wervik, Eva",
    ];
    let names = |limit: usize| -> Vec<String> {
        d.store.find_couples("wer", limit).expect("find").iter().map(|c| c.names()).collect()
    };
    assert_eq!(names(8), in_order[..8], "the first eight");
    assert_eq!(names(20), in_order, "all that match");
}

#[test]
fn a_hyphenated_name_a_second_surname_word_and_a_number_without_its_year_are_found() {
    use chrono::TimeZone;
    let mut d = desk();
    let last_year = Utc.with_ymd_and_hms(2025, 6, 3, 8, 0, 0).single().expect("valid time");
    d.new_file(&[("Piet", "", "Aalders")], last_year);
    d.new_file(&[("Ria", "", "Bos")], last_year);
    let old_three = d.new_file(&[("Kees", "", "Smit")], last_year);
    let anne = d.new_file(&[("Anne-Marie", "", "Jansen"), ("Tom", "", "Jansen")], at(12, 2, 8, 5));
    let amrani = d.new_file(&[("Youssef", "", "El Amrani"), ("Fatima", "", "Idrissi")], at(12, 2, 8, 6));
    let three = d.new_file(&[("Marie", "d'", "Ancona")], at(12, 2, 8, 7));
    let others = d.new_file(&[("Anne", "", "Visser"), ("Marieke", "", "Visser")], at(12, 2, 8, 8));
    let found =
        |q: &str| -> Vec<i64> { d.store.find_couples(q, 10).expect("find").iter().map(|c| c.id).collect() };

    // Anne-Marie as two words, with the hyphen, or by her second name; both words in one partner.
    assert_eq!(found("anne marie"), [anne], "Visser has an Anne and a Marieke, not one Anne-Marie");
    assert_eq!(found("Anne-Marie"), [anne]);
    assert_eq!(found("marie jans"), [anne]);
    assert_eq!(found("marie"), [three, anne, others], "by name: Ancona, Jansen, Visser");
    // The second word of a surname, alone or with the given name, in any order.
    assert_eq!(found("amrani"), [amrani]);
    assert_eq!(found("AMR youss"), [amrani]);
    assert_eq!(found("el amrani"), [amrani]);
    assert_eq!(found("ancona"), [three], "after an apostrophe");
    // A file number without its year: that number in every year, this year's first.
    assert_eq!(d.store.couple_summary(three).expect("summary").file.to_string(), "2026-003");
    assert_eq!(found("003"), [three, old_three]);
    assert_eq!(found("3"), [three, old_three]);
    assert_eq!(found("2025-3"), [old_three]);
    assert_eq!(found("009"), Vec::<i64>::new());
}

#[test]
fn a_search_counts_every_couple_that_matches_up_to_a_thousand() {
    let mut d = desk();
    // Couples straight through SQL, their keys written out by hand (the index follows by itself).
    let add = |d: &mut Desk, from: i64, n: i64, given: &str, surname: &str| {
        let conn = rusqlite::Connection::open(&d.path).expect("second connection");
        let key = format!("{} {} ", surname.to_lowercase(), given.to_lowercase());
        for seq in from..from + n {
            conn.execute(
                "INSERT INTO couples (file_year, file_seq, request, source, created_at)
                 VALUES (2025, ?1, 'repair', 'self', '2025-01-06T09:00:00Z')",
                [seq],
            )
            .expect("couple");
            let couple = conn.last_insert_rowid();
            for position in [1, 2] {
                conn.execute(
                    "INSERT INTO partners (couple_id, position, given_name, prefix, surname, sort_key, given_key)
                     VALUES (?1, ?2, ?3, '', ?4, ?5, lower(?3))",
                    params![couple, position, given, surname, key],
                )
                .expect("partner");
            }
        }
    };
    add(&mut d, 1, 11, "Els", "Wereld");
    let wer = d.store.search_couples("wer", 8).expect("search");
    assert_eq!(
        (wer.couples.len(), wer.total, wer.more_than),
        (8, 11, false),
        "both partners match: one couple each"
    );
    assert!(wer.has_more());
    let all = d.store.search_couples("wereld els", 20).expect("search");
    assert_eq!((all.couples.len(), all.total, all.has_more()), (11, 11, false));

    add(&mut d, 100, 1000, "Jan", "Bakker");
    let exactly = d.store.search_couples("bakker", 8).expect("search");
    assert_eq!((exactly.couples.len(), exactly.total, exactly.more_than), (8, 1000, false));
    add(&mut d, 2000, 1, "Jan", "Bakkerman");
    let more = d.store.search_couples("bakker", 8).expect("search");
    assert_eq!((more.couples.len(), more.total, more.more_than), (8, 1000, true), "more than a thousand");
    let none = d.store.search_couples("qxz", 8).expect("search");
    assert_eq!((none.total, none.has_more()), (0, false));
}
