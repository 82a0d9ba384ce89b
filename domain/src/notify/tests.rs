//! The inbox's movement alerts are the ledger's postings on the customer's card accounts, and
//! what the customer has seen of them moves only forward.

use super::*;
use crate::clock::MINUTE;
use crate::ledger::MovementAlert;
use crate::testing;
use crate::transfer::tests::{request, Pair, World};
use crate::transfer::PayeeRef;

async fn deposit(w: &World, account: &str) {
    crate::ledger::deposit(&w.t.db, &w.clock, account, 500, "现金存入", "存入")
        .await
        .unwrap();
}

/// The pair's payer pays `fen` to the payee's card.
async fn pay(w: &World, p: &Pair, fen: i64, key: &str) -> Result<crate::transfer::Transfer> {
    let to = PayeeRef::Card(p.b1.card_no.clone());
    w.transfers()
        .post(&request(&p.a, &p.a1.id, to, fen, key), None)
        .await
}

fn alert(n: &Notification) -> MovementAlert {
    assert_eq!(n.kind, Kind::Movement);
    serde_json::from_str(&n.data).unwrap()
}

#[tokio::test]
async fn every_posting_on_a_card_account_is_an_alert_and_a_refused_transfer_none() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let p = w.payer_and_payee(100_000, 0).await;
        // The opening deposits were a movement each.
        assert_eq!(unread(&w.t.db, &p.a).await.unwrap(), 1);
        assert_eq!(unread(&w.t.db, &p.b).await.unwrap(), 0);
        w.clock.advance(MINUTE);
        let sent = pay(&w, &p, 30_000, "n1").await.unwrap();
        // More than there is: refused, and no alert on either side.
        w.clock.advance(MINUTE);
        pay(&w, &p, 90_000, "n2").await.unwrap_err();

        let payer = inbox(&w.t.db, &p.a, 10, None).await.unwrap();
        assert_eq!(payer.len(), 2, "{payer:?}");
        let out = alert(&payer[0]);
        assert_eq!(out.amount, -30_000);
        assert_eq!(out.balance_after, 70_000);
        assert_eq!(out.card_tail, crate::account::card::tail(&p.a1.card_no));
        assert_eq!(out.entry_id, sent.entry_id);
        assert!(out.counterparty.starts_with("李**"), "{}", out.counterparty);
        assert_eq!(payer[0].created_at, w.clock.now() - MINUTE);
        assert_eq!(alert(&payer[1]).amount, 100_000);
        let payee = inbox(&w.t.db, &p.b, 10, None).await.unwrap();
        assert_eq!(payee.len(), 1);
        let inward = alert(&payee[0]);
        assert_eq!((inward.amount, inward.balance_after), (30_000, 30_000));
        assert!(
            inward.counterparty.starts_with("王**"),
            "{}",
            inward.counterparty
        );
        assert!(payee.iter().all(|n| !n.read));
        // The bank's own accounts moved too, but nobody's inbox shows them.
        assert_eq!(unread(&w.t.db, &p.a).await.unwrap(), 2);
        assert_eq!(unread(&w.t.db, &p.b).await.unwrap(), 1);
    }
}

#[tokio::test]
async fn what_was_shown_is_read_and_what_came_after_stays_new() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let p = w.payer_and_payee(100_000, 0).await;
        pay(&w, &p, 1_000, "m1").await.unwrap();
        // Opened at an old page: only what it showed is read.
        let first = inbox(&w.t.db, &p.b, 10, None).await.unwrap();
        // Same millisecond, later: the id decides, so it is not covered by the first look.
        pay(&w, &p, 1_000, "m2").await.unwrap();
        mark_read(&w.t.db, &w.clock, &p.b, &first).await.unwrap();
        let now = inbox(&w.t.db, &p.b, 10, None).await.unwrap();
        assert_eq!(now.len(), 2);
        assert_eq!(
            now.iter().map(|n| n.read).collect::<Vec<_>>(),
            [false, true],
            "the newer one stays new"
        );
        assert_eq!(unread(&w.t.db, &p.b).await.unwrap(), 1);
        mark_read(&w.t.db, &w.clock, &p.b, &now).await.unwrap();
        assert_eq!(unread(&w.t.db, &p.b).await.unwrap(), 0);
        // The old page marked again does not make the newer alert new again.
        mark_read(&w.t.db, &w.clock, &p.b, &first).await.unwrap();
        assert_eq!(unread(&w.t.db, &p.b).await.unwrap(), 0);
        // Nor does it touch another customer's alerts.
        assert_eq!(unread(&w.t.db, &p.a).await.unwrap(), 3);
        // Later movements are new.
        w.clock.advance(MINUTE);
        pay(&w, &p, 1_000, "m3").await.unwrap();
        let later = inbox(&w.t.db, &p.b, 10, None).await.unwrap();
        assert_eq!(
            later.iter().map(|n| n.read).collect::<Vec<_>>(),
            [false, true, true]
        );
    }
}

#[tokio::test]
async fn mark_all_read_covers_everything_up_to_the_clock_and_nothing_after() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let p = w.payer_and_payee(0, 0).await;
        let start = w.clock.now();
        // Movements at three times, written out of time order (as the demo's seeding does).
        for at in [start + 2 * MINUTE, start, start + MINUTE] {
            w.clock.set(at);
            deposit(&w, &p.b1.id).await;
        }
        w.clock.set(start + MINUTE);
        mark_all_read(&w.t.db, &w.clock, &p.b).await.unwrap();
        let items = inbox(&w.t.db, &p.b, 10, None).await.unwrap();
        assert_eq!(
            items
                .iter()
                .map(|n| (n.created_at - start, n.read))
                .collect::<Vec<_>>(),
            [(2 * MINUTE, false), (MINUTE, true), (0, true)]
        );
    }
}

#[tokio::test]
async fn the_inbox_merges_alerts_with_stored_items_newest_first_up_to_the_limit() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let p = w.payer_and_payee(0, 0).await;
        let start = w.clock.now();
        for minute in [1, 3] {
            w.clock.set(start + minute * MINUTE);
            deposit(&w, &p.a1.id).await;
        }
        // A stored item between the two movements.
        sqlx::query(
            "INSERT INTO notifications (id, customer_id, kind, data, created_at) \
             VALUES ($1, $2, 'bill_due', '{}', $3)",
        )
        .bind(crate::id::new_id())
        .bind(&p.a)
        .bind(start + 2 * MINUTE)
        .execute(w.t.db.pool())
        .await
        .unwrap();
        let items = inbox(&w.t.db, &p.a, 3, None).await.unwrap();
        assert_eq!(
            items
                .iter()
                .map(|n| (n.kind, n.created_at - start))
                .collect::<Vec<_>>(),
            [
                (Kind::Movement, 3 * MINUTE),
                (Kind::BillDue, 2 * MINUTE),
                (Kind::Movement, MINUTE)
            ]
        );
        assert_eq!(inbox(&w.t.db, &p.a, 2, None).await.unwrap().len(), 2);
        // Shown and marked: the stored one is read too, and only up to what was shown.
        mark_read(&w.t.db, &w.clock, &p.a, &items[..2])
            .await
            .unwrap();
        let after = inbox(&w.t.db, &p.a, 4, None).await.unwrap();
        assert!(after.iter().all(|n| n.read), "{after:?}");
    }
}

#[tokio::test]
async fn the_newest_alerts_of_every_card_account_come_merged_newest_first() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let p = w.payer_and_payee(0, 0).await;
        let second = w.funded(&p.a, crate::account::AccountClass::Two, 0).await;
        let start = w.clock.now();
        // All of the first account's movements, then all of the second's, interleaved in time:
        // the order comes from the times, not from which account was read or written first.
        for (account, minutes) in [(&p.a1.id, [1, 3, 5, 7, 9]), (&second.id, [2, 4, 6, 8, 10])] {
            for minute in minutes {
                w.clock.set(start + minute * MINUTE);
                deposit(&w, account).await;
            }
        }
        // Two in the same millisecond on different accounts: the id decides their order.
        w.clock.set(start + 11 * MINUTE);
        deposit(&w, &second.id).await;
        deposit(&w, &p.a1.id).await;
        let items = inbox(&w.t.db, &p.a, 4, None).await.unwrap();
        let first_tail = crate::account::card::tail(&p.a1.card_no);
        let second_tail = crate::account::card::tail(&second.card_no);
        assert_eq!(
            items
                .iter()
                .map(|n| (n.created_at - start, alert(n).card_tail))
                .collect::<Vec<_>>(),
            [
                (11 * MINUTE, first_tail.to_string()),
                (11 * MINUTE, second_tail.to_string()),
                (10 * MINUTE, second_tail.to_string()),
                (9 * MINUTE, first_tail.to_string()),
            ],
            "{items:?}"
        );
        assert!(items[0].id > items[1].id);
        // Marking what was shown (minutes 10 and 9) reads everything up to minute 10 on both
        // accounts, older ones too; the two at minute 11 stay new.
        mark_read(&w.t.db, &w.clock, &p.a, &items[2..])
            .await
            .unwrap();
        let after = inbox(&w.t.db, &p.a, 12, None).await.unwrap();
        assert_eq!(after.len(), 12);
        assert_eq!(
            after.iter().map(|n| n.read).collect::<Vec<_>>(),
            [[false; 2].as_slice(), &[true; 10]].concat()
        );
        assert_eq!(unread(&w.t.db, &p.a).await.unwrap(), 2);
    }
}

/// Migration 20261128000012 on the data it finds: the stored movement alerts go (the postings
/// are the alerts now), those already read stay read, other items stay as they were.
#[tokio::test]
async fn moving_to_alerts_from_postings_keeps_read_alerts_read() {
    for t in testing::databases_before(20_261_128_000_012).await {
        let w = World::new(t).await;
        w.lend_customer_columns().await;
        let p = w.payer_and_payee(0, 0).await;
        let start = w.clock.now();
        let stored = |kind: &'static str, at: i64, read: bool| {
            sqlx::query(
                "INSERT INTO notifications (id, customer_id, kind, data, created_at, read_at) \
                 VALUES ($1, $2, $3, '{}', $4, $5)",
            )
            .bind(crate::id::new_id())
            .bind(p.b.clone())
            .bind(kind)
            .bind(at)
            .bind(read.then_some(at + MINUTE))
        };
        // Three movements and the alert rows the schema before kept for them, two of them read.
        for (minute, read) in [(1, true), (2, true), (3, false)] {
            w.clock.set(start + minute * MINUTE);
            deposit(&w, &p.b1.id).await;
            stored("movement", w.clock.now(), read)
                .execute(w.t.db.pool())
                .await
                .unwrap();
        }
        stored("bill_due", start, false)
            .execute(w.t.db.pool())
            .await
            .unwrap();

        w.return_customer_columns().await;
        w.t.db.migrate().await.unwrap();
        let items = inbox(&w.t.db, &p.b, 10, None).await.unwrap();
        assert_eq!(
            items
                .iter()
                .map(|n| (n.kind, (n.created_at - start) / MINUTE, n.read))
                .collect::<Vec<_>>(),
            [
                (Kind::Movement, 3, false),
                (Kind::Movement, 2, true),
                (Kind::Movement, 1, true),
                (Kind::BillDue, 0, false)
            ]
        );
        let left = sqlx::query("SELECT COUNT(*) AS n FROM notifications WHERE kind = 'movement'")
            .fetch_one(w.t.db.pool())
            .await
            .unwrap();
        assert_eq!(crate::db::get_i64(&left, "n").unwrap(), 0);
        // A customer who had read nothing has nothing read.
        deposit(&w, &p.a1.id).await;
        assert_eq!(unread(&w.t.db, &p.a).await.unwrap(), 1);
    }
}
