//! The UI layer's one error type, its HTTP status, its customer-facing message, and the one
//! view that shows it.
//!
//! Server functions return `Result<T, AppError>`. Domain errors are mapped here; their details go
//! to the log, never to the customer (no SQL, no stack traces in responses).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

use crate::i18n::Msg;
use crate::prefs::use_prefs;

/// Everything a page or server function can fail with, as the customer should understand it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("unknown edition {0:?}")]
    UnknownEdition(String),
    #[error("unknown language {0:?}")]
    UnknownLanguage(String),
    #[error("unknown city {0:?}")]
    UnknownCity(String),
    #[error("not found")]
    NotFound,
    /// The database or another dependency is down; the request can be retried.
    #[error("service unavailable")]
    Unavailable,
    /// A bug on our side; the log has the details.
    #[error("internal error")]
    Internal,
    /// The call never reached the server or its answer could not be read (client side).
    #[error("transport: {0}")]
    Transport(String),
}

impl AppError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::UnknownEdition(_)
            | AppError::UnknownLanguage(_)
            | AppError::UnknownCity(_) => 400,
            AppError::NotFound => 404,
            AppError::Unavailable => 503,
            AppError::Transport(_) => 502,
            AppError::Internal => 500,
        }
    }

    /// What the customer reads.
    pub fn message(&self) -> Msg {
        match self {
            AppError::UnknownEdition(_) => Msg::ErrorUnknownEdition,
            AppError::UnknownLanguage(_) => Msg::ErrorUnknownLanguage,
            AppError::UnknownCity(_) => Msg::ErrorUnknownCity,
            AppError::NotFound => Msg::ErrorNotFound,
            AppError::Unavailable => Msg::ErrorUnavailable,
            AppError::Transport(_) => Msg::ErrorNetwork,
            AppError::Internal => Msg::ErrorInternal,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The arguments did not parse: the request was malformed, not our fault, but there
            // is no field to point at. Report it as a transport problem to the customer.
            ServerFnErrorErr::Args(e) | ServerFnErrorErr::MissingArg(e) => AppError::Transport(e),
            ServerFnErrorErr::Request(e) => AppError::Transport(e),
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<domain::Error> for AppError {
    fn from(e: domain::Error) -> Self {
        match e {
            domain::Error::NotFound(_) => AppError::NotFound,
            domain::Error::Database(ref inner) => {
                tracing::error!(error = %inner, "database error");
                AppError::Unavailable
            }
            other => {
                tracing::error!(error = %other, "domain error");
                AppError::Internal
            }
        }
    }
}

/// Server side: sets the response status for an error before a server function returns it.
///
/// A plain HTML form post (no WASM yet) must keep the framework's redirect back to the form,
/// which carries the error in the URL; only calls from the running app get the status.
#[cfg(feature = "ssr")]
pub fn respond(err: AppError) -> AppError {
    use http::header::ACCEPT;
    let is_form_post = use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false);
    if !is_form_post {
        if let (Some(res), Ok(status)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            http::StatusCode::from_u16(err.status()),
        ) {
            res.set_status(status);
        }
    }
    err
}

/// An error message inside a page: a form's refusal, a list that could not load.
#[component]
pub fn ErrorMessage(error: AppError) -> impl IntoView {
    let prefs = use_prefs();
    let msg = error.message();
    view! {
        <p role="alert" class="rounded-lg border-2 border-danger bg-danger-soft px-4 py-3 text-danger">
            {move || prefs.t(msg)}
        </p>
    }
}

/// The whole-page error view: 404 and every failure that stops a page from rendering.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    let prefs = use_prefs();
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = http::StatusCode::from_u16(error.status()) {
            res.set_status(status);
        }
    }
    let title = if error == AppError::NotFound {
        Msg::ErrorNotFoundTitle
    } else {
        Msg::ErrorTitle
    };
    let msg = error.message();
    let code = error.status();
    view! {
        <section class="mx-auto max-w-xl px-4 py-10 text-center" aria-labelledby="error-title">
            <p class="text-5xl font-bold text-brand" aria-hidden="true">{code}</p>
            <h1 id="error-title" class="mt-4 text-2xl font-bold">{move || prefs.t(title)}</h1>
            <p class="mt-3 text-muted">{move || prefs.t(msg)}</p>
            <a href="/" class="btn-primary mt-8">{move || prefs.t(Msg::BackHome)}</a>
        </section>
    }
}

/// The router's fallback.
#[component]
pub fn NotFound() -> impl IntoView {
    view! { <ErrorPage error=AppError::NotFound/> }
}

/// The live region under a form: "saving…", then what was saved or why it was refused.
#[component]
pub fn SaveStatus(
    #[prop(into)] pending: Signal<bool>,
    /// The last call's result, without its value.
    #[prop(into)]
    outcome: Signal<Option<Result<(), AppError>>>,
    /// Said when the last call succeeded.
    saved: Msg,
) -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <div aria-live="polite" class="mt-3 min-h-6">
            {move || match (pending.get(), outcome.get()) {
                (true, _) => Some(view! { <p>{prefs.t(Msg::Saving)}</p> }.into_any()),
                (false, Some(Ok(()))) => Some(view! { <p class="font-semibold text-success">{prefs.t(saved)}</p> }.into_any()),
                (false, Some(Err(e))) => Some(view! { <ErrorMessage error=e/> }.into_any()),
                (false, None) => None,
            }}
        </div>
    }
}
