//! Contact details as the desk records them: Dutch phone numbers, e-mail, year of birth.

use super::text::clean_line;

/// Why a contact detail was refused; each is a text key explaining it to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactProblem {
    Phone,
    Email,
    Year,
    Count,
}

impl ContactProblem {
    pub fn text_key(self) -> &'static str {
        match self {
            ContactProblem::Phone => "form.error_phone",
            ContactProblem::Email => "form.error_email",
            ContactProblem::Year => "form.error_year",
            ContactProblem::Count => "form.error_count",
        }
    }
}

/// A Dutch phone number: the text as shown, and its digits in national form for search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    pub shown: String,
    pub digits: String,
}

/// Reads a Dutch phone number: mobile (06…), landline (010…, 0181…), service (0800/0900…),
/// written with +31 or 0031 or 0, with spaces, dashes, dots or parentheses. Empty is allowed.
pub fn phone(raw: &str) -> Result<Option<Phone>, ContactProblem> {
    let shown = clean_line(raw);
    if shown.is_empty() {
        return Ok(None);
    }
    if !shown.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')' | '+')) {
        return Err(ContactProblem::Phone);
    }
    let digits = phone_digits(&shown);
    let service = digits.starts_with("0800") || digits.starts_with("0900") || digits.starts_with("0909");
    let ok = if service {
        (8..=11).contains(&digits.len())
    } else {
        digits.len() == 10 && digits.starts_with('0') && !digits.starts_with("00")
    };
    if !ok {
        return Err(ContactProblem::Phone);
    }
    Ok(Some(Phone { shown, digits }))
}

/// The digits of a phone number in national form: "+31 6 1234 5678" -> "0612345678".
/// Also used on search queries, so that "06 12" finds "06-12345678".
pub fn phone_digits(raw: &str) -> String {
    let plus = raw.trim_start().starts_with('+');
    // "+31 (0)6 …": the "(0)" is the trunk prefix written for those who dial nationally.
    let raw = raw.replace("(0)", "");
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    match (plus, digits.strip_prefix("31"), digits.strip_prefix("0031")) {
        (true, Some(rest), _) | (_, _, Some(rest)) => format!("0{rest}"),
        _ => digits,
    }
}

/// Checks an e-mail address (loosely: one @, something before it, a dotted domain after it).
pub fn email(raw: &str) -> Result<Option<String>, ContactProblem> {
    let value = clean_line(raw);
    if value.is_empty() {
        return Ok(None);
    }
    let Some((local, domain)) = value.split_once('@') else { return Err(ContactProblem::Email) };
    let plausible = !local.is_empty()
        && !domain.contains('@')
        && !value.contains(' ')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && value.len() <= 254;
    if plausible { Ok(Some(value)) } else { Err(ContactProblem::Email) }
}

/// A plausible year of birth for an adult client in `this_year`: 16 to 110 years ago. Empty is allowed.
pub fn birth_year(raw: &str, this_year: i32) -> Result<Option<i32>, ContactProblem> {
    let value = clean_line(raw);
    if value.is_empty() {
        return Ok(None);
    }
    let year: i32 = value.parse().map_err(|_| ContactProblem::Year)?;
    if (this_year - 110..=this_year - 16).contains(&year) {
        Ok(Some(year))
    } else {
        Err(ContactProblem::Year)
    }
}

/// A small count (children living at home): 0 to 20. Empty means 0.
pub fn count(raw: &str) -> Result<u32, ContactProblem> {
    let value = clean_line(raw);
    if value.is_empty() {
        return Ok(0);
    }
    match value.parse::<u32>() {
        Ok(n) if n <= 20 => Ok(n),
        _ => Err(ContactProblem::Count),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digits(raw: &str) -> Option<String> {
        phone(raw).ok().flatten().map(|p| p.digits)
    }

    #[test]
    fn dutch_phone_numbers_in_their_usual_forms() {
        assert_eq!(digits("06-12345678").as_deref(), Some("0612345678"));
        assert_eq!(digits("06 1234 5678").as_deref(), Some("0612345678"));
        assert_eq!(digits("+31 6 12345678").as_deref(), Some("0612345678"));
        assert_eq!(digits("0031 6 1234 5678").as_deref(), Some("0612345678"));
        assert_eq!(digits("+31 (0)6 12345678").as_deref(), Some("0612345678"));
        assert_eq!(digits("+31 (0)78 6770000").as_deref(), Some("0786770000"));
        assert_eq!(digits("078-6770000").as_deref(), Some("0786770000"));
        assert_eq!(digits("(0181) 123 456").as_deref(), Some("0181123456"));
        assert_eq!(digits("0800-1234").as_deref(), Some("08001234"));
        assert_eq!(phone("   "), Ok(None));
    }

    #[test]
    fn wrong_phone_numbers_are_refused() {
        for bad in ["06-1234567", "06123456789", "0012345678", "bel me", "06-1234567a", "+32 2 123 45 67"] {
            assert_eq!(phone(bad), Err(ContactProblem::Phone), "{bad}");
        }
    }

    #[test]
    fn email_addresses() {
        assert_eq!(email(" els.jansen@example.nl "), Ok(Some("els.jansen@example.nl".into())));
        assert_eq!(email(""), Ok(None));
        for bad in ["els", "els@", "@example.nl", "els@example", "els jansen@example.nl", "a@b@c.nl", "e@.nl"]
        {
            assert_eq!(email(bad), Err(ContactProblem::Email), "{bad}");
        }
    }

    #[test]
    fn years_of_birth_must_be_plausible() {
        assert_eq!(birth_year("1984", 2026), Ok(Some(1984)));
        assert_eq!(birth_year("", 2026), Ok(None));
        assert_eq!(birth_year("2015", 2026), Err(ContactProblem::Year));
        assert_eq!(birth_year("1900", 2026), Err(ContactProblem::Year));
        assert_eq!(birth_year("84", 2026), Err(ContactProblem::Year));
        assert_eq!(birth_year("negentien", 2026), Err(ContactProblem::Year));
    }

    #[test]
    fn counts() {
        assert_eq!(count(""), Ok(0));
        assert_eq!(count("3"), Ok(3));
        assert_eq!(count("-1"), Err(ContactProblem::Count));
        assert_eq!(count("veel"), Err(ContactProblem::Count));
    }
}
