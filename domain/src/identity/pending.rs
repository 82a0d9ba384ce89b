//! Multi-step flows (sign-in with an SMS code on a new browser, registration, password reset)
//! keep their state between steps here, per browser, sealed: no mobile number in a URL or a
//! form field between steps, and every step works as a plain form post.

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::clock::{Clock, MINUTE};
use crate::pii::{Field, KeyRing};
use crate::{Db, Result};

/// Which flow a browser is in the middle of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Login,
    Register,
    ResetPassword,
    /// A step-up code was sent to see personal data in full.
    Reveal,
    /// The code was right: full values may be shown on this browser until the flow expires.
    RevealGranted,
    /// A transfer filled in and waiting for confirmation (and its step-up code, if needed).
    Transfer,
    /// A code was sent to add a passkey.
    PasskeyAdd,
    /// The code was right: this browser may register a passkey until the flow expires.
    PasskeyGranted,
    /// A code was sent to sign up for an e-card; the flow's data is the card kind's slug.
    ECardSignUp,
}

impl Flow {
    fn as_str(self) -> &'static str {
        match self {
            Flow::Login => "login",
            Flow::Register => "register",
            Flow::ResetPassword => "reset_password",
            Flow::Reveal => "reveal",
            Flow::RevealGranted => "reveal_granted",
            Flow::Transfer => "transfer",
            Flow::PasskeyAdd => "passkey_add",
            Flow::PasskeyGranted => "passkey_granted",
            Flow::ECardSignUp => "ecard_sign_up",
        }
    }
}

/// What a flow remembers between its steps.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub mobile: String,
    /// Known once the password has been checked (sign-in) or the customer found (reset).
    pub customer_id: Option<String>,
    /// The flow's own state as JSON (a transfer's request), sealed with the rest.
    #[serde(default)]
    pub data: String,
}

fn owner(device_id: &str) -> String {
    format!("pending:{device_id}")
}

/// Starts (or restarts) a flow for a browser; it lasts five minutes, like the code it waits for.
pub async fn put(
    db: &Db,
    clock: &dyn Clock,
    keys: &KeyRing,
    device_id: &str,
    flow: Flow,
    pending: &Pending,
) -> Result<()> {
    let json = serde_json::to_string(pending).map_err(|e| crate::Error::Internal(e.to_string()))?;
    let sealed = keys.seal(&owner(device_id), Field::Mobile, &json)?;
    let _turn = db.write_turn().await;
    sqlx::query(
        "INSERT INTO pending_flows (device_id, flow, payload, expires_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (device_id, flow) DO UPDATE SET payload = $3, expires_at = $4",
    )
    .bind(device_id)
    .bind(flow.as_str())
    .bind(sealed)
    .bind(clock.now() + 5 * MINUTE)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// The flow's state, if the browser is in it and it has not expired.
pub async fn get(
    db: &Db,
    clock: &dyn Clock,
    keys: &KeyRing,
    device_id: &str,
    flow: Flow,
) -> Result<Option<Pending>> {
    let row = sqlx::query(
        "SELECT payload, expires_at FROM pending_flows WHERE device_id = $1 AND flow = $2",
    )
    .bind(device_id)
    .bind(flow.as_str())
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    if row.try_get::<i64, _>("expires_at")? <= clock.now() {
        return Ok(None);
    }
    let json = keys.open(
        &owner(device_id),
        Field::Mobile,
        &row.try_get::<String, _>("payload")?,
    )?;
    Ok(serde_json::from_str(&json).ok())
}

/// Ends the flow.
pub async fn clear(db: &Db, device_id: &str, flow: Flow) -> Result<()> {
    let _turn = db.write_turn().await;
    sqlx::query("DELETE FROM pending_flows WHERE device_id = $1 AND flow = $2")
        .bind(device_id)
        .bind(flow.as_str())
        .execute(db.pool())
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::testing;

    #[tokio::test]
    async fn flows_are_per_browser_sealed_and_expire() {
        for t in testing::databases().await {
            let clock = ManualClock::at(1_000_000);
            let keys = KeyRing::development();
            let p = Pending {
                mobile: "13812341234".into(),
                customer_id: Some("c1".into()),
                data: String::new(),
            };
            put(&t.db, &clock, &keys, "dev-a", Flow::Login, &p)
                .await
                .unwrap();
            let raw: String = sqlx::query("SELECT payload FROM pending_flows")
                .fetch_one(t.db.pool())
                .await
                .unwrap()
                .get(0);
            assert!(!raw.contains("13812341234"));
            assert_eq!(
                get(&t.db, &clock, &keys, "dev-a", Flow::Login)
                    .await
                    .unwrap(),
                Some(p.clone())
            );
            assert_eq!(
                get(&t.db, &clock, &keys, "dev-b", Flow::Login)
                    .await
                    .unwrap(),
                None,
                "another browser"
            );
            assert_eq!(
                get(&t.db, &clock, &keys, "dev-a", Flow::Register)
                    .await
                    .unwrap(),
                None,
                "another flow"
            );
            clock.advance(5 * MINUTE);
            assert_eq!(
                get(&t.db, &clock, &keys, "dev-a", Flow::Login)
                    .await
                    .unwrap(),
                None,
                "expired"
            );
            put(&t.db, &clock, &keys, "dev-a", Flow::Login, &p)
                .await
                .unwrap();
            clear(&t.db, "dev-a", Flow::Login).await.unwrap();
            assert_eq!(
                get(&t.db, &clock, &keys, "dev-a", Flow::Login)
                    .await
                    .unwrap(),
                None
            );
            t.finish().await;
        }
    }
}
