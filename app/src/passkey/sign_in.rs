//! Signing in with a passkey alone: no mobile number, no password, no SMS code. The device's
//! fingerprint or face check is the second factor the SMS code would otherwise be, so a
//! passkey sign-in also marks the browser as known.

use leptos::prelude::*;
use webauthn_rs_proto::RequestChallengeResponse;

use super::{browser, use_passkeys_supported, PasskeyButton, PasskeyChallenge};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::prefs::use_prefs;

/// A sign-in challenge any of this site's passkeys on the device can answer.
#[server(endpoint = "passkey_sign_in_options")]
pub async fn passkey_sign_in_options(
) -> Result<PasskeyChallenge<RequestChallengeResponse>, AppError> {
    use crate::auth::server::{client_ip, fail, limit};
    let ctx = crate::server_context()?;
    limit(&ctx, &format!("passkey:ip:{}", client_ip()), 30, 60).await?;
    let c = ctx.passkeys().start_sign_in().await.map_err(fail)?;
    Ok(c.into())
}

/// Checks the device's answer and signs in.
#[server(endpoint = "passkey_sign_in")]
pub async fn passkey_sign_in(
    challenge: String,
    answer: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::server::{
        client_ip, device_id, fail, limit, remember_this_browser, start_session_by,
    };
    let ctx = crate::server_context()?;
    limit(&ctx, &format!("passkey:ip:{}", client_ip()), 30, 60).await?;
    let answer = super::parse_answer(&answer)?;
    let customer = ctx
        .passkeys()
        .finish_sign_in(&challenge, &answer)
        .await
        .map_err(fail)?;
    let device = device_id(&ctx)?;
    remember_this_browser(&ctx, &customer, &device).await?;
    start_session_by(&ctx, &customer, &device, "passkey").await?;
    leptos_axum::redirect(crate::prefs::safe_next(next.as_deref()).unwrap_or("/account"));
    Ok(())
}

/// "指纹/面容登录" on the sign-in page, once the browser can do it.
#[component]
pub fn PasskeySignIn(next: Option<String>) -> impl IntoView {
    let prefs = use_prefs();
    let supported = use_passkeys_supported();
    let next = StoredValue::new(next);
    let ceremony = move || async move {
        let c = passkey_sign_in_options().await?;
        let answer = browser::get(c.options).await?;
        passkey_sign_in(c.id, answer, next.get_value()).await
    };
    view! {
        <Show when=move || supported.get()>
            <div class="card form-stack mt-4" data-testid="passkey-sign-in">
                <p>{move || prefs.t(Msg::PasskeySignInHint)}</p>
                <PasskeyButton label=Msg::PasskeySignIn testid="passkey-sign-in-button" ceremony=ceremony/>
            </div>
        </Show>
    }
}
