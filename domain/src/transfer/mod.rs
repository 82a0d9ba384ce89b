//! Customer transfers: to the customer's own accounts, to any account of the province's 110
//! banks by card or registered mobile number (instant), and to other banks through the clearing
//! network (pending until the clearing worker settles it or the other bank returns it).
//!
//! Every call carries an idempotency key: the transfer row is unique per (customer, key) and is
//! inserted in the same transaction as the journal entry, so a double click, a retry or a
//! refresh finds the first transfer instead of posting a second one. A refused transfer rolls
//! the whole transaction back and leaves no trace.

mod code_free;
mod committer;
mod payee;
mod resolve;
mod step_up;
mod stored;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use webauthn_rs::prelude::PublicKeyCredential;

use crate::account::{card, Accounts, Internal};
use crate::clock::{Clock, Millis};
use crate::db::get_i64;
use crate::error::Refusal;
use crate::identity::passkey::{Passkeys, RelyingParty};
use crate::identity::{Identity, Otp, Purpose};
use crate::ledger::{EntryKind, Leg, NewEntry};
use crate::pii::{Field, KeyRing};
use crate::{Db, Error, Result};

pub use code_free::{
    step_up_reason, CodeFreePolicy, CodeFreeUse, Spend, StepUpReason, STEP_UP_FROM,
};
pub use committer::Committer;
pub use payee::{Payee, Payees};
pub use resolve::ResolvedPayee;
use resolve::{intra_payee, our_card};

/// How often a request is resubmitted while another one holds its idempotency key.
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
            _ => Err(Error::Internal(format!("transfer kind {s}"))),
        }
    }
}

/// Where a transfer stands. Instant transfers are `Posted` at once; interbank ones are
/// `Pending` until a clearing worker claims one (`Submitting`) and the network answers
/// `Settled` or `Returned` (money refunded).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    Posted,
    Pending,
    Submitting,
    Settled,
    Returned,
}

impl Status {
    /// Where a new transfer starts: other banks' wait for clearing, ours are done at once.
    pub fn initial(kind: Kind) -> Status {
        if kind == Kind::Interbank {
            Status::Pending
        } else {
            Status::Posted
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Posted => "posted",
            Status::Pending => "pending",
            Status::Submitting => "submitting",
            Status::Settled => "settled",
            Status::Returned => "returned",
        }
    }

    fn parse(s: &str) -> Result<Status> {
        match s {
            "posted" => Ok(Status::Posted),
            "pending" => Ok(Status::Pending),
            "submitting" => Ok(Status::Submitting),
            "settled" => Ok(Status::Settled),
            "returned" => Ok(Status::Returned),
            _ => Err(Error::Internal(format!("transfer status {s}"))),
        }
    }
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
    /// Why, when it is.
    pub step_up_reason: Option<StepUpReason>,
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

/// What confirms a transfer above the step-up threshold (dynamic linking either way).
#[derive(Clone, Copy)]
pub enum StepUp<'a> {
    /// The SMS code sent by [`Transfers::send_step_up`].
    Code(&'a str),
    /// The answer to [`Transfers::start_passkey_step_up`]'s challenge.
    Passkey {
        rp: &'a RelyingParty,
        challenge_id: &'a str,
        answer: &'a PublicKeyCredential,
    },
}

/// The transfer service over its dependencies.
#[derive(Clone, Copy)]
pub struct Transfers<'a> {
    pub db: &'a Db,
    pub clock: &'a dyn Clock,
    pub keys: &'a KeyRing,
    /// The node's group-commit queue (one per database, started with the server).
    pub committer: &'a Committer,
    /// How much may move without a code (see [`code_free`]).
    pub code_free: CodeFreePolicy,
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
        let (quote, _, _) = self.plan(req).await?;
        Ok(quote)
    }

    async fn plan(
        &self,
        req: &TransferRequest,
    ) -> Result<(Quote, ResolvedPayee, crate::account::Account)> {
        validate(req)?;
        // The common case, a card of our network: paying account and payee in one query.
        let (from, payee) = match our_card(req) {
            Some(card_no) => {
                let (from, to) = self
                    .accounts()
                    .owned_and_by_card(&req.customer_id, &req.from_account_id, &card_no)
                    .await?;
                let from = from
                    .ok_or_else(|| Error::NotFound(format!("account {}", req.from_account_id)))?;
                let to = to.ok_or(Refusal::PayeeNotFound)?;
                (from, intra_payee(req, to))
            }
            None => {
                let from = self
                    .accounts()
                    .get_owned(&req.customer_id, &req.from_account_id)
                    .await?;
                (from, self.resolve(req).await?)
            }
        };
        let (mut quote, payee, from) = check(req, from, payee)?;
        if !quote.needs_step_up && quote.kind != Kind::Own {
            let used = code_free_use(self.db, &req.customer_id).await?;
            quote.step_up_reason = step_up_reason(
                req.amount,
                true,
                used,
                self.code_free,
                self.clock.china_day(),
            );
            quote.needs_step_up = quote.step_up_reason.is_some();
        }
        Ok((quote, payee, from))
    }

    /// Posts a transfer, or returns the one already posted under the same idempotency key.
    /// `step_up` is needed when [`Quote::needs_step_up`]: an SMS code or a passkey answer,
    /// either issued for exactly this amount and payee.
    pub async fn post(
        &self,
        req: &TransferRequest,
        step_up: Option<StepUp<'_>>,
    ) -> Result<Transfer> {
        let key = req.idempotency_key.trim();
        if key.is_empty() || key.len() > 100 {
            return Err(Error::invalid(
                crate::Input::Request,
                "idempotency key missing or too long".into(),
            ));
        }
        match self.post_new(req, key, step_up).await {
            Ok(t) => Ok(t),
            // A retry of a transfer that went through fails the checks a new one would pass
            // (funds already gone, code used up): answer it with the first transfer. Looking
            // the key up only here keeps the common path at one read.
            Err(e) => match self.by_key(&req.customer_id, key).await? {
                Some(existing) => self.replay(req, existing),
                None => Err(e),
            },
        }
    }

    async fn post_new(
        &self,
        req: &TransferRequest,
        key: &str,
        step_up: Option<StepUp<'_>>,
    ) -> Result<Transfer> {
        let job = self.job(req, key, step_up).await?;
        for _ in 0..MAX_ATTEMPTS {
            match self.committer.submit(job.clone()).await? {
                committer::Outcome::Posted(transfer) => return Ok(*transfer),
                committer::Outcome::Failed(e) => return Err(e),
                // Another request holds the key: answer with its transfer, or, if that one was
                // refused and left no trace meanwhile, try ours again.
                committer::Outcome::KeyTaken => {
                    if let Some(existing) = self.by_key(&req.customer_id, key).await? {
                        return self.replay(req, existing);
                    }
                }
            }
        }
        Err(Error::Contended(
            "idempotency key contended too long".into(),
        ))
    }

    /// The transfer as the group commit takes it, read and checked as far as the caller can.
    async fn job(
        &self,
        req: &TransferRequest,
        key: &str,
        step_up: Option<StepUp<'_>>,
    ) -> Result<committer::Job> {
        let work = match our_card(req) {
            // Small transfers to a card of our network (most of them) are read and checked by
            // the group commit with the rest of its batch: one read per batch, not per transfer.
            // A step-up offered for a small amount (its allowance was spent) is checked by the
            // planned path.
            Some(card_no) if req.amount < STEP_UP_FROM && step_up.is_none() => {
                validate(req)?;
                committer::Work::ToOurCard {
                    req: req.clone(),
                    card_no,
                    fingerprint: fingerprint(req),
                }
            }
            _ => {
                committer::Work::Planned(Box::new(self.plan_with_step_up(req, key, step_up).await?))
            }
        };
        Ok(committer::Job {
            code_free: self.code_free,
            now: self.clock.now(),
            china_day: self.clock.china_day(),
            customer_id: req.customer_id.clone(),
            key: key.into(),
            work,
        })
    }

    /// Reads and checks a transfer here rather than in the batch (other banks, mobile numbers,
    /// saved payees, amounts that need a step-up), confirms it with the step-up its amount and
    /// payee need, and says what it writes.
    async fn plan_with_step_up(
        &self,
        req: &TransferRequest,
        key: &str,
        step_up: Option<StepUp<'_>>,
    ) -> Result<committer::Planned> {
        let (quote, payee, from) = self.plan(req).await?;
        let spend = if quote.needs_step_up {
            Spend::SteppedUp
        } else if quote.kind == Kind::Own {
            Spend::Nothing
        } else {
            Spend::CodeFree(req.amount)
        };
        if quote.needs_step_up {
            let binding = Self::binding(req, &payee);
            match step_up {
                Some(StepUp::Code(code)) if !code.trim().is_empty() => {
                    let mobile = self.identity().mobile_of(&req.customer_id).await?;
                    self.otp()
                        .verify(&mobile, Purpose::StepUp, &binding, code.trim())
                        .await?;
                }
                Some(StepUp::Passkey {
                    rp,
                    challenge_id,
                    answer,
                }) => {
                    let verified = Passkeys {
                        db: self.db,
                        clock: self.clock,
                        rp,
                    }
                    .finish_step_up(&req.customer_id, challenge_id, answer)
                    .await?;
                    if !verified.authorises(&req.customer_id, &binding) {
                        return Err(Refusal::OtpBindingChanged.into());
                    }
                }
                _ => return Err(Refusal::StepUpRequired.into()),
            }
        }
        let name_sealed = match &payee.name_typed {
            Some(n) => self.keys.seal(&req.customer_id, Field::Name, n)?,
            None => String::new(),
        };
        Ok(planned(
            self.clock.now(),
            req,
            (key, fingerprint(req)),
            (&quote, spend),
            &payee,
            &from,
            name_sealed,
        ))
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
}

/// Checks that need no database: the amount and the memo.
fn validate(req: &TransferRequest) -> Result<()> {
    if req.memo.trim().chars().count() > MEMO_MAX_CHARS {
        return Err(Error::invalid(
            crate::Input::Memo,
            format!("memo longer than {MEMO_MAX_CHARS} characters"),
        ));
    }
    if req.amount <= 0 || req.amount > crate::money::MAX_INPUT_FEN {
        return Err(Error::invalid(
            crate::Input::Amount,
            "amount must be positive".into(),
        ));
    }
    Ok(())
}

/// The rules a transfer must pass once its paying account and payee are read: the account is
/// open, the payee is another account, and the amount is within the class's limits and the
/// available balance. Posting checks the balance and the daily limit again atomically.
fn check(
    req: &TransferRequest,
    from: crate::account::Account,
    payee: ResolvedPayee,
) -> Result<(Quote, ResolvedPayee, crate::account::Account)> {
    if from.status != "open" {
        return Err(Refusal::AccountNotUsable.into());
    }
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
    let memo = req.memo.trim();
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
        step_up_reason: (payee.kind != Kind::Own && req.amount >= STEP_UP_FROM)
            .then_some(StepUpReason::Amount),
    };
    Ok((quote, payee, from))
}

/// The rows, the journal entry and the receipt of one checked transfer, for the committer.
/// The request's idempotency key comes with its [`fingerprint`].
fn planned(
    now: Millis,
    req: &TransferRequest,
    (key, fingerprint): (&str, String),
    (quote, spend): (&Quote, Spend),
    payee: &ResolvedPayee,
    from: &crate::account::Account,
    name_sealed: String,
) -> committer::Planned {
    use crate::db::Val;
    let id = crate::id::new_id();
    let entry_id = crate::id::new_id();
    let status = Status::initial(payee.kind);
    let row = vec![
        Val::Text(id.clone()),
        Val::Text(req.customer_id.clone()),
        Val::Text(key.into()),
        Val::Text(fingerprint),
        Val::Text(payee.kind.as_str().into()),
        Val::Text(req.from_account_id.clone()),
        payee.to_account_id.clone().map_or(Val::NullText, Val::Text),
        Val::Text(payee.card_no.clone()),
        Val::Text(payee.name_masked.clone()),
        Val::Text(payee.bank_name.clone()),
        Val::Text(name_sealed.clone()),
        Val::Int(req.amount),
        Val::Text(quote.memo.clone()),
        Val::Text(status.as_str().into()),
        Val::Text(entry_id.clone()),
        Val::Int(now),
        Val::Int(now),
    ];
    let from_side = format!("{} *{}", from.owner_name_masked, card::tail(&from.card_no));
    let payee_side = format!("{} *{}", payee.name_masked, card::tail(&payee.card_no));
    let mut debit = Leg::debit(&req.from_account_id, req.amount, &payee_side);
    debit.daily_limit = Some(from.class.limits().daily_outflow);
    let credit = match &payee.to_account_id {
        Some(to) => {
            let mut c = Leg::credit(to, req.amount, &from_side);
            c.balance_cap = payee.balance_cap;
            c
        }
        // Other banks: the money waits on our bank's clearing account.
        None => Leg::credit(
            &Internal::Clearing.id(&from.bank_code),
            req.amount,
            &from_side,
        ),
    };
    let payee_row = (payee.kind != Kind::Own).then(|| {
        (
            payee.card_no.clone(),
            vec![
                Val::Text(crate::id::new_id()),
                Val::Text(req.customer_id.clone()),
                Val::Text(payee.card_no.clone()),
                Val::Text(payee.name_masked.clone()),
                Val::Text(name_sealed),
                Val::Text(payee.bank_name.clone()),
                Val::Int(i64::from(payee.to_account_id.is_some())),
                Val::Int(now),
            ],
        )
    });
    let transfer = Transfer {
        id: id.clone(),
        kind: payee.kind,
        status,
        status_reason: String::new(),
        from_account_id: req.from_account_id.clone(),
        from_card_no: quote.from_card_no.clone(),
        payee_card_masked: quote.payee_card_masked.clone(),
        payee_name_masked: payee.name_masked.clone(),
        payee_bank_name: payee.bank_name.clone(),
        amount: req.amount,
        memo: quote.memo.clone(),
        entry_id: entry_id.clone(),
        created_at: now,
        updated_at: now,
    };
    committer::Planned {
        row,
        id,
        entry: NewEntry {
            id: entry_id,
            kind: EntryKind::Transfer,
            memo: quote.memo.clone(),
            legs: vec![debit, credit],
        },
        payee: payee_row,
        transfer,
        spend,
    }
}

/// What the customer has moved without a code (see [`code_free`]).
pub async fn code_free_use(db: &Db, customer_id: &str) -> Result<CodeFreeUse> {
    let row = sqlx::query(
        "SELECT codefree_day, codefree_amount, codefree_count FROM customers WHERE id = $1",
    )
    .bind(customer_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(|| Error::NotFound(format!("customer {customer_id}")))?;
    Ok(CodeFreeUse {
        day: get_i64(&row, "codefree_day")?,
        amount: get_i64(&row, "codefree_amount")?,
        count: get_i64(&row, "codefree_count")?,
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
    let mut hex = String::with_capacity(64);
    for b in h.finalize() {
        use std::fmt::Write;
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

#[cfg(test)]
mod bank_test;
#[cfg(test)]
pub(crate) mod tests;
