//! The coordinator's look at the access log (`Store::log_query`, `Store::audit_log`) on a real
//! temporary file: by file, by user, by period in desk days, by event, newest first, a page at a
//! time; unknown file numbers and names refused; only a coordinator may look, and the look is
//! logged. What each filter should find is worked out here from the raw rows, not written down.

use chrono::{DateTime, NaiveDate, Utc};
use loket::domain::access::{AccessEvent, LogFilter};
use loket::domain::couple::FileNumber;
use loket::store::{Access, StoreError, check};

use crate::common::desk::{Desk, at, december, desk};

/// A raw log row: id, time, event, user id, couple id.
type Raw = (i64, String, String, Option<i64>, Option<i64>);

fn raw_rows(path: &std::path::Path) -> Vec<Raw> {
    let conn = rusqlite::Connection::open(path).expect("open");
    let mut stmt = conn.prepare("SELECT id, at, event, user_id, couple_id FROM access_log").expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .expect("query")
        .collect::<rusqlite::Result<Vec<_>>>()
        .expect("rows")
}

/// The ids of the raw rows `keep` chooses, newest first.
fn expected(path: &std::path::Path, keep: impl Fn(&Raw) -> bool) -> Vec<i64> {
    let mut ids: Vec<i64> = raw_rows(path).iter().filter(|r| keep(r)).map(|r| r.0).collect();
    ids.sort_unstable_by(|a, b| b.cmp(a));
    ids
}

fn ids(rows: &[loket::domain::access::LogEntry]) -> Vec<i64> {
    rows.iter().map(|e| e.id).collect()
}

fn instant(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).expect("a stored instant").with_timezone(&Utc)
}

/// Two couples; Sara opens the first on 1 and 2 December (late in the evening and just after
/// midnight at the desk), Jan opens the second, Ria searches. Returns the desk and both couples.
fn busy_desk() -> (Desk, i64, i64) {
    let mut d = desk();
    let (_, first) = d.register(&[("Kees", "de", "Vries"), ("Els", "", "Jansen")], at(11, 25, 9, 0), None);
    let (_, second) = d.register(&[("Ayşe", "", "Öztürk")], at(11, 25, 9, 10), None);
    let (sara, jan, ria) = (d.counsellor.clone(), d.other.clone(), d.receptionist.clone());
    d.store.open_file(first, &sara, december(1, 23, 30)).expect("open");
    d.store.open_file(first, &sara, december(2, 0, 30)).expect("open");
    d.store.open_file(second, &jan, december(2, 10, 0)).expect("open");
    d.store.log_event(AccessEvent::Search, Some(&ria), None, "vries: 1", december(2, 11, 0)).expect("search");
    d.store.open_file(second, &sara, december(3, 9, 0)).expect("open");
    (d, first, second)
}

fn number_of(d: &Desk, couple: i64) -> FileNumber {
    d.store.read_file(couple, &d.coordinator).expect("file").file
}

#[test]
fn one_file_newest_first_and_an_unknown_number_is_refused() {
    let (d, first, second) = busy_desk();
    for couple in [first, second] {
        let filter = LogFilter { file: Some(number_of(&d, couple)), ..LogFilter::default() };
        let rows = d.store.log_query(&filter, None, 0).expect("query");
        let want = expected(&d.path, |r| r.4 == Some(couple));
        assert!(want.len() >= 3, "walk-in rows and file reads: {want:?}");
        assert_eq!(ids(&rows), want);
        assert!(rows.iter().all(|e| e.file_number == number_of(&d, couple).to_string()));
    }
    let nobody = LogFilter { file: FileNumber::parse("2026-999"), ..LogFilter::default() };
    assert!(matches!(d.store.log_query(&nobody, None, 0), Err(StoreError::UnknownFile)));
}

#[test]
fn one_user_by_name_in_any_case_and_an_unknown_name_is_refused() {
    let (d, _, _) = busy_desk();
    let sara = d.counsellor.id;
    let filter = LogFilter { user: Some("  SARA de boer ".into()), ..LogFilter::default() };
    let rows = d.store.log_query(&filter, None, 0).expect("query");
    let want = expected(&d.path, |r| r.3 == Some(sara));
    assert_eq!(want.len(), 3, "Sara opened three times");
    assert_eq!(ids(&rows), want);
    assert!(rows.iter().all(|e| e.user_name == d.counsellor.name));
    let nobody = LogFilter { user: Some("Niemand".into()), ..LogFilter::default() };
    assert!(matches!(d.store.log_query(&nobody, None, 0), Err(StoreError::UnknownUser)));
}

#[test]
fn a_period_is_whole_desk_days_in_amsterdam_time() {
    let (d, _, _) = busy_desk();
    let day = |n| NaiveDate::from_ymd_opt(2026, 12, n).expect("a date");
    // The desk's 2 December runs from 1 December 23:00 UTC up to 2 December 23:00 UTC.
    let (start, end) = (december(2, 0, 0), december(3, 0, 0));
    let filter = LogFilter { from: Some(day(2)), to: Some(day(2)), ..LogFilter::default() };
    let rows = d.store.log_query(&filter, None, 0).expect("query");
    let want = expected(&d.path, |r| instant(&r.1) >= start && instant(&r.1) < end);
    assert_eq!(want.len(), 3, "00:30, 10:00 and 11:00 on the 2nd; not 23:30 on the 1st, not the 3rd");
    assert_eq!(ids(&rows), want);
    // An open end: from the 2nd on.
    let from = LogFilter { from: Some(day(2)), ..LogFilter::default() };
    let rows = d.store.log_query(&from, None, 0).expect("query");
    assert_eq!(ids(&rows), expected(&d.path, |r| instant(&r.1) >= start));
    // Up to the 1st, with the evening of the 1st.
    let to = LogFilter { to: Some(day(1)), ..LogFilter::default() };
    let rows = d.store.log_query(&to, None, 0).expect("query");
    assert_eq!(ids(&rows), expected(&d.path, |r| instant(&r.1) < start));
    assert!(rows.iter().any(|e| instant(&e.at) == december(1, 23, 30)));
}

#[test]
fn events_combine_with_the_rest_and_pages_follow_each_other() {
    let (d, first, _) = busy_desk();
    let events = [AccessEvent::FileRead, AccessEvent::Search];
    let codes: Vec<&str> = events.iter().map(|e| e.code()).collect();
    let filter = LogFilter { events: events.to_vec(), ..LogFilter::default() };
    let all = d.store.log_query(&filter, None, 0).expect("query");
    assert_eq!(ids(&all), expected(&d.path, |r| codes.contains(&r.2.as_str())));
    assert!(all.len() >= 5);
    let both = LogFilter {
        file: Some(number_of(&d, first)),
        events: vec![AccessEvent::FileRead],
        ..LogFilter::default()
    };
    let rows = d.store.log_query(&both, None, 0).expect("query");
    assert_eq!(ids(&rows), expected(&d.path, |r| r.2 == "file_read" && r.4 == Some(first)));
    // Pages of two, newest first, make up the whole.
    let mut paged = Vec::new();
    for page in 0.. {
        let rows = d.store.log_query(&filter, Some(2), page * 2).expect("page");
        if rows.is_empty() {
            break;
        }
        assert!(rows.len() <= 2);
        paged.extend(ids(&rows));
    }
    assert_eq!(paged, ids(&all));
    assert!(paged.windows(2).all(|w| w[0] > w[1]), "newest first: {paged:?}");
}

#[test]
fn only_a_coordinator_looks_and_the_look_is_logged_without_names() {
    let (mut d, first, _) = busy_desk();
    let number = number_of(&d, first);
    let filter = LogFilter { file: Some(number), ..LogFilter::default() };
    let before = raw_rows(&d.path).len();
    for who in [d.receptionist.clone(), d.counsellor.clone()] {
        let refused = d.store.audit_log(&who, &filter, None, 0, december(4, 9, 0));
        assert!(matches!(refused, Err(StoreError::NotAllowed)), "{}", who.name);
    }
    assert_eq!(raw_rows(&d.path).len(), before, "a refused look writes nothing");
    let kees = d.coordinator.clone();
    let seen = d.store.audit_log(&kees, &filter, None, 0, december(4, 9, 0)).expect("look");
    assert_eq!(ids(&seen), expected(&d.path, |r| r.4 == Some(first) && r.2 != "audit"));
    // The look is the newest row: by the coordinator, about that file, the filter in codes.
    let newest = d.store.log_query(&LogFilter::default(), Some(1), 0).expect("newest");
    let look = &newest[0];
    assert_eq!((look.event.as_str(), look.user_id, look.couple_id), ("audit", Some(kees.id), Some(first)));
    assert_eq!(look.detail, format!("file={number}"));
    assert!(!seen.iter().any(|e| e.id == look.id), "a look does not show itself");
    // A filter by user is recorded by the user's id, and a later look finds the earlier one.
    let by_sara = LogFilter { user: Some(d.counsellor.name.clone()), ..LogFilter::default() };
    d.store.audit_log(&kees, &by_sara, None, 0, december(4, 9, 5)).expect("look");
    let audits = LogFilter { events: vec![AccessEvent::Audit], ..LogFilter::default() };
    let looks = d.store.audit_log(&kees, &audits, None, 0, december(4, 9, 10)).expect("look");
    let details: Vec<&str> = looks.iter().map(|e| e.detail.as_str()).collect();
    assert_eq!(details, [format!("user={}", d.counsellor.id), format!("file={number}")]);
    // An unknown file is refused before anything is written; the chain still holds.
    let count = raw_rows(&d.path).len();
    let unknown = LogFilter { file: FileNumber::parse("2026-999"), ..LogFilter::default() };
    assert!(matches!(
        d.store.audit_log(&kees, &unknown, None, 0, december(4, 9, 15)),
        Err(StoreError::UnknownFile)
    ));
    assert_eq!(raw_rows(&d.path).len(), count);
    let Desk { dir: _dir, path, store, .. } = d;
    drop(store);
    assert_eq!(check(&path, Access::Plain).expect("check").log_broken_at, None);
}
