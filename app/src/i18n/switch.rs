//! The language switch and the server function behind it.

use leptos::prelude::*;

use super::{Lang, Msg};
use crate::error::{AppError, SaveStatus};
use crate::prefs::use_prefs;

/// Stores the chosen language in the `lang` cookie and answers with it.
#[server(endpoint = "set_language")]
pub async fn set_language(lang: String) -> Result<Lang, AppError> {
    use crate::error::respond;
    let chosen = Lang::from_tag(&lang).ok_or_else(|| respond(AppError::UnknownLanguage(lang)))?;
    crate::prefs::set_pref_cookie(super::LANG_COOKIE, chosen.tag());
    Ok(chosen)
}

/// One button per language, each named in its own language.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let prefs = use_prefs();
    let action = ServerAction::<SetLanguage>::new();
    Effect::new(move |_| {
        if let Some(Ok(lang)) = action.value().get() {
            prefs.lang.set(lang);
        }
    });
    let buttons = Lang::ALL
        .into_iter()
        .map(|lang| {
            view! {
                <button
                    type="submit"
                    name="lang"
                    value=lang.tag()
                    lang=lang.tag()
                    data-lang-option=lang.tag()
                    class="choice-button"
                    aria-pressed=move || (prefs.lang.get() == lang).to_string()
                >
                    {lang.native_name()}
                </button>
            }
        })
        .collect_view();
    view! {
        <ActionForm action=action>
            <div class="flex flex-wrap gap-3">{buttons}</div>
            <SaveStatus action=action saved=Msg::LanguageSaved/>
        </ActionForm>
    }
}
