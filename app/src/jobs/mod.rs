//! 就业在线 (`/jobs`): job listings by city and trade. A GET form whose query string is the
//! search, so results render on the server, before WASM, and the link can be shared. Open to
//! everyone, signed in or not, like the bank directory.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, ErrorMessage};
use crate::i18n::{Msg, Named, Tpl};
use crate::prefs::use_prefs;

// The pages below arrive in their own WASM chunk (see `crate::chunk`).
crate::lazy_pages!(jobs: JOBS_PAGE => JobsPage);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TradeOption {
    pub slug: String,
    pub name: Named,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobRow {
    pub id: String,
    pub title: String,
    pub employer: String,
    pub city: String,
    pub place: String,
    pub trade: Named,
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
                name: Named::new(t.name_zh(), t.name_en()),
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
                trade: Named::new(j.trade.name_zh(), j.trade.name_en()),
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
                        let lang = move || prefs.lang.get();
                        let found = s.jobs.len().to_string();
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
                                            <option value=t.slug.clone() selected=t.slug == trade>{let name = t.name.clone(); move || name.get(lang()).to_string()}</option>
                                        }).collect_view()}
                                    </select></label>
                                <label class="field-label">{prefs.t(Msg::JobsWords)}
                                    <input class="field" type="search" name="q" maxlength="30" value=s.q.clone()/></label>
                                <button type="submit" class="btn-primary w-full" data-testid="jobs-submit">{prefs.t(Msg::JobsSearch)}</button>
                            </form>
                            <h2 class="section-title mt-6" data-testid="jobs-count">{move || Tpl::JobsFound.fill(lang(), &[("count", &found)])}</h2>
                            {if s.jobs.is_empty() {
                                view! { <p class="card">{prefs.t(Msg::JobsNone)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="grid gap-3" role="list" data-testid="jobs">
                                        {s.jobs.into_iter().map(|j| {
                                            let data_trade = j.trade.en.clone();
                                            let data_city = j.city.clone();
                                            let (title, pay) = (j.title, j.pay);
                                            let heading = move || Tpl::JobTitlePay.fill(lang(), &[("title", &title), ("pay", &pay)]);
                                            let (city, place, trade, openings) = (j.city, j.place, j.trade, j.openings.to_string());
                                            let place = move || {
                                                let l = lang();
                                                Tpl::JobPlace.fill(l, &[("city", &city), ("place", &place), ("trade", trade.get(l)), ("openings", &openings)])
                                            };
                                            let (posted, apply_at) = (j.posted, j.apply_at);
                                            let dates = move || Tpl::JobPostedApply.fill(lang(), &[("posted", &posted), ("apply_at", &apply_at)]);
                                            view! {
                                                <li class="card" data-city=data_city data-trade=data_trade>
                                                    <h3 class="font-bold text-lg">{heading}</h3>
                                                    <p>{j.employer}</p>
                                                    <p class="text-muted">{place}</p>
                                                    <p>{j.benefits.join(" · ")}</p>
                                                    <p class="text-muted">{dates}</p>
                                                </li>
                                            }
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
