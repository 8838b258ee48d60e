//! Keys to actions, per context. The help overlay and the key hints are built from this table,
//! so what the screen says and what the keys do cannot drift apart.

use std::sync::LazyLock;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::action::{Action, EditOp};

/// Where a key is pressed: the focused pane or the overlay on top.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Global,
    Queue,
    File,
    Planner,
    Referral,
    Report,
    Login,
    /// A list to pick from (counsellor, outcome, a choice).
    Picker,
    /// A form with fields.
    Form,
    /// The find-a-couple popup: a search field over a result list.
    Find,
    Confirm,
    Help,
    /// The multi-line notes editor.
    Notes,
}

impl Context {
    /// Whether plain characters in this context are typed text rather than commands.
    pub fn takes_text(self) -> bool {
        matches!(self, Context::Form | Context::Find | Context::Notes)
    }

    pub fn title_key(self) -> &'static str {
        match self {
            Context::Global => "ctx.global",
            Context::Queue => "ctx.queue",
            Context::File => "ctx.file",
            Context::Planner => "ctx.planner",
            Context::Referral => "ctx.referral",
            Context::Report => "ctx.report",
            Context::Notes => "ctx.notes",
            Context::Login => "ctx.login",
            Context::Picker => "ctx.picker",
            Context::Form => "ctx.form",
            Context::Find => "ctx.find",
            Context::Confirm => "ctx.confirm",
            Context::Help => "ctx.help",
        }
    }
}

/// One key binding with the text that describes it.
#[derive(Debug, Clone)]
pub struct Binding {
    pub context: Context,
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    pub action: Action,
    /// Key of the description in the text files.
    pub description: &'static str,
    /// Shown in the key hints at the bottom (the help overlay shows all).
    pub hint: bool,
}

impl Binding {
    fn matches(&self, key: &KeyEvent) -> bool {
        let mods = key.modifiers - KeyModifiers::SHIFT;
        let wanted = self.modifiers - KeyModifiers::SHIFT;
        match (self.code, key.code) {
            // Shifted letters arrive as upper case; compare the character, not the shift key.
            (KeyCode::Char(a), KeyCode::Char(b)) => a == b && mods == wanted,
            // Shift-Tab arrives as BackTab, with or without the shift flag set.
            (a, b) => a == b && mods == wanted,
        }
    }

    /// How the key is written in hints and help: "n", "Enter", "Ctrl-S".
    pub fn key_label(&self) -> String {
        let key = match self.code {
            KeyCode::Char(' ') => "Space".to_owned(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Enter => "Enter".to_owned(),
            KeyCode::Esc => "Esc".to_owned(),
            KeyCode::Tab => "Tab".to_owned(),
            KeyCode::BackTab => "Shift-Tab".to_owned(),
            KeyCode::Up => "↑".to_owned(),
            KeyCode::Down => "↓".to_owned(),
            KeyCode::Left => "←".to_owned(),
            KeyCode::Right => "→".to_owned(),
            KeyCode::Home => "Home".to_owned(),
            KeyCode::End => "End".to_owned(),
            KeyCode::Backspace => "Backspace".to_owned(),
            KeyCode::Delete => "Del".to_owned(),
            KeyCode::F(n) => format!("F{n}"),
            other => format!("{other:?}"),
        };
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{}", key.to_uppercase())
        } else {
            key
        }
    }
}

fn bind(context: Context, code: KeyCode, action: Action, description: &'static str, hint: bool) -> Binding {
    Binding { context, code, modifiers: KeyModifiers::NONE, action, description, hint }
}

fn ctrl(context: Context, c: char, action: Action, description: &'static str, hint: bool) -> Binding {
    Binding { context, code: KeyCode::Char(c), modifiers: KeyModifiers::CONTROL, action, description, hint }
}

/// The list keys, shared by every context that shows a list.
fn list_keys(context: Context, out: &mut Vec<Binding>) {
    use KeyCode::*;
    out.extend([
        bind(context, Up, Action::Up, "key.up", false),
        bind(context, Char('k'), Action::Up, "key.up", false),
        bind(context, Down, Action::Down, "key.down", false),
        bind(context, Char('j'), Action::Down, "key.down", false),
        bind(context, Home, Action::First, "key.first", false),
        bind(context, End, Action::Last, "key.last", false),
    ]);
}

/// The one table of bindings.
pub static BINDINGS: LazyLock<Vec<Binding>> = LazyLock::new(|| {
    use Context::*;
    use KeyCode::*;
    let mut b = Vec::new();
    // Queue
    b.extend([
        bind(Queue, Char('n'), Action::NewWalkIn, "key.new_walk_in", true),
        bind(Queue, Char('c'), Action::CallIn, "key.call_in", true),
        bind(Queue, Char('d'), Action::MarkDone, "key.mark_done", true),
        bind(Queue, Char('x'), Action::MarkLeft, "key.mark_left", true),
        bind(Queue, Char('u'), Action::Undo, "key.undo", true),
        bind(Queue, Char('f'), Action::ToggleFinished, "key.toggle_finished", true),
        bind(Queue, Char('o'), Action::OpenFile, "key.open_file", true),
        bind(Queue, Char('t'), Action::StartTrajectory, "key.plan_trajectory", false),
        bind(Queue, Char('r'), Action::Refer, "key.refer", false),
    ]);
    // Referrals
    b.extend([
        bind(Referral, Char('n'), Action::NewReferral, "key.new_referral", true),
        bind(Referral, Char('c'), Action::Consent, "key.consent", true),
        bind(Referral, Char('s'), Action::ChangeStatus, "key.referral_status", true),
        bind(Referral, Char('b'), Action::Letter, "key.letter", true),
        bind(Referral, Char('i'), Action::ReferralIn, "key.referral_in", true),
        bind(Referral, Char('f'), Action::ToggleFollowUps, "key.follow_ups", true),
        bind(Referral, Enter, Action::Enter, "key.open_booking", false),
    ]);
    list_keys(Referral, &mut b);
    // Report
    b.extend([
        bind(Report, Char('p'), Action::NextPeriod, "key.next_period", true),
        bind(Report, Char('d'), Action::ChoosePeriod, "key.choose_period", true),
        bind(Report, Char('e'), Action::ToggleExact, "key.toggle_exact", true),
    ]);
    // The planner
    b.extend([
        bind(Planner, Char('t'), Action::StartTrajectory, "key.start_trajectory", true),
        bind(Planner, Char('a'), Action::AddSession, "key.add_session", true),
        bind(Planner, Char('h'), Action::MarkHeld, "key.mark_held", true),
        bind(Planner, Char('m'), Action::MarkNoShow, "key.mark_no_show", true),
        bind(Planner, Char('x'), Action::CancelSession, "key.cancel_session", true),
        bind(Planner, Delete, Action::CancelSession, "key.cancel_session", false),
        bind(Planner, Char('n'), Action::SessionNote, "key.session_note", false),
        bind(Planner, Char('z'), Action::EndTrajectory, "key.end_trajectory", false),
        bind(Planner, Char('o'), Action::Scores, "key.scores", false),
        bind(Planner, Char('v'), Action::ToggleWeek, "key.toggle_week", true),
        bind(Planner, Char('['), Action::PrevWeek, "key.prev_week", false),
        bind(Planner, Char(']'), Action::NextWeek, "key.next_week", false),
        bind(Planner, Char('c'), Action::NextCounsellor, "key.next_counsellor", false),
        bind(Planner, Enter, Action::Enter, "key.open_booking", false),
    ]);
    list_keys(Planner, &mut b);
    list_keys(Queue, &mut b);
    // The file pane
    b.extend([
        bind(File, Char('e'), Action::EditFile, "key.edit_file", true),
        bind(File, Char('s'), Action::ChangeStatus, "key.change_status", true),
        bind(File, Char('l'), Action::AddLifeEvent, "key.add_life_event", true),
        bind(File, Char('n'), Action::EditNotes, "key.edit_notes", true),
        bind(File, Char('!'), Action::ToggleSafety, "key.toggle_safety", true),
        bind(File, Char('i'), Action::WalkInForCouple, "key.walk_in_for_couple", true),
        bind(File, Char('r'), Action::Refer, "key.refer", true),
    ]);
    // Notes
    b.extend([
        ctrl(Notes, 's', Action::Save, "key.save", true),
        bind(Notes, Esc, Action::Back, "key.cancel", true),
        bind(Notes, Enter, Action::Enter, "key.newline", false),
        bind(Notes, Up, Action::Edit(EditOp::LineUp), "key.edit", false),
        bind(Notes, Down, Action::Edit(EditOp::LineDown), "key.edit", false),
    ]);
    edit_keys(Notes, &mut b);
    // Login
    b.extend([
        bind(Login, Enter, Action::Enter, "key.login", true),
        bind(Login, Char('n'), Action::NewUser, "key.new_user", true),
        bind(Login, Char('q'), Action::Quit, "key.quit", true),
        bind(Login, Char('?'), Action::Help, "key.help", true),
    ]);
    list_keys(Login, &mut b);
    // Pickers
    b.extend([
        bind(Picker, Enter, Action::Enter, "key.pick", true),
        bind(Picker, Esc, Action::Back, "key.cancel", true),
    ]);
    list_keys(Picker, &mut b);
    // Forms
    b.extend([
        ctrl(Form, 's', Action::Save, "key.save", true),
        ctrl(Form, 'f', Action::FindCouple, "key.find_couple", false),
        ctrl(Form, 'n', Action::NextFreeSlot, "key.next_free_slot", false),
        bind(Form, Tab, Action::NextField, "key.next_field", true),
        bind(Form, BackTab, Action::PrevField, "key.prev_field", true),
        bind(Form, Down, Action::NextField, "key.next_field", false),
        bind(Form, Up, Action::PrevField, "key.prev_field", false),
        bind(Form, Enter, Action::Enter, "key.form_enter", true),
        bind(Form, Esc, Action::Back, "key.cancel", true),
    ]);
    edit_keys(Form, &mut b);
    // Find a couple
    b.extend([
        bind(Find, Enter, Action::Enter, "key.pick", true),
        bind(Find, Esc, Action::Back, "key.cancel", true),
        bind(Find, Up, Action::Up, "key.up", false),
        bind(Find, Down, Action::Down, "key.down", false),
    ]);
    edit_keys(Find, &mut b);
    // Confirmation
    b.extend([
        bind(Confirm, Char('j'), Action::Yes, "key.yes", true),
        bind(Confirm, Char('y'), Action::Yes, "key.yes", false),
        bind(Confirm, Enter, Action::Yes, "key.yes", false),
        bind(Confirm, Char('n'), Action::No, "key.no", true),
        bind(Confirm, Esc, Action::No, "key.no", false),
    ]);
    b.extend([
        bind(Help, Esc, Action::Back, "key.close", true),
        bind(Help, Char('?'), Action::Back, "key.close", false),
        bind(Help, Char('q'), Action::Back, "key.close", false),
    ]);
    // F1 opens help also where letters are typed or picked.
    for context in [Form, Find, Picker, Notes] {
        b.push(bind(context, F(1), Action::Help, "key.help", false));
    }
    // Everywhere
    b.extend([
        bind(Global, Char('?'), Action::Help, "key.help", true),
        bind(Global, Char('/'), Action::Find, "key.find", true),
        bind(Global, Char('q'), Action::Quit, "key.quit", true),
        bind(Global, Char('w'), Action::SwitchUser, "key.switch_user", false),
        bind(Global, Esc, Action::Back, "key.back", false),
        ctrl(Global, 'c', Action::ForceQuit, "key.force_quit", false),
    ]);
    for n in 1..=crate::action::Pane::ALL.len() {
        let digit = char::from_digit(n as u32, 10).unwrap_or('1');
        b.push(bind(Global, Char(digit), Action::SwitchPane(n - 1), "key.switch_pane", false));
    }
    b
});

fn edit_keys(context: Context, b: &mut Vec<Binding>) {
    use KeyCode::*;
    b.extend([
        bind(context, Backspace, Action::Edit(EditOp::Backspace), "key.edit", false),
        bind(context, Delete, Action::Edit(EditOp::Delete), "key.edit", false),
        bind(context, Left, Action::Edit(EditOp::Left), "key.edit", false),
        bind(context, Right, Action::Edit(EditOp::Right), "key.edit", false),
        bind(context, Home, Action::Edit(EditOp::Home), "key.edit", false),
        bind(context, End, Action::Edit(EditOp::End), "key.edit", false),
        ctrl(context, 'w', Action::Edit(EditOp::DeleteWord), "key.delete_word", false),
        ctrl(context, 'u', Action::Edit(EditOp::Clear), "key.clear_field", false),
    ]);
    b.push(Binding {
        context,
        code: Left,
        modifiers: KeyModifiers::CONTROL,
        action: Action::Edit(EditOp::WordLeft),
        description: "key.edit",
        hint: false,
    });
    b.push(Binding {
        context,
        code: Right,
        modifiers: KeyModifiers::CONTROL,
        action: Action::Edit(EditOp::WordRight),
        description: "key.edit",
        hint: false,
    });
}

/// The action for `key` in the given contexts, the top-most (an overlay) first.
/// In a context that takes text, a plain character is typed rather than looked up further.
pub fn resolve(contexts: &[Context], key: &KeyEvent) -> Option<Action> {
    // Ctrl-C always reaches the app, whatever is on top.
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        return Some(Action::ForceQuit);
    }
    for &context in contexts {
        if let Some(b) = BINDINGS.iter().find(|b| b.context == context && b.matches(key)) {
            return Some(b.action.clone());
        }
        if context.takes_text()
            && let KeyCode::Char(c) = key.code
            && !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return Some(Action::Edit(EditOp::Insert(c)));
        }
    }
    None
}

/// The bindings of these contexts, one per (context, description), in table order:
/// what the help overlay lists and, with `hints_only`, what the bottom line shows.
pub fn bindings_for(contexts: &[Context], hints_only: bool) -> Vec<&'static Binding> {
    let mut seen: Vec<(Context, &str)> = Vec::new();
    let mut out = Vec::new();
    for &context in contexts {
        for b in BINDINGS.iter().filter(|b| b.context == context && (!hints_only || b.hint)) {
            if !seen.contains(&(context, b.description)) {
                seen.push((context, b.description));
                out.push(b);
            }
        }
    }
    out
}

#[cfg(test)]
#[path = "keymap_tests.rs"]
mod tests;
