//! 我的: the signed-in customer's profile (masked), their devices and sessions, sign-out.

pub(crate) mod reveal;

use leptos::prelude::*;

pub use reveal::RevealPage;

use crate::error::{AppError, ErrorMessage, SaveStatus};
use crate::i18n::Msg;
use crate::prefs::use_prefs;

// The pages below arrive in their own WASM chunk (see `crate::chunk`).
crate::lazy_pages!(
    account:
    ACCOUNT_PAGE => AccountPage,
    DEVICES_PAGE => DevicesPage,
    REVEAL_PAGE => RevealPage,
    PASSKEYS_PAGE => crate::passkey::PasskeysPage,
);

/// The signed-in customer as pages show them.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Me {
    pub name_masked: String,
    pub mobile_masked: String,
    pub resident_id_masked: String,
    pub bank_name: String,
    /// After a password reset, until the customer confirms: the passkeys that can sign in.
    pub passkeys_to_review: Vec<PasskeyToReview>,
}

/// A passkey as the review after a password reset lists it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PasskeyToReview {
    pub label: String,
    /// The Beijing date it was added.
    pub added: String,
}

#[server(endpoint = "load_me")]
pub async fn load_me() -> Result<Me, AppError> {
    use crate::auth::server::{current_session, fail};
    let (ctx, session) = current_session().await?;
    let p = ctx
        .identity()
        .profile(&session.customer_id)
        .await
        .map_err(fail)?;
    let passkeys_to_review = if ctx
        .identity()
        .passkey_review_due(&session.customer_id)
        .await
        .map_err(fail)?
    {
        ctx.passkeys()
            .list(&session.customer_id)
            .await
            .map_err(fail)?
            .into_iter()
            .map(|k| PasskeyToReview {
                label: k.label,
                added: domain::clock::beijing_date(k.created_at),
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(Me {
        name_masked: p.name_masked,
        mobile_masked: p.mobile_masked,
        resident_id_masked: p.resident_id_masked,
        bank_name: p.bank_name,
        passkeys_to_review,
    })
}

/// The customer has checked the passkeys listed after a password reset.
#[server(endpoint = "passkeys_reviewed")]
pub async fn passkeys_reviewed() -> Result<(), AppError> {
    use crate::auth::server::{audit, current_session, fail};
    use domain::audit::Action;
    let (ctx, s) = current_session().await?;
    ctx.identity()
        .passkeys_reviewed(&s.customer_id)
        .await
        .map_err(fail)?;
    audit(
        &ctx,
        &s.customer_id,
        Action::PasskeysReviewed,
        serde_json::json!({}),
    )
    .await
}

/// Ends this browser's session.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::auth::server::{audit, current_session, fail, set_cookie};
    use crate::auth::SESSION_COOKIE;
    use domain::audit::Action;
    let (ctx, s) = current_session().await?;
    domain::identity::session::revoke(&ctx.db, ctx.clock.as_ref(), &s.customer_id, &s.id)
        .await
        .map_err(fail)?;
    audit(&ctx, &s.customer_id, Action::Logout, serde_json::json!({})).await?;
    set_cookie(&ctx, SESSION_COOKIE, "", Some(0), "Strict");
    leptos_axum::redirect("/");
    Ok(())
}

/// The customer's live sessions ("my devices").
#[server(endpoint = "my_sessions")]
pub async fn my_sessions() -> Result<Vec<domain_types::SessionRow>, AppError> {
    use crate::auth::server::{current_session, fail};
    let (ctx, s) = current_session().await?;
    let list = domain::identity::session::list(
        &ctx.db,
        ctx.clock.as_ref(),
        &s.customer_id,
        &s.id,
        ctx.sessions,
    )
    .await
    .map_err(fail)?;
    Ok(list
        .into_iter()
        .map(|i| domain_types::SessionRow {
            id: i.id,
            label: i.device_label,
            since: i.created_at,
            last_seen: i.last_seen_at,
            current: i.current,
        })
        .collect())
}

/// Ends one of the customer's own sessions (another browser or phone).
#[server(endpoint = "revoke_session")]
pub async fn revoke_session(session_id: String) -> Result<(), AppError> {
    use crate::auth::server::{audit, current_session, fail};
    use domain::audit::Action;
    let (ctx, s) = current_session().await?;
    // Only the customer's own sessions match: another customer's id changes nothing.
    if domain::identity::session::revoke(&ctx.db, ctx.clock.as_ref(), &s.customer_id, &session_id)
        .await
        .map_err(fail)?
    {
        audit(
            &ctx,
            &s.customer_id,
            Action::SessionRevoked,
            serde_json::json!({}),
        )
        .await?;
    }
    Ok(())
}

/// Ends every session of the customer, this one included.
#[server(endpoint = "sign_out_everywhere")]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    use crate::auth::server::{audit, current_session, fail, set_cookie};
    use crate::auth::SESSION_COOKIE;
    use domain::audit::Action;
    let (ctx, s) = current_session().await?;
    domain::identity::session::revoke_all(&ctx.db, ctx.clock.as_ref(), &s.customer_id)
        .await
        .map_err(fail)?;
    audit(
        &ctx,
        &s.customer_id,
        Action::SessionRevoked,
        serde_json::json!({ "all": true }),
    )
    .await?;
    set_cookie(&ctx, SESSION_COOKIE, "", Some(0), "Strict");
    leptos_axum::redirect("/");
    Ok(())
}

/// The browsers the customer has proven with an SMS code.
#[server(endpoint = "my_known_devices")]
pub async fn my_known_devices() -> Result<Vec<domain_types::KnownDeviceRow>, AppError> {
    use crate::auth::server::{current_session, fail};
    let (ctx, s) = current_session().await?;
    let list = domain::identity::session::known_devices(&ctx.db, &s.customer_id, &s.device_id)
        .await
        .map_err(fail)?;
    Ok(list
        .into_iter()
        .map(|d| domain_types::KnownDeviceRow {
            handle: d.handle,
            label: d.label,
            last_seen: d.last_seen_at,
            current: d.current,
        })
        .collect())
}

/// Forgets a known browser: its next sign-in needs the SMS code, and its sessions end.
#[server(endpoint = "forget_known_device")]
pub async fn forget_known_device(handle: String) -> Result<(), AppError> {
    use crate::auth::server::{audit, current_session, fail};
    use domain::audit::Action;
    let (ctx, s) = current_session().await?;
    if domain::identity::session::forget_device(
        &ctx.db,
        ctx.clock.as_ref(),
        &s.customer_id,
        &handle,
    )
    .await
    .map_err(fail)?
    {
        audit(
            &ctx,
            &s.customer_id,
            Action::SessionRevoked,
            serde_json::json!({ "device_forgotten": true }),
        )
        .await?;
        Ok(())
    } else {
        // None of the caller's browsers has this handle.
        Err(AppError::NotFound)
    }
}

/// Types shared by the server functions and the pages.
pub mod domain_types {
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct KnownDeviceRow {
        pub handle: String,
        pub label: String,
        pub last_seen: i64,
        pub current: bool,
    }

    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    pub struct SessionRow {
        pub id: String,
        pub label: String,
        pub since: i64,
        pub last_seen: i64,
        pub current: bool,
    }
}

/// The part of a page that needs a signed-in customer's data: the loading state while `data`
/// loads, then `ready` with it, or the sign-in prompt (coming back to `next`) or the error.
/// A refetch keeps the old content on screen until the new arrives.
#[component]
pub fn Protected<T, V, F>(
    data: Resource<Result<T, AppError>>,
    next: &'static str,
    ready: F,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
{
    let prefs = use_prefs();
    view! {
        <Transition fallback=move || view! { <p class="card" aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
            {move || data.get().map(|r| match r {
                Ok(v) => ready(v).into_any(),
                Err(e) => view! { <SignInPrompt error=e next=next/> }.into_any(),
            })}
        </Transition>
    }
}

/// Shown instead of a page that needs a signed-in customer.
#[component]
pub fn SignInPrompt(error: AppError, next: &'static str) -> impl IntoView {
    let prefs = use_prefs();
    if error == AppError::SignedOut {
        view! {
            <div class="card">
                <p class="mb-4">{move || prefs.t(Msg::SignInFirst)}</p>
                <div class="flex flex-wrap gap-3">
                    <a class="btn-primary" href=format!("/login?next={next}")>{move || prefs.t(Msg::LoginTitle)}</a>
                    <a class="btn-secondary" href="/register">{move || prefs.t(Msg::RegisterLink)}</a>
                </div>
            </div>
        }
        .into_any()
    } else {
        view! { <ErrorMessage error=error/> }.into_any()
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let prefs = use_prefs();
    let reviewed = ServerAction::<PasskeysReviewed>::new();
    let me = Resource::new(move || reviewed.version().get(), |_| load_me());
    let logout = ServerAction::<Logout>::new();
    view! {
        <section class="page" aria-labelledby="account-title">
            <h1 id="account-title" class="page-title">{move || prefs.t(Msg::AccountTitle)}</h1>
            <Protected data=me next="/account" ready=move |me| view! {
                        {(!me.passkeys_to_review.is_empty()).then(|| view! {
                            <section class="card mb-4 border-2 border-danger" aria-labelledby="passkey-review-title" data-testid="passkey-review">
                                <h2 id="passkey-review-title" class="section-title">{prefs.t(Msg::PasskeyReviewTitle)}</h2>
                                <p class="mb-3">{prefs.t(Msg::PasskeyReviewIntro)}</p>
                                <ul class="mb-3">
                                    {me.passkeys_to_review.iter().map(|k| view! {
                                        <li><strong>{k.label.clone()}</strong> " " <span class="text-muted">{k.added.clone()}</span></li>
                                    }).collect_view()}
                                </ul>
                                <div class="flex flex-wrap gap-3">
                                    <a class="btn-primary" href="/account/passkeys">{prefs.t(Msg::PasskeyReviewManage)}</a>
                                    <ActionForm action=reviewed>
                                        <button type="submit" class="btn-secondary" data-testid="passkeys-reviewed">{prefs.t(Msg::PasskeyReviewDone)}</button>
                                    </ActionForm>
                                </div>
                            </section>
                        })}
                        <dl class="card profile" data-testid="profile">
                            <div><dt>{prefs.t(Msg::ProfileName)}</dt><dd>{me.name_masked}</dd></div>
                            <div><dt>{prefs.t(Msg::FieldMobile)}</dt><dd>{me.mobile_masked}</dd></div>
                            <div><dt>{prefs.t(Msg::ProfileResidentId)}</dt><dd>{me.resident_id_masked}</dd></div>
                            <div><dt>{prefs.t(Msg::ProfileBank)}</dt><dd>{me.bank_name}</dd></div>
                        </dl>
                        <p class="mt-2 text-muted">{prefs.t(Msg::MaskedHint)}</p>
                        <div class="mt-4 flex flex-wrap gap-3">
                            <a class="btn-secondary" href="/account/reveal">{prefs.t(Msg::RevealTitle)}</a>
                            <a class="btn-secondary" href="/account/devices">{prefs.t(Msg::DevicesTitle)}</a>
                            <a class="btn-secondary" href="/account/passkeys">{prefs.t(Msg::PasskeysTitle)}</a>
                            <ActionForm action=logout>
                                <button type="submit" class="btn-secondary">{prefs.t(Msg::Logout)}</button>
                            </ActionForm>
                        </div>
                    }.into_any()/>
        </section>
    }
}

#[component]
pub fn DevicesPage() -> impl IntoView {
    let prefs = use_prefs();
    let revoke = ServerAction::<RevokeSession>::new();
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    let forget = ServerAction::<ForgetKnownDevice>::new();
    let sessions = Resource::new(
        move || (revoke.version().get(), forget.version().get()),
        |_| my_sessions(),
    );
    let known = Resource::new(move || forget.version().get(), |_| my_known_devices());
    view! {
        <section class="page" aria-labelledby="devices-title">
            <h1 id="devices-title" class="page-title">{move || prefs.t(Msg::DevicesTitle)}</h1>
            <p class="mb-4 text-muted">{move || prefs.t(Msg::DevicesIntro)}</p>
            <Protected data=sessions next="/account/devices" ready=move |list| view! {
                        <ul class="grid gap-3" role="list">
                            {list.into_iter().map(|s| { let revoke_id = s.id.clone(); view! {
                                <li class="card flex flex-wrap items-center gap-3" data-session=s.id.clone() data-current=s.current.to_string()>
                                    <span class="min-w-48 flex-1">
                                        <span class="block font-bold">{s.label}</span>
                                        <span class="block text-muted">
                                            {prefs.t(Msg::DevicesSince)} " " {crate::error::beijing_time(s.since)}
                                        </span>
                                    </span>
                                    {if s.current {
                                        view! { <span class="badge">{prefs.t(Msg::DevicesThis)}</span> }.into_any()
                                    } else {
                                        view! {
                                            <ActionForm action=revoke>
                                                <input type="hidden" name="session_id" value=revoke_id.clone()/>
                                                <button type="submit" class="btn-secondary">{prefs.t(Msg::DevicesRevoke)}</button>
                                            </ActionForm>
                                        }.into_any()
                                    }}
                                </li>
                            }}).collect_view()}
                        </ul>
                        <ActionForm action=everywhere>
                            <button type="submit" class="btn-secondary mt-4">{prefs.t(Msg::SignOutEverywhere)}</button>
                        </ActionForm>
                    }.into_any()/>
            <SaveStatus action=revoke saved=Msg::DevicesRevoked/>
            <h2 class="section-title mt-6">{move || prefs.t(Msg::KnownDevicesTitle)}</h2>
            <p class="mb-4 text-muted">{move || prefs.t(Msg::KnownDevicesIntro)}</p>
            <Transition fallback=move || view! { <p class="card" aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {move || known.get().map(|r| match r {
                    Ok(list) => view! {
                        <ul class="grid gap-3" role="list">
                            {list.into_iter().map(|d| { let handle = d.handle.clone(); view! {
                                <li class="card flex flex-wrap items-center gap-3" data-known-device=d.handle.clone()>
                                    <span class="min-w-48 flex-1">
                                        <span class="block font-bold">{d.label}</span>
                                        <span class="block text-muted">{prefs.t(Msg::KnownDevicesLastUsed)} " " {crate::error::beijing_time(d.last_seen)}</span>
                                    </span>
                                    {d.current.then(|| view! { <span class="badge">{prefs.t(Msg::DevicesThis)}</span> })}
                                    <ActionForm action=forget>
                                        <input type="hidden" name="handle" value=handle.clone()/>
                                        <button type="submit" class="btn-secondary">{prefs.t(Msg::KnownDevicesForget)}</button>
                                    </ActionForm>
                                </li>
                            }}).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(_) => ().into_any(),
                })}
            </Transition>
        </section>
    }
}
