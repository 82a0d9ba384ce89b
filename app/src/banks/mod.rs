//! 全省农商银行: the directory of the union's legal-entity banks, filterable by city.
//!
//! The filter is a plain GET form (`?city=`), so it works before WASM loads; the list is a
//! `Resource` keyed by the query, read inside `Suspense` with a visible loading state.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, ErrorMessage};
use crate::i18n::{Msg, Tpl};
use crate::prefs::use_prefs;

// The pages below arrive in their own WASM chunk (see `crate::chunk`).
crate::lazy_pages!(banks: BANKS_PAGE => BanksPage);

/// A bank as the directory shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankEntry {
    pub code: String,
    pub short_name: String,
    pub full_name: String,
    pub city: String,
    pub county: String,
}

/// The directory's data: the cities with their bank counts, and the banks shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankDirectory {
    pub cities: Vec<(String, i64)>,
    pub city: Option<String>,
    pub banks: Vec<BankEntry>,
}

/// The banks of one city (or all); an unknown city is refused with a clear message.
#[server(endpoint = "load_bank_directory")]
pub async fn load_bank_directory(city: Option<String>) -> Result<BankDirectory, AppError> {
    use crate::error::respond;
    let db = crate::server_context()?.db;
    let cities = domain::institution::cities(&db)
        .await
        .map_err(|e| respond(e.into()))?;
    let city = city.filter(|c| !c.trim().is_empty());
    if let Some(c) = &city {
        if !cities.iter().any(|known| &known.city == c) {
            return Err(respond(AppError::UnknownCity(c.clone())));
        }
    }
    let banks = domain::institution::list_banks(&db, city.as_deref())
        .await
        .map_err(|e| respond(e.into()))?;
    Ok(BankDirectory {
        cities: cities.into_iter().map(|c| (c.city, c.banks)).collect(),
        city,
        banks: banks
            .into_iter()
            .map(|b| BankEntry {
                code: b.code,
                short_name: b.short_name,
                full_name: b.full_name,
                city: b.city,
                county: b.county,
            })
            .collect(),
    })
}

#[component]
pub fn BanksPage() -> impl IntoView {
    let prefs = use_prefs();
    let query = use_query_map();
    let city = move || query.with(|q| q.get("city")).filter(|c| !c.is_empty());
    let directory = Resource::new(city, load_bank_directory);

    let list = move || {
        directory.get().map(|result| match result {
            Err(e) => view! { <ErrorMessage error=e/> }.into_any(),
            Ok(dir) => {
                let selected = dir.city.clone().unwrap_or_default();
                let options = dir
                    .cities
                    .iter()
                    .map(|(name, count)| {
                        let count = count.to_string();
                        let label = Tpl::CityWithCount.fill(prefs.lang.get(), &[("city", name), ("count", &count)]);
                        view! { <option value=name.clone() selected=*name == selected>{label}</option> }
                    })
                    .collect_view();
                let banks = if dir.banks.is_empty() {
                    view! { <p class="card">{prefs.t(Msg::BanksNone)}</p> }.into_any()
                } else {
                    dir.banks
                        .iter()
                        .map(|b| {
                            let area = if b.county == "市辖区" {
                                format!("{} · {}", b.city, prefs.t(Msg::BanksCityWide))
                            } else {
                                format!("{} · {}", b.city, b.county)
                            };
                            view! {
                                <li class="bank-row" data-bank=b.code.clone()>
                                    <span class="block text-lg font-bold">{b.short_name.clone()}</span>
                                    <span class="block text-sm text-muted">{b.full_name.clone()}</span>
                                    <span class="mt-1 block">{Tpl::BankServes.fill(prefs.lang.get(), &[("area", &area)])}</span>
                                </li>
                            }
                        })
                        .collect_view()
                        .into_any()
                };
                let count = Tpl::BanksCount.fill(prefs.lang.get(), &[("count", &dir.banks.len().to_string())]);
                view! {
                    <form method="get" action="/banks" class="card flex flex-wrap items-end gap-3">
                        <label class="flex flex-1 flex-col gap-1 font-semibold">
                            {prefs.t(Msg::BanksCityFilter)}
                            <select name="city" class="field">
                                <option value="">{prefs.t(Msg::BanksAllCities)}</option>
                                {options}
                            </select>
                        </label>
                        <button type="submit" class="btn-primary">{prefs.t(Msg::BanksShow)}</button>
                    </form>
                    <p class="mt-4 font-semibold" data-testid="bank-count">{count}</p>
                    <ul class="mt-2 grid gap-3 sm:grid-cols-2" role="list">{banks}</ul>
                }
                .into_any()
            }
        })
    };

    view! {
        <section class="page" aria-labelledby="banks-title">
            <h1 id="banks-title" class="page-title">{move || prefs.t(Msg::BanksTitle)}</h1>
            <p class="mb-4 text-muted">{move || prefs.t(Msg::BanksIntro)}</p>
            <Transition fallback=move || view! { <p class="card" aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {list}
            </Transition>
        </section>
    }
}
