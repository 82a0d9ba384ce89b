//! 担保确认 (`/loans/guarantees/:id`): a 保证e贷 as its guarantor sees it in their own login —
//! the terms, the whole contract with the guarantee clause naming them, and the answer: sign
//! with a code sent to their own phone (having authorized the bank to check their credit
//! report), or decline. Every form posts as a plain form before WASM.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::rows::{ContractView, GuaranteeDetail};
use crate::account::Protected;
use crate::auth::fields::CodeField;
use crate::error::{AppError, SaveStatus};
use crate::i18n::{Msg, Tpl};
use crate::prefs::use_prefs;

/// A loan the customer was asked to guarantee; not found for any other.
#[server(endpoint = "load_guarantee")]
pub async fn load_guarantee(id: String) -> Result<GuaranteeDetail, AppError> {
    use super::server::convert;
    use crate::auth::server::{current_session, fail};
    use domain::loans::Status;
    use domain::money::format_yuan;
    let (ctx, s) = current_session().await?;
    let loans = ctx.loans();
    let (loan, contract) = loans.guaranteed(&s.customer_id, &id).await.map_err(fail)?;
    let waiting = loan.status == Status::Signed;
    let code_sent_to = if waiting
        && loans
            .guarantee_code_live(&s.customer_id, &id)
            .await
            .map_err(fail)?
    {
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
    let (borrower, _) = ctx
        .identity()
        .person_of(&loan.customer_id)
        .await
        .map_err(fail)?;
    Ok(GuaranteeDetail {
        id: loan.id.clone(),
        name: super::kind_name(loan.kind),
        state: convert::state(loan.status),
        borrower: borrower.masked(),
        amount: format_yuan(loan.principal),
        rate: crate::deposits::percent(loan.rate_bp),
        months: loan.months,
        method: loan.method.map(convert::method),
        contract: ContractView {
            digest: contract.sha256[..8].to_uppercase(),
            text: contract.text,
            version: contract.template_version,
            code_sent_to,
            awaits_guarantor: false,
        },
        waiting,
    })
}

/// Sends the code that signs the guarantee to the guarantor's own phone.
#[server(endpoint = "send_guarantee_code")]
pub async fn send_guarantee_code(id: String) -> Result<(), AppError> {
    use crate::auth::server::{current_session, fail};
    let (ctx, s) = current_session().await?;
    let loans = ctx.loans();
    match loans
        .send_guarantee_code(ctx.sms.as_ref(), &s.customer_id, &id)
        .await
    {
        Ok(()) => Ok(()),
        // Sent less than a minute ago and still good for this contract: the page asks for it.
        Err(domain::Error::Refused(domain::Refusal::OtpTooSoon { .. }))
            if loans
                .guarantee_code_live(&s.customer_id, &id)
                .await
                .map_err(fail)? =>
        {
            Ok(())
        }
        Err(e) => Err(fail(e)),
    }
}

/// The guarantor's answer: `accept` (with the code and the credit-report authorization) or
/// `decline`.
#[server(endpoint = "answer_guarantee")]
pub async fn answer_guarantee(
    id: String,
    answer: String,
    code: Option<String>,
    authorized: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::server::{current_session, fail, parse_code};
    use crate::error::respond;
    use domain::loans::guarantee::Answer;
    let (ctx, s) = current_session().await?;
    let (answer, code) = match answer.as_str() {
        "accept" => (
            Answer::Accept {
                authorized: authorized.is_some(),
            },
            Some(parse_code(code.as_deref().unwrap_or(""))?),
        ),
        "decline" => (Answer::Decline, None),
        _ => return Err(respond(AppError::BadRequest("guarantee answer".into()))),
    };
    ctx.loans()
        .answer_guarantee(
            &s.customer_id,
            &id,
            answer,
            code.as_deref().map(domain::transfer::StepUp::Code),
            &s.device_id,
        )
        .await
        .map_err(fail)?;
    leptos_axum::redirect(&format!("/loans/guarantees/{id}"));
    Ok(())
}

#[component]
pub fn GuaranteePage() -> impl IntoView {
    let prefs = use_prefs();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let send = ServerAction::<SendGuaranteeCode>::new();
    let answer = ServerAction::<AnswerGuarantee>::new();
    let data = Resource::new(
        move || (id(), send.version().get(), answer.version().get()),
        |(id, ..)| load_guarantee(id),
    );
    view! {
        <section class="page" aria-labelledby="guarantee-title">
            <Protected data=data next="/loans" ready=move |g: GuaranteeDetail| {
                let lang = move || prefs.lang.get();
                let (name, state, method) = (g.name.clone(), g.state, g.method);
                let borrower = g.borrower.clone();
                view! {
                    <h1 id="guarantee-title" class="page-title">{move || prefs.t(Msg::GuaranteeTitle)}</h1>
                    <p class="mb-4"><span class="badge" data-testid="guarantee-state">{move || prefs.t(state.label())}</span></p>
                    <p class="card mb-4">{move || Tpl::GuaranteeAsk.fill(lang(), &[("borrower", &borrower), ("product", name.get(lang()))])}</p>
                    <dl class="profile card">
                        <div><dt>{move || prefs.t(Msg::LoanAmountShown)}</dt><dd data-testid="guarantee-amount">{g.amount.clone()}</dd></div>
                        <div><dt>{move || prefs.t(Msg::LoanNominalRate)}</dt><dd>{g.rate.clone()}</dd></div>
                        <div><dt>{move || prefs.t(Msg::LoanMonthsLabel)}</dt><dd>{let m = g.months; move || Tpl::LoanMonths.fill(lang(), &[("months", &m.to_string())])}</dd></div>
                        {method.map(|m| view! { <div><dt>{move || prefs.t(Msg::LoanMethodLabel)}</dt><dd>{move || prefs.t(m.name())}</dd></div> })}
                    </dl>
                    <p class="card mt-4">{move || prefs.t(Msg::GuaranteeLiability)}</p>
                    <section class="card mt-4" aria-labelledby="contract-title">
                        <h2 id="contract-title" class="section-title">{move || prefs.t(Msg::LoanContractTitle)}</h2>
                        <pre class="contract-text" tabindex="0" data-testid="guarantee-contract">{g.contract.text.clone()}</pre>
                        {let (digest, version) = (g.contract.digest.clone(), g.contract.version.clone());
                         view! { <p class="mt-2 text-muted">{move || Tpl::LoanContractDigest.fill(lang(), &[("digest", &digest), ("version", &version)])}</p> }}
                    </section>
                    {g.waiting.then(|| view! { <Answer id=g.id.clone() contract=g.contract.clone() send=send answer=answer/> })}
                    <a class="btn-secondary w-full mt-6" href="/loans">{move || prefs.t(Msg::LoansTitle)}</a>
                }
            }/>
        </section>
    }
}

/// Sign with a code sent to the guarantor's phone, or decline.
#[component]
fn Answer(
    id: String,
    contract: ContractView,
    send: ServerAction<SendGuaranteeCode>,
    answer: ServerAction<AnswerGuarantee>,
) -> impl IntoView {
    let prefs = use_prefs();
    let id_decline = id.clone();
    view! {
        <section class="card mt-4" aria-labelledby="answer-title">
            <h2 id="answer-title" class="section-title">{move || prefs.t(Msg::GuaranteeAnswerTitle)}</h2>
            {match contract.code_sent_to.clone() {
                Some(to) => view! {
                    <ActionForm action=answer>
                        <div class="form-stack">
                            <input type="hidden" name="id" value=id.clone()/>
                            <input type="hidden" name="answer" value="accept"/>
                            <p data-testid="code-sent-to">{move || prefs.t(Msg::VerifySentTo)} " " <strong>{to.clone()}</strong></p>
                            <CodeField/>
                            <label class="check-label">
                                <input type="checkbox" name="authorized" value="yes" required data-testid="guarantee-authorize"/>
                                <span>{move || prefs.t(Msg::GuaranteeAuthorize)}</span>
                            </label>
                            <button type="submit" class="btn-primary w-full" data-testid="guarantee-sign">{move || prefs.t(Msg::GuaranteeSign)}</button>
                        </div>
                    </ActionForm>
                }.into_any(),
                None => view! {
                    <ActionForm action=send>
                        <div class="form-stack">
                            <input type="hidden" name="id" value=id.clone()/>
                            <p>{move || prefs.t(Msg::GuaranteeSignHint)}</p>
                            <button type="submit" class="btn-primary w-full" data-testid="guarantee-send-code">{move || prefs.t(Msg::LoanSendCode)}</button>
                            <SaveStatus action=send saved=Msg::CodeSent/>
                        </div>
                    </ActionForm>
                }.into_any(),
            }}
            <ActionForm action=answer>
                <div class="form-stack mt-4">
                    <input type="hidden" name="id" value=id_decline/>
                    <input type="hidden" name="answer" value="decline"/>
                    <button type="submit" class="btn-secondary w-full" data-testid="guarantee-decline">{move || prefs.t(Msg::GuaranteeDecline)}</button>
                </div>
            </ActionForm>
            <SaveStatus action=answer saved=Msg::GuaranteeAnswered/>
        </section>
    }
}
