//! 税e贷's inputs: the business's unified social credit code (统一社会信用代码), the tax bureau
//! behind a trait with its simulator, and the automated decision from what the business paid
//! and invoiced.
//!
//! The bureau is asked once per application, under the customer's authorization for that one
//! query; the simulator answers from the code alone and says it is a simulator.

use serde::{Deserialize, Serialize};

use super::decision::{Decision, Reason};
use super::products::LoanOffer;
use crate::sms::BoxFuture;
use crate::{Error, Input, Result};

/// The characters of a unified social credit code, in the order their values run (GB 32100:
/// digits and capitals without I, O, Z, S, V).
const CODE_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
/// The weights of the first seventeen characters.
const CODE_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A business's unified social credit code, its check character verified.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditCode(String);

impl CreditCode {
    pub fn parse(input: &str) -> Result<CreditCode> {
        let code: String = input
            .trim()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        let bad = |why: &str| Error::invalid(Input::CreditCode, format!("credit code: {why}"));
        if code.chars().count() != 18 {
            return Err(bad("not 18 characters"));
        }
        let values: Vec<u32> = code
            .chars()
            .map(|c| CODE_CHARS.find(c).map(|v| v as u32))
            .collect::<Option<_>>()
            .ok_or_else(|| bad("a character outside the code's alphabet"))?;
        if values[17] != check_value(&values[..17]) {
            return Err(bad("check character"));
        }
        Ok(CreditCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The check character's value for the first seventeen characters' values.
fn check_value(values: &[u32]) -> u32 {
    let sum: u32 = values.iter().zip(CODE_WEIGHTS).map(|(v, w)| v * w).sum();
    (31 - sum % 31) % 31
}

/// The check character for seventeen characters of a code (for making test codes).
pub fn check_char(first17: &str) -> Option<char> {
    let values: Vec<u32> = first17
        .chars()
        .map(|c| CODE_CHARS.find(c).map(|v| v as u32))
        .collect::<Option<_>>()?;
    (values.len() == 17).then(|| {
        CODE_CHARS
            .chars()
            .nth(check_value(&values) as usize)
            .expect("a value below 31")
    })
}

/// 纳税信用等级: the tax bureau's yearly credit rating of a taxpayer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TaxRating {
    A,
    B,
    /// A new or small taxpayer without a full year's record.
    M,
    C,
    D,
}

/// One year of a business's tax record, amounts in fen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxYear {
    pub year: i32,
    pub tax_paid: i64,
    /// Sales invoiced (开票金额).
    pub invoiced: i64,
}

/// What the tax bureau tells a lender, with the taxpayer's authorization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxRecords {
    pub rating: TaxRating,
    /// The last full years, the latest first.
    pub years: Vec<TaxYear>,
    /// Tax owed and unpaid today (欠税).
    pub arrears: i64,
}

/// The tax bureau, or the simulator standing in for it.
pub trait TaxBureau: Send + Sync + std::fmt::Debug {
    fn records<'a>(
        &'a self,
        taxpayer: &'a CreditCode,
        authorization: &'a str,
    ) -> BoxFuture<'a, Result<TaxRecords>>;

    fn is_simulator(&self) -> bool;
}

/// Answers from the code's last four characters before the check character, so every case
/// can be reached with made-up codes: ratings A to D, arrears, a new business.
#[derive(Debug, Default)]
pub struct SimulatedTaxBureau;

impl SimulatedTaxBureau {
    /// The records for a sequence number 0–9999 in `year`.
    pub fn records_for(sequence: u32, year: i32) -> TaxRecords {
        // A small business: ¥36,000 to ¥135,000 of tax a year on ten times as many sales.
        let paid = 3_600_000 + i64::from(sequence % 100) * 100_000;
        let years = |n: i32| {
            (1..=n)
                .map(|back| TaxYear {
                    year: year - back,
                    tax_paid: paid,
                    invoiced: paid * 10,
                })
                .collect::<Vec<_>>()
        };
        let (rating, years, arrears) = match sequence {
            9000..=9199 => (TaxRating::D, years(2), 0),
            9200..=9399 => (TaxRating::C, years(2), 0),
            9400..=9599 => (TaxRating::B, years(2), 500_000),
            9600..=9799 => (TaxRating::M, years(0), 0),
            5000..=8999 => (TaxRating::B, years(2), 0),
            _ => (TaxRating::A, years(2), 0),
        };
        TaxRecords {
            rating,
            years,
            arrears,
        }
    }
}

impl TaxBureau for SimulatedTaxBureau {
    fn records<'a>(
        &'a self,
        taxpayer: &'a CreditCode,
        _authorization: &'a str,
    ) -> BoxFuture<'a, Result<TaxRecords>> {
        Box::pin(async move {
            let sequence = taxpayer.as_str()[13..17]
                .chars()
                .fold(0_u32, |n, c| n * 10 + c.to_digit(10).unwrap_or(0));
            Ok(SimulatedTaxBureau::records_for(sequence, 2026))
        })
    }

    fn is_simulator(&self) -> bool {
        true
    }
}

/// Limits are whole thousands of yuan.
const LIMIT_STEP: i64 = 100_000;

/// The tax loan the rules offer: five times the tax paid in the last full year, or a tenth of
/// what was invoiced, whichever is smaller, within the product's range; rated B, a quarter
/// less. Rated C or D, or owing tax, is declined; a business without a full year is referred.
pub fn tax_loan(offer: &LoanOffer, records: &TaxRecords) -> Decision {
    let mut decline = Vec::new();
    if matches!(records.rating, TaxRating::C | TaxRating::D) {
        decline.push(Reason::PoorTaxRating);
    }
    if records.arrears > 0 {
        decline.push(Reason::TaxArrears);
    }
    if !decline.is_empty() {
        return Decision::Decline { reasons: decline };
    }
    let Some(last) = records.years.first() else {
        return Decision::Refer {
            limit: offer.min,
            rate_bp: offer.rate_bp,
            reasons: vec![Reason::NewBusiness],
        };
    };
    let mut capacity = (last.tax_paid * 5).min(last.invoiced / 10);
    if records.rating == TaxRating::B {
        capacity -= capacity / 4;
    }
    let limit = (capacity.min(offer.max) / LIMIT_STEP) * LIMIT_STEP;
    if limit < offer.min {
        return Decision::Decline {
            reasons: vec![Reason::TooLittleTax],
        };
    }
    Decision::Approve {
        limit,
        rate_bp: offer.rate_bp,
    }
}
