//! The credit bureau (人行征信中心) behind a trait, and the simulator that stands in for it.
//!
//! A report is fetched only with the customer's authorization for that one query, recorded
//! before the call (`authorization` is its id, which the bureau keeps beside its own log of the
//! query). The simulator answers from the resident ID alone, the same way every time, and says
//! it is a simulator: its reports decide nothing outside development and tests.

use serde::{Deserialize, Serialize};

use crate::identity::ResidentId;
use crate::sms::BoxFuture;
use crate::Result;

/// What the bureau's personal credit report says, as far as lending here needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditReport {
    /// Loans and cards overdue today.
    pub overdue_now: u32,
    /// Months with any overdue payment in the last 24 (the "累六" of 连三累六).
    pub overdue_months_24: u32,
    /// The longest run of consecutive overdue months in the last 24 (the "连三").
    pub overdue_streak_24: u32,
    /// Debt outstanding with other lenders, fen.
    pub outstanding_debt: i64,
    /// What the customer repays other lenders each month, fen.
    pub monthly_repayments: i64,
    /// Lenders' enquiries for credit decisions in the last six months.
    pub enquiries_6m: u32,
    /// Listed by a court as a judgment defaulter (失信被执行人).
    pub judgment_defaulter: bool,
}

/// The credit bureau, or the simulator standing in for it.
pub trait CreditBureau: Send + Sync + std::fmt::Debug {
    /// The report on the person with `resident_id`, under the authorization `authorization`.
    fn report<'a>(
        &'a self,
        resident_id: &'a ResidentId,
        authorization: &'a str,
    ) -> BoxFuture<'a, Result<CreditReport>>;

    /// Whether this is the local simulator (the console and the logs say so).
    fn is_simulator(&self) -> bool;
}

/// A bureau that answers from the resident ID's sequence digits (the three before the check
/// character): most people have a clean report; the rest are spread over the cases a lender
/// meets, so every branch of a decision can be seen with made-up IDs.
#[derive(Debug, Default)]
pub struct SimulatedBureau;

impl SimulatedBureau {
    /// The report for a sequence number 0–999.
    pub fn report_for(sequence: u32) -> CreditReport {
        let clean = CreditReport {
            overdue_now: 0,
            overdue_months_24: 0,
            overdue_streak_24: 0,
            outstanding_debt: 0,
            monthly_repayments: 0,
            enquiries_6m: 1,
            judgment_defaulter: false,
        };
        match sequence {
            // A court's judgment defaulter.
            900..=909 => CreditReport {
                judgment_defaulter: true,
                ..clean
            },
            // Overdue today.
            910..=929 => CreditReport {
                overdue_now: 1,
                overdue_months_24: 2,
                overdue_streak_24: 2,
                outstanding_debt: 3_000_000,
                monthly_repayments: 150_000,
                ..clean
            },
            // Three months in a row overdue within two years (连三).
            930..=949 => CreditReport {
                overdue_months_24: 3,
                overdue_streak_24: 3,
                ..clean
            },
            // Now and then a month late: a credit officer looks.
            950..=969 => CreditReport {
                overdue_months_24: 1,
                overdue_streak_24: 1,
                ..clean
            },
            // Many lenders asked lately.
            970..=984 => CreditReport {
                enquiries_6m: 9,
                ..clean
            },
            // A mortgage elsewhere: repayments the income must carry.
            985..=999 => CreditReport {
                outstanding_debt: 60_000_000,
                monthly_repayments: 400_000,
                ..clean
            },
            _ => clean,
        }
    }
}

impl CreditBureau for SimulatedBureau {
    fn report<'a>(
        &'a self,
        resident_id: &'a ResidentId,
        _authorization: &'a str,
    ) -> BoxFuture<'a, Result<CreditReport>> {
        Box::pin(async move {
            let id = resident_id.as_str();
            let sequence = id.get(14..17).and_then(|s| s.parse().ok()).unwrap_or(0);
            Ok(SimulatedBureau::report_for(sequence))
        })
    }

    fn is_simulator(&self) -> bool {
        true
    }
}
