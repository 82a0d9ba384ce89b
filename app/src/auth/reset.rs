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
    use super::server::{fail, limit_codes_from_address, limit_mobile, parse_mobile, start_flow};
    use domain::identity::pending::Flow;

    let ctx = crate::server_context()?;
    let mobile = parse_mobile(&mobile)?;
    limit_codes_from_address(&ctx).await?;
    limit_mobile(&ctx, "reset", &mobile, 5, 3600).await?;
    let customer = ctx.identity().find_by_mobile(&mobile).await.map_err(fail)?;
    send_code(&ctx, &mobile, customer.as_deref()).await?;
    start_flow(&ctx, Flow::ResetPassword, &mobile, customer).await?;
    leptos_axum::redirect("/login/reset/code");
    Ok(())
}

/// The password-reset code, sent only to a registered number. Asked from a browser the
/// customer never proved (or for a number that is no customer's), it is a stranger's request:
/// three a day per number, counted the same whether the number is registered or not, and
/// answered the same either way (a refusal of the SMS limits is only logged), so neither the
/// limit nor the answer tells anyone whether a number banks here. The owner's own browser is
/// told the real reason.
#[cfg(feature = "ssr")]
pub(crate) async fn send_code(
    ctx: &crate::ServerContext,
    mobile: &domain::identity::Mobile,
    customer_id: Option<&str>,
) -> Result<(), AppError> {
    use super::server::{device_id, fail, limit_mobile};
    use domain::identity::otp::{Requester, STRANGER_DAILY_MAX};
    use domain::identity::{session, Binding, Purpose};
    let device = device_id(ctx)?;
    let requester = match customer_id {
        Some(id)
            if session::is_known_device(&ctx.db, id, &device)
                .await
                .map_err(fail)? =>
        {
            Requester::Owner
        }
        _ => Requester::Stranger,
    };
    if requester == Requester::Stranger {
        limit_mobile(ctx, "reset-stranger", mobile, STRANGER_DAILY_MAX, 24 * 3600).await?;
    }
    let Some(_) = customer_id else {
        return Ok(());
    };
    let sent = ctx
        .otp()
        .issue_for(ctx.sms.as_ref(), mobile, Purpose::ResetPassword, &Binding::none(), requester, |code| {
            format!("【农商银行】您正在重置手机银行登录密码，验证码 {code}，5 分钟内有效。如非本人操作，请勿理会，切勿告诉他人。")
        })
        .await;
    match sent {
        Err(domain::Error::Refused(refusal)) if requester == Requester::Stranger => {
            tracing::info!(?refusal, "reset code not sent");
            Ok(())
        }
        other => other.map_err(fail),
    }
}

/// Step two: the code and the new password. Unlocks and returns to sign-in.
#[server(endpoint = "complete_reset")]
pub async fn complete_reset(
    code: String,
    proof: String,
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
        .reset_password(&mobile, &code, &proof, &password)
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
                        <label class="field-label">
                            {prefs.t(Msg::ResetProofLabel)}
                            <input class="field" name="proof" required autocomplete="off" spellcheck="false" aria-describedby="reset-proof-hint"/>
                        </label>
                        <p id="reset-proof-hint" class="text-muted">{prefs.t(Msg::ResetProofHint)}</p>
                        <NewPasswordFields/>
                        <button type="submit" class="btn-primary w-full">{prefs.t(Msg::ResetSubmit)}</button>
                        <SaveStatus action=action saved=Msg::ResetDone/>
                    </div>
                </ActionForm>
            </FlowStep>
        </section>
    }
}
