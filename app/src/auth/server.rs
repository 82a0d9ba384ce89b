//! Server-side helpers for server functions: cookies, the calling browser, the current session,
//! rate limits. Only compiled into the server.

use leptos::prelude::*;

use domain::identity::session;
use domain::ratelimit::{self, Limit};

use super::{DEVICE_COOKIE, SESSION_COOKIE};
use crate::error::{respond, AppError};
use crate::prefs::read_cookie;
use crate::{server_context, ServerContext};

/// A cookie of the request being handled.
pub fn request_cookie(name: &str) -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| read_cookie(h, name).map(str::to_string))
}

/// Adds a `Set-Cookie` to the response. `max_age` none: a browser-session cookie; `Some(0)`
/// deletes it.
pub fn set_cookie(
    ctx: &ServerContext,
    name: &str,
    value: &str,
    max_age: Option<i64>,
    same_site: &str,
) {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite={same_site}");
    if let Some(age) = max_age {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    if ctx.secure_cookies {
        cookie.push_str("; Secure");
    }
    if let (Some(res), Ok(v)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&cookie),
    ) {
        res.append_header(http::header::SET_COOKIE, v);
    }
}

/// The calling browser's id, issuing one (a year-long cookie) on its first visit here.
pub fn device_id(ctx: &ServerContext) -> Result<String, AppError> {
    if let Some(id) = request_cookie(DEVICE_COOKIE).filter(|v| v.len() >= 32 && v.len() <= 64) {
        return Ok(id);
    }
    let id = session::new_token().map_err(|e| respond(e.into()))?;
    set_cookie(ctx, DEVICE_COOKIE, &id, Some(365 * 24 * 3600), "Lax");
    Ok(id)
}

pub fn user_agent() -> String {
    use_context::<http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get(http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        })
        .unwrap_or_default()
}

/// The caller's IP address as the server saw the connection (no proxy headers are trusted).
pub fn client_ip() -> String {
    use_context::<http::request::Parts>()
        .and_then(|p| {
            p.extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

/// The signed-in session of this request, or `SignedOut`.
pub async fn current_session() -> Result<(ServerContext, session::Session), AppError> {
    let ctx = server_context()?;
    let token = request_cookie(SESSION_COOKIE).ok_or_else(|| respond(AppError::SignedOut))?;
    let s = session::authenticate(&ctx.db, ctx.clock.as_ref(), &token, ctx.sessions)
        .await
        .map_err(|e| respond(e.into()))?;
    Ok((ctx, s))
}

/// Signs the customer in on this browser: a new session token (no fixation), cookie set.
pub async fn start_session(
    ctx: &ServerContext,
    customer_id: &str,
    device_id: &str,
) -> Result<(), AppError> {
    // A session this browser still holds ends here: one live session per browser.
    if let Some(old) = request_cookie(SESSION_COOKIE) {
        if let Ok(s) = session::authenticate(&ctx.db, ctx.clock.as_ref(), &old, ctx.sessions).await
        {
            let _ = session::revoke(&ctx.db, ctx.clock.as_ref(), &s.customer_id, &s.id).await;
        }
    }
    let token = session::create(
        &ctx.db,
        ctx.clock.as_ref(),
        customer_id,
        device_id,
        &user_agent(),
        ctx.sessions,
    )
    .await
    .map_err(|e| respond(e.into()))?;
    set_cookie(ctx, SESSION_COOKIE, &token, None, "Strict");
    domain::audit::append(
        &ctx.db,
        ctx.clock.as_ref(),
        domain::audit::Entry {
            actor: customer_id,
            action: domain::audit::Action::LoginSucceeded,
            subject: customer_id,
            detail: format!(r#"{{"device":"{}"}}"#, session::device_label(&user_agent())),
        },
    )
    .await
    .map_err(|e| respond(e.into()))?;
    Ok(())
}

/// Counts a hit against a limit; refuses with the wait time when it is exceeded.
pub async fn limit(
    ctx: &ServerContext,
    bucket: &str,
    max: i64,
    window_secs: i64,
) -> Result<(), AppError> {
    let limit = Limit {
        max,
        window: window_secs * 1000,
    };
    match ratelimit::hit(&ctx.db, ctx.clock.as_ref(), bucket, limit)
        .await
        .map_err(|e| respond(e.into()))?
    {
        Ok(()) => Ok(()),
        Err(wait) => Err(respond(AppError::RateLimited {
            retry_after_secs: domain::error::secs_ceil(wait),
        })),
    }
}

/// Maps a domain error and sets the response status.
pub fn fail(e: domain::Error) -> AppError {
    respond(e.into())
}
