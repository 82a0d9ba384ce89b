use std::collections::HashMap;
use std::sync::Mutex;

use super::*;
use crate::account::{card, AccountClass};
use crate::ledger::{check_books, totals};
use crate::sms::BoxFuture;
use crate::testing;
use crate::transfer::tests::{request, World};
use crate::transfer::{CodeFreePolicy, PayeeRef, Status};
use crate::Error;

#[test]
fn the_demo_directory_is_what_the_readme_lists() {
    let simulator = ClearingSimulator::with_demo_directory();
    let cards: Vec<&str> = simulator
        .directory()
        .iter()
        .map(|(c, _)| c.as_str())
        .collect();
    assert_eq!(
        cards,
        [
            "6222020016020001182",
            "6217000022053304760",
            "6228480037001819202",
            "6217990041012500633"
        ]
    );
    assert!(cards.iter().all(|c| card::luhn_valid(c)));
    assert_eq!(other_bank_name(cards[1]), Some("中国建设银行"));
    assert_eq!(other_bank_name("6230011234567890123"), None);
}

#[tokio::test]
async fn the_simulator_answers_a_repeated_reference_with_its_first_answer() {
    let network = ClearingSimulator::with_demo_directory();
    let (card_no, name) = network.directory()[0].clone();
    let mut instruction = Instruction {
        transfer_id: "T1".into(),
        payee_card: card_no,
        payee_name: name,
        amount: 100,
    };
    assert_eq!(network.status("T1").await.unwrap(), None);
    assert_eq!(network.submit(&instruction).await.unwrap(), Answer::Settled);
    // The same reference with another name: still the first answer.
    instruction.payee_name = "张三".into();
    assert_eq!(network.submit(&instruction).await.unwrap(), Answer::Settled);
    assert_eq!(network.status("T1").await.unwrap(), Some(Answer::Settled));
    // Clones are the same network.
    assert_eq!(
        network.clone().status("T1").await.unwrap(),
        Some(Answer::Settled)
    );
}

/// What a test network does around the simulator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Trouble {
    None,
    /// The instruction arrives, the answer is lost.
    AnswerLost,
    /// The instruction never arrives.
    NeverArrives,
}

/// The simulator behind a recorder of every instruction that reached it, which lets other
/// workers run while it answers (as a real network's round trip would).
#[derive(Debug)]
struct RecordingNetwork {
    inner: ClearingSimulator,
    received: Mutex<HashMap<String, usize>>,
    trouble: Mutex<Trouble>,
}

impl RecordingNetwork {
    fn new(trouble: Trouble) -> Self {
        RecordingNetwork {
            inner: ClearingSimulator::with_demo_directory(),
            received: Mutex::default(),
            trouble: Mutex::new(trouble),
        }
    }

    fn received(&self, id: &str) -> usize {
        self.received.lock().unwrap().get(id).copied().unwrap_or(0)
    }

    fn heal(&self) {
        *self.trouble.lock().unwrap() = Trouble::None;
    }
}

impl ClearingNetwork for RecordingNetwork {
    fn submit<'a>(&'a self, instruction: &'a Instruction) -> BoxFuture<'a, crate::Result<Answer>> {
        Box::pin(async move {
            tokio::task::yield_now().await;
            let trouble = *self.trouble.lock().unwrap();
            if trouble == Trouble::NeverArrives {
                return Err(Error::Contended("clearing network unreachable".into()));
            }
            *self
                .received
                .lock()
                .unwrap()
                .entry(instruction.transfer_id.clone())
                .or_default() += 1;
            let answer = self.inner.submit(instruction).await?;
            tokio::task::yield_now().await;
            if trouble == Trouble::AnswerLost {
                return Err(Error::Contended("clearing network timed out".into()));
            }
            Ok(answer)
        })
    }

    fn status<'a>(&'a self, id: &'a str) -> BoxFuture<'a, crate::Result<Option<Answer>>> {
        self.inner.status(id)
    }

    fn is_simulator(&self) -> bool {
        true
    }
}

const PASS: Pass = Pass {
    delay: 30_000,
    lease: 60_000,
    batch: 4,
};

async fn status_of(w: &World, customer: &str, id: &str) -> (Status, i64) {
    let t = w.transfers().get(customer, id).await.unwrap();
    let row = sqlx::query("SELECT clearing_attempts FROM transfers WHERE id = $1")
        .bind(id)
        .fetch_one(w.t.db.pool())
        .await
        .unwrap();
    (
        t.status,
        crate::db::get_i64(&row, "clearing_attempts").unwrap(),
    )
}

#[tokio::test]
async fn two_nodes_send_each_interbank_transfer_once() {
    for t in testing::databases().await {
        let mut w = World::new(t).await;
        w.code_free = CodeFreePolicy::UNLIMITED;
        let a = w.customer(1, "王建国", "B002").await;
        let a1 = w.funded(&a, AccountClass::One, 1_000_000).await;
        let network = RecordingNetwork::new(Trouble::None);
        let (card_no, name) = network.inner.directory()[1].clone();
        let mut sent = Vec::new();
        for i in 0..12 {
            let mut req = request(
                &a,
                &a1.id,
                PayeeRef::Card(card_no.clone()),
                1_000 + i,
                &format!("k{i}"),
            );
            // Every third one names the payee wrongly and comes back.
            req.payee_name = Some(if i % 3 == 0 {
                "张三".into()
            } else {
                name.clone()
            });
            sent.push(w.transfers().post(&req, None).await.unwrap());
        }
        w.clock.advance(31_000);
        let node2 = w.t.db.as_another_node();
        let mut finished = 0;
        for _ in 0..10 {
            let (one, two) = tokio::join!(
                process_due(&w.t.db, &w.clock, &w.keys, &network, &PASS),
                process_due(&node2, &w.clock, &w.keys, &network, &PASS),
            );
            finished += one.unwrap() + two.unwrap();
        }
        assert_eq!(finished, 12);
        let mut returned = 0;
        for (i, t) in sent.iter().enumerate() {
            assert_eq!(network.received(&t.id), 1, "transfer {i} sent once");
            let expected = if i % 3 == 0 {
                returned += t.amount;
                Status::Returned
            } else {
                Status::Settled
            };
            assert_eq!(status_of(&w, &a, &t.id).await, (expected, 1));
        }
        let moved: i64 = sent.iter().map(|t| t.amount).sum();
        assert_eq!(w.balance(&a, &a1.id).await, 1_000_000 - moved + returned);
        assert_eq!(check_books(&w.t.db).await.unwrap(), Vec::<String>::new());
        assert_eq!(totals(&w.t.db).await.unwrap().0, 0);
        w.t.finish().await;
    }
}

#[tokio::test]
async fn a_claim_that_ran_out_is_taken_over_by_asking_the_network_first() {
    for trouble in [Trouble::AnswerLost, Trouble::NeverArrives] {
        for t in testing::databases().await {
            let w = World::new(t).await;
            let a = w.customer(1, "王建国", "B002").await;
            let a1 = w.funded(&a, AccountClass::One, 100_000).await;
            let network = RecordingNetwork::new(trouble);
            let (card_no, name) = network.inner.directory()[0].clone();
            let mut req = request(&a, &a1.id, PayeeRef::Card(card_no), 10_000, "ib1");
            req.payee_name = Some(name);
            let sent = w.transfers().post(&req, None).await.unwrap();
            w.clock.advance(31_000);

            // The network fails this pass: the transfer stays claimed, its money with clearing.
            let done = process_due(&w.t.db, &w.clock, &w.keys, &network, &PASS).await;
            assert_eq!(done.unwrap(), 0, "{trouble:?}");
            assert_eq!(status_of(&w, &a, &sent.id).await, (Status::Submitting, 1));
            let arrived = usize::from(trouble == Trouble::AnswerLost);
            assert_eq!(network.received(&sent.id), arrived);
            network.heal();
            // While the claim holds, no other pass touches it.
            w.clock.advance(PASS.lease - 1);
            let done = process_due(&w.t.db, &w.clock, &w.keys, &network, &PASS).await;
            assert_eq!(done.unwrap(), 0);
            assert_eq!(network.received(&sent.id), arrived);
            // Once it runs out, the next pass asks the network and sends only what never
            // arrived.
            w.clock.advance(1);
            let done = process_due(&w.t.db, &w.clock, &w.keys, &network, &PASS).await;
            assert_eq!(done.unwrap(), 1);
            assert_eq!(network.received(&sent.id), 1, "{trouble:?}");
            assert_eq!(status_of(&w, &a, &sent.id).await, (Status::Settled, 2));
            assert_eq!(w.balance(&a, &a1.id).await, 90_000);
            assert_eq!(check_books(&w.t.db).await.unwrap(), Vec::<String>::new());
            w.t.finish().await;
        }
    }
}

#[tokio::test]
async fn a_transfer_nobody_could_send_is_alerted_after_its_attempts() {
    // The alert is a log line; what the test can hold is the count it is based on.
    for t in testing::databases().await {
        let w = World::new(t).await;
        let a = w.customer(1, "王建国", "B002").await;
        let a1 = w.funded(&a, AccountClass::One, 100_000).await;
        let network = RecordingNetwork::new(Trouble::NeverArrives);
        let (card_no, name) = network.inner.directory()[0].clone();
        let mut req = request(&a, &a1.id, PayeeRef::Card(card_no), 10_000, "ib1");
        req.payee_name = Some(name);
        let sent = w.transfers().post(&req, None).await.unwrap();
        w.clock.advance(31_000);
        for _ in 0..=ATTEMPTS_BEFORE_ALERT {
            process_due(&w.t.db, &w.clock, &w.keys, &network, &PASS)
                .await
                .unwrap();
            w.clock.advance(PASS.lease);
        }
        assert_eq!(
            status_of(&w, &a, &sent.id).await,
            (Status::Submitting, ATTEMPTS_BEFORE_ALERT + 1)
        );
        assert_eq!(w.balance(&a, &a1.id).await, 90_000);
        w.t.finish().await;
    }
}
