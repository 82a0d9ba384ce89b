//! One-time codes sent by SMS: 6 digits, valid 5 minutes, single use, a new one only 60 s after
//! the last, at most 10 a day per number, at most 5 wrong tries each, stored as keyed digests.
//!
//! A code can be bound to what it authorises ([`Binding`]): for a transfer, the operation, the
//! amount and the payee (PSD2 RTS art. 5, dynamic linking). The SMS names the amount and the
//! masked payee, and verifying with any other binding voids the code.

use sha2::{Digest, Sha256};
use sqlx::Row;
use subtle::ConstantTimeEq;

use super::Mobile;
use crate::clock::{Clock, Millis, MINUTE, SECOND};
use crate::error::{secs_ceil, Refusal};
use crate::pii::{Field, KeyRing};
use crate::sms::SmsGateway;
use crate::{Db, Error, Result};

pub const TTL: Millis = 5 * MINUTE;
pub const RESEND_AFTER: Millis = 60 * SECOND;
/// Codes per number, China day and purpose: sign-in, registration, reset and step-ups each
/// have their own, so one cannot use up another.
pub const DAILY_MAX: i64 = 10;
/// Of those, codes asked for by someone not known to be the number's owner ([`Requester`]).
pub const STRANGER_DAILY_MAX: i64 = 3;

/// Who asks for a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Requester {
    /// The number's owner as far as we know: signed in, a right password, or a browser the
    /// customer proved with an earlier code.
    Owner,
    /// Anyone else who typed the number (a registration, a reset from a new browser).
    Stranger,
}
pub const MAX_ATTEMPTS: i64 = 5;

/// What a code is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Register,
    Login,
    ResetPassword,
    StepUp,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Register => "register",
            Purpose::Login => "login",
            Purpose::ResetPassword => "reset_password",
            Purpose::StepUp => "step_up",
        }
    }
}

/// What a code authorises, as a digest of its parts; empty for plain sign-in codes.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Binding(String);

impl Binding {
    pub fn none() -> Self {
        Binding(String::new())
    }

    /// The digest as stored beside what it binds (a code, a passkey challenge).
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// A binding read back from storage.
    pub(crate) fn from_stored(digest: String) -> Self {
        Binding(digest)
    }

    /// Binds to (customer, operation, amount in fen, payee identifier).
    pub fn to_operation(customer_id: &str, operation: &str, amount_fen: i64, payee: &str) -> Self {
        let mut h = Sha256::new();
        for part in [customer_id, operation, &amount_fen.to_string(), payee] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part.as_bytes());
        }
        Binding(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
    }
}

/// A uniformly random six-digit code.
fn random_code() -> Result<String> {
    loop {
        let mut b = [0u8; 4];
        getrandom::fill(&mut b).map_err(|e| Error::Config(format!("no randomness: {e}")))?;
        let n = u32::from_le_bytes(b);
        // Rejection sampling: no bias toward low codes.
        if n < u32::MAX - (u32::MAX % 1_000_000) {
            return Ok(format!("{:06}", n % 1_000_000));
        }
    }
}

/// Everything issuing and checking codes needs.
#[derive(Clone, Copy)]
pub struct Otp<'a> {
    pub db: &'a Db,
    pub clock: &'a dyn Clock,
    pub keys: &'a KeyRing,
}

impl Otp<'_> {
    /// Sends a new code for the number's owner; `text` turns the code into the SMS body.
    pub async fn issue(
        &self,
        sms: &dyn SmsGateway,
        mobile: &Mobile,
        purpose: Purpose,
        binding: &Binding,
        text: impl FnOnce(&str) -> String,
    ) -> Result<()> {
        self.issue_for(sms, mobile, purpose, binding, Requester::Owner, text)
            .await
    }

    /// Sends a new code for whoever `requester` is: a stranger's requests count against a
    /// small budget of their own as well as the purpose's.
    pub async fn issue_for(
        &self,
        sms: &dyn SmsGateway,
        mobile: &Mobile,
        purpose: Purpose,
        binding: &Binding,
        requester: Requester,
        text: impl FnOnce(&str) -> String,
    ) -> Result<()> {
        let now = self.clock.now();
        let index = self.keys.blind_index(Field::Mobile, mobile.as_str());
        let last = sqlx::query(
            "SELECT created_at FROM otp_codes WHERE mobile_index = $1 AND purpose = $2 ORDER BY created_at DESC LIMIT 1",
        )
        .bind(&index)
        .bind(purpose.as_str())
        .fetch_optional(self.db.pool())
        .await?;
        if let Some(last) = last {
            let created: i64 = last.try_get("created_at")?;
            if now < created + RESEND_AFTER {
                return Err(Refusal::OtpTooSoon {
                    retry_after_secs: secs_ceil(created + RESEND_AFTER - now),
                }
                .into());
            }
        }
        let day = self.clock.china_day();
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(by_stranger), 0) AS BIGINT) AS strangers FROM otp_codes \
             WHERE mobile_index = $1 AND china_day = $2 AND purpose = $3",
        )
        .bind(&index)
        .bind(day)
        .bind(purpose.as_str())
        .fetch_one(self.db.pool())
        .await?;
        if crate::db::get_i64(&row, "n")? >= DAILY_MAX {
            return Err(Refusal::OtpDailyLimit.into());
        }
        let by_stranger = requester == Requester::Stranger;
        if by_stranger && crate::db::get_i64(&row, "strangers")? >= STRANGER_DAILY_MAX {
            return Err(Refusal::OtpStrangerLimit.into());
        }
        let code = random_code()?;
        let id = crate::id::new_id();
        let turn = self.db.write_turn().await;
        sqlx::query(
            "INSERT INTO otp_codes (id, mobile_index, purpose, binding, code_digest, created_at, expires_at, china_day, by_stranger) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&id)
        .bind(&index)
        .bind(purpose.as_str())
        .bind(&binding.0)
        .bind(self.keys.secret_digest(&id, &code))
        .bind(now)
        .bind(now + TTL)
        .bind(day)
        .bind(i64::from(by_stranger))
        .execute(self.db.pool())
        .await?;
        drop(turn);
        sms.send(mobile, &text(&code)).await
    }

    /// Whether the newest code of this purpose for the number is still usable and was sent for
    /// exactly this binding: a flow re-entered within the resend wait may then go on to the
    /// code step with the code already sent. Any other code in the way (another operation's,
    /// another browser's) means the customer must wait for a new one.
    pub async fn live_for(
        &self,
        mobile: &Mobile,
        purpose: Purpose,
        binding: &Binding,
    ) -> Result<bool> {
        let index = self.keys.blind_index(Field::Mobile, mobile.as_str());
        let row = sqlx::query(
            "SELECT binding, expires_at, attempts, used_at FROM otp_codes \
             WHERE mobile_index = $1 AND purpose = $2 ORDER BY created_at DESC LIMIT 1",
        )
        .bind(&index)
        .bind(purpose.as_str())
        .fetch_optional(self.db.pool())
        .await?;
        let Some(row) = row else { return Ok(false) };
        Ok(row.try_get::<String, _>("binding")? == binding.0
            && row.try_get::<Option<i64>, _>("used_at")?.is_none()
            && row.try_get::<i64, _>("expires_at")? > self.clock.now()
            && crate::db::get_i64(&row, "attempts")? < MAX_ATTEMPTS)
    }

    /// Checks a code and uses it up. Exactly one successful check per code, even when two
    /// requests race (the final update is conditional).
    pub async fn verify(
        &self,
        mobile: &Mobile,
        purpose: Purpose,
        binding: &Binding,
        code: &str,
    ) -> Result<()> {
        let now = self.clock.now();
        let index = self.keys.blind_index(Field::Mobile, mobile.as_str());
        let row = sqlx::query(
            "SELECT id, binding, code_digest, expires_at, attempts, used_at FROM otp_codes \
             WHERE mobile_index = $1 AND purpose = $2 ORDER BY created_at DESC LIMIT 1",
        )
        .bind(&index)
        .bind(purpose.as_str())
        .fetch_optional(self.db.pool())
        .await?
        .ok_or(Refusal::OtpExpired)?;
        let id: String = row.try_get("id")?;
        let used: Option<i64> = row.try_get("used_at")?;
        let expires: i64 = row.try_get("expires_at")?;
        if used.is_some() || now >= expires {
            return Err(Refusal::OtpExpired.into());
        }
        let stored_binding: String = row.try_get("binding")?;
        if stored_binding != binding.0 {
            // The amount or payee changed after the code was sent: void the code.
            let _turn = self.db.write_turn().await;
            sqlx::query("UPDATE otp_codes SET used_at = $1 WHERE id = $2")
                .bind(now)
                .bind(&id)
                .execute(self.db.pool())
                .await?;
            return Err(Refusal::OtpBindingChanged.into());
        }
        let turn = self.db.write_turn().await;
        let counted = sqlx::query(
            "UPDATE otp_codes SET attempts = attempts + 1 WHERE id = $1 AND used_at IS NULL AND attempts < $2",
        )
        .bind(&id)
        .bind(MAX_ATTEMPTS)
        .execute(self.db.pool())
        .await?;
        drop(turn);
        if counted.rows_affected() != 1 {
            return Err(Refusal::OtpExpired.into());
        }
        let attempts: i64 = row
            .try_get::<i64, _>("attempts")
            .or_else(|_| row.try_get::<i32, _>("attempts").map(i64::from))?
            + 1;
        let expected: String = row.try_get("code_digest")?;
        let given = self.keys.secret_digest(&id, code.trim());
        if !bool::from(expected.as_bytes().ct_eq(given.as_bytes())) {
            let remaining = MAX_ATTEMPTS - attempts;
            if remaining <= 0 {
                return Err(Refusal::OtpExpired.into());
            }
            return Err(Refusal::OtpWrong { remaining }.into());
        }
        let _turn = self.db.write_turn().await;
        let used =
            sqlx::query("UPDATE otp_codes SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
                .bind(now)
                .bind(&id)
                .execute(self.db.pool())
                .await?;
        if used.rows_affected() != 1 {
            return Err(Refusal::OtpExpired.into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{ManualClock, DAY, HOUR};
    use crate::sms::{outbox, DevOutbox};
    use crate::testing;
    use std::sync::Arc;

    fn code_in(body: &str) -> String {
        body.chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()[..6]
            .to_string()
    }

    async fn last_code(db: &Db, m: &Mobile) -> String {
        code_in(&outbox(db, m, 1).await.unwrap()[0].body)
    }

    fn refusal(r: Result<()>) -> Refusal {
        match r {
            Err(Error::Refused(r)) => r,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn codes_expire_and_are_single_use() {
        for t in testing::databases().await {
            let clock = ManualClock::at(1_800_000_000_000);
            let keys = KeyRing::development();
            let sms = DevOutbox::new(t.db.clone(), Arc::new(clock.clone()));
            let otp = Otp {
                db: &t.db,
                clock: &clock,
                keys: &keys,
            };
            let m = Mobile::parse("13812341234").unwrap();
            let none = Binding::none();

            otp.issue(&sms, &m, Purpose::Login, &none, |c| {
                format!("验证码{c}，5分钟内有效")
            })
            .await
            .unwrap();
            let code = last_code(&t.db, &m).await;
            assert_eq!(code.len(), 6);
            let stored: String = sqlx::query("SELECT code_digest FROM otp_codes")
                .fetch_one(t.db.pool())
                .await
                .unwrap()
                .get(0);
            assert!(!stored.contains(&code), "stored as a digest");

            otp.verify(&m, Purpose::Login, &none, &code).await.unwrap();
            assert_eq!(
                refusal(otp.verify(&m, Purpose::Login, &none, &code).await),
                Refusal::OtpExpired,
                "single use"
            );

            clock.advance(RESEND_AFTER);
            otp.issue(&sms, &m, Purpose::Login, &none, |c| c.to_string())
                .await
                .unwrap();
            let code = last_code(&t.db, &m).await;
            clock.advance(TTL);
            assert_eq!(
                refusal(otp.verify(&m, Purpose::Login, &none, &code).await),
                Refusal::OtpExpired,
                "5 minutes"
            );
            assert_eq!(
                refusal(otp.verify(&m, Purpose::Register, &none, &code).await),
                Refusal::OtpExpired,
                "purposes are separate"
            );
            t.finish().await;
        }
    }

    #[tokio::test]
    async fn a_live_code_is_one_for_this_very_operation() {
        for t in testing::databases().await {
            let clock = ManualClock::at(1_800_000_000_000);
            let keys = KeyRing::development();
            let sms = DevOutbox::new(t.db.clone(), Arc::new(clock.clone()));
            let otp = Otp {
                db: &t.db,
                clock: &clock,
                keys: &keys,
            };
            let m = Mobile::parse("13812341234").unwrap();
            let reveal = Binding::to_operation("c1", "reveal", 0, "session-1");
            let transfer = Binding::to_operation("c1", "transfer", 300_000, "6228");
            assert!(
                !otp.live_for(&m, Purpose::StepUp, &reveal).await.unwrap(),
                "none sent"
            );
            otp.issue(&sms, &m, Purpose::StepUp, &transfer, |c| c.to_string())
                .await
                .unwrap();
            // A transfer's code is in the way of a reveal: not live for it, and too soon for
            // a new one.
            assert!(!otp.live_for(&m, Purpose::StepUp, &reveal).await.unwrap());
            assert!(otp.live_for(&m, Purpose::StepUp, &transfer).await.unwrap());
            assert!(matches!(
                refusal(
                    otp.issue(&sms, &m, Purpose::StepUp, &reveal, |c| c.to_string())
                        .await
                ),
                Refusal::OtpTooSoon { .. }
            ));
            assert!(
                !otp.live_for(&m, Purpose::Login, &transfer).await.unwrap(),
                "purpose"
            );
            let code = last_code(&t.db, &m).await;
            otp.verify(&m, Purpose::StepUp, &transfer, &code)
                .await
                .unwrap();
            assert!(
                !otp.live_for(&m, Purpose::StepUp, &transfer).await.unwrap(),
                "used"
            );
            t.finish().await;
        }
    }

    /// The resend wait, the daily caps (per purpose, and strangers' own) and the wrong tries.
    #[tokio::test]
    async fn resend_wait_daily_cap_and_wrong_tries() {
        for t in testing::databases().await {
            let clock = ManualClock::at(1_800_000_000_000 - 1_800_000_000_000 % DAY + HOUR);
            let keys = KeyRing::development();
            let sms = DevOutbox::new(t.db.clone(), Arc::new(clock.clone()));
            let otp = Otp {
                db: &t.db,
                clock: &clock,
                keys: &keys,
            };
            let m = Mobile::parse("13912345678").unwrap();
            let none = Binding::none();

            otp.issue(&sms, &m, Purpose::Login, &none, |c| c.to_string())
                .await
                .unwrap();
            clock.advance(20 * SECOND);
            let r = otp
                .issue(&sms, &m, Purpose::Login, &none, |c| c.to_string())
                .await;
            assert_eq!(
                refusal(r),
                Refusal::OtpTooSoon {
                    retry_after_secs: 40
                }
            );

            let code = last_code(&t.db, &m).await;
            let wrong = if code == "000000" { "111111" } else { "000000" };
            for remaining in (1..MAX_ATTEMPTS).rev() {
                assert_eq!(
                    refusal(otp.verify(&m, Purpose::Login, &none, wrong).await),
                    Refusal::OtpWrong { remaining }
                );
            }
            assert_eq!(
                refusal(otp.verify(&m, Purpose::Login, &none, wrong).await),
                Refusal::OtpExpired
            );
            assert_eq!(
                refusal(otp.verify(&m, Purpose::Login, &none, &code).await),
                Refusal::OtpExpired,
                "void after 5 tries"
            );

            for _ in 1..DAILY_MAX {
                clock.advance(RESEND_AFTER);
                otp.issue(&sms, &m, Purpose::Login, &none, |c| c.to_string())
                    .await
                    .unwrap();
            }
            clock.advance(RESEND_AFTER);
            assert_eq!(
                refusal(
                    otp.issue(&sms, &m, Purpose::Login, &none, |c| c.to_string())
                        .await
                ),
                Refusal::OtpDailyLimit
            );
            // Another purpose has its own budget: ten sign-in codes leave step-ups alone.
            otp.issue(&sms, &m, Purpose::StepUp, &none, |c| c.to_string())
                .await
                .unwrap();
            clock.advance(DAY);
            otp.issue(&sms, &m, Purpose::Login, &none, |c| c.to_string())
                .await
                .unwrap();

            // Ten reset requests by someone else used to take every code the number had for
            // the day; strangers get three per purpose and the owner's own budgets stay whole.
            let m = Mobile::parse("13912345679").unwrap();
            let ask = |purpose, requester| {
                otp.issue_for(&sms, &m, purpose, &none, requester, |c| c.to_string())
            };
            for _ in 0..STRANGER_DAILY_MAX {
                ask(Purpose::ResetPassword, Requester::Stranger)
                    .await
                    .unwrap();
                clock.advance(RESEND_AFTER);
            }
            assert_eq!(
                refusal(ask(Purpose::ResetPassword, Requester::Stranger).await),
                Refusal::OtpStrangerLimit
            );
            ask(Purpose::ResetPassword, Requester::Owner).await.unwrap();
            ask(Purpose::Login, Requester::Owner).await.unwrap();
            ask(Purpose::StepUp, Requester::Owner).await.unwrap();
            t.finish().await;
        }
    }

    #[tokio::test]
    async fn dynamic_linking_voids_a_code_when_amount_or_payee_change() {
        for t in testing::databases().await {
            let clock = ManualClock::at(1_800_000_000_000);
            let keys = KeyRing::development();
            let sms = DevOutbox::new(t.db.clone(), Arc::new(clock.clone()));
            let otp = Otp {
                db: &t.db,
                clock: &clock,
                keys: &keys,
            };
            let m = Mobile::parse("13700001111").unwrap();
            let bound = Binding::to_operation("cust-1", "transfer", 123_456, "6228000011112222");
            otp.issue(&sms, &m, Purpose::StepUp, &bound, |c| {
                format!(
                    "您正在向李*转账{}，验证码{c}",
                    crate::money::format_yuan(123_456)
                )
            })
            .await
            .unwrap();
            let body = outbox(&t.db, &m, 1).await.unwrap()[0].body.clone();
            assert!(body.contains("¥1,234.56") && body.contains("李*"), "{body}");
            let code: String = body.rsplit("验证码").next().unwrap().to_string();

            let changed_amount =
                Binding::to_operation("cust-1", "transfer", 123_457, "6228000011112222");
            assert_eq!(
                refusal(
                    otp.verify(&m, Purpose::StepUp, &changed_amount, &code)
                        .await
                ),
                Refusal::OtpBindingChanged
            );
            assert_eq!(
                refusal(otp.verify(&m, Purpose::StepUp, &bound, &code).await),
                Refusal::OtpExpired,
                "voided"
            );

            clock.advance(RESEND_AFTER);
            otp.issue(&sms, &m, Purpose::StepUp, &bound, |c| format!("验证码{c}"))
                .await
                .unwrap();
            let code = last_code(&t.db, &m).await;
            let changed_payee =
                Binding::to_operation("cust-1", "transfer", 123_456, "6228000011113333");
            assert_eq!(
                refusal(otp.verify(&m, Purpose::StepUp, &changed_payee, &code).await),
                Refusal::OtpBindingChanged
            );

            clock.advance(RESEND_AFTER);
            otp.issue(&sms, &m, Purpose::StepUp, &bound, |c| format!("验证码{c}"))
                .await
                .unwrap();
            let code = last_code(&t.db, &m).await;
            otp.verify(&m, Purpose::StepUp, &bound, &code)
                .await
                .unwrap();
            t.finish().await;
        }
    }
}
