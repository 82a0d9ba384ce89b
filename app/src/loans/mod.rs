//! Loans: what the customer's bank lends online and the customer's loans (`/loans`), the
//! application (`/loans/apply?product=`), one loan with its contract, signing, schedule and
//! repayments (`/loans/:id`), a 保证e贷 as its guarantor reads, signs or declines it
//! (`/loans/guarantees/:id`), and the public loan calculator (`/loans/calculator`).

mod apply;
mod calculator;
mod detail;
mod guarantee;
mod hub;
pub mod rows;
mod server;

pub use apply::LoanApplyPage;
pub use calculator::{quote_loan, LoanCalculatorPage, LoanQuery, LoanQuote, RepaymentMethod};
pub use detail::LoanPage;
pub use guarantee::*;
pub use hub::LoansPage;
#[cfg(feature = "ssr")]
pub use server::convert::{purpose as purpose_view, reason as reason_view};
pub use server::*;

// The pages below arrive in their own WASM chunk (see `crate::chunk`).
crate::lazy_pages!(
    loans: LOAN_CALCULATOR_PAGE => LoanCalculatorPage,
    LOANS_PAGE => LoansPage,
    LOAN_APPLY_PAGE => LoanApplyPage,
    LOAN_PAGE => LoanPage,
    GUARANTEE_PAGE => GuaranteePage,
);

/// A loan product's name in both languages, from its kind.
#[cfg(feature = "ssr")]
pub fn kind_name(kind: domain::loans::LoanKind) -> crate::i18n::Named {
    use crate::i18n::Named;
    use domain::loans::LoanKind;
    match kind {
        LoanKind::CreditLine => Named::new("信e贷", "Xin e-Loan"),
        LoanKind::Guaranteed => Named::new("保证e贷", "Guaranteed e-Loan"),
        LoanKind::Pledged => Named::new("质押e贷", "Deposit-pledged e-Loan"),
        LoanKind::Tax => Named::new("税e贷", "Tax e-Loan"),
    }
}
