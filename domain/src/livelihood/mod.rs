//! 民生服务: the electronic social-security card (电子社保卡) and the medical-insurance
//! electronic voucher (医保电子凭证), both issued by outside bureaus and only *carried* by the
//! bank's app.
//!
//! Signing up sends the customer's name and resident ID to the bureau, so it needs a step-up
//! SMS code bound to this operation and session (a stolen session alone cannot do it). A
//! signed-up card shows a QR code the bureau signs and that expires after one minute
//! ([`code`]); the page fetches a new one before then. Unbinding stops the codes at once.
//!
//! Applying for the physical card, with its timeline, is [`application`].
//!
//! The bureaus sit behind [`SocialSecurityBureau`]; [`simulator::BureauSimulator`] stands in for
//! them by default and says so.

pub mod application;
pub mod code;
pub mod simulator;

use p256::ecdsa::VerifyingKey;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::audit::{self, Action, Entry};
use crate::clock::{Clock, Millis};
use crate::error::Refusal;
use crate::identity::{Binding, Identity, Otp, Purpose, RealName, ResidentId};
use crate::pii::KeyRing;
use crate::sms::{BoxFuture, SmsGateway};
use crate::{Db, Error, Result};

pub use code::SignedCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CardKind {
    /// 电子社保卡, issued by the human-resources and social-security bureau.
    SocialSecurity,
    /// 医保电子凭证, issued by the medical-security bureau.
    Medical,
}

impl CardKind {
    pub const ALL: [CardKind; 2] = [CardKind::SocialSecurity, CardKind::Medical];

    pub fn slug(self) -> &'static str {
        match self {
            CardKind::SocialSecurity => "essc",
            CardKind::Medical => "medical",
        }
    }

    pub fn from_slug(s: &str) -> Option<CardKind> {
        CardKind::ALL.into_iter().find(|k| k.slug() == s)
    }
}

/// The bureau's answer to a sign-up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enrolment {
    /// The bureau's opaque reference for this card (never the resident ID).
    pub card_ref: String,
    /// The card or code number as the bureau lets it be shown: 社会保障卡号 / 医保编码, masked.
    pub card_no_masked: String,
    /// Who issued it: 济南市人力资源和社会保障局.
    pub issuer: String,
}

/// Which medical insurance the customer is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scheme {
    /// 职工基本医疗保险: has a personal account (个人账户) with a balance.
    Employee,
    /// 城乡居民基本医疗保险: no personal account; the pooled fund pays a share of each bill.
    Resident,
}

/// One visit or payment on the medical insurance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedicalMovement {
    pub at: Millis,
    /// 门诊 · 济南市第一人民医院, 药店购药 · …, 个人账户划入.
    pub what: String,
    /// Change to the personal account in fen (negative when it paid); 0 for residents.
    pub personal: i64,
    /// What the pooled fund (统筹基金) paid, in fen.
    pub fund: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedicalAccount {
    pub scheme: Scheme,
    /// 参保地: the city whose bureau insures the customer.
    pub area: String,
    /// The personal account's balance in fen; `None` for resident insurance (it has none).
    pub balance: Option<i64>,
    /// The latest first.
    pub movements: Vec<MedicalMovement>,
}

/// The social-security and medical-security bureaus (or the simulator standing in for both).
pub trait SocialSecurityBureau: Send + Sync + std::fmt::Debug {
    /// Signs the person up for an electronic card. Refuses `NotInsured` when the bureau has no
    /// record of them, `CardReportedLost` when their physical card is reported lost.
    fn enrol<'a>(
        &'a self,
        kind: CardKind,
        resident_id: &'a ResidentId,
        name: &'a RealName,
    ) -> BoxFuture<'a, Result<Enrolment>>;

    /// A fresh QR code for a card, good for one minute from `now`.
    fn issue_code<'a>(
        &'a self,
        kind: CardKind,
        card_ref: &'a str,
        now: Millis,
    ) -> BoxFuture<'a, Result<SignedCode>>;

    /// The customer unbound the card from this app: the bureau stops issuing codes for it here.
    fn release<'a>(&'a self, kind: CardKind, card_ref: &'a str) -> BoxFuture<'a, Result<()>>;

    /// The medical insurance account behind a medical e-voucher.
    fn medical_account<'a>(
        &'a self,
        card_ref: &'a str,
        now: Millis,
    ) -> BoxFuture<'a, Result<MedicalAccount>>;

    /// Applies for a physical card, to be collected at `pickup_bank`; the bureau's application
    /// number. Refuses `NotInsured` when the bureau has no record of the person.
    fn apply_card<'a>(
        &'a self,
        holder: &'a ResidentId,
        name: &'a RealName,
        city: &'a str,
        pickup_bank: &'a str,
        now: Millis,
    ) -> BoxFuture<'a, Result<String>>;

    /// The stages an application has reached by `now`, with when, in order.
    fn application_progress<'a>(
        &'a self,
        reference: &'a str,
        now: Millis,
    ) -> BoxFuture<'a, Result<Vec<(application::Stage, Millis)>>>;

    /// The key terminals check codes with.
    fn verifying_key(&self) -> VerifyingKey;

    /// True for simulators: pages and logs say so.
    fn is_simulator(&self) -> bool;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CardStatus {
    Active,
    Unbound,
}

/// A card signed up through this app.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ECard {
    pub id: String,
    pub kind: CardKind,
    pub card_no_masked: String,
    pub issuer: String,
    pub status: CardStatus,
    pub signed_up_at: Millis,
    #[serde(skip)]
    card_ref: String,
}

fn from_row(r: &AnyRow) -> Result<ECard> {
    let kind: String = r.try_get("kind")?;
    let status: String = r.try_get("status")?;
    Ok(ECard {
        id: r.try_get("id")?,
        kind: CardKind::from_slug(&kind)
            .ok_or_else(|| Error::Internal(format!("card kind {kind:?}")))?,
        card_no_masked: r.try_get("card_no_masked")?,
        issuer: r.try_get("issuer")?,
        status: match status.as_str() {
            "active" => CardStatus::Active,
            "unbound" => CardStatus::Unbound,
            other => return Err(Error::Internal(format!("card status {other:?}"))),
        },
        signed_up_at: r.try_get("signed_up_at")?,
        card_ref: r.try_get("card_ref")?,
    })
}

/// The electronic cards service over its dependencies.
#[derive(Clone, Copy)]
pub struct ECards<'a> {
    pub db: &'a Db,
    pub clock: &'a dyn Clock,
    pub keys: &'a KeyRing,
    pub bureau: &'a dyn SocialSecurityBureau,
}

impl ECards<'_> {
    /// What a sign-up code is bound to: this customer, this kind of card, this session.
    pub fn binding(customer_id: &str, kind: CardKind, session_id: &str) -> Binding {
        Binding::to_operation(
            customer_id,
            &format!("ecard_sign_up:{}", kind.slug()),
            0,
            session_id,
        )
    }

    fn otp(&self) -> Otp<'_> {
        Otp {
            db: self.db,
            clock: self.clock,
            keys: self.keys,
        }
    }

    fn identity(&self) -> Identity<'_> {
        Identity {
            db: self.db,
            clock: self.clock,
            keys: self.keys,
        }
    }

    /// The customer's card of this kind, if signed up and not unbound.
    pub async fn active(&self, customer_id: &str, kind: CardKind) -> Result<Option<ECard>> {
        let row = sqlx::query(
            "SELECT id, kind, card_ref, card_no_masked, issuer, status, signed_up_at FROM ecards \
             WHERE customer_id = $1 AND kind = $2 AND status = 'active'",
        )
        .bind(customer_id)
        .bind(kind.slug())
        .fetch_optional(self.db.pool())
        .await?;
        row.as_ref().map(from_row).transpose()
    }

    async fn must_be_new(&self, customer_id: &str, kind: CardKind) -> Result<()> {
        match self.active(customer_id, kind).await? {
            Some(_) => Err(Refusal::CardAlreadyActive.into()),
            None => Ok(()),
        }
    }

    /// Sends the step-up code for signing up; refused if the card is already signed up.
    pub async fn send_sign_up_code(
        &self,
        sms: &dyn SmsGateway,
        customer_id: &str,
        kind: CardKind,
        session_id: &str,
    ) -> Result<()> {
        self.must_be_new(customer_id, kind).await?;
        let mobile = self.identity().mobile_of(customer_id).await?;
        let what = match kind {
            CardKind::SocialSecurity => "开通电子社保卡",
            CardKind::Medical => "激活医保电子凭证",
        };
        self.otp()
            .issue(
                sms,
                &mobile,
                Purpose::StepUp,
                &Self::binding(customer_id, kind, session_id),
                |code| {
                    format!(
                        "【农商银行】您正在{what}，您的姓名和身份证号将提交给社保/医保部门，验证码 {code}，5 分钟内有效。如非本人操作，请勿告诉他人。"
                    )
                },
            )
            .await
    }

    /// Signs the customer up once the step-up code checks out: the bureau gets their name and
    /// resident ID, we keep its reference. Signing up twice (a double submit) answers with the
    /// card already signed up.
    pub async fn sign_up(
        &self,
        customer_id: &str,
        kind: CardKind,
        session_id: &str,
        code: &str,
    ) -> Result<ECard> {
        self.must_be_new(customer_id, kind).await?;
        let identity = self.identity();
        let mobile = identity.mobile_of(customer_id).await?;
        self.otp()
            .verify(
                &mobile,
                Purpose::StepUp,
                &Self::binding(customer_id, kind, session_id),
                code.trim(),
            )
            .await?;
        let (name, resident_id) = identity.person_of(customer_id).await?;
        let enrolment = self.bureau.enrol(kind, &resident_id, &name).await?;
        let card = ECard {
            id: crate::id::new_id(),
            kind,
            card_no_masked: enrolment.card_no_masked,
            issuer: enrolment.issuer,
            status: CardStatus::Active,
            signed_up_at: self.clock.now(),
            card_ref: enrolment.card_ref,
        };
        let inserted = sqlx::query(
            "INSERT INTO ecards (id, customer_id, kind, card_ref, card_no_masked, issuer, status, signed_up_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'active', $7)",
        )
        .bind(&card.id)
        .bind(customer_id)
        .bind(kind.slug())
        .bind(&card.card_ref)
        .bind(&card.card_no_masked)
        .bind(&card.issuer)
        .bind(card.signed_up_at)
        .execute(self.db.pool())
        .await;
        match inserted {
            Ok(_) => {}
            // Two sign-ups at once: the first one stands (one active card per kind).
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return self
                    .active(customer_id, kind)
                    .await?
                    .ok_or_else(|| Error::Contended("ecard".into()));
            }
            Err(e) => return Err(e.into()),
        }
        self.audit(
            customer_id,
            Action::ECardSignedUp,
            serde_json::json!({ "kind": kind.slug(), "card": card.card_no_masked }),
        )
        .await?;
        Ok(card)
    }

    /// A fresh one-minute QR code for the customer's card.
    pub async fn code(&self, customer_id: &str, kind: CardKind) -> Result<SignedCode> {
        let card = self
            .active(customer_id, kind)
            .await?
            .ok_or(Refusal::CardNotActive)?;
        self.bureau
            .issue_code(kind, &card.card_ref, self.clock.now())
            .await
    }

    /// Unbinds the card from this app: no more codes here; signing up again is possible.
    pub async fn unbind(&self, customer_id: &str, kind: CardKind) -> Result<()> {
        let card = self
            .active(customer_id, kind)
            .await?
            .ok_or(Refusal::CardNotActive)?;
        let done = sqlx::query(
            "UPDATE ecards SET status = 'unbound', unbound_at = $1 \
             WHERE id = $2 AND customer_id = $3 AND status = 'active'",
        )
        .bind(self.clock.now())
        .bind(&card.id)
        .bind(customer_id)
        .execute(self.db.pool())
        .await?;
        if done.rows_affected() == 0 {
            // Unbound meanwhile (another tab): the outcome the customer asked for.
            return Ok(());
        }
        self.bureau.release(kind, &card.card_ref).await?;
        self.audit(
            customer_id,
            Action::ECardUnbound,
            serde_json::json!({ "kind": kind.slug(), "card": card.card_no_masked }),
        )
        .await
    }

    /// The medical insurance account behind the customer's medical e-voucher.
    pub async fn medical_account(&self, customer_id: &str) -> Result<MedicalAccount> {
        let card = self
            .active(customer_id, CardKind::Medical)
            .await?
            .ok_or(Refusal::CardNotActive)?;
        self.bureau
            .medical_account(&card.card_ref, self.clock.now())
            .await
    }

    async fn audit(
        &self,
        customer_id: &str,
        action: Action,
        detail: serde_json::Value,
    ) -> Result<()> {
        audit::append(
            self.db,
            self.clock,
            Entry {
                actor: customer_id,
                action,
                subject: customer_id,
                detail,
            },
        )
        .await
        .map(|_| ())
    }
}

#[cfg(test)]
mod tests;
