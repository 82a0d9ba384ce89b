//! The products a bank's customers can open, with the bank's rate in effect: the province
//! catalogue (owner `P000`) plus the bank's own local products. A bank's rate for a product is
//! its latest scheduled rate not in the future, else the catalogue's default.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::clock::Millis;
use crate::db::get_i64;
use crate::institution::PROVINCE_CODE;
use crate::{Db, Result};

/// A product as offered to one bank's customers at one moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub code: String,
    pub months: u32,
    /// Smallest principal, fen.
    pub min: i64,
    /// 大额存单 rather than 整存整取.
    pub certificate: bool,
    pub name_zh: String,
    pub name_en: String,
    /// The rate in effect, basis points.
    pub rate_bp: i64,
    /// The province's band for it.
    pub floor_bp: i64,
    pub ceiling_bp: i64,
    pub default_bp: i64,
    /// The bank's own product, not the catalogue's.
    pub local: bool,
}

const OFFER_COLUMNS: &str =
    "p.code, p.owner, p.months, p.min_fen, p.certificate, p.name_zh, p.name_en, \
     p.floor_bp, p.ceiling_bp, p.default_bp, \
     (SELECT r.rate_bp FROM deposit_rates r WHERE r.bank_code = $1 AND r.product_code = p.code \
        AND r.effective_from <= $2 ORDER BY r.effective_from DESC LIMIT 1) AS bank_bp";

fn offer_from(row: &sqlx::any::AnyRow) -> Result<Offer> {
    let default_bp = get_i64(row, "default_bp")?;
    let bank_bp = crate::db::get_opt_i64(row, "bank_bp")?;
    let owner: String = row.try_get("owner")?;
    Ok(Offer {
        code: row.try_get("code")?,
        months: u32::try_from(get_i64(row, "months")?).unwrap_or(12),
        min: get_i64(row, "min_fen")?,
        certificate: get_i64(row, "certificate")? != 0,
        name_zh: row.try_get("name_zh")?,
        name_en: row.try_get("name_en")?,
        rate_bp: bank_bp.unwrap_or(default_bp),
        floor_bp: get_i64(row, "floor_bp")?,
        ceiling_bp: get_i64(row, "ceiling_bp")?,
        default_bp,
        local: owner != PROVINCE_CODE,
    })
}

/// Every product a bank's customers can open at `at`: certificates after lump-sum deposits,
/// shortest term first.
pub async fn offers(db: &Db, bank_code: &str, at: Millis) -> Result<Vec<Offer>> {
    let rows = sqlx::query(&format!(
        "SELECT {OFFER_COLUMNS} FROM deposit_products p WHERE p.owner = $3 OR p.owner = $1 \
         ORDER BY p.certificate, p.months, p.owner, p.code"
    ))
    .bind(bank_code)
    .bind(at)
    .bind(PROVINCE_CODE)
    .fetch_all(db.pool())
    .await?;
    rows.iter().map(offer_from).collect()
}

/// One product for a bank's customers, if they may open it.
pub async fn offer(db: &Db, bank_code: &str, code: &str, at: Millis) -> Result<Option<Offer>> {
    let row = sqlx::query(&format!(
        "SELECT {OFFER_COLUMNS} FROM deposit_products p WHERE (p.owner = $3 OR p.owner = $1) AND p.code = $4"
    ))
    .bind(bank_code)
    .bind(at)
    .bind(PROVINCE_CODE)
    .bind(code)
    .fetch_optional(db.pool())
    .await?;
    row.as_ref().map(offer_from).transpose()
}

/// A product's term in months and its names (for deposits already opened, whoever owns it).
pub async fn describe(db: &Db, code: &str) -> Result<Option<(u32, String, String)>> {
    let row = sqlx::query("SELECT months, name_zh, name_en FROM deposit_products WHERE code = $1")
        .bind(code)
        .fetch_optional(db.pool())
        .await?;
    row.map(|r| {
        Ok((
            u32::try_from(get_i64(&r, "months")?).unwrap_or(12),
            r.try_get("name_zh")?,
            r.try_get("name_en")?,
        ))
    })
    .transpose()
}

/// A rate a bank set for a product, from a moment on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledRate {
    pub effective_from: Millis,
    pub rate_bp: i64,
    pub set_by: String,
}

/// A bank's rates for a product, newest first (the ones to come and the history).
pub async fn schedule(db: &Db, bank_code: &str, code: &str) -> Result<Vec<ScheduledRate>> {
    let rows = sqlx::query(
        "SELECT effective_from, rate_bp, set_by FROM deposit_rates WHERE bank_code = $1 AND product_code = $2 \
         ORDER BY effective_from DESC",
    )
    .bind(bank_code)
    .bind(code)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ScheduledRate {
                effective_from: get_i64(r, "effective_from")?,
                rate_bp: get_i64(r, "rate_bp")?,
                set_by: r.try_get("set_by")?,
            })
        })
        .collect()
}
