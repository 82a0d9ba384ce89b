//! Loans: 信e贷, 保证e贷, 质押e贷 and 税e贷, and the arithmetic they share.
//!
//! [`bureau`] is the credit bureau behind a trait (a simulator by default); [`decision`]
//! the automated decision on a credit line from the customer's history here ([`relationship`])
//! and the report.
//! [`tax`] is 税e贷's: the tax bureau (a simulator by default) and its decision.
//! [`products`] is what each bank offers (the province catalogue within its bands, the bank's
//! rate); [`schedule`] turns the terms of a loan (principal, annual rate, months, repayment method)
//! into its instalments, exactly in fen; [`apr`] gives the annual percentage rate of any
//! schedule by the internal-rate-of-return method, as the People's Bank requires it be shown
//! beside the nominal rate.

pub mod apr;
pub mod bureau;
pub mod decision;
pub mod products;
pub mod relationship;
pub mod schedule;
pub mod tax;

pub use products::{LoanKind, LoanOffer, Purpose};
pub use schedule::{Instalment, InterestEvery, Method, Schedule, Terms};

#[cfg(test)]
mod decision_tests;
#[cfg(test)]
mod products_tests;
#[cfg(test)]
mod relationship_tests;
#[cfg(test)]
mod schedule_tests;
#[cfg(test)]
mod tax_tests;
