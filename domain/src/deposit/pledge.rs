//! Pledging a time deposit for a 质押e贷 loan, releasing it when the loan is repaid, and
//! applying it to the debt when the loan defaults.
//!
//! The pledge is the deposit's `pledged_to` (the loan) and, in the ledger, its account's
//! balance frozen: an early withdrawal is refused, maturity renews instead of paying out, and
//! no debit can take the money while the pledge stands. The loan's own transactions (the
//! disbursement, the last repayment, the enforcement) change the pledge through the `_on`
//! functions, inside their transaction.

use sqlx::{AnyConnection, Row};

use super::{days_between, interest, pay_interest, Deposit, Deposits, DEMAND_RATE_BP};
use crate::clock::{china_day_of, Millis};
use crate::error::Refusal;
use crate::ledger::{self, EntryKind, Leg, NewEntry};
use crate::{Error, Result};

impl Deposits<'_> {
    /// Pledges the customer's open deposit `id` for `loan_id`. Refused when it is closed or
    /// already pledged; another customer's deposit is not found.
    pub async fn pledge(&self, customer_id: &str, id: &str, loan_id: &str) -> Result<Deposit> {
        let (id_owned, customer, loan) =
            (id.to_string(), customer_id.to_string(), loan_id.to_string());
        crate::db::in_transaction(self.db, |conn| {
            let (id, customer, loan) = (id_owned.clone(), customer.clone(), loan.clone());
            Box::pin(async move { pledge_on(conn, &customer, &id, &loan).await })
        })
        .await?;
        self.get(customer_id, id).await
    }

    /// Releases the pledge of deposit `id` for `loan_id` (the loan is repaid): the money is
    /// the customer's to withdraw again. Whether it was pledged for that loan.
    pub async fn release(&self, id: &str, loan_id: &str) -> Result<bool> {
        let (id, loan) = (id.to_string(), loan_id.to_string());
        crate::db::in_transaction(self.db, |conn| {
            let (id, loan) = (id.clone(), loan.clone());
            Box::pin(async move { release_on(conn, &id, &loan).await })
        })
        .await
    }
}

/// Pledges the customer's deposit for the loan inside the caller's transaction: refused when
/// it is closed or pledged already.
pub(crate) async fn pledge_on(
    conn: &mut AnyConnection,
    customer_id: &str,
    deposit_id: &str,
    loan_id: &str,
) -> Result<()> {
    let row = sqlx::query(
        "UPDATE time_deposits SET pledged_to = $1 \
         WHERE id = $2 AND customer_id = $3 AND status = 'open' AND pledged_to IS NULL \
         RETURNING account_id",
    )
    .bind(loan_id)
    .bind(deposit_id)
    .bind(customer_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        let status: Option<String> =
            sqlx::query("SELECT status FROM time_deposits WHERE id = $1 AND customer_id = $2")
                .bind(deposit_id)
                .bind(customer_id)
                .fetch_optional(&mut *conn)
                .await?
                .map(|r| r.try_get("status"))
                .transpose()?;
        return Err(match status.as_deref() {
            Some("open") => Refusal::DepositPledged.into(),
            Some(_) => Refusal::DepositClosed.into(),
            None => Error::NotFound(format!("deposit {deposit_id}")),
        });
    };
    let account: String = row.try_get("account_id")?;
    sqlx::query("UPDATE accounts SET frozen = balance WHERE id = $1")
        .bind(&account)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Releases the pledge inside the caller's transaction. Whether it was pledged for the loan.
pub(crate) async fn release_on(
    conn: &mut AnyConnection,
    deposit_id: &str,
    loan_id: &str,
) -> Result<bool> {
    let row = sqlx::query(
        "UPDATE time_deposits SET pledged_to = NULL WHERE id = $1 AND pledged_to = $2 \
         RETURNING account_id",
    )
    .bind(deposit_id)
    .bind(loan_id)
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
}

/// Enforces the pledge of a defaulted loan inside its transaction: the deposit is closed as an
/// early withdrawal (the demand rate for the days of its current term) and principal and
/// interest go to `into_account` (the loan's repayment account), from which the loan then
/// collects what it is owed. Returns what was paid in; 0 when the deposit is not pledged for
/// this loan (any more).
pub(crate) async fn enforce_on(
    conn: &mut AnyConnection,
    deposit_id: &str,
    loan_id: &str,
    into_account: &str,
    now: Millis,
) -> Result<i64> {
    let row = sqlx::query(&format!(
        "SELECT {} FROM time_deposits WHERE id = $1 AND pledged_to = $2 AND status = 'open'",
        super::COLUMNS
    ))
    .bind(deposit_id)
    .bind(loan_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(0);
    };
    let d = super::from_row(&row)?;
    let account: String = row.try_get("account_id")?;
    let earned = interest(d.principal, DEMAND_RATE_BP, days_between(d.opened_at, now));
    let closed = sqlx::query(
        "UPDATE time_deposits SET status = 'closed', closed_at = $1, pledged_to = NULL, \
           interest_paid = interest_paid + $2 WHERE id = $3 AND pledged_to = $4 AND status = 'open'",
    )
    .bind(now)
    .bind(earned)
    .bind(deposit_id)
    .bind(loan_id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if closed == 0 {
        return Ok(0);
    }
    sqlx::query("UPDATE accounts SET frozen = 0 WHERE id = $1")
        .bind(&account)
        .execute(&mut *conn)
        .await?;
    let day = china_day_of(now);
    pay_interest(conn, now, day, &d, &account, earned).await?;
    ledger::post(
        conn,
        now,
        day,
        &NewEntry {
            id: crate::id::new_id(),
            kind: EntryKind::TimeDepositClose,
            memo: "质押存单处置".into(),
            legs: vec![
                Leg::debit(&account, d.principal + earned, "定期存款"),
                Leg::credit(into_account, d.principal + earned, "定期存款"),
            ],
        },
    )
    .await?;
    Ok(d.principal + earned)
}
