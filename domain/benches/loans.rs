//! The daily loan servicing run (`loans::Loans::service`, as the server's worker runs it)
//! over 100,000 term loans (by default) of one bank, all paid out on the same day a month ago
//! so that every one has an instalment due today: nine in ten borrowers have the money and are
//! collected in full, one in ten has ¥100 and is collected in part and reminded. Then the same
//! run again the same day (nothing to do), two runs racing as two nodes would on the next due
//! day, and a run four days after that, when the short ones pass their grace days and penalty
//! interest accrues. Prints seconds and loans per second on SQLite and PostgreSQL. Not a test:
//! it prints numbers for BENCHMARKS.md.
//!
//!   cargo bench -p domain --features testing --bench loans   # PostgreSQL too when TEST_DATABASE_URL is set
//!   BENCH_LOANS=20000 cargo bench -p domain --features testing --bench loans

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::time::Instant;

use domain::clock::{china_day_of, ManualClock, DAY, HOUR};
use domain::db::{insert_rows, Val};
use domain::deposit::add_months;
use domain::loans::bureau::SimulatedBureau;
use domain::loans::schedule::{schedule, Method, Terms};
use domain::loans::tax::SimulatedTaxBureau;
use domain::loans::Loans;
use domain::pii::KeyRing;
use domain::{testing, Db};

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// ¥50,000 over 12 months at 6 %, 等额本息.
const PRINCIPAL: i64 = 5_000_000;
const RATE_BP: i64 = 600;

/// `count` borrowers of B002 (`bench-<n>`), each with a demand account and an active 税e贷 of
/// `PRINCIPAL` paid out at `disbursed` with its schedule; every tenth account holds ¥100.
async fn seed(db: &Db, count: usize, disbursed: i64) {
    testing::bulk_customers(db, "B002", 0, count, disbursed).await;
    let terms = Terms::new(PRINCIPAL, RATE_BP, 12, Method::EqualInstalment).unwrap();
    let plan = schedule(terms);
    let level = plan.instalments[0].amount();
    let mut conn = db.pool().acquire().await.unwrap();
    for start in (0..count).step_by(2_000) {
        let end = (start + 2_000).min(count);
        let (mut accounts, mut loans, mut dues) = (Vec::new(), Vec::new(), Vec::new());
        for n in start..end {
            let customer = format!("bench-{n:08}");
            let (account, receivable, loan) = (
                format!("acct-{n}"),
                format!("recv-{n}"),
                format!("loan-{n}"),
            );
            let balance = if n % 10 == 9 { 10_000 } else { 2 * level };
            accounts.push(vec![
                Val::Text(account.clone()),
                Val::Text("B002".into()),
                Val::Text(customer.clone()),
                Val::Text("demand".into()),
                Val::Int(1),
                Val::Text("活期".into()),
                Val::Int(balance),
                Val::Int(0),
                Val::Int(disbursed),
            ]);
            accounts.push(vec![
                Val::Text(receivable.clone()),
                Val::Text("B002".into()),
                Val::Text(customer.clone()),
                Val::Text("internal".into()),
                Val::Int(0),
                Val::Text("loan:SED".into()),
                Val::Int(-PRINCIPAL),
                Val::Int(1),
                Val::Int(disbursed),
            ]);
            loans.push(vec![
                Val::Text(loan.clone()),
                Val::Text(customer),
                Val::Text("B002".into()),
                Val::Text("SED".into()),
                Val::Text("tax".into()),
                Val::Int(PRINCIPAL),
                Val::Int(12),
                Val::Text("equal-instalment".into()),
                Val::Text("business".into()),
                Val::Text(account),
                Val::Text("active".into()),
                Val::Int(PRINCIPAL),
                Val::Int(RATE_BP),
                Val::Int(900),
                Val::Int(3),
                Val::Text(receivable),
                Val::Text(format!("k-{n}")),
                Val::Int(disbursed),
                Val::Int(disbursed),
                Val::Int(china_day_of(add_months(disbursed, 1))),
            ]);
            for i in &plan.instalments {
                dues.push(vec![
                    Val::Text(loan.clone()),
                    Val::Int(i64::from(i.number)),
                    Val::Int(i64::from(i.month)),
                    Val::Int(china_day_of(add_months(disbursed, i.month))),
                    Val::Int(i.principal),
                    Val::Int(i.interest),
                ]);
            }
        }
        insert_rows(
            &mut conn,
            "accounts (id, bank_code, customer_id, kind, class, label, balance, may_go_negative, opened_at)",
            accounts,
        )
        .await
        .unwrap();
        insert_rows(
            &mut conn,
            "loans (id, customer_id, bank_code, product_code, kind, amount_asked, months, method, \
             purpose, account_id, status, principal, rate_bp, penalty_rate_bp, grace_days, \
             loan_account_id, idempotency_key, created_at, disbursed_at, next_due_day)",
            loans,
        )
        .await
        .unwrap();
        insert_rows(
            &mut conn,
            "loan_instalments (loan_id, number, month, due_day, principal, interest)",
            dues,
        )
        .await
        .unwrap();
    }
}

async fn run(loans: &Loans<'_>) -> (domain::loans::servicing::RunReport, f64) {
    let started = Instant::now();
    let report = loans.service(200).await.unwrap();
    (report, started.elapsed().as_secs_f64())
}

#[tokio::main]
async fn main() {
    let count = env_or("BENCH_LOANS", 100_000);
    println!("| engine | run | loans due | collected | reminders | seconds | loans/s |");
    println!("|---|---|---|---|---|---|---|");
    let engines = testing::databases().await;
    if engines.len() < 2 {
        println!("| postgres | – | skipped: TEST_DATABASE_URL not set | | | | |");
    }
    for t in engines {
        let engine = t.db.kind().as_str();
        domain::institution::seed(&t.db).await.unwrap();
        // Paid out a month before 2027-01-15 09:00 Beijing time.
        let first_due = domain::clock::beijing_day_start("2027-01-15").unwrap() + 9 * HOUR;
        let clock = ManualClock::at(first_due - 31 * DAY);
        domain::account::seed_internal(&t.db, &clock).await.unwrap();
        let disbursed = domain::clock::beijing_day_start("2026-12-15").unwrap() + 9 * HOUR;
        let seeding = Instant::now();
        seed(&t.db, count, disbursed).await;
        eprintln!(
            "{engine}: seeded {count} loans in {:.1} s",
            seeding.elapsed().as_secs_f64()
        );
        let keys = KeyRing::development();
        let loans = Loans {
            db: &t.db,
            clock: &clock,
            keys: &keys,
            bureau: &SimulatedBureau,
            tax: &SimulatedTaxBureau,
        };
        let row = |what: &str, r: domain::loans::servicing::RunReport, secs: f64, due: usize| {
            println!(
                "| {engine} | {what} | {due} | {} | {} | {secs:.2} | {:.0} |",
                r.collected,
                r.reminders,
                due as f64 / secs
            );
        };

        clock.set(first_due);
        let (r, secs) = run(&loans).await;
        assert_eq!(
            r.collected, count,
            "every loan collected from (in part for one in ten)"
        );
        row("due day", r, secs, count);
        let (r, secs) = run(&loans).await;
        assert_eq!(r.collected, 0);
        row("again the same day", r, secs, 0);

        // The next due day: two nodes run at once; each loan is collected once.
        clock.set(domain::clock::beijing_day_start("2027-02-15").unwrap() + 9 * HOUR);
        let started = Instant::now();
        let (a, b) = tokio::join!(loans.service(200), loans.service(200));
        let secs = started.elapsed().as_secs_f64();
        let (a, b) = (a.unwrap(), b.unwrap());
        let both = domain::loans::servicing::RunReport {
            collected: a.collected + b.collected,
            reminders: a.reminders + b.reminders,
            ..a
        };
        assert!(both.collected <= count, "collected at most once each");
        row("two nodes, next due day", both, secs, count);

        // Four days on: the short ones are past their grace days, penalty accrues.
        clock.advance(4 * DAY);
        let (r, secs) = run(&loans).await;
        row("4 days overdue", r, secs, count / 10);
        t.finish().await;
    }
}
