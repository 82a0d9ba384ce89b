//! What the loans pages show, as values the server formats and both sides share; the words
//! are the pages' (in the language in use).

use serde::{Deserialize, Serialize};

use super::calculator::RepaymentMethod;
use crate::i18n::{Msg, Named};
use crate::transfer::FromOption;

/// What kind of loan a product is, for the form's extra fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoanKindView {
    CreditLine,
    Guaranteed,
    Pledged,
    Tax,
}

impl LoanKindView {
    pub fn hint(self) -> Msg {
        match self {
            LoanKindView::CreditLine => Msg::LoanKindCreditLineHint,
            LoanKindView::Guaranteed => Msg::LoanKindGuaranteedHint,
            LoanKindView::Pledged => Msg::LoanKindPledgedHint,
            LoanKindView::Tax => Msg::LoanKindTaxHint,
        }
    }
}

/// What a loan is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum PurposeView {
    Planting,
    Breeding,
    Machinery,
    Inputs,
    Business,
    Household,
}

impl PurposeView {
    pub fn label(self) -> Msg {
        match self {
            PurposeView::Planting => Msg::LoanPurposePlanting,
            PurposeView::Breeding => Msg::LoanPurposeBreeding,
            PurposeView::Machinery => Msg::LoanPurposeMachinery,
            PurposeView::Inputs => Msg::LoanPurposeInputs,
            PurposeView::Business => Msg::LoanPurposeBusiness,
            PurposeView::Household => Msg::LoanPurposeHousehold,
        }
    }

    /// As the form posts it; the same words as `domain::loans::Purpose::slug`.
    pub fn slug(self) -> &'static str {
        match self {
            PurposeView::Planting => "planting",
            PurposeView::Breeding => "breeding",
            PurposeView::Machinery => "machinery",
            PurposeView::Inputs => "inputs",
            PurposeView::Business => "business",
            PurposeView::Household => "household",
        }
    }
}

/// Why the machine decided as it did, in plain words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReasonView {
    JudgmentDefaulter,
    OverdueNow,
    OverdueSeries,
    RecentLateMonths,
    ManyEnquiries,
    DebtBurden,
    ShortRelationship,
    TooLittleHistory,
    PoorTaxRating,
    TaxArrears,
    NewBusiness,
    TooLittleTax,
    GuarantorIneligible,
}

impl ReasonView {
    pub fn label(self) -> Msg {
        match self {
            ReasonView::JudgmentDefaulter => Msg::LoanReasonJudgmentDefaulter,
            ReasonView::OverdueNow => Msg::LoanReasonOverdueNow,
            ReasonView::OverdueSeries => Msg::LoanReasonOverdueSeries,
            ReasonView::RecentLateMonths => Msg::LoanReasonRecentLateMonths,
            ReasonView::ManyEnquiries => Msg::LoanReasonManyEnquiries,
            ReasonView::DebtBurden => Msg::LoanReasonDebtBurden,
            ReasonView::ShortRelationship => Msg::LoanReasonShortRelationship,
            ReasonView::TooLittleHistory => Msg::LoanReasonTooLittleHistory,
            ReasonView::PoorTaxRating => Msg::LoanReasonPoorTaxRating,
            ReasonView::TaxArrears => Msg::LoanReasonTaxArrears,
            ReasonView::NewBusiness => Msg::LoanReasonNewBusiness,
            ReasonView::TooLittleTax => Msg::LoanReasonTooLittleTax,
            ReasonView::GuarantorIneligible => Msg::LoanReasonGuarantorIneligible,
        }
    }
}

/// A loan product of the customer's bank.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductCard {
    pub code: String,
    pub kind: LoanKindView,
    pub name: Named,
    pub rate: String,
    pub min: String,
    pub max: String,
    pub terms: Vec<u32>,
}

/// Where a loan stands, as the pages word it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoanState {
    Referred,
    Declined,
    Offered,
    Signed,
    Active,
    Repaid,
    Cancelled,
}

impl LoanState {
    pub fn label(self) -> Msg {
        match self {
            LoanState::Referred => Msg::LoanStateReferred,
            LoanState::Declined => Msg::LoanStateDeclined,
            LoanState::Offered => Msg::LoanStateOffered,
            LoanState::Signed => Msg::LoanStateSigned,
            LoanState::Active => Msg::LoanStateActive,
            LoanState::Repaid => Msg::LoanStateRepaid,
            LoanState::Cancelled => Msg::LoanStateCancelled,
        }
    }
}

/// One of the customer's loans in the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanSummary {
    pub id: String,
    pub name: Named,
    pub state: LoanState,
    pub amount: String,
    pub applied: String,
}

/// A loan the customer was asked to guarantee.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuaranteeSummary {
    pub id: String,
    pub name: Named,
    pub state: LoanState,
    pub amount: String,
    /// The borrower's name, masked (张**).
    pub borrower: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoansView {
    pub bank: String,
    pub products: Vec<ProductCard>,
    pub loans: Vec<LoanSummary>,
    pub guarantees: Vec<GuaranteeSummary>,
}

/// A loan as its guarantor reads it: the terms and the whole contract they are asked to sign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuaranteeDetail {
    pub id: String,
    pub name: Named,
    pub state: LoanState,
    pub borrower: String,
    pub amount: String,
    pub rate: String,
    pub months: u32,
    pub method: Option<RepaymentMethod>,
    pub contract: ContractView,
    /// The borrower signed and the guarantor's answer is awaited.
    pub waiting: bool,
}

/// A time deposit the customer may pledge, with what it secures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DepositChoice {
    pub id: String,
    pub principal: String,
    pub matures: String,
    pub max_loan: String,
}

/// The application form's choices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplyForm {
    pub product: ProductCard,
    pub methods: Vec<RepaymentMethod>,
    pub purposes: Vec<PurposeView>,
    pub accounts: Vec<FromOption>,
    pub deposits: Vec<DepositChoice>,
    pub key: String,
}

/// A row of a loan's schedule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueRow {
    pub number: u32,
    pub date: String,
    pub principal: String,
    pub interest: String,
    pub penalty: String,
    pub outstanding: String,
    pub paid: bool,
    pub overdue: bool,
}

/// A credit line's figures.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineView {
    pub limit: String,
    pub drawn: String,
    pub interest: String,
    pub available: String,
    pub ends: String,
    pub ended: bool,
}

/// The contract to read and sign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractView {
    pub text: String,
    /// The first eight characters of its SHA-256, as the SMS quotes them.
    pub digest: String,
    pub version: String,
    /// Where the signing code went, when one is waiting for this contract.
    pub code_sent_to: Option<String>,
    /// A 保证e贷: signing does not pay out yet, the guarantor signs next.
    pub awaits_guarantor: bool,
}

/// One loan with everything its page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanDetail {
    pub id: String,
    pub name: Named,
    pub state: LoanState,
    pub reasons: Vec<ReasonView>,
    /// What was offered, or asked for when nothing was.
    pub amount: String,
    pub rate: String,
    pub months: u32,
    pub method: Option<RepaymentMethod>,
    pub purpose: PurposeView,
    pub contract: Option<ContractView>,
    pub schedule: Vec<DueRow>,
    pub principal_owed: String,
    pub due_now: String,
    pub line: Option<LineView>,
}
