//! The referral pane's forms: a referral out (paid help must explain the cost first), and a
//! referral in.

use chrono::Duration;

use super::{Msg, to_referral};
use crate::app::ctx::{Ctx, Effect, Effects};
use crate::app::popups::{Choice, Field, Form, FormPopup, Overlay};
use crate::domain::couple::Source;
use crate::domain::dates::{format_date, parse_date};
use crate::domain::referral::{NewReferral, Party, Scope, Shared};
use crate::domain::user::Role;
use crate::domain::walkin::desk_day;

/// Days until a sent referral is due for a follow-up, by default.
const FOLLOW_UP_DAYS: i64 = 14;
/// Longest reason and written summary.
const REASON_MAX: usize = 300;
const SUMMARY_MAX: usize = 1000;
/// The answers of a yes/no field, in order.
const NO_YES: [bool; 2] = [false, true];

crate::form_fields!(R { Party, Scope, Reason, CostExplained, InsuranceToCheck, Shared, Summary, FollowUp });

/// A referral out. A receptionist writes no summary: that field and its sharing option are left out.
#[derive(Debug)]
struct ReferralForm {
    form: Form,
    /// What may go along, in the order of the choice.
    shared: Vec<Shared>,
    /// Whom it can be for, in the order of the choice: the couple (with two partners), then each
    /// partner alone. A one-person file can only refer its partner.
    scopes: Vec<Scope>,
}

fn yes_no() -> Choice {
    Choice::new(vec!["letter.no".to_owned(), "letter.yes".to_owned()])
}

pub(super) fn referral(ctx: &Ctx) -> Effect {
    let lang = ctx.texts.lang();
    let parties = Choice::new(ctx.config.parties.iter().map(|p| p.name_in(lang).to_owned()).collect());
    let counsellor = ctx.user.is_some_and(|u| u.has(Role::Counsellor));
    let shared: Vec<Shared> =
        Shared::ALL.iter().copied().filter(|s| counsellor || *s != Shared::WithSummary).collect();
    let mut summary = Field::text("refer.summary", SUMMARY_MAX, false);
    summary.visible = counsellor;
    let partners = ctx.file.map(|f| f.partners.as_slice()).unwrap_or_default();
    let mut scopes = Vec::new();
    let mut labels = Vec::new();
    if partners.len() > 1 {
        scopes.push(Scope::Couple);
        labels.push(ctx.t("refer.scope_couple"));
    }
    for p in partners {
        if let Some(scope) = Scope::partner(p.position) {
            scopes.push(scope);
            labels.push(ctx.texts.f("refer.scope_one", &[("name", &p.name.full())]));
        }
    }
    let mut form = Form::new(
        "refer.title",
        vec![
            Field::choice("refer.party", parties),
            Field::choice("refer.scope", Choice::new(labels)),
            Field::text("refer.reason", REASON_MAX, true),
            Field::choice("refer.cost_explained", yes_no()),
            Field::choice("refer.insurance_to_check", yes_no()),
            Field::choice("refer.shared", Choice::of(&shared, Shared::text_key)),
            summary,
            Field::text("refer.follow_up", 10, false),
        ],
    );
    form.set_text(R::FollowUp, &format_date(desk_day(ctx.now) + Duration::days(FOLLOW_UP_DAYS)));
    form.dirty = false;
    let mut popup = ReferralForm { form, shared, scopes };
    popup.changed(ctx);
    Effect::Open(Overlay::Form(Box::new(popup)))
}

impl ReferralForm {
    fn party<'a>(&self, ctx: &'a Ctx) -> Option<&'a Party> {
        self.form.choice(R::Party).and_then(|c| ctx.config.parties.get(c.selected))
    }
}

impl FormPopup for ReferralForm {
    crate::form_access!();

    /// The chosen party's facts (what it costs, the insurance) go with the form while it is
    /// filled in; and a cost not yet explained is no longer marked once it no longer needs to be.
    fn changed(&mut self, ctx: &Ctx) {
        let lang = ctx.texts.lang();
        let party = self.party(ctx).cloned();
        self.form.aside = party.as_ref().map(|p| (ctx.t("refer.facts"), p.facts_in(lang).to_vec()));
        let explained = self.form.chosen(R::CostExplained, &NO_YES) == Some(true);
        let needed = !explained && party.is_some_and(|p| p.kind.is_paid());
        if !needed && let Some(field) = self.form.field_mut(R::CostExplained) {
            field.error = None;
        }
    }

    fn submit(&mut self, ctx: &mut Ctx) -> Effects {
        let today = desk_day(ctx.now);
        let form = &mut self.form;
        let party = form.choice(R::Party).and_then(|c| ctx.config.parties.get(c.selected)).cloned();
        let reason = form.checked_text(R::Reason);
        let shared = form.chosen(R::Shared, &self.shared);
        let scope = form.chosen(R::Scope, &self.scopes);
        let summary = if form.field(R::Summary).is_some_and(|f| f.visible) {
            form.checked_text(R::Summary)
        } else {
            Some(String::new())
        };
        let follow_up = form.parsed(R::FollowUp, |s| {
            if s.trim().is_empty() {
                Ok(None)
            } else {
                parse_date(s, today).map(Some).map_err(|p| p.text_key())
            }
        });
        let cost_explained = form.chosen(R::CostExplained, &NO_YES).unwrap_or(false);
        let insurance_to_check = form.chosen(R::InsuranceToCheck, &NO_YES).unwrap_or(false);
        let (Some(party), Some(scope), Some(reason), Some(shared), Some(summary), Some(follow_up_on)) =
            (party, scope, reason, shared, summary, follow_up)
        else {
            return Vec::new();
        };
        let new = NewReferral {
            party: party.code,
            party_kind: party.kind,
            scope,
            reason,
            cost_explained,
            insurance_to_check,
            shared,
            summary,
            follow_up_on,
        };
        // An honest referral to paid help says what it costs first (the store checks it too).
        if new.may_save().is_err() {
            form.set_error(R::CostExplained, "refer.explain_cost_first");
            return Vec::new();
        }
        vec![Effect::Send(to_referral(Msg::Create(new)))]
    }
}

crate::form_fields!(I { Source, Date });

/// A referral in: who sent the couple, and when.
#[derive(Debug)]
struct ReferralInForm {
    form: Form,
}

pub(super) fn referral_in(ctx: &Ctx) -> Effect {
    let mut form = Form::new(
        "refer.in_title",
        vec![
            Field::choice("refer.in_source", Choice::of(Source::ALL, Source::text_key)),
            Field::text("refer.in_date", 10, true),
        ],
    );
    form.set_text(I::Date, &format_date(desk_day(ctx.now)));
    form.dirty = false;
    Effect::Open(Overlay::Form(Box::new(ReferralInForm { form })))
}

impl FormPopup for ReferralInForm {
    crate::form_access!();

    /// Who referred the couple is chosen, never saved as the list's first option by default.
    fn must_choose(&self) -> Option<(usize, &'static str)> {
        Some((I::Source as usize, "refer.in_choose_first"))
    }

    fn submit(&mut self, ctx: &mut Ctx) -> Effects {
        let today = desk_day(ctx.now);
        let source = self.form.chosen(I::Source, Source::ALL);
        let on = self.form.parsed(I::Date, |s| parse_date(s, today).map_err(|p| p.text_key()));
        match (source, on) {
            (Some(source), Some(on)) => vec![Effect::Send(to_referral(Msg::RecordIn { source, on }))],
            _ => Vec::new(),
        }
    }
}
