//! Calendar dates as the intake uses them: `YYYY-MM-DD`, parsed strictly
//! (`2023-02-30` is not a date), with the arithmetic the rules need.

use std::fmt;

/// A civil date in the proleptic Gregorian calendar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD` strictly.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            b[r].iter().try_fold(0u32, |acc, c| {
                c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
            })
        };
        let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month) && year >= 1)
            .then_some(Date { year, month, day })
    }

    /// The date part of an RFC 3339 timestamp (`2026-11-27T14:05:09Z`).
    pub fn of_timestamp(s: &str) -> Option<Date> {
        s.get(..10).and_then(Date::parse)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (Howard Hinnant's civil_from_days).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: year.max(1) as u32,
            month: month as u32,
            day: day as u32,
        }
    }

    /// Whole days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.days_since_epoch() - self.days_since_epoch()
    }

    /// Completed years of age on `on` for someone born on `self`.
    pub fn age_on(self, on: Date) -> i64 {
        let mut years = i64::from(on.year) - i64::from(self.year);
        if (on.month, on.day) < (self.month, self.day) {
            years -= 1;
        }
        years
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction]Z` naming a real instant.
pub fn is_utc_timestamp(s: &str) -> bool {
    let Some(body) = s.strip_suffix('Z') else {
        return false;
    };
    let (main, fraction) = match body.split_once('.') {
        Some((main, fraction)) => (main, Some(fraction)),
        None => (body, None),
    };
    if let Some(f) = fraction {
        if f.is_empty() || f.len() > 9 || !f.bytes().all(|c| c.is_ascii_digit()) {
            return false;
        }
    }
    let Some((date, time)) = main.split_once('T') else {
        return false;
    };
    let t = time.as_bytes();
    let two = |i: usize| -> Option<u32> {
        let (a, b) = (*t.get(i)?, *t.get(i + 1)?);
        (a.is_ascii_digit() && b.is_ascii_digit())
            .then(|| u32::from(a - b'0') * 10 + u32::from(b - b'0'))
    };
    let time_ok = t.len() == 8
        && t[2] == b':'
        && t[5] == b':'
        && matches!((two(0), two(3), two(6)), (Some(h), Some(m), Some(s)) if h < 24 && m < 60 && s < 60);
    time_ok && Date::parse(date).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        Date::parse(s).expect(s)
    }

    #[test]
    fn dates_are_parsed_strictly() {
        assert_eq!(
            Date::parse("2000-02-29"),
            Some(Date {
                year: 2000,
                month: 2,
                day: 29
            })
        );
        for bad in [
            "1900-02-29",
            "2023-02-30",
            "2023-13-01",
            "2023-00-10",
            "2023-1-01",
            "2023-01-01T",
            "0000-01-01",
            "",
            "abcd-ef-gh",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn day_arithmetic_and_age() {
        assert_eq!(d("1970-01-01").days_since_epoch(), 0);
        assert_eq!(
            d("2000-03-01").days_since_epoch() - d("2000-02-28").days_since_epoch(),
            2
        );
        assert_eq!(d("2026-10-16").days_until(d("2026-11-27")), 42);
        assert_eq!(d("2008-11-28").age_on(d("2026-11-27")), 17);
        assert_eq!(d("2008-11-27").age_on(d("2026-11-27")), 18);
        assert_eq!(d("2000-02-29").age_on(d("2001-02-28")), 0);
    }

    #[test]
    fn timestamps_are_strict() {
        assert!(is_utc_timestamp("2024-02-29T23:59:59Z"));
        assert!(is_utc_timestamp("2026-11-27T14:05:09.120Z"));
        for bad in [
            "2023-02-29T10:00:00Z",
            "2026-11-27T24:00:00Z",
            "2026-11-27T14:05:09+01:00",
            "2026-11-27T14:05:09.Z",
            "2026-11-27 14:05:09Z",
        ] {
            assert!(!is_utc_timestamp(bad), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn display_and_parse_agree_and_days_are_consecutive(days in 0i64..200_000) {
            // Walk from 1600-01-01 to find the date `days` later by stepping through months.
            let start = d("1600-01-01");
            let mut date = start;
            let mut left = days;
            while left > 0 {
                let step = i64::from(days_in_month(date.year, date.month) - date.day + 1).min(left);
                left -= step;
                let next_day = date.day + step as u32;
                date = if next_day > days_in_month(date.year, date.month) {
                    if date.month == 12 { Date { year: date.year + 1, month: 1, day: 1 } } else { Date { year: date.year, month: date.month + 1, day: 1 } }
                } else {
                    Date { day: next_day, ..date }
                };
            }
            prop_assert_eq!(start.days_until(date), days);
            prop_assert_eq!(Date::from_days_since_epoch(date.days_since_epoch()), date);
            prop_assert_eq!(Date::parse(&date.to_string()), Some(date));
        }
    }
}
