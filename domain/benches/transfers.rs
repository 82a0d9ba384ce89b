//! Transfer throughput and latency, uniform and hot-account, on SQLite and PostgreSQL, through
//! the domain (`transfer::Transfers::post`). Not a test: it prints numbers for BENCHMARKS.md.
//!
//!   cargo bench -p domain --features testing --bench transfers   # PostgreSQL too when TEST_DATABASE_URL is set
//!   BENCH_TRANSFERS=20000 BENCH_CLIENTS=32 cargo bench -p domain --features testing --bench transfers
//!   BENCH_CUSTOMERS=150 …   # ten accounts each (default 20 customers: 200 accounts)

// The server binary's allocator (`server/src/main.rs`), so the numbers are the portal's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::sync::Arc;
use std::time::{Duration, Instant};

use domain::account::{AccountClass, Accounts};
use domain::clock::SystemClock;
use domain::pii::KeyRing;
use domain::transfer::{Committer, PayeeRef, TransferRequest, Transfers};
use domain::{testing, Db};

struct Setup {
    db: Db,
    keys: KeyRing,
    committer: Committer,
    /// (customer, account id, card)
    accounts: Vec<(String, String, String)>,
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
    for n in 0..customers {
        let c = testing::customer(&db, &clock, &keys, 500 + n, "压测客户", "B001").await;
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
    }
}

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Shape {
    Uniform,
    /// Every transfer pays into one of two hot accounts (a merchant, a payroll account).
    Hot,
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
    let per_client = total / clients;
    let cpu_before = cpu_ns();
    let start = Instant::now();
    let mut handles = Vec::new();
    for client in 0..clients {
        let s = setup.clone();
        let tag = tag.to_string();
        handles.push(tokio::spawn(async move {
            let clock = SystemClock;
            let transfers = Transfers {
                db: &s.db,
                clock: &clock,
                keys: &s.keys,
                committer: &s.committer,
                // Each bench customer sends hundreds of small transfers; the allowance is still
                // counted and written on every one.
                code_free: domain::transfer::CodeFreePolicy::UNLIMITED,
            };
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (client as u64 + 1));
            let n = s.accounts.len() as u64;
            let mut latencies = Vec::with_capacity(per_client);
            for op in 0..per_client {
                let to = match shape {
                    Shape::Uniform => rng.below(n) as usize,
                    Shape::Hot => rng.below(2) as usize,
                };
                let mut from = 2 + rng.below(n - 2) as usize;
                if from == to {
                    from = (from + 1) % s.accounts.len();
                }
                let (customer, from_id, _) = &s.accounts[from];
                let req = TransferRequest {
                    customer_id: customer.clone(),
                    from_account_id: from_id.clone(),
                    payee: PayeeRef::Card(s.accounts[to].2.clone()),
                    payee_name: None,
                    amount: 1 + rng.below(100_000) as i64,
                    memo: String::new(),
                    idempotency_key: format!("{tag}-{client}-{op}"),
                };
                let t0 = Instant::now();
                transfers.post(&req, None).await.expect("transfer");
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
    if let Some(pg) = testing::postgres().await {
        engines.push(("postgres", pg));
    }
    for (name, t) in engines {
        let setup = Arc::new(setup(t.db.clone(), env_or("BENCH_CUSTOMERS", 20) as u32, 10).await);
        for (shape, label) in [(Shape::Uniform, "uniform"), (Shape::Hot, "hot")] {
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
}
