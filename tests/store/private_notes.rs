//! A partner's own note (what one partner told alone): counsellors read and write it, it is kept
//! per partner, and it is given to no one else: not the receptionist or the coordinator, not the
//! log, not the other partner's access copy.

use loket::domain::file::{Happening, PrivateNote};
use loket::store::StoreError;

use crate::common::desk::{filled_store, now};

#[test]
fn a_partners_own_note_is_the_counsellors_and_that_partners_only() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let (mut store, couple) = filled_store(&path);
    let users = store.users().expect("users");
    let named = |name: &str| users.iter().find(|u| u.name == name).cloned().expect("user");
    let (sara, ingrid, henk) = (named("Sara de Boer"), named("Ingrid Hoekstra"), named("Henk Bos"));
    let secret = "Els: overweegt te vertrekken, Kees weet het niet";
    let version = store.read_file(couple, &sara).expect("read").version;

    // Only a counsellor saves it, and only for a partner the file has.
    for refused_by in [&ingrid, &henk] {
        let refused = store.save_private_note(couple, 2, version, secret, refused_by, now());
        assert!(matches!(refused, Err(StoreError::NotAllowed)), "{refused:?}");
    }
    let no_partner = store.save_private_note(couple, 3, version, secret, &sara, now());
    assert!(matches!(no_partner, Err(StoreError::NotFound)), "{no_partner:?}");
    store.save_private_note(couple, 2, version, secret, &sara, now()).expect("saved");
    let stale = store.save_private_note(couple, 1, version, "te laat", &sara, now());
    assert!(matches!(stale, Err(StoreError::Stale)), "an old version is refused: {stale:?}");

    // The counsellor reads it with its partner's mark; the others do not even receive it.
    let file = store.read_file(couple, &sara).expect("read");
    assert_eq!(file.private_notes, [PrivateNote { position: 2, text: secret.to_owned() }]);
    assert!(file.timeline.iter().any(|e| e.what == Happening::PrivateNote(2)), "{:?}", file.timeline);
    for viewer in [&ingrid, &henk] {
        let seen = store.read_file(couple, viewer).expect("read");
        assert!(seen.private_notes.is_empty());
        assert!(!format!("{seen:?}").contains("vertrekken"), "the note reached {}", viewer.name);
    }
    // The log says whose note changed, never what it says.
    let conn = rusqlite::Connection::open(&path).expect("open");
    let logged: String = conn
        .query_row("SELECT group_concat(detail, '|') FROM access_log WHERE couple_id = ?1", [couple], |r| {
            r.get(0)
        })
        .expect("log");
    assert!(logged.contains("private_note") && !logged.contains("vertrekken"), "{logged}");
}
