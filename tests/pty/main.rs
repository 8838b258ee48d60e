//! End to end: the real `loket` binary in a pseudo-terminal, driven by key presses.

#[path = "../common/mod.rs"]
mod common;

mod concern;
mod encryption;
mod file;
mod log;
mod planner;
mod referral;
mod robust;
mod signin;
mod walk_in;
