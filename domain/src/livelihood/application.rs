//! 社保卡申领: applying for the physical social-security card, for oneself or a family member
//! (children, parents who do not use a phone), to be collected at the customer's own rural bank,
//! which issues the cards for the bureau. The bureau makes the card; its progress is a timeline
//! the page shows: 已受理 → 审核通过 → 制卡中 → 已到网点，可领取.
//!
//! We keep only what the page needs: the bureau's application number, masked name and ID, and a
//! keyed blind index of the ID so the same person is not applied for twice in a month. The
//! full ID goes to the bureau once, with the application.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::SocialSecurityBureau;
use crate::audit::{self, Action, Entry};
use crate::clock::{Clock, Millis, DAY};
use crate::error::Refusal;
use crate::identity::{Date, RealName, ResidentId};
use crate::pii::{Field, KeyRing};
use crate::{Db, Error, Result};

/// The same person may not be applied for again within this long.
pub const REAPPLY_AFTER: Millis = 30 * DAY;

/// The steps a card goes through at the bureau, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    /// 已受理: the bureau has the application.
    Submitted,
    /// 审核通过: identity and insurance checked.
    Approved,
    /// 制卡中: the card is being made.
    Producing,
    /// 已到网点，可领取: at the customer's bank, to be collected with the ID card.
    ReadyForPickup,
}

impl Stage {
    pub const ALL: [Stage; 4] = [
        Stage::Submitted,
        Stage::Approved,
        Stage::Producing,
        Stage::ReadyForPickup,
    ];
}

/// What the customer fills in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApplicationRequest {
    pub customer_id: String,
    /// The card holder's name and resident ID, as typed.
    pub name: String,
    pub resident_id: String,
    /// The city whose bureau issues the card (where the holder is insured).
    pub city: String,
    pub idempotency_key: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub id: String,
    pub bureau_ref: String,
    pub name_masked: String,
    pub resident_id_masked: String,
    pub city: String,
    /// The bank the card is collected at (the customer's own).
    pub pickup_bank: String,
    pub submitted_at: Millis,
    /// The stages reached, with when; the first is always `Submitted`.
    pub progress: Vec<(Stage, Millis)>,
}

#[derive(Clone, Copy)]
pub struct Applications<'a> {
    pub db: &'a Db,
    pub clock: &'a dyn Clock,
    pub keys: &'a KeyRing,
    pub bureau: &'a dyn SocialSecurityBureau,
}

const COLUMNS: &str =
    "id, bureau_ref, name_masked, resident_id_masked, city, pickup_bank, submitted_at";

impl Applications<'_> {
    async fn with_progress(&self, r: &AnyRow) -> Result<Application> {
        let bureau_ref: String = r.try_get("bureau_ref")?;
        let progress = self
            .bureau
            .application_progress(&bureau_ref, self.clock.now())
            .await?;
        Ok(Application {
            id: r.try_get("id")?,
            bureau_ref,
            name_masked: r.try_get("name_masked")?,
            resident_id_masked: r.try_get("resident_id_masked")?,
            city: r.try_get("city")?,
            pickup_bank: r.try_get("pickup_bank")?,
            submitted_at: r.try_get("submitted_at")?,
            progress,
        })
    }

    /// Sends an application to the bureau and keeps its number. The same idempotency key
    /// answers with the application already made (a double submit, a refresh).
    pub async fn submit(&self, req: &ApplicationRequest) -> Result<Application> {
        let key = req.idempotency_key.trim();
        if key.is_empty() || key.len() > 100 {
            return Err(Error::invalid(
                crate::Input::Request,
                "idempotency key missing or too long".into(),
            ));
        }
        if let Some(existing) = self.by_key(&req.customer_id, key).await? {
            return Ok(existing);
        }
        let name = RealName::parse(&req.name)?;
        let today = Date::from_days(self.clock.china_day());
        let id = ResidentId::parse(&req.resident_id, today)?;
        let city = req.city.trim();
        if !crate::billpay::CITIES.contains(&city) {
            return Err(Error::invalid(
                crate::Input::Choice,
                format!("city {city:?}"),
            ));
        }
        let now = self.clock.now();
        let index = self.keys.blind_index(Field::ResidentId, id.as_str());
        let recent = sqlx::query(
            "SELECT id FROM ssc_applications WHERE customer_id = $1 AND resident_id_index = $2 \
             AND submitted_at > $3",
        )
        .bind(&req.customer_id)
        .bind(&index)
        .bind(now - REAPPLY_AFTER)
        .fetch_optional(self.db.pool())
        .await?;
        if recent.is_some() {
            return Err(Refusal::CardApplicationPending.into());
        }
        let bank: String = sqlx::query(
            "SELECT i.short_name FROM customers c JOIN institutions i ON i.code = c.bank_code \
             WHERE c.id = $1",
        )
        .bind(&req.customer_id)
        .fetch_optional(self.db.pool())
        .await?
        .ok_or_else(|| Error::NotFound(format!("customer {}", req.customer_id)))?
        .try_get("short_name")?;
        let bureau_ref = self.bureau.apply_card(&id, &name, city, &bank, now).await?;
        let row_id = crate::id::new_id();
        let inserted = sqlx::query(
            "INSERT INTO ssc_applications (id, customer_id, idempotency_key, bureau_ref, name_masked, \
             resident_id_masked, resident_id_index, city, pickup_bank, submitted_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&row_id)
        .bind(&req.customer_id)
        .bind(key)
        .bind(&bureau_ref)
        .bind(name.masked())
        .bind(id.masked())
        .bind(&index)
        .bind(city)
        .bind(&bank)
        .bind(now)
        .execute(self.db.pool())
        .await;
        match inserted {
            Ok(_) => {}
            // The same key twice at once: the first one stands.
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return self
                    .by_key(&req.customer_id, key)
                    .await?
                    .ok_or_else(|| Error::Contended("ssc application".into()));
            }
            Err(e) => return Err(e.into()),
        }
        audit::append(
            self.db,
            self.clock,
            Entry {
                actor: &req.customer_id,
                action: Action::CardApplied,
                subject: &req.customer_id,
                detail: serde_json::json!({
                    "holder": id.masked(),
                    "city": city,
                    "ref": bureau_ref,
                }),
            },
        )
        .await?;
        self.get(&req.customer_id, &row_id).await
    }

    async fn by_key(&self, customer_id: &str, key: &str) -> Result<Option<Application>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM ssc_applications WHERE customer_id = $1 AND idempotency_key = $2"
        ))
        .bind(customer_id)
        .bind(key)
        .fetch_optional(self.db.pool())
        .await?;
        match row {
            Some(r) => Ok(Some(self.with_progress(&r).await?)),
            None => Ok(None),
        }
    }

    /// One of the customer's applications; someone else's is "not found".
    pub async fn get(&self, customer_id: &str, id: &str) -> Result<Application> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM ssc_applications WHERE customer_id = $1 AND id = $2"
        ))
        .bind(customer_id)
        .bind(id)
        .fetch_optional(self.db.pool())
        .await?
        .ok_or_else(|| Error::NotFound(format!("ssc application {id}")))?;
        self.with_progress(&row).await
    }

    /// The customer's applications, the latest first (at most 20).
    pub async fn list(&self, customer_id: &str) -> Result<Vec<Application>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM ssc_applications WHERE customer_id = $1 \
             ORDER BY submitted_at DESC, id DESC LIMIT 20"
        ))
        .bind(customer_id)
        .fetch_all(self.db.pool())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.with_progress(r).await?);
        }
        Ok(out)
    }
}
