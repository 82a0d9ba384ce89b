//! The frame around every page: header, main landmark, the edition's bottom navigation, and the
//! read-aloud button of the simple editions. Webview-ready: safe-area insets are padded (see
//! `style/tailwind.css`), nothing depends on hover, nothing opens a window.

mod icon;
mod read_aloud;

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::i18n::Msg;
use crate::prefs::use_prefs;

pub use icon::Icon;
pub use read_aloud::ReadAloud;

#[component]
pub fn Frame(children: Children) -> impl IntoView {
    let prefs = use_prefs();
    let pathname = use_location().pathname;
    crate::inbox::live::provide_live();
    let nav = move || {
        let path = pathname.get();
        prefs
            .edition
            .get()
            .nav()
            .iter()
            .map(|item| {
                let active = is_under(&path, item.href);
                view! {
                    <li class="flex-1">
                        <a
                            href=item.href
                            class="nav-link"
                            aria-current=active.then_some("page")
                        >
                            {item.icon.view()}
                            <span>{prefs.t(item.label)}</span>
                        </a>
                    </li>
                }
            })
            .collect_view()
    };
    // The operators' console shares the document but none of the customer's chrome: no
    // customer header or bottom navigation, its own idle warning, a wider main column.
    let console = Memo::new(move |_| is_under(&pathname.get(), "/ops"));
    let customer_header = move || {
        (!console.get()).then(|| view! {
            <header class="app-header">
                <div class="mx-auto flex w-full max-w-3xl items-center gap-3 px-4 py-3">
                    <a href="/" class="flex min-w-0 flex-1 items-center gap-2 text-inherit no-underline">
                        <span class="brand-mark" aria-hidden="true">"农"</span>
                        <span class="min-w-0">
                            // The large-type editions name the bank alone, so the name stays
                            // whole beside the read-aloud button on a 360 px phone (in English
                            // it wraps rather than being cut).
                            <span class="block text-lg font-bold leading-tight" data-testid="brand-name">
                                {move || prefs.t(if prefs.edition.get().is_simple() { Msg::BrandName } else { Msg::BrandAppName })}
                            </span>
                            <span class="block truncate text-sm opacity-90" data-testid="edition-name">
                                {move || prefs.t(prefs.edition.get().name())}
                            </span>
                        </span>
                    </a>
                    <crate::inbox::live::MessageBell/>
                    <ReadAloud/>
                </div>
            </header>
        })
    };
    let console_header = move || {
        console.get().then(|| view! {
            <header class="app-header">
                <div class="mx-auto flex w-full max-w-6xl items-center gap-2 px-4 py-3">
                    <a href="/ops" class="flex items-center gap-2 text-inherit no-underline">
                        <span class="brand-mark" aria-hidden="true">"农"</span>
                        <span class="text-lg font-bold">{move || prefs.t(Msg::BrandName)} " · " {move || prefs.t(Msg::OpsTitle)}</span>
                    </a>
                </div>
            </header>
        })
    };
    let customer_footer = move || {
        (!console.get()).then(|| {
            view! {
                <crate::auth::IdleWarning/>
                <nav class="app-nav" aria-label=move || prefs.t(Msg::MainNavigation)>
                    <ul class="mx-auto flex max-w-3xl" role="list">{nav}</ul>
                </nav>
            }
        })
    };
    let console_footer = move || {
        console
            .get()
            .then(|| view! { <crate::auth::IdleWarning console=true/> })
    };
    // Feedback from any customer page, carrying the page it came from (a path of ours: no
    // query, so nothing the customer typed).
    let feedback_link = move || {
        let path = pathname.get();
        (!console.get() && !is_under(&path, "/feedback")).then(|| {
            let href = format!("/feedback?from={path}");
            view! {
                <p class="page-feedback">
                    <a href=href data-testid="feedback-link">{move || prefs.t(Msg::FeedbackLink)}</a>
                </p>
            }
        })
    };
    let main_class = move || {
        if console.get() {
            "mx-auto w-full max-w-6xl flex-1 px-4 pb-6 pt-4"
        } else {
            "mx-auto w-full max-w-3xl flex-1 px-4 pb-6 pt-4"
        }
    };
    view! {
        <a href="#main" class="skip-link">{move || prefs.t(Msg::SkipToContent)}</a>
        <div class="flex min-h-dvh flex-col">
            {customer_header}
            {console_header}
            <main id="main" tabindex="-1" class=main_class>
                {children()}
                {feedback_link}
            </main>
            {customer_footer}
            {console_footer}
        </div>
    }
}

/// Whether `path` is `section` or a page below it, by whole segments: `/accounts/…` is under
/// `/accounts`, not under `/account`; only `/` itself is under `/`.
fn is_under(path: &str, section: &str) -> bool {
    if section == "/" {
        return path == "/";
    }
    path.strip_prefix(section)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::is_under;

    #[test]
    fn sections_match_whole_path_segments() {
        assert!(is_under("/account", "/account"));
        assert!(is_under("/account/devices", "/account"));
        assert!(!is_under("/accounts", "/account"));
        assert!(is_under("/accounts/abc", "/accounts"));
        assert!(is_under("/", "/"));
        assert!(!is_under("/bills", "/"));
    }
}
