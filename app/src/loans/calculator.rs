//! 贷款计算器: a plain GET form whose answer is the same page with the instalments, the totals,
//! the APR and the whole schedule, so it works before WASM loads and the link can be shared
//! (`/loans/calculator?amount=100000&rate=4.35&months=12&method=equal-instalment`).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, ErrorMessage};
use crate::i18n::{Msg, Tpl};
use crate::prefs::use_prefs;

/// The repayment methods the calculator offers, by their names in the link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RepaymentMethod {
    EqualInstalment,
    EqualPrincipal,
    InterestMonthly,
    InterestQuarterly,
}

impl RepaymentMethod {
    pub const ALL: [RepaymentMethod; 4] = [
        RepaymentMethod::EqualInstalment,
        RepaymentMethod::EqualPrincipal,
        RepaymentMethod::InterestMonthly,
        RepaymentMethod::InterestQuarterly,
    ];

    /// As in `?method=`; the same words as `domain::loans::Method::slug`.
    pub fn slug(self) -> &'static str {
        match self {
            RepaymentMethod::EqualInstalment => "equal-instalment",
            RepaymentMethod::EqualPrincipal => "equal-principal",
            RepaymentMethod::InterestMonthly => "interest-first",
            RepaymentMethod::InterestQuarterly => "interest-first-quarterly",
        }
    }

    pub fn from_slug(slug: &str) -> Option<RepaymentMethod> {
        RepaymentMethod::ALL.into_iter().find(|m| m.slug() == slug)
    }

    pub fn name(self) -> Msg {
        match self {
            RepaymentMethod::EqualInstalment => Msg::LoanMethodEqualInstalment,
            RepaymentMethod::EqualPrincipal => Msg::LoanMethodEqualPrincipal,
            RepaymentMethod::InterestMonthly => Msg::LoanMethodInterestMonthly,
            RepaymentMethod::InterestQuarterly => Msg::LoanMethodInterestQuarterly,
        }
    }
}

/// What was typed, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanQuery {
    pub amount: String,
    pub rate: String,
    pub months: String,
    pub method: String,
}

/// One row of the schedule, formatted by the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteRow {
    pub number: u32,
    /// The month after the loan it falls due in (differs from `number` for quarterly interest).
    pub month: u32,
    pub principal: String,
    pub interest: String,
    pub amount: String,
    pub balance: String,
}

/// The answer: headline figures and the whole schedule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanQuote {
    pub method: RepaymentMethod,
    /// The first instalment (every one but the last, for equal instalments).
    pub first: String,
    /// The last, where it differs in kind (interest first: it carries the principal).
    pub last: Option<String>,
    /// How much less each month (equal principal).
    pub step: Option<String>,
    pub total_interest: String,
    pub total_repaid: String,
    /// `4.35%`.
    pub nominal_rate: String,
    pub apr: String,
    pub rows: Vec<QuoteRow>,
}

/// Anyone may calculate: nothing here is about an account.
#[server(endpoint = "quote_loan")]
pub async fn quote_loan(q: LoanQuery) -> Result<LoanQuote, AppError> {
    use crate::error::{respond, Field};
    use domain::loans::schedule::{schedule, Method, Terms};
    use domain::money::{format_yuan, parse_yuan};
    let bad = |f: Field| respond(AppError::Invalid(f));
    let method =
        RepaymentMethod::from_slug(q.method.trim()).ok_or_else(|| bad(Field::LoanMethod))?;
    let principal = parse_yuan(&q.amount).map_err(|_| bad(Field::LoanAmount))?;
    let rate_bp = domain::ops::parse_rate(&q.rate).map_err(|_| bad(Field::LoanRate))?;
    let months: u32 = q.months.trim().parse().map_err(|_| bad(Field::LoanTerm))?;
    let domain_method = Method::from_slug(method.slug()).map_err(|e| respond(e.into()))?;
    let terms =
        Terms::new(principal, rate_bp, months, domain_method).map_err(|e| respond(e.into()))?;
    let s = schedule(terms);
    let first = s.instalments.first().copied();
    let step = match (method, s.instalments.get(1)) {
        (RepaymentMethod::EqualPrincipal, Some(second)) => {
            first.map(|f| format_yuan(f.amount() - second.amount()))
        }
        _ => None,
    };
    let last = match method {
        RepaymentMethod::InterestMonthly | RepaymentMethod::InterestQuarterly => {
            s.instalments.last().map(|l| format_yuan(l.amount()))
        }
        _ => None,
    };
    Ok(LoanQuote {
        method,
        first: format_yuan(s.first_instalment()),
        last,
        step,
        total_interest: format_yuan(s.total_interest()),
        total_repaid: format_yuan(s.total_repaid()),
        nominal_rate: percent(rate_bp),
        apr: percent(s.apr()),
        rows: s
            .instalments
            .iter()
            .map(|i| QuoteRow {
                number: i.number,
                month: i.month,
                principal: format_yuan(i.principal),
                interest: format_yuan(i.interest),
                amount: format_yuan(i.amount()),
                balance: format_yuan(i.balance_after),
            })
            .collect(),
    })
}

/// Basis points as a percentage with two decimals: 435 → `4.35%`.
#[cfg(feature = "ssr")]
fn percent(bp: i64) -> String {
    format!("{}.{:02}%", bp / 100, bp % 100)
}

#[component]
pub fn LoanCalculatorPage() -> impl IntoView {
    let prefs = use_prefs();
    let query = use_query_map();
    let read = move || {
        let q = query.get();
        let get = |k: &str| q.get(k).unwrap_or_default();
        LoanQuery {
            amount: get("amount"),
            rate: get("rate"),
            months: get("months"),
            method: get("method"),
        }
    };
    let quote = Resource::new(read, |q| async move {
        if q.amount.is_empty() && q.rate.is_empty() && q.months.is_empty() {
            None
        } else {
            Some(quote_loan(q).await)
        }
    });
    view! {
        <section class="page" aria-labelledby="loan-calculator-title">
            <h1 id="loan-calculator-title" class="page-title">{move || prefs.t(Msg::LoanCalculatorTitle)}</h1>
            <p class="mb-4">{move || prefs.t(Msg::LoanCalculatorIntro)}</p>
            <CalculatorForm q=read()/>
            <Transition fallback=move || view! { <p class="card mt-4" aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {move || quote.get().flatten().map(|r| match r {
                    Ok(q) => view! { <QuoteView q/> }.into_any(),
                    Err(e) => view! { <div class="mt-4" data-testid="loan-error"><ErrorMessage error=e/></div> }.into_any(),
                })}
            </Transition>
            <ul class="card mt-6 grid gap-2 text-muted" role="list">
                <li>{move || prefs.t(Msg::LoanRoundingNote)}</li>
                <li>{move || prefs.t(Msg::LoanEstimateNote)}</li>
            </ul>
        </section>
    }
}

#[component]
fn CalculatorForm(q: LoanQuery) -> impl IntoView {
    let prefs = use_prefs();
    let or = |typed: &str, example: &str| {
        if typed.is_empty() {
            example.to_string()
        } else {
            typed.to_string()
        }
    };
    let (amount, rate, months) = (
        or(&q.amount, "100000"),
        or(&q.rate, "4.35"),
        or(&q.months, "12"),
    );
    let chosen = RepaymentMethod::from_slug(&q.method).unwrap_or(RepaymentMethod::EqualInstalment);
    let options = RepaymentMethod::ALL
        .into_iter()
        .map(|m| {
            view! {
                <option value=m.slug() selected=m == chosen>{move || prefs.t(m.name())}</option>
            }
        })
        .collect_view();
    view! {
        <form method="get" class="card form-stack" data-testid="loan-form">
            <label class="field-label">{move || prefs.t(Msg::LoanAmountLabel)}
                <input class="field" type="text" inputmode="decimal" name="amount" required maxlength="14"
                    value=amount data-testid="loan-amount"/></label>
            <div class="grid grid-cols-2 gap-3">
                <label class="field-label">{move || prefs.t(Msg::LoanRateLabel)}
                    <input class="field" type="text" inputmode="decimal" name="rate" required maxlength="6"
                        value=rate data-testid="loan-rate"/></label>
                <label class="field-label">{move || prefs.t(Msg::LoanMonthsLabel)}
                    <input class="field" type="text" inputmode="numeric" name="months" required maxlength="3"
                        value=months data-testid="loan-months"/></label>
            </div>
            <label class="field-label">{move || prefs.t(Msg::LoanMethodLabel)}
                <select class="field" name="method" data-testid="loan-method" aria-describedby="loan-method-hints">{options}</select>
            </label>
            <ul id="loan-method-hints" class="grid gap-1 text-muted" role="list">
                <li>{move || prefs.t(Msg::LoanMethodEqualInstalmentHint)}</li>
                <li>{move || prefs.t(Msg::LoanMethodEqualPrincipalHint)}</li>
                <li>{move || prefs.t(Msg::LoanMethodInterestFirstHint)}</li>
            </ul>
            <button type="submit" class="btn-primary w-full" data-testid="loan-submit">{move || prefs.t(Msg::LoanCalculate)}</button>
        </form>
    }
}

#[component]
fn QuoteView(q: LoanQuote) -> impl IntoView {
    let prefs = use_prefs();
    let headline = match q.method {
        RepaymentMethod::EqualInstalment => Msg::LoanMonthlyInstalment,
        RepaymentMethod::EqualPrincipal => Msg::LoanFirstInstalment,
        RepaymentMethod::InterestMonthly | RepaymentMethod::InterestQuarterly => {
            Msg::LoanInterestEachTime
        }
    };
    let count = q.rows.len().to_string();
    let quarterly = q.method == RepaymentMethod::InterestQuarterly;
    let rows = q
        .rows
        .into_iter()
        .map(|r| {
            let number = r.number.to_string();
            let when = move || {
                if quarterly {
                    Tpl::LoanPaymentAtMonth.fill(
                        prefs.lang.get(),
                        &[("number", &number), ("month", &r.month.to_string())],
                    )
                } else {
                    number.clone()
                }
            };
            view! {
                <tr>
                    <th scope="row">{when}</th>
                    <td>{r.principal}</td>
                    <td>{r.interest}</td>
                    <td>{r.amount}</td>
                    <td>{r.balance}</td>
                </tr>
            }
        })
        .collect_view();
    let step = q.step.clone();
    view! {
        <div class="card mt-4" data-testid="loan-result" aria-live="polite">
            <p class="text-muted">{move || prefs.t(headline)}</p>
            <p class="text-2xl font-bold" data-testid="loan-first">{q.first.clone()}</p>
            {step.map(|step| view! {
                <p data-testid="loan-step">{move || Tpl::LoanFallsEachMonth.fill(prefs.lang.get(), &[("step", &step)])}</p>
            })}
            // The APR as large as the nominal rate, side by side.
            <dl class="loan-rates mt-3">
                <div><dt>{move || prefs.t(Msg::LoanNominalRate)}</dt>
                    <dd data-testid="loan-nominal">{q.nominal_rate.clone()}</dd></div>
                <div><dt>{move || prefs.t(Msg::LoanApr)}</dt>
                    <dd data-testid="loan-apr">{q.apr.clone()}</dd></div>
            </dl>
            <p class="text-muted mt-2">{move || prefs.t(Msg::LoanAprNote)}</p>
            <dl class="profile mt-3">
                {q.last.clone().map(|last| view! {
                    <div><dt>{move || prefs.t(Msg::LoanLastInstalment)}</dt>
                        <dd data-testid="loan-last">{last}</dd></div>
                })}
                <div><dt>{move || prefs.t(Msg::LoanTotalInterest)}</dt>
                    <dd data-testid="loan-total-interest">{q.total_interest.clone()}</dd></div>
                <div><dt>{move || prefs.t(Msg::LoanTotalRepaid)}</dt>
                    <dd data-testid="loan-total-repaid">{q.total_repaid.clone()}</dd></div>
            </dl>
        </div>
        <details class="card mt-4" data-testid="loan-schedule">
            <summary class="font-semibold">{move || Tpl::LoanSchedule.fill(prefs.lang.get(), &[("count", &count)])}</summary>
            // A phone may be narrower than the five columns: the table scrolls sideways and can
            // be scrolled by keyboard.
            <div class="table-scroll mt-3" tabindex="0" role="region" aria-labelledby="loan-calculator-title">
                <table class="schedule-table">
                    <thead>
                        <tr>
                            <th scope="col">{move || prefs.t(Msg::LoanColNumber)}</th>
                            <th scope="col">{move || prefs.t(Msg::LoanColPrincipal)}</th>
                            <th scope="col">{move || prefs.t(Msg::LoanColInterest)}</th>
                            <th scope="col">{move || prefs.t(Msg::LoanColAmount)}</th>
                            <th scope="col">{move || prefs.t(Msg::LoanColBalance)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </details>
    }
}
