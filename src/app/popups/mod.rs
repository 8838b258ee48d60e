//! What can lie on top of a pane: help, a form, a list to pick from, the find popup, a question,
//! the notes editor. The popup on top gets every key first. Popups know no pane: each carries
//! the typed reply (a [`Msg`]) it hands back to the pane that opened it.

pub mod form;
pub mod notes;

use tui_input::Input;

use super::ctx::{AppMsg, Ctx, Effect, Effects, FormMsg, Msg};
use crate::action::{Action, Binding, Context, EditOp, KeyCode, bind, ctrl, list_keys};
use crate::config::Lang;
use crate::domain::couple::CoupleSummary;
use crate::domain::text::NAME_MAX;

pub use form::{Choice, Field, FieldError, FieldKey, FieldKind, Form, FormPopup};
pub use notes::NotesEditor;

/// How many couples the find popup lists.
const FIND_LIMIT: usize = 8;

#[derive(Debug)]
pub enum Overlay {
    Help,
    Form(Box<dyn FormPopup>),
    Picker(Picker),
    Find(Find),
    Confirm(Confirm),
    Notes(Box<NotesEditor>),
    /// Something to read once (the recovery key): its title key and its text; any answer closes it.
    Notice(&'static str, String),
    /// The access log of the open file, newest first, with the first row shown.
    Log(Box<LogView>),
}

/// Who saw or changed a file: its log rows, newest first, scrolled to `top`.
#[derive(Debug, Clone)]
pub struct LogView {
    pub file: String,
    pub rows: Vec<crate::domain::access::LogEntry>,
    pub top: usize,
}

impl Overlay {
    pub fn context(&self) -> Context {
        match self {
            Overlay::Help => Context::Help,
            Overlay::Form(_) => Context::Form,
            Overlay::Picker(_) => Context::Picker,
            Overlay::Find(_) => Context::Find,
            Overlay::Confirm(_) | Overlay::Notice(..) => Context::Confirm,
            Overlay::Log(_) => Context::Picker,
            Overlay::Notes(_) => Context::Notes,
        }
    }

    /// Whether this is a form or the notes editor with changes not saved.
    pub fn unsaved(&self) -> bool {
        match self {
            Overlay::Form(f) => f.form().dirty,
            Overlay::Notes(n) => n.dirty,
            _ => false,
        }
    }
}

/// One line of a pick list: its label, an optional remark ("in gesprek"), and what picking it
/// hands back.
#[derive(Debug, Clone)]
pub struct PickItem {
    pub label: String,
    pub remark: Option<String>,
    pub reply: Msg,
}

impl PickItem {
    pub fn new(label: String, reply: Msg) -> Self {
        PickItem { label, remark: None, reply }
    }
}

#[derive(Debug, Clone)]
pub struct Picker {
    /// Text key of the title.
    pub title: &'static str,
    pub items: Vec<PickItem>,
    pub selected: usize,
}

impl Picker {
    pub fn new(title: &'static str, items: Vec<PickItem>) -> Self {
        Picker { title, items, selected: 0 }
    }
}

/// The find-a-couple popup: a search field with the couples that match as you type.
#[derive(Debug, Clone)]
pub struct Find {
    pub input: Input,
    pub results: Vec<CoupleSummary>,
    /// How many couples match in all (more than shown: "8 van 1.395 — typ verder").
    pub total: usize,
    /// The count stopped at its cap: more than `total` match.
    pub more_than: bool,
    pub selected: usize,
    /// What picking a couple hands back.
    pub reply: fn(CoupleSummary) -> Msg,
}

impl Find {
    /// Find a couple and open the file.
    pub fn open_file() -> Self {
        Self::with(|c| Msg::App(AppMsg::OpenFile(c.id)))
    }

    /// Find a couple to link the form below to.
    pub fn link_form() -> Self {
        Self::with(|c| Msg::Form(FormMsg::Link(c)))
    }

    fn with(reply: fn(CoupleSummary) -> Msg) -> Self {
        Find { input: Input::default(), results: Vec::new(), total: 0, more_than: false, selected: 0, reply }
    }
}

/// A yes/no question that carries what to do on yes (and, where it is more than closing, on no).
/// Esc answers neither: it closes the question and sends nothing.
#[derive(Debug, Clone)]
pub struct Confirm {
    /// The question, already in the user's language.
    pub question: String,
    pub on_yes: Msg,
    pub on_no: Option<Msg>,
}

impl Confirm {
    /// The question as a popup.
    pub fn ask(question: String, on_yes: Msg) -> Overlay {
        Overlay::Confirm(Confirm { question, on_yes, on_no: None })
    }
}

/// What happens to the popup on top after a key.
pub enum After {
    Keep,
    Close,
}

/// Handles a key on the popup on top; the app then keeps or closes it and applies the effects.
pub fn update(top: &mut Overlay, action: Action, ctx: &mut Ctx) -> (After, Effects) {
    match top {
        Overlay::Help => match action {
            Action::Back | Action::Help | Action::Quit => (After::Close, vec![]),
            _ => (After::Keep, vec![]),
        },
        Overlay::Confirm(c) => match action {
            Action::Yes => (After::Close, vec![Effect::Send(c.on_yes.clone())]),
            Action::No => (After::Close, c.on_no.clone().map(Effect::Send).into_iter().collect()),
            // Esc decides nothing: back to what lay below (a form keeps what was typed).
            Action::Back => (After::Close, vec![]),
            _ => (After::Keep, vec![]),
        },
        Overlay::Log(view) => match action {
            Action::Back | Action::Enter => (After::Close, vec![]),
            other => {
                view.top = step(view.top, view.rows.len(), &other);
                (After::Keep, vec![])
            }
        },
        Overlay::Notice(..) => match action {
            Action::Yes | Action::No | Action::Back => (After::Close, vec![]),
            _ => (After::Keep, vec![]),
        },
        Overlay::Picker(p) => match action {
            Action::Back => (After::Close, vec![]),
            Action::Enter => match p.items.get(p.selected) {
                Some(item) => (After::Close, vec![Effect::Send(item.reply.clone())]),
                None => (After::Keep, vec![]),
            },
            other => {
                p.selected = step(p.selected, p.items.len(), &other);
                (After::Keep, vec![])
            }
        },
        Overlay::Find(f) => update_find(f, action, ctx),
        Overlay::Form(f) => form::update(f.as_mut(), action, ctx),
        Overlay::Notes(n) => n.update(action, ctx),
    }
}

/// A search is logged when it is done with (its words, as typed by the staff, and how many
/// couples it found), not at every key.
fn log_search(find: &Find, ctx: &mut Ctx) -> Effects {
    let words = find.input.value().trim();
    if words.is_empty() || ctx.read_only() {
        return Vec::new();
    }
    let detail = format!("{words}: {}", find.results.len());
    match ctx.store.log_event(crate::domain::access::AccessEvent::Search, ctx.user, None, &detail, ctx.now) {
        Ok(()) => Vec::new(),
        Err(e) => super::ctx::failed(ctx, &e),
    }
}

fn update_find(find: &mut Find, action: Action, ctx: &mut Ctx) -> (After, Effects) {
    match action {
        Action::Back => return (After::Close, log_search(find, ctx)),
        Action::Enter => {
            return match find.results.get(find.selected).cloned() {
                Some(couple) => {
                    let mut effects = log_search(find, ctx);
                    effects.push(Effect::Send((find.reply)(couple)));
                    (After::Close, effects)
                }
                None => (After::Keep, vec![]),
            };
        }
        Action::Edit(_) | Action::Paste(_) => {
            form::edit_line(&mut find.input, &action, NAME_MAX);
        }
        other => {
            find.selected = step(find.selected, find.results.len(), &other);
            return (After::Keep, vec![]);
        }
    }
    match ctx.store.search_couples(find.input.value(), FIND_LIMIT) {
        Ok(found) => {
            find.results = found.couples;
            find.total = found.total;
            find.more_than = found.more_than;
            find.selected = 0;
            (After::Keep, vec![])
        }
        Err(e) => (After::Keep, super::ctx::failed(ctx, &e)),
    }
}

/// Moves a selection in a list of `len` items.
pub fn step(selected: usize, len: usize, action: &Action) -> usize {
    let last = len.saturating_sub(1);
    match action {
        Action::Up => selected.saturating_sub(1),
        Action::Down => (selected + 1).min(last),
        Action::First => 0,
        Action::Last => last,
        _ => selected.min(last),
    }
}

/// The edit keys of a context that takes text.
fn edit_keys(context: Context) -> Vec<Binding> {
    use KeyCode::*;
    vec![
        bind(context, Backspace, Action::Edit(EditOp::Backspace), "key.edit", false),
        bind(context, Delete, Action::Edit(EditOp::Delete), "key.edit", false),
        bind(context, Left, Action::Edit(EditOp::Left), "key.edit", false),
        bind(context, Right, Action::Edit(EditOp::Right), "key.edit", false),
        bind(context, Home, Action::Edit(EditOp::Home), "key.edit", false),
        bind(context, End, Action::Edit(EditOp::End), "key.edit", false),
        ctrl(context, Char('w'), Action::Edit(EditOp::DeleteWord), "key.delete_word", false),
        ctrl(context, Char('u'), Action::Edit(EditOp::Clear), "key.clear_field", false),
        ctrl(context, Left, Action::Edit(EditOp::WordLeft), "key.edit", false),
        ctrl(context, Right, Action::Edit(EditOp::WordRight), "key.edit", false),
    ]
}

/// The popups' bindings.
pub fn bindings() -> Vec<Binding> {
    use Context::*;
    use KeyCode::*;
    let mut b = vec![
        // Notes
        ctrl(Notes, Char('s'), Action::Save, "key.save", true),
        bind(Notes, Esc, Action::Back, "key.cancel", true),
        bind(Notes, Enter, Action::Enter, "key.newline", false),
        bind(Notes, Up, Action::Edit(EditOp::LineUp), "key.edit", false),
        bind(Notes, Down, Action::Edit(EditOp::LineDown), "key.edit", false),
    ];
    b.extend(edit_keys(Notes));
    b.extend([
        bind(Picker, Enter, Action::Enter, "key.pick", true),
        bind(Picker, Esc, Action::Back, "key.cancel", true),
    ]);
    b.extend(list_keys(Picker));
    b.extend([
        ctrl(Form, Char('s'), Action::Save, "key.save", true),
        ctrl(Form, Char('f'), Action::FindCouple, "key.find_couple", false),
        ctrl(Form, Char('n'), Action::NextFreeSlot, "key.next_free_slot", false),
        bind(Form, Tab, Action::NextField, "key.next_field", true),
        bind(Form, BackTab, Action::PrevField, "key.prev_field", true),
        bind(Form, Down, Action::NextField, "key.next_field", false),
        bind(Form, Up, Action::PrevField, "key.prev_field", false),
        bind(Form, Enter, Action::Enter, "key.form_enter", true),
        bind(Form, Esc, Action::Back, "key.cancel", true),
    ]);
    b.extend(edit_keys(Form));
    b.extend([
        bind(Find, Enter, Action::Enter, "key.pick", true),
        bind(Find, Esc, Action::Back, "key.cancel", true),
        bind(Find, Up, Action::Up, "key.up", false),
        bind(Find, Down, Action::Down, "key.down", false),
    ]);
    b.extend(edit_keys(Find));
    b.extend([
        // j (ja) and y (yes) both answer yes; each language shows its own, as its question says.
        bind(Confirm, Char('j'), Action::Yes, "key.yes", true).shown_in(Lang::Nl),
        bind(Confirm, Char('y'), Action::Yes, "key.yes", true).shown_in(Lang::En),
        bind(Confirm, Enter, Action::Yes, "key.yes", false),
        bind(Confirm, Char('n'), Action::No, "key.no", true),
        // Esc answers neither yes nor no: the question closes and nothing is decided.
        bind(Confirm, Esc, Action::Back, "key.cancel", false),
        bind(Help, Esc, Action::Back, "key.close", true),
        bind(Help, Char('?'), Action::Back, "key.close", false),
        bind(Help, Char('q'), Action::Back, "key.close", false),
    ]);
    // F1 opens help also where letters are typed or picked.
    for context in [Form, Find, Picker, Notes] {
        b.push(bind(context, F(1), Action::Help, "key.help", false));
    }
    b
}

#[cfg(test)]
mod tests;
