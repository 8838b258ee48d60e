//! Plain types and rules of the desk. No I/O, no terminal, no SQL.

pub mod access;
pub mod capitals;
pub mod concern;
pub mod consent;
pub mod contact;
pub mod couple;
pub mod dates;
pub mod file;
pub mod history;
pub mod inzage;
pub mod names;
pub mod password;
pub mod planner;
pub mod referral;
pub mod report;
pub mod scores;
pub mod settings;
pub mod slots;
pub mod text;
pub mod trajectory;
pub mod user;
pub mod walkin;
pub mod when;

/// Defines a closed set of values with a stable code: the code is what the
/// database stores and what the text files use as key (`<prefix>.<code>`).
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident, $prefix:literal { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in the order shown to the user.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored in the database.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The value for a stored code, if it is one of ours.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// The key of this value's label in the text files.
            pub fn text_key(self) -> String {
                format!("{}.{}", $prefix, self.code())
            }
        }
    };
}
pub(crate) use coded_enum;
