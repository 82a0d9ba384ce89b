//! Interbank transfers go out through a clearing network (in China: CNAPS / 网联 via the
//! People's Bank). The network sits behind [`ClearingNetwork`]; the default is
//! [`ClearingSimulator`], a local stand-in with a small directory of other banks' accounts, so
//! everything runs offline. Nothing here talks to a real clearing system.
//!
//! An interbank transfer is posted at once from the customer's account to our bank's clearing
//! account and stays `pending`. The clearing worker ([`process_due`]) submits pending transfers
//! after a configurable delay: `settled` leaves the money with the network; `returned` posts
//! the refund (clearing account → customer) in the same transaction as the status change, and
//! the customer gets a movement alert for it.

use sqlx::Row;

use crate::account::{card, Internal};
use crate::clock::{Clock, Millis};
use crate::ledger::{self, EntryKind, Leg, NewEntry};
use crate::pii::{Field, KeyRing};
use crate::sms::BoxFuture;
use crate::{Db, Result};

/// Other banks' BINs we clear with, and the bank's name customers know.
pub const OTHER_BANKS: [(&str, &str); 7] = [
    ("622202", "中国工商银行"),
    ("622848", "中国农业银行"),
    ("621661", "中国银行"),
    ("621700", "中国建设银行"),
    ("622262", "交通银行"),
    ("621799", "中国邮政储蓄银行"),
    ("622588", "招商银行"),
];

/// The bank a card of another bank belongs to, by its BIN.
pub fn other_bank_name(card_no: &str) -> Option<&'static str> {
    OTHER_BANKS
        .iter()
        .find(|(bin, _)| card_no.starts_with(bin))
        .map(|(_, name)| *name)
}

/// What we send to the network for one transfer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    /// Our transfer id: the network deduplicates on it.
    pub transfer_id: String,
    pub payee_card: String,
    pub payee_name: String,
    pub amount: i64,
}

/// Why the other bank sent the money back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReturnReason {
    NoSuchAccount,
    NameMismatch,
}

impl ReturnReason {
    pub fn as_str(self) -> &'static str {
        match self {
            ReturnReason::NoSuchAccount => "no_such_account",
            ReturnReason::NameMismatch => "name_mismatch",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Settled,
    Returned(ReturnReason),
}

pub trait ClearingNetwork: Send + Sync + std::fmt::Debug {
    fn submit<'a>(&'a self, instruction: &'a Instruction) -> BoxFuture<'a, Result<Answer>>;

    /// True for simulators: the server says so in its logs.
    fn is_simulator(&self) -> bool;
}

/// The local stand-in: settles transfers to the accounts in its directory when the name
/// matches, returns everything else.
#[derive(Clone, Debug)]
pub struct ClearingSimulator {
    directory: Vec<(String, String)>,
}

/// A valid 19-digit card of another bank for the simulator's directory.
fn directory_card(bin: &str, serial: u64) -> String {
    let payload = format!("{bin}{serial:012}");
    format!("{payload}{}", card::luhn_digit(&payload))
}

impl ClearingSimulator {
    /// Four accounts at other banks (documented in the README for trying interbank transfers).
    pub fn with_demo_directory() -> Self {
        ClearingSimulator {
            directory: DEMO_DIRECTORY
                .iter()
                .map(|(bin, serial, name)| (directory_card(bin, *serial), (*name).to_string()))
                .collect(),
        }
    }

    /// The directory as (card, name), for the README, tests and demo data.
    pub fn directory(&self) -> &[(String, String)] {
        &self.directory
    }
}

const DEMO_DIRECTORY: [(&str, u64, &str); 4] = [
    ("622202", 1_602_000_118, "张伟"),
    ("621700", 2_205_330_476, "刘芳"),
    ("622848", 3_700_181_920, "陈静"),
    ("621799", 4_101_250_063, "赵磊"),
];

impl ClearingNetwork for ClearingSimulator {
    fn submit<'a>(&'a self, instruction: &'a Instruction) -> BoxFuture<'a, Result<Answer>> {
        Box::pin(async move {
            Ok(
                match self
                    .directory
                    .iter()
                    .find(|(c, _)| *c == instruction.payee_card)
                {
                    None => Answer::Returned(ReturnReason::NoSuchAccount),
                    Some((_, name)) if *name != instruction.payee_name => {
                        Answer::Returned(ReturnReason::NameMismatch)
                    }
                    Some(_) => Answer::Settled,
                },
            )
        })
    }

    fn is_simulator(&self) -> bool {
        true
    }
}

/// Submits the pending transfers older than `delay` and records each answer. Safe to run on
/// several nodes at once: each status change is conditional on the transfer still being
/// pending, and a refund is posted only by the node whose change went through. Returns how many
/// transfers it finished.
pub async fn process_due(
    db: &Db,
    clock: &dyn Clock,
    keys: &KeyRing,
    network: &dyn ClearingNetwork,
    delay: Millis,
    batch: i64,
) -> Result<usize> {
    let rows = sqlx::query(
        "SELECT t.id, t.customer_id, t.from_account_id, t.payee_card, t.payee_name_masked, t.payee_name_sealed, \
           t.amount, t.memo, a.bank_code FROM transfers t JOIN accounts a ON a.id = t.from_account_id \
         WHERE t.status = 'pending' AND t.created_at <= $1 ORDER BY t.created_at LIMIT $2",
    )
    .bind(clock.now() - delay)
    .bind(batch)
    .fetch_all(db.pool())
    .await?;
    let mut done = 0;
    for r in rows {
        let id: String = r.try_get("id")?;
        let customer: String = r.try_get("customer_id")?;
        let sealed: String = r.try_get("payee_name_sealed")?;
        let instruction = Instruction {
            transfer_id: id.clone(),
            payee_card: r.try_get("payee_card")?,
            payee_name: keys.open(&customer, Field::Name, &sealed)?,
            amount: crate::db::get_i64(&r, "amount")?,
        };
        let answer = network.submit(&instruction).await?;
        let now = clock.now();
        let _turn = db.write_turn().await;
        let mut tx = db.pool().begin().await?;
        let changed = match answer {
            Answer::Settled => sqlx::query(
                "UPDATE transfers SET status = 'settled', updated_at = $1 WHERE id = $2 AND status = 'pending'",
            )
            .bind(now)
            .bind(&id)
            .execute(&mut *tx)
            .await?
            .rows_affected(),
            Answer::Returned(reason) => {
                let entry_id = crate::id::new_id();
                let changed = sqlx::query(
                    "UPDATE transfers SET status = 'returned', status_reason = $1, return_entry_id = $2, \
                     updated_at = $3 WHERE id = $4 AND status = 'pending'",
                )
                .bind(reason.as_str())
                .bind(&entry_id)
                .bind(now)
                .bind(&id)
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
        done += changed as usize;
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_directory_is_what_the_readme_lists() {
        let simulator = ClearingSimulator::with_demo_directory();
        let cards: Vec<&str> = simulator
            .directory
            .iter()
            .map(|(c, _)| c.as_str())
            .collect();
        assert_eq!(
            cards,
            [
                "6222020016020001182",
                "6217000022053304760",
                "6228480037001819202",
                "6217990041012500633"
            ]
        );
        assert!(cards.iter().all(|c| card::luhn_valid(c)));
        assert_eq!(other_bank_name(cards[1]), Some("中国建设银行"));
        assert_eq!(other_bank_name("6230011234567890123"), None);
    }
}
