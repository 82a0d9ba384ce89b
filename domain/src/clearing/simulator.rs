//! The local stand-in for the clearing network.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::{Answer, ClearingNetwork, Instruction, ReturnReason};
use crate::account::card;
use crate::sms::BoxFuture;
use crate::Result;

/// Settles transfers to the accounts in its directory when the name matches and returns
/// everything else. Like the real network it remembers each reference's answer: a repeated
/// instruction gets the first answer, and [`ClearingNetwork::status`] tells what became of
/// one. Clones share that memory, as the nodes of one deployment share one network.
#[derive(Clone, Debug)]
pub struct ClearingSimulator {
    directory: Vec<(String, String)>,
    answered: Arc<Mutex<HashMap<String, Answer>>>,
}

/// A valid 19-digit card of another bank for the simulator's directory.
fn directory_card(bin: &str, serial: u64) -> String {
    let payload = format!("{bin}{serial:012}");
    format!("{payload}{}", card::luhn_digit(&payload))
}

const DEMO_DIRECTORY: [(&str, u64, &str); 4] = [
    ("622202", 1_602_000_118, "张伟"),
    ("621700", 2_205_330_476, "刘芳"),
    ("622848", 3_700_181_920, "陈静"),
    ("621799", 4_101_250_063, "赵磊"),
];

impl ClearingSimulator {
    /// Four accounts at other banks (documented in the README for trying interbank transfers).
    pub fn with_demo_directory() -> Self {
        ClearingSimulator {
            directory: DEMO_DIRECTORY
                .iter()
                .map(|(bin, serial, name)| (directory_card(bin, *serial), (*name).to_string()))
                .collect(),
            answered: Arc::default(),
        }
    }

    /// The directory as (card, name), for the README, tests and demo data.
    pub fn directory(&self) -> &[(String, String)] {
        &self.directory
    }

    fn answer(&self, instruction: &Instruction) -> Answer {
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
        }
    }

    fn answered(&self) -> std::sync::MutexGuard<'_, HashMap<String, Answer>> {
        // A poisoned lock only means another thread panicked mid-insert; the map is still whole.
        self.answered.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl ClearingNetwork for ClearingSimulator {
    fn submit<'a>(&'a self, instruction: &'a Instruction) -> BoxFuture<'a, Result<Answer>> {
        Box::pin(async move {
            let fresh = self.answer(instruction);
            Ok(*self
                .answered()
                .entry(instruction.transfer_id.clone())
                .or_insert(fresh))
        })
    }

    fn status<'a>(&'a self, transfer_id: &'a str) -> BoxFuture<'a, Result<Option<Answer>>> {
        Box::pin(async move { Ok(self.answered().get(transfer_id).copied()) })
    }

    fn is_simulator(&self) -> bool {
        true
    }
}
