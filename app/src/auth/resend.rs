//! "No code? Send it again" on every code step (sign-in on a new browser, registration,
//! password reset, showing full personal data, signing up for an e-card). The code goes to the number the flow started
//! with, bound to the same operation; the SMS limits still apply (a new code a minute after the
//! last, ten a day per number), and the refusal says how long to wait.

use leptos::prelude::*;

use crate::error::{AppError, SaveStatus};
use crate::i18n::Msg;
use crate::prefs::use_prefs;

#[server(endpoint = "resend_code")]
pub async fn resend_code(flow: String) -> Result<(), AppError> {
    use super::server::{current_session, device_id, fail, flow_state, limit_codes_from_address};
    use crate::error::respond;
    use domain::identity::{pending::Flow, Mobile};

    let ctx = crate::server_context()?;
    limit_codes_from_address(&ctx).await?;
    let which = match flow.as_str() {
        "login" => Flow::Login,
        "register" => Flow::Register,
        "reset" => Flow::ResetPassword,
        "reveal" => Flow::Reveal,
        "ecard" => Flow::ECardSignUp,
        _ => return Err(respond(AppError::FlowExpired)),
    };
    // Only the browser that started the flow is in it; the number comes from the flow, never
    // from the request.
    let state = flow_state(&ctx, which)
        .await?
        .ok_or_else(|| respond(AppError::FlowExpired))?;
    let mobile = Mobile::parse(&state.mobile).map_err(fail)?;
    let sent = match which {
        Flow::Login => {
            let customer = state
                .customer_id
                .ok_or_else(|| respond(AppError::FlowExpired))?;
            let device = device_id(&ctx)?;
            // The first code named the reason; the signals still hold (nothing was signed in).
            let reason =
                domain::identity::risk::assess(&ctx.db, ctx.clock.as_ref(), &customer, &device)
                    .await
                    .map_err(fail)?
                    .first()
                    .copied()
                    .unwrap_or(domain::identity::risk::Signal::NewDevice);
            super::login::send_code(&ctx, &mobile, &customer, &device, reason).await
        }
        Flow::Register => super::register::send_code(&ctx, &mobile).await,
        // As in the first step: an unregistered number gets nothing, and the answer is the same.
        // As in the first step: the same answer whether the number is registered or not.
        Flow::ResetPassword => {
            return super::reset::send_code(&ctx, &mobile, state.customer_id.as_deref()).await
        }
        _ => {
            let (ctx, s) = current_session().await?;
            if state.customer_id.as_deref() != Some(s.customer_id.as_str()) {
                return Err(respond(AppError::FlowExpired));
            }
            if which == Flow::ECardSignUp {
                let kind = domain::livelihood::CardKind::from_slug(&state.data)
                    .ok_or_else(|| respond(AppError::FlowExpired))?;
                ctx.ecards()
                    .send_sign_up_code(ctx.sms.as_ref(), &s.customer_id, kind, &s.id)
                    .await
            } else {
                crate::account::reveal::send_code(&ctx, &mobile, &s).await
            }
        }
    };
    sent.map_err(fail)
}

#[component]
pub fn ResendCodeForm(flow: &'static str) -> impl IntoView {
    let prefs = use_prefs();
    let action = ServerAction::<ResendCode>::new();
    view! {
        <div class="mt-4">
            <ActionForm action=action>
                <input type="hidden" name="flow" value=flow/>
                <button type="submit" class="btn-secondary w-full" data-testid="resend-code">{move || prefs.t(Msg::ResendCode)}</button>
                <SaveStatus action=action saved=Msg::CodeResent/>
            </ActionForm>
        </div>
    }
}
