//! Applying for a loan: the request checked against the product, the customer's authorization
//! recorded before any bureau is asked, the machine's decision, and the outcome stored as the
//! loan's first state (offered, referred to a credit officer, or declined with the reasons).

use serde::{Deserialize, Serialize};

use super::book::{self, Loan, Status};
use super::decision::{self, Decision, Reason};
use super::products::{self, LoanKind, LoanOffer, Purpose};
use super::schedule::{Method, Terms};
use super::tax::CreditCode;
use super::Loans;
use crate::error::Refusal;
use crate::{Error, Input, Result};

/// What the customer asks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub customer_id: String,
    pub product_code: String,
    /// The principal, or a credit line's limit, fen.
    pub amount: i64,
    pub months: u32,
    /// `None` for a credit line.
    pub method: Option<Method>,
    pub purpose: Purpose,
    /// The customer's demand account at their bank: the money goes there and is repaid from it.
    pub account_id: String,
    /// 质押e贷: the customer's time deposit to pledge.
    pub deposit_id: Option<String>,
    /// 税e贷: the business's unified social credit code.
    pub credit_code: Option<String>,
    /// 保证e贷: the guarantor's mobile number (another customer of the province's banks).
    pub guarantor_mobile: Option<String>,
    /// The customer authorized the credit bureau (and for 税e贷 the tax bureau) query.
    pub authorized: bool,
    pub idempotency_key: String,
}

/// A data source a customer authorizes one query of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    CreditBureau,
    TaxBureau,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::CreditBureau => "credit_bureau",
            Source::TaxBureau => "tax_bureau",
        }
    }
}

impl Loans<'_> {
    /// Applies: checks the request against the product, asks the bureaus under the
    /// customer's authorization and stores the decision. The same idempotency key returns the
    /// first application. Refused while an application or offer for the same product waits,
    /// or while the customer's credit line of that product is open.
    pub async fn apply(&self, app: &Application) -> Result<Loan> {
        if let Some(existing) = self.by_key(&app.customer_id, &app.idempotency_key).await? {
            return Ok(existing);
        }
        let account = self
            .accounts()
            .get_owned(&app.customer_id, &app.account_id)
            .await?;
        let now = self.clock.now();
        let offer = products::offer(self.db, &account.bank_code, &app.product_code, now).await?;
        let terms = check_request(&offer, app)?;
        if !app.authorized {
            return Err(Refusal::BureauAuthorizationMissing.into());
        }
        self.must_have_none_open(&app.customer_id, &offer).await?;

        // The guarantor is found (and checked not to be the borrower) before any bureau is
        // asked, so a wrong number costs the customer no enquiry on their report.
        let guarantor_id = match offer.kind {
            LoanKind::Guaranteed => Some(self.guarantor(app).await?),
            _ => None,
        };
        let decision = match offer.kind {
            LoanKind::CreditLine | LoanKind::Guaranteed => {
                let report = self
                    .credit_report(
                        &app.customer_id,
                        &format!("loan application {}", offer.code),
                    )
                    .await?;
                let rel = super::relationship::relationship(
                    self.db,
                    &app.customer_id,
                    &account.bank_code,
                    now,
                )
                .await?;
                if offer.kind == LoanKind::Guaranteed {
                    decision::guaranteed(&offer, &rel, &report)
                } else {
                    decision::credit_line(&offer, &rel, &report)
                }
            }
            LoanKind::Pledged => {
                let deposit_id = app.deposit_id.as_deref().ok_or_else(|| {
                    Error::invalid(Input::Choice, "a pledge loan without a deposit".into())
                })?;
                let deposit = self.deposits().get(&app.customer_id, deposit_id).await?;
                if deposit.status != crate::deposit::Status::Open {
                    return Err(Refusal::DepositClosed.into());
                }
                if deposit.pledged_to.is_some() {
                    return Err(Refusal::DepositPledged.into());
                }
                let max = pledge_value(deposit.principal, offer.pledge_pct);
                if app.amount > max {
                    return Err(Refusal::OverPledgeValue { max }.into());
                }
                // The deposit secures the loan; the report only stops a judgment defaulter.
                let report = self
                    .credit_report(
                        &app.customer_id,
                        &format!("loan application {}", offer.code),
                    )
                    .await?;
                if report.judgment_defaulter {
                    Decision::Decline {
                        reasons: vec![Reason::JudgmentDefaulter],
                    }
                } else {
                    Decision::Approve {
                        limit: app.amount,
                        rate_bp: offer.rate_bp,
                    }
                }
            }
            LoanKind::Tax => {
                let code = CreditCode::parse(app.credit_code.as_deref().unwrap_or(""))?;
                let authorization = self
                    .authorize(
                        &app.customer_id,
                        Source::TaxBureau,
                        &format!("loan application {}", offer.code),
                    )
                    .await?;
                let records = self.tax.records(&code, &authorization).await?;
                self.authorization_used(&authorization).await?;
                super::tax::tax_loan(&offer, &records)
            }
        };
        let loan = self
            .store(
                app,
                &account.bank_code,
                &offer,
                terms,
                decision,
                guarantor_id.as_deref(),
            )
            .await?;
        self.audit(
            &app.customer_id,
            crate::audit::Action::LoanApplied,
            serde_json::json!({ "loan": loan.id, "product": loan.product_code, "status": loan.status.as_str() }),
        )
        .await?;
        Ok(loan)
    }

    /// The customer who guarantees a 保证e贷, by the mobile number the borrower gave.
    async fn guarantor(&self, app: &Application) -> Result<String> {
        let mobile = crate::identity::Mobile::parse(app.guarantor_mobile.as_deref().unwrap_or(""))?;
        let id = self
            .identity()
            .find_by_mobile(&mobile)
            .await?
            .ok_or(Refusal::GuarantorNotFound)?;
        if id == app.customer_id {
            return Err(Refusal::GuarantorIsBorrower.into());
        }
        Ok(id)
    }

    async fn by_key(&self, customer_id: &str, key: &str) -> Result<Option<Loan>> {
        sqlx::query(&format!(
            "SELECT {} FROM loans WHERE customer_id = $1 AND idempotency_key = $2",
            book::LOAN_COLUMNS
        ))
        .bind(customer_id)
        .bind(key)
        .fetch_optional(self.db.pool())
        .await?
        .map(|r| book::loan_from(&r))
        .transpose()
    }

    async fn must_have_none_open(&self, customer_id: &str, offer: &LoanOffer) -> Result<()> {
        let open: i64 = crate::db::get_i64(
            &sqlx::query(
                "SELECT COUNT(*) AS n FROM loans WHERE customer_id = $1 AND product_code = $2 \
                 AND (status IN ('referred', 'offered', 'signed') \
                      OR (status = 'active' AND kind = 'credit_line'))",
            )
            .bind(customer_id)
            .bind(&offer.code)
            .fetch_one(self.db.pool())
            .await?,
            "n",
        )?;
        if open > 0 {
            return Err(Refusal::LoanApplicationOpen.into());
        }
        Ok(())
    }

    /// A customer's credit report, asked under an authorization recorded first.
    pub(super) async fn credit_report(
        &self,
        customer_id: &str,
        purpose: &str,
    ) -> Result<super::bureau::CreditReport> {
        let authorization = self
            .authorize(customer_id, Source::CreditBureau, purpose)
            .await?;
        let (_, resident_id) = self.identity().person_of(customer_id).await?;
        let report = self.bureau.report(&resident_id, &authorization).await?;
        self.authorization_used(&authorization).await?;
        Ok(report)
    }

    async fn authorize(&self, customer_id: &str, source: Source, purpose: &str) -> Result<String> {
        let id = crate::id::new_id();
        sqlx::query(
            "INSERT INTO data_authorizations (id, customer_id, source, purpose, granted_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(customer_id)
        .bind(source.as_str())
        .bind(purpose)
        .bind(self.clock.now())
        .execute(self.db.pool())
        .await?;
        Ok(id)
    }

    async fn authorization_used(&self, id: &str) -> Result<()> {
        sqlx::query("UPDATE data_authorizations SET used_at = $1 WHERE id = $2")
            .bind(self.clock.now())
            .bind(id)
            .execute(self.db.pool())
            .await?;
        Ok(())
    }

    async fn store(
        &self,
        app: &Application,
        bank_code: &str,
        offer: &LoanOffer,
        terms: Option<Terms>,
        decision: Decision,
        guarantor_id: Option<&str>,
    ) -> Result<Loan> {
        let (status, principal, rate_bp, reasons) = match decision {
            Decision::Approve { limit, rate_bp } => {
                (Status::Offered, app.amount.min(limit), rate_bp, Vec::new())
            }
            Decision::Refer {
                limit,
                rate_bp,
                reasons,
            } => (Status::Referred, app.amount.min(limit), rate_bp, reasons),
            Decision::Decline { reasons } => (Status::Declined, 0, 0, reasons),
        };
        // An offer below the amount asked is still one the schedule can be drawn for.
        if let (Some(t), true) = (terms, principal > 0) {
            Terms::new(principal, rate_bp, t.months, t.method)?;
        }
        let id = crate::id::new_id();
        let now = self.clock.now();
        let inserted = sqlx::query(
            "INSERT INTO loans (id, customer_id, bank_code, product_code, kind, amount_asked, months, \
               method, purpose, account_id, deposit_id, guarantor_id, status, reasons, principal, \
               rate_bp, penalty_rate_bp, grace_days, decided_by, idempotency_key, created_at, \
               decided_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
               $18, $19, $20, $21, $22) ON CONFLICT (customer_id, idempotency_key) DO NOTHING",
        )
        .bind(&id)
        .bind(&app.customer_id)
        .bind(bank_code)
        .bind(&offer.code)
        .bind(offer.kind.slug())
        .bind(app.amount)
        .bind(i64::from(app.months))
        .bind(app.method.map_or("", Method::slug))
        .bind(app.purpose.slug())
        .bind(&app.account_id)
        .bind(app.deposit_id.as_deref())
        .bind(guarantor_id)
        .bind(status.as_str())
        .bind(Reason::join(&reasons))
        .bind(principal)
        .bind(rate_bp)
        .bind(offer.penalty_rate_bp(rate_bp))
        .bind(offer.grace_days)
        .bind((status != Status::Referred).then_some("machine"))
        .bind(&app.idempotency_key)
        .bind(now)
        .bind((status != Status::Referred).then_some(now))
        .execute(self.db.pool())
        .await?;
        if inserted.rows_affected() == 0 {
            return self
                .by_key(&app.customer_id, &app.idempotency_key)
                .await?
                .ok_or_else(|| Error::Internal("loan application key vanished".into()));
        }
        book::get(self.db, &app.customer_id, &id).await
    }
}

/// The request checked field by field against the product; the schedule's terms for a term
/// loan.
fn check_request(offer: &LoanOffer, app: &Application) -> Result<Option<Terms>> {
    if offer.kind == LoanKind::CreditLine {
        // The amount is the limit asked for; the term is how long the line stays open.
        let method = Method::EqualInstalment;
        let as_term = LoanOffer {
            methods: vec![method],
            ..offer.clone()
        };
        as_term.terms_for(app.amount, app.months, method, app.purpose)?;
        return Ok(None);
    }
    let method = app
        .method
        .ok_or_else(|| Error::invalid(Input::LoanMethod, "no repayment method".into()))?;
    offer
        .terms_for(app.amount, app.months, method, app.purpose)
        .map(Some)
}

/// The most a deposit of `principal` secures at `pct` per cent, in whole yuan.
pub fn pledge_value(principal: i64, pct: i64) -> i64 {
    (i128::from(principal) * i128::from(pct) / 100 / 100 * 100) as i64
}
