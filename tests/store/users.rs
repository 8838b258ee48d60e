//! Users, roles and passwords through the store: only an active coordinator adds users, gives
//! roles, resets a password and deactivates; sign-in counts wrong tries and makes a user wait.

use chrono::Duration;
use loket::domain::password::PasswordHash;
use loket::domain::user::{Role, SignIn, User};
use loket::store::{NewUser, Store, StoreError};

use crate::common::desk::{PASSWORD, hash, now};

/// A fresh store with its first user, the coordinator Kees, made the way the app makes it.
fn with_coordinator() -> (tempfile::TempDir, Store, User) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("loket.db")).expect("open");
    let kees = store.create_first_user("Kees Bakker", hash(), now()).expect("first user");
    (dir, store, kees)
}

fn new(name: &str, role: Role) -> NewUser<'_> {
    NewUser {
        name,
        roles: match role {
            Role::Receptionist => &[Role::Receptionist],
            Role::Counsellor => &[Role::Counsellor],
            Role::Coordinator => &[Role::Coordinator],
        },
        hash: hash(),
        temporary: true,
    }
}

#[test]
fn the_first_user_is_a_coordinator_and_there_is_only_one_first() {
    let (_dir, mut store, kees) = with_coordinator();
    assert_eq!(kees.roles, [Role::Coordinator]);
    assert!(matches!(store.create_first_user("Ria Balie", hash(), now()), Err(StoreError::NotAllowed)));
    assert_eq!(store.users().expect("users").len(), 1);
}

#[test]
fn every_user_write_is_refused_for_a_receptionist_and_a_counsellor() {
    let (_dir, mut store, kees) = with_coordinator();
    let ria = store.add_user(&kees, new("Ria Balie", Role::Receptionist), now()).expect("receptionist");
    let sara = store.add_user(&kees, new("Sara de Boer", Role::Counsellor), now()).expect("counsellor");
    let other = PasswordHash::new("een ander wachtwoord").expect("hash");
    for actor in [&ria, &sara] {
        let added = store.add_user(actor, new("Jan Smit", Role::Coordinator), now());
        assert!(matches!(added, Err(StoreError::NotAllowed)), "{:?} adds: {added:?}", actor.roles);
        let roles = store.set_roles(actor, actor.id, &[Role::Coordinator]);
        assert!(matches!(roles, Err(StoreError::NotAllowed)), "{:?} gives roles: {roles:?}", actor.roles);
        let reset = store.reset_password(actor, kees.id, &other);
        assert!(matches!(reset, Err(StoreError::NotAllowed)), "{:?} resets: {reset:?}", actor.roles);
        let gone = store.deactivate_user(actor, kees.id);
        assert!(matches!(gone, Err(StoreError::NotAllowed)), "{:?} deactivates: {gone:?}", actor.roles);
    }
    // A forged coordinator (the struct says so, the database does not) is refused too.
    let forged = User { roles: vec![Role::Coordinator], ..ria.clone() };
    assert!(matches!(
        store.add_user(&forged, new("Jan Smit", Role::Counsellor), now()),
        Err(StoreError::NotAllowed)
    ));
    let names: Vec<String> = store.users().expect("users").into_iter().map(|u| u.name).collect();
    assert_eq!(names, ["Kees Bakker", "Ria Balie", "Sara de Boer"], "nothing was added");
    assert_eq!(store.sign_in(kees.id, PASSWORD, now()).expect("sign in"), SignIn::Welcome(kees));
}

#[test]
fn two_active_users_may_not_share_a_name_but_a_deactivated_one_may() {
    let (_dir, mut store, kees) = with_coordinator();
    let ria = store.add_user(&kees, new("Ria Balie", Role::Receptionist), now()).expect("ria");
    let again = store.add_user(&kees, new("ria  BALIE", Role::Counsellor), now());
    assert!(matches!(again, Err(StoreError::DuplicateUser)), "{again:?}");
    store.deactivate_user(&kees, ria.id).expect("deactivate");
    store.add_user(&kees, new("Ria Balie", Role::Counsellor), now()).expect("the name is free again");
    let all = store.all_users().expect("all");
    assert_eq!(all.iter().filter(|(u, _)| u.name == "Ria Balie").count(), 2, "never deleted: {all:?}");
}

#[test]
fn a_deactivated_user_cannot_sign_in_and_the_last_coordinator_stays() {
    let (_dir, mut store, kees) = with_coordinator();
    let ria = store.add_user(&kees, new("Ria Balie", Role::Receptionist), now()).expect("ria");
    store.deactivate_user(&kees, ria.id).expect("deactivate");
    assert_eq!(store.sign_in(ria.id, PASSWORD, now()).expect("sign in"), SignIn::Wrong);
    assert!(!store.users().expect("users").iter().any(|u| u.id == ria.id), "not on the list");
    // Kees cannot stop being (or being the last active) coordinator.
    assert!(matches!(store.deactivate_user(&kees, kees.id), Err(StoreError::LastCoordinator)));
    assert!(matches!(store.set_roles(&kees, kees.id, &[Role::Counsellor]), Err(StoreError::LastCoordinator)));
    // A person may hold more than one role.
    store.set_roles(&kees, kees.id, &[Role::Counsellor, Role::Coordinator]).expect("two roles");
    let counsellors: Vec<String> =
        store.counsellors().expect("counsellors").into_iter().map(|u| u.name).collect();
    assert_eq!(counsellors, ["Kees Bakker"]);
}

#[test]
fn a_first_or_reset_password_must_be_replaced_at_the_next_sign_in() {
    let (_dir, mut store, kees) = with_coordinator();
    let ria = store.add_user(&kees, new("Ria Balie", Role::Receptionist), now()).expect("ria");
    assert_eq!(store.sign_in(ria.id, PASSWORD, now()).expect("sign in"), SignIn::ChooseNew(ria.clone()));
    let mine = PasswordHash::new("balie met uitzicht").expect("hash");
    store.change_password(&ria, None, &mine).expect("a new password");
    assert_eq!(
        store.sign_in(ria.id, "balie met uitzicht", now()).expect("sign in"),
        SignIn::Welcome(ria.clone())
    );
    // Without a reset, changing needs the old password.
    let next = PasswordHash::new("nog een ander").expect("hash");
    assert!(matches!(store.change_password(&ria, None, &next), Err(StoreError::WrongPassword)));
    assert!(matches!(store.change_password(&ria, Some("fout"), &next), Err(StoreError::WrongPassword)));
    store.change_password(&ria, Some("balie met uitzicht"), &next).expect("with the old one");
    // A reset by the coordinator: the temporary one signs in, and asks for a new one.
    let temporary = PasswordHash::new("tijdelijk-123").expect("hash");
    store.reset_password(&kees, ria.id, &temporary).expect("reset");
    assert_eq!(store.sign_in(ria.id, "nog een ander", now()).expect("sign in"), SignIn::Wrong);
    assert_eq!(store.sign_in(ria.id, "tijdelijk-123", now()).expect("sign in"), SignIn::ChooseNew(ria));
}

#[test]
fn five_wrong_passwords_in_a_row_make_the_user_wait_thirty_seconds() {
    let (_dir, mut store, kees) = with_coordinator();
    let t = now();
    for n in 1..=4 {
        assert_eq!(store.sign_in(kees.id, "fout", t).expect("sign in"), SignIn::Wrong, "try {n}");
    }
    let until = t + Duration::seconds(30);
    assert_eq!(store.sign_in(kees.id, "fout", t).expect("sign in"), SignIn::Wait(until));
    // While waiting, not even the right password is checked.
    assert_eq!(
        store.sign_in(kees.id, PASSWORD, t + Duration::seconds(29)).expect("sign in"),
        SignIn::Wait(until)
    );
    // After the wait the right one works, and the count starts again.
    assert_eq!(store.sign_in(kees.id, PASSWORD, until).expect("sign in"), SignIn::Welcome(kees.clone()));
    assert_eq!(store.sign_in(kees.id, "fout", until).expect("sign in"), SignIn::Wrong);
}

#[test]
fn only_a_hash_is_stored() {
    let (dir, _store, kees) = with_coordinator();
    let conn = rusqlite::Connection::open(dir.path().join("loket.db")).expect("open");
    let stored: String = conn
        .query_row("SELECT password_hash FROM users WHERE id = ?1", [kees.id], |r| r.get(0))
        .expect("hash");
    assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
    assert!(!stored.contains(PASSWORD));
}

/// A file from before names were checked may hold two active users of one name: the coordinator
/// renames or deactivates one; neither a rename nor activating again makes a duplicate anew.
#[test]
fn a_duplicate_from_an_older_file_is_renamed_or_deactivated_and_never_made_again() {
    let (dir, store, kees) = with_coordinator();
    drop(store);
    let path = dir.path().join("loket.db");
    let raw = rusqlite::Connection::open(&path).expect("raw");
    raw.execute(
        "INSERT INTO users (name, role, created_at) VALUES ('Ria Balie', 'receptionist', '2026-01-01T00:00:00Z'), ('ría  balie', 'receptionist', '2026-01-01T00:00:00Z')",
        [],
    )
    .expect("duplicates");
    raw.execute(
        "INSERT INTO user_roles (user_id, role) SELECT id, 'receptionist' FROM users WHERE id > 1",
        [],
    )
    .expect("roles");
    drop(raw);
    let mut store = Store::open(&path).expect("open");
    let ids: Vec<i64> =
        store.users().expect("users").iter().filter(|u| u.id != kees.id).map(|u| u.id).collect();
    let [ria, twin] = ids[..] else { panic!("two duplicates: {ids:?}") };
    let renamed = store.rename_user(&kees, twin, "RIA BALIE");
    assert!(matches!(renamed, Err(StoreError::DuplicateUser)), "{renamed:?}");
    store.rename_user(&kees, twin, "Ria Balie-Smit").expect("another name");
    store.rename_user(&kees, twin, "Ria Balie-Smit").expect("keeping one's own name");
    store.deactivate_user(&kees, twin).expect("deactivate");
    store.rename_user(&kees, ria, "Ria Balie-Smit").expect("a deactivated user's name is free");
    store.rename_user(&kees, ria, "Ria Balie").expect("back");
    store.deactivate_user(&kees, ria).expect("deactivate the other");
    store.add_user(&kees, new("Ria Balie", Role::Receptionist), now()).expect("the name is free");
    assert!(matches!(store.reactivate_user(&kees, ria), Err(StoreError::DuplicateUser)), "taken again");
    store.reactivate_user(&kees, twin).expect("Ria Balie-Smit is free");
    let sara = store.add_user(&kees, new("Sara de Boer", Role::Counsellor), now()).expect("sara");
    assert!(matches!(store.reactivate_user(&sara, ria), Err(StoreError::NotAllowed)), "a coordinator only");
    assert!(matches!(store.rename_user(&sara, twin, "X"), Err(StoreError::NotAllowed)));
}
