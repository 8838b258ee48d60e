//! The planner's forms: a conversation (what a typed time was understood as, the next free slot,
//! the doubled autumn hour asked), cancelling with a reason, and the outcome scores.

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};

use super::{Msg, to_planner};
use crate::action::Action;
use crate::app::ctx::{Ctx, Effect, Effects, warn};
use crate::app::popups::{Choice, Field, Form, FormPopup, Overlay, PickItem, Picker};
use crate::domain::planner::{CONVERSATION_MINUTES, SessionStatus, end_of, tally, within_working_hours};
use crate::domain::slots::{self, Busy, Hours, WalkInHour};
use crate::domain::trajectory::{Booking, NewSession, Session, Trajectory};
use crate::domain::walkin::DESK_TZ;
use crate::domain::when::{Understood, parse_when};
use crate::i18n::Texts;

/// How far ahead the next free slot is looked for.
const SLOT_HORIZON_DAYS: i64 = 60;

/// The statuses a conversation can be recorded with.
const STATUSES: [SessionStatus; 3] = [SessionStatus::Planned, SessionStatus::Held, SessionStatus::NoShow];

crate::form_fields!(P { When, Room, Status });

/// A conversation of the open trajectory.
#[derive(Debug)]
struct SessionForm {
    form: Form,
    trajectory: Trajectory,
}

/// The conversation form, with the counsellor's next free slot filled in.
pub(super) fn session(trajectory: Option<&Trajectory>, ctx: &mut Ctx) -> Effects {
    let Some(t) = trajectory.filter(|t| t.ended_at.is_none()).cloned() else {
        return warn(ctx, "plan.no_trajectory");
    };
    if tally(t.sessions.iter().map(|s| s.status)).left == 0 {
        return warn(ctx, "plan.full");
    }
    let form = Form::new(
        "plan.session_title",
        vec![
            Field::text("plan.when", 40, true),
            Field::choice("plan.room", Choice::new(ctx.config.rooms.clone())),
            Field::choice("plan.status", Choice::of(&STATUSES, SessionStatus::text_key)),
        ],
    );
    let mut f = SessionForm { form, trajectory: t };
    f.propose_next_slot(ctx);
    // A proposal is not a change of the user's: Esc closes the form without asking.
    f.form.dirty = false;
    vec![Effect::Open(Overlay::Form(Box::new(f)))]
}

impl SessionForm {
    /// Fills the form with the counsellor's next free slot: within working hours, outside the
    /// walk-in hour, at least a week after the last conversation.
    fn propose_next_slot(&mut self, ctx: &mut Ctx) {
        let t = &self.trajectory;
        let last = t.sessions.iter().filter(|s| s.status.takes_a_place()).map(|s| s.start).max();
        let from = last.map_or(ctx.now, |l| (l + Duration::days(7)).max(ctx.now));
        let until = from.max(ctx.now) + Duration::days(SLOT_HORIZON_DAYS + 14);
        let Ok(booked) = ctx.store.bookings(None, ctx.now, until) else { return };
        let taken = |keep: &dyn Fn(&Booking) -> bool| -> Vec<Busy> {
            booked
                .iter()
                .filter(|b| b.status.takes_a_place() && keep(b))
                .map(|b| Busy { start: b.start, end: end_of(b.start) })
                .collect()
        };
        let mut counsellor_busy = taken(&|b: &Booking| b.counsellor_id == t.counsellor.0);
        // The desk's closed days and the counsellor's days off are busy all day.
        let Ok(closed) = ctx.store.closed_days() else { return };
        let first_day = from.with_timezone(&DESK_TZ).date_naive();
        counsellor_busy.extend(
            closed
                .desk
                .iter()
                .chain(closed.off.get(&t.counsellor.0).into_iter().flatten())
                .filter(|d| **d >= first_day)
                .map(|d| whole_day(*d)),
        );
        let wh = &ctx.config.working_hours;
        let hours = Hours { days: wh.days.iter().map(|d| d.0).collect(), start: wh.start.0, end: wh.end.0 };
        let w = &ctx.config.walk_in_hour;
        let walk_in = WalkInHour { weekday: w.weekday.0, start: w.start.0, end: w.end.0 };
        // The earliest time at which the counsellor and one of the rooms are both free.
        let slot = ctx
            .config
            .rooms
            .iter()
            .enumerate()
            .filter_map(|(i, room)| {
                let mut busy = counsellor_busy.clone();
                busy.extend(taken(&|b: &Booking| &b.room == room));
                slots::next_free(from, CONVERSATION_MINUTES, &hours, &walk_in, &busy, SLOT_HORIZON_DAYS)
                    .map(|s| (s, i))
            })
            .min();
        self.form.clear_errors();
        match slot {
            Some((start, room)) => {
                let local = start.with_timezone(&DESK_TZ);
                self.form.set_text(P::When, &local.format("%d-%m-%Y %H:%M").to_string());
                self.form.select_at(P::Room as usize, room);
                self.form.focus_on(P::When);
            }
            None => self.form.message = Some(ctx.t("plan.no_free_slot")),
        }
        self.changed(ctx);
    }

    /// The conversation to plan at `start`, or the reason it cannot be (marked on the form).
    fn plan_at(&mut self, start: DateTime<Utc>, ctx: &Ctx) -> Option<NewSession> {
        let room = self.form.choice(P::Room).map(|c| c.label_key().to_owned())?;
        let status = self.form.chosen(P::Status, &STATUSES)?;
        let wh = &ctx.config.working_hours;
        let days: Vec<chrono::Weekday> = wh.days.iter().map(|d| d.0).collect();
        // (A time in the past is refused by the store, with its own reason.)
        if status == SessionStatus::Planned
            && start > ctx.now
            && !within_working_hours(start, &days, wh.start.0, wh.end.0)
        {
            self.form.message = Some(ctx.texts.f(
                "plan.outside_working_hours",
                &[("from", &wh.start.0.format("%H:%M")), ("to", &wh.end.0.format("%H:%M"))],
            ));
            return None;
        }
        // Who came to a conversation recorded as held is asked next, never assumed.
        Some(NewSession { trajectory_id: self.trajectory.id, start, room, status, attended: None })
    }
}

impl FormPopup for SessionForm {
    crate::form_access!();

    /// A time that exists twice (the autumn change) asks which one; each answer carries the
    /// conversation to plan.
    fn submit(&mut self, ctx: &mut Ctx) -> Effects {
        match parse_when(self.form.text(P::When), ctx.now) {
            Ok(Understood::Exact(at)) => match self.plan_at(at, ctx) {
                Some(new) => vec![Effect::Send(to_planner(Msg::Plan(new)))],
                // The reason is on the form; nothing to focus.
                None => vec![Effect::FormMessage(self.form.message.clone().unwrap_or_default())],
            },
            Ok(Understood::Twice { earlier, later }) => {
                let mut items = Vec::new();
                for (at, key) in [(earlier, "plan.summer_time"), (later, "plan.winter_time")] {
                    let Some(new) = self.plan_at(at, ctx) else {
                        return vec![Effect::FormMessage(self.form.message.clone().unwrap_or_default())];
                    };
                    let label = format!("{} {}", ctx.texts.time(at), ctx.t(key));
                    items.push(PickItem::new(label, to_planner(Msg::Plan(new))));
                }
                vec![Effect::Open(Overlay::Picker(Picker::new("plan.which_time", items)))]
            }
            Err(p) => {
                self.form.set_error(P::When, p.text_key());
                Vec::new()
            }
        }
    }

    /// Shows under the form what the typed date and time was understood as.
    fn changed(&mut self, ctx: &Ctx) {
        let raw = self.form.text(P::When);
        self.form.understood = if raw.trim().is_empty() {
            None
        } else {
            Some(match parse_when(raw, ctx.now) {
                Ok(Understood::Exact(at)) => (span_text(ctx.texts, at), false),
                Ok(Understood::Twice { earlier, .. }) => {
                    (format!("{} {}", span_text(ctx.texts, earlier), ctx.t("plan.twice_hint")), false)
                }
                Err(p) => (ctx.t(p.text_key()), true),
            })
        };
    }

    fn offers(&self, extra: &Action) -> bool {
        *extra == Action::NextFreeSlot
    }

    fn extra(&mut self, action: &Action, ctx: &mut Ctx) -> Effects {
        if *action == Action::NextFreeSlot {
            self.propose_next_slot(ctx);
        }
        Vec::new()
    }
}

/// A desk day from its midnight to the next, as a busy time.
fn whole_day(day: chrono::NaiveDate) -> Busy {
    Busy { start: midnight(day), end: midnight(day + Duration::days(1)) }
}

/// The start of a desk day (its first moment, also on a day the clocks change).
pub(super) fn midnight(day: chrono::NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    DESK_TZ
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc))
}

/// "wo 3 dec 2026 14:00–15:30"; a time that exists twice (the autumn change) says which one.
pub fn span_text(texts: &Texts, start: DateTime<Utc>) -> String {
    let end = end_of(start);
    let year = start.with_timezone(&DESK_TZ).year();
    let marker = |at: DateTime<Utc>| {
        let local = at.with_timezone(&DESK_TZ).naive_local();
        match DESK_TZ.from_local_datetime(&local) {
            chrono::LocalResult::Ambiguous(first, _) if first.with_timezone(&Utc) == at => {
                format!(" {}", texts.t("plan.summer_short"))
            }
            chrono::LocalResult::Ambiguous(..) => format!(" {}", texts.t("plan.winter_short")),
            _ => String::new(),
        }
    };
    format!(
        "{} {year} {}{}–{}{}",
        texts.date_short(start),
        texts.time(start),
        marker(start),
        texts.time(end),
        marker(end)
    )
}

crate::form_fields!(X { Reason });

/// Cancelling a conversation: its reason.
#[derive(Debug)]
struct CancelForm {
    form: Form,
    session: i64,
    version: i64,
}

pub(super) fn cancel(s: &Session) -> Effect {
    let form = Form::new("plan.cancel_title", vec![Field::text("plan.cancel_reason", 200, true)]);
    Effect::Open(Overlay::Form(Box::new(CancelForm { form, session: s.id, version: s.version })))
}

impl FormPopup for CancelForm {
    crate::form_access!();

    fn submit(&mut self, _ctx: &mut Ctx) -> Effects {
        match self.form.checked_text(X::Reason) {
            Some(reason) => {
                vec![Effect::Send(to_planner(Msg::Cancel {
                    session: self.session,
                    version: self.version,
                    reason,
                }))]
            }
            None => Vec::new(),
        }
    }
}

/// Both partners' scores at a held conversation: three questions each, 0 to 10.
#[derive(Debug)]
struct ScoresForm {
    form: Form,
    session: i64,
    partners: usize,
}

/// The field of partner `p` (0 or 1), question `q` (0 to 2).
#[derive(Debug, Clone, Copy)]
struct Score(usize);

impl crate::app::popups::FieldKey for Score {
    fn index(self) -> usize {
        self.0
    }
}

pub(super) fn scores(s: &Session, ctx: &Ctx) -> Effect {
    let names = partner_names(ctx);
    let partners = names.len();
    let questions = ["scores.satisfaction", "scores.communication", "scores.hope"];
    let fields = names
        .iter()
        .flat_map(|name| questions.map(|q| Field::text(q, 2, true).named(name.clone())))
        .collect();
    let form = Form::new("scores.title", fields);
    Effect::Open(Overlay::Form(Box::new(ScoresForm { form, session: s.id, partners })))
}

/// The partners as the scores form names them: by given name ("IJsbrand"), or by full name when
/// the given names do not tell them apart. One or two, in the file's order.
fn partner_names(ctx: &Ctx) -> Vec<String> {
    let partners: Vec<&crate::domain::names::PersonName> =
        ctx.file.map(|f| f.partners.iter().take(2).map(|p| &p.name).collect()).unwrap_or_default();
    if partners.is_empty() {
        return vec![ctx.t("scores.partner")];
    }
    let given: Vec<String> = partners.iter().map(|n| n.given.trim().to_owned()).collect();
    let folded: Vec<String> = given.iter().map(|g| crate::domain::names::fold(g)).collect();
    let apart = given.iter().all(|g| !g.is_empty()) && (folded.len() < 2 || folded[0] != folded[1]);
    if apart { given } else { partners.iter().map(|n| n.full()).collect() }
}

impl FormPopup for ScoresForm {
    crate::form_access!();

    fn submit(&mut self, _ctx: &mut Ctx) -> Effects {
        let score = |raw: &str| match raw.trim().parse::<u8>() {
            Ok(n) if n <= 10 => Ok(n),
            _ => Err("scores.error_range"),
        };
        let values: Vec<Option<u8>> =
            (0..self.partners * 3).map(|i| self.form.parsed(Score(i), score)).collect();
        let Some(values) = values.into_iter().collect::<Option<Vec<u8>>>() else { return Vec::new() };
        let scores = values.chunks(3).zip(1u8..).map(|(v, p)| (p, [v[0], v[1], v[2]])).collect();
        vec![Effect::Send(to_planner(Msg::Scores { session: self.session, scores }))]
    }
}
