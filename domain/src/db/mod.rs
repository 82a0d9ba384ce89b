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
//!
//! This file holds the pool, how it is opened and configured, and the [`Db`] type; the rest
//! lives beside it, one concern a file, and is re-exported here:
//!
//! * `bulk`: statements over many rows at once ([`Val`], [`insert_rows`], [`update_rows`],
//!   [`placeholders`]).
//! * `retry`: which errors a writer retries, and transactions that do ([`in_transaction`]).
//! * `sqlite_writes`: SQLite's one write lock: this process's turns at it
//!   ([`Db::write_turn`]) and the checkpoints that copy the WAL back
//!   ([`Db::checkpoint_continuously`]).
//! * `writer`, `writer_sqlite`, `writer_postgres`: the group commit's own connection
//!   ([`Db::writer_connection`]) and how a batch is written through each engine's.
//! * `direct`: SQLite's C API, for the connections that hold SQLite's handle themselves.

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::AnyPool;

use crate::{Error, Result};

mod bulk;
pub(crate) mod direct;
mod retry;
mod sqlite_writes;
mod writer;
mod writer_postgres;
mod writer_sqlite;

pub use bulk::{insert_rows, insert_rows_with, placeholders, placeholders_from, update_rows, Val};
pub use retry::{backoff, in_transaction, is_retryable};
pub(crate) use sqlite_writes::{take_turn, WriteTurns};
pub use sqlite_writes::{CHECKPOINT_EVERY, FINISH_CHECKPOINT_EVERY};
pub use writer::WriterConnection;
pub(crate) use writer::{Cells, Writer};

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
            write_turns: sqlite_writes::write_turns(kind),
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
            write_turns: sqlite_writes::write_turns(self.kind),
        }
    }

    pub(crate) fn audit_queue(&self) -> &crate::audit::Queue {
        self.audit
            .get_or_init(|| crate::audit::Queue::start(self.pool.clone(), self.write_turns.clone()))
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

/// The embedded migrations, as every node runs them.
fn migrator() -> sqlx::migrate::Migrator {
    // Embedded at compile time (see `build.rs`).
    let mut migrator = sqlx::migrate!("../migrations");
    // No advisory locks: CockroachDB has none. Run `bank-portal migrate` from one node before
    // starting several (see README).
    migrator.set_locking(false);
    keep_recorded_checksums(&mut migrator);
    migrator
}

/// Migrations whose comments were reworded after databases had run them, with the checksum
/// (SHA-384 of the file) those databases recorded. Their SQL is unchanged, so a database that
/// ran the earlier wording must not be refused as modified.
const RECORDED_CHECKSUMS: &[(i64, &str)] = &[(
    20261128000014,
    "1b41c3bdc92c6a212973caeb78b9a3bca56399f4ee506ab6c1248a5486597e4f8e5b074cc61094e657cc34b98b7bf7aa",
)];

fn keep_recorded_checksums(migrator: &mut sqlx::migrate::Migrator) {
    let migrations = migrator.migrations.to_mut();
    for (version, hex) in RECORDED_CHECKSUMS {
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .filter_map(|i| u8::from_str_radix(&hex[i..i + 2], 16).ok())
            .collect();
        if let Some(m) = migrations.iter_mut().find(|m| m.version == *version) {
            m.checksum = bytes.into();
        }
    }
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

/// A nullable integer column as `Option<i64>`, whichever width the engine answers with.
pub fn get_opt_i64<R, I>(row: &R, column: I) -> Result<Option<i64>>
where
    R: sqlx::Row,
    I: sqlx::ColumnIndex<R> + Copy,
    i64: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    i32: for<'r> sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    row.try_get::<Option<i64>, _>(column)
        .or_else(|_| {
            row.try_get::<Option<i32>, _>(column)
                .map(|v| v.map(i64::from))
        })
        .map_err(Into::into)
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

    /// A database that ran a reworded migration's earlier wording recorded that wording's
    /// checksum: it must still open (and migrate) as it did.
    #[tokio::test]
    async fn reworded_migrations_keep_the_checksum_databases_recorded() {
        use sqlx::Row;
        for t in crate::testing::databases().await {
            for (version, hex) in RECORDED_CHECKSUMS {
                let row = sqlx::query("SELECT checksum FROM _sqlx_migrations WHERE version = $1")
                    .bind(version)
                    .fetch_one(t.db.pool())
                    .await
                    .unwrap();
                let recorded: Vec<u8> = row.try_get(0).unwrap();
                let recorded: String = recorded.iter().map(|b| format!("{b:02x}")).collect();
                assert_eq!(&recorded, hex, "migration {version}");
            }
            t.db.migrate()
                .await
                .expect("an up-to-date database migrates again");
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
}
