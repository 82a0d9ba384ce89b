//! The loans desk of the operators' console: the loan products' rate sheet (the union's
//! product managers keep each catalogue product's band and default rate; a bank's schedule the
//! bank's own rate within the band, from a day on, never rewriting one already in effect), and
//! the portfolio per bank (what is lent and owed, what was paid out this month, what is
//! overdue). Every action is the staff member's institution's only and audited.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::book::Status;
use super::products::{self, LoanOffer};
use super::Loans;
use crate::audit::Action;
use crate::clock::{china_day_start, Millis};
use crate::db::get_i64;
use crate::error::Refusal;
use crate::identity::Date;
use crate::institution::PROVINCE_CODE;
use crate::ops::{Role, StaffMember, MAX_RATE_BP};
use crate::{Error, Input, Result};

/// A bank's rate for a loan product from a moment on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanRate {
    pub effective_from: Millis,
    pub rate_bp: i64,
}

/// A loan product as the console lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanRateLine {
    /// With the rate in effect today for the member's bank (the default for the union).
    pub offer: LoanOffer,
    /// The bank's rates not yet in effect, soonest first.
    pub upcoming: Vec<LoanRate>,
    /// The bank's rates that were in effect, newest first.
    pub history: Vec<LoanRate>,
}

/// One bank's loans at a glance, fen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Portfolio {
    pub bank_code: String,
    /// Loans being repaid (credit lines open).
    pub active: i64,
    /// Principal owed on them.
    pub outstanding: i64,
    /// Paid out since the start of this month (loans and credit-line draws).
    pub disbursed_this_month: i64,
    /// What is still owed on loans with an instalment past its due day (or a credit line past
    /// its end): the whole balance of each, as banks report 逾期贷款.
    pub overdue: i64,
    /// Loans (and lines) counted in `overdue`.
    pub overdue_loans: i64,
}

impl Portfolio {
    /// `overdue / outstanding` in hundredths of a per cent (basis points), rounded half up.
    pub fn overdue_ratio_bp(&self) -> i64 {
        if self.outstanding <= 0 {
            return 0;
        }
        crate::money::div_half_up(
            i128::from(self.overdue) * 10_000,
            i128::from(self.outstanding),
        ) as i64
    }
}

/// The first China day of the month `day` is in.
fn month_start(day: i64) -> i64 {
    day - i64::from(Date::from_days(day).day) + 1
}

impl Loans<'_> {
    /// The loan products of the member's institution: the catalogue (and a bank's own) with the
    /// bank's rates, or for the union the catalogue with its bands.
    pub async fn rate_sheet(&self, by: &StaffMember) -> Result<Vec<LoanRateLine>> {
        by.require(Role::ProductManager)?;
        let now = self.clock.now();
        let mut lines = Vec::new();
        for offer in products::offers(self.db, &by.institution, now).await? {
            let mut all = if by.is_union() {
                Vec::new()
            } else {
                self.rates_of(&by.institution, &offer.code).await?
            };
            let split = all.iter().take_while(|r| r.effective_from > now).count();
            let history = all.split_off(split);
            all.reverse();
            lines.push(LoanRateLine {
                offer,
                upcoming: all,
                history,
            });
        }
        Ok(lines)
    }

    /// A bank's rates of a product, newest first.
    async fn rates_of(&self, bank: &str, code: &str) -> Result<Vec<LoanRate>> {
        sqlx::query(
            "SELECT effective_from, rate_bp FROM loan_rates WHERE bank_code = $1 \
             AND product_code = $2 ORDER BY effective_from DESC",
        )
        .bind(bank)
        .bind(code)
        .fetch_all(self.db.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(LoanRate {
                effective_from: get_i64(r, "effective_from")?,
                rate_bp: get_i64(r, "rate_bp")?,
            })
        })
        .collect()
    }

    /// The product as a bank's product manager may price it.
    async fn priced_by(&self, by: &StaffMember, code: &str) -> Result<LoanOffer> {
        by.require(Role::ProductManager)?;
        if by.is_union() {
            // The union sets bands, not rates.
            return Err(Refusal::NotPermitted.into());
        }
        products::offer(self.db, &by.institution, code, self.clock.now()).await
    }

    /// Schedules the bank's rate for a loan product from the start of a Beijing day (today or
    /// later), within the band; one per product and day. Loans already offered keep theirs.
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
            "INSERT INTO loan_rates (bank_code, product_code, effective_from, rate_bp, set_by, \
               created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
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
        self.audit_desk(
            by,
            Action::RateScheduled,
            &offer.code,
            serde_json::json!({ "loan": true, "rate_bp": rate_bp, "effective_from": effective_from }),
        )
        .await
    }

    /// Withdraws a rate not yet in effect; one in effect is history and stays.
    pub async fn withdraw_rate(
        &self,
        by: &StaffMember,
        code: &str,
        effective_from: Millis,
    ) -> Result<()> {
        let offer = self.priced_by(by, code).await?;
        let deleted = sqlx::query(
            "DELETE FROM loan_rates WHERE bank_code = $1 AND product_code = $2 \
             AND effective_from = $3 AND effective_from > $4",
        )
        .bind(&by.institution)
        .bind(&offer.code)
        .bind(effective_from)
        .bind(self.clock.now())
        .execute(self.db.pool())
        .await?;
        if deleted.rows_affected() == 0 {
            return Err(Error::NotFound("scheduled loan rate".into()));
        }
        self.audit_desk(
            by,
            Action::RateWithdrawn,
            &offer.code,
            serde_json::json!({ "loan": true, "effective_from": effective_from }),
        )
        .await
    }

    /// The union sets a catalogue loan product's band and default rate; refused while a bank's
    /// rate in effect or to come would fall outside it (the banks move theirs first).
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
        let product = products::offer(self.db, PROVINCE_CODE, code, self.clock.now()).await?;
        let banks: i64 = get_i64(
            &sqlx::query(
                "SELECT COUNT(DISTINCT r.bank_code) AS n FROM loan_rates r \
                 WHERE r.product_code = $1 AND (r.rate_bp < $2 OR r.rate_bp > $3) \
                   AND (r.effective_from > $4 OR r.effective_from = ( \
                     SELECT MAX(q.effective_from) FROM loan_rates q \
                     WHERE q.bank_code = r.bank_code AND q.product_code = r.product_code \
                       AND q.effective_from <= $4))",
            )
            .bind(&product.code)
            .bind(floor_bp)
            .bind(ceiling_bp)
            .bind(self.clock.now())
            .fetch_one(self.db.pool())
            .await?,
            "n",
        )?;
        if banks > 0 {
            return Err(Refusal::BandExcludesRates { banks }.into());
        }
        sqlx::query(
            "UPDATE loan_products SET floor_bp = $1, ceiling_bp = $2, default_bp = $3 \
             WHERE code = $4 AND owner = $5",
        )
        .bind(floor_bp)
        .bind(ceiling_bp)
        .bind(default_bp)
        .bind(&product.code)
        .bind(PROVINCE_CODE)
        .execute(self.db.pool())
        .await?;
        self.audit_desk(
            by,
            Action::RateBandSet,
            &product.code,
            serde_json::json!({ "loan": true, "floor_bp": floor_bp, "ceiling_bp": ceiling_bp, "default_bp": default_bp }),
        )
        .await
    }

    /// The portfolio of the member's bank, or of every bank with loans for the union; for a
    /// credit officer, a product manager or an administrator.
    pub async fn portfolio(&self, by: &StaffMember) -> Result<Vec<Portfolio>> {
        let allowed = [Role::CreditOfficer, Role::ProductManager, Role::Admin]
            .into_iter()
            .any(|r| by.require(r).is_ok());
        if !allowed {
            return Err(Refusal::NotPermitted.into());
        }
        let today = self.clock.china_day();
        let scope = if by.is_union() {
            ""
        } else {
            "AND l.bank_code = $3"
        };
        // Principal owed is each loan account's balance below zero; a loan is overdue when an
        // instalment is unpaid after its due day, a credit line when it has ended unpaid.
        let owed_sql = format!(
            "SELECT l.bank_code, COUNT(*) AS active, CAST(COALESCE(SUM(-a.balance), 0) AS BIGINT) AS outstanding, \
               CAST(COALESCE(SUM(CASE WHEN {overdue} THEN -a.balance ELSE 0 END), 0) AS BIGINT) \
                 AS overdue, \
               CAST(COALESCE(SUM(CASE WHEN {overdue} THEN 1 ELSE 0 END), 0) AS BIGINT) \
                 AS overdue_loans \
             FROM loans l JOIN accounts a ON a.id = l.loan_account_id \
             WHERE l.status = $2 {scope} GROUP BY l.bank_code ORDER BY l.bank_code",
            overdue = "((l.kind <> 'credit_line' AND l.next_due_day < $1) \
                 OR (l.kind = 'credit_line' AND l.ends_day < $1 AND a.balance < 0))"
        );
        let mut owed = sqlx::query(&owed_sql)
            .bind(today)
            .bind(Status::Active.as_str());
        // What a loan account paid out (a debit: below zero) is a disbursement or a draw.
        let paid_sql = format!(
            "SELECT l.bank_code, CAST(COALESCE(SUM(-p.amount), 0) AS BIGINT) AS disbursed \
             FROM loans l JOIN postings p ON p.account_id = l.loan_account_id \
             WHERE p.amount < 0 AND p.created_at >= $1 AND l.status <> $2 {scope} \
             GROUP BY l.bank_code"
        );
        let mut paid_out = sqlx::query(&paid_sql)
            .bind(china_day_start(month_start(today)))
            .bind(Status::Declined.as_str());
        if !by.is_union() {
            owed = owed.bind(&by.institution);
            paid_out = paid_out.bind(&by.institution);
        }
        let owed = owed.fetch_all(self.db.pool()).await?;
        let paid_out = paid_out.fetch_all(self.db.pool()).await?;
        let mut all: Vec<Portfolio> = owed
            .iter()
            .map(|r| {
                Ok(Portfolio {
                    bank_code: r.try_get("bank_code")?,
                    active: get_i64(r, "active")?,
                    outstanding: get_i64(r, "outstanding")?,
                    overdue: get_i64(r, "overdue")?,
                    overdue_loans: get_i64(r, "overdue_loans")?,
                    disbursed_this_month: 0,
                })
            })
            .collect::<Result<_>>()?;
        for r in &paid_out {
            let bank: String = r.try_get("bank_code")?;
            let amount = get_i64(r, "disbursed")?;
            match all.iter_mut().find(|p| p.bank_code == bank) {
                Some(p) => p.disbursed_this_month = amount,
                None => all.push(Portfolio {
                    bank_code: bank,
                    disbursed_this_month: amount,
                    ..Portfolio::default()
                }),
            }
        }
        if all.is_empty() && !by.is_union() {
            all.push(Portfolio {
                bank_code: by.institution.clone(),
                ..Portfolio::default()
            });
        }
        all.sort_by(|a, b| a.bank_code.cmp(&b.bank_code));
        Ok(all)
    }

    async fn audit_desk(
        &self,
        by: &StaffMember,
        action: Action,
        code: &str,
        detail: serde_json::Value,
    ) -> Result<()> {
        let mut detail = detail;
        detail["institution"] = serde_json::Value::String(by.institution.clone());
        crate::audit::append(
            self.db,
            self.clock,
            crate::audit::Entry {
                actor: &by.actor(),
                action,
                subject: code,
                detail,
            },
        )
        .await
        .map(|_| ())
    }
}
