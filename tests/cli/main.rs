//! The command line: the real `loket` binary on real files.

#[path = "../common/mod.rs"]
mod common;

mod audit;
mod commands;
mod encryption;
mod ics;
mod inzage;
mod logged;
mod retention;
