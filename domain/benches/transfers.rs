//! Transfer throughput and latency through the domain (`transfer::Transfers::post`), on SQLite
//! and PostgreSQL, in the shapes customers send them: to cards of our network spread over every
//! account or into two hot ones, to saved payees, to mobile numbers, and above the step-up
//! threshold with an SMS code. Each shape runs after a warm-up of a tenth of its size. Not a
//! test: it prints numbers for BENCHMARKS.md.
//!
//!   cargo bench -p domain --features testing --bench transfers   # PostgreSQL too when TEST_DATABASE_URL is set
//!   BENCH_TRANSFERS=20000 BENCH_CLIENTS=32 cargo bench -p domain --features testing --bench transfers
//!   BENCH_CUSTOMERS=150 …   # ten accounts each (default 20 customers: 200 accounts)

// The server binary's allocator (`server/src/main.rs`), so the numbers are the portal's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::sync::Arc;
use std::time::{Duration, Instant};

use std::collections::HashMap;

use domain::account::{AccountClass, Accounts};
use domain::clock::{Clock, ManualClock, SystemClock, DAY};
use domain::identity::Mobile;
use domain::pii::KeyRing;
use domain::sms::{outbox, DevOutbox};
use domain::testing::Rng;
use domain::transfer::{Committer, PayeeRef, StepUp, TransferRequest, Transfers, STEP_UP_FROM};
use domain::{testing, Db};

struct Setup {
    db: Db,
    keys: KeyRing,
    committer: Committer,
    /// (customer, account id, card)
    accounts: Vec<(String, String, String)>,
    /// Each customer's registered mobile number.
    mobiles: HashMap<String, String>,
    /// How many accounts each customer has (theirs are consecutive in `accounts`).
    accounts_each: usize,
    /// The code shape's clock per customer, moved a day per transfer (a fresh day's codes),
    /// kept from one run to the next so that its codes are never from its future.
    code_clocks: Vec<ManualClock>,
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

async fn setup(db: Db, customers: u32, accounts_each: usize) -> Setup {
    let clock = SystemClock;
    let keys = KeyRing::development();
    domain::institution::seed(&db).await.unwrap();
    domain::account::seed_internal(&db, &clock).await.unwrap();
    let mut accounts = Vec::new();
    let mut mobiles = HashMap::new();
    for n in 0..customers {
        let c = testing::customer(&db, &clock, &keys, 500 + n, "压测客户", "B001").await;
        // `testing::customer`'s numbering.
        mobiles.insert(c.clone(), format!("1390000{:04}", (500 + n) % 10_000));
        for _ in 0..accounts_each {
            let a = Accounts {
                db: &db,
                clock: &clock,
            }
            .open(&c, AccountClass::One, "活期")
            .await
            .unwrap();
            domain::ledger::deposit(&db, &clock, &a.id, 1_000_000_000, "现金存入", "压测备付")
                .await
                .unwrap();
            accounts.push((c.clone(), a.id, a.card_no));
        }
    }
    let committer = Committer::start(db.clone());
    Setup {
        db,
        keys,
        committer,
        accounts,
        mobiles,
        accounts_each,
        code_clocks: (0..customers)
            .map(|_| ManualClock::at(SystemClock.now()))
            .collect(),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Shape {
    /// To a card of our network, any account.
    Uniform,
    /// Every transfer pays into one of two hot accounts (a merchant, a payroll account).
    Hot,
    /// To one of the payer's saved payees (read and checked by the caller, not the batch).
    Saved,
    /// To another customer's registered mobile number.
    Mobile,
    /// ¥2,000 and more: an SMS code is sent, read and given with the transfer (only the
    /// transfer with its code is timed, as the confirm page posts it).
    Code,
}

/// Nanoseconds on a CPU so far: (the whole process, the transfer writer's thread), from Linux's
/// `/proc/self/task/*/schedstat`; `None` where there is no such file.
fn cpu_ns() -> Option<(u64, u64)> {
    let (mut all, mut writer) = (0, 0);
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let dir = task.ok()?.path();
        let on_cpu: u64 = std::fs::read_to_string(dir.join("schedstat"))
            .ok()?
            .split_whitespace()
            .next()?
            .parse()
            .ok()?;
        all += on_cpu;
        if std::fs::read_to_string(dir.join("comm")).ok()?.trim() == "transfer-writer" {
            writer += on_cpu;
        }
    }
    Some((all, writer))
}

async fn run(setup: Arc<Setup>, shape: Shape, total: usize, clients: usize, tag: &str) -> String {
    // A code shape's client has a customer of its own: a newer code voids the older one.
    let customers = setup.accounts.len() / setup.accounts_each;
    let clients = if shape == Shape::Code {
        clients.min(customers)
    } else {
        clients
    };
    let per_client = total / clients;
    let cpu_before = cpu_ns();
    let start = Instant::now();
    let mut handles = Vec::new();
    for client in 0..clients {
        let s = setup.clone();
        let tag = tag.to_string();
        handles.push(tokio::spawn(async move {
            // The code shape runs on its customer's own clock; the others on the system clock.
            let manual = s.code_clocks[client % s.code_clocks.len()].clone();
            let clock: &dyn Clock = if shape == Shape::Code {
                &manual
            } else {
                &SystemClock
            };
            let sms = DevOutbox::new(s.db.clone(), Arc::new(manual.clone()));
            let transfers = Transfers {
                db: &s.db,
                clock,
                keys: &s.keys,
                committer: &s.committer,
                // Each bench customer sends hundreds of small transfers; the allowance is still
                // counted and written on every one.
                code_free: domain::transfer::CodeFreePolicy::UNLIMITED,
            };
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (client as u64 + 1));
            let n = s.accounts.len() as u64;
            let mut saved: HashMap<String, Vec<String>> = HashMap::new();
            let mut latencies = Vec::with_capacity(per_client);
            for op in 0..per_client {
                let to = match shape {
                    Shape::Hot => rng.below(2) as usize,
                    _ => rng.below(n) as usize,
                };
                let mut from = match shape {
                    Shape::Code => {
                        client * s.accounts_each + rng.below(s.accounts_each as u64) as usize
                    }
                    _ => 2 + rng.below(n - 2) as usize,
                };
                if from == to && shape != Shape::Code {
                    from = (from + 1) % s.accounts.len();
                }
                let (customer, from_id, _) = &s.accounts[from];
                // A code is for paying someone else: one's own accounts never need it.
                let to = if shape == Shape::Code && s.accounts[to].0 == *customer {
                    (to + s.accounts_each) % s.accounts.len()
                } else {
                    to
                };
                let (payee_customer, _, payee_card) = &s.accounts[to];
                let payee = match shape {
                    Shape::Uniform | Shape::Hot | Shape::Code => PayeeRef::Card(payee_card.clone()),
                    Shape::Mobile if payee_customer != customer => {
                        PayeeRef::Mobile(s.mobiles[payee_customer].clone())
                    }
                    Shape::Mobile => PayeeRef::Card(payee_card.clone()),
                    Shape::Saved => {
                        if !saved.contains_key(customer) {
                            let book = transfers.payees().list(customer).await.expect("payees");
                            saved
                                .insert(customer.clone(), book.into_iter().map(|p| p.id).collect());
                        }
                        let book = &saved[customer];
                        assert!(
                            !book.is_empty(),
                            "the uniform shape runs first and saves payees"
                        );
                        PayeeRef::Saved(book[rng.below(book.len() as u64) as usize].clone())
                    }
                };
                // Up to ¥200 (¥2,000–3,000 with a code): every shape of a run, warm-ups
                // included, stays within a class I account's ¥200,000 a day.
                let amount = match shape {
                    Shape::Code => STEP_UP_FROM + rng.below(100_000) as i64,
                    _ => 1 + rng.below(20_000) as i64,
                };
                let req = TransferRequest {
                    customer_id: customer.clone(),
                    from_account_id: from_id.clone(),
                    payee,
                    payee_name: None,
                    amount,
                    memo: String::new(),
                    idempotency_key: format!("{tag}-{client}-{op}"),
                };
                let code = if shape == Shape::Code {
                    manual.advance(DAY);
                    assert!(transfers.send_step_up(&sms, &req).await.expect("code sent"));
                    let mobile = Mobile::parse(&s.mobiles[customer]).expect("mobile");
                    let text = &outbox(&s.db, &mobile, 1).await.expect("outbox")[0].body;
                    let (_, after) = text.split_once("验证码").expect("a code in the SMS");
                    Some(after.trim_start().chars().take(6).collect::<String>())
                } else {
                    None
                };
                let t0 = Instant::now();
                transfers
                    .post(&req, code.as_deref().map(StepUp::Code))
                    .await
                    .expect("transfer");
                latencies.push(t0.elapsed());
            }
            latencies
        }));
    }
    let mut all: Vec<Duration> = Vec::with_capacity(total);
    for h in handles {
        all.extend(h.await.unwrap());
    }
    let elapsed = start.elapsed();
    // CPU time per transfer: steadier than the rate on a shared machine. Threads that ended
    // during the run are not counted (the bench's threads live throughout).
    let per_transfer = |ns: u64| format!("{:.0}", ns as f64 / 1e3 / all.len() as f64);
    let (cpu, writer_cpu) = match (cpu_before, cpu_ns()) {
        (Some((all0, w0)), Some((all1, w1))) => (
            per_transfer(all1.saturating_sub(all0)),
            per_transfer(w1.saturating_sub(w0)),
        ),
        _ => ("–".to_string(), "–".to_string()),
    };
    all.sort();
    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
    format!(
        "| {tag} | {} | {clients} | {:.0} | {:.1} | {:.1} | {cpu} | {writer_cpu} |",
        all.len(),
        all.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
    )
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    // `cargo test --benches` runs this binary with --bench absent; stay quick there.
    if !std::env::args().any(|a| a == "--bench") {
        println!("transfers bench: run with `cargo bench -p domain --features testing --bench transfers`");
        return;
    }
    let total = env_or("BENCH_TRANSFERS", 10_000);
    let clients = env_or("BENCH_CLIENTS", 16);
    println!(
        "| engine / shape | transfers | clients | transfers/s | p50 ms | p99 ms | CPU µs per transfer | writer's CPU µs per transfer |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut engines = vec![("sqlite", testing::sqlite().await)];
    let mut skipped = None;
    match testing::postgres().await {
        Some(pg) => engines.push(("postgres", pg)),
        None => skipped = Some("PostgreSQL SKIPPED: TEST_DATABASE_URL is not set or unreachable; only SQLite was measured"),
    }
    let shapes = [
        (Shape::Uniform, "uniform"),
        (Shape::Hot, "hot"),
        (Shape::Saved, "saved payee"),
        (Shape::Mobile, "mobile number"),
        (Shape::Code, "with a code"),
    ];
    for (name, t) in engines {
        let setup = Arc::new(setup(t.db.clone(), env_or("BENCH_CUSTOMERS", 20) as u32, 10).await);
        for (shape, label) in shapes {
            // A tenth as a warm-up (caches, prepared statements, the payee books), not shown.
            run(
                setup.clone(),
                shape,
                (total / 10).max(clients),
                clients,
                &format!("{name} {label} warm-up"),
            )
            .await;
            let line = run(
                setup.clone(),
                shape,
                total,
                clients,
                &format!("{name} {label}"),
            )
            .await;
            println!("{line}");
        }
        drop(setup);
        t.finish().await;
    }
    if let Some(why) = skipped {
        println!("| {why} | | | | | | | |");
        println!("{why}");
    }
}
