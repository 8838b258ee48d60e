//! Referrals in the store and their letter, on a real temporary SQLite file: the consent rule
//! (per partner, withdrawal, an empty summary), letters that never hold notes, golden letters in
//! Dutch and English, the owner-only letter file, the follow-up list and referrals in.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use loket::config::{Config, Lang};
use loket::domain::couple::Source;
use loket::domain::file::{FileDetails, Happening, LifeEventKind};
use loket::domain::planner::{Attended, SessionStatus};
use loket::domain::referral::{Blocked, Party, PartyKind, ReferralStatus, Scope, Shared};
use loket::domain::referral::{LetterData, NewReferral};
use loket::domain::trajectory::{DutyHour, NewSession};
use loket::i18n::Texts;
use loket::letters::render;
use loket::store::StoreError;

use crate::common::desk::{Desk, desk};

use ReferralStatus::*;

type Partners<'a> = &'a [(&'a str, &'a str, &'a str)];

pub(crate) fn at(month: u32, day: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, h, 0, 0).single().expect("valid time")
}

pub(crate) fn day(month: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, d).expect("valid date")
}

pub(crate) fn therapy() -> Party {
    Config::default().parties.into_iter().find(|p| p.code == "therapy").expect("therapy party")
}

fn blocked<T: std::fmt::Debug>(result: Result<T, StoreError>) -> Blocked {
    match result {
        Err(StoreError::Blocked(why)) => why,
        other => panic!("expected Blocked, got {other:?}"),
    }
}

fn letters(data: &LetterData) -> [(Texts, String); 2] {
    [Lang::Nl, Lang::En].map(|lang| {
        let texts = Texts::new(lang);
        let letter = render(data, &therapy(), &texts, day(12, 2));
        (texts, letter)
    })
}

/// The store desk, with walk-ins registered by the receptionist and referrals by the counsellor.
trait ReferralDesk {
    fn couple(&mut self, partners: Partners) -> i64;
    fn version(&self, couple: i64) -> i64;
    fn contact(&mut self, couple: i64, position: u8, phone: &str, email: &str);
    fn refer(&mut self, couple: i64, shared: Shared, summary: &str, follow_up_on: Option<NaiveDate>) -> i64;
    fn v(&self, referral: i64) -> i64;
    fn consent(&mut self, referral: i64, position: u8, given: bool) -> Result<(), StoreError>;
    fn consent_all(&mut self, referral: i64, positions: &[u8]);
    fn status(&mut self, referral: i64, to: ReferralStatus) -> Result<(), StoreError>;
    fn timeline(&self, couple: i64) -> Vec<Happening>;
}

impl ReferralDesk for Desk {
    /// A walk-in that opens a new file; returns the couple's id.
    fn couple(&mut self, partners: Partners) -> i64 {
        let by = Some(self.receptionist.id);
        self.register(partners, at(11, 2, 8), by).1
    }

    fn version(&self, couple: i64) -> i64 {
        self.store.read_file(couple, &self.coordinator).expect("file").version
    }

    fn contact(&mut self, couple: i64, position: u8, phone: &str, email: &str) {
        let file = self.store.read_file(couple, &self.coordinator).expect("file");
        let mut details = FileDetails {
            partners: file.partners.clone(),
            children: file.children,
            request: file.request,
            source: file.source,
        };
        let p = details.partners.iter_mut().find(|p| p.position == position).expect("partner");
        (p.phone, p.email) = (phone.to_owned(), email.to_owned());
        let r = &self.receptionist;
        self.store.save_details(couple, file.version, &details, r, at(11, 2, 9)).expect("details");
    }

    fn refer(&mut self, couple: i64, shared: Shared, summary: &str, follow_up_on: Option<NaiveDate>) -> i64 {
        // The couple when the file has two partners; a one-person file can only refer its partner.
        let two = self.store.read_file(couple, &self.coordinator).expect("file").partners.len() > 1;
        let new = NewReferral {
            party: "therapy".to_owned(),
            party_kind: PartyKind::Therapy,
            scope: if two { Scope::Couple } else { Scope::Partner1 },
            reason: "Verdieping nodig: relatietherapie past beter.".to_owned(),
            cost_explained: true,
            insurance_to_check: true,
            shared,
            summary: summary.to_owned(),
            follow_up_on,
        };
        self.store.create_referral(couple, &new, &self.counsellor, at(11, 30, 9)).expect("create referral")
    }

    fn v(&self, referral: i64) -> i64 {
        self.store.referral(referral, &self.counsellor).expect("referral").version
    }

    fn consent(&mut self, referral: i64, position: u8, given: bool) -> Result<(), StoreError> {
        let v = self.v(referral);
        self.store.set_consent(referral, v, position, given, day(12, 1), &self.receptionist, Utc::now())
    }

    fn consent_all(&mut self, referral: i64, positions: &[u8]) {
        for &p in positions {
            self.consent(referral, p, true).expect("consent");
        }
    }

    fn status(&mut self, referral: i64, to: ReferralStatus) -> Result<(), StoreError> {
        let v = self.v(referral);
        self.store.set_referral_status(referral, v, to, day(12, 1), &self.receptionist, at(12, 1, 10))
    }

    fn timeline(&self, couple: i64) -> Vec<Happening> {
        let file = self.store.read_file(couple, &self.coordinator).expect("file");
        file.timeline.into_iter().map(|e| e.what).collect()
    }
}

const TWO: Partners = &[("Els", "", "Jansen"), ("Piet", "", "Jansen")];

#[test]
fn sending_and_the_letter_need_every_partners_consent() {
    let mut d = desk();
    let c = d.couple(TWO);
    let r = d.refer(c, Shared::NamesOnly, "", None);
    assert_eq!(d.store.referral(r, &d.counsellor).expect("read").status, Draft);
    assert_eq!(blocked(d.status(r, Sent)), Blocked::NoConsent(vec![1, 2]));
    assert_eq!(blocked(d.store.letter_data(r, &d.counsellor)), Blocked::NoConsent(vec![1, 2]));

    d.consent(r, 1, true).expect("partner 1");
    assert_eq!(blocked(d.status(r, Sent)), Blocked::NoConsent(vec![2]));
    assert_eq!(blocked(d.store.letter_data(r, &d.counsellor)), Blocked::NoConsent(vec![2]));
    assert_eq!(
        d.store.referral(r, &d.counsellor).expect("read").status,
        Draft,
        "a refused send changes nothing"
    );

    let old = d.v(r);
    d.consent(r, 2, true).expect("partner 2");
    let stale = d.store.set_referral_status(r, old, Sent, day(12, 1), &d.receptionist, at(12, 1, 10));
    assert!(matches!(stale, Err(StoreError::Stale)), "{stale:?}");
    let stale = d.store.set_consent(r, old, 1, false, day(12, 1), &d.receptionist, Utc::now());
    assert!(matches!(stale, Err(StoreError::Stale)), "{stale:?}");

    d.status(r, Sent).expect("sent with both consents");
    let sent = d.store.referral(r, &d.counsellor).expect("read");
    assert_eq!((sent.status, sent.sent_on), (Sent, Some(day(12, 1))));
    assert_eq!(d.store.letter_data(r, &d.counsellor).expect("letter data").partners.len(), 2);

    d.consent(r, 2, false).expect("withdraw");
    assert_eq!(blocked(d.store.letter_data(r, &d.counsellor)), Blocked::Withdrawn(vec![2]));
    assert!(matches!(d.status(r, Sent), Err(StoreError::BadStatus)));

    let other = d.refer(c, Shared::NamesOnly, "", None);
    let before = d.store.referral(other, &d.counsellor).expect("read");
    assert!(matches!(d.consent(other, 1, false), Err(StoreError::BadStatus)));
    assert_eq!(
        d.store.referral(other, &d.counsellor).expect("read"),
        before,
        "a refused withdrawal changes nothing"
    );
}

#[test]
fn a_one_partner_walk_in_needs_only_that_partners_consent() {
    let mut d = desk();
    let c = d.couple(&[("Els", "", "Jansen")]);
    let r = d.refer(c, Shared::WithRequest, "", None);
    assert_eq!(blocked(d.status(r, Sent)), Blocked::NoConsent(vec![1]));
    d.consent(r, 1, true).expect("consent");
    d.status(r, Sent).expect("sent");
    assert_eq!(d.store.letter_data(r, &d.counsellor).expect("letter data").partners.len(), 1);
}

#[test]
fn an_empty_summary_blocks_sending() {
    let mut d = desk();
    let c = d.couple(TWO);
    let r = d.refer(c, Shared::WithSummary, " \n ", None);
    d.consent_all(r, &[1, 2]);
    assert_eq!(blocked(d.status(r, Sent)), Blocked::EmptySummary);
    assert_eq!(blocked(d.store.letter_data(r, &d.counsellor)), Blocked::EmptySummary);
}

#[test]
fn a_letter_never_contains_notes_nor_the_safety_reason() {
    let mut d = desk();
    let c = d.couple(TWO);
    d.contact(c, 1, "06-11112222", "els@example.nl");
    d.store
        .save_notes(c, d.version(c), "GEHEIM: ruzie over geld", &d.counsellor, at(11, 3, 9))
        .expect("notes");
    d.store.open_concern(c, "Dreiging met geweld", &d.counsellor, at(11, 3, 9)).expect("concern");
    let (illness, on) = (LifeEventKind::Illness, Some(day(10, 1)));
    d.store.add_life_event(c, d.version(c), illness, on, &d.counsellor, at(11, 3, 9)).expect("event");
    let t = d.store.start_trajectory(c, d.counsellor.id, &d.coordinator, at(11, 3, 9)).expect("trajectory");
    let hour = |h| chrono::NaiveTime::from_hms_opt(h, 0, 0).expect("valid time");
    let duty = DutyHour { weekday: chrono::Weekday::Wed, from: hour(9), to: hour(10) };
    let (start, room) = (at(11, 10, 13), "Kamer 1".to_owned());
    let held = NewSession {
        trajectory_id: t,
        start,
        room,
        status: SessionStatus::Held,
        attended: Some(Attended::Both),
    };
    let s = d.store.plan_session(&held, duty, &d.counsellor, at(11, 20, 9)).expect("held conversation");
    let trajectory = d.store.trajectory_of(c, &d.counsellor).expect("read").expect("trajectory");
    let sv = trajectory.sessions[0].version;
    d.store
        .save_session_note(s, sv, "GEHEIM: ruzie over geld, Dreiging", &d.counsellor, Utc::now())
        .expect("note");

    let r = d.refer(c, Shared::WithRequest, "", None);
    d.consent_all(r, &[1, 2]);
    d.status(r, Sent).expect("sent");
    let data = d.store.letter_data(r, &d.counsellor).expect("letter data");
    let shown = format!("{data:?}");
    for secret in ["GEHEIM", "ruzie over geld", "Dreiging"] {
        assert!(!shown.contains(secret), "{secret} in the letter data: {shown}");
    }
    for (texts, letter) in letters(&data) {
        for wanted in [
            "Els Jansen",
            "Piet Jansen",
            "06-11112222",
            "els@example.nl",
            "Verdieping nodig: relatietherapie past beter.",
            texts.t("letter.request_heading"),
            texts.t("request.repair"),
            texts.t("life_event.illness"),
            "01-10-2026",
        ] {
            assert!(letter.contains(wanted), "{wanted:?} missing from:\n{letter}");
        }
        for secret in ["GEHEIM", "ruzie over geld", "Dreiging"] {
            assert!(!letter.contains(secret), "{secret} in the letter:\n{letter}");
        }
    }

    let names_only = d.refer(c, Shared::NamesOnly, "", None);
    d.consent_all(names_only, &[1, 2]);
    let data = d.store.letter_data(names_only, &d.counsellor).expect("letter data");
    assert_eq!((data.request, data.life_events.len()), (None, 0));
    for (texts, letter) in letters(&data) {
        assert!(letter.contains("Els Jansen") && letter.contains("06-11112222"), "{letter}");
        for absent in [texts.t("letter.request_heading"), texts.t("life_event.illness"), "01-10-2026"] {
            assert!(!letter.contains(absent), "{absent:?} in a names-only letter:\n{letter}");
        }
    }
}

/// The golden couple: diacritics in both names, contact for one partner only.
fn golden_letter_data(d: &mut Desk) -> LetterData {
    let c = d.couple(&[("IJsbrand", "van der", "Wêreld"), ("Zoë", "", "Öztürk")]);
    d.contact(c, 1, "06-12345678", "ijsbrand@example.nl");
    let r = d.refer(c, Shared::WithSummary, "Beide partners willen verder werken aan de communicatie.", None);
    d.consent_all(r, &[1, 2]);
    d.store.letter_data(r, &d.counsellor).expect("letter data")
}

fn golden(name: &str) -> String {
    let path = format!("{}/tests/golden/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn letters_match_the_golden_files_byte_for_byte() {
    let mut d = desk();
    let data = golden_letter_data(&mut d);
    let [(_, nl), (_, en)] = letters(&data);
    assert_eq!(nl, golden("letter-nl.md"));
    assert_eq!(en, golden("letter-en.md"));
}

#[cfg(unix)]
#[test]
fn a_letter_is_written_owner_only_named_by_file_and_date() {
    use std::os::unix::fs::PermissionsExt;
    let mut d = desk();
    let data = golden_letter_data(&mut d);
    let dir = d.dir.path().join("brieven");
    // File number, date and party code, never a personal name; a second letter never overwrites.
    let written = [(Lang::Nl, "therapy-nl"), (Lang::En, "therapy-en"), (Lang::Nl, "therapy-2-nl")];
    for (lang, tail) in written {
        let texts = Texts::new(lang);
        let path = loket::letters::write(&dir, &data, &therapy(), &texts, day(12, 2)).expect("write");
        assert_eq!(path, dir.join(format!("verwijzing-2026-001-2026-12-02-{tail}.md")));
        let mode = std::fs::metadata(&path).expect("file").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "file mode {mode:o}");
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            render(&data, &therapy(), &texts, day(12, 2))
        );
    }
    let mode = std::fs::metadata(&dir).expect("dir").permissions().mode();
    assert_eq!(mode & 0o777, 0o700, "directory mode {mode:o}");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().into_string().expect("UTF-8 name"))
        .collect();
    names.sort();
    let mut expected = written.map(|(_, tail)| format!("verwijzing-2026-001-2026-12-02-{tail}.md")).to_vec();
    expected.sort();
    assert_eq!(names, expected, "no temporary files left");
    for name in &names {
        assert!(!["IJsbrand", "Wêreld", "Zoë", "Öztürk"].iter().any(|n| name.contains(n)), "{name}");
    }
}

#[test]
fn the_follow_up_list_holds_sent_referrals_past_their_date() {
    let mut d = desk();
    let c = d.couple(&[("Els", "", "Jansen")]);
    let today = day(12, 10);
    let referral = |d: &mut Desk, follow_up: NaiveDate, to: &[ReferralStatus]| {
        let r = d.refer(c, Shared::NamesOnly, "", Some(follow_up));
        d.consent_all(r, &[1]);
        to.iter().for_each(|s| d.status(r, *s).expect("status"));
        r
    };
    let due = referral(&mut d, day(12, 9), &[Sent]);
    referral(&mut d, day(12, 11), &[Sent]);
    referral(&mut d, day(12, 9), &[]);
    referral(&mut d, day(12, 9), &[Sent, Accepted]);
    let list = d.store.follow_ups(today).expect("follow-ups");
    assert_eq!(list.iter().map(|f| f.referral_id).collect::<Vec<_>>(), [due]);
    assert_eq!((list[0].couple_id, list[0].file.to_string()), (c, "2026-001".to_owned()));
    assert_eq!((list[0].party.as_str(), list[0].follow_up_on), ("therapy", day(12, 9)));
}

#[test]
fn referrals_in_and_out_show_in_the_timeline() {
    let mut d = desk();
    let c = d.couple(TWO);
    let r = &d.receptionist;
    d.store.record_referral_in(c, Source::PohJeugd, day(11, 20), r, at(11, 21, 9)).expect("referral in");
    assert_eq!(d.store.referrals_in(c).expect("read"), [(Source::PohJeugd, day(11, 20))]);
    assert!(d.timeline(c).contains(&Happening::ReferralIn(Source::PohJeugd)));

    let out = d.refer(c, Shared::NamesOnly, "", None);
    assert_eq!(
        d.store.referrals_of(c, &d.counsellor).expect("read").iter().map(|r| r.id).collect::<Vec<_>>(),
        [out]
    );
    assert!(d.timeline(c).contains(&Happening::ReferralOut("therapy".to_owned())));
    assert!(!d.timeline(c).contains(&Happening::ReferralStatus(Sent)));
    d.consent_all(out, &[1, 2]);
    d.status(out, Sent).expect("sent");
    assert!(d.timeline(c).contains(&Happening::ReferralStatus(Sent)));
}

#[test]
fn what_goes_along_is_named_in_the_consent_text() {
    // For each sharing option: the consent paragraph (Dutch, English), and whether the letter has
    // the life-event section (the couple's grief, dated 1 October).
    let cases = [
        (
            Shared::NamesOnly,
            "De volgende gegevens gaan mee: namen en contactgegevens. Notities uit het dossier gaan nooit mee.",
            "This goes along: names and contact details. Notes from the file never go along.",
            false,
        ),
        (
            Shared::WithRequest,
            "De volgende gegevens gaan mee: namen, contactgegevens, hulpvraag en levensgebeurtenissen. \
             Notities uit het dossier gaan nooit mee.",
            "This goes along: names, contact details, request and life events. Notes from the file never go along.",
            true,
        ),
        (
            Shared::WithSummary,
            "De volgende gegevens gaan mee: namen, contactgegevens, hulpvraag, levensgebeurtenissen en een \
             geschreven samenvatting. Notities uit het dossier gaan nooit mee.",
            "This goes along: names, contact details, request, life events and a written summary. \
             Notes from the file never go along.",
            true,
        ),
    ];
    for (shared, nl_consent, en_consent, with_life_events) in cases {
        let mut d = desk();
        let c = d.couple(TWO);
        let on = Some(day(10, 1));
        d.store
            .add_life_event(c, d.version(c), LifeEventKind::Grief, on, &d.counsellor, at(11, 3, 9))
            .expect("event");
        let r = d.refer(c, shared, "Samenvatting.", None);
        d.consent_all(r, &[1, 2]);
        let [(_, nl), (_, en)] = letters(&d.store.letter_data(r, &d.counsellor).expect("letter data"));
        let paragraphs = |letter: &str| letter.split("\n\n").map(str::to_owned).collect::<Vec<_>>();
        assert!(paragraphs(&nl).contains(&nl_consent.to_owned()), "{shared:?}: {nl}");
        assert!(paragraphs(&en).contains(&en_consent.to_owned()), "{shared:?}: {en}");
        let nl_events = "\nLevensgebeurtenissen:\n- rouw en verlies (01-10-2026)\n";
        let en_events = "\nLife events:\n- grief and loss (01-10-2026)\n";
        assert_eq!(
            (nl.contains(nl_events), en.contains(en_events)),
            (with_life_events, with_life_events),
            "{shared:?}: the life events in the letter or not\n{nl}\n{en}"
        );
        assert_eq!(nl.contains("rouw en verlies"), with_life_events, "{shared:?}: nowhere else either");
        assert_eq!(en.contains("grief and loss"), with_life_events, "{shared:?}: nowhere else either");
    }
}

#[test]
fn only_a_counsellor_writes_a_summary() {
    let mut d = desk();
    let c = d.couple(TWO);
    let new = NewReferral {
        party: "therapy".to_owned(),
        party_kind: PartyKind::Therapy,
        scope: Scope::Couple,
        reason: "Verdieping.".to_owned(),
        cost_explained: true,
        insurance_to_check: true,
        shared: Shared::WithSummary,
        summary: "Door de balie geschreven.".to_owned(),
        follow_up_on: None,
    };
    let r = d.store.create_referral(c, &new, &d.receptionist, at(11, 30, 9));
    assert!(matches!(r, Err(StoreError::NotAllowed)), "{r:?}");
}

#[test]
fn the_store_refuses_a_referral_to_paid_help_whose_cost_was_not_explained() {
    let mut d = desk();
    let c = d.couple(TWO);
    let mut new = NewReferral {
        party: "therapy".to_owned(),
        party_kind: PartyKind::Therapy,
        scope: Scope::Couple,
        reason: "Verdieping.".to_owned(),
        cost_explained: false,
        insurance_to_check: true,
        shared: Shared::NamesOnly,
        summary: String::new(),
        follow_up_on: None,
    };
    let refused = d.store.create_referral(c, &new, &d.counsellor, at(11, 30, 9));
    assert!(matches!(refused, Err(StoreError::CostNotExplained)), "{refused:?}");
    assert!(d.store.referrals_of(c, &d.counsellor).expect("referrals").is_empty(), "nothing saved");
    // Free help needs no word on cost; paid help is saved once the cost was explained.
    new.party_kind = PartyKind::Advice;
    d.store.create_referral(c, &new, &d.counsellor, at(11, 30, 9)).expect("free help");
    new.party_kind = PartyKind::Therapy;
    new.cost_explained = true;
    d.store.create_referral(c, &new, &d.counsellor, at(11, 30, 9)).expect("cost explained");
    assert_eq!(d.store.referrals_of(c, &d.counsellor).expect("referrals").len(), 2);
}

#[test]
fn the_store_refuses_to_mark_a_referral_sent_without_every_consent() {
    let mut d = desk();
    let c = d.couple(TWO);
    let r = d.refer(c, Shared::NamesOnly, "", None);
    assert_eq!(blocked(d.status(r, Sent)), Blocked::NoConsent(vec![1, 2]));
    d.consent_all(r, &[1]);
    assert_eq!(blocked(d.status(r, Sent)), Blocked::NoConsent(vec![2]));
    assert_eq!(d.store.referral(r, &d.counsellor).expect("referral").status, Draft, "still a draft");
    d.consent_all(r, &[2]);
    d.status(r, Sent).expect("sent with both consents");
}

#[test]
fn a_letter_written_is_on_the_timeline_with_who_wrote_it() {
    use loket::domain::file::Happening;
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut store, couple) = crate::common::desk::filled_store(&dir.path().join("loket.db"));
    let sara = store.users().expect("users").into_iter().find(|u| u.name == "Sara de Boer").expect("Sara");
    let referral =
        store.referrals_of(couple, &sara).expect("referrals").first().map(|r| r.id).expect("a referral");
    store.record_letter(referral, &sara, crate::common::desk::now()).expect("recorded");
    let file = store.read_file(couple, &sara).expect("file");
    let letters: Vec<&Happening> =
        file.timeline.iter().map(|e| &e.what).filter(|w| matches!(w, Happening::Letter { .. })).collect();
    assert_eq!(letters, [&Happening::Letter { party: "therapy".into(), by: "Sara de Boer".into() }]);
}

/// Issue 14: links planted in the letters folder, at the letter's name and at every temporary name
/// it could use, are never followed, replaced or removed; the letter takes the next free name.
#[cfg(unix)]
#[test]
fn a_letter_never_follows_or_replaces_a_planted_link() {
    use std::os::unix::fs::symlink;
    let mut d = desk();
    let data = golden_letter_data(&mut d);
    let dir = d.dir.path().join("brieven");
    std::fs::create_dir(&dir).expect("letters folder");
    let victim = d.dir.path().join("victim.txt");
    std::fs::write(&victim, "someone else's").expect("victim");
    let nowhere = d.dir.path().join("nowhere.txt");
    let first = "verwijzing-2026-001-2026-12-02-therapy-nl.md";
    let second = "verwijzing-2026-001-2026-12-02-therapy-2-nl.md";
    // The final name points nowhere (a dangling link); the temporary names point to a file.
    symlink(&nowhere, dir.join(first)).expect("link");
    let pid = std::process::id();
    let mut planted = vec![first.to_owned()];
    for name in [first, second] {
        let mut temps = vec![format!("{name}.tmp"), format!(".{name}.{pid}.new")];
        temps.extend((0..3).map(|n| format!(".{name}.{pid}.{n}.new")));
        for temp in temps {
            symlink(&victim, dir.join(&temp)).expect("link");
            planted.push(temp);
        }
    }
    let path =
        loket::letters::write(&dir, &data, &therapy(), &Texts::new(Lang::Nl), day(12, 2)).expect("write");
    assert_eq!(path, dir.join(second), "the next free name");
    assert_eq!(
        std::fs::read_to_string(&victim).expect("victim"),
        "someone else's",
        "never written through a link"
    );
    assert!(!nowhere.exists(), "a dangling link is not followed");
    for name in &planted {
        let meta = std::fs::symlink_metadata(dir.join(name)).expect("still there");
        assert!(meta.file_type().is_symlink(), "{name} is still the planted link");
    }
    assert!(std::fs::symlink_metadata(&path).expect("letter").is_file());
}
