//! What every request and answer passes through: the cross-site check, the body size limit,
//! `no-store` for anything personal, and the baseline headers.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::set_header::SetResponseHeaderLayer;

/// Refuses cross-site state changes. Leptos server functions do no CSRF check of their own;
/// together with `SameSite=Strict` on the session cookie, a POST must come from our own pages:
/// `Sec-Fetch-Site` (sent by every current browser) must be `same-origin` (or `none`, typed by
/// the user), and where it is missing the `Origin` must be the portal's public origin, scheme
/// and port included. A post with neither header is a client with no browser context (curl, a
/// server-side client) and may pass, unless it carries a session cookie (a customer's or the
/// console's): then it acts for someone and must say where it comes from.
pub async fn same_origin_writes(
    State(origin): State<PublicOrigin>,
    req: Request,
    next: Next,
) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let allowed = match (text("sec-fetch-site"), text(header::ORIGIN.as_str())) {
        (Some(site), _) => site == "same-origin" || site == "none",
        (None, Some(from)) => from.eq_ignore_ascii_case(&origin.0),
        (None, None) => !carries_session(headers),
    };
    if allowed {
        return next.run(req).await;
    }
    tracing::warn!(path = %req.uri().path(), "cross-site write refused");
    plain(
        StatusCode::FORBIDDEN,
        "请求来自其他网站，已拒绝。 Cross-site request refused.",
    )
}

/// The origin customers open the portal at (`PUBLIC_ORIGIN`, no trailing slash).
#[derive(Clone, Debug)]
pub struct PublicOrigin(pub Arc<str>);

fn carries_session(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|h| {
            app::prefs::read_cookie(h, app::auth::SESSION_COOKIE).is_some()
                || app::prefs::read_cookie(h, app::ops::server::OPS_COOKIE).is_some()
        })
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from(text))
        .expect("static response")
}

/// The largest request body a form or server function of ours sends, with room to spare (a
/// passkey answer is a few kilobytes).
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// Refuses an oversized body with 413 and a message: at once when its declared length is too
/// large, else once reading it passes the limit (a body sent without a length). Bodies of ours
/// are small forms, read whole by the server function anyway.
pub async fn body_limit(req: Request, next: Next) -> Response {
    // The console's picture upload has its own, larger limit, read as it streams the form.
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        || req.uri().path() == app::ops::MEDIA_UPLOAD_PATH
    {
        return next.run(req).await;
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let too_large = || {
        plain(
            StatusCode::PAYLOAD_TOO_LARGE,
            "提交的内容太大，无法处理。 The request is too large to process.",
        )
    };
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        tracing::info!(path = %req.uri().path(), bytes = declared, "request body too large");
        return too_large();
    }
    let (parts, body) = req.into_parts();
    match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(e) => {
            tracing::info!(path = %parts.uri.path(), error = %e, "request body too large or broken");
            too_large()
        }
    }
}

/// Pages, server-function answers and downloads carry balances and personal data: no browser
/// or proxy may keep a copy (`Cache-Control: no-store`). Only the built static files (CSS,
/// JS, WASM, icons), which hold nothing of anyone's, may be cached.
pub async fn no_store(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let static_file = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            [
                "text/css",
                "text/javascript",
                "application/javascript",
                "application/wasm",
                "image/",
                "font/",
            ]
            .iter()
            .any(|kind| t.starts_with(kind))
        });
    if !static_file {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// Whether the built files under `/pkg/` carry their content hash in their names.
#[derive(Clone, Copy)]
pub struct HashedAssets(pub bool);

/// The built JS, WASM and CSS are named by their content when [`HashedAssets`] is on: a
/// browser may keep them for a year without asking again (a new build is a new name), so a
/// returning customer on a rural connection downloads nothing. A miss is not kept.
pub async fn cache_hashed_assets(
    State(HashedAssets(hashed)): State<HashedAssets>,
    req: Request,
    next: Next,
) -> Response {
    let mut res = next.run(req).await;
    if hashed && res.status().is_success() {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    }
    res
}

/// The baseline headers as tower layers, applied outermost in the router.
pub fn baseline_headers() -> [SetResponseHeaderLayer<HeaderValue>; 4] {
    [
        SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        ),
        SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("referrer-policy"),
            HeaderValue::from_static("same-origin"),
        ),
        // No framing: a banking page inside someone else's frame is a clickjacking risk.
        SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("DENY"),
        ),
        SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("content-security-policy"),
            HeaderValue::from_static(
                "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
            ),
        ),
    ]
}

/// Whether a path is a server function's: the customers' under `/api/`, the operators'
/// console's under `/ops/api/` (where its `/ops` cookie reaches them).
pub fn is_server_fn_path(path: &str) -> bool {
    path.starts_with("/api/") || path.starts_with("/ops/api/")
}

/// Server functions answer an error with status 500 unless the function itself set another;
/// errors raised before its body runs (missing or malformed arguments) cannot. This gives every
/// server-function error the status its `AppError` names, so a bad request is a 400, not a 500.
pub async fn server_fn_error_status(req: Request, next: Next) -> Response {
    let is_api = is_server_fn_path(req.uri().path());
    let res = next.run(req).await;
    if !is_api
        || res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key("serverfnerror")
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(err) = serde_json::from_slice::<app::error::AppError>(&bytes) {
        if let Ok(status) = StatusCode::from_u16(err.status()) {
            parts.status = status;
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}
