//! Tests of the key and its slots.
use super::*;
use std::fs;

const ID: [u8; ID_LEN] = *b"0123456789abcdef";

fn same(a: &DbKey, b: &DbKey) -> bool {
    a.0[..] == b.0[..]
}

fn edit_json(file: &SlotFile, edit: impl FnOnce(&mut serde_json::Value)) -> SlotFile {
    let mut value: serde_json::Value = serde_json::from_str(&file.to_json()).unwrap();
    edit(&mut value);
    SlotFile::from_json(value.to_string().as_bytes()).unwrap()
}

#[test]
fn random_keys_differ() {
    let a = DbKey::random().unwrap();
    let b = DbKey::random().unwrap();
    assert!(!same(&a, &b));
    assert_ne!(*a.sqlcipher_pragma(), *b.sqlcipher_pragma());
}

#[test]
fn pragma_is_a_raw_hex_key() {
    let key = DbKey(Zeroizing::new([0xab; KEY_LEN]));
    let pragma = key.sqlcipher_pragma();
    assert_eq!(pragma.len(), 67);
    assert_eq!(*pragma, format!("x'{}'", "ab".repeat(32)));
    let pragma = DbKey::random().unwrap().sqlcipher_pragma();
    assert!(pragma.starts_with("x'") && pragma.ends_with('\''));
    assert!(pragma[2..66].bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
}

#[test]
fn recovery_text_round_trips_in_groups_of_four() {
    for _ in 0..20 {
        let key = DbKey::random().unwrap();
        let text = key.recovery_text();
        assert_eq!(text.len(), 64);
        let groups: Vec<&str> = text.split('-').collect();
        assert_eq!(groups.len(), 13);
        assert!(groups.iter().all(|g| g.len() == 4));
        assert!(text.bytes().all(|b| b == b'-' || BASE32.contains(&b)));
        assert!(same(&DbKey::from_recovery_text(&text).unwrap(), &key));
    }
    // Known value: all zero bits, and all one bits (the last character carries one bit).
    let zero = DbKey(Zeroizing::new([0; KEY_LEN]));
    assert_eq!(*zero.recovery_text(), ["AAAA"; 13].join("-"));
    let ones = DbKey(Zeroizing::new([0xff; KEY_LEN]));
    assert_eq!(*ones.recovery_text(), format!("{}-777Q", ["7777"; 12].join("-")));
}

#[test]
fn recovery_text_ignores_case_spaces_and_dashes() {
    let key = DbKey::random().unwrap();
    let text = key.recovery_text();
    let lower = text.to_lowercase();
    assert!(same(&DbKey::from_recovery_text(&lower).unwrap(), &key));
    let spaced = format!("  {}\n", text.replace('-', " "));
    assert!(same(&DbKey::from_recovery_text(&spaced).unwrap(), &key));
    let bare = text.replace('-', "");
    assert!(same(&DbKey::from_recovery_text(&bare).unwrap(), &key));
}

#[test]
fn recovery_text_rejects_wrong_characters_and_lengths() {
    let text = DbKey::random().unwrap().recovery_text();
    let bare = text.replace('-', "");
    for bad in ['0', '1', '8', '9', '!', 'é', '='] {
        let wrong = format!("{bad}{}", &bare[1..]);
        assert_eq!(DbKey::from_recovery_text(&wrong).unwrap_err(), KeyError::NotARecoveryKey);
    }
    assert_eq!(DbKey::from_recovery_text(&bare[1..]).unwrap_err(), KeyError::NotARecoveryKey);
    assert_eq!(DbKey::from_recovery_text(&format!("{bare}A")).unwrap_err(), KeyError::NotARecoveryKey);
    assert_eq!(DbKey::from_recovery_text("").unwrap_err(), KeyError::NotARecoveryKey);
    // The last character carries one bit: the four padding bits must be zero.
    let padded = format!("{}B", &bare[..51]);
    assert_eq!(DbKey::from_recovery_text(&padded).unwrap_err(), KeyError::NotARecoveryKey);
}

#[test]
fn add_then_unwrap_round_trips() {
    let key = DbKey::random().unwrap();
    let mut file = SlotFile::new(ID);
    file.add(1, "Kees Bakker", "correct horse battery", &key).unwrap();
    file.add(7, "Fatima el Amrani", "een ander wachtwoord", &key).unwrap();
    assert_eq!(
        file.users(),
        [
            SlotInfo { user: 1, name: "Kees Bakker".into() },
            SlotInfo { user: 7, name: "Fatima el Amrani".into() }
        ]
    );
    assert!(file.has_slot(7) && !file.has_slot(2));
    assert!(same(&file.unwrap(1, "correct horse battery").unwrap(), &key));
    assert!(same(&file.unwrap(7, "een ander wachtwoord").unwrap(), &key));
    assert_eq!(file.unwrap(2, "correct horse battery").unwrap_err(), KeyError::NoSlot);
    assert_eq!(file.database_id(), ID);
}

#[test]
fn a_wrong_password_is_refused() {
    let key = DbKey::random().unwrap();
    let mut file = SlotFile::new(ID);
    file.add(1, "Kees Bakker", "correct horse battery", &key).unwrap();
    assert_eq!(file.unwrap(1, "correct horse batterY").unwrap_err(), KeyError::WrongPassword);
    assert_eq!(file.unwrap(1, "").unwrap_err(), KeyError::WrongPassword);
}

#[test]
fn a_slot_moved_to_another_user_does_not_open() {
    let key = DbKey::random().unwrap();
    let mut file = SlotFile::new(ID);
    file.add(1, "Kees Bakker", "correct horse battery", &key).unwrap();
    let moved = edit_json(&file, |v| v["slots"][0]["user"] = 2.into());
    assert_eq!(moved.users()[0].user, 2);
    assert_eq!(moved.unwrap(2, "correct horse battery").unwrap_err(), KeyError::WrongPassword);
}

#[test]
fn a_slot_file_of_another_database_does_not_open() {
    let key = DbKey::random().unwrap();
    let mut file = SlotFile::new(ID);
    file.add(1, "Kees Bakker", "correct horse battery", &key).unwrap();
    file.add(2, "Anna de Vries", "nog een wachtwoord", &key).unwrap();
    let other = edit_json(&file, |v| v["database"] = hex(b"fedcba9876543210").into());
    assert_eq!(other.database_id(), *b"fedcba9876543210");
    assert_eq!(other.unwrap(1, "correct horse battery").unwrap_err(), KeyError::WrongPassword);
    assert_eq!(other.unwrap(2, "nog een wachtwoord").unwrap_err(), KeyError::WrongPassword);
    // A changed wrapped key does not open either.
    let flipped = edit_json(&file, |v| {
        let wrapped = v["slots"][0]["wrapped"].as_str().unwrap();
        let first = if wrapped.starts_with('0') { "1" } else { "0" };
        v["slots"][0]["wrapped"] = format!("{first}{}", &wrapped[1..]).into();
    });
    assert_eq!(flipped.unwrap(1, "correct horse battery").unwrap_err(), KeyError::WrongPassword);
}

#[test]
fn rewrap_with_a_new_password() {
    let key = DbKey::random().unwrap();
    let mut file = SlotFile::new(ID);
    file.add(1, "Kees Bakker", "correct horse battery", &key).unwrap();
    file.add(2, "Anna de Vries", "nog een wachtwoord", &key).unwrap();
    let before = file.clone();
    file.add(1, "Kees Bakker", "a brand new password", &key).unwrap();
    assert_eq!(file.users(), before.users(), "replaced in place, not appended");
    assert_eq!(file.unwrap(1, "correct horse battery").unwrap_err(), KeyError::WrongPassword);
    assert!(same(&file.unwrap(1, "a brand new password").unwrap(), &key));
    assert!(same(&file.unwrap(2, "nog een wachtwoord").unwrap(), &key));
    // A fresh salt and nonce for every wrap, even of the same password.
    let mut again = file.clone();
    again.add(2, "Anna de Vries", "nog een wachtwoord", &key).unwrap();
    assert!(again.slots[1].salt != file.slots[1].salt && again.slots[1].nonce != file.slots[1].nonce);
}

#[test]
fn remove_drops_the_slot() {
    let key = DbKey::random().unwrap();
    let mut file = SlotFile::new(ID);
    file.add(1, "Kees Bakker", "correct horse battery", &key).unwrap();
    file.add(2, "Anna de Vries", "nog een wachtwoord", &key).unwrap();
    file.remove(1);
    file.remove(99);
    assert_eq!(file.users(), [SlotInfo { user: 2, name: "Anna de Vries".into() }]);
    assert_eq!(file.unwrap(1, "correct horse battery").unwrap_err(), KeyError::NoSlot);
    assert!(same(&file.unwrap(2, "nog een wachtwoord").unwrap(), &key));
}

#[test]
fn save_then_load_round_trips_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("loket.db");
    let path = slots_path(&db);
    assert_eq!(path, dir.path().join("loket.db.keys"));
    let key = DbKey::random().unwrap();
    let mut file = SlotFile::new(ID);
    file.add(1, "Kees Bakker", "correct horse battery", &key).unwrap();
    file.add(2, "Anna de Vries", "nog een wachtwoord", &key).unwrap();
    file.save(&path).unwrap();
    let loaded = SlotFile::load(&path).unwrap();
    assert_eq!(loaded, file);
    assert!(same(&loaded.unwrap(2, "nog een wachtwoord").unwrap(), &key));

    let text = fs::read_to_string(&path).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["format"], FORMAT);
    assert_eq!(value["database"], hex(&ID));
    assert_eq!(value["slots"][0]["user"], 1);
    assert_eq!(value["slots"][0]["name"], "Kees Bakker");
    assert_eq!(value["slots"][0]["salt"].as_str().unwrap().len(), 32);
    assert_eq!(value["slots"][0]["nonce"].as_str().unwrap().len(), 48);
    assert_eq!(value["slots"][0]["wrapped"].as_str().unwrap().len(), 96);
    // Neither the key nor a password is in the file.
    let pragma = key.sqlcipher_pragma();
    assert!(!text.contains(&pragma[2..66]));
    assert!(!text.contains("correct horse"));

    // Saving again replaces the file and leaves no temporary file behind.
    let mut fewer = loaded.clone();
    fewer.remove(1);
    fewer.save(&path).unwrap();
    assert_eq!(SlotFile::load(&path).unwrap(), fewer);
    let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["loket.db.keys"]);

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        // A file that was readable by others before is owner-only after a save.
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        fewer.save(&path).unwrap();
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
}

#[cfg(unix)]
#[test]
fn save_refuses_a_symlink_and_other_non_files() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("elsewhere.txt");
    fs::write(&target, "not yours\n").unwrap();
    let path = dir.path().join("loket.db.keys");
    std::os::unix::fs::symlink(&target, &path).unwrap();
    let key = DbKey::random().unwrap();
    let mut file = SlotFile::new(ID);
    file.add(1, "Kees Bakker", "correct horse battery", &key).unwrap();
    assert_eq!(file.save(&path).unwrap_err(), KeyError::NotOurs);
    assert_eq!(fs::read_to_string(&target).unwrap(), "not yours\n");
    assert!(fs::symlink_metadata(&path).unwrap().file_type().is_symlink());
    assert_eq!(SlotFile::load(&path).unwrap_err(), KeyError::NotOurs);

    let subdir = dir.path().join("a directory.keys");
    fs::create_dir(&subdir).unwrap();
    assert_eq!(file.save(&subdir).unwrap_err(), KeyError::NotOurs);
    assert_eq!(SlotFile::load(&subdir).unwrap_err(), KeyError::NotOurs);
    let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 3, "no temporary file left: {names:?}");
}

#[test]
fn load_of_missing_and_garbage() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("loket.db.keys");
    assert_eq!(SlotFile::load(&path).unwrap_err(), KeyError::Missing);
    let key = DbKey::random().unwrap();
    let mut file = SlotFile::new(ID);
    file.add(1, "Kees Bakker", "correct horse battery", &key).unwrap();
    let good = file.to_json();
    let garbage: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"SQLite format 3\0 and more".to_vec(),
        vec![0xff, 0xfe, 0x00, 0x80],
        good.as_bytes()[..good.len() / 2].to_vec(),
        good.replace(FORMAT, "loket-keys-2").into_bytes(),
        good.replace(&hex(&ID), "0123").into_bytes(),
        good.replace(&hex(&ID), &"zz".repeat(16)).into_bytes(),
        br#"{"format":"loket-keys-1","database":"00000000000000000000000000000000"}"#.to_vec(),
        br#"{"format":"loket-keys-1","database":"00000000000000000000000000000000","slots":[{"user":1}]}"#
            .to_vec(),
        format!(
            r#"{{"format":"loket-keys-1","database":"{}","slots":[{slot},{slot}]}}"#,
            hex(&ID),
            slot = serde_json::from_str::<serde_json::Value>(&good).unwrap()["slots"][0]
        )
        .into_bytes(),
        vec![b' '; (MAX_SLOT_FILE + 1) as usize],
    ];
    for (i, bytes) in garbage.iter().enumerate() {
        fs::write(&path, bytes).unwrap();
        assert_eq!(SlotFile::load(&path).unwrap_err(), KeyError::Damaged, "garbage {i}");
    }
    fs::write(&path, &good).unwrap();
    assert_eq!(SlotFile::load(&path).unwrap(), file);
}

#[test]
fn database_id_is_the_first_sixteen_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("loket.db");
    assert_eq!(database_id_of(&db).unwrap_err(), KeyError::Io(ErrorKind::NotFound));
    fs::write(&db, b"short").unwrap();
    assert_eq!(database_id_of(&db).unwrap_err(), KeyError::Io(ErrorKind::UnexpectedEof));
    fs::write(&db, b"0123456789abcdefand the rest of the pages").unwrap();
    assert_eq!(database_id_of(&db).unwrap(), ID);
}

#[test]
fn no_secret_in_debug_or_errors() {
    let key = DbKey::random().unwrap();
    let debug = format!("{key:?}");
    assert_eq!(debug, "DbKey(…)");
    let pragma = key.sqlcipher_pragma();
    let recovery = key.recovery_text();
    assert!(!debug.contains(&pragma[2..66]) && !debug.contains(&recovery[..4]));
    let mut file = SlotFile::new(ID);
    file.add(1, "Kees Bakker", "correct horse battery", &key).unwrap();
    let debug = format!("{file:?}");
    assert!(!debug.contains(&pragma[2..66]) && !debug.contains(&hex(&file.slots[0].wrapped)));
    let error = file.unwrap(1, "correct horse batterY").unwrap_err();
    assert!(!format!("{error} {error:?}").contains("correct horse"));
}

#[test]
fn a_salted_pragma_is_the_key_and_the_salt_in_one_raw_key_text() {
    let key = DbKey::random().expect("key");
    let pragma = key.sqlcipher_pragma();
    let salted = salted_pragma(&pragma, &ID);
    assert_eq!(salted.len(), 2 + 64 + 32 + 1);
    assert!(salted.starts_with(&pragma[..66]) && salted.ends_with("30313233343536373839616263646566'"));
}
