//! Pages compiled into their own WASM chunk, fetched the first time one of them is shown.
//!
//! The first visit downloads only the shell, the home of each edition and the sign-in pages;
//! every other capability's pages arrive when the customer first goes there (or sooner, when a
//! finger or pointer rests on a link to them, see [`prefetch_on_intent`]). On the server nothing
//! is split: a page renders as before, and the HTML names the chunks it needs so the browser
//! fetches them alongside the main WASM.
//!
//! A chunk can fail to arrive (a dropped connection on a village network, or a tab left open
//! across a deploy that replaced the chunk's content-hashed name). Leptos' own `#[lazy_route]`
//! aborts the whole WASM module then; these routes show [`ChunkMissing`] instead: the reason
//! and a link that loads the page afresh from the server, which always works.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;

use crate::i18n::Msg;
use crate::prefs::use_prefs;

/// Fetches one chunk (the `preload` that [`lazy_pages!`] declares beside its routes); whether
/// it arrived.
pub type Preload = fn() -> Pin<Box<dyn Future<Output = bool>>>;

/// A chunk and the paths whose pages it holds: those equal to `prefix` or under it by whole
/// segments (`/account` is not under `/accounts`).
pub struct ChunkPaths {
    pub prefix: &'static str,
    /// The chunk's name, as given to [`lazy_pages!`].
    pub chunk: &'static str,
    pub preload: Preload,
}

/// The chunk holding the page at `path`, if that page is loaded lazily.
pub fn chunk_for<'a>(table: &'a [ChunkPaths], path: &str) -> Option<&'a ChunkPaths> {
    table.iter().find(|c| {
        path.strip_prefix(c.prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// Fetches a page's chunk as soon as the customer shows they may go there: a finger on a link
/// (about a tenth of a second before the tap ends), a pointer resting on it, or keyboard focus.
/// On a slow network that head start is often the whole download.
#[cfg(feature = "hydrate")]
pub fn prefetch_on_intent(table: &'static [ChunkPaths]) {
    use wasm_bindgen::JsCast;

    let on_intent = move |ev: web_sys::Event| {
        let Some(link) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href]").ok().flatten())
        else {
            return;
        };
        let Some(href) = link.get_attribute("href") else {
            return;
        };
        // Only this site's own paths; never `//host/…`.
        if !href.starts_with('/') || href.starts_with("//") {
            return;
        }
        let path = href.split(['?', '#']).next().unwrap_or_default();
        if let Some(chunk) = chunk_for(table, path) {
            let fetch = (chunk.preload)();
            leptos::task::spawn_local(async move {
                // A failure shows if the customer does go there.
                fetch.await;
            });
        }
    };
    let on_intent = std::rc::Rc::new(on_intent);
    for name in ["touchstart", "pointerover", "focusin"] {
        let handler = on_intent.clone();
        // The listener stays for the life of the page: the handle only removes it when asked.
        let _listening = window_event_listener_untyped(name, move |ev| handler(ev));
    }
}

/// A page future: the chunk fetched (in the browser) and the page made.
pub type PageFuture = Pin<Box<dyn Future<Output = AnyView>>>;

/// A route's page in a lazily loaded chunk, as the router sees it. One type for every such
/// route, so the router's code for them is compiled once, not once per page.
#[derive(Clone, Copy)]
pub struct LazyPage {
    pub page: fn() -> PageFuture,
    pub preload: Preload,
}

impl leptos_router::ChooseView for LazyPage {
    async fn choose(self) -> AnyView {
        (self.page)().await
    }

    // The router awaits this before `choose`, also when hydrating: it loads the chunk through
    // the same loader as `choose`, which then answers at once, as hydration needs.
    async fn preload(&self) {
        (self.preload)().await;
    }
}

/// Declares routes (constants of type [`LazyPage`]) whose pages are compiled into the WASM
/// chunk `$chunk`, and `preload()`, which fetches that chunk without showing anything.
///
/// ```ignore
/// lazy_pages!(bills: BILLS_PAGE => BillsPage, BILL_HISTORY_PAGE => BillHistoryPage);
/// // in the router:
/// <Route path=path!("/bills") view=bills::BILLS_PAGE ssr=SsrMode::Async/>
/// ```
///
/// All routes named in one invocation share the chunk. Name it after the capability's module:
/// the name is the key of the split manifest the server reads, so it must be unique, and the
/// router's prefetch table (`shell.rs`) is checked against it by module.
#[macro_export]
macro_rules! lazy_pages {
    ($chunk:ident: $($route:ident => $page:path),+ $(,)?) => {
        $(
            /// A route whose page arrives in its capability's own WASM chunk.
            pub const $route: $crate::chunk::LazyPage = $crate::chunk::LazyPage {
                page: || -> $crate::chunk::PageFuture {
                    ::std::boxed::Box::pin(async {
                        #[cfg(feature = "hydrate")]
                        {
                            match __chunk_page(__ChunkPage::$route).await {
                                ::core::result::Result::Ok(page) => page,
                                ::core::result::Result::Err(_) => $crate::chunk::missing(),
                            }
                        }
                        #[cfg(not(feature = "hydrate"))]
                        {
                            // The HTML then preloads this chunk with the main WASM.
                            ::leptos::prefetch_lazy_fn_on_server(stringify!($chunk));
                            ::leptos::prelude::IntoAny::into_any($page())
                        }
                    })
                },
                preload: || ::std::boxed::Box::pin(preload()),
            };
        )+

        /// Which of the chunk's pages to make.
        #[cfg(feature = "hydrate")]
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Clone, Copy)]
        #[repr(u8)]
        enum __ChunkPage {
            $($route,)+
        }

        /// Every page of the chunk, behind the chunk's one loader: the code reachable only from
        /// here is what the build moves into the chunk.
        #[cfg(feature = "hydrate")]
        #[allow(improper_ctypes_definitions, improper_ctypes)]
        #[::leptos::wasm_split::wasm_split(
            $chunk,
            wasm_split_path = ::leptos::wasm_split,
            fallible,
            preload(__preload_chunk_page)
        )]
        fn __chunk_page(
            page: __ChunkPage,
        ) -> ::core::result::Result<::leptos::prelude::AnyView, ::leptos::wasm_split::SplitLoaderError> {
            ::core::result::Result::Ok(match page {
                $(__ChunkPage::$route => ::leptos::prelude::IntoAny::into_any($page()),)+
            })
        }

        /// Fetches this capability's WASM chunk (once: a failed fetch is tried again next
        /// time); whether it is here.
        pub async fn preload() -> bool {
            #[cfg(feature = "hydrate")]
            {
                __preload_chunk_page().await.is_ok()
            }
            #[cfg(not(feature = "hydrate"))]
            {
                true
            }
        }
    };
}

/// The page shown when a chunk could not be fetched.
pub fn missing() -> AnyView {
    view! { <ChunkMissing/> }.into_any()
}

/// Says the page did not arrive and offers to load it again from the server.
#[component]
fn ChunkMissing() -> impl IntoView {
    let prefs = use_prefs();
    // The address the customer asked for: a full load of it fetches the current build.
    let here = leptos_router::hooks::use_location();
    let href = move || {
        let (path, query) = (here.pathname.get(), here.search.get());
        if query.is_empty() {
            path
        } else {
            format!("{path}?{query}")
        }
    };
    view! {
        <section class="mx-auto max-w-xl px-4 py-10 text-center" role="alert" aria-labelledby="chunk-missing-title">
            <h1 id="chunk-missing-title" class="text-2xl font-bold">{move || prefs.t(Msg::ChunkMissingTitle)}</h1>
            <p class="mt-3 text-muted">{move || prefs.t(Msg::ChunkMissingBody)}</p>
            <a href=href rel="external" class="btn-primary mt-8">{move || prefs.t(Msg::ChunkMissingReload)}</a>
        </section>
    }
}
