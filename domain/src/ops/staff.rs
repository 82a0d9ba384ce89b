//! Staff accounts: created by an administrator of the same institution (or, for the first
//! province administrator, by the `create-staff` command), listed, disabled, and given new
//! credentials. A new member gets an issued password and an authenticator secret, shown once;
//! the issued password must be replaced at the first sign-in.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::{totp, Ops, Role, StaffMember};
use crate::audit::{self, Action, Entry};
use crate::error::Refusal;
use crate::identity::{password, RealName};
use crate::pii::Field;
use crate::{Error, Input, Result};

/// A staff member to create.
#[derive(Clone, Debug)]
pub struct NewStaff<'a> {
    pub institution: &'a str,
    pub login: &'a str,
    pub name: &'a str,
    pub roles: &'a [Role],
}

/// What a new member (or one whose credentials were reset) signs in with: shown once, to be
/// handed over; never stored in the clear.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    pub staff_id: String,
    pub login: String,
    pub password: String,
    pub totp_secret: Vec<u8>,
}

/// A member as the administrator's list shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffSummary {
    pub id: String,
    pub login: String,
    pub name_masked: String,
    pub roles: Vec<Role>,
    pub disabled: bool,
    pub locked: bool,
    pub created_at: i64,
}

/// Lower-case letters, digits, dots and hyphens; 3 to 32; starting with a letter or digit.
pub(super) fn normalize_login(login: &str) -> Result<String> {
    let login = login.trim().to_ascii_lowercase();
    let ok = (3..=32).contains(&login.len())
        && login
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        && login.as_bytes()[0].is_ascii_alphanumeric();
    if ok {
        Ok(login)
    } else {
        Err(Error::invalid(Input::StaffLogin, "staff login".into()))
    }
}

/// A password to hand over: 12 characters from an alphabet without look-alikes (0/O, 1/l/I).
fn issued_password() -> Result<String> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 12];
    getrandom::fill(&mut bytes).map_err(|e| Error::Config(format!("no randomness: {e}")))?;
    let mut out: String = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    // The password rules want letters and digits both.
    out.replace_range(11..12, "7");
    out.replace_range(0..1, "k");
    Ok(out)
}

impl Ops<'_> {
    pub(super) async fn audit_staff(
        &self,
        actor: &str,
        action: Action,
        subject: &str,
        institution: &str,
        detail: serde_json::Value,
    ) -> Result<()> {
        let mut detail = detail;
        if let serde_json::Value::Object(map) = &mut detail {
            map.insert("institution".into(), institution.into());
        }
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

    /// Creates a staff member. `by` is the administrator doing it, who may only add staff to
    /// their own institution; `None` is the `create-staff` command on the server itself.
    pub async fn create_staff(
        &self,
        by: Option<&StaffMember>,
        new: NewStaff<'_>,
    ) -> Result<Credentials> {
        if let Some(admin) = by {
            admin.require(Role::Admin)?;
            if admin.institution != new.institution {
                return Err(Error::NotFound("institution".into()));
            }
        }
        let password = issued_password()?;
        let secret = totp::new_secret()?;
        let created_by = by.map_or_else(|| "system".to_string(), StaffMember::actor);
        let (id, login) = self
            .insert_staff(&new, &password, &secret, true, &created_by)
            .await?;
        Ok(Credentials {
            staff_id: id,
            login,
            password,
            totp_secret: secret,
        })
    }

    /// Checks and stores a member with the given credentials, and audits it; returns the id
    /// and the normalized login.
    pub(crate) async fn insert_staff(
        &self,
        new: &NewStaff<'_>,
        password: &str,
        secret: &[u8],
        must_change_password: bool,
        created_by: &str,
    ) -> Result<(String, String)> {
        let login = normalize_login(new.login)?;
        let name = RealName::parse(new.name)?;
        let mut roles = new.roles.to_vec();
        roles.sort_unstable();
        roles.dedup();
        if roles.is_empty() {
            return Err(Error::invalid(Input::Roles, "no role".into()));
        }
        crate::institution::get(self.db, new.institution).await?;
        let id = crate::id::new_id();
        let hash = password::hash(password).await?;
        {
            let _turn = self.db.write_turn().await;
            let mut tx = self.db.pool().begin().await?;
            let inserted = sqlx::query(
                "INSERT INTO staff (id, institution, login, name_sealed, name_masked, password_hash, must_change_password, \
                 totp_sealed, totp_last_step, failed_logins, lock_level, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, 0, 0, $9, $10) ON CONFLICT (login) DO NOTHING",
            )
            .bind(&id)
            .bind(new.institution)
            .bind(&login)
            .bind(self.keys.seal(&id, Field::Name, name.as_str())?)
            .bind(name.masked())
            .bind(&hash)
            .bind(i64::from(must_change_password))
            .bind(self.keys.seal(&id, Field::OtpSecret, &totp::base32(secret))?)
            .bind(created_by)
            .bind(self.clock.now())
            .execute(&mut *tx)
            .await?;
            if inserted.rows_affected() == 0 {
                return Err(Refusal::StaffLoginTaken.into());
            }
            for role in &roles {
                sqlx::query("INSERT INTO staff_roles (staff_id, role) VALUES ($1, $2)")
                    .bind(&id)
                    .bind(role.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        }
        let roles: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        self.audit_staff(
            created_by,
            Action::StaffCreated,
            &id,
            new.institution,
            serde_json::json!({ "login": login, "roles": roles }),
        )
        .await?;
        Ok((id, login))
    }

    /// The staff of the administrator's own institution, by login.
    pub async fn list_staff(&self, admin: &StaffMember) -> Result<Vec<StaffSummary>> {
        admin.require(Role::Admin)?;
        let now = self.clock.now();
        let rows = sqlx::query(
            "SELECT s.id, s.login, s.name_masked, s.disabled_at, s.locked_until, s.created_at, r.role \
             FROM staff s LEFT JOIN staff_roles r ON r.staff_id = s.id \
             WHERE s.institution = $1 ORDER BY s.login, r.role",
        )
        .bind(&admin.institution)
        .fetch_all(self.db.pool())
        .await?;
        let mut out: Vec<StaffSummary> = Vec::new();
        for row in &rows {
            let id: String = row.try_get("id")?;
            let role: Option<String> = row.try_get("role")?;
            if out.last().is_none_or(|s| s.id != id) {
                let locked_until: Option<i64> = row.try_get("locked_until")?;
                let disabled_at: Option<i64> = row.try_get("disabled_at")?;
                out.push(StaffSummary {
                    id,
                    login: row.try_get("login")?,
                    name_masked: row.try_get("name_masked")?,
                    roles: Vec::new(),
                    disabled: disabled_at.is_some(),
                    locked: locked_until.is_some_and(|u| u > now),
                    created_at: row.try_get("created_at")?,
                });
            }
            if let (Some(last), Some(role)) =
                (out.last_mut(), role.as_deref().and_then(Role::parse))
            {
                last.roles.push(role);
            }
        }
        Ok(out)
    }

    /// The institution of a member the administrator may manage: their own institution's,
    /// never themselves; anyone else is "not found".
    async fn managed(&self, admin: &StaffMember, staff_id: &str) -> Result<()> {
        admin.require(Role::Admin)?;
        let institution: Option<String> =
            sqlx::query_scalar("SELECT institution FROM staff WHERE id = $1")
                .bind(staff_id)
                .fetch_optional(self.db.pool())
                .await?;
        match institution {
            Some(i) if i == admin.institution && staff_id != admin.id => Ok(()),
            _ => Err(Error::NotFound("staff".into())),
        }
    }

    /// Disables a member (their sessions end) or enables them again.
    pub async fn set_disabled(
        &self,
        admin: &StaffMember,
        staff_id: &str,
        disabled: bool,
    ) -> Result<()> {
        self.managed(admin, staff_id).await?;
        let now = self.clock.now();
        {
            let _turn = self.db.write_turn().await;
            let mut tx = self.db.pool().begin().await?;
            if disabled {
                sqlx::query("UPDATE staff SET disabled_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(staff_id)
                    .execute(&mut *tx)
                    .await?;
                end_sessions(&mut tx, staff_id, now).await?;
            } else {
                sqlx::query("UPDATE staff SET disabled_at = NULL WHERE id = $1")
                    .bind(staff_id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        }
        let action = if disabled {
            Action::StaffDisabled
        } else {
            Action::StaffEnabled
        };
        self.audit_staff(
            &admin.actor(),
            action,
            staff_id,
            &admin.institution,
            serde_json::json!({}),
        )
        .await
    }

    /// New issued password and authenticator secret for a member who lost theirs; their
    /// sessions end, a lock lifts.
    pub async fn reset_credentials(
        &self,
        admin: &StaffMember,
        staff_id: &str,
    ) -> Result<Credentials> {
        self.managed(admin, staff_id).await?;
        let password = issued_password()?;
        let secret = totp::new_secret()?;
        let hash = password::hash(&password).await?;
        let now = self.clock.now();
        let login: String = {
            let _turn = self.db.write_turn().await;
            let mut tx = self.db.pool().begin().await?;
            let login = sqlx::query_scalar(
                "UPDATE staff SET password_hash = $1, must_change_password = 1, totp_sealed = $2, totp_last_step = 0, \
                 failed_logins = 0, lock_level = 0, locked_until = NULL WHERE id = $3 RETURNING login",
            )
            .bind(&hash)
            .bind(self.keys.seal(staff_id, Field::OtpSecret, &totp::base32(&secret))?)
            .bind(staff_id)
            .fetch_one(&mut *tx)
            .await?;
            end_sessions(&mut tx, staff_id, now).await?;
            tx.commit().await?;
            login
        };
        self.audit_staff(
            &admin.actor(),
            Action::StaffCredentialsReset,
            staff_id,
            &admin.institution,
            serde_json::json!({}),
        )
        .await?;
        Ok(Credentials {
            staff_id: staff_id.to_string(),
            login,
            password,
            totp_secret: secret,
        })
    }

    /// A member replaces their password (the issued one at the first sign-in, or any time).
    pub async fn change_password(
        &self,
        member: &StaffMember,
        current: &str,
        new: &str,
    ) -> Result<()> {
        let stored: String = sqlx::query_scalar("SELECT password_hash FROM staff WHERE id = $1")
            .bind(&member.id)
            .fetch_one(self.db.pool())
            .await?;
        if !password::verify(current, &stored).await? {
            return Err(Refusal::StaffSignInFailed { remaining: 0 }.into());
        }
        if current == new {
            return Err(Refusal::WeakPassword("same as before".into()).into());
        }
        password::check(new, &[&member.login])
            .map_err(|p| Error::Refused(Refusal::WeakPassword(format!("{p:?}"))))?;
        let hash = password::hash(new).await?;
        {
            let _turn = self.db.write_turn().await;
            sqlx::query(
                "UPDATE staff SET password_hash = $1, must_change_password = 0 WHERE id = $2",
            )
            .bind(&hash)
            .bind(&member.id)
            .execute(self.db.pool())
            .await?;
        }
        self.audit_staff(
            &member.actor(),
            Action::StaffPasswordChanged,
            &member.id,
            &member.institution,
            serde_json::json!({}),
        )
        .await
    }
}

pub(super) async fn end_sessions(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    staff_id: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE staff_sessions SET revoked_at = $1 WHERE staff_id = $2 AND revoked_at IS NULL",
    )
    .bind(now)
    .bind(staff_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
