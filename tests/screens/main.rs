//! The screens, drawn on ratatui's TestBackend, with keys fed through the real keymap: each pane,
//! every size, and hostile text.

#[path = "../common/mod.rs"]
mod common;
mod concern;
mod consent;

mod erase;
mod file;
mod file_issue15;
mod forms;
mod hostile_text;
mod inzage;
mod keys;
mod labels;
mod log;
mod planner;
mod queue;
mod referral;
mod report;
mod roles;
mod signin;
mod sizes;
mod walk_in_desk;
