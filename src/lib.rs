//! loket: the intake desk of a relationship-support service, in the terminal.
//!
//! Layers point one way: `ui` -> `app` -> `domain`; `store` -> `domain`.

pub mod domain;
