//! What the customer allows to be pushed to the message centre (用户授权、最小够用): offers
//! and campaigns (off until allowed) and news and announcements (on until turned off).
//! Movement alerts and bill reminders concern the customer's own money and always come.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{AppError, SaveStatus};
use crate::i18n::Msg;
use crate::prefs::use_prefs;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consents {
    pub marketing: bool,
    pub news: bool,
}

#[cfg(feature = "ssr")]
pub async fn of(ctx: &crate::ServerContext, customer_id: &str) -> Result<Consents, AppError> {
    use domain::consent::Purpose;
    let answers = domain::consent::of(&ctx.db, customer_id)
        .await
        .map_err(crate::auth::server::fail)?;
    let granted = |p: Purpose| answers.iter().any(|(q, g)| *q == p && *g);
    Ok(Consents {
        marketing: granted(Purpose::Marketing),
        news: granted(Purpose::News),
    })
}

/// Both answers at once, as the form posts them (a box posts only when ticked).
#[server(endpoint = "save_consents")]
pub async fn save_consents(
    marketing: Option<String>,
    news: Option<String>,
) -> Result<(), AppError> {
    use crate::auth::server::{current_session, fail};
    use domain::consent::Purpose;
    let (ctx, s) = current_session().await?;
    for (purpose, granted) in [
        (Purpose::Marketing, marketing.is_some()),
        (Purpose::News, news.is_some()),
    ] {
        domain::consent::set(
            &ctx.db,
            ctx.clock.as_ref(),
            &s.customer_id,
            purpose,
            granted,
        )
        .await
        .map_err(fail)?;
    }
    Ok(())
}

#[component]
pub fn ConsentForm(consents: Consents) -> impl IntoView {
    let prefs = use_prefs();
    let save = ServerAction::<SaveConsents>::new();
    view! {
        <section class="card mt-6" aria-labelledby="consent-title">
            <h2 id="consent-title" class="section-title">{prefs.t(Msg::ConsentTitle)}</h2>
            <ActionForm action=save>
                <div class="form-stack">
                    <label class="check-label">
                        <input type="checkbox" name="marketing" value="on" checked=consents.marketing data-testid="consent-marketing"/>
                        <span>{prefs.t(Msg::ConsentMarketing)}</span>
                    </label>
                    <label class="check-label">
                        <input type="checkbox" name="news" value="on" checked=consents.news data-testid="consent-news"/>
                        <span>{prefs.t(Msg::ConsentNews)}</span>
                    </label>
                    <p class="text-muted">{prefs.t(Msg::ConsentAlwaysSent)}</p>
                    <button type="submit" class="btn-primary" data-testid="consent-save">{prefs.t(Msg::ConsentSave)}</button>
                    <SaveStatus action=save saved=Msg::ConsentSaved/>
                </div>
            </ActionForm>
        </section>
    }
}
