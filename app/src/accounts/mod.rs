//! 账户: the customer's accounts with balances (hidden or shown, remembered per browser), opening
//! a Ⅱ类户 online, and each account's movements with filters and pages.

pub mod chart;
pub mod history;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use history::AccountHistoryPage;

use crate::account::Protected;
use crate::error::{AppError, SaveStatus};
use crate::i18n::{Lang, Msg, Tpl};
use crate::prefs::use_prefs;

// The pages below arrive in their own WASM chunk (see `crate::chunk`).
crate::lazy_pages!(accounts: ACCOUNTS_PAGE => AccountsPage, ACCOUNT_HISTORY_PAGE => AccountHistoryPage);

/// The cookie that remembers "hide my balances" on this browser.
pub const BALANCE_COOKIE: &str = "balance";

/// What the pages call an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AccountName {
    /// The name it was opened under (工资卡): the bank's or the customer's own words, shown as
    /// they are in every language, like a saved payee's name.
    Given(String),
    /// Opened online without a name: 电子账户, in the language in use.
    Online,
}

impl AccountName {
    #[cfg(feature = "ssr")]
    pub fn of(account: &domain::account::Account) -> Self {
        if account.label.trim().is_empty() {
            AccountName::Online
        } else {
            AccountName::Given(account.label.clone())
        }
    }

    pub fn text(&self, lang: Lang) -> String {
        match self {
            AccountName::Given(name) => name.clone(),
            AccountName::Online => lang.t(Msg::AccountOnline).to_string(),
        }
    }

    /// The name with the card's last four digits, as lists and choices show an account.
    pub fn with_tail(&self, lang: Lang, tail: &str) -> String {
        Tpl::AccountWithTail.fill(lang, &[("name", &self.text(lang)), ("tail", tail)])
    }
}

/// One account as the pages show it; amounts come formatted from the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountCard {
    pub id: String,
    pub name: AccountName,
    /// 1 or 2 (Ⅰ类户 / Ⅱ类户).
    pub class: u8,
    pub card_masked: String,
    pub card_tail: String,
    pub bank_name: String,
    /// `None` while balances are hidden.
    pub balance: Option<String>,
    pub available: Option<String>,
    pub per_transfer: String,
    pub daily_remaining: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountsView {
    pub accounts: Vec<AccountCard>,
    pub hidden: bool,
}

/// Whether this browser asked to hide balances.
#[cfg(feature = "ssr")]
pub fn balances_hidden() -> bool {
    crate::auth::server::request_cookie(BALANCE_COOKIE).as_deref() == Some("hidden")
}

#[cfg(feature = "ssr")]
pub fn card_of(a: &domain::account::Account, hidden: bool) -> AccountCard {
    use domain::account::{card, AccountClass};
    use domain::money::format_yuan;
    let limits = a.class.limits();
    AccountCard {
        id: a.id.clone(),
        name: AccountName::of(a),
        class: if a.class == AccountClass::One { 1 } else { 2 },
        card_masked: card::mask(&a.card_no),
        card_tail: card::tail(&a.card_no).into(),
        bank_name: a.bank_name.clone(),
        balance: (!hidden).then(|| format_yuan(a.balance)),
        available: (!hidden).then(|| format_yuan(a.available())),
        per_transfer: format_yuan(limits.per_transfer),
        daily_remaining: format_yuan(a.daily_remaining()),
    }
}

#[server(endpoint = "load_accounts")]
pub async fn load_accounts() -> Result<AccountsView, AppError> {
    use crate::auth::server::{current_session, fail};
    let (ctx, s) = current_session().await?;
    let hidden = balances_hidden();
    let accounts = ctx
        .accounts()
        .list(&s.customer_id)
        .await
        .map_err(fail)?
        .iter()
        .map(|a| card_of(a, hidden))
        .collect();
    Ok(AccountsView { accounts, hidden })
}

/// Hides or shows balances on this browser (remembered for a year).
#[server(endpoint = "set_balance_visibility")]
pub async fn set_balance_visibility(hide: String) -> Result<(), AppError> {
    use crate::auth::server::{current_session, set_cookie};
    let (ctx, _) = current_session().await?;
    let value = if hide == "1" { "hidden" } else { "shown" };
    set_cookie(&ctx, BALANCE_COOKIE, value, Some(365 * 24 * 3600), "Lax");
    Ok(())
}

/// Opens an empty Ⅱ类户 online (a Ⅰ类户 needs a branch visit).
#[server(endpoint = "open_account")]
pub async fn open_account() -> Result<(), AppError> {
    use crate::auth::server::{audit, current_session, fail, limit};
    use domain::account::AccountClass;
    use domain::audit::Action;
    let (ctx, s) = current_session().await?;
    limit(&ctx, &format!("open:{}", s.customer_id), 3, 86_400).await?;
    let a = ctx
        .accounts()
        // No name of its own: the pages call it 电子账户 in the language in use.
        .open(&s.customer_id, AccountClass::Two, "")
        .await
        .map_err(fail)?;
    let detail = serde_json::json!({ "account_opened": domain::account::card::mask(&a.card_no) });
    audit(&ctx, &s.customer_id, Action::ProfileChanged, detail).await?;
    Ok(())
}

/// The balance, or asterisks while hidden.
pub fn shown(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "¥ ****".into())
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    let prefs = use_prefs();
    let toggle = ServerAction::<SetBalanceVisibility>::new();
    let open = ServerAction::<OpenAccount>::new();
    let view_data = Resource::new(
        move || (toggle.version().get(), open.version().get()),
        |_| load_accounts(),
    );
    view! {
        <section class="page" aria-labelledby="accounts-title">
            <h1 id="accounts-title" class="page-title">{move || prefs.t(Msg::AccountsTitle)}</h1>
            <Protected data=view_data next="/accounts" ready=move |v| {
                        let hidden = v.hidden;
                        let empty = v.accounts.is_empty();
                        let cards = v.accounts.into_iter().map(|a| view! { <AccountCardView account=a/> }).collect_view();
                        view! {
                            <ActionForm action=toggle>
                                <input type="hidden" name="hide" value=if hidden { "0" } else { "1" }/>
                                <button type="submit" class="btn-secondary" data-testid="balance-toggle" aria-pressed=hidden.to_string()>
                                    {prefs.t(if hidden { Msg::BalanceShow } else { Msg::BalanceHide })}
                                </button>
                            </ActionForm>
                            <ul class="mt-4 grid gap-4" role="list" data-testid="accounts">{cards}</ul>
                            {empty.then(|| view! { <p class="card">{prefs.t(Msg::AccountsNone)}</p> })}
                            <section class="card mt-6" aria-labelledby="open-title">
                                <h2 id="open-title" class="section-title">{prefs.t(Msg::OpenAccountTitle)}</h2>
                                <p class="mb-4 text-muted">{prefs.t(Msg::OpenAccountHint)}</p>
                                <ActionForm action=open>
                                    <button type="submit" class="btn-primary">{prefs.t(Msg::OpenAccountButton)}</button>
                                    <SaveStatus action=open saved=Msg::OpenAccountDone/>
                                </ActionForm>
                            </section>
                        }.into_any()
                    }/>
        </section>
    }
}

#[component]
fn AccountCardView(account: AccountCard) -> impl IntoView {
    let prefs = use_prefs();
    let class = if account.class == 1 {
        Msg::ClassOne
    } else {
        Msg::ClassTwo
    };
    let history = format!("/accounts/{}", account.id);
    view! {
        <li class="card account-card">
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <h2 class="text-lg font-bold">{let name = account.name.clone(); move || name.text(prefs.lang.get())} " " <span class="badge">{move || prefs.t(class)}</span></h2>
                <span class="text-muted">{account.bank_name.clone()}</span>
            </div>
            <p class="mt-1 font-mono" data-testid="card-masked">{account.card_masked.clone()}</p>
            <p class="mt-3 text-muted">{prefs.t(Msg::Balance)}</p>
            <p class="balance" data-testid="balance">{shown(&account.balance)}</p>
            <p class="text-muted">{let available = shown(&account.available); move || Tpl::AvailableAmount.fill(prefs.lang.get(), &[("amount", &available)])}</p>
            <p class="text-muted">{
                let (per, left) = (account.per_transfer.clone(), account.daily_remaining.clone());
                move || Tpl::AccountLimits.fill(prefs.lang.get(), &[("per_transfer", &per), ("left_today", &left)])
            }</p>
            <div class="mt-4 flex flex-wrap gap-3">
                <a class="btn-primary" href=format!("/transfer?from={}", account.id)>{prefs.t(Msg::TransferTitle)}</a>
                <a class="btn-secondary" href=history>{prefs.t(Msg::HistoryTitle)}</a>
            </div>
        </li>
    }
}
