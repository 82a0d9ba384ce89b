//! A customer's loans as stored: the loan from its application on, and a term loan's schedule
//! with what has been paid of each instalment.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::decision::Reason;
use super::products::{LoanKind, Purpose};
use super::schedule::Method;
use crate::clock::Millis;
use crate::db::{get_i64, get_opt_i64};
use crate::{Db, Error, Result};

/// Where a loan stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    /// A credit officer decides.
    Referred,
    Declined,
    /// Approved; the customer may read and sign the contract.
    Offered,
    /// The borrower signed; the guarantor has yet to.
    Signed,
    /// Paid out (a credit line: open for draws) and being repaid.
    Active,
    Repaid,
    /// The customer withdrew the application, or the offer lapsed.
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Referred,
        Status::Declined,
        Status::Offered,
        Status::Signed,
        Status::Active,
        Status::Repaid,
        Status::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Referred => "referred",
            Status::Declined => "declined",
            Status::Offered => "offered",
            Status::Signed => "signed",
            Status::Active => "active",
            Status::Repaid => "repaid",
            Status::Cancelled => "cancelled",
        }
    }

    fn parse(s: &str) -> Result<Status> {
        Status::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| Error::Internal(format!("loan status {s:?}")))
    }
}

impl Reason {
    pub const ALL: [Reason; 13] = [
        Reason::JudgmentDefaulter,
        Reason::OverdueNow,
        Reason::OverdueSeries,
        Reason::RecentLateMonths,
        Reason::ManyEnquiries,
        Reason::DebtBurden,
        Reason::ShortRelationship,
        Reason::TooLittleHistory,
        Reason::PoorTaxRating,
        Reason::TaxArrears,
        Reason::NewBusiness,
        Reason::TooLittleTax,
        Reason::GuarantorIneligible,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Reason::JudgmentDefaulter => "judgment_defaulter",
            Reason::OverdueNow => "overdue_now",
            Reason::OverdueSeries => "overdue_series",
            Reason::RecentLateMonths => "recent_late_months",
            Reason::ManyEnquiries => "many_enquiries",
            Reason::DebtBurden => "debt_burden",
            Reason::ShortRelationship => "short_relationship",
            Reason::TooLittleHistory => "too_little_history",
            Reason::PoorTaxRating => "poor_tax_rating",
            Reason::TaxArrears => "tax_arrears",
            Reason::NewBusiness => "new_business",
            Reason::TooLittleTax => "too_little_tax",
            Reason::GuarantorIneligible => "guarantor_ineligible",
        }
    }

    pub(crate) fn join(reasons: &[Reason]) -> String {
        reasons
            .iter()
            .map(|r| r.slug())
            .collect::<Vec<_>>()
            .join(",")
    }

    fn split(text: &str) -> Vec<Reason> {
        text.split(',')
            .filter_map(|s| Reason::ALL.into_iter().find(|r| r.slug() == s))
            .collect()
    }
}

/// A loan as its borrower (and the credit officer) sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Loan {
    pub id: String,
    pub customer_id: String,
    pub bank_code: String,
    pub product_code: String,
    pub kind: LoanKind,
    pub amount_asked: i64,
    pub months: u32,
    /// `None` for a credit line.
    pub method: Option<Method>,
    pub purpose: Purpose,
    pub account_id: String,
    pub deposit_id: Option<String>,
    /// 保证e贷: the customer who guarantees it jointly.
    pub guarantor_id: Option<String>,
    pub status: Status,
    pub reasons: Vec<Reason>,
    /// What was offered: the principal, a credit line's limit.
    pub principal: i64,
    pub rate_bp: i64,
    pub penalty_rate_bp: i64,
    pub grace_days: i64,
    pub loan_account_id: Option<String>,
    pub accrued_interest: i64,
    pub accrued_to_day: i64,
    pub collected_day: i64,
    /// The China day the oldest unpaid instalment falls due (a term loan being repaid).
    pub next_due_day: Option<i64>,
    pub version: i64,
    pub created_at: Millis,
    pub signed_at: Option<Millis>,
    pub disbursed_at: Option<Millis>,
    pub ends_day: Option<i64>,
    pub closed_at: Option<Millis>,
}

pub(super) const LOAN_COLUMNS: &str =
    "id, customer_id, bank_code, product_code, kind, amount_asked, \
     months, method, purpose, account_id, deposit_id, guarantor_id, status, reasons, principal, rate_bp, \
     penalty_rate_bp, grace_days, loan_account_id, accrued_interest, accrued_to_day, \
     collected_day, next_due_day, version, created_at, signed_at, disbursed_at, ends_day, closed_at";

/// The loan's columns for a query that names the loans table `alias` (`l.id, l.customer_id…`).
pub(super) fn loan_columns_of(alias: &str) -> String {
    LOAN_COLUMNS
        .split(", ")
        .map(|c| format!("{alias}.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn loan_from(r: &AnyRow) -> Result<Loan> {
    let kind: String = r.try_get("kind")?;
    let method: String = r.try_get("method")?;
    let purpose: String = r.try_get("purpose")?;
    let status: String = r.try_get("status")?;
    let reasons: String = r.try_get("reasons")?;
    Ok(Loan {
        id: r.try_get("id")?,
        customer_id: r.try_get("customer_id")?,
        bank_code: r.try_get("bank_code")?,
        product_code: r.try_get("product_code")?,
        kind: LoanKind::from_slug(&kind)?,
        amount_asked: get_i64(r, "amount_asked")?,
        months: u32::try_from(get_i64(r, "months")?)
            .map_err(|_| Error::Internal("loan months".into()))?,
        method: if method.is_empty() {
            None
        } else {
            Some(Method::from_slug(&method)?)
        },
        purpose: Purpose::from_slug(&purpose)
            .ok_or_else(|| Error::Internal(format!("loan purpose {purpose:?}")))?,
        account_id: r.try_get("account_id")?,
        deposit_id: r.try_get("deposit_id")?,
        guarantor_id: r.try_get("guarantor_id")?,
        status: Status::parse(&status)?,
        reasons: Reason::split(&reasons),
        principal: get_i64(r, "principal")?,
        rate_bp: get_i64(r, "rate_bp")?,
        penalty_rate_bp: get_i64(r, "penalty_rate_bp")?,
        grace_days: get_i64(r, "grace_days")?,
        loan_account_id: r.try_get("loan_account_id")?,
        accrued_interest: get_i64(r, "accrued_interest")?,
        accrued_to_day: get_i64(r, "accrued_to_day")?,
        collected_day: get_i64(r, "collected_day")?,
        next_due_day: get_opt_i64(r, "next_due_day")?,
        version: get_i64(r, "version")?,
        created_at: get_i64(r, "created_at")?,
        signed_at: get_opt_i64(r, "signed_at")?,
        disbursed_at: get_opt_i64(r, "disbursed_at")?,
        ends_day: get_opt_i64(r, "ends_day")?,
        closed_at: get_opt_i64(r, "closed_at")?,
    })
}

/// One instalment of a term loan with what has been paid of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    pub number: u32,
    pub month: u32,
    pub due_day: i64,
    pub principal: i64,
    pub interest: i64,
    pub paid_principal: i64,
    pub paid_interest: i64,
    pub penalty: i64,
    pub paid_penalty: i64,
    pub penalty_to_day: i64,
    pub paid_day: Option<i64>,
}

impl Due {
    /// What is still owed of it.
    pub fn outstanding(&self) -> i64 {
        self.principal - self.paid_principal + self.interest - self.paid_interest + self.penalty
            - self.paid_penalty
    }

    pub fn principal_owed(&self) -> i64 {
        self.principal - self.paid_principal
    }
}

const DUE_COLUMNS: &str = "number, month, due_day, principal, interest, paid_principal, \
     paid_interest, penalty, paid_penalty, penalty_to_day, paid_day";

fn due_from(r: &AnyRow) -> Result<Due> {
    let int = |c: &str| -> Result<u32> {
        u32::try_from(get_i64(r, c)?).map_err(|_| Error::Internal(format!("instalment {c}")))
    };
    Ok(Due {
        number: int("number")?,
        month: int("month")?,
        due_day: get_i64(r, "due_day")?,
        principal: get_i64(r, "principal")?,
        interest: get_i64(r, "interest")?,
        paid_principal: get_i64(r, "paid_principal")?,
        paid_interest: get_i64(r, "paid_interest")?,
        penalty: get_i64(r, "penalty")?,
        paid_penalty: get_i64(r, "paid_penalty")?,
        penalty_to_day: get_i64(r, "penalty_to_day")?,
        paid_day: get_opt_i64(r, "paid_day")?,
    })
}

/// The customer's loan `id`; another customer's is not found.
pub async fn get(db: &Db, customer_id: &str, id: &str) -> Result<Loan> {
    let row = sqlx::query(&format!(
        "SELECT {LOAN_COLUMNS} FROM loans WHERE id = $1 AND customer_id = $2"
    ))
    .bind(id)
    .bind(customer_id)
    .fetch_optional(db.pool())
    .await?
    .ok_or_else(|| Error::NotFound(format!("loan {id}")))?;
    loan_from(&row)
}

/// The customer's loans and applications, newest first.
pub async fn list(db: &Db, customer_id: &str) -> Result<Vec<Loan>> {
    sqlx::query(&format!(
        "SELECT {LOAN_COLUMNS} FROM loans WHERE customer_id = $1 ORDER BY created_at DESC, id"
    ))
    .bind(customer_id)
    .fetch_all(db.pool())
    .await?
    .iter()
    .map(loan_from)
    .collect()
}

/// A term loan's schedule, first instalment first.
pub async fn schedule(db: &Db, loan_id: &str) -> Result<Vec<Due>> {
    let mut conn = db.pool().acquire().await?;
    schedule_on(&mut conn, loan_id).await
}

/// A term loan's schedule inside a transaction.
pub(super) async fn schedule_on(conn: &mut AnyConnection, loan_id: &str) -> Result<Vec<Due>> {
    sqlx::query(&format!(
        "SELECT {DUE_COLUMNS} FROM loan_instalments WHERE loan_id = $1 ORDER BY number"
    ))
    .bind(loan_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(due_from)
    .collect()
}

/// The unpaid instalments of a loan inside a transaction.
pub(super) async fn unpaid_on(conn: &mut AnyConnection, loan_id: &str) -> Result<Vec<Due>> {
    sqlx::query(&format!(
        "SELECT {DUE_COLUMNS} FROM loan_instalments WHERE loan_id = $1 AND paid_day IS NULL \
         ORDER BY number"
    ))
    .bind(loan_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(due_from)
    .collect()
}

/// Principal owed on a loan: minus its receivable account's balance.
pub(super) async fn principal_owed_on(conn: &mut AnyConnection, loan: &Loan) -> Result<i64> {
    let Some(account) = &loan.loan_account_id else {
        return Ok(0);
    };
    let row = sqlx::query("SELECT balance FROM accounts WHERE id = $1")
        .bind(account)
        .fetch_one(&mut *conn)
        .await?;
    Ok(-get_i64(&row, "balance")?)
}
