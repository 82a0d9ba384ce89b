//! 消息: the notification inbox: movement alerts (动账通知) and due-bill reminders (缴费提醒,
//! with a link to the bill). Opening it marks what it shows read.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::account::Protected;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::prefs::use_prefs;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxItem {
    pub time: String,
    pub text: String,
    pub heading: Heading,
    pub unread: bool,
    /// Where to act on it (the bill, found already), if anywhere.
    pub href: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Heading {
    MoneyIn,
    MoneyOut,
    BillDue,
    AutoPaid,
}

impl Heading {
    fn msg(self) -> Msg {
        match self {
            Heading::MoneyIn => Msg::AlertIn,
            Heading::MoneyOut => Msg::AlertOut,
            Heading::BillDue => Msg::AlertBillDue,
            Heading::AutoPaid => Msg::AlertAutoPaid,
        }
    }
}

#[server(endpoint = "load_inbox")]
pub async fn load_inbox() -> Result<Vec<InboxItem>, AppError> {
    use crate::auth::server::{current_session, fail};
    use crate::i18n::Lang;
    use domain::billpay::reminders::{AutoPayOutcome, BillDueAlert};
    use domain::ledger::MovementAlert;
    use domain::money::format_yuan;
    let (ctx, s) = current_session().await?;
    let zh = crate::prefs::InitialPrefs::from_request().lang == Lang::ZhCn;
    let items = domain::notify::inbox(&ctx.db, &s.customer_id, 50)
        .await
        .map_err(fail)?;
    domain::notify::mark_read(&ctx.db, ctx.clock.as_ref(), &s.customer_id, &items)
        .await
        .map_err(fail)?;
    // Reminders link to their saved number's bill (read once for the whole list).
    let households = ctx.households().list(&s.customer_id).await.map_err(fail)?;
    let mut out = Vec::with_capacity(items.len());
    for n in items {
        if n.kind == domain::notify::Kind::BillDue {
            let Ok(a) = serde_json::from_str::<BillDueAlert>(&n.data) else {
                continue;
            };
            let kind = if zh {
                a.kind.name_zh()
            } else {
                a.kind.name_en()
            };
            let due = format_yuan(a.due);
            let what = if zh {
                format!(
                    "“{}”（{kind}，{}）{} 应缴 {due}",
                    a.label, a.biller, a.period
                )
            } else {
                format!(
                    "“{}” ({kind}, {}): {due} due for {}",
                    a.label, a.biller, a.period
                )
            };
            let (text, heading, href) = match &a.autopay {
                AutoPayOutcome::Paid { payment_id } => (
                    if zh {
                        format!("{what}，已自动缴费。")
                    } else {
                        format!("{what}; paid automatically.")
                    },
                    Heading::AutoPaid,
                    Some(format!("/bills/payments/{payment_id}")),
                ),
                other => {
                    let note = match (other, zh) {
                        (AutoPayOutcome::OverCap { cap }, true) => {
                            format!("，超过自动缴费每月上限 {}，请手动缴费。", format_yuan(*cap))
                        }
                        (AutoPayOutcome::OverCap { cap }, false) => format!(
                            "; over the automatic payment cap of {} a month: please pay it yourself.",
                            format_yuan(*cap)
                        ),
                        (AutoPayOutcome::Failed, true) => {
                            "，自动缴费未成功（如余额不足），请手动缴费。".to_string()
                        }
                        (AutoPayOutcome::Failed, false) => {
                            "; automatic payment did not go through (not enough money?): please pay it yourself.".to_string()
                        }
                        (_, true) => "，请及时缴费。".to_string(),
                        (_, false) => ".".to_string(),
                    };
                    (
                        format!("{what}{note}"),
                        Heading::BillDue,
                        // Removed from the saved numbers since: the reminder stays, no link.
                        households
                            .iter()
                            .find(|h| h.id == a.household_id)
                            .map(crate::bills::household_href),
                    )
                }
            };
            out.push(InboxItem {
                time: domain::clock::beijing_datetime(n.created_at),
                text,
                heading,
                unread: !n.read,
                href,
            });
            continue;
        }
        let item = (|| {
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
                heading: if a.amount > 0 {
                    Heading::MoneyIn
                } else {
                    Heading::MoneyOut
                },
                unread: !n.read,
                href: None,
            })
        })();
        out.extend(item);
    }
    Ok(out)
}

#[component]
pub fn InboxPage() -> impl IntoView {
    let prefs = use_prefs();
    let items = Resource::new(|| (), |_| load_inbox());
    view! {
        <section class="page" aria-labelledby="inbox-title">
            <h1 id="inbox-title" class="page-title">{move || prefs.t(Msg::InboxTitle)}</h1>
            <Protected data=items next="/inbox" ready=move |list| if list.is_empty() { view! { <p class="card">{prefs.t(Msg::InboxEmpty)}</p> }.into_any() } else {
                        let rows = list.into_iter().map(|i| view! {
                            <li class="movement">
                                <div class="movement-main">
                                    <span class="movement-party">{prefs.t(i.heading.msg())}
                                        {i.unread.then(|| view! { " " <span class="badge">{prefs.t(Msg::Unread)}</span> })}</span>
                                    <span class="movement-sub">{i.time}</span>
                                </div>
                                <p>{i.text}</p>
                                {i.href.map(|href| view! {
                                    <a class="btn-primary mt-2" href=href data-testid="inbox-pay">
                                        {prefs.t(if i.heading == Heading::AutoPaid { Msg::AlertSeePayment } else { Msg::AlertPayNow })}
                                    </a>
                                })}
                            </li>
                        }).collect_view();
                        view! { <ul class="movements" role="list" data-testid="inbox">{rows}</ul> }.into_any()
                    }/>
        </section>
    }
}
