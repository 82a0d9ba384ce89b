//! The credit officer's review of applications the machine referred: the bank's queue, oldest
//! first, and the decision (the offer the rules proposed, or a decline), conditional on the
//! application still waiting, audited under the officer's name, and told to the customer in
//! their message centre.

use serde::{Deserialize, Serialize};

use super::book::{self, Loan, Status};
use super::servicing::{LoanAlert, Stage};
use super::Loans;
use crate::error::Refusal;
use crate::ops::{Role, StaffMember};
use crate::{Error, Result};

/// What the officer decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// Offer what the rules proposed.
    Approve,
    Decline,
}

/// A referred application with its customer as the officer may see them (masked).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    pub loan: Loan,
    pub name_masked: String,
}

impl Loans<'_> {
    /// The officer's bank's referred applications, oldest first. Loans are the banks'; the
    /// union's staff decide none.
    pub async fn referrals(&self, officer: &StaffMember) -> Result<Vec<Referral>> {
        officer.require(Role::CreditOfficer)?;
        let rows = sqlx::query(&format!(
            "SELECT {cols}, c.name_masked FROM loans l JOIN customers c ON c.id = l.customer_id \
             WHERE l.status = 'referred' AND l.bank_code = $1 ORDER BY l.created_at, l.id LIMIT 200",
            cols = book::loan_columns_of("l")
        ))
        .bind(&officer.institution)
        .fetch_all(self.db.pool())
        .await?;
        rows.iter()
            .map(|r| {
                use sqlx::Row;
                Ok(Referral {
                    loan: book::loan_from(r)?,
                    name_masked: r.try_get("name_masked")?,
                })
            })
            .collect()
    }

    /// Decides a referred application of the officer's bank; another bank's is not found.
    pub async fn review(
        &self,
        officer: &StaffMember,
        loan_id: &str,
        verdict: Verdict,
    ) -> Result<Loan> {
        officer.require(Role::CreditOfficer)?;
        let row = sqlx::query(&format!(
            "SELECT {} FROM loans WHERE id = $1 AND bank_code = $2",
            book::LOAN_COLUMNS
        ))
        .bind(loan_id)
        .bind(&officer.institution)
        .fetch_optional(self.db.pool())
        .await?
        .ok_or_else(|| Error::NotFound(format!("loan {loan_id}")))?;
        let loan = book::loan_from(&row)?;
        let next = match verdict {
            Verdict::Approve => Status::Offered,
            Verdict::Decline => Status::Declined,
        };
        let now = self.clock.now();
        let alert = LoanAlert {
            loan_id: loan.id.clone(),
            kind: loan.kind,
            number: 0,
            due_day: self.clock.china_day(),
            amount: loan.principal,
            stage: match verdict {
                Verdict::Approve => Stage::Approved,
                Verdict::Decline => Stage::Declined,
            },
            to_guarantor: false,
        };
        let decided = crate::db::in_transaction(self.db, |conn| {
            let (loan, alert, actor) = (loan.clone(), alert.clone(), officer.actor());
            Box::pin(async move {
                let changed = sqlx::query(
                    "UPDATE loans SET status = $1, decided_by = $2, decided_at = $3, \
                       version = version + 1 WHERE id = $4 AND status = 'referred'",
                )
                .bind(next.as_str())
                .bind(&actor)
                .bind(now)
                .bind(&loan.id)
                .execute(&mut *conn)
                .await?
                .rows_affected();
                if changed == 0 {
                    return Ok(false);
                }
                super::servicing::remind(conn, &loan, &alert, now).await?;
                Ok(true)
            })
        })
        .await?;
        if !decided {
            return Err(Refusal::LoanStateChanged.into());
        }
        crate::audit::append(
            self.db,
            self.clock,
            crate::audit::Entry {
                actor: &officer.actor(),
                action: crate::audit::Action::LoanReviewed,
                subject: &loan.customer_id,
                detail: serde_json::json!({
                    "loan": loan.id,
                    "institution": officer.institution,
                    "verdict": next.as_str(),
                }),
            },
        )
        .await?;
        book::get(self.db, &loan.customer_id, loan_id).await
    }
}
