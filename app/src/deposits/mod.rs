//! 定期存款: the products with their rates, opening a deposit from a demand account, and the
//! customer's deposits with maturity, expected interest, and early withdrawal.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::account::Protected;
use crate::error::{AppError, SaveStatus};
use crate::i18n::{Msg, Named};
use crate::prefs::use_prefs;
use crate::transfer::{FromAccountChoice, FromOption};

// The pages below arrive in their own WASM chunk (see `crate::chunk`).
crate::lazy_pages!(deposits: DEPOSITS_PAGE => DepositsPage);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductRow {
    pub code: String,
    pub name: Named,
    pub rate: String,
    pub min: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositRow {
    pub id: String,
    pub name: Named,
    pub principal: String,
    pub rate: String,
    pub opened: String,
    pub matures: String,
    pub expected_interest: String,
    pub interest_paid: String,
    pub open: bool,
    pub auto_renew: bool,
    /// Pledged for a loan: no early withdrawal until it is repaid.
    pub pledged: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositsView {
    pub products: Vec<ProductRow>,
    pub accounts: Vec<FromOption>,
    pub deposits: Vec<DepositRow>,
    /// A fresh idempotency key for the open form.
    pub key: String,
}

/// `1.45%` from basis points.
pub fn percent(bp: i64) -> String {
    format!("{}.{:02}%", bp / 100, bp % 100)
}

#[server(endpoint = "load_deposits")]
pub async fn load_deposits() -> Result<DepositsView, AppError> {
    use crate::auth::server::{current_session, fail};
    use domain::clock::beijing_date;
    use domain::deposit::{catalogue, Status};
    use domain::money::format_yuan;
    let (ctx, s) = current_session().await?;
    let hidden = crate::accounts::balances_hidden();
    let profile = ctx.identity().profile(&s.customer_id).await.map_err(fail)?;
    let accounts = ctx.accounts().list(&s.customer_id).await.map_err(fail)?;
    let deposits = ctx.deposits().list(&s.customer_id).await.map_err(fail)?;
    // The customer's own bank's products at its rates in effect today.
    let offers = catalogue::offers(&ctx.db, &profile.bank_code, ctx.clock.now())
        .await
        .map_err(fail)?;
    let mut names = std::collections::HashMap::new();
    for d in &deposits {
        if !names.contains_key(&d.product) {
            let name = catalogue::describe(&ctx.db, &d.product)
                .await
                .map_err(fail)?
                .map_or_else(
                    || Named::new(d.product.clone(), d.product.clone()),
                    |(_, zh, en)| Named::new(zh, en),
                );
            names.insert(d.product.clone(), name);
        }
    }
    Ok(DepositsView {
        products: offers
            .iter()
            .map(|p| ProductRow {
                code: p.code.clone(),
                name: Named::new(p.name_zh.clone(), p.name_en.clone()),
                rate: percent(p.rate_bp),
                min: format_yuan(p.min),
            })
            .collect(),
        accounts: crate::transfer::from_options(&accounts, hidden),
        deposits: deposits
            .iter()
            .map(|d| DepositRow {
                id: d.id.clone(),
                name: names[&d.product].clone(),
                principal: format_yuan(d.principal),
                rate: percent(d.rate_bp),
                opened: beijing_date(d.opened_at),
                matures: beijing_date(d.matures_at),
                expected_interest: format_yuan(d.interest_at_maturity()),
                interest_paid: format_yuan(d.interest_paid),
                open: d.status == Status::Open,
                auto_renew: d.auto_renew,
                pledged: d.pledged_to.is_some(),
            })
            .collect(),
        key: domain::id::new_id(),
    })
}

#[server(endpoint = "open_deposit")]
pub async fn open_deposit(
    product: String,
    amount: String,
    from: String,
    auto_renew: Option<String>,
    key: String,
) -> Result<(), AppError> {
    use crate::auth::server::{audit, current_session, fail, limit};
    use crate::error::{respond, Field};
    use domain::audit::Action;
    let (ctx, s) = current_session().await?;
    limit(&ctx, &format!("deposit:{}", s.customer_id), 20, 600).await?;
    let principal = domain::money::parse_yuan(&amount)
        .map_err(|_| respond(AppError::Invalid(Field::Amount)))?;
    let d = ctx
        .deposits()
        .open(&domain::deposit::OpenRequest {
            customer_id: s.customer_id.clone(),
            source_account_id: from,
            product,
            principal,
            auto_renew: auto_renew.is_some(),
            idempotency_key: key,
        })
        .await
        .map_err(fail)?;
    let detail = serde_json::json!({ "deposit_opened": d.id, "amount": d.principal });
    audit(&ctx, &s.customer_id, Action::MoneyMoved, detail).await?;
    Ok(())
}

#[server(endpoint = "withdraw_deposit")]
pub async fn withdraw_deposit(id: String, understood: Option<String>) -> Result<(), AppError> {
    use crate::auth::server::{audit, current_session, fail};
    use crate::error::respond;
    use domain::audit::Action;
    let (ctx, s) = current_session().await?;
    if understood.is_none() {
        return Err(respond(AppError::EarlyWithdrawalNotConfirmed));
    }
    let d = ctx
        .deposits()
        .withdraw_early(&s.customer_id, &id)
        .await
        .map_err(fail)?;
    let detail = serde_json::json!({ "deposit_withdrawn": d.id, "interest": d.interest_paid });
    audit(&ctx, &s.customer_id, Action::MoneyMoved, detail).await?;
    Ok(())
}

#[component]
pub fn DepositsPage() -> impl IntoView {
    let prefs = use_prefs();
    let open = ServerAction::<OpenDeposit>::new();
    let withdraw = ServerAction::<WithdrawDeposit>::new();
    let data = Resource::new(
        move || (open.version().get(), withdraw.version().get()),
        |_| load_deposits(),
    );
    view! {
        <section class="page" aria-labelledby="deposits-title">
            <h1 id="deposits-title" class="page-title">{move || prefs.t(Msg::DepositsTitle)}</h1>
            <Protected data=data next="/deposits" ready=move |v| {
                        let lang = move || prefs.lang.get();
                        let rates = v.products.iter().map(|p| view! {
                            <tr><th scope="row">{let name = p.name.clone(); move || name.get(lang()).to_string()}</th><td>{p.rate.clone()}</td><td>{p.min.clone()}</td></tr>
                        }).collect_view();
                        let product_options = v.products.iter().map(|p| view! {
                            <option value=p.code.clone()>{let (name, rate) = (p.name.clone(), p.rate.clone()); move || format!("{} · {rate}", name.get(lang()))}</option>
                        }).collect_view();
                        let mine = v.deposits.into_iter().map(|d| {
                            let id = d.id.clone();
                            view! {
                                <li class="card" data-testid="deposit">
                                    <h3 class="font-bold">{let name = d.name.clone(); move || name.get(lang()).to_string()} " " <span class="badge">{prefs.t(if d.open { Msg::DepositOpen } else { Msg::DepositClosed })}</span>
                                        {d.pledged.then(|| view! { " " <span class="badge" data-testid="deposit-pledged">{prefs.t(Msg::DepositPledgedBadge)}</span> })}</h3>
                                    <dl class="profile mt-2">
                                        <div><dt>{prefs.t(Msg::DepositPrincipal)}</dt><dd>{d.principal.clone()}</dd></div>
                                        <div><dt>{prefs.t(Msg::DepositRate)}</dt><dd>{d.rate.clone()}</dd></div>
                                        <div><dt>{prefs.t(Msg::DepositOpened)}</dt><dd>{d.opened.clone()}</dd></div>
                                        <div><dt>{prefs.t(Msg::DepositMatures)}</dt><dd>{d.matures.clone()}</dd></div>
                                        {if d.open {
                                            view! { <div><dt>{prefs.t(Msg::DepositExpected)}</dt><dd>{d.expected_interest.clone()}</dd></div> }.into_any()
                                        } else {
                                            view! { <div><dt>{prefs.t(Msg::DepositInterestPaid)}</dt><dd data-testid="interest-paid">{d.interest_paid.clone()}</dd></div> }.into_any()
                                        }}
                                        <div><dt>{prefs.t(Msg::DepositAtMaturity)}</dt><dd>{prefs.t(if d.auto_renew { Msg::DepositRenew } else { Msg::DepositPayout })}</dd></div>
                                    </dl>
                                    {d.pledged.then(|| view! { <p class="mt-3">{prefs.t(Msg::ErrorDepositPledged)}</p> })}
                                    {(d.open && !d.pledged).then(|| view! {
                                        <ActionForm action=withdraw>
                                            <div class="form-stack mt-3">
                                                <input type="hidden" name="id" value=id.clone()/>
                                                <label class="check-label">
                                                    <input type="checkbox" name="understood" value="yes" required/>
                                                    {prefs.t(Msg::DepositEarlyWarning)}
                                                </label>
                                                <button type="submit" class="btn-secondary">{prefs.t(Msg::DepositWithdraw)}</button>
                                                <SaveStatus action=withdraw saved=Msg::DepositWithdrawn/>
                                            </div>
                                        </ActionForm>
                                    })}
                                </li>
                            }
                        }).collect_view();
                        view! {
                            <section class="card" aria-labelledby="rates-title">
                                <h2 id="rates-title" class="section-title">{prefs.t(Msg::DepositRates)}</h2>
                                <table class="rates">
                                    <thead><tr><th scope="col">{prefs.t(Msg::DepositProduct)}</th><th scope="col">{prefs.t(Msg::DepositRate)}</th><th scope="col">{prefs.t(Msg::DepositMin)}</th></tr></thead>
                                    <tbody>{rates}</tbody>
                                </table>
                                <p class="mt-2 text-muted">{prefs.t(Msg::DepositFormula)}</p>
                            </section>
                            <section class="card mt-4" aria-labelledby="open-deposit-title">
                                <h2 id="open-deposit-title" class="section-title">{prefs.t(Msg::DepositOpenTitle)}</h2>
                                <ActionForm action=open>
                                    <div class="form-stack">
                                        <input type="hidden" name="key" value=v.key.clone()/>
                                        <label class="field-label">{prefs.t(Msg::DepositProduct)}
                                            <select class="field" name="product" data-testid="deposit-product">{product_options}</select>
                                        </label>
                                        <FromAccountChoice accounts=v.accounts.clone() chosen=String::new()/>
                                        <label class="field-label">{prefs.t(Msg::TransferAmount)}
                                            <input class="field" type="text" name="amount" inputmode="decimal" required maxlength="16"/>
                                        </label>
                                        <label class="check-label">
                                            <input type="checkbox" name="auto_renew" value="yes" checked/>
                                            {prefs.t(Msg::DepositAutoRenew)}
                                        </label>
                                        <button type="submit" class="btn-primary w-full">{prefs.t(Msg::DepositOpenButton)}</button>
                                        <SaveStatus action=open saved=Msg::DepositOpened2/>
                                    </div>
                                </ActionForm>
                            </section>
                            <h2 class="section-title mt-6">{prefs.t(Msg::DepositMine)}</h2>
                            <ul class="grid gap-4" role="list" data-testid="deposits">{mine}</ul>
                        }.into_any()
                    }/>
        </section>
    }
}
