//! 朗读本页: the simple editions read the page's main content aloud with the browser's own
//! speech synthesis. The button is rendered hidden and only revealed after hydration where
//! `speechSynthesis` exists, so nobody sees a control that cannot work.

use leptos::prelude::*;

use super::Icon;
use crate::i18n::Msg;
use crate::prefs::use_prefs;

#[component]
pub fn ReadAloud() -> impl IntoView {
    let prefs = use_prefs();
    let supported = RwSignal::new(false);
    let speaking = RwSignal::new(false);
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| supported.set(speech::available()));
    let toggle = move |_| {
        if speaking.get_untracked() {
            speech::stop();
            speaking.set(false);
        } else {
            speaking.set(speech::read_main(
                prefs.lang.get_untracked().tag(),
                move || speaking.set(false),
            ));
        }
    };
    view! {
        <button
            type="button"
            class="read-aloud"
            data-testid="read-aloud"
            hidden=move || !(supported.get() && prefs.edition.get().is_simple())
            aria-pressed=move || speaking.get().to_string()
            on:click=toggle
        >
            {Icon::Speaker.view()}
            <span>{move || if speaking.get() { prefs.t(Msg::StopReading) } else { prefs.t(Msg::ReadAloud) }}</span>
        </button>
    }
}

#[cfg(feature = "hydrate")]
mod speech {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    pub fn available() -> bool {
        web_sys::window()
            .map(|w| js_sys::Reflect::has(&w, &"speechSynthesis".into()).unwrap_or(false))
            .unwrap_or(false)
    }

    pub fn stop() {
        if let Some(synth) = web_sys::window().and_then(|w| w.speech_synthesis().ok()) {
            synth.cancel();
        }
    }

    /// Speaks the text of `<main>`; returns whether speaking started.
    pub fn read_main(lang: &str, on_end: impl Fn() + 'static) -> bool {
        let Some(window) = web_sys::window() else {
            return false;
        };
        let Ok(synth) = window.speech_synthesis() else {
            return false;
        };
        let text = window
            .document()
            .and_then(|d| d.get_element_by_id("main"))
            .and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok())
            .map(|m| m.inner_text())
            .unwrap_or_default();
        let Ok(utterance) = web_sys::SpeechSynthesisUtterance::new_with_text(&text) else {
            return false;
        };
        utterance.set_lang(lang);
        // Slower than default: the simple editions are read to older listeners.
        utterance.set_rate(0.9);
        let done = Closure::<dyn Fn()>::new(on_end);
        utterance.set_onend(Some(done.as_ref().unchecked_ref()));
        done.forget();
        synth.cancel();
        synth.speak(&utterance);
        true
    }
}

#[cfg(not(feature = "hydrate"))]
mod speech {
    pub fn available() -> bool {
        false
    }
    pub fn stop() {}
    pub fn read_main(_lang: &str, _on_end: impl Fn() + 'static) -> bool {
        false
    }
}
