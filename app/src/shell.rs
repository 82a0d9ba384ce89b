//! The HTML document and the router.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::auth::{LoginPage, VerifyLoginPage};
use crate::error::NotFound;
use crate::home::HomePage;
use crate::i18n::Msg;
use crate::layout::Frame;
use crate::prefs::{provide_prefs, InitialPrefs};
use crate::{
    account, accounts, auth, banks, bills, deposits, edition, feedback, inbox, jobs, livelihood,
    loans, news, ops, pension, settings, transfer,
};

/// The whole document, rendered on the server. `<html>` carries the edition and language read
/// from the request's cookies, so the first byte already has the right theme.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let prefs = InitialPrefs::current();
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html
            lang=prefs.lang.tag()
            data-edition=prefs.edition.slug()
            data-edition-chosen=prefs.chosen.to_string()
        >
            <head>
                <meta charset="utf-8"/>
                // viewport-fit=cover: in a webview the page runs under the notch; the CSS pads
                // the safe-area insets.
                <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"/>
                <meta name="format-detection" content="telephone=no"/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                // The stylesheet under its content-hashed name (cargo-leptos `hash-files`), so it
                // can be cached for good: a new build is a new name.
                <HashedStylesheet options=options.clone() id="leptos"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The app root: preferences, document metadata, routes inside the frame.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let prefs = provide_prefs();

    // Keep <html> in step when the edition or language changes without a reload (browser only:
    // effects do not run on the server).
    Effect::new(move |_| {
        let edition = prefs.edition.get();
        let lang = prefs.lang.get();
        let chosen = prefs.chosen.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-edition", edition.slug());
            let _ = root.set_attribute("lang", lang.tag());
            let _ =
                root.set_attribute("data-edition-chosen", if chosen { "true" } else { "false" });
            // Tests (and support staff) can tell a hydrated page from server-rendered HTML.
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });

    // The title is read after the page has rendered, outside the reactive owner: it captures
    // reference-counted signals, not arena ones.
    let (edition, lang) = (
        ArcRwSignal::from(prefs.edition),
        ArcRwSignal::from(prefs.lang),
    );
    let title = move || {
        let lang = lang.get();
        format!(
            "{}{} · {}",
            lang.t(Msg::BrandName),
            lang.t(Msg::AppName),
            lang.t(edition.get().name())
        )
    };

    #[cfg(feature = "hydrate")]
    crate::chunk::prefetch_on_intent(CHUNKS);

    view! {
        <Title text=title/>
        <Router>
            <Frame>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/edition") view=edition::CHOOSER_PAGE/>
                    <Route path=path!("/settings") view=settings::SETTINGS_PAGE/>
                    // Async: the first HTML already holds the list, for browsers without WASM.
                    <Route path=path!("/banks") view=banks::BANKS_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/login/verify") view=VerifyLoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/login/reset") view=auth::RESET_PAGE/>
                    <Route path=path!("/login/reset/code") view=auth::RESET_CODE_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/register") view=auth::REGISTER_PAGE/>
                    <Route path=path!("/register/details") view=auth::REGISTER_DETAILS_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=account::ACCOUNT_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/account/devices") view=account::DEVICES_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/account/reveal") view=account::REVEAL_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/account/passkeys") view=account::PASSKEYS_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/accounts") view=accounts::ACCOUNTS_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/accounts/:id") view=accounts::ACCOUNT_HISTORY_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/transfer") view=transfer::TRANSFER_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/transfer/confirm") view=transfer::TRANSFER_CONFIRM_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/receipts/:id") view=transfer::RECEIPT_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/inbox") view=inbox::INBOX_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/deposits") view=deposits::DEPOSITS_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/pension") view=pension::PENSION_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/loans/calculator") view=loans::LOAN_CALCULATOR_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/loans") view=loans::LOANS_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/loans/apply") view=loans::LOAN_APPLY_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/loans/:id") view=loans::LOAN_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/loans/guarantees/:id") view=loans::GUARANTEE_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/ssc") view=livelihood::SSC_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/ssc/apply") view=livelihood::SSC_APPLY_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/jobs") view=jobs::JOBS_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/news") view=news::NEWS_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/news/:id") view=news::NEWS_ITEM_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/medical") view=livelihood::MEDICAL_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/bills") view=bills::BILLS_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/bills/history") view=bills::BILL_HISTORY_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/bills/payments/:id") view=bills::BILL_PAYMENT_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/bills/:kind") view=bills::BILL_FORM_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/feedback") view=feedback::FEEDBACK_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/feedback/:id") view=feedback::FEEDBACK_ITEM_PAGE ssr=SsrMode::Async/>
                    // The operators' console (its own sign-in and cookie, its own chunk).
                    <Route path=path!("/ops/loans") view=ops::LOAN_REVIEW_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/ops/loans/portfolio") view=ops::LOAN_PORTFOLIO_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/ops") view=ops::CONSOLE_HOME_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/ops/login") view=ops::CONSOLE_SIGN_IN_PAGE/>
                    <Route path=path!("/ops/password") view=ops::PASSWORD_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/ops/staff") view=ops::STAFF_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/ops/staff/issued") view=ops::ISSUED_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/ops/products") view=ops::PRODUCTS_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/ops/content") view=ops::CONTENT_LIST_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/ops/content/:id") view=ops::CONTENT_ITEM_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/ops/feedback") view=ops::FEEDBACK_QUEUE_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/ops/feedback/stats") view=ops::FEEDBACK_STATS_PAGE ssr=SsrMode::Async/>
                    <Route path=path!("/ops/feedback/:id") view=ops::FEEDBACK_TICKET_PAGE ssr=SsrMode::Async/>
                </Routes>
            </Frame>
        </Router>
    }
}

/// Where each lazily loaded route's page lives, by path, for fetching it on the customer's intent
/// (the home, the sign-in pages and the 404 page are in the main chunk).
#[cfg(any(feature = "hydrate", test))]
const CHUNKS: &[crate::chunk::ChunkPaths] = &[
    chunk("/edition", "edition", || Box::pin(edition::preload())),
    chunk("/settings", "settings", || Box::pin(settings::preload())),
    chunk("/banks", "banks", || Box::pin(banks::preload())),
    chunk("/login/reset", "auth", || Box::pin(auth::preload())),
    chunk("/register", "auth", || Box::pin(auth::preload())),
    chunk("/account", "account", || Box::pin(account::preload())),
    chunk("/accounts", "accounts", || Box::pin(accounts::preload())),
    chunk("/transfer", "transfer", || Box::pin(transfer::preload())),
    chunk("/receipts", "transfer", || Box::pin(transfer::preload())),
    chunk("/inbox", "inbox", || Box::pin(inbox::preload())),
    chunk("/deposits", "deposits", || Box::pin(deposits::preload())),
    chunk("/pension", "pension", || Box::pin(pension::preload())),
    chunk("/loans", "loans", || Box::pin(loans::preload())),
    chunk("/ssc", "livelihood", || Box::pin(livelihood::preload())),
    chunk("/medical", "livelihood", || Box::pin(livelihood::preload())),
    chunk("/jobs", "jobs", || Box::pin(jobs::preload())),
    chunk("/news", "news", || Box::pin(news::preload())),
    chunk("/bills", "bills", || Box::pin(bills::preload())),
    chunk("/feedback", "feedback", || Box::pin(feedback::preload())),
    chunk("/ops", "ops", || Box::pin(ops::preload())),
];

#[cfg(any(feature = "hydrate", test))]
const fn chunk(
    prefix: &'static str,
    chunk: &'static str,
    preload: crate::chunk::Preload,
) -> crate::chunk::ChunkPaths {
    crate::chunk::ChunkPaths {
        prefix,
        chunk,
        preload,
    }
}

/// The page's Content-Security-Policy: scripts only from this origin or inline with this
/// response's nonce (leptos_axum makes one per request and puts it on the hydration scripts),
/// WebAssembly compilation allowed, nothing framed, no plugins, forms only to ourselves.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    let (Some(nonce), Some(res)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        res.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::CHUNKS;
    use crate::chunk::chunk_for;

    /// Every route in the router above, with the chunk its page is in (`None`: the main chunk).
    fn routes() -> Vec<(String, Option<String>)> {
        let source = include_str!("shell.rs");
        let body = &source[..source.find("const CHUNKS").expect("the table")];
        body.lines()
            .filter_map(|line| {
                let path = line.split("path!(\"").nth(1)?.split('"').next()?;
                // `view=module::NAME_PAGE` is lazily loaded, `view=Page` is in the main chunk.
                let view = line.split("view=").nth(1)?.split([' ', '/']).next()?;
                let chunk = view.split_once("::").map(|(module, _)| module);
                Some((path.to_string(), chunk.map(str::to_string)))
            })
            .collect()
    }

    #[test]
    fn prefetching_knows_the_chunk_of_every_lazy_route() {
        let routes = routes();
        assert!(
            routes.len() > 25,
            "the router's routes are read: {routes:?}"
        );
        // Each capability names its chunk after its module.
        for (path, module) in routes {
            let sample = path.replace(":id", "42").replace(":kind", "water");
            let found = chunk_for(CHUNKS, &sample).map(|c| c.chunk.to_string());
            assert_eq!(found, module, "route {path}");
        }
    }

    #[test]
    fn paths_match_by_whole_segments() {
        let chunk = |p| chunk_for(CHUNKS, p).map(|c| c.chunk);
        assert_eq!(chunk("/account"), Some("account"));
        assert_eq!(chunk("/accounts/7"), Some("accounts"));
        assert_eq!(chunk("/login"), None);
        assert_eq!(chunk("/login/reset/code"), Some("auth"));
        assert_eq!(chunk("/billsx"), None);
    }
}
