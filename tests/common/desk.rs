//! The desks the tests start from: one store desk with a user of each role, one morning's queue,
//! and one filled demo desk for the screens and the fault tests.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use loket::app::App;
use loket::config::{Config, Lang};
use loket::domain::couple::{Request, Source};
use loket::domain::file::{LifeEventKind, Partner, Wish};
use loket::domain::names::PersonName;
use loket::domain::password::PasswordHash;
use loket::domain::planner::SessionStatus;
use loket::domain::referral::NewReferral;
use loket::domain::referral::PartyKind;
use loket::domain::referral::Scope;
use loket::domain::referral::Shared;
use loket::domain::trajectory::{DutyHour, NewSession};
use loket::domain::user::{Role, User};
use loket::domain::walkin::{Attendance, Change, DESK_TZ, Outcome};
use loket::domain::walkin::{CoupleRef, NewWalkIn};
use loket::i18n::Texts;
use loket::store::Store;
use tempfile::TempDir;

/// A moment in 2026, in UTC.
/// The password of every user the fixtures make.
pub const PASSWORD: &str = "test-wachtwoord";

/// The hash of [`PASSWORD`], made once per test binary (argon2 takes a moment on purpose).
pub fn hash() -> &'static PasswordHash {
    static HASH: std::sync::LazyLock<PasswordHash> =
        std::sync::LazyLock::new(|| PasswordHash::new(PASSWORD).expect("a hash"));
    &HASH
}

pub fn at(month: u32, day: u32, h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, h, m, 0).single().expect("valid time")
}

/// Wednesday 2 December 2026, 09:30 in Amsterdam: the walk-in hour.
pub fn now() -> DateTime<Utc> {
    at(12, 2, 8, 30)
}

/// A local time in December 2026 (winter time) in Amsterdam.
pub fn december(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    DESK_TZ
        .with_ymd_and_hms(2026, 12, day, hour, minute, 0)
        .single()
        .expect("exists once")
        .with_timezone(&Utc)
}

/// The walk-in hour, as the default configuration has it: Wednesdays 09:00–10:00 local.
pub fn duty() -> DutyHour {
    let t = |h| NaiveTime::from_hms_opt(h, 0, 0).expect("valid time");
    DutyHour { weekday: Weekday::Wed, from: t(9), to: t(10) }
}

/// A walk-in that opens a new file: both partners came when two are named, self-referred, no note.
pub fn walk_in(partners: &[(&str, &str, &str)], request: Request) -> NewWalkIn {
    NewWalkIn {
        couple: CoupleRef::New(partners.iter().map(|(g, p, s)| PersonName::new(g, p, s)).collect()),
        attendance: if partners.len() == 2 { Attendance::Both } else { Attendance::One },
        request,
        source: Source::SelfReferred,
        note: String::new(),
    }
}

/// A partner's details as the file form saves them: position, name, phone and e-mail, birth year
/// and wish.
pub fn partner(
    position: u8,
    name: &PersonName,
    (phone, email): (&str, &str),
    born: i32,
    wish: Wish,
) -> Partner {
    Partner {
        position,
        name: name.clone(),
        phone: phone.to_owned(),
        email: email.to_owned(),
        birth_year: Some(born),
        wish,
    }
}

/// A fresh database with one user of each role and a second counsellor, all added on 1 November.
pub struct Desk {
    pub dir: TempDir,
    pub path: PathBuf,
    pub store: Store,
    pub receptionist: User,
    pub counsellor: User,
    pub coordinator: User,
    /// A second counsellor.
    pub other: User,
}

pub fn desk() -> Desk {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loket.db");
    let mut store = Store::open(&path).expect("open");
    let t = at(11, 1, 8, 0);
    let receptionist =
        store.seed_user("Ria Balie", &[Role::Receptionist], crate::common::desk::hash(), t).expect("user");
    let counsellor =
        store.seed_user("Sara de Boer", &[Role::Counsellor], crate::common::desk::hash(), t).expect("user");
    let coordinator =
        store.seed_user("Kees Bakker", &[Role::Coordinator], crate::common::desk::hash(), t).expect("user");
    let other =
        store.seed_user("Jan Smit", &[Role::Counsellor], crate::common::desk::hash(), t).expect("user");
    Desk { dir, path, store, receptionist, counsellor, coordinator, other }
}

impl Desk {
    /// Registers a walk-in with a new file (asking for repair) at `when`, by `by`; returns the
    /// walk-in's and the couple's id.
    pub fn register(
        &mut self,
        partners: &[(&str, &str, &str)],
        when: DateTime<Utc>,
        by: Option<i64>,
    ) -> (i64, i64) {
        let id =
            self.store.register_walk_in(&walk_in(partners, Request::Repair), when, by).expect("register");
        (id, self.store.walk_in(id).expect("walk-in").couple.id)
    }
}

/// The queue of a morning's walk-in hour from `t0`: the `first` couple came at `t0`, was called in
/// by `sara` after 3 minutes and finished with a trajectory to plan after `first_done` minutes;
/// Ayşe Öztürk came after 5 and was called in by `pieter` after 15; Jan van den Berg & Mo El Amrani
/// came after 12 and wait, as does Zoë Visser (after 20) when `visser` is set. Returns the first
/// walk-in's id.
pub fn morning_queue(
    store: &mut Store,
    t0: DateTime<Utc>,
    first: &[(&str, &str, &str)],
    first_done: i64,
    (sara, pieter): (i64, i64),
    visser: bool,
) -> i64 {
    let minutes = Duration::minutes;
    let a = store.register_walk_in(&walk_in(first, Request::Repair), t0, None).expect("a");
    let b = store
        .register_walk_in(&walk_in(&[("Ayşe", "", "Öztürk")], Request::Separation), t0 + minutes(5), None)
        .expect("b");
    let berg = [("Jan", "van den", "Berg"), ("Mo", "", "El Amrani")];
    store.register_walk_in(&walk_in(&berg, Request::Strengthen), t0 + minutes(12), None).expect("c");
    if visser {
        let zoe = walk_in(&[("Zoë", "", "Visser")], Request::Information);
        store.register_walk_in(&zoe, t0 + minutes(20), None).expect("d");
    }
    store
        .change_walk_in(a, 1, Change::CallIn { counsellor_id: sara }, t0 + minutes(3), None)
        .expect("call a");
    let finish = Change::Finish { outcome: Outcome::TrajectoryToPlan };
    store.change_walk_in(a, 2, finish, t0 + minutes(first_done), None).expect("finish a");
    store
        .change_walk_in(b, 1, Change::CallIn { counsellor_id: pieter }, t0 + minutes(15), None)
        .expect("call b");
    a
}

/// A desk in the middle of its walk-in hour: a coordinator, a receptionist and two counsellors;
/// Kees de Vries & Els Jansen came, talked with Sara, got a trajectory (one conversation planned
/// for tomorrow), a life event and a referral to relationship therapy; Öztürk is in conversation
/// with Pieter and van den Berg & El Amrani are waiting. Returns the store and the couple's id.
pub fn filled_store(path: &Path) -> (Store, i64) {
    let mut store = Store::open(path).expect("open");
    let t0 = now() - Duration::minutes(40);
    store.seed_user("Henk Bos", &[Role::Coordinator], crate::common::desk::hash(), t0).expect("user");
    store.seed_user("Ingrid Hoekstra", &[Role::Receptionist], crate::common::desk::hash(), t0).expect("user");
    let sara =
        store.seed_user("Sara de Boer", &[Role::Counsellor], crate::common::desk::hash(), t0).expect("user");
    let pieter =
        store.seed_user("Pieter Kok", &[Role::Counsellor], crate::common::desk::hash(), t0).expect("user");
    let kees = [("Kees", "de", "Vries"), ("Els", "", "Jansen")];
    let a = morning_queue(&mut store, t0, &kees, 30, (sara.id, pieter.id), false);
    let couple = store.walk_in(a).expect("walk-in").couple.id;
    let trajectory = store.start_trajectory(couple, sara.id, &sara, now()).expect("trajectory");
    let session = NewSession {
        trajectory_id: trajectory,
        start: december(3, 14, 0),
        room: "Spreekkamer 1".into(),
        status: SessionStatus::Planned,
        attended: None,
    };
    store.plan_session(&session, duty(), &sara, now()).expect("plan");
    let version = store.read_file(couple, &sara).expect("file").version;
    let grief = NaiveDate::from_ymd_opt(2026, 3, 14);
    store.add_life_event(couple, version, LifeEventKind::Grief, grief, &sara, now()).expect("life event");
    store.create_referral(couple, &therapy_for_couple(), &sara, now()).expect("referral");
    (store, couple)
}

/// A referral of the couple to relationship therapy, with the request going along, the cost
/// explained and a follow-up on 16 December.
pub fn therapy_for_couple() -> NewReferral {
    NewReferral {
        party: "therapy".into(),
        party_kind: PartyKind::Therapy,
        scope: Scope::Couple,
        reason: "Vastgelopen communicatie.".into(),
        cost_explained: true,
        insurance_to_check: true,
        shared: Shared::WithRequest,
        summary: String::new(),
        follow_up_on: NaiveDate::from_ymd_opt(2026, 12, 16),
    }
}

/// The app on `store` in Dutch, at [`now`].
pub fn app_on(store: Store) -> App {
    App::new(store, Config::default(), Texts::new(Lang::Nl), Box::new(now))
}
