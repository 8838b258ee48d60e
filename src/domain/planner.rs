//! Trajectories and their conversations: at most 5 of exactly 90 minutes, no double bookings,
//! no planning in the past, and the year's budget.

use chrono::{DateTime, Datelike, Duration, NaiveTime, Utc, Weekday};

use super::walkin::DESK_TZ;

use super::coded_enum;

/// A trajectory holds at most this many conversations (held, no-show and planned ones count).
pub const MAX_CONVERSATIONS: usize = 5;
/// Every conversation lasts exactly this long.
pub const CONVERSATION_MINUTES: i64 = 90;

coded_enum!(
    /// Where a conversation is.
    SessionStatus, "session_status" {
        Planned => "planned",
        Held => "held",
        NoShow => "no_show",
        Cancelled => "cancelled",
    }
);

coded_enum!(
    /// Who came to a conversation.
    Attended, "attended" {
        Both => "both",
        Partner1 => "partner1",
        Partner2 => "partner2",
    }
);

impl SessionStatus {
    /// Held and no-show conversations are used up; a cancelled one gives its place back.
    pub fn is_used(self) -> bool {
        matches!(self, SessionStatus::Held | SessionStatus::NoShow)
    }

    /// Whether the conversation takes one of the five places (and the counsellor's and room's time).
    pub fn takes_a_place(self) -> bool {
        self != SessionStatus::Cancelled
    }
}

/// The end of a conversation that starts at `start`.
pub fn end_of(start: DateTime<Utc>) -> DateTime<Utc> {
    start + Duration::minutes(CONVERSATION_MINUTES)
}

/// A conversation as the rules need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub start: DateTime<Utc>,
    pub status: SessionStatus,
}

/// "3 of 5 held, 1 planned, 1 left".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub held: usize,
    pub no_show: usize,
    pub planned: usize,
    pub cancelled: usize,
    pub left: usize,
}

pub fn tally(statuses: impl IntoIterator<Item = SessionStatus>) -> Tally {
    let mut t = Tally::default();
    for s in statuses {
        match s {
            SessionStatus::Held => t.held += 1,
            SessionStatus::NoShow => t.no_show += 1,
            SessionStatus::Planned => t.planned += 1,
            SessionStatus::Cancelled => t.cancelled += 1,
        }
    }
    t.left = MAX_CONVERSATIONS.saturating_sub(t.held + t.no_show + t.planned);
    t
}

/// Another conversation that is in the way, described without names (file number and time only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub file: String,
    pub start: DateTime<Utc>,
}

/// Why a conversation cannot be planned (or recorded) like this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanRefused {
    /// The trajectory already has five conversations.
    Full,
    /// A planned conversation must lie in the future.
    InThePast,
    /// A conversation recorded as held or no-show must lie in the past.
    NotYetHappened,
    /// The counsellor has another conversation then.
    CounsellorBusy(Clash),
    /// The room is taken then.
    RoomTaken(Clash),
    /// The counsellor is on duty at the walk-in hour then.
    WalkInHour,
    /// The desk is closed that day, or the counsellor has it off (the desk's settings).
    Closed { day: chrono::NaiveDate, why: super::settings::Closed },
    /// The trajectory has ended.
    Ended,
    /// The couple already has a trajectory that has not ended.
    AlreadyActive,
    /// Only a planned conversation can be marked held, no-show or cancelled.
    NotPlanned,
    /// A trajectory with a conversation held (or missed) cannot be undone: it is ended instead.
    AlreadyUsed,
}

/// Checks a new conversation against the trajectory's five places and the clock.
/// (Clashes with other conversations are checked by the store, which sees them all.)
pub fn check_new(
    existing: &[SessionStatus],
    start: DateTime<Utc>,
    status: SessionStatus,
    now: DateTime<Utc>,
) -> Result<(), PlanRefused> {
    if existing.iter().filter(|s| s.takes_a_place()).count() >= MAX_CONVERSATIONS {
        return Err(PlanRefused::Full);
    }
    match status {
        SessionStatus::Planned if start <= now => Err(PlanRefused::InThePast),
        SessionStatus::Held | SessionStatus::NoShow if start > now => Err(PlanRefused::NotYetHappened),
        _ => Ok(()),
    }
}

/// Whether a conversation starting at `start` overlaps the weekly walk-in hour (local time),
/// when every counsellor is on duty at the desk.
pub fn during_walk_in_hour(start: DateTime<Utc>, weekday: Weekday, from: NaiveTime, to: NaiveTime) -> bool {
    let local_start = start.with_timezone(&DESK_TZ);
    let local_end = end_of(start).with_timezone(&DESK_TZ);
    let day = local_start.date_naive();
    if day.weekday() != weekday {
        return false;
    }
    let hour_start = day.and_time(from);
    let hour_end = day.and_time(to);
    local_start.naive_local() < hour_end && local_end.naive_local() > hour_start
}

/// Whether a conversation starting at `start` lies wholly within working hours on a working day
/// (local time).
pub fn within_working_hours(start: DateTime<Utc>, days: &[Weekday], from: NaiveTime, to: NaiveTime) -> bool {
    let local_start = start.with_timezone(&DESK_TZ);
    let local_end = end_of(start).with_timezone(&DESK_TZ);
    days.contains(&local_start.weekday())
        && local_start.date_naive() == local_end.date_naive()
        && local_start.time() >= from
        && local_end.time() <= to
}

/// The year's budget: trajectories started against those funded, hours held, euros used.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    pub started: u32,
    pub funded: u32,
    pub hours_held: f64,
    pub euros_budget: f64,
    /// What the held hours cost at the funded rate (budget / (funded × 5 × 1.5 h)).
    pub euros_used: f64,
}

impl Budget {
    pub fn new(started: u32, held_conversations: u32, funded: u32, euros_budget: u32) -> Self {
        let hours_held = held_conversations as f64 * CONVERSATION_MINUTES as f64 / 60.0;
        let funded_hours = funded as f64 * MAX_CONVERSATIONS as f64 * CONVERSATION_MINUTES as f64 / 60.0;
        let rate = if funded_hours > 0.0 { euros_budget as f64 / funded_hours } else { 0.0 };
        Budget {
            started,
            funded,
            hours_held,
            euros_budget: euros_budget as f64,
            euros_used: hours_held * rate,
        }
    }

    /// Starting one more trajectory goes beyond what is funded.
    pub fn next_is_unfunded(&self) -> bool {
        self.started >= self.funded
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SessionStatus::*;
    use chrono::TimeZone;

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, d, h, 0, 0).single().expect("valid")
    }

    #[test]
    fn a_sixth_conversation_is_refused_but_a_cancelled_one_gives_its_place_back() {
        let now = at(1, 9);
        let five = [Held, Held, NoShow, Planned, Planned];
        assert_eq!(check_new(&five, at(20, 9), Planned, now), Err(PlanRefused::Full));
        assert_eq!(check_new(&five, at(1, 7), Held, now), Err(PlanRefused::Full));
        let with_cancelled = [Held, Held, NoShow, Planned, Cancelled, Cancelled];
        assert_eq!(check_new(&with_cancelled, at(20, 9), Planned, now), Ok(()));
    }

    #[test]
    fn planning_is_for_the_future_recording_for_the_past() {
        let now = at(10, 9);
        assert_eq!(check_new(&[], at(9, 9), Planned, now), Err(PlanRefused::InThePast));
        assert_eq!(check_new(&[], at(10, 9), Planned, now), Err(PlanRefused::InThePast));
        assert_eq!(check_new(&[], at(11, 9), Planned, now), Ok(()));
        assert_eq!(check_new(&[], at(9, 9), Held, now), Ok(()));
        assert_eq!(check_new(&[], at(11, 9), Held, now), Err(PlanRefused::NotYetHappened));
        assert_eq!(check_new(&[], at(11, 9), NoShow, now), Err(PlanRefused::NotYetHappened));
    }

    #[test]
    fn conversations_last_ninety_minutes() {
        assert_eq!(end_of(at(3, 13)) - at(3, 13), Duration::minutes(90));
    }

    #[test]
    fn the_walk_in_hour_is_busy_time() {
        let (from, to) =
            (NaiveTime::from_hms_opt(9, 0, 0).expect("t"), NaiveTime::from_hms_opt(10, 0, 0).expect("t"));
        // Wednesday 2 December 2026; Amsterdam is UTC+1.
        let wed = |h: u32, m: u32| Utc.with_ymd_and_hms(2026, 12, 2, h, m, 0).single().expect("valid");
        assert!(during_walk_in_hour(wed(8, 0), Weekday::Wed, from, to), "09:00-10:30 local");
        assert!(during_walk_in_hour(wed(6, 45), Weekday::Wed, from, to), "07:45-09:15 local");
        assert!(
            !during_walk_in_hour(wed(6, 30), Weekday::Wed, from, to),
            "07:30-09:00 local ends as it starts"
        );
        assert!(!during_walk_in_hour(wed(9, 0), Weekday::Wed, from, to), "10:00 local");
        assert!(!during_walk_in_hour(at(3, 8), Weekday::Wed, from, to), "a Thursday");
    }

    #[test]
    fn working_hours_bound_a_conversation() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).expect("t");
        let days = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri];
        let tue = |h: u32, m: u32| Utc.with_ymd_and_hms(2026, 12, 1, h, m, 0).single().expect("valid");
        assert!(within_working_hours(tue(8, 0), &days, t(9, 0), t(17, 0)), "09:00-10:30 local");
        assert!(within_working_hours(tue(14, 30), &days, t(9, 0), t(17, 0)), "15:30-17:00 ends at closing");
        assert!(!within_working_hours(tue(15, 0), &days, t(9, 0), t(17, 0)), "16:00-17:30 runs late");
        assert!(!within_working_hours(tue(7, 30), &days, t(9, 0), t(17, 0)), "08:30 is early");
        let sunday = Utc.with_ymd_and_hms(2026, 11, 29, 9, 0, 0).single().expect("valid");
        assert!(!within_working_hours(sunday, &days, t(9, 0), t(17, 0)), "a Sunday");
    }

    #[test]
    fn the_tally_reads_held_planned_left() {
        let t = tally([Held, Held, Held, Planned, Cancelled]);
        assert_eq!((t.held, t.planned, t.cancelled, t.left), (3, 1, 1, 1));
        let t = tally([Held, NoShow, Planned, Planned, Planned]);
        assert_eq!(t.left, 0);
    }

    #[test]
    fn the_budget_at_the_funded_rate() {
        // 10 trajectories of 5 × 1.5 h for € 10.000: € 133,33 an hour.
        let b = Budget::new(3, 7, 10, 10_000);
        assert_eq!(b.hours_held, 10.5);
        assert!((b.euros_used - 1400.0).abs() < 1e-9);
        assert!(!b.next_is_unfunded());
        assert!(Budget::new(10, 0, 10, 10_000).next_is_unfunded());
    }
}
