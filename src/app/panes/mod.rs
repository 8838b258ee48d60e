//! The panes, one module each. A pane owns its state, its messages, its `update`, the replies
//! of the popups it opens and its key bindings.
//!
//! Adding a pane: a module here (state, `Msg`, `on_key`, `update`, `reload`, `bindings`), its
//! drawing in `ui/`, its texts in both languages, and one line in each `match` of `App`.

pub mod file;
pub mod log;
pub mod login;
pub mod planner;
pub mod queue;
pub mod referral;
pub mod report;
pub mod users;

use crate::action::Binding;

/// Every pane's bindings, in the order help lists them.
pub fn bindings() -> Vec<Binding> {
    let mut b = queue::bindings();
    b.extend(referral::bindings());
    b.extend(report::bindings());
    b.extend(planner::bindings());
    b.extend(file::bindings());
    b.extend(users::bindings());
    b.extend(log::bindings());
    b.extend(login::bindings());
    b
}
