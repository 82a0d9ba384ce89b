//! 就业在线 (`/jobs`): job listings by city and trade. A GET form whose query string is the
//! search, so results render on the server, before WASM, and the link can be shared. Open to
//! everyone, signed in or not, like the bank directory.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, ErrorMessage};
use crate::i18n::{Lang, Msg};
use crate::prefs::use_prefs;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TradeOption {
    pub slug: String,
    pub zh: String,
    pub en: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobRow {
    pub id: String,
    pub title: String,
    pub employer: String,
    pub city: String,
    pub place: String,
    pub trade_zh: String,
    pub trade_en: String,
    /// `¥4,500–¥6,000` a month.
    pub pay: String,
    pub openings: u32,
    pub benefits: Vec<String>,
    pub posted: String,
    pub apply_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobSearch {
    pub cities: Vec<String>,
    pub trades: Vec<TradeOption>,
    pub city: String,
    pub trade: String,
    pub q: String,
    pub jobs: Vec<JobRow>,
    pub simulated: bool,
}

/// Listings matching the search; an unknown city or trade searches all of them.
#[server(endpoint = "search_jobs")]
pub async fn search_jobs(city: String, trade: String, q: String) -> Result<JobSearch, AppError> {
    use domain::billpay::CITIES;
    use domain::jobs::{JobQuery, Trade};
    use domain::money::format_yuan;
    let ctx = crate::server_context()?;
    let city = CITIES
        .iter()
        .find(|c| **c == city.trim())
        .map(|c| c.to_string());
    let trade = Trade::from_slug(trade.trim());
    // Words are searched as typed; a very long query is cut, not refused.
    let q: String = q.trim().chars().take(30).collect();
    let jobs = ctx
        .jobs
        .search(
            &JobQuery {
                city: city.clone(),
                trade,
                words: q.clone(),
            },
            ctx.clock.now(),
        )
        .await
        .map_err(crate::auth::server::fail)?;
    Ok(JobSearch {
        cities: CITIES.iter().map(|c| c.to_string()).collect(),
        trades: Trade::ALL
            .into_iter()
            .map(|t| TradeOption {
                slug: t.slug().into(),
                zh: t.name_zh().into(),
                en: t.name_en().into(),
            })
            .collect(),
        city: city.unwrap_or_default(),
        trade: trade.map(|t| t.slug().to_string()).unwrap_or_default(),
        q,
        jobs: jobs
            .into_iter()
            .map(|j| JobRow {
                // Wages are whole yuan: no cents on the listing.
                pay: format!(
                    "{}–{}",
                    format_yuan(j.pay_min).trim_end_matches(".00"),
                    format_yuan(j.pay_max).trim_end_matches(".00")
                ),
                posted: domain::clock::beijing_date(j.posted_at),
                trade_zh: j.trade.name_zh().into(),
                trade_en: j.trade.name_en().into(),
                id: j.id,
                title: j.title,
                employer: j.employer,
                city: j.city,
                place: j.place,
                openings: j.openings,
                benefits: j.benefits,
                apply_at: j.apply_at,
            })
            .collect(),
        simulated: ctx.jobs.is_simulator(),
    })
}

#[component]
pub fn JobsPage() -> impl IntoView {
    let prefs = use_prefs();
    let query = use_query_map();
    let read = move || {
        let q = query.get();
        let get = |k: &str| q.get(k).unwrap_or_default();
        (get("city"), get("trade"), get("q"))
    };
    let data = Resource::new(read, |(c, t, q)| search_jobs(c, t, q));
    view! {
        <section class="page" aria-labelledby="jobs-title">
            <h1 id="jobs-title" class="page-title">{move || prefs.t(Msg::JobsTitle)}</h1>
            <Suspense fallback=move || view! { <p class="card" aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {move || data.get().map(|r| match r {
                    Ok(s) => {
                        let zh = prefs.lang.get_untracked() == Lang::ZhCn;
                        let (city, trade) = (s.city.clone(), s.trade.clone());
                        view! {
                            {s.simulated.then(|| view! { <p class="text-muted mb-4" data-testid="jobs-simulated">{prefs.t(Msg::JobsSimulated)}</p> })}
                            <form method="get" class="card form-stack" data-testid="jobs-search">
                                <label class="field-label">{prefs.t(Msg::JobsCity)}
                                    <select class="field" name="city">
                                        <option value="" selected=city.is_empty()>{prefs.t(Msg::JobsAnyCity)}</option>
                                        {s.cities.iter().map(|c| view! { <option value=c.clone() selected=*c == city>{c.clone()}</option> }).collect_view()}
                                    </select></label>
                                <label class="field-label">{prefs.t(Msg::JobsTrade)}
                                    <select class="field" name="trade">
                                        <option value="" selected=trade.is_empty()>{prefs.t(Msg::JobsAnyTrade)}</option>
                                        {s.trades.iter().map(|t| view! {
                                            <option value=t.slug.clone() selected=t.slug == trade>{if zh { t.zh.clone() } else { t.en.clone() }}</option>
                                        }).collect_view()}
                                    </select></label>
                                <label class="field-label">{prefs.t(Msg::JobsWords)}
                                    <input class="field" type="search" name="q" maxlength="30" value=s.q.clone()/></label>
                                <button type="submit" class="btn-primary w-full" data-testid="jobs-submit">{prefs.t(Msg::JobsSearch)}</button>
                            </form>
                            <h2 class="section-title mt-6" data-testid="jobs-count">{prefs.t(Msg::JobsFound)} " " {s.jobs.len()}</h2>
                            {if s.jobs.is_empty() {
                                view! { <p class="card">{prefs.t(Msg::JobsNone)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="grid gap-3" role="list" data-testid="jobs">
                                        {s.jobs.into_iter().map(|j| view! {
                                            <li class="card" data-city=j.city.clone() data-trade=j.trade_en.clone()>
                                                <h3 class="font-bold text-lg">{j.title.clone()} " · " {j.pay.clone()} {prefs.t(Msg::JobsPerMonth)}</h3>
                                                <p>{j.employer.clone()}</p>
                                                <p class="text-muted">{j.city.clone()} " " {j.place.clone()} " · " {if zh { j.trade_zh.clone() } else { j.trade_en.clone() }}
                                                    " · " {prefs.t(Msg::JobsOpenings)} " " {j.openings} {prefs.t(Msg::JobsPeople)}</p>
                                                <p>{j.benefits.join(" · ")}</p>
                                                <p class="text-muted">{prefs.t(Msg::JobsPosted)} " " {j.posted.clone()} " · " {prefs.t(Msg::JobsApplyAt)} " " {j.apply_at.clone()}</p>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorMessage error=e/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
