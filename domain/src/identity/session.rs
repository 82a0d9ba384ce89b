//! Server-side sessions, stored in the database so any app node can serve any request. The
//! cookie carries a random 256-bit token; the table keeps only its SHA-256, so a copy of the
//! table opens no session. A session ends after `idle` without activity (PSD2 RTS art. 4(3)(d):
//! at most 5 minutes), at its absolute lifetime, at sign-out, or when revoked from another
//! device.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::clock::{Clock, Millis, HOUR, MINUTE, SECOND};
use crate::error::Refusal;
use crate::{Db, Error, Result};

/// How long sessions live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle: Millis,
    pub absolute: Millis,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        SessionPolicy {
            idle: 5 * MINUTE,
            absolute: 12 * HOUR,
        }
    }
}

/// A signed-in session as the server sees it on each request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub id: String,
    pub customer_id: String,
    pub device_id: String,
    /// When the session ends if nothing happens (for the idle warning).
    pub idle_deadline: Millis,
}

/// A session as "my devices" lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub id: String,
    pub device_label: String,
    pub created_at: Millis,
    pub last_seen_at: Millis,
    pub current: bool,
}

/// The stored form of a cookie token.
pub(crate) fn digest(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new random token for a cookie.
pub fn new_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Error::Config(format!("no randomness: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// A short, readable label for a browser from its User-Agent (shown in "my devices").
pub fn device_label(user_agent: &str) -> String {
    let ua = user_agent.to_ascii_lowercase();
    let os = if ua.contains("android") {
        "Android"
    } else if ua.contains("iphone") || ua.contains("ipad") {
        "iOS"
    } else if ua.contains("harmonyos") || ua.contains("openharmony") {
        "HarmonyOS"
    } else if ua.contains("windows") {
        "Windows"
    } else if ua.contains("mac os") {
        "macOS"
    } else if ua.contains("linux") {
        "Linux"
    } else {
        "?"
    };
    let browser = if ua.contains("micromessenger") {
        "WeChat"
    } else if ua.contains("edg/") {
        "Edge"
    } else if ua.contains("chrome") || ua.contains("chromium") {
        "Chrome"
    } else if ua.contains("firefox") {
        "Firefox"
    } else if ua.contains("safari") {
        "Safari"
    } else {
        "Browser"
    };
    format!("{browser} · {os}")
}

/// Starts a session for a customer who has just proven who they are; returns the token for
/// the cookie. A fresh token at every sign-in: no session fixation.
pub async fn create(
    db: &Db,
    clock: &dyn Clock,
    customer_id: &str,
    device_id: &str,
    user_agent: &str,
    policy: SessionPolicy,
) -> Result<String> {
    let token = new_token()?;
    let now = clock.now();
    let ua: String = user_agent.chars().take(300).collect();
    let _turn = db.write_turn().await;
    sqlx::query(
        "INSERT INTO sessions (token_digest, id, customer_id, device_id, user_agent, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6, $7)",
    )
    .bind(digest(&token))
    .bind(crate::id::new_id())
    .bind(customer_id)
    .bind(device_id)
    .bind(ua)
    .bind(now)
    .bind(now + policy.absolute)
    .execute(db.pool())
    .await?;
    Ok(token)
}

/// The live session behind a cookie token, refreshed as active; `SignedOut` when there is none.
pub async fn authenticate(
    db: &Db,
    clock: &dyn Clock,
    token: &str,
    policy: SessionPolicy,
) -> Result<Session> {
    lookup(db, clock, token, policy, true).await
}

/// The live session behind a token without counting the look as activity (the idle warning
/// asks how long is left; asking must not keep the session alive).
pub async fn peek(
    db: &Db,
    clock: &dyn Clock,
    token: &str,
    policy: SessionPolicy,
) -> Result<Session> {
    lookup(db, clock, token, policy, false).await
}

async fn lookup(
    db: &Db,
    clock: &dyn Clock,
    token: &str,
    policy: SessionPolicy,
    touch: bool,
) -> Result<Session> {
    let now = clock.now();
    let row = sqlx::query(
        "SELECT id, customer_id, device_id, last_seen_at, expires_at, revoked_at FROM sessions WHERE token_digest = $1",
    )
    .bind(digest(token))
    .fetch_optional(db.pool())
    .await?
    .ok_or(Refusal::SignedOut)?;
    let revoked: Option<i64> = row.try_get("revoked_at")?;
    let last_seen: i64 = row.try_get("last_seen_at")?;
    let expires: i64 = row.try_get("expires_at")?;
    if revoked.is_some() || now >= expires || now >= last_seen + policy.idle {
        return Err(Refusal::SignedOut.into());
    }
    let id: String = row.try_get("id")?;
    // Refresh at most every few seconds: a page's burst of calls costs one write.
    let touch = touch && now - last_seen >= 5 * SECOND;
    if touch {
        let _turn = db.write_turn().await;
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now)
            .bind(&id)
            .execute(db.pool())
            .await?;
    }
    let last_seen = if touch { now } else { last_seen };
    Ok(Session {
        id,
        customer_id: row.try_get("customer_id")?,
        device_id: row.try_get("device_id")?,
        idle_deadline: (last_seen + policy.idle).min(expires),
    })
}

/// Ends one of the customer's own sessions; false if it had already ended, "not found" if it is
/// not theirs.
pub async fn revoke(
    db: &Db,
    clock: &dyn Clock,
    customer_id: &str,
    session_id: &str,
) -> Result<bool> {
    let _turn = db.write_turn().await;
    let r = sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND customer_id = $3 AND revoked_at IS NULL")
        .bind(clock.now())
        .bind(session_id)
        .bind(customer_id)
        .execute(db.pool())
        .await?;
    if r.rows_affected() == 1 {
        return Ok(true);
    }
    // Already ended, or not the customer's at all ("not found", like any other's).
    let theirs = sqlx::query("SELECT 1 AS one FROM sessions WHERE id = $1 AND customer_id = $2")
        .bind(session_id)
        .bind(customer_id)
        .fetch_optional(db.pool())
        .await?;
    match theirs {
        Some(_) => Ok(false),
        None => Err(crate::Error::NotFound("session".into())),
    }
}

/// Ends every session of the customer ("sign out everywhere"); returns how many.
pub async fn revoke_all(db: &Db, clock: &dyn Clock, customer_id: &str) -> Result<u64> {
    let _turn = db.write_turn().await;
    let r = sqlx::query(
        "UPDATE sessions SET revoked_at = $1 WHERE customer_id = $2 AND revoked_at IS NULL",
    )
    .bind(clock.now())
    .bind(customer_id)
    .execute(db.pool())
    .await?;
    Ok(r.rows_affected())
}

/// The customer's live sessions, newest first; `current` marks the caller's.
pub async fn list(
    db: &Db,
    clock: &dyn Clock,
    customer_id: &str,
    current_id: &str,
    policy: SessionPolicy,
) -> Result<Vec<SessionInfo>> {
    let now = clock.now();
    let rows = sqlx::query(
        "SELECT id, user_agent, created_at, last_seen_at FROM sessions \
         WHERE customer_id = $1 AND revoked_at IS NULL AND expires_at > $2 AND last_seen_at > $3 \
         ORDER BY created_at DESC",
    )
    .bind(customer_id)
    .bind(now)
    .bind(now - policy.idle)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let id: String = r.try_get("id")?;
            Ok(SessionInfo {
                current: id == current_id,
                id,
                device_label: device_label(&r.try_get::<String, _>("user_agent")?),
                created_at: r.try_get("created_at")?,
                last_seen_at: r.try_get("last_seen_at")?,
            })
        })
        .collect()
}

/// Whether this browser has been proven with an SMS code by this customer before.
pub async fn is_known_device(db: &Db, customer_id: &str, device_id: &str) -> Result<bool> {
    Ok(
        sqlx::query("SELECT 1 AS one FROM known_devices WHERE customer_id = $1 AND device_id = $2")
            .bind(customer_id)
            .bind(device_id)
            .fetch_optional(db.pool())
            .await?
            .is_some(),
    )
}

/// Remembers a browser after it has been proven with an SMS code.
pub async fn remember_device(
    db: &Db,
    clock: &dyn Clock,
    customer_id: &str,
    device_id: &str,
    user_agent: &str,
) -> Result<()> {
    let now = clock.now();
    let _turn = db.write_turn().await;
    sqlx::query(
        "INSERT INTO known_devices (customer_id, device_id, label, first_seen_at, last_seen_at) VALUES ($1, $2, $3, $4, $4) \
         ON CONFLICT (customer_id, device_id) DO UPDATE SET last_seen_at = $4",
    )
    .bind(customer_id)
    .bind(device_id)
    .bind(device_label(user_agent))
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// A browser the customer has proven with an SMS code, as "my devices" lists it. `handle`
/// names it without revealing the device cookie itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownDevice {
    pub handle: String,
    pub label: String,
    pub first_seen_at: Millis,
    pub last_seen_at: Millis,
    pub current: bool,
}

fn device_handle(device_id: &str) -> String {
    digest(&format!("device|{device_id}"))[..16].to_string()
}

/// The customer's known browsers, most recently used first.
pub async fn known_devices(
    db: &Db,
    customer_id: &str,
    current_device: &str,
) -> Result<Vec<KnownDevice>> {
    let rows = sqlx::query(
        "SELECT device_id, label, first_seen_at, last_seen_at FROM known_devices WHERE customer_id = $1 ORDER BY last_seen_at DESC",
    )
    .bind(customer_id)
    .fetch_all(db.pool())
    .await?;
    rows.iter()
        .map(|r| {
            let device: String = r.try_get("device_id")?;
            Ok(KnownDevice {
                handle: device_handle(&device),
                current: device == current_device,
                label: r.try_get("label")?,
                first_seen_at: r.try_get("first_seen_at")?,
                last_seen_at: r.try_get("last_seen_at")?,
            })
        })
        .collect()
}

/// Forgets one of the customer's known browsers (its next sign-in needs the SMS code again)
/// and ends its sessions. False when the handle names none of the customer's devices.
pub async fn forget_device(
    db: &Db,
    clock: &dyn Clock,
    customer_id: &str,
    handle: &str,
) -> Result<bool> {
    let rows = sqlx::query("SELECT device_id FROM known_devices WHERE customer_id = $1")
        .bind(customer_id)
        .fetch_all(db.pool())
        .await?;
    for r in rows {
        let device: String = r.try_get("device_id")?;
        if device_handle(&device) == handle {
            let _turn = db.write_turn().await;
            sqlx::query("DELETE FROM known_devices WHERE customer_id = $1 AND device_id = $2")
                .bind(customer_id)
                .bind(&device)
                .execute(db.pool())
                .await?;
            sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE customer_id = $2 AND device_id = $3 AND revoked_at IS NULL")
                .bind(clock.now())
                .bind(customer_id)
                .bind(&device)
                .execute(db.pool())
                .await?;
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::testing;

    const UA: &str =
        "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/156.0 Mobile Safari/537.36";

    async fn customer(db: &Db, id: &str) {
        crate::institution::seed(db).await.unwrap();
        sqlx::query(
            "INSERT INTO customers (id, bank_code, mobile_index, resident_id_index, mobile_sealed, resident_id_sealed, name_sealed, \
             mobile_masked, resident_id_masked, name_masked, password_hash, terms_version, terms_accepted_at, created_at) \
             VALUES ($1, 'B001', $1, $1, 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'v', 0, 0)",
        )
        .bind(id)
        .execute(db.pool())
        .await
        .unwrap();
    }

    fn signed_out(r: Result<Session>) -> bool {
        matches!(r, Err(Error::Refused(Refusal::SignedOut)))
    }

    #[tokio::test]
    async fn idle_and_absolute_timeouts() {
        for t in testing::databases().await {
            let db = &t.db;
            customer(db, "c1").await;
            let clock = ManualClock::at(1_000_000);
            let policy = SessionPolicy {
                idle: 5 * MINUTE,
                absolute: HOUR,
            };
            let token = create(db, &clock, "c1", "dev-a", UA, policy).await.unwrap();
            let stored: String = sqlx::query("SELECT token_digest FROM sessions")
                .fetch_one(db.pool())
                .await
                .unwrap()
                .get(0);
            assert_ne!(stored, token, "only the digest is stored");

            let s = authenticate(db, &clock, &token, policy).await.unwrap();
            assert_eq!(s.customer_id, "c1");
            assert_eq!(s.idle_deadline, 1_000_000 + 5 * MINUTE);
            // Activity keeps it alive past five minutes in total…
            for _ in 0..4 {
                clock.advance(4 * MINUTE);
                authenticate(db, &clock, &token, policy).await.unwrap();
            }
            // Peeking is not activity.
            clock.advance(4 * MINUTE);
            assert_eq!(
                peek(db, &clock, &token, policy)
                    .await
                    .unwrap()
                    .idle_deadline,
                clock.now() + MINUTE
            );
            clock.advance(MINUTE);
            assert!(signed_out(peek(db, &clock, &token, policy).await));
            let token = create(db, &clock, "c1", "dev-a", UA, policy).await.unwrap();
            // …and five idle minutes end a session.
            clock.advance(5 * MINUTE);
            assert!(signed_out(authenticate(db, &clock, &token, policy).await));

            let token = create(db, &clock, "c1", "dev-a", UA, policy).await.unwrap();
            // Activity every four minutes keeps it alive for 56 minutes…
            for _ in 0..14 {
                clock.advance(4 * MINUTE);
                authenticate(db, &clock, &token, policy).await.unwrap();
            }
            // …and not past the hour, however active.
            clock.advance(4 * MINUTE);
            assert!(
                signed_out(authenticate(db, &clock, &token, policy).await),
                "absolute lifetime"
            );
            assert!(signed_out(
                authenticate(db, &clock, "no-such-token", policy).await
            ));
            t.finish().await;
        }
    }

    #[tokio::test]
    async fn revoking_from_another_device_and_everywhere() {
        for t in testing::databases().await {
            let db = &t.db;
            customer(db, "c1").await;
            customer(db, "c2").await;
            let clock = ManualClock::at(1_000_000);
            let policy = SessionPolicy::default();
            let phone = create(db, &clock, "c1", "dev-a", UA, policy).await.unwrap();
            let laptop = create(
                db,
                &clock,
                "c1",
                "dev-b",
                "Mozilla/5.0 (Windows NT 10.0) Firefox/140.0",
                policy,
            )
            .await
            .unwrap();
            let other = create(db, &clock, "c2", "dev-c", UA, policy).await.unwrap();
            let me = authenticate(db, &clock, &phone, policy).await.unwrap();
            let sessions = list(db, &clock, "c1", &me.id, policy).await.unwrap();
            assert_eq!(sessions.len(), 2);
            assert_eq!(sessions.iter().filter(|s| s.current).count(), 1);
            assert!(sessions
                .iter()
                .any(|s| s.device_label == "Firefox · Windows"));
            assert!(sessions
                .iter()
                .any(|s| s.device_label == "Chrome · Android"));

            let laptop_id = sessions.iter().find(|s| !s.current).unwrap().id.clone();
            let others_id = authenticate(db, &clock, &other, policy).await.unwrap().id;
            assert!(
                matches!(
                    revoke(db, &clock, "c1", &others_id).await,
                    Err(Error::NotFound(_))
                ),
                "not someone else's session"
            );
            assert!(authenticate(db, &clock, &other, policy).await.is_ok());
            assert!(revoke(db, &clock, "c1", &laptop_id).await.unwrap());
            assert!(
                !revoke(db, &clock, "c1", &laptop_id).await.unwrap(),
                "ended already"
            );
            assert!(signed_out(authenticate(db, &clock, &laptop, policy).await));
            assert!(authenticate(db, &clock, &phone, policy).await.is_ok());

            assert_eq!(revoke_all(db, &clock, "c1").await.unwrap(), 1);
            assert!(signed_out(authenticate(db, &clock, &phone, policy).await));
            assert!(
                authenticate(db, &clock, &other, policy).await.is_ok(),
                "other customers unaffected"
            );

            assert!(!is_known_device(db, "c1", "dev-a").await.unwrap());
            remember_device(db, &clock, "c1", "dev-a", UA)
                .await
                .unwrap();
            remember_device(db, &clock, "c1", "dev-a", UA)
                .await
                .unwrap();
            assert!(is_known_device(db, "c1", "dev-a").await.unwrap());
            assert!(!is_known_device(db, "c2", "dev-a").await.unwrap());

            let known = known_devices(db, "c1", "dev-a").await.unwrap();
            assert_eq!(known.len(), 1);
            assert!(known[0].current && known[0].label == "Chrome · Android");
            assert!(!known[0].handle.contains("dev-a"));
            let again = create(db, &clock, "c1", "dev-a", UA, policy).await.unwrap();
            assert!(
                !forget_device(db, &clock, "c2", &known[0].handle)
                    .await
                    .unwrap(),
                "not another customer's"
            );
            assert!(forget_device(db, &clock, "c1", &known[0].handle)
                .await
                .unwrap());
            assert!(
                !is_known_device(db, "c1", "dev-a").await.unwrap(),
                "the next sign-in needs the code"
            );
            assert!(
                signed_out(authenticate(db, &clock, &again, policy).await),
                "its sessions end"
            );
            t.finish().await;
        }
    }
}
