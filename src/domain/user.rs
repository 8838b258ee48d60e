//! The people who use loket and what their role lets them do.

use super::coded_enum;

coded_enum!(
    /// A user's role at the desk.
    Role, "role" {
        Receptionist => "receptionist",
        Counsellor => "counsellor",
        Coordinator => "coordinator",
    }
);

impl Role {
    /// Only counsellors hold conversations, so only they can be handed a walk-in.
    pub fn holds_conversations(self) -> bool {
        self == Role::Counsellor
    }

    /// Whether this role may read the text of a couple's notes (the receptionist may not).
    pub fn reads_notes(self) -> bool {
        matches!(self, Role::Counsellor | Role::Coordinator)
    }
}

/// A user of the desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_counsellors_take_walk_ins() {
        let takers: Vec<_> = Role::ALL.iter().filter(|r| r.holds_conversations()).collect();
        assert_eq!(takers, [&Role::Counsellor]);
    }

    #[test]
    fn receptionist_does_not_read_notes() {
        assert!(!Role::Receptionist.reads_notes());
        assert!(Role::Counsellor.reads_notes());
        assert!(Role::Coordinator.reads_notes());
    }
}
