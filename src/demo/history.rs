//! Years of history before the showcase, for `loket demo --couples N` beyond the showcase's 40:
//! what happened to each couple, decided here and written by `Store::write_history`. The couples
//! are spread evenly over the ten years before the showcase's first week, one walk-in hour a week;
//! the proportions are in README (*Trying the demo*). Conversations are scheduled on lanes — a
//! counsellor with a room of their own — so that no counsellor and no room is ever booked twice,
//! and each lane's weekly slot is given to the next trajectory only when the one before is done.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};

use super::{Dice, local};
use crate::config::Config;
use crate::domain::couple::{Request, Source};
use crate::domain::file::{CloseOutcome, LifeEventKind, Wish};
use crate::domain::history::{
    HistoricCouple, HistoricPartner, HistoricReferral, HistoricSession, HistoricTrajectory, HistoricWalkIn,
};
use crate::domain::planner::{Attended, SessionStatus};
use crate::domain::referral::ReferralStatus;
use crate::domain::walkin::{Attendance, DESK_TZ, Outcome};

/// How far back the history reaches: ten years of weekly walk-in hours.
pub const WEEKS: i64 = 520;

/// Minutes a conversation lasts, and the room between two on one lane.
const LENGTH: i64 = 90;
const STEP: i64 = 105;

/// A counsellor with a room of their own, for the history's conversations.
#[derive(Debug, Clone)]
pub struct Lane {
    pub counsellor: i64,
    pub room: String,
}

/// How many lanes the history needs for `couples`: a third of them start a trajectory of up to
/// five weekly conversations, and each lane has a slot a week per conversation time (`slots`);
/// half again as many as that, so that trajectories rarely wait for a slot.
pub fn lanes_needed(couples: usize, slots: usize) -> usize {
    let per_week = couples as f64 / WEEKS as f64 / 3.0;
    ((per_week * 5.0 / slots.max(1) as f64 * 1.5).ceil() as usize).max(3)
}

/// The weekly times a lane can hold a conversation: on the working days, from the start of the
/// working hours on, every 105 minutes while it ends in time, outside the walk-in hour.
pub fn weekly_slots(config: &Config) -> Vec<(Weekday, NaiveTime)> {
    let w = &config.working_hours;
    let hour = &config.walk_in_hour;
    let mut slots = Vec::new();
    for day in &w.days {
        let mut start = w.start.0;
        while start + Duration::minutes(LENGTH) <= w.end.0 && start < start + Duration::minutes(STEP) {
            let end = start + Duration::minutes(LENGTH);
            let in_hour = day.0 == hour.weekday.0 && start < hour.end.0 && end > hour.start.0;
            if !in_hour {
                slots.push((day.0, start));
            }
            start += Duration::minutes(STEP);
        }
    }
    slots
}

/// The history, couple by couple, oldest first.
pub struct History<'a> {
    dice: Dice,
    total: usize,
    next: usize,
    /// The walk-in day of the newest week of history.
    newest: NaiveDate,
    /// Nothing of the history happens from this moment on: the showcase's time.
    until: DateTime<Utc>,
    config: &'a Config,
    counsellors: Vec<i64>,
    lanes: &'a [Lane],
    slots: Vec<(Weekday, NaiveTime)>,
    /// Per lane and weekly slot: the first week (counted from the oldest) it is free again.
    free: Vec<i64>,
    turn: usize,
    parties: Vec<String>,
}

impl<'a> History<'a> {
    /// `total` couples with walk-ins on the days of `newest`'s weekday, going back from it, all of
    /// their history before `until`. `counsellors` call the walk-ins in.
    pub fn new(
        config: &'a Config,
        total: usize,
        newest: NaiveDate,
        until: DateTime<Utc>,
        counsellors: Vec<i64>,
        lanes: &'a [Lane],
    ) -> History<'a> {
        let slots = weekly_slots(config);
        let free = vec![0; lanes.len() * slots.len()];
        let parties = config.parties.iter().map(|p| p.code.clone()).filter(|c| c != "veilig_thuis").collect();
        History {
            dice: Dice(0x0bad_5eed_2016),
            total,
            next: 0,
            newest,
            until,
            config,
            counsellors,
            lanes,
            slots,
            free,
            turn: 0,
            parties,
        }
    }

    /// The walk-in hour's start on the day of `week` (0 is the oldest).
    fn walk_in_hour(&self, week: i64) -> DateTime<Utc> {
        let day = self.newest - Duration::weeks(WEEKS - 1 - week);
        local(day, self.config.walk_in_hour.start.0)
    }

    fn hour_seconds(&self) -> i64 {
        (self.config.walk_in_hour.end.0 - self.config.walk_in_hour.start.0).num_seconds().max(60)
    }

    fn partner(&mut self) -> HistoricPartner {
        let name = self.dice.person();
        let given = crate::domain::names::fold(&name.given).replace(' ', "");
        HistoricPartner {
            phone: format!("06-{:08}", 10_000_000 + self.dice.roll(89_999_999)),
            email: format!("{given}{}@example.nl", self.dice.roll(1000)),
            birth_year: Some(1950 + self.dice.roll(50) as i32),
            wish: Wish::ALL[self.dice.roll(Wish::ALL.len())],
            name,
        }
    }

    fn walk_in(&mut self, week: i64, into_hour: i64, outcome: Outcome) -> HistoricWalkIn {
        let arrived = self.walk_in_hour(week) + Duration::seconds(into_hour);
        let called = arrived + Duration::minutes(3 + self.dice.roll(20) as i64);
        let done = called + Duration::minutes(30 + self.dice.roll(30) as i64);
        let attendance = if self.dice.roll(5) < 2 { Attendance::One } else { Attendance::Both };
        let counsellor = self.counsellors[self.dice.roll(self.counsellors.len())];
        HistoricWalkIn { arrived, attendance, counsellor, called, done, outcome }
    }

    fn outcome(&mut self) -> Outcome {
        match self.dice.roll(100) {
            0..=32 => Outcome::TrajectoryToPlan,
            33..=72 => Outcome::OneConversation,
            73..=87 => Outcome::ReferredOn,
            _ => Outcome::WillComeBack,
        }
    }

    /// A trajectory begun the week after `week`, on the next lane's next free weekly slot.
    fn trajectory(&mut self, week: i64, begun: DateTime<Utc>, partners: usize) -> Option<HistoricTrajectory> {
        if self.lanes.is_empty() || self.slots.is_empty() {
            return None;
        }
        let wanted = [1, 2, 3, 3, 4, 4, 4, 5, 5, 5][self.dice.roll(10)];
        let at = self.turn % self.free.len();
        self.turn += 1;
        let (lane, slot) = (&self.lanes[at / self.slots.len()], self.slots[at % self.slots.len()]);
        let first = self.free[at].max(week + 1);
        let monday = |w: i64| {
            let day = self.newest - Duration::weeks(WEEKS - 1 - w);
            day - Duration::days(day.weekday().num_days_from_monday() as i64)
        };
        let mut sessions = Vec::new();
        for n in 0..wanted {
            let day = monday(first + n) + Duration::days(slot.0.num_days_from_monday() as i64);
            let start = local(day, slot.1);
            let end = start + Duration::minutes(LENGTH);
            if end >= self.until {
                break;
            }
            let status = match self.dice.roll(100) {
                0..=84 => SessionStatus::Held,
                85..=92 => SessionStatus::NoShow,
                _ => SessionStatus::Cancelled,
            };
            let attended = (status == SessionStatus::Held).then(|| match (partners, self.dice.roll(10)) {
                (1, _) => Attended::Partner1,
                (_, 0) => Attended::Partner1,
                (_, 1) => Attended::Partner2,
                _ => Attended::Both,
            });
            sessions.push(HistoricSession {
                start,
                end,
                room: lane.room.clone(),
                status,
                attended,
                scores: Vec::new(),
            });
        }
        self.free[at] = first + sessions.len() as i64;
        self.score(&mut sessions);
        let last = sessions.last().map(|s| s.end)?;
        let ended = Some(last + Duration::days(1)).filter(|e| *e < self.until);
        Some(HistoricTrajectory { counsellor: lane.counsellor, started: begun, ended, sessions })
    }

    /// The outcome measure at the first and the last conversation held, per partner present:
    /// most couples a little better at the end.
    fn score(&mut self, sessions: &mut [HistoricSession]) {
        let held: Vec<usize> = sessions
            .iter()
            .enumerate()
            .filter(|(_, s)| s.status == SessionStatus::Held)
            .map(|(i, _)| i)
            .collect();
        let (Some(&first), Some(&last)) = (held.first(), held.last()) else { return };
        let base = [3 + self.dice.roll(4) as u8, 3 + self.dice.roll(4) as u8, 4 + self.dice.roll(4) as u8];
        for (i, gain) in [(first, 0), (last, 1)] {
            if i == first && gain == 1 {
                break;
            }
            let present: &[u8] = match sessions[i].attended {
                Some(Attended::Partner1) => &[1],
                Some(Attended::Partner2) => &[2],
                _ => &[1, 2],
            };
            for &position in present {
                let marks = base.map(|b| (b + gain * self.dice.roll(4) as u8).min(10));
                sessions[i].scores.push((position, marks));
            }
        }
    }

    fn close_outcome(&mut self, request: Request) -> CloseOutcome {
        let roll = self.dice.roll(10);
        match (request, roll) {
            (Request::Separation, 0..=3) => CloseOutcome::Separated,
            (Request::Separation, 4..=6) => CloseOutcome::ReferredOn,
            (Request::Separation, 7) => CloseOutcome::TogetherStrengthened,
            (_, 0..=5) => CloseOutcome::TogetherStrengthened,
            (_, 6) => CloseOutcome::Separated,
            (_, 7) => CloseOutcome::ReferredOn,
            (_, 8) => CloseOutcome::Stopped,
            _ => CloseOutcome::Unknown,
        }
    }

    fn referral(&mut self, request: Request, created: DateTime<Utc>) -> Option<HistoricReferral> {
        let party = if request == Request::Separation && self.parties.iter().any(|p| p == "sko") {
            "sko".to_owned()
        } else {
            self.parties.get(self.dice.roll(self.parties.len().max(1)))?.clone()
        };
        let status = match self.dice.roll(20) {
            0..=9 => ReferralStatus::Accepted,
            10..=14 => ReferralStatus::Sent,
            15..=16 => ReferralStatus::Declined,
            _ => ReferralStatus::NoAnswer,
        };
        let answered = matches!(status, ReferralStatus::Accepted | ReferralStatus::Declined);
        let answered_on = answered
            .then(|| DESK_TZ.from_utc_datetime(&created.naive_utc()).date_naive())
            .map(|d| d + Duration::days(7 + self.dice.roll(21) as i64));
        Some(HistoricReferral { party, created, status, answered_on })
    }
}

impl Iterator for History<'_> {
    type Item = HistoricCouple;

    fn next(&mut self) -> Option<HistoricCouple> {
        if self.next >= self.total {
            return None;
        }
        let i = self.next as u128;
        self.next += 1;
        // Evenly over the weeks, and within a week's hour in order of arrival.
        let place = i * WEEKS as u128 * 3600 / self.total as u128;
        let week = (place / 3600) as i64;
        let into_hour = (place % 3600) as i64 * self.hour_seconds() / 3600;

        let request = self.dice.request();
        let source = self.dice.source(super::SOURCES);
        let first_outcome = self.outcome();
        let mut walk_ins = vec![self.walk_in(week, into_hour, first_outcome)];
        let together = walk_ins[0].attendance == Attendance::Both || self.dice.roll(2) == 0;
        let partners: Vec<HistoricPartner> =
            (0..if together { 2 } else { 1 }).map(|_| self.partner()).collect();
        // Who said they would come back mostly did, a few weeks later.
        if first_outcome == Outcome::WillComeBack && self.dice.roll(3) > 0 {
            let later = (week + 2 + self.dice.roll(5) as i64).min(WEEKS - 1);
            let outcome =
                if self.dice.roll(5) < 2 { Outcome::TrajectoryToPlan } else { Outcome::OneConversation };
            let into = self.dice.roll(self.hour_seconds() as usize) as i64;
            let again = self.walk_in(later, into, outcome);
            walk_ins.push(again);
        }
        let last = walk_ins.last().cloned()?;
        let last_week =
            if walk_ins.len() > 1 { ((last.arrived - walk_ins[0].arrived).num_weeks()) + week } else { week };
        let trajectory = if last.outcome == Outcome::TrajectoryToPlan {
            self.trajectory(last_week, last.done, partners.len())
        } else {
            None
        };
        // Files are closed when their trajectory ended, or some weeks after a single conversation.
        let closed = match &trajectory {
            Some(t) => t.ended,
            None => {
                Some(last.done + Duration::days(14 + self.dice.roll(50) as i64)).filter(|c| *c < self.until)
            }
        }
        .filter(|_| self.dice.roll(20) > 0)
        .map(|at| (self.close_outcome(request), at));
        let referred =
            walk_ins.iter().find(|w| w.outcome == Outcome::ReferredOn).map(|w| w.done).or_else(|| {
                closed.filter(|(o, _)| *o == CloseOutcome::ReferredOn).map(|(_, at)| at - Duration::days(1))
            });
        let referral = referred.and_then(|at| self.referral(request, at));
        let referred_in =
            (matches!(source, Source::Gp | Source::School | Source::NeighbourhoodTeam | Source::PohJeugd)
                && self.dice.roll(3) == 0)
                .then(|| {
                    (source, walk_ins[0].arrived.date_naive() - Duration::days(3 + self.dice.roll(20) as i64))
                });
        let life_event = (self.dice.roll(4) == 0).then(|| {
            let kind = LifeEventKind::ALL[self.dice.roll(LifeEventKind::ALL.len())];
            let on = (self.dice.roll(5) > 0)
                .then(|| walk_ins[0].arrived.date_naive() - Duration::days(30 + self.dice.roll(300) as i64));
            (kind, on)
        });
        Some(HistoricCouple {
            partners,
            children: self.dice.roll(4) as u32,
            request,
            source,
            walk_ins,
            trajectory,
            referral,
            referred_in,
            life_event,
            closed,
        })
    }
}
