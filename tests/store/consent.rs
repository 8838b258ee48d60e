//! Whom a referral is for, and consent as a history: a referral for one partner holds nothing of
//! the other (not in its letter data, not in the letter), consent is given and withdrawn in rows
//! that are never changed or removed, and sending checks the current consent of each partner the
//! referral is for. Bad consents (a partner the referral is not for, one that does not exist) are
//! refused and save nothing.

use chrono::NaiveDate;
use loket::config::Lang;
use loket::domain::file::{FileDetails, Wish};
use loket::domain::names::PersonName;
use loket::domain::referral::{
    Blocked, ConsentAction, NewReferral, PartyKind, ReferralStatus, Scope, Shared,
};
use loket::i18n::Texts;
use loket::letters::render;
use loket::store::StoreError;

use crate::common::desk::{Desk, desk, partner};
use crate::referrals::{at, day, therapy};

/// What only the other partner (Baran Yıldız, partner 2) has: none of it may reach a referral for
/// Marieke alone.
const OTHER: [&str; 8] =
    ["Baran", "Yıldız", "Yildiz", "06-99887766", "0699887766", "baran.yildiz@example.nl", "1979", "Separate"];

/// Marieke de Vos (1985, wants to stay together) and Baran Yıldız (1979, wants to separate), with
/// phone numbers and e-mail addresses; and a life event. Returns the couple's id.
fn couple(d: &mut Desk) -> i64 {
    let (_, c) = d.register(&[("Marieke", "de", "Vos"), ("Baran", "", "Yıldız")], at(11, 2, 8), None);
    let file = d.store.read_file(c, &d.coordinator).expect("file");
    let details = FileDetails {
        partners: vec![
            partner(
                1,
                &PersonName::new("Marieke", "de", "Vos"),
                ("06-11223344", "marieke@example.nl"),
                1985,
                Wish::StayTogether,
            ),
            partner(
                2,
                &PersonName::new("Baran", "", "Yıldız"),
                ("06-99887766", "baran.yildiz@example.nl"),
                1979,
                Wish::Separate,
            ),
        ],
        children: 2,
        request: file.request,
        source: file.source,
    };
    d.store.save_details(c, file.version, &details, &d.counsellor, at(11, 2, 9)).expect("details");
    d.store
        .add_life_event(
            c,
            d.store.read_file(c, &d.coordinator).expect("file").version,
            loket::domain::file::LifeEventKind::Birth,
            None,
            &d.counsellor,
            at(11, 2, 9),
        )
        .expect("life event");
    c
}

fn refer(d: &mut Desk, c: i64, scope: Scope) -> Result<i64, StoreError> {
    let new = NewReferral {
        party: "therapy".to_owned(),
        party_kind: PartyKind::Therapy,
        scope,
        reason: "Overweegt uit elkaar te gaan; wil eerst alleen praten.".to_owned(),
        cost_explained: true,
        insurance_to_check: true,
        shared: Shared::WithSummary,
        summary: "Cliënt wil hulp bij de eigen keuze.".to_owned(),
        follow_up_on: None,
    };
    d.store.create_referral(c, &new, &d.counsellor, at(11, 30, 9))
}

fn consent(d: &mut Desk, r: i64, position: u8, given: bool, on: NaiveDate) -> Result<(), StoreError> {
    let v = d.store.referral(r, &d.counsellor).expect("referral").version;
    d.store.set_consent(r, v, position, given, on, &d.receptionist, at(on.month(), on.day(), 10))
}

fn send(d: &mut Desk, r: i64) -> Result<(), StoreError> {
    let v = d.store.referral(r, &d.counsellor).expect("referral").version;
    d.store.set_referral_status(r, v, ReferralStatus::Sent, day(12, 3), &d.counsellor, at(12, 3, 10))
}

use chrono::Datelike;

/// Which refusal a bad consent gets.
type Refusal = fn(&StoreError) -> bool;

#[test]
fn a_referral_for_one_partner_holds_nothing_of_the_other() {
    let mut d = desk();
    let c = couple(&mut d);
    let r = refer(&mut d, c, Scope::Partner1).expect("for Marieke alone");
    let referral = d.store.referral(r, &d.counsellor).expect("referral");
    assert_eq!(referral.scope, Scope::Partner1);
    assert_eq!(referral.consents.iter().map(|(p, _)| *p).collect::<Vec<_>>(), [1], "only her consent counts");

    // Only Marieke's consent is needed to send it and to make its letter.
    assert_eq!(
        d.store.letter_data(r, &d.counsellor).map(drop).err().map(|e| format!("{e:?}")),
        Some(format!("{:?}", StoreError::Blocked(Blocked::NoConsent(vec![1]))))
    );
    consent(&mut d, r, 1, true, day(12, 1)).expect("her consent");
    send(&mut d, r).expect("sent with her consent alone");

    let data = d.store.letter_data(r, &d.counsellor).expect("letter data");
    assert_eq!(
        data.partners.iter().map(|p| p.position).collect::<Vec<_>>(),
        [1],
        "the store reads her alone"
    );
    let debug = format!("{data:?}");
    assert!(debug.contains("Marieke") && debug.contains("06-11223344"), "{debug}");
    for other in OTHER {
        assert!(!debug.contains(other), "{other:?} of the other partner in the letter data: {debug}");
    }
    for lang in [Lang::Nl, Lang::En] {
        let texts = Texts::new(lang);
        let letter = render(&data, &therapy(), &texts, day(12, 3));
        for wanted in
            ["Marieke de Vos", "06-11223344", "marieke@example.nl", "Cliënt wil hulp bij de eigen keuze."]
        {
            assert!(letter.contains(wanted), "{wanted:?} missing from:\n{letter}");
        }
        // The letter's own words speak of the client; the party's facts card is the desk's text.
        let told =
            if lang == Lang::Nl { "## Wat de cliënt is verteld" } else { "## What the client was told" };
        assert!(letter.contains(told), "{told:?} missing from:\n{letter}");
        for other in OTHER.iter().chain(&["Stay", "1985"]) {
            assert!(!letter.contains(other), "{other:?} in the letter for Marieke alone:\n{letter}");
        }
    }
}

#[test]
fn a_consent_for_a_partner_the_referral_is_not_for_is_refused_and_nothing_saved() {
    let mut d = desk();
    let c = couple(&mut d);
    let r = refer(&mut d, c, Scope::Partner2).expect("for Baran alone");
    let before = d.store.referral(r, &d.counsellor).expect("referral");
    // (position, what is refused) — one assertion each.
    let cases: [(u8, Refusal); 3] = [
        (1, |e| matches!(e, StoreError::NotForPartner)),
        (3, |e| matches!(e, StoreError::UnknownPartner)),
        (0, |e| matches!(e, StoreError::UnknownPartner)),
    ];
    for (position, expected) in cases {
        for given in [true, false] {
            let refused = consent(&mut d, r, position, given, day(12, 1));
            assert!(refused.as_ref().is_err_and(expected), "partner {position}, given {given}: {refused:?}");
            assert_eq!(
                d.store.referral(r, &d.counsellor).expect("referral"),
                before,
                "nothing saved for partner {position}"
            );
        }
    }
    let texts = Texts::new(Lang::Nl);
    assert_eq!(
        loket::errors::store_error_text(&texts, &StoreError::NotForPartner),
        "Deze verwijzing is niet voor deze partner: er is niets opgeslagen."
    );
    let en = Texts::new(Lang::En);
    assert_eq!(
        loket::errors::store_error_text(&en, &StoreError::UnknownPartner),
        "This file has no such partner: nothing was saved."
    );

    // A one-person file can only refer its partner: not the couple, not a partner it lacks.
    let (_, alone) = d.register(&[("Ans", "", "Alleen")], at(11, 3, 8), None);
    for scope in [Scope::Couple, Scope::Partner2] {
        let refused = refer(&mut d, alone, scope);
        assert!(matches!(refused, Err(StoreError::UnknownPartner)), "{scope:?}: {refused:?}");
    }
    assert!(d.store.referrals_of(alone, &d.counsellor).expect("referrals").is_empty(), "nothing saved");
    refer(&mut d, alone, Scope::Partner1).expect("for her alone");
}

#[test]
fn the_consent_history_keeps_give_withdraw_give_and_the_latest_row_wins() {
    let mut d = desk();
    let c = couple(&mut d);
    let r = refer(&mut d, c, Scope::Partner1).expect("referral");
    consent(&mut d, r, 1, true, day(12, 1)).expect("given");
    consent(&mut d, r, 1, false, day(12, 2)).expect("withdrawn");
    assert_eq!(
        send(&mut d, r).map_err(|e| format!("{e:?}")),
        Err(format!("{:?}", StoreError::Blocked(Blocked::Withdrawn(vec![1]))))
    );
    consent(&mut d, r, 1, true, day(12, 3)).expect("given again");

    let referral = d.store.referral(r, &d.counsellor).expect("referral");
    let rows: Vec<_> = referral.history.iter().map(|e| (e.position, e.action, e.on)).collect();
    assert_eq!(
        rows,
        [
            (1, ConsentAction::Give, day(12, 1)),
            (1, ConsentAction::Withdraw, day(12, 2)),
            (1, ConsentAction::Give, day(12, 3)),
        ],
        "three rows, the withdrawal still there"
    );
    for e in &referral.history {
        assert_eq!(e.recorded_by, d.receptionist.name, "who recorded it");
        assert_eq!(e.shared, Shared::WithSummary, "the purpose: what goes along");
        assert_eq!(e.recorded_at, Some(at(e.on.month(), e.on.day(), 10)), "when it was recorded");
    }
    let (_, current) = referral.consents[0];
    assert!(current.holds(), "the latest row wins: {current:?}");
    assert_eq!((current.given_on, current.withdrawn_on), (Some(day(12, 3)), None));
    send(&mut d, r).expect("sent with the consent given again");

    // Giving a consent that holds, or withdrawing one that does not, adds nothing.
    assert!(matches!(consent(&mut d, r, 1, true, day(12, 4)), Err(StoreError::BadStatus)));
    assert_eq!(d.store.referral(r, &d.counsellor).expect("referral").history.len(), 3);

    // The schema refuses to change or remove a row, whatever writes to it.
    let raw = rusqlite::Connection::open(&d.path).expect("raw connection");
    for sql in [
        "UPDATE consent_history SET action = 'give' WHERE action = 'withdraw'",
        "UPDATE consent_history SET on_day = '2026-01-01'",
        "DELETE FROM consent_history WHERE action = 'withdraw'",
        "DELETE FROM consent_history",
    ] {
        let refused = raw.execute(sql, []);
        assert!(refused.is_err(), "{sql}: {refused:?}");
    }
    let count: i64 = raw.query_row("SELECT count(*) FROM consent_history", [], |r| r.get(0)).expect("count");
    assert_eq!(count, 3);
}

#[test]
fn sending_needs_the_current_consent_of_each_partner_the_referral_is_for() {
    let mut d = desk();
    let c = couple(&mut d);
    // For Baran alone: his consent, not Marieke's.
    let his = refer(&mut d, c, Scope::Partner2).expect("for Baran");
    assert_eq!(
        format!("{:?}", send(&mut d, his)),
        format!("{:?}", Err::<(), _>(StoreError::Blocked(Blocked::NoConsent(vec![2]))))
    );
    consent(&mut d, his, 2, true, day(12, 1)).expect("his consent");
    send(&mut d, his).expect("sent");
    let data = d.store.letter_data(his, &d.counsellor).expect("letter data");
    assert_eq!(data.partners.iter().map(|p| p.position).collect::<Vec<_>>(), [2]);
    assert!(!format!("{data:?}").contains("Marieke"), "nothing of Marieke in his referral");

    // For the couple: both, and a withdrawal by either stops it.
    let both = refer(&mut d, c, Scope::Couple).expect("for the couple");
    consent(&mut d, both, 1, true, day(12, 1)).expect("hers");
    assert_eq!(
        format!("{:?}", send(&mut d, both)),
        format!("{:?}", Err::<(), _>(StoreError::Blocked(Blocked::NoConsent(vec![2]))))
    );
    consent(&mut d, both, 2, true, day(12, 1)).expect("his");
    consent(&mut d, both, 2, false, day(12, 2)).expect("his withdrawn");
    assert_eq!(
        format!("{:?}", send(&mut d, both)),
        format!("{:?}", Err::<(), _>(StoreError::Blocked(Blocked::Withdrawn(vec![2]))))
    );
    consent(&mut d, both, 2, true, day(12, 3)).expect("his again");
    send(&mut d, both).expect("sent with both");
    assert_eq!(d.store.letter_data(both, &d.counsellor).expect("letter data").partners.len(), 2);
}
