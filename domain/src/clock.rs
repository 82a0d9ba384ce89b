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
        (self.now() + CST_OFFSET).div_euclid(DAY)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
