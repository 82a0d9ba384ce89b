//! What a customer allowed (用户授权、最小够用), one answer per purpose. A purpose the customer
//! never answered has its default: marketing off, news on. Messages about the customer's own
//! money and requests (movements, reminders, replies) need no consent and are always sent.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::audit::{self, Action, Entry};
use crate::clock::Clock;
use crate::db::get_i64;
use crate::{Db, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Purpose {
    /// Campaigns pushed to the message centre (营销信息).
    Marketing,
    /// News and announcements pushed to the message centre (资讯与公告).
    News,
}

impl Purpose {
    pub const ALL: [Purpose; 2] = [Purpose::Marketing, Purpose::News];

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Marketing => "marketing",
            Purpose::News => "news",
        }
    }

    pub fn parse(s: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The answer of a customer who never gave one.
    pub fn default_granted(self) -> bool {
        match self {
            Purpose::Marketing => false,
            Purpose::News => true,
        }
    }
}

/// Every purpose with the customer's answer (or its default).
pub async fn of(db: &Db, customer_id: &str) -> Result<Vec<(Purpose, bool)>> {
    let rows = sqlx::query("SELECT purpose, granted FROM consents WHERE customer_id = $1")
        .bind(customer_id)
        .fetch_all(db.pool())
        .await?;
    let mut answers = Vec::new();
    for r in &rows {
        let purpose: String = r.try_get("purpose")?;
        if let Some(p) = Purpose::parse(&purpose) {
            answers.push((p, get_i64(r, "granted")? != 0));
        }
    }
    Ok(Purpose::ALL
        .into_iter()
        .map(|p| {
            let given = answers.iter().find(|(q, _)| *q == p).map(|(_, g)| *g);
            (p, given.unwrap_or(p.default_granted()))
        })
        .collect())
}

/// Records the customer's answer for one purpose (audited; the same answer again changes
/// nothing and records nothing).
pub async fn set(
    db: &Db,
    clock: &dyn Clock,
    customer_id: &str,
    purpose: Purpose,
    granted: bool,
) -> Result<()> {
    let now = clock.now();
    let changed = {
        let _turn = db.write_turn().await;
        sqlx::query(
            "INSERT INTO consents (customer_id, purpose, granted, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (customer_id, purpose) DO UPDATE SET granted = excluded.granted, \
             updated_at = excluded.updated_at WHERE consents.granted <> excluded.granted",
        )
        .bind(customer_id)
        .bind(purpose.as_str())
        .bind(i64::from(granted))
        .bind(now)
        .execute(db.pool())
        .await?
        .rows_affected()
    };
    if changed == 0 {
        return Ok(());
    }
    audit::append(
        db,
        clock,
        Entry {
            actor: customer_id,
            action: if granted {
                Action::ConsentGranted
            } else {
                Action::ConsentWithdrawn
            },
            subject: customer_id,
            detail: serde_json::json!({ "purpose": purpose.as_str() }),
        },
    )
    .await
    .map(|_| ())
}

#[cfg(test)]
mod tests;
