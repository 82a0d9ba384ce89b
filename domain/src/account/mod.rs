//! Accounts: customers' demand accounts (Ⅰ类户 / Ⅱ类户) with their card numbers and limits, and
//! each bank's internal accounts (clearing, interest, fees, funding), which are accounts too.

pub mod card;

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::clock::{Clock, Millis};
use crate::db::get_i64;
use crate::{Db, Error, Result};

/// Ⅰ类户 (full account, opened at a branch with the ID card) or Ⅱ类户 (opened remotely, with
/// capped balance and outflow). People's Bank of China, 银发〔2016〕302号 and 〔2018〕16号: a
/// Ⅱ类户's outflow is capped at ¥10,000 a day; we cap its balance at ¥200,000, the regulation's
/// yearly inflow ceiling, so a Ⅱ类户 can never hold more than a year's permitted inflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountClass {
    One,
    Two,
}

/// A class's limits in fen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    pub per_transfer: i64,
    pub daily_outflow: i64,
    /// `None`: no cap on the balance.
    pub balance_cap: Option<i64>,
}

impl AccountClass {
    pub fn as_i64(self) -> i64 {
        match self {
            AccountClass::One => 1,
            AccountClass::Two => 2,
        }
    }

    pub fn from_i64(n: i64) -> Option<Self> {
        match n {
            1 => Some(AccountClass::One),
            2 => Some(AccountClass::Two),
            _ => None,
        }
    }

    /// Mobile-banking limits: Ⅰ类户 ¥50,000 a transfer and ¥200,000 a day (the bank's default
    /// online limits); Ⅱ类户 ¥10,000 a transfer and a day, balance at most ¥200,000.
    pub fn limits(self) -> Limits {
        match self {
            AccountClass::One => Limits {
                per_transfer: 5_000_000,
                daily_outflow: 20_000_000,
                balance_cap: None,
            },
            AccountClass::Two => Limits {
                per_transfer: 1_000_000,
                daily_outflow: 1_000_000,
                balance_cap: Some(20_000_000),
            },
        }
    }
}

/// The banks' own accounts, one of each per bank.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Internal {
    /// Money on its way to or from other banks (跨行清算).
    Clearing,
    /// Interest paid to depositors.
    InterestExpense,
    /// Fees earned.
    FeeIncome,
    /// Cash and opening balances: the other side of money entering the bank.
    Funding,
    /// Bill payments on their way to billers (代收缴费).
    BillerSettlement,
    /// Interest and penalty interest earned on loans.
    LoanInterestIncome,
}

impl Internal {
    pub const ALL: [Internal; 6] = [
        Internal::Clearing,
        Internal::InterestExpense,
        Internal::FeeIncome,
        Internal::Funding,
        Internal::BillerSettlement,
        Internal::LoanInterestIncome,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Internal::Clearing => "clearing",
            Internal::InterestExpense => "interest_expense",
            Internal::FeeIncome => "fee_income",
            Internal::Funding => "funding",
            Internal::BillerSettlement => "biller_settlement",
            Internal::LoanInterestIncome => "loan_interest",
        }
    }

    /// The account id of this internal account at a bank: fixed, so every node finds it.
    pub fn id(self, bank_code: &str) -> String {
        format!("internal:{bank_code}:{}", self.as_str())
    }
}

/// A customer's account as the customer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: String,
    pub customer_id: String,
    pub bank_code: String,
    pub class: AccountClass,
    pub card_no: String,
    pub label: String,
    pub balance: i64,
    pub frozen: i64,
    pub status: String,
    pub opened_at: Millis,
    /// Already sent today (China day), for the daily limit.
    pub out_today: i64,
    /// The owner as statements and payers see them: 王** and 章丘农商银行.
    pub owner_name_masked: String,
    pub bank_name: String,
}

impl Account {
    /// What can be spent: the balance less frozen amounts.
    pub fn available(&self) -> i64 {
        self.balance - self.frozen
    }

    /// How much more may leave today under the class's daily limit.
    pub fn daily_remaining(&self) -> i64 {
        (self.class.limits().daily_outflow - self.out_today).max(0)
    }
}

/// Account columns with the owner's masked name and the bank's name, over [`FROM`].
const COLUMNS: &str =
    "a.id, a.customer_id, a.bank_code, a.class, a.card_no, a.label, a.balance, a.frozen, \
                       a.status, a.opened_at, a.out_day, a.out_today, c.name_masked, i.short_name";
const FROM: &str = "accounts a JOIN customers c ON c.id = a.customer_id \
                    JOIN institutions i ON i.code = a.bank_code";

/// An account from a row with [`COLUMNS`] (or the ledger's `BATCH_COLUMNS`, which has them).
pub(crate) fn from_row(row: &AnyRow, today: i64) -> Result<Account> {
    let class = get_i64(row, "class")?;
    let out_day = get_i64(row, "out_day")?;
    Ok(Account {
        id: row.try_get("id")?,
        customer_id: row.try_get("customer_id")?,
        bank_code: row.try_get("bank_code")?,
        class: AccountClass::from_i64(class)
            .ok_or_else(|| Error::Internal(format!("account class {class}")))?,
        card_no: row.try_get("card_no")?,
        label: row.try_get("label")?,
        balance: get_i64(row, "balance")?,
        frozen: get_i64(row, "frozen")?,
        status: row.try_get("status")?,
        opened_at: get_i64(row, "opened_at")?,
        out_today: if out_day == today {
            get_i64(row, "out_today")?
        } else {
            0
        },
        owner_name_masked: row.try_get("name_masked")?,
        bank_name: row.try_get("short_name")?,
    })
}

/// Account reads and account opening.
#[derive(Clone, Copy)]
pub struct Accounts<'a> {
    pub db: &'a Db,
    pub clock: &'a dyn Clock,
}

impl Accounts<'_> {
    /// Opens an empty demand account for a customer at the customer's bank. The portal offers
    /// only Ⅱ类户 online; a Ⅰ类户 needs a face-to-face ID check at a branch, which the demo
    /// data stands for.
    pub async fn open(
        &self,
        customer_id: &str,
        class: AccountClass,
        label: &str,
    ) -> Result<Account> {
        let bank: String = sqlx::query("SELECT bank_code FROM customers WHERE id = $1")
            .bind(customer_id)
            .fetch_optional(self.db.pool())
            .await?
            .ok_or_else(|| Error::NotFound(format!("customer {customer_id}")))?
            .try_get("bank_code")?;
        // Random card numbers: on the rare clash with an existing one, draw again.
        for _ in 0..5 {
            let id = crate::id::new_id();
            let card_no = card::generate(&bank)?;
            let inserted = sqlx::query(
                "INSERT INTO accounts (id, bank_code, customer_id, kind, class, card_no, label, balance, opened_at) \
                 VALUES ($1, $2, $3, 'demand', $4, $5, $6, 0, $7) ON CONFLICT (card_no) DO NOTHING",
            )
            .bind(&id)
            .bind(&bank)
            .bind(customer_id)
            .bind(class.as_i64())
            .bind(&card_no)
            .bind(label)
            .bind(self.clock.now())
            .execute(self.db.pool())
            .await?;
            if inserted.rows_affected() == 1 {
                return self.get_owned(customer_id, &id).await;
            }
        }
        Err(Error::Internal("could not draw a free card number".into()))
    }

    /// The customer's open demand accounts, oldest first (the first is the primary one).
    pub async fn list(&self, customer_id: &str) -> Result<Vec<Account>> {
        let today = self.clock.china_day();
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE a.customer_id = $1 AND a.kind = 'demand' AND a.status = 'open' \
             ORDER BY a.opened_at, a.id"
        ))
        .bind(customer_id)
        .fetch_all(self.db.pool())
        .await?
        .iter()
        .map(|r| from_row(r, today))
        .collect()
    }

    /// One of the customer's accounts; another customer's account is "not found", never shown.
    pub async fn get_owned(&self, customer_id: &str, account_id: &str) -> Result<Account> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE a.id = $1 AND a.customer_id = $2 AND a.kind = 'demand'"
        ))
        .bind(account_id)
        .bind(customer_id)
        .fetch_optional(self.db.pool())
        .await?
        .ok_or_else(|| Error::NotFound(format!("account {account_id}")))?;
        from_row(&row, self.clock.china_day())
    }

    /// The customer's account `account_id` and the open account with `card_no`, in one query
    /// (a transfer's two reads in one round trip).
    pub async fn owned_and_by_card(
        &self,
        customer_id: &str,
        account_id: &str,
        card_no: &str,
    ) -> Result<(Option<Account>, Option<Account>)> {
        let today = self.clock.china_day();
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE a.kind = 'demand' \
             AND ((a.id = $1 AND a.customer_id = $2) OR (a.card_no = $3 AND a.status = 'open'))"
        ))
        .bind(account_id)
        .bind(customer_id)
        .bind(card_no)
        .fetch_all(self.db.pool())
        .await?;
        let mut own = None;
        let mut by_card = None;
        for r in &rows {
            let a = from_row(r, today)?;
            if a.id == account_id && a.customer_id == customer_id {
                own = Some(a.clone());
            }
            if a.card_no == card_no && a.status == "open" {
                by_card = Some(a);
            }
        }
        Ok((own, by_card))
    }

    /// An open demand account in our network by card number.
    pub async fn by_card(&self, card_no: &str) -> Result<Option<Account>> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM {FROM} WHERE a.card_no = $1 AND a.kind = 'demand' AND a.status = 'open'"
        ))
        .bind(card_no)
        .fetch_optional(self.db.pool())
        .await?
        .map(|r| from_row(&r, self.clock.china_day()))
        .transpose()
    }
}

/// Creates every bank's internal accounts that are missing (idempotent; run at start).
pub async fn seed_internal(db: &Db, clock: &dyn Clock) -> Result<u64> {
    let banks = crate::institution::list_banks(db, None).await?;
    // Loans' receivable accounts are internal too, but they belong to a customer.
    let existing: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM accounts WHERE kind = 'internal' AND customer_id IS NULL",
    )
    .fetch_one(db.pool())
    .await?
    .try_get("n")?;
    if existing as usize == banks.len() * Internal::ALL.len() {
        return Ok(0);
    }
    let mut created = 0;
    for bank in &banks {
        for internal in Internal::ALL {
            created += sqlx::query(
                "INSERT INTO accounts (id, bank_code, kind, label, balance, may_go_negative, opened_at) \
                 VALUES ($1, $2, 'internal', $3, 0, 1, $4) ON CONFLICT (id) DO NOTHING",
            )
            .bind(internal.id(&bank.code))
            .bind(&bank.code)
            .bind(internal.as_str())
            .bind(clock.now())
            .execute(db.pool())
            .await?
            .rows_affected();
        }
    }
    Ok(created)
}
