//! The walk-in queue pane: today's walk-ins and the receptionist's changes to them.

mod walkin_form;

use chrono::NaiveDate;

use super::super::ctx::{Ctx, Effect, Effects, failed, warn};
use super::super::popups::{Confirm, Overlay, PickItem, Picker, step};
use crate::action::{Action, Binding, Context, KeyCode, Pane, bind, list_keys};
use crate::domain::couple::CoupleSummary;
use crate::domain::walkin::{Change, Outcome, Status, WalkIn, busy_counsellors, desk_day};
use crate::domain::walkin::{CoupleRef, NewContact, NewWalkIn};

#[derive(Debug, Clone, Default)]
pub struct QueueState {
    /// The day shown; `None` before the first load.
    pub day: Option<NaiveDate>,
    /// The day's walk-ins, and earlier ones still open (waiting or in conversation), by arrival.
    pub walk_ins: Vec<WalkIn>,
    /// Index into [`QueueState::visible`].
    pub selected: usize,
    pub show_finished: bool,
    /// The status changes made at this desk, oldest first: each walk-in with its version right
    /// after this desk's last change or undo of it. `u` undoes the newest, wherever the selection
    /// is and even when that walk-in has moved out of sight into the (hidden) finished group, but
    /// only while nobody changed it since (also not someone signed in as the same user).
    pub history: Vec<(i64, i64)>,
}

/// How many of the desk's own changes `u` can go back through.
const HISTORY_MAX: usize = 50;

/// What the queue's popups and the other panes hand back to it.
#[derive(Debug, Clone)]
pub enum Msg {
    /// A counsellor was picked for a walk-in; `busy` asks first.
    Counsellor {
        walk_in: i64,
        version: i64,
        counsellor: i64,
        name: String,
        busy: bool,
    },
    CallIn {
        walk_in: i64,
        version: i64,
        counsellor: i64,
    },
    Finish {
        walk_in: i64,
        version: i64,
        outcome: Outcome,
    },
    /// The walk-in form was filled in; `checked` when the question about a possible existing
    /// file was answered, `named` when the one about capitals was.
    Register {
        walk_in: NewWalkIn,
        /// Each partner's phone and e-mail, for a new file.
        contacts: Vec<NewContact>,
        checked: bool,
        /// The question about capitals in the names was answered (or needs no asking).
        named: bool,
    },
    /// The walk-in form, linked to this (returning) couple's file.
    WalkInFor(CoupleSummary),
}

impl QueueState {
    /// The rows in screen order: those still waiting or in conversation by arrival, then
    /// (when shown) the finished ones.
    pub fn visible(&self) -> Vec<&WalkIn> {
        let active = self.walk_ins.iter().filter(|w| !w.state.status.is_finished());
        let finished = self.walk_ins.iter().filter(|w| self.show_finished && w.state.status.is_finished());
        active.chain(finished).collect()
    }

    pub fn selected(&self) -> Option<&WalkIn> {
        self.visible().get(self.selected).copied()
    }

    fn select_id(&mut self, id: i64) {
        if let Some(i) = self.visible().iter().position(|w| w.id == id) {
            self.selected = i;
        }
    }

    pub fn reload(&mut self, ctx: &mut Ctx) -> Effects {
        let day = desk_day(ctx.now);
        let keep = self.selected().map(|w| w.id);
        match ctx.store.queue_for(day) {
            Ok(walk_ins) => {
                self.walk_ins = walk_ins;
                self.day = Some(day);
                self.selected = self.selected.min(self.visible().len().saturating_sub(1));
                if let Some(id) = keep {
                    self.select_id(id);
                }
                Vec::new()
            }
            Err(e) => failed(ctx, &e),
        }
    }

    pub fn on_key(&mut self, action: Action, ctx: &mut Ctx) -> Effects {
        match action {
            Action::NewWalkIn if ctx.read_only() => warn(ctx, ctx.read_only_key()),
            Action::NewWalkIn => vec![walkin_form::open(None, ctx)],
            Action::CallIn => self.pick_counsellor(ctx),
            Action::MarkDone => self.pick_outcome(ctx),
            Action::MarkLeft => self.mark_left(ctx),
            Action::Undo => self.undo(ctx),
            Action::StartTrajectory => match self.selected() {
                Some(w) if w.state.outcome == Some(Outcome::TrajectoryToPlan) => {
                    let couple = w.couple.id;
                    vec![
                        Effect::OpenFile(couple),
                        Effect::Send(super::super::Msg::Planner(super::planner::Msg::PlanFromWalkIn)),
                    ]
                }
                Some(_) => warn(ctx, "plan.walk_in_not_for_trajectory"),
                None => warn(ctx, "queue.nothing_selected"),
            },
            Action::Refer => match self.selected() {
                Some(w) if w.state.outcome == Some(Outcome::ReferredOn) => {
                    let couple = w.couple.id;
                    vec![Effect::Send(super::super::Msg::Referral(super::referral::Msg::Refer(couple)))]
                }
                Some(_) => warn(ctx, "refer.walk_in_not_referred"),
                None => warn(ctx, "queue.nothing_selected"),
            },
            Action::OpenFile => match self.selected() {
                Some(w) => vec![Effect::OpenFile(w.couple.id)],
                None => warn(ctx, "queue.nothing_selected"),
            },
            Action::ToggleFinished => {
                let keep = self.selected().map(|w| w.id);
                self.show_finished = !self.show_finished;
                self.selected = 0;
                if let Some(id) = keep {
                    self.select_id(id);
                }
                Vec::new()
            }
            other => {
                self.selected = step(self.selected, self.visible().len(), &other);
                Vec::new()
            }
        }
    }

    pub fn update(&mut self, msg: Msg, ctx: &mut Ctx) -> Effects {
        match msg {
            Msg::Counsellor { walk_in, version, counsellor, name, busy: true } => {
                let question = ctx.texts.f("confirm.counsellor_busy", &[("name", &name)]);
                vec![Effect::Open(Confirm::ask(
                    question,
                    super::super::Msg::Queue(Msg::CallIn { walk_in, version, counsellor }),
                ))]
            }
            Msg::Counsellor { walk_in, version, counsellor, .. }
            | Msg::CallIn { walk_in, version, counsellor } => {
                self.change(walk_in, version, Change::CallIn { counsellor_id: counsellor }, ctx).1
            }
            Msg::Finish { walk_in, version, outcome } => {
                self.change(walk_in, version, Change::Finish { outcome }, ctx).1
            }
            Msg::Register { walk_in, contacts, checked, named } => {
                self.register(walk_in, &contacts, (checked, named), ctx)
            }
            Msg::WalkInFor(couple) if ctx.read_only() => {
                let _ = couple;
                warn(ctx, ctx.read_only_key())
            }
            Msg::WalkInFor(couple) => vec![Effect::Show(Pane::Queue), walkin_form::open(Some(couple), ctx)],
        }
    }

    /// The selected walk-in, if it has `status`; otherwise why nothing happens.
    fn selected_with(&self, status: Status, wrong_key: &str, ctx: &Ctx) -> Result<WalkIn, Effects> {
        if ctx.read_only() {
            return Err(warn(ctx, ctx.read_only_key()));
        }
        match self.selected() {
            None => Err(warn(ctx, "queue.nothing_selected")),
            Some(w) if w.state.status != status => Err(warn(ctx, wrong_key)),
            Some(w) => Ok(w.clone()),
        }
    }

    fn pick_counsellor(&mut self, ctx: &mut Ctx) -> Effects {
        let w = match self.selected_with(Status::Waiting, "queue.call_in_not_waiting", ctx) {
            Ok(w) => w,
            Err(effects) => return effects,
        };
        let counsellors = match ctx.store.counsellors() {
            Ok(c) if c.is_empty() => return warn(ctx, "queue.no_counsellors"),
            Ok(c) => c,
            Err(e) => return failed(ctx, &e),
        };
        let busy = busy_counsellors(&self.walk_ins, Some(w.id));
        let items = counsellors
            .into_iter()
            .map(|c| {
                let is_busy = busy.contains(&c.id);
                let reply = Msg::Counsellor {
                    walk_in: w.id,
                    version: w.version,
                    counsellor: c.id,
                    name: c.name.clone(),
                    busy: is_busy,
                };
                PickItem {
                    label: c.name,
                    remark: is_busy.then(|| ctx.t("queue.counsellor_busy")),
                    reply: super::super::Msg::Queue(reply),
                }
            })
            .collect();
        vec![Effect::Open(Overlay::Picker(Picker::new("queue.pick_counsellor", items)))]
    }

    fn pick_outcome(&mut self, ctx: &mut Ctx) -> Effects {
        let w = match self.selected_with(Status::InConversation, "queue.done_not_in_conversation", ctx) {
            Ok(w) => w,
            Err(effects) => return effects,
        };
        let items = Outcome::ALL
            .iter()
            .map(|o| {
                let reply = Msg::Finish { walk_in: w.id, version: w.version, outcome: *o };
                PickItem::new(ctx.t(&o.text_key()), super::super::Msg::Queue(reply))
            })
            .collect();
        vec![Effect::Open(Overlay::Picker(Picker::new("queue.pick_outcome", items)))]
    }

    fn mark_left(&mut self, ctx: &mut Ctx) -> Effects {
        let w = match self.selected_with(Status::Waiting, "queue.left_not_waiting", ctx) {
            Ok(w) => w,
            Err(effects) => return effects,
        };
        let (saved, mut effects) = self.change(w.id, w.version, Change::Leave, ctx);
        if saved {
            effects.push(Effect::Info(ctx.texts.f("queue.marked_left", &[("ticket", &w.ticket)])));
        }
        effects
    }

    /// Saves a status change and reads the queue again; a failure is shown.
    fn change(&mut self, walk_in: i64, version: i64, change: Change, ctx: &mut Ctx) -> (bool, Effects) {
        let user = ctx.user.map(|u| u.id);
        let result = ctx.store.change_walk_in(walk_in, version, change, ctx.now, user);
        let mut effects = self.reload(ctx);
        match result {
            Ok(()) => {
                // A change moves the version on by one, in the same write.
                self.remember(walk_in, version + 1);
                self.history.push((walk_in, version + 1));
                if self.history.len() > HISTORY_MAX {
                    self.history.remove(0);
                }
                self.select_id(walk_in);
                (true, effects)
            }
            Err(e) => {
                effects.extend(failed(ctx, &e));
                (false, effects)
            }
        }
    }

    /// The version this desk last left walk-in `id` at, for each of its changes still in the
    /// history.
    fn remember(&mut self, id: i64, version: i64) {
        for entry in self.history.iter_mut().filter(|(w, _)| *w == id) {
            entry.1 = version;
        }
    }

    /// The ticket of the walk-in whose change `u` undoes next: this desk's own last change.
    pub fn undo_ticket(&self) -> Option<u32> {
        let (id, _) = self.history.last()?;
        self.walk_ins.iter().find(|w| w.id == *id).map(|w| w.ticket)
    }

    /// Undoes the last status change made at this desk, wherever the selection is; pressed
    /// again, it goes further back (the same walk-in's earlier change, then the change before).
    fn undo(&mut self, ctx: &mut Ctx) -> Effects {
        if ctx.read_only() {
            return warn(ctx, ctx.read_only_key());
        }
        // The version right after this desk's own change: a change made elsewhere since is
        // refused, not undone.
        let Some(&(id, version)) = self.history.last() else {
            return warn(ctx, "queue.nothing_to_undo");
        };
        let ticket = match self.walk_ins.iter().find(|w| w.id == id) {
            Some(w) => Some(w.ticket),
            None => ctx.store.walk_in(id).ok().map(|w| w.ticket),
        };
        let result = ctx.store.undo_walk_in_change(id, version, ctx.now, ctx.user.map(|u| u.id));
        let mut effects = self.reload(ctx);
        match result {
            Ok(true) => {
                self.history.pop();
                self.remember(id, version + 1);
                self.select_id(id);
                // The file on the desk (this couple's) shows its status back as it was.
                effects.push(Effect::ReloadFile);
                let ticket = ticket.map(|t| t.to_string()).unwrap_or_default();
                effects.push(Effect::Info(ctx.texts.f("queue.undone", &[("ticket", &ticket)])));
            }
            Ok(false) => {
                self.history.pop();
                effects.extend(warn(ctx, "queue.nothing_to_undo"));
            }
            Err(e) => {
                // Changed elsewhere since: that change stands, and this one is no longer ours to undo.
                if matches!(e, crate::store::StoreError::Stale) {
                    self.history.retain(|(w, _)| *w != id);
                }
                effects.extend(failed(ctx, &e));
            }
        }
        effects
    }

    /// Registers a walk-in from the form. A new file with the name of an existing one asks first
    /// (`checked` once answered), and then one with names typed without capitals (`named`).
    fn register(
        &mut self,
        walk_in: NewWalkIn,
        contacts: &[NewContact],
        (checked, named): (bool, bool),
        ctx: &mut Ctx,
    ) -> Effects {
        if !checked && let Some(question) = walkin_form::duplicate_question(&walk_in, contacts, ctx) {
            return question;
        }
        if !named && let Some(question) = walkin_form::capitals_question(&walk_in, contacts, ctx) {
            return question;
        }
        let user = ctx.user.map(|u| u.id);
        match ctx.store.register_walk_in_with(&walk_in, contacts, ctx.now, user) {
            Ok(id) => {
                let mut effects = vec![Effect::CloseForm];
                effects.extend(self.reload(ctx));
                self.select_id(id);
                // The file on screen (a returning couple's) shows the new walk-in in its timeline.
                effects.push(Effect::ReloadFile);
                if let Ok(w) = ctx.store.walk_in(id) {
                    let mut text =
                        ctx.texts.f("queue.registered", &[("ticket", &w.ticket), ("file", &w.couple.file)]);
                    // Contact details typed for a new file that turned out to exist were not saved.
                    let typed = contacts.iter().any(|c| !c.phone.is_empty() || !c.email.is_empty());
                    if typed && matches!(walk_in.couple, CoupleRef::Existing(_)) {
                        text.push(' ');
                        text.push_str(ctx.texts.t("queue.contacts_not_copied"));
                    }
                    effects.push(Effect::Info(text));
                }
                effects
            }
            // What was typed stays in the form.
            Err(e) => vec![Effect::FormMessage(ctx.error_text(&e))],
        }
    }
}

pub fn bindings() -> Vec<Binding> {
    use Context::Queue;
    use KeyCode::*;
    let mut b = vec![
        bind(Queue, Char('n'), Action::NewWalkIn, "key.new_walk_in", true),
        bind(Queue, Char('c'), Action::CallIn, "key.call_in", true),
        bind(Queue, Char('d'), Action::MarkDone, "key.mark_done", true),
        bind(Queue, Char('x'), Action::MarkLeft, "key.mark_left", true),
        bind(Queue, Char('u'), Action::Undo, "key.undo", true),
        bind(Queue, Char('f'), Action::ToggleFinished, "key.toggle_finished", true),
        bind(Queue, Char('o'), Action::OpenFile, "key.open_file", true),
        bind(Queue, Char('t'), Action::StartTrajectory, "key.plan_trajectory", false),
        bind(Queue, Char('r'), Action::Refer, "key.refer", false),
    ];
    b.extend(list_keys(Queue));
    b
}
