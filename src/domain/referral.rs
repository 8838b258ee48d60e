//! Referring a couple on: the parties, what goes along, consent per partner, and the status.

use chrono::NaiveDate;
use serde::Deserialize;

use super::coded_enum;
use super::couple::{FileNumber, Request};
use super::file::{LifeEventKind, Partner};
use crate::config::Lang;

pub use super::consent::{Consent, ConsentAction, ConsentEntry, Scope};

/// A party the desk refers to, with the facts the form shows (defaults in `assets/`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub code: String,
    pub name: String,
    /// The name in English; an older file without it shows `name` in English too.
    #[serde(default)]
    pub name_en: Option<String>,
    pub kind: PartyKind,
    pub contact: String,
    #[serde(default)]
    pub contact_en: Option<String>,
    pub facts: Vec<String>,
    /// The facts in English; without them, the Dutch ones are shown.
    #[serde(default)]
    pub facts_en: Vec<String>,
}

impl Party {
    /// The party's name in the user's language.
    pub fn name_in(&self, lang: Lang) -> &str {
        match (lang, &self.name_en) {
            (Lang::En, Some(en)) => en,
            _ => &self.name,
        }
    }

    /// How to reach the party, in the user's language.
    pub fn contact_in(&self, lang: Lang) -> &str {
        match (lang, &self.contact_en) {
            (Lang::En, Some(en)) => en,
            _ => &self.contact,
        }
    }

    /// What the couple should know of the party, in the user's language.
    pub fn facts_in(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::En if !self.facts_en.is_empty() => &self.facts_en,
            _ => &self.facts,
        }
    }
}

coded_enum!(
    /// What kind of help a party gives (`kind` in the parties file).
    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case")]
    PartyKind, "party_kind" {
        Advice => "advice",
        Therapy => "therapy",
        SocialWork => "social_work",
        NeighbourhoodTeam => "neighbourhood_team",
        GpMentalHealth => "gp_mental_health",
        ReportingCentre => "reporting_centre",
        Other => "other",
    }
);

impl PartyKind {
    /// Help the couple pays for (or their insurance, after checking).
    pub fn is_paid(self) -> bool {
        matches!(self, PartyKind::Therapy)
    }
}

/// A referral to paid help, saved before the couple was told what it costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CostNotExplained;

/// An honest referral to paid help says what it costs first: it may only be made once the cost
/// was explained. Free help needs no such word.
pub fn explains_cost(kind: PartyKind, cost_explained: bool) -> Result<(), CostNotExplained> {
    if kind.is_paid() && !cost_explained { Err(CostNotExplained) } else { Ok(()) }
}

coded_enum!(
    /// Where a referral is.
    ReferralStatus, "referral_status" {
        Draft => "draft",
        Sent => "sent",
        Accepted => "accepted",
        Declined => "declined",
        NoAnswer => "no_answer",
    }
);

coded_enum!(
    /// What goes along with a referral. Names and contact details always; notes never.
    Shared, "shared" {
        NamesOnly => "names",
        WithRequest => "request",
        WithSummary => "summary",
    }
);

impl ReferralStatus {
    /// The statuses a referral can move to from this one.
    pub fn next(self) -> &'static [ReferralStatus] {
        use ReferralStatus::*;
        match self {
            Draft => &[Sent],
            Sent => &[Accepted, Declined, NoAnswer],
            NoAnswer => &[Accepted, Declined],
            Accepted | Declined => &[],
        }
    }

    /// Waiting for the other party's answer.
    pub fn is_waiting(self) -> bool {
        matches!(self, ReferralStatus::Sent)
    }
}

/// Why a referral cannot be sent, nor its letter made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocked {
    /// These partners (positions 1 and/or 2) have not consented.
    NoConsent(Vec<u8>),
    /// These partners withdrew their consent: nothing more is sent.
    Withdrawn(Vec<u8>),
    /// A written summary goes along, but it is empty.
    EmptySummary,
}

/// Whether a referral may be sent (or its letter made): every partner whose data goes along
/// (`partners`: positions with their consent) consents, and nobody has withdrawn.
pub fn may_send(partners: &[(u8, Consent)], shared: Shared, summary_written: bool) -> Result<(), Blocked> {
    let withdrawn: Vec<u8> =
        partners.iter().filter(|(_, c)| c.withdrawn_on.is_some()).map(|(p, _)| *p).collect();
    if !withdrawn.is_empty() {
        return Err(Blocked::Withdrawn(withdrawn));
    }
    let missing: Vec<u8> = partners.iter().filter(|(_, c)| !c.holds()).map(|(p, _)| *p).collect();
    if !missing.is_empty() {
        return Err(Blocked::NoConsent(missing));
    }
    if shared == Shared::WithSummary && !summary_written {
        return Err(Blocked::EmptySummary);
    }
    Ok(())
}

/// The letter's file name: file number, date and the party's code, never a personal name.
/// `n` > 1 numbers a further letter of the same day to the same party.
pub fn letter_file_name(file: &str, on: NaiveDate, party: &str, lang_code: &str, n: u32) -> String {
    let party: String = party.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
    let extra = if n > 1 { format!("-{n}") } else { String::new() };
    format!("verwijzing-{file}-{}-{party}{extra}-{lang_code}.md", on.format("%Y-%m-%d"))
}

/// Fills a template: `{{name}}` placeholders are replaced, unknown ones are left visible.
pub fn fill_template(template: &str, values: &[(&str, String)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{{{{name}}}}}"), value);
    }
    out
}

/// A referral as the form shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral {
    pub id: i64,
    pub couple_id: i64,
    pub party: String,
    /// Empty when the role may not read it (`reason_shown`).
    pub reason: String,
    pub cost_explained: bool,
    pub insurance_to_check: bool,
    pub shared: Shared,
    /// Empty when the role may not read it (`summary_shown`); `summary_written` says whether there is one.
    pub summary: String,
    pub status: ReferralStatus,
    pub follow_up_on: Option<NaiveDate>,
    pub sent_on: Option<NaiveDate>,
    /// Whom it is for: only their data goes along, only their consent counts.
    pub scope: Scope,
    /// The current consent of each partner it is for, by position.
    pub consents: Vec<(u8, Consent)>,
    /// Every give and withdrawal, oldest first.
    pub history: Vec<ConsentEntry>,
    pub version: i64,
    /// Whether the role may read the reason, and the summary (the store selected them).
    pub reason_shown: bool,
    pub summary_shown: bool,
    /// Whether a summary was written (also when it is not shown).
    pub summary_written: bool,
}

impl Referral {
    /// Whether it may be sent (or its letter made), and if not, why.
    pub fn may_send(&self) -> Result<(), Blocked> {
        // Judged on whether a summary was written, also where its text was not read.
        let written = if self.summary_shown { !self.summary.trim().is_empty() } else { self.summary_written };
        may_send(&self.consents, self.shared, written)
    }
}

/// A new referral, as the form hands it over (already checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReferral {
    /// The party's code.
    pub party: String,
    /// What kind of help it gives: paid help explains its cost first.
    pub party_kind: PartyKind,
    /// Whom it is for: the couple, or one partner alone.
    pub scope: Scope,
    pub reason: String,
    pub cost_explained: bool,
    pub insurance_to_check: bool,
    pub shared: Shared,
    pub summary: String,
    pub follow_up_on: Option<NaiveDate>,
}

impl NewReferral {
    /// Whether it may be saved: paid help has its cost explained.
    pub fn may_save(&self) -> Result<(), CostNotExplained> {
        explains_cost(self.party_kind, self.cost_explained)
    }
}

/// A referral waiting for an answer past its follow-up date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub referral_id: i64,
    pub couple_id: i64,
    pub file: FileNumber,
    pub party: String,
    pub follow_up_on: NaiveDate,
}

/// What a letter holds: what the form says and what the couple agreed to share. No notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterData {
    pub file: FileNumber,
    pub referral: Referral,
    /// Only the partners the referral is for.
    pub partners: Vec<Partner>,
    /// Only when the request goes along.
    pub request: Option<Request>,
    /// Only when the request goes along.
    pub life_events: Vec<(LifeEventKind, Option<NaiveDate>)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).expect("valid")
    }

    fn given(d: u32) -> Consent {
        Consent { given_on: Some(day(d)), withdrawn_on: None }
    }

    #[test]
    fn both_partners_must_consent_when_both_go_along() {
        let none = Consent::default();
        assert_eq!(
            may_send(&[(1, given(1)), (2, none)], Shared::NamesOnly, false),
            Err(Blocked::NoConsent(vec![2]))
        );
        assert_eq!(
            may_send(&[(1, none), (2, none)], Shared::NamesOnly, false),
            Err(Blocked::NoConsent(vec![1, 2]))
        );
        assert_eq!(may_send(&[(1, given(1)), (2, given(2))], Shared::NamesOnly, false), Ok(()));
    }

    #[test]
    fn a_one_partner_walk_in_needs_only_that_partner() {
        assert_eq!(may_send(&[(1, given(3))], Shared::NamesOnly, false), Ok(()));
        assert_eq!(
            may_send(&[(1, Consent::default())], Shared::NamesOnly, false),
            Err(Blocked::NoConsent(vec![1]))
        );
    }

    #[test]
    fn withdrawal_stops_everything() {
        let withdrawn = Consent { given_on: Some(day(1)), withdrawn_on: Some(day(5)) };
        assert!(!withdrawn.holds());
        assert_eq!(
            may_send(&[(1, given(1)), (2, withdrawn)], Shared::NamesOnly, false),
            Err(Blocked::Withdrawn(vec![2]))
        );
    }

    #[test]
    fn a_summary_that_goes_along_must_be_written() {
        let both = [(1, given(1)), (2, given(1))];
        assert_eq!(may_send(&both, Shared::WithSummary, false), Err(Blocked::EmptySummary));
        assert_eq!(may_send(&both, Shared::WithSummary, true), Ok(()));
    }

    #[test]
    fn paid_help_explains_its_cost_first() {
        assert_eq!(explains_cost(PartyKind::Therapy, false), Err(CostNotExplained));
        assert_eq!(explains_cost(PartyKind::Therapy, true), Ok(()));
        for free in PartyKind::ALL.iter().filter(|k| !k.is_paid()) {
            assert_eq!(explains_cost(*free, false), Ok(()), "{free:?}");
        }
    }

    #[test]
    fn statuses_move_forward() {
        use ReferralStatus::*;
        assert_eq!(Draft.next(), &[Sent]);
        assert!(Sent.next().contains(&NoAnswer));
        assert!(Accepted.next().is_empty());
        assert!(Sent.is_waiting() && !Draft.is_waiting());
    }

    #[test]
    fn letters_are_named_without_personal_names() {
        assert_eq!(
            letter_file_name("2026-001", day(28), "therapy", "nl", 1),
            "verwijzing-2026-001-2026-11-28-therapy-nl.md"
        );
        assert_eq!(
            letter_file_name("2026-001", day(28), "sko", "en", 2),
            "verwijzing-2026-001-2026-11-28-sko-2-en.md"
        );
        assert_eq!(
            letter_file_name("2026-001", day(28), "../x", "nl", 1),
            "verwijzing-2026-001-2026-11-28-x-nl.md"
        );
        assert_eq!(
            fill_template("Dossier {{file}} {{x}}", &[("file", "2026-001".into())]),
            "Dossier 2026-001 {{x}}"
        );
    }
}
