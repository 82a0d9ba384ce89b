//! Time as the domain sees it. Every rule with a deadline (code expiry, lockouts, session
//! timeouts, interest days) reads a [`Clock`], so tests and the demo can move time instead of
//! sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, UTC. Stored as `BIGINT` in both databases.
pub type Millis = i64;

pub const SECOND: Millis = 1_000;
pub const MINUTE: Millis = 60 * SECOND;
pub const HOUR: Millis = 60 * MINUTE;
pub const DAY: Millis = 24 * HOUR;

/// China Standard Time is UTC+8 all year (no daylight saving): "today" for daily limits.
const CST_OFFSET: Millis = 8 * HOUR;

pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> Millis;

    /// The calendar day in China (days since 1970-01-01 CST), for per-day limits.
    fn china_day(&self) -> i64 {
        china_day_of(self.now())
    }
}

/// The calendar day in China (days since 1970-01-01 CST) an instant falls on.
pub fn china_day_of(at: Millis) -> i64 {
    (at + CST_OFFSET).div_euclid(DAY)
}

/// The instant a China calendar day (days since 1970-01-01 CST) begins.
pub fn china_day_start(day: i64) -> Millis {
    day * DAY - CST_OFFSET
}

/// `14:05:09`, Beijing time (a one-minute code's expiry).
pub fn beijing_clock(at: Millis) -> String {
    let secs = (at + CST_OFFSET).rem_euclid(DAY) / SECOND;
    format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

/// The real clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Millis {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as Millis)
            .unwrap_or(0)
    }
}

/// A clock that only moves when told to: for tests and the demo's time travel.
#[derive(Clone, Debug)]
pub struct ManualClock(Arc<AtomicI64>);

impl ManualClock {
    pub fn at(now: Millis) -> Self {
        ManualClock(Arc::new(AtomicI64::new(now)))
    }

    /// Starts at the real time now.
    pub fn starting_now() -> Self {
        Self::at(SystemClock.now())
    }

    pub fn advance(&self, by: Millis) {
        self.0.fetch_add(by, Ordering::SeqCst);
    }

    pub fn set(&self, now: Millis) {
        self.0.store(now, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Millis {
        self.0.load(Ordering::SeqCst)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2026-11-27 14:05`, Beijing time, as statements and receipts print it.
pub fn beijing_datetime(at: Millis) -> String {
    let local = at + CST_OFFSET;
    let d = crate::identity::Date::from_days(local.div_euclid(DAY));
    let minutes = local.rem_euclid(DAY) / MINUTE;
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        d.year,
        d.month,
        d.day,
        minutes / 60,
        minutes % 60
    )
}

/// `2026-11-27`, Beijing time.
pub fn beijing_date(at: Millis) -> String {
    beijing_datetime(at)[..10].to_string()
}

/// The instant a Beijing calendar day (`YYYY-MM-DD`, as a date input sends it) begins.
pub fn beijing_day_start(date: &str) -> Option<Millis> {
    let mut parts = date.trim().splitn(3, '-');
    let (y, m, d) = (
        parts.next()?.parse::<i32>().ok()?,
        parts.next()?.parse::<u32>().ok()?,
        parts.next()?.parse::<u32>().ok()?,
    );
    // Far-off years would overflow the milliseconds (a typed-in `2147483647-01-01`).
    if !(1900..=2200).contains(&y) {
        return None;
    }
    crate::identity::Date::new(y, m, d)?;
    Some(days_from_civil(i64::from(y), i64::from(m), i64::from(d)) * DAY - CST_OFFSET)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beijing_calendar() {
        // 2027-01-15 00:00 Beijing is 2027-01-14 16:00 UTC.
        let start = beijing_day_start("2027-01-15").unwrap();
        assert_eq!(beijing_datetime(start), "2027-01-15 00:00");
        assert_eq!(beijing_datetime(start - MINUTE), "2027-01-14 23:59");
        assert_eq!(beijing_date(start + 14 * HOUR), "2027-01-15");
        assert_eq!(
            beijing_day_start("2147483647-01-01"),
            None,
            "would overflow"
        );
        assert_eq!(beijing_day_start("-2147483648-01-01"), None);
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert!(beijing_day_start("2027-02-30").is_none());
        assert!(beijing_day_start("yesterday").is_none());
        let day = ManualClock::at(start + 8 * HOUR).china_day();
        assert_eq!(day, days_from_civil(2027, 1, 15));
    }

    #[test]
    fn china_day_turns_at_midnight_beijing_time() {
        // 2026-11-27 15:59:59.999 UTC is 23:59:59.999 in Beijing; one ms later it is the 28th.
        let before = ManualClock::at(1_795_795_199_999);
        let day = before.china_day();
        before.advance(1);
        assert_eq!(before.china_day(), day + 1);
    }

    #[test]
    fn manual_clock_moves_only_when_told() {
        let c = ManualClock::at(1_000);
        assert_eq!(c.now(), 1_000);
        c.advance(5 * MINUTE);
        assert_eq!(c.now(), 1_000 + 300_000);
    }
}
