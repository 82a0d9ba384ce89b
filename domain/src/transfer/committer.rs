//! Group commit for transfers. Every transfer of a node goes through one queue; a writer takes
//! whatever has queued up (up to [`MAX_BATCH`]; under load it waits a moment for the callers
//! it just answered, see [`gather`]) and posts it in one database transaction: every account
//! the batch names, by id or by card number, read (and on PostgreSQL locked), the idempotency
//! rows inserted, every transfer applied in memory in queue order (a refused one changes
//! nothing and its row is deleted), then the balances written with a compare-and-set, the
//! journal entries, postings (which are the movement alerts too) and payee-book updates
//! inserted, and one commit. Under load, one commit (one fsync) carries many transfers;
//! alone, a transfer is a batch of one and waits for nobody.
//!
//! How the statements run depends on the engine (the same steps either way, see
//! [`run_batch`]; the writer's connection is the engine's own, `Db::writer_connection`). On
//! PostgreSQL a few set-based statements per batch, each a round trip, whose rows travel as
//! one array per column (`UNNEST`): the same statement text whatever the batch's size, so
//! each is parsed, planned and prepared once. On SQLite, in the same process, the writer
//! holds its connection's handle for the batch and runs prepared single-row statements
//! itself ([`crate::db::direct`]), sparing a hop to sqlx's thread and a copy of every value
//! per statement (BENCHMARKS.md).
//!
//! Small transfers to a card of our network (most of them) come in unread
//! ([`Work::ToOurCard`]): their paying accounts and payees come with that select, and each is
//! checked with the same rules the caller would have applied, so the database sees one read
//! per batch instead of one per transfer.
//!
//! One writer per node, on a connection of its own: batches of one node follow each other
//! (on SQLite there is one writer anyway; on PostgreSQL, measured, four writers of one node
//! mostly waited on each other's row locks and were slower than one with larger batches; see
//! BENCHMARKS.md). Nothing here holds state between batches, so any number of nodes can each
//! run their own queue against one PostgreSQL-compatible database; their batches meet only on
//! row locks, which each batch takes in one global order (no deadlocks), and a serialization
//! failure retries the whole batch.

use std::collections::{HashMap, HashSet};

use sqlx::Connection;
use tokio::sync::{mpsc, oneshot};

use crate::clock::Millis;
use crate::db::direct::Direct;
use crate::db::{Val, Writer, WriterConnection};
use crate::error::Refusal;
use crate::ledger::{Batch, NewEntry, ReadAccount, ReadAccounts};
use crate::{Db, Error, Result};

/// The most transfers one transaction carries.
pub const MAX_BATCH: usize = 256;

/// One transfer for the queue.
#[derive(Clone, Debug)]
pub(super) struct Job {
    /// The allowance of payments without a code this transfer is held to.
    pub code_free: super::CodeFreePolicy,
    pub now: Millis,
    pub china_day: i64,
    pub customer_id: String,
    pub key: String,
    pub work: Work,
}

/// How far the caller got with a transfer before queueing it.
#[derive(Clone, Debug)]
pub(super) enum Work {
    /// Read, checked (and confirmed by a step-up where needed) by the caller.
    Planned(Box<Planned>),
    /// A transfer to a card of our network below the step-up threshold: the batch reads its
    /// paying account and payee together with every other transfer's and checks it there.
    ToOurCard {
        req: super::TransferRequest,
        card_no: String,
        /// Computed by the caller: whatever the caller can do keeps the one writer free.
        fingerprint: String,
    },
}

/// A checked transfer: its row, its journal entry, its payee-book update and its receipt.
#[derive(Clone, Debug)]
pub(super) struct Planned {
    /// `transfers` columns in [`TRANSFER_INSERT`] order.
    pub row: Vec<Val>,
    pub id: String,
    pub entry: NewEntry,
    /// `payees` columns in [`PAYEE_INSERT`] order, for transfers to someone else.
    pub payee: Option<(String, Vec<Val>)>,
    pub transfer: super::Transfer,
    /// What it does to the customer's allowance of payments without a code.
    pub spend: super::Spend,
}

pub(super) const TRANSFER_INSERT: &str = "transfers (id, customer_id, idempotency_key, fingerprint, kind, \
     from_account_id, to_account_id, payee_card, payee_name_masked, payee_bank_name, payee_name_sealed, amount, \
     memo, status, entry_id, created_at, updated_at)";

pub(super) const PAYEE_INSERT: &str =
    "payees (id, customer_id, card_no, name_masked, name_sealed, bank_name, in_network, last_used_at)";

/// What became of one job.
#[derive(Debug)]
pub(super) enum Outcome {
    Posted(Box<super::Transfer>),
    /// Another request holds this idempotency key (look it up, or try again if it was refused).
    KeyTaken,
    /// Refused by a rule (funds, daily limit, payee cannot receive) or failed alone.
    Failed(Error),
}

type Queued = (Job, oneshot::Sender<Outcome>);

/// The queue in front of the writer. Cheap to clone; the writer stops when the last clone drops.
#[derive(Clone, Debug)]
pub struct Committer {
    sender: mpsc::UnboundedSender<Queued>,
}

impl Committer {
    /// Starts the node's writer for a database.
    pub fn start(db: Db) -> Committer {
        let (sender, receiver) = mpsc::unbounded_channel();
        // The writer runs on a thread of its own: on the shared runtime it waited behind every
        // request task each time a statement came back, and a batch is a chain of statements.
        on_own_thread("transfer-writer", move || async move {
            // The writer's commits leave checkpoints to a thread of their own (SQLite), which
            // stops when the writer does.
            let (stop, stopped) = oneshot::channel::<()>();
            let checkpoints = on_own_thread("wal-checkpoint", {
                let db = db.clone();
                move || async move {
                    tokio::select! {
                        () = db.checkpoint_continuously() => {}
                        _ = stopped => {}
                    }
                }
            });
            writer(db, receiver).await;
            drop(stop);
            match checkpoints {
                Ok(thread) => {
                    let _ = thread.join();
                }
                Err(e) => tracing::error!(error = %e, "could not start the WAL checkpoints"),
            }
        })
        .expect("start the transfer writer thread");
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

/// Runs the future `task` makes on a new thread named `name`, with a runtime of its own.
fn on_own_thread<T, F>(name: &str, task: T) -> std::io::Result<std::thread::JoinHandle<()>>
where
    T: FnOnce() -> F + Send + 'static,
    F: std::future::Future<Output = ()>,
{
    let thread = name.to_string();
    std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime.block_on(task()),
                Err(e) => tracing::error!(error = %e, thread, "cannot start a runtime"),
            }
        })
}

async fn writer(db: Db, mut receiver: mpsc::UnboundedReceiver<Queued>) {
    // The writer's own connection, kept from batch to batch (see `Db::writer_connection`)
    // and opened again after any failure.
    let mut conn: Option<WriterConnection> = None;
    let (mut in_flight, mut answered_at) = (1, tokio::time::Instant::now());
    while let Some(batch) = gather(&mut receiver, in_flight, answered_at).await {
        let size = batch.len();
        process(&db, &mut conn, batch).await;
        // The transfers just answered, whose senders may well send the next ones at once,
        // and those that queued up meanwhile: what the next batch can expect.
        (in_flight, answered_at) = (size + receiver.len(), tokio::time::Instant::now());
    }
}

/// The most a batch waits for the transfers it expects (see [`gather`]).
pub const LINGER_AT_MOST: std::time::Duration = std::time::Duration::from_millis(2);

/// The next batch: whatever has queued up (at most [`MAX_BATCH`]) once a first transfer is
/// there, and, when that is fewer than three quarters of the `expected` (how many were in
/// flight around the last batch, `answered_at`), whatever else comes within
/// [`LINGER_AT_MOST`] until it is that many. `None` once every sender is gone.
///
/// Why wait: callers that send their next transfer as soon as the last one is answered (busy
/// tellers, payroll, a bench) would otherwise split into a small batch and a large one taking
/// turns, the small one taken while the others were still on their way back, and every batch
/// costs a commit and its hot pages whatever its size: measured, half the transfers per
/// commit and a tenth to a quarter less throughput (BENCHMARKS.md). A transfer that comes
/// alone, or after a pause (those answered last time would have been back by then), never
/// waits.
async fn gather<T>(
    receiver: &mut mpsc::UnboundedReceiver<T>,
    expected: usize,
    answered_at: tokio::time::Instant,
) -> Option<Vec<T>> {
    let mut batch = vec![receiver.recv().await?];
    let now = tokio::time::Instant::now();
    let wanted = if now > answered_at + LINGER_AT_MOST {
        1
    } else {
        (expected * 3 / 4).clamp(1, MAX_BATCH)
    };
    let until = now + LINGER_AT_MOST;
    while batch.len() < MAX_BATCH {
        match receiver.try_recv() {
            Ok(next) => batch.push(next),
            Err(_) if batch.len() < wanted => {
                match tokio::time::timeout_at(until, receiver.recv()).await {
                    Ok(Some(next)) => batch.push(next),
                    // Nothing more in time, or every sender gone: post what came.
                    Ok(None) | Err(_) => break,
                }
            }
            Err(_) => break,
        }
    }
    Some(batch)
}

/// Posts a batch, retrying transient failures; a batch that fails for another reason is split
/// so that each transfer gets its own answer.
pub(super) async fn process(db: &Db, conn: &mut Option<WriterConnection>, batch: Vec<Queued>) {
    let (jobs, replies): (Vec<Job>, Vec<oneshot::Sender<Outcome>>) = batch.into_iter().unzip();
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        match run_in_transaction(db, conn, &jobs).await {
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
                    Box::pin(process(db, conn, vec![(job, reply)])).await;
                }
                return;
            }
        }
    }
}

async fn run_in_transaction(
    db: &Db,
    conn: &mut Option<WriterConnection>,
    jobs: &[Job],
) -> Result<Vec<Outcome>> {
    let connection = match conn {
        Some(c) => c,
        None => conn.insert(db.writer_connection().await?),
    };
    let result = async {
        let _turn = db.write_turn().await;
        match connection {
            WriterConnection::Postgres(c) => {
                let mut tx = c.begin().await?;
                match run_batch(&mut *tx, jobs).await {
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
            WriterConnection::Sqlite(c) => {
                let mut direct = Direct::lock(c).await?;
                // IMMEDIATE: the write lock from the start, not at the first write.
                direct.execute("BEGIN IMMEDIATE")?;
                let outcomes = run_batch(&mut direct, jobs)
                    .await
                    .and_then(|outcomes| direct.execute("COMMIT").map(|()| outcomes));
                if outcomes.is_err() {
                    let _ = direct.execute("ROLLBACK");
                }
                outcomes
            }
        }
    }
    .await;
    if result.is_err() {
        // Whatever went wrong, the next batch starts on a fresh connection.
        *conn = None;
    }
    result
}

async fn run_batch(conn: &mut (impl Writer + ReadAccounts), jobs: &[Job]) -> Result<Vec<Outcome>> {
    let mut outcomes: Vec<Option<Outcome>> = (0..jobs.len()).map(|_| None).collect();
    // Every account the batch names, by id or by card, read (and on PostgreSQL locked, in id
    // order) before anything else, so that the batch's locks come first and in one order.
    let mut ids = Vec::new();
    let mut cards = Vec::new();
    for job in jobs {
        match &job.work {
            Work::Planned(p) => ids.extend(p.entry.legs.iter().map(|l| l.account_id.as_str())),
            Work::ToOurCard { req, card_no, .. } => {
                ids.push(req.from_account_id.as_str());
                cards.push(card_no.as_str());
            }
        }
    }
    let now = jobs.iter().map(|j| j.now).max().unwrap_or_default();
    let china_day = jobs[0].china_day;
    let (mut ledger, rows) = Batch::read(conn, now, china_day, &ids, &cards).await?;
    let resolved = plan_in_batch(jobs, &rows, china_day, &mut outcomes)?;
    let plan_of = |i: usize| -> Option<&Planned> {
        match &jobs[i].work {
            Work::Planned(p) => Some(p),
            Work::ToOurCard { .. } => resolved[i].as_ref(),
        }
    };
    // The same key twice in one batch: the later one waits for the first's answer.
    let mut seen = HashSet::new();
    let mut inserts = Vec::new();
    for (i, job) in jobs.iter().enumerate() {
        let Some(plan) = plan_of(i) else { continue };
        if seen.insert((job.customer_id.as_str(), job.key.as_str())) {
            inserts.push(plan.row.clone());
        } else {
            outcomes[i] = Some(Outcome::KeyTaken);
        }
    }
    if inserts.is_empty() {
        return Ok(finish(outcomes));
    }
    let inserted = conn
        .insert_new(TRANSFER_INSERT, inserts, "customer_id, idempotency_key")
        .await?;

    let mut undone = Vec::new();
    let mut payees: HashMap<(String, String), Vec<Val>> = HashMap::new();
    // Each customer's allowance of payments without a code: as read, and as the batch leaves it.
    let mut code_free: HashMap<&str, (super::CodeFreeUse, super::CodeFreeUse)> = rows
        .iter()
        .filter_map(|r| Some((r.customer_id.as_deref()?, (r.code_free, r.code_free))))
        .collect();
    for (i, job) in jobs.iter().enumerate() {
        if outcomes[i].is_some() {
            continue;
        }
        let Some(plan) = plan_of(i) else { continue };
        if !inserted.contains(&plan.id) {
            outcomes[i] = Some(Outcome::KeyTaken);
            continue;
        }
        let used = code_free
            .get(job.customer_id.as_str())
            .map_or_else(Default::default, |(_, now)| *now);
        let Some(used_after) = plan.spend.apply(used, job.code_free, china_day) else {
            // Checked again here, where it is spent: concurrent requests cannot all pass on
            // what was left when each was quoted.
            undone.push(plan.id.clone());
            outcomes[i] = Some(Outcome::Failed(Refusal::StepUpRequired.into()));
            continue;
        };
        match ledger.apply(&plan.entry) {
            Ok(_) => {
                if let Some((_, now)) = code_free.get_mut(job.customer_id.as_str()) {
                    *now = used_after;
                }
                if let Some((card, row)) = &plan.payee {
                    // One upsert per (customer, payee) per statement: the last use wins.
                    payees.insert((job.customer_id.clone(), card.clone()), row.clone());
                }
                outcomes[i] = Some(Outcome::Posted(Box::new(plan.transfer.clone())));
            }
            Err(e) => {
                undone.push(plan.id.clone());
                outcomes[i] = Some(Outcome::Failed(e));
            }
        }
    }
    // A refused transfer leaves no trace: its idempotency row goes with it.
    conn.delete_by_id("transfers", undone).await?;
    conn.insert_rows(
        PAYEE_INSERT,
        payees.into_values().collect(),
        "ON CONFLICT (customer_id, card_no) DO UPDATE SET last_used_at = excluded.last_used_at, \
           name_masked = excluded.name_masked, \
           name_sealed = CASE WHEN excluded.name_sealed <> '' THEN excluded.name_sealed ELSE payees.name_sealed END",
    )
    .await?;
    write_code_free(conn, &code_free).await?;
    ledger.write(conn).await?;
    Ok(finish(outcomes))
}

/// Writes the allowances the batch changed, each only where it is still what the batch read;
/// a change made meanwhile (a bill payment, another node's batch) makes the batch retry.
async fn write_code_free(
    conn: &mut impl Writer,
    code_free: &HashMap<&str, (super::CodeFreeUse, super::CodeFreeUse)>,
) -> Result<()> {
    let rows: Vec<Vec<Val>> = code_free
        .iter()
        .filter(|(_, (read, now))| read != now)
        .map(|(customer, (read, now))| {
            vec![
                Val::Text((*customer).to_string()),
                Val::Int(read.day),
                Val::Int(read.amount),
                Val::Int(read.count),
                Val::Int(now.day),
                Val::Int(now.amount),
                Val::Int(now.count),
            ]
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    let expected = rows.len() as u64;
    let columns = ["codefree_day", "codefree_amount", "codefree_count"];
    let changed = conn
        .update_rows("customers", "id", &columns, &columns, rows)
        .await?;
    if changed == expected {
        Ok(())
    } else {
        Err(Error::Contended("a customer's code-free allowance".into()))
    }
}

fn finish(outcomes: Vec<Option<Outcome>>) -> Vec<Outcome> {
    outcomes
        .into_iter()
        .map(|o| o.unwrap_or(Outcome::KeyTaken))
        .collect()
}

/// Plans the batch's [`Work::ToOurCard`] transfers from the accounts the batch read, checking
/// each like the caller would have (same rules, `super::check`). A transfer that fails its
/// checks gets its answer in `outcomes` and writes nothing.
fn plan_in_batch(
    jobs: &[Job],
    rows: &[ReadAccount],
    china_day: i64,
    outcomes: &mut [Option<Outcome>],
) -> Result<Vec<Option<Planned>>> {
    let mut resolved: Vec<Option<Planned>> = (0..jobs.len()).map(|_| None).collect();
    if !jobs
        .iter()
        .any(|j| matches!(j.work, Work::ToOurCard { .. }))
    {
        return Ok(resolved);
    }
    // Customers' demand accounts only (the bank's internal accounts and time deposits are
    // neither paying accounts nor payees here).
    let mut accounts = Vec::with_capacity(rows.len());
    for row in rows {
        if row.kind == "demand" {
            accounts.push(row.to_account(china_day)?);
        }
    }
    let by_id: HashMap<&str, &crate::account::Account> =
        accounts.iter().map(|a| (a.id.as_str(), a)).collect();
    let by_card: HashMap<&str, &crate::account::Account> = accounts
        .iter()
        .filter(|a| a.status == "open")
        .map(|a| (a.card_no.as_str(), a))
        .collect();
    for (i, job) in jobs.iter().enumerate() {
        let Work::ToOurCard {
            req,
            card_no,
            fingerprint,
        } = &job.work
        else {
            continue;
        };
        let checked = by_id
            .get(req.from_account_id.as_str())
            .filter(|a| a.customer_id == req.customer_id)
            .ok_or_else(|| Error::NotFound(format!("account {}", req.from_account_id)))
            .and_then(|from| {
                let to = by_card
                    .get(card_no.as_str())
                    .ok_or(Refusal::PayeeNotFound)?;
                super::check(req, (*from).clone(), super::intra_payee(req, (*to).clone()))
            });
        match checked {
            // Only amounts below the step-up threshold come unread (`Transfers::post_new`);
            // should one ever need a step-up, it is refused here, never posted unconfirmed.
            Ok((quote, _, _)) if quote.needs_step_up => {
                outcomes[i] = Some(Outcome::Failed(Refusal::StepUpRequired.into()));
            }
            Ok((quote, payee, from)) => {
                let spend = if quote.kind == super::Kind::Own {
                    super::Spend::Nothing
                } else {
                    super::Spend::CodeFree(req.amount)
                };
                resolved[i] = Some(super::planned(
                    job.now,
                    req,
                    (&job.key, fingerprint.clone()),
                    (&quote, spend),
                    &payee,
                    &from,
                    String::new(),
                ));
            }
            Err(e) => outcomes[i] = Some(Outcome::Failed(e)),
        }
    }
    Ok(resolved)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use tokio::sync::mpsc;
    use tokio::time::{sleep, Instant};

    use super::{gather, LINGER_AT_MOST};

    // Paused time: the runtime moves the clock to the next timer whenever every task waits.

    #[tokio::test(start_paused = true)]
    async fn a_lone_transfer_does_not_wait() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        tx.send(1).unwrap();
        let start = Instant::now();
        assert_eq!(gather(&mut rx, 1, start).await, Some(vec![1]));
        assert_eq!(start.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn a_batch_waits_for_the_transfers_it_expects_and_no_longer() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        tx.send(0).unwrap();
        tx.send(1).unwrap();
        let later = tx.clone();
        tokio::spawn(async move {
            sleep(Duration::from_millis(1)).await;
            for n in 2..6 {
                later.send(n).unwrap();
            }
        });
        let start = Instant::now();
        // Eight were in flight: the batch waits until six (three quarters) are there.
        assert_eq!(gather(&mut rx, 8, start).await, Some((0..6).collect()));
        assert!(start.elapsed() < LINGER_AT_MOST, "{:?}", start.elapsed());
        // Six expected, one comes: it goes alone once the wait is over.
        tx.send(6).unwrap();
        let start = Instant::now();
        assert_eq!(gather(&mut rx, 6, start).await, Some(vec![6]));
        assert!(start.elapsed() >= LINGER_AT_MOST, "{:?}", start.elapsed());
        assert!(
            start.elapsed() < 2 * LINGER_AT_MOST,
            "{:?}",
            start.elapsed()
        );
    }

    #[tokio::test(start_paused = true)]
    async fn after_a_pause_nobody_is_expected() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let answered_at = Instant::now();
        sleep(Duration::from_millis(10)).await;
        tx.send(1).unwrap();
        let start = Instant::now();
        assert_eq!(gather(&mut rx, 8, answered_at).await, Some(vec![1]));
        assert_eq!(start.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn a_batch_takes_what_came_when_the_senders_are_gone() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        tx.send(0).unwrap();
        drop(tx);
        let start = Instant::now();
        assert_eq!(gather(&mut rx, 100, start).await, Some(vec![0]));
        assert_eq!(start.elapsed(), Duration::ZERO);
        assert_eq!(gather(&mut rx, 100, start).await, None);
    }
}
