//! 贷款组合: the loans of the staff member's bank at a glance (for the union, of every bank
//! that lends online): loans being repaid, principal owed, paid out this month, and what is
//! overdue with its share of what is owed.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::home::ConsolePage;
use crate::error::{AppError, ErrorMessage};
use crate::i18n::Msg;
use crate::prefs::use_prefs;

/// One bank's row, formatted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioRow {
    pub bank: String,
    pub active: i64,
    pub outstanding: String,
    pub disbursed_this_month: String,
    pub overdue: String,
    pub overdue_loans: i64,
    /// `1.25%`.
    pub overdue_ratio: String,
}

#[server(prefix = "/ops/api", endpoint = "load_loan_portfolio")]
pub async fn load_loan_portfolio() -> Result<Vec<PortfolioRow>, AppError> {
    use crate::auth::server::fail;
    use domain::money::format_yuan;
    let (ctx, s) = super::server::current_staff().await?;
    let rows = ctx.loans().portfolio(&s.member).await.map_err(fail)?;
    let mut out = Vec::with_capacity(rows.len());
    for p in rows {
        let bank = domain::institution::get(&ctx.db, &p.bank_code)
            .await
            .map_err(fail)?;
        out.push(PortfolioRow {
            bank: bank.short_name,
            active: p.active,
            outstanding: format_yuan(p.outstanding),
            disbursed_this_month: format_yuan(p.disbursed_this_month),
            overdue: format_yuan(p.overdue),
            overdue_loans: p.overdue_loans,
            overdue_ratio: crate::deposits::percent(p.overdue_ratio_bp()),
        });
    }
    Ok(out)
}

#[component]
pub fn LoanPortfolioPage() -> impl IntoView {
    let prefs = use_prefs();
    let rows = Resource::new(|| (), |_| load_loan_portfolio());
    view! {
        <ConsolePage title=Msg::OpsLoanPortfolio ready=move |_| view! {
            <p class="text-muted mb-4">{prefs.t(Msg::OpsLoanPortfolioNote)}</p>
            <Transition fallback=move || view! { <p aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {move || rows.get().map(|r| match r {
                    Err(e) => view! { <ErrorMessage error=e/> }.into_any(),
                    Ok(rows) => view! {
                        <table class="console-table" data-testid="loan-portfolio">
                            <thead><tr>
                                <th scope="col">{prefs.t(Msg::OpsInstitution)}</th>
                                <th scope="col">{prefs.t(Msg::OpsPortfolioActive)}</th>
                                <th scope="col">{prefs.t(Msg::OpsPortfolioOutstanding)}</th>
                                <th scope="col">{prefs.t(Msg::OpsPortfolioDisbursed)}</th>
                                <th scope="col">{prefs.t(Msg::OpsPortfolioOverdue)}</th>
                                <th scope="col">{prefs.t(Msg::OpsPortfolioOverdueRatio)}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|p| view! {
                                    <tr>
                                        <th scope="row">{p.bank}</th>
                                        <td data-testid="portfolio-active">{p.active}</td>
                                        <td data-testid="portfolio-outstanding">{p.outstanding}</td>
                                        <td data-testid="portfolio-disbursed">{p.disbursed_this_month}</td>
                                        <td>{p.overdue} " (" {p.overdue_loans} ")"</td>
                                        <td data-testid="portfolio-ratio">{p.overdue_ratio}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                })}
            </Transition>
        }/>
    }
}
