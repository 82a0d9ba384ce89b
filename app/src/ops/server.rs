//! The console's server side: its own cookie (scoped to `/ops`, so no customer page or
//! customer server function ever receives it), the staff member of the request, rate limits.

use leptos::prelude::*;

use domain::ops::StaffSession;

use crate::auth::server::request_cookie;
use crate::error::{respond, AppError};
use crate::{server_context, ServerContext};

/// The console session's cookie.
pub const OPS_COOKIE: &str = "ops_session";

/// Sets (or with `None`, deletes) the console cookie: `Path=/ops`, `HttpOnly`,
/// `SameSite=Strict`, a browser-session cookie.
pub fn set_ops_cookie(ctx: &ServerContext, token: Option<&str>) {
    let mut cookie = format!(
        "{OPS_COOKIE}={}; Path=/ops; HttpOnly; SameSite=Strict",
        token.unwrap_or("")
    );
    if token.is_none() {
        cookie.push_str("; Max-Age=0");
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

/// The signed-in staff member of this request, or `SignedOut`.
pub async fn current_staff() -> Result<(ServerContext, StaffSession), AppError> {
    let ctx = server_context()?;
    let token = request_cookie(OPS_COOKIE).ok_or_else(|| respond(AppError::SignedOut))?;
    let session = ctx
        .ops()
        .authenticate(&token, ctx.staff_sessions)
        .await
        .map_err(|e| respond(e.into()))?;
    Ok((ctx, session))
}
