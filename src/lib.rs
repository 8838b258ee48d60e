//! loket: the intake desk of a relationship-support service, in the terminal.
//!
//! Layers point one way: `ui` -> `app` -> `domain`; `store` -> `domain`.

pub mod access;
pub mod action;
pub mod app;
pub mod audit;
pub mod cli;
pub mod config;
pub mod csv_cells;
pub mod demo;
pub mod domain;
pub mod encrypt;
pub mod errors;
pub mod export;
pub mod files;
pub mod format;
pub mod i18n;
pub mod inzage;
pub mod keymap;
pub mod keys;
pub mod letters;
pub mod report;
pub mod retention;
pub mod store;
pub mod theme;
pub mod tui;
pub mod ui;
pub mod usage;

#[cfg(test)]
mod layers_tests;
