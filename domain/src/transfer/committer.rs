//! Group commit for transfers. Every transfer of a node goes through one queue; a writer takes
//! whatever has queued up (up to [`MAX_BATCH`]) and posts it in one database transaction of a
//! few set-based statements: the batch's accounts read (and on PostgreSQL locked) with one
//! select, the idempotency rows with one multi-row insert, every transfer applied in memory in
//! queue order (a refused one changes nothing and its row is deleted), then one compare-and-set
//! update of the balances, the journal entries, postings, alerts and payee-book updates with
//! multi-row inserts, and one commit. Under load, one commit (one fsync) carries many
//! transfers; alone, a transfer is a batch of one and waits for nobody.
//!
//! Nothing here holds state between batches, so any number of nodes can each run their own
//! queue against one PostgreSQL-compatible database; their batches meet only on row locks,
//! which each batch takes in one global order (no deadlocks), and a serialization failure
//! retries the whole batch.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use sqlx::{AnyConnection, Row};
use tokio::sync::{mpsc, oneshot, Mutex};

use crate::clock::Millis;
use crate::db::{insert_rows_with, Val};
use crate::ledger::{Batch, NewEntry};
use crate::{Db, DbKind, Error, Result};

/// The most transfers one transaction carries.
pub const MAX_BATCH: usize = 256;

/// One transfer ready to post: its row, its journal entry and its payee-book update.
#[derive(Clone, Debug)]
pub(super) struct Job {
    pub now: Millis,
    pub china_day: i64,
    /// `transfers` columns in [`TRANSFER_INSERT`] order.
    pub row: Vec<Val>,
    pub id: String,
    pub customer_id: String,
    pub key: String,
    pub entry: NewEntry,
    /// `payees` columns in [`PAYEE_INSERT`] order, for transfers to someone else.
    pub payee: Option<(String, Vec<Val>)>,
}

pub(super) const TRANSFER_INSERT: &str = "transfers (id, customer_id, idempotency_key, fingerprint, kind, \
     from_account_id, to_account_id, payee_card, payee_name_masked, payee_bank_name, payee_name_sealed, amount, \
     memo, status, entry_id, created_at, updated_at)";

pub(super) const PAYEE_INSERT: &str =
    "payees (id, customer_id, card_no, name_masked, name_sealed, bank_name, in_network, last_used_at)";

/// What became of one job.
#[derive(Debug)]
pub(super) enum Outcome {
    Posted,
    /// Another request holds this idempotency key (look it up, or try again if it was refused).
    KeyTaken,
    /// Refused by a rule (funds, daily limit, payee cannot receive) or failed alone.
    Failed(Error),
}

type Queued = (Job, oneshot::Sender<Outcome>);

/// The queue in front of the writers. Cheap to clone; writers stop when the last clone drops.
#[derive(Clone, Debug)]
pub struct Committer {
    sender: mpsc::UnboundedSender<Queued>,
}

impl Committer {
    /// Starts the writers for a database: one for SQLite (it has one writer anyway), four for
    /// PostgreSQL, whose batches run side by side and meet only on the rows they share.
    pub fn start(db: Db) -> Committer {
        let (sender, receiver) = mpsc::unbounded_channel();
        let receiver = Arc::new(Mutex::new(receiver));
        let writers = match db.kind() {
            DbKind::Sqlite => 1,
            DbKind::Postgres => 4,
        };
        for _ in 0..writers {
            tokio::spawn(writer(db.clone(), receiver.clone()));
        }
        Committer { sender }
    }

    pub(super) async fn submit(&self, job: Job) -> Result<Outcome> {
        let (reply, answer) = oneshot::channel();
        self.sender
            .send((job, reply))
            .map_err(|_| Error::Config("the transfer writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| Error::Config("the transfer writer dropped a request".into()))
    }
}

async fn writer(db: Db, receiver: Arc<Mutex<mpsc::UnboundedReceiver<Queued>>>) {
    loop {
        let mut batch = Vec::new();
        {
            let mut rx = receiver.lock().await;
            match rx.recv().await {
                Some(first) => batch.push(first),
                None => return,
            }
            while batch.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(next) => batch.push(next),
                    Err(_) => break,
                }
            }
        }
        process(&db, batch).await;
    }
}

/// Posts a batch, retrying transient failures; a batch that fails for another reason is split
/// so that each transfer gets its own answer.
async fn process(db: &Db, batch: Vec<Queued>) {
    let (jobs, replies): (Vec<Job>, Vec<oneshot::Sender<Outcome>>) = batch.into_iter().unzip();
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        match run_in_transaction(db, &jobs).await {
            Ok(outcomes) => {
                for (reply, outcome) in replies.into_iter().zip(outcomes) {
                    let _ = reply.send(outcome);
                }
                return;
            }
            Err(e) if e.is_transient() && attempt < 30 => {
                crate::db::backoff(attempt).await;
            }
            Err(e) if jobs.len() == 1 => {
                let _ = replies
                    .into_iter()
                    .next()
                    .map(|r| r.send(Outcome::Failed(e)));
                return;
            }
            Err(e) => {
                tracing::warn!(error = %e, size = jobs.len(), "transfer batch failed; posting one by one");
                for (job, reply) in jobs.into_iter().zip(replies) {
                    Box::pin(process(db, vec![(job, reply)])).await;
                }
                return;
            }
        }
    }
}

async fn run_in_transaction(db: &Db, jobs: &[Job]) -> Result<Vec<Outcome>> {
    let mut tx = db.pool().begin().await?;
    match run_batch(&mut tx, jobs).await {
        Ok(outcomes) => {
            tx.commit().await?;
            Ok(outcomes)
        }
        Err(e) => {
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

async fn run_batch(conn: &mut AnyConnection, jobs: &[Job]) -> Result<Vec<Outcome>> {
    let mut outcomes: Vec<Option<Outcome>> = (0..jobs.len()).map(|_| None).collect();
    // The same key twice in one batch: the later one waits for the first's answer.
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    for (i, job) in jobs.iter().enumerate() {
        if seen.insert((job.customer_id.as_str(), job.key.as_str())) {
            rows.push(job.row.clone());
        } else {
            outcomes[i] = Some(Outcome::KeyTaken);
        }
    }
    // Before anything else: the foreign-key checks of the inserts below take share locks on
    // the same rows, which on PostgreSQL must not come before the batch's own locks.
    let now = jobs.iter().map(|j| j.now).max().unwrap_or_default();
    let mut ledger =
        Batch::load(conn, now, jobs[0].china_day, jobs.iter().map(|j| &j.entry)).await?;
    let inserted: HashSet<String> = insert_rows_with(
        conn,
        TRANSFER_INSERT,
        rows,
        "ON CONFLICT (customer_id, idempotency_key) DO NOTHING RETURNING id",
    )
    .await?
    .iter()
    .map(|r| r.try_get::<String, _>("id"))
    .collect::<std::result::Result<_, _>>()?;

    let mut undone = Vec::new();
    let mut payees: HashMap<(String, String), Vec<Val>> = HashMap::new();
    for (i, job) in jobs.iter().enumerate() {
        if outcomes[i].is_some() {
            continue;
        }
        if !inserted.contains(&job.id) {
            outcomes[i] = Some(Outcome::KeyTaken);
            continue;
        }
        match ledger.apply(&job.entry) {
            Ok(_) => {
                if let Some((card, row)) = &job.payee {
                    // One upsert per (customer, payee) per statement: the last use wins.
                    payees.insert((job.customer_id.clone(), card.clone()), row.clone());
                }
                outcomes[i] = Some(Outcome::Posted);
            }
            Err(e) => {
                undone.push(job.id.clone());
                outcomes[i] = Some(Outcome::Failed(e));
            }
        }
    }
    if !undone.is_empty() {
        // A refused transfer leaves no trace: its idempotency row goes with it.
        let placeholders: Vec<String> = (1..=undone.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "DELETE FROM transfers WHERE id IN ({})",
            placeholders.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for id in &undone {
            q = q.bind(id);
        }
        q.execute(&mut *conn).await?;
    }
    insert_rows_with(
        conn,
        PAYEE_INSERT,
        payees.into_values().collect(),
        "ON CONFLICT (customer_id, card_no) DO UPDATE SET last_used_at = excluded.last_used_at, \
           name_masked = excluded.name_masked, \
           name_sealed = CASE WHEN excluded.name_sealed <> '' THEN excluded.name_sealed ELSE payees.name_sealed END",
    )
    .await?;
    ledger.flush(conn).await?;
    Ok(outcomes
        .into_iter()
        .map(|o| o.unwrap_or(Outcome::KeyTaken))
        .collect())
}
