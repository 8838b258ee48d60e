//! The access copy (inzage) of one partner: what it holds, what it leaves out, both formats, both
//! languages, and its log row; and nothing written or logged when it is refused.

use std::path::{Path, PathBuf};

use chrono::{Duration, NaiveDate};
use loket::config::Lang;
use loket::domain::couple::Request;
use loket::domain::file::{FileDetails, LifeEventKind, Wish};
use loket::domain::names::PersonName;
use loket::domain::planner::{Attended, SessionStatus};
use loket::domain::referral::{NewReferral, PartyKind};
use loket::domain::trajectory::NewSession;
use loket::domain::walkin::{Attendance, Change, CoupleRef, NewWalkIn, Outcome};
use loket::i18n::Texts;
use loket::inzage::{self, Format, InzageError};
use loket::store::StoreError;

use crate::common::desk::{Desk, december, desk, duty, now, partner};

/// Partner 2's own details and everything of theirs alone: none of it may reach partner 1's copy.
const SECRETS_OF_2: &[&str] = &[
    "06-98765432",
    "zebulon.geheim@voorbeeld.nl",
    "1977",
    "ALLEEN-GEKOMEN-NOTITIE",
    "ALLEEN-ZEBULON-GESPREK",
    "ALLEEN-ZEBULON-VERWIJZING",
    "VEILIGHEIDSREDEN-GEHEIM",
    "EIGEN-NOTITIE-VAN-ZEBULON",
];

/// A two-partner file with something of every kind. Returns the couple's id.
fn filled(d: &mut Desk) -> i64 {
    let names = [("Wanda", "van de", "Wolkenkrabber"), ("Zebulon", "", "Zonnebloem")];
    let t0 = now() - Duration::days(7);
    let (w, couple) = d.register(&names, t0, Some(d.receptionist.id));
    let (sara, coordinator) = (d.counsellor.clone(), d.coordinator.clone());
    let store = &mut d.store;
    store.change_walk_in(w, 1, Change::CallIn { counsellor_id: sara.id }, t0, None).expect("call");
    let done = Change::Finish { outcome: Outcome::TrajectoryToPlan };
    store.change_walk_in(w, 2, done, t0 + Duration::minutes(40), None).expect("done");
    // Zebulon came back alone: which of the two came is not recorded, so neither copy has it.
    let alone = NewWalkIn {
        couple: CoupleRef::Existing(couple),
        attendance: Attendance::One,
        request: Request::Separation,
        source: loket::domain::couple::Source::SelfReferred,
        note: "ALLEEN-GEKOMEN-NOTITIE".into(),
    };
    store.register_walk_in(&alone, t0 + Duration::days(1), None).expect("alone");
    let file = store.read_file(couple, &sara).expect("file");
    let details = FileDetails {
        partners: vec![
            partner(
                1,
                &PersonName::new("Wanda", "van de", "Wolkenkrabber"),
                ("06-11112222", "wanda@voorbeeld.nl"),
                1981,
                Wish::StayTogether,
            ),
            partner(
                2,
                &PersonName::new("Zebulon", "", "Zonnebloem"),
                ("06-98765432", "zebulon.geheim@voorbeeld.nl"),
                1977,
                Wish::Separate,
            ),
        ],
        children: 2,
        request: Request::Repair,
        source: loket::domain::couple::Source::SelfReferred,
    };
    store.save_details(couple, file.version, &details, &sara, now()).expect("details");
    let v = |s: &loket::store::Store| s.read_file(couple, &sara).expect("file").version;
    let grief = NaiveDate::from_ymd_opt(2026, 3, 14);
    store.add_life_event(couple, v(store), LifeEventKind::Grief, grief, &sara, now()).expect("life event");
    store.save_notes(couple, v(store), "NOTITIE-OVER-HET-STEL", &sara, now()).expect("notes");
    store.open_concern(couple, "VEILIGHEIDSREDEN-GEHEIM", &sara, now()).expect("safety concern");
    store
        .save_private_note(couple, 2, v(store), "EIGEN-NOTITIE-VAN-ZEBULON", &sara, now())
        .expect("own note");
    let trajectory = store.start_trajectory(couple, sara.id, &sara, t0).expect("trajectory");
    let held = |start, attended| NewSession {
        trajectory_id: trajectory,
        start,
        room: "Spreekkamer 1".into(),
        status: SessionStatus::Held,
        attended: Some(attended),
    };
    let together =
        store.plan_session(&held(december(1, 14, 0), Attended::Both), duty(), &sara, now()).expect("held");
    let zebulon = store
        .plan_session(&held(december(1, 16, 0), Attended::Partner2), duty(), &sara, now())
        .expect("held alone");
    store.save_scores(together, 1, [4, 5, 6], &sara, now()).expect("scores 1");
    store.save_scores(together, 2, [1, 2, 3], &sara, now()).expect("scores 2");
    // The conversations' notes, as a counsellor writes them (straight in: the note's own form is not the subject).
    let raw = rusqlite::Connection::open(&d.path).expect("a second connection");
    raw.execute("UPDATE sessions SET note = 'GESPREKSNOTITIE-SAMEN' WHERE id = ?1", [together])
        .expect("note");
    raw.execute("UPDATE sessions SET note = 'ALLEEN-ZEBULON-GESPREK' WHERE id = ?1", [zebulon])
        .expect("note");
    let referral = crate::common::desk::therapy_for_couple();
    let r = store.create_referral(couple, &referral, &sara, now()).expect("referral");
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).expect("date");
    let rv = |s: &loket::store::Store| s.referral(r, &sara).expect("referral").version;
    store.set_consent(r, rv(store), 1, true, day(30), &sara, now()).expect("consent 1");
    store.set_consent(r, rv(store), 2, true, day(20), &sara, now()).expect("consent 2");
    // A referral for partner 2 alone, whose consent was given and withdrawn: theirs only.
    let alone = NewReferral {
        party: "sko".into(),
        party_kind: PartyKind::Advice,
        scope: loket::domain::referral::Scope::Partner2,
        reason: "ALLEEN-ZEBULON-VERWIJZING".into(),
        ..referral
    };
    let r2 = store.create_referral(couple, &alone, &sara, now()).expect("referral alone");
    let rv2 = |s: &loket::store::Store| s.referral(r2, &sara).expect("referral").version;
    store.set_consent(r2, rv2(store), 2, true, day(21), &sara, now()).expect("consent alone");
    store.set_consent(r2, rv2(store), 2, false, day(22), &sara, now()).expect("withdrawn alone");
    store.open_file(couple, &coordinator, now()).expect("read");
    couple
}

/// Writes the copy of `partner` in `lang` into `dir`; returns the text and the JSON.
fn export(d: &mut Desk, partner: u8, lang: Lang, dir: &Path) -> (String, serde_json::Value) {
    let subject = inzage::subject(&d.store, "2026-001", i64::from(partner)).expect("subject");
    let parties = loket::config::Config::default().parties;
    let texts = Texts::new(lang);
    let w = inzage::write(&mut d.store, &d.coordinator, subject, dir, Format::Both, &texts, &parties, now())
        .expect("written");
    assert!(w.review_first, "a file with a safety concern is to be looked over first");
    let read = |ext: &str| {
        let path: &PathBuf = w.paths.iter().find(|p| p.extension().is_some_and(|e| e == ext)).expect(ext);
        assert_eq!(
            path.file_name().and_then(|n| n.to_str()),
            Some(format!("inzage-2026-001-partner{partner}-2026-12-02.{ext}").as_str())
        );
        std::fs::read_to_string(path).expect("read")
    };
    let json = serde_json::from_str(&read("json")).expect("the JSON parses");
    (read("txt"), json)
}

fn exports(d: &Desk) -> Vec<(Option<i64>, String)> {
    d.store
        .log_of_file(1)
        .expect("log")
        .into_iter()
        .filter(|e| e.event == "access_export")
        .map(|e| (e.partner, e.detail))
        .collect()
}

#[test]
fn partner_ones_copy_holds_theirs_and_nothing_of_partner_twos_own() {
    let mut d = desk();
    let couple = filled(&mut d);
    assert_eq!(couple, 1);
    let (nl_dir, en_dir) = (d.dir.path().join("nl"), d.dir.path().join("en"));
    std::fs::create_dir_all(&nl_dir).expect("dir");
    std::fs::create_dir_all(&en_dir).expect("dir");
    // Partner 2's copy first: its log row is about partner 2 and stays out of partner 1's copy.
    let (text2, json2) = export(&mut d, 2, Lang::Nl, &nl_dir);
    let (text, json) = export(&mut d, 1, Lang::Nl, &nl_dir);
    let (english, _) = export(&mut d, 1, Lang::En, &en_dir);
    let raw = serde_json::to_string(&json).expect("json text");
    for secret in SECRETS_OF_2 {
        assert!(!text.contains(secret), "{secret} in partner 1's text:\n{text}");
        assert!(!english.contains(secret), "{secret} in partner 1's English text");
        assert!(!raw.contains(secret), "{secret} in partner 1's JSON");
    }
    assert!(!text.contains("wil uit elkaar"), "partner 2's wish:\n{text}");
    assert!(!text.contains("20-11-2026"), "partner 2's consent date:\n{text}");
    assert!(!text.contains("tevredenheid 1 · praten 2 · hoop 3"), "partner 2's marks");
    // Partner 1's own, the file's and the couple's.
    for expected in [
        "Wanda van de Wolkenkrabber",
        "06-11112222",
        "wanda@voorbeeld.nl",
        "1981",
        "samen blijven",
        "Dossier 2026-001 · partner 1",
        "beide partners · herstellen · klaar: traject inplannen · Sara de Boer",
        "01-12-2026 14:00 · gevoerd · Spreekkamer 1 · Sara de Boer · beide partners",
        "GESPREKSNOTITIE-SAMEN",
        "rouw en verlies · 14-03-2026",
        "Vastgelopen communicatie.",
        "gegeven op 30-11-2026",
        "tevredenheid 4 · praten 5 · hoop 6",
        "NOTITIE-OVER-HET-STEL",
        "dossier geopend · Kees Bakker (coördinator)",
        "inzage gemaakt · Kees Bakker (coördinator)",
        "Wat hier niet in staat",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from:\n{text}");
    }
    for expected in
        ["Your details", "Walk-in hour", "given on 30-11-2026", "access copy made", "both partners"]
    {
        assert!(english.contains(expected), "{expected:?} missing from:\n{english}");
    }
    // The JSON: stable English keys and codes.
    assert_eq!(json["file_number"], "2026-001");
    assert_eq!(json["partner"], 1);
    assert_eq!(json["person"]["phone"], "06-11112222");
    assert_eq!(json["person"]["birth_year"], 1981);
    assert_eq!(json["person"]["wish"], "stay_together");
    assert_eq!(json["file"]["request"], "repair");
    assert_eq!(json["walk_ins"].as_array().map(Vec::len), Some(1), "the visit alone is left out");
    assert_eq!(json["walk_ins"][0]["came"], "both");
    assert_eq!(json["conversations"].as_array().map(Vec::len), Some(1), "Zebulon's own conversation");
    assert_eq!(json["conversations"][0]["note"], "GESPREKSNOTITIE-SAMEN");
    assert_eq!(json["referrals"][0]["party"], "therapy");
    assert_eq!(json["referrals"][0]["consent_given_on"], "2026-11-30");
    assert_eq!(
        json["scores"],
        serde_json::json!([{
            "conversation_at": "2026-12-01T13:00:00Z", "satisfaction": 4, "communication": 5, "hope": 6
        }])
    );
    assert_eq!(json["notes"], "NOTITIE-OVER-HET-STEL");
    assert_eq!(json["life_events"][0]["kind"], "grief");
    let events: Vec<&str> =
        json["access_log"].as_array().expect("log").iter().filter_map(|r| r["event"].as_str()).collect();
    assert!(events.contains(&"file_read"), "{events:?}");
    assert_eq!(events.iter().filter(|e| **e == "access_export").count(), 1, "its own row only: {events:?}");
    assert_eq!(events.last(), Some(&"access_export"), "its own row last");
    assert!(!events.contains(&"walk_in"), "visits are listed on their own: {events:?}");
    let keys: Vec<&String> = json.as_object().expect("object").keys().collect();
    for key in ["person", "file", "walk_ins", "trajectories", "conversations", "life_events", "referrals"] {
        assert!(keys.iter().any(|k| *k == key), "{key} in {keys:?}");
    }
    // Partner 2's copy has their own (their own note too), and nothing of partner 1's contact details.
    assert!(text2.contains("ALLEEN-ZEBULON-GESPREK") && text2.contains("06-98765432"), "{text2}");
    assert!(text2.contains("EIGEN-NOTITIE-VAN-ZEBULON"), "{text2}");
    assert_eq!(json2["own_note"], "EIGEN-NOTITIE-VAN-ZEBULON");
    assert!(!text2.contains("06-11112222") && !text2.contains("wanda@voorbeeld.nl"), "{text2}");
    assert_eq!(json2["person"]["wish"], "separate");
    // Their referral alone is in their copy, with its withdrawal; partner 1's copy has only one.
    assert!(text2.contains("ALLEEN-ZEBULON-VERWIJZING"), "{text2}");
    assert_eq!(json2["referrals"].as_array().map(Vec::len), Some(2));
    assert_eq!(json2["referrals"][1]["consent_given_on"], "2026-11-21");
    assert_eq!(json2["referrals"][1]["consent_withdrawn_on"], "2026-11-22");
    assert_eq!(json["referrals"].as_array().map(Vec::len), Some(1), "not partner 2's referral alone");
    // Safety: the reason is in no copy.
    assert!(!text2.contains("VEILIGHEIDSREDEN-GEHEIM"));
    // The log: one row per export, with the partner and the format, no content.
    assert_eq!(
        exports(&d),
        [
            (Some(2), "text+json".to_owned()),
            (Some(1), "text+json".to_owned()),
            (Some(1), "text+json".to_owned())
        ]
    );
}

#[test]
fn a_refused_copy_writes_nothing_and_logs_nothing() {
    let mut d = desk();
    filled(&mut d);
    let texts = Texts::new(Lang::Nl);
    let parties = loket::config::Config::default().parties;
    let out = d.dir.path().join("out");
    std::fs::create_dir_all(&out).expect("dir");
    // A bad number, an unknown file, a partner that is not there: refused before anything.
    for (file, partner) in [("abc", 1), ("2026-099", 1), ("2026-001", 3), ("2026-001", 0)] {
        let refused = inzage::subject(&d.store, file, partner).expect_err("refused");
        let line = refused.message(&texts);
        assert_eq!(line.lines().count(), 1, "{line}");
        assert!(!line.contains("Wanda"), "{line}");
    }
    assert!(
        matches!(inzage::subject(&d.store, "2026-099", 1), Err(InzageError::UnknownFile(f)) if f == "2026-099")
    );
    let subject = inzage::subject(&d.store, "2026-001", 1).expect("subject");
    let write = |d: &mut Desk, user: &loket::domain::user::User, dir: &Path| {
        inzage::write(&mut d.store, user, subject, dir, Format::Both, &texts, &parties, now())
    };
    // Not a coordinator: refused by the store, whatever the caller says.
    let receptionist = d.receptionist.clone();
    let counsellor = d.counsellor.clone();
    for user in [&receptionist, &counsellor] {
        let refused = write(&mut d, user, &out).expect_err("not a coordinator");
        assert!(matches!(refused, InzageError::Store(StoreError::NotAllowed)), "{refused:?}");
    }
    // A folder that is not there, and a name that is already taken: nothing written.
    let coordinator = d.coordinator.clone();
    let missing = write(&mut d, &coordinator, &out.join("no-such-folder")).expect_err("no folder");
    assert!(matches!(missing, InzageError::Write(_, _)), "{missing:?}");
    let taken = out.join("inzage-2026-001-partner1-2026-12-02.json");
    std::fs::write(&taken, "van iemand anders").expect("write");
    let exists = write(&mut d, &coordinator, &out).expect_err("exists");
    assert!(matches!(&exists, InzageError::Exists(p) if *p == taken), "{exists:?}");
    assert!(exists.message(&texts).contains("bestaat al"), "{}", exists.message(&texts));
    assert_eq!(std::fs::read_to_string(&taken).expect("read"), "van iemand anders");
    let names: Vec<_> = std::fs::read_dir(&out).expect("list").flatten().map(|e| e.file_name()).collect();
    assert_eq!(names.len(), 1, "only the file that was there: {names:?}");
    assert_eq!(exports(&d), [], "nothing logged as exported");
    // With the name free, it is written and logged once.
    std::fs::remove_file(&taken).expect("remove");
    write(&mut d, &coordinator, &out).expect("written");
    assert_eq!(exports(&d), [(Some(1), "text+json".to_owned())]);
}

#[test]
fn a_one_partner_file_shows_their_visits_alone() {
    let mut d = desk();
    let (_, couple) = d.register(&[("Ayşe", "", "Öztürk")], now(), None);
    let out = d.dir.path().to_path_buf();
    let subject = inzage::subject(&d.store, "2026-001", 1).expect("subject");
    assert_eq!(subject.0, couple);
    assert!(matches!(
        inzage::subject(&d.store, "2026-001", 2),
        Err(InzageError::NoPartner { partner: 2, .. })
    ));
    let texts = Texts::new(Lang::En);
    let parties = loket::config::Config::default().parties;
    let coordinator = d.coordinator.clone();
    let w = inzage::write(&mut d.store, &coordinator, subject, &out, Format::Json, &texts, &parties, now())
        .expect("written");
    assert_eq!(w.paths.len(), 1, "JSON only");
    assert!(!w.review_first);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&w.paths[0]).expect("read")).expect("parses");
    assert_eq!(json["walk_ins"][0]["came"], "one");
    assert_eq!(json["person"]["given_name"], "Ayşe");
}
