//! The access log: append-only (the triggers refuse changes), chained by hashes (`loket check`
//! names the first broken row), and written by what it records: a file read, sign-ins, user
//! changes, a letter, a search with its words and count.

use loket::domain::access::AccessEvent;
use loket::domain::user::{Role, SignIn};
use loket::store::{Access, NewUser, Store, check};

use crate::common::desk::{PASSWORD, filled_store, hash, now};

fn rows(path: &std::path::Path) -> Vec<(String, String, String, String)> {
    let conn = rusqlite::Connection::open(path).expect("open");
    let mut stmt = conn
        .prepare("SELECT event, user_name, file_number, detail FROM access_log ORDER BY id")
        .expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("query")
        .collect::<rusqlite::Result<Vec<_>>>()
        .expect("rows")
}

#[test]
fn the_log_is_append_only_and_a_changed_row_breaks_the_chain() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let (mut store, couple) = filled_store(&path);
    let sara = store.users().expect("users").into_iter().find(|u| u.name == "Sara de Boer").expect("Sara");
    for _ in 0..3 {
        store.open_file(couple, &sara, now()).expect("open");
    }
    drop(store);
    assert_eq!(check(&path, Access::Plain).expect("check").log_broken_at, None, "the chain holds");
    let conn = rusqlite::Connection::open(&path).expect("open");
    for sql in ["UPDATE access_log SET detail = 'x' WHERE id = 2", "DELETE FROM access_log WHERE id = 2"] {
        let refused = conn.execute(sql, []).expect_err("refused");
        assert!(refused.to_string().contains("loket: the access log is append-only"), "{sql}: {refused}");
    }
    // Someone who drops the triggers can change a row, but not without the chain saying so.
    conn.execute_batch("DROP TRIGGER access_log_no_update; DROP TRIGGER access_log_no_delete;")
        .expect("drop");
    conn.execute("UPDATE access_log SET user_name = 'Iemand anders' WHERE id = 2", []).expect("change");
    drop(conn);
    let report = check(&path, Access::Plain).expect("check");
    assert_eq!(report.log_broken_at, Some(2));
    assert!(!report.is_ok());
    // A removed row breaks it too (at the row after the gap).
    let conn = rusqlite::Connection::open(&path).expect("open");
    conn.execute("UPDATE access_log SET user_name = 'Sara de Boer' WHERE id = 2", []).expect("undo");
    conn.execute("DELETE FROM access_log WHERE id = 2", []).expect("remove");
    drop(conn);
    assert_eq!(check(&path, Access::Plain).expect("check").log_broken_at, Some(3));
}

#[test]
fn a_file_read_a_letter_and_sign_ins_are_logged_with_who_and_which_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let (mut store, couple) = filled_store(&path);
    let before = rows(&path).len();
    let sara = store.users().expect("users").into_iter().find(|u| u.name == "Sara de Boer").expect("Sara");
    let file = store.open_file(couple, &sara, now()).expect("open");
    assert!(matches!(store.sign_in(sara.id, "fout", now()).expect("sign in"), SignIn::Wrong));
    assert!(matches!(store.sign_in(sara.id, PASSWORD, now()).expect("sign in"), SignIn::Welcome(_)));
    let referral = store.referrals_of(couple, &sara).expect("referrals")[0].id;
    store.record_letter(referral, &sara, now()).expect("letter");
    let number = file.file.to_string();
    let logged: Vec<_> = rows(&path).into_iter().skip(before).collect();
    let expected = [
        ("file_read", "Sara de Boer", number.as_str(), ""),
        ("failed_sign_in", "Sara de Boer", "", ""),
        ("sign_in", "Sara de Boer", "", ""),
        ("letter", "Sara de Boer", number.as_str(), "therapy"),
    ];
    let logged: Vec<(&str, &str, &str, &str)> =
        logged.iter().map(|(a, b, c, d)| (a.as_str(), b.as_str(), c.as_str(), d.as_str())).collect();
    assert_eq!(logged, expected);
    // Nothing of the couple's content: no names, no notes.
    let all = format!("{:?}", rows(&path));
    assert!(!all.contains("Vries") && !all.contains("Vastgelopen"), "{all}");
}

#[test]
fn user_changes_are_logged_by_the_coordinator_who_made_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let mut store = Store::open(&path).expect("open");
    let kees = store.create_first_user("Kees Bakker", hash(), now()).expect("first");
    let new = NewUser { name: "Ria Balie", roles: &[Role::Receptionist], hash: hash(), temporary: true };
    let ria = store.add_user(&kees, new, now()).expect("add");
    store.set_roles(&kees, ria.id, &[Role::Receptionist, Role::Counsellor]).expect("roles");
    store.reset_password(&kees, ria.id, hash()).expect("reset");
    store.deactivate_user(&kees, ria.id).expect("deactivate");
    let changes: Vec<(String, String)> = rows(&path)
        .into_iter()
        .filter(|(event, ..)| event == AccessEvent::UserChanged.code())
        .map(|(_, who, _, detail)| (who, detail))
        .collect();
    let id = ria.id;
    let expected = [
        format!("added user {id}"),
        format!("roles of user {id}: receptionist+counsellor"),
        format!("password of user {id} reset"),
        format!("user {id} deactivated"),
    ];
    assert_eq!(changes.iter().map(|(_, d)| d.clone()).collect::<Vec<_>>(), expected);
    assert!(changes.iter().all(|(who, _)| who == "Kees Bakker"));
}

#[test]
fn a_search_is_logged_once_with_its_words_and_count_when_it_is_done() {
    use ratatui::crossterm::event::KeyCode;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let (store, _) = filled_store(&path);
    let mut app = crate::common::desk::app_on(store);
    crate::common::sign_in(&mut app, "Ingrid Hoekstra");
    crate::common::press(&mut app, KeyCode::Char('/'));
    crate::common::type_text(&mut app, "vries");
    crate::common::press(&mut app, KeyCode::Enter);
    crate::common::press(&mut app, KeyCode::Char('/'));
    crate::common::type_text(&mut app, "niemand");
    crate::common::press(&mut app, KeyCode::Esc);
    let searches: Vec<(String, String)> = rows(&path)
        .into_iter()
        .filter(|(event, ..)| event == "search")
        .map(|(_, who, _, detail)| (who, detail))
        .collect();
    assert_eq!(
        searches,
        [
            ("Ingrid Hoekstra".to_owned(), "vries: 1".to_owned()),
            ("Ingrid Hoekstra".to_owned(), "niemand: 0".to_owned())
        ]
    );
}

#[test]
fn walk_ins_file_changes_and_referrals_are_logged_with_the_part_not_the_content() {
    use loket::domain::couple::Request;
    use loket::domain::file::LifeEventKind;
    use loket::domain::walkin::Change;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let mut store = Store::open(&path).expect("open");
    let ria = store.seed_user("Ria Balie", &[Role::Receptionist], hash(), now()).expect("Ria");
    let sara = store.seed_user("Sara de Boer", &[Role::Counsellor], hash(), now()).expect("Sara");
    let partners = [("IJsbrand", "van der", "Wêreld"), ("Els", "", "Jansen")];
    let walk_in = crate::common::desk::walk_in(&partners, Request::Repair);
    let id = store.register_walk_in(&walk_in, now(), Some(ria.id)).expect("register");
    store
        .change_walk_in(id, 1, Change::CallIn { counsellor_id: sara.id }, now(), Some(ria.id))
        .expect("call in");
    assert!(store.undo_walk_in_change(id, 2, now(), Some(ria.id)).expect("undo"));
    let couple = store.walk_in(id).expect("walk-in").couple.id;
    let version = store.read_file(couple, &sara).expect("file").version;
    store.add_life_event(couple, version, LifeEventKind::Grief, None, &sara, now()).expect("life event");
    let logged: Vec<(String, String, String)> =
        rows(&path).into_iter().map(|(event, who, _, detail)| (event, who, detail)).collect();
    let expected = [
        ("walk_in", "Ria Balie", "registered, new file"),
        ("walk_in", "Ria Balie", "to in_conversation"),
        ("walk_in", "Ria Balie", "undone, back to waiting"),
        ("file_changed", "Sara de Boer", "life_event"),
    ];
    let logged: Vec<(&str, &str, &str)> =
        logged.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect();
    assert_eq!(logged, expected);
    let all = format!("{:?}", rows(&path));
    assert!(!all.contains("Wêreld") && !all.contains("grief"), "no content in the log: {all}");
    assert!(check(&path, Access::Plain).expect("check").is_ok());
}

/// (event, user, on behalf of, partner, detail) of the rows after the first `skip`.
fn rows_with_who(path: &std::path::Path, skip: usize) -> Vec<(String, String, String, Option<i64>, String)> {
    let conn = rusqlite::Connection::open(path).expect("open");
    let mut stmt = conn
        .prepare("SELECT event, user_name, on_behalf, partner, detail FROM access_log ORDER BY id")
        .expect("prepare");
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .expect("query")
        .skip(skip)
        .collect::<rusqlite::Result<Vec<_>>>()
        .expect("rows")
}

#[test]
fn conversations_trajectories_and_consents_are_logged_with_on_whose_behalf_and_which_partner() {
    use loket::domain::planner::{Attended, SessionStatus};
    use loket::domain::trajectory::NewSession;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let (mut store, couple) = filled_store(&path);
    let users = store.users().expect("users");
    let named = |name: &str| users.iter().find(|u| u.name == name).cloned().expect("user");
    let (sara, ingrid) = (named("Sara de Boer"), named("Ingrid Hoekstra"));
    let before = rows_with_who(&path, 0).len();

    // The receptionist books a follow-up for Sara; Sara records it held and writes a note.
    let trajectory = store.trajectory_of(couple, &sara).expect("read").expect("trajectory").id;
    let start = crate::common::desk::december(10, 14, 0);
    let new = NewSession {
        trajectory_id: trajectory,
        start,
        room: "Spreekkamer 2".into(),
        status: SessionStatus::Planned,
        attended: None,
    };
    let session = store.plan_session(&new, crate::common::desk::duty(), &ingrid, now()).expect("plan");
    let after = start + chrono::Duration::hours(2);
    store
        .set_session_status(session, 1, SessionStatus::Held, Some(Attended::Both), "", &sara, after)
        .expect("held");
    store.save_session_note(session, 2, "Ruzie over de schoonfamilie", &sara, after).expect("note");
    // Partner 2 consents to the referral, then withdraws.
    let referral = store.referrals_of(couple, &sara).expect("referrals")[0].clone();
    let day = loket::domain::walkin::desk_day(now());
    store.set_consent(referral.id, referral.version, 2, true, day, &sara, now()).expect("consent");
    store.set_consent(referral.id, referral.version + 1, 2, false, day, &sara, now()).expect("withdrawn");
    let t = store.trajectory_of(couple, &sara).expect("read").expect("trajectory");
    store.end_trajectory(t.id, t.version, &sara, after).expect("end");

    let logged = rows_with_who(&path, before);
    let conversation = format!("#{session}");
    let expected = [
        ("conversation", "Ingrid Hoekstra", "Sara de Boer", None, format!("planned {conversation}")),
        ("conversation", "Sara de Boer", "", None, format!("held {conversation}")),
        ("conversation", "Sara de Boer", "", None, format!("note {conversation}")),
        ("consent", "Sara de Boer", "", Some(2), "given therapy".to_owned()),
        ("consent", "Sara de Boer", "", Some(2), "withdrawn therapy".to_owned()),
        ("trajectory", "Sara de Boer", "", None, "ended".to_owned()),
    ];
    let logged: Vec<_> =
        logged.iter().map(|(e, u, b, p, d)| (e.as_str(), u.as_str(), b.as_str(), *p, d.clone())).collect();
    assert_eq!(logged, expected);
    let all = format!("{:?}", rows_with_who(&path, 0));
    assert!(!all.contains("schoonfamilie") && !all.contains("Spreekkamer"), "no content in the log: {all}");
    // The start of the trajectory (by Sara, for herself) was logged too, with no one on whose behalf.
    assert!(all.contains(r#"("trajectory", "Sara de Boer", "", None, "started")"#), "{all}");
    drop(store);
    assert!(check(&path, Access::Plain).expect("check").is_ok(), "the chain holds with the new fields");
}
