//! Online signing (线上签约) and the disbursement.
//!
//! The step-up (an SMS code or a passkey) is bound to the customer, the amount and the SHA-256
//! of the contract's text: a text that changed after the code was sent no longer matches the
//! code's binding and cannot be signed. The signature, the loan becoming active, the pledge of
//! a 质押e贷's deposit and the disbursement are one transaction, conditional on the loan still
//! being offered: a second signing of the same loan (a double submit, another node) finds it
//! signed and pays nothing twice.

use sqlx::AnyConnection;
use webauthn_rs::prelude::RequestChallengeResponse;

use super::book::{self, Loan, Status};
use super::contract::{sha256_hex, Contract};
use super::products::LoanKind;
use super::schedule::{self, Terms};
use super::servicing::{remind, LoanAlert, Stage};
use super::Loans;
use crate::account::AccountClass;
use crate::clock::{china_day_of, Millis};
use crate::error::Refusal;
use crate::identity::passkey::{Challenge, Passkeys, RelyingParty};
use crate::identity::{Binding, Purpose};
use crate::ledger::{self, EntryKind, Leg, NewEntry};
use crate::money::format_yuan;
use crate::sms::SmsGateway;
use crate::transfer::StepUp;
use crate::{Error, Result};

impl Loans<'_> {
    /// What a signing step-up authorises: this customer, this amount, this text.
    pub(super) fn signing_binding(customer_id: &str, loan: &Loan, contract: &Contract) -> Binding {
        Binding::to_operation(
            customer_id,
            "loan_contract",
            loan.principal,
            &sha256_hex(&contract.text),
        )
    }

    async fn offered(&self, customer_id: &str, loan_id: &str) -> Result<(Loan, Contract)> {
        let loan = book::get(self.db, customer_id, loan_id).await?;
        if loan.status != Status::Offered {
            return Err(Refusal::LoanStateChanged.into());
        }
        let contract = self.contract(customer_id, loan_id).await?;
        Ok((loan, contract))
    }

    /// Sends the signing code; the SMS names the amount and the first characters of the
    /// contract's hash, which the page shows too.
    pub async fn send_signing_code(
        &self,
        sms: &dyn SmsGateway,
        customer_id: &str,
        loan_id: &str,
    ) -> Result<()> {
        let (loan, contract) = self.offered(customer_id, loan_id).await?;
        let amount = format_yuan(loan.principal);
        let digest = contract.sha256[..8].to_uppercase();
        self.send_signer_code(
            sms,
            customer_id,
            &Self::signing_binding(customer_id, &loan, &contract),
            |code| {
                format!(
                    "【农商银行】您正在签署借款合同，金额{amount}，合同摘要{digest}，验证码 {code}，5 分钟内有效。请勿告诉任何人。"
                )
            },
        )
        .await
    }

    /// Whether the newest code sent to the customer still signs exactly this contract (the
    /// page then asks for it instead of offering to send one).
    pub async fn signing_code_live(&self, customer_id: &str, loan_id: &str) -> Result<bool> {
        let (loan, contract) = self.offered(customer_id, loan_id).await?;
        self.signer_code_live(
            customer_id,
            &Self::signing_binding(customer_id, &loan, &contract),
        )
        .await
    }

    /// Starts a passkey signing, bound like the SMS code.
    pub async fn start_passkey_signing(
        &self,
        rp: &RelyingParty,
        customer_id: &str,
        loan_id: &str,
    ) -> Result<Challenge<RequestChallengeResponse>> {
        let (loan, contract) = self.offered(customer_id, loan_id).await?;
        self.start_signer_passkey(
            rp,
            customer_id,
            &Self::signing_binding(customer_id, &loan, &contract),
        )
        .await
    }

    /// Sends a signer (the borrower or the guarantor) the code for `binding`, worded by `text`.
    pub(super) async fn send_signer_code(
        &self,
        sms: &dyn SmsGateway,
        signer: &str,
        binding: &Binding,
        text: impl FnOnce(&str) -> String,
    ) -> Result<()> {
        let mobile = self.identity().mobile_of(signer).await?;
        self.otp()
            .issue(sms, &mobile, Purpose::StepUp, binding, text)
            .await
    }

    /// Whether the newest code sent to a signer still authorises `binding`.
    pub(super) async fn signer_code_live(&self, signer: &str, binding: &Binding) -> Result<bool> {
        let mobile = self.identity().mobile_of(signer).await?;
        self.otp().live_for(&mobile, Purpose::StepUp, binding).await
    }

    /// Starts a signer's passkey step-up for `binding`.
    pub(super) async fn start_signer_passkey(
        &self,
        rp: &RelyingParty,
        signer: &str,
        binding: &Binding,
    ) -> Result<Challenge<RequestChallengeResponse>> {
        Passkeys {
            db: self.db,
            clock: self.clock,
            rp,
        }
        .start_step_up(signer, binding)
        .await
    }

    /// Checks a signer's step-up against what it must authorise; the method's name, as the
    /// signature records it.
    pub(super) async fn verify_signing(
        &self,
        signer: &str,
        binding: &Binding,
        step_up: StepUp<'_>,
    ) -> Result<&'static str> {
        match step_up {
            StepUp::Code(code) => {
                let mobile = self.identity().mobile_of(signer).await?;
                self.otp()
                    .verify(&mobile, Purpose::StepUp, binding, code.trim())
                    .await?;
                Ok("sms")
            }
            StepUp::Passkey {
                rp,
                challenge_id,
                answer,
            } => {
                let verified = Passkeys {
                    db: self.db,
                    clock: self.clock,
                    rp,
                }
                .finish_step_up(signer, challenge_id, answer)
                .await?;
                if !verified.authorises(signer, binding) {
                    return Err(Refusal::OtpBindingChanged.into());
                }
                Ok("passkey")
            }
        }
    }

    /// Signs the contract of the customer's offered loan with the step-up, from the browser
    /// `device_id`; pays a term loan out (a 保证e贷 waits for its guarantor) and opens a
    /// credit line.
    pub async fn sign(
        &self,
        customer_id: &str,
        loan_id: &str,
        step_up: StepUp<'_>,
        device_id: &str,
    ) -> Result<Loan> {
        let (loan, contract) = self.offered(customer_id, loan_id).await?;
        let binding = Self::signing_binding(customer_id, &loan, &contract);
        let method = self.verify_signing(customer_id, &binding, step_up).await?;
        if sha256_hex(&contract.text) != contract.sha256 {
            // The stored text no longer hashes to what was stored: never sign it.
            return Err(Error::Internal(format!("contract {} altered", contract.id)));
        }
        let account = self
            .accounts()
            .get_owned(customer_id, &loan.account_id)
            .await?;
        let now = self.clock.now();
        let signed = crate::db::in_transaction(self.db, |conn| {
            let (loan, contract, account) = (loan.clone(), contract.clone(), account.clone());
            let device = device_id.to_string();
            Box::pin(async move {
                let next = match loan.kind {
                    LoanKind::Guaranteed => Status::Signed,
                    _ => Status::Active,
                };
                let changed = sqlx::query(
                    "UPDATE loans SET status = $1, signed_at = $2, version = version + 1 \
                     WHERE id = $3 AND status = 'offered'",
                )
                .bind(next.as_str())
                .bind(now)
                .bind(&loan.id)
                .execute(&mut *conn)
                .await?
                .rows_affected();
                if changed == 0 {
                    return Ok(false);
                }
                sqlx::query(
                    "INSERT INTO loan_signatures (contract_id, signer_id, role, sha256, method, \
                       device_id, signed_at) VALUES ($1, $2, 'borrower', $3, $4, $5, $6)",
                )
                .bind(&contract.id)
                .bind(&loan.customer_id)
                .bind(&contract.sha256)
                .bind(method)
                .bind(&device)
                .bind(now)
                .execute(&mut *conn)
                .await?;
                match loan.kind {
                    LoanKind::Guaranteed => {
                        let ask = LoanAlert {
                            loan_id: loan.id.clone(),
                            kind: loan.kind,
                            number: 0,
                            due_day: china_day_of(now),
                            amount: loan.principal,
                            stage: Stage::GuaranteeAsked,
                            to_guarantor: true,
                        };
                        remind(conn, &loan, &ask, now).await?;
                    }
                    LoanKind::CreditLine => open_line(conn, &loan, now).await?,
                    LoanKind::Pledged | LoanKind::Tax => {
                        disburse_on(conn, &loan, account.class, now).await?
                    }
                }
                Ok(true)
            })
        })
        .await?;
        if !signed {
            return Err(Refusal::LoanStateChanged.into());
        }
        self.audit(
            customer_id,
            crate::audit::Action::LoanSigned,
            serde_json::json!({ "loan": loan.id, "contract": contract.id, "sha256": contract.sha256, "method": method }),
        )
        .await?;
        book::get(self.db, customer_id, loan_id).await
    }
}

/// The loan's receivable account: one of the bank's own, named for the borrower.
async fn open_loan_account(conn: &mut AnyConnection, loan: &Loan, now: Millis) -> Result<String> {
    let id = crate::id::new_id();
    sqlx::query(
        "INSERT INTO accounts (id, bank_code, customer_id, kind, label, balance, may_go_negative, \
           opened_at) VALUES ($1, $2, $3, 'internal', $4, 0, 1, $5)",
    )
    .bind(&id)
    .bind(&loan.bank_code)
    .bind(&loan.customer_id)
    .bind(format!("loan:{}", loan.product_code))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE loans SET loan_account_id = $1 WHERE id = $2")
        .bind(&id)
        .bind(&loan.id)
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

/// A credit line opens: its account, the day it stops lending, interest from today.
async fn open_line(conn: &mut AnyConnection, loan: &Loan, now: Millis) -> Result<()> {
    open_loan_account(conn, loan, now).await?;
    let ends = china_day_of(crate::deposit::add_months(now, loan.months));
    // Interest counts from today; the first settlement is the next 20th.
    sqlx::query(
        "UPDATE loans SET ends_day = $1, accrued_to_day = $2, collected_day = $2 WHERE id = $3",
    )
    .bind(ends)
    .bind(china_day_of(now))
    .bind(&loan.id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Pays a term loan out inside the signing (or the guarantor's acceptance) transaction: its
/// account, the pledge of its deposit, the journal entry into the borrower's account and the
/// schedule from today.
pub(super) async fn disburse_on(
    conn: &mut AnyConnection,
    loan: &Loan,
    class: AccountClass,
    now: Millis,
) -> Result<()> {
    let method = loan
        .method
        .ok_or_else(|| Error::Internal(format!("term loan {} without a method", loan.id)))?;
    let terms = Terms::new(loan.principal, loan.rate_bp, loan.months, method)?;
    let loan_account = open_loan_account(conn, loan, now).await?;
    if let Some(deposit) = &loan.deposit_id {
        crate::deposit::pledge_on(conn, &loan.customer_id, deposit, &loan.id).await?;
    }
    let label = super::repay::product_label(loan);
    let mut credit = Leg::credit(&loan.account_id, loan.principal, &label);
    credit.balance_cap = class.limits().balance_cap;
    ledger::post(
        conn,
        now,
        china_day_of(now),
        &NewEntry {
            id: crate::id::new_id(),
            kind: EntryKind::LoanDisbursement,
            memo: format!("贷款发放 {label}"),
            legs: vec![Leg::debit(&loan_account, loan.principal, &label), credit],
        },
    )
    .await?;
    let instalments = schedule::schedule(terms).instalments;
    let first_due = instalments
        .first()
        .map(|i| china_day_of(crate::deposit::add_months(now, i.month)));
    for i in instalments {
        sqlx::query(
            "INSERT INTO loan_instalments (loan_id, number, month, due_day, principal, interest) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&loan.id)
        .bind(i64::from(i.number))
        .bind(i64::from(i.month))
        .bind(china_day_of(crate::deposit::add_months(now, i.month)))
        .bind(i.principal)
        .bind(i.interest)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("UPDATE loans SET disbursed_at = $1, next_due_day = $2 WHERE id = $3")
        .bind(now)
        .bind(first_due)
        .bind(&loan.id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
