//! 注册: step one proves the mobile number with an SMS code; step two takes the real name,
//! resident ID, home bank and login password, records consent to the terms, and signs in.

use leptos::prelude::*;

use crate::error::{AppError, SaveStatus};
use crate::i18n::Msg;
use crate::prefs::use_prefs;

/// Step one: send a registration code to the number and remember it for step two.
#[server(endpoint = "start_registration")]
pub async fn start_registration(mobile: String) -> Result<(), AppError> {
    use super::server::{client_ip, device_id, fail, limit};
    use crate::error::{respond, Field};
    use domain::identity::{pending, Binding, Mobile, Purpose};

    let ctx = crate::server_context()?;
    let mobile = Mobile::parse(&mobile).map_err(|_| respond(AppError::Invalid(Field::Mobile)))?;
    limit(&ctx, &format!("otp:ip:{}", client_ip()), 20, 3600).await?;
    if ctx
        .identity()
        .find_by_mobile(&mobile)
        .await
        .map_err(fail)?
        .is_some()
    {
        return Err(respond(AppError::AlreadyRegistered));
    }
    ctx.otp()
        .issue(
            ctx.sms.as_ref(),
            &mobile,
            Purpose::Register,
            &Binding::none(),
            |code| {
                format!(
                    "【农商银行】您正在注册手机银行，验证码 {code}，5 分钟内有效，切勿告诉他人。"
                )
            },
        )
        .await
        .map_err(fail)?;
    let device = device_id(&ctx)?;
    let flow = pending::Pending {
        mobile: mobile.as_str().to_string(),
        customer_id: None,
    };
    pending::put(
        &ctx.db,
        ctx.clock.as_ref(),
        &ctx.keys,
        &device,
        pending::Flow::Register,
        &flow,
    )
    .await
    .map_err(fail)?;
    leptos_axum::redirect("/register/details");
    Ok(())
}

/// Step two: create the customer, sign in on this browser, and offer the large-type edition to
/// customers aged 60 and over (it is pre-selected; Settings changes it back).
#[allow(clippy::too_many_arguments)]
#[server(endpoint = "complete_registration")]
pub async fn complete_registration(
    code: String,
    name: String,
    resident_id: String,
    bank_code: String,
    password: String,
    password_confirm: String,
    accept_terms: Option<String>,
) -> Result<(), AppError> {
    use super::server::{device_id, fail, start_session, user_agent};
    use crate::edition::{Edition, EDITION_COOKIE};
    use crate::error::{respond, Field};
    use crate::prefs::{set_pref_cookie, InitialPrefs};
    use domain::identity::{
        pending, session, Date, Mobile, RealName, Registration, ResidentId, ELDER_AGE,
    };

    let ctx = crate::server_context()?;
    let device = device_id(&ctx)?;
    let flow = pending::get(
        &ctx.db,
        ctx.clock.as_ref(),
        &ctx.keys,
        &device,
        pending::Flow::Register,
    )
    .await
    .map_err(fail)?
    .ok_or_else(|| respond(AppError::FlowExpired))?;
    let today = Date::from_days(ctx.clock.china_day());
    let name = RealName::parse(&name).map_err(|_| respond(AppError::Invalid(Field::Name)))?;
    let resident_id = ResidentId::parse(&resident_id, today)
        .map_err(|_| respond(AppError::Invalid(Field::ResidentId)))?;
    if bank_code.trim().is_empty() {
        return Err(respond(AppError::Invalid(Field::Bank)));
    }
    if password != password_confirm {
        return Err(respond(AppError::Invalid(Field::PasswordConfirm)));
    }
    let code = code.trim().to_string();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(respond(AppError::Invalid(Field::Code)));
    }
    let age = resident_id.birth_date().age_on(today);
    let customer = ctx
        .identity()
        .register(Registration {
            mobile: Mobile::parse(&flow.mobile).map_err(fail)?,
            name,
            resident_id,
            bank_code: bank_code.trim().to_string(),
            password,
            accepted_terms: accept_terms.is_some(),
            otp_code: code,
        })
        .await
        .map_err(fail)?;
    // The code just proved this browser belongs to the customer.
    session::remember_device(
        &ctx.db,
        ctx.clock.as_ref(),
        &customer,
        &device,
        &user_agent(),
    )
    .await
    .map_err(fail)?;
    pending::clear(&ctx.db, &device, pending::Flow::Register)
        .await
        .map_err(fail)?;
    start_session(&ctx, &customer, &device).await?;
    if age >= ELDER_AGE {
        let simple = if InitialPrefs::from_request().edition.is_rural() {
            Edition::RuralSimple
        } else {
            Edition::CitySimple
        };
        set_pref_cookie(EDITION_COOKIE, simple.slug());
    }
    leptos_axum::redirect("/account");
    Ok(())
}

/// What step two shows: where the code went, and the banks to choose from (grouped by city).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RegistrationForm {
    pub mobile_masked: String,
    pub banks: Vec<(String, Vec<(String, String)>)>,
}

#[server(endpoint = "load_registration_form")]
pub async fn load_registration_form() -> Result<Option<RegistrationForm>, AppError> {
    use super::server::{device_id, fail};
    use domain::identity::{pending, Mobile};
    let ctx = crate::server_context()?;
    let device = device_id(&ctx)?;
    let Some(flow) = pending::get(
        &ctx.db,
        ctx.clock.as_ref(),
        &ctx.keys,
        &device,
        pending::Flow::Register,
    )
    .await
    .map_err(fail)?
    else {
        return Ok(None);
    };
    let mut banks: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for b in domain::institution::list_banks(&ctx.db, None)
        .await
        .map_err(fail)?
    {
        match banks.last_mut() {
            Some((city, list)) if *city == b.city => list.push((b.code, b.short_name)),
            _ => banks.push((b.city, vec![(b.code, b.short_name)])),
        }
    }
    Ok(Some(RegistrationForm {
        mobile_masked: Mobile::parse(&flow.mobile).map_err(fail)?.masked(),
        banks,
    }))
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let prefs = use_prefs();
    let action = ServerAction::<StartRegistration>::new();
    view! {
        <section class="page" aria-labelledby="register-title">
            <h1 id="register-title" class="page-title">{move || prefs.t(Msg::RegisterTitle)}</h1>
            <p class="mb-4 text-muted">{move || prefs.t(Msg::RegisterIntro)}</p>
            <ActionForm action=action>
                <div class="card form-stack">
                    <label class="field-label">
                        {move || prefs.t(Msg::FieldMobile)}
                        <input class="field" type="tel" name="mobile" inputmode="numeric" autocomplete="tel" required maxlength="20"/>
                    </label>
                    <button type="submit" class="btn-primary w-full">{move || prefs.t(Msg::RegisterSendCode)}</button>
                    <SaveStatus
                        pending=action.pending()
                        outcome=Signal::derive(move || action.value().get().map(|r| r.map(|_| ())))
                        saved=Msg::CodeSent
                    />
                </div>
            </ActionForm>
            <div class="mt-4"><a class="btn-secondary" href="/login">{move || prefs.t(Msg::HaveAccount)}</a></div>
        </section>
    }
}

#[component]
pub fn RegisterDetailsPage() -> impl IntoView {
    let prefs = use_prefs();
    let action = ServerAction::<CompleteRegistration>::new();
    let form = Resource::new(|| (), |_| load_registration_form());
    view! {
        <section class="page" aria-labelledby="details-title">
            <h1 id="details-title" class="page-title">{move || prefs.t(Msg::RegisterDetailsTitle)}</h1>
            <Suspense fallback=move || view! { <p class="card" aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {move || form.get().map(|f| match f {
                    Ok(Some(f)) => {
                        let groups = f.banks.into_iter().map(|(city, banks)| view! {
                            <optgroup label=city>
                                {banks.into_iter().map(|(code, name)| view! { <option value=code>{name}</option> }).collect_view()}
                            </optgroup>
                        }).collect_view();
                        view! {
                            <p class="mb-4" data-testid="code-sent-to">{prefs.t(Msg::VerifySentTo)} " " <strong>{f.mobile_masked}</strong></p>
                            <ActionForm action=action>
                                <div class="card form-stack">
                                    <label class="field-label">
                                        {prefs.t(Msg::FieldCode)}
                                        <input class="field tracking-widest" type="text" name="code" inputmode="numeric" pattern="[0-9]{6}"
                                            autocomplete="one-time-code" required maxlength="6"/>
                                    </label>
                                    <label class="field-label">
                                        {prefs.t(Msg::FieldName)}
                                        <input class="field" type="text" name="name" autocomplete="name" required maxlength="20"/>
                                    </label>
                                    <label class="field-label">
                                        {prefs.t(Msg::FieldResidentId)}
                                        <input class="field" type="text" name="resident_id" autocomplete="off" required maxlength="18"
                                            autocapitalize="characters" spellcheck="false"/>
                                    </label>
                                    <label class="field-label">
                                        {prefs.t(Msg::FieldBank)}
                                        <select class="field" name="bank_code" required>
                                            <option value="">{prefs.t(Msg::ChooseBank)}</option>
                                            {groups}
                                        </select>
                                    </label>
                                    <label class="field-label">
                                        {prefs.t(Msg::FieldNewPassword)}
                                        <input class="field" type="password" name="password" autocomplete="new-password" required
                                            minlength="8" maxlength="20" aria-describedby="password-rules"/>
                                    </label>
                                    <p id="password-rules" class="text-muted">{prefs.t(Msg::PasswordRules)}</p>
                                    <label class="field-label">
                                        {prefs.t(Msg::FieldPasswordConfirm)}
                                        <input class="field" type="password" name="password_confirm" autocomplete="new-password" required maxlength="20"/>
                                    </label>
                                    <details class="terms">
                                        <summary>{prefs.t(Msg::TermsSummary)}</summary>
                                        <p>{prefs.t(Msg::TermsBody)}</p>
                                    </details>
                                    <label class="check-label">
                                        <input type="checkbox" name="accept_terms" value="yes" required/>
                                        <span>{prefs.t(Msg::TermsAccept)}</span>
                                    </label>
                                    <p class="text-muted">{prefs.t(Msg::ElderHint)}</p>
                                    <button type="submit" class="btn-primary w-full">{prefs.t(Msg::RegisterSubmit)}</button>
                                    <SaveStatus
                                        pending=action.pending()
                                        outcome=Signal::derive(move || action.value().get().map(|r| r.map(|_| ())))
                                        saved=Msg::LoginDone
                                    />
                                </div>
                            </ActionForm>
                        }.into_any()
                    }
                    Ok(None) => view! {
                        <p class="card">{prefs.t(Msg::ErrorFlowExpired)}</p>
                        <a class="btn-primary mt-4" href="/register">{prefs.t(Msg::RegisterTitle)}</a>
                    }.into_any(),
                    Err(e) => view! { <crate::error::ErrorMessage error=e/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
