//! Fixed-window rate limits kept in the database, so every app node counts the same hits.
//! They stop abuse of login and code sending without a picture CAPTCHA (WCAG 3.3.8, 适老化).

use sqlx::Row;

use crate::clock::{Clock, Millis};
use crate::{Db, Result};

/// A limit: at most `max` hits per `window`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub max: i64,
    pub window: Millis,
}

/// Counts a hit on `bucket`; `Err(retry_after)` when the window is already full.
pub async fn hit(
    db: &Db,
    clock: &dyn Clock,
    bucket: &str,
    limit: Limit,
) -> Result<std::result::Result<(), Millis>> {
    let now = clock.now();
    let window_start = now - now.rem_euclid(limit.window);
    let turn = db.write_turn().await;
    let row = sqlx::query(
        "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1 \
         RETURNING hits",
    )
    .bind(bucket)
    .bind(window_start)
    .fetch_one(db.pool())
    .await?;
    drop(turn);
    let hits: i64 = row
        .try_get::<i64, _>("hits")
        .or_else(|_| row.try_get::<i32, _>("hits").map(i64::from))?;
    if hits > limit.max {
        Ok(Err(window_start + limit.window - now))
    } else {
        Ok(Ok(()))
    }
}

/// Drops windows that ended before `before` (run by the server's housekeeping worker).
pub async fn purge(db: &Db, before: Millis) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM rate_limits WHERE window_start < $1")
            .bind(before)
            .execute(db.pool())
            .await?
            .rows_affected(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{ManualClock, MINUTE};
    use crate::testing;

    #[tokio::test]
    async fn refuses_past_the_limit_until_the_window_turns() {
        for t in testing::databases().await {
            let clock = ManualClock::at(10 * MINUTE);
            let limit = Limit {
                max: 3,
                window: MINUTE,
            };
            for _ in 0..3 {
                assert_eq!(
                    hit(&t.db, &clock, "login:ip:1.2.3.4", limit).await.unwrap(),
                    Ok(())
                );
            }
            clock.advance(15_000);
            assert_eq!(
                hit(&t.db, &clock, "login:ip:1.2.3.4", limit).await.unwrap(),
                Err(45_000)
            );
            assert_eq!(
                hit(&t.db, &clock, "login:ip:5.6.7.8", limit).await.unwrap(),
                Ok(()),
                "buckets are separate"
            );
            clock.advance(45_000);
            assert_eq!(
                hit(&t.db, &clock, "login:ip:1.2.3.4", limit).await.unwrap(),
                Ok(()),
                "new window"
            );
            assert_eq!(purge(&t.db, clock.now()).await.unwrap(), 2);
            t.finish().await;
        }
    }
}
