//! Loans: 信e贷, 保证e贷, 质押e贷 and 税e贷, and the arithmetic they share.
//!
//! [`schedule`] turns the terms of a loan (principal, annual rate, months, repayment method)
//! into its instalments, exactly in fen; [`apr`] gives the annual percentage rate of any
//! schedule by the internal-rate-of-return method, as the People's Bank requires it be shown
//! beside the nominal rate.

pub mod apr;
pub mod schedule;

pub use schedule::{Instalment, InterestEvery, Method, Schedule, Terms};

#[cfg(test)]
mod schedule_tests;
