//! 养老金测算: the monthly pension estimate (`domain::pension`), a plain GET form whose answer
//! is the same page with the figures and the formula filled in with them, so it works before
//! WASM loads and the link can be kept or shared.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, ErrorMessage};
use crate::i18n::Msg;
use crate::prefs::use_prefs;

// The pages below arrive in their own WASM chunk (see `crate::chunk`).
crate::lazy_pages!(pension: PENSION_PAGE => PensionPage);

/// What was typed, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PensionQuery {
    pub wage: String,
    pub index: String,
    pub years: String,
    pub months: String,
    pub account: String,
    pub age: String,
}

impl PensionQuery {
    fn is_empty(&self) -> bool {
        self.wage.is_empty() && self.account.is_empty() && self.years.is_empty()
    }
}

/// The estimate as the page shows it (amounts formatted by the server).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PensionView {
    pub basic: String,
    pub personal: String,
    pub total: String,
    /// "(8,000.00 + 8,000.00) ÷ 2 × 30 年 × 1%" with the customer's numbers.
    pub basic_formula: String,
    pub personal_formula: String,
    pub short_of_minimum: bool,
}

/// Anyone may estimate: nothing here is about an account.
#[server(endpoint = "estimate_pension")]
pub async fn estimate_pension(q: PensionQuery) -> Result<PensionView, AppError> {
    use crate::error::{respond, Field};
    use domain::money::{format_decimal, format_yuan, parse_yuan};
    use domain::pension::{estimate, parse_index, PensionInput};
    let bad = |f: Field| respond(AppError::Invalid(f));
    let number = |s: &str, f: Field| -> Result<i64, AppError> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(0);
        }
        s.parse::<i64>().map_err(|_| bad(f))
    };
    let average_wage = parse_yuan(&q.wage).map_err(|_| bad(Field::PensionWage))?;
    let index_hundredths = if q.index.trim().is_empty() {
        100
    } else {
        parse_index(&q.index).map_err(|_| bad(Field::PensionIndex))?
    };
    let years = number(&q.years, Field::PensionYears)?;
    let extra_months = number(&q.months, Field::PensionYears)?;
    if !(0..=11).contains(&extra_months) || years < 0 {
        return Err(bad(Field::PensionYears));
    }
    // An empty or zero balance is a real answer (a short contribution history), not an error.
    let personal_account = match q.account.trim() {
        s if s.chars().all(|c| c == '0' || c == '.') => 0,
        s => parse_yuan(s).map_err(|_| bad(Field::PensionAccount))?,
    };
    let retirement_age: u32 = q.age.trim().parse().map_err(|_| bad(Field::PensionAge))?;
    let input = PensionInput {
        average_wage,
        index_hundredths,
        // Checked: a huge year count would wrap (in a release build) into a plausible one.
        months: years
            .checked_mul(12)
            .and_then(|m| m.checked_add(extra_months))
            .ok_or_else(|| bad(Field::PensionYears))?,
        personal_account,
        retirement_age,
    };
    let e = estimate(&input).map_err(|e| respond(AppError::from(e)))?;
    let years_text = if extra_months == 0 {
        format!("{years}")
    } else {
        format!("({years} + {extra_months}/12)")
    };
    Ok(PensionView {
        basic: format_yuan(e.basic),
        personal: format_yuan(e.personal),
        total: format_yuan(e.total),
        basic_formula: format!(
            "({} + {}) ÷ 2 × {years_text} × 1%",
            format_decimal(average_wage),
            format_decimal(e.indexed_wage)
        ),
        personal_formula: format!(
            "{} ÷ {}",
            format_decimal(personal_account),
            e.months_divisor
        ),
        short_of_minimum: e.short_of_minimum,
    })
}

#[component]
pub fn PensionPage() -> impl IntoView {
    let prefs = use_prefs();
    let query = use_query_map();
    let read = move || {
        let q = query.get();
        let get = |k: &str| q.get(k).unwrap_or_default();
        PensionQuery {
            wage: get("wage"),
            index: get("index"),
            years: get("years"),
            months: get("months"),
            account: get("account"),
            age: get("age"),
        }
    };
    let result = Resource::new(read, |q| async move {
        if q.is_empty() {
            None
        } else {
            Some(estimate_pension(q).await)
        }
    });
    view! {
        <section class="page" aria-labelledby="pension-title">
            <h1 id="pension-title" class="page-title">{move || prefs.t(Msg::PensionTitle)}</h1>
            <p class="mb-4">{move || prefs.t(Msg::PensionIntro)}</p>
            <PensionForm q=read()/>
            <Transition fallback=move || view! { <p class="card mt-4" aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {move || result.get().flatten().map(|r| match r {
                    Ok(v) => view! {
                        <div class="card mt-4" data-testid="pension-result" aria-live="polite">
                            <p class="text-muted">{prefs.t(Msg::PensionTotal)}</p>
                            <p class="text-2xl font-bold" data-testid="pension-total">{v.total.clone()}</p>
                            <dl class="profile mt-3">
                                <div><dt>{prefs.t(Msg::PensionBasic)}</dt>
                                    <dd><span data-testid="pension-basic">{v.basic.clone()}</span>
                                        <br/><span class="text-muted">{v.basic_formula.clone()}</span></dd></div>
                                <div><dt>{prefs.t(Msg::PensionPersonal)}</dt>
                                    <dd><span data-testid="pension-personal">{v.personal.clone()}</span>
                                        <br/><span class="text-muted">{v.personal_formula.clone()}</span></dd></div>
                            </dl>
                            {v.short_of_minimum.then(|| view! {
                                <p class="mt-3 font-semibold" role="note">{prefs.t(Msg::PensionShort)}</p>
                            })}
                        </div>
                    }.into_any(),
                    Err(e) => view! { <div class="mt-4"><ErrorMessage error=e/></div> }.into_any(),
                })}
            </Transition>
            <h2 class="section-title mt-6">{move || prefs.t(Msg::PensionHowTitle)}</h2>
            <ul class="card grid gap-2" role="list">
                <li>{move || prefs.t(Msg::PensionHowBasic)}</li>
                <li>{move || prefs.t(Msg::PensionHowPersonal)}</li>
                <li>{move || prefs.t(Msg::PensionHowLimits)}</li>
            </ul>
        </section>
    }
}

#[component]
fn PensionForm(q: PensionQuery) -> impl IntoView {
    let prefs = use_prefs();
    let index = if q.index.is_empty() {
        "1.00".to_string()
    } else {
        q.index.clone()
    };
    let age = if q.age.is_empty() {
        "60".to_string()
    } else {
        q.age.clone()
    };
    view! {
        <form method="get" class="card form-stack" data-testid="pension-form">
            <label class="field-label">{prefs.t(Msg::PensionWage)}
                <input class="field" type="text" inputmode="decimal" name="wage" required maxlength="12"
                    value=q.wage.clone() aria-describedby="pension-wage-hint"/></label>
            <p id="pension-wage-hint" class="text-muted">{prefs.t(Msg::PensionWageHint)}</p>
            <label class="field-label">{prefs.t(Msg::PensionIndex)}
                <input class="field" type="text" inputmode="decimal" name="index" maxlength="4"
                    value=index aria-describedby="pension-index-hint"/></label>
            <p id="pension-index-hint" class="text-muted">{prefs.t(Msg::PensionIndexHint)}</p>
            <div class="grid grid-cols-2 gap-3">
                <label class="field-label">{prefs.t(Msg::PensionYears)}
                    <input class="field" type="text" inputmode="numeric" name="years" required maxlength="2" value=q.years.clone()/></label>
                <label class="field-label">{prefs.t(Msg::PensionMonths)}
                    <input class="field" type="text" inputmode="numeric" name="months" maxlength="2" value=q.months.clone()/></label>
            </div>
            <label class="field-label">{prefs.t(Msg::PensionAccount)}
                <input class="field" type="text" inputmode="decimal" name="account" maxlength="14" value=q.account.clone()/></label>
            <label class="field-label">{prefs.t(Msg::PensionAge)}
                <input class="field" type="text" inputmode="numeric" name="age" required maxlength="2" value=age/></label>
            <button type="submit" class="btn-primary w-full" data-testid="pension-submit">{prefs.t(Msg::PensionSubmit)}</button>
        </form>
    }
}
