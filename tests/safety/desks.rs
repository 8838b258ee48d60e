//! Two desks (two stores) on one file: undo and the ticket order (issue 14).

use std::sync::{Arc, Barrier};

use loket::domain::user::Role;
use loket::domain::walkin::{Change, Outcome, Status};
use loket::store::{Store, StoreError};

use super::support::*;

/// A file with a receptionist and a counsellor, and two desks open on it.
fn two_desks() -> (tempfile::TempDir, Store, Store, i64, i64) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("loket.db");
    let mut a = Store::open(&db).expect("desk A");
    let b = Store::open(&db).expect("desk B");
    let hash = crate::common::desk::hash();
    let ingrid = a.seed_user("Ingrid Hoekstra", &[Role::Receptionist], hash, at(12, 2, 8, 0)).expect("user");
    let sara = a.seed_user("Sara de Boer", &[Role::Counsellor], hash, at(12, 2, 8, 0)).expect("user");
    (dir, a, b, ingrid.id, sara.id)
}

/// Desk A calls ticket 1 in, desk B marks it done: A's undo must not take back B's change, whether
/// B is signed in as someone else or as the same user.
#[test]
fn undo_never_reverts_another_desk_s_change() {
    for same_user in [false, true] {
        let (_dir, mut a, mut b, ingrid, sara) = two_desks();
        let id = a
            .register_walk_in(&walk_in("IJsbrand", "Wêreld"), at(12, 2, 8, 5), Some(ingrid))
            .expect("register");
        a.change_walk_in(id, 1, Change::CallIn { counsellor_id: sara }, at(12, 2, 8, 10), Some(ingrid))
            .expect("A calls in");
        let b_user = if same_user { ingrid } else { sara };
        let finish = Change::Finish { outcome: Outcome::OneConversation };
        b.change_walk_in(id, 2, finish, at(12, 2, 8, 40), Some(b_user)).expect("B marks done");
        let before = a.walk_in(id).expect("read");

        // A with the version right after its own change (what the queue pane passes), and, signed
        // in as someone else than B, also after reading B's change. (Signed in as the same user,
        // the store cannot tell the two desks apart: the desk's remembered version does.)
        let versions = if same_user { vec![2] } else { vec![2, before.version] };
        for version in versions {
            let err =
                a.undo_walk_in_change(id, version, at(12, 2, 8, 41), Some(ingrid)).expect_err("refused");
            assert!(matches!(err, StoreError::Stale), "same user {same_user}, version {version}: {err:?}");
        }
        let after = a.walk_in(id).expect("read");
        assert_eq!((after.state.status, after.version), (Status::Done, before.version), "nothing changed");

        // B itself may undo its change; then A's call-in is A's own last change again.
        assert!(b.undo_walk_in_change(id, 3, at(12, 2, 8, 42), Some(b_user)).expect("B undoes its own"));
        assert!(a.undo_walk_in_change(id, 4, at(12, 2, 8, 43), Some(ingrid)).expect("A undoes its own"));
        assert_eq!(a.walk_in(id).expect("read").state.status, Status::Waiting);
    }
}

/// Two desks register at the same moment; each read the clock before the other's write. The
/// ticket numbers and the order of the queue agree.
#[test]
fn ticket_numbers_and_arrival_order_agree_across_desks() {
    let (_dir, mut a, mut b, ingrid, _) = two_desks();
    // Desk A's clock read 09:27 and it wrote first; desk B read 09:26 just before, but waited for A.
    let first = a.register_walk_in(&walk_in("Anna", "Visser"), at(12, 2, 9, 27), Some(ingrid)).expect("A");
    let second = b.register_walk_in(&walk_in("Mo", "El Amrani"), at(12, 2, 9, 26), Some(ingrid)).expect("B");
    let queue = a.walk_ins_on(at(12, 2, 9, 30).date_naive()).expect("queue");
    let order: Vec<(i64, u32)> = queue.iter().map(|w| (w.id, w.ticket)).collect();
    assert_eq!(order, [(first, 1), (second, 2)], "the queue follows the tickets");
    assert!(queue[0].arrived_at <= queue[1].arrived_at);

    // The same with two threads, each with its own store and its clock read before its write.
    let db = _dir.path().join("loket.db");
    let start = Arc::new(Barrier::new(2));
    let desks: Vec<_> = [31u32, 30]
        .into_iter()
        .map(|minute| {
            let (db, start) = (db.clone(), Arc::clone(&start));
            std::thread::spawn(move || {
                let mut store = Store::open(&db).expect("desk");
                start.wait();
                for i in 0..10 {
                    let name = format!("Desk{minute}n{i}");
                    store
                        .register_walk_in(&walk_in(&name, "Jansen"), at(12, 2, 9, minute), None)
                        .expect("register");
                }
            })
        })
        .collect();
    for desk in desks {
        desk.join().expect("desk thread");
    }
    let queue = a.walk_ins_on(at(12, 2, 9, 40).date_naive()).expect("queue");
    let tickets: Vec<u32> = queue.iter().map(|w| w.ticket).collect();
    assert_eq!(tickets, (1..=22).collect::<Vec<u32>>(), "by arrival, the tickets count up");
}
