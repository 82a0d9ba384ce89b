//! 人员管理: an administrator's staff of their own institution — add a member (with the roles
//! they need), disable or enable one, issue new credentials to one who lost theirs. New
//! credentials are shown once, on the next page, never in an address.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::home::ConsolePage;
use super::RoleName;
use crate::error::{AppError, ErrorMessage, SaveStatus};
use crate::i18n::Msg;
use crate::prefs::use_prefs;

/// A member as the list shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRow {
    pub id: String,
    pub login: String,
    pub name_masked: String,
    pub roles: Vec<RoleName>,
    pub disabled: bool,
    pub locked: bool,
}

/// The new-member form: a checkbox per role (a plain form posts only the ticked ones).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewMemberForm {
    pub login: String,
    pub name: String,
    pub admin: Option<String>,
    pub editor: Option<String>,
    pub approver: Option<String>,
    pub product_manager: Option<String>,
    pub credit_officer: Option<String>,
    pub risk_analyst: Option<String>,
    pub service_agent: Option<String>,
}

#[cfg(feature = "ssr")]
impl NewMemberForm {
    fn roles(&self) -> Vec<RoleName> {
        let ticked = [
            (&self.admin, RoleName::Admin),
            (&self.editor, RoleName::Editor),
            (&self.approver, RoleName::Approver),
            (&self.product_manager, RoleName::ProductManager),
            (&self.credit_officer, RoleName::CreditOfficer),
            (&self.risk_analyst, RoleName::RiskAnalyst),
            (&self.service_agent, RoleName::ServiceAgent),
        ];
        ticked
            .into_iter()
            .filter(|(v, _)| v.is_some())
            .map(|(_, r)| r)
            .collect()
    }
}

#[server(prefix = "/ops/api", endpoint = "load_staff")]
pub async fn load_staff() -> Result<Vec<StaffRow>, AppError> {
    use crate::auth::server::fail;
    let (ctx, s) = super::server::current_staff().await?;
    let list = ctx.ops().list_staff(&s.member).await.map_err(fail)?;
    Ok(list
        .into_iter()
        .map(|m| StaffRow {
            id: m.id,
            login: m.login,
            name_masked: m.name_masked,
            roles: m.roles.into_iter().map(RoleName::from).collect(),
            disabled: m.disabled,
            locked: m.locked,
        })
        .collect())
}

#[server(prefix = "/ops/api", endpoint = "add_staff_member")]
pub async fn add_staff_member(form: NewMemberForm) -> Result<(), AppError> {
    use crate::auth::server::fail;
    use domain::ops::{NewStaff, Role};
    let (ctx, s) = super::server::current_staff().await?;
    let roles: Vec<Role> = form.roles().into_iter().map(Role::from).collect();
    let issued = ctx
        .ops()
        .create_staff(
            Some(&s.member),
            NewStaff {
                institution: &s.member.institution,
                login: &form.login,
                name: &form.name,
                roles: &roles,
            },
        )
        .await
        .map_err(fail)?;
    ctx.ops().hold_issued(&s.id, &issued).await.map_err(fail)?;
    leptos_axum::redirect("/ops/staff/issued");
    Ok(())
}

/// Disables (`disable` = "1") or enables a member of the administrator's institution.
#[server(prefix = "/ops/api", endpoint = "set_staff_disabled")]
pub async fn set_staff_disabled(staff_id: String, disable: String) -> Result<(), AppError> {
    use crate::auth::server::fail;
    let (ctx, s) = super::server::current_staff().await?;
    ctx.ops()
        .set_disabled(&s.member, &staff_id, disable == "1")
        .await
        .map_err(fail)
}

#[server(prefix = "/ops/api", endpoint = "reset_staff_credentials")]
pub async fn reset_staff_credentials(staff_id: String) -> Result<(), AppError> {
    use crate::auth::server::fail;
    let (ctx, s) = super::server::current_staff().await?;
    let issued = ctx
        .ops()
        .reset_credentials(&s.member, &staff_id)
        .await
        .map_err(fail)?;
    ctx.ops().hold_issued(&s.id, &issued).await.map_err(fail)?;
    leptos_axum::redirect("/ops/staff/issued");
    Ok(())
}

/// Credentials just issued, shown once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issued {
    pub login: String,
    pub password: String,
    /// Base32, grouped by four for typing into an authenticator app.
    pub secret: String,
    /// The `otpauth://` address as a QR code (SVG drawn on the server).
    pub qr_svg: String,
}

#[server(prefix = "/ops/api", endpoint = "take_issued")]
pub async fn take_issued() -> Result<Option<Issued>, AppError> {
    use crate::auth::server::fail;
    let (ctx, s) = super::server::current_staff().await?;
    let Some((login, password, secret)) = ctx.ops().take_issued(&s.id).await.map_err(fail)? else {
        return Ok(None);
    };
    let bytes = domain::ops::totp::from_base32(&secret).unwrap_or_default();
    let uri = domain::ops::totp::provisioning_uri("农商银行运营", &login, &bytes);
    let grouped: Vec<String> = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    Ok(Some(Issued {
        qr_svg: crate::livelihood::server::qr_svg(&uri)?,
        login,
        password,
        secret: grouped.join(" "),
    }))
}

#[component]
pub fn StaffPage() -> impl IntoView {
    let prefs = use_prefs();
    let add = ServerAction::<AddStaffMember>::new();
    let disable = ServerAction::<SetStaffDisabled>::new();
    let reset = ServerAction::<ResetStaffCredentials>::new();
    let staff = Resource::new(move || disable.version().get(), |_| load_staff());
    view! {
        <ConsolePage title=Msg::OpsStaff ready=move |_| view! {
            <Transition fallback=move || view! { <p aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {move || staff.get().map(|r| match r {
                    Err(e) => view! { <ErrorMessage error=e/> }.into_any(),
                    Ok(rows) => view! {
                        <table class="console-table" data-testid="staff-list">
                            <thead><tr>
                                <th scope="col">{prefs.t(Msg::OpsLogin)}</th>
                                <th scope="col">{prefs.t(Msg::ProfileName)}</th>
                                <th scope="col">{prefs.t(Msg::OpsRoles)}</th>
                                <th scope="col">{prefs.t(Msg::OpsStatus)}</th>
                                <th scope="col">{prefs.t(Msg::OpsActions)}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|m| {
                                    let status = match (m.disabled, m.locked) {
                                        (true, _) => Msg::OpsStatusDisabled,
                                        (false, true) => Msg::OpsStatusLocked,
                                        (false, false) => Msg::OpsStatusActive,
                                    };
                                    let roles = m.roles.iter().map(|r| prefs.t(r.label())).collect::<Vec<_>>().join("、");
                                    let (toggle, toggle_value) = if m.disabled { (Msg::OpsEnable, "0") } else { (Msg::OpsDisable, "1") };
                                    let (id, id_again) = (m.id.clone(), m.id.clone());
                                    view! {
                                        <tr data-login=m.login.clone()>
                                            <td class="font-mono">{m.login.clone()}</td>
                                            <td>{m.name_masked.clone()}</td>
                                            <td>{roles}</td>
                                            <td>{prefs.t(status)}</td>
                                            <td class="console-actions">
                                                <ActionForm action=disable>
                                                    <input type="hidden" name="staff_id" value=id/>
                                                    <input type="hidden" name="disable" value=toggle_value/>
                                                    <button type="submit" class="btn-link">{prefs.t(toggle)}</button>
                                                </ActionForm>
                                                <ActionForm action=reset>
                                                    <input type="hidden" name="staff_id" value=id_again/>
                                                    <button type="submit" class="btn-link">{prefs.t(Msg::OpsResetCredentials)}</button>
                                                </ActionForm>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }
                    .into_any(),
                })}
            </Transition>
            <SaveStatus action=disable saved=Msg::OpsSaved/>
            <SaveStatus action=reset saved=Msg::OpsSaved/>
            <h2 class="section-title mt-8">{prefs.t(Msg::OpsAddMember)}</h2>
            <ActionForm action=add>
                <div class="card form-stack console-narrow">
                    <label class="field-label">{prefs.t(Msg::OpsLogin)}
                        <input class="field font-mono" type="text" name="form[login]" required maxlength="32"
                            autocapitalize="none" spellcheck="false" aria-describedby="login-rule"/></label>
                    <p id="login-rule" class="text-muted">{prefs.t(Msg::OpsLoginRule)}</p>
                    <label class="field-label">{prefs.t(Msg::ProfileName)}
                        <input class="field" type="text" name="form[name]" required maxlength="20" autocomplete="off"/></label>
                    <fieldset>
                        <legend class="field-label">{prefs.t(Msg::OpsRoles)}</legend>
                        {RoleName::ALL.into_iter().map(|r| view! {
                            <label class="check-label">
                                <input type="checkbox" name=format!("form[{}]", r.field()) value="on"/>
                                {prefs.t(r.label())}
                            </label>
                        }).collect_view()}
                    </fieldset>
                    <button type="submit" class="btn-primary">{prefs.t(Msg::OpsAddMemberSubmit)}</button>
                    <SaveStatus action=add saved=Msg::OpsSaved/>
                </div>
            </ActionForm>
        }/>
    }
}

#[component]
pub fn IssuedPage() -> impl IntoView {
    let prefs = use_prefs();
    let issued = Resource::new(|| (), |_| take_issued());
    view! {
        <ConsolePage title=Msg::OpsIssuedTitle ready=move |_| view! {
            <Transition fallback=move || view! { <p aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {move || issued.get().map(|r| match r {
                    Err(e) => view! { <ErrorMessage error=e/> }.into_any(),
                    Ok(None) => view! { <p class="card">{prefs.t(Msg::OpsIssuedGone)}</p> }.into_any(),
                    Ok(Some(i)) => view! {
                        <div class="card" data-testid="issued">
                            <p class="mb-4 font-semibold" role="status">{prefs.t(Msg::OpsIssuedOnce)}</p>
                            <dl class="profile">
                                <div><dt>{prefs.t(Msg::OpsLogin)}</dt><dd class="font-mono" data-testid="issued-login">{i.login}</dd></div>
                                <div><dt>{prefs.t(Msg::OpsIssuedPassword)}</dt><dd class="font-mono" data-testid="issued-password">{i.password}</dd></div>
                                <div><dt>{prefs.t(Msg::OpsIssuedSecret)}</dt><dd class="font-mono" data-testid="issued-secret">{i.secret}</dd></div>
                            </dl>
                            <div class="qr-image mt-4" role="img" aria-label=prefs.t(Msg::OpsIssuedQr) inner_html=i.qr_svg></div>
                        </div>
                    }
                    .into_any(),
                })}
            </Transition>
            <a class="btn-secondary mt-4" href="/ops/staff">{prefs.t(Msg::OpsBackToStaff)}</a>
        }/>
    }
}
