//! Retries: which database errors mean "try again" (a busy SQLite, a serialization failure
//! or deadlock on PostgreSQL and CockroachDB), and a transaction runner that retries them with
//! backoff, so that callers write their transaction once and never see a conflict.

use super::Db;
use crate::Result;

/// Errors a writer answers by retrying: SQLite's busy and locked (also their extended codes),
/// PostgreSQL's and CockroachDB's serialization failure (40001) and deadlock (40P01).
pub fn is_retryable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => {
            matches!(
                db.code().as_deref(),
                Some("40001" | "40P01" | "5" | "6" | "261" | "262" | "517")
            )
        }
        _ => false,
    }
}

/// Runs `work` in a transaction, retrying serialization failures and a busy database.
pub async fn in_transaction<T, F>(db: &Db, mut work: F) -> Result<T>
where
    F: for<'c> FnMut(
        &'c mut sqlx::AnyConnection,
    )
        -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<T>> + Send + 'c>>,
{
    let mut attempt = 0;
    loop {
        attempt += 1;
        let turn = db.write_turn().await;
        let mut tx = db.pool().begin().await?;
        match work(&mut tx).await {
            Ok(v) => match tx.commit().await {
                Ok(()) => return Ok(v),
                Err(e) if is_retryable(&e) && attempt < 20 => {}
                Err(e) => return Err(e.into()),
            },
            Err(e) if e.is_transient() && attempt < 20 => {
                let _ = tx.rollback().await;
            }
            Err(e) => {
                let _ = tx.rollback().await;
                return Err(e);
            }
        }
        // Nobody waits for this turn while we back off.
        drop(turn);
        backoff(attempt).await;
    }
}

/// Exponential backoff with jitter for retried transactions: 1, 2, 4 … ms up to 50 ms.
pub async fn backoff(attempt: u32) {
    let base = 1u64 << attempt.min(6);
    let mut b = [0u8; 1];
    let _ = getrandom::fill(&mut b);
    let ms = (base + u64::from(b[0]) % base.max(1)).min(50);
    tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
}
