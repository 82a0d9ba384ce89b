//! 忘记密码 / 解锁: an SMS code to the registered number sets a new password and lifts a lock
//! at once (the way out the lockout message names).

use leptos::prelude::*;

use super::fields::{CodeField, FlowStep, MobileField, NewPasswordFields};
use crate::error::{AppError, SaveStatus};
use crate::i18n::Msg;
use crate::prefs::use_prefs;

/// Step one: send a reset code when the number is registered. The answer is the same either
/// way, so nobody learns here whether a number is a customer's.
#[server(endpoint = "start_reset")]
pub async fn start_reset(mobile: String) -> Result<(), AppError> {
    use super::server::{client_ip, fail, limit, limit_mobile, parse_mobile, start_flow};
    use domain::identity::pending::Flow;

    let ctx = crate::server_context()?;
    let mobile = parse_mobile(&mobile)?;
    limit(&ctx, &format!("otp:ip:{}", client_ip()), 20, 3600).await?;
    limit_mobile(&ctx, "reset", &mobile, 5, 3600).await?;
    let customer = ctx.identity().find_by_mobile(&mobile).await.map_err(fail)?;
    if customer.is_some() {
        send_code(&ctx, &mobile).await.map_err(fail)?;
    }
    start_flow(&ctx, Flow::ResetPassword, &mobile, customer).await?;
    leptos_axum::redirect("/login/reset/code");
    Ok(())
}

/// The password-reset code; sent only to a registered number.
#[cfg(feature = "ssr")]
pub(crate) async fn send_code(
    ctx: &crate::ServerContext,
    mobile: &domain::identity::Mobile,
) -> domain::Result<()> {
    use domain::identity::{Binding, Purpose};
    ctx.otp()
        .issue(ctx.sms.as_ref(), mobile, Purpose::ResetPassword, &Binding::none(), |code| {
            format!("【农商银行】您正在重置手机银行登录密码，验证码 {code}，5 分钟内有效。如非本人操作，请勿理会，切勿告诉他人。")
        })
        .await
}

/// Step two: the code and the new password. Unlocks and returns to sign-in.
#[server(endpoint = "complete_reset")]
pub async fn complete_reset(
    code: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    use super::server::{client_ip, end_flow, fail, flow_state, limit, limit_mobile, parse_code};
    use crate::error::{respond, Field};
    use domain::identity::{pending::Flow, Mobile};

    let ctx = crate::server_context()?;
    // Each code allows a few wrong tries; these bound the tries across codes and browsers.
    limit(
        &ctx,
        &format!("reset-complete:ip:{}", client_ip()),
        20,
        3600,
    )
    .await?;
    let flow = flow_state(&ctx, Flow::ResetPassword)
        .await?
        .ok_or_else(|| respond(AppError::FlowExpired))?;
    limit_mobile(
        &ctx,
        "reset-complete",
        &Mobile::parse(&flow.mobile).map_err(fail)?,
        10,
        3600,
    )
    .await?;
    if password != password_confirm {
        return Err(respond(AppError::Invalid(Field::PasswordConfirm)));
    }
    let code = parse_code(&code)?;
    let mobile = Mobile::parse(&flow.mobile).map_err(fail)?;
    ctx.identity()
        .reset_password(&mobile, &code, &password)
        .await
        .map_err(fail)?;
    end_flow(&ctx, Flow::ResetPassword).await?;
    leptos_axum::redirect("/login?reset=1");
    Ok(())
}

/// Where the reset code went (masked), or `None` when no reset is waiting in this browser.
#[server(endpoint = "reset_pending")]
pub async fn reset_pending() -> Result<Option<String>, AppError> {
    let ctx = crate::server_context()?;
    super::server::flow_masked_mobile(&ctx, domain::identity::pending::Flow::ResetPassword).await
}

#[component]
pub fn ResetPage() -> impl IntoView {
    let prefs = use_prefs();
    let action = ServerAction::<StartReset>::new();
    view! {
        <section class="page" aria-labelledby="reset-title">
            <h1 id="reset-title" class="page-title">{move || prefs.t(Msg::ResetTitle)}</h1>
            <p class="mb-4 text-muted">{move || prefs.t(Msg::ResetIntro)}</p>
            <ActionForm action=action>
                <div class="card form-stack">
                    <MobileField autocomplete="username"/>
                    <button type="submit" class="btn-primary w-full">{move || prefs.t(Msg::RegisterSendCode)}</button>
                    <SaveStatus action=action saved=Msg::CodeSent/>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn ResetCodePage() -> impl IntoView {
    let prefs = use_prefs();
    let action = ServerAction::<CompleteReset>::new();
    let pending = Resource::new(|| (), |_| reset_pending());
    view! {
        <section class="page" aria-labelledby="reset-code-title">
            <h1 id="reset-code-title" class="page-title">{move || prefs.t(Msg::ResetTitle)}</h1>
            <FlowStep state=pending flow="reset" sent_to=Msg::ResetSentIfRegistered restart_href="/login/reset" restart_label=Msg::ResetTitle>
                <ActionForm action=action>
                    <div class="card form-stack">
                        <CodeField/>
                        <NewPasswordFields/>
                        <button type="submit" class="btn-primary w-full">{prefs.t(Msg::ResetSubmit)}</button>
                        <SaveStatus action=action saved=Msg::ResetDone/>
                    </div>
                </ActionForm>
            </FlowStep>
        </section>
    }
}
