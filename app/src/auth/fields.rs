//! Form pieces the sign-in, registration and reset pages share, so each field has one set of
//! attributes (autocomplete, input mode, limits) everywhere.

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::Msg;
use crate::prefs::use_prefs;

/// The mobile number field.
#[component]
pub fn MobileField(autocomplete: &'static str) -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <label class="field-label">
            {move || prefs.t(Msg::FieldMobile)}
            <input class="field" type="tel" name="mobile" inputmode="numeric" autocomplete=autocomplete required maxlength="20"/>
        </label>
    }
}

/// The six-digit SMS code field (`one-time-code`: phones offer the code from the SMS).
#[component]
pub fn CodeField() -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <label class="field-label">
            {move || prefs.t(Msg::FieldCode)}
            <input class="field tracking-widest" type="text" name="code" inputmode="numeric" pattern="[0-9]{6}"
                autocomplete="one-time-code" required maxlength="6"/>
        </label>
    }
}

/// A new password twice, with the rules stated beside it.
#[component]
pub fn NewPasswordFields() -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <label class="field-label">
            {move || prefs.t(Msg::FieldNewPassword)}
            <input class="field" type="password" name="password" autocomplete="new-password" required
                minlength="8" maxlength="20" aria-describedby="password-rules"/>
        </label>
        <p id="password-rules" class="text-muted">{move || prefs.t(Msg::PasswordRules)}</p>
        <label class="field-label">
            {move || prefs.t(Msg::FieldPasswordConfirm)}
            <input class="field" type="password" name="password_confirm" autocomplete="new-password" required maxlength="20"/>
        </label>
    }
}

/// The second step of a flow: "code sent to 138****1234" and the step's form, or — when this
/// browser is not in the flow (expired, or opened directly) — a way back to its first step.
#[component]
pub fn FlowStep(
    /// Where the code went (masked), as loaded by the page's resource.
    state: Resource<Result<Option<String>, AppError>>,
    /// The flow's name for "send the code again" (see [`super::resend`]).
    flow: &'static str,
    /// Shown before the masked number.
    sent_to: Msg,
    restart_href: &'static str,
    restart_label: Msg,
    children: ChildrenFn,
) -> impl IntoView {
    let prefs = use_prefs();
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=move || view! { <p class="card" aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
            {move || state.get().map(|r| match r {
                Ok(Some(masked)) => view! {
                    <p class="mb-4" data-testid="code-sent-to">{prefs.t(sent_to)} " " <strong>{masked}</strong></p>
                    {children.with_value(|c| c())}
                    <super::resend::ResendCodeForm flow=flow/>
                }.into_any(),
                Ok(None) => view! {
                    <p class="card">{prefs.t(Msg::ErrorFlowExpired)}</p>
                    <a class="btn-primary mt-4" href=restart_href>{prefs.t(restart_label)}</a>
                }.into_any(),
                Err(e) => view! { <crate::error::ErrorMessage error=e/> }.into_any(),
            })}
        </Suspense>
    }
}
