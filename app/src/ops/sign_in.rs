//! 运营管理平台登录: login (工号), password and the six-digit code of the staff member's
//! authenticator app, in one form. One answer for any wrong part.

use leptos::prelude::*;

use crate::error::{AppError, SaveStatus};
use crate::i18n::Msg;
use crate::prefs::use_prefs;

#[server(prefix = "/ops/api", endpoint = "ops_sign_in")]
pub async fn ops_sign_in(login: String, password: String, code: String) -> Result<(), AppError> {
    use crate::auth::server::{client_ip, fail, limit, request_cookie, user_agent};

    let ctx = crate::server_context()?;
    limit(&ctx, &format!("ops-login:ip:{}", client_ip()), 30, 60).await?;
    // A session this browser still holds ends here: no two at once, no fixation.
    if let Some(old) = request_cookie(super::server::OPS_COOKIE) {
        ctx.ops().sign_out(&old).await.map_err(fail)?;
    }
    let (token, member) = ctx
        .ops()
        .sign_in(&login, &password, &code, &user_agent(), ctx.staff_sessions)
        .await
        .map_err(fail)?;
    super::server::set_ops_cookie(&ctx, Some(&token));
    leptos_axum::redirect(if member.must_change_password {
        "/ops/password"
    } else {
        "/ops"
    });
    Ok(())
}

#[component]
pub fn ConsoleSignInPage() -> impl IntoView {
    let prefs = use_prefs();
    let action = ServerAction::<OpsSignIn>::new();
    view! {
        <section class="console-narrow" aria-labelledby="ops-login-title">
            <h1 id="ops-login-title" class="page-title">{move || prefs.t(Msg::OpsSignInTitle)}</h1>
            <p class="mb-4 text-muted">{move || prefs.t(Msg::OpsSignInIntro)}</p>
            <ActionForm action=action>
                <div class="card form-stack">
                    <label class="field-label">{move || prefs.t(Msg::OpsLogin)}
                        <input class="field" type="text" name="login" autocomplete="username" required maxlength="32"
                            autocapitalize="none" spellcheck="false"/>
                    </label>
                    <label class="field-label">{move || prefs.t(Msg::FieldPassword)}
                        <input class="field" type="password" name="password" autocomplete="current-password" required maxlength="64"/>
                    </label>
                    <label class="field-label">{move || prefs.t(Msg::OpsCode)}
                        <input class="field font-mono" type="text" name="code" inputmode="numeric" autocomplete="one-time-code"
                            pattern="[0-9]{6}" required maxlength="6"/>
                    </label>
                    <button type="submit" class="btn-primary w-full">{move || prefs.t(Msg::LoginSubmit)}</button>
                    <SaveStatus action=action saved=Msg::LoginDone/>
                </div>
            </ActionForm>
            <p class="mt-4 text-muted">{move || prefs.t(Msg::OpsSignInHelp)}</p>
        </section>
    }
}
