//! Live delivery held by one node: 2,000 signed-in customers (by default) each with an open
//! `/api/live` stream over real TCP to the portal's router in this process, idle. Prints the
//! memory the connections add (the process's resident set before and after, divided by the
//! connections; it includes the client ends, which hold a socket and a small buffer each, so
//! it is an upper bound for the server's share), what the node's once-a-second look at
//! arrivals costs with them all connected, and how long an announcement pushed to all of them
//! takes to reach every stream. SQLite. Not a test: it prints numbers for BENCHMARKS.md.
//!
//!   cargo bench -p server --bench live_sse
//!   BENCH_SSE_CONNECTIONS=5000 cargo bench -p server --bench live_sse

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use leptos::prelude::LeptosOptions;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use domain::clock::{Clock, SystemClock, DAY};
use domain::content::push::Pusher;
use domain::content::{Content, Draft, Kind, Targeting};
use domain::identity::session::SessionPolicy;
use domain::ops::Role;
use domain::pii::KeyRing;
use domain::testing;
use server::context::{server_context, Outside};
use server::live::LiveHub;
use server::router::{build, AppState};

fn resident_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// Reads from `stream` until `marker` has arrived (appending to `seen`).
async fn read_until(stream: &mut TcpStream, seen: &mut Vec<u8>, marker: &str) {
    let mut buf = [0u8; 1024];
    while !String::from_utf8_lossy(seen).contains(marker) {
        let n = stream.read(&mut buf).await.unwrap();
        assert!(n > 0, "the stream closed before {marker}");
        seen.extend_from_slice(&buf[..n]);
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let connections: usize = std::env::var("BENCH_SSE_CONNECTIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let t = testing::sqlite().await;
    domain::institution::seed(&t.db).await.unwrap();
    let clock = Arc::new(SystemClock);
    testing::bulk_customers(&t.db, "B002", 0, connections, clock.now()).await;
    let mut tokens = Vec::with_capacity(connections);
    for n in 0..connections {
        let customer = format!("bench-{n:08}");
        tokens.push(
            domain::identity::session::create(
                &t.db,
                clock.as_ref(),
                &customer,
                &format!("device-{n}"),
                "bench",
                SessionPolicy::default(),
            )
            .await
            .unwrap(),
        );
    }
    let keys = Arc::new(KeyRing::development());
    let outside = Outside::simulators(&t.db, clock.clone());
    let ctx = server_context(
        &t.db,
        clock.clone(),
        keys,
        &outside,
        "http://localhost:3000",
    )
    .unwrap();
    let live = LiveHub::start(t.db.clone(), clock.clone());
    let app = build(AppState {
        leptos_options: LeptosOptions::builder()
            .output_name("bank-portal")
            .site_root("target/site")
            .build(),
        ctx,
        dev_endpoints: false,
        public_origin: server::security::PublicOrigin("http://localhost:3000".into()),
        trusted_proxies: Default::default(),
        live: live.clone(),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    // One stream opened and closed first, so what every stream shares is already in memory.
    let open = |token: String| async move {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let request = format!(
            "GET /api/live HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\nCookie: {}={token}\r\n\r\n",
            app::auth::SESSION_COOKIE
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut seen = Vec::new();
        read_until(&mut stream, &mut seen, "event: hello").await;
        stream
    };
    drop(open(tokens[0].clone()).await);
    tokio::time::sleep(Duration::from_millis(200)).await;

    let before = resident_kib();
    let started = Instant::now();
    let mut streams = Vec::with_capacity(connections);
    for token in &tokens {
        streams.push(open(token.clone()).await);
    }
    let opened = started.elapsed();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = resident_kib();
    assert_eq!(live.connections(), connections);

    // What the hub's look costs each second with everyone connected (its own query, timed).
    let customers: Vec<String> = (0..connections).map(|n| format!("bench-{n:08}")).collect();
    let looks = 20;
    let look_started = Instant::now();
    for _ in 0..looks {
        for chunk in customers.chunks(400) {
            domain::notify::arrived_since(&t.db, chunk, clock.now() - 10_000)
                .await
                .unwrap();
        }
    }
    let look = look_started.elapsed() / looks;

    // An announcement to all of them: from publishing to the last stream's `message`.
    let arrived = Arc::new(AtomicUsize::new(0));
    for mut stream in streams {
        let arrived = arrived.clone();
        tokio::spawn(async move {
            let mut seen = Vec::new();
            read_until(&mut stream, &mut seen, "event: message").await;
            arrived.fetch_add(1, Ordering::Relaxed);
            // Held open until the process ends, like a page left open.
            std::future::pending::<()>().await;
            drop(stream);
        });
    }
    let content = Content {
        db: &t.db,
        clock: clock.as_ref(),
    };
    let editor = testing::staff_member("e", "B002", &[Role::Editor]);
    let approver = testing::staff_member("a", "B002", &[Role::Approver]);
    let pushed_at = Instant::now();
    let id = content
        .create(
            &editor,
            Draft {
                kind: Kind::Announcement,
                title: "网点营业时间调整".into(),
                body: "春节期间营业时间调整。".into(),
                targeting: Targeting::default(),
                starts_at: clock.now() - DAY,
                ends_at: clock.now() + DAY,
                push: true,
            },
        )
        .await
        .unwrap();
    content.submit(&editor, &id).await.unwrap();
    content.publish(&approver, &id).await.unwrap();
    let pusher = Pusher {
        content: Content {
            db: &t.db,
            clock: clock.as_ref(),
        },
        node: "bench",
    };
    while pusher.pass(1_000, 10).await.unwrap().customers > 0 {}
    let delivered = pushed_at.elapsed();
    while arrived.load(Ordering::Relaxed) < connections {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let all_live = pushed_at.elapsed();

    println!("| connections | opened in s | RSS before MiB | RSS after MiB | KiB per connection | one look ms | pushed to all ms | on every stream ms |");
    println!("|---|---|---|---|---|---|---|---|");
    println!(
        "| {connections} | {:.2} | {:.1} | {:.1} | {:.1} | {:.2} | {} | {} |",
        opened.as_secs_f64(),
        before as f64 / 1024.0,
        after as f64 / 1024.0,
        after.saturating_sub(before) as f64 / connections as f64,
        look.as_secs_f64() * 1000.0,
        delivered.as_millis(),
        all_live.as_millis(),
    );
    t.finish().await;
}
