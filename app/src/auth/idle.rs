//! The idle-timeout warning (WCAG 2.2.1): a minute before a signed-in session would end for
//! inactivity, the page says so and offers "继续使用", which extends it. The server enforces the
//! timeout either way; this only warns, so it needs WASM and renders nothing without it. The
//! operators' console has its own (its own session, asked through its own functions).

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::Msg;
use crate::prefs::use_prefs;

/// Milliseconds until this browser's session ends for inactivity. Asking does not count as
/// activity, or an open page would keep a session alive forever.
#[server(endpoint = "session_remaining")]
pub async fn session_remaining() -> Result<i64, AppError> {
    use super::server::{fail, request_cookie};
    use crate::error::respond;
    let ctx = crate::server_context()?;
    let token =
        request_cookie(super::SESSION_COOKIE).ok_or_else(|| respond(AppError::SignedOut))?;
    let s = domain::identity::session::peek(&ctx.db, ctx.clock.as_ref(), &token, ctx.sessions)
        .await
        .map_err(fail)?;
    Ok(s.idle_deadline - ctx.clock.now())
}

/// "继续使用": counts as activity and answers the new time left.
#[server(endpoint = "keep_alive")]
pub async fn keep_alive() -> Result<i64, AppError> {
    let (ctx, s) = super::server::current_session().await?;
    Ok(s.idle_deadline - ctx.clock.now())
}

/// Milliseconds until this browser's console session ends for inactivity (not activity).
#[server(prefix = "/ops/api", endpoint = "staff_session_remaining")]
pub async fn staff_session_remaining() -> Result<i64, AppError> {
    use super::server::{fail, request_cookie};
    use crate::error::respond;
    let ctx = crate::server_context()?;
    let token = request_cookie(crate::ops::server::OPS_COOKIE)
        .ok_or_else(|| respond(AppError::SignedOut))?;
    let s = ctx
        .ops()
        .peek(&token, ctx.staff_sessions)
        .await
        .map_err(fail)?;
    Ok(s.idle_deadline - ctx.clock.now())
}

/// The console's "继续使用".
#[server(prefix = "/ops/api", endpoint = "staff_keep_alive")]
pub async fn staff_keep_alive() -> Result<i64, AppError> {
    let (ctx, s) = crate::ops::server::current_staff().await?;
    Ok(s.idle_deadline - ctx.clock.now())
}

/// Warn this long before the timeout (WCAG 2.2.1 asks for at least 20 s to respond).
const WARN_MS: f64 = 60_000.0;

/// `console`: the operators' console's session, not the customer's.
#[component]
pub fn IdleWarning(#[prop(optional)] console: bool) -> impl IntoView {
    let prefs = use_prefs();
    // The session's end on this browser's clock, while signed in.
    let deadline = RwSignal::new(None::<f64>);
    let now = RwSignal::new(0.0_f64);
    let expired = RwSignal::new(false);

    #[cfg(feature = "hydrate")]
    {
        use leptos::task::spawn_local;
        use leptos_router::hooks::use_location;
        use std::time::Duration;

        let last_sync = StoredValue::new(0.0_f64);
        let sync = move || {
            last_sync.set_value(js_sys::Date::now());
            spawn_local(async move {
                let remaining = if console {
                    staff_session_remaining().await
                } else {
                    session_remaining().await
                };
                match remaining {
                    Ok(ms) => {
                        deadline.set(Some(js_sys::Date::now() + ms as f64));
                        expired.set(false);
                    }
                    Err(AppError::SignedOut) => {
                        if deadline.get_untracked().is_some() {
                            expired.set(true);
                        }
                        deadline.set(None);
                    }
                    Err(_) => {}
                }
            });
        };
        // Every navigation may have been activity: ask again.
        let location = use_location();
        Effect::new(move |_| {
            location.pathname.track();
            sync();
        });
        Effect::new(move |_| {
            let _ = set_interval_with_handle(
                move || {
                    let t = js_sys::Date::now();
                    now.set(t);
                    let since = t - last_sync.get_value();
                    // Re-check before warning (another tab may have kept the session alive),
                    // and every half minute anyway.
                    let near = deadline
                        .get_untracked()
                        .is_some_and(|d| d - t <= WARN_MS + 5_000.0);
                    if (near && since > 5_000.0) || since > 30_000.0 {
                        sync();
                    }
                },
                Duration::from_secs(1),
            );
        });
    }

    let keep = move |_| {
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let extended = if console {
                staff_keep_alive().await
            } else {
                keep_alive().await
            };
            if let Ok(ms) = extended {
                deadline.set(Some(js_sys::Date::now() + ms as f64));
            }
        });
    };
    let seconds_left = move || {
        deadline
            .get()
            .map(|d| ((d - now.get()) / 1000.0).ceil() as i64)
    };

    view! {
        {move || match seconds_left() {
            Some(left) if left > 0 && (left as f64) * 1000.0 <= WARN_MS => Some(view! {
                <div class="idle-warning" role="alertdialog" aria-labelledby="idle-title" aria-describedby="idle-text" data-testid="idle-warning">
                    <p id="idle-title" class="font-bold">{prefs.t(Msg::IdleTitle)}</p>
                    <p id="idle-text">{prefs.t(if console { Msg::OpsIdleBefore } else { Msg::IdleBefore })} " " <strong>{left}</strong> " " {prefs.t(Msg::IdleAfter)}</p>
                    <button type="button" class="btn-primary mt-2 w-full" on:click=keep>{prefs.t(Msg::IdleKeep)}</button>
                </div>
            }.into_any()),
            _ if expired.get() => Some(view! {
                <div class="idle-warning" role="alert" data-testid="idle-expired">
                    <p class="font-bold">{prefs.t(Msg::IdleExpired)}</p>
                    <a class="btn-primary mt-2 w-full" href=if console { "/ops/login" } else { "/login" }>
                        {prefs.t(if console { Msg::OpsSignInTitle } else { Msg::LoginTitle })}
                    </a>
                </div>
            }.into_any()),
            _ => None,
        }}
    }
}
