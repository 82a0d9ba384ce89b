//! Customer transfers: to the customer's own accounts, to any account of the province's 110
//! banks by card or registered mobile number (instant), and to other banks through the clearing
//! network (pending until the clearing worker settles it or the other bank returns it).
//!
//! Every call carries an idempotency key: the transfer row is unique per (customer, key) and is
//! inserted in the same transaction as the journal entry, so a double click, a retry or a
//! refresh finds the first transfer instead of posting a second one. A refused transfer rolls
//! the whole transaction back and leaves no trace.

mod payee;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::account::{card, AccountClass, Accounts, Internal};
use crate::clock::{Clock, Millis};
use crate::db::{get_i64, is_retryable};
use crate::error::Refusal;
use crate::identity::{Binding, Identity, Mobile, Otp, Purpose, RealName};
use crate::ledger::{self, EntryKind, Leg, NewEntry};
use crate::pii::{Field, KeyRing};
use crate::sms::SmsGateway;
use crate::{Db, Error, Result};

pub use payee::{Payee, Payees};

/// Transfers to someone else from this amount up need an SMS code bound to the amount and the
/// payee (step-up with dynamic linking); below it, the signed-in session is enough (小额免密).
pub const STEP_UP_FROM: i64 = 200_000;

/// How often a transaction is retried after a serialization failure or a busy database.
const MAX_ATTEMPTS: u32 = 20;

/// The longest memo a customer may write (characters).
pub const MEMO_MAX_CHARS: usize = 20;

/// Who receives the money, as the customer named them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PayeeRef {
    /// One of the customer's own accounts (by account id).
    OwnAccount(String),
    /// A card number: ours (instant) or another bank's (through clearing).
    Card(String),
    /// A mobile number registered with one of our banks: its owner's first account.
    Mobile(String),
    /// An entry of the customer's payee book (by payee id).
    Saved(String),
}

/// A transfer as the customer asks for it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferRequest {
    pub customer_id: String,
    pub from_account_id: String,
    pub payee: PayeeRef,
    /// The payee's name as typed: required for other banks (their clearing checks it).
    pub payee_name: Option<String>,
    pub amount: i64,
    pub memo: String,
    pub idempotency_key: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    Own,
    Intra,
    Interbank,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Own => "own",
            Kind::Intra => "intra",
            Kind::Interbank => "interbank",
        }
    }

    fn parse(s: &str) -> Result<Kind> {
        match s {
            "own" => Ok(Kind::Own),
            "intra" => Ok(Kind::Intra),
            "interbank" => Ok(Kind::Interbank),
            _ => Err(Error::Invalid(format!("transfer kind {s}"))),
        }
    }
}

/// Where a transfer stands. Instant transfers are `Posted` at once; interbank ones are
/// `Pending` until clearing answers `Settled` or `Returned` (money refunded).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Posted,
    Pending,
    Settled,
    Returned,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Posted => "posted",
            Status::Pending => "pending",
            Status::Settled => "settled",
            Status::Returned => "returned",
        }
    }

    fn parse(s: &str) -> Result<Status> {
        match s {
            "posted" => Ok(Status::Posted),
            "pending" => Ok(Status::Pending),
            "settled" => Ok(Status::Settled),
            "returned" => Ok(Status::Returned),
            _ => Err(Error::Invalid(format!("transfer status {s}"))),
        }
    }
}

/// The receiving side, resolved and masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedPayee {
    pub kind: Kind,
    pub card_no: String,
    pub to_account_id: Option<String>,
    pub name_masked: String,
    pub bank_name: String,
    /// Ⅱ类户 payees have a balance cap.
    pub balance_cap: Option<i64>,
    /// Other banks only: the name as typed, which clearing checks.
    #[serde(skip)]
    pub name_typed: Option<String>,
}

/// What the confirmation page shows before the customer confirms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub kind: Kind,
    pub from_account_id: String,
    pub from_card_no: String,
    pub from_available: i64,
    pub payee_card_masked: String,
    pub payee_name_masked: String,
    pub payee_bank_name: String,
    pub amount: i64,
    pub memo: String,
    /// An SMS code bound to this amount and payee is needed to send it.
    pub needs_step_up: bool,
}

/// A transfer as stored: the receipt's content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    pub id: String,
    pub kind: Kind,
    pub status: Status,
    pub status_reason: String,
    pub from_account_id: String,
    pub from_card_no: String,
    pub payee_card_masked: String,
    pub payee_name_masked: String,
    pub payee_bank_name: String,
    pub amount: i64,
    pub memo: String,
    pub entry_id: String,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// The transfer service over its dependencies.
#[derive(Clone, Copy)]
pub struct Transfers<'a> {
    pub db: &'a Db,
    pub clock: &'a dyn Clock,
    pub keys: &'a KeyRing,
}

impl<'a> Transfers<'a> {
    fn accounts(&self) -> Accounts<'a> {
        Accounts {
            db: self.db,
            clock: self.clock,
        }
    }

    fn identity(&self) -> Identity<'a> {
        Identity {
            db: self.db,
            clock: self.clock,
            keys: self.keys,
        }
    }

    fn otp(&self) -> Otp<'a> {
        Otp {
            db: self.db,
            clock: self.clock,
            keys: self.keys,
        }
    }

    pub fn payees(&self) -> Payees<'a> {
        Payees {
            db: self.db,
            clock: self.clock,
            keys: self.keys,
        }
    }

    /// Checks a request against every rule that can be known before posting (ownership, payee,
    /// limits, funds) and says what the confirmation page shows. Posting checks the balance and
    /// the daily limit again atomically; this is for a clear answer early.
    pub async fn quote(&self, req: &TransferRequest) -> Result<Quote> {
        let (quote, _) = self.plan(req).await?;
        Ok(quote)
    }

    async fn plan(&self, req: &TransferRequest) -> Result<(Quote, ResolvedPayee)> {
        let memo = req.memo.trim();
        if memo.chars().count() > MEMO_MAX_CHARS {
            return Err(Error::Invalid(format!(
                "memo longer than {MEMO_MAX_CHARS} characters"
            )));
        }
        if req.amount <= 0 || req.amount > crate::money::MAX_INPUT_FEN {
            return Err(Error::Invalid("amount must be positive".into()));
        }
        let from = self
            .accounts()
            .get_owned(&req.customer_id, &req.from_account_id)
            .await?;
        if from.status != "open" {
            return Err(Refusal::AccountNotUsable.into());
        }
        let payee = self.resolve(req).await?;
        if payee.to_account_id.as_deref() == Some(from.id.as_str()) {
            return Err(Refusal::SameAccount.into());
        }
        let limits = from.class.limits();
        if req.amount > limits.per_transfer {
            return Err(Refusal::OverPerTransferLimit {
                max: limits.per_transfer,
            }
            .into());
        }
        if req.amount > from.daily_remaining() {
            return Err(Refusal::OverDailyLimit {
                remaining: from.daily_remaining(),
            }
            .into());
        }
        if req.amount > from.available() {
            return Err(Refusal::InsufficientFunds {
                available: from.available().max(0),
            }
            .into());
        }
        let quote = Quote {
            kind: payee.kind,
            from_account_id: from.id.clone(),
            from_card_no: from.card_no.clone(),
            from_available: from.available(),
            payee_card_masked: card::mask(&payee.card_no),
            payee_name_masked: payee.name_masked.clone(),
            payee_bank_name: payee.bank_name.clone(),
            amount: req.amount,
            memo: if memo.is_empty() {
                "转账".into()
            } else {
                memo.into()
            },
            needs_step_up: payee.kind != Kind::Own && req.amount >= STEP_UP_FROM,
        };
        Ok((quote, payee))
    }

    async fn resolve(&self, req: &TransferRequest) -> Result<ResolvedPayee> {
        let intra =
            |account: crate::account::Account, name_masked: String, bank: String| ResolvedPayee {
                kind: if account.customer_id == req.customer_id {
                    Kind::Own
                } else {
                    Kind::Intra
                },
                card_no: account.card_no.clone(),
                to_account_id: Some(account.id.clone()),
                name_masked,
                bank_name: bank,
                balance_cap: account.class.limits().balance_cap,
                name_typed: None,
            };
        let card_no = match &req.payee {
            PayeeRef::OwnAccount(id) => {
                let account = self.accounts().get_owned(&req.customer_id, id).await?;
                let (name, bank) = self.owner_names(&account.customer_id).await?;
                return Ok(intra(account, name, bank));
            }
            PayeeRef::Mobile(m) => {
                let mobile = Mobile::parse(m)?;
                let owner = self
                    .identity()
                    .find_by_mobile(&mobile)
                    .await?
                    .ok_or(Refusal::PayeeNotFound)?;
                let account = self
                    .accounts()
                    .list(&owner)
                    .await?
                    .into_iter()
                    .next()
                    .ok_or(Refusal::PayeeNotFound)?;
                let (name, bank) = self.owner_names(&owner).await?;
                return Ok(intra(account, name, bank));
            }
            PayeeRef::Card(c) => card::parse(c)?,
            PayeeRef::Saved(id) => self.payees().card_of(&req.customer_id, id).await?,
        };
        if card::bank_of(&card_no).is_some() {
            let account = self
                .accounts()
                .by_card(&card_no)
                .await?
                .ok_or(Refusal::PayeeNotFound)?;
            let (name, bank) = self.owner_names(&account.customer_id).await?;
            return Ok(intra(account, name, bank));
        }
        let bank_name = crate::clearing::other_bank_name(&card_no)
            .ok_or_else(|| Error::Invalid("card of a bank we do not clear with".into()))?;
        let typed = match (&req.payee_name, &req.payee) {
            (Some(n), _) if !n.trim().is_empty() => RealName::parse(n)?,
            (_, PayeeRef::Saved(id)) => self.payees().name_of(&req.customer_id, id).await?,
            _ => return Err(Error::Invalid("the payee's name is needed".into())),
        };
        Ok(ResolvedPayee {
            kind: Kind::Interbank,
            card_no,
            to_account_id: None,
            name_masked: typed.masked(),
            bank_name: bank_name.into(),
            balance_cap: None,
            name_typed: Some(typed.as_str().to_string()),
        })
    }

    async fn owner_names(&self, customer_id: &str) -> Result<(String, String)> {
        let row = sqlx::query(
            "SELECT c.name_masked, i.short_name FROM customers c JOIN institutions i ON i.code = c.bank_code \
             WHERE c.id = $1",
        )
        .bind(customer_id)
        .fetch_optional(self.db.pool())
        .await?
        .ok_or_else(|| Error::NotFound(format!("customer {customer_id}")))?;
        Ok((row.try_get("name_masked")?, row.try_get("short_name")?))
    }

    /// The binding a step-up code for this transfer carries: customer, amount and payee card.
    fn binding(req: &TransferRequest, payee: &ResolvedPayee) -> Binding {
        Binding::to_operation(&req.customer_id, "transfer", req.amount, &payee.card_no)
    }

    /// Sends the step-up code for a transfer; the SMS names the amount and the masked payee.
    /// Returns whether a code was needed.
    pub async fn send_step_up(&self, sms: &dyn SmsGateway, req: &TransferRequest) -> Result<bool> {
        let (quote, payee) = self.plan(req).await?;
        if !quote.needs_step_up {
            return Ok(false);
        }
        let mobile = self.identity().mobile_of(&req.customer_id).await?;
        let amount = crate::money::format_yuan(req.amount);
        let to = format!(
            "{}（尾号{}）",
            payee.name_masked,
            card::tail(&payee.card_no)
        );
        self.otp()
            .issue(
                sms,
                &mobile,
                Purpose::StepUp,
                &Self::binding(req, &payee),
                |code| {
                    format!(
                        "【农商银行】您正向{to}转账{amount}，验证码{code}，5分钟内有效。请勿告诉任何人，银行工作人员不会索要。"
                    )
                },
            )
            .await?;
        Ok(true)
    }

    /// Posts a transfer, or returns the one already posted under the same idempotency key.
    /// `step_up_code` is the SMS code when [`Quote::needs_step_up`]; it must have been sent for
    /// exactly this amount and payee.
    pub async fn post(
        &self,
        req: &TransferRequest,
        step_up_code: Option<&str>,
    ) -> Result<Transfer> {
        let key = req.idempotency_key.trim();
        if key.is_empty() || key.len() > 100 {
            return Err(Error::Invalid("idempotency key missing or too long".into()));
        }
        if let Some(existing) = self.by_key(&req.customer_id, key).await? {
            return self.replay(req, existing);
        }
        let (quote, payee) = self.plan(req).await?;
        if quote.needs_step_up {
            let code = step_up_code
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .ok_or(Refusal::StepUpRequired)?;
            let mobile = self.identity().mobile_of(&req.customer_id).await?;
            self.otp()
                .verify(&mobile, Purpose::StepUp, &Self::binding(req, &payee), code)
                .await?;
        }
        let from = self
            .accounts()
            .get_owned(&req.customer_id, &req.from_account_id)
            .await?;
        let name_sealed = match &payee.name_typed {
            Some(n) => self.keys.seal(&req.customer_id, Field::Name, n)?,
            None => String::new(),
        };
        let plan = Plan {
            req,
            key,
            quote: &quote,
            payee: &payee,
            from_class: from.class,
            from_bank: &from.bank_code,
            from_counterparty: self
                .counterparty_of_customer(&req.customer_id, &from.card_no)
                .await?,
            name_sealed,
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.try_post(&plan).await {
                Ok(Some(t)) => return Ok(t),
                // Someone posted under this key between our check and our insert.
                Ok(None) => {
                    let existing = self
                        .by_key(&req.customer_id, key)
                        .await?
                        .ok_or_else(|| Error::Invalid("idempotency row vanished".into()))?;
                    return self.replay(req, existing);
                }
                Err(Error::Database(e)) if is_retryable(&e) && attempt < MAX_ATTEMPTS => {
                    backoff(attempt).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    async fn counterparty_of_customer(&self, customer_id: &str, card_no: &str) -> Result<String> {
        let (name, _) = self.owner_names(customer_id).await?;
        Ok(format!("{name} *{}", card::tail(card_no)))
    }

    /// One attempt in one transaction; `None` when the idempotency key was taken meanwhile.
    async fn try_post(&self, plan: &Plan<'_>) -> Result<Option<Transfer>> {
        let mut tx = self.db.pool().begin().await?;
        match self.post_in(&mut tx, plan).await {
            Ok(Some(t)) => {
                tx.commit().await?;
                Ok(Some(t))
            }
            Ok(None) => {
                tx.rollback().await?;
                Ok(None)
            }
            Err(e) => {
                // Dropping the transaction rolls it back; say so explicitly where we can.
                let _ = tx.rollback().await;
                Err(e)
            }
        }
    }

    async fn post_in(&self, conn: &mut AnyConnection, plan: &Plan<'_>) -> Result<Option<Transfer>> {
        let now = self.clock.now();
        let req = plan.req;
        let id = crate::id::new_id();
        let entry_id = crate::id::new_id();
        let status = match plan.payee.kind {
            Kind::Interbank => Status::Pending,
            _ => Status::Posted,
        };
        let inserted = sqlx::query(
            "INSERT INTO transfers (id, customer_id, idempotency_key, fingerprint, kind, from_account_id, \
               to_account_id, payee_card, payee_name_masked, payee_bank_name, payee_name_sealed, amount, memo, \
               status, entry_id, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16) \
             ON CONFLICT (customer_id, idempotency_key) DO NOTHING",
        )
        .bind(&id)
        .bind(&req.customer_id)
        .bind(plan.key)
        .bind(fingerprint(req))
        .bind(plan.payee.kind.as_str())
        .bind(&req.from_account_id)
        .bind(&plan.payee.to_account_id)
        .bind(&plan.payee.card_no)
        .bind(&plan.payee.name_masked)
        .bind(&plan.payee.bank_name)
        .bind(&plan.name_sealed)
        .bind(req.amount)
        .bind(&plan.quote.memo)
        .bind(status.as_str())
        .bind(&entry_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        if inserted.rows_affected() == 0 {
            return Ok(None);
        }
        let payee_side = format!(
            "{} *{}",
            plan.payee.name_masked,
            card::tail(&plan.payee.card_no)
        );
        let limits = plan.from_class.limits();
        let mut debit = Leg::debit(&req.from_account_id, req.amount, &payee_side);
        debit.daily_limit = Some(limits.daily_outflow);
        let credit = match &plan.payee.to_account_id {
            Some(to) => {
                let mut c = Leg::credit(to, req.amount, &plan.from_counterparty);
                c.balance_cap = plan.payee.balance_cap;
                c
            }
            // Other banks: the money waits on our bank's clearing account.
            None => Leg::credit(
                &Internal::Clearing.id(plan.from_bank),
                req.amount,
                &plan.from_counterparty,
            ),
        };
        ledger::post(
            conn,
            now,
            self.clock.china_day(),
            &NewEntry {
                id: entry_id.clone(),
                kind: EntryKind::Transfer,
                memo: plan.quote.memo.clone(),
                legs: vec![debit, credit],
            },
        )
        .await?;
        if plan.payee.kind != Kind::Own {
            payee::remember(conn, now, &req.customer_id, plan.payee, &plan.name_sealed).await?;
        }
        Ok(Some(Transfer {
            id,
            kind: plan.payee.kind,
            status,
            status_reason: String::new(),
            from_account_id: req.from_account_id.clone(),
            from_card_no: plan.quote.from_card_no.clone(),
            payee_card_masked: plan.quote.payee_card_masked.clone(),
            payee_name_masked: plan.payee.name_masked.clone(),
            payee_bank_name: plan.payee.bank_name.clone(),
            amount: req.amount,
            memo: plan.quote.memo.clone(),
            entry_id,
            created_at: now,
            updated_at: now,
        }))
    }

    /// The transfer already stored under a key: the same request gets it back; a different
    /// request under a used key is refused rather than silently answered with the old one.
    fn replay(&self, req: &TransferRequest, existing: (Transfer, String)) -> Result<Transfer> {
        let (transfer, stored_fingerprint) = existing;
        if stored_fingerprint != fingerprint(req) {
            return Err(Refusal::IdempotencyKeyReused.into());
        }
        Ok(transfer)
    }

    async fn by_key(&self, customer_id: &str, key: &str) -> Result<Option<(Transfer, String)>> {
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

    /// The customer's transfer whose journal entry is `entry_id` (receipt from a statement line).
    pub async fn by_entry(&self, customer_id: &str, entry_id: &str) -> Result<Option<Transfer>> {
        sqlx::query(&format!(
            "SELECT {TRANSFER_COLUMNS} FROM transfers t JOIN accounts a ON a.id = t.from_account_id \
             WHERE t.entry_id = $1 AND t.customer_id = $2"
        ))
        .bind(entry_id)
        .bind(customer_id)
        .fetch_optional(self.db.pool())
        .await?
        .map(|r| transfer_from_row(&r))
        .transpose()
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

/// Everything one posting attempt needs, computed once before the retry loop.
struct Plan<'p> {
    req: &'p TransferRequest,
    key: &'p str,
    quote: &'p Quote,
    payee: &'p ResolvedPayee,
    from_class: AccountClass,
    from_bank: &'p str,
    from_counterparty: String,
    name_sealed: String,
}

const TRANSFER_COLUMNS: &str = "t.id, t.kind, t.status, t.status_reason, t.from_account_id, a.card_no AS from_card_no, \
     t.payee_card, t.payee_name_masked, t.payee_bank_name, t.amount, t.memo, t.entry_id, t.created_at, t.updated_at";

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

/// What makes two requests "the same transfer": paying account, payee as named, amount. A
/// retry repeats the request as it was, so it has the same fingerprint.
fn fingerprint(req: &TransferRequest) -> String {
    let payee = match &req.payee {
        PayeeRef::OwnAccount(v) => format!("own:{v}"),
        PayeeRef::Card(v) => format!("card:{}", card::parse(v).unwrap_or_else(|_| v.clone())),
        PayeeRef::Mobile(v) => format!("mobile:{}", v.trim()),
        PayeeRef::Saved(v) => format!("saved:{v}"),
    };
    let mut h = Sha256::new();
    for part in [
        req.from_account_id.as_str(),
        &payee,
        &req.amount.to_string(),
    ] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Exponential backoff with jitter for retried transactions: 1, 2, 4 … ms up to 50 ms.
async fn backoff(attempt: u32) {
    let base = 1u64 << attempt.min(6);
    let mut b = [0u8; 1];
    let _ = getrandom::fill(&mut b);
    let ms = (base + u64::from(b[0]) % base.max(1)).min(50);
    tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
}

#[cfg(test)]
mod bank_test;
#[cfg(test)]
mod tests;
