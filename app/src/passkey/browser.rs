//! The browser half of a passkey ceremony: `navigator.credentials.create()` / `.get()` with
//! the server's options, the answer back as JSON for the server function. Only the hydrated
//! app calls these; on the server they report "unsupported".

use webauthn_rs_proto::{CreationChallengeResponse, RequestChallengeResponse};

use crate::error::AppError;

/// Whether this browser offers WebAuthn here (a secure context with `PublicKeyCredential`).
pub fn supported() -> bool {
    #[cfg(feature = "hydrate")]
    {
        imp::supported()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        false
    }
}

/// Creates a passkey; returns the `RegisterPublicKeyCredential` as JSON.
pub async fn create(options: CreationChallengeResponse) -> Result<String, AppError> {
    #[cfg(feature = "hydrate")]
    {
        imp::create(options).await
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = options;
        Err(AppError::PasskeyUnsupported)
    }
}

/// Signs a challenge with a passkey; returns the `PublicKeyCredential` as JSON.
pub async fn get(options: RequestChallengeResponse) -> Result<String, AppError> {
    #[cfg(feature = "hydrate")]
    {
        imp::get(options).await
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = options;
        Err(AppError::PasskeyUnsupported)
    }
}

#[cfg(feature = "hydrate")]
mod imp {
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use webauthn_rs_proto::{
        CreationChallengeResponse, PublicKeyCredential, RegisterPublicKeyCredential,
        RequestChallengeResponse,
    };

    use crate::error::AppError;

    pub fn supported() -> bool {
        web_sys::window().is_some_and(|w| {
            w.is_secure_context()
                && js_sys::Reflect::has(&w, &JsValue::from_str("PublicKeyCredential"))
                    .unwrap_or(false)
        })
    }

    fn credentials() -> Result<web_sys::CredentialsContainer, AppError> {
        Ok(web_sys::window()
            .ok_or(AppError::PasskeyUnsupported)?
            .navigator()
            .credentials())
    }

    /// What the browser's refusal means for the customer (WebAuthn §5.1.3, §5.1.4).
    fn refusal(e: JsValue) -> AppError {
        let name = e
            .dyn_ref::<web_sys::DomException>()
            .map(|d| d.name())
            .unwrap_or_default();
        match name.as_str() {
            // Cancelled, timed out, or no passkey for this site on the device.
            "NotAllowedError" | "AbortError" => AppError::PasskeyCancelled,
            // `excludeCredentials` matched: this device already has one for this customer.
            "InvalidStateError" => AppError::PasskeyAlreadyRegistered,
            // Opened at another address than the one passkeys are bound to, or no authenticator.
            "SecurityError" | "NotSupportedError" => AppError::PasskeyUnsupported,
            _ => AppError::PasskeyFailed,
        }
    }

    async fn answer(promise: js_sys::Promise) -> Result<web_sys::PublicKeyCredential, AppError> {
        JsFuture::from(promise)
            .await
            .map_err(refusal)?
            .dyn_into::<web_sys::PublicKeyCredential>()
            .map_err(|_| AppError::PasskeyFailed)
    }

    pub async fn create(options: CreationChallengeResponse) -> Result<String, AppError> {
        let options: web_sys::CredentialCreationOptions = options.into();
        let promise = credentials()?
            .create_with_options(&options)
            .map_err(refusal)?;
        let answer = RegisterPublicKeyCredential::from(answer(promise).await?);
        serde_json::to_string(&answer).map_err(|_| AppError::PasskeyFailed)
    }

    pub async fn get(options: RequestChallengeResponse) -> Result<String, AppError> {
        let options: web_sys::CredentialRequestOptions = options.into();
        let promise = credentials()?.get_with_options(&options).map_err(refusal)?;
        let answer = PublicKeyCredential::from(answer(promise).await?);
        serde_json::to_string(&answer).map_err(|_| AppError::PasskeyFailed)
    }
}
