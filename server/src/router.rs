//! The axum router: health check, the Leptos routes and server functions, static files with the
//! one error view for everything else, and the middleware around them.

use axum::extract::DefaultBodyLimit;
use axum::extract::FromRef;
use axum::middleware;
use axum::routing::{get, post};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use app::{shell, App, ServerContext};

use crate::carried_error::{signed_carried_errors, CarriedErrorKey};
use crate::client_ip::{client_ip, TrustedProxies};
use crate::prefs::{query_prefs, PrefCookies};
use crate::security::{
    baseline_headers, body_limit, no_store, same_origin_writes, server_fn_error_status,
    PublicOrigin,
};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub ctx: ServerContext,
    /// Development mode on loopback: the `/dev/…` endpoints exist.
    pub dev_endpoints: bool,
    /// `PUBLIC_ORIGIN`: what a post's `Origin` must be.
    pub public_origin: PublicOrigin,
    /// Whose `X-Forwarded-For` names the client.
    pub trusted_proxies: TrustedProxies,
    /// The customers connected for live delivery, and the task that wakes them.
    pub live: std::sync::Arc<crate::live::LiveHub>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

pub fn build(state: AppState) -> Router {
    // Generated once per process: it renders the app to find its routes, which must not race
    // with pages being rendered (tests build many routers in one process).
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    let routes = ROUTES.get_or_init(|| generate_route_list(App)).clone();
    let ctx = state.ctx.clone();
    let provide = move || provide_context(ctx.clone());
    let options = state.leptos_options.clone();
    let assets = crate::built_files::router(
        &state.leptos_options.site_root,
        &state.leptos_options.site_pkg_dir,
        state.leptos_options.hash_files,
    );
    let [nosniff, referrer, frames, csp] = baseline_headers();

    let mut router = Router::new()
        .route("/healthz", get(crate::health::healthz))
        .route(app::inbox::live::LIVE_PATH, get(crate::live::live))
        .route("/statement.csv", get(crate::documents::statement_csv))
        .route("/statement.pdf", get(crate::documents::statement_pdf))
        .route("/receipt.pdf", get(crate::documents::receipt_pdf))
        .route(
            "/bills/receipt.pdf",
            get(crate::documents::bill_receipt_pdf),
        )
        .route("/media/{id}", get(crate::media::picture))
        .route(
            app::ops::MEDIA_UPLOAD_PATH,
            post(crate::media::upload)
                .layer(DefaultBodyLimit::max(crate::media::UPLOAD_BODY_BYTES)),
        );
    if state.dev_endpoints {
        router = router.route("/dev/sms", get(crate::dev::sms_outbox));
    }
    let secure = state.ctx.secure_cookies;
    let router = router
        .leptos_routes_with_context(&state, routes, provide.clone(), move || {
            shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(provide, shell))
        .layer(middleware::from_fn_with_state(
            PrefCookies {
                secure: state.ctx.secure_cookies,
            },
            query_prefs,
        ))
        .layer(middleware::from_fn_with_state(
            CarriedErrorKey(state.ctx.keys.clone()),
            signed_carried_errors,
        ))
        .layer(middleware::from_fn(server_fn_error_status))
        .layer(middleware::from_fn(body_limit))
        .layer(middleware::from_fn_with_state(
            state.public_origin.clone(),
            same_origin_writes,
        ))
        .layer(middleware::from_fn_with_state(
            state.trusted_proxies.clone(),
            client_ip,
        ))
        .layer(middleware::from_fn(no_store))
        .layer(CompressionLayer::new())
        .layer(nosniff)
        .layer(referrer)
        .layer(frames)
        .layer(csp)
        .with_state(state);
    // Served over TLS (the same setting that marks cookies Secure): browsers must stay on HTTPS.
    let router = if secure {
        router.layer(
            tower_http::set_header::SetResponseHeaderLayer::if_not_present(
                axum::http::header::STRICT_TRANSPORT_SECURITY,
                axum::http::HeaderValue::from_static("max-age=31536000; includeSubDomains"),
            ),
        )
    } else {
        router
    };
    // Request spans name the path, never the query string: a bill lookup by resident ID or a
    // search carries personal data there, which has no place in logs.
    router
        .layer(TraceLayer::new_for_http().make_span_with(
            |req: &axum::http::Request<axum::body::Body>| {
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
            },
        ))
        .merge(assets)
}
