//! A couple's file (*dossier*): its status and track, the partners' wishes, life events,
//! the concerns about safety (*zorgsignalen*, in `concern.rs`), and who may read what.

use chrono::{DateTime, NaiveDate, Utc};

use super::coded_enum;
use super::concern::Concern;
use super::couple::{FileNumber, Request, Source};
use super::names::PersonName;

coded_enum!(
    /// Where a file is: new, helped in one conversation, in a trajectory, or closed.
    FileStatus, "file_status" {
        New => "new",
        OneConversation => "one_conversation",
        Trajectory => "trajectory",
        Closed => "closed",
    }
);

coded_enum!(
    /// How a closed file ended.
    CloseOutcome, "close_outcome" {
        TogetherStrengthened => "together_strengthened",
        Separated => "separated",
        ReferredOn => "referred_on",
        Stopped => "stopped",
        Unknown => "unknown",
    }
);

coded_enum!(
    /// What one partner wants for the relationship.
    Wish, "wish" {
        Unknown => "unknown",
        StayTogether => "stay_together",
        Unsure => "unsure",
        Separate => "separate",
    }
);

coded_enum!(
    /// A life event that strains a relationship.
    LifeEventKind, "life_event" {
        Grief => "grief",
        Birth => "birth",
        Unemployment => "unemployment",
        Illness => "illness",
        Moving => "moving",
        Other => "other",
    }
);

impl FileStatus {
    /// The statuses a file can move to from this one. A closed file can be reopened as new.
    pub fn next(self) -> &'static [FileStatus] {
        use FileStatus::*;
        match self {
            New => &[OneConversation, Trajectory, Closed],
            OneConversation => &[Trajectory, Closed],
            Trajectory => &[Closed],
            Closed => &[New],
        }
    }

    pub fn can_become(self, to: FileStatus) -> bool {
        self.next().contains(&to)
    }
}

/// A partner as the file shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Partner {
    pub position: u8,
    pub name: PersonName,
    pub phone: String,
    pub email: String,
    pub birth_year: Option<i32>,
    pub wish: Wish,
}

/// A life event, with the date it happened if known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LifeEvent {
    pub id: i64,
    pub kind: LifeEventKind,
    pub on: Option<NaiveDate>,
}

/// The notes as a role may see them: their text, or only whether there are any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notes {
    Text(String),
    Hidden { exist: bool },
}

/// A partner's private note: what they told a counsellor alone, never given to the other partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateNote {
    pub position: u8,
    pub text: String,
}

/// What happened to a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Happening {
    WalkIn {
        ticket: u32,
        status: super::walkin::Status,
        outcome: Option<super::walkin::Outcome>,
        /// The short note typed at registration, as the role may read it (the notes' rule).
        note: Notes,
    },
    Status {
        to: FileStatus,
        outcome: Option<CloseOutcome>,
    },
    Edited,
    Notes,
    /// A partner's private note was changed (which partner; never its text).
    PrivateNote(u8),
    /// The old flag (before the concerns of schema 10) set or cleared.
    SafetySet,
    SafetyCleared,
    /// A concern (*zorgsignaal*) opened.
    ConcernOpened,
    /// A step of the meldcode recorded (1 to 5; 5 closes the concern).
    ConcernStep(u8),
    LifeEvent(LifeEventKind),
    /// Referred on to a party (its code).
    ReferralOut(String),
    /// A referral moved to a status.
    ReferralStatus(super::referral::ReferralStatus),
    /// Referred in to the desk by a source.
    ReferralIn(super::couple::Source),
    /// A conversation of a trajectory that was held, missed or cancelled.
    Conversation(super::planner::SessionStatus),
    TrajectoryStarted,
    TrajectoryEnded,
    /// A trajectory started by mistake was undone (it counts nowhere).
    TrajectoryUndone,
    /// A referral letter was written (to a party, its code), by a user (their name).
    Letter {
        party: String,
        by: String,
    },
}

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub what: Happening,
}

/// A couple's file as one role may read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoupleFile {
    pub id: i64,
    pub file: FileNumber,
    pub status: FileStatus,
    pub outcome: Option<CloseOutcome>,
    pub closed_on: Option<NaiveDate>,
    pub request: Request,
    pub source: Source,
    pub children: u32,
    pub counsellor: Option<(i64, String)>,
    pub partners: Vec<Partner>,
    pub life_events: Vec<LifeEvent>,
    pub notes: Notes,
    /// What one partner told alone, with that partner's mark: counsellors only (empty otherwise).
    pub private_notes: Vec<PrivateNote>,
    /// The couple's concerns, newest first, as the role may see them (none for a receptionist).
    pub concerns: Vec<Concern>,
    /// A concern is open: receive the partners separately. Shown to every role, without reason.
    pub receive_apart: bool,
    /// Whether the role may read the partners' wishes; when not, each partner's reads as unknown
    /// (the store did not select it) and the screen shows none.
    pub wishes_shown: bool,
    pub timeline: Vec<TimelineEntry>,
    pub version: i64,
}

impl CoupleFile {
    /// The open concern, if the role may see it.
    pub fn open_concern(&self) -> Option<&Concern> {
        self.concerns.iter().find(|c| c.is_open())
    }

    /// The lines of the notes box before they are wrapped: the notes' lines (or the one line that
    /// says there are none, or that they are hidden), then each partner's own note under its mark.
    pub fn notes_line_count(&self) -> usize {
        let own = match &self.notes {
            Notes::Text(text) if text.is_empty() && self.private_notes.is_empty() => 1,
            Notes::Text(text) => text.lines().count(),
            Notes::Hidden { .. } => 1,
        };
        own + self.private_notes.iter().map(|n| 1 + n.text.lines().count()).sum::<usize>()
    }
}

/// The editable details of a file, as the edit form hands them to the store (already checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDetails {
    pub partners: Vec<Partner>,
    pub children: u32,
    pub request: Request,
    pub source: Source,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_moves_forward_and_closes_from_anywhere() {
        use FileStatus::*;
        assert!(New.can_become(OneConversation));
        assert!(New.can_become(Trajectory));
        assert!(OneConversation.can_become(Trajectory));
        assert!(Trajectory.can_become(Closed));
        assert!(!Trajectory.can_become(OneConversation));
        assert!(!Closed.can_become(Trajectory));
        assert!(Closed.can_become(New), "a closed file can be reopened");
        for s in [New, OneConversation, Trajectory] {
            assert!(s.can_become(Closed));
        }
    }
}
