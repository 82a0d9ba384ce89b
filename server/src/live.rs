//! Live delivery of the message centre: `GET /api/live`, a Server-Sent Events stream per open
//! page of a signed-in customer. It says `hello` with the unread count at once, then `message`
//! with the new count whenever something arrives for the customer: a pushed item, a reminder
//! or a movement on their accounts, written by this node or any other.
//!
//! Nodes share nothing but the database, so one task per node (the [`LiveHub`]) looks every
//! second at what arrived lately for the customers connected to this node
//! (`domain::notify::arrived_since`: their messages and the postings on their card accounts),
//! and wakes their streams. It looks back a few seconds each time and remembers what it
//! has announced, so a message written with an earlier time and committed late is not missed
//! and none is announced twice. An idle stream costs a channel and a map entry; it does not
//! touch the database until something arrives. Reading does not count as activity: the
//! session's idle timeout still ends it, and the stream ends with the session.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::mpsc;

use app::inbox::live::LiveUnread;
use domain::clock::Clock;
use domain::Db;

use crate::router::AppState;

/// How often the hub looks for new messages.
const POLL_EVERY: Duration = Duration::from_secs(1);
/// How far back each look reaches (covers a write committed after its stated time).
const LOOK_BACK_MS: i64 = 10_000;
/// How often an open stream checks that its session is still there.
const SESSION_CHECK_EVERY: Duration = Duration::from_secs(30);
/// Customers per query.
const CHUNK: usize = 400;

/// Each connected customer's open streams: (stream number, its wake-up channel).
type Subscribers = HashMap<String, Vec<(u64, mpsc::Sender<()>)>>;

/// The connected customers of this node and the task that wakes them.
pub struct LiveHub {
    subscribers: Mutex<Subscribers>,
    next: AtomicU64,
    /// Set when the node shuts down: every stream ends, so draining does not wait on them
    /// (the browsers reconnect to another node).
    closing: tokio::sync::watch::Sender<bool>,
}

/// One open stream's place in the hub; leaving it (dropping) unsubscribes.
pub struct Subscription {
    hub: Arc<LiveHub>,
    customer_id: String,
    id: u64,
    pub arrivals: mpsc::Receiver<()>,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut subs = self
            .hub
            .subscribers
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(list) = subs.get_mut(&self.customer_id) {
            list.retain(|(id, _)| *id != self.id);
            if list.is_empty() {
                subs.remove(&self.customer_id);
            }
        }
    }
}

impl LiveHub {
    /// A hub whose task looks for arrivals on `db` (stops with the runtime).
    pub fn start(db: Db, clock: Arc<dyn Clock>) -> Arc<LiveHub> {
        let hub = Arc::new(LiveHub {
            subscribers: Mutex::new(HashMap::new()),
            next: AtomicU64::new(1),
            closing: tokio::sync::watch::channel(false).0,
        });
        let watcher = hub.clone();
        tokio::spawn(async move {
            let mut announced: HashMap<String, i64> = HashMap::new();
            loop {
                tokio::time::sleep(POLL_EVERY).await;
                if let Err(e) = watcher.look(&db, clock.now(), &mut announced).await {
                    tracing::warn!(error = %e, "live delivery look failed; will retry");
                }
            }
        });
        hub
    }

    pub fn subscribe(self: &Arc<Self>, customer_id: &str) -> Subscription {
        let (tx, rx) = mpsc::channel(1);
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.subscribers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(customer_id.to_string())
            .or_default()
            .push((id, tx));
        Subscription {
            hub: self.clone(),
            customer_id: customer_id.to_string(),
            id,
            arrivals: rx,
        }
    }

    /// Ends every open stream (the node is shutting down).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Open streams on this node.
    pub fn connections(&self) -> usize {
        self.subscribers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .map(Vec::len)
            .sum()
    }

    /// One look: what arrived in the last seconds for connected customers and was not yet
    /// announced (`announced`: message or posting id → its time) wakes their streams.
    async fn look(
        &self,
        db: &Db,
        now: i64,
        announced: &mut HashMap<String, i64>,
    ) -> domain::Result<()> {
        let customers: Vec<String> = self
            .subscribers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .keys()
            .cloned()
            .collect();
        let since = now - LOOK_BACK_MS;
        announced.retain(|_, at| *at >= since);
        if customers.is_empty() {
            return Ok(());
        }
        let mut woken = HashSet::new();
        for chunk in customers.chunks(CHUNK) {
            for arrival in domain::notify::arrived_since(db, chunk, since).await? {
                if announced.insert(arrival.id, arrival.at).is_none() {
                    woken.insert(arrival.customer_id);
                }
            }
        }
        let subs = self.subscribers.lock().unwrap_or_else(|e| e.into_inner());
        for customer in woken {
            for (_, tx) in subs.get(&customer).into_iter().flatten() {
                // A full channel already holds a wake-up: one is enough.
                let _ = tx.try_send(());
            }
        }
        Ok(())
    }
}

/// `GET /api/live`. Signed out → 204, which tells the browser not to reconnect.
pub async fn live(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| app::prefs::read_cookie(h, app::auth::SESSION_COOKIE))
        .map(str::to_string)
    else {
        return StatusCode::NO_CONTENT.into_response();
    };
    let ctx = state.ctx.clone();
    let peek = |ctx: app::ServerContext, token: String| async move {
        domain::identity::session::peek(&ctx.db, ctx.clock.as_ref(), &token, ctx.sessions)
            .await
            .ok()
    };
    let Some(session) = peek(ctx.clone(), token.clone()).await else {
        return StatusCode::NO_CONTENT.into_response();
    };
    // Subscribed before counting, so nothing arriving in between is missed.
    let subscription = state.live.subscribe(&session.customer_id);
    let customer = session.customer_id;
    let unread = |ctx: app::ServerContext, customer: String| async move {
        domain::notify::unread(&ctx.db, &customer).await.ok()
    };
    let Some(first) = unread(ctx.clone(), customer.clone()).await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    let hello = event("hello", first);
    let closing = state.live.closing.subscribe();
    let stream = futures::stream::once(async move { Ok::<_, std::convert::Infallible>(hello) })
        .chain(futures::stream::unfold(
            (subscription, ctx, token, customer),
            move |(mut sub, ctx, token, customer)| {
                let mut closing = closing.clone();
                async move {
                    let mut check = tokio::time::interval(SESSION_CHECK_EVERY);
                    check.tick().await;
                    loop {
                        if *closing.borrow_and_update() {
                            return None;
                        }
                        tokio::select! {
                            _ = closing.changed() => return None,
                            woke = sub.arrivals.recv() => {
                                woke?;
                                let n = unread(ctx.clone(), customer.clone()).await?;
                                return Some((Ok(event("message", n)), (sub, ctx, token, customer)));
                            }
                            _ = check.tick() => {
                                peek(ctx.clone(), token.clone()).await?;
                            }
                        }
                    }
                }
            },
        ));
    Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(20)))
        .into_response()
}

fn event(name: &str, unread: i64) -> Event {
    Event::default()
        .event(name)
        .data(serde_json::to_string(&LiveUnread { unread }).unwrap_or_default())
}

use futures::StreamExt as _;
