//! Nothing lost (issue 7): crashes, two processes at once, backups, `loket check`, faults on open
//! and a full disk, against the real binary and real files.

#[path = "../common/mod.rs"]
mod common;

mod backups;
mod crash;
mod desks;
mod disk_full;
mod files;
mod foreign;
mod ours;
mod out_of_space;
mod support;
mod writers;
