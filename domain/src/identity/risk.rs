//! Risk signals at sign-in: when the password alone is not enough and an SMS code must follow
//! (PSD2 RTS art. 18 spirit: strong authentication where the situation is unusual). The
//! signals are kept few and explainable, so a customer is never asked for a code without a
//! reason the bank can name:
//!
//! * a browser this customer has never proven with a code;
//! * a known browser unused for [`DORMANT_AFTER`] (a lost or handed-on phone);
//! * [`FAILURES_BEFORE_CHECK`] or more wrong passwords since the last successful sign-in or
//!   SMS-verified password reset, within a day (someone may be guessing, and this time they got
//!   it right).

use crate::clock::{Clock, Millis, DAY};
use crate::{Db, Result};
use serde::{Deserialize, Serialize};

/// A known browser unused this long needs the code again.
pub const DORMANT_AFTER: Millis = 90 * DAY;
/// Wrong passwords since the last sign-in (within a day) that make the next one need a code.
pub const FAILURES_BEFORE_CHECK: i64 = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Signal {
    NewDevice,
    DormantDevice,
    RecentFailures,
}

impl Signal {
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::NewDevice => "new_device",
            Signal::DormantDevice => "dormant_device",
            Signal::RecentFailures => "recent_failures",
        }
    }

    /// What the SMS says the code is for.
    pub fn sms_reason(self) -> &'static str {
        match self {
            Signal::NewDevice => "您正在新设备上登录手机银行",
            Signal::DormantDevice => "您正在长时间未使用的设备上登录手机银行",
            Signal::RecentFailures => "您的账户近期有多次密码错误，本次登录需要验证",
        }
    }
}

/// The signals present for this customer on this browser now; empty means the password is
/// enough. Read before the sign-in refreshes the device's last use.
pub async fn assess(
    db: &Db,
    clock: &dyn Clock,
    customer_id: &str,
    device_id: &str,
) -> Result<Vec<Signal>> {
    let now = clock.now();
    let mut signals = Vec::new();
    let device = sqlx::query(
        "SELECT last_seen_at FROM known_devices WHERE customer_id = $1 AND device_id = $2",
    )
    .bind(customer_id)
    .bind(device_id)
    .fetch_optional(db.pool())
    .await?;
    match device {
        None => signals.push(Signal::NewDevice),
        Some(row) => {
            let last_seen = crate::db::get_i64(&row, "last_seen_at")?;
            if now - last_seen >= DORMANT_AFTER {
                signals.push(Signal::DormantDevice);
            }
        }
    }
    let failures = sqlx::query(
        "SELECT COUNT(*) AS n FROM audit_log WHERE subject = $1 AND action = 'login_failed' AND at > $2 \
         AND seq > COALESCE((SELECT MAX(seq) FROM audit_log WHERE subject = $1 \
         AND action IN ('login_succeeded', 'password_reset')), 0)",
    )
    .bind(customer_id)
    .bind(now - DAY)
    .fetch_one(db.pool())
    .await?;
    if crate::db::get_i64(&failures, "n")? >= FAILURES_BEFORE_CHECK {
        signals.push(Signal::RecentFailures);
    }
    Ok(signals)
}
