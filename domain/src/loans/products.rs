//! The loans a bank's customers can apply for, with the bank's rate in effect: the province
//! catalogue (owner `P000`) plus the bank's own products. A bank's rate is its latest
//! scheduled rate not in the future, else the catalogue's default.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::schedule::{Method, Terms};
use crate::clock::Millis;
use crate::db::{get_i64, get_opt_i64};
use crate::institution::PROVINCE_CODE;
use crate::{Db, Error, Input, Result};

/// The four online loans of the province.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LoanKind {
    /// 信e贷: a revolving credit line, drawn and repaid at any time, interest daily.
    CreditLine,
    /// 保证e贷: a term loan with another customer as joint guarantor.
    Guaranteed,
    /// 质押e贷: a term loan against the borrower's own time deposit, frozen while it lasts.
    Pledged,
    /// 税e贷: a term loan for a small business, its limit from the tax it paid.
    Tax,
}

impl LoanKind {
    pub fn slug(self) -> &'static str {
        match self {
            LoanKind::CreditLine => "credit_line",
            LoanKind::Guaranteed => "guaranteed",
            LoanKind::Pledged => "pledged",
            LoanKind::Tax => "tax",
        }
    }

    pub(crate) fn from_slug(slug: &str) -> Result<LoanKind> {
        [
            LoanKind::CreditLine,
            LoanKind::Guaranteed,
            LoanKind::Pledged,
            LoanKind::Tax,
        ]
        .into_iter()
        .find(|k| k.slug() == slug)
        .ok_or_else(|| Error::Internal(format!("loan kind {slug:?} in the catalogue")))
    }
}

/// What a loan is for: the rural purposes the province lends to, and the household.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Purpose {
    /// 种植: seed, land, labour for crops.
    Planting,
    /// 养殖: livestock, poultry, fish.
    Breeding,
    /// 农机购置: farm machinery.
    Machinery,
    /// 农资: fertiliser, feed, pesticide.
    Inputs,
    /// 经营: a shop's or a workshop's working capital.
    Business,
    /// 家庭消费: the household (furniture, schooling, a wedding).
    Household,
}

impl Purpose {
    pub const ALL: [Purpose; 6] = [
        Purpose::Planting,
        Purpose::Breeding,
        Purpose::Machinery,
        Purpose::Inputs,
        Purpose::Business,
        Purpose::Household,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Purpose::Planting => "planting",
            Purpose::Breeding => "breeding",
            Purpose::Machinery => "machinery",
            Purpose::Inputs => "inputs",
            Purpose::Business => "business",
            Purpose::Household => "household",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.slug() == slug)
    }
}

/// A loan product as offered to one bank's customers at one moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanOffer {
    pub code: String,
    pub kind: LoanKind,
    pub name_zh: String,
    pub name_en: String,
    /// Smallest and largest amount, fen.
    pub min: i64,
    pub max: i64,
    /// Terms offered, months, shortest first.
    pub terms: Vec<u32>,
    /// Repayment methods offered (none for a credit line: daily interest, repaid any time).
    pub methods: Vec<Method>,
    pub purposes: Vec<Purpose>,
    /// The rate in effect, basis points.
    pub rate_bp: i64,
    pub floor_bp: i64,
    pub ceiling_bp: i64,
    pub default_bp: i64,
    /// A pledge loan's largest share of the pledged principal, per cent.
    pub pledge_pct: i64,
    pub grace_days: i64,
    /// The penalty rate on overdue principal, per cent of the contract rate.
    pub penalty_pct: i64,
    /// The bank's own product, not the catalogue's.
    pub local: bool,
}

impl LoanOffer {
    /// The schedule terms of a request for this product: the amount within its range, a term
    /// and a method it offers, a purpose it lends for; refused by field otherwise.
    pub fn terms_for(
        &self,
        amount: i64,
        months: u32,
        method: Method,
        purpose: Purpose,
    ) -> Result<Terms> {
        if !(self.min..=self.max).contains(&amount) {
            return Err(Error::invalid(
                Input::LoanAmount,
                format!(
                    "{} fen outside {}..={} of {}",
                    amount, self.min, self.max, self.code
                ),
            ));
        }
        if !self.terms.contains(&months) {
            return Err(Error::invalid(
                Input::LoanTerm,
                format!("{months} months not offered by {}", self.code),
            ));
        }
        if !self.methods.contains(&method) {
            return Err(Error::invalid(
                Input::LoanMethod,
                format!("{method:?} not offered by {}", self.code),
            ));
        }
        if !self.purposes.contains(&purpose) {
            return Err(Error::invalid(
                Input::LoanPurpose,
                format!("{purpose:?} not lent for by {}", self.code),
            ));
        }
        Terms::new(amount, self.rate_bp, months, method)
    }

    /// The penalty rate on overdue principal, basis points (the contract rate × 1.5 unless
    /// the product says otherwise), rounded half up.
    pub fn penalty_rate_bp(&self, contract_bp: i64) -> i64 {
        crate::money::div_half_up(i128::from(contract_bp * self.penalty_pct), 100) as i64
    }
}

const OFFER_COLUMNS: &str =
    "p.code, p.owner, p.kind, p.name_zh, p.name_en, p.min_fen, p.max_fen, p.terms, p.methods, \
     p.purposes, p.floor_bp, p.ceiling_bp, p.default_bp, p.pledge_pct, p.grace_days, p.penalty_pct, \
     (SELECT r.rate_bp FROM loan_rates r WHERE r.bank_code = $1 AND r.product_code = p.code \
        AND r.effective_from <= $2 ORDER BY r.effective_from DESC LIMIT 1) AS bank_bp";

/// A comma-separated list from the catalogue, each item read by `parse`; an item it cannot
/// read is a broken catalogue row, not a customer's mistake.
fn list<T>(text: &str, what: &str, parse: impl Fn(&str) -> Option<T>) -> Result<Vec<T>> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            parse(s).ok_or_else(|| Error::Internal(format!("loan {what} {s:?} in the catalogue")))
        })
        .collect()
}

fn offer_from(row: &sqlx::any::AnyRow) -> Result<LoanOffer> {
    let default_bp = get_i64(row, "default_bp")?;
    let owner: String = row.try_get("owner")?;
    let kind: String = row.try_get("kind")?;
    let mut terms = list(&row.try_get::<String, _>("terms")?, "term", |s| {
        s.parse::<u32>().ok()
    })?;
    terms.sort_unstable();
    Ok(LoanOffer {
        code: row.try_get("code")?,
        kind: LoanKind::from_slug(&kind)?,
        name_zh: row.try_get("name_zh")?,
        name_en: row.try_get("name_en")?,
        min: get_i64(row, "min_fen")?,
        max: get_i64(row, "max_fen")?,
        terms,
        methods: list(&row.try_get::<String, _>("methods")?, "method", |s| {
            Method::from_slug(s).ok()
        })?,
        purposes: list(
            &row.try_get::<String, _>("purposes")?,
            "purpose",
            Purpose::from_slug,
        )?,
        rate_bp: get_opt_i64(row, "bank_bp")?.unwrap_or(default_bp),
        floor_bp: get_i64(row, "floor_bp")?,
        ceiling_bp: get_i64(row, "ceiling_bp")?,
        default_bp,
        pledge_pct: get_i64(row, "pledge_pct")?,
        grace_days: get_i64(row, "grace_days")?,
        penalty_pct: get_i64(row, "penalty_pct")?,
        local: owner != PROVINCE_CODE,
    })
}

/// Every loan a bank's customers can apply for at `at`: the catalogue's first.
pub async fn offers(db: &Db, bank_code: &str, at: Millis) -> Result<Vec<LoanOffer>> {
    let rows = sqlx::query(&format!(
        "SELECT {OFFER_COLUMNS} FROM loan_products p WHERE p.owner = $3 OR p.owner = $1 \
         ORDER BY CASE WHEN p.owner = $3 THEN 0 ELSE 1 END, p.code"
    ))
    .bind(bank_code)
    .bind(at)
    .bind(PROVINCE_CODE)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(offer_from).collect()
}

/// One loan product for a bank's customers; not found if they may not apply for it.
pub async fn offer(db: &Db, bank_code: &str, code: &str, at: Millis) -> Result<LoanOffer> {
    let row = sqlx::query(&format!(
        "SELECT {OFFER_COLUMNS} FROM loan_products p WHERE (p.owner = $3 OR p.owner = $1) AND p.code = $4"
    ))
    .bind(bank_code)
    .bind(at)
    .bind(PROVINCE_CODE)
    .bind(code)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref()
        .map(offer_from)
        .transpose()?
        .ok_or_else(|| Error::NotFound(format!("loan product {code} for {bank_code}")))
}
