//! 指纹/面容登录: passkeys. Added from "我的 → 指纹/面容登录" after an SMS code (a stolen session
//! alone cannot add one), used as the only factor at sign-in, and as a transfer's step-up in
//! place of the SMS code. The fingerprint or face never leaves the phone; the server checks a
//! signature (`domain::identity::passkey`).
//!
//! WebAuthn is a browser API, so the passkey buttons appear only once the WASM has loaded and
//! the browser has `PublicKeyCredential`; without them every flow still works by password and
//! SMS code, and removing a passkey is a plain form.

pub mod browser;
mod settings;
mod sign_in;

pub use settings::*;
pub use sign_in::*;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, ErrorMessage};
use crate::i18n::Msg;
use crate::prefs::use_prefs;

/// A challenge for the browser's authenticator and the id to answer it with.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PasskeyChallenge<T> {
    pub id: String,
    pub options: T,
}

#[cfg(feature = "ssr")]
impl<T> From<domain::identity::passkey::Challenge<T>> for PasskeyChallenge<T> {
    fn from(c: domain::identity::passkey::Challenge<T>) -> Self {
        PasskeyChallenge {
            id: c.id,
            options: c.options,
        }
    }
}

/// Reads the browser's answer (JSON from [`browser`]); a malformed one is a bad request.
#[cfg(feature = "ssr")]
pub(crate) fn parse_answer<T: for<'de> Deserialize<'de>>(json: &str) -> Result<T, AppError> {
    serde_json::from_str(json).map_err(|_| crate::error::respond(AppError::PasskeyFailed))
}

/// Whether to show passkey buttons: false while rendering on the server and during hydration
/// (so both render the same), then whatever the browser says.
pub fn use_passkeys_supported() -> ReadSignal<bool> {
    let (supported, set) = signal(false);
    Effect::new(move |_| set.set(browser::supported()));
    supported
}

/// A button that runs a passkey ceremony, shows that it is waiting for the fingerprint or
/// face, and shows why it failed. `ceremony` does the whole round trip.
#[component]
pub fn PasskeyButton<F, Fut>(
    label: Msg,
    testid: &'static str,
    #[prop(optional)] primary: bool,
    ceremony: F,
) -> impl IntoView
where
    F: Fn() -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<(), AppError>> + 'static,
{
    let prefs = use_prefs();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let press = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let run = ceremony.clone();
        leptos::task::spawn_local(async move {
            let outcome = run().await;
            busy.set(false);
            if let Err(e) = outcome {
                error.set(Some(e));
            }
        });
    };
    let class = if primary {
        "btn-primary w-full"
    } else {
        "btn-secondary w-full"
    };
    view! {
        <button type="button" class=class data-testid=testid on:click=press aria-busy=move || busy.get().to_string()>
            {move || if busy.get() { prefs.t(Msg::PasskeyWaiting) } else { prefs.t(label) }}
        </button>
        <div aria-live="polite" class="mt-2">
            {move || error.get().map(|e| view! { <ErrorMessage error=e/> })}
        </div>
    }
}
