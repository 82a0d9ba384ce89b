//! 我的常用户号: numbers a customer pays again and again, saved with their own label
//! (老家电费, 爸妈的话费), so next month's bill is one tap away.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{biller, normalise_number, Kind};
use crate::clock::{Clock, Millis};
use crate::error::Refusal;
use crate::{Db, Error, Result};

/// At most this many saved numbers per customer.
pub const MAX_HOUSEHOLDS: i64 = 30;
/// A label's length in characters.
pub const MAX_LABEL: usize = 20;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Household {
    pub id: String,
    pub biller_id: String,
    pub kind: Kind,
    pub number: String,
    pub label: String,
    pub created_at: Millis,
}

fn from_row(r: &AnyRow) -> Result<Household> {
    let kind: String = r.try_get("kind")?;
    Ok(Household {
        id: r.try_get("id")?,
        biller_id: r.try_get("biller_id")?,
        kind: Kind::from_slug(&kind)
            .ok_or_else(|| Error::invalid(crate::Input::Choice, format!("bill kind {kind:?}")))?,
        number: r.try_get("number")?,
        label: r.try_get("label")?,
        created_at: r.try_get("created_at")?,
    })
}

/// A label as typed: trimmed, 1 to 20 characters, no control characters.
pub fn parse_label(input: &str) -> Result<String> {
    let label = input.trim();
    let n = label.chars().count();
    if n == 0 || n > MAX_LABEL || label.chars().any(char::is_control) {
        return Err(Error::invalid(
            crate::Input::HouseholdLabel,
            "household label".into(),
        ));
    }
    Ok(label.to_string())
}

#[derive(Clone, Copy)]
pub struct Households<'a> {
    pub db: &'a Db,
    pub clock: &'a dyn Clock,
}

impl Households<'_> {
    /// The customer's saved numbers, in the order they were saved.
    pub async fn list(&self, customer_id: &str) -> Result<Vec<Household>> {
        let rows = sqlx::query(
            "SELECT id, biller_id, kind, number, label, created_at FROM households \
             WHERE customer_id = $1 ORDER BY created_at, id",
        )
        .bind(customer_id)
        .fetch_all(self.db.pool())
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// Saves a number under a label; saving the same biller and number again renames it.
    pub async fn save(
        &self,
        customer_id: &str,
        biller_id: &str,
        number: &str,
        label: &str,
    ) -> Result<Household> {
        let b = biller(biller_id).ok_or_else(|| Error::NotFound(format!("biller {biller_id}")))?;
        let number = normalise_number(b.kind, number).ok_or(Refusal::BadBillNumber)?;
        let label = parse_label(label)?;
        let existing = self.list(customer_id).await?;
        if let Some(h) = existing
            .iter()
            .find(|h| h.biller_id == b.id && h.number == number)
        {
            sqlx::query("UPDATE households SET label = $1 WHERE id = $2 AND customer_id = $3")
                .bind(&label)
                .bind(&h.id)
                .bind(customer_id)
                .execute(self.db.pool())
                .await?;
            return Ok(Household { label, ..h.clone() });
        }
        if existing.len() as i64 >= MAX_HOUSEHOLDS {
            return Err(Refusal::TooManyHouseholds {
                max: MAX_HOUSEHOLDS,
            }
            .into());
        }
        let h = Household {
            id: crate::id::new_id(),
            biller_id: b.id,
            kind: b.kind,
            number,
            label,
            created_at: self.clock.now(),
        };
        let inserted = sqlx::query(
            "INSERT INTO households (id, customer_id, biller_id, kind, number, label, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&h.id)
        .bind(customer_id)
        .bind(&h.biller_id)
        .bind(h.kind.slug())
        .bind(&h.number)
        .bind(&h.label)
        .bind(h.created_at)
        .execute(self.db.pool())
        .await;
        match inserted {
            Ok(_) => Ok(h),
            // Saved twice at once (a double click): the first one stands.
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => self
                .list(customer_id)
                .await?
                .into_iter()
                .find(|x| x.biller_id == h.biller_id && x.number == h.number)
                .ok_or_else(|| Error::Contended("household".into())),
            Err(e) => Err(e.into()),
        }
    }

    /// Removes one of the customer's saved numbers; someone else's is "not found".
    pub async fn remove(&self, customer_id: &str, id: &str) -> Result<()> {
        // Its automatic payment goes with it.
        sqlx::query("DELETE FROM bill_autopay WHERE household_id = $1 AND customer_id = $2")
            .bind(id)
            .bind(customer_id)
            .execute(self.db.pool())
            .await?;
        let done = sqlx::query("DELETE FROM households WHERE id = $1 AND customer_id = $2")
            .bind(id)
            .bind(customer_id)
            .execute(self.db.pool())
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("household".into()));
        }
        Ok(())
    }
}
