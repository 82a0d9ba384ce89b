//! 社保卡申领 (`/ssc/apply`): the application form (for oneself or a family member, collected
//! at the customer's own bank) and the applications made, each with its timeline from the
//! bureau. The form is an `ActionForm` with an idempotency key, so it posts as a plain form
//! before WASM loads and a double submit makes one application.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::account::Protected;
use crate::error::{AppError, SaveStatus};
use crate::i18n::Msg;
use crate::prefs::use_prefs;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageRow {
    /// `submitted`, `approved`, `producing`, `ready`.
    pub stage: String,
    /// When it was reached (Beijing time), or `None` while still ahead.
    pub at: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationRow {
    pub id: String,
    pub bureau_ref: String,
    pub holder: String,
    pub resident_id: String,
    pub city: String,
    pub pickup_bank: String,
    pub stages: Vec<StageRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyPage {
    pub cities: Vec<String>,
    /// The city of the customer's own bank, chosen first.
    pub city: String,
    pub pickup_bank: String,
    pub key: String,
    pub applications: Vec<ApplicationRow>,
    pub simulated: bool,
}

#[cfg(feature = "ssr")]
fn stage_slug(s: domain::livelihood::application::Stage) -> &'static str {
    use domain::livelihood::application::Stage;
    match s {
        Stage::Submitted => "submitted",
        Stage::Approved => "approved",
        Stage::Producing => "producing",
        Stage::ReadyForPickup => "ready",
    }
}

#[cfg(feature = "ssr")]
fn row(a: domain::livelihood::application::Application) -> ApplicationRow {
    use domain::livelihood::application::Stage;
    ApplicationRow {
        stages: Stage::ALL
            .into_iter()
            .map(|stage| StageRow {
                stage: stage_slug(stage).into(),
                at: a
                    .progress
                    .iter()
                    .find(|(s, _)| *s == stage)
                    .map(|(_, at)| domain::clock::beijing_datetime(*at)),
            })
            .collect(),
        id: a.id,
        bureau_ref: a.bureau_ref,
        holder: a.name_masked,
        resident_id: a.resident_id_masked,
        city: a.city,
        pickup_bank: a.pickup_bank,
    }
}

#[server(endpoint = "load_ssc_apply")]
pub async fn load_ssc_apply() -> Result<ApplyPage, AppError> {
    use crate::auth::server::{current_session, fail};
    use domain::billpay::CITIES;
    let (ctx, s) = current_session().await?;
    let profile = ctx.identity().profile(&s.customer_id).await.map_err(fail)?;
    let city = domain::institution::get(&ctx.db, &profile.bank_code)
        .await
        .map(|b| b.city)
        .unwrap_or_else(|_| CITIES[0].into());
    let applications = ctx
        .ssc_applications()
        .list(&s.customer_id)
        .await
        .map_err(fail)?
        .into_iter()
        .map(row)
        .collect();
    Ok(ApplyPage {
        cities: CITIES.iter().map(|c| c.to_string()).collect(),
        city,
        pickup_bank: profile.bank_name,
        key: domain::id::new_id(),
        applications,
        simulated: ctx.bureau.is_simulator(),
    })
}

#[server(endpoint = "apply_ssc")]
pub async fn apply_ssc(
    name: String,
    resident_id: String,
    city: String,
    key: String,
) -> Result<(), AppError> {
    use crate::auth::server::{current_session, fail};
    use domain::livelihood::application::ApplicationRequest;
    let (ctx, s) = current_session().await?;
    ctx.ssc_applications()
        .submit(&ApplicationRequest {
            customer_id: s.customer_id,
            name,
            resident_id,
            city,
            idempotency_key: key,
        })
        .await
        .map_err(fail)?;
    Ok(())
}

fn stage_msg(stage: &str) -> Msg {
    match stage {
        "submitted" => Msg::SscStageSubmitted,
        "approved" => Msg::SscStageApproved,
        "producing" => Msg::SscStageProducing,
        _ => Msg::SscStageReady,
    }
}

#[component]
pub fn SscApplyPage() -> impl IntoView {
    let prefs = use_prefs();
    let apply = ServerAction::<ApplySsc>::new();
    let data = Resource::new(move || apply.version().get(), |_| load_ssc_apply());
    view! {
        <section class="page" aria-labelledby="ssc-apply-title">
            <h1 id="ssc-apply-title" class="page-title">{move || prefs.t(Msg::SscApplyTitle)}</h1>
            <Protected data=data next="/ssc/apply" ready=move |p| {
                        let city = p.city.clone();
                        view! {
                            {p.simulated.then(|| view! { <p class="text-muted mb-4" data-testid="bureau-simulated">{prefs.t(Msg::BureauSimulated)}</p> })}
                            <p class="mb-4">{prefs.t(Msg::SscApplyIntro)}</p>
                            <ActionForm action=apply>
                                <div class="card form-stack">
                                    <input type="hidden" name="key" value=p.key.clone()/>
                                    <label class="field-label">{prefs.t(Msg::SscApplyName)}
                                        <input class="field" type="text" name="name" required maxlength="20" autocomplete="off"/></label>
                                    <label class="field-label">{prefs.t(Msg::SscApplyResidentId)}
                                        <input class="field font-mono" type="text" name="resident_id" required maxlength="18" autocomplete="off"/></label>
                                    <label class="field-label">{prefs.t(Msg::SscApplyCity)}
                                        <select class="field" name="city">
                                            {p.cities.iter().map(|c| view! { <option value=c.clone() selected=*c == city>{c.clone()}</option> }).collect_view()}
                                        </select></label>
                                    <p>{prefs.t(Msg::SscApplyPickup)} " " <strong>{p.pickup_bank.clone()}</strong></p>
                                    <button type="submit" class="btn-primary w-full" data-testid="ssc-apply">{prefs.t(Msg::SscApplySubmit)}</button>
                                    <SaveStatus action=apply saved=Msg::SscApplied/>
                                </div>
                            </ActionForm>
                            <h2 class="section-title mt-6">{prefs.t(Msg::SscApplications)}</h2>
                            {if p.applications.is_empty() {
                                view! { <p class="card">{prefs.t(Msg::SscApplicationsNone)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="grid gap-3" role="list" data-testid="ssc-applications">
                                        {p.applications.into_iter().map(|a| view! {
                                            <li class="card">
                                                <p class="font-bold">{a.holder.clone()} " " <span class="font-mono">{a.resident_id.clone()}</span></p>
                                                <p class="text-muted">{prefs.t(Msg::SscApplicationNo)} " " <span class="font-mono">{a.bureau_ref.clone()}</span>
                                                    " · " {a.city.clone()} " · " {prefs.t(Msg::SscApplyPickup)} " " {a.pickup_bank.clone()}</p>
                                                <ol class="timeline mt-3" data-testid="ssc-timeline">
                                                    {a.stages.into_iter().map(|s| {
                                                        let done = s.at.is_some();
                                                        view! {
                                                            <li class="timeline-step" data-done=done.to_string() data-stage=s.stage.clone()>
                                                                <span class="font-semibold">{prefs.t(stage_msg(&s.stage))}</span>
                                                                <span class="text-muted">{s.at.clone().unwrap_or_else(|| prefs.t(Msg::SscStageAhead).to_string())}</span>
                                                            </li>
                                                        }
                                                    }).collect_view()}
                                                </ol>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                        }.into_any()
                    }/>
        </section>
    }
}
