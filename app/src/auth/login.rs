//! 登录: mobile number and password; an SMS code as the second factor when a risk signal says
//! so (a new or long-unused browser, recent wrong passwords: `domain::identity::risk`).

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::fields::{CodeField, FlowStep, MobileField};
use crate::error::{AppError, SaveStatus};
use crate::i18n::Msg;
use crate::prefs::use_prefs;

/// Step one. Refuses with tries left or the lock time; with a risk signal sends a code and
/// moves to the code step.
#[server(endpoint = "login")]
pub async fn login(mobile: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use super::server::{
        client_ip, device_id, fail, limit, parse_mobile, start_flow, start_session,
    };
    use domain::identity::{pending::Flow, risk};
    use domain::{Error, Refusal};

    let ctx = crate::server_context()?;
    let mobile = parse_mobile(&mobile)?;
    // Abuse is stopped by limits, not a picture CAPTCHA (WCAG 3.3.8).
    limit(&ctx, &format!("login:ip:{}", client_ip()), 30, 60).await?;
    limit(
        &ctx,
        &format!(
            "login:m:{}",
            ctx.keys
                .blind_index(domain::pii::Field::Mobile, mobile.as_str())
        ),
        10,
        600,
    )
    .await?;
    let customer = ctx
        .identity()
        .check_password(&mobile, &password)
        .await
        .map_err(fail)?;
    let device = device_id(&ctx)?;
    let target = crate::prefs::safe_next(next.as_deref())
        .unwrap_or("/account")
        .to_string();
    let signals = risk::assess(&ctx.db, ctx.clock.as_ref(), &customer, &device)
        .await
        .map_err(fail)?;
    let Some(reason) = signals.first().copied() else {
        start_session(&ctx, &customer, &device).await?;
        // The browser's last use, for the dormant-device signal.
        super::server::remember_this_browser(&ctx, &customer, &device).await?;
        leptos_axum::redirect(&target);
        return Ok(());
    };
    match send_code(&ctx, &mobile, &customer, &device, reason).await {
        Ok(()) => {}
        // A code for this browser went out less than a minute ago (the customer came back to
        // this form): it is still valid, so go on to the code step. One sent for another
        // browser is no use here: the customer waits for a new one.
        Err(Error::Refused(Refusal::OtpTooSoon { .. }))
            if ctx
                .otp()
                .live_for(
                    &mobile,
                    domain::identity::Purpose::Login,
                    &domain::identity::Binding::to_operation(&customer, "login", 0, &device),
                )
                .await
                .map_err(fail)? => {}
        Err(e) => return Err(fail(e)),
    }
    start_flow(&ctx, Flow::Login, &mobile, Some(customer)).await?;
    leptos_axum::redirect(&format!("/login/verify?next={}", urlencode(&target)));
    Ok(())
}

/// The second-factor code for a sign-in with a risk signal, bound to the customer and device;
/// the SMS names the reason.
#[cfg(feature = "ssr")]
pub(crate) async fn send_code(
    ctx: &crate::ServerContext,
    mobile: &domain::identity::Mobile,
    customer: &str,
    device: &str,
    reason: domain::identity::risk::Signal,
) -> domain::Result<()> {
    use domain::identity::{Binding, Purpose};
    let binding = Binding::to_operation(customer, "login", 0, device);
    let why = reason.sms_reason();
    ctx.otp()
        .issue(ctx.sms.as_ref(), mobile, Purpose::Login, &binding, |code| {
            format!("【农商银行】{why}，验证码 {code}，5 分钟内有效。如非本人操作，请立即修改密码，切勿告诉他人。")
        })
        .await
}

/// Step two on a new browser: the SMS code. Remembers the browser and signs in.
#[server(endpoint = "verify_login")]
pub async fn verify_login(code: String, next: Option<String>) -> Result<(), AppError> {
    use super::server::{device_id, end_flow, fail, flow_state, parse_code, start_session};
    use crate::error::respond;
    use domain::identity::{pending::Flow, Binding, Mobile, Purpose};

    let ctx = crate::server_context()?;
    let code = parse_code(&code)?;
    let device = device_id(&ctx)?;
    let flow = flow_state(&ctx, Flow::Login)
        .await?
        .ok_or_else(|| respond(AppError::FlowExpired))?;
    let customer = flow
        .customer_id
        .ok_or_else(|| respond(AppError::FlowExpired))?;
    let mobile = Mobile::parse(&flow.mobile).map_err(fail)?;
    let binding = Binding::to_operation(&customer, "login", 0, &device);
    ctx.otp()
        .verify(&mobile, Purpose::Login, &binding, &code)
        .await
        .map_err(fail)?;
    super::server::remember_this_browser(&ctx, &customer, &device).await?;
    end_flow(&ctx, Flow::Login).await?;
    start_session(&ctx, &customer, &device).await?;
    leptos_axum::redirect(crate::prefs::safe_next(next.as_deref()).unwrap_or("/account"));
    Ok(())
}

/// Where the code step's code went (masked), or `None` when this browser has no sign-in waiting.
#[server(endpoint = "login_pending")]
pub async fn login_pending() -> Result<Option<String>, AppError> {
    let ctx = crate::server_context()?;
    super::server::flow_masked_mobile(&ctx, domain::identity::pending::Flow::Login).await
}

/// Percent-encodes a path for a query parameter.
#[cfg(feature = "ssr")]
fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn next_param() -> Option<String> {
    use_query_map()
        .with_untracked(|q| q.get("next"))
        .filter(|n| crate::prefs::safe_next(Some(n)).is_some())
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let prefs = use_prefs();
    let action = ServerAction::<Login>::new();
    let next = next_param();
    let reset_done = use_query_map().with_untracked(|q| q.get("reset").is_some());
    view! {
        <section class="page" aria-labelledby="login-title">
            <h1 id="login-title" class="page-title">{move || prefs.t(Msg::LoginTitle)}</h1>
            {reset_done.then(|| view! { <p role="status" class="mb-4 font-semibold text-success">{move || prefs.t(Msg::ResetDone)}</p> })}
            <ActionForm action=action>
                {next.map(|n| view! { <input type="hidden" name="next" value=n/> })}
                <div class="card form-stack">
                    <MobileField autocomplete="username webauthn"/>
                    <label class="field-label">
                        {move || prefs.t(Msg::FieldPassword)}
                        <input class="field" type="password" name="password" autocomplete="current-password" required maxlength="64"/>
                    </label>
                    <button type="submit" class="btn-primary w-full">{move || prefs.t(Msg::LoginSubmit)}</button>
                    <SaveStatus action=action saved=Msg::LoginDone/>
                </div>
            </ActionForm>
            <crate::passkey::PasskeySignIn next=next_param()/>
            <p class="mt-4 text-muted">{move || prefs.t(Msg::LoginNoCaptcha)}</p>
            <div class="mt-4 flex flex-wrap gap-3">
                <a class="btn-secondary" href="/register">{move || prefs.t(Msg::RegisterLink)}</a>
                <a class="btn-secondary" href="/login/reset">{move || prefs.t(Msg::ForgotPassword)}</a>
            </div>
        </section>
    }
}

#[component]
pub fn VerifyLoginPage() -> impl IntoView {
    let prefs = use_prefs();
    let action = ServerAction::<VerifyLogin>::new();
    let next = StoredValue::new(next_param());
    let pending = Resource::new(|| (), |_| login_pending());
    view! {
        <section class="page" aria-labelledby="verify-title">
            <h1 id="verify-title" class="page-title">{move || prefs.t(Msg::VerifyTitle)}</h1>
            <FlowStep state=pending flow="login" sent_to=Msg::VerifySentTo restart_href="/login" restart_label=Msg::LoginTitle>
                <ActionForm action=action>
                    {next.get_value().map(|n| view! { <input type="hidden" name="next" value=n/> })}
                    <div class="card form-stack">
                        <CodeField/>
                        <button type="submit" class="btn-primary w-full">{prefs.t(Msg::VerifySubmit)}</button>
                        <SaveStatus action=action saved=Msg::LoginDone/>
                    </div>
                </ActionForm>
            </FlowStep>
        </section>
    }
}
