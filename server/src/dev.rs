//! Development-only endpoints and demo data. Both exist only when the configuration allows
//! development endpoints (`APP_ENV=development` on a loopback address, see
//! [`crate::config::Config`]); in production these paths do not exist and no demo customer
//! is created.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

use domain::identity::Mobile;
use domain::sms::{outbox, OutboxMessage};

use crate::config::Config;
use crate::router::AppState;

/// Creates the demo customers and their six months of banking, and the console's demo staff, when the configuration allows
/// development endpoints, and nothing otherwise. Returns (customers created, whether the
/// banking history was created now).
pub async fn demo_data(
    config: &Config,
    db: &domain::Db,
    clock: &dyn domain::clock::Clock,
    keys: &domain::pii::KeyRing,
    committer: &domain::transfer::Committer,
) -> domain::Result<(usize, bool)> {
    if !config.dev_endpoints {
        return Ok((0, false));
    }
    let identity = domain::identity::Identity { db, clock, keys };
    let customers = domain::demo::seed_customers(&identity).await?;
    let banking = domain::demo::seed_banking(db, clock.now(), keys, committer).await?;
    domain::demo::seed_staff(&domain::ops::Ops { db, clock, keys }).await?;
    Ok((customers, banking))
}

#[derive(Deserialize)]
pub struct SmsQuery {
    mobile: String,
}

/// `GET /dev/sms?mobile=138…`: what the SMS simulator "sent" to a number, newest first.
pub async fn sms_outbox(
    State(state): State<AppState>,
    Query(q): Query<SmsQuery>,
) -> Result<Json<Vec<OutboxMessage>>, StatusCode> {
    let mobile = Mobile::parse(&q.mobile).map_err(|_| StatusCode::BAD_REQUEST)?;
    outbox(&state.ctx.db, &mobile, 20)
        .await
        .map(Json)
        .map_err(|_| StatusCode::SERVICE_UNAVAILABLE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::clock::ManualClock;

    fn config(addr: &str, vars: &[(&str, &str)]) -> Config {
        Config::from_lookup(addr.parse().unwrap(), |k| {
            vars.iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| v.to_string())
        })
        .unwrap()
    }

    async fn customers(db: &domain::Db) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM customers")
            .fetch_one(db.pool())
            .await
            .unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn production_creates_no_demo_customers_development_does() {
        let production = config(
            "127.0.0.1:3000",
            &[
                ("APP_ENV", "production"),
                ("PII_MASTER_KEYS", "k1:x"),
                ("PII_ACTIVE_KEY", "k1"),
                ("PII_INDEX_KEY", "y"),
                ("DEV_ON_ANY_ADDRESS", "1"),
            ],
        );
        let development = config("127.0.0.1:3000", &[("APP_ENV", "development")]);
        for t in domain::testing::databases().await {
            domain::institution::seed(&t.db).await.unwrap();
            let clock = ManualClock::at(1_800_000_000_000);
            domain::account::seed_internal(&t.db, &clock).await.unwrap();
            let keys = domain::pii::KeyRing::development();
            let committer = domain::transfer::Committer::start(t.db.clone());
            let made = demo_data(&production, &t.db, &clock, &keys, &committer).await;
            assert_eq!(made.unwrap(), (0, false));
            assert_eq!(customers(&t.db).await, 0);
            let made = demo_data(&development, &t.db, &clock, &keys, &committer).await;
            let (created, banking) = made.unwrap();
            assert!(created > 0 && banking);
            assert_eq!(customers(&t.db).await, created as i64);
            t.finish().await;
        }
    }
}
