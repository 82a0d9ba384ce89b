//! 缴费提醒: a bill due on a saved number (我的常用户号) drops a reminder into the customer's
//! inbox, once per number and billing period; with 自动缴费 on ([`super::autopay`]) the bill is
//! paid within the monthly cap and the inbox says so instead. The bills worker asks the biller about each saved
//! number at most once a day: a number is claimed for the day with a conditional update, so
//! several nodes share the work and none asks twice; the reminder row and its notification are
//! written in one transaction, keyed by (number, period), so a reminder is never sent twice.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::autopay::{self, AutoPays};
use super::{biller, BillerGateway, Kind, Rule};
use crate::clock::{Clock, Millis};
use crate::db::in_transaction;
use crate::notify;
use crate::pii::KeyRing;
use crate::{Db, Result};

/// What a due-bill reminder says; the inbox renders it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillDueAlert {
    pub household_id: String,
    /// The customer's own name for the number (老家电费).
    pub label: String,
    pub kind: Kind,
    pub biller: String,
    /// Owed now, fen (the lowest grade for a resident pension year still open).
    pub due: i64,
    pub period: String,
    /// What automatic payment did about it.
    #[serde(default)]
    pub autopay: AutoPayOutcome,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum AutoPayOutcome {
    /// Not on for this number.
    #[default]
    Off,
    /// Paid: the payment's id (its page has the biller's receipt).
    Paid { payment_id: String },
    /// Not paid: it would pass the monthly cap (fen).
    OverCap { cap: i64 },
    /// Not paid: the payment was refused (not enough money, account closed …).
    Failed,
}

/// One pass over at most `batch` saved numbers not yet checked today; how many reminders went
/// out. A biller that does not answer leaves the number for tomorrow (logged by the caller's
/// count staying low, never failing the pass).
pub async fn remind_due(
    db: &Db,
    clock: &dyn Clock,
    gateway: &dyn BillerGateway,
    keys: &KeyRing,
    batch: i64,
) -> Result<usize> {
    let today = clock.china_day();
    let rows = sqlx::query(
        "SELECT id, customer_id, biller_id, kind, number, label FROM households \
         WHERE checked_day IS NULL OR checked_day < $1 ORDER BY id LIMIT $2",
    )
    .bind(today)
    .bind(batch)
    .fetch_all(db.pool())
    .await?;
    let mut sent = 0;
    for r in rows {
        let id: String = r.try_get("id")?;
        // Claim the number for today; another node that got here first has it.
        let claimed = sqlx::query(
            "UPDATE households SET checked_day = $1 WHERE id = $2 \
             AND (checked_day IS NULL OR checked_day < $1)",
        )
        .bind(today)
        .bind(&id)
        .execute(db.pool())
        .await?
        .rows_affected()
            == 1;
        if !claimed {
            continue;
        }
        let kind: String = r.try_get("kind")?;
        let (Some(kind), Some(b)) = (
            Kind::from_slug(&kind),
            biller(&r.try_get::<String, _>("biller_id")?),
        ) else {
            continue;
        };
        // Top-ups have no bill to be reminded of.
        if matches!(kind.rule(), Rule::Denominations(_)) {
            continue;
        }
        let number: String = r.try_get("number")?;
        let bill = match gateway.lookup(&b, &number).await {
            Ok(Some(bill)) if bill.due > 0 => bill,
            Ok(_) => continue,
            Err(e) => {
                tracing::warn!(error = %e, biller = %b.id, "bill lookup for a reminder failed");
                continue;
            }
        };
        let customer: String = r.try_get("customer_id")?;
        let payments = super::Payments {
            db,
            clock,
            gateway,
            keys,
            code_free: crate::transfer::CodeFreePolicy::default(),
        };
        let autopay = pay_automatically(&payments, &customer, &id, kind, &bill).await?;
        let alert = BillDueAlert {
            household_id: id.clone(),
            label: r.try_get("label")?,
            kind,
            biller: b.name.clone(),
            due: bill.due,
            period: bill.period.clone(),
            autopay,
        };
        if write_reminder(db, clock.now(), &customer, &alert).await? {
            sent += 1;
        }
    }
    Ok(sent)
}

/// Pays a due bill when automatic payment is on and the monthly cap allows it.
async fn pay_automatically(
    payments: &super::Payments<'_>,
    customer_id: &str,
    household_id: &str,
    kind: Kind,
    bill: &super::Bill,
) -> Result<AutoPayOutcome> {
    let pays = AutoPays {
        db: payments.db,
        clock: payments.clock,
        keys: payments.keys,
    };
    let Some(setting) = pays.of(household_id).await? else {
        return Ok(AutoPayOutcome::Off);
    };
    if !autopay::available_for(kind) {
        return Ok(AutoPayOutcome::Off);
    }
    let spent = pays.spent_this_month(customer_id, household_id).await?;
    if spent + bill.due > setting.monthly_cap {
        return Ok(AutoPayOutcome::OverCap {
            cap: setting.monthly_cap,
        });
    }
    let paid = payments
        .pay_by_mandate(&super::PayRequest {
            customer_id: customer_id.into(),
            from_account_id: setting.from_account_id,
            biller_id: bill.biller_id.clone(),
            household: bill.household.clone(),
            amount: bill.due,
            idempotency_key: autopay::key(household_id, &bill.period),
            step_up_code: None,
        })
        .await;
    Ok(match paid {
        Ok(p) if p.status != super::Status::Refunded => AutoPayOutcome::Paid { payment_id: p.id },
        Ok(_) => AutoPayOutcome::Failed,
        Err(crate::Error::Refused(r)) => {
            tracing::info!(refusal = ?r, "automatic bill payment refused");
            AutoPayOutcome::Failed
        }
        Err(e) => return Err(e),
    })
}

/// The reminder row and its notification together; false when this period was reminded of.
async fn write_reminder(
    db: &Db,
    now: Millis,
    customer_id: &str,
    alert: &BillDueAlert,
) -> Result<bool> {
    let data = serde_json::to_string(alert)
        .map_err(|e| crate::Error::Internal(format!("reminder: {e}")))?;
    in_transaction(db, |tx| {
        let (data, customer_id) = (data.clone(), customer_id.to_string());
        let (household, period) = (alert.household_id.clone(), alert.period.clone());
        Box::pin(async move {
            let fresh = sqlx::query(
                "INSERT INTO bill_reminders (household_id, period, sent_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (household_id, period) DO NOTHING",
            )
            .bind(&household)
            .bind(&period)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if fresh {
                sqlx::query(
                    "INSERT INTO notifications (id, customer_id, kind, data, created_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(crate::id::new_id())
                .bind(&customer_id)
                .bind(notify::Kind::BillDue.as_str())
                .bind(&data)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            Ok(fresh)
        })
    })
    .await
}
