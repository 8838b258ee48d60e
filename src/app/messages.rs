//! What the user is told in the app: the store's errors and refusals in words (through
//! `crate::errors`, the one place for them), naming the partners of the open file.

use crate::domain::file::CoupleFile;
use crate::domain::referral::Blocked;
use crate::i18n::Texts;
use crate::store::StoreError;

/// The partner at a position in the open file (the position itself when no file has them).
fn partner_name(file: Option<&CoupleFile>, position: u8) -> String {
    file.and_then(|f| f.partners.iter().find(|x| x.position == position))
        .map_or_else(|| position.to_string(), |x| x.name.full())
}

/// A store error in the user's language.
pub fn error_text(texts: &Texts, file: Option<&CoupleFile>, e: &StoreError) -> String {
    crate::errors::store_error_text_naming(texts, e, &|p| partner_name(file, p))
}

/// Why a referral cannot be sent yet, naming the partners of the open file.
pub fn blocked_text(texts: &Texts, file: Option<&CoupleFile>, blocked: &Blocked) -> String {
    crate::errors::blocked_text(texts, blocked, &|p| partner_name(file, p))
}
