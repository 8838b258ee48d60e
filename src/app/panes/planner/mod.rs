//! The session planner (*Planning*): the open file's trajectory and its conversations, a
//! counsellor's week, and the year's budget.

mod forms;
mod picks;
mod trajectory;

use chrono::{Datelike, Duration, NaiveDate};

pub use forms::span_text;

use super::super::ctx::{Ctx, Effect, Effects, failed, warn};
use super::super::popups::{Confirm, NotesEditor, Overlay, step};
use crate::action::{Action, Binding, Context, KeyCode, Pane, bind, list_keys};
use crate::domain::planner::{Attended, Budget, SessionStatus};
use crate::domain::trajectory::{Booking, DutyHour, NewSession, Session, Trajectory};
use crate::domain::user::{Role, User};
use crate::domain::walkin::desk_day;
use crate::store::StoreError;

/// Which view the planner shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlannerView {
    /// The open file's trajectory and its conversations.
    #[default]
    Trajectory,
    /// A counsellor's week, Monday to Friday.
    Week,
}

#[derive(Debug, Clone, Default)]
pub struct PlannerState {
    pub view: PlannerView,
    pub trajectory: Option<Trajectory>,
    /// Index into the trajectory's conversations, or the week's bookings.
    pub selected: usize,
    /// Monday of the week shown.
    pub week: Option<NaiveDate>,
    /// Whose week.
    pub counsellor: Option<User>,
    pub bookings: Vec<Booking>,
    pub budget: Option<Budget>,
    /// The desk's closed days and the counsellors' days off, shown in the week.
    pub closed: crate::domain::settings::ClosedDays,
}

#[derive(Debug, Clone)]
pub enum Msg {
    /// From the queue: the walk-in's file is open; plan its trajectory.
    PlanFromWalkIn,
    /// A counsellor was picked for a new trajectory.
    Counsellor(i64),
    /// Start the trajectory (beyond the funded number, after the question).
    Start {
        couple: i64,
        counsellor: i64,
    },
    End {
        trajectory: i64,
        version: i64,
    },
    /// Undo a trajectory started by mistake (after the question).
    Undo {
        trajectory: i64,
        version: i64,
    },
    NoShow {
        session: i64,
        version: i64,
    },
    Held {
        session: i64,
        version: i64,
        attended: Attended,
    },
    /// Plan or record a conversation: first the questions (who came, received separately).
    Plan(NewSession),
    /// Plan, after the questions were answered.
    PlanAnyway(NewSession),
    Cancel {
        session: i64,
        version: i64,
        reason: String,
    },
    Note {
        session: i64,
        version: i64,
        text: String,
    },
    Scores {
        session: i64,
        scores: Vec<(u8, [u8; 3])>,
    },
}

fn to_planner(msg: Msg) -> super::super::Msg {
    super::super::Msg::Planner(msg)
}

/// The Monday of the week `day` lies in.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(day.weekday().num_days_from_monday() as i64)
}

/// The desk's walk-in hour, as the store checks plans against it.
pub fn duty_hour(ctx: &Ctx) -> DutyHour {
    let w = &ctx.config.walk_in_hour;
    DutyHour { weekday: w.weekday.0, from: w.start.0, to: w.end.0 }
}

impl PlannerState {
    pub fn selected_session(&self) -> Option<&Session> {
        self.trajectory.as_ref()?.sessions.get(self.selected)
    }

    fn rows(&self) -> usize {
        match self.view {
            PlannerView::Trajectory => self.trajectory.as_ref().map_or(0, |t| t.sessions.len()),
            PlannerView::Week => self.bookings.len(),
        }
    }

    /// Reads the planner's data again: the open file's trajectory, the week, the budget.
    pub fn reload(&mut self, ctx: &mut Ctx) -> Effects {
        let Some(user) = ctx.user else { return Vec::new() };
        self.trajectory = match ctx.file {
            Some(file) => match ctx.store.trajectory_of(file.id, user) {
                Ok(t) => t,
                Err(e) => return failed(ctx, &e),
            },
            None => None,
        };
        let year = desk_day(ctx.now).year();
        let b = &ctx.config.budget;
        self.budget = match ctx.store.budget_figures(year) {
            Ok((started, held)) => Some(Budget::new(started, held, b.funded_trajectories, b.euros)),
            Err(e) => return failed(ctx, &e),
        };
        if self.counsellor.is_none() {
            self.counsellor = if user.has(Role::Counsellor) {
                Some(user.clone())
            } else {
                ctx.store.counsellors().ok().and_then(|c| c.into_iter().next())
            };
        }
        let monday = *self.week.get_or_insert_with(|| monday_of(desk_day(ctx.now)));
        let from = forms::midnight(monday);
        let counsellor = self.counsellor.as_ref().map(|c| c.id);
        match (ctx.store.bookings(counsellor, from, from + Duration::days(7)), ctx.store.closed_days()) {
            (Ok(bookings), Ok(closed)) => (self.bookings, self.closed) = (bookings, closed),
            (Err(e), _) | (_, Err(e)) => return failed(ctx, &e),
        }
        self.selected = self.selected.min(self.rows().saturating_sub(1));
        Vec::new()
    }

    pub fn on_key(&mut self, action: Action, ctx: &mut Ctx) -> Effects {
        let writes = matches!(
            action,
            Action::StartTrajectory
                | Action::AddSession
                | Action::MarkHeld
                | Action::MarkNoShow
                | Action::CancelSession
                | Action::EndTrajectory
                | Action::Undo
                | Action::SessionNote
        );
        match action {
            Action::ToggleWeek => {
                self.view = match self.view {
                    PlannerView::Trajectory => PlannerView::Week,
                    PlannerView::Week => PlannerView::Trajectory,
                };
                self.selected = 0;
                self.reload(ctx)
            }
            Action::PrevWeek | Action::NextWeek => {
                let days = if action == Action::PrevWeek { -7 } else { 7 };
                let monday = self.week.unwrap_or_else(|| monday_of(desk_day(ctx.now)));
                self.week = Some(monday + Duration::days(days));
                self.view = PlannerView::Week;
                self.selected = 0;
                self.reload(ctx)
            }
            Action::NextCounsellor => {
                let counsellors = ctx.store.counsellors().unwrap_or_default();
                let at = self.counsellor.as_ref().and_then(|c| counsellors.iter().position(|x| x.id == c.id));
                self.counsellor =
                    at.map_or(counsellors.first(), |i| counsellors.get((i + 1) % counsellors.len())).cloned();
                self.view = PlannerView::Week;
                self.reload(ctx)
            }
            Action::Enter if self.view == PlannerView::Week => match self.bookings.get(self.selected) {
                Some(b) => vec![Effect::OpenFile(b.couple_id)],
                None => Vec::new(),
            },
            _ if writes && ctx.read_only() => warn(ctx, ctx.read_only_key()),
            Action::StartTrajectory => self.pick_counsellor(ctx),
            Action::Scores => match self.session(ctx) {
                Ok(s) if s.status != SessionStatus::Held => warn(ctx, "scores.held_only"),
                Ok(s) => vec![forms::scores(&s, ctx)],
                Err(effects) => effects,
            },
            Action::AddSession => forms::session(self.trajectory.as_ref(), ctx),
            Action::MarkHeld => self.pick_attended(ctx),
            Action::MarkNoShow => match self.session(ctx) {
                Ok(s) => {
                    let no_show = Msg::NoShow { session: s.id, version: s.version };
                    self.update(no_show, ctx)
                }
                Err(effects) => effects,
            },
            Action::CancelSession => match self.session(ctx) {
                Ok(s) => vec![forms::cancel(&s)],
                Err(effects) => effects,
            },
            Action::SessionNote => match self.session(ctx) {
                Ok(s) => match s.note {
                    Some(note) => {
                        let on_save =
                            |session, version, text| to_planner(Msg::Note { session, version, text });
                        vec![Effect::Open(Overlay::Notes(Box::new(NotesEditor::new(
                            &note, s.id, s.version, on_save,
                        ))))]
                    }
                    None => warn(ctx, "plan.note_counsellors_only"),
                },
                Err(effects) => effects,
            },
            Action::EndTrajectory | Action::Undo => self.ask_end(action, ctx),
            other => {
                self.selected = step(self.selected, self.rows(), &other);
                Vec::new()
            }
        }
    }

    pub fn update(&mut self, msg: Msg, ctx: &mut Ctx) -> Effects {
        // Every change is logged as the signed-in user's; the planner is only open to one.
        let Some(user) = ctx.user else { return Vec::new() };
        match msg {
            Msg::PlanFromWalkIn => {
                self.view = PlannerView::Trajectory;
                let mut effects = vec![Effect::Show(Pane::Planner)];
                effects.extend(self.reload(ctx));
                if self.trajectory.as_ref().is_none_or(|t| t.ended_at.is_some()) {
                    effects.extend(self.pick_counsellor(ctx));
                }
                effects
            }
            Msg::Counsellor(counsellor) => {
                let Some(couple) = ctx.file.map(|f| f.id) else { return Vec::new() };
                let mut effects = self.reload(ctx);
                if let Some(b) = self.budget.filter(Budget::next_is_unfunded) {
                    let question =
                        ctx.texts.f("confirm.unfunded", &[("started", &b.started), ("funded", &b.funded)]);
                    effects.push(Effect::Open(Confirm::ask(
                        question,
                        to_planner(Msg::Start { couple, counsellor }),
                    )));
                    return effects;
                }
                effects.extend(self.update(Msg::Start { couple, counsellor }, ctx));
                effects
            }
            Msg::Start { couple, counsellor } => {
                let result = ctx.store.start_trajectory(couple, counsellor, user, ctx.now).map(|_| ());
                self.view = PlannerView::Trajectory;
                let mut effects = vec![Effect::Show(Pane::Planner)];
                effects.extend(self.after_write(result, "plan.started", ctx));
                effects
            }
            msg @ (Msg::End { .. } | Msg::Undo { .. }) => self.end(msg, ctx),
            Msg::NoShow { session, version } => {
                let no_show = SessionStatus::NoShow;
                let result = ctx.store.set_session_status(session, version, no_show, None, "", user, ctx.now);
                self.after_write(result, "plan.marked_no_show", ctx)
            }
            Msg::Held { session, version, attended } => {
                let result = ctx.store.set_session_status(
                    session,
                    version,
                    SessionStatus::Held,
                    Some(attended),
                    "",
                    user,
                    ctx.now,
                );
                self.after_write(result, "plan.marked_held", ctx)
            }
            Msg::Plan(new) => self.before_plan(new, ctx),
            Msg::PlanAnyway(new) => {
                match ctx.store.plan_session(&new, duty_hour(ctx), user, ctx.now) {
                    Ok(_) => {
                        let mut effects = vec![Effect::CloseForm];
                        effects.extend(self.reload(ctx));
                        effects.push(Effect::Info(
                            ctx.texts.f("plan.planned", &[("when", &span_text(ctx.texts, new.start))]),
                        ));
                        effects
                    }
                    // The form stays, with what was typed and the reason in words.
                    Err(e) => vec![Effect::FormMessage(ctx.error_text(&e))],
                }
            }
            Msg::Cancel { session, version, reason } => {
                let result = ctx.store.set_session_status(
                    session,
                    version,
                    SessionStatus::Cancelled,
                    None,
                    &reason,
                    user,
                    ctx.now,
                );
                let saved = result.is_ok();
                let mut effects = self.after_write(result, "plan.cancelled", ctx);
                if saved {
                    effects.insert(0, Effect::CloseForm);
                }
                effects
            }
            Msg::Note { session, version, text } => {
                match ctx.store.save_session_note(session, version, &text, user, ctx.now) {
                    Ok(()) => {
                        let mut effects = vec![Effect::CloseForm, Effect::ReloadFile];
                        effects.push(Effect::Info(ctx.t("file.notes_saved")));
                        effects
                    }
                    Err(StoreError::Stale) => vec![Effect::Open(Confirm::ask(
                        ctx.t("confirm.reload_file"),
                        super::super::Msg::App(super::super::AppMsg::ReloadFile),
                    ))],
                    Err(e) => failed(ctx, &e),
                }
            }
            Msg::Scores { session, scores } => {
                for (position, values) in scores {
                    if let Err(e) = ctx.store.save_scores(session, position, values, user, ctx.now) {
                        return vec![Effect::FormMessage(ctx.error_text(&e))];
                    }
                }
                vec![Effect::CloseForm, Effect::ReloadFile, Effect::Info(ctx.t("scores.saved"))]
            }
        }
    }

    /// The selected conversation of the open trajectory; otherwise why there is none.
    fn session(&self, ctx: &Ctx) -> Result<Session, Effects> {
        if self.view != PlannerView::Trajectory {
            return Err(warn(ctx, "plan.in_week_view"));
        }
        self.selected_session().cloned().ok_or_else(|| warn(ctx, "plan.no_session_selected"))
    }

    fn after_write(&mut self, result: Result<(), StoreError>, done: &str, ctx: &mut Ctx) -> Effects {
        match result {
            Ok(()) => vec![Effect::ReloadFile, Effect::Info(ctx.t(done))],
            Err(e) => {
                let mut effects = self.reload(ctx);
                effects.extend(failed(ctx, &e));
                effects
            }
        }
    }
}

pub fn bindings() -> Vec<Binding> {
    use Context::Planner;
    use KeyCode::*;
    let mut b = vec![
        bind(Planner, Char('t'), Action::StartTrajectory, "key.start_trajectory", true),
        bind(Planner, Char('a'), Action::AddSession, "key.add_session", true),
        bind(Planner, Char('h'), Action::MarkHeld, "key.mark_held", true),
        bind(Planner, Char('m'), Action::MarkNoShow, "key.mark_no_show", true),
        bind(Planner, Char('x'), Action::CancelSession, "key.cancel_session", true),
        bind(Planner, Delete, Action::CancelSession, "key.cancel_session", false),
        bind(Planner, Char('n'), Action::SessionNote, "key.session_note", false),
        bind(Planner, Char('z'), Action::EndTrajectory, "key.end_trajectory", false),
        bind(Planner, Char('u'), Action::Undo, "key.undo_trajectory", false),
        bind(Planner, Char('o'), Action::Scores, "key.scores", false),
        bind(Planner, Char('v'), Action::ToggleWeek, "key.toggle_week", true),
        bind(Planner, Char('['), Action::PrevWeek, "key.prev_week", false),
        bind(Planner, Char(']'), Action::NextWeek, "key.next_week", false),
        bind(Planner, Char('c'), Action::NextCounsellor, "key.next_counsellor", false),
        bind(Planner, Enter, Action::Enter, "key.open_booking", false),
    ];
    b.extend(list_keys(Planner));
    b
}
