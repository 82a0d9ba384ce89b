//! 生活缴费: choose a kind, find the bill by number (a GET form: the bill shows on the same page,
//! before WASM too), pay it from an account (an `ActionForm` with an idempotency key), and see
//! the outcome: paid with the biller's receipt number, refunded with why, or still waiting for
//! the biller. The domain service is `domain::billpay`.
//!
//! `rows` holds what the pages show (and how a domain value becomes a row), `server` the
//! server functions, `pages` the pages and their parts.

mod pages;
mod rows;
mod server;

pub use pages::{BillFormPage, BillHistoryPage, BillPaymentPage, BillsPage};
#[cfg(feature = "ssr")]
pub(crate) use rows::household_href;
pub use rows::*;
pub use server::*;

// The pages below arrive in their own WASM chunk (see `crate::chunk`).
crate::lazy_pages!(
    bills:
    BILLS_PAGE => BillsPage,
    BILL_HISTORY_PAGE => BillHistoryPage,
    BILL_PAYMENT_PAGE => BillPaymentPage,
    BILL_FORM_PAGE => BillFormPage,
);
