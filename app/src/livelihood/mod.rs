//! 电子社保卡 (`/ssc`) and 医保电子凭证 (`/medical`): one page over both kinds of card.
//!
//! Not signed up: what signing up sends to the bureau, and a button that sends a step-up SMS
//! code; then the code step (the flow state waits on this browser, as for the reveal page).
//! Signed up: the card, its QR code (signed by the bureau, good for one minute) and unbinding;
//! the medical page adds the insurance account. With WASM the code is fetched again ten seconds
//! before it expires, with a countdown; without it the page reloads itself every fifty seconds
//! (a `<meta http-equiv="refresh">` inside `<noscript>`) and has a "new code" link.

pub mod application;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::auth::fields::{CodeField, FlowStep};
use crate::error::{AppError, SaveStatus};
use crate::i18n::{Msg, Tpl};
use crate::prefs::use_prefs;

// The pages below arrive in their own WASM chunk (see `crate::chunk`).
crate::lazy_pages!(
    livelihood:
    SSC_PAGE => SscPage,
    SSC_APPLY_PAGE => application::SscApplyPage,
    MEDICAL_PAGE => MedicalPage,
);

/// Without WASM, the page reloads itself for the next code ten seconds before this one expires,
/// marked as a reload (`auto=1`, `auth::server::SELF_RELOAD_QUERY`) so it does not count as the
/// customer's activity.
const NOSCRIPT_RELOAD: &str =
    r#"<noscript><meta http-equiv="refresh" content="50;url=?auto=1"></noscript>"#;

/// Seconds before expiry at which the page asks for the next code.
const REFRESH_BEFORE_SECS: i64 = 10;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardView {
    pub card_no_masked: String,
    pub issuer: String,
    pub signed_up: String,
}

/// The page's data: where the customer is with this card, and whether the bureau is the local
/// simulator (said on the page, never pretended live).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ECardData {
    pub simulated: bool,
    pub state: ECardState,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ECardState {
    NotStarted,
    /// A code was sent (to this masked number) and this browser is in the sign-up flow.
    Waiting {
        mobile_masked: String,
    },
    Active(CardView),
}

/// One QR code as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QrView {
    /// An inline SVG of the code (black modules on white, with the quiet zone).
    pub svg: String,
    /// The signed text (the tests read it; a terminal would scan it).
    pub text: String,
    pub issued_at: i64,
    /// `12:34:56`, Beijing time.
    pub expires_label: String,
    pub lifetime_secs: i64,
}

#[cfg(feature = "ssr")]
pub(crate) mod server {
    use domain::livelihood::CardKind;

    use crate::error::{respond, AppError};

    pub fn kind(slug: &str) -> Result<CardKind, AppError> {
        CardKind::from_slug(slug).ok_or_else(|| respond(AppError::NotFound))
    }

    /// The code as an SVG path of its dark modules, with a four-module quiet zone.
    pub fn qr_svg(text: &str) -> Result<String, AppError> {
        use qrcode::{Color, EcLevel, QrCode};
        let code =
            QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).map_err(|e| {
                tracing::error!(error = %e, "QR code could not be made");
                AppError::Internal
            })?;
        let width = code.width();
        let size = width + 8;
        let mut path = String::with_capacity(width * width * 4);
        for (i, color) in code.to_colors().iter().enumerate() {
            if *color == Color::Dark {
                let (x, y) = (i % width + 4, i / width + 4);
                path.push_str(&format!("M{x} {y}h1v1h-1z"));
            }
        }
        Ok(format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" shape-rendering="crispEdges" aria-hidden="true" focusable="false"><rect width="{size}" height="{size}" fill="#ffffff"/><path fill="#000000" d="{path}"/></svg>"##
        ))
    }
}

#[server(endpoint = "load_ecard")]
pub async fn load_ecard(kind: String) -> Result<ECardData, AppError> {
    use crate::auth::server::{current_session, fail, flow_state};
    use domain::identity::{pending::Flow, Mobile};
    let (ctx, s) = current_session().await?;
    let kind = server::kind(&kind)?;
    let simulated = ctx.bureau.is_simulator();
    if let Some(card) = ctx
        .ecards()
        .active(&s.customer_id, kind)
        .await
        .map_err(fail)?
    {
        return Ok(ECardData {
            simulated,
            state: ECardState::Active(CardView {
                card_no_masked: card.card_no_masked,
                issuer: card.issuer,
                signed_up: domain::clock::beijing_date(card.signed_up_at),
            }),
        });
    }
    let state = match flow_state(&ctx, Flow::ECardSignUp).await? {
        Some(f)
            if f.customer_id.as_deref() == Some(s.customer_id.as_str())
                && f.data == kind.slug() =>
        {
            ECardState::Waiting {
                mobile_masked: Mobile::parse(&f.mobile).map(|m| m.masked()).map_err(fail)?,
            }
        }
        _ => ECardState::NotStarted,
    };
    Ok(ECardData { simulated, state })
}

/// Sends the sign-up code to the customer's own number.
#[server(endpoint = "start_ecard_sign_up")]
pub async fn start_ecard_sign_up(kind: String) -> Result<(), AppError> {
    use crate::auth::server::{current_session, fail, start_flow_with};
    use domain::identity::{pending::Flow, Purpose};
    use domain::livelihood::ECards;
    let (ctx, s) = current_session().await?;
    let kind = server::kind(&kind)?;
    let mobile = ctx
        .identity()
        .mobile_of(&s.customer_id)
        .await
        .map_err(fail)?;
    match ctx
        .ecards()
        .send_sign_up_code(ctx.sms.as_ref(), &s.customer_id, kind, &s.id)
        .await
    {
        Ok(()) => {}
        // Back on this page within a minute: the code already sent for this still works.
        Err(domain::Error::Refused(domain::Refusal::OtpTooSoon { .. }))
            if ctx
                .otp()
                .live_for(
                    &mobile,
                    Purpose::StepUp,
                    &ECards::binding(&s.customer_id, kind, &s.id),
                )
                .await
                .map_err(fail)? => {}
        Err(e) => return Err(fail(e)),
    }
    start_flow_with(
        &ctx,
        Flow::ECardSignUp,
        &mobile,
        Some(s.customer_id),
        kind.slug().to_string(),
    )
    .await
}

/// Checks the code and signs up with the bureau.
#[server(endpoint = "confirm_ecard_sign_up")]
pub async fn confirm_ecard_sign_up(kind: String, code: String) -> Result<(), AppError> {
    use crate::auth::server::{current_session, end_flow, fail, flow_state, parse_code};
    use crate::error::respond;
    use domain::identity::pending::Flow;
    let (ctx, s) = current_session().await?;
    let kind = server::kind(&kind)?;
    let code = parse_code(&code)?;
    // Posted again after it went through (a double click, a retry, the back button): the card
    // is signed up, which is the answer.
    if ctx
        .ecards()
        .active(&s.customer_id, kind)
        .await
        .map_err(fail)?
        .is_some()
    {
        return Ok(());
    }
    let flow = flow_state(&ctx, Flow::ECardSignUp)
        .await?
        .ok_or_else(|| respond(AppError::FlowExpired))?;
    if flow.customer_id.as_deref() != Some(s.customer_id.as_str()) || flow.data != kind.slug() {
        return Err(respond(AppError::FlowExpired));
    }
    let signed_up = ctx
        .ecards()
        .sign_up(&s.customer_id, kind, &s.id, &code)
        .await;
    match signed_up {
        Ok(_) => {}
        // Two posts at once: the first one signed up; that is the answer.
        Err(domain::Error::Refused(domain::Refusal::CardAlreadyActive)) => {}
        Err(e) => return Err(fail(e)),
    }
    end_flow(&ctx, Flow::ECardSignUp).await
}

/// A fresh code for the customer's card.
#[server(endpoint = "load_ecard_code")]
pub async fn load_ecard_code(kind: String) -> Result<QrView, AppError> {
    use crate::auth::server::{current_session_quietly, fail};
    // Fetched by the page every minute on its own: not the customer's activity.
    let (ctx, s) = current_session_quietly().await?;
    let kind = server::kind(&kind)?;
    let code = ctx
        .ecards()
        .code(&s.customer_id, kind)
        .await
        .map_err(fail)?;
    // A code must never be cached: each one lives a minute.
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.insert_header(
            http::header::CACHE_CONTROL,
            http::HeaderValue::from_static("no-store"),
        );
    }
    Ok(QrView {
        svg: server::qr_svg(&code.text)?,
        text: code.text,
        issued_at: code.issued_at,
        expires_label: domain::clock::beijing_clock(code.expires_at),
        lifetime_secs: (code.expires_at - code.issued_at) / 1000,
    })
}

/// Unbinds the card from this app.
#[server(endpoint = "unbind_ecard")]
pub async fn unbind_ecard(kind: String) -> Result<(), AppError> {
    use crate::auth::server::{current_session, fail};
    let (ctx, s) = current_session().await?;
    let kind = server::kind(&kind)?;
    match ctx.ecards().unbind(&s.customer_id, kind).await {
        // Unbound already (another tab, a retry): what the customer asked for.
        Ok(()) | Err(domain::Error::Refused(domain::Refusal::CardNotActive)) => Ok(()),
        Err(e) => Err(fail(e)),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedicalRow {
    pub date: String,
    pub what: String,
    /// Signed, formatted (`+¥128.40`, `-¥35.00`), or empty.
    pub personal: String,
    pub fund: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedicalView {
    pub employee: bool,
    pub area: String,
    pub balance: Option<String>,
    pub rows: Vec<MedicalRow>,
}

#[server(endpoint = "load_medical_account")]
pub async fn load_medical_account() -> Result<MedicalView, AppError> {
    use crate::auth::server::{current_session, fail};
    use domain::money::format_yuan;
    let (ctx, s) = current_session().await?;
    let account = ctx
        .ecards()
        .medical_account(&s.customer_id)
        .await
        .map_err(fail)?;
    let signed = |fen: i64| match fen {
        0 => String::new(),
        f if f > 0 => format!("+{}", format_yuan(f)),
        f => format!("-{}", format_yuan(-f)),
    };
    Ok(MedicalView {
        employee: account.scheme == domain::livelihood::Scheme::Employee,
        area: account.area,
        balance: account.balance.map(format_yuan),
        rows: account
            .movements
            .into_iter()
            .map(|m| MedicalRow {
                date: domain::clock::beijing_date(m.at),
                what: m.what,
                personal: signed(m.personal),
                fund: if m.fund > 0 {
                    format_yuan(m.fund)
                } else {
                    String::new()
                },
            })
            .collect(),
    })
}

/// What differs between the two cards on the page.
#[derive(Clone, Copy)]
struct Texts {
    slug: &'static str,
    href: &'static str,
    title: Msg,
    intro: Msg,
    start: Msg,
    confirm: Msg,
    qr_label: Msg,
    number: Msg,
}

const SSC: Texts = Texts {
    slug: "essc",
    href: "/ssc",
    title: Msg::SscTitle,
    intro: Msg::SscIntro,
    start: Msg::SscStart,
    confirm: Msg::SscConfirm,
    qr_label: Msg::SscQrLabel,
    number: Msg::SscCardNo,
};

const MEDICAL: Texts = Texts {
    slug: "medical",
    href: "/medical",
    title: Msg::MedicalTitle,
    intro: Msg::MedicalIntro,
    start: Msg::MedicalStart,
    confirm: Msg::MedicalConfirm,
    qr_label: Msg::MedicalQrLabel,
    number: Msg::MedicalCode,
};

#[component]
pub fn SscPage() -> impl IntoView {
    view! { <ECardPage texts=SSC/> }
}

#[component]
pub fn MedicalPage() -> impl IntoView {
    view! { <ECardPage texts=MEDICAL/> }
}

#[component]
fn ECardPage(texts: Texts) -> impl IntoView {
    let prefs = use_prefs();
    let start = ServerAction::<StartEcardSignUp>::new();
    let confirm = ServerAction::<ConfirmEcardSignUp>::new();
    let unbind = ServerAction::<UnbindEcard>::new();
    let state = Resource::new(
        move || {
            (
                start.version().get(),
                confirm.version().get(),
                unbind.version().get(),
            )
        },
        move |_| load_ecard(texts.slug.to_string()),
    );
    // FlowStep wants the masked number while waiting. Its own fetch, not one derived from
    // `state`: a resource derived from another resolves too early when rendered on the server.
    let waiting = Resource::new(
        move || {
            (
                start.version().get(),
                confirm.version().get(),
                unbind.version().get(),
            )
        },
        move |_| async move {
            load_ecard(texts.slug.to_string())
                .await
                .map(|d| match d.state {
                    ECardState::Waiting { mobile_masked } => Some(mobile_masked),
                    _ => None,
                })
        },
    );
    view! {
        <section class="page" aria-labelledby="ecard-title">
            <h1 id="ecard-title" class="page-title">{move || prefs.t(texts.title)}</h1>
            <crate::account::Protected data=state next=texts.href ready=move |ECardData { simulated, state }| view! {
                        {simulated.then(|| view! { <p class="text-muted mb-4" data-testid="bureau-simulated">{prefs.t(Msg::BureauSimulated)}</p> })}
                        <CardState texts=texts state=state start=start confirm=confirm unbind=unbind waiting=waiting/>
                        {(texts.slug == "essc").then(|| view! {
                            <a class="btn-secondary w-full mt-6" href="/ssc/apply" data-testid="ssc-apply-link">{prefs.t(Msg::SscApplyTitle)}</a>
                        })}
                    }/>
        </section>
    }
}

/// The page below its title, for where the customer is with the card.
#[component]
fn CardState(
    texts: Texts,
    state: ECardState,
    start: ServerAction<StartEcardSignUp>,
    confirm: ServerAction<ConfirmEcardSignUp>,
    unbind: ServerAction<UnbindEcard>,
    waiting: Resource<Result<Option<String>, AppError>>,
) -> impl IntoView {
    let prefs = use_prefs();
    match state {
                    ECardState::Active(card) => view! {
                        <CardCode texts=texts card=card/>
                        {(texts.slug == "medical").then(|| view! { <MedicalAccountView/> })}
                        <section class="card mt-6" aria-labelledby="unbind-title">
                            <h2 id="unbind-title" class="section-title">{prefs.t(Msg::ECardUnbindTitle)}</h2>
                            <p class="mb-3">{prefs.t(Msg::ECardUnbindHint)}</p>
                            <ActionForm action=unbind>
                                <input type="hidden" name="kind" value=texts.slug/>
                                <label class="check-label">
                                    <input type="checkbox" name="sure" required/>
                                    <span>{prefs.t(Msg::ECardUnbindSure)}</span>
                                </label>
                                <button type="submit" class="btn-secondary w-full mt-3" data-testid="unbind">{prefs.t(Msg::ECardUnbind)}</button>
                                <SaveStatus action=unbind saved=Msg::ECardUnbound/>
                            </ActionForm>
                        </section>
                    }.into_any(),
                    ECardState::Waiting { .. } => view! {
                        <FlowStep state=waiting flow="ecard" sent_to=Msg::VerifySentTo restart_href=texts.href restart_label=texts.title>
                            <ActionForm action=confirm>
                                <input type="hidden" name="kind" value=texts.slug/>
                                <div class="card form-stack">
                                    <CodeField/>
                                    <button type="submit" class="btn-primary w-full">{prefs.t(texts.confirm)}</button>
                                    <SaveStatus action=confirm saved=texts.title/>
                                </div>
                            </ActionForm>
                        </FlowStep>
                    }.into_any(),
                    ECardState::NotStarted => view! {
                        <p class="mb-4">{prefs.t(texts.intro)}</p>
                        <p class="mb-4 text-muted">{prefs.t(Msg::ECardDataShared)}</p>
                        <ActionForm action=start>
                            <input type="hidden" name="kind" value=texts.slug/>
                            <button type="submit" class="btn-primary w-full" data-testid="ecard-start">{prefs.t(texts.start)}</button>
                            <SaveStatus action=start saved=Msg::CodeSent/>
                        </ActionForm>
                    }.into_any(),
    }
}

/// The card and its QR code, fetched again before each one expires.
#[component]
fn CardCode(texts: Texts, card: CardView) -> impl IntoView {
    let prefs = use_prefs();
    let code = Resource::new(|| (), move |_| load_ecard_code(texts.slug.to_string()));
    // Seconds until the shown code expires; `None` until WASM runs (no countdown without it).
    let left = RwSignal::new(None::<i64>);
    Effect::new(move |_| {
        if let Some(Ok(q)) = code.get() {
            left.set(Some(q.lifetime_secs));
        }
    });
    Effect::new(move |started: Option<bool>| {
        if started.is_none() {
            if let Ok(handle) = set_interval_with_handle(
                move || {
                    let now_left = left.get_untracked().map(|s| s - 1);
                    left.set(now_left);
                    // Ten seconds before expiry; if that fetch failed (no network), every five
                    // seconds after expiry until one arrives.
                    if matches!(now_left, Some(s) if s == REFRESH_BEFORE_SECS || (s <= 0 && s % 5 == 0))
                    {
                        code.refetch();
                    }
                },
                std::time::Duration::from_secs(1),
            ) {
                on_cleanup(move || handle.clear());
            }
        }
        true
    });
    view! {
        <section class="card ecard" aria-labelledby="card-title" data-testid="ecard">
            <h2 id="card-title" class="section-title">{prefs.t(texts.title)}</h2>
            <dl class="profile">
                <div><dt>{prefs.t(texts.number)}</dt><dd data-testid="card-no">{card.card_no_masked}</dd></div>
                <div><dt>{prefs.t(Msg::ECardIssuer)}</dt><dd>{card.issuer}</dd></div>
                <div><dt>{prefs.t(Msg::ECardSignedUp)}</dt><dd>{card.signed_up}</dd></div>
            </dl>
            // The QR keeps its last image while the next one loads (no flash to "loading").
            <Transition fallback=move || view! { <p aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {move || code.get().map(|r| match r {
                    Ok(q) => view! {
                        <figure class="qr" data-testid="qr" data-issued=q.issued_at.to_string() data-code=q.text.clone()>
                            <div class="qr-image" role="img" aria-label=prefs.t(texts.qr_label) inner_html=q.svg></div>
                            <figcaption class="mt-3">
                                <p>{prefs.t(Msg::ECardShowHint)}</p>
                                <p class="font-semibold" data-testid="qr-expires">{prefs.t(Msg::ECardValidUntil)} " " {q.expires_label}</p>
                                <p aria-live="off" data-testid="qr-countdown">
                                    {move || left.get().map(|s| Tpl::ECardSecondsLeft.fill(prefs.lang.get(), &[("seconds", &s.max(0).to_string())]))}
                                </p>
                            </figcaption>
                        </figure>
                    }.into_any(),
                    Err(e) => view! { <crate::error::ErrorMessage error=e/> }.into_any(),
                })}
            </Transition>
            // Without WASM: the page reloads itself for the next code, and a link does it now.
            // (Leptos has no typed `<noscript>`: the wrapper carries it as inner HTML, which
            // hydration leaves alone. A constant, not a literal: the view macro would print a
            // literal `inner_html` as an attribute.)
            <div inner_html=NOSCRIPT_RELOAD></div>
            <a class="btn-secondary w-full mt-3" href=texts.href data-testid="qr-new">{prefs.t(Msg::ECardNewCode)}</a>
        </section>
    }
}

#[component]
fn MedicalAccountView() -> impl IntoView {
    let prefs = use_prefs();
    let account = Resource::new(|| (), |_| load_medical_account());
    view! {
        <section class="card mt-6" aria-labelledby="medical-account-title" data-testid="medical-account">
            <h2 id="medical-account-title" class="section-title">{prefs.t(Msg::MedicalAccountTitle)}</h2>
            <Suspense fallback=move || view! { <p aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {move || account.get().map(|r| match r {
                    Ok(m) => view! {
                        <p>
                            {prefs.t(if m.employee { Msg::MedicalEmployee } else { Msg::MedicalResident })}
                            " · " {prefs.t(Msg::MedicalArea)} " " {m.area.clone()}
                        </p>
                        {match m.balance.clone() {
                            Some(b) => view! {
                                <p class="text-muted mt-3">{prefs.t(Msg::MedicalBalance)}</p>
                                <p class="balance" data-testid="medical-balance">{b}</p>
                            }.into_any(),
                            None => view! { <p class="mt-3" data-testid="medical-no-account">{prefs.t(Msg::MedicalNoPersonalAccount)}</p> }.into_any(),
                        }}
                        <h3 class="mt-4 font-semibold">{prefs.t(Msg::MedicalLatest)}</h3>
                        // A list, not a table: four columns do not fit a phone in large type.
                        <ul class="movements mt-2" role="list" data-testid="medical-movements">
                            {m.rows.into_iter().map(|row| view! {
                                <li class="movement">
                                    <span class="movement-main"><span class="movement-party">{row.what}</span></span>
                                    <span class="movement-sub">
                                        <span>{row.date}</span>
                                        {(!row.personal.is_empty()).then(|| view! { <span>{prefs.t(Msg::MedicalPersonal)} " " {row.personal.clone()}</span> })}
                                        {(!row.fund.is_empty()).then(|| view! { <span>{prefs.t(Msg::MedicalFund)} " " {row.fund.clone()}</span> })}
                                    </span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <crate::error::ErrorMessage error=e/> }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
