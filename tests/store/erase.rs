//! Erasure (AVG art. 17) and retention on real temporary files: every row of the erased couple
//! goes and nothing of another, in one transaction; only closed files, by a coordinator; the
//! access log keeps its rows, gets one erasure row and its chain holds; no byte of the name is
//! left in the file or its -wal; the report of an earlier period stays the same; the retention
//! term is a setting, changed by a coordinator and logged; due files follow the term.

use std::path::Path;

use chrono::{Duration, NaiveDate, Timelike, Utc};
use loket::config::Lang;
use loket::domain::couple::Source;
use loket::domain::file::{CloseOutcome, FileDetails, FileStatus, LifeEventKind, Wish};
use loket::domain::names::PersonName;
use loket::domain::planner::{Attended, SessionStatus};
use loket::domain::referral::{NewReferral, PartyKind, Shared};
use loket::domain::report::{Figure, Period, show};
use loket::domain::settings::{Setting, SettingRefused};
use loket::domain::trajectory::NewSession;
use loket::domain::user::{Role, User};
use loket::domain::walkin::{Attendance, Change, CoupleRef, NewWalkIn, Outcome};
use loket::i18n::Texts;
use loket::store::{Erasure, Store, StoreError};

use crate::common::db::{assert_same, dump, raw};
use crate::common::desk::{Desk, at, desk, duty, hash, now, partner};
use crate::report::{build, date, expected, figures, half_year, same};

type At = chrono::DateTime<Utc>;

/// Every row a couple has, per table (the child tables through their parents).
const ROWS_OF_COUPLE: &[(&str, &str)] = &[
    ("couples", "SELECT count(*) FROM couples WHERE id = ?1"),
    ("partners", "SELECT count(*) FROM partners WHERE couple_id = ?1"),
    ("walk_ins", "SELECT count(*) FROM walk_ins WHERE couple_id = ?1"),
    (
        "walk_in_changes",
        "SELECT count(*) FROM walk_in_changes WHERE walk_in_id IN (SELECT id FROM walk_ins WHERE couple_id = ?1)",
    ),
    ("life_events", "SELECT count(*) FROM life_events WHERE couple_id = ?1"),
    ("file_events", "SELECT count(*) FROM file_events WHERE couple_id = ?1"),
    ("file_access", "SELECT count(*) FROM file_access WHERE couple_id = ?1"),
    ("trajectories", "SELECT count(*) FROM trajectories WHERE couple_id = ?1"),
    (
        "sessions",
        "SELECT count(*) FROM sessions WHERE trajectory_id IN (SELECT id FROM trajectories WHERE couple_id = ?1)",
    ),
    (
        "scores",
        "SELECT count(*) FROM scores WHERE session_id IN (SELECT s.id FROM sessions s
           JOIN trajectories t ON t.id = s.trajectory_id WHERE t.couple_id = ?1)",
    ),
    ("referrals", "SELECT count(*) FROM referrals WHERE couple_id = ?1"),
    (
        "consent_history",
        "SELECT count(*) FROM consent_history WHERE referral_id IN (SELECT id FROM referrals WHERE couple_id = ?1)",
    ),
    ("referrals_in", "SELECT count(*) FROM referrals_in WHERE couple_id = ?1"),
    ("concerns", "SELECT count(*) FROM concerns WHERE couple_id = ?1"),
    ("concern_steps", "SELECT count(*) FROM concern_steps WHERE couple_id = ?1"),
];

fn rows_of(path: &Path, couple: i64) -> Vec<(&'static str, i64)> {
    let conn = raw(path);
    ROWS_OF_COUPLE
        .iter()
        .map(|(table, sql)| (*table, conn.query_row(sql, [couple], |r| r.get(0)).expect("count")))
        .collect()
}

fn version(store: &Store, couple: i64, user: &User) -> i64 {
    store.read_file(couple, user).expect("file").version
}

/// A couple with everything a file can hold: a walk-in with a note and its changes, details,
/// notes, a safety concern, a life event, a trajectory with a held conversation and scores, a
/// referral out and one in, and an opening of the file.
fn full_couple(d: &mut Desk, partners: [(&str, &str, &str); 2], arrived: At, start: At) -> i64 {
    let names: Vec<PersonName> = partners.iter().map(|(g, p, s)| PersonName::new(g, p, s)).collect();
    let new = NewWalkIn {
        couple: CoupleRef::New(names.clone()),
        attendance: Attendance::Both,
        request: loket::domain::couple::Request::Repair,
        source: Source::SelfReferred,
        note: format!("{} belde vooraf", partners[0].2),
    };
    let sara = d.counsellor.clone();
    let w = d.store.register_walk_in(&new, arrived, Some(d.receptionist.id)).expect("register");
    let call = Change::CallIn { counsellor_id: sara.id };
    d.store.change_walk_in(w, 1, call, arrived + Duration::minutes(5), None).expect("call in");
    let finish = Change::Finish { outcome: Outcome::TrajectoryToPlan };
    d.store.change_walk_in(w, 2, finish, arrived + Duration::minutes(40), None).expect("finish");
    let couple = d.store.walk_in(w).expect("walk-in").couple.id;
    let t = arrived + Duration::hours(2);
    d.store.open_file(couple, &sara, t).expect("open");
    // Contact details of this couple's own: "06-12340010" and "quirina@xaverius.example" for a walk-in at 8:10.
    let phone = format!("06-{}", 12_340_000 + arrived.minute());
    let email = format!("{}@{}.example", names[1].given.to_lowercase(), names[0].given.to_lowercase());
    let details = FileDetails {
        partners: vec![
            partner(1, &names[0], (&phone, &email), 1980, Wish::StayTogether),
            partner(2, &names[1], ("06-87654321", ""), 1982, Wish::Unsure),
        ],
        children: 2,
        request: loket::domain::couple::Request::Repair,
        source: Source::SelfReferred,
    };
    d.store.save_details(couple, version(&d.store, couple, &sara), &details, &sara, t).expect("details");
    let notes = format!("Gesprek met {} over de verhuizing", partners[0].2);
    d.store.save_notes(couple, version(&d.store, couple, &sara), &notes, &sara, t).expect("notes");
    let reason = format!("{} thuis onveilig", partners[1].2);
    let concern = d.store.open_concern(couple, &reason, &sara, t).expect("safety concern");
    let mapped = loket::domain::concern::NewStep {
        detail: loket::domain::concern::StepDetail::Mapped,
        on: t.date_naive(),
        note: format!("{} signalen", partners[0].2),
    };
    d.store.record_step(concern, &mapped, &sara, t).expect("step 1");
    let on = NaiveDate::from_ymd_opt(2026, 6, 1);
    let v = version(&d.store, couple, &sara);
    d.store.add_life_event(couple, v, LifeEventKind::Moving, on, &sara, t).expect("life event");
    let trajectory = d.store.start_trajectory(couple, sara.id, &sara, t).expect("trajectory");
    let held = NewSession {
        trajectory_id: trajectory,
        start,
        room: "Spreekkamer 1".into(),
        status: SessionStatus::Held,
        attended: Some(Attended::Both),
    };
    let session = d.store.plan_session(&held, duty(), &sara, start + Duration::hours(3)).expect("held");
    d.store.save_scores(session, 1, [4, 5, 6], &sara, start + Duration::hours(3)).expect("scores");
    let referral = NewReferral {
        party: "therapy".into(),
        party_kind: PartyKind::Therapy,
        scope: loket::domain::referral::Scope::Partner1,
        reason: format!("{} wil therapie", partners[0].0),
        cost_explained: true,
        insurance_to_check: true,
        shared: Shared::WithRequest,
        summary: String::new(),
        follow_up_on: NaiveDate::from_ymd_opt(2026, 12, 16),
    };
    let referral = d.store.create_referral(couple, &referral, &sara, t).expect("referral");
    // A consent given, withdrawn and given again: three rows of its history.
    for given in [true, false, true] {
        let version = d.store.referral(referral, &sara).expect("referral").version;
        let on = NaiveDate::from_ymd_opt(2026, 11, 5).expect("date");
        d.store.set_consent(referral, version, 1, given, on, &sara, t).expect("consent");
    }
    let referred = NaiveDate::from_ymd_opt(2026, 10, 1).expect("date");
    d.store.record_referral_in(couple, Source::Gp, referred, &sara, t).expect("referral in");
    couple
}

fn close(d: &mut Desk, couple: i64, on: NaiveDate) {
    let sara = d.counsellor.clone();
    let v = version(&d.store, couple, &sara);
    let closing = Some((CloseOutcome::Separated, on));
    d.store.set_file_status(couple, v, FileStatus::Closed, closing, &sara, now()).expect("close");
}

/// Whether `needle` occurs in the bytes of the file (a missing file holds nothing).
fn holds(path: &Path, needle: &str) -> bool {
    let bytes = std::fs::read(path).unwrap_or_default();
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn erasing_a_closed_file_removes_every_row_of_that_couple_and_nothing_of_another() {
    let mut d = desk();
    let other = full_couple(
        &mut d,
        [("Els", "", "Jansen"), ("Piet", "", "Jansen")],
        at(11, 4, 8, 5),
        at(11, 10, 13, 0),
    );
    let wereldbol = [("Xaverius", "", "Wêreldbol"), ("Quirina", "van", "Wêreldbol")];
    let gone = full_couple(&mut d, wereldbol, at(11, 4, 8, 10), at(11, 11, 13, 0));
    close(&mut d, other, date(11, 20));
    close(&mut d, gone, date(11, 20));
    let (others_before, gones_before) = (rows_of(&d.path, other), rows_of(&d.path, gone));
    assert!(
        gones_before.iter().all(|(t, n)| *n > 0 || *t == "file_access"),
        "the erased couple has rows everywhere (file_access may be empty: the access log replaces it): {gones_before:?}"
    );
    let log_before = dump(&d.path)["access_log"].clone();

    let kees = d.coordinator.clone();
    let erased = d.store.erase_file(gone, Erasure::ByHand, &kees, now()).expect("erase");
    assert_eq!(erased.to_string(), "2026-002");

    assert!(rows_of(&d.path, gone).iter().all(|(_, n)| *n == 0), "{:?}", rows_of(&d.path, gone));
    assert_eq!(rows_of(&d.path, other), others_before, "the other couple keeps every row");
    // The log keeps every row and gets one: who erased which file, why; no name.
    let log_after = dump(&d.path)["access_log"].clone();
    assert_eq!(log_after[..log_before.len()], log_before[..]);
    assert_eq!(log_after.len(), log_before.len() + 1);
    let (event, user, file, detail): (String, String, String, String) = raw(&d.path)
        .query_row(
            "SELECT event, user_name, file_number, detail FROM access_log ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("last row");
    assert_eq!(
        (event.as_str(), user.as_str(), file.as_str(), detail.as_str()),
        ("erasure", "Kees Bakker", "2026-002", "by_hand")
    );
    let report = loket::store::check(&d.path, loket::store::Access::Plain).expect("check");
    assert!(report.is_ok() && report.log_broken_at.is_none(), "{report:?}");

    // No byte of the couple is left in the file or its write-ahead log.
    let wal = d.path.with_file_name("loket.db-wal");
    for needle in ["Wêreldbol", "wereldbol", "Xaverius", "xaverius", "Quirina", "12340010", "quirina@"] {
        assert!(!holds(&d.path, needle), "{needle} in the database file");
        assert!(!holds(&wal, needle), "{needle} in its -wal");
    }
    assert!(holds(&d.path, "Jansen"), "the other couple is still there (the search for bytes works)");

    // Neither its internal id nor its number is given again.
    let (_, next) = d.register(&[("Anna", "", "Nieuw")], at(12, 2, 8, 10), None);
    assert!(next > gone, "a new id: {next} after {gone}");
    assert_eq!(d.store.couple_summary(next).expect("summary").file.to_string(), "2026-003");
    assert_eq!(d.store.find_couples("wereldbol", 8).expect("find"), Vec::new());
}

#[test]
fn only_a_closed_file_is_erased_by_a_coordinator_and_a_refusal_erases_nothing() {
    let mut d = desk();
    let open = d.register(&[("Els", "", "Jansen")], at(11, 4, 8, 5), None).1;
    let closed = d.register(&[("Tom", "", "Smit")], at(11, 4, 8, 10), None).1;
    close(&mut d, closed, date(11, 20));
    let before = dump(&d.path);
    let kees = d.coordinator.clone();
    let not_closed = d.store.erase_file(open, Erasure::ByHand, &kees, now());
    assert!(matches!(not_closed, Err(StoreError::NotClosed)), "{not_closed:?}");
    let unknown = d.store.erase_file(closed + 100, Erasure::ByHand, &kees, now());
    assert!(matches!(unknown, Err(StoreError::NotFound)), "{unknown:?}");
    // All or nothing: one file that may not be erased keeps the others too.
    let both = d.store.erase_files(&[closed, open], Erasure::Retention, &kees, now());
    assert!(matches!(both, Err(StoreError::NotClosed)), "{both:?}");
    for user in [d.receptionist.clone(), d.counsellor.clone()] {
        let refused = d.store.erase_file(closed, Erasure::ByHand, &user, now());
        assert!(matches!(refused, Err(StoreError::NotAllowed)), "{refused:?}");
    }
    let forged = User { roles: vec![Role::Coordinator], ..d.receptionist.clone() };
    let refused = d.store.erase_file(closed, Erasure::ByHand, &forged, now());
    assert!(matches!(refused, Err(StoreError::NotAllowed)), "{refused:?}");
    assert_same(&before, &dump(&d.path), "nothing erased, nothing logged");
    // In words, in both languages, without a name.
    let nl = loket::errors::store_error_text(&Texts::new(Lang::Nl), &StoreError::NotClosed);
    assert_eq!(nl, "Alleen een gesloten dossier kan worden gewist: er is niets gewist.");
    let en = loket::errors::store_error_text(&Texts::new(Lang::En), &StoreError::NotClosed);
    assert_eq!(en, "Only a closed file can be erased: nothing was erased.");
}

#[test]
fn the_retention_term_is_a_setting_a_coordinator_changes_and_the_log_records() {
    let mut d = desk();
    assert_eq!(d.store.retention_years().expect("read"), 5, "the default");
    let kees = d.coordinator.clone();
    assert_eq!(d.store.set_setting(Setting::RetentionYears, " 7 ", &kees, now()).expect("set"), 7);
    assert_eq!(d.store.retention_years().expect("read"), 7);
    let (event, detail, user): (String, String, String) = raw(&d.path)
        .query_row("SELECT event, detail, user_name FROM access_log ORDER BY id DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .expect("logged");
    assert_eq!(
        (event.as_str(), detail.as_str(), user.as_str()),
        ("settings_changed", "retention_years: 5 -> 7", "Kees Bakker")
    );
    let (changed_by, changed_at): (i64, String) = raw(&d.path)
        .query_row("SELECT changed_by, changed_at FROM settings WHERE key = 'retention_years'", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("row");
    assert_eq!((changed_by, changed_at.as_str()), (kees.id, "2026-12-02T08:30:00Z"));

    let before = dump(&d.path);
    let range = StoreError::Setting(SettingRefused::OutOfRange { min: 1, max: 100 });
    for (value, user, want) in [
        ("0", &kees, &range),
        ("101", &kees, &range),
        ("-5", &kees, &range),
        ("vijf", &kees, &StoreError::Setting(SettingRefused::NotANumber)),
        ("", &kees, &StoreError::Setting(SettingRefused::NotANumber)),
        ("6", &d.receptionist, &StoreError::NotAllowed),
        ("6", &d.counsellor, &StoreError::NotAllowed),
    ] {
        let got = d.store.set_setting(Setting::RetentionYears, value, user, now());
        assert_eq!(format!("{got:?}"), format!("Err({want:?})"), "{value:?} by {}", user.name);
    }
    assert_same(&before, &dump(&d.path), "a refused value changes nothing and logs nothing");
    let nl = Texts::new(Lang::Nl);
    assert_eq!(
        loket::errors::store_error_text(&nl, &range),
        "Kies een getal van 1 tot en met 100. Er is niets gewijzigd."
    );
    let en = Texts::new(Lang::En);
    let not_a_number = StoreError::Setting(SettingRefused::NotANumber);
    assert_eq!(
        loket::errors::store_error_text(&en, &not_a_number),
        "That is not a number: type a whole number, such as 5. Nothing was changed."
    );
}

#[test]
fn closed_files_are_due_once_their_term_has_passed() {
    let mut d = desk();
    let day = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).expect("date");
    let mut couples = Vec::new();
    for (i, closed) in
        [Some(day(2020, 6, 1)), Some(day(2021, 12, 2)), Some(day(2021, 12, 3)), Some(day(2024, 1, 1)), None]
            .into_iter()
            .enumerate()
    {
        let (_, c) = d.register(&[("Els", "", "Jansen")], at(11, 4, 8, 5 + i as u32), None);
        if let Some(on) = closed {
            close(&mut d, c, on);
        }
        couples.push(c);
    }
    let today = day(2026, 12, 2);
    let due = |store: &Store| -> Vec<(String, String, u32)> {
        store
            .due_files(today)
            .expect("due")
            .into_iter()
            .map(|f| (f.file.to_string(), f.closed_on.to_string(), f.years))
            .collect()
    };
    let five = vec![
        ("2026-001".to_owned(), "2020-06-01".to_owned(), 6),
        ("2026-002".to_owned(), "2021-12-02".to_owned(), 5),
    ];
    assert_eq!(due(&d.store), five, "closed 5 years ago today is due; a day later is not");
    let kees = d.coordinator.clone();
    d.store.set_setting(Setting::RetentionYears, "2", &kees, now()).expect("set");
    let two = due(&d.store);
    assert_eq!(two.len(), 4, "{two:?}");
    assert_eq!(two[3], ("2026-004".to_owned(), "2024-01-01".to_owned(), 2));
    d.store.set_setting(Setting::RetentionYears, "100", &kees, now()).expect("set");
    assert_eq!(due(&d.store), Vec::new());
    // Erasing the due files leaves the others.
    d.store.set_setting(Setting::RetentionYears, "5", &kees, now()).expect("set");
    let ids: Vec<i64> = d.store.due_files(today).expect("due").iter().map(|f| f.id).collect();
    assert_eq!(ids, couples[..2]);
    d.store.erase_files(&ids, Erasure::Retention, &kees, now()).expect("erase");
    assert_eq!(d.store.couple_count().expect("count"), 3);
    assert_eq!(due(&d.store), Vec::new());
    let logged: i64 = raw(&d.path)
        .query_row(
            "SELECT count(*) FROM access_log WHERE event = 'erasure' AND detail = 'retention'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    assert_eq!(logged, 2);
}

/// Every figure as the council and the desk see them, to compare before and after.
fn shown(figures: &[Figure]) -> Vec<(String, String, String)> {
    figures
        .iter()
        .map(|f| {
            (
                format!("{}.{}", f.group, f.key),
                show(f.value, true, true).text(),
                show(f.value, false, true).text(),
            )
        })
        .collect()
}

fn assert_same_figures(before: &[Figure], after: &[Figure], what: &str) {
    assert_eq!(shown(before), shown(after), "{what}");
    for (b, a) in before.iter().zip(after) {
        assert!(same(b.value, a.value), "{what}: {}.{} {:?} -> {:?}", b.group, b.key, b.value, a.value);
    }
}

#[test]
fn erasing_closed_files_leaves_the_report_of_their_period_as_it_was() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let mut store = build(&path);
    let henk = store.seed_user("Henk Bos", &[Role::Coordinator], hash(), Utc::now()).expect("user");
    let periods = [
        half_year(),
        Period { from: date(10, 1), to: date(10, 31) },
        Period { from: date(1, 1), to: date(12, 31) },
        Period { from: date(6, 1), to: date(6, 30) },
    ];
    let report = |store: &Store| -> Vec<Vec<Figure>> { periods.iter().map(|p| figures(store, *p)).collect() };
    let weekly = |store: &Store| store.weekly_walk_ins(half_year()).expect("weekly");
    let (before, weeks, budget) =
        (report(&store), weekly(&store), store.budget_figures(2026).expect("budget"));
    // The half year still holds its counted figures, exactly and as for the council.
    for (fig, (group, key, value, exact, council)) in before[0].iter().zip(expected()) {
        assert!(same(fig.value, value), "{group}.{key}");
        assert_eq!(show(fig.value, true, true).text(), exact, "{group}.{key}");
        assert_eq!(show(fig.value, false, true).text(), council, "{group}.{key}");
    }
    let id = |store: &Store, name: &str| store.find_couples(name, 1).expect("find")[0].id;

    // Two closed files of the period: C1 (two walk-ins, a trajectory with scores, two life events)
    // and C8 (referred in twice, referred on).
    let two = [id(&store, "bakker"), id(&store, "peters")];
    store.erase_files(&two, Erasure::ByHand, &henk, Utc::now()).expect("erase two");
    assert_eq!(store.find_couples("bakker", 1).expect("find"), Vec::new());
    for (b, a) in before.iter().zip(report(&store)) {
        assert_same_figures(b, &a, "after erasing two files");
    }
    // And every other closed file: C2 (a stopped trajectory), C3, C10 and C14 (outside the period).
    let rest: Vec<i64> = ["visser", "smit", "dekker", "wit"].iter().map(|n| id(&store, n)).collect();
    store.erase_files(&rest, Erasure::Retention, &henk, Utc::now()).expect("erase the rest");
    assert_eq!(store.couple_count().expect("count"), 14 - 6);
    for (b, a) in before.iter().zip(report(&store)) {
        assert_same_figures(b, &a, "after erasing six files");
    }
    assert_eq!(weekly(&store), weeks, "the sparkline");
    assert_eq!(store.budget_figures(2026).expect("budget"), budget, "the planner's budget");
    // What is kept holds no name, contact or free text: only codes, days and numbers.
    let conn = raw(&path);
    for table in [
        "anon_couples",
        "anon_walk_ins",
        "anon_trajectories",
        "anon_sessions",
        "anon_scores",
        "anon_referrals",
        "anon_referrals_in",
        "anon_life_events",
    ] {
        let n: i64 =
            conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).expect("count");
        assert!(n > 0, "{table} holds the erased files' part");
    }
    let kept = format!(
        "{:?}",
        crate::common::db::dump(&path)
            .into_iter()
            .filter(|(t, _)| t.starts_with("anon_"))
            .collect::<Vec<_>>()
    );
    for name in ["Bakker", "Peters", "Eva", "Tom", "Visser"] {
        assert!(!kept.contains(name), "{name} in the anonymous rows");
    }
}
