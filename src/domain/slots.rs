//! Finding the next free slot for a conversation: within working hours, outside the walk-in hour,
//! clear of what is already planned. Hours are local (the desk's time zone); instants are UTC.

use chrono::{DateTime, Datelike, Duration, NaiveTime, Timelike, Utc, Weekday};

use super::walkin::DESK_TZ;

/// Something already planned, as a half-open interval [start, end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// The working hours: the same local times on each working day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hours {
    pub days: Vec<Weekday>,
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// The weekly walk-in hour, in local time: busy for every counsellor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalkInHour {
    pub weekday: Weekday,
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// The step between candidate starts.
const QUARTER: i64 = 15;

/// The first start at or after `from` (rounded up to the next quarter hour, local time) such that
/// [start, start + minutes) lies within working hours on a working day (local time, Europe/Amsterdam),
/// does not overlap any `busy` interval, and does not overlap the walk-in hour; None if nothing
/// starts within `horizon_days` days of `from`, or if `minutes` is not positive.
///
/// Candidates are real instants a quarter hour apart, each judged by the local clock, so a local
/// time that does not exist (spring) is never returned, and of a local time that exists twice
/// (autumn) the earlier comes first.
pub fn next_free(
    from: DateTime<Utc>,
    minutes: i64,
    hours: &Hours,
    walk_in: &WalkInHour,
    busy: &[Busy],
    horizon_days: i64,
) -> Option<DateTime<Utc>> {
    if minutes <= 0 {
        return None;
    }
    let length = Duration::minutes(minutes);
    let limit = from + Duration::days(horizon_days);
    let mut start = round_up_to_quarter(from);
    while start < limit {
        let end = start + length;
        if fits(start, end, hours, walk_in) && !busy.iter().any(|b| overlaps(start, end, b.start, b.end)) {
            return Some(start);
        }
        start += Duration::minutes(QUARTER);
    }
    None
}

/// Whether two half-open intervals [a_start, a_end) and [b_start, b_end) overlap.
/// An empty interval overlaps nothing; intervals that only touch do not overlap.
pub fn overlaps<T: PartialOrd>(a_start: T, a_end: T, b_start: T, b_end: T) -> bool {
    a_start < a_end && b_start < b_end && a_start < b_end && b_start < a_end
}

/// `at` itself when the local clock shows a whole quarter hour, else the next whole quarter hour.
fn round_up_to_quarter(at: DateTime<Utc>) -> DateTime<Utc> {
    let local = at.with_timezone(&DESK_TZ);
    let past = Duration::seconds(i64::from(local.minute() % 15 * 60 + local.second()))
        + Duration::nanoseconds(i64::from(local.nanosecond()));
    if past.is_zero() { at } else { at + Duration::minutes(QUARTER) - past }
}

/// Whether [start, end) lies within the working hours of one working day and clear of the walk-in hour,
/// all by the local clock.
fn fits(start: DateTime<Utc>, end: DateTime<Utc>, hours: &Hours, walk_in: &WalkInHour) -> bool {
    let local_start = start.with_timezone(&DESK_TZ).naive_local();
    let local_end = end.with_timezone(&DESK_TZ).naive_local();
    let day = local_start.date();
    let weekday = day.weekday();
    let within_hours = hours.days.contains(&weekday)
        && local_end.date() == day
        && local_start.time() >= hours.start
        && local_end.time() <= hours.end;
    let in_walk_in = weekday == walk_in.weekday
        && overlaps(local_start, local_end, day.and_time(walk_in.start), day.and_time(walk_in.end));
    within_hours && !in_walk_in
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveDateTime, TimeZone};

    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("valid")
    }

    /// A local time in Amsterdam (must exist and be unambiguous).
    fn local(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        DESK_TZ.with_ymd_and_hms(y, mo, d, h, mi, 0).single().expect("one instant").with_timezone(&Utc)
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().expect("valid")
    }

    fn shown(at: DateTime<Utc>) -> NaiveDateTime {
        at.with_timezone(&DESK_TZ).naive_local()
    }

    fn weekdays() -> Hours {
        Hours {
            days: vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri],
            start: t(9, 0),
            end: t(17, 0),
        }
    }

    fn wednesday_morning() -> WalkInHour {
        WalkInHour { weekday: Weekday::Wed, start: t(9, 0), end: t(10, 0) }
    }

    fn busy(start: DateTime<Utc>, end: DateTime<Utc>) -> Busy {
        Busy { start, end }
    }

    fn next(from: DateTime<Utc>, busy: &[Busy]) -> Option<DateTime<Utc>> {
        next_free(from, 90, &weekdays(), &wednesday_morning(), busy, 28)
    }

    #[test]
    fn half_open_intervals() {
        assert!(overlaps(1, 3, 2, 4));
        assert!(overlaps(2, 4, 1, 3));
        assert!(overlaps(1, 10, 3, 4));
        assert!(overlaps(3, 4, 1, 10));
        assert!(!overlaps(1, 2, 2, 3));
        assert!(!overlaps(2, 3, 1, 2));
        assert!(!overlaps(1, 2, 5, 6));
        assert!(!overlaps(5, 5, 1, 10));
        assert!(!overlaps(1, 10, 5, 5));
        assert!(overlaps(
            local(2026, 12, 1, 9, 0),
            local(2026, 12, 1, 10, 30),
            local(2026, 12, 1, 10, 0),
            local(2026, 12, 1, 11, 0)
        ));
    }

    #[test]
    fn weekends_are_skipped() {
        // Saturday 28 November 2026, 10:00 → Monday 30 November, 09:00 (08:00 UTC).
        assert_eq!(next(local(2026, 11, 28, 10, 0), &[]), Some(utc(2026, 11, 30, 8, 0)));
        // Friday after the last slot that ends in time → Monday.
        assert_eq!(next(local(2026, 11, 27, 16, 0), &[]), Some(local(2026, 11, 30, 9, 0)));
    }

    #[test]
    fn within_working_hours_now_or_the_start_of_the_day() {
        assert_eq!(next(local(2026, 11, 30, 7, 0), &[]), Some(local(2026, 11, 30, 9, 0)));
        assert_eq!(next(local(2026, 11, 30, 11, 0), &[]), Some(local(2026, 11, 30, 11, 0)));
    }

    #[test]
    fn the_walk_in_hour_is_skipped() {
        // Wednesday 2 December 2026: the walk-in hour 09:00–10:00 comes first.
        assert_eq!(next(local(2026, 12, 2, 8, 0), &[]), Some(local(2026, 12, 2, 10, 0)));
        // A slot ending exactly when the walk-in hour starts is fine.
        let early = Hours { start: t(7, 0), ..weekdays() };
        let walk_in = wednesday_morning();
        assert_eq!(
            next_free(local(2026, 12, 2, 7, 30), 90, &early, &walk_in, &[], 28),
            Some(local(2026, 12, 2, 7, 30))
        );
        // 07:45 + 90 minutes runs into it.
        assert_eq!(
            next_free(local(2026, 12, 2, 7, 40), 90, &early, &walk_in, &[], 28),
            Some(local(2026, 12, 2, 10, 0))
        );
        // Another weekday at the same hour is free.
        assert_eq!(next(local(2026, 12, 1, 8, 0), &[]), Some(local(2026, 12, 1, 9, 0)));
    }

    #[test]
    fn busy_intervals_are_skipped() {
        let planned = [
            busy(local(2026, 11, 30, 9, 0), local(2026, 11, 30, 10, 30)),
            busy(local(2026, 11, 30, 11, 0), local(2026, 11, 30, 12, 0)),
        ];
        // 10:30 would run into 11:00; 12:00 starts as the second one ends.
        assert_eq!(next(local(2026, 11, 30, 8, 0), &planned), Some(local(2026, 11, 30, 12, 0)));
        // Back to back with the first one is fine when nothing follows.
        assert_eq!(next(local(2026, 11, 30, 8, 0), &planned[..1]), Some(local(2026, 11, 30, 10, 30)));
        // The order of the busy list does not matter.
        let reversed = [planned[1], planned[0]];
        assert_eq!(next(local(2026, 11, 30, 8, 0), &reversed), Some(local(2026, 11, 30, 12, 0)));
    }

    #[test]
    fn a_slot_ends_by_the_end_of_the_working_day() {
        // 15:30 + 90 minutes = 17:00: just fits.
        assert_eq!(next(local(2026, 11, 30, 15, 30), &[]), Some(local(2026, 11, 30, 15, 30)));
        // 15:45 would end at 17:15: the next morning.
        assert_eq!(next(local(2026, 11, 30, 15, 31), &[]), Some(local(2026, 12, 1, 9, 0)));
        // A day too short for the conversation never has a slot.
        let short = Hours { days: weekdays().days, start: t(9, 0), end: t(10, 0) };
        assert_eq!(next_free(local(2026, 11, 30, 8, 0), 90, &short, &wednesday_morning(), &[], 28), None);
    }

    #[test]
    fn from_is_rounded_up_to_the_quarter_hour() {
        assert_eq!(next(local(2026, 11, 30, 9, 1), &[]), Some(local(2026, 11, 30, 9, 15)));
        assert_eq!(next(local(2026, 11, 30, 9, 14), &[]), Some(local(2026, 11, 30, 9, 15)));
        assert_eq!(next(local(2026, 11, 30, 9, 15), &[]), Some(local(2026, 11, 30, 9, 15)));
        assert_eq!(next(local(2026, 11, 30, 9, 16), &[]), Some(local(2026, 11, 30, 9, 30)));
        let half_a_second_late = local(2026, 11, 30, 9, 15) + Duration::milliseconds(500);
        assert_eq!(next(half_a_second_late, &[]), Some(local(2026, 11, 30, 9, 30)));
        let one_second_early = local(2026, 11, 30, 9, 15) - Duration::seconds(1);
        assert_eq!(next(one_second_early, &[]), Some(local(2026, 11, 30, 9, 15)));
    }

    #[test]
    fn across_the_spring_change() {
        // Friday 27 March 2026 is winter time (+01:00), Monday 30 March summer time (+02:00).
        let from = local(2026, 3, 27, 16, 0);
        assert_eq!(from, utc(2026, 3, 27, 15, 0));
        let found = next(from, &[]);
        assert_eq!(found, Some(utc(2026, 3, 30, 7, 0)));
        assert_eq!(found.map(shown), NaiveDate::from_ymd_opt(2026, 3, 30).map(|d| d.and_time(t(9, 0))));
        // Working on the Sunday of the change: 09:00 local is 07:00 UTC.
        let every_day = Hours { days: vec![Weekday::Sun], start: t(9, 0), end: t(17, 0) };
        let found = next_free(local(2026, 3, 29, 0, 0), 90, &every_day, &wednesday_morning(), &[], 7);
        assert_eq!(found, Some(utc(2026, 3, 29, 7, 0)));
        // Through the night of the change the missing hour is never given: busy until
        // the clocks jump (01:00 UTC), the next quarter hour shows 03:00, not 02:00.
        let night = Hours { days: vec![Weekday::Sun], start: t(0, 0), end: t(23, 0) };
        let planned = [busy(local(2026, 3, 29, 0, 0), utc(2026, 3, 29, 1, 0))];
        let found = next_free(local(2026, 3, 29, 0, 0), 30, &night, &wednesday_morning(), &planned, 7);
        assert_eq!(found, Some(utc(2026, 3, 29, 1, 0)));
        assert_eq!(found.map(|at| shown(at).time()), Some(t(3, 0)));
    }

    #[test]
    fn across_the_autumn_change() {
        // Sunday 25 October 2026: 02:00–02:59 happens twice; the earlier (summer time) comes first.
        let night = Hours { days: vec![Weekday::Sun], start: t(0, 0), end: t(23, 0) };
        let from = local(2026, 10, 25, 1, 50);
        let found = next_free(from, 30, &night, &wednesday_morning(), &[], 7);
        assert_eq!(found, Some(utc(2026, 10, 25, 0, 0)));
        assert_eq!(found.map(|at| shown(at).time()), Some(t(2, 0)));
        // With the first 02:00–03:00 taken, the second one is found.
        let planned = [busy(utc(2026, 10, 25, 0, 0), utc(2026, 10, 25, 1, 0))];
        assert_eq!(
            next_free(from, 30, &night, &wednesday_morning(), &planned, 7),
            Some(utc(2026, 10, 25, 1, 0))
        );
        // A weekday slot after the change is winter time again: Monday 26 October 09:00 is 08:00 UTC.
        assert_eq!(next(local(2026, 10, 24, 12, 0), &[]), Some(utc(2026, 10, 26, 8, 0)));
    }

    #[test]
    fn nothing_within_the_horizon() {
        let everything = [busy(local(2026, 11, 1, 0, 0), local(2027, 1, 1, 0, 0))];
        assert_eq!(next(local(2026, 11, 30, 8, 0), &everything), None);
        // From Saturday with a horizon of one day: Monday is out of reach.
        let walk_in = wednesday_morning();
        assert_eq!(next_free(local(2026, 11, 28, 10, 0), 90, &weekdays(), &walk_in, &[], 1), None);
        assert_eq!(
            next_free(local(2026, 11, 28, 10, 0), 90, &weekdays(), &walk_in, &[], 3),
            Some(local(2026, 11, 30, 9, 0))
        );
        // No working days at all.
        let never = Hours { days: vec![], ..weekdays() };
        assert_eq!(next_free(local(2026, 11, 28, 10, 0), 90, &never, &walk_in, &[], 28), None);
        // A conversation of no length is not a conversation.
        assert_eq!(next_free(local(2026, 11, 30, 10, 0), 0, &weekdays(), &walk_in, &[], 28), None);
    }
}
