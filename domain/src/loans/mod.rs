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
//!
//! A loan's life is [`Loans`]: [`apply`] (the request, the authorization, the decision),
//! [`contract`] (the text the customer signs and its hash), [`sign`] (online signing under a
//! step-up bound to that hash, and the disbursement), [`guarantee`] (a 保证e贷's guarantor
//! reading and signing the same contract in their own login), [`repay`] (repayments, early ones, a
//! credit line's draws) and [`servicing`] (the daily run: collection, penalty interest,
//! reminders, pledges enforced); [`review`] is the credit officer's queue of referred
//! applications, and [`desk`] the console's rate sheet and portfolio. [`book`] is how a loan is stored; [`accrual`] the day-count
//! and allocation arithmetic.

pub mod accrual;
pub mod apply;
pub mod apr;
pub mod book;
pub mod bureau;
pub mod contract;
pub mod decision;
pub mod desk;
pub mod guarantee;
pub mod products;
pub mod relationship;
pub mod repay;
pub mod review;
pub mod schedule;
pub mod servicing;
pub mod sign;
pub mod tax;

pub use apply::Application;
pub use book::{Due, Loan, Status};
pub use products::{LoanKind, LoanOffer, Purpose};
pub use schedule::{Instalment, InterestEvery, Method, Schedule, Terms};

use crate::clock::Clock;
use crate::pii::KeyRing;
use crate::Db;

/// The loan service over its dependencies.
#[derive(Clone, Copy)]
pub struct Loans<'a> {
    pub db: &'a Db,
    pub clock: &'a dyn Clock,
    pub keys: &'a KeyRing,
    pub bureau: &'a dyn bureau::CreditBureau,
    pub tax: &'a dyn tax::TaxBureau,
}

impl<'a> Loans<'a> {
    fn accounts(&self) -> crate::account::Accounts<'a> {
        crate::account::Accounts {
            db: self.db,
            clock: self.clock,
        }
    }

    fn deposits(&self) -> crate::deposit::Deposits<'a> {
        crate::deposit::Deposits {
            db: self.db,
            clock: self.clock,
        }
    }

    fn identity(&self) -> crate::identity::Identity<'a> {
        crate::identity::Identity {
            db: self.db,
            clock: self.clock,
            keys: self.keys,
        }
    }

    async fn audit(
        &self,
        customer_id: &str,
        action: crate::audit::Action,
        detail: serde_json::Value,
    ) -> crate::Result<()> {
        crate::audit::append(
            self.db,
            self.clock,
            crate::audit::Entry {
                actor: customer_id,
                action,
                subject: customer_id,
                detail,
            },
        )
        .await
        .map(|_| ())
    }

    fn otp(&self) -> crate::identity::Otp<'a> {
        crate::identity::Otp {
            db: self.db,
            clock: self.clock,
            keys: self.keys,
        }
    }
}

#[cfg(test)]
mod decision_tests;
#[cfg(test)]
mod desk_tests;
#[cfg(test)]
mod guarantee_tests;
#[cfg(test)]
mod lifecycle_tests;
#[cfg(test)]
mod products_tests;
#[cfg(test)]
mod relationship_tests;
#[cfg(test)]
mod schedule_tests;
#[cfg(test)]
mod tax_tests;
