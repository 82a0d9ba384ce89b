//! The portal's UI: the app shell and routes, the pages of each capability with their server
//! functions beside them, and the `hydrate()` entry the browser calls.
//!
//! Built twice by cargo-leptos: with `ssr` into the server, with `hydrate` into WASM.

pub mod banks;
pub mod edition;
pub mod error;
pub mod home;
pub mod i18n;
pub mod layout;
pub mod prefs;
pub mod settings;
pub mod shell;

pub use shell::{shell, App};

/// What the server hands every page render and server function (see `server/src/router.rs`).
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct ServerContext {
    pub db: domain::Db,
    /// Add `Secure` to cookies: the portal is served over TLS.
    pub secure_cookies: bool,
}

/// The server context inside a server function; its absence is a wiring bug, not the customer's.
#[cfg(feature = "ssr")]
pub fn server_context() -> Result<ServerContext, error::AppError> {
    leptos::prelude::use_context::<ServerContext>().ok_or_else(|| {
        tracing::error!("ServerContext missing: server function called outside the router");
        error::AppError::Internal
    })
}

/// The browser entry: attaches the WASM app to the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
