//! Reading stored transfers: by idempotency key (a retried request), by id (the receipt), by
//! journal entry (a history page's receipt links), the latest; and decoding a stored row.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{Kind, Status, Transfer, Transfers};
use crate::account::card;
use crate::db::get_i64;
use crate::{Error, Result};

impl Transfers<'_> {
    /// The transfer stored under the customer's idempotency key, with the fingerprint of the
    /// request that made it.
    pub(super) async fn by_key(
        &self,
        customer_id: &str,
        key: &str,
    ) -> Result<Option<(Transfer, String)>> {
        let row = sqlx::query(&format!(
            "SELECT {TRANSFER_COLUMNS}, t.fingerprint FROM transfers t JOIN accounts a ON a.id = t.from_account_id \
             WHERE t.customer_id = $1 AND t.idempotency_key = $2"
        ))
        .bind(customer_id)
        .bind(key.trim())
        .fetch_optional(self.db.pool())
        .await?;
        match row {
            Some(r) => Ok(Some((transfer_from_row(&r)?, r.try_get("fingerprint")?))),
            None => Ok(None),
        }
    }

    /// One of the customer's transfers (for the receipt); another customer's is "not found".
    pub async fn get(&self, customer_id: &str, transfer_id: &str) -> Result<Transfer> {
        let row = sqlx::query(&format!(
            "SELECT {TRANSFER_COLUMNS} FROM transfers t JOIN accounts a ON a.id = t.from_account_id \
             WHERE t.id = $1 AND t.customer_id = $2"
        ))
        .bind(transfer_id)
        .bind(customer_id)
        .fetch_optional(self.db.pool())
        .await?
        .ok_or_else(|| Error::NotFound(format!("transfer {transfer_id}")))?;
        transfer_from_row(&row)
    }

    /// Which of `entry_ids` are the customer's own transfers, as entry id → transfer id (the
    /// receipt links of a history page), in one query.
    pub async fn by_entries(
        &self,
        customer_id: &str,
        entry_ids: &[&str],
    ) -> Result<std::collections::HashMap<String, String>> {
        let mut found = std::collections::HashMap::new();
        if entry_ids.is_empty() {
            return Ok(found);
        }
        let ids: Vec<String> = (2..entry_ids.len() + 2).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT entry_id, id FROM transfers WHERE customer_id = $1 AND entry_id IN ({})",
            ids.join(", ")
        );
        let mut q = sqlx::query(&sql).bind(customer_id);
        for id in entry_ids {
            q = q.bind(*id);
        }
        for row in q.fetch_all(self.db.pool()).await? {
            found.insert(row.try_get("entry_id")?, row.try_get("id")?);
        }
        Ok(found)
    }

    /// The customer's latest transfers, newest first.
    pub async fn recent(&self, customer_id: &str, limit: i64) -> Result<Vec<Transfer>> {
        sqlx::query(&format!(
            "SELECT {TRANSFER_COLUMNS} FROM transfers t JOIN accounts a ON a.id = t.from_account_id \
             WHERE t.customer_id = $1 ORDER BY t.created_at DESC, t.id DESC LIMIT $2"
        ))
        .bind(customer_id)
        .bind(limit)
        .fetch_all(self.db.pool())
        .await?
        .iter()
        .map(transfer_from_row)
        .collect()
    }
}

/// The columns [`transfer_from_row`] reads, from `transfers t JOIN accounts a` (the paying
/// account, for its card number).
const TRANSFER_COLUMNS: &str = "t.id, t.kind, t.status, t.status_reason, t.from_account_id, a.card_no AS from_card_no, \
     t.payee_card, t.payee_name_masked, t.payee_bank_name, t.amount, t.memo, t.entry_id, t.created_at, t.updated_at";

/// A stored transfer as the receipt shows it (the payee's card masked).
fn transfer_from_row(r: &AnyRow) -> Result<Transfer> {
    let payee_card: String = r.try_get("payee_card")?;
    Ok(Transfer {
        id: r.try_get("id")?,
        kind: Kind::parse(&r.try_get::<String, _>("kind")?)?,
        status: Status::parse(&r.try_get::<String, _>("status")?)?,
        status_reason: r.try_get("status_reason")?,
        from_account_id: r.try_get("from_account_id")?,
        from_card_no: r.try_get("from_card_no")?,
        payee_card_masked: card::mask(&payee_card),
        payee_name_masked: r.try_get("payee_name_masked")?,
        payee_bank_name: r.try_get("payee_bank_name")?,
        amount: get_i64(r, "amount")?,
        memo: r.try_get("memo")?,
        entry_id: r.try_get("entry_id")?,
        created_at: get_i64(r, "created_at")?,
        updated_at: get_i64(r, "updated_at")?,
    })
}
