//! A customer's movements on one account, newest first, filtered and paginated.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::clock::Millis;
use crate::db::get_i64;
use crate::{Db, Result};

pub const PAGE_SIZE: i64 = 20;

/// Which movements to show; every field is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryFilter {
    /// From this instant (inclusive).
    pub from: Option<Millis>,
    /// Until this instant (exclusive).
    pub until: Option<Millis>,
    /// `Some(true)`: money in only; `Some(false)`: money out only.
    pub incoming: Option<bool>,
    /// Bounds on the amount's absolute value, in fen.
    pub min_amount: Option<i64>,
    pub max_amount: Option<i64>,
    /// Part of the counterparty as shown (masked name, card tail, description).
    pub counterparty: Option<String>,
}

/// One posting as the statement shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Movement {
    pub entry_id: String,
    pub kind: String,
    pub amount: i64,
    pub balance_after: i64,
    pub counterparty: String,
    pub memo: String,
    pub created_at: Millis,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MovementPage {
    pub items: Vec<Movement>,
    /// Zero-based.
    pub page: i64,
    pub has_more: bool,
}

/// One page of the movements of `account_id`, which must belong to `customer_id` (another
/// customer's account yields an empty page, never its movements).
pub async fn history(
    db: &Db,
    customer_id: &str,
    account_id: &str,
    filter: &HistoryFilter,
    page: i64,
    page_size: i64,
) -> Result<MovementPage> {
    let page = page.max(0);
    let counterparty = filter
        .counterparty
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let rows = sqlx::query(
        "SELECT p.entry_id, e.kind, p.amount, p.balance_after, p.counterparty, p.memo, p.created_at \
         FROM postings p JOIN accounts a ON a.id = p.account_id \
         JOIN journal_entries e ON e.id = p.entry_id \
         WHERE p.account_id = $1 AND a.customer_id = $2 \
           AND ($3 IS NULL OR p.created_at >= $3) \
           AND ($4 IS NULL OR p.created_at < $4) \
           AND ($5 IS NULL OR ($5 = 1 AND p.amount > 0) OR ($5 = 0 AND p.amount < 0)) \
           AND ($6 IS NULL OR ABS(p.amount) >= $6) \
           AND ($7 IS NULL OR ABS(p.amount) <= $7) \
           AND ($8 IS NULL OR p.counterparty LIKE '%' || $8 || '%') \
         ORDER BY p.created_at DESC, p.id DESC LIMIT $9 OFFSET $10",
    )
    .bind(account_id)
    .bind(customer_id)
    .bind(filter.from)
    .bind(filter.until)
    .bind(filter.incoming.map(i64::from))
    .bind(filter.min_amount)
    .bind(filter.max_amount)
    .bind(counterparty)
    .bind(page_size + 1)
    .bind(page * page_size)
    .fetch_all(db.pool())
    .await?;
    let has_more = rows.len() as i64 > page_size;
    let items = rows
        .iter()
        .take(page_size as usize)
        .map(movement_from_row)
        .collect::<Result<Vec<_>>>()?;
    Ok(MovementPage {
        items,
        page,
        has_more,
    })
}

/// A row of `postings p JOIN journal_entries e` (the columns both queries select).
pub(super) fn movement_from_row(r: &sqlx::any::AnyRow) -> Result<Movement> {
    Ok(Movement {
        entry_id: r.try_get("entry_id")?,
        kind: r.try_get("kind")?,
        amount: get_i64(r, "amount")?,
        balance_after: get_i64(r, "balance_after")?,
        counterparty: r.try_get("counterparty")?,
        memo: r.try_get("memo")?,
        created_at: get_i64(r, "created_at")?,
    })
}
