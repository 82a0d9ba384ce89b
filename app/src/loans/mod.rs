//! Loans: the public loan calculator (`/loans/calculator`).

mod calculator;

pub use calculator::{quote_loan, LoanCalculatorPage, LoanQuery, LoanQuote, RepaymentMethod};

// The pages below arrive in their own WASM chunk (see `crate::chunk`).
crate::lazy_pages!(loans: LOAN_CALCULATOR_PAGE => LoanCalculatorPage);
