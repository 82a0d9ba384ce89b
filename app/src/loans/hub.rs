//! 贷款: the customer's loans and applications, the loans they were asked to guarantee, and what their bank lends online (信e贷,
//! 保证e贷, 质押e贷, 税e贷) with the rate in effect, each with its application; the calculator
//! one tap away.

use leptos::prelude::*;

use super::rows::LoansView;
use super::server::load_loans;
use crate::account::Protected;
use crate::i18n::{Msg, Tpl};
use crate::prefs::use_prefs;

#[component]
pub fn LoansPage() -> impl IntoView {
    let prefs = use_prefs();
    let data = Resource::new(|| (), |_| load_loans());
    view! {
        <section class="page" aria-labelledby="loans-title">
            <h1 id="loans-title" class="page-title">{move || prefs.t(Msg::LoansTitle)}</h1>
            <Protected data=data next="/loans" ready=move |v: LoansView| {
                let lang = move || prefs.lang.get();
                let mine = v.loans.iter().map(|l| {
                    let (name, state) = (l.name.clone(), l.state);
                    view! {
                        <li>
                            <a class="card block" href=format!("/loans/{}", l.id) data-testid="my-loan">
                                <span class="font-bold">{move || name.get(lang()).to_string()}</span>
                                " " <span class="badge">{move || prefs.t(state.label())}</span>
                                <span class="block mt-1">{l.amount.clone()} " · " {l.applied.clone()}</span>
                            </a>
                        </li>
                    }
                }).collect_view();
                let has_loans = !v.loans.is_empty();
                let guarantees = v.guarantees.iter().map(|g| {
                    let (name, state) = (g.name.clone(), g.state);
                    let borrower = g.borrower.clone();
                    view! {
                        <li>
                            <a class="card block" href=format!("/loans/guarantees/{}", g.id) data-testid="my-guarantee">
                                <span class="font-bold">{move || Tpl::GuaranteeFor.fill(lang(), &[("borrower", &borrower), ("product", name.get(lang()))])}</span>
                                " " <span class="badge">{move || prefs.t(state.label())}</span>
                                <span class="block mt-1">{g.amount.clone()}</span>
                            </a>
                        </li>
                    }
                }).collect_view();
                let has_guarantees = !v.guarantees.is_empty();
                let products = v.products.iter().map(|p| {
                    let (name, kind) = (p.name.clone(), p.kind);
                    let range = (p.min.clone(), p.max.clone(), p.rate.clone());
                    view! {
                        <li class="card" data-testid="loan-product">
                            <h3 class="section-title">{move || name.get(lang()).to_string()}</h3>
                            <p>{move || prefs.t(kind.hint())}</p>
                            <p class="mt-2">{move || Tpl::LoanProductTerms.fill(lang(), &[("rate", &range.2), ("min", &range.0), ("max", &range.1)])}</p>
                            <a class="btn-primary w-full mt-3" href=format!("/loans/apply?product={}", p.code) data-testid="loan-apply-link">{move || prefs.t(Msg::LoanApply)}</a>
                        </li>
                    }
                }).collect_view();
                view! {
                    {has_loans.then(|| view! {
                        <h2 class="section-title">{move || prefs.t(Msg::LoansMine)}</h2>
                        <ul class="grid gap-3 mb-6" role="list">{mine}</ul>
                    })}
                    {has_guarantees.then(|| view! {
                        <h2 class="section-title">{move || prefs.t(Msg::LoansGuaranteed)}</h2>
                        <ul class="grid gap-3 mb-6" role="list">{guarantees}</ul>
                    })}
                    <h2 class="section-title">{move || Tpl::LoansOfBank.fill(lang(), &[("bank", &v.bank)])}</h2>
                    <ul class="grid gap-4" role="list">{products}</ul>
                    <a class="btn-secondary w-full mt-6" href="/loans/calculator">{move || prefs.t(Msg::TileLoanCalculator)}</a>
                }
            }/>
        </section>
    }
}
