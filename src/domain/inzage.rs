//! The access copy (*inzage*, AVG art. 15) for one partner of a file: everything loket holds about
//! that partner, and nothing of the other partner's own (contact details, year of birth, wish,
//! scores, consents, a visit or conversation they had alone). Coded values are kept as their
//! stable codes, dates as `YYYY-MM-DD` and instants as UTC; the JSON export is this struct as it
//! is, the text export puts it into words.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::{Serialize, Serializer};

/// The access copy for one partner of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessCopy {
    /// "2026-001".
    pub file_number: String,
    /// The partner this copy is for (1 or 2).
    pub partner: u8,
    #[serde(serialize_with = "instant")]
    pub made_at: DateTime<Utc>,
    pub person: Person,
    pub file: FileFacts,
    pub walk_ins: Vec<Visit>,
    pub trajectories: Vec<TrajectoryRow>,
    pub conversations: Vec<Conversation>,
    pub life_events: Vec<LifeEventRow>,
    pub referrals: Vec<ReferralRow>,
    pub referrals_in: Vec<ReferralIn>,
    pub scores: Vec<ScoreRow>,
    /// The counsellors' notes on the file (about the couple).
    pub notes: String,
    /// This partner's own note (what they told alone); the other partner's is never in the copy.
    pub own_note: String,
    /// Who read or changed the file, oldest first (this export's own row last).
    pub access_log: Vec<LogRow>,
    /// Whether a safety concern is recorded: never in the copy itself, but the desk is told to
    /// have a counsellor look the copy over before it is handed over.
    #[serde(skip)]
    pub review_first: bool,
}

/// The partner's own details.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    pub given_name: String,
    pub prefix: String,
    pub surname: String,
    pub phone: String,
    pub email: String,
    pub birth_year: Option<i32>,
    /// A `wish` code: `unknown`, `stay_together`, `unsure`, `separate`.
    pub wish: String,
}

/// What the file says about the couple as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileFacts {
    #[serde(serialize_with = "instant")]
    pub opened_at: DateTime<Utc>,
    pub status: String,
    pub outcome: Option<String>,
    #[serde(serialize_with = "opt_date")]
    pub closed_on: Option<NaiveDate>,
    pub request: String,
    pub source: String,
    pub children: u32,
    pub counsellor: Option<String>,
}

/// A visit to the walk-in hour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Visit {
    #[serde(serialize_with = "date")]
    pub day: NaiveDate,
    #[serde(serialize_with = "instant")]
    pub arrived_at: DateTime<Utc>,
    /// An `attendance` code: `both`, or `one` (only in a copy for the file's only partner).
    pub came: String,
    pub request: String,
    pub status: String,
    pub outcome: Option<String>,
    pub counsellor: Option<String>,
    pub note: String,
}

/// A trajectory of at most five conversations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrajectoryRow {
    #[serde(serialize_with = "instant")]
    pub started_at: DateTime<Utc>,
    #[serde(serialize_with = "opt_instant")]
    pub ended_at: Option<DateTime<Utc>>,
    pub counsellor: String,
}

/// A conversation of a trajectory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conversation {
    #[serde(serialize_with = "instant")]
    pub starts_at: DateTime<Utc>,
    pub status: String,
    /// For a held conversation: `both`, or `partner1`/`partner2` (this partner alone).
    pub attended: Option<String>,
    pub counsellor: String,
    pub room: String,
    pub cancel_reason: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LifeEventRow {
    pub kind: String,
    #[serde(serialize_with = "opt_date")]
    pub on: Option<NaiveDate>,
}

/// A referral to other help, with this partner's consent (the other partner's is their own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferralRow {
    /// The party's code (as in the parties list); `party_name` is its name where known.
    pub party: String,
    pub party_name: String,
    pub reason: String,
    pub status: String,
    /// A `shared` code: what went along (`names`, `request`, `summary`).
    pub shared: String,
    pub summary: String,
    #[serde(serialize_with = "instant")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "opt_date")]
    pub sent_on: Option<NaiveDate>,
    #[serde(serialize_with = "opt_date")]
    pub answered_on: Option<NaiveDate>,
    #[serde(serialize_with = "opt_date")]
    pub consent_given_on: Option<NaiveDate>,
    #[serde(serialize_with = "opt_date")]
    pub consent_withdrawn_on: Option<NaiveDate>,
}

/// Who referred the couple to the desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferralIn {
    pub source: String,
    #[serde(serialize_with = "date")]
    pub referred_on: NaiveDate,
}

/// This partner's own marks at a held conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScoreRow {
    #[serde(serialize_with = "instant")]
    pub conversation_at: DateTime<Utc>,
    pub satisfaction: u8,
    pub communication: u8,
    pub hope: u8,
}

/// One row of the file's access log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogRow {
    #[serde(serialize_with = "instant")]
    pub at: DateTime<Utc>,
    /// An access event's code (`file_read`, `file_changed`, `access_export`, …).
    pub event: String,
    /// The part of the file that changed, for `file_changed` and `referral` (a code), else empty.
    pub part: String,
    pub user: String,
    /// The user's roles then, `+`-joined codes.
    pub roles: String,
    pub workstation: String,
}

/// The parts of a file's change that the copy names; any other (a safety concern recorded or
/// cleared) is shown as a change without its part.
pub const NAMED_PARTS: &[&str] =
    &["edit", "notes", "status", "life_event", "referral_out", "referral_status", "referral_in"];

/// Which partner a walk-in may be shown to. A visit of both partners is either's; a visit of one
/// partner only to the file's only partner, because loket does not record which of two came
/// alone, and a visit of one partner alone must never reach the other.
pub fn visit_is_theirs(attendance: &str, partners_on_file: u32) -> bool {
    attendance == "both" || partners_on_file == 1
}

/// Which conversations a partner sees: planned, missed and cancelled ones (the couple's
/// appointments), and held ones they came to (together, or they alone), never one the other
/// partner had alone.
pub fn conversation_is_theirs(attended: Option<&str>, partner: u8) -> bool {
    match attended {
        None | Some("both") => true,
        Some(alone) => alone == format!("partner{partner}"),
    }
}

fn instant<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&at.to_rfc3339_opts(SecondsFormat::Secs, true))
}

fn opt_instant<S: Serializer>(at: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => instant(at, s),
        None => s.serialize_none(),
    }
}

fn date<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.format("%Y-%m-%d").to_string())
}

fn opt_date<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => date(d, s),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_visit_of_one_partner_reaches_only_the_only_partner() {
        assert!(visit_is_theirs("both", 2));
        assert!(visit_is_theirs("both", 1));
        assert!(visit_is_theirs("one", 1));
        assert!(!visit_is_theirs("one", 2), "which of two came alone is not recorded");
    }

    #[test]
    fn a_conversation_one_partner_had_alone_is_not_the_others() {
        assert!(conversation_is_theirs(None, 1));
        assert!(conversation_is_theirs(Some("both"), 2));
        assert!(conversation_is_theirs(Some("partner1"), 1));
        assert!(!conversation_is_theirs(Some("partner2"), 1));
        assert!(!conversation_is_theirs(Some("partner1"), 2));
    }
}
