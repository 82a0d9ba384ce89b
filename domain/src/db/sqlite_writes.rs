//! SQLite's one write lock, and what keeps it short: this process's writers take turns at it
//! in order ([`Db::write_turn`]) instead of polling for it, and the WAL the writers append to
//! is copied back into the database file beside them ([`Db::checkpoint_continuously`]), so
//! that no commit has to.
//!
//! On PostgreSQL writers meet only on the rows they touch: there are no turns and no
//! checkpoints to run, and everything here returns at once.

use std::time::Duration;

use super::direct;
use super::{Db, DbKind};
use crate::Result;

/// First come, first served turns at SQLite's one write lock, for the writers of this process.
pub(crate) type WriteTurns = std::sync::Arc<tokio::sync::Mutex<()>>;

/// A new queue of turns for a [`Db`] of `kind`: one per process, none on PostgreSQL.
pub(super) fn write_turns(kind: DbKind) -> Option<WriteTurns> {
    (kind == DbKind::Sqlite).then(Default::default)
}

/// Waits for a turn at `turns` (see [`Db::write_turn`]), for writers that hold the turns
/// without the [`Db`] (the audit log's queue).
pub(crate) async fn take_turn(
    turns: &Option<WriteTurns>,
) -> Option<tokio::sync::OwnedMutexGuard<()>> {
    match turns {
        Some(t) => Some(t.clone().lock_owned().await),
        None => None,
    }
}

impl Db {
    /// Waits for this process's turn to write, and holds it until the guard is dropped; on
    /// PostgreSQL there are no turns (writers meet only on the rows they touch) and this
    /// returns `None` at once.
    ///
    /// SQLite has one write lock, and a connection that finds it taken polls for it, sleeping
    /// between tries (1, 2, 5 … up to 100 ms). A writer that commits back to back, as the
    /// transfer group commit does under load, then starves everyone else: measured, a
    /// rate-limit count waited up to 731 ms, and the group commit itself waited behind those
    /// pollers. Writers that take turns here queue in order instead: transactions
    /// ([`super::in_transaction`]), the group commit's batches, the audit log's appends, clearing,
    /// and the single statements customers' requests make most (rate limits, pending flows,
    /// sessions and known browsers, SMS codes and the development SMS outbox, marking the
    /// inbox read). Rarer writes (sign-up, passkey ceremonies, the workers' housekeeping)
    /// still wait in SQLite's busy handler. A turn covers one transaction or statement and is
    /// never held while asking for another (the turns are not reentrant).
    pub async fn write_turn(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        take_turn(&self.write_turns).await
    }

    /// SQLite: copies the WAL back into the database file every [`CHECKPOINT_EVERY`] with
    /// passive checkpoints (they never block the writer or readers), and every
    /// [`FINISH_CHECKPOINT_EVERY`] finishes the copy ([`Db::finish_checkpoint`]), on a
    /// connection of its own, for as long as the future is polled. Returns at once on
    /// PostgreSQL. Runs SQLite on the calling thread (`direct`): give it a thread of its own.
    pub async fn checkpoint_continuously(&self) {
        if self.kind != DbKind::Sqlite {
            return;
        }
        let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut conn: Option<sqlx::sqlite::SqliteConnection> = None;
        let mut finished_at = std::time::Instant::now();
        loop {
            tick.tick().await;
            let c = match &mut conn {
                Some(c) => c,
                None => match self.sqlite_connection().await {
                    Ok(c) => conn.insert(c),
                    Err(e) => {
                        tracing::warn!(error = %e, "WAL checkpoint: cannot connect; trying again");
                        continue;
                    }
                },
            };
            let outcome = if finished_at.elapsed() >= FINISH_CHECKPOINT_EVERY {
                finished_at = std::time::Instant::now();
                self.finish_checkpoint(c).await
            } else {
                checkpoint_pass(c, false).await.map(|_| ())
            };
            if let Err(e) = outcome {
                tracing::warn!(error = %e, "WAL checkpoint failed; trying again");
                conn = None;
            }
        }
    }

    /// SQLite: a connection of SQLite's own type outside the pool (the transfer writer's, the
    /// checkpoints'; [`Db::finish_checkpoint`] takes one).
    pub async fn sqlite_connection(&self) -> Result<sqlx::sqlite::SqliteConnection> {
        use sqlx::ConnectOptions;
        Ok(
            sqlx::sqlite::SqliteConnectOptions::from_url(&self.options.database_url)?
                .connect()
                .await?,
        )
    }

    /// SQLite: copies the whole WAL into the database file and makes it durable, so that the
    /// next write starts the WAL over from the beginning of its file. The passive checkpoints
    /// copy most of the WAL but, with the transfer writer appending all the while, never
    /// reach its end, and without this the WAL would grow for as long as the load lasts.
    ///
    /// Reaching the end takes the writers' turn ([`Db::write_turn`]), and every transfer
    /// waits meanwhile; this keeps that short. A checkpoint that reaches the end syncs the
    /// database file, which is most of its time: the pages the passive checkpoints wrote since
    /// the last finish. So first, without the turn, the file is synced and the WAL copied
    /// again, a few times while that is still slow (each pass has only what came during the
    /// one before), then the last short pass runs with the turn. Measured (BENCHMARKS.md, transfers through the
    /// domain): the writer used to do the whole finish itself and stood 20–60 ms each
    /// time; with 1,500 accounts its p99 was twice what it is now.
    pub async fn finish_checkpoint(&self, conn: &mut sqlx::sqlite::SqliteConnection) -> Result<()> {
        for _ in 0..3 {
            if checkpoint_pass(conn, true).await? < FINISH_QUICK_ENOUGH {
                break;
            }
        }
        let _turn = self.write_turn().await;
        checkpoint_pass(conn, true).await.map(|_| ())
    }
}

/// How often [`Db::checkpoint_continuously`] copies the WAL into the database file.
pub const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);

/// How often [`Db::checkpoint_continuously`] finishes the checkpoint
/// ([`Db::finish_checkpoint`]), letting the WAL start over. Every 250 ms measured a worse
/// p99, every second a slower writer (a larger WAL; see BENCHMARKS.md).
pub const FINISH_CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

/// A pass of [`Db::finish_checkpoint`] this short leaves little for the last one.
const FINISH_QUICK_ENOUGH: Duration = Duration::from_millis(4);

/// One passive checkpoint on `conn`, after syncing the database file if `sync_first` (what
/// earlier passes copied into it); returns how long it took.
async fn checkpoint_pass(
    conn: &mut sqlx::sqlite::SqliteConnection,
    sync_first: bool,
) -> Result<Duration> {
    let started = std::time::Instant::now();
    let direct = direct::Direct::lock(conn).await?;
    if sync_first {
        direct.sync_database_file()?;
    }
    direct.execute("PRAGMA wal_checkpoint(PASSIVE)")?;
    Ok(started.elapsed())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use crate::db::{DbKind, WriterConnection};

    /// The finish copies the whole WAL with the writers' turn held, so the next write starts
    /// the WAL over, even after a writer that never checkpoints has written plenty.
    #[tokio::test]
    async fn a_finished_checkpoint_lets_the_wal_start_over() {
        let t = crate::testing::sqlite().await;
        let db = &t.db;
        sqlx::query("CREATE TABLE t (n BIGINT PRIMARY KEY, s TEXT NOT NULL)")
            .execute(db.pool())
            .await
            .unwrap();
        let WriterConnection::Sqlite(mut writer) = db.writer_connection().await.unwrap() else {
            panic!("SQLite's writer has a connection of its own type");
        };
        let filler = "存".repeat(300);
        for batch in 0..20 {
            let mut tx = sqlx::Connection::begin(&mut writer).await.unwrap();
            for n in 0..100 {
                sqlx::query("INSERT INTO t VALUES (?, ?)")
                    .bind(batch * 100 + n)
                    .bind(&filler)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
            }
            tx.commit().await.unwrap();
        }
        // (busy, frames in the WAL, frames copied), counted by a passive checkpoint.
        async fn wal(c: &mut sqlx::sqlite::SqliteConnection) -> (i64, i64, i64) {
            sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
                .fetch_one(c)
                .await
                .unwrap()
        }
        let mut checkpoints = db.sqlite_connection().await.unwrap();

        // It waits for the writers' turn.
        let turn = db.write_turn().await;
        let finish = tokio::spawn({
            let db = db.clone();
            async move {
                let mut conn = db.sqlite_connection().await.unwrap();
                db.finish_checkpoint(&mut conn).await
            }
        });
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(!finish.is_finished(), "the finish waits for the turn");
        drop(turn);
        finish.await.unwrap().unwrap();

        sqlx::query("INSERT INTO t VALUES (-1, 'x')")
            .execute(&mut writer)
            .await
            .unwrap();
        let (busy, frames, copied) = wal(&mut checkpoints).await;
        assert_eq!(busy, 0);
        assert!(
            frames <= 4,
            "the WAL started over: {frames} frames (of which {copied} copied) after one row"
        );
        drop(writer);
        drop(checkpoints);
        t.finish().await;
    }

    /// SQLite writers of this process take turns in the order they asked, and the request
    /// path's writes wait for theirs (the rate limit here stands for them all); PostgreSQL has
    /// no turns.
    #[tokio::test]
    async fn sqlite_writers_take_turns_in_order() {
        use crate::clock::{ManualClock, MINUTE};
        use crate::ratelimit::{hit, Limit};
        for t in crate::testing::databases().await {
            let db = t.db.clone();
            if db.kind() == DbKind::Postgres {
                assert!(db.write_turn().await.is_none());
                t.finish().await;
                continue;
            }
            let first = db.write_turn().await.expect("SQLite has turns");
            let order = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
            let waiter = |name: &'static str| {
                let (db, order) = (db.clone(), order.clone());
                tokio::spawn(async move {
                    let _turn = db.write_turn().await;
                    order.lock().unwrap().push(name);
                })
            };
            let second = waiter("second");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            let third = waiter("third");
            let counted = tokio::spawn({
                let db = db.clone();
                async move {
                    let clock = ManualClock::at(0);
                    let limit = Limit {
                        max: 5,
                        window: MINUTE,
                    };
                    hit(&db, &clock, "turns", limit).await.unwrap()
                }
            });
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            assert!(
                order.lock().unwrap().is_empty(),
                "nobody writes out of turn"
            );
            assert!(!counted.is_finished(), "the rate limit waits for its turn");
            drop(first);
            second.await.unwrap();
            third.await.unwrap();
            assert_eq!(counted.await.unwrap(), Ok(()));
            assert_eq!(*order.lock().unwrap(), ["second", "third"]);
            t.finish().await;
        }
    }
}
