//! The home page's part for a signed-in customer. The simple editions': the balance, the saved payees as big
//! "transfer to …" buttons (a transfer in three steps), the saved bill numbers as big "pay …"
//! buttons (the bill found, one confirmed step), the social-security and medical QR codes one
//! tap away, and the last five movements, on one screen in large type.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::accounts::history::MovementList;
use crate::accounts::history::MovementRow;
use crate::accounts::{shown, AccountCard};
use crate::error::AppError;
use crate::i18n::{Msg, Tpl};
use crate::prefs::use_prefs;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeSummary {
    /// The first account; `None` before the customer has opened one.
    pub account: Option<AccountCard>,
    /// Every account (the standard editions list them all).
    pub accounts: Vec<AccountCard>,
    /// Alerts not yet read.
    pub unread: i64,
    /// (`saved:<id>`, label) of up to four saved payees.
    pub payees: Vec<(String, String)>,
    /// (label, link to the bill) of up to three saved bill numbers.
    pub bills: Vec<(String, String)>,
    pub movements: Vec<MovementRow>,
}

/// `None` for a visitor who is not signed in (the home page then shows only the tiles).
#[server(endpoint = "load_home_summary")]
pub async fn load_home_summary() -> Result<Option<HomeSummary>, AppError> {
    use crate::auth::server::{current_session, fail};
    let Ok((ctx, s)) = current_session().await else {
        // Signed out is not an error on the home page.
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(http::StatusCode::OK);
        }
        return Ok(None);
    };
    // The home page is where every edition lands (also after `?edition=`).
    let prefs = crate::prefs::InitialPrefs::from_request();
    if prefs.chosen {
        crate::auth::server::remember_edition(&ctx, &s.customer_id, prefs.edition).await;
    }
    let hidden = crate::accounts::balances_hidden();
    let all = ctx.accounts().list(&s.customer_id).await.map_err(fail)?;
    let unread = domain::notify::unread(&ctx.db, &s.customer_id)
        .await
        .map_err(fail)?;
    let accounts = all
        .iter()
        .map(|a| crate::accounts::card_of(a, hidden))
        .collect();
    let Some(primary) = all.into_iter().next() else {
        // No account yet: the social-security and medical codes still work.
        return Ok(Some(HomeSummary {
            account: None,
            accounts,
            unread,
            payees: Vec::new(),
            bills: Vec::new(),
            movements: Vec::new(),
        }));
    };
    let payees = ctx
        .transfers()
        .payees()
        .list(&s.customer_id)
        .await
        .map_err(fail)?
        .into_iter()
        .filter(|p| p.saved)
        .take(4)
        .map(|p| {
            let label = if p.alias.is_empty() {
                p.name_masked
            } else {
                p.alias
            };
            (format!("saved:{}", p.id), label)
        })
        .collect();
    let bills = ctx
        .households()
        .list(&s.customer_id)
        .await
        .map_err(fail)?
        .iter()
        .take(3)
        .map(|h| (h.label.clone(), crate::bills::household_href(h)))
        .collect();
    let page = domain::ledger::history(
        &ctx.db,
        &s.customer_id,
        &primary.id,
        &Default::default(),
        0,
        5,
    )
    .await
    .map_err(fail)?;
    Ok(Some(HomeSummary {
        account: Some(crate::accounts::card_of(&primary, hidden)),
        accounts,
        unread,
        payees,
        bills,
        movements: crate::accounts::history::movement_rows(
            &ctx,
            &s.customer_id,
            page.items,
            hidden,
        )
        .await?,
    }))
}

#[component]
pub fn SimpleSummary() -> impl IntoView {
    let prefs = use_prefs();
    let data = Resource::new(|| (), |_| load_home_summary());
    view! {
        // Signed out: nothing here, the tiles are the page.
        <Suspense fallback=move || view! { <p class="card" aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
            {move || data.get().map(|r| match r {
                Ok(Some(HomeSummary { account: None, .. })) => view! { <SocialButtons/> }.into_any(),
                Ok(Some(s)) => {
                    let Some(account) = s.account else { return ().into_any() };
                    let from = account.id.clone();
                    let payees = s.payees.into_iter().map(|(value, label)| {
                        let href = format!("/transfer?from={from}&payee={value}");
                        let text = move || Tpl::TransferTo.fill(prefs.lang.get(), &[("name", &label)]);
                        view! { <li><a class="btn-primary w-full" href=href>{text}</a></li> }
                    }).collect_view();
                    view! {
                        <section class="card summary" aria-labelledby="summary-title" data-testid="home-summary">
                            <h2 id="summary-title" class="section-title">{let (name, tail) = (account.name.clone(), account.card_tail.clone()); move || name.with_tail(prefs.lang.get(), &tail)}</h2>
                            <p class="text-muted">{prefs.t(Msg::Balance)}</p>
                            <p class="balance" data-testid="balance">{shown(&account.balance)}</p>
                            <ul class="mt-4 grid gap-3" role="list">
                                {payees}
                                <li><a class="btn-secondary w-full" href="/transfer">{prefs.t(Msg::TransferOther)}</a></li>
                            </ul>
                        </section>
                        <SocialButtons/>
                        <section class="card mt-6" aria-labelledby="home-bills-title" data-testid="home-bills">
                            <h2 id="home-bills-title" class="section-title">{prefs.t(Msg::BillsTitle)}</h2>
                            <ul class="grid gap-3" role="list">
                                {s.bills.into_iter().map(|(label, href)| {
                                    let text = move || Tpl::PayBillFor.fill(prefs.lang.get(), &[("label", &label)]);
                                    view! { <li><a class="btn-primary w-full" href=href>{text}</a></li> }
                                }).collect_view()}
                                <li><a class="btn-secondary w-full" href="/bills">{prefs.t(Msg::HomeOtherBills)}</a></li>
                            </ul>
                        </section>
                        <section class="mt-6" aria-labelledby="recent-title">
                            <h2 id="recent-title" class="section-title">{prefs.t(Msg::RecentMovements)}</h2>
                            <MovementList rows=s.movements/>
                            <a class="btn-secondary mt-3" href=format!("/accounts/{}", account.id)>{prefs.t(Msg::HistoryTitle)}</a>
                        </section>
                    }.into_any()
                }
                Ok(None) => ().into_any(),
                Err(e) => view! { <crate::error::ErrorMessage error=e/> }.into_any(),
            })}
        </Suspense>
    }
}

/// The social-security card and the medical code, one tap from home (then shown at once).
#[component]
fn SocialButtons() -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <section class="card mt-6" aria-labelledby="home-social-title" data-testid="home-social">
            <h2 id="home-social-title" class="section-title">{prefs.t(Msg::HomeSocialTitle)}</h2>
            <ul class="grid gap-3" role="list">
                <li><a class="btn-primary w-full" href="/ssc">{prefs.t(Msg::HomeSscButton)}</a></li>
                <li><a class="btn-secondary w-full" href="/medical">{prefs.t(Msg::HomeMedicalButton)}</a></li>
            </ul>
        </section>
    }
}

/// The standard editions' home for a signed-in customer, in their own layout: every account
/// with its balance (or asterisks while hidden), the unread alerts, and the last movements.
#[component]
pub fn StandardSummary() -> impl IntoView {
    let prefs = use_prefs();
    let data = Resource::new(|| (), |_| load_home_summary());
    view! {
        <Suspense fallback=move || view! { <p class="card" aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
            {move || data.get().map(|r| match r {
                Ok(Some(s)) => {
                    // What the live stream says once it has answered, so this agrees with the bell.
                    let live = crate::inbox::live::use_live();
                    let loaded = s.unread;
                    let unread_text = move || {
                        let unread = live.and_then(|l| l.unread.get()).unwrap_or(loaded);
                        if unread > 0 {
                            Tpl::UnreadMessages.fill(prefs.lang.get(), &[("count", &unread.to_string())])
                        } else {
                            prefs.t(Msg::HomeNoUnread).to_string()
                        }
                    };
                    let accounts = s.accounts.into_iter().map(|a| view! {
                        <li class="flex items-baseline justify-between gap-3">
                            <a href=format!("/accounts/{}", a.id)>{let (name, tail) = (a.name.clone(), a.card_tail.clone()); move || name.with_tail(prefs.lang.get(), &tail)}</a>
                            <span class="font-bold" data-testid="balance">{shown(&a.balance)}</span>
                        </li>
                    }).collect_view();
                    view! {
                        <section class="card summary" aria-labelledby="home-accounts-title" data-testid="home-accounts">
                            <h2 id="home-accounts-title" class="section-title">{prefs.t(Msg::AccountsTitle)}</h2>
                            <ul class="grid gap-3" role="list">{accounts}</ul>
                            <a class="btn-secondary mt-4" href="/accounts">{prefs.t(Msg::HomeAllAccounts)}</a>
                        </section>
                        <a class="card mt-4 block font-bold" href="/inbox" data-testid="home-unread">{unread_text}</a>
                        {(!s.movements.is_empty()).then(|| view! {
                            <section class="mt-6" aria-labelledby="home-recent-title">
                                <h2 id="home-recent-title" class="section-title">{prefs.t(Msg::RecentMovements)}</h2>
                                <MovementList rows=s.movements/>
                            </section>
                        })}
                    }.into_any()
                }
                Ok(None) => ().into_any(),
                Err(e) => view! { <crate::error::ErrorMessage error=e/> }.into_any(),
            })}
        </Suspense>
    }
}
