//! Settings: where the edition and the language are changed. Reachable from every edition's
//! navigation (适老化: the elder entry is visible in settings).

use leptos::prelude::*;

use crate::edition::EditionSwitch;
use crate::i18n::{LanguageSwitch, Msg};
use crate::prefs::use_prefs;

// The pages below arrive in their own WASM chunk (see `crate::chunk`).
crate::lazy_pages!(settings: SETTINGS_PAGE => SettingsPage);

#[component]
pub fn SettingsPage() -> impl IntoView {
    let prefs = use_prefs();
    view! {
        <section class="page" aria-labelledby="settings-title">
            <h1 id="settings-title" class="page-title">{move || prefs.t(Msg::SettingsTitle)}</h1>
            <section class="card" aria-labelledby="settings-edition">
                <h2 id="settings-edition" class="section-title">{move || prefs.t(Msg::SettingsEdition)}</h2>
                <p class="mb-4 text-muted">{move || prefs.t(Msg::SettingsEditionHint)}</p>
                <EditionSwitch/>
            </section>
            <section class="card mt-4" aria-labelledby="settings-language">
                <h2 id="settings-language" class="section-title">{move || prefs.t(Msg::SettingsLanguage)}</h2>
                <LanguageSwitch/>
            </section>
        </section>
    }
}
