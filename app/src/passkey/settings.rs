//! 我的 → 指纹/面容登录: the customer's passkeys, adding one (after an SMS code bound to this
//! session) and removing one.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use webauthn_rs_proto::CreationChallengeResponse;

use super::{browser, use_passkeys_supported, PasskeyButton, PasskeyChallenge};
use crate::account::Protected;
use crate::auth::fields::CodeField;
use crate::error::{beijing_time, AppError, SaveStatus};
use crate::i18n::Msg;
use crate::prefs::use_prefs;

/// A registered passkey as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyRow {
    pub id: String,
    pub label: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// Where adding a passkey stands on this browser.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AddStep {
    Start,
    /// The code went to this (masked) number.
    CodeSent(String),
    /// The code was right: the device may create the passkey now.
    Granted,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeysView {
    pub keys: Vec<PasskeyRow>,
    pub step: AddStep,
}

#[server(endpoint = "load_passkeys")]
pub async fn load_passkeys() -> Result<PasskeysView, AppError> {
    use crate::auth::server::{current_session, fail, flow_state};
    use domain::identity::{pending::Flow, Mobile};
    let (ctx, s) = current_session().await?;
    let keys = ctx
        .passkeys()
        .list(&s.customer_id)
        .await
        .map_err(fail)?
        .into_iter()
        .map(|k| PasskeyRow {
            id: k.id,
            label: k.label,
            created_at: k.created_at,
            last_used_at: k.last_used_at,
        })
        .collect();
    let mine = |f: &domain::identity::pending::Pending| {
        f.customer_id.as_deref() == Some(s.customer_id.as_str())
    };
    let step = if flow_state(&ctx, Flow::PasskeyGranted)
        .await?
        .is_some_and(|f| mine(&f))
    {
        AddStep::Granted
    } else {
        match flow_state(&ctx, Flow::PasskeyAdd).await? {
            Some(f) if mine(&f) => {
                AddStep::CodeSent(Mobile::parse(&f.mobile).map(|m| m.masked()).map_err(fail)?)
            }
            _ => AddStep::Start,
        }
    };
    Ok(PasskeysView { keys, step })
}

/// The binding of the code that allows adding a passkey: this customer, this session.
#[cfg(feature = "ssr")]
fn add_binding(s: &domain::identity::session::Session) -> domain::identity::Binding {
    domain::identity::Binding::to_operation(&s.customer_id, "passkey_add", 0, &s.id)
}

/// Sends the code that allows adding a passkey to the customer's own number.
#[server(endpoint = "send_passkey_code")]
pub async fn send_passkey_code() -> Result<(), AppError> {
    use crate::auth::server::{current_session, fail, start_flow};
    use domain::identity::{pending::Flow, Purpose};
    let (ctx, s) = current_session().await?;
    let mobile = ctx
        .identity()
        .mobile_of(&s.customer_id)
        .await
        .map_err(fail)?;
    let sent = ctx
        .otp()
        .issue(ctx.sms.as_ref(), &mobile, Purpose::StepUp, &add_binding(&s), |code| {
            format!("【农商银行】您正在开通手机银行指纹/面容登录，验证码 {code}，5 分钟内有效。如非本人操作，请勿告诉任何人并立即修改密码。")
        })
        .await;
    match sent {
        Ok(()) => {}
        // Pressed again within the minute: the code already sent for this still works.
        Err(domain::Error::Refused(domain::Refusal::OtpTooSoon { .. }))
            if ctx
                .otp()
                .live_for(&mobile, Purpose::StepUp, &add_binding(&s))
                .await
                .map_err(fail)? => {}
        // Another operation's code (a transfer's) is under a minute old: the page says how
        // long to wait rather than ask for a code that never went out.
        Err(e) => return Err(fail(e)),
    }
    start_flow(&ctx, Flow::PasskeyAdd, &mobile, Some(s.customer_id)).await
}

/// Checks the code; this browser may then add a passkey for five minutes.
#[server(endpoint = "confirm_passkey_code")]
pub async fn confirm_passkey_code(code: String) -> Result<(), AppError> {
    use crate::auth::server::{
        current_session, end_flow, fail, flow_state, parse_code, start_flow,
    };
    use crate::error::respond;
    use domain::identity::{pending::Flow, Purpose};
    let (ctx, s) = current_session().await?;
    let code = parse_code(&code)?;
    let flow = flow_state(&ctx, Flow::PasskeyAdd)
        .await?
        .filter(|f| f.customer_id.as_deref() == Some(s.customer_id.as_str()))
        .ok_or_else(|| respond(AppError::FlowExpired))?;
    let mobile = domain::identity::Mobile::parse(&flow.mobile).map_err(fail)?;
    ctx.otp()
        .verify(&mobile, Purpose::StepUp, &add_binding(&s), &code)
        .await
        .map_err(fail)?;
    end_flow(&ctx, Flow::PasskeyAdd).await?;
    start_flow(&ctx, Flow::PasskeyGranted, &mobile, Some(s.customer_id)).await
}

/// Refuses unless this browser passed the code step for this customer.
#[cfg(feature = "ssr")]
async fn require_grant(
    ctx: &crate::ServerContext,
    s: &domain::identity::session::Session,
) -> Result<(), AppError> {
    use domain::identity::pending::Flow;
    crate::auth::server::flow_state(ctx, Flow::PasskeyGranted)
        .await?
        .filter(|f| f.customer_id.as_deref() == Some(s.customer_id.as_str()))
        .map(|_| ())
        .ok_or_else(|| crate::error::respond(AppError::FlowExpired))
}

/// The options for the device to create a passkey (masked number and name are what it shows).
#[server(endpoint = "passkey_registration_options")]
pub async fn passkey_registration_options(
) -> Result<PasskeyChallenge<CreationChallengeResponse>, AppError> {
    use crate::auth::server::{current_session, fail};
    let (ctx, s) = current_session().await?;
    require_grant(&ctx, &s).await?;
    let profile = ctx.identity().profile(&s.customer_id).await.map_err(fail)?;
    let c = ctx
        .passkeys()
        .start_registration(&s.customer_id, &profile.mobile_masked, &profile.name_masked)
        .await
        .map_err(fail)?;
    Ok(c.into())
}

/// Stores the device's new passkey, named after the browser and system it was made on.
#[server(endpoint = "register_passkey")]
pub async fn register_passkey(challenge: String, answer: String) -> Result<(), AppError> {
    use crate::auth::server::{current_session, end_flow, fail, user_agent};
    use domain::identity::{pending::Flow, session::device_label};
    let (ctx, s) = current_session().await?;
    require_grant(&ctx, &s).await?;
    let answer = super::parse_answer(&answer)?;
    ctx.passkeys()
        .finish_registration(
            &s.customer_id,
            &challenge,
            &answer,
            &device_label(&user_agent()),
        )
        .await
        .map_err(fail)?;
    end_flow(&ctx, Flow::PasskeyGranted).await
}

#[server(endpoint = "remove_passkey")]
pub async fn remove_passkey(id: String) -> Result<(), AppError> {
    use crate::auth::server::{current_session, fail};
    let (ctx, s) = current_session().await?;
    ctx.passkeys()
        .remove(&s.customer_id, &id)
        .await
        .map_err(fail)
}

#[component]
pub fn PasskeysPage() -> impl IntoView {
    let prefs = use_prefs();
    let send = ServerAction::<SendPasskeyCode>::new();
    let confirm = ServerAction::<ConfirmPasskeyCode>::new();
    let remove = ServerAction::<RemovePasskey>::new();
    let added = RwSignal::new(0u32);
    let data = Resource::new(
        move || {
            (
                send.version().get(),
                confirm.version().get(),
                remove.version().get(),
                added.get(),
            )
        },
        |_| load_passkeys(),
    );
    let supported = use_passkeys_supported();
    let create = move || async move {
        let c = passkey_registration_options().await?;
        let answer = browser::create(c.options).await?;
        register_passkey(c.id, answer).await?;
        added.update(|n| *n += 1);
        Ok(())
    };
    view! {
        <section class="page" aria-labelledby="passkeys-title">
            <h1 id="passkeys-title" class="page-title">{move || prefs.t(Msg::PasskeysTitle)}</h1>
            <p class="mb-4">{move || prefs.t(Msg::PasskeysIntro)}</p>
            <Protected data=data next="/account/passkeys" ready=move |v| {
                        let step = v.step.clone();
                        view! {
                            {if v.keys.is_empty() {
                                view! { <p class="card" data-testid="passkeys-none">{prefs.t(Msg::PasskeysNone)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="grid gap-3" role="list" data-testid="passkeys">
                                        {v.keys.into_iter().map(|k| { let id = k.id.clone(); view! {
                                            <li class="card flex flex-wrap items-center gap-3" data-passkey=k.id.clone()>
                                                <span class="min-w-48 flex-1">
                                                    <span class="block font-bold">{k.label}</span>
                                                    <span class="block text-muted">{prefs.t(Msg::PasskeysAdded)} " " {beijing_time(k.created_at)}</span>
                                                    <span class="block text-muted">
                                                        {prefs.t(Msg::PasskeysLastUsed)} " "
                                                        {k.last_used_at.map(beijing_time).unwrap_or_else(|| prefs.t(Msg::PasskeysNeverUsed).to_string())}
                                                    </span>
                                                </span>
                                                <ActionForm action=remove>
                                                    <input type="hidden" name="id" value=id/>
                                                    <button type="submit" class="btn-secondary" data-testid="passkey-remove">{prefs.t(Msg::PasskeysRemove)}</button>
                                                </ActionForm>
                                            </li>
                                        }}).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <h2 class="section-title mt-6">{prefs.t(Msg::PasskeysAddTitle)}</h2>
                            <Show when=move || supported.get() fallback=move || view! {
                                <p class="card" data-testid="passkeys-unsupported">{prefs.t(Msg::PasskeysNeedBrowser)}</p>
                            }>
                                {match step.clone() {
                                    AddStep::Start => view! {
                                        <ActionForm action=send>
                                            <div class="card form-stack">
                                                <p>{prefs.t(Msg::PasskeysAddHint)}</p>
                                                <button type="submit" class="btn-primary w-full" data-testid="passkey-send-code">{prefs.t(Msg::SendCode)}</button>
                                            </div>
                                        </ActionForm>
                                    }.into_any(),
                                    AddStep::CodeSent(to) => view! {
                                        <ActionForm action=confirm>
                                            <div class="card form-stack">
                                                <p>{prefs.t(Msg::VerifySentTo)} " " <strong>{to}</strong></p>
                                                <CodeField/>
                                                <button type="submit" class="btn-primary w-full" data-testid="passkey-confirm-code">{prefs.t(Msg::PasskeysVerifyCode)}</button>
                                            </div>
                                        </ActionForm>
                                        <ActionForm action=send>
                                            <button type="submit" class="btn-secondary mt-3">{prefs.t(Msg::ResendCode)}</button>
                                        </ActionForm>
                                    }.into_any(),
                                    AddStep::Granted => view! {
                                        <div class="card form-stack">
                                            <p>{prefs.t(Msg::PasskeysCreateHint)}</p>
                                            <PasskeyButton label=Msg::PasskeysCreate testid="passkey-create" primary=true ceremony=create/>
                                        </div>
                                    }.into_any(),
                                }}
                            </Show>
                        }.into_any()
                    }/>
            <SaveStatus action=send saved=Msg::CodeSent/>
            <SaveStatus action=confirm saved=Msg::PasskeysCodeOk/>
            <SaveStatus action=remove saved=Msg::PasskeysRemoved/>
            <a class="btn-secondary mt-4" href="/account">{move || prefs.t(Msg::AccountTitle)}</a>
        </section>
    }
}
