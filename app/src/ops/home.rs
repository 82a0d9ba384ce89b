//! The console's frame for a signed-in staff member (who, which institution, the sections their
//! roles open, sign-out), its overview page, and the password page.

use leptos::prelude::*;

use super::{load_console, Console, OpsSignOut, RoleName};
use crate::error::{AppError, ErrorMessage, SaveStatus};
use crate::i18n::Msg;
use crate::prefs::use_prefs;

/// A page of the console: the staff member's data loads, then `ready` renders under the
/// console's navigation; signed out, a link to the console's sign-in.
#[component]
pub fn ConsolePage<V, F>(title: Msg, ready: F) -> impl IntoView
where
    V: IntoView + 'static,
    F: Fn(Console) -> V + Send + Sync + 'static,
{
    let prefs = use_prefs();
    let me = Resource::new(|| (), |_| load_console());
    let sign_out = ServerAction::<OpsSignOut>::new();
    view! {
        <section aria-labelledby="console-title">
            <Transition fallback=move || view! { <p class="card" aria-busy="true">{prefs.t(Msg::Loading)}</p> }>
                {move || me.get().map(|r| match r {
                    Ok(me) => {
                        let admin = me.is_admin();
                        let products = me.is_product_manager();
                        let content = me.works_on_content();
                        let feedback = me.answers_feedback();
                        let stats = me.sees_feedback_stats();
                        let loans = me.reviews_loans();
                        let portfolio = me.sees_loan_portfolio();
                        let changing = me.must_change_password;
                        view! {
                            <div class="console-bar" data-testid="console-bar">
                                <p>
                                    <strong data-testid="console-institution">{me.institution_name.clone()}</strong>
                                    " · " <span data-testid="console-login">{me.login.clone()}</span>
                                    " · " {me.name_masked.clone()}
                                </p>
                                <nav aria-label=prefs.t(Msg::OpsNavigation)>
                                    <ul class="console-nav" role="list">
                                        {(!changing).then(|| view! { <li><a href="/ops">{prefs.t(Msg::OpsOverview)}</a></li> })}
                                        {admin.then(|| view! { <li><a href="/ops/staff">{prefs.t(Msg::OpsStaff)}</a></li> })}
                                        {content.then(|| view! { <li><a href="/ops/content">{prefs.t(Msg::OpsContent)}</a></li> })}
                                        {products.then(|| view! { <li><a href="/ops/products">{prefs.t(Msg::OpsProducts)}</a></li> })}
                                        {feedback.then(|| view! { <li><a href="/ops/feedback">{prefs.t(Msg::OpsFeedback)}</a></li> })}
                                        {stats.then(|| view! { <li><a href="/ops/feedback/stats">{prefs.t(Msg::OpsFeedbackStats)}</a></li> })}
                                        {loans.then(|| view! { <li><a href="/ops/loans">{prefs.t(Msg::OpsLoanReview)}</a></li> })}
                                        {portfolio.then(|| view! { <li><a href="/ops/loans/portfolio">{prefs.t(Msg::OpsLoanPortfolio)}</a></li> })}
                                        <li><a href="/ops/password">{prefs.t(Msg::OpsPassword)}</a></li>
                                        <li>
                                            <ActionForm action=sign_out>
                                                <button type="submit" class="btn-link" data-testid="ops-sign-out">{prefs.t(Msg::Logout)}</button>
                                            </ActionForm>
                                        </li>
                                    </ul>
                                </nav>
                            </div>
                            <h1 id="console-title" class="page-title">{prefs.t(title)}</h1>
                            {ready(me)}
                        }
                        .into_any()
                    }
                    Err(AppError::SignedOut) => view! {
                        <h1 id="console-title" class="page-title">{prefs.t(Msg::OpsTitle)}</h1>
                        <div class="card">
                            <p class="mb-4">{prefs.t(Msg::OpsSignInFirst)}</p>
                            <a class="btn-primary" href="/ops/login">{prefs.t(Msg::OpsSignInTitle)}</a>
                        </div>
                    }
                    .into_any(),
                    Err(e) => view! {
                        <h1 id="console-title" class="page-title">{prefs.t(Msg::OpsTitle)}</h1>
                        <ErrorMessage error=e/>
                    }
                    .into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn ConsoleHomePage() -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <ConsolePage title=Msg::OpsOverview ready=move |me| {
            if me.must_change_password {
                return view! {
                    <p class="card" role="alert">{prefs.t(Msg::OpsMustChangePassword)} " "
                        <a href="/ops/password">{prefs.t(Msg::OpsPassword)}</a></p>
                }
                .into_any();
            }
            let scope = if me.institution == "P000" { Msg::OpsScopeUnion } else { Msg::OpsScopeBank };
            view! {
                <dl class="card profile" data-testid="console-profile">
                    <div><dt>{prefs.t(Msg::OpsInstitution)}</dt><dd>{me.institution_name.clone()}</dd></div>
                    <div><dt>{prefs.t(Msg::OpsScope)}</dt><dd>{prefs.t(scope)}</dd></div>
                    <div><dt>{prefs.t(Msg::OpsRoles)}</dt>
                        <dd data-testid="console-roles">{me.roles.iter().map(|r| prefs.t(r.label())).collect::<Vec<_>>().join("、")}</dd></div>
                </dl>
                {me.roles.contains(&RoleName::Admin).then(|| view! {
                    <a class="btn-secondary mt-4" href="/ops/staff">{prefs.t(Msg::OpsStaff)}</a>
                })}
                {me.works_on_content().then(|| view! {
                    <a class="btn-secondary mt-4" href="/ops/content">{prefs.t(Msg::OpsContent)}</a>
                })}
                {me.roles.contains(&RoleName::ProductManager).then(|| view! {
                    <a class="btn-secondary mt-4" href="/ops/products">{prefs.t(Msg::OpsProducts)}</a>
                })}
                {me.answers_feedback().then(|| view! {
                    <a class="btn-secondary mt-4" href="/ops/feedback">{prefs.t(Msg::OpsFeedback)}</a>
                })}
                {me.sees_feedback_stats().then(|| view! {
                    <a class="btn-secondary mt-4" href="/ops/feedback/stats">{prefs.t(Msg::OpsFeedbackStats)}</a>
                })}
                {me.reviews_loans().then(|| view! {
                    <a class="btn-secondary mt-4" href="/ops/loans">{prefs.t(Msg::OpsLoanReview)}</a>
                })}
                {me.sees_loan_portfolio().then(|| view! {
                    <a class="btn-secondary mt-4" href="/ops/loans/portfolio">{prefs.t(Msg::OpsLoanPortfolio)}</a>
                })}
                <p class="mt-4 text-muted">{prefs.t(Msg::OpsAuditNote)}</p>
            }
            .into_any()
        }/>
    }
}

/// The staff member's password, replaced: the issued one at the first sign-in, or any time.
#[server(prefix = "/ops/api", endpoint = "change_staff_password")]
pub async fn change_staff_password(
    current: String,
    new: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::auth::server::fail;
    use crate::error::{respond, Field};
    let (ctx, s) = super::server::current_staff().await?;
    if new != confirm {
        return Err(respond(AppError::Invalid(Field::NewPassword)));
    }
    ctx.ops()
        .change_password(&s.member, &current, &new)
        .await
        .map_err(fail)?;
    leptos_axum::redirect("/ops");
    Ok(())
}

#[component]
pub fn PasswordPage() -> impl IntoView {
    let prefs = use_prefs();
    let action = ServerAction::<ChangeStaffPassword>::new();
    view! {
        <ConsolePage title=Msg::OpsPassword ready=move |me| view! {
            {me.must_change_password.then(|| view! {
                <p class="mb-4 font-semibold" role="status">{prefs.t(Msg::OpsMustChangePassword)}</p>
            })}
            <ActionForm action=action>
                <div class="card form-stack console-narrow">
                    <label class="field-label">{prefs.t(Msg::OpsCurrentPassword)}
                        <input class="field" type="password" name="current" autocomplete="current-password" required maxlength="64"/></label>
                    <label class="field-label">{prefs.t(Msg::OpsNewPassword)}
                        <input class="field" type="password" name="new" autocomplete="new-password" required minlength="8" maxlength="64"/></label>
                    <label class="field-label">{prefs.t(Msg::OpsConfirmPassword)}
                        <input class="field" type="password" name="confirm" autocomplete="new-password" required minlength="8" maxlength="64"/></label>
                    <p class="text-muted">{prefs.t(Msg::OpsPasswordRules)}</p>
                    <button type="submit" class="btn-primary">{prefs.t(Msg::OpsSavePassword)}</button>
                    <SaveStatus action=action saved=Msg::OpsPasswordSaved/>
                </div>
            </ActionForm>
        }/>
    }
}
