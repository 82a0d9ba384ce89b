//! 农商快讯 (`/news`, `/news/:id`): news and announcements of the union and of the customer's
//! own bank, and in the standard editions their campaigns, each as its staff targeted it. Open
//! to visitors too, who see the province's items meant for everyone. The home page shows the
//! latest few and, outside the simple editions, one campaign as a banner.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, ErrorMessage};
use crate::i18n::Msg;
use crate::prefs::use_prefs;

// The pages below arrive in their own WASM chunk (see `crate::chunk`).
crate::lazy_pages!(news: NEWS_PAGE => NewsPage, NEWS_ITEM_PAGE => NewsItemPage);

/// What an item is, as customers read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum NewsKind {
    News,
    Announcement,
    Campaign,
}

impl NewsKind {
    pub fn label(self) -> Msg {
        match self {
            NewsKind::News => Msg::NewsKindNews,
            NewsKind::Announcement => Msg::NewsKindAnnouncement,
            NewsKind::Campaign => Msg::NewsKindCampaign,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<domain::content::Kind> for NewsKind {
    fn from(k: domain::content::Kind) -> Self {
        use domain::content::Kind as K;
        match k {
            K::News => NewsKind::News,
            K::Announcement => NewsKind::Announcement,
            K::Campaign => NewsKind::Campaign,
        }
    }
}

/// An item in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsRow {
    pub id: String,
    pub kind: NewsKind,
    pub title: String,
    /// `2026-12-07`, the day it was published (or starts, if later).
    pub date: String,
    /// The union's rather than the customer's bank's.
    pub province: bool,
}

/// One item to read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsArticle {
    pub row: NewsRow,
    /// Rendered from the safe Markdown subset and sanitized on the server.
    pub html: String,
}

/// The home page's share: the latest items and, outside the simple editions, a campaign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeNews {
    pub banner: Option<NewsRow>,
    pub latest: Vec<NewsRow>,
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use domain::content::{Item, Viewer};

    /// The viewer of this request: the signed-in customer (if any) in the edition in use.
    pub async fn viewer() -> Result<(crate::ServerContext, Viewer), AppError> {
        let ctx = crate::server_context()?;
        let customer_id = crate::auth::server::current_session_quietly()
            .await
            .ok()
            .map(|(_, s)| s.customer_id);
        let edition = crate::prefs::InitialPrefs::from_request().edition;
        Ok((
            ctx,
            Viewer {
                customer_id,
                edition: edition.slug().into(),
                simple: edition.is_simple(),
            },
        ))
    }

    pub fn row(i: &Item) -> NewsRow {
        let at = i
            .published_at
            .unwrap_or(i.draft.starts_at)
            .max(i.draft.starts_at);
        NewsRow {
            id: i.id.clone(),
            kind: i.draft.kind.into(),
            title: i.draft.title.clone(),
            date: domain::clock::beijing_date(at),
            province: i.institution == domain::institution::PROVINCE_CODE,
        }
    }
}

#[server(endpoint = "load_news")]
pub async fn load_news() -> Result<Vec<NewsRow>, AppError> {
    use domain::content::Kind;
    let (ctx, viewer) = server::viewer().await?;
    let items = ctx
        .content()
        .feed(&viewer, &Kind::ALL, 50)
        .await
        .map_err(crate::auth::server::fail)?;
    Ok(items.iter().map(server::row).collect())
}

#[server(endpoint = "load_news_item")]
pub async fn load_news_item(id: String) -> Result<NewsArticle, AppError> {
    let (ctx, viewer) = server::viewer().await?;
    let item = ctx
        .content()
        .item_for(&viewer, &id)
        .await
        .map_err(crate::auth::server::fail)?;
    Ok(NewsArticle {
        row: server::row(&item),
        html: domain::content::markdown::render(&item.draft.body),
    })
}

#[server(endpoint = "load_home_news")]
pub async fn load_home_news() -> Result<HomeNews, AppError> {
    use domain::content::Kind;
    let (ctx, viewer) = server::viewer().await?;
    let content = ctx.content();
    let fail = crate::auth::server::fail;
    let latest = content
        .feed(&viewer, &[Kind::News, Kind::Announcement], 3)
        .await
        .map_err(fail)?;
    // The feed leaves campaigns out of the simple editions.
    let banner = content
        .feed(&viewer, &[Kind::Campaign], 1)
        .await
        .map_err(fail)?;
    Ok(HomeNews {
        banner: banner.first().map(server::row),
        latest: latest.iter().map(server::row).collect(),
    })
}

/// A list of items as links.
#[component]
pub fn NewsList(rows: Vec<NewsRow>) -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <ul class="news-list" role="list">
            {rows.into_iter().map(|r| view! {
                <li>
                    <a href=format!("/news/{}", r.id) class="news-link" data-testid="news-item">
                        <span class="news-title">{r.title}</span>
                        <span class="news-meta">
                            <span class="badge">{move || prefs.t(r.kind.label())}</span>
                            " " {r.date}
                        </span>
                    </a>
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn NewsPage() -> impl IntoView {
    let prefs = use_prefs();
    let news = Resource::new(|| (), |_| load_news());
    view! {
        <section class="page" aria-labelledby="news-title">
            <h1 id="news-title" class="page-title">{move || prefs.t(Msg::NewsTitle)}</h1>
            <Suspense fallback=move || view! { <p class="card" aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {move || news.get().map(|r| match r {
                    Ok(rows) if rows.is_empty() => view! { <p class="card">{prefs.t(Msg::NewsNone)}</p> }.into_any(),
                    Ok(rows) => view! { <NewsList rows=rows/> }.into_any(),
                    Err(e) => view! { <ErrorMessage error=e/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn NewsItemPage() -> impl IntoView {
    let prefs = use_prefs();
    let params = use_params_map();
    let article = Resource::new(
        move || params.with(|p| p.get("id").unwrap_or_default()),
        load_news_item,
    );
    view! {
        <section class="page" aria-labelledby="article-title">
            <Suspense fallback=move || view! { <p class="card" aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {move || article.get().map(|r| match r {
                    Ok(a) => view! {
                        <article class="card news-article" data-testid="news-article">
                            <h1 id="article-title" class="page-title">{a.row.title.clone()}</h1>
                            <p class="news-meta mb-4">
                                <span class="badge">{prefs.t(a.row.kind.label())}</span>
                                " " {a.row.date.clone()}
                            </p>
                            <div class="news-body" inner_html=a.html></div>
                        </article>
                    }
                    .into_any(),
                    Err(e) => view! {
                        <h1 id="article-title" class="page-title">{prefs.t(Msg::NewsTitle)}</h1>
                        <ErrorMessage error=e/>
                    }
                    .into_any(),
                })}
            </Suspense>
            <a class="btn-secondary mt-4" href="/news">{move || prefs.t(Msg::NewsAll)}</a>
        </section>
    }
}
