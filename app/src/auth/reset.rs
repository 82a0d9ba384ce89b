//! 忘记密码 / 解锁: an SMS code to the registered number sets a new password and lifts a lock
//! at once (the way out the lockout message names).

use leptos::prelude::*;

use crate::error::{AppError, SaveStatus};
use crate::i18n::Msg;
use crate::prefs::use_prefs;

/// Step one: send a reset code when the number is registered. The answer is the same either
/// way, so nobody learns here whether a number is a customer's.
#[server(endpoint = "start_reset")]
pub async fn start_reset(mobile: String) -> Result<(), AppError> {
    use super::server::{client_ip, device_id, fail, limit};
    use crate::error::{respond, Field};
    use domain::identity::{pending, Binding, Mobile, Purpose};

    let ctx = crate::server_context()?;
    let mobile = Mobile::parse(&mobile).map_err(|_| respond(AppError::Invalid(Field::Mobile)))?;
    limit(&ctx, &format!("otp:ip:{}", client_ip()), 20, 3600).await?;
    let device = device_id(&ctx)?;
    if let Some(customer) = ctx.identity().find_by_mobile(&mobile).await.map_err(fail)? {
        ctx.otp()
            .issue(ctx.sms.as_ref(), &mobile, Purpose::ResetPassword, &Binding::none(), |code| {
                format!("【农商银行】您正在重置手机银行登录密码，验证码 {code}，5 分钟内有效。如非本人操作，请勿理会，切勿告诉他人。")
            })
            .await
            .map_err(fail)?;
        let flow = pending::Pending {
            mobile: mobile.as_str().to_string(),
            customer_id: Some(customer),
        };
        pending::put(
            &ctx.db,
            ctx.clock.as_ref(),
            &ctx.keys,
            &device,
            pending::Flow::ResetPassword,
            &flow,
        )
        .await
        .map_err(fail)?;
    } else {
        let flow = pending::Pending {
            mobile: mobile.as_str().to_string(),
            customer_id: None,
        };
        pending::put(
            &ctx.db,
            ctx.clock.as_ref(),
            &ctx.keys,
            &device,
            pending::Flow::ResetPassword,
            &flow,
        )
        .await
        .map_err(fail)?;
    }
    leptos_axum::redirect("/login/reset/code");
    Ok(())
}

/// Step two: the code and the new password. Unlocks and returns to sign-in.
#[server(endpoint = "complete_reset")]
pub async fn complete_reset(
    code: String,
    password: String,
    password_confirm: String,
) -> Result<(), AppError> {
    use super::server::{device_id, fail};
    use crate::error::{respond, Field};
    use domain::identity::{pending, Mobile};

    let ctx = crate::server_context()?;
    let device = device_id(&ctx)?;
    let flow = pending::get(
        &ctx.db,
        ctx.clock.as_ref(),
        &ctx.keys,
        &device,
        pending::Flow::ResetPassword,
    )
    .await
    .map_err(fail)?
    .ok_or_else(|| respond(AppError::FlowExpired))?;
    if password != password_confirm {
        return Err(respond(AppError::Invalid(Field::PasswordConfirm)));
    }
    let mobile = Mobile::parse(&flow.mobile).map_err(fail)?;
    ctx.identity()
        .reset_password(&mobile, code.trim(), &password)
        .await
        .map_err(fail)?;
    pending::clear(&ctx.db, &device, pending::Flow::ResetPassword)
        .await
        .map_err(fail)?;
    leptos_axum::redirect("/login?reset=1");
    Ok(())
}

/// Where the reset code went (masked), or `None` when no reset is waiting in this browser.
#[server(endpoint = "reset_pending")]
pub async fn reset_pending() -> Result<Option<String>, AppError> {
    use super::server::{device_id, fail};
    use domain::identity::{pending, Mobile};
    let ctx = crate::server_context()?;
    let device = device_id(&ctx)?;
    let flow = pending::get(
        &ctx.db,
        ctx.clock.as_ref(),
        &ctx.keys,
        &device,
        pending::Flow::ResetPassword,
    )
    .await
    .map_err(fail)?;
    Ok(flow
        .and_then(|f| Mobile::parse(&f.mobile).ok())
        .map(|m| m.masked()))
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
                    <label class="field-label">
                        {move || prefs.t(Msg::FieldMobile)}
                        <input class="field" type="tel" name="mobile" inputmode="numeric" autocomplete="username" required maxlength="20"/>
                    </label>
                    <button type="submit" class="btn-primary w-full">{move || prefs.t(Msg::RegisterSendCode)}</button>
                    <SaveStatus
                        pending=action.pending()
                        outcome=Signal::derive(move || action.value().get().map(|r| r.map(|_| ())))
                        saved=Msg::CodeSent
                    />
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
            <Suspense fallback=move || view! { <p class="card" aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {move || pending.get().map(|p| match p {
                    Ok(Some(masked)) => view! {
                        <p class="mb-4" data-testid="code-sent-to">{prefs.t(Msg::ResetSentIfRegistered)} " " <strong>{masked}</strong></p>
                        <ActionForm action=action>
                            <div class="card form-stack">
                                <label class="field-label">
                                    {prefs.t(Msg::FieldCode)}
                                    <input class="field tracking-widest" type="text" name="code" inputmode="numeric" pattern="[0-9]{6}"
                                        autocomplete="one-time-code" required maxlength="6"/>
                                </label>
                                <label class="field-label">
                                    {prefs.t(Msg::FieldNewPassword)}
                                    <input class="field" type="password" name="password" autocomplete="new-password" required
                                        minlength="8" maxlength="20" aria-describedby="reset-password-rules"/>
                                </label>
                                <p id="reset-password-rules" class="text-muted">{prefs.t(Msg::PasswordRules)}</p>
                                <label class="field-label">
                                    {prefs.t(Msg::FieldPasswordConfirm)}
                                    <input class="field" type="password" name="password_confirm" autocomplete="new-password" required maxlength="20"/>
                                </label>
                                <button type="submit" class="btn-primary w-full">{prefs.t(Msg::ResetSubmit)}</button>
                                <SaveStatus
                                    pending=action.pending()
                                    outcome=Signal::derive(move || action.value().get().map(|r| r.map(|_| ())))
                                    saved=Msg::ResetDone
                                />
                            </div>
                        </ActionForm>
                    }.into_any(),
                    Ok(None) => view! {
                        <p class="card">{prefs.t(Msg::ErrorFlowExpired)}</p>
                        <a class="btn-primary mt-4" href="/login/reset">{prefs.t(Msg::ResetTitle)}</a>
                    }.into_any(),
                    Err(e) => view! { <crate::error::ErrorMessage error=e/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
