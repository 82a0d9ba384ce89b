//! Server-side helpers for server functions: cookies, the calling browser, the current session,
//! rate limits. Only compiled into the server.

use leptos::prelude::*;

use domain::audit::{append, Action, Entry};
use domain::identity::{pending, session, Mobile};
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

/// A browser id issued during this request (the cookie reaches the browser with the answer).
#[derive(Clone)]
struct IssuedDeviceId(String);

/// The calling browser's id, issuing one (a year-long cookie) on its first visit here. The same
/// id however often a request asks.
pub fn device_id(ctx: &ServerContext) -> Result<String, AppError> {
    if let Some(id) = request_cookie(DEVICE_COOKIE).filter(|v| v.len() >= 32 && v.len() <= 64) {
        return Ok(id);
    }
    if let Some(IssuedDeviceId(id)) = use_context::<IssuedDeviceId>() {
        return Ok(id);
    }
    let id = session::new_token().map_err(|e| respond(e.into()))?;
    set_cookie(ctx, DEVICE_COOKIE, &id, Some(365 * 24 * 3600), "Lax");
    provide_context(IssuedDeviceId(id.clone()));
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

/// The caller's address as the rate limits key it (an IPv6 address by its /64): the client the
/// server's middleware found behind the trusted proxies, else the connection's peer.
pub fn client_ip() -> String {
    use_context::<http::request::Parts>()
        .and_then(|p| {
            p.extensions.get::<crate::ClientIp>().copied().or_else(|| {
                p.extensions
                    .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                    .map(|c| crate::ClientIp(c.0.ip()))
            })
        })
        .map(|ip| ip.rate_key())
        .unwrap_or_else(|| "unknown".into())
}

/// The signed-in session of this request, or `SignedOut`. The request counts as the
/// customer's activity (it keeps the idle timeout away) unless it is a page reloading itself
/// ([`SELF_RELOAD_QUERY`]).
pub async fn current_session() -> Result<(ServerContext, session::Session), AppError> {
    session_of_request(!reloads_by_itself()).await
}

/// The signed-in session without counting the request as activity: what a page fetches in
/// the background (the e-card's next QR code) must not keep an unattended session alive.
pub async fn current_session_quietly() -> Result<(ServerContext, session::Session), AppError> {
    session_of_request(false).await
}

/// The signed-in session if there is one, for what works signed in or out alike: unlike
/// [`current_session_quietly`], being signed out leaves the response's status alone.
pub async fn session_if_any() -> Option<(ServerContext, session::Session)> {
    let ctx = server_context().ok()?;
    let token = request_cookie(SESSION_COOKIE)?;
    let s = session::peek(&ctx.db, ctx.clock.as_ref(), &token, ctx.sessions)
        .await
        .ok()?;
    Some((ctx, s))
}

/// The query a page puts on the URL it reloads itself with (the e-card page without WASM).
pub const SELF_RELOAD_QUERY: &str = "auto=1";

fn reloads_by_itself() -> bool {
    use_context::<http::request::Parts>().is_some_and(|p| {
        p.method == http::Method::GET
            && p.uri
                .query()
                .is_some_and(|q| q.split('&').any(|kv| kv == SELF_RELOAD_QUERY))
    })
}

async fn session_of_request(activity: bool) -> Result<(ServerContext, session::Session), AppError> {
    let ctx = server_context()?;
    let token = request_cookie(SESSION_COOKIE).ok_or_else(|| respond(AppError::SignedOut))?;
    let s = if activity {
        session::authenticate(&ctx.db, ctx.clock.as_ref(), &token, ctx.sessions).await
    } else {
        session::peek(&ctx.db, ctx.clock.as_ref(), &token, ctx.sessions).await
    }
    .map_err(|e| respond(e.into()))?;
    Ok((ctx, s))
}

/// Signs the customer in on this browser: a new session token (no fixation), cookie set.
pub async fn start_session(
    ctx: &ServerContext,
    customer_id: &str,
    device_id: &str,
) -> Result<(), AppError> {
    start_session_by(ctx, customer_id, device_id, "password").await
}

/// [`start_session`], naming how the customer proved who they are (`password`, `passkey`) in
/// the audit log.
pub async fn start_session_by(
    ctx: &ServerContext,
    customer_id: &str,
    device_id: &str,
    method: &str,
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
    let detail = serde_json::json!({
        "device": session::device_label(&user_agent()),
        "method": method,
    });
    audit(ctx, customer_id, Action::LoginSucceeded, detail).await?;
    let prefs = crate::prefs::InitialPrefs::from_request();
    if prefs.chosen {
        remember_edition(ctx, customer_id, prefs.edition).await;
    }
    Ok(())
}

/// Keeps the edition the customer uses, so pushes targeted by edition reach them in it. A
/// failure only costs that targeting until the next time, so it is logged, not shown.
pub async fn remember_edition(
    ctx: &ServerContext,
    customer_id: &str,
    edition: crate::edition::Edition,
) {
    if let Err(e) =
        domain::content::push::record_edition(&ctx.db, customer_id, edition.slug()).await
    {
        tracing::warn!(error = %e, "the customer's edition was not recorded");
    }
}

/// Marks this browser as proven for the customer (an SMS code or a passkey just said so), and
/// notes its last use for the dormant-browser risk signal.
pub async fn remember_this_browser(
    ctx: &ServerContext,
    customer_id: &str,
    device_id: &str,
) -> Result<(), AppError> {
    session::remember_device(
        &ctx.db,
        ctx.clock.as_ref(),
        customer_id,
        device_id,
        &user_agent(),
    )
    .await
    .map_err(fail)
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

/// Counts an SMS code asked for from this client's address (registration, reset, resend).
pub async fn limit_codes_from_address(ctx: &ServerContext) -> Result<(), AppError> {
    limit(
        ctx,
        &format!("otp:ip:{}", client_ip()),
        ctx.codes_per_address_hour,
        3600,
    )
    .await
}

/// Counts a hit against a limit on one mobile number (keyed by its blind index, never the
/// number itself): addresses change, the number under attack does not.
pub async fn limit_mobile(
    ctx: &ServerContext,
    what: &str,
    mobile: &Mobile,
    max: i64,
    window_secs: i64,
) -> Result<(), AppError> {
    let index = ctx
        .keys
        .blind_index(domain::pii::Field::Mobile, mobile.as_str());
    limit(ctx, &format!("{what}:m:{index}"), max, window_secs).await
}

/// Maps a domain error and sets the response status.
pub fn fail(e: domain::Error) -> AppError {
    respond(e.into())
}

/// The state this browser keeps for a multi-step flow, if it is in one.
pub async fn flow_state(
    ctx: &ServerContext,
    flow: pending::Flow,
) -> Result<Option<pending::Pending>, AppError> {
    let device = device_id(ctx)?;
    pending::get(&ctx.db, ctx.clock.as_ref(), &ctx.keys, &device, flow)
        .await
        .map_err(fail)
}

/// Starts (or restarts) a multi-step flow for this browser.
pub async fn start_flow(
    ctx: &ServerContext,
    flow: pending::Flow,
    mobile: &Mobile,
    customer_id: Option<String>,
) -> Result<(), AppError> {
    start_flow_with(ctx, flow, mobile, customer_id, String::new()).await
}

/// Starts (or restarts) a flow that keeps its own state (`data`, JSON) between steps.
pub async fn start_flow_with(
    ctx: &ServerContext,
    flow: pending::Flow,
    mobile: &Mobile,
    customer_id: Option<String>,
    data: String,
) -> Result<(), AppError> {
    let device = device_id(ctx)?;
    let state = pending::Pending {
        mobile: mobile.as_str().to_string(),
        customer_id,
        data,
    };
    pending::put(
        &ctx.db,
        ctx.clock.as_ref(),
        &ctx.keys,
        &device,
        flow,
        &state,
    )
    .await
    .map_err(fail)
}

/// Ends this browser's flow.
pub async fn end_flow(ctx: &ServerContext, flow: pending::Flow) -> Result<(), AppError> {
    let device = device_id(ctx)?;
    pending::clear(&ctx.db, &device, flow).await.map_err(fail)
}

/// Where a flow's code went, masked; `None` when this browser is not in the flow.
pub async fn flow_masked_mobile(
    ctx: &ServerContext,
    flow: pending::Flow,
) -> Result<Option<String>, AppError> {
    Ok(flow_state(ctx, flow)
        .await?
        .and_then(|f| Mobile::parse(&f.mobile).ok())
        .map(|m| m.masked()))
}

/// A six-digit code as typed (spaces trimmed), or the field error.
pub fn parse_code(code: &str) -> Result<String, AppError> {
    let code = code.trim();
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(code.to_string())
    } else {
        Err(respond(AppError::Invalid(crate::error::Field::Code)))
    }
}

/// A mobile number as typed, or the field error.
pub fn parse_mobile(mobile: &str) -> Result<Mobile, AppError> {
    Mobile::parse(mobile).map_err(|_| respond(AppError::Invalid(crate::error::Field::Mobile)))
}

/// Appends to the audit log on behalf of the signed-in customer.
pub async fn audit(
    ctx: &ServerContext,
    customer_id: &str,
    action: Action,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    append(
        &ctx.db,
        ctx.clock.as_ref(),
        Entry {
            actor: customer_id,
            action,
            subject: customer_id,
            detail,
        },
    )
    .await
    .map(|_| ())
    .map_err(fail)
}
