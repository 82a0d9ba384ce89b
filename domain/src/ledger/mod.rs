//! The double-entry journal. Every movement of money is one journal entry whose postings sum to
//! zero, written in one database transaction together with the balance changes.
//!
//! Overdraft protection is a conditional update: the debit's `UPDATE … WHERE balance - frozen >=
//! amount` either changes the row or changes nothing, atomically, on SQLite and on PostgreSQL
//! (where a concurrent writer re-evaluates the condition after the row lock), so no
//! read-then-write race can take an account below zero. The schema's `CHECK (balance >= 0)`
//! backs it up.

mod history;
pub mod statement;

use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

use crate::clock::Millis;
use crate::error::Refusal;
use crate::{Error, Result};

pub use history::{history, HistoryFilter, Movement, MovementPage, PAGE_SIZE};

/// What kind of movement an entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EntryKind {
    Transfer,
    /// An interbank transfer the other bank sent back: the refund.
    TransferReturn,
    /// Money entering the bank (branch cash deposit, demo opening balance).
    Deposit,
    Interest,
    /// Money leaving the bank in cash (branch counter, ATM).
    Withdrawal,
    TimeDepositOpen,
    TimeDepositClose,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Transfer => "transfer",
            EntryKind::TransferReturn => "transfer_return",
            EntryKind::Deposit => "deposit",
            EntryKind::Withdrawal => "withdrawal",
            EntryKind::Interest => "interest",
            EntryKind::TimeDepositOpen => "time_deposit_open",
            EntryKind::TimeDepositClose => "time_deposit_close",
        }
    }
}

/// One side of an entry: money into (`amount > 0`) or out of (`amount < 0`) an account.
#[derive(Clone, Debug)]
pub struct Leg {
    pub account_id: String,
    pub amount: i64,
    /// The other side as the account's statement shows it (masked).
    pub counterparty: String,
    /// For debits: the most that may leave this account today, including this leg.
    pub daily_limit: Option<i64>,
    /// For credits: the most the account may hold afterwards.
    pub balance_cap: Option<i64>,
}

impl Leg {
    pub fn debit(account_id: &str, amount: i64, counterparty: &str) -> Leg {
        Leg {
            account_id: account_id.into(),
            amount: -amount,
            counterparty: counterparty.into(),
            daily_limit: None,
            balance_cap: None,
        }
    }

    pub fn credit(account_id: &str, amount: i64, counterparty: &str) -> Leg {
        Leg {
            account_id: account_id.into(),
            amount,
            counterparty: counterparty.into(),
            daily_limit: None,
            balance_cap: None,
        }
    }
}

/// A journal entry to post.
#[derive(Clone, Debug)]
pub struct NewEntry {
    pub id: String,
    pub kind: EntryKind,
    pub memo: String,
    pub legs: Vec<Leg>,
}

/// A leg as posted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Posted {
    pub account_id: String,
    pub amount: i64,
    pub balance_after: i64,
}

/// A movement alert (动账通知) as stored in the inbox; the UI renders it in either language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MovementAlert {
    pub card_tail: String,
    pub amount: i64,
    pub balance_after: i64,
    pub counterparty: String,
    pub memo: String,
    pub entry_id: String,
}

/// No limit, as a number: large enough never to bind, small enough that adding any amount a
/// customer may type stays far from `i64` overflow.
const UNLIMITED: i64 = 1_000_000_000_000_000;

/// Posts an entry on an open transaction (`conn` must be inside one: the caller commits, or
/// rolls back on any error, refusals included).
pub async fn post(
    conn: &mut AnyConnection,
    now: Millis,
    china_day: i64,
    entry: &NewEntry,
) -> Result<Vec<Posted>> {
    let mut batch = Batch::new(now, china_day);
    let posted = batch.apply(conn, entry).await?;
    batch.flush(conn).await?;
    Ok(posted)
}

/// Several entries posted in one transaction: the balance changes run entry by entry (each
/// debit conditional, so every entry sees the balances the ones before it left), and the rows
/// that only record (entries, postings, alerts) are written together at the end with
/// multi-row inserts. This is what makes group commit cheap (see `transfer::Committer`).
pub struct Batch {
    now: Millis,
    china_day: i64,
    entries: Vec<(String, &'static str, String)>,
    postings: Vec<PostingRow>,
    alerts: Vec<(String, String)>,
}

struct PostingRow {
    entry_id: String,
    account_id: String,
    amount: i64,
    balance_after: i64,
    counterparty: String,
    memo: String,
}

impl Batch {
    pub fn new(now: Millis, china_day: i64) -> Batch {
        Batch {
            now,
            china_day,
            entries: Vec::new(),
            postings: Vec::new(),
            alerts: Vec::new(),
        }
    }

    /// Applies one entry's balance changes. On a refusal the legs already applied are undone
    /// (inside the same transaction), so the batch goes on as if the entry never came.
    /// Legs run in account-id order, so two entries touching the same accounts lock them in the
    /// same order and cannot deadlock each other.
    pub async fn apply(
        &mut self,
        conn: &mut AnyConnection,
        entry: &NewEntry,
    ) -> Result<Vec<Posted>> {
        let sum: i128 = entry.legs.iter().map(|l| i128::from(l.amount)).sum();
        if entry.legs.len() < 2 || sum != 0 || entry.legs.iter().any(|l| l.amount == 0) {
            // A programming error, never customer input: refuse loudly.
            return Err(Error::Invalid(format!(
                "unbalanced journal entry {} ({} legs, sum {sum})",
                entry.id,
                entry.legs.len()
            )));
        }
        let mut order: Vec<&Leg> = entry.legs.iter().collect();
        order.sort_by(|a, b| a.account_id.cmp(&b.account_id));
        let mut posted: Vec<Posted> = Vec::with_capacity(order.len());
        let mut alerts = Vec::new();
        let mut rows = Vec::with_capacity(posted.capacity());
        for leg in order {
            let row = match apply_leg(conn, leg, self.china_day).await {
                Ok(Some(row)) => row,
                Ok(None) => {
                    let refusal = why_refused(conn, leg, self.china_day).await;
                    for done in &posted {
                        undo_leg(conn, done).await?;
                    }
                    return Err(refusal);
                }
                Err(e) => return Err(e),
            };
            let balance_after: i64 = row.try_get("balance")?;
            let customer: Option<String> = row.try_get("customer_id")?;
            let card: Option<String> = row.try_get("card_no")?;
            if let (Some(customer), Some(card)) = (customer, card) {
                let alert = MovementAlert {
                    card_tail: crate::account::card::tail(&card).to_string(),
                    amount: leg.amount,
                    balance_after,
                    counterparty: leg.counterparty.clone(),
                    memo: entry.memo.clone(),
                    entry_id: entry.id.clone(),
                };
                alerts.push((
                    customer,
                    serde_json::to_string(&alert).map_err(|e| Error::Invalid(e.to_string()))?,
                ));
            }
            rows.push(PostingRow {
                entry_id: entry.id.clone(),
                account_id: leg.account_id.clone(),
                amount: leg.amount,
                balance_after,
                counterparty: leg.counterparty.clone(),
                memo: entry.memo.clone(),
            });
            posted.push(Posted {
                account_id: leg.account_id.clone(),
                amount: leg.amount,
                balance_after,
            });
        }
        self.entries
            .push((entry.id.clone(), entry.kind.as_str(), entry.memo.clone()));
        // Recorded only now that every leg went through: a refused entry leaves nothing here.
        self.postings.extend(rows);
        self.alerts.extend(alerts);
        Ok(posted)
    }

    /// Writes the journal entries, postings and movement alerts of every applied entry.
    pub async fn flush(self, conn: &mut AnyConnection) -> Result<()> {
        use crate::db::{insert_rows, Val};
        let now = self.now;
        insert_rows(
            conn,
            "journal_entries (id, kind, memo, created_at)",
            self.entries
                .into_iter()
                .map(|(id, kind, memo)| {
                    vec![Val::S(id), Val::S(kind.into()), Val::S(memo), Val::I(now)]
                })
                .collect(),
        )
        .await?;
        insert_rows(
            conn,
            "postings (id, entry_id, account_id, amount, balance_after, counterparty, memo, created_at)",
            self.postings
                .into_iter()
                .map(|p| {
                    vec![
                        Val::S(crate::id::new_id()),
                        Val::S(p.entry_id),
                        Val::S(p.account_id),
                        Val::I(p.amount),
                        Val::I(p.balance_after),
                        Val::S(p.counterparty),
                        Val::S(p.memo),
                        Val::I(now),
                    ]
                })
                .collect(),
        )
        .await?;
        insert_rows(
            conn,
            "notifications (id, customer_id, kind, data, created_at)",
            self.alerts
                .into_iter()
                .map(|(customer, data)| {
                    vec![
                        Val::S(crate::id::new_id()),
                        Val::S(customer),
                        Val::S(crate::notify::Kind::Movement.as_str().into()),
                        Val::S(data),
                        Val::I(now),
                    ]
                })
                .collect(),
        )
        .await
    }
}

/// One conditional balance change; `None` when its condition refused it.
async fn apply_leg(
    conn: &mut AnyConnection,
    leg: &Leg,
    china_day: i64,
) -> Result<Option<sqlx::any::AnyRow>> {
    Ok(if leg.amount < 0 {
        sqlx::query(
            "UPDATE accounts SET balance = balance - $1, \
               out_today = CASE WHEN out_day = $3 THEN out_today + $1 ELSE $1 END, out_day = $3 \
             WHERE id = $2 AND status = 'open' \
               AND (may_go_negative = 1 OR balance - frozen >= $1) \
               AND (CASE WHEN out_day = $3 THEN out_today ELSE 0 END) + $1 <= $4 \
             RETURNING balance, customer_id, card_no",
        )
        .bind(-leg.amount)
        .bind(&leg.account_id)
        .bind(china_day)
        .bind(leg.daily_limit.unwrap_or(UNLIMITED))
        .fetch_optional(&mut *conn)
        .await?
    } else {
        sqlx::query(
            "UPDATE accounts SET balance = balance + $1 \
             WHERE id = $2 AND status = 'open' AND balance + $1 <= $3 \
             RETURNING balance, customer_id, card_no",
        )
        .bind(leg.amount)
        .bind(&leg.account_id)
        .bind(leg.balance_cap.unwrap_or(UNLIMITED))
        .fetch_optional(&mut *conn)
        .await?
    })
}

/// Reverses an applied leg of a refused entry (same transaction, nothing recorded yet).
async fn undo_leg(conn: &mut AnyConnection, done: &Posted) -> Result<()> {
    let sql = if done.amount < 0 {
        "UPDATE accounts SET balance = balance - $1, out_today = out_today + $1 WHERE id = $2"
    } else {
        "UPDATE accounts SET balance = balance - $1 WHERE id = $2"
    };
    sqlx::query(sql)
        .bind(done.amount)
        .bind(&done.account_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// After a conditional update changed nothing: which rule said no, read inside the same
/// transaction. A database error while finding out is returned as such.
async fn why_refused(conn: &mut AnyConnection, leg: &Leg, china_day: i64) -> Error {
    let row = sqlx::query(
        "SELECT balance, frozen, status, out_day, out_today FROM accounts WHERE id = $1",
    )
    .bind(&leg.account_id)
    .fetch_optional(&mut *conn)
    .await;
    let row = match row {
        Ok(Some(r)) => r,
        Ok(None) => return Error::NotFound(format!("account {}", leg.account_id)),
        Err(e) => return e.into(),
    };
    let read = |col: &str| row.try_get::<i64, _>(col).unwrap_or_default();
    let status: String = row.try_get("status").unwrap_or_default();
    if leg.amount > 0 {
        return Refusal::PayeeCannotReceive.into();
    }
    if status != "open" {
        return Refusal::AccountNotUsable.into();
    }
    // The daily outflow only grows during a day, so a limit that is not exceeded now was not
    // exceeded when the update ran. The balance can have grown since (a concurrent credit on
    // PostgreSQL's read-committed snapshot), so insufficient funds is the remaining answer.
    let out_today = if read("out_day") == china_day {
        read("out_today")
    } else {
        0
    };
    let limit = leg.daily_limit.unwrap_or(UNLIMITED);
    if out_today - leg.amount > limit {
        return Refusal::OverDailyLimit {
            remaining: (limit - out_today).max(0),
        }
        .into();
    }
    Refusal::InsufficientFunds {
        available: (read("balance") - read("frozen")).clamp(0, -leg.amount - 1),
    }
    .into()
}

/// Cash in at a branch (or a demo opening balance): the bank's funding account → the account.
/// Returns the journal entry id.
pub async fn deposit(
    db: &crate::Db,
    clock: &dyn crate::clock::Clock,
    account_id: &str,
    amount: i64,
    counterparty: &str,
    memo: &str,
) -> Result<String> {
    cash(
        db,
        clock,
        account_id,
        amount,
        counterparty,
        memo,
        EntryKind::Deposit,
    )
    .await
}

/// Cash out at a branch or ATM: the account → the bank's funding account.
pub async fn withdraw(
    db: &crate::Db,
    clock: &dyn crate::clock::Clock,
    account_id: &str,
    amount: i64,
    counterparty: &str,
    memo: &str,
) -> Result<String> {
    cash(
        db,
        clock,
        account_id,
        amount,
        counterparty,
        memo,
        EntryKind::Withdrawal,
    )
    .await
}

async fn cash(
    db: &crate::Db,
    clock: &dyn crate::clock::Clock,
    account_id: &str,
    amount: i64,
    counterparty: &str,
    memo: &str,
    kind: EntryKind,
) -> Result<String> {
    let bank: String = sqlx::query("SELECT bank_code FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_optional(db.pool())
        .await?
        .ok_or_else(|| Error::NotFound(format!("account {account_id}")))?
        .try_get("bank_code")?;
    let funding = crate::account::Internal::Funding.id(&bank);
    let (from, to) = match kind {
        EntryKind::Withdrawal => (account_id, funding.as_str()),
        _ => (funding.as_str(), account_id),
    };
    let id = crate::id::new_id();
    let entry = NewEntry {
        id: id.clone(),
        kind,
        memo: memo.into(),
        legs: vec![
            Leg::debit(from, amount, counterparty),
            Leg::credit(to, amount, counterparty),
        ],
    };
    let (now, day) = (clock.now(), clock.china_day());
    crate::db::in_transaction(db, |conn| {
        let entry = entry.clone();
        Box::pin(async move { post(conn, now, day, &entry).await.map(|_| ()) })
    })
    .await?;
    Ok(id)
}

/// Sum of all balances, which double entry keeps at zero (internal accounts mirror customers'
/// money with negative balances), and the sum of customers' balances.
pub async fn totals(db: &crate::Db) -> Result<(i64, i64)> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(balance), 0) AS BIGINT) AS all_accounts, \
         CAST(COALESCE(SUM(CASE WHEN kind <> 'internal' THEN balance ELSE 0 END), 0) AS BIGINT) \
         AS customers FROM accounts",
    )
    .fetch_one(db.pool())
    .await?;
    Ok((
        crate::db::get_i64(&row, "all_accounts")?,
        crate::db::get_i64(&row, "customers")?,
    ))
}

/// Checks the books: every entry sums to zero and every balance equals the sum of its postings.
/// Returns the problems found, none when the books are sound.
pub async fn check_books(db: &crate::Db) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for row in sqlx::query(
        "SELECT entry_id, CAST(SUM(amount) AS BIGINT) AS s FROM postings GROUP BY entry_id \
         HAVING SUM(amount) <> 0",
    )
    .fetch_all(db.pool())
    .await?
    {
        let id: String = row.try_get("entry_id")?;
        problems.push(format!(
            "entry {id} sums to {}",
            crate::db::get_i64(&row, "s")?
        ));
    }
    for row in sqlx::query(
        "SELECT a.id, a.balance, CAST(COALESCE(SUM(p.amount), 0) AS BIGINT) AS s FROM accounts a \
         LEFT JOIN postings p ON p.account_id = a.id GROUP BY a.id, a.balance \
         HAVING a.balance <> COALESCE(SUM(p.amount), 0)",
    )
    .fetch_all(db.pool())
    .await?
    {
        let id: String = row.try_get("id")?;
        problems.push(format!(
            "account {id} balance {} but postings sum to {}",
            crate::db::get_i64(&row, "balance")?,
            crate::db::get_i64(&row, "s")?
        ));
    }
    Ok(problems)
}
