//! Fictitious couples to try loket with: the memo's mix (about 3 in 4 for strengthening or
//! repair, 1 in 4 about separation), a few counsellors, and a queue for today.

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};

use crate::config::Config;
use crate::domain::couple::{Request, Source};
use crate::domain::names::PersonName;
use crate::domain::user::Role;
use crate::domain::walkin::{Attendance, Change, DESK_TZ, Outcome};
use crate::store::{CoupleRef, NewWalkIn, Result, Store};

const GIVEN: &[&str] = &[
    "Jan", "Els", "Pieter", "Sanne", "Mohammed", "Fatima", "Ayşe", "Mehmet", "Daan", "Emma", "Sem", "Julia",
    "IJsbrand", "Anouk", "Kees", "Lotte", "Joris", "Fleur", "Thijs", "Zoë", "Noëlle", "Bram", "Yara",
    "Ruben",
];
const SURNAMES: &[(&str, &str)] = &[
    ("van der", "Wêreld"),
    ("", "Jansen"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("", "Öztürk"),
    ("", "El Amrani"),
    ("van 't", "Hof"),
    ("", "Bakker"),
    ("", "Visser"),
    ("de", "Jong"),
    ("", "Meijer"),
    ("van", "Dijk"),
    ("", "Yılmaz"),
    ("ter", "Horst"),
    ("", "Koç"),
    ("", "Smit"),
];

/// A small, fixed pseudo-random sequence: the same demo every time.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % sides as u64) as usize
    }

    fn person(&mut self) -> PersonName {
        let (prefix, surname) = SURNAMES[self.roll(SURNAMES.len())];
        PersonName::new(GIVEN[self.roll(GIVEN.len())], prefix, surname)
    }

    fn walk_in(&mut self) -> NewWalkIn {
        let attendance = if self.roll(5) < 2 { Attendance::One } else { Attendance::Both };
        let mut partners = vec![self.person()];
        if attendance == Attendance::Both || self.roll(2) == 0 {
            partners.push(self.person());
        }
        let request = match self.roll(8) {
            0 | 1 => Request::Separation,
            2..=4 => Request::Strengthen,
            _ => Request::Repair,
        };
        // The memo: no referral from the POH Jeugd so far.
        let source = [
            Source::SelfReferred,
            Source::SelfReferred,
            Source::NeighbourhoodTeam,
            Source::ChurchOrThemeMeeting,
            Source::School,
            Source::Gp,
        ][self.roll(6)];
        NewWalkIn { couple: CoupleRef::New(partners), attendance, request, source, note: String::new() }
    }
}

/// What the demo made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    pub couples: usize,
    pub counsellors: usize,
    pub today: usize,
}

/// Fills an empty database. A database that already holds couples is left alone.
pub fn fill(
    store: &mut Store,
    config: &Config,
    couples: usize,
    now: DateTime<Utc>,
) -> Result<Option<DemoSummary>> {
    if store.couple_count()? > 0 {
        return Ok(None);
    }
    let mut dice = Dice(0x5eed_1e7a_2026);
    store.add_user("Ingrid Hoekstra", Role::Receptionist, now)?;
    let mut counsellors = Vec::new();
    for name in ["Sara de Boer", "Pieter Kok", "Anouk Verbeek"] {
        counsellors.push(store.add_user(name, Role::Counsellor, now)?.id);
    }
    store.add_user("Henk Bos", Role::Coordinator, now)?;

    let today = couples.min(5);
    let history = couples - today;
    // Earlier walk-in hours: one a week on the configured weekday, going back from last week.
    let weekday = config.walk_in_hour.weekday.0;
    let start = config.walk_in_hour.start.0;
    let mut day = now.date_naive() - Duration::days(7);
    while day.weekday() != weekday {
        day -= Duration::days(1);
    }
    for i in 0..history {
        let week = i / 3;
        let date = day - Duration::weeks(week as i64);
        let local = DESK_TZ.from_local_datetime(&date.and_time(start)).earliest();
        let arrived = local.map_or_else(|| date.and_time(start).and_utc(), |t| t.with_timezone(&Utc))
            + Duration::minutes(5 + 10 * (i % 3) as i64);
        let id = store.register_walk_in(&dice.walk_in(), arrived, None)?;
        let counsellor = counsellors[dice.roll(counsellors.len())];
        let called = arrived + Duration::minutes(5);
        store.change_walk_in(id, 1, Change::CallIn { counsellor_id: counsellor }, called, None)?;
        let outcome = Outcome::ALL[dice.roll(Outcome::ALL.len())];
        store.change_walk_in(id, 2, Change::Finish { outcome }, called + Duration::minutes(40), None)?;
    }
    // Today's queue: one finished, one in conversation, the rest waiting.
    for i in 0..today {
        let arrived = now - Duration::minutes(45 - 9 * i as i64);
        let id = store.register_walk_in(&dice.walk_in(), arrived, None)?;
        if let Some(&counsellor_id) = counsellors.get(i).filter(|_| i < 2) {
            let called = arrived + Duration::minutes(4);
            store.change_walk_in(id, 1, Change::CallIn { counsellor_id }, called, None)?;
        }
        if i == 0 {
            let finish = Change::Finish { outcome: Outcome::TrajectoryToPlan };
            store.change_walk_in(id, 2, finish, arrived + Duration::minutes(35), None)?;
        }
    }
    Ok(Some(DemoSummary { couples, counsellors: counsellors.len(), today }))
}
