//! Fictitious couples to try loket with: the memo's mix (about 3 in 4 for strengthening or
//! repair, 1 in 4 about separation), a few counsellors, and a queue for today.

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};

use crate::config::Config;
use crate::domain::couple::{Request, Source};
use crate::domain::file::{FileDetails, LifeEventKind, Partner, Wish};
use crate::domain::names::PersonName;
use crate::domain::password::PasswordHash;
use crate::domain::planner::{Attended, SessionStatus};
use crate::domain::trajectory::{DutyHour, NewSession};
use crate::domain::user::{Role, User};
use crate::domain::walkin::{Attendance, Change, CoupleRef, DESK_TZ, NewWalkIn, Outcome};
use crate::store::{NewUser, Result, Store, StoreError};

mod history;

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

/// How couples find the desk, self-referred counted twice; the last (POH Jeugd) only in the history.
const SOURCES: &[Source] = &[
    Source::SelfReferred,
    Source::SelfReferred,
    Source::NeighbourhoodTeam,
    Source::ChurchOrThemeMeeting,
    Source::School,
    Source::Gp,
    Source::PohJeugd,
];

/// The password of every demo user: the demo is for trying loket, never for real data.
pub const DEMO_PASSWORD: &str = "loket-demo";

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

    /// The memo's mix: 1 in 4 about separation, the rest to strengthen or repair.
    fn request(&mut self) -> Request {
        match self.roll(8) {
            0 | 1 => Request::Separation,
            2..=4 => Request::Strengthen,
            _ => Request::Repair,
        }
    }

    /// How a couple found the desk, from `sources` (self-referred twice as likely).
    fn source(&mut self, sources: &[Source]) -> Source {
        sources[self.roll(sources.len())]
    }

    fn walk_in(&mut self) -> NewWalkIn {
        let attendance = if self.roll(5) < 2 { Attendance::One } else { Attendance::Both };
        let mut partners = vec![self.person()];
        if attendance == Attendance::Both || self.roll(2) == 0 {
            partners.push(self.person());
        }
        let request = self.request();
        // The memo: no referral from the POH Jeugd so far.
        let source = self.source(&SOURCES[..SOURCES.len() - 1]);
        NewWalkIn { couple: CoupleRef::New(partners), attendance, request, source, note: String::new() }
    }
}

/// A trajectory begun after the walk-in: weekly conversations on Thursdays, held while in the
/// past and planned ahead, at an hour of its own so that counsellors are never double-booked.
fn plan_trajectory(
    store: &mut Store,
    config: &Config,
    couple: i64,
    counsellor: &User,
    begun: DateTime<Utc>,
    k: usize,
    now: DateTime<Utc>,
) -> Result<()> {
    let trajectory = store.start_trajectory(couple, counsellor.id, counsellor, begun)?;
    let w = &config.walk_in_hour;
    let duty = DutyHour { weekday: w.weekday.0, from: w.start.0, to: w.end.0 };
    let mut day = begun.with_timezone(&DESK_TZ).date_naive() + Duration::days(1);
    while day.weekday() != chrono::Weekday::Thu {
        day += Duration::days(1);
    }
    for n in 0..4 {
        let date = day + Duration::weeks(n);
        let time = chrono::NaiveTime::from_hms_opt(9 + 2 * k as u32, 0, 0).unwrap_or_default();
        let Some(start) = DESK_TZ.from_local_datetime(&date.and_time(time)).earliest() else { continue };
        let start = start.with_timezone(&Utc);
        let status = if start < now { SessionStatus::Held } else { SessionStatus::Planned };
        let attended = (status == SessionStatus::Held).then_some(Attended::Both);
        let new = NewSession {
            trajectory_id: trajectory,
            start,
            room: config.rooms.get(k % config.rooms.len().max(1)).cloned().unwrap_or_default(),
            status,
            attended,
        };
        store.plan_session(&new, duty, counsellor, now)?;
    }
    Ok(())
}

/// Contact details, wishes and children for every file; a life event, notes or a concern (zorgsignaal)
/// for some, as a counsellor would have recorded them after the walk-in.
fn fill_file(
    store: &mut Store,
    dice: &mut Dice,
    couple: i64,
    i: usize,
    by: &User,
    at: DateTime<Utc>,
) -> Result<()> {
    let file = store.read_file(couple, by)?;
    let partners = file
        .partners
        .iter()
        .map(|p| Partner {
            phone: format!("06-{:08}", 10_000_000 + dice.roll(89_999_999)),
            email: format!("{}@example.nl", crate::domain::names::fold(&p.name.given)),
            birth_year: Some(1960 + dice.roll(40) as i32),
            wish: Wish::ALL[dice.roll(Wish::ALL.len())],
            ..p.clone()
        })
        .collect();
    let details =
        FileDetails { partners, children: dice.roll(4) as u32, request: file.request, source: file.source };
    store.save_details(couple, file.version, &details, by, at)?;
    if i.is_multiple_of(4) {
        let kind = LifeEventKind::ALL[dice.roll(LifeEventKind::ALL.len())];
        let on = at.date_naive().checked_sub_days(chrono::Days::new(30 + dice.roll(300) as u64));
        store.add_life_event(couple, file.version + 1, kind, on, by, at)?;
    }
    if i % 5 == 1 {
        let version = store.read_file(couple, by)?.version;
        store.save_notes(
            couple,
            version,
            "Verzonnen notitie: communicatie over de opvoeding loopt vast.",
            by,
            at,
        )?;
    }
    if i == 7 {
        // A zorgsignaal, its signals mapped (step 1 of the meldcode).
        let concern = store.open_concern(couple, "Verzonnen voorbeeld van een zorgsignaal", by, at)?;
        let mapped = crate::domain::concern::NewStep {
            detail: crate::domain::concern::StepDetail::Mapped,
            on: crate::domain::walkin::desk_day(at),
            note: "Verzonnen: signalen besproken en vastgelegd".to_owned(),
        };
        store.record_step(concern, &mapped, by, at)?;
    }
    Ok(())
}

/// What the demo made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    pub couples: usize,
    pub counsellors: usize,
    pub today: usize,
}

/// The most couples `loket demo --couples` makes: ten million is ten years of a country's desks;
/// more only fills a disk (and, without end, never finishes).
pub const MAX_COUPLES: u64 = 10_000_000;

/// The hand-made part of every demo: the last twelve weeks and today's queue, with a zorgsignaal,
/// notes and four trajectories. Couples beyond it are years of history before it (`history`).
pub const SHOWCASE: usize = 40;

/// Couples of the history per transaction: large enough to be fast, small enough to keep memory
/// low and to show progress.
const PER_TRANSACTION: usize = 20_000;

/// Fills an empty database with `couples` couples: the showcase, and before it the history.
/// `progress` is told how many couples of the history are written, and of how many. A database
/// that already holds couples is left alone.
pub fn fill(
    store: &mut Store,
    config: &Config,
    couples: usize,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Option<DemoSummary>> {
    if store.couple_count()? > 0 {
        return Ok(None);
    }
    let mut dice = Dice(0x5eed_1e7a_2026);
    let hash = PasswordHash::new(DEMO_PASSWORD).ok_or(StoreError::NotAllowed)?;
    let henk = store.create_first_user("Henk Bos", &hash, now)?;
    // The demo's users keep the known password: no new one at their first sign-in.
    let mut add = |name: &str, role: Role| -> Result<User> {
        store.add_user(&henk, NewUser { name, roles: &[role], hash: &hash, temporary: false }, now)
    };
    let ingrid = add("Ingrid Hoekstra", Role::Receptionist)?;
    let mut counsellors = Vec::new();
    for name in ["Sara de Boer", "Pieter Kok", "Anouk Verbeek"] {
        counsellors.push(add(name, Role::Counsellor)?);
    }
    let (couples, older) = (couples.min(SHOWCASE), couples.saturating_sub(SHOWCASE));
    let weekday = config.walk_in_hour.weekday.0;
    let start = config.walk_in_hour.start.0;
    let mut day = now.date_naive() - Duration::days(7);
    while day.weekday() != weekday {
        day -= Duration::days(1);
    }
    let mut staff = counsellors.len();
    if older > 0 {
        let slots = history::weekly_slots(config);
        let mut lanes = Vec::new();
        let mut users = vec![ingrid.clone()];
        for n in 0..history::lanes_needed(older, slots.len()) {
            let (prefix, surname) = SURNAMES[n / GIVEN.len() % SURNAMES.len()];
            let given = GIVEN[n % GIVEN.len()];
            let name = PersonName::new(given, prefix, surname).full();
            let name = if n < GIVEN.len() * SURNAMES.len() { name } else { format!("{name} {}", n + 1) };
            let user = add(&name, Role::Counsellor)?;
            lanes.push(history::Lane { counsellor: user.id, room: format!("Regiokamer {}", n + 1) });
            users.push(user);
        }
        staff += lanes.len();
        // The showcase's walk-ins go back twelve weeks; the history ends before the first of them.
        let newest = day - Duration::weeks(12);
        let until = local(day - Duration::weeks(11), start);
        let walk_in_counsellors = lanes.iter().map(|l| l.counsellor).collect();
        let couples = history::History::new(config, older, newest, until, walk_in_counsellors, &lanes);
        store.write_history(couples, &users, ingrid.id, PER_TRANSACTION, &mut |n| progress(n, older))?;
    }

    let today = couples.min(5);
    let history = couples - today;
    // Earlier walk-in hours: one a week on the configured weekday, going back from last week.
    let mut trajectories = 0;
    for i in 0..history {
        let week = i / 3;
        let date = day - Duration::weeks(week as i64);
        let arrived = local(date, start) + Duration::minutes(5 + 10 * (i % 3) as i64);
        let id = store.register_walk_in(&dice.walk_in(), arrived, None)?;
        let counsellor = &counsellors[dice.roll(counsellors.len())];
        let called = arrived + Duration::minutes(5);
        store.change_walk_in(id, 1, Change::CallIn { counsellor_id: counsellor.id }, called, None)?;
        let outcome = Outcome::ALL[dice.roll(Outcome::ALL.len())];
        let done = called + Duration::minutes(40);
        store.change_walk_in(id, 2, Change::Finish { outcome }, done, None)?;
        let couple = store.walk_in(id)?.couple.id;
        fill_file(store, &mut dice, couple, i, counsellor, done)?;
        if outcome == Outcome::TrajectoryToPlan && trajectories < 4 {
            plan_trajectory(store, config, couple, counsellor, done, trajectories, now)?;
            trajectories += 1;
        }
    }
    // Today's queue: one finished, one in conversation, the rest waiting.
    for i in 0..today {
        let arrived = now - Duration::minutes(45 - 9 * i as i64);
        let id = store.register_walk_in(&dice.walk_in(), arrived, None)?;
        if let Some(counsellor_id) = counsellors.get(i).filter(|_| i < 2) {
            let called = arrived + Duration::minutes(4);
            store.change_walk_in(id, 1, Change::CallIn { counsellor_id: counsellor_id.id }, called, None)?;
        }
        if i == 0 {
            let finish = Change::Finish { outcome: Outcome::TrajectoryToPlan };
            store.change_walk_in(id, 2, finish, arrived + Duration::minutes(35), None)?;
        }
    }
    Ok(Some(DemoSummary { couples: couples + older, counsellors: staff, today }))
}

/// A desk-local day and time as an instant (the earlier one in the autumn's double hour).
fn local(day: chrono::NaiveDate, time: chrono::NaiveTime) -> DateTime<Utc> {
    let naive = day.and_time(time);
    DESK_TZ.from_local_datetime(&naive).earliest().map_or_else(|| naive.and_utc(), |t| t.with_timezone(&Utc))
}
