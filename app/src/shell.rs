//! The HTML document and the router.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::account::{AccountPage, DevicesPage, RevealPage};
use crate::accounts::{AccountHistoryPage, AccountsPage};
use crate::auth::{
    LoginPage, RegisterDetailsPage, RegisterPage, ResetCodePage, ResetPage, VerifyLoginPage,
};
use crate::banks::BanksPage;
use crate::bills::{BillFormPage, BillHistoryPage, BillPaymentPage, BillsPage};
use crate::deposits::DepositsPage;
use crate::edition::ChooserPage;
use crate::error::NotFound;
use crate::home::HomePage;
use crate::i18n::Msg;
use crate::inbox::InboxPage;
use crate::jobs::JobsPage;
use crate::layout::Frame;
use crate::livelihood::application::SscApplyPage;
use crate::livelihood::{MedicalPage, SscPage};
use crate::passkey::PasskeysPage;
use crate::pension::PensionPage;
use crate::prefs::{provide_prefs, InitialPrefs};
use crate::settings::SettingsPage;
use crate::transfer::{ReceiptPage, TransferConfirmPage, TransferPage};

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

    view! {
        <Title text=title/>
        <Router>
            <Frame>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/edition") view=ChooserPage/>
                    <Route path=path!("/settings") view=SettingsPage/>
                    // Async: the first HTML already holds the list, for browsers without WASM.
                    <Route path=path!("/banks") view=BanksPage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=LoginPage/>
                    <Route path=path!("/login/verify") view=VerifyLoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/login/reset") view=ResetPage/>
                    <Route path=path!("/login/reset/code") view=ResetCodePage ssr=SsrMode::Async/>
                    <Route path=path!("/register") view=RegisterPage/>
                    <Route path=path!("/register/details") view=RegisterDetailsPage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/devices") view=DevicesPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/reveal") view=RevealPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/passkeys") view=PasskeysPage ssr=SsrMode::Async/>
                    <Route path=path!("/accounts") view=AccountsPage ssr=SsrMode::Async/>
                    <Route path=path!("/accounts/:id") view=AccountHistoryPage ssr=SsrMode::Async/>
                    <Route path=path!("/transfer") view=TransferPage ssr=SsrMode::Async/>
                    <Route path=path!("/transfer/confirm") view=TransferConfirmPage ssr=SsrMode::Async/>
                    <Route path=path!("/receipts/:id") view=ReceiptPage ssr=SsrMode::Async/>
                    <Route path=path!("/inbox") view=InboxPage ssr=SsrMode::Async/>
                    <Route path=path!("/deposits") view=DepositsPage ssr=SsrMode::Async/>
                    <Route path=path!("/pension") view=PensionPage ssr=SsrMode::Async/>
                    <Route path=path!("/ssc") view=SscPage ssr=SsrMode::Async/>
                    <Route path=path!("/ssc/apply") view=SscApplyPage ssr=SsrMode::Async/>
                    <Route path=path!("/jobs") view=JobsPage ssr=SsrMode::Async/>
                    <Route path=path!("/medical") view=MedicalPage ssr=SsrMode::Async/>
                    <Route path=path!("/bills") view=BillsPage ssr=SsrMode::Async/>
                    <Route path=path!("/bills/history") view=BillHistoryPage ssr=SsrMode::Async/>
                    <Route path=path!("/bills/payments/:id") view=BillPaymentPage ssr=SsrMode::Async/>
                    <Route path=path!("/bills/:kind") view=BillFormPage ssr=SsrMode::Async/>
                </Routes>
            </Frame>
        </Router>
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
