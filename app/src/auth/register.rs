//! 注册: step one proves the mobile number with an SMS code; step two takes the real name,
//! resident ID, home bank and login password, records consent to the terms, and signs in.

use leptos::prelude::*;

use super::fields::{CodeField, FlowStep, MobileField, NewPasswordFields};
use crate::error::{AppError, SaveStatus};
use crate::i18n::Msg;
use crate::prefs::use_prefs;

/// Step one: send a registration code to the number and remember it for step two. The answer
/// is the same whether the number is registered or not (see [`send_code`]), so nobody learns
/// here whether a number is a customer's.
#[server(endpoint = "start_registration")]
pub async fn start_registration(mobile: String) -> Result<(), AppError> {
    use super::server::{fail, limit_codes_from_address, limit_mobile, parse_mobile, start_flow};
    use domain::identity::pending::Flow;

    let ctx = crate::server_context()?;
    let mobile = parse_mobile(&mobile)?;
    limit_codes_from_address(&ctx).await?;
    limit_mobile(&ctx, "register", &mobile, 5, 3600).await?;
    send_code(&ctx, &mobile).await.map_err(fail)?;
    start_flow(&ctx, Flow::Register, &mobile, None).await?;
    leptos_axum::redirect("/register/details");
    Ok(())
}

/// The code that proves the customer holds the number they register with. A number that is
/// already registered goes through the same steps and limits, but its SMS carries no code: it
/// tells the owner the number is registered and how to reset the password. Whoever asked sees
/// the same next step either way, and without the code cannot finish.
#[cfg(feature = "ssr")]
pub(crate) async fn send_code(
    ctx: &crate::ServerContext,
    mobile: &domain::identity::Mobile,
) -> domain::Result<()> {
    use domain::identity::{Binding, Purpose};
    let registered = ctx.identity().find_by_mobile(mobile).await?.is_some();
    // Whoever registers has proven nothing yet.
    ctx.otp()
        .issue_for(
            ctx.sms.as_ref(),
            mobile,
            Purpose::Register,
            &Binding::none(),
            domain::identity::otp::Requester::Stranger,
            |code| {
                if registered {
                    "【农商银行】此手机号已开通手机银行，无需再次注册。忘记密码请在登录页点“忘记密码”重置。如非本人操作，请忽略本短信。".to_string()
                } else {
                    format!(
                        "【农商银行】您正在注册手机银行，验证码 {code}，5 分钟内有效，切勿告诉他人。"
                    )
                }
            },
        )
        .await
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
    use super::server::{device_id, end_flow, fail, flow_state, parse_code, start_session};
    use crate::edition::{Edition, EDITION_COOKIE};
    use crate::error::{respond, Field};
    use crate::prefs::{set_pref_cookie, InitialPrefs};
    use domain::identity::{
        pending::Flow, Date, Mobile, RealName, Registration, ResidentId, ELDER_AGE,
    };

    let ctx = crate::server_context()?;
    let flow = flow_state(&ctx, Flow::Register)
        .await?
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
    let code = parse_code(&code)?;
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
    let device = device_id(&ctx)?;
    super::server::remember_this_browser(&ctx, &customer, &device).await?;
    end_flow(&ctx, Flow::Register).await?;
    start_session(&ctx, &customer, &device).await?;
    if age >= ELDER_AGE {
        let simple = if InitialPrefs::from_request().edition.is_rural() {
            Edition::RuralSimple
        } else {
            Edition::CitySimple
        };
        set_pref_cookie(EDITION_COOKIE, simple.slug());
        super::server::remember_edition(&ctx, &customer, simple).await;
    }
    leptos_axum::redirect("/account");
    Ok(())
}

/// Where the registration code went (masked), or `None` when no registration is waiting here.
#[server(endpoint = "registration_pending")]
pub async fn registration_pending() -> Result<Option<String>, AppError> {
    let ctx = crate::server_context()?;
    super::server::flow_masked_mobile(&ctx, domain::identity::pending::Flow::Register).await
}

/// The banks a customer can choose as their home bank, grouped by city: (city, [(code, name)]).
#[server(endpoint = "bank_choices")]
pub async fn bank_choices() -> Result<Vec<(String, Vec<(String, String)>)>, AppError> {
    let ctx = crate::server_context()?;
    let mut groups: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for b in domain::institution::list_banks(&ctx.db, None)
        .await
        .map_err(super::server::fail)?
    {
        match groups.last_mut() {
            Some((city, list)) if *city == b.city => list.push((b.code, b.short_name)),
            _ => groups.push((b.city, vec![(b.code, b.short_name)])),
        }
    }
    Ok(groups)
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
                    <MobileField autocomplete="tel"/>
                    <button type="submit" class="btn-primary w-full">{move || prefs.t(Msg::RegisterSendCode)}</button>
                    <SaveStatus action=action saved=Msg::CodeSent/>
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
    let pending = Resource::new(|| (), |_| registration_pending());
    let banks = Resource::new(|| (), |_| bank_choices());
    let bank_options = move || {
        banks.get().and_then(Result::ok).map(|groups| {
            groups
                .into_iter()
                .map(|(city, list)| view! {
                    <optgroup label=city>
                        {list.into_iter().map(|(code, name)| view! { <option value=code>{name}</option> }).collect_view()}
                    </optgroup>
                })
                .collect_view()
        })
    };
    view! {
        <section class="page" aria-labelledby="details-title">
            <h1 id="details-title" class="page-title">{move || prefs.t(Msg::RegisterDetailsTitle)}</h1>
            <FlowStep state=pending flow="register" sent_to=Msg::VerifySentTo restart_href="/register" restart_label=Msg::RegisterTitle>
                <ActionForm action=action>
                    <div class="card form-stack">
                        <CodeField/>
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
                                <Suspense fallback=|| ()>{bank_options}</Suspense>
                            </select>
                        </label>
                        <NewPasswordFields/>
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
                        <SaveStatus action=action saved=Msg::LoginDone/>
                    </div>
                </ActionForm>
            </FlowStep>
        </section>
    }
}
