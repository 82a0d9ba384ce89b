//! The automated decision on a 信e贷 credit line and a 保证e贷 (税e贷's is in [`super::tax`]): approve with a limit and a rate, refer to a
//! credit officer, or decline, always with the reasons.
//!
//! The limit comes from what the customer's history with the bank shows they can carry, the
//! credit report can only lower it or stop it. The rules are the ones a rural bank's credit
//! committee states in plain words: a judgment defaulter, a debt overdue today or a report
//! with "连三累六" (three months overdue in a row, or six in all, within two years) is
//! declined; anything a person should look at is referred, never declined by the machine.

use serde::{Deserialize, Serialize};

use super::bureau::CreditReport;
use super::products::LoanOffer;

/// What the customer's accounts here show, read from the ledger and the deposits.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relationship {
    /// Months since their first account here was opened.
    pub tenure_months: u32,
    /// The average balance of their current accounts over the last six months, fen.
    pub average_balance: i64,
    /// What comes in regularly each month (wages, a pension, a co-operative's payments), fen.
    pub monthly_inflow: i64,
    /// Time deposits and certificates held here, principal, fen.
    pub time_deposits: i64,
}

/// Why a decision went the way it did; each has a sentence for the customer (and the credit
/// officer) in the UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Reason {
    /// Listed by a court as a judgment defaulter.
    JudgmentDefaulter,
    /// A loan or card is overdue today.
    OverdueNow,
    /// Three months overdue in a row, or six in all, within two years.
    OverdueSeries,
    /// Some months overdue within two years, fewer than that.
    RecentLateMonths,
    /// Many lenders asked for the report in the last six months.
    ManyEnquiries,
    /// Repayments elsewhere take more than half of the monthly income.
    DebtBurden,
    /// Customers of this bank for less than six months.
    ShortRelationship,
    /// Too little has come in and stayed here to lend the product's smallest amount.
    TooLittleHistory,
    /// 税e贷: rated C or D by the tax bureau.
    PoorTaxRating,
    /// 税e贷: tax owed and unpaid today.
    TaxArrears,
    /// 税e贷: less than a full year of tax paid.
    NewBusiness,
    /// 税e贷: too little tax paid to lend the product's smallest amount.
    TooLittleTax,
    /// 保证e贷: the guarantor's own credit report stops them guaranteeing.
    GuarantorIneligible,
}

/// The machine's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    Approve {
        limit: i64,
        rate_bp: i64,
    },
    /// A credit officer decides; `limit` and `rate_bp` are what the rules would offer.
    Refer {
        limit: i64,
        rate_bp: i64,
        reasons: Vec<Reason>,
    },
    Decline {
        reasons: Vec<Reason>,
    },
}

/// Limits are whole thousands of yuan.
const LIMIT_STEP: i64 = 100_000;
/// Each reason to refer adds this to the rate (within the band).
const RISK_STEP_BP: i64 = 50;
/// A long relationship with savings here takes this off.
const LOYALTY_BP: i64 = 30;

/// The credit line the rules offer on `offer`.
pub fn credit_line(offer: &LoanOffer, rel: &Relationship, report: &CreditReport) -> Decision {
    decide(offer, rel, report, 1)
}

/// A 保证e贷 on `offer`: the credit line's rules, with twice the capacity, since a second
/// customer is jointly liable for the whole debt. The guarantor's own report is checked when
/// they accept ([`guarantor_eligible`]).
pub fn guaranteed(offer: &LoanOffer, rel: &Relationship, report: &CreditReport) -> Decision {
    decide(offer, rel, report, 2)
}

/// Whether a guarantor's report lets them guarantee: no judgment, nothing overdue today, no
/// "连三累六".
pub fn guarantor_eligible(report: &CreditReport) -> bool {
    !report.judgment_defaulter
        && report.overdue_now == 0
        && report.overdue_streak_24 < 3
        && report.overdue_months_24 < 6
}

fn decide(offer: &LoanOffer, rel: &Relationship, report: &CreditReport, times: i64) -> Decision {
    let mut decline = Vec::new();
    if report.judgment_defaulter {
        decline.push(Reason::JudgmentDefaulter);
    }
    if report.overdue_now > 0 {
        decline.push(Reason::OverdueNow);
    }
    if report.overdue_streak_24 >= 3 || report.overdue_months_24 >= 6 {
        decline.push(Reason::OverdueSeries);
    }
    if !decline.is_empty() {
        return Decision::Decline { reasons: decline };
    }

    // Six months of regular income, half of what usually stays on the accounts, three tenths
    // of the savings; what is repaid elsewhere each month counts against the income.
    let income = (rel.monthly_inflow - report.monthly_repayments).max(0);
    let capacity = income.saturating_mul(6)
        + rel.average_balance.max(0) / 2
        + rel.time_deposits.max(0) * 3 / 10;
    let capacity = capacity.saturating_mul(times);
    let limit = (capacity.min(offer.max) / LIMIT_STEP) * LIMIT_STEP;
    if limit < offer.min {
        return Decision::Decline {
            reasons: vec![Reason::TooLittleHistory],
        };
    }

    let mut refer = Vec::new();
    if rel.tenure_months < 6 {
        refer.push(Reason::ShortRelationship);
    }
    if report.overdue_months_24 > 0 {
        refer.push(Reason::RecentLateMonths);
    }
    if report.enquiries_6m > 6 {
        refer.push(Reason::ManyEnquiries);
    }
    if report.monthly_repayments * 2 > rel.monthly_inflow && report.monthly_repayments > 0 {
        refer.push(Reason::DebtBurden);
    }
    let loyal = rel.tenure_months >= 36 && rel.time_deposits >= 5_000_000;
    let rate_bp = (offer.rate_bp + RISK_STEP_BP * refer.len() as i64
        - if loyal { LOYALTY_BP } else { 0 })
    .clamp(offer.floor_bp, offer.ceiling_bp);
    if refer.is_empty() {
        Decision::Approve { limit, rate_bp }
    } else {
        Decision::Refer {
            limit,
            rate_bp,
            reasons: refer,
        }
    }
}
