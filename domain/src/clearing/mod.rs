//! Interbank transfers go out through a clearing network (in China: CNAPS / 网联 via the
//! People's Bank). The network sits behind [`ClearingNetwork`]; the default is
//! [`ClearingSimulator`], a local stand-in with a small directory of other banks' accounts, so
//! everything runs offline. Nothing here talks to a real clearing system.
//!
//! An interbank transfer is posted at once from the customer's account to our bank's clearing
//! account and stays `pending`. The clearing worker ([`process_due`]) claims each due transfer
//! (`submitting`, with a lease) before it sends the instruction, so however many nodes run the
//! worker, one sends it; the transfer id is the instruction's reference, which the network
//! deduplicates on. `settled` leaves the money with the network; `returned` posts the refund
//! (clearing account → customer) in the same transaction as the status change, and the
//! customer gets a movement alert for it. A lease that runs out is taken over by a later pass,
//! which first asks the network what became of the reference.

mod simulator;
mod worker;

pub use simulator::ClearingSimulator;
pub use worker::{process_due, Pass, ATTEMPTS_BEFORE_ALERT};

use crate::sms::BoxFuture;
use crate::Result;

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
    /// Our transfer id, the instruction's reference: the network deduplicates on it.
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

    /// The reason as stored beside a returned transfer; `None` for anything else.
    pub fn parse(s: &str) -> Option<ReturnReason> {
        match s {
            "no_such_account" => Some(ReturnReason::NoSuchAccount),
            "name_mismatch" => Some(ReturnReason::NameMismatch),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Settled,
    Returned(ReturnReason),
}

pub trait ClearingNetwork: Send + Sync + std::fmt::Debug {
    /// Sends one instruction. A reference the network has seen before is answered with its
    /// first answer, and its money moves once.
    fn submit<'a>(&'a self, instruction: &'a Instruction) -> BoxFuture<'a, Result<Answer>>;

    /// What the network did with the instruction of this reference, or `None` when it never
    /// received one (after a lost answer or a worker that died while sending).
    fn status<'a>(&'a self, transfer_id: &'a str) -> BoxFuture<'a, Result<Option<Answer>>>;

    /// True for simulators: the server says so in its logs.
    fn is_simulator(&self) -> bool;
}

#[cfg(test)]
mod tests;
