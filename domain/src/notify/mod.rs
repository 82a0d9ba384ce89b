//! The customer's notification inbox. Movement alerts (动账通知) are written in the same
//! transaction as the posting they report, so there is never a movement without its alert nor
//! an alert for a movement that was rolled back. Due-bill reminders come from
//! [`crate::billpay::reminders`].

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::clock::{Clock, Millis};
use crate::db::get_i64;
use crate::{Db, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// Money into or out of an account: data is a [`crate::ledger::MovementAlert`].
    Movement,
    /// A bill due on a saved number: data is a [`crate::billpay::reminders::BillDueAlert`].
    BillDue,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Movement => "movement",
            Kind::BillDue => "bill_due",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        [Kind::Movement, Kind::BillDue]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// One inbox item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notification {
    pub id: String,
    pub kind: Kind,
    /// JSON whose shape depends on the kind.
    pub data: String,
    pub created_at: Millis,
    pub read: bool,
}

/// The newest items first.
pub async fn inbox(db: &Db, customer_id: &str, limit: i64) -> Result<Vec<Notification>> {
    let rows = sqlx::query(
        "SELECT id, kind, data, created_at, read_at FROM notifications WHERE customer_id = $1 \
         ORDER BY created_at DESC, id DESC LIMIT $2",
    )
    .bind(customer_id)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let kind: String = r.try_get("kind")?;
        let Some(kind) = Kind::parse(&kind) else {
            continue;
        };
        let read_at: Option<i64> = r.try_get("read_at")?;
        out.push(Notification {
            id: r.try_get("id")?,
            kind,
            data: r.try_get("data")?,
            created_at: get_i64(&r, "created_at")?,
            read: read_at.is_some(),
        });
    }
    Ok(out)
}

/// How many items the customer has not seen.
pub async fn unread(db: &Db, customer_id: &str) -> Result<i64> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM notifications WHERE customer_id = $1 AND read_at IS NULL",
    )
    .bind(customer_id)
    .fetch_one(db.pool())
    .await?;
    get_i64(&row, "n")
}

/// Marks everything read (opening the inbox does this).
pub async fn mark_all_read(db: &Db, clock: &dyn Clock, customer_id: &str) -> Result<u64> {
    let _turn = db.write_turn().await;
    Ok(sqlx::query(
        "UPDATE notifications SET read_at = $1 WHERE customer_id = $2 AND read_at IS NULL",
    )
    .bind(clock.now())
    .bind(customer_id)
    .execute(db.pool())
    .await?
    .rows_affected())
}
