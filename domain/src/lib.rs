//! The shared banking domain of the portal: money, ledger, identity, products, rules and their
//! storage. Nothing here knows about Leptos or HTTP; the `app` and `server` crates call into it.
//!
//! Storage goes through [`db::Db`], one `sqlx::AnyPool` over either embedded SQLite (the default)
//! or PostgreSQL (and PostgreSQL-compatible distributed SQL). Queries are written once in the
//! common subset of both dialects, with `$1`-style parameters, which both drivers accept.

pub mod account;
pub mod audit;
pub mod billpay;
pub mod clearing;
pub mod clock;
pub mod consent;
pub mod content;
pub mod db;
pub mod demo;
pub mod deposit;
pub mod error;
pub mod feedback;
pub mod id;
pub mod identity;
pub mod institution;
pub mod jobs;
pub mod ledger;
pub mod livelihood;
pub mod loans;
pub mod money;
pub mod notify;
pub mod ops;
pub mod pension;
pub mod pii;
pub mod ratelimit;
pub mod sms;
pub mod transfer;

pub use db::{Db, DbKind};
pub use error::{Error, Input, Refusal, Result};

#[cfg(any(test, feature = "testing"))]
pub mod testing;

#[cfg(test)]
mod bank_workload;
