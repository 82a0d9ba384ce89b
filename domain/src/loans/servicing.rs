//! The daily servicing run: what is due is collected from the borrowers' accounts (in part
//! when the money is short), penalty interest accrues on overdue principal, reminders go to
//! the message centre three days ahead, on the due day and when an instalment is overdue, a
//! defaulted 质押e贷 is repaid from its pledged deposit, and credit lines settle their interest
//! on the 20th of each month and everything when they end.
//!
//! Any number of nodes may run it at once: a loan is collected at most once a China day (its
//! `collected_day` moves on in the transaction that collects, which claims the loan first),
//! and each reminder is written once (`notifications_once` on its source).

use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

use super::accrual;
use super::book::{self, Due, Loan, Status};
use super::products::LoanKind;
use super::repay::{self, Repayment};
use super::Loans;
use crate::clock::{china_day_of, Millis};
use crate::db::get_i64;
use crate::identity::Date;
use crate::{Error, Result};

/// How far along an instalment is, for its reminder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    /// Due in three days.
    Ahead,
    /// Due today and not (fully) collected.
    Due,
    /// Past its due day and still unpaid.
    Overdue,
    /// A credit officer approved the referred application (`amount` the offer, no instalment).
    Approved,
    /// A credit officer declined it.
    Declined,
    /// 保证e贷, to the guarantor: the borrower signed and asks them to guarantee.
    GuaranteeAsked,
    /// To the borrower: the guarantor signed and the money was paid out.
    GuaranteeAccepted,
    /// To the borrower: the guarantor declined, or their report did not allow it.
    GuaranteeRefused,
}

impl Stage {
    fn as_str(self) -> &'static str {
        match self {
            Stage::Ahead => "ahead",
            Stage::Due => "due",
            Stage::Overdue => "overdue",
            Stage::Approved => "approved",
            Stage::Declined => "declined",
            Stage::GuaranteeAsked => "guarantee_asked",
            Stage::GuaranteeAccepted => "guarantee_accepted",
            Stage::GuaranteeRefused => "guarantee_refused",
        }
    }
}

/// A loan reminder in the message centre.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanAlert {
    pub loan_id: String,
    pub kind: LoanKind,
    pub number: u32,
    pub due_day: i64,
    /// What is still owed of the instalment (with penalty interest so far), fen.
    pub amount: i64,
    pub stage: Stage,
    /// The message goes to the loan's guarantor, not its borrower.
    #[serde(default)]
    pub to_guarantor: bool,
}

/// What one run did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Loans something was collected from.
    pub collected: usize,
    /// Fen collected.
    pub amount: i64,
    pub reminders: usize,
    pub pledges_enforced: usize,
    /// Credit lines whose interest was settled.
    pub lines_settled: usize,
}

/// Days before the due day the first reminder goes out.
pub const REMIND_AHEAD_DAYS: i64 = 3;

/// The day of the month a credit line's interest is settled.
pub const SETTLEMENT_DAY_OF_MONTH: u32 = 20;

/// The latest settlement day (the 20th) on or before `today`.
pub fn last_settlement_day(today: i64) -> i64 {
    let d = Date::from_days(today);
    if d.day >= SETTLEMENT_DAY_OF_MONTH {
        today - i64::from(d.day - SETTLEMENT_DAY_OF_MONTH)
    } else {
        // The 20th of the month before: today minus this month's days so far, minus the days
        // from the 20th to the end of that month.
        let last_of_previous = today - i64::from(d.day);
        let p = Date::from_days(last_of_previous);
        last_of_previous - i64::from(p.day - SETTLEMENT_DAY_OF_MONTH)
    }
}

/// Writes a reminder once (per loan, instalment, stage and recipient): to the borrower, or
/// to the guarantor when the alert says so.
pub(super) async fn remind(
    conn: &mut AnyConnection,
    loan: &Loan,
    alert: &LoanAlert,
    now: Millis,
) -> Result<bool> {
    let to = match (&loan.guarantor_id, alert.to_guarantor) {
        (Some(g), true) => g,
        (None, true) => return Ok(false),
        (_, false) => &loan.customer_id,
    };
    let source = format!(
        "loan:{}:{}:{}",
        alert.loan_id,
        alert.number,
        alert.stage.as_str()
    );
    let data = serde_json::to_string(alert).map_err(|e| Error::Internal(e.to_string()))?;
    let n = sqlx::query(
        "INSERT INTO notifications (id, customer_id, kind, data, created_at, source) \
         VALUES ($1, $2, 'loan', $3, $4, $5) ON CONFLICT (source, customer_id) DO NOTHING",
    )
    .bind(crate::id::new_id())
    .bind(to)
    .bind(data)
    .bind(now)
    .bind(source)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(n == 1)
}

/// The customer's available balance on an account, as the ledger would let it be spent.
async fn available(conn: &mut AnyConnection, account_id: &str) -> Result<i64> {
    let row = sqlx::query("SELECT balance, frozen, status FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_one(&mut *conn)
        .await?;
    let status: String = row.try_get("status")?;
    if status != "open" {
        return Ok(0);
    }
    Ok((get_i64(&row, "balance")? - get_i64(&row, "frozen")?).max(0))
}

impl Loans<'_> {
    /// Runs the servicing for today: every loan with something due once, `batch` loans per
    /// read. A loan whose collection fails (its account closed meanwhile, say) is logged and
    /// left for the next run; the others go on.
    pub async fn service(&self, batch: i64) -> Result<RunReport> {
        let mut report = RunReport::default();
        self.collect_term_loans(batch, &mut report).await?;
        self.settle_lines(batch, &mut report).await?;
        report.reminders += self.remind_ahead().await?;
        Ok(report)
    }

    /// Term loans with something due and not yet collected from today, by the day their
    /// oldest unpaid instalment fell due and id (the `loans_next_due` index).
    async fn collect_term_loans(&self, batch: i64, report: &mut RunReport) -> Result<()> {
        let today = self.clock.china_day();
        let mut cursor = (-1_i64, String::new());
        loop {
            let page: Vec<(i64, String)> = sqlx::query(
                "SELECT next_due_day, id FROM loans \
                 WHERE status = 'active' AND next_due_day <= $1 AND collected_day < $1 \
                   AND (next_due_day > $2 OR (next_due_day = $2 AND id > $3)) \
                 ORDER BY next_due_day, id LIMIT $4",
            )
            .bind(today)
            .bind(cursor.0)
            .bind(&cursor.1)
            .bind(batch)
            .fetch_all(self.db.pool())
            .await?
            .iter()
            .map(|r| Ok((get_i64(r, "next_due_day")?, r.try_get("id")?)))
            .collect::<Result<_>>()?;
            let Some(last) = page.last() else {
                return Ok(());
            };
            cursor = last.clone();
            let ids = page.into_iter().map(|(_, id)| id);
            let now = self.clock.now();
            for id in ids {
                let done = crate::db::in_transaction(self.db, |conn| {
                    let id = id.clone();
                    Box::pin(async move { collect_one(conn, &id, now).await })
                })
                .await;
                match done {
                    Ok(Some((amount, reminders, enforced))) => {
                        report.collected += usize::from(amount > 0);
                        report.amount += amount;
                        report.reminders += reminders;
                        report.pledges_enforced += usize::from(enforced);
                    }
                    Ok(None) => {}
                    Err(e) => {
                        tracing::warn!(loan = %id, error = %e, "loan collection failed; the next run tries again")
                    }
                }
            }
        }
    }

    /// Credit lines whose settlement day has come since they last settled, or that ended.
    async fn settle_lines(&self, batch: i64, report: &mut RunReport) -> Result<()> {
        let today = self.clock.china_day();
        let settle_from = last_settlement_day(today);
        let mut cursor = String::new();
        loop {
            let ids: Vec<String> = sqlx::query(
                "SELECT l.id FROM loans l JOIN accounts a ON a.id = l.loan_account_id \
                 WHERE l.kind = 'credit_line' AND l.status = 'active' AND l.id > $3 \
                   AND (a.balance < 0 OR l.accrued_interest > 0) \
                   AND (l.collected_day < $1 OR (l.ends_day <= $2 AND l.collected_day < $2)) \
                 ORDER BY l.id LIMIT $4",
            )
            .bind(settle_from)
            .bind(today)
            .bind(&cursor)
            .bind(batch)
            .fetch_all(self.db.pool())
            .await?
            .iter()
            .map(|r| r.try_get("id"))
            .collect::<std::result::Result<_, _>>()?;
            let Some(last) = ids.last() else {
                return Ok(());
            };
            cursor = last.clone();
            let now = self.clock.now();
            for id in ids {
                let settled = crate::db::in_transaction(self.db, |conn| {
                    let id = id.clone();
                    Box::pin(async move { settle_line(conn, &id, settle_from, now).await })
                })
                .await;
                match settled {
                    Ok(Some(amount)) => {
                        report.lines_settled += 1;
                        report.amount += amount;
                    }
                    Ok(None) => {}
                    Err(e) => {
                        tracing::warn!(loan = %id, error = %e, "credit line settlement failed; the next run tries again")
                    }
                }
            }
        }
    }

    /// Reminders for instalments due in three days.
    async fn remind_ahead(&self) -> Result<usize> {
        let today = self.clock.china_day();
        let rows = sqlx::query(&format!(
            "SELECT {cols}, i.number AS due_number, i.due_day AS due_on, \
               i.principal - i.paid_principal + i.interest - i.paid_interest AS owed \
             FROM loan_instalments i JOIN loans l ON l.id = i.loan_id \
             WHERE i.due_day = $1 AND i.paid_day IS NULL AND l.status = 'active'",
            cols = book::loan_columns_of("l")
        ))
        .bind(today + REMIND_AHEAD_DAYS)
        .fetch_all(self.db.pool())
        .await?;
        let now = self.clock.now();
        let mut sent = 0;
        for r in rows {
            let loan = book::loan_from(&r)?;
            let alert = LoanAlert {
                loan_id: loan.id.clone(),
                kind: loan.kind,
                number: u32::try_from(get_i64(&r, "due_number")?).unwrap_or(0),
                due_day: get_i64(&r, "due_on")?,
                amount: get_i64(&r, "owed")?,
                stage: Stage::Ahead,
                to_guarantor: false,
            };
            let mut conn = self.db.pool().acquire().await?;
            sent += usize::from(remind(&mut conn, &loan, &alert, now).await?);
        }
        Ok(sent)
    }
}

/// Collects one term loan for today, inside its transaction: (amount collected, reminders
/// written, pledge enforced), or `None` when another node did it first.
async fn collect_one(
    conn: &mut AnyConnection,
    loan_id: &str,
    now: Millis,
) -> Result<Option<(i64, usize, bool)>> {
    let today = china_day_of(now);
    let Some(loan) = repay::claim_for_collection(conn, loan_id, today).await? else {
        return Ok(None);
    };
    let before = book::unpaid_on(conn, &loan.id).await?;
    let mut unpaid = before.clone();
    repay::accrue_all(&loan, &mut unpaid, today);

    // A pledge loan past its grace days is repaid from the deposit, all of it at once.
    let defaulted = unpaid
        .iter()
        .any(|d| d.due_day + loan.grace_days < today && d.principal_owed() > 0);
    if let (true, Some(deposit)) = (defaulted, loan.deposit_id.as_deref()) {
        let paid_in =
            crate::deposit::enforce_on(conn, deposit, &loan.id, &loan.account_id, now).await?;
        if paid_in > 0 {
            let (p, i) = repay::repay_on(conn, &loan, Repayment::Full, now).await?;
            return Ok(Some((p + i, 0, true)));
        }
    }

    let due_now: i64 = unpaid
        .iter()
        .filter(|d| d.due_day <= today)
        .map(Due::outstanding)
        .sum();
    let amount = due_now.min(available(conn, &loan.account_id).await?);
    let (shares, _) = accrual::allocate(&mut unpaid, amount, today);
    repay::write_dues(conn, &loan.id, &before, &unpaid).await?;
    let (p, i) = accrual::totals(&shares);
    repay::post_repayment(conn, &loan, p, i, now).await?;
    repay::close_if_repaid(conn, &loan, &unpaid, now).await?;

    let mut reminders = 0;
    for d in unpaid
        .iter()
        .filter(|d| d.due_day <= today && d.paid_day.is_none())
    {
        let overdue = d.due_day < today;
        let alert = LoanAlert {
            loan_id: loan.id.clone(),
            kind: loan.kind,
            number: d.number,
            due_day: d.due_day,
            amount: d.outstanding(),
            stage: if overdue { Stage::Overdue } else { Stage::Due },
            to_guarantor: false,
        };
        reminders += usize::from(remind(conn, &loan, &alert, now).await?);
        // The guarantor is jointly liable: they hear of every overdue instalment.
        if overdue && loan.guarantor_id.is_some() {
            let to_guarantor = LoanAlert {
                to_guarantor: true,
                ..alert
            };
            reminders += usize::from(remind(conn, &loan, &to_guarantor, now).await?);
        }
    }
    Ok(Some((p + i, reminders, false)))
}

/// Settles a credit line's interest (and, once it has ended, its principal) from its account.
async fn settle_line(
    conn: &mut AnyConnection,
    loan_id: &str,
    settle_from: i64,
    now: Millis,
) -> Result<Option<i64>> {
    let today = china_day_of(now);
    let loan = repay::claim(conn, loan_id).await?;
    let ended = loan.ends_day.is_some_and(|end| today >= end);
    if loan.status != Status::Active
        || (loan.collected_day >= settle_from && !ended)
        || (ended && loan.collected_day >= today)
    {
        return Ok(None);
    }
    sqlx::query("UPDATE loans SET collected_day = $1 WHERE id = $2")
        .bind(today)
        .bind(&loan.id)
        .execute(&mut *conn)
        .await?;
    let (drawn, accrued) = repay::accrue_line(conn, &loan, today).await?;
    let owed = if ended { drawn + accrued } else { accrued };
    let amount = owed.min(available(conn, &loan.account_id).await?);
    if amount == 0 {
        return Ok(Some(0));
    }
    let loan = Loan {
        accrued_interest: accrued,
        accrued_to_day: today,
        ..loan
    };
    let (p, i) = repay::repay_line_on(conn, &loan, amount, now).await?;
    Ok(Some(p + i))
}
