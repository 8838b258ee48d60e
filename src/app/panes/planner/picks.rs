//! The planner's pick lists: the counsellor of a new trajectory, who attended a conversation.

use super::{Msg, PlannerState, to_planner};
use crate::app::ctx::{Ctx, Effect, Effects, failed, warn};
use crate::app::popups::{Overlay, PickItem, Picker};
use crate::domain::planner::{Attended, SessionStatus};
use crate::domain::trajectory::NewSession;

impl PlannerState {
    pub(super) fn pick_counsellor(&mut self, ctx: &mut Ctx) -> Effects {
        let Some(file) = ctx.file else { return warn(ctx, "plan.open_a_file") };
        if self.trajectory.as_ref().is_some_and(|t| t.ended_at.is_none()) {
            return warn(ctx, "plan.already_active");
        }
        let counsellors = match ctx.store.counsellors() {
            Ok(c) if !c.is_empty() => c,
            Ok(_) => return warn(ctx, "queue.no_counsellors"),
            Err(e) => return failed(ctx, &e),
        };
        let preferred = file.counsellor.as_ref().map(|c| c.0).or(ctx.user.map(|u| u.id));
        let selected = counsellors.iter().position(|c| Some(c.id) == preferred).unwrap_or(0);
        let items = counsellors
            .into_iter()
            .map(|c| PickItem::new(c.name, to_planner(Msg::Counsellor(c.id))))
            .collect();
        vec![Effect::Open(Overlay::Picker(Picker { title: "plan.pick_counsellor", items, selected }))]
    }

    pub(super) fn pick_attended(&mut self, ctx: &mut Ctx) -> Effects {
        let s = match self.session(ctx) {
            Ok(s) => s,
            Err(effects) => return effects,
        };
        if s.status != SessionStatus::Planned {
            return warn(ctx, "plan.not_planned");
        }
        if s.start > ctx.now {
            return warn(ctx, "plan.not_yet_happened");
        }
        let (id, version) = (s.id, s.version);
        let items = attended_items(ctx, |attended| to_planner(Msg::Held { session: id, version, attended }));
        vec![Effect::Open(Overlay::Picker(Picker::new("plan.pick_attended", items)))]
    }

    /// Before a conversation is saved: one recorded afterwards as held asks who came; one planned
    /// for a couple received separately asks first (with both, as every trajectory conversation is).
    pub(super) fn before_plan(&mut self, new: NewSession, ctx: &mut Ctx) -> Effects {
        if new.status == SessionStatus::Held && new.attended.is_none() {
            let with = |a| to_planner(Msg::Plan(NewSession { attended: Some(a), ..new.clone() }));
            let items = attended_items(ctx, with);
            return vec![Effect::Open(Overlay::Picker(Picker::new("plan.pick_attended", items)))];
        }
        if new.status == SessionStatus::Planned
            && let Some(question) = ctx.apart_question("plan", to_planner(Msg::PlanAnyway(new.clone())))
        {
            return vec![question];
        }
        self.update(Msg::PlanAnyway(new), ctx)
    }
}

/// Who came, as a pick list: both, or one partner by name; each item sends `msg` of its answer.
fn attended_items(ctx: &Ctx, msg: impl Fn(Attended) -> crate::app::Msg) -> Vec<PickItem> {
    let names: Vec<String> =
        ctx.file.map(|f| f.partners.iter().map(|p| p.name.full()).collect()).unwrap_or_default();
    Attended::ALL
        .iter()
        .map(|a| {
            let label = match a {
                Attended::Both => ctx.t("attended.both"),
                Attended::Partner1 => names.first().cloned().unwrap_or_else(|| ctx.t("attended.partner1")),
                Attended::Partner2 => names.get(1).cloned().unwrap_or_else(|| ctx.t("attended.partner2")),
            };
            PickItem::new(label, msg(*a))
        })
        .collect()
}
