//! Credentials just issued to a member, held for the administrator's next page only: a form
//! posted without JavaScript lands on a new page, and a password or secret must never travel
//! in its address. Sealed, kept five minutes at most, and gone once shown.

use serde::{Deserialize, Serialize};

use super::{Credentials, Ops};
use crate::clock::MINUTE;
use crate::pii::Field;
use crate::Result;

const FLOW: &str = "staff_issued";

#[derive(Serialize, Deserialize)]
struct Held {
    login: String,
    password: String,
    secret: String,
}

fn key(session_id: &str) -> String {
    format!("staff-session:{session_id}")
}

impl Ops<'_> {
    /// Keeps `issued` for the administrator's session (replacing anything held before).
    pub async fn hold_issued(&self, session_id: &str, issued: &Credentials) -> Result<()> {
        let held = Held {
            login: issued.login.clone(),
            password: issued.password.clone(),
            secret: super::totp::base32(&issued.totp_secret),
        };
        let json = serde_json::to_string(&held)
            .map_err(|e| crate::Error::Internal(format!("issued credentials: {e}")))?;
        let sealed = self.keys.seal(&key(session_id), Field::OtpSecret, &json)?;
        let _turn = self.db.write_turn().await;
        let mut tx = self.db.pool().begin().await?;
        sqlx::query("DELETE FROM pending_flows WHERE device_id = $1 AND flow = $2")
            .bind(key(session_id))
            .bind(FLOW)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO pending_flows (device_id, flow, payload, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(key(session_id))
        .bind(FLOW)
        .bind(sealed)
        .bind(self.clock.now() + 5 * MINUTE)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// What was held for the session, once: (login, password, base32 secret).
    pub async fn take_issued(&self, session_id: &str) -> Result<Option<(String, String, String)>> {
        let sealed: Option<String> = {
            let _turn = self.db.write_turn().await;
            sqlx::query_scalar(
                "DELETE FROM pending_flows WHERE device_id = $1 AND flow = $2 AND expires_at > $3 RETURNING payload",
            )
            .bind(key(session_id))
            .bind(FLOW)
            .bind(self.clock.now())
            .fetch_optional(self.db.pool())
            .await?
        };
        let Some(sealed) = sealed else {
            return Ok(None);
        };
        let json = self
            .keys
            .open(&key(session_id), Field::OtpSecret, &sealed)?;
        let held: Held = serde_json::from_str(&json)
            .map_err(|e| crate::Error::Internal(format!("issued credentials: {e}")))?;
        Ok(Some((held.login, held.password, held.secret)))
    }
}
