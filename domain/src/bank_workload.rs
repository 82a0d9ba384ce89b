//! Jepsen's "bank" workload over every way the portal moves a customer's money, at once and on
//! the same hot accounts: transfers to cards, saved payees, mobile numbers and own accounts,
//! transfers above the step-up threshold with their codes, transfers to other banks that the
//! clearing worker settles or returns, bill payments whose billers fail or never answer, and
//! time deposits opened, withdrawn early and matured while the maturity worker runs. On
//! PostgreSQL the load runs on two nodes, each with its own group commit and its own workers.
//! A reader checks the bank's total while the load runs; afterwards every account must hold
//! exactly what the acknowledged operations say (the model), and the books must balance.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use crate::account::AccountClass;
use crate::billpay::{self, BillerSimulator, PayRequest, Payments};
use crate::clearing::{self, ClearingSimulator, Pass};
use crate::clock::{DAY, MINUTE};
use crate::db::DbKind;
use crate::deposit::{self, Deposits, OpenRequest};
use crate::error::Refusal;
use crate::ledger::{check_books, totals};
use crate::sms::outbox;
use crate::testing;
use crate::testing::Rng;
use crate::transfer::tests::{code_in, request, World};
use crate::transfer::{CodeFreePolicy, Committer, PayeeRef, StepUp, Transfers, STEP_UP_FROM};
use crate::{Db, Error};

const CUSTOMERS: usize = 4;
const ACCOUNTS_EACH: usize = 3;
const OPENING: i64 = 3_000_000;
const CLIENTS: usize = 8;
const OPS_EACH: u64 = 30;
/// Each customer's first client also sends this many transfers above the threshold, with codes
/// (a customer's newer code voids the older one, so one client per customer asks for them).
const STEP_UPS_EACH: u64 = 2;
/// Gas in 济南: a bill of a fixed amount on every number.
const BILLER: &str = "gas-济南";

/// One node: its database handle and its group commit.
struct Node {
    db: Db,
    committer: Committer,
}

/// A customer as the workload knows them.
#[derive(Clone)]
struct Customer {
    id: String,
    mobile: String,
    /// (account id, card number); the first is where money sent to the mobile number goes.
    accounts: Vec<(String, String)>,
    /// Their one in-network saved payee and the account it pays.
    saved: (String, String),
}

/// What an acknowledged operation did, as the client was told.
#[derive(Debug)]
enum Acked {
    /// A transfer within our banks (card, saved, mobile, own, stepped up).
    Internal {
        from: String,
        to: String,
        amount: i64,
    },
    /// A transfer to another bank; its final status decides whether the money came back.
    Interbank {
        customer: String,
        id: String,
        from: String,
        amount: i64,
    },
    Bill {
        customer: String,
        id: String,
        from: String,
        amount: i64,
    },
    /// A deposit opened with `principal` (the model reads where it came from and how it
    /// ended from the deposit itself).
    Deposit { id: String, principal: i64 },
}

struct Shared {
    w: World,
    nodes: Vec<Node>,
    billers: BillerSimulator,
    network: ClearingSimulator,
    customers: Vec<Customer>,
}

impl Shared {
    fn transfers(&self, node: usize) -> Transfers<'_> {
        Transfers {
            db: &self.nodes[node].db,
            clock: &self.w.clock,
            keys: &self.w.keys,
            committer: &self.nodes[node].committer,
            code_free: self.w.code_free,
        }
    }

    fn payments(&self, node: usize) -> Payments<'_> {
        Payments {
            db: &self.nodes[node].db,
            clock: &self.w.clock,
            gateway: &self.billers,
            keys: &self.w.keys,
            code_free: self.w.code_free,
        }
    }

    fn deposits(&self, node: usize) -> Deposits<'_> {
        Deposits {
            db: &self.nodes[node].db,
            clock: &self.w.clock,
        }
    }
}

/// Refusals a customer can meet under this load; anything else fails the test.
fn expected_refusal(e: &Error) -> bool {
    matches!(
        e,
        Error::Refused(
            Refusal::InsufficientFunds { .. }
                | Refusal::StepUpRequired
                | Refusal::OverDailyLimit { .. }
                | Refusal::DepositClosed
                | Refusal::NothingDue
        )
    )
}

/// One client: its customer's operations on its node, chosen at random.
async fn client(s: Arc<Shared>, n: usize) -> (Vec<Acked>, usize) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (n as u64 + 1));
    let node = n % s.nodes.len();
    let me = &s.customers[n % CUSTOMERS];
    let others: Vec<&Customer> = s.customers.iter().filter(|c| c.id != me.id).collect();
    let (mut acked, mut refused) = (Vec::new(), 0);
    let mut opened: Vec<String> = Vec::new();
    for op in 0..OPS_EACH {
        let key = format!("c{n}-op{op}");
        // Half of what moves leaves from the customer's first (hot) account.
        let from_index = if rng.below(2) == 0 {
            0
        } else {
            rng.below(ACCOUNTS_EACH as u64) as usize
        };
        let from = me.accounts[from_index].0.clone();
        let other = others[rng.below(others.len() as u64) as usize];
        let amount = 100 + rng.below(60_000) as i64;
        let outcome: Result<Acked, Error> = match rng.below(8) {
            kind @ 0..=3 => {
                let (payee, to) = match kind {
                    0 => {
                        let (to, card) =
                            other.accounts[rng.below(ACCOUNTS_EACH as u64) as usize].clone();
                        (PayeeRef::Card(card), to)
                    }
                    1 => (PayeeRef::Saved(me.saved.0.clone()), me.saved.1.clone()),
                    2 => (
                        PayeeRef::Mobile(other.mobile.clone()),
                        other.accounts[0].0.clone(),
                    ),
                    _ => {
                        let to = me.accounts[(from_index + 1) % ACCOUNTS_EACH].0.clone();
                        (PayeeRef::OwnAccount(to.clone()), to)
                    }
                };
                let req = request(&me.id, &from, payee, amount, &key);
                s.transfers(node)
                    .post(&req, None)
                    .await
                    .map(|_| Acked::Internal { from, to, amount })
            }
            4 => {
                let (card, name) = &s.network.directory()[rng.below(4) as usize];
                let mut req = request(&me.id, &from, PayeeRef::Card(card.clone()), amount, &key);
                // One in three names the payee wrongly: the other bank sends it back.
                req.payee_name = Some(if rng.below(3) == 0 {
                    "张三".into()
                } else {
                    name.clone()
                });
                s.transfers(node)
                    .post(&req, None)
                    .await
                    .map(|t| Acked::Interbank {
                        customer: me.id.clone(),
                        id: t.id,
                        from,
                        amount,
                    })
            }
            5 => {
                // Numbers starting 1 are paid, 9 fail (refunded at once), 8 never answer
                // (pending until the worker asks, then refunded).
                let first = ["1", "9", "8"][rng.below(3) as usize];
                let number = format!("{first}{:08}", rng.below(100_000_000));
                let number = format!("{number}{}", crate::account::card::luhn_digit(&number));
                let due = s.payments(node).lookup(BILLER, &number).await.unwrap().due;
                let req = PayRequest {
                    customer_id: me.id.clone(),
                    from_account_id: from.clone(),
                    biller_id: BILLER.into(),
                    household: number,
                    amount: due,
                    idempotency_key: key.clone(),
                    step_up_code: None,
                };
                s.payments(node).pay(&req).await.map(|p| Acked::Bill {
                    customer: me.id.clone(),
                    id: p.id,
                    from,
                    amount: p.amount,
                })
            }
            6 => {
                let principal = 5_000 + rng.below(50_000) as i64;
                let req = OpenRequest {
                    customer_id: me.id.clone(),
                    source_account_id: from.clone(),
                    product: "M3".into(),
                    principal,
                    auto_renew: rng.below(2) == 0,
                    idempotency_key: key.clone(),
                };
                s.deposits(node).open(&req).await.map(|d| {
                    opened.push(d.id.clone());
                    Acked::Deposit {
                        id: d.id,
                        principal,
                    }
                })
            }
            _ => {
                // Early withdrawal of one of the customer's deposits: those opened before the
                // load have matured, and the maturity worker may be paying them right now.
                let all = s.deposits(node).list(&me.id).await.unwrap();
                let Some(d) = all.get(rng.below(all.len() as u64) as usize) else {
                    continue;
                };
                match s.deposits(node).withdraw_early(&me.id, &d.id).await {
                    // The model reads every deposit's end state; nothing to remember here.
                    Ok(_) => continue,
                    Err(e) => Err(e),
                }
            }
        };
        match outcome {
            Ok(a) => acked.push(a),
            Err(e) if expected_refusal(&e) => refused += 1,
            Err(e) => panic!("client {n} op {op}: {e}"),
        }
    }
    // Above the threshold, with a code bound to amount and payee.
    if n < CUSTOMERS {
        for i in 0..STEP_UPS_EACH {
            let other = others[i as usize % others.len()];
            let (to, card) = other.accounts[1].clone();
            let (from, _) = me.accounts[0].clone();
            let req = request(
                &me.id,
                &from,
                PayeeRef::Card(card),
                STEP_UP_FROM + 100 * i as i64,
                &format!("c{n}-big{i}"),
            );
            s.w.clock.advance(crate::identity::otp::RESEND_AFTER);
            let t = s.transfers(node);
            match t.send_step_up(&s.w.sms, &req).await {
                Ok(true) => {}
                Ok(false) => panic!("¥2,000 needs a code"),
                Err(e) if expected_refusal(&e) => {
                    refused += 1;
                    continue;
                }
                Err(e) => panic!("step-up code for {}: {e}", req.idempotency_key),
            }
            let mobile = crate::identity::Mobile::parse(&me.mobile).unwrap();
            let sms = outbox(&s.nodes[node].db, &mobile, 1).await.unwrap()[0]
                .body
                .clone();
            match t.post(&req, Some(StepUp::Code(&code_in(&sms)))).await {
                Ok(_) => acked.push(Acked::Internal {
                    from,
                    to,
                    amount: req.amount,
                }),
                Err(e) if expected_refusal(&e) => refused += 1,
                Err(e) => panic!("stepped-up {}: {e}", req.idempotency_key),
            }
        }
    }
    (acked, refused)
}

/// One node's workers, as the server runs them: clearing, bills, maturities.
async fn workers(s: Arc<Shared>, node: usize, stop: Arc<AtomicBool>) -> usize {
    let mut passes = 0;
    loop {
        let last = stop.load(Ordering::SeqCst);
        let db = &s.nodes[node].db;
        let pass = Pass {
            delay: 0,
            lease: MINUTE,
            batch: 20,
        };
        clearing::process_due(db, &s.w.clock, &s.w.keys, &s.network, &pass)
            .await
            .unwrap();
        s.payments(node).resolve_pending(0).await.unwrap();
        s.deposits(node).process_matured(20).await.unwrap();
        passes += 1;
        if last {
            return passes;
        }
        tokio::task::yield_now().await;
    }
}

/// Jepsen's read of the total while the load runs: every balance at one instant sums to zero.
async fn reader(s: Arc<Shared>, stop: Arc<AtomicBool>, reads: Arc<AtomicUsize>) {
    while !stop.load(Ordering::SeqCst) {
        let (all, _) = totals(&s.nodes[reads.load(Ordering::SeqCst) % s.nodes.len()].db)
            .await
            .unwrap();
        assert_eq!(all, 0, "the bank's total while the load runs");
        reads.fetch_add(1, Ordering::SeqCst);
        tokio::task::yield_now().await;
    }
}

async fn setup(t: testing::TestDb) -> Shared {
    let mut w = World::new(t).await;
    // Wide enough for the load, so that the allowance is met but does not stop everything.
    w.code_free = CodeFreePolicy {
        amount_per_day: 2_000_000,
        count_per_day: 60,
    };
    let mut customers = Vec::new();
    for n in 0..CUSTOMERS {
        let number = 200 + n as u32;
        let id = w.customer(number, "测试客户", "B001").await;
        let mut accounts = Vec::new();
        for _ in 0..ACCOUNTS_EACH {
            let a = w.funded(&id, AccountClass::One, OPENING).await;
            accounts.push((a.id, a.card_no));
        }
        customers.push(Customer {
            id,
            mobile: format!("1390000{:04}", number),
            accounts,
            saved: (String::new(), String::new()),
        });
    }
    // Each customer pays the next one once, which saves the payee, and opens two deposits
    // that will have matured when the load starts (one renews itself, one pays out).
    for n in 0..CUSTOMERS {
        let (to, card) = customers[(n + 1) % CUSTOMERS].accounts[2].clone();
        let (me, from) = (customers[n].id.clone(), customers[n].accounts[2].0.clone());
        let req = request(&me, &from, PayeeRef::Card(card), 100, &format!("seed{n}"));
        w.transfers().post(&req, None).await.unwrap();
        let payee = w.transfers().payees().list(&me).await.unwrap()[0]
            .id
            .clone();
        customers[n].saved = (payee, to);
        let deposits = Deposits {
            db: &w.t.db,
            clock: &w.clock,
        };
        for (i, renew) in [true, false].into_iter().enumerate() {
            deposits
                .open(&OpenRequest {
                    customer_id: me.clone(),
                    source_account_id: customers[n].accounts[i].0.clone(),
                    product: "M3".into(),
                    principal: 500_000,
                    auto_renew: renew,
                    idempotency_key: format!("seed-deposit{n}-{i}"),
                })
                .await
                .unwrap();
        }
    }
    w.clock.advance(92 * DAY);
    let mut nodes = vec![Node {
        db: w.t.db.clone(),
        committer: w.committer.clone(),
    }];
    if w.t.db.kind() == DbKind::Postgres {
        let db = w.t.db.as_another_node();
        nodes.push(Node {
            committer: Committer::start(db.clone()),
            db,
        });
    }
    let billers = BillerSimulator::new(w.t.db.clone(), Arc::new(w.clock.clone()));
    Shared {
        w,
        nodes,
        billers,
        network: ClearingSimulator::with_demo_directory(),
        customers,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_money_path_at_once_keeps_every_invariant() {
    for t in testing::databases().await {
        let s = Arc::new(setup(t).await);
        let opening_total = totals(&s.w.t.db).await.unwrap().1;
        let stop = Arc::new(AtomicBool::new(false));
        let reads = Arc::new(AtomicUsize::new(0));
        let background: Vec<_> = (0..s.nodes.len())
            .map(|node| tokio::spawn(workers(s.clone(), node, stop.clone())))
            .collect();
        let read = tokio::spawn(reader(s.clone(), stop.clone(), reads.clone()));
        let clients: Vec<_> = (0..CLIENTS)
            .map(|n| tokio::spawn(client(s.clone(), n)))
            .collect();
        let (mut acked, mut refused) = (Vec::new(), 0);
        for c in clients {
            let (a, r) = c.await.unwrap();
            acked.extend(a);
            refused += r;
        }
        // The workers finish what the load left (one more pass each after the stop).
        stop.store(true, Ordering::SeqCst);
        read.await.unwrap();
        for b in background {
            assert!(b.await.unwrap() > 1, "the workers ran during the load");
        }
        for node in 0..s.nodes.len() {
            workers(s.clone(), node, stop.clone()).await;
        }
        assert!(
            reads.load(Ordering::SeqCst) > 1,
            "the reader read during the load"
        );
        assert!(acked.len() > CLIENTS * 10, "{} acknowledged", acked.len());
        assert!(refused > 0, "the load met refusals");

        let db = &s.w.t.db;
        let left = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM transfers WHERE status IN ('pending', 'submitting')) \
             + (SELECT COUNT(*) FROM bill_payments WHERE status = 'pending') AS n",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert_eq!(
            crate::db::get_i64(&left, "n").unwrap(),
            0,
            "nothing left pending"
        );

        // The model: every account's opening, moved by what the clients were told and by how
        // the workers ended each operation.
        let mut model: HashMap<String, i64> = s
            .customers
            .iter()
            .flat_map(|c| c.accounts.iter().map(|(id, _)| (id.clone(), OPENING)))
            .collect();
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for a in &acked {
            match a {
                Acked::Internal { from, to, amount } => {
                    *kinds.entry("internal").or_default() += 1;
                    *model.get_mut(from).unwrap() -= amount;
                    *model.get_mut(to).unwrap() += amount;
                }
                Acked::Interbank {
                    customer,
                    id,
                    from,
                    amount,
                } => {
                    let t = s.transfers(0).get(customer, id).await.unwrap();
                    *kinds.entry(t.status.as_str()).or_default() += 1;
                    if t.status != crate::transfer::Status::Returned {
                        assert_eq!(t.status, crate::transfer::Status::Settled);
                        *model.get_mut(from).unwrap() -= amount;
                    }
                }
                Acked::Bill {
                    customer,
                    id,
                    from,
                    amount,
                } => {
                    let p = s.payments(0).get(customer, id).await.unwrap();
                    *kinds.entry(p.status.as_str()).or_default() += 1;
                    if p.status != billpay::Status::Refunded {
                        assert_eq!(p.status, billpay::Status::Paid);
                        *model.get_mut(from).unwrap() -= amount;
                    }
                }
                Acked::Deposit { .. } => {}
            }
        }
        // Deposits: opened ones took their principal; closed ones paid it back with all the
        // interest they earned (a renewal adds interest to the deposit, not the account).
        let (mut deposits_seen, mut deposits_held) = (0, 0);
        for c in &s.customers {
            for d in s.deposits(0).list(&c.id).await.unwrap() {
                deposits_seen += 1;
                if d.status == deposit::Status::Open {
                    deposits_held += d.principal;
                }
                let opened_with = acked
                    .iter()
                    .find_map(|a| match a {
                        Acked::Deposit { id, principal, .. } if *id == d.id => Some(*principal),
                        _ => None,
                    })
                    .unwrap_or(500_000);
                *model.get_mut(&d.source_account_id).unwrap() -= opened_with;
                *kinds
                    .entry(if d.status == deposit::Status::Closed {
                        "closed"
                    } else {
                        "open"
                    })
                    .or_default() += 1;
                if d.status == deposit::Status::Closed {
                    *model.get_mut(&d.source_account_id).unwrap() += opened_with + d.interest_paid;
                }
            }
        }
        let stored: usize = acked
            .iter()
            .filter(|a| matches!(a, Acked::Deposit { .. }))
            .count();
        assert_eq!(deposits_seen, stored + 2 * CUSTOMERS, "each opening once");
        // The seed transfers each customer made before the load.
        for n in 0..CUSTOMERS {
            *model.get_mut(&s.customers[n].accounts[2].0).unwrap() -= 100;
            let to = s.customers[(n + 1) % CUSTOMERS].accounts[2].0.clone();
            *model.get_mut(&to).unwrap() += 100;
        }
        for kind in [
            "internal", "settled", "returned", "paid", "refunded", "open", "closed",
        ] {
            assert!(kinds.contains_key(kind), "no {kind} in {kinds:?}");
        }
        for c in &s.customers {
            for (id, _) in &c.accounts {
                assert_eq!(
                    s.w.balance(&c.id, id).await,
                    model[id],
                    "account {id}: {kinds:?}"
                );
            }
        }
        // Money moved only between the bank's accounts; the books balance.
        let (all, customers_total) = totals(db).await.unwrap();
        assert_eq!(all, 0);
        // Customers' money is their accounts' and what their open deposits hold.
        assert_eq!(customers_total, model.values().sum::<i64>() + deposits_held);
        assert!(
            customers_total != opening_total,
            "money left for billers and banks"
        );
        assert_eq!(check_books(db).await.unwrap(), Vec::<String>::new());
        assert_eq!(testing::customer_accounts_below_zero(db).await, 0);
        match Arc::try_unwrap(s) {
            Ok(s) => s.w.t.finish().await,
            Err(_) => panic!("a task still holds the workload"),
        }
    }
}
