//! Builds the upgrade fixtures `tests/fixtures/schema-10.db` .. `schema-16.db`, reproducibly:
//!
//! ```text
//! cargo test --test store make_fixtures -- --ignored
//! ```
//!
//! It starts from `schema-9.db` (a real file made by the loket of schema 9), and for each version
//! applies the shipped migration file (`src/store/migrations/00NN_*.sql`) as it is, sets
//! `user_version`, and inserts rows as the loket of that version wrote them, among them rows that
//! use what that version added; then writes the file with `VACUUM INTO`. Each fixture holds the
//! rows of the ones before it, so a later fixture has older rows that went through real
//! migrations (a safety flag become a concern at 11, consents become history at 12, a cancellation
//! with its time from the log at 15). Access-log rows continue the chain of schema 9 with
//! `chain_hash`, so `loket check` passes. Everything is fixed (times, the workstation), and the
//! page size is 512 bytes, which keeps each file small; the same SQLite gives the same bytes.
//! Not run by `cargo test`: the fixtures are committed, and `upgrade.rs` tests them.

use std::path::{Path, PathBuf};

use loket::domain::access::{GENESIS, LogEntry, chain_hash};
use loket::domain::names::{PersonName, fold};
use rusqlite::{Connection, OptionalExtension, params};

/// The oldest version built here, and the newest (the one before the current schema, whose
/// upgrade to it is the one a desk will make next).
const FIRST: i64 = 10;
const LAST: i64 = 16;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped migration files, in order: the first is version 1.
fn migration_files() -> Vec<PathBuf> {
    let dir = manifest().join("src/store/migrations");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the migrations folder")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    files
}

/// Appends one chained access-log row, as `store::access_log::append` does.
struct Log<'a> {
    conn: &'a Connection,
}

impl Log<'_> {
    #[allow(clippy::too_many_arguments)]
    fn row(
        &self,
        at: &str,
        event: &str,
        user: Option<i64>,
        couple: Option<i64>,
        detail: &str,
        partner: Option<i64>,
        on_behalf: &str,
    ) {
        let c = self.conn;
        let (user_name, user_roles) = match user {
            Some(id) => c
                .query_row(
                    "SELECT u.name, (SELECT group_concat(role, '+') FROM (SELECT role FROM user_roles
                        WHERE user_id = u.id ORDER BY CASE role WHEN 'receptionist' THEN 1
                        WHEN 'counsellor' THEN 2 ELSE 3 END)) FROM users u WHERE u.id = ?1",
                    [id],
                    |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
                )
                .expect("the user"),
            None => (String::new(), String::new()),
        };
        let file_number = match couple {
            Some(id) => c
                .query_row(
                    "SELECT printf('%d-%03d', file_year, file_seq) FROM couples WHERE id = ?1
                     UNION ALL SELECT printf('%d-%03d', file_year, file_seq) FROM erased_files
                     WHERE couple_id = ?1",
                    [id],
                    |r| r.get::<_, String>(0),
                )
                .optional()
                .expect("the file number")
                .unwrap_or_default(),
            None => String::new(),
        };
        let (last, prev): (i64, String) = c
            .query_row("SELECT id, hash FROM access_log ORDER BY id DESC LIMIT 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()
            .expect("the last row")
            .unwrap_or((0, GENESIS.to_owned()));
        let entry = LogEntry {
            id: last + 1,
            at: at.to_owned(),
            event: event.to_owned(),
            user_id: user,
            user_name,
            user_roles,
            couple_id: couple,
            file_number,
            detail: detail.to_owned(),
            workstation: "balie@loket-fixture".to_owned(),
            on_behalf: on_behalf.to_owned(),
            partner,
        };
        let hash = chain_hash(&prev, &entry);
        c.execute(
            "INSERT INTO access_log (id, at, event, user_id, user_name, user_roles, couple_id,
                 file_number, detail, workstation, on_behalf, partner, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                entry.id,
                entry.at,
                entry.event,
                entry.user_id,
                entry.user_name,
                entry.user_roles,
                entry.couple_id,
                entry.file_number,
                entry.detail,
                entry.workstation,
                entry.on_behalf,
                entry.partner,
                prev,
                hash
            ],
        )
        .expect("a log row");
    }
}

/// A partner row as the loket writes it (folded sort and given keys).
fn partner(c: &Connection, id: i64, couple: i64, position: i64, name: (&str, &str, &str)) {
    let person = PersonName::new(name.0, name.1, name.2);
    c.execute(
        "INSERT INTO partners (id, couple_id, position, given_name, prefix, surname, sort_key, given_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![id, couple, position, name.0, name.1, name.2, person.sort_key(), fold(name.0)],
    )
    .expect("a partner");
}

/// Version 10: the rows every later fixture has (couples, walk-ins, a trajectory with
/// conversations and scores, referrals with consent rows, a referral in, a life event, log rows),
/// and what 10 added: a changed setting and an erased file's number with its anonymous rows.
fn rows_10(c: &Connection) {
    let log = Log { conn: c };
    c.execute_batch(
        "INSERT INTO couples (id, file_year, file_seq, request, source, status, created_at, version,
             children, counsellor_id, notes, safety_concern, safety_reason)
         VALUES (4, 2026, 4, 'repair', 'gp', 'trajectory', '2026-12-03T09:10:00Z', 4, 2, 5,
                 'Ruzie over de verhuizing.', 1, 'Zorgen over boosheid thuis'),
                (5, 2026, 5, 'information', 'self', 'one_conversation', '2026-12-03T09:40:00Z', 2,
                 0, 4, '', 0, '');
         INSERT INTO walk_ins (id, couple_id, day, ticket, arrived_at, attendance, request, source,
             note, status, counsellor_id, outcome, called_at, changed_at, registered_by, version)
         VALUES (4, 4, '2026-12-03', 1, '2026-12-03T09:10:00Z', 'both', 'repair', 'gp', 'Met kinderwagen',
                 'done', 5, 'trajectory_to_plan', '2026-12-03T09:15:00Z', '2026-12-03T10:30:00Z', 2, 3),
                (5, 5, '2026-12-03', 2, '2026-12-03T09:40:00Z', 'one', 'information', 'self', '',
                 'done', 4, 'one_conversation', '2026-12-03T09:45:00Z', '2026-12-03T10:20:00Z', 2, 3);
         INSERT INTO walk_in_changes (id, walk_in_id, at, user_id, to_status, from_status,
             from_counsellor_id, from_outcome, from_called_at, from_changed_at)
         VALUES (4, 4, '2026-12-03T09:15:00Z', 5, 'in_conversation', 'waiting', NULL, NULL, NULL, NULL),
                (5, 4, '2026-12-03T10:30:00Z', 5, 'done', 'in_conversation', 5, NULL,
                 '2026-12-03T09:15:00Z', '2026-12-03T09:15:00Z'),
                (6, 5, '2026-12-03T09:45:00Z', 4, 'in_conversation', 'waiting', NULL, NULL, NULL, NULL),
                (7, 5, '2026-12-03T10:20:00Z', 4, 'done', 'in_conversation', 4, NULL,
                 '2026-12-03T09:45:00Z', '2026-12-03T09:45:00Z');
         INSERT INTO file_events (id, couple_id, at, user_id, kind, detail)
         VALUES (2, 4, '2026-12-03T10:00:00Z', 5, 'safety_set', ''),
                (3, 4, '2026-12-03T10:30:00Z', 5, 'status', 'trajectory'),
                (4, 5, '2026-12-03T10:20:00Z', 4, 'status', 'one_conversation'),
                (5, 4, '2026-12-03T11:00:00Z', 5, 'trajectory_started', ''),
                (6, 4, '2026-12-03T11:05:00Z', 5, 'life_event', 'moving'),
                (7, 4, '2026-12-03T11:06:00Z', 2, 'referral_in', 'gp');
         INSERT INTO life_events (id, couple_id, kind, happened_on, added_at, added_by)
         VALUES (1, 4, 'moving', '2026-10-01', '2026-12-03T11:05:00Z', 5);
         INSERT INTO referrals_in (id, couple_id, source, referred_on, recorded_at, recorded_by)
         VALUES (1, 4, 'gp', '2026-11-28', '2026-12-03T11:06:00Z', 2);
         INSERT INTO trajectories (id, couple_id, counsellor_id, year, started_at, version)
         VALUES (1, 4, 5, 2026, '2026-12-03T11:00:00Z', 1);
         INSERT INTO sessions (id, trajectory_id, counsellor_id, room, starts_at, ends_at, status,
             cancel_reason, attended, note, version)
         VALUES (1, 1, 5, 'Spreekkamer 1', '2026-12-07T09:00:00Z', '2026-12-07T10:30:00Z', 'held', '',
                 'both', 'Eerste gesprek: samen de week doorgenomen.', 3),
                (2, 1, 5, 'Spreekkamer 1', '2026-12-14T09:00:00Z', '2026-12-14T10:30:00Z', 'cancelled',
                 'ziek', NULL, '', 2),
                (3, 1, 5, 'Spreekkamer 2', '2026-12-21T09:00:00Z', '2026-12-21T10:30:00Z', 'planned', '',
                 NULL, '', 1);
         INSERT INTO scores (id, session_id, position, satisfaction, communication, hope, recorded_at)
         VALUES (1, 1, 1, 4, 3, 6, '2026-12-07T10:35:00Z'),
                (2, 1, 2, 5, 4, 7, '2026-12-07T10:35:00Z');
         INSERT INTO referrals (id, couple_id, party, reason, cost_explained, insurance_to_check, shared,
             summary, status, follow_up_on, sent_on, created_at, created_by, version)
         VALUES (1, 5, 'amw', 'Hulp bij schulden', 1, 0, 'request', '', 'sent', '2026-12-17',
                 '2026-12-03', '2026-12-03T10:15:00Z', 4, 3),
                (2, 4, 'therapy', 'Relatietherapie', 1, 1, 'summary', 'Samenvatting voor de therapeut.',
                 'draft', NULL, NULL, '2026-12-04T09:00:00Z', 5, 4);
         INSERT INTO referral_consents (id, referral_id, position, given_on, withdrawn_on, recorded_by)
         VALUES (1, 1, 1, '2026-12-03', NULL, 4),
                (2, 2, 1, '2026-12-04', NULL, 5),
                (3, 2, 2, '2026-12-04', '2026-12-05', 5);

         UPDATE settings SET value = '7', changed_at = '2026-12-05T15:00:00Z', changed_by = 1
         WHERE key = 'retention_years';
         -- A file erased by hand (2026-006): its number stays taken, its figures stay in the report.
         INSERT INTO erased_files (couple_id, file_year, file_seq, erased_at)
         VALUES (6, 2026, 6, '2026-12-05T16:00:00Z');
         INSERT INTO anon_couples (id, request, source, status, outcome, closed_on)
         VALUES (1, 'separation', 'school', 'closed', 'separated', '2026-12-01');
         INSERT INTO anon_walk_ins (id, couple_id, day, attendance, request, source, status, outcome)
         VALUES (1, 1, '2026-11-20', 'both', 'separation', 'school', 'done', 'trajectory_to_plan');
         INSERT INTO anon_trajectories (id, couple_id, year, started_at, ended_at)
         VALUES (1, 1, 2026, '2026-11-20T11:00:00Z', '2026-12-01T11:00:00Z');
         INSERT INTO anon_sessions (id, trajectory_id, starts_at, status, attended)
         VALUES (1, 1, '2026-11-24T11:00:00Z', 'held', 'both'),
                (2, 1, '2026-11-24T11:00:01Z', 'no_show', NULL);
         INSERT INTO anon_scores (id, session_id, position, satisfaction, communication, hope)
         VALUES (1, 1, 1, 5, 4, 6), (2, 1, 2, 6, 5, 5);
         INSERT INTO anon_referrals (id, couple_id, party, status, created_at)
         VALUES (1, 1, 'sko', 'accepted', '2026-11-25T11:00:00Z');
         INSERT INTO anon_referrals_in (id, couple_id, source, referred_on)
         VALUES (1, 1, 'school', '2026-11-15');
         INSERT INTO anon_life_events (id, couple_id, kind) VALUES (1, 1, 'grief');",
    )
    .expect("the rows of schema 10");
    partner(c, 7, 4, 1, ("Fatima", "", "Ouali"));
    partner(c, 8, 4, 2, ("Kees", "de", "Wit"));
    partner(c, 9, 5, 1, ("Noor", "", "Jansen"));
    c.execute_batch(
        "UPDATE partners SET phone = '06 12345678', phone_key = '0612345678',
             email = 'f.ouali@example.nl', birth_year = 1988, wish = 'stay_together' WHERE id = 7;
         UPDATE partners SET birth_year = 1985, wish = 'unsure' WHERE id = 8;",
    )
    .expect("contact details");
    log.row("2026-12-03T09:10:00Z", "walk_in", Some(2), Some(4), "registered, new file", None, "");
    log.row("2026-12-03T09:40:00Z", "walk_in", Some(2), Some(5), "registered, new file", None, "");
    log.row("2026-12-03T10:00:00Z", "file_changed", Some(5), Some(4), "safety", None, "");
    log.row("2026-12-03T10:15:00Z", "referral", Some(4), Some(5), "created #1", None, "");
    log.row("2026-12-03T10:16:00Z", "consent", Some(4), Some(5), "give #1", Some(1), "");
    log.row("2026-12-03T11:00:00Z", "trajectory", Some(5), Some(4), "started", None, "");
    log.row("2026-12-03T11:02:00Z", "conversation", Some(2), Some(4), "planned #1", None, "Anouk Verbeek");
    log.row("2026-12-07T10:35:00Z", "conversation", Some(5), Some(4), "held #1", None, "");
    log.row("2026-12-10T08:00:00Z", "conversation", Some(2), Some(4), "cancelled #2", None, "Anouk Verbeek");
    log.row("2026-12-05T15:00:00Z", "settings_changed", Some(1), None, "retention_years", None, "");
    log.row("2026-12-05T16:00:00Z", "erasure", Some(1), Some(6), "by hand", None, "");
    log.row("2026-12-05T16:01:00Z", "file_read", Some(5), Some(4), "", None, "");
}

/// Version 11: the steps of the concern that migration 0011 made of couple 4's flag, and a new
/// couple whose concern went through all five steps and is closed.
fn rows_11(c: &Connection) {
    let log = Log { conn: c };
    c.execute_batch(
        "INSERT INTO couples (id, file_year, file_seq, request, source, status, created_at, version, counsellor_id)
         VALUES (7, 2026, 7, 'strengthen', 'poh_jeugd', 'new', '2026-12-08T09:05:00Z', 1, 3);
         INSERT INTO walk_ins (id, couple_id, day, ticket, arrived_at, attendance, request, source,
             status, registered_by, version)
         VALUES (6, 7, '2026-12-08', 1, '2026-12-08T09:05:00Z', 'both', 'strengthen', 'poh_jeugd',
                 'left', 2, 2);
         INSERT INTO walk_in_changes (id, walk_in_id, at, user_id, to_status, from_status)
         VALUES (8, 6, '2026-12-08T09:50:00Z', 2, 'left', 'waiting');
         -- Couple 4's concern (made from its flag by 0011): steps 1, 2 and 4, still open.
         INSERT INTO concern_steps (id, concern_id, couple_id, step, done_on, choice, note, recorded_at, recorded_by)
         VALUES (1, 1, 4, 1, '2026-12-07', '', 'Signalen in kaart gebracht.', '2026-12-07T11:00:00Z', 5),
                (2, 1, 4, 2, '2026-12-08', 'colleague', 'Met collega besproken.', '2026-12-08T10:00:00Z', 5),
                (3, 1, 4, 4, '2026-12-09', '', '', '2026-12-09T10:00:00Z', 5);
         INSERT INTO concern_answers (step_id, couple_id, question, answer, note)
         VALUES (3, 4, 1, 'yes', 'Vermoeden blijft.'), (3, 4, 2, 'no', ''), (3, 4, 3, 'unknown', ''),
                (3, 4, 4, 'no', ''), (3, 4, 5, 'unknown', 'Nog navragen.');
         INSERT INTO concerns (id, couple_id, opened_at, opened_by, signals)
         VALUES (2, 7, '2026-12-08T09:30:00Z', 3, 'Kind vertelde over ruzie');
         INSERT INTO concern_steps (id, concern_id, couple_id, step, done_on, choice, note, recorded_at, recorded_by)
         VALUES (4, 2, 7, 1, '2026-12-08', '', '', '2026-12-08T09:31:00Z', 3),
                (5, 2, 7, 2, '2026-12-08', 'officer', '', '2026-12-08T09:32:00Z', 3),
                (6, 2, 7, 3, '2026-12-08', 'both', 'Beiden herkennen het.', '2026-12-08T09:33:00Z', 3),
                (7, 2, 7, 4, '2026-12-08', '', '', '2026-12-08T09:34:00Z', 3),
                (8, 2, 7, 5, '2026-12-09', 'help', 'Hulp in eigen kring.', '2026-12-09T09:00:00Z', 3);
         INSERT INTO concern_answers (step_id, couple_id, question, answer, note)
         VALUES (7, 7, 1, 'yes', ''), (7, 7, 2, 'no', ''), (7, 7, 3, 'no', ''), (7, 7, 4, 'no', ''),
                (7, 7, 5, 'yes', '');
         UPDATE concerns SET closed_on = '2026-12-09', closed_at = '2026-12-09T09:00:00Z' WHERE id = 2;
         INSERT INTO file_events (id, couple_id, at, user_id, kind, detail)
         VALUES (8, 4, '2026-12-07T11:00:00Z', 5, 'concern_step', '1'),
                (9, 7, '2026-12-08T09:30:00Z', 3, 'concern_opened', ''),
                (10, 7, '2026-12-09T09:00:00Z', 3, 'concern_step', '5');",
    )
    .expect("the rows of schema 11");
    partner(c, 10, 7, 1, ("Sanne", "", "Mulder"));
    partner(c, 11, 7, 2, ("Joost", "van", "Dijk"));
    log.row("2026-12-08T09:05:00Z", "walk_in", Some(2), Some(7), "registered, new file", None, "");
    log.row("2026-12-08T09:30:00Z", "file_changed", Some(3), Some(7), "concern opened", None, "");
    log.row("2026-12-09T09:00:00Z", "file_changed", Some(3), Some(7), "concern step 5", None, "");
    log.row("2026-12-09T10:00:00Z", "file_changed", Some(5), Some(4), "concern step 4", None, "");
}

/// Version 12: a referral for one partner (`scope`), and consent as history rows with their time.
fn rows_12(c: &Connection) {
    let log = Log { conn: c };
    c.execute_batch(
        "INSERT INTO referrals (id, couple_id, party, reason, shared, status, created_at, created_by, version, scope)
         VALUES (3, 7, 'wijkteam', 'Steun bij opvoeding', 'names', 'draft', '2026-12-09T11:00:00Z', 3, 3, 'partner2');
         INSERT INTO consent_history (id, referral_id, position, action, on_day, shared, recorded_at, recorded_by)
         VALUES (100, 3, 2, 'give', '2026-12-09', 'names', '2026-12-09T11:01:00Z', 3),
                (101, 3, 2, 'withdraw', '2026-12-10', 'names', '2026-12-10T09:00:00Z', 2),
                (102, 3, 2, 'give', '2026-12-11', 'names', '2026-12-11T09:00:00Z', 3),
                (103, 1, 1, 'withdraw', '2026-12-10', 'request', '2026-12-10T09:30:00Z', 4);",
    )
    .expect("the rows of schema 12");
    log.row("2026-12-09T11:00:00Z", "referral", Some(3), Some(7), "created #3", None, "");
    log.row("2026-12-09T11:01:00Z", "consent", Some(3), Some(7), "give #3", Some(2), "");
    log.row("2026-12-10T09:00:00Z", "consent", Some(2), Some(7), "withdraw #3", Some(2), "Sara de Boer");
    log.row("2026-12-10T09:30:00Z", "consent", Some(4), Some(5), "withdraw #1", Some(1), "");
    log.row("2026-12-11T09:00:00Z", "consent", Some(3), Some(7), "give #3", Some(2), "");
}

/// Version 13: a private note of a partner.
fn rows_13(c: &Connection) {
    let log = Log { conn: c };
    c.execute_batch(
        "UPDATE partners SET private_note = 'Vertelde alleen: overweegt te scheiden.' WHERE id = 7;
         UPDATE partners SET private_note = 'Wil eerst zelf hulp.' WHERE id = 11;",
    )
    .expect("the rows of schema 13");
    log.row("2026-12-11T10:00:00Z", "file_changed", Some(5), Some(4), "private note", Some(1), "");
    log.row("2026-12-11T10:05:00Z", "file_changed", Some(3), Some(7), "private note", Some(2), "");
}

/// Version 14: a walk-in whose call-in gave the file its counsellor and whose outcome moved the
/// file on, as the changes record it for undo.
fn rows_14(c: &Connection) {
    let log = Log { conn: c };
    c.execute_batch(
        "INSERT INTO couples (id, file_year, file_seq, request, source, status, created_at, version, counsellor_id)
         VALUES (8, 2026, 8, 'other', 'school', 'one_conversation', '2026-12-10T09:00:00Z', 3, 3);
         INSERT INTO walk_ins (id, couple_id, day, ticket, arrived_at, attendance, request, source,
             status, counsellor_id, outcome, called_at, changed_at, registered_by, version)
         VALUES (7, 8, '2026-12-10', 1, '2026-12-10T09:00:00Z', 'both', 'other', 'school', 'done', 3,
                 'one_conversation', '2026-12-10T09:10:00Z', '2026-12-10T10:00:00Z', 2, 3);
         INSERT INTO walk_in_changes (id, walk_in_id, at, user_id, to_status, from_status,
             from_counsellor_id, from_outcome, from_called_at, from_changed_at, from_file_status,
             set_file_counsellor)
         VALUES (9, 7, '2026-12-10T09:10:00Z', 3, 'in_conversation', 'waiting', NULL, NULL, NULL, NULL, NULL, 1),
                (10, 7, '2026-12-10T10:00:00Z', 3, 'done', 'in_conversation', 3, NULL,
                 '2026-12-10T09:10:00Z', '2026-12-10T09:10:00Z', 'new', 0);
         INSERT INTO file_events (id, couple_id, at, user_id, kind, detail)
         VALUES (11, 8, '2026-12-10T10:00:00Z', 3, 'status', 'one_conversation');",
    )
    .expect("the rows of schema 14");
    partner(c, 12, 8, 1, ("Iris", "", "Bakker"));
    partner(c, 13, 8, 2, ("Tom", "", "Veenstra"));
    log.row("2026-12-10T09:00:00Z", "walk_in", Some(2), Some(8), "registered, new file", None, "");
    log.row("2026-12-10T09:10:00Z", "walk_in", Some(3), Some(8), "to in_conversation", None, "");
    log.row("2026-12-10T10:00:00Z", "walk_in", Some(3), Some(8), "to done", None, "");
}

/// Version 15: a cancellation with its own time, and a trajectory undone (with the file's status
/// from before it).
fn rows_15(c: &Connection) {
    let log = Log { conn: c };
    c.execute_batch(
        "INSERT INTO sessions (id, trajectory_id, counsellor_id, room, starts_at, ends_at, status,
             cancel_reason, version, cancelled_at)
         VALUES (4, 1, 5, 'Spreekkamer 2', '2026-12-28T09:00:00Z', '2026-12-28T10:30:00Z', 'cancelled',
                 'vakantie', 2, '2026-12-11T13:00:00Z');
         INSERT INTO trajectories (id, couple_id, counsellor_id, year, started_at, ended_at, version,
             undone_at, moved_from)
         VALUES (2, 8, 3, 2026, '2026-12-11T10:00:00Z', '2026-12-11T10:05:00Z', 2,
                 '2026-12-11T10:05:00Z', 'one_conversation');
         INSERT INTO file_events (id, couple_id, at, user_id, kind, detail)
         VALUES (12, 8, '2026-12-11T10:00:00Z', 3, 'trajectory_started', ''),
                (13, 8, '2026-12-11T10:05:00Z', 3, 'trajectory_undone', '');",
    )
    .expect("the rows of schema 15");
    log.row("2026-12-11T10:00:00Z", "trajectory", Some(3), Some(8), "started", None, "");
    log.row("2026-12-11T10:05:00Z", "trajectory", Some(3), Some(8), "undone", None, "");
    log.row("2026-12-11T12:58:00Z", "conversation", Some(5), Some(4), "planned #4", None, "");
    log.row("2026-12-11T13:00:00Z", "conversation", Some(5), Some(4), "cancelled #4", None, "");
}

/// Version 16: a couple registered with the search index in place (its triggers index the names),
/// and a conversation planned under the bounded clash triggers.
fn rows_16(c: &Connection) {
    let log = Log { conn: c };
    c.execute_batch(
        "INSERT INTO couples (id, file_year, file_seq, request, source, status, created_at, version)
         VALUES (9, 2026, 9, 'separation', 'neighbourhood_team', 'new', '2026-12-14T09:00:00Z', 1);
         INSERT INTO walk_ins (id, couple_id, day, ticket, arrived_at, attendance, request, source,
             status, registered_by, version)
         VALUES (8, 9, '2026-12-14', 1, '2026-12-14T09:00:00Z', 'one', 'separation', 'neighbourhood_team',
                 'waiting', 2, 1);
         INSERT INTO sessions (id, trajectory_id, counsellor_id, room, starts_at, ends_at, status, version)
         VALUES (5, 1, 5, 'Spreekkamer 1', '2027-01-04T09:00:00Z', '2027-01-04T10:30:00Z', 'planned', 1);",
    )
    .expect("the rows of schema 16");
    partner(c, 14, 9, 1, ("Joris", "", "Smit-Dekker"));
    partner(c, 15, 9, 2, ("Eva", "", "Brouwer"));
    log.row("2026-12-14T09:00:00Z", "walk_in", Some(2), Some(9), "registered, new file", None, "");
    log.row("2026-12-14T09:01:00Z", "search", Some(2), None, "dekker: 1", None, "");
    log.row("2026-12-14T09:30:00Z", "conversation", Some(5), Some(4), "planned #5", None, "");
}

fn rows(c: &Connection, version: i64) {
    match version {
        10 => rows_10(c),
        11 => rows_11(c),
        12 => rows_12(c),
        13 => rows_13(c),
        14 => rows_14(c),
        15 => rows_15(c),
        16 => rows_16(c),
        _ => unreachable!("no rows for schema {version}"),
    }
}

fn write_copy(c: &Connection, to: &Path) {
    if to.exists() {
        std::fs::remove_file(to).expect("remove the old fixture");
    }
    c.execute("VACUUM INTO ?1", [to.to_str().expect("a UTF-8 path")]).expect("vacuum into");
}

#[test]
#[ignore = "builds tests/fixtures/schema-10.db .. schema-16.db; run by hand"]
fn make_fixtures() {
    let fixtures = manifest().join("tests/fixtures");
    let dir = tempfile::tempdir().expect("temp dir");
    let work = dir.path().join("work.db");
    std::fs::copy(fixtures.join("schema-9.db"), &work).expect("copy schema 9");
    let c = Connection::open(&work).expect("open");
    c.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA page_size = 512; VACUUM;").expect("small pages");
    c.execute_batch("PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;").expect("pragmas");
    assert_eq!(c.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)).expect("version"), 9);
    let files = migration_files();
    for version in FIRST..=LAST {
        let file = &files[usize::try_from(version - 1).expect("a version")];
        let sql = std::fs::read_to_string(file).expect("a migration");
        c.execute_batch(&format!("BEGIN; {sql}\n; PRAGMA user_version = {version}; COMMIT;"))
            .expect("the migration");
        c.execute_batch("BEGIN").expect("begin");
        rows(&c, version);
        c.execute_batch("COMMIT").expect("commit");
        let broken: Vec<(String, i64)> = c
            .prepare("PRAGMA foreign_key_check")
            .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
            .expect("foreign keys");
        assert!(broken.is_empty(), "schema {version}: {broken:?}");
        write_copy(&c, &fixtures.join(format!("schema-{version}.db")));
    }
}
