//! 查看完整信息: the full name, mobile number and resident ID, shown only after a step-up SMS
//! code bound to this operation and session, for five minutes on this browser; every showing
//! is written to the audit log.

use leptos::prelude::*;

use crate::auth::fields::{CodeField, FlowStep};
use crate::error::{AppError, SaveStatus};
use crate::i18n::Msg;
use crate::prefs::use_prefs;

/// Sends the step-up code to the customer's own number.
#[server(endpoint = "start_reveal")]
pub async fn start_reveal() -> Result<(), AppError> {
    use crate::auth::server::{current_session, fail, start_flow};
    use domain::identity::pending::Flow;
    let (ctx, s) = current_session().await?;
    let mobile = ctx
        .identity()
        .mobile_of(&s.customer_id)
        .await
        .map_err(fail)?;
    match send_code(&ctx, &mobile, &s).await {
        Ok(()) => {}
        // Back on this page within a minute: the code already sent for this still works.
        // Another operation's code in the way (a transfer's) means waiting for a new one.
        Err(domain::Error::Refused(domain::Refusal::OtpTooSoon { .. }))
            if ctx
                .otp()
                .live_for(&mobile, domain::identity::Purpose::StepUp, &binding(&s))
                .await
                .map_err(fail)? => {}
        Err(e) => return Err(fail(e)),
    }
    start_flow(&ctx, Flow::Reveal, &mobile, Some(s.customer_id)).await?;
    Ok(())
}

/// What the reveal code is bound to: this customer, this session.
#[cfg(feature = "ssr")]
fn binding(s: &domain::identity::session::Session) -> domain::identity::Binding {
    domain::identity::Binding::to_operation(&s.customer_id, "reveal", 0, &s.id)
}

/// The step-up code for showing full personal data, bound to this session.
#[cfg(feature = "ssr")]
pub(crate) async fn send_code(
    ctx: &crate::ServerContext,
    mobile: &domain::identity::Mobile,
    s: &domain::identity::session::Session,
) -> domain::Result<()> {
    use domain::identity::Purpose;
    ctx.otp()
        .issue(ctx.sms.as_ref(), mobile, Purpose::StepUp, &binding(s), |code| {
            format!("【农商银行】您正在查看手机银行里的完整个人信息，验证码 {code}，5 分钟内有效。如非本人操作，请立即修改密码。")
        })
        .await
}

/// Checks the step-up code; on success full values may be shown on this browser for 5 minutes.
#[server(endpoint = "confirm_reveal")]
pub async fn confirm_reveal(code: String) -> Result<(), AppError> {
    use crate::auth::server::{
        current_session, end_flow, fail, flow_state, parse_code, start_flow,
    };
    use crate::error::respond;
    use domain::identity::{pending::Flow, Purpose};
    let (ctx, s) = current_session().await?;
    let code = parse_code(&code)?;
    let flow = flow_state(&ctx, Flow::Reveal)
        .await?
        .ok_or_else(|| respond(AppError::FlowExpired))?;
    if flow.customer_id.as_deref() != Some(s.customer_id.as_str()) {
        return Err(respond(AppError::FlowExpired));
    }
    let mobile = ctx
        .identity()
        .mobile_of(&s.customer_id)
        .await
        .map_err(fail)?;
    ctx.otp()
        .verify(&mobile, Purpose::StepUp, &binding(&s), &code)
        .await
        .map_err(fail)?;
    end_flow(&ctx, Flow::Reveal).await?;
    start_flow(&ctx, Flow::RevealGranted, &mobile, Some(s.customer_id)).await?;
    Ok(())
}

/// What the reveal page shows: where the code went while waiting, or the full values once
/// granted (each showing audited).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RevealState {
    Waiting {
        mobile_masked: String,
    },
    Granted {
        name: String,
        mobile: String,
        resident_id: String,
    },
    NotStarted,
}

#[server(endpoint = "load_reveal_state")]
pub async fn load_reveal_state() -> Result<RevealState, AppError> {
    use crate::auth::server::{current_session, fail, flow_state};
    use domain::identity::{pending::Flow, Mobile};
    use domain::pii::Field;
    let (ctx, s) = current_session().await?;
    let mine = |f: &domain::identity::pending::Pending| {
        f.customer_id.as_deref() == Some(s.customer_id.as_str())
    };
    if flow_state(&ctx, Flow::RevealGranted)
        .await?
        .is_some_and(|f| mine(&f))
    {
        let identity = ctx.identity();
        return Ok(RevealState::Granted {
            name: identity
                .reveal(&s.customer_id, Field::Name)
                .await
                .map_err(fail)?,
            mobile: identity
                .reveal(&s.customer_id, Field::Mobile)
                .await
                .map_err(fail)?,
            resident_id: identity
                .reveal(&s.customer_id, Field::ResidentId)
                .await
                .map_err(fail)?,
        });
    }
    Ok(match flow_state(&ctx, Flow::Reveal).await? {
        Some(f) if mine(&f) => RevealState::Waiting {
            mobile_masked: Mobile::parse(&f.mobile).map(|m| m.masked()).map_err(fail)?,
        },
        _ => RevealState::NotStarted,
    })
}

#[component]
pub fn RevealPage() -> impl IntoView {
    let prefs = use_prefs();
    let start = ServerAction::<StartReveal>::new();
    let confirm = ServerAction::<ConfirmReveal>::new();
    // Both steps stay on this page (a plain form post returns to it); each answer reloads it.
    let state = Resource::new(
        move || (start.version().get(), confirm.version().get()),
        |_| load_reveal_state(),
    );
    // FlowStep wants the masked number while waiting; the granted view is handled here. Its own
    // fetch, not one derived from `state`: a resource derived from another resolves too early
    // when rendered on the server, and the page said "expired" without WASM.
    let waiting = Resource::new(
        move || (start.version().get(), confirm.version().get()),
        |_| async move {
            load_reveal_state().await.map(|s| match s {
                RevealState::Waiting { mobile_masked } => Some(mobile_masked),
                _ => None,
            })
        },
    );
    view! {
        <section class="page" aria-labelledby="reveal-title">
            <h1 id="reveal-title" class="page-title">{move || prefs.t(Msg::RevealTitle)}</h1>
            <Suspense fallback=move || view! { <p class="card" aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {move || state.get().map(|r| match r {
                    Ok(RevealState::Granted { name, mobile, resident_id }) => view! {
                        <dl class="card profile" data-testid="revealed">
                            <div><dt>{prefs.t(Msg::ProfileName)}</dt><dd>{name}</dd></div>
                            <div><dt>{prefs.t(Msg::FieldMobile)}</dt><dd>{mobile}</dd></div>
                            <div><dt>{prefs.t(Msg::ProfileResidentId)}</dt><dd>{resident_id}</dd></div>
                        </dl>
                        <p class="mt-2 text-muted">{prefs.t(Msg::RevealAudited)}</p>
                        <a class="btn-secondary mt-4" href="/account">{prefs.t(Msg::AccountTitle)}</a>
                    }.into_any(),
                    Ok(RevealState::Waiting { .. }) => view! {
                        <FlowStep state=waiting flow="reveal" sent_to=Msg::VerifySentTo restart_href="/account" restart_label=Msg::AccountTitle>
                            <ActionForm action=confirm>
                                <div class="card form-stack">
                                    <CodeField/>
                                    <button type="submit" class="btn-primary w-full">{prefs.t(Msg::RevealConfirm)}</button>
                                    <SaveStatus action=confirm saved=Msg::RevealTitle/>
                                </div>
                            </ActionForm>
                        </FlowStep>
                    }.into_any(),
                    Ok(RevealState::NotStarted) => view! {
                        <p class="mb-4">{prefs.t(Msg::RevealIntro)}</p>
                        <ActionForm action=start>
                            <button type="submit" class="btn-primary w-full">{prefs.t(Msg::RevealStart)}</button>
                            <SaveStatus action=start saved=Msg::CodeSent/>
                        </ActionForm>
                    }.into_any(),
                    Err(e) => view! { <crate::error::ErrorMessage error=e/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
