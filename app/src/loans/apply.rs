//! 申请贷款: one short form (amount, term, repayment method, purpose, the receiving account,
//! the deposit to pledge, the business's credit code or the guarantor's mobile number where the
//! product needs one, and the
//! credit-bureau authorization). It posts as a plain form before WASM; the answer is the loan's
//! page with the decision.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::rows::{ApplyForm, LoanKindView};
use super::server::{load_loan_form, ApplyLoan};
use crate::account::Protected;
use crate::error::SaveStatus;
use crate::i18n::{Msg, Tpl};
use crate::prefs::use_prefs;
use crate::transfer::FromAccountChoice;

#[component]
pub fn LoanApplyPage() -> impl IntoView {
    let prefs = use_prefs();
    let query = use_query_map();
    let product = move || query.with(|q| q.get("product").unwrap_or_default());
    let data = Resource::new(product, load_loan_form);
    let apply = ServerAction::<ApplyLoan>::new();
    view! {
        <section class="page" aria-labelledby="loan-apply-title">
            <h1 id="loan-apply-title" class="page-title">{move || prefs.t(Msg::LoanApplyTitle)}</h1>
            <Protected data=data next="/loans" ready=move |f: ApplyForm| {
                let lang = move || prefs.lang.get();
                let p = f.product.clone();
                let is_line = p.kind == LoanKindView::CreditLine;
                let name = p.name.clone();
                let terms = p.terms.iter().map(|m| view! {
                    <option value=m.to_string()>{let m = *m; move || Tpl::LoanMonths.fill(lang(), &[("months", &m.to_string())])}</option>
                }).collect_view();
                let methods = f.methods.iter().map(|m| view! {
                    <option value=m.slug()>{let m = *m; move || prefs.t(m.name())}</option>
                }).collect_view();
                let purposes = f.purposes.iter().map(|p| view! {
                    <option value=p.slug()>{let p = *p; move || prefs.t(p.label())}</option>
                }).collect_view();
                let no_deposit = p.kind == LoanKindView::Pledged && f.deposits.is_empty();
                let deposits = f.deposits.iter().map(|d| {
                    let d = d.clone();
                    view! {
                        <option value=d.id.clone()>{move || Tpl::LoanDepositChoice.fill(lang(), &[("principal", &d.principal), ("matures", &d.matures), ("max", &d.max_loan)])}</option>
                    }
                }).collect_view();
                let range = (p.min.clone(), p.max.clone(), p.rate.clone());
                view! {
                    <section class="card">
                        <h2 class="section-title">{move || name.get(lang()).to_string()}</h2>
                        <p>{move || prefs.t(p.kind.hint())}</p>
                        <p class="mt-2">{move || Tpl::LoanProductTerms.fill(lang(), &[("rate", &range.2), ("min", &range.0), ("max", &range.1)])}</p>
                    </section>
                    {if no_deposit {
                        view! {
                            <p class="card mt-4" data-testid="no-deposit">{move || prefs.t(Msg::LoanNoDepositToPledge)}</p>
                            <a class="btn-primary w-full mt-4" href="/deposits">{move || prefs.t(Msg::TileDeposits)}</a>
                        }.into_any()
                    } else {
                        view! {
                            <ActionForm action=apply>
                                <div class="card form-stack mt-4">
                                    <input type="hidden" name="product" value=p.code.clone()/>
                                    <input type="hidden" name="key" value=f.key.clone()/>
                                    <label class="field-label">{move || prefs.t(if is_line { Msg::LoanLimitAsked } else { Msg::LoanAmountLabel })}
                                        <input class="field" type="text" name="amount" inputmode="decimal" required maxlength="16" data-testid="loan-amount"/>
                                    </label>
                                    <label class="field-label">{move || prefs.t(if is_line { Msg::LoanLineTerm } else { Msg::LoanMonthsLabel })}
                                        <select class="field" name="months">{terms}</select>
                                    </label>
                                    {(!is_line).then(|| view! {
                                        <label class="field-label">{move || prefs.t(Msg::LoanMethodLabel)}
                                            <select class="field" name="method">{methods}</select>
                                        </label>
                                    })}
                                    <label class="field-label">{move || prefs.t(Msg::LoanPurposeLabel)}
                                        <select class="field" name="purpose">{purposes}</select>
                                    </label>
                                    {(p.kind == LoanKindView::Pledged).then(|| view! {
                                        <label class="field-label">{move || prefs.t(Msg::LoanDepositLabel)}
                                            <select class="field" name="deposit" data-testid="loan-deposit">{deposits}</select>
                                        </label>
                                    })}
                                    {(p.kind == LoanKindView::Tax).then(|| view! {
                                        <label class="field-label">{move || prefs.t(Msg::LoanCreditCodeLabel)}
                                            <input class="field" type="text" name="credit_code" required maxlength="18" autocomplete="off"/>
                                        </label>
                                    })}
                                    {(p.kind == LoanKindView::Guaranteed).then(|| view! {
                                        <label class="field-label">{move || prefs.t(Msg::LoanGuarantorLabel)}
                                            <input class="field" type="tel" name="guarantor" inputmode="numeric" required maxlength="11" autocomplete="off" data-testid="loan-guarantor" aria-describedby="guarantor-hint"/>
                                        </label>
                                        <p id="guarantor-hint" class="text-muted">{move || prefs.t(Msg::LoanGuarantorHint)}</p>
                                    })}
                                    <FromAccountChoice accounts=f.accounts.clone() chosen=String::new()/>
                                    <label class="check-label">
                                        <input type="checkbox" name="authorized" value="yes" required data-testid="loan-authorize"/>
                                        <span>{move || prefs.t(if p.kind == LoanKindView::Tax { Msg::LoanAuthorizeTax } else { Msg::LoanAuthorize })}</span>
                                    </label>
                                    <button type="submit" class="btn-primary w-full" data-testid="loan-submit">{move || prefs.t(Msg::LoanSubmit)}</button>
                                    <SaveStatus action=apply saved=Msg::LoanSubmitted/>
                                </div>
                            </ActionForm>
                        }.into_any()
                    }}
                }
            }/>
        </section>
    }
}
