//! Transfers through the HTTP server functions, as the portal's pages call them: for each
//! transfer `prepare_transfer`, `load_transfer_confirm` and `confirm_transfer`, through the
//! whole axum router (security middleware, session check, server-function decoding) in process
//! (no TCP), after a warm-up of a tenth of its size that is not shown. Not a test: it prints
//! numbers for BENCHMARKS.md.
//!
//!   cargo bench -p server --bench transfers_http     # PostgreSQL too when TEST_DATABASE_URL is set

// The server binary's allocator (`server/src/main.rs`), so the numbers are the portal's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Request};
use axum::Router;
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use tower::ServiceExt;

use domain::clock::SystemClock;
use domain::identity::session::SessionPolicy;
use domain::pii::KeyRing;
use domain::testing;
use server::context::{server_context, Outside};
use server::router::{build, AppState};

struct Client {
    cookies: BTreeMap<String, String>,
}

impl Client {
    async fn call(
        &mut self,
        app: &Router,
        endpoint: &str,
        form: String,
    ) -> (u16, String, Option<String>) {
        let jar: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let req = Request::post(endpoint)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header("sec-fetch-site", "same-origin")
            .header(header::COOKIE, jar.join("; "))
            .body(Body::from(form))
            .unwrap();
        let res = app.clone().oneshot(req).await.unwrap();
        for c in res.headers().get_all(header::SET_COOKIE) {
            let c = c.to_str().unwrap();
            let pair = c.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            self.cookies.insert(k.into(), v.into());
        }
        let status = res.status().as_u16();
        let location = res
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string());
        let body = res.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            String::from_utf8_lossy(&body).into_owned(),
            location,
        )
    }
}

async fn signed_in(t: &testing::TestDb, keys: &KeyRing, n: u32) -> (Client, String, String) {
    let clock = SystemClock;
    let customer = testing::customer(&t.db, &clock, keys, 700 + n, "压测客户", "B001").await;
    let account = domain::account::Accounts {
        db: &t.db,
        clock: &clock,
    }
    .open(&customer, domain::account::AccountClass::One, "活期")
    .await
    .unwrap();
    domain::ledger::deposit(
        &t.db,
        &clock,
        &account.id,
        1_000_000_000,
        "现金存入",
        "压测备付",
    )
    .await
    .unwrap();
    let token = domain::identity::session::create(
        &t.db,
        &clock,
        &customer,
        "bench",
        "bench",
        SessionPolicy::default(),
    )
    .await
    .unwrap();
    let mut c = Client {
        cookies: BTreeMap::new(),
    };
    c.cookies.insert("sid".into(), token);
    c.cookies
        .insert("did".into(), format!("bench-device-{n:040}"));
    (c, account.id, account.card_no)
}

/// Every client sends `each` transfers to the next client's card, three server functions
/// apiece; returns the clients (their cookies) and every transfer's latency.
async fn round(
    app: &Router,
    parties: Vec<(Client, String, String)>,
    cards: &[String],
    each: usize,
) -> (Vec<(Client, String, String)>, Vec<Duration>) {
    let mut handles = Vec::new();
    for (i, (mut client, from, card)) in parties.into_iter().enumerate() {
        let app = app.clone();
        let to = cards[(i + 1) % cards.len()].clone();
        handles.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(each);
            for _ in 0..each {
                let t0 = Instant::now();
                let (s, b, _) = client
                    .call(
                        &app,
                        "/api/prepare_transfer",
                        format!("from={from}&payee=&to={to}&amount=1.23"),
                    )
                    .await;
                assert!(s < 400, "prepare: {s} {b}");
                let (s, b, _) = client
                    .call(&app, "/api/load_transfer_confirm", String::new())
                    .await;
                assert_eq!(s, 200, "confirm page: {b}");
                let v: serde_json::Value = serde_json::from_str(&b).unwrap();
                let key = v["key"].as_str().unwrap().to_string();
                let (s, b, _) = client
                    .call(&app, "/api/confirm_transfer", format!("key={key}"))
                    .await;
                assert!(s < 400, "confirm: {s} {b}");
                latencies.push(t0.elapsed());
            }
            ((client, from, card), latencies)
        }));
    }
    let (mut parties, mut all) = (Vec::new(), Vec::new());
    for h in handles {
        let (party, latencies) = h.await.unwrap();
        parties.push(party);
        all.extend(latencies);
    }
    (parties, all)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        println!("transfers_http bench: run with `cargo bench -p server --bench transfers_http`");
        return;
    }
    let total: usize = std::env::var("BENCH_TRANSFERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(800);
    let clients: usize = std::env::var("BENCH_CLIENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(32);
    println!(
        "| engine (HTTP server functions) | transfers | clients | transfers/s | p50 ms | p99 ms |"
    );
    println!("|---|---|---|---|---|---|");
    let mut engines = vec![("sqlite", testing::sqlite().await)];
    let mut skipped = None;
    match testing::postgres().await {
        Some(pg) => engines.push(("postgres", pg)),
        None => skipped = Some("PostgreSQL SKIPPED: TEST_DATABASE_URL is not set or unreachable; only SQLite was measured"),
    }
    for (name, t) in engines {
        domain::institution::seed(&t.db).await.unwrap();
        domain::account::seed_internal(&t.db, &SystemClock)
            .await
            .unwrap();
        let keys = Arc::new(KeyRing::development());
        let clock = Arc::new(SystemClock);
        let outside = Outside::simulators(&t.db, clock.clone());
        let mut ctx = server_context(
            &t.db,
            clock,
            keys.clone(),
            &outside,
            "http://localhost:3000",
        )
        .unwrap();
        // Each bench customer sends hundreds of small transfers; the allowance is still
        // counted and written on every one.
        ctx.code_free = domain::transfer::CodeFreePolicy::UNLIMITED;
        let app = build(AppState {
            leptos_options: LeptosOptions::builder()
                .output_name("bank-portal")
                .site_root("target/site")
                .build(),
            ctx,
            dev_endpoints: false,
            public_origin: server::security::PublicOrigin("http://localhost:3000".into()),
            trusted_proxies: Default::default(),
            live: server::live::LiveHub::start(t.db.clone(), Arc::new(domain::clock::SystemClock)),
        });
        let mut parties = Vec::new();
        for n in 0..clients as u32 {
            parties.push(signed_in(&t, &keys, n).await);
        }
        let cards: Vec<String> = parties.iter().map(|(_, _, card)| card.clone()).collect();
        let per_client = total / clients;
        // A warm-up of a tenth (at least one each), not shown: the portal allows 30
        // confirmations per customer in ten minutes, and the bench's sizes stay under it.
        let (parties, _) = round(&app, parties, &cards, (per_client / 10).max(1)).await;
        let start = Instant::now();
        let (_, mut all) = round(&app, parties, &cards, per_client).await;
        let elapsed = start.elapsed();
        all.sort();
        let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
        println!(
            "| {name} | {} | {clients} | {:.0} | {:.1} | {:.1} |",
            all.len(),
            all.len() as f64 / elapsed.as_secs_f64(),
            pct(0.50).as_secs_f64() * 1e3,
            pct(0.99).as_secs_f64() * 1e3,
        );
        t.finish().await;
    }
    if let Some(why) = skipped {
        println!("| {why} | | | | | |");
        println!("{why}");
    }
}
