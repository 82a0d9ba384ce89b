//! The clearing worker: claims due interbank transfers, sends them, records the answers.

use sqlx::Row;

use super::{Answer, ClearingNetwork, Instruction};
use crate::account::{card, Internal};
use crate::clock::{Clock, Millis};
use crate::ledger::{self, EntryKind, Leg, NewEntry};
use crate::pii::{Field, KeyRing};
use crate::{Db, Result};

/// How the worker paces itself.
#[derive(Clone, Copy, Debug)]
pub struct Pass {
    /// How long a transfer waits before it is sent (the simulated clearing time).
    pub delay: Millis,
    /// How long a claim holds: past it, another pass asks the network about the transfer.
    pub lease: Millis,
    /// At most this many transfers a pass.
    pub batch: i64,
}

impl Pass {
    /// The production pacing around a configured delay: a minute's lease, a hundred a pass.
    pub fn after(delay: Millis) -> Pass {
        Pass {
            delay,
            lease: 60_000,
            batch: 100,
        }
    }
}

/// A transfer claimed this often is logged as an error for the operators on every further
/// claim: the network keeps failing for it.
pub const ATTEMPTS_BEFORE_ALERT: i64 = 5;

const COLUMNS: &str = "t.id, t.customer_id, t.from_account_id, t.payee_card, t.payee_name_masked, \
    t.payee_name_sealed, t.amount, t.memo, t.status, t.clearing_attempts, a.bank_code";

/// One pass: takes over the transfers whose claim ran out, then claims the pending ones older
/// than `pass.delay`, sends each and records the answer. Safe on several nodes at once: a
/// transfer is sent only by the worker whose claim (a conditional update) went through, each
/// answer is recorded only while the transfer is still `submitting`, and a refund is posted
/// only with that change. Returns how many transfers it finished.
pub async fn process_due(
    db: &Db,
    clock: &dyn Clock,
    keys: &KeyRing,
    network: &dyn ClearingNetwork,
    pass: &Pass,
) -> Result<usize> {
    let now = clock.now();
    // Two reads, each on its own partial index, rather than one OR over both.
    let mut rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM transfers t JOIN accounts a ON a.id = t.from_account_id \
         WHERE t.status = 'submitting' AND t.clearing_lease_until <= $1 \
         ORDER BY t.clearing_lease_until LIMIT $2"
    ))
    .bind(now)
    .bind(pass.batch)
    .fetch_all(db.pool())
    .await?;
    let room = pass.batch - rows.len() as i64;
    if room > 0 {
        rows.extend(
            sqlx::query(&format!(
                "SELECT {COLUMNS} FROM transfers t JOIN accounts a ON a.id = t.from_account_id \
                 WHERE t.status = 'pending' AND t.created_at <= $1 ORDER BY t.created_at LIMIT $2"
            ))
            .bind(now - pass.delay)
            .bind(room)
            .fetch_all(db.pool())
            .await?,
        );
    }
    let mut done = 0;
    for r in rows {
        let id: String = r.try_get("id")?;
        let taking_over = r.try_get::<String, _>("status")? == "submitting";
        let attempt = crate::db::get_i64(&r, "clearing_attempts")? + 1;
        if !claim(db, &id, clock.now(), pass.lease).await? {
            continue; // another worker has it
        }
        if attempt > ATTEMPTS_BEFORE_ALERT {
            tracing::error!(transfer = %id, attempt, "interbank transfer still unanswered by clearing; an operator should look");
        }
        let customer: String = r.try_get("customer_id")?;
        let sealed: String = r.try_get("payee_name_sealed")?;
        let instruction = Instruction {
            transfer_id: id.clone(),
            payee_card: r.try_get("payee_card")?,
            payee_name: keys.open(&customer, Field::Name, &sealed)?,
            amount: crate::db::get_i64(&r, "amount")?,
        };
        let answer = match ask(network, &instruction, taking_over).await {
            Ok(answer) => answer,
            Err(e) => {
                // Whether the network received it is unknown: the claim runs out and a later
                // pass asks the network before sending again.
                tracing::warn!(transfer = %id, error = %e, "clearing did not answer; a later pass asks again");
                continue;
            }
        };
        done += record(db, clock, &r, &instruction, answer).await?;
    }
    Ok(done)
}

/// Takes the transfer for this worker if it is pending or its last claim ran out.
async fn claim(db: &Db, id: &str, now: Millis, lease: Millis) -> Result<bool> {
    let _turn = db.write_turn().await;
    let claimed = sqlx::query(
        "UPDATE transfers SET status = 'submitting', clearing_lease_until = $1, \
         clearing_attempts = clearing_attempts + 1, updated_at = $2 \
         WHERE id = $3 AND (status = 'pending' OR (status = 'submitting' AND clearing_lease_until <= $2))",
    )
    .bind(now + lease)
    .bind(now)
    .bind(id)
    .execute(db.pool())
    .await?
    .rows_affected();
    Ok(claimed == 1)
}

/// The network's answer: a transfer taken over from a claim that ran out is asked about first
/// and sent only if the network never received it.
async fn ask(
    network: &dyn ClearingNetwork,
    instruction: &Instruction,
    taking_over: bool,
) -> Result<Answer> {
    if taking_over {
        if let Some(answer) = network.status(&instruction.transfer_id).await? {
            return Ok(answer);
        }
    }
    network.submit(instruction).await
}

/// Records the answer while the transfer is still `submitting`; a return posts the refund in
/// the same transaction. Returns 1 when this worker's change went through.
async fn record(
    db: &Db,
    clock: &dyn Clock,
    r: &sqlx::any::AnyRow,
    instruction: &Instruction,
    answer: Answer,
) -> Result<usize> {
    let id = &instruction.transfer_id;
    let now = clock.now();
    let _turn = db.write_turn().await;
    let mut tx = db.pool().begin().await?;
    let changed = match answer {
        Answer::Settled => sqlx::query(
            "UPDATE transfers SET status = 'settled', clearing_lease_until = NULL, updated_at = $1 \
             WHERE id = $2 AND status = 'submitting'",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected(),
        Answer::Returned(reason) => {
            let entry_id = crate::id::new_id();
            let changed = sqlx::query(
                "UPDATE transfers SET status = 'returned', status_reason = $1, return_entry_id = $2, \
                 clearing_lease_until = NULL, updated_at = $3 WHERE id = $4 AND status = 'submitting'",
            )
            .bind(reason.as_str())
            .bind(&entry_id)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 1 {
                let bank: String = r.try_get("bank_code")?;
                let from: String = r.try_get("from_account_id")?;
                let payee = format!(
                    "{} *{}",
                    r.try_get::<String, _>("payee_name_masked")?,
                    card::tail(&instruction.payee_card)
                );
                ledger::post(
                    &mut tx,
                    now,
                    clock.china_day(),
                    &NewEntry {
                        id: entry_id,
                        kind: EntryKind::TransferReturn,
                        memo: format!("退回：{}", r.try_get::<String, _>("memo")?),
                        legs: vec![
                            Leg::debit(&Internal::Clearing.id(&bank), instruction.amount, &payee),
                            Leg::credit(&from, instruction.amount, &payee),
                        ],
                    },
                )
                .await?;
            }
            changed
        }
    };
    tx.commit().await?;
    Ok(changed as usize)
}
