//! The home page's 农商快讯: the latest news and announcements meant for the customer (or the
//! visitor), and outside the simple editions one campaign as a banner above them.

use leptos::prelude::*;

use crate::i18n::Msg;
use crate::news::{load_home_news, NewsList};
use crate::prefs::use_prefs;

#[component]
pub fn HomeNewsSection() -> impl IntoView {
    let prefs = use_prefs();
    let data = Resource::new(|| (), |_| load_home_news());
    view! {
        <Suspense fallback=|| ()>
            {move || data.get().and_then(Result::ok).map(|news| {
                let empty = news.latest.is_empty() && news.banner.is_none();
                (!empty).then(|| view! {
                    <section class="mt-6" aria-labelledby="home-news-title">
                        {news.banner.map(|b| view! {
                            <a href=format!("/news/{}", b.id) class="banner" data-testid="home-banner">
                                <span class="badge">{move || prefs.t(b.kind.label())}</span>
                                <span class="banner-title">{b.title}</span>
                            </a>
                        })}
                        <h2 id="home-news-title" class="section-title mt-4">{move || prefs.t(Msg::NewsTitle)}</h2>
                        <NewsList rows=news.latest/>
                        <a class="news-more" href="/news">{move || prefs.t(Msg::NewsAll)}</a>
                    </section>
                })
            })}
        </Suspense>
    }
}
