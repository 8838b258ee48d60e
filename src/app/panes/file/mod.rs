//! The file pane (*Dossier*): the couple's file on the desk, opened from the queue or by finding
//! it, and the counsellor's changes to it.

mod concern;
mod erase;
mod forms;
mod private_note;

use chrono::NaiveDate;

use super::super::ctx::{AppMsg, Ctx, Effect, Effects, failed, warn};
use super::super::popups::{Confirm, NotesEditor, Overlay, PickItem, Picker};
use crate::action::{Action, Binding, Context, KeyCode, bind};
use crate::domain::concern::NewStep;
use crate::domain::file::{CloseOutcome, CoupleFile, FileDetails, FileStatus, LifeEventKind, Notes};
use crate::domain::scores::ScoreChange;
use crate::domain::user::Role;
use crate::store::StoreError;

/// What the file pane keeps beside the file itself (which lies on the desk, in `App`).
#[derive(Debug, Clone, Default)]
pub struct FilePane {
    /// Each partner's first and last scores in the open file's trajectory.
    pub scores: Vec<ScoreChange>,
    /// The file these scroll positions are of: another file starts at the top again.
    shown: Option<i64>,
    /// How many of the notes' last lines are scrolled out of view (PgUp); 0 shows the newest.
    pub notes_back: usize,
    /// How many of the timeline's newest entries are scrolled out of view (↓); 0 shows the newest.
    pub timeline_top: usize,
}

/// A change to the open file, checked against the version it was made on.
#[derive(Debug, Clone)]
pub enum Change {
    Details(FileDetails),
    LifeEvent(LifeEventKind, Option<NaiveDate>),
    Status(FileStatus, Option<(CloseOutcome, NaiveDate)>),
}

#[derive(Debug, Clone)]
pub enum Msg {
    /// A status was picked in the list.
    Status(FileStatus),
    /// Save a change; `form` when it comes from a form that closes when saved.
    Write { version: i64, change: Change, form: bool },
    /// Save the file's notes (from the notes editor).
    Notes { couple: i64, version: i64, text: String },
    /// Write the access copy of this partner (picked from the list).
    AccessCopy(u8),
    /// Edit this partner's own note (picked from the list).
    PrivateNoteOf(u8),
    /// Save a partner's own note (from the notes editor).
    SavePrivateNote { couple: i64, position: u8, version: i64, text: String },
    /// Erase this (closed) file: its number was typed again.
    Erase(i64),
    /// Open a concern (*zorgsignaal*) with its signals.
    OpenConcern { couple: i64, signals: String },
    /// A step of the open concern was picked: its form.
    StepForm { concern: i64, step: u8 },
    /// Record a step of a concern.
    RecordStep { concern: i64, step: NewStep },
}

fn to_file(msg: Msg) -> super::super::Msg {
    super::super::Msg::File(msg)
}

impl FilePane {
    pub fn reload(&mut self, ctx: &mut Ctx) -> Effects {
        let id = ctx.file.map(|f| f.id);
        if id != self.shown {
            (self.shown, self.notes_back, self.timeline_top) = (id, 0, 0);
        }
        self.scores = match ctx.file {
            // Scores are a counsellor's to read; the store refuses them to anyone else.
            Some(f) => match ctx.user {
                Some(user) => ctx.store.score_changes(f.id, user).unwrap_or_default(),
                None => Vec::new(),
            },
            None => Vec::new(),
        };
        Vec::new()
    }

    pub fn on_key(&mut self, action: Action, ctx: &mut Ctx) -> Effects {
        let Some(file) = ctx.file.cloned() else { return warn(ctx, "file.none_open") };
        if self.scroll(&action, &file) {
            return Vec::new();
        }
        if ctx.read_only() && !matches!(action, Action::WalkInForCouple | Action::AccessLog) {
            return warn(ctx, ctx.read_only_key());
        }
        match action {
            Action::EditFile => vec![forms::details(&file)],
            Action::AddLifeEvent => vec![forms::life_event(&file)],
            Action::ChangeStatus => {
                let items = file
                    .status
                    .next()
                    .iter()
                    .map(|s| PickItem::new(ctx.t(&s.text_key()), to_file(Msg::Status(*s))))
                    .collect();
                vec![Effect::Open(Overlay::Picker(Picker::new("file.pick_status", items)))]
            }
            Action::Concern => concern::on_key(&file, ctx),
            Action::EditPrivateNote => private_note::pick(&file, ctx),
            Action::EditNotes => match &file.notes {
                Notes::Text(text) => {
                    let on_save = |couple, version, text| to_file(Msg::Notes { couple, version, text });
                    vec![Effect::Open(Overlay::Notes(Box::new(NotesEditor::new(
                        text,
                        file.id,
                        file.version,
                        on_save,
                    ))))]
                }
                Notes::Hidden { .. } => warn(ctx, "file.notes_not_for_you"),
            },
            Action::WalkInForCouple => match ctx.store.couple_summary(file.id) {
                Ok(couple) => {
                    vec![Effect::Send(super::super::Msg::Queue(super::queue::Msg::WalkInFor(couple)))]
                }
                Err(e) => failed(ctx, &e),
            },
            Action::AccessLog if !ctx.user.is_some_and(|u| u.may(Role::reads_file_log)) => {
                warn(ctx, "file.log_not_for_you")
            }
            Action::AccessLog => match ctx.store.log_of_file(file.id) {
                Ok(mut rows) => {
                    rows.reverse();
                    let view = super::super::popups::LogView { file: file.file.to_string(), rows, top: 0 };
                    vec![Effect::Open(Overlay::Log(Box::new(view)))]
                }
                Err(e) => failed(ctx, &e),
            },
            Action::AccessCopy => access_copy_pick(&file, ctx),
            Action::EraseFile if !ctx.user.is_some_and(|u| u.has(Role::Coordinator)) => {
                warn(ctx, "erase.coordinator_only")
            }
            Action::EraseFile if file.status != FileStatus::Closed => warn(ctx, "error.not_closed"),
            Action::EraseFile => vec![erase::confirm(&file, ctx)],
            Action::Refer => {
                vec![Effect::Send(super::super::Msg::Referral(super::referral::Msg::Refer(file.id)))]
            }
            _ => Vec::new(),
        }
    }

    pub fn update(&mut self, msg: Msg, ctx: &mut Ctx) -> Effects {
        let Some(file) = ctx.file.cloned() else { return Vec::new() };
        match msg {
            Msg::Status(FileStatus::Closed) => vec![forms::closing(&file, ctx)],
            Msg::Status(to) => {
                let change = Change::Status(to, None);
                self.write(file.id, file.version, change, false, ctx)
            }
            Msg::Write { version, change, form } => self.write(file.id, version, change, form, ctx),
            Msg::Notes { couple, version, text } => {
                let Some(user) = ctx.user else { return Vec::new() };
                match ctx.store.save_notes(couple, version, &text, user, ctx.now) {
                    Ok(()) => {
                        vec![Effect::CloseForm, Effect::ReloadFile, Effect::Info(ctx.t("file.notes_saved"))]
                    }
                    Err(StoreError::Stale) => reload_question(ctx),
                    Err(e) => failed(ctx, &e),
                }
            }
            Msg::AccessCopy(partner) => access_copy(&file, partner, ctx),
            Msg::PrivateNoteOf(position) => private_note::edit(&file, position, ctx),
            Msg::SavePrivateNote { couple, position, version, text } => {
                let Some(user) = ctx.user else { return Vec::new() };
                match ctx.store.save_private_note(couple, position, version, &text, user, ctx.now) {
                    Ok(()) => {
                        vec![
                            Effect::CloseForm,
                            Effect::ReloadFile,
                            Effect::Info(ctx.t("file.private_note_saved")),
                        ]
                    }
                    Err(StoreError::Stale) => reload_question(ctx),
                    Err(e) => failed(ctx, &e),
                }
            }
            Msg::Erase(couple) => {
                let Some(user) = ctx.user else { return Vec::new() };
                match ctx.store.erase_file(couple, crate::store::Erasure::ByHand, user, ctx.now) {
                    Ok(number) => {
                        let done = ctx.texts.f("erase.done", &[("file", &number)]);
                        // The file is gone: reading it again takes it off the desk.
                        vec![Effect::CloseForm, Effect::Reload, Effect::Info(done)]
                    }
                    Err(e) => vec![Effect::FormMessage(ctx.error_text(&e))],
                }
            }
            msg @ (Msg::OpenConcern { .. } | Msg::StepForm { .. } | Msg::RecordStep { .. }) => {
                self.concern(&file, msg, ctx)
            }
        }
    }

    /// The scroll keys: PgUp/PgDn move the notes, ↑/↓ (Home/End) the timeline. Whether it was one.
    fn scroll(&mut self, action: &Action, file: &CoupleFile) -> bool {
        const PAGE: usize = 3;
        let lines = file.notes_line_count().saturating_sub(1);
        let entries = file.timeline.len().saturating_sub(1);
        match action {
            Action::PageUp => self.notes_back = (self.notes_back + PAGE).min(lines),
            Action::PageDown => self.notes_back = self.notes_back.min(lines).saturating_sub(PAGE),
            Action::Down => self.timeline_top = (self.timeline_top + 1).min(entries),
            Action::Up => self.timeline_top = self.timeline_top.min(entries).saturating_sub(1),
            Action::First => self.timeline_top = 0,
            Action::Last => self.timeline_top = entries,
            _ => return false,
        }
        true
    }

    /// Opens a concern or records a step: saved, the form closes and the file is read again.
    fn concern(&mut self, file: &CoupleFile, msg: Msg, ctx: &mut Ctx) -> Effects {
        let Some(user) = ctx.user else { return Vec::new() };
        let (result, done) = match msg {
            Msg::OpenConcern { couple, signals } => {
                (ctx.store.open_concern(couple, &signals, user, ctx.now).map(|_| ()), "concern.opened")
            }
            Msg::StepForm { concern, step } => {
                return match file.concerns.iter().find(|c| c.id == concern) {
                    Some(c) => vec![concern::step_form(c, step, ctx)],
                    None => Vec::new(),
                };
            }
            Msg::RecordStep { concern, step } => {
                let done = if step.detail.number() == 5 { "concern.closed" } else { "concern.step_recorded" };
                (ctx.store.record_step(concern, &step, user, ctx.now), done)
            }
            _ => return Vec::new(),
        };
        match result {
            Ok(()) => vec![Effect::CloseForm, Effect::ReloadFile, Effect::Info(ctx.t(done))],
            Err(e) => {
                let text = ctx.error_text(&e);
                vec![Effect::Error(text.clone()), Effect::FormMessage(text)]
            }
        }
    }

    /// Saves a change to the file. Saved: the file is read again and the form (if any) closes.
    /// Someone else changed the file meanwhile: the user is asked to read it again. Otherwise
    /// the problem is shown, on the form when there is one.
    fn write(&mut self, id: i64, version: i64, change: Change, form: bool, ctx: &mut Ctx) -> Effects {
        let Some(user) = ctx.user else { return Vec::new() };
        let (store, now) = (&mut *ctx.store, ctx.now);
        let (result, done) = match &change {
            Change::Details(details) => (store.save_details(id, version, details, user, now), "file.saved"),
            Change::LifeEvent(kind, on) => {
                (store.add_life_event(id, version, *kind, *on, user, now), "file.life_event_added")
            }
            Change::Status(to, closing) => {
                let done = if *to == FileStatus::Closed { "file.closed" } else { "file.status_changed" };
                (store.set_file_status(id, version, *to, *closing, user, now), done)
            }
        };
        match result {
            Ok(()) => {
                let mut effects = if form { vec![Effect::CloseForm] } else { Vec::new() };
                effects.extend([Effect::ReloadFile, Effect::Info(ctx.t(done))]);
                effects
            }
            Err(StoreError::Stale) => reload_question(ctx),
            Err(e) if form => {
                let text = ctx.error_text(&e);
                vec![Effect::Error(text.clone()), Effect::FormMessage(text)]
            }
            Err(e) => failed(ctx, &e),
        }
    }
}

fn is_coordinator(ctx: &Ctx) -> bool {
    ctx.user.is_some_and(|u| u.has(Role::Coordinator))
}

/// A coordinator picks the partner whose access copy is made.
fn access_copy_pick(file: &CoupleFile, ctx: &Ctx) -> Effects {
    if !is_coordinator(ctx) {
        return warn(ctx, "inzage.coordinator_only");
    }
    let items = file
        .partners
        .iter()
        .map(|p| {
            let label = ctx.texts.f("inzage.partner_item", &[("n", &p.position), ("name", &p.name.full())]);
            PickItem::new(label, to_file(Msg::AccessCopy(p.position)))
        })
        .collect();
    vec![Effect::Open(Overlay::Picker(Picker::new("inzage.pick_partner", items)))]
}

/// Writes the partner's copy (text in the user's language, and JSON) into `inzage/` beside the
/// database, and says where it went.
fn access_copy(file: &CoupleFile, partner: u8, ctx: &mut Ctx) -> Effects {
    let Some(user) = ctx.user.filter(|_| is_coordinator(ctx)) else {
        return warn(ctx, "inzage.coordinator_only");
    };
    let dir = crate::inzage::desk_dir(ctx.store.path());
    let texts = ctx.texts;
    let fail = |e: crate::inzage::InzageError| vec![Effect::Error(e.message(texts))];
    if let Err(e) = crate::inzage::make_desk_dir(&dir) {
        return fail(crate::inzage::InzageError::Write(dir, e.kind()));
    }
    let subject = (file.id, file.file, partner);
    let format = crate::inzage::Format::Both;
    match crate::inzage::write(ctx.store, user, subject, &dir, format, texts, &ctx.config.parties, ctx.now) {
        Ok(w) => {
            let names: Vec<String> = w
                .paths
                .iter()
                .filter_map(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .collect();
            let args: [(&str, &dyn std::fmt::Display); 3] =
                [("partner", &partner), ("dir", &dir.display()), ("names", &names.join(", "))];
            let mut said = texts.f("inzage.written", &args);
            if w.review_first {
                said = format!("{said} {}", texts.t("inzage.review_first"));
            }
            vec![Effect::Info(said)]
        }
        Err(e) => fail(e),
    }
}

/// Someone else changed the file: offer to read it again (dropping the form).
fn reload_question(ctx: &Ctx) -> Effects {
    vec![Effect::Open(Confirm::ask(ctx.t("confirm.reload_file"), super::super::Msg::App(AppMsg::ReloadFile)))]
}

pub fn bindings() -> Vec<Binding> {
    use Context::File;
    use KeyCode::*;
    vec![
        bind(File, Char('e'), Action::EditFile, "key.edit_file", true),
        bind(File, Char('s'), Action::ChangeStatus, "key.change_status", true),
        bind(File, Char('l'), Action::AddLifeEvent, "key.add_life_event", true),
        bind(File, Char('n'), Action::EditNotes, "key.edit_notes", true),
        bind(File, Char('o'), Action::EditPrivateNote, "key.private_note", false),
        bind(File, Char('!'), Action::Concern, "key.concern", true),
        bind(File, Char('i'), Action::WalkInForCouple, "key.walk_in_for_couple", true),
        bind(File, Char('r'), Action::Refer, "key.refer", true),
        bind(File, Char('a'), Action::AccessLog, "key.access_log", false),
        bind(File, Char('p'), Action::AccessCopy, "inzage.key", false),
        bind(File, Char('x'), Action::EraseFile, "key.erase_file", false),
        bind(File, Up, Action::Up, "key.timeline_newer", false),
        bind(File, Down, Action::Down, "key.timeline_older", false),
        bind(File, Home, Action::First, "key.timeline_newest", false),
        bind(File, End, Action::Last, "key.timeline_oldest", false),
        bind(File, PageUp, Action::PageUp, "key.notes_earlier", false),
        bind(File, PageDown, Action::PageDown, "key.notes_later", false),
    ]
}
