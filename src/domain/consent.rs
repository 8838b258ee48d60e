//! Consent to a referral: whom it is for (the couple, or one partner alone), and each partner's
//! consent as a history of gives and withdrawals whose latest row is the current state.

use chrono::NaiveDate;

use super::coded_enum;
use super::referral::Shared;

coded_enum!(
    /// Whom a referral is for: the couple (both partners of the file), or one partner alone. A
    /// referral for one partner holds nothing of the other: not in its letter, not in what is sent.
    Scope, "scope" {
        Couple => "couple",
        Partner1 => "partner1",
        Partner2 => "partner2",
    }
);

impl Scope {
    /// The referral for partner `position` alone.
    pub fn partner(position: u8) -> Option<Scope> {
        match position {
            1 => Some(Scope::Partner1),
            2 => Some(Scope::Partner2),
            _ => None,
        }
    }

    /// The partners (positions) it is for.
    pub fn positions(self) -> &'static [u8] {
        match self {
            Scope::Couple => &[1, 2],
            Scope::Partner1 => &[1],
            Scope::Partner2 => &[2],
        }
    }

    pub fn is_for(self, position: u8) -> bool {
        self.positions().contains(&position)
    }

    /// Whether a file with these partners (positions) can have a referral for this: every partner
    /// it is for exists. A one-person file can only refer its partner.
    pub fn fits(self, file_positions: &[u8]) -> bool {
        self.positions().iter().all(|p| file_positions.contains(p))
    }
}

coded_enum!(
    /// What a consent row records: consent given, or withdrawn.
    ConsentAction, "consent_action" {
        Give => "give",
        Withdraw => "withdraw",
    }
);

/// One row of a referral's consent history: never changed or removed, the latest per partner is
/// the current state. `shared` is the purpose: what the partner agreed goes along.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentEntry {
    pub position: u8,
    pub action: ConsentAction,
    pub on: NaiveDate,
    pub shared: Shared,
    /// When it was recorded (unknown for rows from before the history, schema 9 and older).
    pub recorded_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Who recorded it ('' when unknown).
    pub recorded_by: String,
}

/// One partner's current consent to this referral: when last given, and when withdrawn after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Consent {
    pub given_on: Option<NaiveDate>,
    pub withdrawn_on: Option<NaiveDate>,
}

impl Consent {
    pub fn holds(&self) -> bool {
        self.given_on.is_some() && self.withdrawn_on.is_none()
    }

    /// The state after one more row of the history: a give starts afresh (the withdrawal before it
    /// stays in the history), a withdrawal ends the consent given.
    pub fn then(self, action: ConsentAction, on: NaiveDate) -> Consent {
        match action {
            ConsentAction::Give => Consent { given_on: Some(on), withdrawn_on: None },
            ConsentAction::Withdraw => Consent { withdrawn_on: Some(on), ..self },
        }
    }

    /// The current state of `position` from the history (oldest first): its latest row wins.
    pub fn current(history: &[ConsentEntry], position: u8) -> Consent {
        history
            .iter()
            .filter(|e| e.position == position)
            .fold(Consent::default(), |c, e| c.then(e.action, e.on))
    }
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

    fn row(position: u8, action: ConsentAction, d: u32) -> ConsentEntry {
        ConsentEntry {
            position,
            action,
            on: day(d),
            shared: Shared::NamesOnly,
            recorded_at: None,
            recorded_by: String::new(),
        }
    }

    #[test]
    fn the_latest_row_of_the_history_wins() {
        use ConsentAction::*;
        let history = [row(1, Give, 1), row(2, Give, 2), row(1, Withdraw, 5), row(1, Give, 9)];
        assert_eq!(Consent::current(&history, 1), given(9));
        assert_eq!(Consent::current(&history, 2), given(2));
        let withdrawn = Consent::current(&history[..3], 1);
        assert_eq!(withdrawn, Consent { given_on: Some(day(1)), withdrawn_on: Some(day(5)) });
        assert!(!withdrawn.holds());
        assert_eq!(Consent::current(&[], 1), Consent::default());
    }

    #[test]
    fn a_scope_fits_only_the_partners_of_the_file() {
        assert!(Scope::Couple.fits(&[1, 2]) && !Scope::Couple.fits(&[1]));
        assert!(Scope::Partner1.fits(&[1]) && !Scope::Partner2.fits(&[1]));
        assert!(Scope::Partner2.is_for(2) && !Scope::Partner2.is_for(1));
        assert_eq!(Scope::partner(2), Some(Scope::Partner2));
        assert_eq!(Scope::partner(3), None);
    }
}
