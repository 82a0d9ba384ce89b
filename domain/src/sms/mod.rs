//! The SMS gateway, behind a trait so a real provider plugs in by configuration. The default is
//! [`DevOutbox`], a simulator that "sends" by writing to the `sms_outbox` table: nothing leaves
//! the machine, and development tools and tests read the codes from there (the server exposes
//! them only in development mode).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use sqlx::Row;

use crate::clock::{Clock, Millis};
use crate::identity::Mobile;
use crate::{Db, Result};

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Sends text messages to mainland mobile numbers.
pub trait SmsGateway: Send + Sync + std::fmt::Debug {
    fn send<'a>(&'a self, to: &'a Mobile, body: &'a str) -> BoxFuture<'a, Result<()>>;

    /// True for simulators: the server says so in its logs and never calls them live.
    fn is_simulator(&self) -> bool;
}

/// The development simulator: messages land in the database, readable per number.
#[derive(Clone, Debug)]
pub struct DevOutbox {
    db: Db,
    clock: Arc<dyn Clock>,
}

impl DevOutbox {
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        DevOutbox { db, clock }
    }
}

impl SmsGateway for DevOutbox {
    fn send<'a>(&'a self, to: &'a Mobile, body: &'a str) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            let _turn = self.db.write_turn().await;
            sqlx::query(
                "INSERT INTO sms_outbox (id, mobile, body, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(crate::id::new_id())
            .bind(to.as_str())
            .bind(body)
            .bind(self.clock.now())
            .execute(self.db.pool())
            .await?;
            tracing::info!(to = %to, "SMS simulator: message written to the development outbox");
            Ok(())
        })
    }

    fn is_simulator(&self) -> bool {
        true
    }
}

/// A message in the development outbox.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct OutboxMessage {
    pub body: String,
    pub created_at: Millis,
}

/// The latest messages "sent" to a number, newest first.
pub async fn outbox(db: &Db, to: &Mobile, limit: i64) -> Result<Vec<OutboxMessage>> {
    let rows = sqlx::query("SELECT body, created_at FROM sms_outbox WHERE mobile = $1 ORDER BY created_at DESC, id DESC LIMIT $2")
        .bind(to.as_str())
        .bind(limit)
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(OutboxMessage {
                body: r.try_get("body")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}
