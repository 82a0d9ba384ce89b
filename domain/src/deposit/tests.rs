use super::*;
use crate::account::AccountClass;
use crate::clock::{beijing_datetime, beijing_day_start, MINUTE};
use crate::ledger::{check_books, totals};
use crate::testing;
use crate::transfer::tests::World;

#[test]
fn interest_is_principal_times_rate_times_days_over_360_rounded_half_up() {
    // ¥10,000 for a year (365 days) at 1.45 %: 10000 × 0.0145 × 365 / 360 = 147.0138… → ¥147.01.
    assert_eq!(interest(1_000_000, 145, 365), 14_701);
    // ¥50,000 for 92 days at 1.05 %: 50000 × 0.0105 × 92 / 360 = 134.1666… → ¥134.17.
    assert_eq!(interest(5_000_000, 105, 92), 13_417);
    // Half a fen rounds up: 5,400,000 fen × 1 bp × 1 day / 3,600,000 = 1.5 fen → 2 fen.
    assert_eq!(interest(5_400_000, 1, 1), 2, "1.5 fen rounds up");
    assert_eq!(interest(5_399_999, 1, 1), 1);
    assert_eq!(interest(0, 145, 365), 0);
    assert_eq!(interest(1_000_000, 145, 0), 0);
}

#[test]
fn maturity_adds_calendar_months_clamped_to_the_month_end() {
    let open = beijing_day_start("2026-08-31").unwrap() + 10 * HOUR;
    assert_eq!(beijing_datetime(add_months(open, 6)), "2027-02-28 10:00");
    assert_eq!(beijing_datetime(add_months(open, 18)), "2028-02-29 10:00");
    assert_eq!(beijing_datetime(add_months(open, 12)), "2027-08-31 10:00");
    let jan = beijing_day_start("2027-01-15").unwrap();
    assert_eq!(days_between(jan, add_months(jan, 12)), 365);
    assert_eq!(days_between(jan, add_months(jan, 3)), 90);
}

#[tokio::test]
async fn open_mature_renew_and_withdraw_early_with_balanced_books() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        w.clock
            .set(beijing_day_start("2027-01-15").unwrap() + 9 * HOUR);
        let c = w.customer(1, "王建国", "B002").await;
        let a = w.funded(&c, AccountClass::One, 30_000_000).await;
        let deposits = Deposits {
            db: &w.t.db,
            clock: &w.clock,
        };
        let req = |product: &str, fen: i64, renew: bool, key: &str| OpenRequest {
            customer_id: c.clone(),
            source_account_id: a.id.clone(),
            product: product.into(),
            principal: fen,
            auto_renew: renew,
            idempotency_key: key.into(),
        };
        // Minimums: ¥50 for lump-sum deposits, ¥200,000 for certificates.
        assert!(matches!(
            deposits.open(&req("Y1", 4_999, false, "m")).await,
            Err(Error::Refused(Refusal::BelowMinimum { min: 5_000 }))
        ));
        assert!(matches!(
            deposits.open(&req("CD3", 19_999_999, false, "c")).await,
            Err(Error::Refused(Refusal::BelowMinimum { min: 20_000_000 }))
        ));
        // More than the account holds: refused, nothing left behind.
        assert!(matches!(
            deposits.open(&req("Y1", 30_000_001, false, "o")).await,
            Err(Error::Refused(Refusal::InsufficientFunds { .. }))
        ));
        assert!(deposits.list(&c).await.unwrap().is_empty());

        let payout = deposits
            .open(&req("Y1", 1_000_000, false, "k1"))
            .await
            .unwrap();
        assert_eq!(
            deposits
                .open(&req("Y1", 1_000_000, false, "k1"))
                .await
                .unwrap()
                .id,
            payout.id,
            "idempotent"
        );
        let renewing = deposits
            .open(&req("M3", 5_000_000, true, "k2"))
            .await
            .unwrap();
        let early = deposits
            .open(&req("Y3", 2_000_000, false, "k3"))
            .await
            .unwrap();
        assert_eq!(w.balance(&c, &a.id).await, 30_000_000 - 8_000_000);
        assert_eq!(payout.interest_at_maturity(), 14_701);

        // 100 days later: early withdrawal earns the demand rate (0.15 %) for 100 days.
        w.clock.advance(100 * DAY);
        let closed = deposits.withdraw_early(&c, &early.id).await.unwrap();
        assert_eq!(closed.status, Status::Closed);
        assert_eq!(
            closed.interest_paid,
            interest(2_000_000, DEMAND_RATE_BP, 100)
        );
        assert!(matches!(
            deposits.withdraw_early(&c, &early.id).await,
            Err(Error::Refused(Refusal::DepositClosed))
        ));
        // The 3-month deposit matured (90 days): renewed with its interest added.
        assert_eq!(deposits.process_matured(10).await.unwrap(), 1);
        let renewed = deposits.get(&c, &renewing.id).await.unwrap();
        let m3_interest = interest(5_000_000, 105, 90);
        assert_eq!(renewed.principal, 5_000_000 + m3_interest);
        assert_eq!(renewed.renewals, 1);
        assert_eq!(renewed.status, Status::Open);
        assert_eq!(
            deposits.process_matured(10).await.unwrap(),
            0,
            "nothing twice"
        );

        // A year after opening: the 1-year deposit pays principal and interest back.
        w.clock.set(payout.matures_at + MINUTE);
        deposits.process_matured(10).await.unwrap();
        let paid = deposits.get(&c, &payout.id).await.unwrap();
        assert_eq!((paid.status, paid.interest_paid), (Status::Closed, 14_701));
        let expected =
            30_000_000 - 8_000_000 + 2_000_000 + closed.interest_paid + 1_000_000 + 14_701;
        assert_eq!(w.balance(&c, &a.id).await, expected);
        assert_eq!(check_books(&w.t.db).await.unwrap(), Vec::<String>::new());
        assert_eq!(totals(&w.t.db).await.unwrap().0, 0);
        // Another customer sees none of it.
        let other = w.customer(2, "李晓梅", "B001").await;
        assert!(deposits.list(&other).await.unwrap().is_empty());
        assert!(matches!(
            deposits.withdraw_early(&other, &renewing.id).await,
            Err(crate::Error::NotFound(_))
        ));
        w.t.finish().await;
    }
}

/// A bank's rate for a product from a day on, as its product manager schedules it.
async fn bank_rate(w: &World, bank: &str, product: &str, from: Millis, rate_bp: i64) {
    sqlx::query(
        "INSERT INTO deposit_rates (bank_code, product_code, effective_from, rate_bp, set_by, created_at) \
         VALUES ($1, $2, $3, $4, 'test', 0)",
    )
    .bind(bank)
    .bind(product)
    .bind(from)
    .bind(rate_bp)
    .execute(w.t.db.pool())
    .await
    .unwrap();
}

#[tokio::test]
async fn a_deposit_opens_at_its_banks_rate_keeps_it_and_renews_at_the_rate_then() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let opening_day = beijing_day_start("2027-01-15").unwrap();
        w.clock.set(opening_day + 9 * HOUR);
        let c = w.customer(1, "王建国", "B002").await;
        let a = w.funded(&c, AccountClass::One, 30_000_000).await;
        let deposits = Deposits {
            db: &w.t.db,
            clock: &w.clock,
        };
        // B002's own 3-month rate from today, another bank's from yesterday, B002's next
        // rate from the day the deposit matures.
        bank_rate(&w, "B002", "M3", opening_day, 130).await;
        bank_rate(&w, "B001", "M3", opening_day - DAY, 90).await;
        bank_rate(&w, "B002", "M3", opening_day + 90 * DAY, 120).await;
        // Another bank's local product is not for B002's customers.
        sqlx::query(
            "INSERT INTO deposit_products (code, owner, months, min_fen, certificate, name_zh, name_en, \
             floor_bp, ceiling_bp, default_bp, created_by, created_at) \
             VALUES ('B001-LOCAL', 'B001', 12, 5000, 0, '惠农定期', 'Farmers deposit', 105, 185, 180, 'test', 0)",
        )
        .execute(w.t.db.pool())
        .await
        .unwrap();
        let req = |product: &str, key: &str| OpenRequest {
            customer_id: c.clone(),
            source_account_id: a.id.clone(),
            product: product.into(),
            principal: 5_000_000,
            auto_renew: true,
            idempotency_key: key.into(),
        };
        assert!(matches!(
            deposits.open(&req("B001-LOCAL", "l")).await,
            Err(Error::Invalid { .. })
        ));
        let d = deposits.open(&req("M3", "m3")).await.unwrap();
        assert_eq!(
            d.rate_bp, 130,
            "B002's rate, not the catalogue's 1.05 % nor B001's"
        );
        // A later rate does not touch a deposit already open.
        bank_rate(&w, "B002", "M3", opening_day + DAY, 110).await;
        w.clock.advance(2 * DAY);
        assert_eq!(deposits.get(&c, &d.id).await.unwrap().rate_bp, 130);
        // At maturity it renews at the rate then in effect.
        w.clock.set(d.matures_at + MINUTE);
        assert_eq!(deposits.process_matured(10).await.unwrap(), 1);
        let renewed = deposits.get(&c, &d.id).await.unwrap();
        assert_eq!(renewed.principal, 5_000_000 + interest(5_000_000, 130, 90));
        assert_eq!(renewed.rate_bp, 120);
        assert_eq!(check_books(&w.t.db).await.unwrap(), Vec::<String>::new());
        w.t.finish().await;
    }
}

/// A customer with ¥300,000 in a class I account and the deposits of two nodes at once.
async fn two_nodes(t: testing::TestDb) -> (World, String, crate::account::Account, crate::Db) {
    let w = World::new(t).await;
    w.clock
        .set(beijing_day_start("2027-01-15").unwrap() + 9 * HOUR);
    let c = w.customer(1, "王建国", "B002").await;
    let a = w.funded(&c, AccountClass::One, 30_000_000).await;
    let other = w.t.db.as_another_node();
    (w, c, a, other)
}

#[tokio::test]
async fn an_opening_submitted_twice_at_once_opens_one_deposit() {
    for t in testing::databases().await {
        let (w, c, a, other) = two_nodes(t).await;
        let here = Deposits {
            db: &w.t.db,
            clock: &w.clock,
        };
        let there = Deposits {
            db: &other,
            clock: &w.clock,
        };
        let req = OpenRequest {
            customer_id: c.clone(),
            source_account_id: a.id.clone(),
            product: "Y1".into(),
            principal: 1_000_000,
            auto_renew: false,
            idempotency_key: "double-click".into(),
        };
        let (one, two) = tokio::join!(here.open(&req), there.open(&req));
        assert_eq!(one.unwrap().id, two.unwrap().id);
        assert_eq!(here.list(&c).await.unwrap().len(), 1);
        assert_eq!(w.balance(&c, &a.id).await, 30_000_000 - 1_000_000);
        assert_eq!(check_books(&w.t.db).await.unwrap(), Vec::<String>::new());
        w.t.finish().await;
    }
}

#[tokio::test]
async fn withdrawals_racing_maturity_pay_each_deposit_out_once() {
    for t in testing::databases().await {
        let (w, c, a, other) = two_nodes(t).await;
        let customer = Deposits {
            db: &w.t.db,
            clock: &w.clock,
        };
        let worker = Deposits {
            db: &other,
            clock: &w.clock,
        };
        // Twelve that mature together, every other one renewing itself.
        let mut deposits = Vec::new();
        for i in 0..12 {
            let d = customer
                .open(&OpenRequest {
                    customer_id: c.clone(),
                    source_account_id: a.id.clone(),
                    product: "M3".into(),
                    principal: 1_000_000,
                    auto_renew: i % 2 == 0,
                    idempotency_key: format!("k{i}"),
                })
                .await
                .unwrap();
            deposits.push(d);
        }
        // The customer withdraws them all the moment they mature, as the worker reaches them.
        w.clock.set(deposits[0].matures_at);
        let withdrawals = crate::transfer::tests::futures_join(
            deposits
                .iter()
                .map(|d| customer.withdraw_early(&c, &d.id))
                .collect(),
        );
        let (withdrawn, matured) = tokio::join!(withdrawals, worker.process_matured(20));
        matured.unwrap();
        let mut term = 0;
        for (d, withdrawn) in deposits.iter().zip(withdrawn) {
            match withdrawn {
                Ok(closed) => assert_eq!(closed.status, Status::Closed),
                // Only a payout by the worker can beat the customer to it; a renewal cannot.
                Err(Error::Refused(Refusal::DepositClosed)) => assert!(!d.auto_renew),
                Err(e) => panic!("{}: {e}", d.id),
            }
            let after = customer.get(&c, &d.id).await.unwrap();
            assert_eq!(
                (after.status, after.interest_paid),
                (Status::Closed, d.interest_at_maturity()),
                "renews {}",
                d.auto_renew
            );
            term += d.interest_at_maturity();
        }
        // Each paid out once, with the term's interest, whoever won.
        assert_eq!(w.balance(&c, &a.id).await, 30_000_000 + term);
        assert_eq!(check_books(&w.t.db).await.unwrap(), Vec::<String>::new());
        assert_eq!(totals(&w.t.db).await.unwrap().0, 0);
        // Nothing is left for the worker.
        assert_eq!(worker.process_matured(20).await.unwrap(), 0);
        w.t.finish().await;
    }
}
