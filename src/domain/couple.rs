//! A couple's file: its number and what brought them to the desk.

use std::fmt;

use super::coded_enum;
use super::names::PersonName;

coded_enum!(
    /// What a couple (or one partner) comes for.
    Request, "request" {
        Strengthen => "strengthen",
        Repair => "repair",
        Separation => "separation",
        Information => "information",
        Other => "other",
    }
);

coded_enum!(
    /// How a couple found the desk (who referred them in).
    Source, "source" {
        SelfReferred => "self",
        PohJeugd => "poh_jeugd",
        School => "school",
        NeighbourhoodTeam => "neighbourhood_team",
        ChurchOrThemeMeeting => "church_theme",
        Gp => "gp",
        Other => "other",
    }
);

/// A file number: the year the file was opened and a count within that year, shown `2026-001`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileNumber {
    pub year: i32,
    pub seq: u32,
}

impl FileNumber {
    /// The number that follows the highest one used this year (`None`: none yet).
    pub fn next(year: i32, highest_this_year: Option<u32>) -> Self {
        Self { year, seq: highest_this_year.map_or(1, |n| n + 1) }
    }

    /// Reads `2026-001` (also `2026-1`); `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        let (year, seq) = s.trim().split_once('-')?;
        let year: i32 = year.parse().ok()?;
        let seq: u32 = seq.parse().ok()?;
        ((1900..=9999).contains(&year) && seq > 0).then_some(Self { year, seq })
    }
}

impl fmt::Display for FileNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:03}", self.year, self.seq)
    }
}

/// A couple as the queue needs it: the file number and the partners' names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoupleSummary {
    pub id: i64,
    pub file: FileNumber,
    pub partners: Vec<PersonName>,
    /// A concern is open: receive the partners separately (the neutral marker every role sees).
    pub receive_apart: bool,
}

/// What a search found: the couples to show (at most the number asked for) and how many couples
/// match in all, counted up to [`Found::COUNT_CAP`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Found {
    pub couples: Vec<CoupleSummary>,
    /// How many couples match; with `more_than`, at least this many (the count stopped there).
    pub total: usize,
    /// The count stopped at [`Found::COUNT_CAP`]: more than `total` couples match.
    pub more_than: bool,
}

impl Found {
    /// The count of matches stops here, so that a one-letter search in a large file stays quick.
    pub const COUNT_CAP: usize = 1000;

    /// Whether more couples match than are shown.
    pub fn has_more(&self) -> bool {
        self.more_than || self.total > self.couples.len()
    }
}

impl CoupleSummary {
    /// "Wêreld, IJsbrand van der & Jansen, Els".
    pub fn names(&self) -> String {
        self.partners.iter().map(PersonName::sortable).collect::<Vec<_>>().join(" & ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_numbers_count_per_year() {
        assert_eq!(FileNumber::next(2026, None).to_string(), "2026-001");
        assert_eq!(FileNumber::next(2026, Some(41)).to_string(), "2026-042");
        assert_eq!(FileNumber::next(2027, None).to_string(), "2027-001");
        assert_eq!(FileNumber::next(2026, Some(999)).to_string(), "2026-1000");
    }

    #[test]
    fn file_numbers_parse() {
        assert_eq!(FileNumber::parse("2026-007"), Some(FileNumber { year: 2026, seq: 7 }));
        assert_eq!(FileNumber::parse(" 2026-7 "), Some(FileNumber { year: 2026, seq: 7 }));
        assert_eq!(FileNumber::parse("2026-0"), None);
        assert_eq!(FileNumber::parse("jansen"), None);
    }

    #[test]
    fn codes_round_trip() {
        for r in Request::ALL {
            assert_eq!(Request::from_code(r.code()), Some(*r));
        }
        for s in Source::ALL {
            assert_eq!(Source::from_code(s.code()), Some(*s));
        }
        assert_eq!(Request::from_code("nonsense"), None);
    }
}
