//! Customers and how they prove who they are: registration with an SMS-verified mobile number,
//! real name, resident ID and home bank; password sign-in with lockout after repeated failures
//! (PSD2 RTS art. 4(3)(b): at most 5 tries); SMS-verified password reset, which also unlocks.
//!
//! Personal data is sealed per customer ([`crate::pii`]); lookups go through blind indexes;
//! what pages show is the masked copy. Every decision lands in the audit log.

mod mobile;
mod name;
pub mod otp;
pub mod passkey;
pub mod password;
pub mod pending;
mod resident_id;
pub mod risk;
pub mod session;

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::audit::{self, Action, Entry};
use crate::clock::{Clock, Millis, HOUR, MINUTE};
use crate::error::Refusal;
use crate::pii::{Field, KeyRing};
use crate::{Db, Error, Result};

pub use mobile::Mobile;
pub use name::RealName;
pub use otp::{Binding, Otp, Purpose};
pub use resident_id::{check_char, Date, ResidentId};

/// The version of the service agreement and privacy notice a customer accepts at registration.
pub const TERMS_VERSION: &str = "2026-11";
/// Consecutive wrong passwords before a temporary lock.
pub const MAX_FAILED_LOGINS: i64 = 5;
/// Customers this old or older are offered a simple (large-type) edition at registration.
pub const ELDER_AGE: i32 = 60;

/// How long the n-th consecutive lock lasts: 15 minutes, then 1 hour, 4 hours, 24 hours.
pub fn lock_duration(level: i64) -> Millis {
    match level {
        0 => 15 * MINUTE,
        1 => HOUR,
        2 => 4 * HOUR,
        _ => 24 * HOUR,
    }
}

/// What registration asks for (already parsed), plus the code sent to the mobile number.
#[derive(Clone, Debug)]
pub struct Registration {
    pub mobile: Mobile,
    pub name: RealName,
    pub resident_id: ResidentId,
    pub bank_code: String,
    pub password: String,
    pub accepted_terms: bool,
    pub otp_code: String,
}

/// A registered customer, as pages show them: masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub id: String,
    pub bank_code: String,
    pub bank_name: String,
    pub mobile_masked: String,
    pub name_masked: String,
    pub resident_id_masked: String,
    pub created_at: Millis,
}

/// The identity service over its dependencies.
#[derive(Clone, Copy)]
pub struct Identity<'a> {
    pub db: &'a Db,
    pub clock: &'a dyn Clock,
    pub keys: &'a KeyRing,
}

impl<'a> Identity<'a> {
    fn otp(&self) -> Otp<'a> {
        Otp {
            db: self.db,
            clock: self.clock,
            keys: self.keys,
        }
    }

    async fn audit(
        &self,
        actor: &str,
        action: Action,
        subject: &str,
        detail: serde_json::Value,
    ) -> Result<()> {
        audit::append(
            self.db,
            self.clock,
            Entry {
                actor,
                action,
                subject,
                detail,
            },
        )
        .await
        .map(|_| ())
    }

    /// The customer id registered with a mobile number, if any.
    pub async fn find_by_mobile(&self, mobile: &Mobile) -> Result<Option<String>> {
        let index = self.keys.blind_index(Field::Mobile, mobile.as_str());
        let row = sqlx::query("SELECT id FROM customers WHERE mobile_index = $1")
            .bind(index)
            .fetch_optional(self.db.pool())
            .await?;
        Ok(row.map(|r| r.try_get("id")).transpose()?)
    }

    /// Registers a customer; returns the new customer id.
    pub async fn register(&self, reg: Registration) -> Result<String> {
        if !reg.accepted_terms {
            return Err(Refusal::TermsNotAccepted.into());
        }
        let birth = reg.resident_id.birth_date();
        let birth_digits = format!("{:04}{:02}{:02}", birth.year, birth.month, birth.day);
        password::check(&reg.password, &[reg.mobile.as_str(), &birth_digits])
            .map_err(|p| Refusal::WeakPassword(format!("{p:?}")))?;
        crate::institution::get(self.db, &reg.bank_code)
            .await
            .map_err(|_| Error::invalid(crate::Input::Bank, "bank_code".into()))?;
        let mobile_index = self.keys.blind_index(Field::Mobile, reg.mobile.as_str());
        let id_index = self
            .keys
            .blind_index(Field::ResidentId, reg.resident_id.as_str());
        let taken = sqlx::query(
            "SELECT 1 AS one FROM customers WHERE mobile_index = $1 OR resident_id_index = $2",
        )
        .bind(&mobile_index)
        .bind(&id_index)
        .fetch_optional(self.db.pool())
        .await?;
        if taken.is_some() {
            return Err(Refusal::AlreadyRegistered.into());
        }
        self.otp()
            .verify(
                &reg.mobile,
                Purpose::Register,
                &Binding::none(),
                &reg.otp_code,
            )
            .await?;
        self.insert_customer(&reg).await
    }

    /// Stores a customer whose checks have passed. Besides [`Identity::register`], only the
    /// development demo data calls this directly (its numbers receive no real SMS).
    pub async fn insert_customer(&self, reg: &Registration) -> Result<String> {
        let mobile_index = self.keys.blind_index(Field::Mobile, reg.mobile.as_str());
        let id_index = self
            .keys
            .blind_index(Field::ResidentId, reg.resident_id.as_str());
        let id = crate::id::new_id();
        let now = self.clock.now();
        let hash = password::hash(&reg.password).await?;
        let inserted = sqlx::query(
            "INSERT INTO customers (id, bank_code, mobile_index, resident_id_index, mobile_sealed, resident_id_sealed, \
             name_sealed, mobile_masked, resident_id_masked, name_masked, password_hash, terms_version, terms_accepted_at, created_at, \
             birth_year) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14)",
        )
        .bind(&id)
        .bind(&reg.bank_code)
        .bind(&mobile_index)
        .bind(&id_index)
        .bind(self.keys.seal(&id, Field::Mobile, reg.mobile.as_str())?)
        .bind(self.keys.seal(&id, Field::ResidentId, reg.resident_id.as_str())?)
        .bind(self.keys.seal(&id, Field::Name, reg.name.as_str())?)
        .bind(reg.mobile.masked())
        .bind(reg.resident_id.masked())
        .bind(reg.name.masked())
        .bind(hash)
        .bind(TERMS_VERSION)
        .bind(now)
        .bind(i64::from(reg.resident_id.birth_date().year))
        .execute(self.db.pool())
        .await;
        match inserted {
            Ok(_) => {}
            // Two registrations raced past the check: the unique indexes decide.
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Err(Refusal::AlreadyRegistered.into())
            }
            Err(e) => return Err(e.into()),
        }
        self.audit(
            &id,
            Action::Register,
            &id,
            serde_json::json!({ "bank": reg.bank_code, "terms": TERMS_VERSION }),
        )
        .await?;
        Ok(id)
    }

    /// Checks a mobile number and password. Counts failures, locks after the fifth in a row
    /// for an increasing time, and answers how many tries remain.
    pub async fn check_password(&self, mobile: &Mobile, password: &str) -> Result<String> {
        let now = self.clock.now();
        let index = self.keys.blind_index(Field::Mobile, mobile.as_str());
        let row = sqlx::query("SELECT id, password_hash, lock_level, locked_until FROM customers WHERE mobile_index = $1")
            .bind(&index)
            .fetch_optional(self.db.pool())
            .await?;
        let Some(row) = row else {
            return Err(self.unknown_number_failed(&index, password, now).await);
        };
        let id: String = row.try_get("id")?;
        let locked_until: Option<i64> = row.try_get("locked_until")?;
        if let Some(until) = locked_until.filter(|u| *u > now) {
            return Err(Refusal::Locked { until }.into());
        }
        let hash: String = row.try_get("password_hash")?;
        if password::verify(password, &hash).await? {
            sqlx::query("UPDATE customers SET failed_logins = 0, lock_level = 0, locked_until = NULL WHERE id = $1")
                .bind(&id)
                .execute(self.db.pool())
                .await?;
            return Ok(id);
        }
        // Count atomically: concurrent wrong tries each count.
        let failed: i64 = int(&sqlx::query("UPDATE customers SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins")
            .bind(&id)
            .fetch_one(self.db.pool())
            .await?, "failed_logins")?;
        self.audit(
            &id,
            Action::LoginFailed,
            &id,
            serde_json::json!({ "failed": failed }),
        )
        .await?;
        if failed >= MAX_FAILED_LOGINS {
            let level = int(&row, "lock_level")?;
            let until = now + lock_duration(level);
            sqlx::query("UPDATE customers SET failed_logins = 0, lock_level = lock_level + 1, locked_until = $1 WHERE id = $2")
                .bind(until)
                .bind(&id)
                .execute(self.db.pool())
                .await?;
            self.audit(
                "system",
                Action::Locked,
                &id,
                serde_json::json!({ "until": until, "level": level + 1 }),
            )
            .await?;
            return Err(Refusal::Locked { until }.into());
        }
        Err(Refusal::BadCredentials {
            remaining: MAX_FAILED_LOGINS - failed,
        }
        .into())
    }

    /// A sign-in for a number that is no customer's: the same work, the same answers and the
    /// same locks as a wrong password for a customer's number (tries left counting down, locks
    /// growing), counted under the number's blind index. Otherwise "5 tries left" for an
    /// unknown number against "4" for a known one would tell anyone which numbers bank here.
    async fn unknown_number_failed(&self, index: &str, password: &str, now: Millis) -> Error {
        match self.count_unknown_failure(index, password, now).await {
            Ok(refusal) => refusal.into(),
            Err(e) => e,
        }
    }

    async fn count_unknown_failure(
        &self,
        index: &str,
        password: &str,
        now: Millis,
    ) -> Result<Refusal> {
        let locked_until: Option<i64> = sqlx::query_scalar(
            "SELECT locked_until FROM login_failures_unknown WHERE mobile_index = $1",
        )
        .bind(index)
        .fetch_optional(self.db.pool())
        .await?
        .flatten();
        if let Some(until) = locked_until.filter(|u| *u > now) {
            return Ok(Refusal::Locked { until });
        }
        // The work a real password check does.
        static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
        let dummy = DUMMY
            .get_or_try_init(|| password::hash("timing-equaliser-1"))
            .await?;
        password::verify(password, dummy).await?;
        let row = sqlx::query(
            "INSERT INTO login_failures_unknown (mobile_index, failed_logins, lock_level, locked_until, updated_at) \
             VALUES ($1, 1, 0, NULL, $2) ON CONFLICT (mobile_index) DO UPDATE \
             SET failed_logins = login_failures_unknown.failed_logins + 1, updated_at = $2 \
             RETURNING failed_logins, lock_level",
        )
        .bind(index)
        .bind(now)
        .fetch_one(self.db.pool())
        .await?;
        let failed = int(&row, "failed_logins")?;
        if failed < MAX_FAILED_LOGINS {
            return Ok(Refusal::BadCredentials {
                remaining: MAX_FAILED_LOGINS - failed,
            });
        }
        let until = now + lock_duration(int(&row, "lock_level")?);
        sqlx::query(
            "UPDATE login_failures_unknown SET failed_logins = 0, lock_level = lock_level + 1, locked_until = $1 \
             WHERE mobile_index = $2",
        )
        .bind(until)
        .bind(index)
        .execute(self.db.pool())
        .await?;
        Ok(Refusal::Locked { until })
    }

    /// Sets a new password after an SMS code to the registered number and a second proof
    /// (`proof`: the last four digits of one of the customer's cards, or the resident ID): a
    /// code alone is what a swapped SIM card gives a thief. Lifts a lock, ends every session,
    /// forgets every remembered browser (each needs an SMS code again), and, when the customer
    /// has passkeys, asks them to review those at their next sign-in.
    pub async fn reset_password(
        &self,
        mobile: &Mobile,
        otp_code: &str,
        proof: &str,
        new_password: &str,
    ) -> Result<String> {
        let id = self
            .find_by_mobile(mobile)
            .await?
            .ok_or(Refusal::OtpExpired)?;
        password::check(new_password, &[mobile.as_str()])
            .map_err(|p| Refusal::WeakPassword(format!("{p:?}")))?;
        if !self.proves_holder(&id, proof).await? {
            self.audit(
                &id,
                Action::PasswordResetRefused,
                &id,
                serde_json::json!({}),
            )
            .await?;
            return Err(Refusal::ResetProofWrong.into());
        }
        self.otp()
            .verify(mobile, Purpose::ResetPassword, &Binding::none(), otp_code)
            .await?;
        let now = self.clock.now();
        let hash = password::hash(new_password).await?;
        let passkeys: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM passkeys WHERE customer_id = $1")
                .bind(&id)
                .fetch_one(self.db.pool())
                .await?;
        crate::db::in_transaction(self.db, |conn| {
            let (id, hash) = (id.clone(), hash.clone());
            Box::pin(async move {
                sqlx::query(
                    "UPDATE customers SET password_hash = $1, failed_logins = 0, lock_level = 0, locked_until = NULL, \
                     passkey_review_due = $2 WHERE id = $3",
                )
                .bind(hash)
                .bind(i64::from(passkeys > 0))
                .bind(&id)
                .execute(&mut *conn)
                .await?;
                sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE customer_id = $2 AND revoked_at IS NULL")
                    .bind(now)
                    .bind(&id)
                    .execute(&mut *conn)
                    .await?;
                sqlx::query("DELETE FROM known_devices WHERE customer_id = $1")
                    .bind(&id)
                    .execute(&mut *conn)
                    .await?;
                Ok(())
            })
        })
        .await?;
        self.audit(
            &id,
            Action::PasswordReset,
            &id,
            serde_json::json!({ "sessions_ended": true, "passkeys": passkeys }),
        )
        .await?;
        Ok(id)
    }

    /// Whether `proof` is the last four digits of one of the customer's cards or their
    /// resident ID.
    async fn proves_holder(&self, customer_id: &str, proof: &str) -> Result<bool> {
        let proof = proof.trim();
        if proof.len() == 4 && proof.bytes().all(|b| b.is_ascii_digit()) {
            let cards: Vec<String> = sqlx::query_scalar(
                "SELECT card_no FROM accounts WHERE customer_id = $1 AND card_no IS NOT NULL",
            )
            .bind(customer_id)
            .fetch_all(self.db.pool())
            .await?;
            return Ok(cards.iter().any(|c| c.ends_with(proof)));
        }
        let today = Date::from_days(self.clock.china_day());
        let Ok(id) = ResidentId::parse(proof, today) else {
            return Ok(false);
        };
        let stored: Option<String> =
            sqlx::query_scalar("SELECT resident_id_index FROM customers WHERE id = $1")
                .bind(customer_id)
                .fetch_optional(self.db.pool())
                .await?;
        Ok(stored.as_deref() == Some(&self.keys.blind_index(Field::ResidentId, id.as_str())))
    }

    /// Whether the customer should review their passkeys (a password reset since they last
    /// said all of them are theirs).
    pub async fn passkey_review_due(&self, customer_id: &str) -> Result<bool> {
        let due: Option<i64> =
            sqlx::query_scalar("SELECT passkey_review_due FROM customers WHERE id = $1")
                .bind(customer_id)
                .fetch_optional(self.db.pool())
                .await?;
        Ok(due == Some(1))
    }

    /// The customer has reviewed their passkeys.
    pub async fn passkeys_reviewed(&self, customer_id: &str) -> Result<()> {
        sqlx::query("UPDATE customers SET passkey_review_due = 0 WHERE id = $1")
            .bind(customer_id)
            .execute(self.db.pool())
            .await?;
        Ok(())
    }

    /// The masked profile.
    pub async fn profile(&self, customer_id: &str) -> Result<Profile> {
        let r = sqlx::query(
            "SELECT c.id, c.bank_code, i.short_name, c.mobile_masked, c.name_masked, c.resident_id_masked, c.created_at \
             FROM customers c JOIN institutions i ON i.code = c.bank_code WHERE c.id = $1",
        )
        .bind(customer_id)
        .fetch_optional(self.db.pool())
        .await?
        .ok_or_else(|| Error::NotFound(format!("customer {customer_id}")))?;
        Ok(Profile {
            id: r.try_get("id")?,
            bank_code: r.try_get("bank_code")?,
            bank_name: r.try_get("short_name")?,
            mobile_masked: r.try_get("mobile_masked")?,
            name_masked: r.try_get("name_masked")?,
            resident_id_masked: r.try_get("resident_id_masked")?,
            created_at: r.try_get("created_at")?,
        })
    }

    /// The customer's own mobile number in full (to send them codes).
    pub async fn mobile_of(&self, customer_id: &str) -> Result<Mobile> {
        let sealed: String = sqlx::query("SELECT mobile_sealed FROM customers WHERE id = $1")
            .bind(customer_id)
            .fetch_optional(self.db.pool())
            .await?
            .ok_or_else(|| Error::NotFound(format!("customer {customer_id}")))?
            .try_get("mobile_sealed")?;
        Mobile::parse(&self.keys.open(customer_id, Field::Mobile, &sealed)?)
    }

    /// The customer's real name and resident ID in full, for a request the customer made to an
    /// outside body in their own name (signing up for the e-social-security card): the caller
    /// audits that request.
    pub async fn person_of(&self, customer_id: &str) -> Result<(RealName, ResidentId)> {
        let row =
            sqlx::query("SELECT name_sealed, resident_id_sealed FROM customers WHERE id = $1")
                .bind(customer_id)
                .fetch_optional(self.db.pool())
                .await?
                .ok_or_else(|| Error::NotFound(format!("customer {customer_id}")))?;
        let name: String = row.try_get("name_sealed")?;
        let id: String = row.try_get("resident_id_sealed")?;
        let today = Date::from_days(self.clock.china_day());
        Ok((
            RealName::parse(&self.keys.open(customer_id, Field::Name, &name)?)?,
            ResidentId::parse(&self.keys.open(customer_id, Field::ResidentId, &id)?, today)?,
        ))
    }

    /// A field in full, for the customer's own eyes after step-up; the reveal is audited.
    pub async fn reveal(&self, customer_id: &str, field: Field) -> Result<String> {
        let column = match field {
            Field::Mobile => "mobile_sealed",
            Field::ResidentId => "resident_id_sealed",
            Field::Name => "name_sealed",
            // Not a field of the customer's profile.
            Field::OtpSecret | Field::FreeText | Field::Contract => {
                return Err(Error::NotFound("customer field".into()))
            }
        };
        let sealed: String = sqlx::query(&format!(
            "SELECT {column} AS v FROM customers WHERE id = $1"
        ))
        .bind(customer_id)
        .fetch_optional(self.db.pool())
        .await?
        .ok_or_else(|| Error::NotFound(format!("customer {customer_id}")))?
        .try_get("v")?;
        let value = self.keys.open(customer_id, field, &sealed)?;
        self.audit(
            customer_id,
            Action::PiiRevealed,
            customer_id,
            serde_json::json!({ "field": column }),
        )
        .await?;
        Ok(value)
    }
}

#[cfg(test)]
mod tests;

/// Drops the counts of wrong sign-ins for unknown numbers untouched since `before` and not
/// locked now (the housekeeping worker).
pub async fn purge_unknown_failures(db: &Db, before: Millis, now: Millis) -> Result<u64> {
    Ok(sqlx::query(
        "DELETE FROM login_failures_unknown WHERE updated_at < $1 AND (locked_until IS NULL OR locked_until < $2)",
    )
    .bind(before)
    .bind(now)
    .execute(db.pool())
    .await?
    .rows_affected())
}

fn int(row: &sqlx::any::AnyRow, column: &str) -> Result<i64> {
    Ok(row
        .try_get::<i64, _>(column)
        .or_else(|_| row.try_get::<i32, _>(column).map(i64::from))?)
}

/// Fills in the year of birth (the 60-and-over segment of targeted content) for customers
/// registered before it was kept, from the sealed resident ID; returns how many it filled.
pub async fn fill_birth_years(db: &Db, keys: &KeyRing, batch: i64) -> Result<usize> {
    let rows = sqlx::query(
        "SELECT id, resident_id_sealed FROM customers WHERE birth_year IS NULL ORDER BY id LIMIT $1",
    )
    .bind(batch)
    .fetch_all(db.pool())
    .await?;
    let mut filled = 0;
    for r in &rows {
        let id: String = r.try_get("id")?;
        let sealed: String = r.try_get("resident_id_sealed")?;
        // Digits 7 to 10 of the resident ID are the year of birth; a row that cannot be read
        // (a test fixture) gets 0, which no segment matches, so it is not read again.
        let year = keys
            .open(&id, Field::ResidentId, &sealed)
            .ok()
            .and_then(|rid| rid.get(6..10).and_then(|y| y.parse::<i64>().ok()))
            .unwrap_or(0);
        sqlx::query("UPDATE customers SET birth_year = $1 WHERE id = $2 AND birth_year IS NULL")
            .bind(year)
            .bind(&id)
            .execute(db.pool())
            .await?;
        filled += 1;
    }
    Ok(filled)
}
