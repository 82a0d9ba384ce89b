//! What a customer's accounts at one bank show about them, for the credit-line decision: how
//! long they have banked here, what usually stays on their accounts, what comes in every
//! month, and what they have saved.

use sqlx::Row;

use super::decision::Relationship;
use crate::clock::{Millis, DAY};
use crate::db::get_i64;
use crate::{Db, Result};

/// The window the balances and inflows are read over: six periods of thirty days.
pub(super) const PERIOD: Millis = 30 * DAY;
const PERIODS: i64 = 6;

/// The customer's relationship with `bank_code` as of `now`.
pub async fn relationship(
    db: &Db,
    customer_id: &str,
    bank_code: &str,
    now: Millis,
) -> Result<Relationship> {
    let start = now - PERIODS * PERIOD;
    let first = sqlx::query(
        "SELECT MIN(opened_at) AS first FROM accounts WHERE customer_id = $1 AND bank_code = $2",
    )
    .bind(customer_id)
    .bind(bank_code)
    .fetch_one(db.pool())
    .await?;
    let tenure_months = crate::db::get_opt_i64(&first, "first")?
        .map_or(0, |first| ((now - first).max(0) / PERIOD) as u32);

    // Every movement of the current accounts since the window opened, and each account's
    // balance when it opened (after its last earlier movement).
    let accounts = sqlx::query(
        "SELECT a.id, \
           (SELECT p.balance_after FROM postings p WHERE p.account_id = a.id AND p.created_at < $3 \
              ORDER BY p.created_at DESC, p.id DESC LIMIT 1) AS opening \
         FROM accounts a WHERE a.customer_id = $1 AND a.bank_code = $2 AND a.kind = 'demand'",
    )
    .bind(customer_id)
    .bind(bank_code)
    .bind(start)
    .fetch_all(db.pool())
    .await?;
    let mut balance_time: i128 = 0;
    for account in &accounts {
        let id: String = account.try_get("id")?;
        let mut balance = crate::db::get_opt_i64(account, "opening")?.unwrap_or(0);
        let mut since = start;
        let movements = sqlx::query(
            "SELECT balance_after, created_at FROM postings WHERE account_id = $1 AND created_at >= $2 \
             AND created_at <= $3 ORDER BY created_at, id",
        )
        .bind(&id)
        .bind(start)
        .bind(now)
        .fetch_all(db.pool())
        .await?;
        for m in &movements {
            let at = get_i64(m, "created_at")?;
            balance_time += i128::from(balance) * i128::from(at - since);
            balance = get_i64(m, "balance_after")?;
            since = at;
        }
        balance_time += i128::from(balance) * i128::from(now - since);
    }
    // Whole fen: the average is a limit's input, rounded down like the limit.
    let average_balance = (balance_time / i128::from(PERIODS * PERIOD)) as i64;

    // Money that came in from outside: not moved from another of the customer's own accounts
    // (nor a deposit's principal and interest coming back).
    let inflows = sqlx::query(
        "SELECT p.amount, p.created_at FROM postings p JOIN accounts a ON a.id = p.account_id \
         WHERE a.customer_id = $1 AND a.bank_code = $2 AND a.kind = 'demand' AND p.amount > 0 \
           AND p.created_at >= $3 AND p.created_at < $4 \
           AND NOT EXISTS (SELECT 1 FROM postings q JOIN accounts b ON b.id = q.account_id \
                           WHERE q.entry_id = p.entry_id AND q.amount < 0 AND b.customer_id = $1)",
    )
    .bind(customer_id)
    .bind(bank_code)
    .bind(start)
    .bind(now)
    .fetch_all(db.pool())
    .await?;
    let mut per_period = [0_i64; PERIODS as usize];
    for row in &inflows {
        let age = now - 1 - get_i64(row, "created_at")?;
        let period = (age / PERIOD).clamp(0, PERIODS - 1) as usize;
        per_period[period] += get_i64(row, "amount")?;
    }
    // What comes in regularly is what came in even in the leanest of the six months.
    let monthly_inflow = per_period.iter().copied().min().unwrap_or(0);

    let saved = sqlx::query(
        "SELECT CAST(COALESCE(SUM(d.principal), 0) AS BIGINT) AS saved FROM time_deposits d \
         JOIN accounts a ON a.id = d.account_id \
         WHERE d.customer_id = $1 AND a.bank_code = $2 AND d.status = 'open'",
    )
    .bind(customer_id)
    .bind(bank_code)
    .fetch_one(db.pool())
    .await?;
    Ok(Relationship {
        tenure_months,
        average_balance,
        monthly_inflow,
        time_deposits: get_i64(&saved, "saved")?,
    })
}
