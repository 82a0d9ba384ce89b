use super::*;
use crate::account::AccountClass;
use crate::clock::{beijing_day_start, DAY};
use crate::ledger::check_books;
use crate::testing;
use crate::transfer::tests::World;

async fn frozen(w: &World, deposit_id: &str) -> (i64, i64) {
    let row = sqlx::query(
        "SELECT a.balance, a.frozen FROM accounts a JOIN time_deposits d ON d.account_id = a.id \
         WHERE d.id = $1",
    )
    .bind(deposit_id)
    .fetch_one(w.t.db.pool())
    .await
    .unwrap();
    (
        get_i64(&row, "balance").unwrap(),
        get_i64(&row, "frozen").unwrap(),
    )
}

#[tokio::test]
async fn a_pledged_deposit_stays_until_released() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        w.clock
            .set(beijing_day_start("2027-01-15").unwrap() + 9 * HOUR);
        let c = w.customer(1, "王建国", "B002").await;
        let other = w.customer(2, "李晓梅", "B001").await;
        let a = w.funded(&c, AccountClass::One, 10_000_000).await;
        let deposits = Deposits {
            db: &w.t.db,
            clock: &w.clock,
        };
        let open = |product: &str, key: &str| OpenRequest {
            customer_id: c.clone(),
            source_account_id: a.id.clone(),
            product: product.into(),
            principal: 5_000_000,
            auto_renew: false,
            idempotency_key: key.into(),
        };
        let d = deposits.open(&open("M3", "k1")).await.unwrap();

        // Only the owner pledges; once.
        assert!(matches!(
            deposits.pledge(&other, &d.id, "loan-1").await,
            Err(Error::NotFound(_))
        ));
        let pledged = deposits.pledge(&c, &d.id, "loan-1").await.unwrap();
        assert_eq!(pledged.pledged_to.as_deref(), Some("loan-1"));
        assert_eq!(frozen(&w, &d.id).await, (5_000_000, 5_000_000));
        assert!(matches!(
            deposits.pledge(&c, &d.id, "loan-2").await,
            Err(Error::Refused(Refusal::DepositPledged))
        ));

        // No early withdrawal while pledged, and nothing moved.
        assert!(matches!(
            deposits.withdraw_early(&c, &d.id).await,
            Err(Error::Refused(Refusal::DepositPledged))
        ));
        assert_eq!(w.balance(&c, &a.id).await, 5_000_000);

        // At maturity it is renewed, not paid out, though the customer chose payout; the
        // interest joins the pledge.
        w.clock.advance(91 * DAY);
        assert_eq!(deposits.process_matured(10).await.unwrap(), 1);
        let renewed = deposits.get(&c, &d.id).await.unwrap();
        let earned = interest(5_000_000, 105, 90);
        assert_eq!(
            (renewed.status, renewed.principal, renewed.renewals),
            (Status::Open, 5_000_000 + earned, 1)
        );
        assert_eq!(
            frozen(&w, &d.id).await,
            (5_000_000 + earned, 5_000_000 + earned)
        );
        assert_eq!(w.balance(&c, &a.id).await, 5_000_000);

        // Released by another loan's id: nothing; by its own: free again.
        assert!(!deposits.release(&d.id, "loan-2").await.unwrap());
        assert!(deposits.release(&d.id, "loan-1").await.unwrap());
        assert_eq!(frozen(&w, &d.id).await.1, 0);
        let closed = deposits.withdraw_early(&c, &d.id).await.unwrap();
        assert_eq!(closed.status, Status::Closed);
        assert!(matches!(
            deposits.pledge(&c, &d.id, "loan-3").await,
            Err(Error::Refused(Refusal::DepositClosed))
        ));
        assert_eq!(check_books(&w.t.db).await.unwrap(), Vec::<String>::new());
        w.t.finish().await;
    }
}
