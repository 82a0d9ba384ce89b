//! Time deposits (定期): lump-sum deposits (整存整取) for 3 and 6 months and 1, 2, 3 and 5 years,
//! and large-denomination certificates (大额存单) from ¥200,000, opened from a demand account.
//!
//! Interest = principal × annual rate × days / 360 (the bank's day count, as the glossary
//! states), computed in integers and rounded half up to the fen once, at payout. At maturity a
//! deposit is renewed for the same term with the interest added (auto-renew) or paid out to the
//! demand account it came from. Withdrawing before maturity earns the demand rate for the days
//! held. A deposit pledged for a loan ([`pledge`]) stays: no early withdrawal, renewed at
//! maturity. Every payment is a journal entry: interest comes from the bank's interest-expense
//! account.

pub mod catalogue;
mod pledge;
pub(crate) use pledge::{enforce_on, pledge_on, release_on};
#[cfg(test)]
mod pledge_tests;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::account::Internal;
use crate::clock::{days_from_civil, Clock, Millis, DAY, HOUR};
use crate::db::get_i64;
use crate::error::Refusal;
use crate::ledger::{self, EntryKind, Leg, NewEntry};
use crate::{Db, Error, Result};

/// The demand-deposit rate, which early withdrawal earns (0.15 %).
pub const DEMAND_RATE_BP: i64 = 15;

/// Interest in fen: principal × rate × days / 360, rounded half up to the fen.
pub fn interest(principal: i64, rate_bp: i64, days: i64) -> i64 {
    if principal <= 0 || rate_bp <= 0 || days <= 0 {
        return 0;
    }
    let numerator = i128::from(principal) * i128::from(rate_bp) * i128::from(days);
    let denominator: i128 = 360 * 10_000;
    ((numerator + denominator / 2) / denominator) as i64
}

/// `months` calendar months after an instant, in Beijing time, the day clamped to the month's
/// end (a deposit opened on 31 August for 6 months matures on 28 or 29 February).
pub fn add_months(at: Millis, months: u32) -> Millis {
    let local = at + 8 * HOUR;
    let day_index = local.div_euclid(DAY);
    let time_of_day = local.rem_euclid(DAY);
    let d = crate::identity::Date::from_days(day_index);
    let total = i64::from(d.year) * 12 + i64::from(d.month) - 1 + i64::from(months);
    let (year, month) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    let last = (28..=31)
        .rev()
        .find(|day| crate::identity::Date::new(year as i32, month as u32, *day).is_some())
        .unwrap_or(28);
    let day = i64::from(d.day.min(last));
    days_from_civil(year, month, day) * DAY + time_of_day - 8 * HOUR
}

/// Whole days between two instants (Beijing calendar days).
pub fn days_between(from: Millis, to: Millis) -> i64 {
    let day = |t: Millis| (t + 8 * HOUR).div_euclid(DAY);
    (day(to) - day(from)).max(0)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Open,
    Closed,
}

/// A deposit as the customer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deposit {
    pub id: String,
    pub product: String,
    pub principal: i64,
    pub rate_bp: i64,
    pub opened_at: Millis,
    pub matures_at: Millis,
    pub auto_renew: bool,
    pub renewals: i64,
    pub status: Status,
    pub closed_at: Option<Millis>,
    pub interest_paid: i64,
    pub source_account_id: String,
    /// The loan it is pledged for, if it is.
    pub pledged_to: Option<String>,
}

impl Deposit {
    /// What the term earns if held to maturity.
    pub fn interest_at_maturity(&self) -> i64 {
        interest(
            self.principal,
            self.rate_bp,
            days_between(self.opened_at, self.matures_at),
        )
    }
}

/// Opening a deposit, as the customer asks for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenRequest {
    pub customer_id: String,
    pub source_account_id: String,
    pub product: String,
    pub principal: i64,
    pub auto_renew: bool,
    pub idempotency_key: String,
}

const COLUMNS: &str =
    "id, product, principal, rate_bp, opened_at, matures_at, auto_renew, renewals, \
     status, closed_at, interest_paid, source_account_id, account_id, customer_id, pledged_to";

fn from_row(r: &AnyRow) -> Result<Deposit> {
    let status: String = r.try_get("status")?;
    Ok(Deposit {
        id: r.try_get("id")?,
        product: r.try_get("product")?,
        principal: get_i64(r, "principal")?,
        rate_bp: get_i64(r, "rate_bp")?,
        opened_at: get_i64(r, "opened_at")?,
        matures_at: get_i64(r, "matures_at")?,
        auto_renew: get_i64(r, "auto_renew")? == 1,
        renewals: get_i64(r, "renewals")?,
        status: if status == "open" {
            Status::Open
        } else {
            Status::Closed
        },
        closed_at: r.try_get::<Option<i64>, _>("closed_at")?,
        interest_paid: get_i64(r, "interest_paid")?,
        source_account_id: r.try_get("source_account_id")?,
        pledged_to: r.try_get::<Option<String>, _>("pledged_to")?,
    })
}

/// The deposit service.
#[derive(Clone, Copy)]
pub struct Deposits<'a> {
    pub db: &'a Db,
    pub clock: &'a dyn Clock,
}

impl Deposits<'_> {
    /// Opens a deposit: the principal moves from the demand account to the deposit's own
    /// account in one journal entry. The same idempotency key returns the first deposit.
    pub async fn open(&self, req: &OpenRequest) -> Result<Deposit> {
        let source = crate::account::Accounts {
            db: self.db,
            clock: self.clock,
        }
        .get_owned(&req.customer_id, &req.source_account_id)
        .await?;
        // The products and rates of the bank the money is at (the customer's home bank).
        let product = catalogue::offer(self.db, &source.bank_code, &req.product, self.clock.now())
            .await?
            .ok_or_else(|| {
                Error::invalid(crate::Input::Choice, format!("product {}", req.product))
            })?;
        if req.principal < product.min {
            return Err(Refusal::BelowMinimum { min: product.min }.into());
        }
        if req.principal > crate::money::MAX_INPUT_FEN {
            return Err(Error::invalid(
                crate::Input::Amount,
                "amount too large".into(),
            ));
        }
        if let Some(existing) = self.by_key(&req.customer_id, &req.idempotency_key).await? {
            return Ok(existing);
        }
        let now = self.clock.now();
        let day = self.clock.china_day();
        let id = crate::id::new_id();
        let account_id = crate::id::new_id();
        let matures_at = add_months(now, product.months);
        let result = crate::db::in_transaction(self.db, |conn| {
            let (id, account_id, source) = (id.clone(), account_id.clone(), source.clone());
            let (req, product) = (req.clone(), product.clone());
            Box::pin(async move {
                let inserted = sqlx::query(
                    "INSERT INTO time_deposits (id, customer_id, account_id, source_account_id, product, principal, \
                       rate_bp, opened_at, matures_at, auto_renew, status, idempotency_key) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', $11) \
                     ON CONFLICT (customer_id, idempotency_key) DO NOTHING",
                )
                .bind(&id)
                .bind(&req.customer_id)
                .bind(&account_id)
                .bind(&source.id)
                .bind(&product.code)
                .bind(req.principal)
                .bind(product.rate_bp)
                .bind(now)
                .bind(matures_at)
                .bind(i64::from(req.auto_renew))
                .bind(&req.idempotency_key)
                .execute(&mut *conn)
                .await?;
                if inserted.rows_affected() == 0 {
                    return Ok(false);
                }
                sqlx::query(
                    "INSERT INTO accounts (id, bank_code, customer_id, kind, label, balance, opened_at) \
                     VALUES ($1, $2, $3, 'time', $4, 0, $5)",
                )
                .bind(&account_id)
                .bind(&source.bank_code)
                .bind(&req.customer_id)
                .bind(&product.code)
                .bind(now)
                .execute(&mut *conn)
                .await?;
                let label = format!("定期存款 {}", product.code);
                ledger::post(
                    conn,
                    now,
                    day,
                    &NewEntry {
                        id: crate::id::new_id(),
                        kind: EntryKind::TimeDepositOpen,
                        memo: "存入定期".into(),
                        legs: vec![
                            Leg::debit(&source.id, req.principal, &label),
                            Leg::credit(&account_id, req.principal, &label),
                        ],
                    },
                )
                .await?;
                Ok(true)
            })
        })
        .await?;
        if !result {
            // Another request with this key won the race.
            return self
                .by_key(&req.customer_id, &req.idempotency_key)
                .await?
                .ok_or_else(|| Error::Internal("deposit key vanished".into()));
        }
        self.get(&req.customer_id, &id).await
    }

    async fn by_key(&self, customer_id: &str, key: &str) -> Result<Option<Deposit>> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM time_deposits WHERE customer_id = $1 AND idempotency_key = $2"
        ))
        .bind(customer_id)
        .bind(key)
        .fetch_optional(self.db.pool())
        .await?
        .map(|r| from_row(&r))
        .transpose()
    }

    /// One of the customer's deposits; another customer's is not found.
    pub async fn get(&self, customer_id: &str, id: &str) -> Result<Deposit> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM time_deposits WHERE id = $1 AND customer_id = $2"
        ))
        .bind(id)
        .bind(customer_id)
        .fetch_optional(self.db.pool())
        .await?
        .ok_or_else(|| Error::NotFound(format!("deposit {id}")))?;
        from_row(&row)
    }

    /// The customer's deposits, open ones first, newest first.
    pub async fn list(&self, customer_id: &str) -> Result<Vec<Deposit>> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM time_deposits WHERE customer_id = $1 \
             ORDER BY CASE WHEN status = 'open' THEN 0 ELSE 1 END, opened_at DESC"
        ))
        .bind(customer_id)
        .fetch_all(self.db.pool())
        .await?
        .iter()
        .map(from_row)
        .collect()
    }

    /// Withdraws a deposit before maturity: the demand rate for the days held, and everything
    /// back to the demand account it came from. A deposit that has matured but that the
    /// maturity worker has not reached yet pays the term's interest, as maturity would. When
    /// the worker renews it in the same instant, the renewed deposit is withdrawn; when the
    /// worker pays it out first, the customer is told it is already closed.
    pub async fn withdraw_early(&self, customer_id: &str, id: &str) -> Result<Deposit> {
        // A renewal between the read and the close changes the deposit once a term; a few
        // reads are always enough.
        for _ in 0..3 {
            let d = self.get(customer_id, id).await?;
            if d.status != Status::Open {
                return Err(Refusal::DepositClosed.into());
            }
            if d.pledged_to.is_some() {
                return Err(Refusal::DepositPledged.into());
            }
            let now = self.clock.now();
            let earned = if now >= d.matures_at {
                d.interest_at_maturity()
            } else {
                interest(d.principal, DEMAND_RATE_BP, days_between(d.opened_at, now))
            };
            if self.close(&d, now, earned, "提前支取").await? {
                return self.get(customer_id, id).await;
            }
        }
        Err(crate::Error::Contended(format!("time deposit {id}")))
    }

    /// Pays interest and pays out (or renews) one deposit, conditionally on it being unchanged
    /// since it was read, so two nodes never pay it twice.
    async fn close(&self, d: &Deposit, now: Millis, earned: i64, memo: &str) -> Result<bool> {
        let day = self.clock.china_day();
        let d = d.clone();
        let memo = memo.to_string();
        crate::db::in_transaction(self.db, |conn| {
            let (d, memo) = (d.clone(), memo.clone());
            Box::pin(async move {
                let row = sqlx::query(
                    "UPDATE time_deposits SET status = 'closed', closed_at = $1, interest_paid = interest_paid + $2 \
                     WHERE id = $3 AND status = 'open' AND matures_at = $4 AND pledged_to IS NULL \
                     RETURNING account_id, customer_id",
                )
                .bind(now)
                .bind(earned)
                .bind(&d.id)
                .bind(d.matures_at)
                .fetch_optional(&mut *conn)
                .await?;
                let Some(row) = row else {
                    return Ok(false);
                };
                let account: String = row.try_get("account_id")?;
                pay_interest(conn, now, day, &d, &account, earned).await?;
                ledger::post(
                    conn,
                    now,
                    day,
                    &NewEntry {
                        id: crate::id::new_id(),
                        kind: EntryKind::TimeDepositClose,
                        memo,
                        legs: vec![
                            Leg::debit(&account, d.principal + earned, "定期存款"),
                            Leg::credit(&d.source_account_id, d.principal + earned, "定期存款"),
                        ],
                    },
                )
                .await?;
                Ok(true)
            })
        })
        .await
    }

    /// Renews a matured deposit for the same term with the interest added to the principal,
    /// at the bank's rate for the product on the day it matures (a new term, a new rate).
    async fn renew(&self, d: &Deposit, earned: i64) -> Result<bool> {
        let now = d.matures_at;
        let day = self.clock.china_day();
        let months = catalogue::describe(self.db, &d.product)
            .await?
            .map_or(12, |(months, _, _)| months);
        let bank: String = sqlx::query_scalar("SELECT bank_code FROM accounts WHERE id = $1")
            .bind(&d.source_account_id)
            .fetch_one(self.db.pool())
            .await?;
        let rate_bp = catalogue::offer(self.db, &bank, &d.product, d.matures_at)
            .await?
            .map_or(d.rate_bp, |o| o.rate_bp);
        let next = add_months(d.matures_at, months);
        let d = d.clone();
        crate::db::in_transaction(self.db, |conn| {
            let d = d.clone();
            Box::pin(async move {
                let row = sqlx::query(
                    "UPDATE time_deposits SET principal = principal + $1, opened_at = matures_at, matures_at = $2, \
                       renewals = renewals + 1, interest_paid = interest_paid + $1, rate_bp = $5 \
                     WHERE id = $3 AND status = 'open' AND matures_at = $4 RETURNING account_id",
                )
                .bind(earned)
                .bind(next)
                .bind(&d.id)
                .bind(d.matures_at)
                .bind(rate_bp)
                .fetch_optional(&mut *conn)
                .await?;
                let Some(row) = row else {
                    return Ok(false);
                };
                let account: String = row.try_get("account_id")?;
                pay_interest(conn, now, day, &d, &account, earned).await?;
                if d.pledged_to.is_some() {
                    // The interest joins the pledge.
                    sqlx::query("UPDATE accounts SET frozen = balance WHERE id = $1")
                        .bind(&account)
                        .execute(&mut *conn)
                        .await?;
                }
                Ok(true)
            })
        })
        .await
    }

    /// Settles every deposit that has matured: renewed or paid out. Returns how many.
    pub async fn process_matured(&self, batch: i64) -> Result<usize> {
        let now = self.clock.now();
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM time_deposits WHERE status = 'open' AND matures_at <= $1 \
             ORDER BY matures_at LIMIT $2"
        ))
        .bind(now)
        .bind(batch)
        .fetch_all(self.db.pool())
        .await?;
        let mut done = 0;
        for r in rows {
            let d = from_row(&r)?;
            let earned = d.interest_at_maturity();
            // A pledged deposit is collateral until the loan is repaid: renewed, never paid out.
            let changed = if d.auto_renew || d.pledged_to.is_some() {
                self.renew(&d, earned).await?
            } else {
                self.close(&d, now, earned, "定期到期").await?
            };
            done += usize::from(changed);
        }
        Ok(done)
    }
}

async fn bank_of(conn: &mut AnyConnection, account_id: &str) -> Result<String> {
    Ok(sqlx::query("SELECT bank_code FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_one(&mut *conn)
        .await?
        .try_get("bank_code")?)
}

/// Interest from the bank's interest-expense account into the deposit's account.
async fn pay_interest(
    conn: &mut AnyConnection,
    now: Millis,
    day: i64,
    d: &Deposit,
    account: &str,
    earned: i64,
) -> Result<()> {
    if earned <= 0 {
        return Ok(());
    }
    let bank = bank_of(conn, account).await?;
    ledger::post(
        conn,
        now,
        day,
        &NewEntry {
            id: crate::id::new_id(),
            kind: EntryKind::Interest,
            memo: format!("定期利息 {}", d.product),
            legs: vec![
                Leg::debit(&Internal::InterestExpense.id(&bank), earned, "利息"),
                Leg::credit(account, earned, "利息"),
            ],
        },
    )
    .await?;
    Ok(())
}
