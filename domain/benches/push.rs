//! Push fan-out: one announcement of a bank, marked for push, delivered to every one of its
//! customers (100,000 by default) by the delivery workers (`content::push::Pusher`), as the
//! server's worker runs them (batches of 1,000, ten per pass), with one worker and with two
//! racing on the same delivery (two nodes). 20,000 customers of another bank are not
//! walked. Prints the time to deliver and messages per second on SQLite and PostgreSQL. Not
//! a test: it prints numbers for BENCHMARKS.md.
//!
//!   cargo bench -p domain --features testing --bench push   # PostgreSQL too when TEST_DATABASE_URL is set
//!   BENCH_PUSH_CUSTOMERS=20000 cargo bench -p domain --features testing --bench push

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::time::Instant;

use domain::clock::{Clock, ManualClock, DAY};
use domain::content::push::Pusher;
use domain::content::{Content, Draft, Kind, Targeting};
use domain::ops::{Role, StaffMember};
use domain::{testing, Db};

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A member of B002's staff.
fn member(id: &str, roles: &[Role]) -> StaffMember {
    domain::testing::staff_member(id, "B002", roles)
}

async fn publish(c: &Content<'_>, title: &str, now: i64) -> String {
    let (editor, approver) = (member("e", &[Role::Editor]), member("a", &[Role::Approver]));
    let id = c
        .create(
            &editor,
            Draft {
                kind: Kind::Announcement,
                title: title.into(),
                body: "春节期间营业时间调整。".into(),
                targeting: Targeting::default(),
                starts_at: now - DAY,
                ends_at: now + 30 * DAY,
                push: true,
            },
        )
        .await
        .unwrap();
    c.submit(&editor, &id).await.unwrap();
    c.publish(&approver, &id).await.unwrap();
    id
}

/// One worker delivering until nothing is left; the messages it wrote.
async fn worker(db: &Db, clock: &ManualClock, node: &str) -> u64 {
    let pusher = Pusher {
        content: Content { db, clock },
        node,
    };
    let mut messages = 0;
    loop {
        let p = pusher.pass(1_000, 10).await.unwrap();
        messages += p.messages;
        if p.customers == 0 {
            if Pusher::open_count(db).await.unwrap() == 0 {
                return messages;
            }
            // Held by the other worker: look again shortly (its claim renews per batch).
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }
}

/// Delivers everything due with one worker or two side by side; (messages, seconds).
async fn deliver(db: &Db, clock: &ManualClock, workers: usize) -> (u64, f64) {
    let started = Instant::now();
    let total = if workers == 1 {
        worker(db, clock, "node-0").await
    } else {
        let (a, b) = tokio::join!(worker(db, clock, "node-0"), worker(db, clock, "node-1"));
        a + b
    };
    (total, started.elapsed().as_secs_f64())
}

#[tokio::main]
async fn main() {
    let targeted = env_or("BENCH_PUSH_CUSTOMERS", 100_000);
    println!("| engine | workers | targeted customers | messages | seconds | messages/s |");
    println!("|---|---|---|---|---|---|");
    let engines = testing::databases().await;
    if engines.len() < 2 {
        println!("| postgres | – | skipped: TEST_DATABASE_URL not set | | | |");
    }
    for t in engines {
        let engine = t.db.kind().as_str();
        domain::institution::seed(&t.db).await.unwrap();
        let clock = ManualClock::at(1_800_000_000_000);
        testing::bulk_customers(&t.db, "B002", 0, targeted, clock.now()).await;
        testing::bulk_customers(&t.db, "B001", targeted, 20_000, clock.now()).await;
        let c = Content {
            db: &t.db,
            clock: &clock,
        };
        for workers in [1, 2] {
            publish(&c, &format!("公告 {workers}"), clock.now()).await;
            let (messages, secs) = deliver(&t.db, &clock, workers).await;
            assert_eq!(messages as usize, targeted, "each customer once");
            println!(
                "| {engine} | {workers} | {targeted} | {messages} | {secs:.2} | {:.0} |",
                messages as f64 / secs
            );
        }
        t.finish().await;
    }
}
