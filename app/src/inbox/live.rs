//! Live delivery: while a signed-in customer has any page open, the server's event stream
//! (`/api/live`, Server-Sent Events, served by the server crate) says how many messages are
//! unread, at once and again whenever one arrives, whichever node delivered it. The header's
//! bell shows the count (the standard editions; the simple ones' home page count follows it); the message centre reloads its list when something arrives; a
//! screen reader hears "new message". Needs WASM: without it the home page's count and the
//! message centre itself still say everything, on the next page load.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::i18n::{Msg, Tpl};
use crate::prefs::use_prefs;

/// Where the stream is served (by the server crate, outside the server functions).
pub const LIVE_PATH: &str = "/api/live";

/// One event of the stream: `hello` on connecting, `message` when something arrived.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveUnread {
    pub unread: i64,
}

/// What the page knows from the stream.
#[derive(Clone, Copy)]
pub struct Live {
    /// `None` until the stream answered (signed out, or no WASM): the bell shows no count.
    pub unread: RwSignal<Option<i64>>,
    /// How many messages arrived while the page was open (pages that list them reload).
    pub arrived: RwSignal<u32>,
}

pub fn use_live() -> Option<Live> {
    use_context::<Live>()
}

/// Starts listening (in the browser) and makes [`Live`] available to the pages; called once by
/// the layout. The stream is opened again after a navigation if it was closed (the customer
/// signed in since, or the server ended it when the session did).
pub fn provide_live() -> Live {
    let live = Live {
        unread: RwSignal::new(None),
        arrived: RwSignal::new(0),
    };
    provide_context(live);
    #[cfg(feature = "hydrate")]
    {
        let location = leptos_router::hooks::use_location();
        let source = StoredValue::new_local(None::<browser::Stream>);
        Effect::new(move |_| {
            // The console's staff are no customers: no stream there.
            if location.pathname.get().starts_with("/ops") {
                return;
            }
            let open = source.with_value(|s| s.as_ref().is_some_and(browser::Stream::is_open));
            if !open {
                source.set_value(browser::Stream::open(live));
            }
        });
    }
    live
}

/// The header's way into the message centre, with the unread count once known.
#[component]
pub fn MessageBell() -> impl IntoView {
    let prefs = use_prefs();
    let live = use_live();
    let unread = move || live.and_then(|l| l.unread.get()).unwrap_or(0);
    let label = move || {
        let n = unread();
        if n > 0 {
            Tpl::UnreadMessages.fill(prefs.lang.get(), &[("count", &n.to_string())])
        } else {
            prefs.t(Msg::InboxTitle).to_string()
        }
    };
    let arrived = move || live.map_or(0, |l| l.arrived.get());
    // Marks a page whose stream has answered (the end-to-end tests wait for it).
    let listening = move || live.and_then(|l| l.unread.get()).map(|_| "on");
    // The simple editions keep their header to the bank and 朗读本页 (few, large choices):
    // their home page's count and the message centre's tile say what the bell would.
    let bell = move || {
        (!prefs.edition.get().is_simple()).then(|| view! {
            <a href="/inbox" class="header-bell" aria-label=label data-testid="message-bell">
                {crate::layout::Icon::Bell.view()}
                {move || (unread() > 0).then(|| view! {
                    <span class="bell-count" data-testid="bell-count" aria-hidden="true">{unread()}</span>
                })}
            </a>
        })
    };
    view! {
        {bell}
        <span class="sr-only" role="status" aria-live="polite" data-testid="live-status" data-live=listening>
            {move || (arrived() > 0).then(|| prefs.t(Msg::LiveNewMessage))}
        </span>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{Live, LiveUnread, LIVE_PATH};
    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{EventSource, MessageEvent};

    /// An open `EventSource` and the handlers it calls (kept alive as long as it is).
    pub struct Stream {
        source: EventSource,
        _hello: Closure<dyn FnMut(MessageEvent)>,
        _message: Closure<dyn FnMut(MessageEvent)>,
    }

    impl Stream {
        pub fn open(live: Live) -> Option<Stream> {
            let source = EventSource::new(LIVE_PATH).ok()?;
            let read = |e: &MessageEvent| {
                e.data()
                    .as_string()
                    .and_then(|d| serde_json::from_str::<LiveUnread>(&d).ok())
            };
            let hello = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                if let Some(u) = read(&e) {
                    live.unread.set(Some(u.unread));
                }
            });
            let message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                if let Some(u) = read(&e) {
                    live.unread.set(Some(u.unread));
                    live.arrived.update(|n| *n += 1);
                }
            });
            source
                .add_event_listener_with_callback("hello", hello.as_ref().unchecked_ref())
                .ok()?;
            source
                .add_event_listener_with_callback("message", message.as_ref().unchecked_ref())
                .ok()?;
            Some(Stream {
                source,
                _hello: hello,
                _message: message,
            })
        }

        /// Connecting or connected; a stream the server refused (signed out) is closed.
        pub fn is_open(&self) -> bool {
            self.source.ready_state() != EventSource::CLOSED
        }
    }
}
