//! The payee book: every payee a customer has paid (recent) and the ones they saved, with an
//! alias. Only masked names are shown; an other-bank payee's typed name is kept sealed because
//! the clearing network checks it on every transfer.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::account::card;
use crate::clock::{Clock, Millis};
use crate::db::get_i64;
use crate::error::Refusal;
use crate::identity::RealName;
use crate::pii::{Field, KeyRing};
use crate::{Db, Error, Result};

/// The longest alias (characters), e.g. 老家电费 or 儿子.
pub const ALIAS_MAX_CHARS: usize = 12;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payee {
    pub id: String,
    pub card_masked: String,
    pub card_tail: String,
    pub name_masked: String,
    pub bank_name: String,
    pub in_network: bool,
    pub saved: bool,
    pub alias: String,
    pub last_used_at: Millis,
}

#[derive(Clone, Copy)]
pub struct Payees<'a> {
    pub db: &'a Db,
    pub clock: &'a dyn Clock,
    pub keys: &'a KeyRing,
}

impl Payees<'_> {
    /// Saved payees first (by alias), then recent ones, newest first.
    pub async fn list(&self, customer_id: &str) -> Result<Vec<Payee>> {
        let rows = sqlx::query(
            "SELECT id, card_no, name_masked, bank_name, in_network, saved, alias, last_used_at FROM payees \
             WHERE customer_id = $1 ORDER BY saved DESC, last_used_at DESC, id LIMIT 50",
        )
        .bind(customer_id)
        .fetch_all(self.db.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let card_no: String = r.try_get("card_no")?;
                Ok(Payee {
                    id: r.try_get("id")?,
                    card_masked: card::mask(&card_no),
                    card_tail: card::tail(&card_no).into(),
                    name_masked: r.try_get("name_masked")?,
                    bank_name: r.try_get("bank_name")?,
                    in_network: get_i64(r, "in_network")? == 1,
                    saved: get_i64(r, "saved")? == 1,
                    alias: r.try_get("alias")?,
                    last_used_at: get_i64(r, "last_used_at")?,
                })
            })
            .collect()
    }

    /// Saves a recent payee under an alias (or renames a saved one).
    pub async fn save(&self, customer_id: &str, payee_id: &str, alias: &str) -> Result<()> {
        let alias = alias.trim();
        if alias.chars().count() > ALIAS_MAX_CHARS {
            return Err(Error::invalid(
                crate::Input::Alias,
                format!("alias longer than {ALIAS_MAX_CHARS} characters"),
            ));
        }
        let n = sqlx::query(
            "UPDATE payees SET saved = 1, alias = $1 WHERE id = $2 AND customer_id = $3",
        )
        .bind(alias)
        .bind(payee_id)
        .bind(customer_id)
        .execute(self.db.pool())
        .await?
        .rows_affected();
        if n == 0 {
            return Err(Error::NotFound(format!("payee {payee_id}")));
        }
        Ok(())
    }

    /// Removes a payee from the book (past transfers keep their own copy).
    pub async fn remove(&self, customer_id: &str, payee_id: &str) -> Result<()> {
        let n = sqlx::query("DELETE FROM payees WHERE id = $1 AND customer_id = $2")
            .bind(payee_id)
            .bind(customer_id)
            .execute(self.db.pool())
            .await?
            .rows_affected();
        if n == 0 {
            return Err(Error::NotFound(format!("payee {payee_id}")));
        }
        Ok(())
    }

    pub(super) async fn card_of(&self, customer_id: &str, payee_id: &str) -> Result<String> {
        let row = sqlx::query("SELECT card_no FROM payees WHERE id = $1 AND customer_id = $2")
            .bind(payee_id)
            .bind(customer_id)
            .fetch_optional(self.db.pool())
            .await?
            .ok_or(Refusal::PayeeNotFound)?;
        Ok(row.try_get("card_no")?)
    }

    pub(super) async fn name_of(&self, customer_id: &str, payee_id: &str) -> Result<RealName> {
        let row = sqlx::query("SELECT name_sealed FROM payees WHERE id = $1 AND customer_id = $2")
            .bind(payee_id)
            .bind(customer_id)
            .fetch_optional(self.db.pool())
            .await?
            .ok_or(Refusal::PayeeNotFound)?;
        let sealed: String = row.try_get("name_sealed")?;
        if sealed.is_empty() {
            return Err(Error::invalid(
                crate::Input::PayeeName,
                "the payee's name is needed".into(),
            ));
        }
        RealName::parse(&self.keys.open(customer_id, Field::Name, &sealed)?)
    }
}
