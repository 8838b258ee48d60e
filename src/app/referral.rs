//! The referral pane (*Verwijzing*): referring the open couple on, consent per partner, the
//! letter, referrals in, and the follow-up list across all couples.

use chrono::{Duration, NaiveDate};

use super::form::{Choice, Field, FieldId, Form};
use super::overlay::{PickItem, PickPurpose, Picker};
use super::{App, FormKind, FormOverlay, Overlay};
use crate::action::{Action, Pane};
use crate::domain::couple::Source;
use crate::domain::dates::{format_date, parse_date};
use crate::domain::referral::{
    Blocked, FollowUp, NewReferral, Referral, ReferralStatus, Shared, explains_cost,
};
use crate::domain::user::Role;
use crate::domain::walkin::{Outcome, desk_day};

/// Days until a sent referral is due for a follow-up, by default.
const FOLLOW_UP_DAYS: i64 = 14;
/// Longest reason and written summary.
const REASON_MAX: usize = 300;
const SUMMARY_MAX: usize = 1000;

#[derive(Debug, Clone, Default)]
pub struct ReferralState {
    /// The open couple's referrals out, newest first.
    pub list: Vec<Referral>,
    pub referrals_in: Vec<(Source, NaiveDate)>,
    pub selected: usize,
    /// The follow-up list across all couples, instead of the open couple's referrals.
    pub show_follow_ups: bool,
    pub follow_ups: Vec<FollowUp>,
}

impl ReferralState {
    pub fn selected(&self) -> Option<&Referral> {
        self.list.get(self.selected)
    }
}

fn yes_no() -> Choice {
    Choice::new(vec![("no", "letter.no".to_owned()), ("yes", "letter.yes".to_owned())])
}

impl App {
    /// A party's name for a code, or the code itself when the list no longer has it.
    pub fn party_name(&self, code: &str) -> String {
        self.config
            .parties
            .iter()
            .find(|p| p.code == code)
            .map_or_else(|| code.to_owned(), |p| p.name.clone())
    }

    /// Why a referral cannot be sent yet, naming the partners.
    pub fn blocked_text(&self, blocked: &Blocked) -> String {
        crate::errors::blocked_text(&self.texts, blocked, &|p| self.partner_name(p))
    }

    /// The open file's partner at a position (the position itself when no file has them).
    pub(super) fn partner_name(&self, position: u8) -> String {
        let file = self.file.as_ref();
        file.and_then(|f| f.partners.iter().find(|x| x.position == position))
            .map_or_else(|| position.to_string(), |x| x.name.full())
    }

    pub(super) fn reload_referrals(&mut self) {
        let today = desk_day(self.now);
        match self.store.follow_ups(today) {
            Ok(f) => self.referral.follow_ups = f,
            Err(e) => return self.show_error(&e),
        }
        let Some(couple) = self.file.as_ref().map(|f| f.id) else {
            self.referral.list.clear();
            self.referral.referrals_in.clear();
            return;
        };
        match (self.store.referrals_of(couple), self.store.referrals_in(couple)) {
            (Ok(list), Ok(ins)) => {
                self.referral.list = list;
                self.referral.referrals_in = ins;
            }
            (Err(e), _) | (_, Err(e)) => return self.show_error(&e),
        }
        let len = self.referral_rows();
        self.referral.selected = self.referral.selected.min(len.saturating_sub(1));
    }

    fn referral_rows(&self) -> usize {
        if self.referral.show_follow_ups { self.referral.follow_ups.len() } else { self.referral.list.len() }
    }

    /// From the queue (a walk-in referred on) or the file pane: the referral pane with a new form.
    pub(super) fn refer(&mut self, couple: i64) {
        self.open_file(couple);
        if self.file.is_some() {
            self.pane = Pane::Referral;
            self.referral.show_follow_ups = false;
            self.reload_referrals();
            self.open_referral_form();
        }
    }

    pub(super) fn refer_from_queue(&mut self) {
        match self.queue.selected().cloned() {
            Some(w) if w.state.outcome == Some(Outcome::ReferredOn) => self.refer(w.couple.id),
            Some(_) => self.warn("refer.walk_in_not_referred"),
            None => self.warn("queue.nothing_selected"),
        }
    }

    pub(super) fn update_referral(&mut self, action: Action) {
        if self.store.is_read_only()
            && matches!(
                action,
                Action::NewReferral
                    | Action::Consent
                    | Action::ChangeStatus
                    | Action::ReferralIn
                    | Action::Letter
            )
        {
            return self.warn("error.read_only");
        }
        match action {
            Action::ToggleFollowUps => {
                self.referral.show_follow_ups = !self.referral.show_follow_ups;
                self.referral.selected = 0;
                self.reload_referrals();
            }
            Action::Enter if self.referral.show_follow_ups => {
                if let Some(f) = self.referral.follow_ups.get(self.referral.selected).cloned() {
                    self.referral.show_follow_ups = false;
                    self.open_file(f.couple_id);
                    self.pane = Pane::Referral;
                    self.reload_referrals();
                    if let Some(i) = self.referral.list.iter().position(|r| r.id == f.referral_id) {
                        self.referral.selected = i;
                    }
                }
            }
            Action::NewReferral
            | Action::ReferralIn
            | Action::Consent
            | Action::ChangeStatus
            | Action::Letter
                if self.file.is_none() || self.referral.show_follow_ups =>
            {
                self.warn(if self.file.is_none() { "refer.open_a_file" } else { "refer.in_follow_ups" })
            }
            Action::NewReferral => self.open_referral_form(),
            Action::ReferralIn => self.open_referral_in_form(),
            Action::Consent => self.pick_consent(),
            Action::ChangeStatus => self.pick_referral_status(),
            Action::Letter => self.write_letter(),
            other => {
                self.referral.selected =
                    super::overlay::step(self.referral.selected, self.referral_rows(), &other);
            }
        }
    }

    fn open_referral_form(&mut self) {
        let parties = Choice::new(self.config.parties.iter().map(|p| ("", p.name.clone())).collect());
        let mut shared: Vec<(&'static str, String)> =
            Shared::ALL.iter().map(|s| (s.code(), s.text_key())).collect();
        let counsellor = self.user.as_ref().is_some_and(|u| u.role == Role::Counsellor);
        if !counsellor {
            shared.retain(|(code, _)| *code != Shared::WithSummary.code());
        }
        let mut fields = vec![
            Field::choice(FieldId::Party, "refer.party", parties),
            Field::text(FieldId::Reason, "refer.reason", REASON_MAX, true),
            Field::choice(FieldId::CostExplained, "refer.cost_explained", yes_no()),
            Field::choice(FieldId::InsuranceToCheck, "refer.insurance_to_check", yes_no()),
            Field::choice(FieldId::Shared, "refer.shared", Choice::new(shared)),
        ];
        if counsellor {
            fields.push(Field::text(FieldId::Summary, "refer.summary", SUMMARY_MAX, false));
        }
        fields.push(Field::text(FieldId::FollowUp, "refer.follow_up", 10, false));
        let mut form = Form::new("refer.title", fields);
        form.set_text(FieldId::FollowUp, &format_date(desk_day(self.now) + Duration::days(FOLLOW_UP_DAYS)));
        form.dirty = false;
        self.overlays.push(Overlay::Form(FormOverlay { kind: FormKind::Referral, form }));
    }

    fn open_referral_in_form(&mut self) {
        let sources = Choice::new(Source::ALL.iter().map(|s| (s.code(), s.text_key())).collect());
        let mut form = Form::new(
            "refer.in_title",
            vec![
                Field::choice(FieldId::Source, "refer.in_source", sources),
                Field::text(FieldId::InDate, "refer.in_date", 10, true),
            ],
        );
        form.set_text(FieldId::InDate, &format_date(desk_day(self.now)));
        form.dirty = false;
        self.overlays.push(Overlay::Form(FormOverlay { kind: FormKind::ReferralIn, form }));
    }

    pub(super) fn save_referral_form(&mut self, mut top: FormOverlay) {
        top.form.clear_errors();
        let (Some(file), Some(user)) = (self.file.clone(), self.user.clone()) else { return };
        let today = desk_day(self.now);
        if top.kind == FormKind::ReferralIn {
            let source = top.form.choice(FieldId::Source).and_then(|c| Source::from_code(c.code()));
            let on = top.form.parsed(FieldId::InDate, |s| parse_date(s, today).map_err(|p| p.text_key()));
            let (Some(source), Some(on)) = (source, on) else {
                top.form.focus_first_error();
                return self.overlays.push(Overlay::Form(top));
            };
            let result = self.store.record_referral_in(file.id, source, on, &user, self.now);
            return self.after_referral_write(result, top, "refer.in_recorded");
        }
        let party = top
            .form
            .choice(FieldId::Party)
            .and_then(|c| self.config.parties.get(c.selected))
            .map(|p| (p.code.clone(), p.kind));
        let reason = top.form.checked_text(FieldId::Reason);
        let yes = |form: &Form, id| form.choice(id).is_some_and(|c| c.code() == "yes");
        let shared = top.form.choice(FieldId::Shared).and_then(|c| Shared::from_code(c.code()));
        let summary = if top.form.field(FieldId::Summary).is_some() {
            top.form.checked_text(FieldId::Summary)
        } else {
            Some(String::new())
        };
        let follow_up = top.form.parsed(FieldId::FollowUp, |s| {
            if s.trim().is_empty() {
                Ok(None)
            } else {
                parse_date(s, today).map(Some).map_err(|p| p.text_key())
            }
        });
        let (Some((party, party_kind)), Some(reason), Some(shared), Some(summary), Some(follow_up_on)) =
            (party, reason, shared, summary, follow_up)
        else {
            top.form.focus_first_error();
            return self.overlays.push(Overlay::Form(top));
        };
        // An honest referral to paid help says what it costs first.
        if explains_cost(party_kind, yes(&top.form, FieldId::CostExplained)).is_err() {
            if let Some(f) = top.form.field_mut(FieldId::CostExplained) {
                f.error = Some(super::FieldError::new("refer.explain_cost_first"));
            }
            top.form.focus_first_error();
            return self.overlays.push(Overlay::Form(top));
        }
        let new = NewReferral {
            party,
            party_kind,
            reason,
            cost_explained: yes(&top.form, FieldId::CostExplained),
            insurance_to_check: yes(&top.form, FieldId::InsuranceToCheck),
            shared,
            summary,
            follow_up_on,
        };
        let result = self.store.create_referral(file.id, &new, &user, self.now).map(|_| ());
        self.referral.selected = 0;
        self.after_referral_write(result, top, "refer.created");
    }

    fn after_referral_write(
        &mut self,
        result: Result<(), crate::store::StoreError>,
        mut top: FormOverlay,
        done: &str,
    ) {
        match result {
            Ok(()) => {
                self.reload_file();
                self.reload_referrals();
                self.info(self.texts.t(done).to_owned());
            }
            Err(e) => {
                top.form.message = Some(self.error_text(&e));
                self.overlays.push(Overlay::Form(top));
            }
        }
    }

    fn selected_referral(&mut self) -> Option<Referral> {
        let found = self.referral.selected().cloned().filter(|_| !self.referral.show_follow_ups);
        if found.is_none() {
            self.warn("refer.none_selected");
        }
        found
    }

    fn pick_consent(&mut self) {
        let Some(r) = self.selected_referral() else { return };
        let partners: Vec<(u8, bool)> = r.consents.iter().map(|(p, c)| (*p, c.holds())).collect();
        let file = self.file.clone();
        let items = partners
            .iter()
            .map(|(p, holds)| {
                let name = file
                    .as_ref()
                    .and_then(|f| f.partners.iter().find(|x| x.position == *p))
                    .map_or_else(|| p.to_string(), |x| x.name.full());
                let key = if *holds { "refer.withdraw_consent" } else { "refer.give_consent" };
                PickItem { label: self.texts.f(key, &[("name", &name)]), remark: None }
            })
            .collect();
        self.overlays.push(Overlay::Picker(Picker {
            title: "refer.pick_consent",
            items,
            selected: 0,
            purpose: PickPurpose::ConsentPartner { referral: r.id, version: r.version, partners },
        }));
    }

    pub(super) fn consent_picked(&mut self, referral: i64, version: i64, position: u8, holds: bool) {
        let Some(user) = self.user.clone() else { return };
        let result = self.store.set_consent(referral, version, position, !holds, desk_day(self.now), &user);
        let done = if holds { "refer.consent_withdrawn" } else { "refer.consent_given" };
        self.after_referral_action(result, done);
    }

    fn pick_referral_status(&mut self) {
        let Some(r) = self.selected_referral() else { return };
        let options = r.status.next().to_vec();
        if options.is_empty() {
            return self.warn("refer.final_status");
        }
        if options == [ReferralStatus::Sent]
            && let Err(blocked) = r.may_send()
        {
            let text = self.blocked_text(&blocked);
            return self.flash_error(text);
        }
        let items = options
            .iter()
            .map(|s| PickItem { label: self.texts.t(&s.text_key()).to_owned(), remark: None })
            .collect();
        self.overlays.push(Overlay::Picker(Picker {
            title: "refer.pick_status",
            items,
            selected: 0,
            purpose: PickPurpose::ReferralStatus { referral: r.id, version: r.version, options },
        }));
    }

    pub(super) fn referral_status_picked(&mut self, referral: i64, version: i64, to: ReferralStatus) {
        let Some(user) = self.user.clone() else { return };
        let result =
            self.store.set_referral_status(referral, version, to, desk_day(self.now), &user, self.now);
        self.after_referral_action(result, "refer.status_changed");
    }

    fn write_letter(&mut self) {
        let Some(r) = self.selected_referral() else { return };
        let Some(party) = self.config.parties.iter().find(|p| p.code == r.party).cloned() else {
            return self.warn("refer.unknown_party");
        };
        let data = match self.store.letter_data(r.id) {
            Ok(d) => d,
            Err(e) => return self.show_error(&e),
        };
        let dir = self.letters_dir();
        match crate::letters::write(&dir, &data, &party, &self.texts, desk_day(self.now)) {
            Ok(path) => self.info(self.texts.f("refer.letter_written", &[("path", &path.display())])),
            Err(e) => self.flash_error(
                self.texts
                    .f("refer.letter_failed", &[("reason", &crate::errors::io_text(&self.texts, e.kind()))]),
            ),
        }
    }

    /// Letters go in `brieven/` beside the database file.
    pub fn letters_dir(&self) -> std::path::PathBuf {
        self.store.path().parent().map_or_else(|| std::path::PathBuf::from("brieven"), |p| p.join("brieven"))
    }

    fn after_referral_action(&mut self, result: Result<(), crate::store::StoreError>, done: &str) {
        match result {
            Ok(()) => {
                self.reload_file();
                self.reload_referrals();
                self.info(self.texts.t(done).to_owned());
            }
            Err(e) => {
                self.reload_referrals();
                self.show_error(&e);
            }
        }
    }
}
