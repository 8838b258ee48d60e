//! The referral pane (*Verwijzing*): referring the open couple on, consent per partner, the
//! letter, referrals in, and the follow-up list across all couples.

mod forms;

use chrono::NaiveDate;

use super::super::ctx::{Ctx, Effect, Effects, failed, warn};
use super::super::popups::{Confirm, Overlay, PickItem, Picker, step};
use crate::action::{Action, Binding, Context, KeyCode, Pane, bind, list_keys};
use crate::config::Config;
use crate::domain::couple::Source;
use crate::domain::referral::ReferralStatus;
use crate::domain::referral::{FollowUp, NewReferral, Referral, Scope};
use crate::domain::user::Role;
use crate::domain::walkin::desk_day;
use crate::store::StoreError;

#[derive(Debug, Clone, Default)]
pub struct ReferralState {
    /// The open couple's referrals out, newest first.
    pub list: Vec<Referral>,
    pub referrals_in: Vec<(Source, NaiveDate)>,
    pub selected: usize,
    /// The follow-up list across all couples, instead of the open couple's referrals.
    pub show_follow_ups: bool,
    /// The selected referral's consent history instead of its reason and facts.
    pub show_history: bool,
    pub follow_ups: Vec<FollowUp>,
}

#[derive(Debug, Clone)]
pub enum Msg {
    /// From the queue (a walk-in referred on) or the file pane: the referral form for this couple.
    Refer(i64),
    /// The couple's file is open: show the pane with a new form.
    NewForm,
    Create(NewReferral),
    /// Create a referral of the couple together, after the question for a couple received
    /// separately was answered yes.
    CreateAnyway(NewReferral),
    RecordIn {
        source: Source,
        on: NaiveDate,
    },
    Consent {
        referral: i64,
        version: i64,
        position: u8,
        holds: bool,
    },
    Status {
        referral: i64,
        version: i64,
        to: ReferralStatus,
    },
    /// Select this referral of the open couple (opened from the follow-up list).
    Select(i64),
    /// Ask this question first; yes sends the message (a withdrawal of consent).
    Ask(String, Box<Msg>),
}

fn to_referral(msg: Msg) -> super::super::Msg {
    super::super::Msg::Referral(msg)
}

/// A party's name for a code in the user's language, or the code itself when the list no longer
/// has it.
pub fn party_name(config: &Config, code: &str, lang: crate::config::Lang) -> String {
    config
        .parties
        .iter()
        .find(|p| p.code == code)
        .map_or_else(|| code.to_owned(), |p| p.name_in(lang).to_owned())
}

impl ReferralState {
    pub fn selected(&self) -> Option<&Referral> {
        self.list.get(self.selected)
    }

    fn rows(&self) -> usize {
        if self.show_follow_ups { self.follow_ups.len() } else { self.list.len() }
    }

    pub fn reload(&mut self, ctx: &mut Ctx) -> Effects {
        match ctx.store.follow_ups(desk_day(ctx.now)) {
            Ok(f) => self.follow_ups = f,
            Err(e) => return failed(ctx, &e),
        }
        let (Some(couple), Some(user)) = (ctx.file.map(|f| f.id), ctx.user) else {
            self.list.clear();
            self.referrals_in.clear();
            return Vec::new();
        };
        match (ctx.store.referrals_of(couple, user), ctx.store.referrals_in(couple)) {
            (Ok(list), Ok(ins)) => {
                self.list = list;
                self.referrals_in = ins;
            }
            (Err(e), _) | (_, Err(e)) => return failed(ctx, &e),
        }
        self.selected = self.selected.min(self.rows().saturating_sub(1));
        Vec::new()
    }

    pub fn on_key(&mut self, action: Action, ctx: &mut Ctx) -> Effects {
        let writes = matches!(
            action,
            Action::NewReferral
                | Action::Consent
                | Action::ChangeStatus
                | Action::ReferralIn
                | Action::Letter
        );
        match action {
            _ if writes && ctx.read_only() => warn(ctx, ctx.read_only_key()),
            Action::ToggleFollowUps => {
                self.show_follow_ups = !self.show_follow_ups;
                self.selected = 0;
                self.reload(ctx)
            }
            Action::ConsentHistory => {
                self.show_history = !self.show_history;
                Vec::new()
            }
            Action::Enter if self.show_follow_ups => match self.follow_ups.get(self.selected).cloned() {
                Some(f) => {
                    self.show_follow_ups = false;
                    self.selected = 0;
                    let select = to_referral(Msg::Select(f.referral_id));
                    vec![Effect::OpenFile(f.couple_id), Effect::Show(Pane::Referral), Effect::Send(select)]
                }
                None => Vec::new(),
            },
            _ if writes && ctx.file.is_none() => warn(ctx, "refer.open_a_file"),
            _ if writes && self.show_follow_ups => warn(ctx, "refer.in_follow_ups"),
            Action::NewReferral => vec![forms::referral(ctx)],
            Action::ReferralIn => vec![forms::referral_in(ctx)],
            Action::Consent => self.pick_consent(ctx),
            Action::ChangeStatus => self.pick_status(ctx),
            Action::Letter => self.write_letter(ctx),
            other => {
                self.selected = step(self.selected, self.rows(), &other);
                Vec::new()
            }
        }
    }

    pub fn update(&mut self, msg: Msg, ctx: &mut Ctx) -> Effects {
        let Some(user) = ctx.user else { return Vec::new() };
        match msg {
            Msg::Select(id) => {
                if let Some(i) = self.list.iter().position(|r| r.id == id) {
                    self.selected = i;
                }
                Vec::new()
            }
            Msg::Refer(couple) => vec![Effect::OpenFile(couple), Effect::Send(to_referral(Msg::NewForm))],
            Msg::NewForm => {
                if ctx.file.is_none() {
                    return Vec::new();
                }
                self.show_follow_ups = false;
                let mut effects = vec![Effect::Show(Pane::Referral)];
                effects.extend(self.reload(ctx));
                effects.push(forms::referral(ctx));
                effects
            }
            // A couple received separately: referring them together is only done after the
            // question; a referral for one partner alone is not joint and is not asked about.
            Msg::Create(new) if new.scope == Scope::Couple => {
                match ctx.apart_question("refer", to_referral(Msg::CreateAnyway(new.clone()))) {
                    Some(question) => vec![question],
                    None => self.update(Msg::CreateAnyway(new), ctx),
                }
            }
            Msg::Create(new) | Msg::CreateAnyway(new) => {
                let Some(couple) = ctx.file.map(|f| f.id) else { return Vec::new() };
                let result = ctx.store.create_referral(couple, &new, user, ctx.now).map(|_| ());
                self.selected = 0;
                self.after_form(result, "refer.created", ctx)
            }
            Msg::RecordIn { source, on } => {
                let Some(couple) = ctx.file.map(|f| f.id) else { return Vec::new() };
                let result = ctx.store.record_referral_in(couple, source, on, user, ctx.now);
                self.after_form(result, "refer.in_recorded", ctx)
            }
            Msg::Ask(question, yes) => vec![Effect::Open(Confirm::ask(question, to_referral(*yes)))],
            Msg::Consent { referral, version, position, holds } => {
                let result = ctx.store.set_consent(
                    referral,
                    version,
                    position,
                    !holds,
                    desk_day(ctx.now),
                    user,
                    ctx.now,
                );
                let done = if holds { "refer.consent_withdrawn" } else { "refer.consent_given" };
                self.after_action(result, done, ctx)
            }
            Msg::Status { referral, version, to } => {
                let result =
                    ctx.store.set_referral_status(referral, version, to, desk_day(ctx.now), user, ctx.now);
                self.after_action(result, "refer.status_changed", ctx)
            }
        }
    }

    /// After a form's save: the file and its referrals read again, or the form stays with why.
    fn after_form(&mut self, result: Result<(), StoreError>, done: &str, ctx: &mut Ctx) -> Effects {
        match result {
            Ok(()) => vec![Effect::CloseForm, Effect::ReloadFile, Effect::Info(ctx.t(done))],
            Err(e) => vec![Effect::FormMessage(ctx.error_text(&e))],
        }
    }

    /// After a consent or status change: read again; a problem is shown.
    fn after_action(&mut self, result: Result<(), StoreError>, done: &str, ctx: &mut Ctx) -> Effects {
        match result {
            Ok(()) => vec![Effect::ReloadFile, Effect::Info(ctx.t(done))],
            Err(e) => {
                let mut effects = self.reload(ctx);
                effects.extend(failed(ctx, &e));
                effects
            }
        }
    }

    /// The selected referral of the open couple; otherwise why there is none.
    fn selected_referral(&self, ctx: &Ctx) -> Result<Referral, Effects> {
        self.selected()
            .filter(|_| !self.show_follow_ups)
            .cloned()
            .ok_or_else(|| warn(ctx, "refer.none_selected"))
    }

    fn pick_consent(&mut self, ctx: &mut Ctx) -> Effects {
        let r = match self.selected_referral(ctx) {
            Ok(r) => r,
            Err(effects) => return effects,
        };
        // The partner still without consent comes first, so that Enter records theirs; a
        // withdrawal is asked once more before it is recorded.
        let mut consents: Vec<_> = r.consents.iter().collect();
        consents.sort_by_key(|(_, c)| c.holds());
        let items = consents
            .into_iter()
            .map(|(p, c)| {
                let holds = c.holds();
                let name = ctx
                    .file
                    .and_then(|f| f.partners.iter().find(|x| x.position == *p))
                    .map_or_else(|| p.to_string(), |x| x.name.full());
                let key = if holds { "refer.withdraw_consent" } else { "refer.give_consent" };
                let consent = Msg::Consent { referral: r.id, version: r.version, position: *p, holds };
                let reply = if holds {
                    let question = ctx.texts.f("confirm.withdraw_consent", &[("name", &name)]);
                    to_referral(Msg::Ask(question, Box::new(consent)))
                } else {
                    to_referral(consent)
                };
                PickItem::new(ctx.texts.f(key, &[("name", &name)]), reply)
            })
            .collect();
        vec![Effect::Open(Overlay::Picker(Picker::new("refer.pick_consent", items)))]
    }

    fn pick_status(&mut self, ctx: &mut Ctx) -> Effects {
        let r = match self.selected_referral(ctx) {
            Ok(r) => r,
            Err(effects) => return effects,
        };
        let options = r.status.next().to_vec();
        if options.is_empty() {
            return warn(ctx, "refer.final_status");
        }
        if options == [ReferralStatus::Sent]
            && let Err(blocked) = r.may_send()
        {
            return vec![Effect::Error(crate::app::blocked_text(ctx.texts, ctx.file, &blocked))];
        }
        let items = options
            .iter()
            .map(|s| {
                let reply = Msg::Status { referral: r.id, version: r.version, to: *s };
                PickItem::new(ctx.t(&s.text_key()), to_referral(reply))
            })
            .collect();
        vec![Effect::Open(Overlay::Picker(Picker::new("refer.pick_status", items)))]
    }

    fn write_letter(&mut self, ctx: &mut Ctx) -> Effects {
        // The letter holds the reason and the summary: a counsellor's to write (the store refuses others too).
        let Some(user) = ctx.user.filter(|u| u.may(Role::writes_letters)) else {
            return warn(ctx, "refer.letter_counsellor_only");
        };
        let r = match self.selected_referral(ctx) {
            Ok(r) => r,
            Err(effects) => return effects,
        };
        let Some(party) = ctx.config.parties.iter().find(|p| p.code == r.party).cloned() else {
            return warn(ctx, "refer.unknown_party");
        };
        let data = match ctx.store.letter_data(r.id, user) {
            Ok(d) => d,
            Err(e) => return failed(ctx, &e),
        };
        let dir = letters_dir(ctx.store.path());
        match crate::letters::write(&dir, &data, &party, ctx.texts, desk_day(ctx.now)) {
            Ok(path) => {
                let mut effects =
                    vec![Effect::Info(ctx.texts.f("refer.letter_written", &[("path", &path.display())]))];
                // Each letter written is on the file's timeline, with who wrote it.
                if let Err(e) = ctx.store.record_letter(r.id, user, ctx.now) {
                    effects.extend(failed(ctx, &e));
                }
                effects.push(Effect::ReloadFile);
                effects
            }
            Err(e) => {
                let reason = crate::errors::io_text(ctx.texts, e.kind());
                vec![Effect::Error(ctx.texts.f("refer.letter_failed", &[("reason", &reason)]))]
            }
        }
    }
}

/// Letters go in `brieven/` beside the database file.
pub fn letters_dir(db: &std::path::Path) -> std::path::PathBuf {
    db.parent().map_or_else(|| std::path::PathBuf::from("brieven"), |p| p.join("brieven"))
}

pub fn bindings() -> Vec<Binding> {
    use Context::Referral;
    use KeyCode::*;
    let mut b = vec![
        bind(Referral, Char('n'), Action::NewReferral, "key.new_referral", true),
        bind(Referral, Char('c'), Action::Consent, "key.consent", true),
        bind(Referral, Char('s'), Action::ChangeStatus, "key.referral_status", true),
        bind(Referral, Char('b'), Action::Letter, "key.letter", true),
        bind(Referral, Char('i'), Action::ReferralIn, "key.referral_in", true),
        bind(Referral, Char('f'), Action::ToggleFollowUps, "key.follow_ups", true),
        bind(Referral, Char('h'), Action::ConsentHistory, "key.consent_history", true),
        bind(Referral, Enter, Action::Enter, "key.open_booking", false),
    ];
    b.extend(list_keys(Referral));
    b
}
