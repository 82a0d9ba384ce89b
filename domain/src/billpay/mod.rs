//! 生活缴费: paying bills through the ledger. A payment is two steps that must not come apart:
//! our debit and the biller's confirmation. The debit (customer → the bank's biller settlement
//! account) and a `pending` payment row are written in one transaction; then the biller is
//! asked. Its receipt number makes the payment `paid`; a refusal or a failure makes it
//! `refunded` with a second entry that gives the money back. A payment left `pending` by a
//! crash or a lost answer is settled later by [`Payments::resolve_pending`] (the worker), which
//! asks the biller what happened to that reference. Every step is conditional on the row's
//! status, so two nodes cannot both refund, nor refund what was paid.

pub mod autopay;
pub mod households;
mod kinds;
pub mod reminders;
mod simulator;

pub use households::{Household, Households};
pub use kinds::{
    biller, billers, billers_for, normalise_number, Biller, Kind, Number, Rule, CITIES,
    MAX_PAYMENT, MIN_PARTIAL, PENSION_GRADES,
};
pub use simulator::BillerSimulator;

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::account::{Accounts, Internal};
use crate::clock::{Clock, Millis};
use crate::error::Refusal;
use crate::identity::{Binding, Purpose};
use crate::ledger::{self, EntryKind, Leg, NewEntry};
use crate::pii::KeyRing;
use crate::sms::{BoxFuture, SmsGateway};
use crate::transfer::{
    code_free_use, step_up_reason, CodeFreePolicy, CodeFreeUse, Spend, StepUpReason,
};
use crate::{Db, Error, Result};

/// Spends a payment's share of the customer's allowance without a code inside its
/// transaction: read, checked, and written only where it is still what was read (a
/// transfer batch or another payment meanwhile makes the transaction retry).
async fn spend_code_free(
    conn: &mut sqlx::AnyConnection,
    customer_id: &str,
    spend: Spend,
    policy: CodeFreePolicy,
    day: i64,
) -> Result<()> {
    let row = sqlx::query(
        "SELECT codefree_day, codefree_amount, codefree_count FROM customers WHERE id = $1",
    )
    .bind(customer_id)
    .fetch_one(&mut *conn)
    .await?;
    let read = CodeFreeUse {
        day: crate::db::get_i64(&row, "codefree_day")?,
        amount: crate::db::get_i64(&row, "codefree_amount")?,
        count: crate::db::get_i64(&row, "codefree_count")?,
    };
    let now = spend
        .apply(read, policy, day)
        .ok_or(Refusal::StepUpRequired)?;
    if now == read {
        return Ok(());
    }
    let changed = sqlx::query(
        "UPDATE customers SET codefree_day = $1, codefree_amount = $2, codefree_count = $3 \
         WHERE id = $4 AND codefree_day = $5 AND codefree_amount = $6 AND codefree_count = $7",
    )
    .bind(now.day)
    .bind(now.amount)
    .bind(now.count)
    .bind(customer_id)
    .bind(read.day)
    .bind(read.amount)
    .bind(read.count)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed == 1 {
        Ok(())
    } else {
        Err(Error::Contended("a customer's code-free allowance".into()))
    }
}

/// What a biller says is owed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bill {
    pub biller_id: String,
    pub household: String,
    /// The account holder as the biller has it, masked (张*).
    pub holder_masked: String,
    /// The address or plan, masked where personal (历下区**小区3号楼).
    pub detail: String,
    /// Owed now (fen); 0 when nothing is due. Top-ups have no bill: 0.
    pub due: i64,
    /// The billing period (2026年10月), or empty for top-ups.
    pub period: String,
}

/// A biller's answer to a payment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BillerAnswer {
    /// Booked; the biller's receipt number.
    Paid { receipt: String },
    /// Refused or failed; nothing was booked (the reason is for the customer).
    Refused { reason: String },
    /// No answer (timeout, connection lost): the outcome is unknown until asked again.
    Unknown,
}

/// What a biller knows about one of our references.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BillerStatus {
    Paid { receipt: String },
    NotReceived,
}

/// A biller's system (or the simulator standing in for all of them).
pub trait BillerGateway: Send + Sync + std::fmt::Debug {
    /// The bill for a household number; `Ok(None)` when the biller has no such number.
    fn lookup<'a>(
        &'a self,
        biller: &'a Biller,
        household: &'a str,
    ) -> BoxFuture<'a, Result<Option<Bill>>>;

    /// Pays `amount` against the number; `reference` is our payment id (the biller keeps it,
    /// so a repeated call with the same reference books once).
    fn pay<'a>(
        &'a self,
        biller: &'a Biller,
        household: &'a str,
        amount: i64,
        reference: &'a str,
    ) -> BoxFuture<'a, Result<BillerAnswer>>;

    /// What happened to a reference (after a lost answer).
    fn status<'a>(
        &'a self,
        biller: &'a Biller,
        reference: &'a str,
    ) -> BoxFuture<'a, Result<BillerStatus>>;

    /// True for simulators: pages and logs say so.
    fn is_simulator(&self) -> bool;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// Debited; the biller has not confirmed yet.
    Pending,
    Paid,
    /// The biller refused or failed after the debit; the money came back.
    Refunded,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Paid => "paid",
            Status::Refunded => "refunded",
        }
    }

    fn parse(s: &str) -> Result<Status> {
        match s {
            "pending" => Ok(Status::Pending),
            "paid" => Ok(Status::Paid),
            "refunded" => Ok(Status::Refunded),
            other => Err(Error::Internal(format!("bill payment status {other:?}"))),
        }
    }
}

/// A payment as the customer sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    pub id: String,
    pub customer_id: String,
    pub from_account_id: String,
    pub biller_id: String,
    pub kind: Kind,
    pub household: String,
    pub amount: i64,
    pub period: String,
    pub status: Status,
    pub biller_receipt: Option<String>,
    pub reason: String,
    pub entry_id: String,
    pub refund_entry_id: Option<String>,
    pub created_at: Millis,
    pub updated_at: Millis,
}

/// What a customer asks to pay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayRequest {
    pub customer_id: String,
    pub from_account_id: String,
    pub biller_id: String,
    pub household: String,
    pub amount: i64,
    /// One per payment the customer means to make (a double click or a retry reuses it).
    pub idempotency_key: String,
    /// The SMS code sent by [`Payments::send_step_up`], when the payment needs one (see
    /// [`Payments::pay`]).
    pub step_up_code: Option<String>,
}

const COLUMNS: &str =
    "id, customer_id, from_account_id, biller_id, kind, household, amount, period, \
     status, biller_receipt, reason, entry_id, refund_entry_id, created_at, updated_at";

fn from_row(r: &AnyRow) -> Result<Payment> {
    let kind: String = r.try_get("kind")?;
    Ok(Payment {
        id: r.try_get("id")?,
        customer_id: r.try_get("customer_id")?,
        from_account_id: r.try_get("from_account_id")?,
        biller_id: r.try_get("biller_id")?,
        kind: Kind::from_slug(&kind)
            .ok_or_else(|| Error::invalid(crate::Input::Choice, format!("bill kind {kind:?}")))?,
        household: r.try_get("household")?,
        amount: r.try_get("amount")?,
        period: r.try_get("period")?,
        status: Status::parse(&r.try_get::<String, _>("status")?)?,
        biller_receipt: r.try_get("biller_receipt")?,
        reason: r.try_get("reason")?,
        entry_id: r.try_get("entry_id")?,
        refund_entry_id: r.try_get("refund_entry_id")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// Checks an amount against a kind's rule and the bill.
pub fn check_amount(kind: Kind, bill: &Bill, amount: i64) -> Result<()> {
    match kind.rule() {
        Rule::Exact => {
            if bill.due == 0 {
                return Err(Refusal::NothingDue.into());
            }
            if amount != bill.due {
                return Err(Refusal::BillAmountFixed { due: bill.due }.into());
            }
        }
        Rule::Partial => {
            if !(MIN_PARTIAL..=MAX_PAYMENT).contains(&amount) {
                return Err(Refusal::BillAmountOutOfRange {
                    min: MIN_PARTIAL,
                    max: MAX_PAYMENT,
                }
                .into());
            }
        }
        Rule::Denominations(allowed) => {
            if !allowed.contains(&amount) {
                return Err(Refusal::NotADenomination.into());
            }
        }
        Rule::Grades(allowed) => {
            if bill.due == 0 {
                return Err(Refusal::NothingDue.into());
            }
            if !allowed.contains(&amount) {
                return Err(Refusal::NotADenomination.into());
            }
        }
    }
    Ok(())
}

/// The bill payment service over its dependencies.
#[derive(Clone, Copy)]
pub struct Payments<'a> {
    pub db: &'a Db,
    pub clock: &'a dyn Clock,
    pub gateway: &'a dyn BillerGateway,
    /// For the step-up codes.
    pub keys: &'a KeyRing,
    /// How much may be paid to others without a code: bills count like transfers.
    pub code_free: CodeFreePolicy,
}

/// How a payment was authorised, and what it does to the allowance of payments without a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Authorised {
    /// By the signed-in customer: without a code (within the allowance) or with one.
    Customer(Spend),
    /// By the automatic payment the customer set up with a step-up: the allowance is not
    /// touched.
    Mandate,
}

impl<'a> Payments<'a> {
    fn biller(id: &str) -> Result<Biller> {
        biller(id).ok_or_else(|| Error::NotFound(format!("biller {id}")))
    }

    /// The bill for a number at a biller; a malformed number or one the biller does not know
    /// is refused with what to check.
    pub async fn lookup(&self, biller_id: &str, household: &str) -> Result<Bill> {
        let biller = Self::biller(biller_id)?;
        let number = normalise_number(biller.kind, household).ok_or(Refusal::BadBillNumber)?;
        self.gateway
            .lookup(&biller, &number)
            .await?
            .ok_or_else(|| Refusal::BillNotFound.into())
    }

    /// One of the customer's payments.
    pub async fn get(&self, customer_id: &str, id: &str) -> Result<Payment> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM bill_payments WHERE id = $1 AND customer_id = $2"
        ))
        .bind(id)
        .bind(customer_id)
        .fetch_optional(self.db.pool())
        .await?
        .ok_or_else(|| Error::NotFound(format!("bill payment {id}")))?;
        from_row(&row)
    }

    /// The customer's payments, newest first, optionally of one kind.
    pub async fn list(&self, customer_id: &str, kind: Option<Kind>) -> Result<Vec<Payment>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM bill_payments WHERE customer_id = $1 AND ($2 = '' OR kind = $2) \
             ORDER BY created_at DESC, id DESC LIMIT 100"
        ))
        .bind(customer_id)
        .bind(kind.map(Kind::slug).unwrap_or(""))
        .fetch_all(self.db.pool())
        .await?;
        rows.iter().map(from_row).collect()
    }

    async fn by_key(&self, customer_id: &str, key: &str) -> Result<Option<Payment>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM bill_payments WHERE customer_id = $1 AND idempotency_key = $2"
        ))
        .bind(customer_id)
        .bind(key)
        .fetch_optional(self.db.pool())
        .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Pays a bill: debit and pending row together, then the biller, then paid or refunded.
    /// The same idempotency key answers with the first payment, whatever state it reached.
    /// Pays a bill for the signed-in customer. Bills fall under the same rules as transfers:
    /// from [`crate::transfer::STEP_UP_FROM`], or once the day's allowance without a code is spent, the
    /// payment needs the SMS code [`Payments::send_step_up`] sent, bound to biller, number
    /// and amount; the allowance is spent in the payment's own transaction.
    pub async fn pay(&self, req: &PayRequest) -> Result<Payment> {
        self.pay_as(req, None).await
    }

    /// Pays a bill under the customer's automatic payment (the worker).
    pub async fn pay_by_mandate(&self, req: &PayRequest) -> Result<Payment> {
        self.pay_as(req, Some(Authorised::Mandate)).await
    }

    /// The binding of a bill's step-up code: customer, amount, biller and number.
    fn binding(req: &PayRequest, household: &str) -> Binding {
        Binding::to_operation(
            &req.customer_id,
            "bill",
            req.amount,
            &format!("{}:{household}", req.biller_id),
        )
    }

    /// Why this payment needs a step-up now, if it does.
    pub async fn step_up_reason(&self, req: &PayRequest) -> Result<Option<StepUpReason>> {
        let used = code_free_use(self.db, &req.customer_id).await?;
        Ok(step_up_reason(
            req.amount,
            true,
            used,
            self.code_free,
            self.clock.china_day(),
        ))
    }

    /// Sends the step-up code for a payment; the SMS names the biller, the number's tail and
    /// the amount.
    pub async fn send_step_up(&self, sms: &dyn SmsGateway, req: &PayRequest) -> Result<()> {
        let biller = Self::biller(&req.biller_id)?;
        let household =
            normalise_number(biller.kind, &req.household).ok_or(Refusal::BadBillNumber)?;
        let identity = crate::identity::Identity {
            db: self.db,
            clock: self.clock,
            keys: self.keys,
        };
        let mobile = identity.mobile_of(&req.customer_id).await?;
        let amount = crate::money::format_yuan(req.amount);
        let what = format!(
            "{}{}（尾号{}）",
            biller.name,
            biller.kind.name_zh(),
            household_tail(&household)
        );
        crate::identity::Otp {
            db: self.db,
            clock: self.clock,
            keys: self.keys,
        }
        .issue(sms, &mobile, Purpose::StepUp, &Self::binding(req, &household), |code| {
            format!("【农商银行】您正在缴纳{what}{amount}，验证码 {code}，5 分钟内有效。请勿告诉任何人，银行工作人员不会索要。")
        })
        .await
    }

    async fn pay_as(&self, req: &PayRequest, mandate: Option<Authorised>) -> Result<Payment> {
        let key = req.idempotency_key.trim();
        if key.is_empty() || key.len() > 100 {
            return Err(Error::invalid(
                crate::Input::Request,
                "idempotency key missing or too long".into(),
            ));
        }
        if let Some(existing) = self.by_key(&req.customer_id, key).await? {
            return self.same_request(req, existing);
        }
        let biller = Self::biller(&req.biller_id)?;
        let household =
            normalise_number(biller.kind, &req.household).ok_or(Refusal::BadBillNumber)?;
        // The paying account is the caller's, or nothing else is looked at.
        let from = Accounts {
            db: self.db,
            clock: self.clock,
        }
        .get_owned(&req.customer_id, &req.from_account_id)
        .await?;
        let bill = self
            .gateway
            .lookup(&biller, &household)
            .await?
            .ok_or(Refusal::BillNotFound)?;
        check_amount(biller.kind, &bill, req.amount)?;
        if from.status != "open" {
            return Err(Refusal::AccountNotUsable.into());
        }
        // Said before any code is asked for (posting checks it again, atomically).
        if mandate.is_none() && req.amount > from.available() {
            return Err(Refusal::InsufficientFunds {
                available: from.available().max(0),
            }
            .into());
        }
        let authorised = match mandate {
            Some(m) => m,
            None => Authorised::Customer(self.confirm(req, &household).await?),
        };
        let now = self.clock.now();
        let day = self.clock.china_day();
        let id = crate::id::new_id();
        let entry_id = crate::id::new_id();
        let counterparty = format!("{} {}", biller.name, biller.kind.name_zh());
        let memo = format!("{} {}", biller.kind.name_zh(), household_tail(&household));
        let mut debit = Leg::debit(&from.id, req.amount, &counterparty);
        debit.daily_limit = Some(from.class.limits().daily_outflow);
        let entry = NewEntry {
            id: entry_id.clone(),
            kind: EntryKind::BillPayment,
            memo,
            legs: vec![
                debit,
                Leg::credit(
                    &Internal::BillerSettlement.id(&from.bank_code),
                    req.amount,
                    &counterparty,
                ),
            ],
        };
        let inserted = crate::db::in_transaction(self.db, |conn| {
            let (id, entry, household, bill) =
                (id.clone(), entry.clone(), household.clone(), bill.clone());
            let (req, key, kind) = (req.clone(), key.to_string(), biller.kind);
            let code_free = self.code_free;
            Box::pin(async move {
                let row = sqlx::query(
                    "INSERT INTO bill_payments (id, customer_id, from_account_id, biller_id, kind, household, amount, \
                       period, status, entry_id, idempotency_key, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9, $10, $11, $11) \
                     ON CONFLICT (customer_id, idempotency_key) DO NOTHING",
                )
                .bind(&id)
                .bind(&req.customer_id)
                .bind(&req.from_account_id)
                .bind(&req.biller_id)
                .bind(kind.slug())
                .bind(&household)
                .bind(req.amount)
                .bind(&bill.period)
                .bind(&entry.id)
                .bind(&key)
                .bind(now)
                .execute(&mut *conn)
                .await?;
                if row.rows_affected() == 0 {
                    return Ok(false);
                }
                // The accounts first (locked on PostgreSQL), then the customer's allowance: the
                // transfer group commit takes them in the same order.
                ledger::post(conn, now, day, &entry).await?;
                if let Authorised::Customer(spend) = authorised {
                    spend_code_free(conn, &req.customer_id, spend, code_free, day).await?;
                }
                Ok(true)
            })
        })
        .await?;
        if !inserted {
            // Another request with this key got there first.
            let existing = self
                .by_key(&req.customer_id, key)
                .await?
                .ok_or_else(|| Error::Contended("bill payment key".into()))?;
            return self.same_request(req, existing);
        }
        let answer = self
            .gateway
            .pay(&biller, &household, req.amount, &id)
            .await
            // A transport error is an unknown outcome: the worker asks again.
            .unwrap_or(BillerAnswer::Unknown);
        self.settle(&id, answer).await?;
        self.get(&req.customer_id, &id).await
    }

    /// Checks the step-up this payment needs (an SMS code bound to it), and says what it does
    /// to the allowance of payments without a code.
    async fn confirm(&self, req: &PayRequest, household: &str) -> Result<Spend> {
        if self.step_up_reason(req).await?.is_none() {
            return Ok(Spend::CodeFree(req.amount));
        }
        let code = req
            .step_up_code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .ok_or(Refusal::StepUpRequired)?;
        let identity = crate::identity::Identity {
            db: self.db,
            clock: self.clock,
            keys: self.keys,
        };
        let mobile = identity.mobile_of(&req.customer_id).await?;
        crate::identity::Otp {
            db: self.db,
            clock: self.clock,
            keys: self.keys,
        }
        .verify(
            &mobile,
            Purpose::StepUp,
            &Self::binding(req, household),
            code,
        )
        .await?;
        Ok(Spend::SteppedUp)
    }

    /// A retry must be the same payment; a reused key for another one is refused.
    fn same_request(&self, req: &PayRequest, existing: Payment) -> Result<Payment> {
        let same = existing.biller_id == req.biller_id
            && existing.amount == req.amount
            && existing.from_account_id == req.from_account_id
            && biller(&req.biller_id)
                .and_then(|b| normalise_number(b.kind, &req.household))
                .is_some_and(|h| h == existing.household);
        if same {
            Ok(existing)
        } else {
            Err(Refusal::IdempotencyKeyReused.into())
        }
    }

    /// Applies a biller's answer to a pending payment: paid, refunded (with the money back),
    /// or left pending for the worker. Conditional on the row still being pending.
    async fn settle(&self, id: &str, answer: BillerAnswer) -> Result<bool> {
        let now = self.clock.now();
        match answer {
            BillerAnswer::Paid { receipt } => {
                let changed = sqlx::query(
                    "UPDATE bill_payments SET status = 'paid', biller_receipt = $1, updated_at = $2 \
                     WHERE id = $3 AND status = 'pending'",
                )
                .bind(receipt)
                .bind(now)
                .bind(id)
                .execute(self.db.pool())
                .await?;
                Ok(changed.rows_affected() == 1)
            }
            BillerAnswer::Refused { reason } => self.refund(id, &reason).await,
            BillerAnswer::Unknown => Ok(false),
        }
    }

    /// Gives the money back: the status change and the reversing entry in one transaction, only
    /// if the payment is still pending (so it happens once, whoever gets there).
    async fn refund(&self, id: &str, reason: &str) -> Result<bool> {
        let now = self.clock.now();
        let day = self.clock.china_day();
        let refund_id = crate::id::new_id();
        crate::db::in_transaction(self.db, |conn| {
            let (id, reason, refund_id) = (id.to_string(), reason.to_string(), refund_id.clone());
            Box::pin(async move {
                let row = sqlx::query(&format!(
                    "SELECT {COLUMNS} FROM bill_payments WHERE id = $1 AND status = 'pending'"
                ))
                .bind(&id)
                .fetch_optional(&mut *conn)
                .await?;
                let Some(row) = row else { return Ok(false) };
                let p = from_row(&row)?;
                let changed = sqlx::query(
                    "UPDATE bill_payments SET status = 'refunded', reason = $1, refund_entry_id = $2, updated_at = $3 \
                     WHERE id = $4 AND status = 'pending'",
                )
                .bind(&reason)
                .bind(&refund_id)
                .bind(now)
                .bind(&id)
                .execute(&mut *conn)
                .await?;
                if changed.rows_affected() == 0 {
                    return Ok(false);
                }
                let bank: String = sqlx::query("SELECT bank_code FROM accounts WHERE id = $1")
                    .bind(&p.from_account_id)
                    .fetch_one(&mut *conn)
                    .await?
                    .try_get("bank_code")?;
                let biller = Self::biller(&p.biller_id)?;
                let counterparty = format!("{} {}", biller.name, p.kind.name_zh());
                ledger::post(
                    conn,
                    now,
                    day,
                    &NewEntry {
                        id: refund_id,
                        kind: EntryKind::BillRefund,
                        memo: format!("{}退款", p.kind.name_zh()),
                        legs: vec![
                            Leg::debit(&Internal::BillerSettlement.id(&bank), p.amount, &counterparty),
                            Leg::credit(&p.from_account_id, p.amount, &counterparty),
                        ],
                    },
                )
                .await?;
                Ok(true)
            })
        })
        .await
    }

    /// The worker's pass: payments pending longer than `after` are asked about again; the
    /// biller's "paid" makes them paid, "never received" refunds them. Safe on several nodes:
    /// asking twice is harmless and each change is conditional on the payment still pending.
    /// Returns how many this pass settled.
    pub async fn resolve_pending(&self, after: Millis) -> Result<usize> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM bill_payments WHERE status = 'pending' AND created_at <= $1 \
             ORDER BY created_at LIMIT 100"
        ))
        .bind(self.clock.now() - after)
        .fetch_all(self.db.pool())
        .await?;
        let mut settled = 0;
        for row in &rows {
            let p = from_row(row)?;
            let biller = Self::biller(&p.biller_id)?;
            let answer = match self.gateway.status(&biller, &p.id).await {
                Ok(BillerStatus::Paid { receipt }) => BillerAnswer::Paid { receipt },
                Ok(BillerStatus::NotReceived) => BillerAnswer::Refused {
                    reason: "缴费单位未收到这笔缴费".into(),
                },
                Err(e) => {
                    tracing::warn!(payment = %p.id, error = %e, "biller status query failed; will retry");
                    continue;
                }
            };
            settled += usize::from(self.settle(&p.id, answer).await?);
        }
        Ok(settled)
    }
}

/// The last four characters of a number, for statements and alerts.
pub fn household_tail(n: &str) -> String {
    let chars: Vec<char> = n.chars().collect();
    chars[chars.len().saturating_sub(4)..].iter().collect()
}

#[cfg(test)]
mod tests;
