//! Repaying a term loan (what is due, part of the principal early, or everything) and using a
//! credit line (draws and repayments, interest by the day).
//!
//! Each is one transaction that first claims the loan (its row updated, so a concurrent change
//! of the same loan waits or starts again), brings penalty or credit-line interest up to
//! today, shares the payment out ([`super::accrual`]) and posts one journal entry: the
//! borrower's account pays, the loan's account takes the principal, the bank's loan-interest
//! income the interest and penalty interest.

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use super::accrual::{self, interest_for_days, Share};
use super::book::{self, Due, Loan, Status};
use super::products::LoanKind;
use super::schedule::{self, level_instalment, Method, Terms};
use super::Loans;
use crate::account::Internal;
use crate::clock::{china_day_of, Millis};
use crate::error::Refusal;
use crate::ledger::{self, EntryKind, Leg, NewEntry};
use crate::{Error, Result};

/// What a customer repays of a term loan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Repayment {
    /// What is due and overdue; when nothing is, the next instalment.
    Due,
    /// This much principal ahead of the schedule (after anything due), and how the rest of
    /// the schedule changes.
    Early { principal: i64, keep: Keep },
    /// Everything: what is due, the rest of the principal and its interest to today.
    Full,
}

/// After a partial early repayment: the same instalment over fewer months, or the same months
/// with a smaller instalment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Keep {
    ShorterTerm,
    LowerInstalment,
}

/// What one repayment paid.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repaid {
    pub principal: i64,
    /// Interest and penalty interest.
    pub interest: i64,
    pub loan: Loan,
}

impl Repaid {
    pub fn total(&self) -> i64 {
        self.principal + self.interest
    }
}

/// How a loan is named on the borrower's statement.
pub(super) fn product_label(loan: &Loan) -> String {
    match loan.kind {
        LoanKind::CreditLine => "信e贷".into(),
        LoanKind::Guaranteed => "保证e贷".into(),
        LoanKind::Pledged => "质押e贷".into(),
        LoanKind::Tax => "税e贷".into(),
    }
}

/// Claims a term loan for today's collection inside a transaction, reading it as it is now;
/// `None` when it is no longer active or was collected today already (by another node).
pub(super) async fn claim_for_collection(
    conn: &mut AnyConnection,
    loan_id: &str,
    today: i64,
) -> Result<Option<Loan>> {
    sqlx::query(&format!(
        "UPDATE loans SET version = version + 1, collected_day = $2 \
         WHERE id = $1 AND status = 'active' AND collected_day < $2 RETURNING {}",
        book::LOAN_COLUMNS
    ))
    .bind(loan_id)
    .bind(today)
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| book::loan_from(&r))
    .transpose()
}

/// Claims a loan inside a transaction and reads it as it is now.
pub(super) async fn claim(conn: &mut AnyConnection, loan_id: &str) -> Result<Loan> {
    let row = sqlx::query(&format!(
        "UPDATE loans SET version = version + 1 WHERE id = $1 RETURNING {}",
        book::LOAN_COLUMNS
    ))
    .bind(loan_id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| Error::NotFound(format!("loan {loan_id}")))?;
    book::loan_from(&row)
}

/// Writes back the instalments that changed from `before` (as read) to `after`.
pub(super) async fn write_dues(
    conn: &mut AnyConnection,
    loan_id: &str,
    before: &[Due],
    after: &[Due],
) -> Result<()> {
    for d in after.iter().filter(|d| !before.contains(d)) {
        sqlx::query(
            "UPDATE loan_instalments SET paid_principal = $1, paid_interest = $2, penalty = $3, \
               paid_penalty = $4, penalty_to_day = $5, paid_day = $6 \
             WHERE loan_id = $7 AND number = $8",
        )
        .bind(d.paid_principal)
        .bind(d.paid_interest)
        .bind(d.penalty)
        .bind(d.paid_penalty)
        .bind(d.penalty_to_day)
        .bind(d.paid_day)
        .bind(loan_id)
        .bind(i64::from(d.number))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Posts a repayment: the borrower's account pays `principal + interest`.
pub(super) async fn post_repayment(
    conn: &mut AnyConnection,
    loan: &Loan,
    principal: i64,
    interest: i64,
    now: Millis,
) -> Result<()> {
    let total = principal + interest;
    if total <= 0 {
        return Ok(());
    }
    let label = product_label(loan);
    let loan_account = loan
        .loan_account_id
        .as_deref()
        .ok_or_else(|| Error::Internal(format!("loan {} has no account", loan.id)))?;
    let mut legs = vec![Leg::debit(&loan.account_id, total, &label)];
    if principal > 0 {
        legs.push(Leg::credit(loan_account, principal, &label));
    }
    if interest > 0 {
        legs.push(Leg::credit(
            &Internal::LoanInterestIncome.id(&loan.bank_code),
            interest,
            &label,
        ));
    }
    ledger::post(
        conn,
        now,
        china_day_of(now),
        &NewEntry {
            id: crate::id::new_id(),
            kind: EntryKind::LoanRepayment,
            memo: format!("贷款还款 {label}"),
            legs,
        },
    )
    .await?;
    Ok(())
}

/// Brings every unpaid instalment's penalty interest up to `today`.
pub(super) fn accrue_all(loan: &Loan, dues: &mut [Due], today: i64) {
    for d in dues.iter_mut() {
        accrual::accrue_penalty(d, today, loan.penalty_rate_bp, loan.grace_days);
    }
}

/// The month of the schedule the current period began with and its day: the last instalment
/// due or paid ahead (its interest covered the balance up to its day; a prepayment's row
/// counts as the month it fell in), the disbursement before the first.
fn period_start(loan: &Loan, all: &[Due], today: i64) -> (i64, u32) {
    let month = all
        .iter()
        .filter(|d| d.due_day <= today || d.paid_day.is_some())
        .map(|d| d.month)
        .max()
        .unwrap_or(0);
    let day = loan.disbursed_at.map_or(today, |at| {
        china_day_of(crate::deposit::add_months(at, month))
    });
    (day, month)
}

/// After the instalments changed: keeps the loan's next due day (`left` the instalments still
/// unpaid), or marks it repaid when nothing is left, releasing a pledged deposit.
pub(super) async fn close_if_repaid(
    conn: &mut AnyConnection,
    loan: &Loan,
    left: &[Due],
    now: Millis,
) -> Result<bool> {
    let next_due = left
        .iter()
        .filter(|d| d.paid_day.is_none())
        .map(|d| d.due_day)
        .min();
    if next_due.is_some() || book::principal_owed_on(conn, loan).await? != 0 {
        if next_due != loan.next_due_day {
            sqlx::query("UPDATE loans SET next_due_day = $1 WHERE id = $2")
                .bind(next_due)
                .bind(&loan.id)
                .execute(&mut *conn)
                .await?;
        }
        return Ok(false);
    }
    sqlx::query(
        "UPDATE loans SET status = 'repaid', closed_at = $1, next_due_day = NULL WHERE id = $2",
    )
    .bind(now)
    .bind(&loan.id)
    .execute(&mut *conn)
    .await?;
    if let Some(deposit) = &loan.deposit_id {
        crate::deposit::release_on(conn, deposit, &loan.id).await?;
    }
    Ok(true)
}

impl Loans<'_> {
    /// Repays the customer's term loan from its account.
    pub async fn repay(&self, customer_id: &str, loan_id: &str, how: Repayment) -> Result<Repaid> {
        let loan = book::get(self.db, customer_id, loan_id).await?;
        if loan.kind == LoanKind::CreditLine {
            return Err(Error::invalid(
                crate::Input::Request,
                "a credit line is repaid by amount".into(),
            ));
        }
        let now = self.clock.now();
        let (principal, interest) = crate::db::in_transaction(self.db, |conn| {
            let id = loan_id.to_string();
            Box::pin(async move {
                let loan = claim(conn, &id).await?;
                if loan.status != Status::Active {
                    return Err(Refusal::LoanStateChanged.into());
                }
                repay_on(conn, &loan, how, now).await
            })
        })
        .await?;
        self.audit(
            customer_id,
            crate::audit::Action::LoanMoneyMoved,
            serde_json::json!({ "loan": loan_id, "repaid_principal": principal, "repaid_interest": interest }),
        )
        .await?;
        Ok(Repaid {
            principal,
            interest,
            loan: book::get(self.db, customer_id, loan_id).await?,
        })
    }
}

/// A term loan's repayment inside a claimed transaction; (principal, interest) paid.
pub(super) async fn repay_on(
    conn: &mut AnyConnection,
    loan: &Loan,
    how: Repayment,
    now: Millis,
) -> Result<(i64, i64)> {
    let today = china_day_of(now);
    let before = book::unpaid_on(conn, &loan.id).await?;
    let mut unpaid = before.clone();
    accrue_all(loan, &mut unpaid, today);
    let due_now: i64 = unpaid
        .iter()
        .filter(|d| d.due_day <= today)
        .map(Due::outstanding)
        .sum();
    let (shares, prepaid, prepaid_interest): (Vec<Share>, i64, i64) = match how {
        Repayment::Due => {
            let amount = if due_now > 0 {
                due_now
            } else {
                unpaid.first().map_or(0, Due::outstanding)
            };
            if amount == 0 {
                return Err(Refusal::LoanStateChanged.into());
            }
            (accrual::allocate(&mut unpaid, amount, today).0, 0, 0)
        }
        Repayment::Early { principal, keep } => {
            let future: i64 = unpaid
                .iter()
                .filter(|d| d.due_day > today)
                .map(Due::principal_owed)
                .sum();
            if principal <= 0 {
                return Err(Error::invalid(crate::Input::Amount, "no principal".into()));
            }
            if principal > future {
                return Err(Refusal::RepaymentTooLarge { owed: future }.into());
            }
            let shares = accrual::allocate(&mut unpaid, due_now, today).0;
            let all = book::schedule_on(conn, &loan.id).await?;
            let (start_day, start_month) = period_start(loan, &all, today);
            let prepaid_interest = interest_for_days(principal, loan.rate_bp, today - start_day);
            reschedule(
                conn,
                loan,
                &all,
                (start_month, today),
                future - principal,
                keep,
                (principal, prepaid_interest),
            )
            .await?;
            (shares, principal, prepaid_interest)
        }
        Repayment::Full => {
            let shares = accrual::allocate(&mut unpaid, due_now, today).0;
            let all = book::schedule_on(conn, &loan.id).await?;
            let (start_day, start_month) = period_start(loan, &all, today);
            let prepaid: i64 = unpaid
                .iter()
                .filter(|d| d.due_day > today)
                .map(Due::principal_owed)
                .sum();
            let prepaid_interest = interest_for_days(prepaid, loan.rate_bp, today - start_day);
            if prepaid > 0 {
                reschedule(
                    conn,
                    loan,
                    &all,
                    (start_month, today),
                    0,
                    Keep::ShorterTerm,
                    (prepaid, prepaid_interest),
                )
                .await?;
            }
            (shares, prepaid, prepaid_interest)
        }
    };
    // The instalments not yet due that a prepayment replaced are gone; the rest changed in
    // memory only where paid or accrued.
    let kept: Vec<Due> = unpaid
        .into_iter()
        .filter(|d| d.due_day <= today || matches!(how, Repayment::Due))
        .collect();
    write_dues(conn, &loan.id, &before, &kept).await?;
    let (p, i) = accrual::totals(&shares);
    let (principal, interest) = (p + prepaid, i + prepaid_interest);
    post_repayment(conn, loan, principal, interest, now).await?;
    // A prepayment rewrote the schedule: what is left is read again.
    let left = book::unpaid_on(conn, &loan.id).await?;
    close_if_repaid(conn, loan, &left, now).await?;
    Ok((principal, interest))
}

/// Rewrites the schedule after principal paid ahead: the instalments not yet due give way to
/// one paid row for the prepayment (on `today`) and a new schedule of `remaining` from the
/// current period's start.
async fn reschedule(
    conn: &mut AnyConnection,
    loan: &Loan,
    all: &[Due],
    (start_month, today): (u32, i64),
    remaining: i64,
    keep: Keep,
    (prepaid, prepaid_interest): (i64, i64),
) -> Result<()> {
    let method = loan
        .method
        .ok_or_else(|| Error::Internal(format!("term loan {} without a method", loan.id)))?;
    let future: Vec<&Due> = all
        .iter()
        .filter(|d| d.due_day > today && d.paid_day.is_none())
        .collect();
    let (Some(first_future), Some(last)) = (future.first(), all.last()) else {
        return Err(Refusal::LoanStateChanged.into());
    };
    let months_left = last.month - start_month;
    let months = match (keep, method) {
        (Keep::LowerInstalment, _) | (_, Method::InterestFirst(_)) => months_left,
        (Keep::ShorterTerm, Method::EqualInstalment) => {
            let level = first_future.principal + first_future.interest;
            (1..=months_left)
                .find(|n| level_instalment(remaining, loan.rate_bp, *n) <= level)
                .unwrap_or(months_left)
        }
        (Keep::ShorterTerm, Method::EqualPrincipal) => {
            let per = first_future.principal.max(1);
            u32::try_from((remaining + per - 1) / per)
                .unwrap_or(months_left)
                .clamp(1, months_left)
        }
    };
    sqlx::query(
        "DELETE FROM loan_instalments WHERE loan_id = $1 AND due_day > $2 AND paid_day IS NULL",
    )
    .bind(&loan.id)
    .bind(today)
    .execute(&mut *conn)
    .await?;
    let mut number = first_future.number;
    sqlx::query(
        "INSERT INTO loan_instalments (loan_id, number, month, due_day, principal, interest, \
           paid_principal, paid_interest, paid_day) VALUES ($1, $2, $3, $4, $5, $6, $5, $6, $4)",
    )
    .bind(&loan.id)
    .bind(i64::from(number))
    .bind(i64::from(start_month))
    .bind(today)
    .bind(prepaid)
    .bind(prepaid_interest)
    .execute(&mut *conn)
    .await?;
    if remaining == 0 {
        return Ok(());
    }
    let disbursed = loan
        .disbursed_at
        .ok_or_else(|| Error::Internal(format!("loan {} not disbursed", loan.id)))?;
    let terms = Terms::new(remaining, loan.rate_bp, months, method)?;
    for i in schedule::schedule(terms).instalments {
        number += 1;
        let month = start_month + i.month;
        sqlx::query(
            "INSERT INTO loan_instalments (loan_id, number, month, due_day, principal, interest) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&loan.id)
        .bind(i64::from(number))
        .bind(i64::from(month))
        .bind(china_day_of(crate::deposit::add_months(disbursed, month)))
        .bind(i.principal)
        .bind(i.interest)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A credit line's interest brought up to `today` on the principal drawn.
pub(super) async fn accrue_line(
    conn: &mut AnyConnection,
    loan: &Loan,
    today: i64,
) -> Result<(i64, i64)> {
    let drawn = book::principal_owed_on(conn, loan).await?;
    let accrued =
        loan.accrued_interest + interest_for_days(drawn, loan.rate_bp, today - loan.accrued_to_day);
    sqlx::query("UPDATE loans SET accrued_interest = $1, accrued_to_day = $2 WHERE id = $3")
        .bind(accrued)
        .bind(today.max(loan.accrued_to_day))
        .bind(&loan.id)
        .execute(&mut *conn)
        .await?;
    Ok((drawn, accrued))
}

/// Pays `amount` of a credit line: interest first, then principal.
pub(super) async fn repay_line_on(
    conn: &mut AnyConnection,
    loan: &Loan,
    amount: i64,
    now: Millis,
) -> Result<(i64, i64)> {
    let today = china_day_of(now);
    let (drawn, accrued) = accrue_line(conn, loan, today).await?;
    if amount > drawn + accrued {
        return Err(Refusal::RepaymentTooLarge {
            owed: drawn + accrued,
        }
        .into());
    }
    let interest = amount.min(accrued);
    let principal = amount - interest;
    sqlx::query("UPDATE loans SET accrued_interest = accrued_interest - $1 WHERE id = $2")
        .bind(interest)
        .bind(&loan.id)
        .execute(&mut *conn)
        .await?;
    post_repayment(conn, loan, principal, interest, now).await?;
    if loan.ends_day.is_some_and(|end| today >= end) && amount == drawn + accrued {
        sqlx::query("UPDATE loans SET status = 'repaid', closed_at = $1 WHERE id = $2")
            .bind(now)
            .bind(&loan.id)
            .execute(&mut *conn)
            .await?;
    }
    Ok((principal, interest))
}

impl Loans<'_> {
    /// The customer's credit line `loan_id`; any other loan is the caller's mistake.
    async fn credit_line(&self, customer_id: &str, loan_id: &str) -> Result<Loan> {
        let loan = book::get(self.db, customer_id, loan_id).await?;
        if loan.kind != LoanKind::CreditLine {
            return Err(Error::invalid(
                crate::Input::Request,
                "not a credit line".into(),
            ));
        }
        Ok(loan)
    }

    /// Draws on the customer's credit line into its account.
    pub async fn draw(&self, customer_id: &str, loan_id: &str, amount: i64) -> Result<Loan> {
        let loan = self.credit_line(customer_id, loan_id).await?;
        if amount <= 0 || amount > crate::money::MAX_INPUT_FEN {
            return Err(Error::invalid(crate::Input::Amount, "draw amount".into()));
        }
        let class = self
            .accounts()
            .get_owned(customer_id, &loan.account_id)
            .await?
            .class;
        let now = self.clock.now();
        crate::db::in_transaction(self.db, |conn| {
            let id = loan_id.to_string();
            Box::pin(async move {
                let loan = claim(conn, &id).await?;
                let today = china_day_of(now);
                if loan.status != Status::Active {
                    return Err(Refusal::LoanStateChanged.into());
                }
                if loan.ends_day.is_some_and(|end| today >= end) {
                    return Err(Refusal::CreditLineEnded.into());
                }
                let (drawn, _) = accrue_line(conn, &loan, today).await?;
                if drawn + amount > loan.principal {
                    return Err(Refusal::OverCreditLimit {
                        available: (loan.principal - drawn).max(0),
                    }
                    .into());
                }
                let label = product_label(&loan);
                let loan_account = loan
                    .loan_account_id
                    .clone()
                    .ok_or_else(|| Error::Internal(format!("line {} has no account", loan.id)))?;
                let mut credit = Leg::credit(&loan.account_id, amount, &label);
                credit.balance_cap = class.limits().balance_cap;
                ledger::post(
                    conn,
                    now,
                    today,
                    &NewEntry {
                        id: crate::id::new_id(),
                        kind: EntryKind::LoanDisbursement,
                        memo: format!("贷款支用 {label}"),
                        legs: vec![Leg::debit(&loan_account, amount, &label), credit],
                    },
                )
                .await?;
                Ok(())
            })
        })
        .await?;
        self.audit(
            customer_id,
            crate::audit::Action::LoanMoneyMoved,
            serde_json::json!({ "loan": loan_id, "drawn": amount }),
        )
        .await?;
        book::get(self.db, customer_id, loan_id).await
    }

    /// Repays `amount` of the customer's credit line from its account.
    pub async fn repay_line(
        &self,
        customer_id: &str,
        loan_id: &str,
        amount: i64,
    ) -> Result<Repaid> {
        self.credit_line(customer_id, loan_id).await?;
        if amount <= 0 {
            return Err(Error::invalid(crate::Input::Amount, "repay amount".into()));
        }
        let now = self.clock.now();
        let (principal, interest) = crate::db::in_transaction(self.db, |conn| {
            let id = loan_id.to_string();
            Box::pin(async move {
                let loan = claim(conn, &id).await?;
                if loan.status != Status::Active {
                    return Err(Refusal::LoanStateChanged.into());
                }
                repay_line_on(conn, &loan, amount, now).await
            })
        })
        .await?;
        self.audit(
            customer_id,
            crate::audit::Action::LoanMoneyMoved,
            serde_json::json!({ "loan": loan_id, "repaid_principal": principal, "repaid_interest": interest }),
        )
        .await?;
        Ok(Repaid {
            principal,
            interest,
            loan: book::get(self.db, customer_id, loan_id).await?,
        })
    }

    /// A credit line's balance now: principal drawn and interest to today (not written).
    pub async fn line_balance(&self, loan: &Loan) -> Result<(i64, i64)> {
        let Some(account) = &loan.loan_account_id else {
            return Ok((0, 0));
        };
        let row = sqlx::query("SELECT balance FROM accounts WHERE id = $1")
            .bind(account)
            .fetch_one(self.db.pool())
            .await?;
        let drawn = -crate::db::get_i64(&row, "balance")?;
        let today = self.clock.china_day();
        Ok((
            drawn,
            loan.accrued_interest
                + interest_for_days(drawn, loan.rate_bp, today - loan.accrued_to_day),
        ))
    }
}
