//! 指纹/面容登录: passkeys (WebAuthn). The phone's fingerprint or face unlock signs a challenge
//! with a key that never leaves the device; the server keeps only the public key.
//!
//! A passkey proves possession (the device) and inherence or knowledge (the fingerprint, face or
//! screen lock, which the authenticator checks: user verification is required), so it is a
//! complete sign-in on its own and can satisfy a step-up in place of an SMS code.
//!
//! Every ceremony's state stays on the server (`passkey_challenges`) and is taken exactly once,
//! so an answer cannot be replayed; a step-up challenge carries the same [`Binding`] as an SMS
//! code (customer, operation, amount, payee), so a passkey confirms exactly one operation.
//! Passkeys are discoverable (resident) credentials: signing in needs no mobile number, and the
//! server never says whether a number has a passkey.

use serde::{Deserialize, Serialize};
use sqlx::Row;
use webauthn_rs::prelude::{
    CreationChallengeResponse, DiscoverableAuthentication, Passkey, PasskeyAuthentication,
    PasskeyRegistration, PublicKeyCredential, RegisterPublicKeyCredential,
    RequestChallengeResponse, Url, Uuid, Webauthn, WebauthnBuilder,
};
use webauthn_rs_proto::ResidentKeyRequirement;

use super::otp::Binding;
use crate::audit::{self, Action, Entry};
use crate::clock::{Clock, Millis, MINUTE};
use crate::error::Refusal;
use crate::{Db, Error, Result};

/// How long the browser has to answer a challenge (the authenticator's own timeout is 5 minutes).
pub const CHALLENGE_LIFETIME: Millis = 5 * MINUTE;
/// At most this many passkeys per customer (a phone, a tablet, a spare: enough for anyone).
pub const MAX_PER_CUSTOMER: i64 = 10;

/// The portal as a WebAuthn relying party: its origin decides which site a passkey belongs to.
pub struct RelyingParty {
    webauthn: Webauthn,
    origin: Url,
}

impl std::fmt::Debug for RelyingParty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelyingParty")
            .field("origin", &self.origin())
            .finish_non_exhaustive()
    }
}

impl RelyingParty {
    /// `origin` is the address customers open the portal at: `https://bank.example`, or
    /// `http://localhost:3000` in development (browsers allow WebAuthn on plain HTTP only for
    /// localhost, and never for an IP address).
    pub fn new(origin: &str) -> Result<Self> {
        let config = |what: String| Error::Config(format!("passkey origin {origin:?}: {what}"));
        let url = Url::parse(origin).map_err(|e| config(e.to_string()))?;
        let host = url
            .host_str()
            .ok_or_else(|| config("no host".into()))?
            .to_string();
        if host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
            return Err(config(
                "WebAuthn needs a domain name, not an IP address".into(),
            ));
        }
        let webauthn = WebauthnBuilder::new(&host, &url)
            .map_err(|e| config(e.to_string()))?
            .rp_name("农商银行手机银行")
            // Development and the e2e suite run on several ports of localhost.
            .allow_any_port(host == "localhost")
            .build()
            .map_err(|e| config(e.to_string()))?;
        Ok(RelyingParty {
            webauthn,
            origin: url,
        })
    }

    /// The origin passkeys are bound to, for telling a customer where they work.
    pub fn origin(&self) -> &str {
        self.origin.as_str().trim_end_matches('/')
    }
}

/// A challenge for the browser, with the id it must come back with.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Challenge<T> {
    pub id: String,
    pub options: T,
}

/// A registered passkey as the settings page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeyInfo {
    pub id: String,
    pub label: String,
    pub created_at: Millis,
    pub last_used_at: Option<Millis>,
}

/// A step-up passed with a passkey: only [`Passkeys::finish_step_up`] makes one, so holding it
/// proves the customer confirmed the operation its binding names.
#[derive(Debug)]
pub struct Verified {
    customer_id: String,
    binding: Binding,
}

impl Verified {
    /// Whether this confirmation covers the operation: same customer, same binding (amount
    /// and payee unchanged since the challenge was issued).
    pub fn authorises(&self, customer_id: &str, binding: &Binding) -> bool {
        self.customer_id == customer_id && &self.binding == binding
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ceremony {
    Register,
    SignIn,
    StepUp,
}

impl Ceremony {
    fn as_str(self) -> &'static str {
        match self {
            Ceremony::Register => "register",
            Ceremony::SignIn => "sign_in",
            Ceremony::StepUp => "step_up",
        }
    }
}

/// A ceremony's state taken back from the database.
struct Taken {
    customer_id: Option<String>,
    binding: String,
    state: String,
}

fn credential_key(id: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(id)
}

fn to_json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| Error::Internal(format!("passkey state: {e}")))
}

fn from_json<T: for<'de> Deserialize<'de>>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(|e| Error::Internal(format!("passkey state: {e}")))
}

/// The customer's user handle for authenticators: their id, which is a UUID.
fn user_handle(customer_id: &str) -> Result<Uuid> {
    Uuid::parse_str(customer_id).map_err(|_| Error::Internal("customer id is not a UUID".into()))
}

/// What the verification libraries say goes to the log; the customer hears "it did not work".
fn failed(what: &str, e: impl std::fmt::Display) -> Error {
    tracing::info!(what, error = %e, "passkey ceremony refused");
    Refusal::PasskeyFailed.into()
}

/// The passkey service over its dependencies.
#[derive(Clone, Copy)]
pub struct Passkeys<'a> {
    pub db: &'a Db,
    pub clock: &'a dyn Clock,
    pub rp: &'a RelyingParty,
}

impl<'a> Passkeys<'a> {
    /// The customer's passkeys, oldest first.
    pub async fn list(&self, customer_id: &str) -> Result<Vec<PasskeyInfo>> {
        let rows = sqlx::query(
            "SELECT id, label, created_at, last_used_at FROM passkeys WHERE customer_id = $1 \
             ORDER BY created_at, id",
        )
        .bind(customer_id)
        .fetch_all(self.db.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PasskeyInfo {
                    id: r.try_get("id")?,
                    label: r.try_get("label")?,
                    created_at: r.try_get("created_at")?,
                    last_used_at: r.try_get("last_used_at")?,
                })
            })
            .collect()
    }

    /// The customer's credentials: (row id, stored JSON, parsed).
    async fn credentials(&self, customer_id: &str) -> Result<Vec<(String, String, Passkey)>> {
        let rows = sqlx::query(
            "SELECT id, credential FROM passkeys WHERE customer_id = $1 ORDER BY created_at, id",
        )
        .bind(customer_id)
        .fetch_all(self.db.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let raw: String = r.try_get("credential")?;
                let parsed = from_json(&raw)?;
                Ok((r.try_get("id")?, raw, parsed))
            })
            .collect()
    }

    async fn put_challenge(
        &self,
        ceremony: Ceremony,
        customer_id: Option<&str>,
        binding: &Binding,
        state: String,
    ) -> Result<String> {
        let id = crate::id::new_id();
        sqlx::query(
            "INSERT INTO passkey_challenges (id, purpose, customer_id, binding, state, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(ceremony.as_str())
        .bind(customer_id)
        .bind(binding.as_str())
        .bind(state)
        .bind(self.clock.now() + CHALLENGE_LIFETIME)
        .execute(self.db.pool())
        .await?;
        Ok(id)
    }

    /// Takes a ceremony's state exactly once: a second answer to the same challenge, an answer
    /// to another kind of ceremony or an expired one finds nothing.
    async fn take_challenge(&self, ceremony: Ceremony, id: &str) -> Result<Taken> {
        let row = sqlx::query(
            "DELETE FROM passkey_challenges WHERE id = $1 AND purpose = $2 \
             RETURNING customer_id, binding, state, expires_at",
        )
        .bind(id)
        .bind(ceremony.as_str())
        .fetch_optional(self.db.pool())
        .await?
        .ok_or(Refusal::PasskeyFailed)?;
        if row.try_get::<i64, _>("expires_at")? <= self.clock.now() {
            return Err(Refusal::PasskeyFailed.into());
        }
        Ok(Taken {
            customer_id: row.try_get("customer_id")?,
            binding: row.try_get("binding")?,
            state: row.try_get("state")?,
        })
    }

    async fn audit(&self, actor: &str, action: Action, detail: serde_json::Value) -> Result<()> {
        audit::append(
            self.db,
            self.clock,
            Entry {
                actor,
                action,
                subject: actor,
                detail,
            },
        )
        .await
        .map(|_| ())
    }

    /// Starts adding a passkey for a signed-in customer (who has just confirmed an SMS code:
    /// the caller's job). The authenticator shows `user_name` and `display_name`: pass masked
    /// values, the device keeps them.
    pub async fn start_registration(
        &self,
        customer_id: &str,
        user_name: &str,
        display_name: &str,
    ) -> Result<Challenge<CreationChallengeResponse>> {
        let existing = self.credentials(customer_id).await?;
        if existing.len() as i64 >= MAX_PER_CUSTOMER {
            return Err(Refusal::PasskeyLimit {
                max: MAX_PER_CUSTOMER,
            }
            .into());
        }
        let exclude = existing
            .iter()
            .map(|(_, _, p)| p.cred_id().clone())
            .collect();
        let (mut options, state) = self
            .rp
            .webauthn
            .start_passkey_registration(
                user_handle(customer_id)?,
                user_name,
                display_name,
                Some(exclude),
            )
            .map_err(|e| {
                Error::invalid(crate::Input::Request, format!("passkey registration: {e}"))
            })?;
        // Discoverable: signing in then needs no mobile number typed in first.
        if let Some(sel) = options.public_key.authenticator_selection.as_mut() {
            sel.resident_key = Some(ResidentKeyRequirement::Required);
            sel.require_resident_key = true;
        }
        let id = self
            .put_challenge(
                Ceremony::Register,
                Some(customer_id),
                &Binding::none(),
                to_json::<PasskeyRegistration>(&state)?,
            )
            .await?;
        Ok(Challenge { id, options })
    }

    /// Checks the authenticator's answer and stores the new passkey under `label`.
    pub async fn finish_registration(
        &self,
        customer_id: &str,
        challenge_id: &str,
        answer: &RegisterPublicKeyCredential,
        label: &str,
    ) -> Result<PasskeyInfo> {
        let taken = self
            .take_challenge(Ceremony::Register, challenge_id)
            .await?;
        if taken.customer_id.as_deref() != Some(customer_id) {
            return Err(Refusal::PasskeyFailed.into());
        }
        let state: PasskeyRegistration = from_json(&taken.state)?;
        let passkey = self
            .rp
            .webauthn
            .finish_passkey_registration(answer, &state)
            .map_err(|e| failed("registration", e))?;
        let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM passkeys WHERE customer_id = $1")
            .bind(customer_id)
            .fetch_one(self.db.pool())
            .await?
            .try_get("n")?;
        if count >= MAX_PER_CUSTOMER {
            return Err(Refusal::PasskeyLimit {
                max: MAX_PER_CUSTOMER,
            }
            .into());
        }
        let info = PasskeyInfo {
            id: crate::id::new_id(),
            label: label.chars().take(60).collect(),
            created_at: self.clock.now(),
            last_used_at: None,
        };
        let inserted = sqlx::query(
            "INSERT INTO passkeys (id, customer_id, credential_id, label, credential, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&info.id)
        .bind(customer_id)
        .bind(credential_key(passkey.cred_id().as_ref()))
        .bind(&info.label)
        .bind(to_json(&passkey)?)
        .bind(info.created_at)
        .execute(self.db.pool())
        .await;
        match inserted {
            Ok(_) => {}
            // A credential id belongs to one account only (WebAuthn §7.1 step 22).
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Err(Refusal::PasskeyAlreadyRegistered.into())
            }
            Err(e) => return Err(e.into()),
        }
        self.audit(
            customer_id,
            Action::PasskeyAdded,
            serde_json::json!({ "passkey": info.id }),
        )
        .await?;
        Ok(info)
    }

    /// Removes one of the customer's passkeys; someone else's is "not found".
    pub async fn remove(&self, customer_id: &str, id: &str) -> Result<()> {
        let done = sqlx::query("DELETE FROM passkeys WHERE id = $1 AND customer_id = $2")
            .bind(id)
            .bind(customer_id)
            .execute(self.db.pool())
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("passkey".into()));
        }
        self.audit(
            customer_id,
            Action::PasskeyRemoved,
            serde_json::json!({ "passkey": id }),
        )
        .await
    }

    /// Starts a sign-in with any passkey of this site (the browser offers the ones it has).
    pub async fn start_sign_in(&self) -> Result<Challenge<RequestChallengeResponse>> {
        let (mut options, state) = self
            .rp
            .webauthn
            .start_discoverable_authentication()
            .map_err(|e| Error::invalid(crate::Input::Request, format!("passkey sign-in: {e}")))?;
        // Asked for by a button press, not offered in the mobile number's autofill.
        options.mediation = None;
        let id = self
            .put_challenge(
                Ceremony::SignIn,
                None,
                &Binding::none(),
                to_json::<DiscoverableAuthentication>(&state)?,
            )
            .await?;
        Ok(Challenge { id, options })
    }

    /// Checks a sign-in answer; returns the customer it proves. The caller starts the session,
    /// and that is what the audit log records.
    pub async fn finish_sign_in(
        &self,
        challenge_id: &str,
        answer: &PublicKeyCredential,
    ) -> Result<String> {
        let taken = self.take_challenge(Ceremony::SignIn, challenge_id).await?;
        let state: DiscoverableAuthentication = from_json(&taken.state)?;
        let (handle, cred_id) = self
            .rp
            .webauthn
            .identify_discoverable_authentication(answer)
            .map_err(|e| failed("sign-in identify", e))?;
        let row = sqlx::query(
            "SELECT id, customer_id, credential FROM passkeys WHERE credential_id = $1",
        )
        .bind(credential_key(cred_id))
        .fetch_optional(self.db.pool())
        .await?
        // Removed from settings (or never registered here): the device still offers it.
        .ok_or(Refusal::PasskeyNotRegistered)?;
        let customer_id: String = row.try_get("customer_id")?;
        if user_handle(&customer_id)? != handle {
            return Err(failed(
                "sign-in",
                "user handle does not match the credential",
            ));
        }
        let key_id: String = row.try_get("id")?;
        let stored: String = row.try_get("credential")?;
        let mut passkey: Passkey = from_json(&stored)?;
        let result = self
            .rp
            .webauthn
            .finish_discoverable_authentication_v2(answer, state, &passkey)
            .map_err(|e| failed("sign-in", e))?;
        passkey.update_credential(&result);
        self.record_use(&key_id, &stored, &passkey).await?;
        Ok(customer_id)
    }

    /// Starts a step-up for an operation, answerable by any of the customer's passkeys.
    pub async fn start_step_up(
        &self,
        customer_id: &str,
        binding: &Binding,
    ) -> Result<Challenge<RequestChallengeResponse>> {
        let keys: Vec<Passkey> = self
            .credentials(customer_id)
            .await?
            .into_iter()
            .map(|(_, _, p)| p)
            .collect();
        if keys.is_empty() {
            return Err(Refusal::PasskeyNotRegistered.into());
        }
        let (options, state) = self
            .rp
            .webauthn
            .start_passkey_authentication(&keys)
            .map_err(|e| Error::invalid(crate::Input::Request, format!("passkey step-up: {e}")))?;
        let id = self
            .put_challenge(
                Ceremony::StepUp,
                Some(customer_id),
                binding,
                to_json::<PasskeyAuthentication>(&state)?,
            )
            .await?;
        Ok(Challenge { id, options })
    }

    /// Checks a step-up answer; the result authorises the operation the challenge was bound to.
    pub async fn finish_step_up(
        &self,
        customer_id: &str,
        challenge_id: &str,
        answer: &PublicKeyCredential,
    ) -> Result<Verified> {
        let taken = self.take_challenge(Ceremony::StepUp, challenge_id).await?;
        if taken.customer_id.as_deref() != Some(customer_id) {
            return Err(Refusal::PasskeyFailed.into());
        }
        let state: PasskeyAuthentication = from_json(&taken.state)?;
        let result = self
            .rp
            .webauthn
            .finish_passkey_authentication(answer, &state)
            .map_err(|e| failed("step-up", e))?;
        // The allow list held only this customer's passkeys; find the one used to record it.
        let used = self
            .credentials(customer_id)
            .await?
            .into_iter()
            .find(|(_, _, p)| p.cred_id() == result.cred_id());
        if let Some((key_id, stored, mut passkey)) = used {
            passkey.update_credential(&result);
            self.record_use(&key_id, &stored, &passkey).await?;
        } else {
            // Removed between the challenge and the answer: no longer good for anything.
            return Err(Refusal::PasskeyNotRegistered.into());
        }
        Ok(Verified {
            customer_id: customer_id.to_string(),
            binding: Binding::from_stored(taken.binding),
        })
    }

    /// Stores the new signature counter and the time of use, unless another use got there
    /// first (its counter is at least as new, so nothing is lost).
    async fn record_use(&self, key_id: &str, read: &str, updated: &Passkey) -> Result<()> {
        sqlx::query(
            "UPDATE passkeys SET credential = $1, last_used_at = $2 WHERE id = $3 AND credential = $4",
        )
        .bind(to_json(updated)?)
        .bind(self.clock.now())
        .bind(key_id)
        .bind(read)
        .execute(self.db.pool())
        .await?;
        Ok(())
    }
}

/// Deletes challenges nobody answered (the housekeeping worker).
pub async fn purge_expired(db: &Db, clock: &dyn Clock) -> Result<u64> {
    let done = sqlx::query("DELETE FROM passkey_challenges WHERE expires_at <= $1")
        .bind(clock.now())
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests;
