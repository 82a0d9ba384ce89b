//! The double-entry journal. Every movement of money is one journal entry whose postings sum to
//! zero, written in one database transaction together with the balance changes.
//!
//! Overdraft protection without a read-then-write race: a batch reads its accounts (locking
//! them on PostgreSQL), decides in memory, and writes with a compare-and-set update that
//! changes nothing unless every balance is still the one it read (see [`Batch`]). The schema's
//! `CHECK (balance >= 0)` backs it up.

mod history;
mod read;
pub mod statement;

use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

use crate::clock::Millis;
use crate::db::Writer;
use crate::error::Refusal;
use crate::{Error, Result};

pub use history::{history, HistoryFilter, Movement, MovementPage, PAGE_SIZE};
pub(crate) use read::{ReadAccount, ReadAccounts};

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
    /// A bill paid to a biller (缴费).
    BillPayment,
    /// A bill payment the biller did not book, given back.
    BillRefund,
    /// A loan paid out, or a draw on a credit line.
    LoanDisbursement,
    /// A repayment of a loan: principal, interest and penalty interest.
    LoanRepayment,
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
            EntryKind::BillPayment => "bill_payment",
            EntryKind::BillRefund => "bill_refund",
            EntryKind::LoanDisbursement => "loan_disbursement",
            EntryKind::LoanRepayment => "loan_repayment",
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

/// A movement alert (动账通知) as the inbox reads it from a posting (`notify::inbox`); the UI
/// renders it in either language.
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
    let mut batch = Batch::load(conn, now, china_day, [entry]).await?;
    let posted = batch.apply(entry)?;
    batch.flush(conn).await?;
    Ok(posted)
}

/// What [`Batch::read`] selects: the ledger's state of each account and, for the caller's
/// view of customers' accounts, the columns `account::Account` is made of.
pub(crate) const BATCH_COLUMNS: &str = "a.id, a.kind, a.customer_id, a.bank_code, a.class, \
     a.card_no, a.label, a.balance, a.frozen, a.status, a.opened_at, a.out_day, a.out_today, \
     a.may_go_negative, c.name_masked, i.short_name, COALESCE(c.codefree_day, 0), \
     COALESCE(c.codefree_amount, 0), COALESCE(c.codefree_count, 0)";

/// The most ids and cards one [`Batch::read`] takes (within both engines' parameter limits).
const MAX_READ: usize = 16_384;

/// An account as a batch reads it, and what the batch has done to it so far.
#[derive(Clone, Debug)]
struct AccountState {
    balance: i64,
    frozen: i64,
    open: bool,
    may_go_negative: bool,
    out_day: i64,
    out_today: i64,
    /// Balance, out day, outflow that day, as read: what the final update changes. With
    /// `frozen` (which a batch never changes) the compare-and-set guard.
    read: (i64, i64, i64),
}

/// Several entries posted in one transaction, set-based: every account the entries touch is
/// read (and on PostgreSQL locked, in id order) with one statement, the entries are applied
/// in memory one after another (each sees the balances the ones before it left, and a refused
/// one leaves them as they were), and [`Batch::flush`] writes all balance changes with one
/// compare-and-set `UPDATE` and the records (entries, postings) with multi-row inserts.
/// A handful of statements per batch instead of several per entry is what makes group commit
/// cheap (see `transfer::Committer`). The group commit reads and writes the same through
/// its engine's own connection (`ReadAccounts`, `db::Writer`): on PostgreSQL with arrays
/// instead of lists of values, on SQLite through its handle, one prepared single-row
/// statement run per row (no round trips to make fewer of).
///
/// Overdraft protection: a debit is refused in memory when the account's balance less frozen
/// would go below zero; the update then writes only where the balance is still the one read,
/// so a change made meanwhile by anyone else makes the whole batch retry
/// ([`Error::Contended`]) instead of overwriting it. The schema's `CHECK (balance >= 0)`
/// backs both up.
pub struct Batch {
    now: Millis,
    china_day: i64,
    accounts: std::collections::HashMap<String, AccountState>,
    entries: Vec<(String, &'static str, String)>,
    postings: Vec<PostingRow>,
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
    /// Reads every account `entries` touch, locking them on PostgreSQL (in id order, so two
    /// batches over the same accounts queue instead of deadlocking). Must run before anything
    /// else in the transaction takes locks on those rows (foreign-key checks of inserts do).
    pub async fn load<'e>(
        conn: &mut AnyConnection,
        now: Millis,
        china_day: i64,
        entries: impl IntoIterator<Item = &'e NewEntry>,
    ) -> Result<Batch> {
        let ids: Vec<&str> = entries
            .into_iter()
            .flat_map(|e| e.legs.iter().map(|l| l.account_id.as_str()))
            .collect();
        Ok(Batch::read(conn, now, china_day, &ids, &[]).await?.0)
    }

    /// [`Batch::load`] for accounts named by id or by card number, before the entries exist
    /// (the group commit plans transfers to cards from what this reads). Also returns the
    /// accounts as read, for the caller's own view of them: one read serves both.
    pub(crate) async fn read(
        conn: &mut impl ReadAccounts,
        now: Millis,
        china_day: i64,
        ids: &[&str],
        cards: &[&str],
    ) -> Result<(Batch, Vec<ReadAccount>)> {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let mut cards = cards.to_vec();
        cards.sort_unstable();
        cards.dedup();
        if ids.len() + cards.len() > MAX_READ {
            return Err(Error::Internal(format!(
                "a batch may read at most {MAX_READ} accounts"
            )));
        }
        let read = conn.read_accounts(&ids, &cards).await?;
        let mut accounts = std::collections::HashMap::with_capacity(read.len());
        for a in &read {
            accounts.insert(
                a.id.clone(),
                AccountState {
                    balance: a.balance,
                    frozen: a.frozen,
                    open: a.status == "open",
                    may_go_negative: a.may_go_negative,
                    out_day: a.out_day,
                    out_today: a.out_today,
                    read: (a.balance, a.out_day, a.out_today),
                },
            );
        }
        Ok((Batch::new(now, china_day, accounts), read))
    }

    fn new(
        now: Millis,
        china_day: i64,
        accounts: std::collections::HashMap<String, AccountState>,
    ) -> Batch {
        Batch {
            now,
            china_day,
            accounts,
            entries: Vec::new(),
            postings: Vec::new(),
        }
    }

    /// Applies one entry's balance changes in memory, or refuses it and changes nothing.
    /// Every account of the entry must have been loaded.
    pub fn apply(&mut self, entry: &NewEntry) -> Result<Vec<Posted>> {
        let sum: i128 = entry.legs.iter().map(|l| i128::from(l.amount)).sum();
        if entry.legs.len() < 2 || sum != 0 || entry.legs.iter().any(|l| l.amount == 0) {
            // A programming error, never customer input: refuse loudly.
            return Err(Error::Internal(format!(
                "unbalanced journal entry {} ({} legs, sum {sum})",
                entry.id,
                entry.legs.len()
            )));
        }
        // Checked on copies first: a refused entry must leave every balance as it was.
        let mut after: Vec<(usize, AccountState)> = Vec::with_capacity(entry.legs.len());
        for (i, leg) in entry.legs.iter().enumerate() {
            let current = after
                .iter()
                .rev()
                .find(|(j, _)| entry.legs[*j].account_id == leg.account_id)
                .map(|(_, s)| s.clone());
            let state = match current {
                Some(s) => s,
                None => self
                    .accounts
                    .get(&leg.account_id)
                    .cloned()
                    .ok_or_else(|| Error::NotFound(format!("account {}", leg.account_id)))?,
            };
            after.push((i, apply_leg(state, leg, self.china_day)?));
        }
        let mut posted = Vec::with_capacity(after.len());
        for (i, state) in after {
            let leg = &entry.legs[i];
            self.postings.push(PostingRow {
                entry_id: entry.id.clone(),
                account_id: leg.account_id.clone(),
                amount: leg.amount,
                balance_after: state.balance,
                counterparty: leg.counterparty.clone(),
                memo: entry.memo.clone(),
            });
            posted.push(Posted {
                account_id: leg.account_id.clone(),
                amount: leg.amount,
                balance_after: state.balance,
            });
            self.accounts.insert(leg.account_id.clone(), state);
        }
        self.entries
            .push((entry.id.clone(), entry.kind.as_str(), entry.memo.clone()));
        Ok(posted)
    }

    /// Writes the balance changes (one compare-and-set update) and the journal entries,
    /// postings of every applied entry (the postings are the movement alerts, see
    /// `notify`).
    pub async fn flush(self, conn: &mut AnyConnection) -> Result<()> {
        self.write(conn).await
    }

    /// [`Batch::flush`] through either kind of [`Writer`].
    pub(crate) async fn write(self, conn: &mut impl Writer) -> Result<()> {
        use crate::db::Val;
        let now = self.now;
        let changed: Vec<Vec<Val>> = self
            .accounts
            .into_iter()
            .filter(|(_, a)| (a.balance, a.out_day, a.out_today) != a.read)
            .map(|(id, a)| {
                vec![
                    Val::Text(id),
                    Val::Int(a.read.0),
                    Val::Int(a.frozen),
                    Val::Int(a.read.1),
                    Val::Int(a.read.2),
                    Val::Int(a.balance),
                    Val::Int(a.out_day),
                    Val::Int(a.out_today),
                ]
            })
            .collect();
        let expected = changed.len() as u64;
        if expected > 0 {
            let written = conn
                .update_rows(
                    "accounts",
                    "id",
                    &["balance", "frozen", "out_day", "out_today"],
                    &["balance", "out_day", "out_today"],
                    changed,
                )
                .await?;
            if written != expected {
                // Someone changed one of these accounts after we read it (possible only where
                // the read took no lock): start the batch again from fresh balances.
                return Err(Error::Contended(format!(
                    "{} of {expected} accounts changed since read",
                    expected - written
                )));
            }
        }
        conn.insert_rows(
            "journal_entries (id, kind, memo, created_at)",
            self.entries
                .into_iter()
                .map(|(id, kind, memo)| {
                    vec![
                        Val::Text(id),
                        Val::Text(kind.into()),
                        Val::Text(memo),
                        Val::Int(now),
                    ]
                })
                .collect(),
            "",
        )
        .await?;
        conn.insert_rows(
            "postings (id, entry_id, account_id, amount, balance_after, counterparty, memo, created_at)",
            self.postings
                .into_iter()
                .map(|p| {
                    vec![
                        Val::Text(crate::id::new_id()),
                        Val::Text(p.entry_id),
                        Val::Text(p.account_id),
                        Val::Int(p.amount),
                        Val::Int(p.balance_after),
                        Val::Text(p.counterparty),
                        Val::Text(p.memo),
                        Val::Int(now),
                    ]
                })
                .collect(),
            "",
        )
        .await
    }
}

/// One leg against an account's state: the new state, or which rule refused it. The rules:
/// the account is open; a debit leaves balance less frozen at zero or more (unless the
/// account may go negative: the bank's internal accounts) and stays within the day's outflow
/// limit; a credit stays within the balance cap.
fn apply_leg(mut a: AccountState, leg: &Leg, china_day: i64) -> Result<AccountState> {
    if leg.amount > 0 {
        let cap = leg.balance_cap.unwrap_or(UNLIMITED);
        if !a.open || a.balance + leg.amount > cap {
            return Err(Refusal::PayeeCannotReceive.into());
        }
        a.balance += leg.amount;
        return Ok(a);
    }
    let amount = -leg.amount;
    if !a.open {
        return Err(Refusal::AccountNotUsable.into());
    }
    let out_today = if a.out_day == china_day {
        a.out_today
    } else {
        0
    };
    let limit = leg.daily_limit.unwrap_or(UNLIMITED);
    if out_today + amount > limit {
        return Err(Refusal::OverDailyLimit {
            remaining: (limit - out_today).max(0),
        }
        .into());
    }
    if !a.may_go_negative && a.balance - a.frozen < amount {
        return Err(Refusal::InsufficientFunds {
            available: (a.balance - a.frozen).clamp(0, amount - 1),
        }
        .into());
    }
    a.balance -= amount;
    a.out_today = out_today + amount;
    a.out_day = china_day;
    Ok(a)
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

/// Checks the books: every entry sums to zero, every balance equals the sum of its postings,
/// and every posting and transfer names an entry, account and customer that exist (what
/// foreign keys checked on every insert before migration 14; see there why they went).
/// Returns the problems found, none when the books are sound.
pub async fn check_books(db: &crate::Db) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for (what, sql) in [
        (
            "posting without its journal entry or account",
            "SELECT p.id FROM postings p LEFT JOIN journal_entries e ON e.id = p.entry_id \
             LEFT JOIN accounts a ON a.id = p.account_id WHERE e.id IS NULL OR a.id IS NULL",
        ),
        (
            "transfer without its customer or accounts",
            "SELECT t.id FROM transfers t LEFT JOIN customers c ON c.id = t.customer_id \
             LEFT JOIN accounts f ON f.id = t.from_account_id \
             LEFT JOIN accounts o ON o.id = t.to_account_id \
             WHERE c.id IS NULL OR f.id IS NULL OR (t.to_account_id IS NOT NULL AND o.id IS NULL)",
        ),
    ] {
        for row in sqlx::query(sql).fetch_all(db.pool()).await? {
            let id: String = row.try_get("id")?;
            problems.push(format!("{what}: {id}"));
        }
    }
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
