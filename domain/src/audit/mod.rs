//! The audit log: append-only, each entry chained to the one before by a SHA-256 hash, so a
//! changed, removed or inserted row breaks the chain at a place [`verify`] names.
//!
//! Appending needs no lock: the entry takes the next sequence number, which is the primary key;
//! if another node appended first, the insert fails on the key and is retried on the new head.
//! The same works on SQLite, PostgreSQL and distributed SQL.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::clock::{Clock, Millis};
use crate::{Db, Error, Result};

/// What happened, as stored in the `action` column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Action {
    Register,
    LoginSucceeded,
    LoginFailed,
    Locked,
    Unlocked,
    Logout,
    SessionRevoked,
    OtpSent,
    PasswordReset,
    PiiRevealed,
    ProfileChanged,
    MoneyMoved,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Register => "register",
            Action::LoginSucceeded => "login_succeeded",
            Action::LoginFailed => "login_failed",
            Action::Locked => "locked",
            Action::Unlocked => "unlocked",
            Action::Logout => "logout",
            Action::SessionRevoked => "session_revoked",
            Action::OtpSent => "otp_sent",
            Action::PasswordReset => "password_reset",
            Action::PiiRevealed => "pii_revealed",
            Action::ProfileChanged => "profile_changed",
            Action::MoneyMoved => "money_moved",
        }
    }
}

/// One entry to append. `detail` is free text (JSON by convention) and must hold no plaintext
/// personal data: masked values only.
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    /// The customer (or operator, or `system`) who acted.
    pub actor: &'a str,
    pub action: Action,
    /// What was acted on (a customer id, session, account …).
    pub subject: &'a str,
    pub detail: String,
}

/// A stored entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub seq: i64,
    pub at: Millis,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash of the empty chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

fn entry_hash(
    seq: i64,
    at: Millis,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &str,
    prev: &str,
) -> String {
    let mut h = Sha256::new();
    // Length-prefixed fields: no two different entries serialize to the same bytes.
    for field in [
        seq.to_string().as_str(),
        &at.to_string(),
        actor,
        action,
        subject,
        detail,
        prev,
    ] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends an entry and returns its sequence number.
pub async fn append(db: &Db, clock: &dyn Clock, entry: Entry<'_>) -> Result<i64> {
    // Every appender races for the next sequence number; under load (many customers moving
    // money at once) a loser backs off with jitter so that nobody starves.
    for attempt in 1..=200u32 {
        if attempt > 1 {
            crate::db::backoff(attempt.min(8)).await;
        }
        let head = sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(db.pool())
            .await?;
        let (prev_seq, prev_hash) = match head {
            Some(r) => (r.try_get::<i64, _>("seq")?, r.try_get::<String, _>("hash")?),
            None => (0, GENESIS.to_string()),
        };
        let seq = prev_seq + 1;
        let at = clock.now();
        let action = entry.action.as_str();
        let hash = entry_hash(
            seq,
            at,
            entry.actor,
            action,
            entry.subject,
            &entry.detail,
            &prev_hash,
        );
        let inserted = sqlx::query(
            "INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (seq) DO NOTHING",
        )
        .bind(seq)
        .bind(at)
        .bind(entry.actor)
        .bind(action)
        .bind(entry.subject)
        .bind(&entry.detail)
        .bind(&prev_hash)
        .bind(&hash)
        .execute(db.pool())
        .await;
        match inserted {
            Ok(r) if r.rows_affected() == 1 => return Ok(seq),
            // Someone else took this sequence number: read the new head and try again.
            Ok(_) => continue,
            Err(e) if crate::db::is_retryable(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::Invalid(
        "audit log: too much contention appending".into(),
    ))
}

/// Where the chain is broken, if it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every entry hashes to what is stored and links to the one before.
    Intact { entries: i64 },
    /// The first entry whose stored hash or link does not match.
    Broken { seq: i64, reason: &'static str },
}

/// Recomputes the whole chain.
pub async fn verify(db: &Db) -> Result<Verdict> {
    let rows = sqlx::query(
        "SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM audit_log ORDER BY seq",
    )
    .fetch_all(db.pool())
    .await?;
    let mut prev = GENESIS.to_string();
    for (expected_seq, r) in (1..).zip(rows.iter()) {
        let rec = record(r)?;
        if rec.seq != expected_seq {
            return Ok(Verdict::Broken {
                seq: expected_seq,
                reason: "missing entry",
            });
        }
        if rec.prev_hash != prev {
            return Ok(Verdict::Broken {
                seq: rec.seq,
                reason: "link to the previous entry changed",
            });
        }
        let recomputed = entry_hash(
            rec.seq,
            rec.at,
            &rec.actor,
            &rec.action,
            &rec.subject,
            &rec.detail,
            &rec.prev_hash,
        );
        if recomputed != rec.hash {
            return Ok(Verdict::Broken {
                seq: rec.seq,
                reason: "content changed",
            });
        }
        prev = rec.hash;
    }
    Ok(Verdict::Intact {
        entries: rows.len() as i64,
    })
}

/// The latest entries about one subject, newest first.
pub async fn for_subject(db: &Db, subject: &str, limit: i64) -> Result<Vec<Record>> {
    let rows = sqlx::query(
        "SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM audit_log \
         WHERE subject = $1 ORDER BY seq DESC LIMIT $2",
    )
    .bind(subject)
    .bind(limit)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(record).collect()
}

fn record(r: &sqlx::any::AnyRow) -> Result<Record> {
    Ok(Record {
        seq: r.try_get("seq")?,
        at: r.try_get("at")?,
        actor: r.try_get("actor")?,
        action: r.try_get("action")?,
        subject: r.try_get("subject")?,
        detail: r.try_get("detail")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::testing;

    fn entry(subject: &str) -> Entry<'_> {
        Entry {
            actor: "system",
            action: Action::LoginFailed,
            subject,
            detail: r#"{"mobile":"138****1234"}"#.into(),
        }
    }

    #[tokio::test]
    async fn chain_verifies_and_pinpoints_tampering() {
        for t in testing::databases().await {
            let db = &t.db;
            let clock = ManualClock::at(1_000_000);
            assert_eq!(verify(db).await.unwrap(), Verdict::Intact { entries: 0 });
            for i in 0..5 {
                clock.advance(1_000);
                assert_eq!(
                    append(db, &clock, entry(&format!("c{i}"))).await.unwrap(),
                    i + 1
                );
            }
            assert_eq!(verify(db).await.unwrap(), Verdict::Intact { entries: 5 });

            // Someone edits entry 3 in the database.
            sqlx::query("UPDATE audit_log SET detail = '{}' WHERE seq = 3")
                .execute(db.pool())
                .await
                .unwrap();
            assert_eq!(
                verify(db).await.unwrap(),
                Verdict::Broken {
                    seq: 3,
                    reason: "content changed"
                }
            );

            // ... and recomputes its hash to hide it: the next entry's link gives it away.
            let r = sqlx::query(
                "SELECT at, actor, action, subject, prev_hash FROM audit_log WHERE seq = 3",
            )
            .fetch_one(db.pool())
            .await
            .unwrap();
            let forged = entry_hash(
                3,
                r.get("at"),
                r.get::<String, _>("actor").as_str(),
                r.get::<String, _>("action").as_str(),
                r.get::<String, _>("subject").as_str(),
                "{}",
                r.get::<String, _>("prev_hash").as_str(),
            );
            sqlx::query("UPDATE audit_log SET hash = $1 WHERE seq = 3")
                .bind(&forged)
                .execute(db.pool())
                .await
                .unwrap();
            assert_eq!(
                verify(db).await.unwrap(),
                Verdict::Broken {
                    seq: 4,
                    reason: "link to the previous entry changed"
                }
            );

            // A deleted row is named too.
            let t2 = testing::sqlite().await;
            for _ in 0..3 {
                append(&t2.db, &clock, entry("x")).await.unwrap();
            }
            sqlx::query("DELETE FROM audit_log WHERE seq = 2")
                .execute(t2.db.pool())
                .await
                .unwrap();
            assert_eq!(
                verify(&t2.db).await.unwrap(),
                Verdict::Broken {
                    seq: 2,
                    reason: "missing entry"
                }
            );
            t2.finish().await;
            t.finish().await;
        }
    }

    #[tokio::test]
    async fn concurrent_appends_keep_one_chain() {
        for t in testing::databases().await {
            let clock = ManualClock::at(5_000);
            let mut tasks = Vec::new();
            for i in 0..8 {
                let db = t.db.clone();
                let clock = clock.clone();
                tasks.push(tokio::spawn(async move {
                    for j in 0..5 {
                        append(&db, &clock, entry(&format!("t{i}-{j}")))
                            .await
                            .unwrap();
                    }
                }));
            }
            for task in tasks {
                task.await.unwrap();
            }
            assert_eq!(
                verify(&t.db).await.unwrap(),
                Verdict::Intact { entries: 40 }
            );
            assert_eq!(for_subject(&t.db, "t3-4", 10).await.unwrap().len(), 1);
            t.finish().await;
        }
    }
}
