//! 一笔贷款: the decision with its reasons; for an offer, the contract to read and sign with an
//! SMS code (线上签约); for a term loan, what is owed, the schedule with paid and due rows and
//! the repayments (what is due, part early, everything); for a credit line, its figures, draws
//! and repayments. Every form posts as a plain form before WASM.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::rows::{ContractView, LineView, LoanDetail, LoanState};
use super::server::{load_loan, DrawLoan, RepayCreditLine, RepayLoan, SendLoanCode, SignLoan};
use crate::account::Protected;
use crate::auth::fields::CodeField;
use crate::error::SaveStatus;
use crate::i18n::{Msg, Tpl};
use crate::prefs::use_prefs;

#[component]
pub fn LoanPage() -> impl IntoView {
    let prefs = use_prefs();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let send = ServerAction::<SendLoanCode>::new();
    let sign = ServerAction::<SignLoan>::new();
    let repay = ServerAction::<RepayLoan>::new();
    let draw = ServerAction::<DrawLoan>::new();
    let repay_line = ServerAction::<RepayCreditLine>::new();
    let data = Resource::new(
        move || {
            (
                id(),
                send.version().get(),
                sign.version().get(),
                repay.version().get(),
                draw.version().get() + repay_line.version().get(),
            )
        },
        |(id, ..)| load_loan(id),
    );
    view! {
        <section class="page" aria-labelledby="loan-title">
            <Protected data=data next="/loans" ready=move |l: LoanDetail| {
                let lang = move || prefs.lang.get();
                let name = l.name.clone();
                let state = l.state;
                let reasons = l.reasons.iter().map(|r| {
                    let r = *r;
                    view! { <li>{move || prefs.t(r.label())}</li> }
                }).collect_view();
                let has_reasons = !l.reasons.is_empty();
                let purpose = l.purpose;
                let method = l.method;
                view! {
                    <h1 id="loan-title" class="page-title">{move || name.get(lang()).to_string()}</h1>
                    <p class="mb-4"><span class="badge" data-testid="loan-state">{move || prefs.t(state.label())}</span></p>
                    <dl class="profile card">
                        <div><dt>{move || prefs.t(Msg::LoanAmountShown)}</dt><dd data-testid="loan-principal">{l.amount.clone()}</dd></div>
                        <div><dt>{move || prefs.t(Msg::LoanNominalRate)}</dt><dd>{l.rate.clone()}</dd></div>
                        <div><dt>{move || prefs.t(Msg::LoanMonthsLabel)}</dt><dd>{let m = l.months; move || Tpl::LoanMonths.fill(lang(), &[("months", &m.to_string())])}</dd></div>
                        {method.map(|m| view! { <div><dt>{move || prefs.t(Msg::LoanMethodLabel)}</dt><dd>{move || prefs.t(m.name())}</dd></div> })}
                        <div><dt>{move || prefs.t(Msg::LoanPurposeLabel)}</dt><dd>{move || prefs.t(purpose.label())}</dd></div>
                    </dl>
                    {match state {
                        LoanState::Referred => view! { <p class="card mt-4">{move || prefs.t(Msg::LoanReferredNote)}</p> }.into_any(),
                        LoanState::Declined => view! { <p class="card mt-4">{move || prefs.t(Msg::LoanDeclinedNote)}</p> }.into_any(),
                        LoanState::Signed => view! { <p class="card mt-4">{move || prefs.t(Msg::LoanSignedNote)}</p> }.into_any(),
                        _ => ().into_any(),
                    }}
                    {has_reasons.then(|| view! {
                        <section class="card mt-4" aria-labelledby="reasons-title">
                            <h2 id="reasons-title" class="section-title">{move || prefs.t(Msg::LoanReasonsTitle)}</h2>
                            <ul class="list-disc pl-6" data-testid="loan-reasons">{reasons}</ul>
                        </section>
                    })}
                    {l.contract.clone().map(|c| view! { <Contract id=l.id.clone() contract=c send=send sign=sign/> })}
                    {l.line.clone().map(|line| view! { <CreditLine id=l.id.clone() line=line draw=draw repay=repay_line/> })}
                    {(state == LoanState::Active && l.line.is_none()).then(|| view! {
                        <Repayments loan=l.clone() repay=repay/>
                    })}
                    {(!l.schedule.is_empty()).then(|| view! { <Schedule loan=l.clone()/> })}
                    <a class="btn-secondary w-full mt-6" href="/loans">{move || prefs.t(Msg::LoansTitle)}</a>
                }
            }/>
        </section>
    }
}

/// The offer's contract, and signing it with a code sent to the customer's phone.
#[component]
fn Contract(
    id: String,
    contract: ContractView,
    send: ServerAction<SendLoanCode>,
    sign: ServerAction<SignLoan>,
) -> impl IntoView {
    let prefs = use_prefs();
    let digest = contract.digest.clone();
    view! {
        <section class="card mt-4" aria-labelledby="contract-title">
            <h2 id="contract-title" class="section-title">{move || prefs.t(Msg::LoanContractTitle)}</h2>
            <pre class="contract-text" tabindex="0" data-testid="loan-contract">{contract.text.clone()}</pre>
            <p class="mt-2 text-muted">{move || Tpl::LoanContractDigest.fill(prefs.lang.get(), &[("digest", &digest), ("version", &contract.version)])}</p>
            {match contract.code_sent_to.clone() {
                Some(to) => view! {
                    <ActionForm action=sign>
                        <div class="form-stack mt-3">
                            <input type="hidden" name="id" value=id.clone()/>
                            <p data-testid="code-sent-to">{move || prefs.t(Msg::VerifySentTo)} " " <strong>{to.clone()}</strong></p>
                            <CodeField/>
                            <button type="submit" class="btn-primary w-full" data-testid="loan-sign">{move || prefs.t(Msg::LoanSign)}</button>
                            <SaveStatus action=sign saved=Msg::LoanSigned/>
                        </div>
                    </ActionForm>
                }.into_any(),
                None => view! {
                    <ActionForm action=send>
                        <div class="form-stack mt-3">
                            <input type="hidden" name="id" value=id.clone()/>
                            <p>{move || prefs.t(if contract.awaits_guarantor { Msg::LoanSignHintGuaranteed } else { Msg::LoanSignHint })}</p>
                            <button type="submit" class="btn-primary w-full" data-testid="loan-send-code">{move || prefs.t(Msg::LoanSendCode)}</button>
                            <SaveStatus action=send saved=Msg::CodeSent/>
                        </div>
                    </ActionForm>
                }.into_any(),
            }}
        </section>
    }
}

/// A term loan's repayments: what is due now, part of the principal early, everything.
#[component]
fn Repayments(loan: LoanDetail, repay: ServerAction<RepayLoan>) -> impl IntoView {
    let prefs = use_prefs();
    let (id_due, id_early, id_full) = (loan.id.clone(), loan.id.clone(), loan.id.clone());
    view! {
        <section class="card mt-4" aria-labelledby="repay-title">
            <h2 id="repay-title" class="section-title">{move || prefs.t(Msg::LoanRepayTitle)}</h2>
            <dl class="profile">
                <div><dt>{move || prefs.t(Msg::LoanPrincipalOwed)}</dt><dd data-testid="loan-owed">{loan.principal_owed.clone()}</dd></div>
                <div><dt>{move || prefs.t(Msg::LoanDueNow)}</dt><dd data-testid="loan-due-now">{loan.due_now.clone()}</dd></div>
            </dl>
            <ActionForm action=repay>
                <div class="form-stack mt-3">
                    <input type="hidden" name="id" value=id_due.clone()/>
                    <input type="hidden" name="how" value="due"/>
                    <p class="text-muted">{move || prefs.t(Msg::LoanRepayDueHint)}</p>
                    <button type="submit" class="btn-primary w-full" data-testid="loan-repay-due">{move || prefs.t(Msg::LoanRepayDue)}</button>
                </div>
            </ActionForm>
            <details class="mt-4">
                <summary class="font-bold">{move || prefs.t(Msg::LoanRepayEarly)}</summary>
                <ActionForm action=repay>
                    <div class="form-stack mt-3">
                        <input type="hidden" name="id" value=id_early.clone()/>
                        <input type="hidden" name="how" value="early"/>
                        <label class="field-label">{move || prefs.t(Msg::LoanEarlyPrincipal)}
                            <input class="field" type="text" name="principal" inputmode="decimal" required maxlength="16"/>
                        </label>
                        <fieldset class="form-stack">
                            <legend class="field-label">{move || prefs.t(Msg::LoanEarlyKeep)}</legend>
                            <label class="check-label"><input type="radio" name="keep" value="shorter" checked/>{move || prefs.t(Msg::LoanKeepShorter)}</label>
                            <label class="check-label"><input type="radio" name="keep" value="lower"/>{move || prefs.t(Msg::LoanKeepLower)}</label>
                        </fieldset>
                        <button type="submit" class="btn-secondary w-full">{move || prefs.t(Msg::LoanRepayEarlyButton)}</button>
                    </div>
                </ActionForm>
                <ActionForm action=repay>
                    <div class="form-stack mt-4">
                        <input type="hidden" name="id" value=id_full.clone()/>
                        <input type="hidden" name="how" value="full"/>
                        <label class="check-label">
                            <input type="checkbox" name="sure" value="yes" required/>
                            <span>{move || prefs.t(Msg::LoanRepayFullSure)}</span>
                        </label>
                        <button type="submit" class="btn-secondary w-full" data-testid="loan-repay-full">{move || prefs.t(Msg::LoanRepayFull)}</button>
                    </div>
                </ActionForm>
            </details>
            <SaveStatus action=repay saved=Msg::LoanRepaid/>
        </section>
    }
}

/// A credit line: its figures, a draw and a repayment.
#[component]
fn CreditLine(
    id: String,
    line: LineView,
    draw: ServerAction<DrawLoan>,
    repay: ServerAction<RepayCreditLine>,
) -> impl IntoView {
    let prefs = use_prefs();
    let id_draw = id.clone();
    view! {
        <section class="card mt-4" aria-labelledby="line-title">
            <h2 id="line-title" class="section-title">{move || prefs.t(Msg::LoanLineTitle)}</h2>
            <dl class="profile">
                <div><dt>{move || prefs.t(Msg::LoanLineLimit)}</dt><dd>{line.limit.clone()}</dd></div>
                <div><dt>{move || prefs.t(Msg::LoanLineDrawn)}</dt><dd data-testid="line-drawn">{line.drawn.clone()}</dd></div>
                <div><dt>{move || prefs.t(Msg::LoanLineInterest)}</dt><dd data-testid="line-interest">{line.interest.clone()}</dd></div>
                <div><dt>{move || prefs.t(Msg::LoanLineAvailable)}</dt><dd data-testid="line-available">{line.available.clone()}</dd></div>
                <div><dt>{move || prefs.t(Msg::LoanLineEnds)}</dt><dd>{line.ends.clone()}</dd></div>
            </dl>
            <p class="mt-2 text-muted">{move || prefs.t(Msg::LoanLineInterestHint)}</p>
            {(!line.ended).then(|| view! {
                <ActionForm action=draw>
                    <div class="form-stack mt-3">
                        <input type="hidden" name="id" value=id_draw.clone()/>
                        <label class="field-label">{move || prefs.t(Msg::LoanDrawAmount)}
                            <input class="field" type="text" name="amount" inputmode="decimal" required maxlength="16" data-testid="line-draw-amount"/>
                        </label>
                        <button type="submit" class="btn-primary w-full" data-testid="line-draw">{move || prefs.t(Msg::LoanDraw)}</button>
                        <SaveStatus action=draw saved=Msg::LoanDrawn/>
                    </div>
                </ActionForm>
            })}
            <ActionForm action=repay>
                <div class="form-stack mt-4">
                    <input type="hidden" name="id" value=id.clone()/>
                    <label class="field-label">{move || prefs.t(Msg::LoanRepayAmount)}
                        <input class="field" type="text" name="amount" inputmode="decimal" required maxlength="16" data-testid="line-repay-amount"/>
                    </label>
                    <button type="submit" class="btn-secondary w-full" data-testid="line-repay">{move || prefs.t(Msg::LoanRepayLine)}</button>
                    <SaveStatus action=repay saved=Msg::LoanRepaid/>
                </div>
            </ActionForm>
        </section>
    }
}

/// The schedule with what is paid, due and overdue.
#[component]
fn Schedule(loan: LoanDetail) -> impl IntoView {
    let prefs = use_prefs();
    let rows = loan
        .schedule
        .iter()
        .map(|d| {
            let status = if d.paid {
                Msg::LoanRowPaid
            } else if d.overdue {
                Msg::LoanRowOverdue
            } else {
                Msg::LoanRowDue
            };
            view! {
                <tr class:overdue=d.overdue>
                    <th scope="row">{d.number}</th>
                    <td>{d.date.clone()}</td>
                    <td>{d.principal.clone()}</td>
                    <td>{d.interest.clone()}</td>
                    <td>{d.penalty.clone()}</td>
                    <td>{d.outstanding.clone()}</td>
                    <td>{move || prefs.t(status)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card mt-4" aria-labelledby="schedule-title">
            <h2 id="schedule-title" class="section-title">{move || prefs.t(Msg::LoanScheduleTitle)}</h2>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="schedule-title">
                <table class="schedule-table" data-testid="loan-schedule">
                    <thead><tr>
                        <th scope="col">{move || prefs.t(Msg::LoanColNumber)}</th>
                        <th scope="col">{move || prefs.t(Msg::LoanColDate)}</th>
                        <th scope="col">{move || prefs.t(Msg::LoanColPrincipal)}</th>
                        <th scope="col">{move || prefs.t(Msg::LoanColInterest)}</th>
                        <th scope="col">{move || prefs.t(Msg::LoanColPenalty)}</th>
                        <th scope="col">{move || prefs.t(Msg::LoanColOutstanding)}</th>
                        <th scope="col">{move || prefs.t(Msg::LoanColStatus)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}
