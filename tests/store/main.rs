//! The store on a real temporary SQLite file: walk-ins, files, the planner, referrals and their
//! letters, and the council report.

#[path = "../common/mod.rs"]
mod common;

mod access_log;
mod audit;
mod concerns;
mod consent;
mod demo_history;
mod encryption;
mod erase;
mod files;
mod inzage;
mod issue15;
mod make_fixtures;
mod planner;
mod private_notes;
mod referrals;
mod report;
mod roles;
mod upgrade;
mod users;
mod walk_in_undo;
mod walk_ins;
