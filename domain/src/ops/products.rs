//! 本地金融产品: the union's product managers keep the province catalogue's rate bands (floor,
//! ceiling, and the rate where a bank sets none); a bank's product managers schedule their own
//! rates within the band, from a day on, and add local products held to the band of the
//! catalogue product of the same term and kind. Rates are never rewritten: a new rate is a new
//! row, and only one not yet in effect may be withdrawn.

use serde::{Deserialize, Serialize};

use super::{Ops, Role, StaffMember};
use crate::audit::Action;
use crate::clock::china_day_start;
use crate::deposit::catalogue::{self, Offer, ScheduledRate};
use crate::error::Refusal;
use crate::institution::PROVINCE_CODE;
use crate::{Error, Input, Result};

/// The highest rate the console accepts, in basis points (20 %): anything above is a typo.
pub const MAX_RATE_BP: i64 = 2_000;

/// A product as the console lists it: the rate in effect today and the rates still to come.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLine {
    pub offer: Offer,
    /// The institution's rates not yet in effect, soonest first.
    pub upcoming: Vec<ScheduledRate>,
    /// The rates that were in effect, newest first (the one in effect now included).
    pub history: Vec<ScheduledRate>,
}

/// A bank's own product.
#[derive(Clone, Debug)]
pub struct NewLocalProduct {
    pub name_zh: String,
    pub name_en: String,
    pub months: u32,
    pub certificate: bool,
    /// Smallest principal, fen; at least the catalogue product's.
    pub min: i64,
    /// Its rate from today, basis points, within the band.
    pub rate_bp: i64,
}

/// `1.55` (per cent, as staff type it) in basis points: at most two decimals, 0 to 20 %.
pub fn parse_rate(text: &str) -> Result<i64> {
    let bad = || Error::invalid(Input::Rate, format!("rate {text:?}"));
    let text = text.trim().trim_end_matches('%').trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !(fraction.is_empty() || digits(fraction)) {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let fraction: i64 = format!("{fraction:0<2}").parse().map_err(|_| bad())?;
    let bp = whole * 100 + fraction;
    if bp > MAX_RATE_BP {
        return Err(bad());
    }
    Ok(bp)
}

fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    let n = name.chars().count();
    if !(2..=40).contains(&n) || name.chars().any(char::is_control) {
        return Err(Error::invalid(
            Input::ProductName,
            format!("{n} characters"),
        ));
    }
    Ok(name.to_string())
}

impl Ops<'_> {
    /// The rate sheet of the member's institution: the union's catalogue with its bands, or a
    /// bank's products (catalogue and local) with the bank's rates, today's and those to come.
    pub async fn rate_sheet(&self, by: &StaffMember) -> Result<Vec<RateLine>> {
        by.require(Role::ProductManager)?;
        let now = self.clock.now();
        let offers = catalogue::offers(self.db, &by.institution, now).await?;
        let mut lines = Vec::with_capacity(offers.len());
        for offer in offers {
            let mut all = if by.is_union() {
                Vec::new()
            } else {
                catalogue::schedule(self.db, &by.institution, &offer.code).await?
            };
            let split = all.iter().take_while(|r| r.effective_from > now).count();
            let history = all.split_off(split);
            all.reverse();
            lines.push(RateLine {
                offer,
                upcoming: all,
                history,
            });
        }
        Ok(lines)
    }

    /// A bank's product as the bank may price it, or "not found" (another bank's local
    /// product, or none).
    async fn priced_by(&self, by: &StaffMember, code: &str) -> Result<Offer> {
        by.require(Role::ProductManager)?;
        if by.is_union() {
            // The union sets bands, not rates.
            return Err(Refusal::NotPermitted.into());
        }
        catalogue::offer(self.db, &by.institution, code, self.clock.now())
            .await?
            .ok_or_else(|| Error::NotFound("deposit product".into()))
    }

    /// Schedules the bank's rate for a product from the start of a Beijing day (today or
    /// later). One rate per product and day: a second for the same day is refused.
    pub async fn schedule_rate(
        &self,
        by: &StaffMember,
        code: &str,
        rate_bp: i64,
        day: i64,
    ) -> Result<()> {
        let offer = self.priced_by(by, code).await?;
        if !(offer.floor_bp..=offer.ceiling_bp).contains(&rate_bp) {
            return Err(Refusal::RateOutsideBand {
                floor_bp: offer.floor_bp,
                ceiling_bp: offer.ceiling_bp,
            }
            .into());
        }
        if day < self.clock.china_day() {
            return Err(Refusal::RateDateInPast.into());
        }
        let effective_from = china_day_start(day);
        let inserted = sqlx::query(
            "INSERT INTO deposit_rates (bank_code, product_code, effective_from, rate_bp, set_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(&by.institution)
        .bind(&offer.code)
        .bind(effective_from)
        .bind(rate_bp)
        .bind(&by.id)
        .bind(self.clock.now())
        .execute(self.db.pool())
        .await?;
        if inserted.rows_affected() == 0 {
            return Err(Refusal::RateScheduleTaken.into());
        }
        self.audit_staff(
            &by.actor(),
            Action::RateScheduled,
            &offer.code,
            &by.institution,
            serde_json::json!({ "rate_bp": rate_bp, "effective_from": effective_from }),
        )
        .await
    }

    /// Withdraws a rate not yet in effect; one already in effect is history and stays.
    pub async fn withdraw_rate(
        &self,
        by: &StaffMember,
        code: &str,
        effective_from: i64,
    ) -> Result<()> {
        let offer = self.priced_by(by, code).await?;
        let deleted = sqlx::query(
            "DELETE FROM deposit_rates WHERE bank_code = $1 AND product_code = $2 \
             AND effective_from = $3 AND effective_from > $4",
        )
        .bind(&by.institution)
        .bind(&offer.code)
        .bind(effective_from)
        .bind(self.clock.now())
        .execute(self.db.pool())
        .await?;
        if deleted.rows_affected() == 0 {
            return Err(Error::NotFound("scheduled rate".into()));
        }
        self.audit_staff(
            &by.actor(),
            Action::RateWithdrawn,
            &offer.code,
            &by.institution,
            serde_json::json!({ "effective_from": effective_from }),
        )
        .await
    }

    /// Adds a bank's own product (its code is returned), priced from today within the band of
    /// the catalogue product of the same term and kind.
    pub async fn add_local_product(
        &self,
        by: &StaffMember,
        new: &NewLocalProduct,
    ) -> Result<String> {
        by.require(Role::ProductManager)?;
        if by.is_union() {
            return Err(Refusal::NotPermitted.into());
        }
        let (name_zh, name_en) = (check_name(&new.name_zh)?, check_name(&new.name_en)?);
        let twin = catalogue::offers(self.db, PROVINCE_CODE, self.clock.now())
            .await?
            .into_iter()
            .find(|p| p.months == new.months && p.certificate == new.certificate)
            .ok_or_else(|| Error::invalid(Input::Choice, format!("term {} months", new.months)))?;
        if new.min < twin.min {
            return Err(Refusal::BelowMinimum { min: twin.min }.into());
        }
        if !(twin.floor_bp..=twin.ceiling_bp).contains(&new.rate_bp) {
            return Err(Refusal::RateOutsideBand {
                floor_bp: twin.floor_bp,
                ceiling_bp: twin.ceiling_bp,
            }
            .into());
        }
        let id = crate::id::new_id().replace('-', "");
        let code = format!("{}-{}", by.institution, &id[id.len() - 8..]).to_uppercase();
        sqlx::query(
            "INSERT INTO deposit_products (code, owner, months, min_fen, certificate, name_zh, name_en, \
             floor_bp, ceiling_bp, default_bp, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&code)
        .bind(&by.institution)
        .bind(i64::from(new.months))
        .bind(new.min)
        .bind(i64::from(new.certificate))
        .bind(&name_zh)
        .bind(&name_en)
        .bind(twin.floor_bp)
        .bind(twin.ceiling_bp)
        .bind(new.rate_bp)
        .bind(&by.id)
        .bind(self.clock.now())
        .execute(self.db.pool())
        .await?;
        self.audit_staff(
            &by.actor(),
            Action::LocalProductAdded,
            &code,
            &by.institution,
            serde_json::json!({ "months": new.months, "rate_bp": new.rate_bp }),
        )
        .await?;
        Ok(code)
    }

    /// The union sets a catalogue product's band and default rate (and the band of the banks'
    /// local products of the same term and kind). Refused while any bank's rate in effect or
    /// to come would fall outside it: the banks change theirs first.
    pub async fn set_band(
        &self,
        by: &StaffMember,
        code: &str,
        floor_bp: i64,
        ceiling_bp: i64,
        default_bp: i64,
    ) -> Result<()> {
        by.require(Role::ProductManager)?;
        if !by.is_union() {
            return Err(Refusal::NotPermitted.into());
        }
        if !(0 <= floor_bp
            && floor_bp <= default_bp
            && default_bp <= ceiling_bp
            && ceiling_bp <= MAX_RATE_BP)
        {
            return Err(Error::invalid(Input::Rate, "band out of order".into()));
        }
        let product = catalogue::offer(self.db, PROVINCE_CODE, code, self.clock.now())
            .await?
            .filter(|p| !p.local)
            .ok_or_else(|| Error::NotFound("deposit product".into()))?;
        let banks = self.banks_outside(&product, floor_bp, ceiling_bp).await?;
        if banks > 0 {
            return Err(Refusal::BandExcludesRates { banks }.into());
        }
        let mut tx = self.db.pool().begin().await?;
        sqlx::query(
            "UPDATE deposit_products SET floor_bp = $1, ceiling_bp = $2, default_bp = $3 WHERE code = $4",
        )
        .bind(floor_bp)
        .bind(ceiling_bp)
        .bind(default_bp)
        .bind(&product.code)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE deposit_products SET floor_bp = $1, ceiling_bp = $2 \
             WHERE owner <> $3 AND months = $4 AND certificate = $5",
        )
        .bind(floor_bp)
        .bind(ceiling_bp)
        .bind(PROVINCE_CODE)
        .bind(i64::from(product.months))
        .bind(i64::from(product.certificate))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.audit_staff(
            &by.actor(),
            Action::RateBandSet,
            &product.code,
            &by.institution,
            serde_json::json!({ "floor_bp": floor_bp, "ceiling_bp": ceiling_bp, "default_bp": default_bp }),
        )
        .await
    }

    /// How many banks price the catalogue product, or a local product of its term and kind,
    /// outside a band: by a rate in effect now or one to come, or by a local product's own
    /// starting rate where no rate is set.
    async fn banks_outside(&self, product: &Offer, floor_bp: i64, ceiling_bp: i64) -> Result<i64> {
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT bank) FROM ( \
               SELECT r.bank_code AS bank FROM deposit_rates r \
               JOIN deposit_products p ON p.code = r.product_code \
               WHERE p.months = $1 AND p.certificate = $2 AND (r.rate_bp < $3 OR r.rate_bp > $4) \
                 AND (r.effective_from > $5 OR r.effective_from = ( \
                   SELECT MAX(q.effective_from) FROM deposit_rates q \
                   WHERE q.bank_code = r.bank_code AND q.product_code = r.product_code \
                     AND q.effective_from <= $5)) \
               UNION \
               SELECT p.owner AS bank FROM deposit_products p \
               WHERE p.owner <> $6 AND p.months = $1 AND p.certificate = $2 \
                 AND (p.default_bp < $3 OR p.default_bp > $4) \
                 AND NOT EXISTS (SELECT 1 FROM deposit_rates q WHERE q.product_code = p.code \
                   AND q.effective_from <= $5) \
             ) outside",
        )
        .bind(i64::from(product.months))
        .bind(i64::from(product.certificate))
        .bind(floor_bp)
        .bind(ceiling_bp)
        .bind(self.clock.now())
        .bind(PROVINCE_CODE)
        .fetch_one(self.db.pool())
        .await?;
        Ok(count)
    }
}
