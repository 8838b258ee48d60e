//! Upgrades never lose data: a database made by the previous version (a fixture per schema
//! version under `tests/fixtures/`, 6 to 16) opens, migrates to the newest schema, and keeps
//! everything. Fixtures 6 to 9 were made by the loket of their version; 10 to 16 are built from
//! schema 9 with the shipped migrations by `make_fixtures.rs` (`cargo test --test store
//! make_fixtures -- --ignored`).

use loket::domain::password::PasswordHash;
use loket::domain::user::{Role, SignIn};
use loket::store::{SCHEMA_VERSION, Store};

use crate::common::desk::now;

/// A copy of the fixture of `version` in a temporary folder (the fixture itself stays untouched).
fn copy_of(version: i64) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let from =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/schema-{version}.db"));
    let to = dir.path().join("loket.db");
    std::fs::copy(&from, &to).expect("copy the fixture");
    (dir, to)
}

fn count(path: &std::path::Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.query_row(sql, [], |r| r.get(0)).expect("count")
}

#[test]
fn a_schema_6_database_from_before_passwords_opens_and_keeps_everything() {
    let (_dir, path) = copy_of(6);
    let tables = ["couples", "partners", "walk_ins", "trajectories", "sessions", "file_events", "users"];
    let before: Vec<i64> =
        tables.iter().map(|t| count(&path, &format!("SELECT count(*) FROM {t}"))).collect();
    assert_eq!(count(&path, "PRAGMA user_version"), 6);

    let mut store = Store::open(&path).expect("open and migrate");
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
    let after: Vec<i64> = tables.iter().map(|t| count(&path, &format!("SELECT count(*) FROM {t}"))).collect();
    assert_eq!(after, before, "every row kept: {tables:?}");
    assert_eq!(before[0], 3, "the fixture's three couples");

    // Each user keeps the role they had, now as their one role.
    let users = store.users().expect("users");
    let roles: Vec<(&str, Vec<Role>)> = users.iter().map(|u| (u.name.as_str(), u.roles.clone())).collect();
    assert_eq!(
        roles,
        [
            ("Anouk Verbeek", vec![Role::Counsellor]),
            ("Henk Bos", vec![Role::Coordinator]),
            ("Ingrid Hoekstra", vec![Role::Receptionist]),
            ("Pieter Kok", vec![Role::Counsellor]),
            ("Sara de Boer", vec![Role::Counsellor]),
        ]
    );
    // From before passwords: each user chooses one at the first sign-in, then it holds.
    let henk = users.iter().find(|u| u.name == "Henk Bos").cloned().expect("Henk");
    assert_eq!(store.sign_in(henk.id, "", now()).expect("sign in"), SignIn::ChooseNew(henk.clone()));
    let chosen = PasswordHash::new("henk zijn eigen zin").expect("hash");
    store.change_password(&henk, None, &chosen).expect("the first password");
    assert_eq!(store.sign_in(henk.id, "", now()).expect("sign in"), SignIn::Wrong);
    assert_eq!(store.sign_in(henk.id, "henk zijn eigen zin", now()).expect("sign in"), SignIn::Welcome(henk));
}

#[test]
fn a_schema_7_database_with_passwords_opens_keeps_everything_and_starts_its_access_log() {
    let (_dir, path) = copy_of(7);
    let tables = ["couples", "partners", "walk_ins", "users", "user_roles", "file_access"];
    let before: Vec<i64> =
        tables.iter().map(|t| count(&path, &format!("SELECT count(*) FROM {t}"))).collect();
    assert_eq!(count(&path, "PRAGMA user_version"), 7);
    let mut store = Store::open(&path).expect("open and migrate");
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
    let after: Vec<i64> = tables.iter().map(|t| count(&path, &format!("SELECT count(*) FROM {t}"))).collect();
    assert_eq!(after, before, "every row kept: {tables:?}");
    // The demo's users kept their passwords; the log starts empty and chains from the first event.
    assert_eq!(count(&path, "SELECT count(*) FROM access_log"), 0);
    let henk = store.users().expect("users").into_iter().find(|u| u.name == "Henk Bos").expect("Henk");
    assert!(matches!(store.sign_in(henk.id, "loket-demo", now()).expect("sign in"), SignIn::Welcome(_)));
    assert_eq!(count(&path, "SELECT count(*) FROM access_log WHERE event = 'sign_in'"), 1);
    drop(store);
    let report = loket::store::check(&path, loket::store::Access::Plain).expect("check");
    assert!(report.is_ok(), "{report:?}");
}

#[test]
fn a_schema_8_database_keeps_its_access_log_whose_chain_still_holds_after_new_rows() {
    let (_dir, path) = copy_of(8);
    let tables = ["couples", "partners", "walk_ins", "users", "access_log", "file_events"];
    let before: Vec<i64> =
        tables.iter().map(|t| count(&path, &format!("SELECT count(*) FROM {t}"))).collect();
    assert_eq!(count(&path, "PRAGMA user_version"), 8);
    assert!(before[4] > 0, "the fixture's demo wrote log rows");
    let mut store = Store::open(&path).expect("open and migrate");
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
    let after: Vec<i64> = tables.iter().map(|t| count(&path, &format!("SELECT count(*) FROM {t}"))).collect();
    assert_eq!(after, before, "every row kept: {tables:?}");
    let henk = store.users().expect("users").into_iter().find(|u| u.name == "Henk Bos").expect("Henk");
    assert!(matches!(store.sign_in(henk.id, "loket-demo", now()).expect("sign in"), SignIn::Welcome(_)));
    drop(store);
    // The rows from schema 8 and the one written now form one unbroken chain.
    let report = loket::store::check(&path, loket::store::Access::Plain).expect("check");
    assert_eq!(report.log_broken_at, None);
    assert!(report.is_ok(), "{report:?}");
}

/// The tables schema 10 adds: settings, the erased files' numbers, the anonymous rows and the
/// report's views over live and anonymous rows.
fn assert_schema_10(path: &std::path::Path) {
    assert_eq!(count(path, "PRAGMA user_version"), SCHEMA_VERSION, "10 and on");
    for table in ["settings", "erased_files", "anon_couples", "anon_walk_ins", "anon_sessions", "anon_scores"]
    {
        assert_eq!(
            count(path, &format!("SELECT count(*) FROM sqlite_master WHERE name = '{table}'")),
            1,
            "{table}"
        );
    }
    assert_eq!(
        count(path, "SELECT count(*) FROM sqlite_master WHERE type = 'view' AND name LIKE 'report_%'"),
        8
    );
    assert_eq!(count(path, "SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'retention_years'"), 5);
    // The live rows are the report's: nothing erased yet.
    assert_eq!(
        count(path, "SELECT count(*) FROM report_walk_ins"),
        count(path, "SELECT count(*) FROM walk_ins")
    );
}

#[test]
fn a_schema_8_database_migrates_through_9_to_10_with_settings_and_the_anonymous_tables() {
    let (_dir, path) = copy_of(8);
    let store = Store::open(&path).expect("open and migrate");
    assert_eq!(store.retention_years().expect("retention"), 5);
    drop(store);
    // Schema 9's columns are there too, and the old log rows still chain.
    assert_eq!(
        count(&path, "SELECT count(*) FROM pragma_table_info('access_log') WHERE name = 'on_behalf'"),
        1
    );
    assert_schema_10(&path);
    let report = loket::store::check(&path, loket::store::Access::Plain).expect("check");
    assert!(report.is_ok(), "{report:?}");
}

#[test]
fn a_schema_9_database_migrates_to_10_keeps_everything_and_its_files_can_be_erased() {
    let (_dir, path) = copy_of(9);
    let tables =
        ["couples", "partners", "walk_ins", "trajectories", "sessions", "users", "access_log", "file_events"];
    let before: Vec<i64> =
        tables.iter().map(|t| count(&path, &format!("SELECT count(*) FROM {t}"))).collect();
    assert_eq!(count(&path, "PRAGMA user_version"), 9);
    assert_eq!(before[0], 3, "the fixture's three couples");
    let mut store = Store::open(&path).expect("open and migrate");
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);
    let after: Vec<i64> = tables.iter().map(|t| count(&path, &format!("SELECT count(*) FROM {t}"))).collect();
    assert_eq!(after, before, "every row kept: {tables:?}");
    assert_schema_10(&path);
    // The demo's coordinator closes a file and erases it; the log's chain from schema 9 holds.
    let henk = store.users().expect("users").into_iter().find(|u| u.name == "Henk Bos").expect("Henk");
    let file = store.read_file(3, &henk).expect("file 3");
    let on = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("date");
    let closing = Some((loket::domain::file::CloseOutcome::Unknown, on));
    let closed = loket::domain::file::FileStatus::Closed;
    store.set_file_status(3, file.version, closed, closing, &henk, now()).expect("close");
    store.erase_file(3, loket::store::Erasure::ByHand, &henk, now()).expect("erase");
    drop(store);
    assert_eq!(count(&path, "SELECT count(*) FROM couples"), 2);
    assert_eq!(count(&path, "SELECT count(*) FROM anon_couples"), 1);
    let report = loket::store::check(&path, loket::store::Access::Plain).expect("check");
    assert!(report.is_ok() && report.log_broken_at.is_none(), "{report:?}");
}

/// The newest fixture made by an older loket itself, from before consent became a history.
const BEFORE_CONSENT_HISTORY: i64 = 9;

#[test]
fn consents_from_before_the_history_become_history_rows_and_nothing_is_lost() {
    use loket::domain::referral::{Blocked, ConsentAction, Scope};
    let (_dir, path) = copy_of(BEFORE_CONSENT_HISTORY);
    {
        // As the older loket left them: one row per partner, a withdrawal overwriting who recorded
        // it. Couple 3 becomes a one-person file first.
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute_batch(
            "DELETE FROM partners WHERE couple_id = 3 AND position = 2;
             INSERT INTO referrals (id, couple_id, party, shared, created_at, created_by)
                 VALUES (1, 1, 'therapy', 'request', '2026-11-30T09:00:00Z', 3),
                        (2, 3, 'sko', 'names', '2026-11-30T09:00:00Z', 3);
             INSERT INTO referral_consents (referral_id, position, given_on, withdrawn_on, recorded_by)
                 VALUES (1, 1, '2026-12-01', NULL, 2),
                        (1, 2, '2026-12-01', '2026-12-05', 4),
                        (2, 1, '2026-12-02', NULL, 3);",
        )
        .expect("the old rows");
    }
    let store = Store::open(&path).expect("open and migrate");
    assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION);

    let counsellor = loket::domain::user::User { id: 2, name: "Sara".into(), roles: vec![Role::Counsellor] };
    let couple = store.referral(1, &counsellor).expect("the couple's referral");
    assert_eq!(couple.scope, Scope::Couple);
    let rows: Vec<_> = couple
        .history
        .iter()
        .map(|e| (e.position, e.action, e.on.to_string(), e.recorded_by.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            (1, ConsentAction::Give, "2026-12-01".to_owned(), "Ingrid Hoekstra"),
            (2, ConsentAction::Give, "2026-12-01".to_owned(), ""),
            (2, ConsentAction::Withdraw, "2026-12-05".to_owned(), "Pieter Kok"),
        ],
        "a consent given: a give row; one withdrawn: a give and a withdraw row"
    );
    assert!(couple.history.iter().all(|e| e.recorded_at.is_none()), "when was not recorded before");
    assert!(couple.consents[0].1.holds() && !couple.consents[1].1.holds());
    assert_eq!(couple.may_send(), Err(Blocked::Withdrawn(vec![2])), "the withdrawal still holds");

    let alone = store.referral(2, &counsellor).expect("the one-person file's referral");
    assert_eq!(alone.scope, Scope::Partner1, "a one-person file's referral is for its partner");
    assert_eq!(alone.consents.len(), 1);
    assert_eq!(alone.may_send(), Ok(()));
    drop(store);
    assert_eq!(count(&path, "SELECT count(*) FROM sqlite_master WHERE name = 'referral_consents'"), 0);
    let report = loket::store::check(&path, loket::store::Access::Plain).expect("check");
    assert!(report.is_ok(), "{report:?}");
}

/// Migration 0014 builds the search index for the names already on file: every fixture's partners
/// are found by a word inside a surname, by several words and by their file number without its
/// year, as if they had been registered today; the index keeps in step with later changes.
#[test]
fn the_names_of_an_older_file_are_searched_from_the_new_index() {
    for version in 6..=*BUILT_FIXTURES.end() {
        let (_dir, path) = copy_of(version);
        let partners = count(&path, "SELECT count(*) FROM partners");
        let store = Store::open(&path).expect("open and migrate");
        assert_eq!(
            count(&path, "SELECT count(*) FROM partner_words"),
            partners,
            "schema {version}: a row a partner"
        );
        let found =
            |q: &str| -> Vec<i64> { store.find_couples(q, 8).expect("find").iter().map(|c| c.id).collect() };
        assert_eq!(found("amrani"), [1, 2], "schema {version}: the second word of El Amrani");
        let lotte = store.search_couples("lotte amr", 8).expect("search");
        assert_eq!((lotte.couples.len(), lotte.total), (1, 1), "schema {version}");
        assert_eq!(found("bram ter"), [1], "schema {version}: given name and prefix of one partner");
        assert_eq!(found("ter"), Vec::<i64>::new(), "schema {version}: a prefix alone is not a name");
        assert_eq!(found("van den berg"), [3], "schema {version}");
        assert_eq!(found("yilmaz"), [3], "schema {version}: folded as before");
        assert_eq!(found("2"), [2], "schema {version}: a file number without its year");
        drop(store);
        // The triggers keep the index in step with what the older loket's rows become.
        let conn = rusqlite::Connection::open(&path).expect("open");
        conn.execute("UPDATE partners SET surname = 'Amrani', sort_key = 'amrani lotte ' WHERE couple_id = 2 AND position = 2", [])
            .expect("rename");
        conn.execute("DELETE FROM partners WHERE couple_id = 1 AND position = 2", []).expect("remove");
        drop(conn);
        let store = Store::open(&path).expect("open again");
        assert_eq!(
            store.find_couples("amrani", 8).expect("find").iter().map(|c| c.id).collect::<Vec<_>>(),
            [2]
        );
        assert_eq!(
            store.find_couples("el", 8).expect("find"),
            Vec::new(),
            "schema {version}: no El Amrani left"
        );
        assert_eq!(count(&path, "SELECT count(*) FROM partner_words"), partners - 1);
    }
}

/// The fixtures built by `make_fixtures.rs`, each at its own schema version.
const BUILT_FIXTURES: std::ops::RangeInclusive<i64> = 10..=16;

/// Every row of every table of a file (the index's own tables aside), as text, by table and in
/// rowid order: only the columns the fixture had (`columns`), or all of them.
type Rows = std::collections::BTreeMap<String, (Vec<String>, Vec<String>)>;

fn rows_of(conn: &rusqlite::Connection, columns: Option<&Rows>) -> Rows {
    let tables: Vec<String> = {
        let mut stmt = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                 AND name NOT LIKE 'partner_words%' ORDER BY name",
            )
            .expect("tables");
        stmt.query_map([], |r| r.get(0)).expect("tables").collect::<rusqlite::Result<_>>().expect("tables")
    };
    let mut rows = Rows::new();
    for table in tables {
        let names: Vec<String> = match columns.and_then(|c| c.get(&table)) {
            Some((names, _)) => names.clone(),
            None => {
                let mut stmt = conn
                    .prepare(&format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"))
                    .expect("columns");
                stmt.query_map([], |r| r.get(0))
                    .expect("columns")
                    .collect::<rusqlite::Result<_>>()
                    .expect("columns")
            }
        };
        let quoted: Vec<String> = names.iter().map(|n| format!("quote(\"{n}\")")).collect();
        let sql = format!("SELECT {} FROM \"{table}\" ORDER BY rowid", quoted.join(" || '|' || "));
        let mut stmt = conn.prepare(&sql).expect("rows");
        let values: Vec<String> =
            stmt.query_map([], |r| r.get(0)).expect("rows").collect::<rusqlite::Result<_>>().expect("rows");
        rows.insert(table, (names, values));
    }
    rows
}

fn user(store: &Store, name: &str) -> loket::domain::user::User {
    store.users().expect("users").into_iter().find(|u| u.name == name).expect("the user")
}

/// Each fixture from 10 to 16 opens, migrates to the newest schema and keeps every row of every
/// table it had, value for value: a migration that drops, empties or rewrites a table, or loses a
/// column's values, fails here (tried by adding `UPDATE partners SET private_note = '';` to the
/// newest migration: "schema 13: every row of partners ... kept as it was" fails). The only
/// changes are the ones the migrations are for, checked one by one: the old safety flag became a
/// concern (0011),
/// consents became history (0012), cancellations got their time (0015). The file is sound after
/// (integrity, foreign keys, the log's chain), and each version's own rows read through the store.
#[test]
fn every_fixture_from_10_to_16_migrates_and_keeps_every_row_and_its_own_rows_read_back() {
    use loket::domain::referral::{Blocked, ConsentAction, Scope};
    for version in BUILT_FIXTURES {
        let (_dir, path) = copy_of(version);
        assert_eq!(count(&path, "PRAGMA user_version"), version);
        let before = rows_of(&rusqlite::Connection::open(&path).expect("open"), None);
        assert!(before["couples"].1.len() >= 5 && before["access_log"].1.len() > 10, "schema {version}");

        let mut store = Store::open(&path).expect("open and migrate");
        assert_eq!(store.schema_version().expect("version"), SCHEMA_VERSION, "schema {version}");
        let after = rows_of(&rusqlite::Connection::open(&path).expect("open"), Some(&before));
        for (table, (names, old)) in &before {
            // What the migrations since are for; each is checked below.
            let changed_on_purpose =
                (version < 11 && table == "couples") || (version < 12 && table == "referral_consents");
            if changed_on_purpose {
                continue;
            }
            let new = after.get(table).map(|(_, rows)| rows);
            assert_eq!(new, Some(old), "schema {version}: every row of {table} ({names:?}) kept as it was");
        }
        if version < 11 {
            // The flag's columns are emptied, everything else of a couple stays.
            let without_flag = |rows: &Rows| -> Vec<String> {
                let conn_rows = &rows["couples"];
                let cut = conn_rows.0.iter().position(|n| n == "safety_concern").expect("the flag's column");
                conn_rows.1.iter().map(|r| r.split('|').take(cut).collect::<Vec<_>>().join("|")).collect()
            };
            assert_eq!(without_flag(&after), without_flag(&before), "schema {version}: couples kept");
            assert_eq!(count(&path, "SELECT count(*) FROM couples WHERE safety_concern = 1"), 0);
        }
        if version < 12 {
            assert_eq!(before["referral_consents"].1.len(), 3, "schema {version}");
            assert!(!after.contains_key("referral_consents"));
        }
        if version < 15 {
            assert_eq!(
                count(
                    &path,
                    "SELECT count(*) FROM sessions WHERE id = 2 AND cancelled_at = '2026-12-10T08:00:00Z'"
                ),
                1,
                "schema {version}: a cancellation takes its time from the log"
            );
        }
        let report = loket::store::check(&path, loket::store::Access::Plain).expect("check");
        assert!(report.is_ok(), "schema {version}: {report:?}");

        // Schema 10 and on: couples, conversations, scores, referrals, the setting, the erased file.
        let anouk = user(&store, "Anouk Verbeek");
        let henk = user(&store, "Henk Bos");
        assert_eq!(store.retention_years().expect("retention"), 7, "schema {version}: the changed setting");
        let file = store.read_file(4, &anouk).expect("file 4");
        let names: Vec<String> = file.partners.iter().map(|p| p.name.full()).collect();
        assert_eq!(names, ["Fatima Ouali", "Kees de Wit"], "schema {version}");
        assert_eq!(file.life_events.len(), 1, "schema {version}");
        let concern = file.open_concern().expect("the flag became an open concern");
        assert_eq!(
            concern.opened_at.to_rfc3339(),
            "2026-12-03T10:00:00+00:00",
            "schema {version}: when it was set"
        );
        let trajectory = store.trajectory_of(4, &anouk).expect("trajectory").expect("running");
        let statuses: Vec<&str> = trajectory.sessions.iter().map(|s| s.status.code()).collect();
        let expected: &[&str] = match version {
            10..=14 => &["held", "cancelled", "planned"],
            15 => &["held", "cancelled", "planned", "cancelled"],
            _ => &["held", "cancelled", "planned", "cancelled", "planned"],
        };
        assert_eq!(statuses, expected, "schema {version}");
        let scores: Vec<_> = store
            .score_changes(4, &anouk)
            .expect("scores")
            .iter()
            .map(|c| (c.position, c.first, c.times))
            .collect();
        assert_eq!(scores, [(1, [4, 3, 6], 1), (2, [5, 4, 7], 1)], "schema {version}: the scores read back");
        assert_eq!(count(&path, "SELECT count(*) FROM scores WHERE session_id = 1"), 2);
        let alone = store.referral(1, &henk).expect("referral 1");
        assert_eq!(alone.scope, Scope::Partner1, "schema {version}: a one-person file's referral");
        let therapy = store.referral(2, &anouk).expect("referral 2");
        assert_eq!(therapy.scope, Scope::Couple);
        assert_eq!(
            therapy.may_send(),
            Err(Blocked::Withdrawn(vec![2])),
            "schema {version}: the withdrawal holds"
        );
        assert_eq!(count(&path, "SELECT count(*) FROM erased_files WHERE file_seq = 6"), 1);
        assert_eq!(
            count(&path, "SELECT count(*) FROM report_couples WHERE id < 0"),
            1,
            "the erased file's figures"
        );
        assert_eq!(
            store.find_couples("ouali", 8).expect("find").iter().map(|c| c.id).collect::<Vec<_>>(),
            [4]
        );

        if version >= 11 {
            let file = store.read_file(4, &anouk).expect("file 4");
            assert_eq!(file.open_concern().expect("open").done(), [1, 2, 4], "schema {version}");
            let closed = store.read_file(7, &user(&store, "Sara de Boer")).expect("file 7");
            assert_eq!(closed.concerns.len(), 1);
            assert!(!closed.concerns[0].is_open() && closed.concerns[0].done() == [1, 2, 3, 4, 5]);
        }
        if version >= 12 {
            let one = store.referral(3, &henk).expect("referral 3");
            assert_eq!(one.scope, Scope::Partner2, "schema {version}");
            let actions: Vec<_> = one.history.iter().map(|e| (e.action, e.recorded_at.is_some())).collect();
            assert_eq!(
                actions,
                [(ConsentAction::Give, true), (ConsentAction::Withdraw, true), (ConsentAction::Give, true)]
            );
            assert_eq!(one.may_send(), Ok(()));
            assert_eq!(
                store.referral(1, &henk).expect("referral 1").may_send(),
                Err(Blocked::Withdrawn(vec![1]))
            );
        }
        if version >= 13 {
            let notes = store.read_file(4, &anouk).expect("file 4").private_notes;
            assert_eq!(notes.len(), 1, "schema {version}");
            assert_eq!(
                (notes[0].position, notes[0].text.as_str()),
                (1, "Vertelde alleen: overweegt te scheiden.")
            );
        }
        if version == 14 {
            // Undoing the walk-in's outcome gives the file the status it had before it.
            assert!(store.undo_walk_in_change(7, 3, now(), Some(3)).expect("undo"));
            assert_eq!(store.read_file(8, &henk).expect("file 8").status.code(), "new");
        }
        if version >= 15 {
            assert_eq!(store.trajectory_of(8, &henk).expect("trajectory"), None, "schema {version}: undone");
            assert_eq!(count(&path, "SELECT count(*) FROM report_trajectories WHERE couple_id = 8"), 0);
            assert_eq!(
                count(
                    &path,
                    "SELECT count(*) FROM sessions WHERE id = 4 AND cancelled_at = '2026-12-11T13:00:00Z'"
                ),
                1
            );
        }
        if version >= 16 {
            assert_eq!(
                store.find_couples("dekker", 8).expect("find").iter().map(|c| c.id).collect::<Vec<_>>(),
                [9]
            );
            assert_eq!(
                count(&path, "SELECT count(*) FROM partner_words"),
                count(&path, "SELECT count(*) FROM partners")
            );
        }
        // The file opens as the app opens it, and the log's chain holds after the new rows.
        store.open_file(4, &anouk, now()).expect("open file 4");
        drop(store);
        let report = loket::store::check(&path, loket::store::Access::Plain).expect("check");
        assert!(report.is_ok(), "schema {version}: {report:?}");
    }
}
