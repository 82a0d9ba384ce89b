use super::*;
use crate::testing;
use crate::transfer::tests::World;

#[tokio::test]
async fn consents_start_at_their_defaults_and_each_change_is_audited_once() {
    for t in testing::databases().await {
        let w = World::new(t).await;
        let me = w.customer(1, "王建国", "B002").await;
        assert_eq!(
            of(&w.t.db, &me).await.unwrap(),
            [(Purpose::Marketing, false), (Purpose::News, true)]
        );
        set(&w.t.db, &w.clock, &me, Purpose::Marketing, true)
            .await
            .unwrap();
        set(&w.t.db, &w.clock, &me, Purpose::Marketing, true)
            .await
            .unwrap();
        set(&w.t.db, &w.clock, &me, Purpose::News, false)
            .await
            .unwrap();
        assert_eq!(
            of(&w.t.db, &me).await.unwrap(),
            [(Purpose::Marketing, true), (Purpose::News, false)]
        );
        set(&w.t.db, &w.clock, &me, Purpose::Marketing, false)
            .await
            .unwrap();
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM audit_log WHERE subject = $1 AND action LIKE 'consent_%'",
        )
        .bind(&me)
        .fetch_one(w.t.db.pool())
        .await
        .unwrap();
        assert_eq!(
            get_i64(&row, "n").unwrap(),
            3,
            "the repeated answer is not recorded"
        );
        // Another customer's answers are their own.
        let other = w.customer(2, "李晓梅", "B001").await;
        assert_eq!(
            of(&w.t.db, &other).await.unwrap(),
            [(Purpose::Marketing, false), (Purpose::News, true)]
        );
    }
}
