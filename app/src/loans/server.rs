//! The loans pages' server functions: every one derives the customer from the session, and a
//! loan or deposit id from the form is looked up among the customer's own.

// A plain form's fields are its server function's arguments, and the application has eleven.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use super::rows::*;
use crate::error::AppError;

#[cfg(feature = "ssr")]
pub(crate) mod convert {
    use super::super::calculator::RepaymentMethod;
    use super::*;
    use crate::i18n::Named;
    use domain::loans::decision::Reason;
    use domain::loans::{LoanKind, LoanOffer, Method, Purpose, Status};
    use domain::money::format_yuan;

    pub fn kind(k: LoanKind) -> LoanKindView {
        match k {
            LoanKind::CreditLine => LoanKindView::CreditLine,
            LoanKind::Guaranteed => LoanKindView::Guaranteed,
            LoanKind::Pledged => LoanKindView::Pledged,
            LoanKind::Tax => LoanKindView::Tax,
        }
    }

    pub fn card(o: &LoanOffer) -> ProductCard {
        ProductCard {
            code: o.code.clone(),
            kind: kind(o.kind),
            name: Named::new(o.name_zh.clone(), o.name_en.clone()),
            rate: crate::deposits::percent(o.rate_bp),
            min: format_yuan(o.min),
            max: format_yuan(o.max),
            terms: o.terms.clone(),
        }
    }

    pub fn method(m: Method) -> RepaymentMethod {
        RepaymentMethod::from_slug(m.slug()).unwrap_or(RepaymentMethod::EqualInstalment)
    }

    pub fn purpose(p: Purpose) -> PurposeView {
        match p {
            Purpose::Planting => PurposeView::Planting,
            Purpose::Breeding => PurposeView::Breeding,
            Purpose::Machinery => PurposeView::Machinery,
            Purpose::Inputs => PurposeView::Inputs,
            Purpose::Business => PurposeView::Business,
            Purpose::Household => PurposeView::Household,
        }
    }

    pub fn state(s: Status) -> LoanState {
        match s {
            Status::Referred => LoanState::Referred,
            Status::Declined => LoanState::Declined,
            Status::Offered => LoanState::Offered,
            Status::Signed => LoanState::Signed,
            Status::Active => LoanState::Active,
            Status::Repaid => LoanState::Repaid,
            Status::Cancelled => LoanState::Cancelled,
        }
    }

    pub fn reason(r: Reason) -> ReasonView {
        match r {
            Reason::JudgmentDefaulter => ReasonView::JudgmentDefaulter,
            Reason::OverdueNow => ReasonView::OverdueNow,
            Reason::OverdueSeries => ReasonView::OverdueSeries,
            Reason::RecentLateMonths => ReasonView::RecentLateMonths,
            Reason::ManyEnquiries => ReasonView::ManyEnquiries,
            Reason::DebtBurden => ReasonView::DebtBurden,
            Reason::ShortRelationship => ReasonView::ShortRelationship,
            Reason::TooLittleHistory => ReasonView::TooLittleHistory,
            Reason::PoorTaxRating => ReasonView::PoorTaxRating,
            Reason::TaxArrears => ReasonView::TaxArrears,
            Reason::NewBusiness => ReasonView::NewBusiness,
            Reason::TooLittleTax => ReasonView::TooLittleTax,
            Reason::GuarantorIneligible => ReasonView::GuarantorIneligible,
        }
    }

    pub fn date(day: i64) -> String {
        domain::clock::beijing_date(domain::clock::china_day_start(day))
    }
}

/// The customer's loans and what their bank lends.
#[server(endpoint = "load_loans")]
pub async fn load_loans() -> Result<LoansView, AppError> {
    use crate::auth::server::{current_session, fail};
    use domain::money::format_yuan;
    let (ctx, s) = current_session().await?;
    let profile = ctx.identity().profile(&s.customer_id).await.map_err(fail)?;
    let offers = domain::loans::products::offers(&ctx.db, &profile.bank_code, ctx.clock.now())
        .await
        .map_err(fail)?;
    let loans = domain::loans::book::list(&ctx.db, &s.customer_id)
        .await
        .map_err(fail)?;
    let mut guarantees = Vec::new();
    for l in ctx.loans().guarantees(&s.customer_id).await.map_err(fail)? {
        let (borrower, _) = ctx
            .identity()
            .person_of(&l.customer_id)
            .await
            .map_err(fail)?;
        guarantees.push(GuaranteeSummary {
            id: l.id.clone(),
            name: super::kind_name(l.kind),
            state: convert::state(l.status),
            amount: format_yuan(l.principal),
            borrower: borrower.masked(),
        });
    }
    Ok(LoansView {
        bank: profile.bank_name,
        products: offers.iter().map(convert::card).collect(),
        guarantees,
        loans: loans
            .iter()
            .map(|l| LoanSummary {
                id: l.id.clone(),
                name: super::kind_name(l.kind),
                state: convert::state(l.status),
                amount: format_yuan(if l.principal > 0 {
                    l.principal
                } else {
                    l.amount_asked
                }),
                applied: domain::clock::beijing_date(l.created_at),
            })
            .collect(),
    })
}

/// The application form for one of the bank's products.
#[server(endpoint = "load_loan_form")]
pub async fn load_loan_form(product: String) -> Result<ApplyForm, AppError> {
    use crate::auth::server::{current_session, fail};
    use domain::money::format_yuan;
    let (ctx, s) = current_session().await?;
    let profile = ctx.identity().profile(&s.customer_id).await.map_err(fail)?;
    let offer =
        domain::loans::products::offer(&ctx.db, &profile.bank_code, &product, ctx.clock.now())
            .await
            .map_err(fail)?;
    let accounts = ctx.accounts().list(&s.customer_id).await.map_err(fail)?;
    let deposits = if offer.kind == domain::loans::LoanKind::Pledged {
        ctx.deposits()
            .list(&s.customer_id)
            .await
            .map_err(fail)?
            .into_iter()
            .filter(|d| d.status == domain::deposit::Status::Open && d.pledged_to.is_none())
            .map(|d| DepositChoice {
                id: d.id.clone(),
                principal: format_yuan(d.principal),
                matures: domain::clock::beijing_date(d.matures_at),
                max_loan: format_yuan(domain::loans::apply::pledge_value(
                    d.principal,
                    offer.pledge_pct,
                )),
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(ApplyForm {
        product: convert::card(&offer),
        methods: offer.methods.iter().map(|m| convert::method(*m)).collect(),
        purposes: offer
            .purposes
            .iter()
            .map(|p| convert::purpose(*p))
            .collect(),
        accounts: crate::transfer::from_options(&accounts, crate::accounts::balances_hidden()),
        deposits,
        key: domain::id::new_id(),
    })
}

/// Applies; the browser goes on to the loan, offered, referred or declined.
#[server(endpoint = "apply_loan")]
pub async fn apply_loan(
    product: String,
    amount: String,
    months: String,
    method: Option<String>,
    purpose: String,
    from: String,
    deposit: Option<String>,
    credit_code: Option<String>,
    guarantor: Option<String>,
    authorized: Option<String>,
    key: String,
) -> Result<(), AppError> {
    use crate::auth::server::{current_session, fail, limit};
    use crate::error::{respond, Field};
    use domain::loans::{Method, Purpose};
    let (ctx, s) = current_session().await?;
    // Each application asks the credit bureau: a few an hour is plenty for one person.
    limit(&ctx, &format!("loan-apply:{}", s.customer_id), 10, 3600).await?;
    let amount = domain::money::parse_yuan(&amount)
        .map_err(|_| respond(AppError::Invalid(Field::LoanAmount)))?;
    let months = months
        .trim()
        .parse::<u32>()
        .map_err(|_| respond(AppError::Invalid(Field::LoanTerm)))?;
    let method = match method.as_deref().filter(|m| !m.is_empty()) {
        Some(m) => Some(Method::from_slug(m).map_err(fail)?),
        None => None,
    };
    let purpose = Purpose::from_slug(&purpose)
        .ok_or_else(|| respond(AppError::Invalid(Field::LoanPurpose)))?;

    let loan = ctx
        .loans()
        .apply(&domain::loans::Application {
            customer_id: s.customer_id.clone(),
            product_code: product,
            amount,
            months,
            method,
            purpose,
            account_id: from,
            deposit_id: deposit.filter(|d| !d.is_empty()),
            credit_code,
            guarantor_mobile: guarantor.filter(|g| !g.is_empty()),
            authorized: authorized.is_some(),
            idempotency_key: key,
        })
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&format!("/loans/{}", loan.id));
    Ok(())
}

/// One of the customer's loans.
#[server(endpoint = "load_loan")]
pub async fn load_loan(id: String) -> Result<LoanDetail, AppError> {
    use crate::auth::server::{current_session, fail};
    use domain::loans::{LoanKind, Status};
    use domain::money::format_yuan;
    let (ctx, s) = current_session().await?;
    let loans = ctx.loans();
    let loan = domain::loans::book::get(&ctx.db, &s.customer_id, &id)
        .await
        .map_err(fail)?;
    let contract = match loan.status {
        Status::Offered => {
            let c = loans.contract(&s.customer_id, &id).await.map_err(fail)?;
            let live = loans
                .signing_code_live(&s.customer_id, &id)
                .await
                .map_err(fail)?;
            let code_sent_to = if live {
                Some(
                    ctx.identity()
                        .mobile_of(&s.customer_id)
                        .await
                        .map_err(fail)?
                        .masked(),
                )
            } else {
                None
            };
            Some(ContractView {
                digest: c.sha256[..8].to_uppercase(),
                text: c.text,
                version: c.template_version,
                code_sent_to,
                awaits_guarantor: loan.kind == LoanKind::Guaranteed,
            })
        }
        _ => None,
    };
    let today = ctx.clock.china_day();
    let schedule = domain::loans::book::schedule(&ctx.db, &id)
        .await
        .map_err(fail)?;
    let due_now: i64 = schedule
        .iter()
        .filter(|d| d.paid_day.is_none() && d.due_day <= today)
        .map(|d| d.outstanding())
        .sum();
    let principal_owed: i64 = schedule.iter().map(|d| d.principal_owed()).sum();
    let line = if loan.kind == LoanKind::CreditLine && loan.status == Status::Active {
        let (drawn, interest) = loans.line_balance(&loan).await.map_err(fail)?;
        let ends = loan.ends_day.unwrap_or(today);
        Some(LineView {
            limit: format_yuan(loan.principal),
            drawn: format_yuan(drawn),
            interest: format_yuan(interest),
            available: format_yuan((loan.principal - drawn).max(0)),
            ends: convert::date(ends),
            ended: today >= ends,
        })
    } else {
        None
    };
    Ok(LoanDetail {
        id: loan.id.clone(),
        name: super::kind_name(loan.kind),
        state: convert::state(loan.status),
        reasons: loan.reasons.iter().map(|r| convert::reason(*r)).collect(),
        amount: format_yuan(if loan.principal > 0 {
            loan.principal
        } else {
            loan.amount_asked
        }),
        rate: crate::deposits::percent(loan.rate_bp),
        months: loan.months,
        method: loan.method.map(convert::method),
        purpose: convert::purpose(loan.purpose),
        contract,
        schedule: schedule
            .iter()
            .map(|d| DueRow {
                number: d.number,
                date: convert::date(d.due_day),
                principal: format_yuan(d.principal),
                interest: format_yuan(d.interest),
                penalty: format_yuan(d.penalty),
                outstanding: format_yuan(d.outstanding()),
                paid: d.paid_day.is_some(),
                overdue: d.paid_day.is_none() && d.due_day < today,
            })
            .collect(),
        principal_owed: format_yuan(principal_owed),
        due_now: format_yuan(due_now),
        line,
    })
}

/// Sends the code that signs the loan's contract.
#[server(endpoint = "send_loan_code")]
pub async fn send_loan_code(id: String) -> Result<(), AppError> {
    use crate::auth::server::{current_session, fail};
    let (ctx, s) = current_session().await?;
    match ctx
        .loans()
        .send_signing_code(ctx.sms.as_ref(), &s.customer_id, &id)
        .await
    {
        Ok(()) => Ok(()),
        // Sent less than a minute ago and still good for this contract: the page asks for it.
        Err(domain::Error::Refused(domain::Refusal::OtpTooSoon { .. }))
            if ctx
                .loans()
                .signing_code_live(&s.customer_id, &id)
                .await
                .map_err(fail)? =>
        {
            Ok(())
        }
        Err(e) => Err(fail(e)),
    }
}

/// Signs the contract with the code; the loan is paid out (or the line opened).
#[server(endpoint = "sign_loan")]
pub async fn sign_loan(id: String, code: String) -> Result<(), AppError> {
    use crate::auth::server::{current_session, fail, parse_code};
    let (ctx, s) = current_session().await?;
    let code = parse_code(&code)?;
    ctx.loans()
        .sign(
            &s.customer_id,
            &id,
            domain::transfer::StepUp::Code(&code),
            &s.device_id,
        )
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&format!("/loans/{id}"));
    Ok(())
}

/// Repays a term loan: `how` is `due`, `early` (with `principal` and `keep`) or `full`.
#[server(endpoint = "repay_loan")]
pub async fn repay_loan(
    id: String,
    how: String,
    principal: Option<String>,
    keep: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::server::{current_session, fail};
    use crate::error::{respond, Field};
    use domain::loans::repay::{Keep, Repayment};
    let (ctx, s) = current_session().await?;
    let how = match how.as_str() {
        "due" => Repayment::Due,
        "full" => Repayment::Full,
        "early" => Repayment::Early {
            principal: domain::money::parse_yuan(principal.as_deref().unwrap_or(""))
                .map_err(|_| respond(AppError::Invalid(Field::Amount)))?,
            keep: match keep.as_deref() {
                Some("lower") => Keep::LowerInstalment,
                _ => Keep::ShorterTerm,
            },
        },
        _ => return Err(respond(AppError::BadRequest("repayment kind".into()))),
    };
    ctx.loans()
        .repay(&s.customer_id, &id, how)
        .await
        .map_err(fail)?;
    Ok(())
}

/// Draws on a credit line into its account.
#[server(endpoint = "draw_loan")]
pub async fn draw_loan(id: String, amount: String) -> Result<(), AppError> {
    use crate::auth::server::{current_session, fail};
    use crate::error::{respond, Field};
    let (ctx, s) = current_session().await?;
    let amount = domain::money::parse_yuan(&amount)
        .map_err(|_| respond(AppError::Invalid(Field::Amount)))?;
    ctx.loans()
        .draw(&s.customer_id, &id, amount)
        .await
        .map_err(fail)?;
    Ok(())
}

/// Repays part or all of a credit line.
#[server(endpoint = "repay_credit_line")]
pub async fn repay_credit_line(id: String, amount: String) -> Result<(), AppError> {
    use crate::auth::server::{current_session, fail};
    use crate::error::{respond, Field};
    let (ctx, s) = current_session().await?;
    let amount = domain::money::parse_yuan(&amount)
        .map_err(|_| respond(AppError::Invalid(Field::Amount)))?;
    ctx.loans()
        .repay_line(&s.customer_id, &id, amount)
        .await
        .map_err(fail)?;
    Ok(())
}
