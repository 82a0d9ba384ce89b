//! Jepsen's "bank" workload against the transfer service: many concurrent clients move money
//! at random among many accounts, two of them hot, with retries of the same request; afterwards
//! the books must be exactly what the acknowledged transfers say.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use sqlx::Row;

use super::tests::{request, World};
use super::*;
use crate::account::AccountClass;
use crate::ledger::{check_books, totals};
use crate::testing;
use crate::testing::Rng;

#[derive(Clone, Debug)]
struct Acked {
    id: String,
    from: String,
    to: String,
    amount: i64,
}

const CUSTOMERS: u32 = 4;
const ACCOUNTS_EACH: usize = 5;
const OPENING: i64 = 50_000;
const CLIENTS: u64 = 12;
const OPS_EACH: u64 = 40;
/// Wider than the portal's so the workload moves enough money, narrow enough that every
/// customer reaches it: payments without a code are counted where they are posted.
const CODE_FREE: CodeFreePolicy = CodeFreePolicy {
    amount_per_day: 1_000_000,
    count_per_day: 40,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bank_workload_keeps_every_invariant() {
    for t in testing::databases().await {
        let mut w = World::new(t).await;
        w.code_free = CODE_FREE;
        let w = Arc::new(w);
        // (customer, account id, card)
        let mut accounts = Vec::new();
        for n in 0..CUSTOMERS {
            let c = w.customer(100 + n, "测试客户", "B001").await;
            for _ in 0..ACCOUNTS_EACH {
                let a = w.funded(&c, AccountClass::One, OPENING).await;
                accounts.push((c.clone(), a.id, a.card_no));
            }
        }
        let accounts = Arc::new(accounts);
        let (_, customers_total) = totals(&w.t.db).await.unwrap();
        assert_eq!(customers_total, OPENING * accounts.len() as i64);

        let mut clients = Vec::new();
        for client in 0..CLIENTS {
            let (w, accounts) = (w.clone(), accounts.clone());
            clients.push(tokio::spawn(async move {
                let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (client + 1));
                let (mut acked, mut refused, mut ceiling) = (Vec::new(), Vec::new(), Vec::new());
                let n = accounts.len() as u64;
                for op in 0..OPS_EACH {
                    // Half the traffic touches one of two hot accounts.
                    let pick = |rng: &mut Rng| {
                        if rng.below(2) == 0 {
                            rng.below(2) as usize
                        } else {
                            rng.below(n) as usize
                        }
                    };
                    let from = pick(&mut rng);
                    let mut to = pick(&mut rng);
                    if to == from {
                        to = (from + 1 + rng.below(n - 1) as usize) % n as usize;
                    }
                    let amount = 1 + rng.below(40_000) as i64;
                    let (customer, from_id, _) = &accounts[from];
                    let key = format!("c{client}-op{op}");
                    let req = request(
                        customer,
                        from_id,
                        PayeeRef::Card(accounts[to].2.clone()),
                        amount,
                        &key,
                    );
                    let result = w.transfers().post(&req, None).await;
                    match result {
                        Ok(t) => {
                            // A client retry (lost answer) must get the same transfer back.
                            if op % 5 == 0 {
                                let again = w.transfers().post(&req, None).await.unwrap();
                                assert_eq!(again.id, t.id);
                            }
                            acked.push(Acked {
                                id: t.id,
                                from: from_id.clone(),
                                to: accounts[to].1.clone(),
                                amount,
                            });
                        }
                        Err(Error::Refused(Refusal::InsufficientFunds { .. })) => refused.push(key),
                        // The day's allowance without a code is spent (no codes here).
                        Err(Error::Refused(Refusal::StepUpRequired)) => {
                            ceiling.push(key.clone());
                            refused.push(key);
                        }
                        Err(e) => panic!("transfer {key} failed unexpectedly: {e}"),
                    }
                }
                (acked, refused, ceiling)
            }));
        }
        let (mut acked, mut refused, mut ceiling) = (Vec::new(), Vec::new(), Vec::new());
        for c in clients {
            let (a, r, s) = c.await.unwrap();
            acked.extend(a);
            refused.extend(r);
            ceiling.extend(s);
        }
        // However the clients raced, no customer moved more to others without a code than
        // the allowance, and every one of them reached it.
        let owner: BTreeMap<&str, &str> = accounts
            .iter()
            .map(|(c, id, _)| (id.as_str(), c.as_str()))
            .collect();
        let mut code_free: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
        for a in &acked {
            let (from, to) = (owner[a.from.as_str()], owner[a.to.as_str()]);
            if from != to {
                let spent = code_free.entry(from).or_default();
                spent.0 += a.amount;
                spent.1 += 1;
            }
        }
        assert_eq!(code_free.len(), CUSTOMERS as usize);
        for (customer, (amount, count)) in &code_free {
            assert!(
                *amount <= CODE_FREE.amount_per_day && *count <= CODE_FREE.count_per_day,
                "{customer} moved {amount} fen in {count} payments without a code"
            );
        }
        assert!(!ceiling.is_empty(), "the workload reached the allowance");
        assert!(
            acked.len() > 100,
            "the workload moved money ({} acked)",
            acked.len()
        );
        assert!(!refused.is_empty(), "the workload hit overdrafts");

        let db = &w.t.db;
        // Money is neither created nor destroyed, and the books balance.
        assert_eq!(totals(db).await.unwrap(), (0, customers_total));
        assert_eq!(check_books(db).await.unwrap(), Vec::<String>::new());
        assert_eq!(testing::customer_accounts_below_zero(db).await, 0);
        // Every acknowledged transfer exactly once, with one two-legged entry.
        let ids: BTreeSet<&str> = acked.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids.len(), acked.len());
        let stored = sqlx::query("SELECT t.id, COUNT(p.id) AS legs FROM transfers t JOIN postings p ON p.entry_id = t.entry_id GROUP BY t.id")
            .fetch_all(db.pool())
            .await
            .unwrap();
        assert_eq!(
            stored.len(),
            acked.len(),
            "no transfer beyond the acknowledged ones"
        );
        for row in &stored {
            let id: String = row.try_get("id").unwrap();
            assert!(
                ids.contains(id.as_str()),
                "unacknowledged transfer {id} stored"
            );
            assert_eq!(crate::db::get_i64(row, "legs").unwrap(), 2);
        }
        // Every refused one left no trace.
        for key in &refused {
            let n = sqlx::query("SELECT COUNT(*) AS n FROM transfers WHERE idempotency_key = $1")
                .bind(key)
                .fetch_one(db.pool())
                .await
                .unwrap();
            assert_eq!(
                crate::db::get_i64(&n, "n").unwrap(),
                0,
                "refused {key} left a row"
            );
        }
        // Each balance is exactly the opening plus the acknowledged transfers (the model).
        let mut model: BTreeMap<&str, i64> = accounts
            .iter()
            .map(|(_, id, _)| (id.as_str(), OPENING))
            .collect();
        for a in &acked {
            *model.get_mut(a.from.as_str()).unwrap() -= a.amount;
            *model.get_mut(a.to.as_str()).unwrap() += a.amount;
        }
        for (customer, id, _) in accounts.iter() {
            assert_eq!(
                w.balance(customer, id).await,
                model[id.as_str()],
                "account {id}"
            );
        }
        match Arc::try_unwrap(w) {
            Ok(w) => w.t.finish().await,
            Err(_) => panic!("clients still hold the world"),
        }
    }
}
