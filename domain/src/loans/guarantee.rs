//! 保证e贷's guarantor: another customer (of any of the province's banks) the borrower invited
//! by mobile number. Once the borrower has signed, the guarantor finds the loan in their own
//! login, reads the whole contract (the same text, with the guarantee clause naming them) and
//! signs it with their own step-up, bound like the borrower's to the contract's SHA-256; only
//! then is the money paid out. Their signature on that hash is the joint liability. They may
//! decline instead, and a credit report that stops them guaranteeing ends the application.
//! Every loan function here is scoped to the guarantor: a loan they do not guarantee is not
//! found.

use webauthn_rs::prelude::RequestChallengeResponse;

use super::book::{self, Loan, Status};
use super::contract::{sha256_hex, Contract};
use super::decision::{self, Reason};
use super::servicing::{remind, LoanAlert, Stage};
use super::Loans;
use crate::audit::Action;
use crate::clock::china_day_of;
use crate::error::Refusal;
use crate::identity::passkey::Challenge;
use crate::identity::Binding;
use crate::money::format_yuan;
use crate::sms::SmsGateway;
use crate::transfer::StepUp;
use crate::{Error, Result};

/// What the guarantor answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Signs with the step-up, having authorized the bank to check their own credit report.
    Accept {
        authorized: bool,
    },
    Decline,
}

impl Loans<'_> {
    /// What a guarantor's step-up authorises: this guarantor, this amount, this text.
    fn guarantee_binding(guarantor_id: &str, loan: &Loan, contract: &Contract) -> Binding {
        Binding::to_operation(
            guarantor_id,
            "loan_guarantee",
            loan.principal,
            &sha256_hex(&contract.text),
        )
    }

    /// The loans the customer was asked to guarantee (once the borrower signed), newest first.
    pub async fn guarantees(&self, guarantor_id: &str) -> Result<Vec<Loan>> {
        sqlx::query(&format!(
            "SELECT {} FROM loans WHERE guarantor_id = $1 AND signed_at IS NOT NULL \
             ORDER BY signed_at DESC, id",
            book::LOAN_COLUMNS
        ))
        .bind(guarantor_id)
        .fetch_all(self.db.pool())
        .await?
        .iter()
        .map(book::loan_from)
        .collect()
    }

    /// One loan the customer guarantees, with its contract; not found for any other.
    pub async fn guaranteed(&self, guarantor_id: &str, loan_id: &str) -> Result<(Loan, Contract)> {
        let loan = sqlx::query(&format!(
            "SELECT {} FROM loans WHERE id = $1 AND guarantor_id = $2 AND signed_at IS NOT NULL",
            book::LOAN_COLUMNS
        ))
        .bind(loan_id)
        .bind(guarantor_id)
        .fetch_optional(self.db.pool())
        .await?
        .map(|r| book::loan_from(&r))
        .transpose()?
        .ok_or_else(|| Error::NotFound(format!("guaranteed loan {loan_id}")))?;
        let contract = self
            .stored_contract(&loan.customer_id, loan_id)
            .await?
            .ok_or_else(|| Error::Internal(format!("signed loan {loan_id} without contract")))?;
        Ok((loan, contract))
    }

    /// The loan and contract while the guarantor's answer is awaited.
    async fn awaiting(&self, guarantor_id: &str, loan_id: &str) -> Result<(Loan, Contract)> {
        let (loan, contract) = self.guaranteed(guarantor_id, loan_id).await?;
        if loan.status != Status::Signed {
            return Err(Refusal::LoanStateChanged.into());
        }
        Ok((loan, contract))
    }

    /// Sends the guarantor's signing code; the SMS names the amount and the contract digest.
    pub async fn send_guarantee_code(
        &self,
        sms: &dyn SmsGateway,
        guarantor_id: &str,
        loan_id: &str,
    ) -> Result<()> {
        let (loan, contract) = self.awaiting(guarantor_id, loan_id).await?;
        let amount = format_yuan(loan.principal);
        let digest = contract.sha256[..8].to_uppercase();
        self.send_signer_code(
            sms,
            guarantor_id,
            &Self::guarantee_binding(guarantor_id, &loan, &contract),
            |code| {
                format!(
                    "【农商银行】您正在为他人借款{amount}签署连带责任保证，合同摘要{digest}，验证码 {code}，5 分钟内有效。如非本人操作请勿告诉任何人。"
                )
            },
        )
        .await
    }

    /// Whether the newest code sent to the guarantor still signs exactly this contract.
    pub async fn guarantee_code_live(&self, guarantor_id: &str, loan_id: &str) -> Result<bool> {
        let (loan, contract) = self.awaiting(guarantor_id, loan_id).await?;
        self.signer_code_live(
            guarantor_id,
            &Self::guarantee_binding(guarantor_id, &loan, &contract),
        )
        .await
    }

    /// Starts a passkey signing of the guarantee, bound like the SMS code.
    pub async fn start_passkey_guarantee(
        &self,
        rp: &crate::identity::passkey::RelyingParty,
        guarantor_id: &str,
        loan_id: &str,
    ) -> Result<Challenge<RequestChallengeResponse>> {
        let (loan, contract) = self.awaiting(guarantor_id, loan_id).await?;
        self.start_signer_passkey(
            rp,
            guarantor_id,
            &Self::guarantee_binding(guarantor_id, &loan, &contract),
        )
        .await
    }

    /// The guarantor answers. Accepting checks the step-up, asks the bureau for the
    /// guarantor's report under their authorization and, when it allows, records their
    /// signature and pays the loan out in one transaction conditional on the loan still
    /// waiting; a report that does not allow it declines the loan (the borrower is told) and
    /// is refused with [`Refusal::GuarantorIneligible`]. Declining cancels the loan.
    pub async fn answer_guarantee(
        &self,
        guarantor_id: &str,
        loan_id: &str,
        answer: Answer,
        step_up: Option<StepUp<'_>>,
        device_id: &str,
    ) -> Result<Loan> {
        let (loan, contract) = self.awaiting(guarantor_id, loan_id).await?;
        let authorized = match answer {
            Answer::Decline => {
                self.end_guarantee(&loan, Status::Cancelled, &[]).await?;
                self.audit_guarantee(guarantor_id, &loan, Action::LoanGuaranteeDeclined, None)
                    .await?;
                return book::get(self.db, &loan.customer_id, loan_id).await;
            }
            Answer::Accept { authorized } => authorized,
        };
        if !authorized {
            return Err(Refusal::BureauAuthorizationMissing.into());
        }
        let binding = Self::guarantee_binding(guarantor_id, &loan, &contract);
        let step_up = step_up.ok_or(Refusal::StepUpRequired)?;
        let method = self.verify_signing(guarantor_id, &binding, step_up).await?;
        if sha256_hex(&contract.text) != contract.sha256 {
            return Err(Error::Internal(format!("contract {} altered", contract.id)));
        }
        let report = self
            .credit_report(guarantor_id, &format!("loan guarantee {}", loan.id))
            .await?;
        if !decision::guarantor_eligible(&report) {
            self.end_guarantee(&loan, Status::Declined, &[Reason::GuarantorIneligible])
                .await?;
            return Err(Refusal::GuarantorIneligible.into());
        }
        let account = self
            .accounts()
            .get_owned(&loan.customer_id, &loan.account_id)
            .await?;
        let now = self.clock.now();
        let accepted = crate::db::in_transaction(self.db, |conn| {
            let (loan, contract) = (loan.clone(), contract.clone());
            let (guarantor, device) = (guarantor_id.to_string(), device_id.to_string());
            Box::pin(async move {
                let changed = sqlx::query(
                    "UPDATE loans SET status = 'active', version = version + 1 \
                     WHERE id = $1 AND status = 'signed' AND guarantor_id = $2",
                )
                .bind(&loan.id)
                .bind(&guarantor)
                .execute(&mut *conn)
                .await?
                .rows_affected();
                if changed == 0 {
                    return Ok(false);
                }
                sqlx::query(
                    "INSERT INTO loan_signatures (contract_id, signer_id, role, sha256, method, \
                       device_id, signed_at) VALUES ($1, $2, 'guarantor', $3, $4, $5, $6)",
                )
                .bind(&contract.id)
                .bind(&guarantor)
                .bind(&contract.sha256)
                .bind(method)
                .bind(&device)
                .bind(now)
                .execute(&mut *conn)
                .await?;
                super::sign::disburse_on(conn, &loan, account.class, now).await?;
                remind(
                    conn,
                    &loan,
                    &told(&loan, Stage::GuaranteeAccepted, now),
                    now,
                )
                .await?;
                Ok(true)
            })
        })
        .await?;
        if !accepted {
            return Err(Refusal::LoanStateChanged.into());
        }
        self.audit_guarantee(guarantor_id, &loan, Action::LoanGuaranteed, Some(method))
            .await?;
        book::get(self.db, &loan.customer_id, loan_id).await
    }

    /// Ends a loan waiting for its guarantor and tells the borrower.
    async fn end_guarantee(&self, loan: &Loan, status: Status, reasons: &[Reason]) -> Result<()> {
        let now = self.clock.now();
        let ended = crate::db::in_transaction(self.db, |conn| {
            let loan = loan.clone();
            let reasons = Reason::join(reasons);
            Box::pin(async move {
                let changed = sqlx::query(
                    "UPDATE loans SET status = $1, reasons = $2, closed_at = $3, \
                       version = version + 1 WHERE id = $4 AND status = 'signed'",
                )
                .bind(status.as_str())
                .bind(reasons)
                .bind(now)
                .bind(&loan.id)
                .execute(&mut *conn)
                .await?
                .rows_affected();
                if changed == 0 {
                    return Ok(false);
                }
                remind(conn, &loan, &told(&loan, Stage::GuaranteeRefused, now), now).await?;
                Ok(true)
            })
        })
        .await?;
        if !ended {
            return Err(Refusal::LoanStateChanged.into());
        }
        Ok(())
    }

    async fn audit_guarantee(
        &self,
        guarantor_id: &str,
        loan: &Loan,
        action: Action,
        method: Option<&str>,
    ) -> Result<()> {
        crate::audit::append(
            self.db,
            self.clock,
            crate::audit::Entry {
                actor: guarantor_id,
                action,
                subject: &loan.customer_id,
                detail: serde_json::json!({ "loan": loan.id, "method": method }),
            },
        )
        .await
        .map(|_| ())
    }
}

/// A message to the borrower about their guarantor's answer.
fn told(loan: &Loan, stage: Stage, now: crate::clock::Millis) -> LoanAlert {
    LoanAlert {
        loan_id: loan.id.clone(),
        kind: loan.kind,
        number: 0,
        due_day: china_day_of(now),
        amount: loan.principal,
        stage,
        to_guarantor: false,
    }
}
