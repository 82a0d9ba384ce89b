//! Pledging a time deposit for a 质押e贷 loan, and releasing it when the loan is repaid.
//!
//! The pledge is the deposit's `pledged_to` (the loan) and, in the ledger, its account's
//! balance frozen: an early withdrawal is refused, maturity renews instead of paying out, and
//! no debit can take the money while the pledge stands.

use sqlx::Row;

use super::{Deposit, Deposits, Status};
use crate::error::Refusal;
use crate::{Error, Result};

impl Deposits<'_> {
    /// Pledges the customer's open deposit `id` for `loan_id`. Refused when it is closed or
    /// already pledged; another customer's deposit is not found.
    pub async fn pledge(&self, customer_id: &str, id: &str, loan_id: &str) -> Result<Deposit> {
        let (id_owned, customer, loan) =
            (id.to_string(), customer_id.to_string(), loan_id.to_string());
        let pledged = crate::db::in_transaction(self.db, |conn| {
            let (id, customer, loan) = (id_owned.clone(), customer.clone(), loan.clone());
            Box::pin(async move {
                let row = sqlx::query(
                    "UPDATE time_deposits SET pledged_to = $1 \
                     WHERE id = $2 AND customer_id = $3 AND status = 'open' AND pledged_to IS NULL \
                     RETURNING account_id",
                )
                .bind(&loan)
                .bind(&id)
                .bind(&customer)
                .fetch_optional(&mut *conn)
                .await?;
                let Some(row) = row else {
                    return Ok(false);
                };
                let account: String = row.try_get("account_id")?;
                sqlx::query("UPDATE accounts SET frozen = balance WHERE id = $1")
                    .bind(&account)
                    .execute(&mut *conn)
                    .await?;
                Ok(true)
            })
        })
        .await?;
        let d = self.get(customer_id, id).await?;
        if pledged {
            return Ok(d);
        }
        Err(match (d.status, d.pledged_to.as_deref()) {
            (Status::Closed, _) => Refusal::DepositClosed.into(),
            (Status::Open, Some(_)) => Refusal::DepositPledged.into(),
            (Status::Open, None) => Error::Contended(format!("pledge of deposit {id}")),
        })
    }

    /// Releases the pledge of deposit `id` for `loan_id` (the loan is repaid): the money is
    /// the customer's to withdraw again. Whether it was pledged for that loan.
    pub async fn release(&self, id: &str, loan_id: &str) -> Result<bool> {
        let (id, loan) = (id.to_string(), loan_id.to_string());
        crate::db::in_transaction(self.db, |conn| {
            let (id, loan) = (id.clone(), loan.clone());
            Box::pin(async move {
                let row = sqlx::query(
                    "UPDATE time_deposits SET pledged_to = NULL WHERE id = $1 AND pledged_to = $2 \
                     RETURNING account_id",
                )
                .bind(&id)
                .bind(&loan)
                .fetch_optional(&mut *conn)
                .await?;
                let Some(row) = row else {
                    return Ok(false);
                };
                let account: String = row.try_get("account_id")?;
                sqlx::query("UPDATE accounts SET frozen = 0 WHERE id = $1")
                    .bind(&account)
                    .execute(&mut *conn)
                    .await?;
                Ok(true)
            })
        })
        .await
    }
}
