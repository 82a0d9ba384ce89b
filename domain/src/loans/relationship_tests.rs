use super::relationship::{relationship, PERIOD};
use crate::account::AccountClass;
use crate::clock::{Clock, DAY};
use crate::testing;
use crate::transfer::tests::{request, World};
use crate::transfer::PayeeRef;

#[tokio::test]
async fn wages_every_month_and_what_stays_make_the_relationship() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let zhang = w.customer(1, "张丽华", "B001").await;
        let wages = w.funded(&zhang, AccountClass::One, 0).await;
        let spare = w.funded(&zhang, AccountClass::Two, 0).await;
        let before = relationship(&w.t.db, &zhang, "B001", w.clock.now())
            .await
            .unwrap();
        assert_eq!((before.tenure_months, before.monthly_inflow), (0, 0));

        // Eight months of wages: ¥6,000 each, ¥7,000 in one of them; half goes to the class II
        // account a few days later (the customer's own money moving: no inflow).
        for month in 0..8 {
            let fen = if month == 5 { 700_000 } else { 600_000 };
            crate::ledger::deposit(&w.t.db, &w.clock, &wages.id, fen, "某建筑公司", "工资")
                .await
                .unwrap();
            w.clock.advance(5 * DAY);
            w.transfers()
                .post(
                    &request(
                        &zhang,
                        &wages.id,
                        PayeeRef::OwnAccount(spare.id.clone()),
                        300_000,
                        &format!("m{month}"),
                    ),
                    None,
                )
                .await
                .unwrap();
            w.clock.advance(PERIOD - 5 * DAY);
        }
        let r = relationship(&w.t.db, &zhang, "B001", w.clock.now())
            .await
            .unwrap();
        assert_eq!(r.tenure_months, 8);
        assert_eq!(r.monthly_inflow, 600_000, "the leanest month's wages");
        assert_eq!(r.time_deposits, 0);
        // Nothing was spent: the balance grows by ¥6,000 a month. Over the six months read, it
        // averaged between what it held at their start and at their end.
        let held_now = 8 * 600_000 + 100_000;
        assert!(
            r.average_balance > held_now - 6 * 600_000 && r.average_balance < held_now,
            "{r:?}"
        );
        // Another bank knows nothing of them.
        let elsewhere = relationship(&w.t.db, &zhang, "B002", w.clock.now())
            .await
            .unwrap();
        assert_eq!(elsewhere, Default::default());
        w.t.finish().await;
    }
}
