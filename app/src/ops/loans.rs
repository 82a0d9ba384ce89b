//! 贷款审批: the credit officer's queue of the applications the machine referred, oldest first,
//! each with the amount, the rate the rules proposed and why it was referred; approving
//! offers it to the customer (who reads and signs the contract), declining tells them. Both go
//! to the customer's message centre and the audit log.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::home::ConsolePage;
use crate::error::{AppError, ErrorMessage, SaveStatus};
use crate::i18n::{Msg, Named};
use crate::loans::rows::{PurposeView, ReasonView};
use crate::prefs::use_prefs;

/// A referred application as the queue shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralRow {
    pub id: String,
    pub applied: String,
    pub customer: String,
    pub product: Named,
    pub amount_asked: String,
    pub offer: String,
    pub rate: String,
    pub months: u32,
    pub purpose: PurposeView,
    pub reasons: Vec<ReasonView>,
}

#[server(prefix = "/ops/api", endpoint = "load_loan_referrals")]
pub async fn load_loan_referrals() -> Result<Vec<ReferralRow>, AppError> {
    use crate::auth::server::fail;
    use domain::money::format_yuan;
    let (ctx, s) = super::server::current_staff().await?;
    let referrals = ctx.loans().referrals(&s.member).await.map_err(fail)?;
    Ok(referrals
        .into_iter()
        .map(|r| ReferralRow {
            id: r.loan.id.clone(),
            applied: domain::clock::beijing_datetime(r.loan.created_at),
            customer: r.name_masked,
            product: crate::loans::kind_name(r.loan.kind),
            amount_asked: format_yuan(r.loan.amount_asked),
            offer: format_yuan(r.loan.principal),
            rate: crate::deposits::percent(r.loan.rate_bp),
            months: r.loan.months,
            purpose: crate::loans::purpose_view(r.loan.purpose),
            reasons: r
                .loan
                .reasons
                .iter()
                .map(|x| crate::loans::reason_view(*x))
                .collect(),
        })
        .collect())
}

/// `verdict`: `approve` or `decline`.
#[server(prefix = "/ops/api", endpoint = "review_loan")]
pub async fn review_loan(id: String, verdict: String) -> Result<(), AppError> {
    use crate::auth::server::fail;
    use crate::error::respond;
    use domain::loans::review::Verdict;
    let (ctx, s) = super::server::current_staff().await?;
    let verdict = match verdict.as_str() {
        "approve" => Verdict::Approve,
        "decline" => Verdict::Decline,
        _ => return Err(respond(AppError::BadRequest("verdict".into()))),
    };
    ctx.loans()
        .review(&s.member, &id, verdict)
        .await
        .map_err(fail)?;
    Ok(())
}

#[component]
pub fn LoanReviewPage() -> impl IntoView {
    let prefs = use_prefs();
    let review = ServerAction::<ReviewLoan>::new();
    let queue = Resource::new(move || review.version().get(), |_| load_loan_referrals());
    view! {
        <ConsolePage title=Msg::OpsLoanReview ready=move |_| view! {
            <SaveStatus action=review saved=Msg::OpsLoanReviewed/>
            <Transition fallback=move || view! { <p aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {move || queue.get().map(|r| match r {
                    Err(e) => view! { <ErrorMessage error=e/> }.into_any(),
                    Ok(rows) if rows.is_empty() => view! { <p class="card">{prefs.t(Msg::OpsLoanReviewNone)}</p> }.into_any(),
                    Ok(rows) => rows.into_iter().map(|row| {
                        let lang = move || prefs.lang.get();
                        let product = row.product.clone();
                        let purpose = row.purpose;
                        let reasons = row.reasons.iter().map(|x| {
                            let x = *x;
                            view! { <li>{move || prefs.t(x.label())}</li> }
                        }).collect_view();
                        let (approve_id, decline_id) = (row.id.clone(), row.id.clone());
                        view! {
                            <article class="card mt-4" data-testid="loan-referral">
                                <h2 class="section-title">{move || product.get(lang()).to_string()} " · " {row.customer.clone()}</h2>
                                <dl class="profile">
                                    <div><dt>{prefs.t(Msg::OpsLoanApplied)}</dt><dd>{row.applied.clone()}</dd></div>
                                    <div><dt>{prefs.t(Msg::OpsLoanAsked)}</dt><dd>{row.amount_asked.clone()}</dd></div>
                                    <div><dt>{prefs.t(Msg::OpsLoanOffer)}</dt><dd>{row.offer.clone()} " · " {row.rate.clone()}</dd></div>
                                    <div><dt>{prefs.t(Msg::LoanPurposeLabel)}</dt><dd>{move || prefs.t(purpose.label())}</dd></div>
                                </dl>
                                <h3 class="font-bold mt-3">{prefs.t(Msg::OpsLoanWhyReferred)}</h3>
                                <ul class="list-disc pl-6">{reasons}</ul>
                                <div class="flex flex-wrap gap-3 mt-3">
                                    <ActionForm action=review>
                                        <input type="hidden" name="id" value=approve_id.clone()/>
                                        <input type="hidden" name="verdict" value="approve"/>
                                        <button type="submit" class="btn-primary" data-testid="loan-approve">{prefs.t(Msg::OpsLoanApprove)}</button>
                                    </ActionForm>
                                    <ActionForm action=review>
                                        <input type="hidden" name="id" value=decline_id.clone()/>
                                        <input type="hidden" name="verdict" value="decline"/>
                                        <button type="submit" class="btn-secondary" data-testid="loan-decline">{prefs.t(Msg::OpsLoanDecline)}</button>
                                    </ActionForm>
                                </div>
                            </article>
                        }
                    }).collect_view().into_any(),
                })}
            </Transition>
        }/>
    }
}
