//! 明细: one account's movements, newest first, with date, direction, amount and counterparty
//! filters. The filter form is a plain GET form, so it works the same with and without WASM,
//! and every filtered page has its own address.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use super::chart::FlowChart;
use super::{shown, AccountCard};
use crate::account::Protected;
use crate::error::AppError;
use crate::i18n::{Msg, Tpl};
use crate::prefs::use_prefs;

/// The filters as the URL carries them (all optional).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct HistoryQuery {
    pub from: String,
    pub to: String,
    /// `in`, `out` or empty.
    pub dir: String,
    pub min: String,
    pub max: String,
    pub q: String,
    pub page: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MovementRow {
    pub time: String,
    pub counterparty: String,
    pub memo: String,
    pub amount: String,
    pub incoming: bool,
    pub balance_after: Option<String>,
    /// The transfer's receipt, for the customer's own outgoing transfers.
    pub receipt: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryView {
    pub account: AccountCard,
    pub rows: Vec<MovementRow>,
    pub page: i64,
    pub has_more: bool,
    /// `YYYY-MM` of this month and the six before, for the statement download.
    pub months: Vec<String>,
    /// In and out for this month and the five before, oldest first.
    pub flows: Vec<super::chart::MonthBar>,
}

#[cfg(feature = "ssr")]
pub async fn movement_rows(
    ctx: &crate::ServerContext,
    customer_id: &str,
    items: Vec<domain::ledger::Movement>,
    hidden: bool,
) -> Result<Vec<MovementRow>, AppError> {
    use crate::auth::server::fail;
    use domain::money::format_yuan;
    // Receipt links for the customer's own outgoing transfers, looked up for the page at once.
    let outgoing: Vec<&str> = items
        .iter()
        .filter(|m| m.kind == "transfer" && m.amount < 0)
        .map(|m| m.entry_id.as_str())
        .collect();
    let mut receipts = ctx
        .transfers()
        .by_entries(customer_id, &outgoing)
        .await
        .map_err(fail)?;
    let mut rows = Vec::with_capacity(items.len());
    for m in items {
        let receipt = if m.amount < 0 {
            receipts.remove(&m.entry_id)
        } else {
            None
        };
        rows.push(MovementRow {
            time: domain::clock::beijing_datetime(m.created_at),
            counterparty: m.counterparty,
            memo: m.memo,
            amount: if m.amount > 0 {
                format!("+{}", format_yuan(m.amount))
            } else {
                format_yuan(m.amount)
            },
            incoming: m.amount > 0,
            balance_after: (!hidden).then(|| format_yuan(m.balance_after)),
            receipt,
        });
    }
    Ok(rows)
}

#[server(endpoint = "load_history")]
pub async fn load_history(
    account_id: String,
    query: HistoryQuery,
) -> Result<HistoryView, AppError> {
    use crate::auth::server::{current_session, fail};
    use crate::error::{respond, Field};
    use domain::ledger::{history, HistoryFilter, PAGE_SIZE};
    let (ctx, s) = current_session().await?;
    let account = ctx
        .accounts()
        .get_owned(&s.customer_id, &account_id)
        .await
        .map_err(fail)?;
    let amount = |v: &str| -> Result<Option<i64>, AppError> {
        if v.trim().is_empty() {
            Ok(None)
        } else {
            domain::money::parse_yuan(v)
                .map(Some)
                .map_err(|_| respond(AppError::Invalid(Field::Amount)))
        }
    };
    let day = |v: &str| domain::clock::beijing_day_start(v);
    let filter = HistoryFilter {
        from: day(&query.from),
        // The "to" day is included: until the start of the next day.
        until: day(&query.to).map(|d| d + domain::clock::DAY),
        incoming: match query.dir.as_str() {
            "in" => Some(true),
            "out" => Some(false),
            _ => None,
        },
        min_amount: amount(&query.min)?,
        max_amount: amount(&query.max)?,
        counterparty: Some(query.q.trim().to_string()).filter(|q| !q.is_empty()),
    };
    let page = history(
        &ctx.db,
        &s.customer_id,
        &account_id,
        &filter,
        query.page.clamp(0, 10_000),
        PAGE_SIZE,
    )
    .await
    .map_err(fail)?;
    let hidden = super::balances_hidden();
    let this_month = domain::ledger::statement::Month::of(ctx.clock.now());
    let flows = domain::ledger::statement::monthly_flows(
        &ctx.db,
        &s.customer_id,
        &account_id,
        this_month,
        super::chart::MONTHS,
    )
    .await
    .map_err(fail)?;
    Ok(HistoryView {
        account: super::card_of(&account, hidden),
        rows: movement_rows(&ctx, &s.customer_id, page.items, hidden).await?,
        page: page.page,
        has_more: page.has_more,
        flows: super::chart::bars_of(&flows, hidden),
        months: {
            let mut m = this_month;
            let mut out = Vec::new();
            for _ in 0..7 {
                out.push(m.label());
                m = m.previous();
            }
            out
        },
    })
}

/// A list of movements (the history page and the simple editions' home share it).
#[component]
pub fn MovementList(rows: Vec<MovementRow>) -> impl IntoView {
    let prefs = use_prefs();
    let items = rows
        .into_iter()
        .map(|r| {
            let class = if r.incoming { "amount-in" } else { "amount-out" };
            view! {
                <li class="movement">
                    <div class="movement-main">
                        <span class="movement-party">{r.counterparty}</span>
                        <span class=class>{r.amount}</span>
                    </div>
                    <div class="movement-sub">
                        <span>{r.time} " · " {r.memo}</span>
                        <span>{prefs.t(Msg::BalanceAfter)} " " {shown(&r.balance_after)}</span>
                    </div>
                    {r.receipt.map(|id| view! {
                        <a class="movement-link" href=format!("/receipts/{id}")>{prefs.t(Msg::ReceiptTitle)}</a>
                    })}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="movements" role="list" data-testid="movements">{items}</ul> }
}

#[component]
pub fn AccountHistoryPage() -> impl IntoView {
    let prefs = use_prefs();
    let params = use_params_map();
    let query = use_query_map();
    let read = move || {
        let q = query.get();
        let get = |k: &str| q.get(k).unwrap_or_default();
        (
            params.get().get("id").unwrap_or_default(),
            HistoryQuery {
                from: get("from"),
                to: get("to"),
                dir: get("dir"),
                min: get("min"),
                max: get("max"),
                q: get("q"),
                page: get("page").parse().unwrap_or(0),
            },
        )
    };
    let data = Resource::new(read, |(id, q)| load_history(id, q));
    view! {
        <section class="page" aria-labelledby="history-title">
            <h1 id="history-title" class="page-title">{move || prefs.t(Msg::HistoryTitle)}</h1>
            <Protected data=data next="/accounts" ready=move |v| {
                        let (_, q) = read();
                        let link = |page: i64| {
                            format!(
                                "?from={}&to={}&dir={}&min={}&max={}&q={}&page={page}",
                                q.from, q.to, q.dir, q.min, q.max, urlencoding(&q.q)
                            )
                        };
                        let (prev, next) = (link(v.page - 1), link(v.page + 1));
                        let empty = v.rows.is_empty();
                        view! {
                            <p class="mb-4"><strong>{let name = v.account.name.clone(); move || name.text(prefs.lang.get())}</strong> " " <span class="font-mono">{v.account.card_masked.clone()}</span>
                                " · " {let balance = shown(&v.account.balance); move || Tpl::BalanceAmount.fill(prefs.lang.get(), &[("amount", &balance)])}</p>
                            <HistoryFilterForm q=q.clone()/>
                            {if empty {
                                view! { <p class="card mt-4">{prefs.t(Msg::HistoryNone)}</p> }.into_any()
                            } else {
                                view! { <MovementList rows=v.rows/> }.into_any()
                            }}
                            <FlowChart bars=v.flows.clone()/>
                            <StatementForm account=v.account.id.clone() months=v.months.clone()/>
                            <nav class="mt-4 flex gap-3" aria-label=prefs.t(Msg::Pages)>
                                {(v.page > 0).then(|| view! { <a class="btn-secondary" href=prev rel="prev">{prefs.t(Msg::PagePrev)}</a> })}
                                {v.has_more.then(|| view! { <a class="btn-secondary" href=next rel="next">{prefs.t(Msg::PageNext)}</a> })}
                            </nav>
                        }.into_any()
                    }/>
        </section>
    }
}

pub(crate) fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[component]
fn HistoryFilterForm(q: HistoryQuery) -> impl IntoView {
    let prefs = use_prefs();
    let dir = q.dir.clone();
    let option = move |value: &'static str, label: Msg| {
        view! { <option value=value selected=dir == value>{prefs.t(label)}</option> }
    };
    view! {
        <details class="card" open=!(q.from.is_empty() && q.to.is_empty() && q.dir.is_empty() && q.min.is_empty() && q.max.is_empty() && q.q.is_empty())>
            <summary class="font-bold">{prefs.t(Msg::HistoryFilter)}</summary>
            <form method="get" class="form-stack mt-3">
                <div class="grid grid-cols-2 gap-3">
                    <label class="field-label">{prefs.t(Msg::FilterFrom)}
                        <input class="field" type="date" name="from" value=q.from.clone()/></label>
                    <label class="field-label">{prefs.t(Msg::FilterTo)}
                        <input class="field" type="date" name="to" value=q.to.clone()/></label>
                    <label class="field-label">{prefs.t(Msg::FilterMin)}
                        <input class="field" type="text" inputmode="decimal" name="min" value=q.min.clone()/></label>
                    <label class="field-label">{prefs.t(Msg::FilterMax)}
                        <input class="field" type="text" inputmode="decimal" name="max" value=q.max.clone()/></label>
                </div>
                <label class="field-label">{prefs.t(Msg::FilterDirection)}
                    <select class="field" name="dir">
                        {option("", Msg::FilterAll)}
                        {option("in", Msg::FilterIn)}
                        {option("out", Msg::FilterOut)}
                    </select>
                </label>
                <label class="field-label">{prefs.t(Msg::FilterCounterparty)}
                    <input class="field" type="search" name="q" value=q.q.clone() maxlength="20"/></label>
                <button type="submit" class="btn-primary">{prefs.t(Msg::FilterApply)}</button>
            </form>
        </details>
    }
}

/// The monthly statement download: a GET form, so it works before WASM loads.
#[component]
fn StatementForm(account: String, months: Vec<String>) -> impl IntoView {
    let prefs = use_prefs();
    let options = months
        .into_iter()
        .map(|m| view! { <option value=m.clone()>{m.clone()}</option> })
        .collect_view();
    view! {
        <form method="get" action="/statement.csv" class="card mt-4 form-stack">
            <input type="hidden" name="account" value=account/>
            <label class="field-label">{prefs.t(Msg::StatementMonth)}
                <select class="field" name="month">{options}</select>
            </label>
            <button type="submit" class="btn-secondary" data-testid="statement-download">{prefs.t(Msg::StatementDownload)}</button>
            // Same form, other format: works as a plain form post before WASM loads.
            <button type="submit" class="btn-secondary" formaction="/statement.pdf" data-testid="statement-pdf">{prefs.t(Msg::StatementPdf)}</button>
        </form>
    }
}
