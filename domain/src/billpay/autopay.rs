//! 自动缴费: a saved number's bill paid by itself when it comes, from the account the customer
//! chose, up to a monthly cap they set. The bills worker finds the bill (see
//! [`super::reminders`]); within the cap it pays with the key `autopay:<number>:<period>`, so a
//! period is paid at most once whatever retries or nodes; above the cap, or when the payment is
//! refused (not enough money), the customer gets a reminder saying so instead.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::{Kind, Rule, MAX_PAYMENT, MIN_PARTIAL};
use crate::account::Accounts;
use crate::clock::{Clock, Millis};
use crate::error::Refusal;
use crate::identity::{Binding, Purpose};
use crate::pii::KeyRing;
use crate::sms::SmsGateway;
use crate::{Db, Error, Result};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoPaySetting {
    pub household_id: String,
    pub from_account_id: String,
    /// The most paid automatically for this number in one calendar month (fen).
    pub monthly_cap: i64,
    pub updated_at: Millis,
}

/// Kinds whose bills can pay themselves: a bill with an amount (not top-ups, not yearly grades
/// the payer chooses).
pub fn available_for(kind: Kind) -> bool {
    matches!(kind.rule(), Rule::Exact | Rule::Partial)
}

/// The idempotency key of the automatic payment of one number's bill for one period.
pub fn key(household_id: &str, period: &str) -> String {
    format!("autopay:{household_id}:{period}")
}

/// The binding of a mandate's step-up code: customer, cap and saved number.
fn binding(customer_id: &str, household_id: &str, monthly_cap: i64) -> Binding {
    Binding::to_operation(customer_id, "autopay", monthly_cap, household_id)
}

/// The columns [`setting`] reads.
const SETTING_COLUMNS: &str = "household_id, from_account_id, monthly_cap, updated_at";

fn setting(r: &sqlx::any::AnyRow) -> Result<AutoPaySetting> {
    Ok(AutoPaySetting {
        household_id: r.try_get("household_id")?,
        from_account_id: r.try_get("from_account_id")?,
        monthly_cap: crate::db::get_i64(r, "monthly_cap")?,
        updated_at: crate::db::get_i64(r, "updated_at")?,
    })
}

#[derive(Clone, Copy)]
pub struct AutoPays<'a> {
    pub db: &'a Db,
    pub clock: &'a dyn Clock,
    /// For the step-up codes a new or raised mandate needs.
    pub keys: &'a KeyRing,
}

impl AutoPays<'_> {
    /// Turns automatic payment on for one of the customer's saved numbers, or changes it. A
    /// new mandate, or a higher cap, lets money leave without the customer each month: it
    /// needs the SMS code [`AutoPays::send_step_up`] sent, bound to the number and the cap.
    /// Lowering the cap or changing the account (to another of the customer's) needs none.
    pub async fn set(
        &self,
        customer_id: &str,
        household_id: &str,
        from_account_id: &str,
        monthly_cap: i64,
        step_up_code: Option<&str>,
    ) -> Result<AutoPaySetting> {
        let row = sqlx::query("SELECT kind FROM households WHERE id = $1 AND customer_id = $2")
            .bind(household_id)
            .bind(customer_id)
            .fetch_optional(self.db.pool())
            .await?
            .ok_or_else(|| Error::NotFound("household".into()))?;
        let kind: String = row.try_get("kind")?;
        if !Kind::from_slug(&kind).is_some_and(available_for) {
            return Err(Refusal::AutoPayNotAvailable.into());
        }
        if !(MIN_PARTIAL..=MAX_PAYMENT).contains(&monthly_cap) {
            return Err(Refusal::BillAmountOutOfRange {
                min: MIN_PARTIAL,
                max: MAX_PAYMENT,
            }
            .into());
        }
        // The customer's own account (someone else's is "not found").
        Accounts {
            db: self.db,
            clock: self.clock,
        }
        .get_owned(customer_id, from_account_id)
        .await?;
        if self
            .needs_step_up(customer_id, household_id, monthly_cap)
            .await?
        {
            let code = step_up_code
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .ok_or(Refusal::StepUpRequired)?;
            let mobile = self.identity().mobile_of(customer_id).await?;
            self.otp()
                .verify(
                    &mobile,
                    Purpose::StepUp,
                    &binding(customer_id, household_id, monthly_cap),
                    code,
                )
                .await?;
        }
        let now = self.clock.now();
        sqlx::query(
            "INSERT INTO bill_autopay (household_id, customer_id, from_account_id, monthly_cap, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (household_id) DO UPDATE SET \
             from_account_id = excluded.from_account_id, monthly_cap = excluded.monthly_cap, \
             updated_at = excluded.updated_at",
        )
        .bind(household_id)
        .bind(customer_id)
        .bind(from_account_id)
        .bind(monthly_cap)
        .bind(now)
        .execute(self.db.pool())
        .await?;
        Ok(AutoPaySetting {
            household_id: household_id.into(),
            from_account_id: from_account_id.into(),
            monthly_cap,
            updated_at: now,
        })
    }

    /// Whether setting this cap needs a step-up: no mandate yet, or a higher cap than now.
    pub async fn needs_step_up(
        &self,
        customer_id: &str,
        household_id: &str,
        monthly_cap: i64,
    ) -> Result<bool> {
        let current = sqlx::query_scalar::<_, i64>(
            "SELECT monthly_cap FROM bill_autopay WHERE household_id = $1 AND customer_id = $2",
        )
        .bind(household_id)
        .bind(customer_id)
        .fetch_optional(self.db.pool())
        .await?;
        Ok(current.is_none_or(|cap| monthly_cap > cap))
    }

    /// Sends the code for a new or raised mandate; the SMS names the number's tail and the cap.
    pub async fn send_step_up(
        &self,
        sms: &dyn SmsGateway,
        customer_id: &str,
        household_id: &str,
        monthly_cap: i64,
    ) -> Result<()> {
        let number: String =
            sqlx::query_scalar("SELECT number FROM households WHERE id = $1 AND customer_id = $2")
                .bind(household_id)
                .bind(customer_id)
                .fetch_optional(self.db.pool())
                .await?
                .ok_or_else(|| Error::NotFound("household".into()))?;
        let mobile = self.identity().mobile_of(customer_id).await?;
        let cap = crate::money::format_yuan(monthly_cap);
        let tail = super::household_tail(&number);
        self.otp()
            .issue(
                sms,
                &mobile,
                Purpose::StepUp,
                &binding(customer_id, household_id, monthly_cap),
                |code| {
                    format!("【农商银行】您正在为户号尾号{tail}开通自动缴费，每月最多{cap}，验证码 {code}，5 分钟内有效。请勿告诉任何人。")
                },
            )
            .await
    }

    fn identity(&self) -> crate::identity::Identity<'_> {
        crate::identity::Identity {
            db: self.db,
            clock: self.clock,
            keys: self.keys,
        }
    }

    fn otp(&self) -> crate::identity::Otp<'_> {
        crate::identity::Otp {
            db: self.db,
            clock: self.clock,
            keys: self.keys,
        }
    }

    /// Turns it off; already off is fine.
    pub async fn remove(&self, customer_id: &str, household_id: &str) -> Result<()> {
        // Someone else's number is "not found"; one's own without a mandate is already off.
        sqlx::query("SELECT 1 AS one FROM households WHERE id = $1 AND customer_id = $2")
            .bind(household_id)
            .bind(customer_id)
            .fetch_optional(self.db.pool())
            .await?
            .ok_or_else(|| Error::NotFound("household".into()))?;
        sqlx::query("DELETE FROM bill_autopay WHERE household_id = $1 AND customer_id = $2")
            .bind(household_id)
            .bind(customer_id)
            .execute(self.db.pool())
            .await?;
        Ok(())
    }

    /// The customer's settings.
    pub async fn list(&self, customer_id: &str) -> Result<Vec<AutoPaySetting>> {
        let rows = sqlx::query(&format!(
            "SELECT {SETTING_COLUMNS} FROM bill_autopay WHERE customer_id = $1"
        ))
        .bind(customer_id)
        .fetch_all(self.db.pool())
        .await?;
        rows.iter().map(setting).collect()
    }

    /// The setting of one number, if on.
    pub(super) async fn of(&self, household_id: &str) -> Result<Option<AutoPaySetting>> {
        let row = sqlx::query(&format!(
            "SELECT {SETTING_COLUMNS} FROM bill_autopay WHERE household_id = $1"
        ))
        .bind(household_id)
        .fetch_optional(self.db.pool())
        .await?;
        row.as_ref().map(setting).transpose()
    }

    /// Paid automatically for a number this calendar month (China time), refunds excluded.
    pub(super) async fn spent_this_month(
        &self,
        customer_id: &str,
        household_id: &str,
    ) -> Result<i64> {
        let today = crate::identity::Date::from_days(self.clock.china_day());
        let month_start = crate::clock::china_day_start(crate::clock::days_from_civil(
            i64::from(today.year),
            i64::from(today.month),
            1,
        ));
        let row = sqlx::query(
            "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS spent FROM bill_payments \
             WHERE customer_id = $1 AND idempotency_key LIKE $2 AND status <> 'refunded' \
             AND created_at >= $3",
        )
        .bind(customer_id)
        .bind(format!("autopay:{household_id}:%"))
        .bind(month_start)
        .fetch_one(self.db.pool())
        .await?;
        crate::db::get_i64(&row, "spent")
    }
}
