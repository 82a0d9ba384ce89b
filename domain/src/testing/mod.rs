//! Test databases for the domain suite and the server's tests: every test runs once per engine.
//!
//! * SQLite: a fresh file in the temp folder.
//! * PostgreSQL: a fresh schema in `TEST_DATABASE_URL`. When that variable is unset the
//!   PostgreSQL half is skipped with a loud notice, unless `REQUIRE_POSTGRES=1` (as in CI), in
//!   which case a missing or unreachable server fails the test.

use std::time::{SystemTime, UNIX_EPOCH};

pub mod authenticator;

use crate::db::{insert_rows, Db, DbConfig, Val};

/// The refusal a call ended in; any other outcome fails the test.
pub fn refusal<T: std::fmt::Debug>(r: crate::Result<T>) -> crate::error::Refusal {
    match r {
        Err(crate::Error::Refused(r)) => r,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// A database made for one test; [`TestDb::finish`] removes it.
pub struct TestDb {
    pub db: Db,
    cleanup: Cleanup,
}

enum Cleanup {
    SqliteFile(std::path::PathBuf),
    PostgresSchema { admin_url: String, schema: String },
}

impl TestDb {
    /// Closes the pool and removes the file or schema.
    pub async fn finish(self) {
        self.db.close().await;
        match self.cleanup {
            Cleanup::SqliteFile(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::PostgresSchema { admin_url, schema } => {
                if let Ok(admin) = Db::open(&DbConfig {
                    url: admin_url,
                    max_connections: 1,
                })
                .await
                {
                    let _ = sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                        .execute(admin.pool())
                        .await;
                    admin.close().await;
                }
            }
        }
    }
}

fn unique_suffix() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    format!("{secs}_{}", &crate::id::new_id().replace('-', "")[20..])
}

/// A migrated SQLite database in a new temporary file.
pub async fn sqlite() -> TestDb {
    sqlite_migrated(None).await
}

/// A SQLite database migrated up to (not including) `before`, or all the way.
async fn sqlite_migrated(before: Option<i64>) -> TestDb {
    let path = std::env::temp_dir().join(format!("bank-test-{}.db", unique_suffix()));
    let db = Db::open(&DbConfig::new(format!("sqlite://{}", path.display())))
        .await
        .expect("temporary SQLite database");
    migrate(&db, before).await;
    TestDb {
        db,
        cleanup: Cleanup::SqliteFile(path),
    }
}

/// A migrated PostgreSQL schema, or `None` (with a loud notice) when no server is configured.
pub async fn postgres() -> Option<TestDb> {
    postgres_migrated(None).await
}

async fn migrate(db: &Db, before: Option<i64>) {
    match before {
        None => db.migrate().await,
        Some(version) => db.migrate_before(version).await,
    }
    .expect("migrate the test database");
}

/// A PostgreSQL schema migrated up to (not including) `before`, or all the way.
async fn postgres_migrated(before: Option<i64>) -> Option<TestDb> {
    let required = std::env::var("REQUIRE_POSTGRES").is_ok_and(|v| v == "1");
    let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
        assert!(
            !required,
            "REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set"
        );
        eprintln!(
            "\n!!! SKIPPING PostgreSQL: TEST_DATABASE_URL is not set; only SQLite was tested !!!\n"
        );
        return None;
    };
    let admin = match Db::open(&DbConfig {
        url: admin_url.clone(),
        max_connections: 1,
    })
    .await
    {
        Ok(admin) => admin,
        Err(e) => {
            assert!(
                !required,
                "PostgreSQL at TEST_DATABASE_URL is unreachable: {e}"
            );
            eprintln!("\n!!! SKIPPING PostgreSQL: cannot reach TEST_DATABASE_URL ({e}) !!!\n");
            return None;
        }
    };
    let schema = format!("t_{}", unique_suffix());
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(admin.pool())
        .await
        .expect("create test schema");
    admin.close().await;
    let separator = if admin_url.contains('?') { '&' } else { '?' };
    // `options=-c search_path=…` puts every table of this test in its own schema.
    let url = format!("{admin_url}{separator}options=-c%20search_path%3D{schema}");
    let db = Db::open(&DbConfig {
        url,
        max_connections: 8,
    })
    .await
    .expect("open the PostgreSQL test schema");
    migrate(&db, before).await;
    Some(TestDb {
        db,
        cleanup: Cleanup::PostgresSchema { admin_url, schema },
    })
}

/// One migrated database per available engine: SQLite always, PostgreSQL when configured.
pub async fn databases() -> Vec<TestDb> {
    databases_migrated(None).await
}

/// One database per available engine with the migrations older than `version` applied: for
/// testing the migration `version` on the data it will find.
pub async fn databases_before(version: i64) -> Vec<TestDb> {
    databases_migrated(Some(version)).await
}

async fn databases_migrated(before: Option<i64>) -> Vec<TestDb> {
    let mut all = vec![sqlite_migrated(before).await];
    all.extend(postgres_migrated(before).await);
    all
}

/// A console member as a signed-in session would hand it over (no sign-in), for tests that
/// act as staff of `institution` with `roles`.
pub fn staff_member(
    id: &str,
    institution: &str,
    roles: &[crate::ops::Role],
) -> crate::ops::StaffMember {
    crate::ops::StaffMember {
        id: id.into(),
        login: id.into(),
        institution: institution.into(),
        name_masked: "李*梅".into(),
        roles: roles.to_vec(),
        must_change_password: false,
    }
}

/// Customers `bench-<n>` for `n` in `from..from + count` straight into the table, for
/// benchmarks that need many and read none of their sealed data (placeholders stand in for
/// it): born 1960–2009, registered 400 days ago, editions rural, rural-simple and city in turn.
pub async fn bulk_customers(db: &Db, bank: &str, from: usize, count: usize, now: i64) {
    let mut conn = db.pool().acquire().await.unwrap();
    for chunk_start in (from..from + count).step_by(5_000) {
        let rows = (chunk_start..(chunk_start + 5_000).min(from + count))
            .map(|n| {
                let id = format!("bench-{n:08}");
                vec![
                    Val::Text(id.clone()),
                    Val::Text(bank.into()),
                    Val::Text(format!("m-{id}")),
                    Val::Text(format!("r-{id}")),
                    Val::Text("sealed".into()),
                    Val::Text("sealed".into()),
                    Val::Text("sealed".into()),
                    Val::Text("139****0000".into()),
                    Val::Text("3701**********0000".into()),
                    Val::Text("王*".into()),
                    Val::Text("x".into()),
                    Val::Text("2026-01".into()),
                    Val::Int(now),
                    Val::Int(now - 400 * crate::clock::DAY),
                    Val::Int(1960 + (n % 50) as i64),
                    Val::Text(["rural", "rural-simple", "city"][n % 3].into()),
                ]
            })
            .collect();
        insert_rows(
            &mut conn,
            "customers (id, bank_code, mobile_index, resident_id_index, mobile_sealed, \
             resident_id_sealed, name_sealed, mobile_masked, resident_id_masked, name_masked, \
             password_hash, terms_version, terms_accepted_at, created_at, birth_year, edition)",
            rows,
        )
        .await
        .unwrap();
    }
}

/// Creates test customer number `n` < 1000 (mobile `1390000nnnn`, a valid resident ID born 1990) at a
/// bank, with password `test-pass-2026`, and returns its id.
pub async fn customer(
    db: &Db,
    clock: &dyn crate::clock::Clock,
    keys: &crate::pii::KeyRing,
    n: u32,
    name: &str,
    bank_code: &str,
) -> String {
    use crate::identity::{check_char, Date, Identity, Mobile, RealName, Registration, ResidentId};
    let first17 = format!("37010219900101{:03}", n % 1000);
    let id_no = format!("{first17}{}", check_char(&first17));
    Identity { db, clock, keys }
        .insert_customer(&Registration {
            mobile: Mobile::parse(&format!("1390000{:04}", n % 10_000)).unwrap(),
            name: RealName::parse(name).unwrap(),
            resident_id: ResidentId::parse(
                &id_no,
                Date {
                    year: 2026,
                    month: 11,
                    day: 27,
                },
            )
            .unwrap(),
            bank_code: bank_code.into(),
            password: "test-pass-2026".into(),
            accepted_terms: true,
            otp_code: String::new(),
        })
        .await
        .expect("test customer")
}

/// A deterministic random source for workloads and benches: xorshift64*, one per seed, no
/// crate needed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n` (not zero).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// How many customer accounts (any but the bank's internal ones) are below zero: the
/// workloads' invariant, which must stay 0.
pub async fn customer_accounts_below_zero(db: &Db) -> i64 {
    let row =
        sqlx::query("SELECT COUNT(*) AS n FROM accounts WHERE kind <> 'internal' AND balance < 0")
            .fetch_one(db.pool())
            .await
            .expect("count accounts below zero");
    crate::db::get_i64(&row, "n").expect("a count")
}
