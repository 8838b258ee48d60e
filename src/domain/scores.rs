//! The outcome measure: each partner scores three questions at held conversations.

/// The three questions of the outcome measure.
pub const SCORE_ITEMS: [&str; 3] = ["satisfaction", "communication", "hope"];

/// A partner's first and last scores (satisfaction, communication, hope) in a trajectory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScoreChange {
    pub position: u8,
    pub first: [u8; 3],
    pub last: [u8; 3],
    /// How many conversations were scored; with one, first and last are the same.
    pub times: u32,
}
