//! What each role reads and writes, through the real store (issue 13): a table of every role
//! (receptionist, counsellor, coordinator, a coordinator who also counsels) against every kind of
//! content (notes, session notes, concern content, scores, wishes, a referral's reason and summary,
//! the letter). Each content holds a distinctive text, searched for in the Debug of what the store
//! hands back: what a role may not read is not there at all.

use chrono::Duration;

use crate::common::desk::{Desk, at, december, desk, duty, now, partner};
use loket::domain::concern::{NewStep, StepDetail};
use loket::domain::couple::{Request, Source};
use loket::domain::file::{FileDetails, Wish};
use loket::domain::names::PersonName;
use loket::domain::planner::{Attended, SessionStatus};
use loket::domain::referral::{NewReferral, PartyKind, Scope, Shared};
use loket::domain::trajectory::NewSession;
use loket::domain::user::{Role, User};
use loket::store::StoreError;

const NOTES: &str = "NOTITIE-ZWARTE-KAT";
const SESSION_NOTE: &str = "GESPREK-RODE-VOS";
const SIGNALS: &str = "ZORG-GROENE-UIL";
const REASON: &str = "REDEN-BLAUWE-REIGER";
const SUMMARY: &str = "SAMENVATTING-GELE-MUS";

/// What there is to read, by id.
struct Filled {
    couple: i64,
    session: i64,
    concern: i64,
    referral: i64,
}

fn details(wishes: [Wish; 2]) -> FileDetails {
    let a = PersonName::new("Kees", "de", "Vries");
    let b = PersonName::new("Els", "", "Jansen");
    FileDetails {
        partners: vec![
            partner(1, &a, ("06-12345678", ""), 1980, wishes[0]),
            partner(2, &b, ("", ""), 1982, wishes[1]),
        ],
        children: 1,
        request: Request::Repair,
        source: Source::SelfReferred,
    }
}

fn new_referral(shared: Shared) -> NewReferral {
    NewReferral {
        party: "sko".to_owned(),
        party_kind: PartyKind::Advice,
        scope: Scope::Couple,
        reason: REASON.to_owned(),
        cost_explained: true,
        insurance_to_check: false,
        shared,
        summary: if shared == Shared::WithSummary { SUMMARY.to_owned() } else { String::new() },
        follow_up_on: None,
    }
}

/// A couple with each kind of content, written by the counsellor; the referral may be sent.
fn filled(d: &mut Desk) -> Filled {
    let sara = d.counsellor.clone();
    let (_, couple) = d.register(&[("Kees", "de", "Vries"), ("Els", "", "Jansen")], at(11, 4, 8, 10), None);
    let version = |d: &Desk| d.store.read_file(couple, &d.counsellor).expect("file").version;
    let both = details([Wish::StayTogether, Wish::Separate]);
    d.store.save_details(couple, version(d), &both, &sara, at(11, 5, 9, 0)).expect("details");
    d.store.save_notes(couple, version(d), NOTES, &sara, at(11, 5, 9, 1)).expect("notes");
    let trajectory = d.store.start_trajectory(couple, sara.id, &sara, now()).expect("trajectory");
    let session = NewSession {
        trajectory_id: trajectory,
        start: december(3, 14, 0),
        room: "Spreekkamer 1".into(),
        status: SessionStatus::Held,
        attended: Some(Attended::Both),
    };
    let after = december(3, 16, 0);
    let session = d.store.plan_session(&session, duty(), &sara, after).expect("session");
    d.store.save_session_note(session, 1, SESSION_NOTE, &sara, after).expect("session note");
    d.store.save_scores(session, 1, [4, 5, 6], &sara, after).expect("scores");
    let concern = d.store.open_concern(couple, SIGNALS, &sara, after).expect("concern");
    let referral =
        d.store.create_referral(couple, &new_referral(Shared::WithSummary), &sara, after).expect("referral");
    for position in [1, 2] {
        let v = d.store.referral(referral, &sara).expect("referral").version;
        let day = after.date_naive();
        d.store.set_consent(referral, v, position, true, day, &sara, after).expect("consent");
    }
    Filled { couple, session, concern, referral }
}

/// The roles of the table: each alone, and a coordinator who also counsels.
fn roles() -> [(&'static str, Vec<Role>); 4] {
    [
        ("receptionist", vec![Role::Receptionist]),
        ("counsellor", vec![Role::Counsellor]),
        ("coordinator", vec![Role::Coordinator]),
        ("coordinator+counsellor", vec![Role::Counsellor, Role::Coordinator]),
    ]
}

/// A fresh desk, its content, and a user with `roles`.
fn desk_for(roles: &[Role]) -> (Desk, Filled, User) {
    let mut d = desk();
    let f = filled(&mut d);
    let user =
        d.store.seed_user("Tess Tabel", roles, crate::common::desk::hash(), at(11, 1, 8, 0)).expect("user");
    (d, f, user)
}

/// What each role reads: [receptionist, counsellor, coordinator, coordinator+counsellor].
const READS: [(&str, [bool; 4]); 8] = [
    ("notes", [false, true, false, true]),
    ("session notes", [false, true, false, true]),
    ("concern content", [false, true, false, true]),
    ("scores", [false, true, false, true]),
    ("wishes", [false, true, true, true]),
    ("referral reason", [false, true, true, true]),
    ("referral summary", [false, true, false, true]),
    ("letter", [false, true, false, true]),
];

/// Whether `user` reads `what`, asked through the store.
fn reads(d: &Desk, f: &Filled, user: &User, what: &str) -> bool {
    let file = || format!("{:?}", d.store.read_file(f.couple, user).expect("file"));
    let referrals = || format!("{:?}", d.store.referrals_of(f.couple, user).expect("referrals"));
    match what {
        "notes" => file().contains(NOTES),
        "session notes" => {
            format!("{:?}", d.store.trajectory_of(f.couple, user).expect("trajectory")).contains(SESSION_NOTE)
        }
        "concern content" => file().contains(SIGNALS),
        "scores" => match d.store.score_changes(f.couple, user) {
            Ok(changes) => !changes.is_empty(),
            Err(StoreError::NotAllowed) => false,
            Err(e) => panic!("scores: {e:?}"),
        },
        // The stored wishes are these two; hidden, each reads as unknown.
        "wishes" => {
            let file = file();
            assert_eq!(file.contains("StayTogether"), file.contains("Separate"), "both or neither");
            file.contains("StayTogether")
        }
        "referral reason" => {
            let one = format!("{:?}", d.store.referral(f.referral, user).expect("referral"));
            assert_eq!(one.contains(REASON), referrals().contains(REASON), "one read as the list");
            one.contains(REASON)
        }
        "referral summary" => {
            let one = format!("{:?}", d.store.referral(f.referral, user).expect("referral"));
            assert_eq!(one.contains(SUMMARY), referrals().contains(SUMMARY), "one read as the list");
            one.contains(SUMMARY)
        }
        "letter" => match d.store.letter_data(f.referral, user) {
            Ok(data) => format!("{data:?}").contains(SUMMARY),
            Err(StoreError::NotAllowed) => false,
            Err(e) => panic!("letter: {e:?}"),
        },
        other => panic!("no such content: {other}"),
    }
}

#[test]
fn each_role_reads_what_the_issue_says_and_nothing_more() {
    for (i, (role, roles)) in roles().into_iter().enumerate() {
        let (d, f, user) = desk_for(&roles);
        for (what, expected) in READS {
            assert_eq!(reads(&d, &f, &user, what), expected[i], "{role} reads {what}");
        }
        // What is hidden is still known to exist: the screen can say so without its text.
        let r = d.store.referral(f.referral, &user).expect("referral");
        assert!(r.summary_written && r.may_send().is_ok(), "{role}: {r:?}");
        let file = d.store.read_file(f.couple, &user).expect("file");
        assert_eq!(file.wishes_shown, expected_of("wishes", i), "{role}");
    }
}

fn expected_of(what: &str, i: usize) -> bool {
    READS.iter().find(|(w, _)| *w == what).map(|(_, e)| e[i]).expect("in the table")
}

/// What each role writes: [receptionist, counsellor, coordinator, coordinator+counsellor]. A
/// referral with its reason may be made by every role (the walk-in hour refers on at the desk);
/// its written summary only by a counsellor, as are the scores the partners give.
const WRITES: [(&str, [bool; 4]); 8] = [
    ("notes", [false, true, false, true]),
    ("session notes", [false, true, false, true]),
    ("concern content", [false, true, false, true]),
    ("wishes", [false, true, true, true]),
    ("referral reason", [true, true, true, true]),
    ("referral summary", [false, true, false, true]),
    ("letter", [false, true, false, true]),
    ("scores", [false, true, false, true]),
];

/// Whether `user` could write `what`: `Ok` from the store, or `NotAllowed`. A wish that may not be
/// written is not refused: the details are saved and the stored wishes kept.
fn writes(d: &mut Desk, f: &Filled, user: &User, what: &str) -> bool {
    let t = now() + Duration::days(2);
    let version = d.store.read_file(f.couple, user).expect("file").version;
    let result = match what {
        "notes" => d.store.save_notes(f.couple, version, "Nieuw.", user, t),
        "session notes" => d.store.save_session_note(f.session, 2, "Nieuw.", user, t),
        "concern content" => {
            let step = NewStep { detail: StepDetail::Mapped, on: t.date_naive(), note: "Nieuw.".to_owned() };
            d.store.record_step(f.concern, &step, user, t)
        }
        "wishes" => {
            let unsure = details([Wish::Unsure, Wish::Unsure]);
            d.store.save_details(f.couple, version, &unsure, user, t).expect("the details are saved");
            let file = d.store.read_file(f.couple, &d.counsellor).expect("file");
            let wishes: Vec<Wish> = file.partners.iter().map(|p| p.wish).collect();
            if wishes == [Wish::StayTogether, Wish::Separate] {
                return false;
            }
            assert_eq!(wishes, [Wish::Unsure, Wish::Unsure]);
            return true;
        }
        "referral reason" => {
            d.store.create_referral(f.couple, &new_referral(Shared::NamesOnly), user, t).map(drop)
        }
        "referral summary" => {
            d.store.create_referral(f.couple, &new_referral(Shared::WithSummary), user, t).map(drop)
        }
        "letter" => d.store.record_letter(f.referral, user, t),
        "scores" => d.store.save_scores(f.session, 2, [9, 9, 9], user, t),
        other => panic!("no such content: {other}"),
    };
    match result {
        Ok(()) => true,
        Err(StoreError::NotAllowed) => false,
        Err(e) => panic!("{what}: {e:?}"),
    }
}

#[test]
fn each_role_writes_what_it_may_and_a_refusal_saves_nothing() {
    for (i, (role, roles)) in roles().into_iter().enumerate() {
        let (mut d, f, user) = desk_for(&roles);
        for (what, expected) in WRITES {
            let before = d.store.read_file(f.couple, &d.counsellor).expect("file");
            let referrals = d.store.referrals_of(f.couple, &d.counsellor).expect("referrals");
            let wrote = writes(&mut d, &f, &user, what);
            assert_eq!(wrote, expected[i], "{role} writes {what}");
            if !wrote && what != "wishes" {
                assert_eq!(
                    d.store.read_file(f.couple, &d.counsellor).expect("file"),
                    before,
                    "{role}: {what}"
                );
                let after = d.store.referrals_of(f.couple, &d.counsellor).expect("referrals");
                assert_eq!(after, referrals, "{role}: {what}");
            }
        }
    }
}
