//! The council report on a fixed half year (01-05-2026 to 31-10-2026), every figure counted by hand:
//! the store's figures, small numbers suppressed, the command line's text, CSV and JSON agreeing,
//! and the report pane.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use loket::app::App;
use loket::config::{Config, Lang};
use loket::domain::couple::{Request, Source};
use loket::domain::file::{CloseOutcome, FileDetails, FileStatus, LifeEventKind};
use loket::domain::names::PersonName;
use loket::domain::planner::{Attended, SessionStatus};
use loket::domain::referral::{NewReferral, PartyKind, Scope, Shared};
use loket::domain::report::{Figure, Period, Value, show};
use loket::domain::scores::ScoreChange;
use loket::domain::trajectory::NewSession;
use loket::domain::user::{Role, User};
use loket::domain::walkin::{Attendance, Change, CoupleRef, DESK_TZ, NewWalkIn, Outcome};
use loket::i18n::Texts;
use loket::store::Store;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use std::path::Path;

use crate::common::bin::loket;
use crate::common::desk::duty;
use crate::common::{press_with as press, type_text};

/// A local time at the desk in 2026.
pub(crate) fn local(month: u32, day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    DESK_TZ.with_ymd_and_hms(2026, month, day, hour, minute, 0).single().expect("valid").with_timezone(&Utc)
}

pub(crate) fn date(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).expect("valid date")
}

pub(crate) fn half_year() -> Period {
    Period { from: date(5, 1), to: date(10, 31) }
}

type At = DateTime<Utc>;

struct Desk {
    store: Store,
    anna: User,
    bram: User,
}

impl Desk {
    /// Registers a walk-in, calls it in and finishes it; returns the couple's id.
    fn walk_in(&mut self, c: CoupleRef, a: Attendance, r: Request, s: Source, at: At, o: Outcome) -> i64 {
        let new = NewWalkIn { couple: c, attendance: a, request: r, source: s, note: String::new() };
        let w = self.store.register_walk_in(&new, at, None).expect("register");
        let call = Change::CallIn { counsellor_id: self.anna.id };
        self.store.change_walk_in(w, 1, call, at + Duration::minutes(5), None).expect("call in");
        let finish = Change::Finish { outcome: o };
        self.store.change_walk_in(w, 2, finish, at + Duration::minutes(45), None).expect("finish");
        self.store.walk_in(w).expect("walk-in").couple.id
    }

    fn version(&self, couple: i64) -> i64 {
        self.store.read_file(couple, &self.anna).expect("file").version
    }

    /// Starts a trajectory with its conversations, recorded afterwards (held, no-show) or planned a day
    /// ahead; returns their ids.
    fn trajectory(&mut self, c: i64, by: i64, on: At, room: &str, plan: &[(At, SessionStatus)]) -> Vec<i64> {
        let user = self.anna.clone();
        let trajectory_id = self.store.start_trajectory(c, by, &user, on).expect("start");
        let mut ids = Vec::new();
        for &(start, status) in plan {
            let now = start
                + if status == SessionStatus::Planned { -Duration::days(1) } else { Duration::hours(2) };
            let attended = (status == SessionStatus::Held).then_some(Attended::Both);
            let new = NewSession { trajectory_id, start, room: room.to_owned(), status, attended };
            ids.push(self.store.plan_session(&new, duty(), &user, now).expect("session"));
        }
        ids
    }

    fn scores(&mut self, session: i64, position: u8, scores: [u8; 3]) {
        self.store
            .save_scores(session, position, scores, &self.anna.clone(), local(11, 30, 12, 0))
            .expect("scores");
    }

    fn end(&mut self, couple: i64, at: At) {
        let (t, user) = (
            self.store.trajectory_of(couple, &self.anna).expect("read").expect("trajectory"),
            self.anna.clone(),
        );
        self.store.end_trajectory(t.id, t.version, &user, at).expect("end");
    }

    fn close(&mut self, couple: i64, outcome: CloseOutcome, on: NaiveDate) {
        let (v, user) = (self.version(couple), self.anna.clone());
        let at = local(on.month(), on.day(), 16, 0);
        self.store
            .set_file_status(couple, v, FileStatus::Closed, Some((outcome, on)), &user, at)
            .expect("close");
    }

    fn life_event(&mut self, couple: i64, kind: LifeEventKind) {
        let (v, user) = (self.version(couple), self.anna.clone());
        self.store.add_life_event(couple, v, kind, None, &user, local(10, 1, 12, 0)).expect("life event");
    }

    fn refer(&mut self, couple: i64, party: &str, at: At) {
        let new = NewReferral {
            party: party.to_owned(),
            party_kind: PartyKind::Other,
            scope: Scope::Partner1,
            reason: String::new(),
            cost_explained: true,
            insurance_to_check: false,
            shared: Shared::NamesOnly,
            summary: String::new(),
            follow_up_on: None,
        };
        let user = self.anna.clone();
        self.store.create_referral(couple, &new, &user, at).expect("referral");
    }
}

/// Builds the half year. C13 and C14 walk in outside it (C14 at 00:30 on 1 November, still
/// 31 October in UTC) and count nowhere except through conversations that start in the period.
pub(crate) fn build(path: &Path) -> Store {
    use Attendance::{Both, One};
    use Outcome::*;
    use Request::*;
    use SessionStatus::{Cancelled, Held, NoShow, Planned};
    use Source::{ChurchOrThemeMeeting, Gp, NeighbourhoodTeam as Nt, School, SelfReferred as Zelf};
    let mut store = Store::open(path).expect("open");
    let t0 = local(1, 5, 9, 0);
    let anna =
        store.seed_user("Anna de Graaf", &[Role::Counsellor], crate::common::desk::hash(), t0).expect("user");
    let bram =
        store.seed_user("Bram Kok", &[Role::Counsellor], crate::common::desk::hash(), t0).expect("user");
    let mut d = Desk { store, anna, bram };
    let new = |surname: &str| {
        let (prefix, surname) = surname.split_once(' ').unwrap_or(("", surname));
        CoupleRef::New(vec![PersonName::new("Eva", prefix, surname), PersonName::new("Tom", prefix, surname)])
    };
    let at = |m, day, minute| local(m, day, 9, minute);
    let c1 = d.walk_in(new("Bakker"), Both, Strengthen, Zelf, at(5, 6, 5), OneConversation);
    let c2 = d.walk_in(new("Visser"), Both, Strengthen, Zelf, at(5, 6, 10), TrajectoryToPlan);
    let c3 = d.walk_in(new("Smit"), One, Strengthen, Zelf, at(5, 6, 15), OneConversation);
    let c4 = d.walk_in(new("Meijer"), Both, Strengthen, Nt, at(8, 26, 5), TrajectoryToPlan);
    let c5 = d.walk_in(new("Mulder"), One, Strengthen, Nt, at(5, 12, 5), OneConversation);
    let c6 = d.walk_in(new("Bos"), Both, Repair, Nt, at(9, 9, 5), TrajectoryToPlan);
    d.walk_in(new("Vos"), Both, Repair, Nt, at(7, 2, 5), OneConversation);
    let c8 = d.walk_in(new("Peters"), One, Repair, Zelf, at(5, 20, 5), ReferredOn);
    let c9 = d.walk_in(new("Hendriks"), Both, Repair, School, at(10, 1, 5), TrajectoryToPlan);
    let c10 = d.walk_in(new("Dekker"), One, Separation, Zelf, at(6, 9, 5), OneConversation);
    let c11 = d.walk_in(new("Brouwer"), Both, Separation, Nt, at(10, 21, 5), TrajectoryToPlan);
    let c12 = d.walk_in(new("Dijkstra"), One, Information, Zelf, at(10, 29, 5), WillComeBack);
    // C1 comes back alone; the walk-in says repair, the file still says strengthen.
    d.walk_in(CoupleRef::Existing(c1), One, Repair, Zelf, at(6, 17, 5), TrajectoryToPlan);
    let c13 = d.walk_in(new("Jansen"), Both, Separation, Gp, at(4, 22, 5), TrajectoryToPlan);
    let late = Utc.with_ymd_and_hms(2026, 10, 31, 23, 30, 0).single().expect("time");
    let c14 = d.walk_in(new("de Wit"), One, Repair, ChurchOrThemeMeeting, late, OneConversation);
    // C12's file is corrected: they came about separation.
    let f = d.store.read_file(c12, &d.anna).expect("file");
    let details =
        FileDetails { request: Separation, partners: f.partners, children: f.children, source: f.source };
    let (v, user) = (d.version(c12), d.anna.clone());
    d.store.save_details(c12, v, &details, &user, local(10, 29, 11, 0)).expect("details");
    // C8 was referred in by the POH Jeugd (recorded first, dated later) and earlier by the GP.
    d.store.record_referral_in(c8, Source::PohJeugd, date(5, 2), &user, local(5, 20, 11, 0)).expect("in");
    d.store.record_referral_in(c8, Gp, date(4, 1), &user, local(5, 21, 11, 0)).expect("in");

    let (a, b) = (d.anna.id, d.bram.id);
    let (k1, k2) = ("Spreekkamer 1", "Spreekkamer 2");
    let held = |m, day| (local(m, day, 14, 0), Held);
    // C13's trajectory began before the period; its second conversation is in it.
    let s0 = d.trajectory(c13, a, local(4, 22, 11, 0), k1, &[held(4, 29), held(5, 5)]);
    d.scores(s0[0], 1, [5, 5, 5]);
    d.scores(s0[1], 1, [6, 6, 5]);
    let s1 =
        d.trajectory(c1, a, local(6, 17, 11, 0), k1, &[held(6, 23), held(6, 30), held(7, 7), held(7, 14)]);
    d.scores(s1[0], 1, [4, 3, 5]);
    d.scores(s1[0], 2, [5, 4, 4]);
    d.scores(s1[3], 1, [7, 6, 3]);
    d.scores(s1[3], 2, [6, 6, 2]);
    d.end(c1, local(7, 20, 12, 0));
    let s2 = d.trajectory(c2, b, local(5, 13, 11, 0), k2, &[held(5, 19), held(5, 26)]);
    d.scores(s2[0], 1, [3, 3, 2]);
    d.scores(s2[0], 2, [1, 1, 1]);
    d.scores(s2[1], 1, [3, 2, 1]);
    d.end(c2, local(6, 10, 12, 0));
    let morning = |m, day, status| (local(m, day, 10, 30), status);
    let plan = [morning(9, 8, Held), morning(9, 15, NoShow), morning(9, 22, Held), morning(11, 3, Planned)];
    let s3 = d.trajectory(c4, a, local(9, 2, 11, 0), k1, &plan);
    d.scores(s3[0], 1, [6, 5, 6]);
    d.scores(s3[0], 2, [2, 3, 4]);
    d.scores(s3[2], 1, [8, 7, 6]);
    d.scores(s3[2], 2, [5, 3, 5]);
    let plan = [held(9, 22), (local(10, 6, 14, 0), Planned), (local(10, 27, 14, 0), Planned)];
    let s4 = d.trajectory(c6, b, local(9, 16, 11, 0), k2, &plan);
    d.scores(s4[0], 1, [8, 8, 8]);
    d.store
        .set_session_status(s4[1], 1, Cancelled, None, "ziek", &d.anna.clone(), local(10, 5, 9, 0))
        .expect("cancel");
    let s5 =
        d.trajectory(c9, b, local(10, 7, 11, 0), k2, &[held(10, 13), held(10, 20), morning(10, 27, Held)]);
    d.scores(s5[0], 1, [4, 4, 4]);
    d.scores(s5[0], 2, [5, 5, 5]);
    d.scores(s5[1], 1, [9, 9, 9]);
    d.scores(s5[1], 2, [4, 6, 4]);
    d.scores(s5[2], 1, [6, 5, 4]);
    d.trajectory(c11, a, local(10, 28, 11, 0), k1, &[(local(11, 4, 14, 0), Planned)]);

    d.close(c1, CloseOutcome::TogetherStrengthened, date(7, 21));
    d.close(c2, CloseOutcome::Stopped, date(6, 11));
    d.close(c3, CloseOutcome::TogetherStrengthened, date(5, 20));
    d.close(c8, CloseOutcome::ReferredOn, date(6, 1));
    d.close(c10, CloseOutcome::Separated, date(10, 31));
    d.close(c14, CloseOutcome::Unknown, date(11, 1));

    for (couple, kind) in [
        (c1, LifeEventKind::Grief),
        (c1, LifeEventKind::Unemployment),
        (c4, LifeEventKind::Birth),
        (c6, LifeEventKind::Illness),
        (c9, LifeEventKind::Moving),
        (c11, LifeEventKind::Unemployment),
        (c12, LifeEventKind::Birth),
        (c13, LifeEventKind::Grief),
    ] {
        d.life_event(couple, kind);
    }
    for (couple, at) in [(c5, at(5, 12, 50)), (c8, at(5, 27, 0)), (c10, at(6, 9, 50)), (c11, at(10, 28, 0))] {
        d.refer(couple, "therapy", at);
    }
    d.refer(c12, "therapy", local(10, 31, 23, 55));
    d.refer(c2, "sko", local(6, 11, 10, 0));
    d.refer(c13, "therapy", local(4, 22, 10, 0));
    d.refer(c14, "amw", late + Duration::minutes(15));
    d.store
}

use Value::{Count, Share};

/// Every figure of the half year, counted by hand: (group, key, value, exact, as for the council).
#[rustfmt::skip]
pub(crate) fn expected() -> Vec<(&'static str, &'static str, Value, &'static str, &'static str)> {
    vec![
        // 13 walk-ins (C1 twice), 12 couples; together: C1 C2 C4 C6 C7 C9 C11; alone: C3 C5 C8 C10 C12 and C1's return.
        ("walk_ins", "walk_ins", Count(13), "13", "13"),
        ("walk_ins", "couples", Count(12), "12", "12"),
        ("walk_ins", "came_both", Count(7), "7", "7"),
        ("walk_ins", "came_one", Count(6), "6", "6"),
        // By the file: strengthen C1-C5, repair C6-C9, separation C10-C12 (C12 corrected from information).
        ("request", "strengthen", Count(5), "5", "5"),
        ("request", "repair", Count(4), "4", "<5"),
        ("request", "separation", Count(3), "3", "<5"),
        ("request", "information", Count(0), "0", "0"),
        ("request", "other", Count(0), "0", "0"),
        ("request", "strengthen_or_repair_share", Share { part: 9, whole: 12 }, "75%", "75%"),
        ("request", "separation_share", Share { part: 3, whole: 12 }, "25%", "–"),
        // One conversation and never a trajectory: C3 C5 C7 C10 (not C1, not C14 outside).
        ("track", "one_conversation", Count(4), "4", "<5"),
        ("track", "trajectory", Count(6), "6", "6"),
        ("trajectories", "started", Count(6), "6", "6"),
        ("trajectories", "completed", Count(1), "1", "<5"),
        ("trajectories", "stopped", Count(1), "1", "<5"),
        // Held: C13 1 (of 2), C1 4, C2 2, C4 2, C6 1, C9 3; no-show: C4 once; cancelled and planned ones not.
        ("trajectories", "held", Count(13), "13", "13"),
        ("trajectories", "no_show", Count(1), "1", "<5"),
        ("trajectories", "hours", Value::Hours { hours: 19.5, count: 13 }, "19,5", "19,5"),
        ("budget", "funded", Count(10), "10", "10"),
        ("budget", "started_of_funded", Share { part: 6, whole: 10 }, "60%", "60%"),
        // 10000 euros for 10 × 5 × 1,5 = 75 hours: 19,5 hours cost 2600.
        ("budget", "euros_used", Value::Euros { euros: 2600.0, count: 13 }, "2600,00", "2600,00"),
        ("budget", "euros_budget", Value::Euros { euros: 10000.0, count: u64::MAX }, "10000,00", "10000,00"),
        // Closed in the period: C1 C3 together, C10 separated on the last day, C8 referred, C2 stopped; not C14 (1 November).
        ("outcomes", "together_strengthened", Count(2), "2", "<5"),
        ("outcomes", "separated", Count(1), "1", "<5"),
        ("outcomes", "referred_on", Count(1), "1", "<5"),
        ("outcomes", "stopped", Count(1), "1", "<5"),
        ("outcomes", "unknown", Count(0), "0", "0"),
        // 8 partners scored twice or more: C1 ×2, C2 p1, C4 ×2, C9 ×2, C13 p1 (its trajectory has a conversation in May).
        ("scores", "satisfaction", Value::Mean { mean: Some(11.0 / 8.0), n: 8 }, "+1,4", "+1,4"),
        ("scores", "communication", Value::Mean { mean: Some(9.0 / 8.0), n: 8 }, "+1,1", "+1,1"),
        ("scores", "hope", Value::Mean { mean: Some(-5.0 / 8.0), n: 8 }, "-0,6", "-0,6"),
        // C8's last referral in (POH Jeugd) replaces its file's "self".
        ("referrals_in", "self", Count(5), "5", "5"),
        ("referrals_in", "poh_jeugd", Count(1), "1", "<5"),
        ("referrals_in", "school", Count(1), "1", "<5"),
        ("referrals_in", "neighbourhood_team", Count(5), "5", "5"),
        ("referrals_in", "church_theme", Count(0), "0", "0"),
        ("referrals_in", "gp", Count(0), "0", "0"),
        ("referrals_in", "other", Count(0), "0", "0"),
        ("referrals_out", "sko", Count(1), "1", "<5"),
        ("referrals_out", "therapy", Count(5), "5", "5"),
        ("referrals_out", "amw", Count(0), "0", "0"),
        ("referrals_out", "wijkteam", Count(0), "0", "0"),
        ("referrals_out", "huisarts_ggz", Count(0), "0", "0"),
        ("referrals_out", "veilig_thuis", Count(0), "0", "0"),
        // Of couples seen in the period (not C13's grief).
        ("life_events", "grief", Count(1), "1", "<5"),
        ("life_events", "birth", Count(2), "2", "<5"),
        ("life_events", "unemployment", Count(2), "2", "<5"),
        ("life_events", "illness", Count(1), "1", "<5"),
        ("life_events", "moving", Count(1), "1", "<5"),
        ("life_events", "other", Count(0), "0", "0"),
    ]
}

/// Equal, with floating point sums allowed their last bit.
pub(crate) fn same(a: Value, b: Value) -> bool {
    let near = |x: f64, y: f64| (x - y).abs() < 1e-9;
    match (a, b) {
        (Value::Hours { hours: x, count: c }, Value::Hours { hours: y, count: e })
        | (Value::Euros { euros: x, count: c }, Value::Euros { euros: y, count: e }) => near(x, y) && c == e,
        (Value::Mean { mean: Some(x), n: c }, Value::Mean { mean: Some(y), n: e }) => near(x, y) && c == e,
        _ => a == b,
    }
}

pub(crate) fn figures(store: &Store, period: Period) -> Vec<Figure> {
    let config = Config::default();
    let parties: Vec<&str> = config.parties.iter().map(|p| p.code.as_str()).collect();
    store.report(period, config.budget.funded_trajectories, config.budget.euros, &parties).expect("report")
}

fn value<'a>(figures: &'a [Figure], group: &str, key: &str) -> &'a Figure {
    figures.iter().find(|f| f.group == group && f.key == key).expect("figure")
}

#[test]
fn the_memo_s_half_year_counted_by_hand() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = build(&dir.path().join("loket.db"));
    let got = figures(&store, half_year());
    let want = expected();
    let keys = |v: &[(&str, &str)]| v.iter().map(|(g, k)| format!("{g}.{k}")).collect::<Vec<_>>();
    let got_keys: Vec<_> = got.iter().map(|f| (f.group, f.key.as_str())).collect();
    let want_keys: Vec<_> = want.iter().map(|w| (w.0, w.1)).collect();
    assert_eq!(keys(&got_keys), keys(&want_keys), "every figure, in order");
    for (fig, (group, key, value, exact, _)) in got.iter().zip(&want) {
        assert!(same(fig.value, *value), "{group}.{key}: {:?}, counted {value:?}", fig.value);
        assert_eq!(show(fig.value, true, true).text(), *exact, "{group}.{key}");
    }
    assert_eq!(show(value(&got, "request", "strengthen_or_repair_share").value, true, true).text(), "75%");
    assert_eq!(show(value(&got, "request", "separation_share").value, true, true).text(), "25%");
    // The weekly walk-ins: 27 weeks from Friday 1 May, 13 in all, three in the first week.
    let weekly = store.weekly_walk_ins(half_year()).expect("weekly");
    assert_eq!((weekly.len(), weekly.iter().sum::<u64>(), weekly[0]), (27, 13, 3));
    // C9's partners in the file: the first and the last score (not the one in between).
    let c9 = store.find_couples("hendriks", 1).expect("find")[0].id;
    let users = store.users().expect("users");
    let anna = users.iter().find(|u| u.name == "Anna de Graaf").expect("Anna");
    assert_eq!(
        store.score_changes(c9, anna).expect("scores"),
        [
            ScoreChange { position: 1, first: [4, 4, 4], last: [6, 5, 4], times: 3 },
            ScoreChange { position: 2, first: [5, 5, 5], last: [4, 6, 4], times: 2 },
        ]
    );
}

/// The value on the next line of the text output that starts with this label; `text` moves past it.
fn next_value(text: &mut &str, label: &str) -> Option<String> {
    while let Some((line, rest)) = text.split_once('\n') {
        *text = rest;
        if let Some(value) = line.trim_start().strip_prefix(label).filter(|r| r.starts_with(' ')) {
            return Some(value.trim().to_owned());
        }
    }
    None
}

fn text_value(mut text: &str, label: &str) -> Option<String> {
    next_value(&mut text, label)
}

/// The text report in English writes euros with their sign, the English way, and every value ends
/// in the same column, in both languages (issue 15, defect 14).
#[test]
fn the_text_report_writes_euros_each_language_s_way_in_one_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = build(&dir.path().join("loket.db"));
    let got = figures(&store, half_year());
    let config = Config::default();
    for (lang, used, budget) in
        [(Lang::En, "€2,600.00", "€10,000.00"), (Lang::Nl, "€ 2.600,00", "€ 10.000,00")]
    {
        let text = loket::report::text(&got, half_year(), &Texts::new(lang), &config, true);
        assert!(text.contains(used) && text.contains(budget), "{text}");
        let ends: std::collections::BTreeSet<usize> =
            text.lines().filter(|l| l.starts_with("  ")).map(unicode_width::UnicodeWidthStr::width).collect();
        assert_eq!(ends.len(), 1, "every value ends in the same column:\n{text}");
    }
}

#[test]
fn small_numbers_are_suppressed_for_the_council() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = build(&dir.path().join("loket.db"));
    let got = figures(&store, half_year());
    for (fig, (group, key, _, _, council)) in got.iter().zip(expected()) {
        assert_eq!(show(fig.value, false, true).text(), council, "{group}.{key}");
    }
    let (config, texts) = (Config::default(), Texts::new(Lang::Nl));
    let text = loket::report::text(&got, half_year(), &texts, &config, false);
    assert!(text.contains("Aantallen van 1 tot 4 staan als <5"), "{text}");
    for (label, shown) in [
        ("Inlopers", "13"),
        ("herstellen", "<5"),
        ("informatie", "0"),
        ("Aandeel versterken of herstellen", "75%"),
        ("Aandeel scheiding", "–"),
        ("Uren gesprekken", "19,5"),
        ("Euro's besteed (tarief van de financiering)", "€ 2.600,00"),
        ("Tevredenheid met de relatie", "+1,4"),
        ("POH Jeugd", "<5"),
    ] {
        assert_eq!(text_value(&text, label).as_deref(), Some(shown), "{label} in\n{text}");
    }
    // October alone: 3 walk-ins, 3 held conversations (C9), 2 partners scored twice.
    let october = Period { from: date(10, 1), to: date(10, 31) };
    let got = figures(&store, october);
    let check = |group, key, want: Value, council: &str| {
        let fig = value(&got, group, key).value;
        assert!(same(fig, want), "{group}.{key}: {fig:?}");
        assert_eq!(show(fig, false, true).text(), council, "{group}.{key}");
    };
    check("walk_ins", "walk_ins", Count(3), "<5");
    check("trajectories", "held", Count(3), "<5");
    check("trajectories", "hours", Value::Hours { hours: 4.5, count: 3 }, "–");
    check("budget", "euros_used", Value::Euros { euros: 600.0, count: 3 }, "–");
    check("scores", "satisfaction", Value::Mean { mean: Some(0.5), n: 2 }, "–");
    check("scores", "hope", Value::Mean { mean: Some(-0.5), n: 2 }, "–");
    check("request", "strengthen_or_repair_share", Share { part: 1, whole: 3 }, "–");
    let text = loket::report::text(&got, october, &texts, &config, false);
    for (label, shown) in [("Uren gesprekken", "–"), ("Hoop voor de relatie", "–"), ("Inlopers", "<5")] {
        assert_eq!(text_value(&text, label).as_deref(), Some(shown), "{label} in\n{text}");
    }
    let exact = loket::report::text(&got, october, &texts, &config, true);
    assert_eq!(text_value(&exact, "Uren gesprekken").as_deref(), Some("4,5"), "{exact}");
    assert_eq!(text_value(&exact, "Hoop voor de relatie").as_deref(), Some("-0,5"), "{exact}");
}

/// A value as the Dutch text writes it, from the CSV's.
fn dutch(key: &str, csv: &str) -> String {
    match csv.parse::<f64>() {
        Ok(n) if key.starts_with("euros_") => loket::format::Format::new(loket::config::Lang::Nl).euros(n),
        _ => csv.replace('.', ","),
    }
}

#[test]
fn csv_and_json_agree_with_the_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("loket.db");
    drop(build(&db));
    let db = db.to_str().expect("utf-8");
    for exact in [false, true] {
        let run = |format: &str| {
            let mut args = vec!["report", "--db", db, "--from", "01-05-2026", "--to", "31-10-2026"];
            args.extend(["--format", format]);
            if exact {
                args.push("--exact");
            }
            let out = loket(dir.path(), &args);
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8(out.stdout).expect("utf-8")
        };
        let (text, csv, json) = (run("text"), run("csv"), run("json"));
        let json: serde_json::Value = serde_json::from_str(&json).expect("json");
        assert_eq!(
            (&json["from"], &json["to"], &json["exact"]),
            (&"2026-05-01".into(), &"2026-10-31".into(), &exact.into())
        );
        let figures = json["figures"].as_array().expect("figures");
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        assert_eq!(reader.headers().expect("header"), vec!["group", "key", "label", "value"]);
        let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("csv");
        assert_eq!(rows.len(), expected().len());
        assert_eq!(figures.len(), rows.len());
        // The text in the same order, so that the three "anders" lines are told apart.
        let mut cursor = text.as_str();
        for (row, ((group, key, _, exact_text, council), fig)) in
            rows.iter().zip(expected().iter().zip(figures))
        {
            let (label, value) = (&row[2], &row[3]);
            assert_eq!((&row[0], &row[1]), (*group, *key));
            assert_eq!(
                (fig["group"].as_str(), fig["key"].as_str(), fig["label"].as_str()),
                (Some(*group), Some(*key), Some(label))
            );
            // The CSV writes decimals with a point, the text with a comma.
            assert_eq!(value.replace('.', ","), if exact { *exact_text } else { *council }, "{group}.{key}");
            let j = &fig["value"];
            let agrees = match (j, value) {
                (serde_json::Value::Null, "–") => true,
                (serde_json::Value::String(s), v) => s == v && v == "<5",
                (serde_json::Value::Object(o), v) => {
                    o.get("percent").and_then(|p| p.as_f64()).map(|p| format!("{p}%")).as_deref() == Some(v)
                }
                (serde_json::Value::Number(n), v) => v.parse::<f64>().ok() == n.as_f64(),
                _ => false,
            };
            assert!(agrees, "{group}.{key}: json {j} csv {value}");
            assert_eq!(next_value(&mut cursor, label), Some(dutch(key, value)), "{label} in\n{text}");
        }
    }
    // A period that ends before it starts, and a database that is not there.
    let out = loket(dir.path(), &["report", "--db", db, "--from", "31-10-2026", "--to", "01-05-2026"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && out.stdout.is_empty(), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("de periode begint na het einde"), "{err}");
    let missing = dir.path().join("nergens.db");
    let out = loket(dir.path(), &["report", "--db", missing.to_str().expect("utf-8"), "--format", "csv"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && out.stdout.is_empty(), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("er is geen database"), "{err}");
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").flatten().map(|e| e.file_name()).collect();
    assert!(left.iter().all(|n| !n.to_string_lossy().starts_with("nergens")), "{left:?}");
}

fn screen(app: &App) -> String {
    crate::common::screen(app, 120, 40)
}

#[test]
fn the_report_pane_for_the_half_year_120x40() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = build(&dir.path().join("loket.db"));
    let clock = || Utc.with_ymd_and_hms(2026, 12, 2, 8, 30, 0).single().expect("time");
    let mut app = App::new(store, Config::default(), Texts::new(Lang::Nl), Box::new(clock));
    press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    type_text(&mut app, crate::common::desk::PASSWORD);
    press(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    press(&mut app, KeyCode::Char('5'), KeyModifiers::NONE);
    press(&mut app, KeyCode::Char('d'), KeyModifiers::NONE);
    press(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_text(&mut app, "01-05-2026");
    press(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    press(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_text(&mut app, "31-10-2026");
    press(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(app.overlays.is_empty(), "the period form closed");
    let s = screen(&app);
    assert!(s.contains("Rapportage Relatieloket, 01-05-2026 t/m 31-10-2026"), "{s}");
    assert!(s.contains("<5") && s.contains("75%") && s.contains("€ 2.600,00"), "{s}");
    insta::assert_snapshot!("report_pane_half_year_120x40", s);
    // Headings and labels are never cut open ("Levensgebeurtenissen (stellen in de per"), at 120
    // and at 80 columns: they wrap, and a remark in brackets closes in its own column (on the same
    // line when it fits); the head line keeps the mode whole at 80.
    let small = crate::common::screen(&app, 80, 24);
    for s in [&s, &small] {
        assert!(!s.contains('…'), "{s}");
        let mut open = [0usize; 3];
        for line in s.lines().skip(2) {
            for (i, column) in line.split('│').take(3).enumerate() {
                open[i] += column.matches('(').count();
                open[i] = open[i].saturating_sub(column.matches(')').count());
            }
        }
        assert_eq!(open, [0, 0, 0], "a bracket left open:\n{s}");
    }
    assert!(s.contains("│Levensgebeurtenissen") && s.contains("(4 of 5 gesprekken)"), "{s}");
    assert_eq!(
        small.lines().nth(1),
        Some("Rapportage Relatieloket, 01-05-2026 t/m 31-10-2026 · zoals naar de raad (<5)"),
        "{small}"
    );
    press(&mut app, KeyCode::Char('e'), KeyModifiers::NONE);
    let exact = screen(&app);
    assert!(!exact.contains("<5") && exact.contains("25%"), "{exact}");
    insta::assert_snapshot!("report_pane_half_year_exact_120x40", exact);
}
