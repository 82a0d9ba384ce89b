//! One database handle for both supported engines.
//!
//! * Embedded SQLite is the default: a file (created, switched to WAL and migrated at start).
//! * `postgres://…` selects PostgreSQL, and through the same driver any PostgreSQL-compatible
//!   distributed SQL (CockroachDB, YugabyteDB). For those the rules are: identifiers come from
//!   the application ([`crate::id`]), migrations take no advisory lock, and writers retry on
//!   serialization failures.
//!
//! Both engines run the same queries through `sqlx::AnyPool`, and the same migration set
//! (`migrations/`), which is written in the SQL both understand. The one exception is the
//! transfer group commit's own connection ([`Db::writer_connection`], `Writer`), which
//! speaks each engine's dialect: arrays on PostgreSQL, SQLite's C API (`direct`).

use std::collections::HashSet;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::AnyPool;

use crate::{Error, Result};

pub(crate) mod direct;

/// Which engine a [`Db`] talks to; reported by `/healthz`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

impl DbKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DbKind::Sqlite => "sqlite",
            DbKind::Postgres => "postgres",
        }
    }

    /// Which engine a connection URL names, or a configuration error in plain words.
    pub fn from_url(url: &str) -> Result<Self> {
        if url.starts_with("sqlite:") {
            Ok(DbKind::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DbKind::Postgres)
        } else {
            Err(Error::Config(format!(
                "DATABASE_URL must start with sqlite: or postgres:// (got {})",
                redact_url(url)
            )))
        }
    }
}

/// A pooled connection to the portal's database.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    kind: DbKind,
    /// How the pool connects, for the connections a writer keeps to itself (see
    /// [`Db::writer_connection`]).
    options: AnyConnectOptions,
    /// This process's queue in front of the audit log's one hash chain (started on first use;
    /// see `audit::append`).
    audit: std::sync::Arc<std::sync::OnceLock<crate::audit::Queue>>,
    /// SQLite only: whose turn it is to write (see [`Db::write_turn`]).
    pub(crate) write_turns: Option<WriteTurns>,
}

/// First come, first served turns at SQLite's one write lock, for the writers of this process.
pub(crate) type WriteTurns = std::sync::Arc<tokio::sync::Mutex<()>>;

fn write_turns(kind: DbKind) -> Option<WriteTurns> {
    (kind == DbKind::Sqlite).then(Default::default)
}

/// How to open the database.
#[derive(Clone, Debug)]
pub struct DbConfig {
    pub url: String,
    pub max_connections: u32,
}

impl DbConfig {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            max_connections: 16,
        }
    }
}

impl Db {
    /// Opens (and for SQLite creates) the database and brings its schema up to date.
    pub async fn connect(config: &DbConfig) -> Result<Db> {
        let db = Self::open(config).await?;
        db.migrate().await?;
        Ok(db)
    }

    /// Opens the database without migrating it.
    pub async fn open(config: &DbConfig) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let kind = DbKind::from_url(&config.url)?;
        let url = match kind {
            DbKind::Sqlite => prepare_sqlite_url(&config.url)?,
            DbKind::Postgres => config.url.clone(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(config.max_connections)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options.clone())
            .await?;
        if kind == DbKind::Sqlite {
            // WAL lets readers run beside the single writer; the setting is stored in the file.
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
        }
        Ok(Db {
            pool,
            kind,
            options,
            audit: Default::default(),
            write_turns: write_turns(kind),
        })
    }

    /// Applies the embedded migrations that have not run yet.
    pub async fn migrate(&self) -> Result<()> {
        migrator().run(&self.pool).await?;
        Ok(())
    }

    /// Applies the migrations older than `version` only: a migration's test builds the data it
    /// finds on a database of the schema before it.
    #[cfg(any(test, feature = "testing"))]
    pub async fn migrate_before(&self, version: i64) -> Result<()> {
        let mut migrator = migrator();
        migrator.migrations = migrator
            .migrations
            .iter()
            .filter(|m| m.version < version)
            .cloned()
            .collect::<Vec<_>>()
            .into();
        migrator.run(&self.pool).await?;
        Ok(())
    }

    pub fn kind(&self) -> DbKind {
        self.kind
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The same database as another node would see it: same pool, but its own in-process
    /// queues, so tests can make "two nodes" race.
    #[cfg(any(test, feature = "testing"))]
    pub fn as_another_node(&self) -> Db {
        Db {
            pool: self.pool.clone(),
            kind: self.kind,
            options: self.options.clone(),
            audit: Default::default(),
            // Another process, as far as SQLite's lock is concerned.
            write_turns: write_turns(self.kind),
        }
    }

    pub(crate) fn audit_queue(&self) -> &crate::audit::Queue {
        self.audit
            .get_or_init(|| crate::audit::Queue::start(self.pool.clone(), self.write_turns.clone()))
    }

    /// Waits for this process's turn to write, and holds it until the guard is dropped; on
    /// PostgreSQL there are no turns (writers meet only on the rows they touch) and this
    /// returns `None` at once.
    ///
    /// SQLite has one write lock, and a connection that finds it taken polls for it, sleeping
    /// between tries (1, 2, 5 … up to 100 ms). A writer that commits back to back, as the
    /// transfer group commit does under load, then starves everyone else: measured, a
    /// rate-limit count waited up to 731 ms, and the group commit itself waited behind those
    /// pollers. Writers that take turns here queue in order instead: transactions
    /// ([`in_transaction`]), the group commit's batches, the audit log's appends, clearing,
    /// and the single statements customers' requests make most (rate limits, pending flows,
    /// sessions and known browsers, SMS codes and the development SMS outbox, marking the
    /// inbox read). Rarer writes (sign-up, passkey ceremonies, the workers' housekeeping)
    /// still wait in SQLite's busy handler. A turn covers one transaction or statement and is
    /// never held while asking for another (the turns are not reentrant).
    pub async fn write_turn(&self) -> Option<tokio::sync::OwnedMutexGuard<()>> {
        take_turn(&self.write_turns).await
    }

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
            // large accounts table could mean a scan. Measured (BENCHMARKS.md, session 11):
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
            // (BENCHMARKS.md, session 9). The cache grows only as far as pages are used.
            "PRAGMA cache_size = -262144",
        ] {
            sqlx::query(pragma).execute(&mut conn).await?;
        }
        Ok(WriterConnection::Sqlite(conn))
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
    /// one before), then the last short pass runs with the turn. Measured (BENCHMARKS.md,
    /// session 12): the writer used to do the whole finish itself and stood 20–60 ms each
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

    /// A round trip to the database, for health checks.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

pub(crate) async fn take_turn(
    turns: &Option<WriteTurns>,
) -> Option<tokio::sync::OwnedMutexGuard<()>> {
    match turns {
        Some(t) => Some(t.clone().lock_owned().await),
        None => None,
    }
}

/// The embedded migrations, as every node runs them.
fn migrator() -> sqlx::migrate::Migrator {
    // Embedded at compile time (see `build.rs`).
    let mut migrator = sqlx::migrate!("../migrations");
    // No advisory locks: CockroachDB has none. Run `bank-portal migrate` from one node before
    // starting several (see README).
    migrator.set_locking(false);
    migrator
}

/// How often [`Db::checkpoint_continuously`] copies the WAL into the database file.
pub const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);

/// How often [`Db::checkpoint_continuously`] finishes the checkpoint
/// ([`Db::finish_checkpoint`]), letting the WAL start over. Every 250 ms measured a worse
/// p99, every second a slower writer (a larger WAL; see BENCHMARKS.md, session 10).
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

/// A long-running writer's own connection ([`Db::writer_connection`]).
pub enum WriterConnection {
    /// PostgreSQL (or a compatible database), with its own types: the writer passes a
    /// batch's rows as arrays (see `Writer for PgConnection`).
    Postgres(sqlx::postgres::PgConnection),
    /// SQLite, through sqlx or through its handle (`direct`).
    Sqlite(sqlx::sqlite::SqliteConnection),
}

/// An integer column (by name or position) as `i64`: SQLite and PostgreSQL `BIGINT` arrive as
/// `i64`, PostgreSQL `INTEGER` as `i32`.
pub fn get_i64<R, I>(row: &R, column: I) -> Result<i64>
where
    R: sqlx::Row,
    I: sqlx::ColumnIndex<R> + Copy,
    i64: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    i32: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    row.try_get::<i64, _>(column)
        .or_else(|_| row.try_get::<i32, _>(column).map(i64::from))
        .map_err(Into::into)
}

/// A value for [`insert_rows`].
#[derive(Clone, Debug)]
pub enum Val {
    I(i64),
    S(String),
    /// A NULL text column.
    NullText,
}

/// Inserts many rows with multi-row `INSERT … VALUES (…), (…)` statements (chunked below both
/// engines' parameter limits). `table` is `name (col, col, …)`; every row has one value per
/// column. `suffix` follows the VALUES list (e.g. an `ON CONFLICT` clause).
pub async fn insert_rows(
    conn: &mut sqlx::AnyConnection,
    table: &str,
    rows: Vec<Vec<Val>>,
) -> Result<()> {
    insert_rows_with(conn, table, rows, "").await.map(|_| ())
}

/// [`insert_rows`] with a clause after the values (`ON CONFLICT …`, `RETURNING …`); returns
/// the rows a `RETURNING` clause produced.
pub async fn insert_rows_with(
    conn: &mut sqlx::AnyConnection,
    table: &str,
    rows: Vec<Vec<Val>>,
    suffix: &str,
) -> Result<Vec<sqlx::any::AnyRow>> {
    let mut returned = Vec::new();
    let Some(width) = rows.first().map(Vec::len) else {
        return Ok(returned);
    };
    let positional = conn.backend_name() == "SQLite";
    for chunk in chunks(rows, rows_per_statement(width)) {
        let sql = format!(
            "INSERT INTO {table} VALUES {} {suffix}",
            values_list(chunk.len(), width, positional)
        );
        returned.extend(
            sqlx::query_with(&sql, arguments(chunk, width)?)
                .fetch_all(&mut *conn)
                .await?,
        );
    }
    Ok(returned)
}

/// Updates many rows with `UPDATE … FROM (VALUES …)`, one statement per chunk. Each row is
/// `[key, guard values…, new values…]`: a row changes only where `key_column` matches and every
/// `guard` column still holds its guard value (compare-and-set). Returns how many rows changed,
/// so the caller can tell whether every guard held.
pub async fn update_rows(
    conn: &mut sqlx::AnyConnection,
    table: &str,
    key_column: &str,
    guards: &[&str],
    sets: &[&str],
    rows: Vec<Vec<Val>>,
) -> Result<u64> {
    let width = 1 + guards.len() + sets.len();
    let positional = conn.backend_name() == "SQLite";
    // Both engines name the columns of a VALUES list column1, column2, …
    let (set_sql, where_sql) =
        compare_and_set(table, key_column, guards, sets, |n| format!("v.column{n}"));
    let mut changed = 0;
    for chunk in chunks(rows, rows_per_statement(width)) {
        let sql = format!(
            "UPDATE {table} SET {set_sql} FROM (VALUES {}) AS v WHERE {where_sql}",
            values_list(chunk.len(), width, positional),
        );
        changed += sqlx::query_with(&sql, arguments(chunk, width)?)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(changed)
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

impl Writer for direct::Direct<'_> {
    async fn insert_rows(&mut self, table: &str, rows: Vec<Vec<Val>>, suffix: &str) -> Result<()> {
        direct_inserts(self, table, &rows, suffix).map(|_| ())
    }

    /// Tells a written row by the count of rows changed, not by `RETURNING`: SQLite buffers
    /// a `RETURNING` clause's rows in a temporary table, set up and torn down by every run of
    /// the statement (in the bench, half of the writer's 70,000 page-cache tear-downs a
    /// second; throughput the same within the noise).
    async fn insert_new(
        &mut self,
        table: &str,
        rows: Vec<Vec<Val>>,
        unique: &str,
    ) -> Result<HashSet<String>> {
        let written = direct_inserts(
            self,
            table,
            &rows,
            &format!("ON CONFLICT ({unique}) DO NOTHING"),
        )?;
        rows.into_iter()
            .zip(written)
            .filter(|(_, changed)| *changed > 0)
            .map(|(row, _)| match row.into_iter().next() {
                Some(Val::S(id)) => Ok(id),
                _ => Err(Error::Internal(format!(
                    "{table}: a row's first value is not its id"
                ))),
            })
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
        // One row's values are the statement's parameters, in order.
        let (set_sql, where_sql) =
            compare_and_set(table, key_column, guards, sets, |n| format!("?{n}"));
        let mut update =
            self.prepare(&format!("UPDATE {table} SET {set_sql} WHERE {where_sql}"))?;
        let mut changed = 0;
        for row in &rows {
            changed += update.run(row, |_| Ok(()))?;
        }
        Ok(changed)
    }

    async fn delete_by_id(&mut self, table: &str, ids: Vec<String>) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut delete = self.prepare(&format!("DELETE FROM {table} WHERE id = ?"))?;
        for id in ids {
            delete.run(&[Val::S(id)], |_| Ok(()))?;
        }
        Ok(())
    }
}

/// Runs one prepared single-row insert per row through SQLite's handle; returns how many rows
/// each run changed.
fn direct_inserts(
    direct: &direct::Direct<'_>,
    table: &str,
    rows: &[Vec<Val>],
    suffix: &str,
) -> Result<Vec<u64>> {
    let Some(width) = rows.first().map(Vec::len) else {
        return Ok(Vec::new());
    };
    let mut insert = direct.prepare(&format!(
        "INSERT INTO {table} VALUES {} {suffix}",
        values_list(1, width, true)
    ))?;
    rows.iter().map(|row| insert.run(row, |_| Ok(()))).collect()
}

/// The first column of `name (col, col, …)`.
fn first_column(table: &str) -> Result<&str> {
    table
        .split_once('(')
        .and_then(|(_, columns)| columns.split([',', ')']).next())
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| Error::Internal(format!("no columns in {table:?}")))
}

/// On PostgreSQL the writer sends each column of a batch's rows as one array parameter and
/// unpacks them with `UNNEST`: the statement's text is the same whatever the batch's size, so
/// it is parsed and planned once per connection and runs in one round trip (sqlx keeps it
/// prepared), where a `VALUES` list of the batch's size was a new statement, parsed, planned
/// and prepared in a round trip of its own, nearly every batch.
impl Writer for sqlx::postgres::PgConnection {
    async fn insert_rows(&mut self, table: &str, rows: Vec<Vec<Val>>, suffix: &str) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let columns = ArrayColumns::of(rows)?;
        let sql = format!(
            "INSERT INTO {table} SELECT * FROM UNNEST({}) {suffix}",
            columns.parameters()
        );
        columns.bind(sqlx::query(&sql)).execute(&mut *self).await?;
        Ok(())
    }

    async fn insert_new(
        &mut self,
        table: &str,
        rows: Vec<Vec<Val>>,
        unique: &str,
    ) -> Result<HashSet<String>> {
        use sqlx::Row;
        if rows.is_empty() {
            return Ok(HashSet::new());
        }
        let columns = ArrayColumns::of(rows)?;
        let sql = format!(
            "INSERT INTO {table} SELECT * FROM UNNEST({}) \
             ON CONFLICT ({unique}) DO NOTHING RETURNING {}",
            columns.parameters(),
            first_column(table)?
        );
        columns
            .bind(sqlx::query(&sql))
            .fetch_all(&mut *self)
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
        if rows.is_empty() {
            return Ok(0);
        }
        let columns = ArrayColumns::of(rows)?;
        let names: Vec<String> = (1..=columns.0.len())
            .map(|n| format!("column{n}"))
            .collect();
        let (set_sql, where_sql) =
            compare_and_set(table, key_column, guards, sets, |n| format!("v.column{n}"));
        let sql = format!(
            "UPDATE {table} SET {set_sql} FROM UNNEST({}) AS v({}) WHERE {where_sql}",
            columns.parameters(),
            names.join(", ")
        );
        Ok(columns
            .bind(sqlx::query(&sql))
            .execute(&mut *self)
            .await?
            .rows_affected())
    }

    async fn delete_by_id(&mut self, table: &str, ids: Vec<String>) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        sqlx::query(&format!("DELETE FROM {table} WHERE id = ANY($1::text[])"))
            .bind(ids)
            .execute(&mut *self)
            .await?;
        Ok(())
    }
}

/// Rows turned into columns, one PostgreSQL array each.
struct ArrayColumns(Vec<ArrayColumn>);

enum ArrayColumn {
    Int(Vec<i64>),
    Text(Vec<Option<String>>),
}

impl ArrayColumns {
    /// A column holding any integer is a `bigint[]` (every value must then be one), any
    /// other a `text[]` (NULL where a row has [`Val::NullText`]).
    fn of(rows: Vec<Vec<Val>>) -> Result<ArrayColumns> {
        let width = rows.first().map_or(0, Vec::len);
        let mut columns: Vec<ArrayColumn> = (0..width)
            .map(|j| {
                if rows.iter().any(|r| matches!(r.get(j), Some(Val::I(_)))) {
                    ArrayColumn::Int(Vec::with_capacity(rows.len()))
                } else {
                    ArrayColumn::Text(Vec::with_capacity(rows.len()))
                }
            })
            .collect();
        for row in rows {
            if row.len() != width {
                return Err(Error::Internal(format!(
                    "a row of {} values among rows of {width}",
                    row.len()
                )));
            }
            for (column, value) in columns.iter_mut().zip(row) {
                match (column, value) {
                    (ArrayColumn::Int(v), Val::I(n)) => v.push(n),
                    (ArrayColumn::Text(v), Val::S(s)) => v.push(Some(s)),
                    (ArrayColumn::Text(v), Val::NullText) => v.push(None),
                    _ => return Err(Error::Internal("a column mixes integers and text".into())),
                }
            }
        }
        Ok(ArrayColumns(columns))
    }

    /// `$1::bigint[], $2::text[], …`
    fn parameters(&self) -> String {
        self.0
            .iter()
            .enumerate()
            .map(|(i, c)| match c {
                ArrayColumn::Int(_) => format!("${}::bigint[]", i + 1),
                ArrayColumn::Text(_) => format!("${}::text[]", i + 1),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn bind(
        self,
        mut query: sqlx::query::Query<'_, sqlx::Postgres, sqlx::postgres::PgArguments>,
    ) -> sqlx::query::Query<'_, sqlx::Postgres, sqlx::postgres::PgArguments> {
        for column in self.0 {
            query = match column {
                ArrayColumn::Int(v) => query.bind(v),
                ArrayColumn::Text(v) => query.bind(v),
            };
        }
        query
    }
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

/// The `SET` and `WHERE` clauses of a compare-and-set update of `table` by rows
/// `[key, guard values…, new values…]`, where `value(n)` names a row's `n`th value (from 1).
fn compare_and_set(
    table: &str,
    key_column: &str,
    guards: &[&str],
    sets: &[&str],
    value: impl Fn(usize) -> String,
) -> (String, String) {
    let set_sql: Vec<String> = sets
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = {}", value(2 + guards.len() + i)))
        .collect();
    let mut where_sql = vec![format!("{table}.{key_column} = {}", value(1))];
    where_sql.extend(
        guards
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{table}.{c} = {}", value(2 + i))),
    );
    (set_sql.join(", "), where_sql.join(" AND "))
}

/// SQLite allows 32,766 parameters per statement, PostgreSQL 65,535.
fn rows_per_statement(width: usize) -> usize {
    (30_000 / width.max(1)).max(1)
}

/// `(?, ?), (?, ?)` or `($1, $2), ($3, $4)` for `rows` rows of `width` values. SQLite binds
/// `?` by position; its `$N` names would be looked up one by one for every value, which is
/// quadratic in a statement with thousands of values.
fn values_list(rows: usize, width: usize, positional: bool) -> String {
    use std::fmt::Write;
    let mut sql = String::with_capacity(rows * width * if positional { 3 } else { 7 });
    let mut n = 0;
    for i in 0..rows {
        sql.push_str(if i == 0 { "(" } else { ", (" });
        for j in 0..width {
            n += 1;
            if j > 0 {
                sql.push_str(", ");
            }
            if positional {
                sql.push('?');
            } else {
                let _ = write!(sql, "${n}");
            }
        }
        sql.push(')');
    }
    sql
}

/// `$1, $2, …` (or `?, ?, …` on SQLite) for `count` values, for `IN (…)` lists.
pub fn placeholders(conn: &sqlx::AnyConnection, count: usize) -> String {
    placeholders_from(conn, 1, count)
}

/// [`placeholders`] numbered from `first` (`$3, $4, …` after two other parameters).
pub fn placeholders_from(conn: &sqlx::AnyConnection, first: usize, count: usize) -> String {
    let positional = conn.backend_name() == "SQLite";
    (first..first + count)
        .map(|n| {
            if positional {
                "?".to_string()
            } else {
                format!("${n}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `rows` in chunks of at most `size`, by value.
fn chunks(rows: Vec<Vec<Val>>, size: usize) -> impl Iterator<Item = Vec<Vec<Val>>> {
    let mut rows = rows.into_iter().peekable();
    std::iter::from_fn(move || {
        rows.peek()?;
        Some(rows.by_ref().take(size).collect())
    })
}

/// The values of `rows` as one statement's arguments, moved in (the driver would copy a
/// borrowed string once more to hand it to its worker thread) into a list sized up front.
fn arguments(rows: Vec<Vec<Val>>, width: usize) -> Result<sqlx::any::AnyArguments<'static>> {
    use sqlx::Arguments;
    let mut args = sqlx::any::AnyArguments::default();
    args.reserve(rows.len() * width, 0);
    for row in rows {
        debug_assert_eq!(row.len(), width, "every row has one value per column");
        for v in row {
            match v {
                Val::I(i) => args.add(i),
                Val::S(s) => args.add(s),
                Val::NullText => args.add(None::<String>),
            }
            .map_err(sqlx::Error::Encode)?;
        }
    }
    Ok(args)
}

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

/// Makes sure a SQLite URL creates its file (`mode=rwc`) and that the file's folder exists.
fn prepare_sqlite_url(url: &str) -> Result<String> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" {
        // Every pooled connection would get its own empty database: refuse it plainly.
        return Err(Error::Config(
            "SQLite needs a file path, e.g. sqlite://data/bank.db".into(),
        ));
    }
    if let Some(dir) = std::path::Path::new(path).parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir).map_err(|e| {
                Error::Config(format!(
                    "cannot create database folder {}: {e}",
                    dir.display()
                ))
            })?;
        }
    }
    let query = if query.split('&').any(|kv| kv.starts_with("mode=")) {
        query.to_string()
    } else if query.is_empty() {
        "mode=rwc".to_string()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

/// A URL safe to log: the password, if any, replaced by `***`.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_from_url() {
        assert_eq!(
            DbKind::from_url("sqlite://data/bank.db").unwrap(),
            DbKind::Sqlite
        );
        assert_eq!(
            DbKind::from_url("postgres://u@h/db").unwrap(),
            DbKind::Postgres
        );
        assert_eq!(
            DbKind::from_url("postgresql://u@h/db").unwrap(),
            DbKind::Postgres
        );
        assert!(matches!(
            DbKind::from_url("mysql://x"),
            Err(Error::Config(_))
        ));
    }

    #[test]
    fn sqlite_url_gets_create_mode_and_keeps_other_options() {
        let dir = std::env::temp_dir().join(format!("bank-url-{}", crate::id::new_id()));
        let file = dir.join("a.db");
        let url = format!("sqlite://{}", file.display());
        assert_eq!(prepare_sqlite_url(&url).unwrap(), format!("{url}?mode=rwc"));
        assert!(dir.is_dir(), "the folder is created");
        let with_cache = format!("{url}?cache=shared");
        assert_eq!(
            prepare_sqlite_url(&with_cache).unwrap(),
            format!("{url}?cache=shared&mode=rwc")
        );
        let ro = format!("{url}?mode=ro");
        assert_eq!(prepare_sqlite_url(&ro).unwrap(), ro);
        assert!(prepare_sqlite_url("sqlite::memory:").is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }

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

    #[test]
    fn passwords_never_reach_logs() {
        assert_eq!(
            redact_url("postgres://bank:s3cret@db:5432/x"),
            "postgres://bank:***@db:5432/x"
        );
        assert_eq!(redact_url("postgres://bank@db/x"), "postgres://bank@db/x");
        assert_eq!(redact_url("sqlite://data/bank.db"), "sqlite://data/bank.db");
    }

    /// What a batch does through a [`Writer`], and what is in the table afterwards.
    async fn write_through(w: &mut impl Writer) -> (Vec<String>, Vec<String>, u64) {
        let table = "t (id, n, s, m)";
        let row = |id: &str, n: i64, s: Option<&str>| {
            vec![
                Val::S(id.into()),
                Val::I(n),
                s.map_or(Val::NullText, |s| Val::S(s.into())),
                Val::S(format!("m{n}")),
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
                        Val::S("a".into()),
                        Val::I(1),
                        Val::I(10),
                        Val::S("新".into()),
                    ],
                    vec![Val::S("b".into()), Val::I(99), Val::I(20), Val::NullText],
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
