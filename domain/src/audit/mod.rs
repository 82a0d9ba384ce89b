//! The audit log: append-only, each entry chained to the one before by a SHA-256 hash, so a
//! changed, removed or inserted row breaks the chain at a place [`verify`] names.
//!
//! Appending needs no lock: entries take the next sequence numbers, the primary key; if another
//! node appended first, the insert conflicts on the key and is retried on the new head. Within
//! a node, appenders queue and one task links a whole batch at once ([`Queue`]), as transfers
//! are group-committed. The same works on SQLite, PostgreSQL and distributed SQL.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;
use tokio::sync::{mpsc, oneshot};

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
    /// A reset's second proof did not match.
    PasswordResetRefused,
    /// The customer checked their passkeys after a password reset.
    PasskeysReviewed,
    /// An automatic payment was turned on or changed.
    MandateSet,
    PiiRevealed,
    ProfileChanged,
    MoneyMoved,
    PasskeyAdded,
    PasskeyRemoved,
    ECardSignedUp,
    ECardUnbound,
    CardApplied,
    /// A staff member signed in to the console.
    StaffSignedIn,
    StaffSignInFailed,
    StaffLocked,
    StaffSignedOut,
    StaffCreated,
    StaffDisabled,
    StaffEnabled,
    /// An administrator issued a member new credentials.
    StaffCredentialsReset,
    StaffPasswordChanged,
    /// A bank's product manager scheduled a rate, or withdrew one still to come.
    RateScheduled,
    RateWithdrawn,
    LocalProductAdded,
    /// The union changed a catalogue product's band.
    RateBandSet,
    /// Content through maker–checker.
    ContentDrafted,
    ContentUpdated,
    ContentSubmitted,
    ContentPublished,
    ContentRejected,
    ContentWithdrawn,
    /// An editor uploaded a picture for content.
    ContentImageUploaded,
    /// A customer allowed or withdrew a purpose (marketing, news).
    ConsentGranted,
    ConsentWithdrawn,
    /// Customer feedback: sent, taken by an agent, answered, rated.
    FeedbackSent,
    FeedbackTaken,
    FeedbackReplied,
    FeedbackRated,
    /// A customer applied for a loan (the decision in the detail), signed its contract, or
    /// repaid or drew on it; a credit officer decided a referred application.
    LoanApplied,
    LoanSigned,
    LoanMoneyMoved,
    LoanReviewed,
    /// A guarantor signed a 保证e贷's contract (the joint liability), or declined to.
    LoanGuaranteed,
    LoanGuaranteeDeclined,
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
            Action::PasswordResetRefused => "password_reset_refused",
            Action::PasskeysReviewed => "passkeys_reviewed",
            Action::MandateSet => "mandate_set",
            Action::PiiRevealed => "pii_revealed",
            Action::ProfileChanged => "profile_changed",
            Action::MoneyMoved => "money_moved",
            Action::PasskeyAdded => "passkey_added",
            Action::PasskeyRemoved => "passkey_removed",
            Action::ECardSignedUp => "ecard_signed_up",
            Action::ECardUnbound => "ecard_unbound",
            Action::CardApplied => "card_applied",
            Action::StaffSignedIn => "staff_signed_in",
            Action::StaffSignInFailed => "staff_sign_in_failed",
            Action::StaffLocked => "staff_locked",
            Action::StaffSignedOut => "staff_signed_out",
            Action::StaffCreated => "staff_created",
            Action::StaffDisabled => "staff_disabled",
            Action::StaffEnabled => "staff_enabled",
            Action::StaffCredentialsReset => "staff_credentials_reset",
            Action::StaffPasswordChanged => "staff_password_changed",
            Action::RateScheduled => "rate_scheduled",
            Action::RateWithdrawn => "rate_withdrawn",
            Action::LocalProductAdded => "local_product_added",
            Action::RateBandSet => "rate_band_set",
            Action::ContentDrafted => "content_drafted",
            Action::ContentUpdated => "content_updated",
            Action::ContentSubmitted => "content_submitted",
            Action::ContentPublished => "content_published",
            Action::ContentRejected => "content_rejected",
            Action::ContentWithdrawn => "content_withdrawn",
            Action::ConsentGranted => "consent_granted",
            Action::ConsentWithdrawn => "consent_withdrawn",
            Action::ContentImageUploaded => "content_image_uploaded",
            Action::FeedbackSent => "feedback_sent",
            Action::FeedbackTaken => "feedback_taken",
            Action::FeedbackReplied => "feedback_replied",
            Action::FeedbackRated => "feedback_rated",
            Action::LoanApplied => "loan_applied",
            Action::LoanSigned => "loan_signed",
            Action::LoanMoneyMoved => "loan_money_moved",
            Action::LoanReviewed => "loan_reviewed",
            Action::LoanGuaranteed => "loan_guaranteed",
            Action::LoanGuaranteeDeclined => "loan_guarantee_declined",
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
    /// Serialized once here, so no quote or backslash in a value can break the stored JSON
    /// (which the chain's hashes cover for good).
    pub detail: serde_json::Value,
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

/// An entry on its way into the chain.
#[derive(Debug)]
struct Pending {
    at: Millis,
    actor: String,
    action: &'static str,
    subject: String,
    detail: String,
}

type Queued = (Pending, oneshot::Sender<Result<i64>>);

/// The process's group-append queue for one database: appenders queue their entries, and one
/// task links whatever has queued up onto the chain with one multi-row insert in one
/// transaction. Under load (many customers moving money at once) the chain's single head is
/// then taken once per batch instead of once per entry. Other nodes append to the same chain;
/// they meet on the sequence number, the primary key (see [`append`]).
#[derive(Clone, Debug)]
pub struct Queue {
    sender: mpsc::UnboundedSender<Queued>,
}

/// The most entries one insert carries.
const MAX_BATCH: usize = 256;

impl Queue {
    /// `turns`: the process's SQLite write turns (`Db::write_turn`), taken for each append.
    pub(crate) fn start(pool: sqlx::AnyPool, turns: Option<crate::db::WriteTurns>) -> Queue {
        let (sender, mut receiver) = mpsc::unbounded_channel::<Queued>();
        // Holds the pool, not the `Db`: the task ends when the last `Db` (and with it the
        // sender) is gone.
        tokio::spawn(async move {
            while let Some(first) = receiver.recv().await {
                let mut batch = vec![first];
                while batch.len() < MAX_BATCH {
                    match receiver.try_recv() {
                        Ok(next) => batch.push(next),
                        Err(_) => break,
                    }
                }
                let (entries, replies): (Vec<Pending>, Vec<_>) = batch.into_iter().unzip();
                match append_batch(&pool, &turns, &entries).await {
                    Ok(first_seq) => {
                        for (i, reply) in replies.into_iter().enumerate() {
                            let _ = reply.send(Ok(first_seq + i as i64));
                        }
                    }
                    Err(e) => {
                        // Every appender gets the answer (errors are not `Clone`): a database
                        // failure stays "try again later", anything else an internal fault.
                        let message = format!("audit log append failed: {e}");
                        let database = matches!(e, Error::Database(_));
                        for reply in replies {
                            let _ = reply.send(Err(if database {
                                Error::Contended(message.clone())
                            } else {
                                Error::Internal(message.clone())
                            }));
                        }
                    }
                }
            }
        });
        Queue { sender }
    }
}

/// Appends an entry and returns its sequence number, once it is committed.
pub async fn append(db: &Db, clock: &dyn Clock, entry: Entry<'_>) -> Result<i64> {
    let pending = Pending {
        at: clock.now(),
        actor: entry.actor.to_string(),
        action: entry.action.as_str(),
        subject: entry.subject.to_string(),
        detail: entry.detail.to_string(),
    };
    let (reply, answer) = oneshot::channel();
    match db.audit_queue().sender.send((pending, reply)) {
        Ok(()) => answer
            .await
            .map_err(|_| Error::Config("the audit appender stopped".into()))?,
        // The queue's task belonged to a runtime that has ended (tests run one per test):
        // append directly, which is correct, only slower under load.
        Err(mpsc::error::SendError((pending, _))) => {
            append_batch(db.pool(), &db.write_turns, std::slice::from_ref(&pending)).await
        }
    }
}

/// Links `entries` onto the chain's head in one transaction; returns the first one's sequence
/// number. If another node appended meanwhile, the insert conflicts on the sequence number,
/// everything is rolled back, and it starts again from the new head, backing off with jitter
/// so that nobody starves.
async fn append_batch(
    pool: &sqlx::AnyPool,
    turns: &Option<crate::db::WriteTurns>,
    entries: &[Pending],
) -> Result<i64> {
    use crate::db::{insert_rows_with, Val};
    for attempt in 1..=200u32 {
        if attempt > 1 {
            crate::db::backoff(attempt.min(8)).await;
        }
        // SQLite: this process's write turn, for this attempt (see `Db::write_turn`).
        let _turn = crate::db::take_turn(turns).await;
        let mut tx = pool.begin().await?;
        let head = sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&mut *tx)
            .await;
        let head = match head {
            Ok(h) => h,
            Err(e) if crate::db::is_retryable(&e) => continue,
            Err(e) => return Err(e.into()),
        };
        let (mut seq, mut prev) = match head {
            Some(r) => (r.try_get::<i64, _>("seq")?, r.try_get::<String, _>("hash")?),
            None => (0, GENESIS.to_string()),
        };
        let first = seq + 1;
        let mut rows = Vec::with_capacity(entries.len());
        for e in entries {
            seq += 1;
            let hash = entry_hash(seq, e.at, &e.actor, e.action, &e.subject, &e.detail, &prev);
            rows.push(vec![
                Val::Int(seq),
                Val::Int(e.at),
                Val::Text(e.actor.clone()),
                Val::Text(e.action.into()),
                Val::Text(e.subject.clone()),
                Val::Text(e.detail.clone()),
                Val::Text(std::mem::replace(&mut prev, hash.clone())),
                Val::Text(hash),
            ]);
        }
        let inserted = insert_rows_with(
            &mut tx,
            "audit_log (seq, at, actor, action, subject, detail, prev_hash, hash)",
            rows,
            "ON CONFLICT (seq) DO NOTHING RETURNING seq",
        )
        .await;
        match inserted {
            Ok(r) if r.len() == entries.len() => match tx.commit().await {
                Ok(()) => return Ok(first),
                Err(e) if crate::db::is_retryable(&e) => continue,
                Err(e) => return Err(e.into()),
            },
            // Someone else took one of these sequence numbers: none of ours may stay.
            Ok(_) => {
                let _ = tx.rollback().await;
            }
            Err(Error::Database(e)) if crate::db::is_retryable(&e) => {
                let _ = tx.rollback().await;
            }
            Err(e) => return Err(e),
        }
    }
    Err(Error::Contended(
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
            detail: serde_json::json!({ "mobile": "138****1234" }),
        }
    }

    /// A name or a device label with quotes and backslashes in it stays one valid JSON value
    /// in a chain that verifies.
    #[tokio::test]
    async fn details_with_quotes_stay_valid_json() {
        for t in testing::databases().await {
            let clock = ManualClock::at(1_000_000);
            let awkward = r#"王"}, "forged": true, "x": "\"#;
            let e = Entry {
                actor: "system",
                action: Action::LoginSucceeded,
                subject: "c1",
                detail: serde_json::json!({ "device": awkward }),
            };
            append(&t.db, &clock, e).await.unwrap();
            let stored = &for_subject(&t.db, "c1", 1).await.unwrap()[0].detail;
            let back: serde_json::Value = serde_json::from_str(stored).unwrap();
            assert_eq!(back, serde_json::json!({ "device": awkward }));
            assert!(back.get("forged").is_none());
            assert_eq!(verify(&t.db).await.unwrap(), Verdict::Intact { entries: 1 });
            t.finish().await;
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
            // Two "nodes", each with its own group-append queue, racing for one chain.
            let other = t.db.as_another_node();
            for i in 0..8 {
                let db = if i % 2 == 0 {
                    t.db.clone()
                } else {
                    other.clone()
                };
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
