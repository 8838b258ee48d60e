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

    /// Whether this role may read the text of a couple's notes: counsellors only. The coordinator's
    /// work is the report, the users and the log, not the clinical notes (unless they also counsel).
    pub fn reads_notes(self) -> bool {
        self == Role::Counsellor
    }

    /// Whether this role may read the partners' scores (the outcome measure): counsellors only.
    pub fn reads_scores(self) -> bool {
        self == Role::Counsellor
    }

    /// Whether this role may read a file's access log: counsellors (of the file they have open)
    /// and the coordinator, who answers a client's "who saw my file?".
    pub fn reads_file_log(self) -> bool {
        matches!(self, Role::Counsellor | Role::Coordinator)
    }

    /// Whether this role may read (and so change) the partners' wishes: not the receptionist,
    /// whose work is names, contact details and times.
    pub fn reads_wishes(self) -> bool {
        matches!(self, Role::Counsellor | Role::Coordinator)
    }

    /// Whether this role may read why a couple was referred on: not the receptionist. The
    /// coordinator reads it with the rest of a referral's administration (the follow-ups).
    pub fn reads_referral_reason(self) -> bool {
        matches!(self, Role::Counsellor | Role::Coordinator)
    }

    /// Whether this role may read (and write) a referral's written summary about the couple:
    /// counsellors only.
    pub fn reads_referral_summary(self) -> bool {
        self == Role::Counsellor
    }

    /// Whether this role may write a referral's letter, which holds the reason and the summary:
    /// counsellors only.
    pub fn writes_letters(self) -> bool {
        self == Role::Counsellor
    }
}

/// A user of the desk. A person can hold more than one role (a coordinator who also counsels).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub name: String,
    /// At least one, in the order of [`Role::ALL`].
    pub roles: Vec<Role>,
}

impl User {
    /// Whether the user holds this role.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether any of the user's roles may do what `rule` says.
    pub fn may(&self, rule: fn(Role) -> bool) -> bool {
        self.roles.iter().any(|r| rule(*r))
    }

    /// Only a coordinator adds users, gives roles, resets passwords and deactivates users.
    pub fn manages_users(&self) -> bool {
        self.has(Role::Coordinator)
    }
}

/// How a sign-in went. A wrong name and a wrong password look the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignIn {
    Welcome(User),
    /// Signed in, but a new password must be chosen first (after a reset, or from before passwords).
    ChooseNew(User),
    Wrong,
    /// Too many wrong tries: no password is checked before this time.
    Wait(chrono::DateTime<chrono::Utc>),
}

/// The roles in their fixed order, each once; `None` when there is none.
pub fn roles_in_order(roles: &[Role]) -> Option<Vec<Role>> {
    let ordered: Vec<Role> = Role::ALL.iter().copied().filter(|r| roles.contains(r)).collect();
    (!ordered.is_empty()).then_some(ordered)
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
    fn a_person_may_hold_more_than_one_role() {
        let kees = User { id: 1, name: "Kees".into(), roles: vec![Role::Counsellor, Role::Coordinator] };
        assert!(kees.has(Role::Counsellor) && kees.manages_users() && kees.may(Role::holds_conversations));
        let ria = User { id: 2, name: "Ria".into(), roles: vec![Role::Receptionist] };
        assert!(!ria.manages_users() && !ria.may(Role::reads_notes));
        assert_eq!(
            roles_in_order(&[Role::Coordinator, Role::Receptionist, Role::Coordinator]),
            Some(vec![Role::Receptionist, Role::Coordinator])
        );
        assert_eq!(roles_in_order(&[]), None);
    }

    #[test]
    fn what_each_role_reads() {
        type Rule = fn(Role) -> bool;
        // (what, rule, [receptionist, counsellor, coordinator])
        let table: [(&str, Rule, [bool; 3]); 7] = [
            ("notes", Role::reads_notes, [false, true, false]),
            ("scores", Role::reads_scores, [false, true, false]),
            ("a file's access log", Role::reads_file_log, [false, true, true]),
            ("wishes", Role::reads_wishes, [false, true, true]),
            ("a referral's reason", Role::reads_referral_reason, [false, true, true]),
            ("a referral's summary", Role::reads_referral_summary, [false, true, false]),
            ("letters", Role::writes_letters, [false, true, false]),
        ];
        for (what, rule, expected) in table {
            let got = [Role::Receptionist, Role::Counsellor, Role::Coordinator].map(rule);
            assert_eq!(got, expected, "{what}");
        }
        let kees = User { id: 1, name: "Kees".into(), roles: vec![Role::Counsellor, Role::Coordinator] };
        assert!(kees.may(Role::reads_notes), "a coordinator who also counsels reads notes");
        assert!(
            kees.may(Role::reads_referral_summary) && kees.may(Role::writes_letters),
            "and summaries and letters"
        );
    }
}
