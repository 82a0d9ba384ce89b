//! The transfer group commit's own connection ([`Db::writer_connection`]) and the
//! [`Writer`] trait a batch is written through: here on an engine-neutral sqlx connection
//! (multi-row statements from `bulk`), in `writer_sqlite` through SQLite's handle, in
//! `writer_postgres` with PostgreSQL's arrays. [`Cells`] reads a row's columns whichever way
//! it was read.

use std::collections::HashSet;

use super::bulk::{insert_rows_with, placeholders, update_rows, Val};
use super::{direct, get_i64, Db, DbKind};
use crate::{Error, Result};

impl Db {
    /// A connection outside the pool for a long-running writer (the transfer group commit): it
    /// takes no pooled connection from requests, and on SQLite the one writer's page cache
    /// stays valid from one batch to the next (a connection's cache is dropped whenever another
    /// connection has written). On SQLite it is a connection of SQLite's own type, whose
    /// handle the writer can hold itself (`direct`), and its commits never checkpoint: run
    /// [`Db::checkpoint_continuously`] beside it.
    pub async fn writer_connection(&self) -> Result<WriterConnection> {
        use sqlx::ConnectOptions;
        if self.kind == DbKind::Postgres {
            let mut conn = sqlx::postgres::PgConnectOptions::from_url(&self.options.database_url)?
                .connect()
                .await?;
            // Its statements take a batch's rows as arrays and stay prepared; planned afresh
            // for each batch, the planner knows how many rows the arrays hold (`unnest` of a
            // known array is estimated exactly), where a generic plan guesses, which on a
            // large accounts table could mean a scan. Measured (BENCHMARKS.md):
            // generic plans were slower than the lists of values before; custom ones faster.
            // A compatible database without the setting plans its own way: not an error.
            if let Err(e) = sqlx::query("SET plan_cache_mode = force_custom_plan")
                .execute(&mut conn)
                .await
            {
                tracing::info!(error = %e, "writer connection: plan_cache_mode not set");
            }
            return Ok(WriterConnection::Postgres(conn));
        }
        let mut conn = self.sqlite_connection().await?;
        for pragma in [
            // A statement that may have to undo itself alone (an upsert, an insert into a
            // table with several unique indexes) keeps a statement journal; past 64 KiB
            // SQLite would put it in a temporary file, created and deleted per statement.
            "PRAGMA temp_store = MEMORY",
            // By default the commit that finds the WAL over 1,000 pages also copies them
            // into the database file and syncs it: under load, every few batches.
            "PRAGMA wal_autocheckpoint = 0",
            // After the WAL starts over, its file is cut back to 128 MiB.
            "PRAGMA journal_size_limit = 134217728",
            // Up to 256 MiB of pages kept between batches (SQLite's default is 2 MiB). A
            // batch of 64 transfers dirties some 300 pages scattered over the indexes and
            // reads more; in 2 MiB they pushed each other out, and SQLite wrote dirty pages
            // to the WAL before the commit (again at it) and read evicted ones back:
            // measured, a quarter fewer writes, half the reads and more transfers a second
            // (BENCHMARKS.md). The cache grows only as far as pages are used.
            "PRAGMA cache_size = -262144",
        ] {
            sqlx::query(pragma).execute(&mut conn).await?;
        }
        Ok(WriterConnection::Sqlite(conn))
    }
}

/// A long-running writer's own connection ([`Db::writer_connection`]).
pub enum WriterConnection {
    /// PostgreSQL (or a compatible database), with its own types: the writer passes a
    /// batch's rows as arrays (see `Writer for PgConnection`).
    Postgres(sqlx::postgres::PgConnection),
    /// SQLite, through sqlx or through its handle (`direct`).
    Sqlite(sqlx::sqlite::SqliteConnection),
}

/// Where a batch writes: an engine-neutral sqlx connection (`ledger::post` and the other
/// writers' transactions), or the transfer group commit's own connection: on PostgreSQL a
/// `PgConnection` (rows as arrays), on SQLite the handle the writer holds itself
/// ([`direct`]), where each row is one run of a prepared single-row statement instead of a
/// multi-row statement compiled for every batch's size. (A trait rather than an enum: a
/// future over a sqlx connection stays `Send`, SQLite's handle is not.)
pub(crate) trait Writer {
    /// Inserts rows ([`insert_rows_with`]: `table` is `name (col, col, …)`, `suffix` an
    /// `ON CONFLICT …` clause or nothing).
    async fn insert_rows(&mut self, table: &str, rows: Vec<Vec<Val>>, suffix: &str) -> Result<()>;

    /// Inserts the rows whose `unique` columns hold values not taken yet (`ON CONFLICT
    /// (unique) DO NOTHING`); returns the first value (the id, text) of each row it wrote.
    async fn insert_new(
        &mut self,
        table: &str,
        rows: Vec<Vec<Val>>,
        unique: &str,
    ) -> Result<HashSet<String>>;

    /// [`update_rows`]: rows `[key, guard values…, new values…]`, compare-and-set; returns how
    /// many rows changed.
    async fn update_rows(
        &mut self,
        table: &str,
        key_column: &str,
        guards: &[&str],
        sets: &[&str],
        rows: Vec<Vec<Val>>,
    ) -> Result<u64>;

    /// Deletes the rows of `table` whose `id` is one of `ids`.
    async fn delete_by_id(&mut self, table: &str, ids: Vec<String>) -> Result<()>;
}

impl Writer for sqlx::AnyConnection {
    async fn insert_rows(&mut self, table: &str, rows: Vec<Vec<Val>>, suffix: &str) -> Result<()> {
        insert_rows_with(self, table, rows, suffix)
            .await
            .map(|_| ())
    }

    async fn insert_new(
        &mut self,
        table: &str,
        rows: Vec<Vec<Val>>,
        unique: &str,
    ) -> Result<HashSet<String>> {
        use sqlx::Row;
        let suffix = format!(
            "ON CONFLICT ({unique}) DO NOTHING RETURNING {}",
            first_column(table)?
        );
        insert_rows_with(self, table, rows, &suffix)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>(0).map_err(Into::into))
            .collect()
    }

    async fn update_rows(
        &mut self,
        table: &str,
        key_column: &str,
        guards: &[&str],
        sets: &[&str],
        rows: Vec<Vec<Val>>,
    ) -> Result<u64> {
        update_rows(self, table, key_column, guards, sets, rows).await
    }

    async fn delete_by_id(&mut self, table: &str, ids: Vec<String>) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "DELETE FROM {table} WHERE id IN ({})",
            placeholders(self, ids.len())
        );
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(id);
        }
        q.execute(&mut *self).await?;
        Ok(())
    }
}

/// The first column of `name (col, col, …)`.
pub(super) fn first_column(table: &str) -> Result<&str> {
    table
        .split_once('(')
        .and_then(|(_, columns)| columns.split([',', ')']).next())
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| Error::Internal(format!("no columns in {table:?}")))
}

/// A row's columns by position, whichever way it was read.
pub(crate) trait Cells {
    /// An integer column (PostgreSQL `INTEGER` arrives as `i32`, everything else as `i64`).
    fn int(&self, i: usize) -> Result<i64>;
    /// A text column, `None` for NULL.
    fn text(&self, i: usize) -> Result<Option<String>>;
}

/// Rows read through sqlx (engine-neutral, or PostgreSQL's own).
impl<R> Cells for R
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    i64: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    i32: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    String: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    fn int(&self, i: usize) -> Result<i64> {
        get_i64(self, i)
    }

    fn text(&self, i: usize) -> Result<Option<String>> {
        self.try_get(i).map_err(Into::into)
    }
}

impl Cells for direct::Row<'_> {
    fn int(&self, i: usize) -> Result<i64> {
        direct::Row::int(self, i)
    }

    fn text(&self, i: usize) -> Result<Option<String>> {
        direct::Row::text(self, i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a batch does through a [`Writer`], and what is in the table afterwards.
    async fn write_through(w: &mut impl Writer) -> (Vec<String>, Vec<String>, u64) {
        let table = "t (id, n, s, m)";
        let row = |id: &str, n: i64, s: Option<&str>| {
            vec![
                Val::Text(id.into()),
                Val::Int(n),
                s.map_or(Val::NullText, |s| Val::Text(s.into())),
                Val::Text(format!("m{n}")),
            ]
        };
        let first = w
            .insert_new(
                table,
                vec![row("a", 1, None), row("b", 2, Some("王"))],
                "id",
            )
            .await
            .unwrap();
        // Only the rows the insert wrote come back: x's m is a's.
        let second = w
            .insert_new(table, vec![row("c", 3, Some("")), row("x", 1, None)], "m")
            .await
            .unwrap();
        assert!(w.insert_new(table, vec![], "id").await.unwrap().is_empty());
        // A plain insert with its own conflict clause.
        w.insert_rows(
            table,
            vec![row("d", 4, None), row("c", 7, Some("改"))],
            "ON CONFLICT (id) DO UPDATE SET s = excluded.s",
        )
        .await
        .unwrap();
        w.insert_rows(table, vec![], "").await.unwrap();
        // Compare-and-set: b's guard no longer holds, so only a changes.
        let changed = w
            .update_rows(
                "t",
                "id",
                &["n"],
                &["n", "s"],
                vec![
                    vec![
                        Val::Text("a".into()),
                        Val::Int(1),
                        Val::Int(10),
                        Val::Text("新".into()),
                    ],
                    vec![
                        Val::Text("b".into()),
                        Val::Int(99),
                        Val::Int(20),
                        Val::NullText,
                    ],
                ],
            )
            .await
            .unwrap();
        w.delete_by_id("t", vec!["d".into(), "none".into()])
            .await
            .unwrap();
        w.delete_by_id("t", vec![]).await.unwrap();
        let sorted = |ids: HashSet<String>| {
            let mut ids: Vec<String> = ids.into_iter().collect();
            ids.sort();
            ids
        };
        (sorted(first), sorted(second), changed)
    }

    /// Every way to write a batch (sqlx's engine-neutral multi-row statements; the group
    /// commit's own connection: SQLite's handle with single-row statements, PostgreSQL's
    /// arrays) returns and leaves the same.
    #[tokio::test]
    async fn every_writer_inserts_updates_and_deletes_alike() {
        for t in crate::testing::databases().await {
            for way in ["sqlx", "writer"] {
                sqlx::query(
                    "CREATE TABLE t (id TEXT PRIMARY KEY, n BIGINT NOT NULL, s TEXT, m TEXT UNIQUE)",
                )
                    .execute(t.db.pool())
                    .await
                    .unwrap();
                let outcome = if way == "sqlx" {
                    let mut conn = t.db.pool().acquire().await.unwrap();
                    write_through(&mut *conn).await
                } else {
                    match t.db.writer_connection().await.unwrap() {
                        WriterConnection::Sqlite(mut conn) => {
                            let mut direct = direct::Direct::lock(&mut conn).await.unwrap();
                            write_through(&mut direct).await
                        }
                        WriterConnection::Postgres(mut conn) => {
                            let (mode,): (String,) = sqlx::query_as("SHOW plan_cache_mode")
                                .fetch_one(&mut conn)
                                .await
                                .unwrap();
                            assert_eq!(mode, "force_custom_plan");
                            write_through(&mut conn).await
                        }
                    }
                };
                assert_eq!(
                    outcome,
                    (vec!["a".into(), "b".into()], vec!["c".into()], 1),
                    "{way} on {:?}",
                    t.db.kind()
                );
                let rows: Vec<(String, i64, Option<String>)> =
                    sqlx::query_as("SELECT id, n, s FROM t ORDER BY id")
                        .fetch_all(t.db.pool())
                        .await
                        .unwrap();
                assert_eq!(
                    rows,
                    vec![
                        ("a".into(), 10, Some("新".into())),
                        ("b".into(), 2, Some("王".into())),
                        ("c".into(), 3, Some("改".into())),
                    ],
                    "{way} on {:?}",
                    t.db.kind()
                );
                sqlx::query("DROP TABLE t")
                    .execute(t.db.pool())
                    .await
                    .unwrap();
            }
            t.finish().await;
        }
    }
}
