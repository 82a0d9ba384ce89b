//! Staff sign-in (login, password and authenticator code in one step) and staff sessions.
//!
//! One answer for every wrong part: the login, the password or the code, so a guess learns
//! nothing about which was right. Five wrong tries in a row lock the login for a growing time
//! (as customers' sign-ins do); an administrator's credential reset lifts the lock. Sessions are
//! server-side rows behind a random cookie token (only its digest is stored) that end after 15
//! minutes without activity, after a working day, at sign-out, or when the member is disabled.

use sqlx::Row;

use super::{staff::normalize_login, totp, Ops, Role, StaffMember};
use crate::audit::Action;
use crate::clock::{Millis, HOUR, MINUTE, SECOND};
use crate::db::get_i64 as int;
use crate::error::Refusal;
use crate::identity::session::{digest, new_token};
use crate::identity::{lock_duration, password, MAX_FAILED_LOGINS};
use crate::pii::Field;
use crate::{Error, Result};

/// How long staff sessions live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StaffPolicy {
    pub idle: Millis,
    pub absolute: Millis,
}

impl Default for StaffPolicy {
    fn default() -> Self {
        StaffPolicy {
            idle: 15 * MINUTE,
            absolute: 10 * HOUR,
        }
    }
}

/// A live staff session as each console request sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffSession {
    pub id: String,
    pub member: StaffMember,
    /// When the session ends if nothing happens.
    pub idle_deadline: Millis,
}

impl Ops<'_> {
    /// Signs a staff member in; returns the session token for the console's cookie.
    pub async fn sign_in(
        &self,
        login: &str,
        password: &str,
        code: &str,
        user_agent: &str,
        policy: StaffPolicy,
    ) -> Result<(String, StaffMember)> {
        let now = self.clock.now();
        let row = match normalize_login(login) {
            Ok(login) => sqlx::query(
                "SELECT id, institution, password_hash, totp_sealed, totp_last_step, lock_level, locked_until, disabled_at \
                 FROM staff WHERE login = $1",
            )
            .bind(login)
            .fetch_optional(self.db.pool())
            .await?,
            Err(_) => None,
        };
        let Some(row) = row else {
            // The work a real check does, and the answer a first wrong try gets.
            static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
            let dummy = DUMMY
                .get_or_try_init(|| password::hash("timing-equaliser-staff"))
                .await?;
            password::verify(password, dummy).await?;
            return Err(Refusal::StaffSignInFailed {
                remaining: MAX_FAILED_LOGINS - 1,
            }
            .into());
        };
        let id: String = row.try_get("id")?;
        let institution: String = row.try_get("institution")?;
        let locked_until: Option<i64> = row.try_get("locked_until")?;
        if let Some(until) = locked_until.filter(|u| *u > now) {
            return Err(Refusal::StaffLocked { until }.into());
        }
        let password_ok =
            password::verify(password, &row.try_get::<String, _>("password_hash")?).await?;
        let sealed: String = row.try_get("totp_sealed")?;
        let secret = totp::from_base32(&self.keys.open(&id, Field::OtpSecret, &sealed)?)
            .ok_or_else(|| Error::Internal("stored TOTP secret unreadable".into()))?;
        let step = totp::matching_step(&secret, code, now, int(&row, "totp_last_step")?);
        let step = match (password_ok, step) {
            (true, Some(step)) => step,
            _ => {
                return Err(self
                    .count_failure(&id, &institution, int(&row, "lock_level")?, now)
                    .await)
            }
        };
        let disabled: Option<i64> = row.try_get("disabled_at")?;
        if disabled.is_some() {
            return Err(Refusal::StaffDisabled.into());
        }
        let token = new_token()?;
        {
            let _turn = self.db.write_turn().await;
            let mut tx = self.db.pool().begin().await?;
            // The step moves forward once: a second sign-in with the same code finds it used.
            let fresh = sqlx::query(
                "UPDATE staff SET totp_last_step = $1, failed_logins = 0, lock_level = 0, locked_until = NULL \
                 WHERE id = $2 AND totp_last_step < $1",
            )
            .bind(step)
            .bind(&id)
            .execute(&mut *tx)
            .await?;
            if fresh.rows_affected() == 0 {
                drop(tx);
                drop(_turn);
                return Err(self
                    .count_failure(&id, &institution, int(&row, "lock_level")?, now)
                    .await);
            }
            sqlx::query(
                "INSERT INTO staff_sessions (token_digest, id, staff_id, user_agent, created_at, last_seen_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $5, $6)",
            )
            .bind(digest(&token))
            .bind(crate::id::new_id())
            .bind(&id)
            .bind(user_agent.chars().take(300).collect::<String>())
            .bind(now)
            .bind(now + policy.absolute)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        }
        let member = self.member(&id).await?;
        self.audit_staff(
            &member.actor(),
            Action::StaffSignedIn,
            &id,
            &institution,
            serde_json::json!({}),
        )
        .await?;
        Ok((token, member))
    }

    /// Counts a wrong try (atomically: concurrent tries each count) and locks at the fifth.
    async fn count_failure(&self, id: &str, institution: &str, level: i64, now: Millis) -> Error {
        match self.record_failure(id, institution, level, now).await {
            Ok(refusal) => refusal.into(),
            Err(e) => e,
        }
    }

    async fn record_failure(
        &self,
        id: &str,
        institution: &str,
        level: i64,
        now: Millis,
    ) -> Result<Refusal> {
        let failed = {
            let _turn = self.db.write_turn().await;
            let row = sqlx::query(
                "UPDATE staff SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
            )
            .bind(id)
            .fetch_one(self.db.pool())
            .await?;
            int(&row, "failed_logins")?
        };
        self.audit_staff(
            &format!("staff:{id}"),
            Action::StaffSignInFailed,
            id,
            institution,
            serde_json::json!({ "failed": failed }),
        )
        .await?;
        if failed < MAX_FAILED_LOGINS {
            return Ok(Refusal::StaffSignInFailed {
                remaining: MAX_FAILED_LOGINS - failed,
            });
        }
        let until = now + lock_duration(level);
        {
            let _turn = self.db.write_turn().await;
            sqlx::query(
                "UPDATE staff SET failed_logins = 0, lock_level = lock_level + 1, locked_until = $1 WHERE id = $2",
            )
            .bind(until)
            .bind(id)
            .execute(self.db.pool())
            .await?;
        }
        self.audit_staff(
            "system",
            Action::StaffLocked,
            id,
            institution,
            serde_json::json!({ "until": until, "level": level + 1 }),
        )
        .await?;
        Ok(Refusal::StaffLocked { until })
    }

    /// A member as the console works with them: institution, roles, whether their password is
    /// still the issued one. Read afresh for every request, so a role taken away is gone at once.
    async fn member(&self, id: &str) -> Result<StaffMember> {
        let rows = sqlx::query(
            "SELECT s.login, s.institution, s.name_masked, s.must_change_password, r.role \
             FROM staff s LEFT JOIN staff_roles r ON r.staff_id = s.id WHERE s.id = $1",
        )
        .bind(id)
        .fetch_all(self.db.pool())
        .await?;
        let first = rows.first().ok_or(Refusal::SignedOut)?;
        let mut roles: Vec<Role> = rows
            .iter()
            .filter_map(|r| r.try_get::<Option<String>, _>("role").ok().flatten())
            .filter_map(|r| Role::parse(&r))
            .collect();
        roles.sort_unstable();
        Ok(StaffMember {
            id: id.to_string(),
            login: first.try_get("login")?,
            institution: first.try_get("institution")?,
            name_masked: first.try_get("name_masked")?,
            roles,
            must_change_password: int(first, "must_change_password")? != 0,
        })
    }

    /// The live session behind a console cookie, refreshed as active; `SignedOut` when there
    /// is none (ended, idle too long, or the member disabled).
    pub async fn authenticate(&self, token: &str, policy: StaffPolicy) -> Result<StaffSession> {
        self.session_of(token, policy, true).await
    }

    /// The live session behind a token without counting the request as activity: what the
    /// console's idle warning asks in the background must not keep a session alive.
    pub async fn peek(&self, token: &str, policy: StaffPolicy) -> Result<StaffSession> {
        self.session_of(token, policy, false).await
    }

    async fn session_of(
        &self,
        token: &str,
        policy: StaffPolicy,
        activity: bool,
    ) -> Result<StaffSession> {
        let now = self.clock.now();
        let row = sqlx::query(
            "SELECT ss.id, ss.staff_id, ss.last_seen_at, ss.expires_at, ss.revoked_at, s.disabled_at \
             FROM staff_sessions ss JOIN staff s ON s.id = ss.staff_id WHERE ss.token_digest = $1",
        )
        .bind(digest(token))
        .fetch_optional(self.db.pool())
        .await?
        .ok_or(Refusal::SignedOut)?;
        let revoked: Option<i64> = row.try_get("revoked_at")?;
        let disabled: Option<i64> = row.try_get("disabled_at")?;
        let last_seen = int(&row, "last_seen_at")?;
        let expires = int(&row, "expires_at")?;
        if revoked.is_some()
            || disabled.is_some()
            || now >= expires
            || now >= last_seen + policy.idle
        {
            return Err(Refusal::SignedOut.into());
        }
        let id: String = row.try_get("id")?;
        // At most one write every few seconds for a page's burst of calls.
        let touch = activity && now - last_seen >= 5 * SECOND;
        if touch {
            let _turn = self.db.write_turn().await;
            sqlx::query("UPDATE staff_sessions SET last_seen_at = $1 WHERE id = $2")
                .bind(now)
                .bind(&id)
                .execute(self.db.pool())
                .await?;
        }
        let last_seen = if touch { now } else { last_seen };
        let member = self.member(&row.try_get::<String, _>("staff_id")?).await?;
        Ok(StaffSession {
            id,
            member,
            idle_deadline: (last_seen + policy.idle).min(expires),
        })
    }

    /// Ends the session behind a token (signing out twice is fine).
    pub async fn sign_out(&self, token: &str) -> Result<()> {
        let now = self.clock.now();
        let staff_id: Option<String> = {
            let _turn = self.db.write_turn().await;
            sqlx::query(
                "UPDATE staff_sessions SET revoked_at = $1 WHERE token_digest = $2 AND revoked_at IS NULL RETURNING staff_id",
            )
            .bind(now)
            .bind(digest(token))
            .fetch_optional(self.db.pool())
            .await?
            .map(|r| r.try_get::<String, _>("staff_id"))
            .transpose()?
        };
        if let Some(id) = staff_id {
            let member = self.member(&id).await?;
            self.audit_staff(
                &member.actor(),
                Action::StaffSignedOut,
                &id,
                &member.institution,
                serde_json::json!({}),
            )
            .await?;
        }
        Ok(())
    }
}
