//! The home page: the edition's service tiles, for a signed-in customer their money (the
//! simple editions' large summary, the standard editions' accounts, alerts and last movements),
//! and the latest 农商快讯 meant for them. A visitor who has never chosen an edition gets the
//! chooser here first.

mod news;
mod summary;

use leptos::prelude::*;

pub use summary::{SimpleSummary, StandardSummary};

use crate::edition::EditionChooser;
use crate::i18n::Msg;
use crate::prefs::use_prefs;
use news::HomeNewsSection;

#[component]
pub fn HomePage() -> impl IntoView {
    let prefs = use_prefs();
    move || {
        if !prefs.chosen.get() {
            return view! { <EditionChooser unknown=None next=None/> }.into_any();
        }
        let edition = prefs.edition.get();
        let tiles = edition
            .home_tiles()
            .iter()
            .map(|tile| {
                view! {
                    <li>
                        <a href=tile.href class="tile">
                            <span class="tile-icon">{tile.icon.view()}</span>
                            <span class="tile-title">{move || prefs.t(tile.title)}</span>
                            <span class="tile-hint">{move || prefs.t(tile.hint)}</span>
                        </a>
                    </li>
                }
            })
            .collect_view();
        let services_title = if edition.is_rural() {
            Msg::HomeRuralLead
        } else {
            Msg::HomeServicesTitle
        };
        view! {
            <section class="page" aria-labelledby="home-title">
                <div class="welcome">
                    <h1 id="home-title" class="text-2xl font-bold">{move || prefs.t(Msg::HomeWelcome)}</h1>
                    <p class="mt-1 opacity-90">{move || prefs.t(Msg::BrandTagline)}</p>
                </div>
                // Signed in, the customer's own money first; the rural editions lead with their
                // services and show it after them.
                {edition.is_simple().then(|| view! { <div class="mt-6"><SimpleSummary/></div> })}
                {(!edition.is_simple() && !edition.is_rural()).then(|| view! { <div class="mt-6"><StandardSummary/></div> })}
                <h2 class="section-title mt-6">{move || prefs.t(services_title)}</h2>
                <ul class="tiles" role="list">{tiles}</ul>
                {(!edition.is_simple() && edition.is_rural()).then(|| view! { <div class="mt-6"><StandardSummary/></div> })}
                <HomeNewsSection/>
            </section>
        }
        .into_any()
    }
}
