//! Choosing an edition: the first-visit chooser, the page behind "切换版本", and the switch in
//! settings all post [`set_edition`].

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::Edition;
use crate::error::{AppError, SaveStatus};
use crate::i18n::Msg;
use crate::prefs::use_prefs;

/// Stores the chosen edition in the `edition` cookie and answers with it.
///
/// `next`, when it is a same-site path, is where a plain form post lands afterwards (the
/// chooser sends the page the visitor came for); without it the browser returns to the form.
#[server(endpoint = "set_edition")]
pub async fn set_edition(edition: String, next: Option<String>) -> Result<Edition, AppError> {
    use crate::error::respond;
    use crate::prefs::{safe_next, set_pref_cookie};

    let chosen =
        Edition::from_slug(&edition).ok_or_else(|| respond(AppError::UnknownEdition(edition)))?;
    set_pref_cookie(super::EDITION_COOKIE, chosen.slug());
    // Signed in: pushes targeted by edition follow the customer to the new one.
    if let Some((ctx, s)) = crate::auth::server::session_if_any().await {
        crate::auth::server::remember_edition(&ctx, &s.customer_id, chosen).await;
    }
    if let Some(next) = safe_next(next.as_deref()) {
        leptos_axum::redirect(next);
    }
    Ok(chosen)
}

/// The four editions as large buttons, one form; the current one is marked.
///
/// Before WASM loads this is a plain form post (the server sets the cookie and redirects back);
/// after, the call runs in the background and the page switches theme without a reload.
#[component]
pub fn EditionSwitch(
    /// Where to go after choosing (the chooser); `None` stays on the page (settings).
    #[prop(optional, into)]
    next: Option<String>,
) -> impl IntoView {
    let prefs = use_prefs();
    let action = ServerAction::<SetEdition>::new();
    Effect::new(move |_| {
        if let Some(Ok(edition)) = action.value().get() {
            prefs.edition.set(edition);
            prefs.chosen.set(true);
        }
    });
    let cards = Edition::ALL
        .into_iter()
        .map(|edition| {
            let current = move || prefs.chosen.get() && prefs.edition.get() == edition;
            view! {
                <li>
                    <button
                        type="submit"
                        name="edition"
                        value=edition.slug()
                        data-edition-option=edition.slug()
                        aria-describedby=format!("edition-about-{}", edition.slug())
                        class="edition-card"
                        class:edition-card-current=current
                    >
                        <span class="edition-swatch" data-swatch=edition.slug() aria-hidden="true"></span>
                        <span class="flex-1 text-left">
                            <span class="block text-lg font-bold">{move || prefs.t(edition.name())}</span>
                            <span class="block text-sm font-semibold text-brand">{move || prefs.t(edition.feature())}</span>
                            <span id=format!("edition-about-{}", edition.slug()) class="mt-1 block text-muted">
                                {move || prefs.t(edition.about())}
                            </span>
                        </span>
                        <span class="edition-card-state">
                            {move || if current() { prefs.t(Msg::InUse) } else { prefs.t(Msg::ChooseThis) }}
                        </span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <ActionForm action=action>
            {next.map(|next| view! { <input type="hidden" name="next" value=next/> })}
            <ul class="grid gap-3 sm:grid-cols-2" role="list">{cards}</ul>
            <SaveStatus action=action saved=Msg::EditionSaved/>
        </ActionForm>
    }
}

/// The chooser: what the four editions are, in plain words, and the switch.
#[component]
pub fn EditionChooser(
    /// A slug from `?edition=` that matched no edition: said plainly above the choices.
    unknown: Option<String>,
    /// Where to land after choosing; home when none.
    next: Option<String>,
) -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <section class="page" aria-labelledby="chooser-title">
            <h1 id="chooser-title" class="page-title">{move || prefs.t(Msg::ChooserTitle)}</h1>
            {unknown.map(|slug| view! {
                <p role="alert" class="mb-4 rounded-lg border-2 border-danger bg-danger-soft px-4 py-3 text-danger">
                    {move || prefs.t(Msg::ChooserUnknown)} " (" <code>{slug.clone()}</code> ")"
                </p>
            })}
            <p class="mb-5 text-muted">{move || prefs.t(Msg::ChooserIntro)}</p>
            <EditionSwitch next=next.unwrap_or_else(|| "/".to_string())/>
        </section>
    }
}

/// `/edition`: the chooser on its own page (`?unknown=` and `?next=` come from the middleware).
#[component]
pub fn ChooserPage() -> impl IntoView {
    let query = use_query_map();
    let unknown = query
        .with_untracked(|q| q.get("unknown"))
        .filter(|s| !s.is_empty());
    let next = query
        .with_untracked(|q| q.get("next"))
        .filter(|n| crate::prefs::safe_next(Some(n)).is_some());
    view! { <EditionChooser unknown=unknown next=next/> }
}
