//! The customer's message centre: movement alerts (动账通知), due-bill reminders, the news,
//! announcements and campaigns pushed to them (`crate::content::push`), and the bank's answers
//! to their feedback (`crate::feedback`).
//!
//! A movement alert is the posting itself, read back from the ledger (one for every posting on
//! a customer's card account), so there is never a movement without its alert nor an alert for
//! a movement that was rolled back, and a transfer writes no second copy of its postings (on
//! the one writer that every transfer of a node goes through, that copy was two of the seven
//! rows a transfer inserted; see BENCHMARKS.md). What the customer has seen of them is one
//! mark per customer: everything up to the newest alert shown. Due-bill reminders are stored
//! rows, written by [`crate::billpay::reminders`].

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::clock::{Clock, Millis};
use crate::db::get_i64;
use crate::{Db, Error, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    /// Money into or out of an account: data is a [`crate::ledger::MovementAlert`], the id
    /// the posting's.
    Movement,
    /// A bill due on a saved number: data is a [`crate::billpay::reminders::BillDueAlert`].
    BillDue,
    /// News or an announcement pushed to the customer: data is a
    /// [`crate::content::push::PushedItem`].
    News,
    /// A campaign pushed to a customer who allowed marketing: data as for news.
    Campaign,
    /// The bank answered the customer's feedback: data is a
    /// [`crate::feedback::ReplyNotice`].
    Service,
    /// A loan instalment soon due, due today or overdue: data is a
    /// [`crate::loans::servicing::LoanAlert`].
    Loan,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Movement,
        Kind::BillDue,
        Kind::News,
        Kind::Campaign,
        Kind::Service,
        Kind::Loan,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Movement => "movement",
            Kind::BillDue => "bill_due",
            Kind::News => "news",
            Kind::Campaign => "campaign",
            Kind::Service => "service",
            Kind::Loan => "loan",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
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

/// Which stored messages a customer sees: their own, but none of a pushed item taken down
/// since (its messages are removed then; this covers a batch that was being written). Other
/// messages with a source (a loan's reminders, each written once) are always shown.
const STORED_VISIBLE: &str = "n.customer_id = $1 AND (n.source IS NULL \
     OR n.kind NOT IN ('news', 'campaign') OR EXISTS \
     (SELECT 1 FROM content_items ci WHERE ci.id = n.source AND ci.status = 'published'))";

/// The newest items first: the stored ones and the movements, merged; `only` narrows them to
/// one kind.
pub async fn inbox(
    db: &Db,
    customer_id: &str,
    limit: i64,
    only: Option<Kind>,
) -> Result<Vec<Notification>> {
    let rows = if only == Some(Kind::Movement) {
        Vec::new()
    } else {
        sqlx::query(&format!(
            "SELECT n.id, n.kind, n.data, n.created_at, n.read_at FROM notifications n \
             WHERE {STORED_VISIBLE} AND ($3 = '' OR n.kind = $3) \
             ORDER BY n.created_at DESC, n.id DESC LIMIT $2"
        ))
        .bind(customer_id)
        .bind(limit)
        .bind(only.map_or("", Kind::as_str))
        .fetch_all(db.pool())
        .await?
    };
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
    if only.is_none_or(|k| k == Kind::Movement) {
        out.extend(movements(db, customer_id, limit).await?);
    }
    out.sort_by(|a, b| (b.created_at, &b.id).cmp(&(a.created_at, &a.id)));
    out.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(out)
}

/// Which postings are the customer's movement alerts: those on the customer's card accounts
/// (the same the ledger names by card tail; the bank's internal accounts have no customer).
const MOVEMENTS_FROM: &str = "FROM postings p JOIN accounts a ON a.id = p.account_id \
     JOIN customers c ON c.id = a.customer_id \
     WHERE a.customer_id = $1 AND a.card_no IS NOT NULL";

/// Whether a movement is newer than the customer's mark (see [`mark_read`]), in SQL: the one
/// definition the inbox's list and its count both use.
const MOVEMENT_UNSEEN: &str = "(p.created_at > c.alerts_seen_at \
     OR (p.created_at = c.alerts_seen_at AND p.id > c.alerts_seen_id))";

/// The customer's newest movement alerts, from the postings: the newest `limit` of each card
/// account, merged. Each account's are read backwards along `postings_by_account`, so opening
/// the inbox costs the same after ten years of movements as after a week; one query over all
/// the customer's accounts would have sorted every posting they ever had (a market stall's
/// QR-code takings are thousands a year) to show the newest few.
async fn movements(db: &Db, customer_id: &str, limit: i64) -> Result<Vec<Notification>> {
    let accounts = sqlx::query(
        "SELECT id, card_no FROM accounts WHERE customer_id = $1 AND card_no IS NOT NULL",
    )
    .bind(customer_id)
    .fetch_all(db.pool())
    .await?;
    let sql = format!(
        "SELECT p.id, p.entry_id, p.amount, p.balance_after, p.counterparty, p.memo, \
         p.created_at, CASE WHEN {MOVEMENT_UNSEEN} THEN 0 ELSE 1 END AS seen \
         FROM postings p JOIN customers c ON c.id = $2 WHERE p.account_id = $1 \
         ORDER BY p.created_at DESC, p.id DESC LIMIT $3"
    );
    let mut out = Vec::new();
    for account in accounts {
        let account_id: String = account.try_get("id")?;
        let card: String = account.try_get("card_no")?;
        let rows = sqlx::query(&sql)
            .bind(&account_id)
            .bind(customer_id)
            .bind(limit)
            .fetch_all(db.pool())
            .await?;
        for r in rows {
            let alert = crate::ledger::MovementAlert {
                card_tail: crate::account::card::tail(&card).to_string(),
                amount: get_i64(&r, "amount")?,
                balance_after: get_i64(&r, "balance_after")?,
                counterparty: r.try_get("counterparty")?,
                memo: r.try_get("memo")?,
                entry_id: r.try_get("entry_id")?,
            };
            out.push(Notification {
                id: r.try_get("id")?,
                kind: Kind::Movement,
                data: serde_json::to_string(&alert).map_err(|e| Error::Internal(e.to_string()))?,
                created_at: get_i64(&r, "created_at")?,
                read: get_i64(&r, "seen")? == 1,
            });
        }
    }
    Ok(out)
}

/// Something that arrived for a customer: a stored message or a movement on a card account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arrival {
    pub customer_id: String,
    /// The message's or the posting's id.
    pub id: String,
    pub at: Millis,
}

/// What arrived from `since` on for any of `customers` (at most a few hundred per call: one
/// query, by the messages' customer index and the card accounts' postings index), for live
/// delivery to the customers connected to a node.
pub async fn arrived_since(db: &Db, customers: &[String], since: Millis) -> Result<Vec<Arrival>> {
    if customers.is_empty() {
        return Ok(Vec::new());
    }
    let list = (2..2 + customers.len())
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT n.customer_id, n.id, n.created_at FROM notifications n \
         WHERE n.customer_id IN ({list}) AND n.created_at >= $1 \
         UNION ALL \
         SELECT a.customer_id, p.id, p.created_at FROM accounts a \
         JOIN postings p ON p.account_id = a.id \
         WHERE a.customer_id IN ({list}) AND a.card_no IS NOT NULL AND p.created_at >= $1"
    );
    let mut query = sqlx::query(&sql).bind(since);
    for c in customers {
        query = query.bind(c);
    }
    let mut out = Vec::new();
    for r in query.fetch_all(db.pool()).await? {
        out.push(Arrival {
            customer_id: r.try_get(0)?,
            id: r.try_get(1)?,
            at: get_i64(&r, 2)?,
        });
    }
    Ok(out)
}

/// How many items the customer has not seen.
pub async fn unread(db: &Db, customer_id: &str) -> Result<i64> {
    let stored = sqlx::query(&format!(
        "SELECT COUNT(*) AS n FROM notifications n WHERE {STORED_VISIBLE} AND n.read_at IS NULL"
    ))
    .bind(customer_id)
    .fetch_one(db.pool())
    .await?;
    let movements = sqlx::query(&format!(
        "SELECT COUNT(*) AS n {MOVEMENTS_FROM} AND {MOVEMENT_UNSEEN}"
    ))
    .bind(customer_id)
    .fetch_one(db.pool())
    .await?;
    Ok(get_i64(&stored, "n")? + get_i64(&movements, "n")?)
}

/// Marks what the customer was shown as read (opening the inbox does this): the stored items
/// up to the newest one shown and the movements up to the newest one shown. Anything that
/// arrived while the inbox was on its way stays new.
pub async fn mark_read(
    db: &Db,
    clock: &dyn Clock,
    customer_id: &str,
    shown: &[Notification],
) -> Result<()> {
    let newest_stored = shown
        .iter()
        .filter(|n| n.kind != Kind::Movement)
        .map(|n| n.created_at)
        .max();
    // Only the kinds shown: a page of news alone leaves the reminders new.
    let mut kinds: Vec<&str> = shown
        .iter()
        .filter(|n| n.kind != Kind::Movement)
        .map(|n| n.kind.as_str())
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    let newest_movement = shown
        .iter()
        .filter(|n| n.kind == Kind::Movement)
        .map(|n| (n.created_at, n.id.as_str()))
        .max();
    mark(
        db,
        clock.now(),
        customer_id,
        newest_stored.map(|t| (t, kinds)),
        newest_movement,
    )
    .await
}

/// Marks everything up to the clock's now as read (the demo's older history).
pub async fn mark_all_read(db: &Db, clock: &dyn Clock, customer_id: &str) -> Result<()> {
    let now = clock.now();
    // The next millisecond with the lowest id: every movement up to `now` comes before it,
    // without relying on how a collation sorts a sentinel id.
    mark(
        db,
        now,
        customer_id,
        Some((now, Kind::ALL.iter().map(|k| k.as_str()).collect())),
        Some((now + 1, "")),
    )
    .await
}

async fn mark(
    db: &Db,
    now: Millis,
    customer_id: &str,
    stored_through: Option<(Millis, Vec<&str>)>,
    movements_through: Option<(Millis, &str)>,
) -> Result<()> {
    let _turn = db.write_turn().await;
    if let Some((through, kinds)) = stored_through {
        // The kinds are this module's own names, never input.
        let kinds: Vec<String> = kinds.iter().map(|k| format!("'{k}'")).collect();
        sqlx::query(&format!(
            "UPDATE notifications SET read_at = $1 WHERE customer_id = $2 AND read_at IS NULL \
             AND created_at <= $3 AND kind IN ({})",
            kinds.join(", ")
        ))
        .bind(now)
        .bind(customer_id)
        .bind(through)
        .execute(db.pool())
        .await?;
    }
    if let Some((at, id)) = movements_through {
        // Only ever forward: an older page of the inbox opened late must not make newer
        // alerts new again.
        sqlx::query(
            "UPDATE customers SET alerts_seen_at = $1, alerts_seen_id = $2 WHERE id = $3 \
             AND (alerts_seen_at < $1 OR (alerts_seen_at = $1 AND alerts_seen_id < $2))",
        )
        .bind(at)
        .bind(id)
        .bind(customer_id)
        .execute(db.pool())
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
