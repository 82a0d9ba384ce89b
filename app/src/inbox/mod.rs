//! 消息: the notification inbox; movement alerts (动账通知) for now. Opening it marks
//! everything read.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::account::SignInPrompt;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::prefs::use_prefs;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxItem {
    pub time: String,
    pub text: String,
    pub incoming: bool,
    pub unread: bool,
}

#[server(endpoint = "load_inbox")]
pub async fn load_inbox() -> Result<Vec<InboxItem>, AppError> {
    use crate::auth::server::{current_session, fail};
    use crate::i18n::Lang;
    use domain::ledger::MovementAlert;
    use domain::money::format_yuan;
    let (ctx, s) = current_session().await?;
    let zh = crate::prefs::InitialPrefs::from_request().lang == Lang::ZhCn;
    let items = domain::notify::inbox(&ctx.db, &s.customer_id, 50)
        .await
        .map_err(fail)?;
    domain::notify::mark_all_read(&ctx.db, ctx.clock.as_ref(), &s.customer_id)
        .await
        .map_err(fail)?;
    Ok(items
        .into_iter()
        .filter_map(|n| {
            let a: MovementAlert = serde_json::from_str(&n.data).ok()?;
            let amount = format_yuan(a.amount.abs());
            let balance = format_yuan(a.balance_after);
            let text = match (zh, a.amount > 0) {
                (true, true) => format!(
                    "您尾号{}的账户收入 {amount}，余额 {balance}。对方：{}；摘要：{}",
                    a.card_tail, a.counterparty, a.memo
                ),
                (true, false) => format!(
                    "您尾号{}的账户支出 {amount}，余额 {balance}。对方：{}；摘要：{}",
                    a.card_tail, a.counterparty, a.memo
                ),
                (false, true) => format!(
                    "Account *{} received {amount}; balance {balance}. From: {}; note: {}",
                    a.card_tail, a.counterparty, a.memo
                ),
                (false, false) => format!(
                    "Account *{} paid {amount}; balance {balance}. To: {}; note: {}",
                    a.card_tail, a.counterparty, a.memo
                ),
            };
            Some(InboxItem {
                time: domain::clock::beijing_datetime(n.created_at),
                text,
                incoming: a.amount > 0,
                unread: !n.read,
            })
        })
        .collect())
}

#[component]
pub fn InboxPage() -> impl IntoView {
    let prefs = use_prefs();
    let items = Resource::new(|| (), |_| load_inbox());
    view! {
        <section class="page" aria-labelledby="inbox-title">
            <h1 id="inbox-title" class="page-title">{move || prefs.t(Msg::InboxTitle)}</h1>
            <Suspense fallback=move || view! { <p class="card" aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {move || items.get().map(|r| match r {
                    Ok(list) if list.is_empty() => view! { <p class="card">{prefs.t(Msg::InboxEmpty)}</p> }.into_any(),
                    Ok(list) => {
                        let rows = list.into_iter().map(|i| view! {
                            <li class="movement">
                                <div class="movement-main">
                                    <span class="movement-party">{prefs.t(if i.incoming { Msg::AlertIn } else { Msg::AlertOut })}
                                        {i.unread.then(|| view! { " " <span class="badge">{prefs.t(Msg::Unread)}</span> })}</span>
                                    <span class="movement-sub">{i.time}</span>
                                </div>
                                <p>{i.text}</p>
                            </li>
                        }).collect_view();
                        view! { <ul class="movements" role="list" data-testid="inbox">{rows}</ul> }.into_any()
                    }
                    Err(e) => view! { <SignInPrompt error=e next="/inbox"/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
