//! Sensitive personal data at rest: the mobile number, the resident ID and the real name are
//! stored encrypted with AES-256-GCM under a key derived per customer (HKDF-SHA256 from a master
//! key kept outside the database: 分散密钥, "dispersed keys"), and looked up through a keyed
//! blind index (HMAC-SHA256), never by plaintext.
//!
//! Sealed values carry the id of the master key that sealed them (`v1:<key id>:<base64>`), so
//! a new master key can become active while old rows are still readable, and
//! [`KeyRing::needs_rotation`] finds the rows a background pass ([`rotate`]) re-seals: rotation
//! without downtime. The ciphertext is bound to its owner and field (associated data), so a value copied
//! into another customer's row does not decrypt.

use std::collections::BTreeMap;

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit};
use base64::engine::general_purpose::STANDARD_NO_PAD as B64;
use base64::Engine;
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::{Error, Result};

pub mod rotate;

/// Which personal field a value is: part of the associated data and of the blind index input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Mobile,
    ResidentId,
    Name,
    /// A staff member's TOTP secret (not personal data, but as secret).
    OtpSecret,
    /// What a customer wrote in their own words (feedback) and the bank's answer to it: free
    /// text may hold anything personal.
    FreeText,
    /// A signed document naming the customer (a loan contract).
    Contract,
}

impl Field {
    fn label(self) -> &'static str {
        match self {
            Field::Mobile => "mobile",
            Field::ResidentId => "resident_id",
            Field::Name => "name",
            Field::OtpSecret => "otp_secret",
            Field::FreeText => "free_text",
            Field::Contract => "contract",
        }
    }
}

type Key = Zeroizing<[u8; 32]>;

/// The master keys (by id), which one seals new values, and the blind-index key.
pub struct KeyRing {
    masters: BTreeMap<String, Key>,
    active: String,
    index_key: Key,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        f.debug_struct("KeyRing")
            .field("key_ids", &self.masters.keys().collect::<Vec<_>>())
            .field("active", &self.active)
            .finish()
    }
}

fn decode_key(what: &str, b64: &str) -> Result<Key> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|_| Error::Config(format!("{what}: not base64")))?;
    let key: [u8; 32] = bytes
        .try_into()
        .map_err(|_| Error::Config(format!("{what}: must be 32 bytes")))?;
    Ok(Zeroizing::new(key))
}

impl KeyRing {
    /// From configuration: `masters` is `id:base64,id:base64…` (32-byte keys), `active` one of
    /// the ids, `index_key` a base64 32-byte key.
    pub fn new(masters: &str, active: &str, index_key: &str) -> Result<KeyRing> {
        let mut map = BTreeMap::new();
        for entry in masters.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (id, b64) = entry
                .split_once(':')
                .ok_or_else(|| Error::Config("PII_MASTER_KEYS: id:base64 expected".into()))?;
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(Error::Config(format!("PII_MASTER_KEYS: bad key id {id:?}")));
            }
            map.insert(id.to_string(), decode_key("PII_MASTER_KEYS", b64)?);
        }
        if !map.contains_key(active) {
            return Err(Error::Config(format!(
                "PII_ACTIVE_KEY {active:?} is not among PII_MASTER_KEYS"
            )));
        }
        Ok(KeyRing {
            masters: map,
            active: active.to_string(),
            index_key: decode_key("PII_INDEX_KEY", index_key)?,
        })
    }

    /// Fixed, publicly known keys for development, tests and the demo only. The server refuses
    /// them outside development mode.
    pub fn development() -> KeyRing {
        let b64 = |seed: u8| base64::engine::general_purpose::STANDARD.encode([seed; 32]);
        KeyRing::new(&format!("dev1:{}", b64(1)), "dev1", &b64(2)).expect("static development keys")
    }

    /// The id of the key that seals new values.
    pub fn active_key_id(&self) -> &str {
        &self.active
    }

    fn cipher(&self, key_id: &str, owner: &str) -> Result<Aes256Gcm> {
        let master = self
            .masters
            .get(key_id)
            .ok_or_else(|| Error::Config(format!("unknown PII key id {key_id}")))?;
        let mut derived: Key = Zeroizing::new([0u8; 32]);
        Hkdf::<Sha256>::new(Some(owner.as_bytes()), master.as_slice())
            .expand(b"bank-portal pii v1", derived.as_mut_slice())
            .map_err(|_| Error::Config("hkdf length".into()))?;
        Aes256Gcm::new_from_slice(derived.as_slice())
            .map_err(|_| Error::Config("aes key length".into()))
    }

    /// Encrypts `plaintext` of `field` for `owner` (the customer id) with the active key.
    pub fn seal(&self, owner: &str, field: Field, plaintext: &str) -> Result<String> {
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut nonce).map_err(|e| Error::Config(format!("no randomness: {e}")))?;
        let aad = format!("{owner}|{}", field.label());
        let ct = self
            .cipher(&self.active, owner)?
            .encrypt(
                &nonce.into(),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| Error::Config("encryption failed".into()))?;
        let mut blob = nonce.to_vec();
        blob.extend_from_slice(&ct);
        Ok(format!("v1:{}:{}", self.active, B64.encode(blob)))
    }

    /// Decrypts a sealed value; fails if it was tampered with or belongs to another owner/field.
    pub fn open(&self, owner: &str, field: Field, sealed: &str) -> Result<String> {
        let bad = || Error::Internal(format!("sealed {} cannot be opened", field.label()));
        let mut parts = sealed.splitn(3, ':');
        let (Some("v1"), Some(key_id), Some(b64)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let blob = B64.decode(b64).map_err(|_| bad())?;
        if blob.len() < 12 + 16 {
            return Err(bad());
        }
        let (nonce, ct) = blob.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| bad())?;
        let aad = format!("{owner}|{}", field.label());
        let pt = self
            .cipher(key_id, owner)?
            .decrypt(
                &nonce.into(),
                Payload {
                    msg: ct,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| bad())?;
        String::from_utf8(pt).map_err(|_| bad())
    }

    /// Whether a sealed value was sealed with an older key and should be re-sealed.
    pub fn needs_rotation(&self, sealed: &str) -> bool {
        sealed.split(':').nth(1) != Some(self.active.as_str())
    }

    /// The keyed blind index of a (normalized) value: equal values give equal indexes, and
    /// without the key nobody can test a guess against the database.
    pub fn blind_index(&self, field: Field, normalized: &str) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(self.index_key.as_slice())
            .expect("any key length");
        mac.update(field.label().as_bytes());
        mac.update(b"|");
        mac.update(normalized.as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// A keyed hash for short secrets (one-time codes): a leaked table is not brute-forceable
    /// offline without the key.
    pub fn secret_digest(&self, context: &str, secret: &str) -> String {
        self.blind_index(Field::Name, &format!("secret|{context}|{secret}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(active: &str) -> KeyRing {
        let k = |s: u8| base64::engine::general_purpose::STANDARD.encode([s; 32]);
        KeyRing::new(&format!("k1:{},k2:{}", k(7), k(8)), active, &k(9)).unwrap()
    }

    #[test]
    fn seals_per_owner_and_field() {
        let r = ring("k1");
        let sealed = r.seal("cust-a", Field::Mobile, "13812341234").unwrap();
        assert!(sealed.starts_with("v1:k1:"));
        assert!(!sealed.contains("13812341234"));
        assert_eq!(
            r.open("cust-a", Field::Mobile, &sealed).unwrap(),
            "13812341234"
        );
        assert_ne!(
            sealed,
            r.seal("cust-a", Field::Mobile, "13812341234").unwrap(),
            "fresh nonce"
        );
        assert!(
            r.open("cust-b", Field::Mobile, &sealed).is_err(),
            "another customer's key"
        );
        assert!(
            r.open("cust-a", Field::Name, &sealed).is_err(),
            "another field"
        );
    }

    #[test]
    fn tampering_is_detected() {
        let r = ring("k1");
        let sealed = r.seal("c", Field::Name, "张三").unwrap();
        let mut bytes = sealed.into_bytes();
        let last = bytes.len() - 3;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        assert!(r
            .open("c", Field::Name, &String::from_utf8(bytes).unwrap())
            .is_err());
        assert!(r.open("c", Field::Name, "v1:k1:").is_err());
        assert!(r.open("c", Field::Name, "plain text").is_err());
    }

    #[test]
    fn rotation_keeps_old_values_readable() {
        let old = ring("k1")
            .seal("c", Field::ResidentId, "11010519491231002X")
            .unwrap();
        let new_ring = ring("k2");
        assert!(new_ring.needs_rotation(&old));
        assert_eq!(
            new_ring.open("c", Field::ResidentId, &old).unwrap(),
            "11010519491231002X"
        );
        let resealed = new_ring
            .seal("c", Field::ResidentId, "11010519491231002X")
            .unwrap();
        assert!(!new_ring.needs_rotation(&resealed));
    }

    #[test]
    fn blind_index_is_keyed_and_deterministic() {
        let r = ring("k1");
        let a = r.blind_index(Field::Mobile, "13812341234");
        assert_eq!(a, r.blind_index(Field::Mobile, "13812341234"));
        assert_ne!(a, r.blind_index(Field::Mobile, "13812341235"));
        assert_ne!(
            a,
            r.blind_index(Field::ResidentId, "13812341234"),
            "field separates"
        );
        assert_ne!(
            a,
            KeyRing::development().blind_index(Field::Mobile, "13812341234"),
            "keyed"
        );
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn configuration_errors_are_plain() {
        assert!(KeyRing::new("k1:short", "k1", "x").is_err());
        let k = base64::engine::general_purpose::STANDARD.encode([1u8; 32]);
        assert!(
            KeyRing::new(&format!("k1:{k}"), "k9", &k).is_err(),
            "active must exist"
        );
        assert!(format!("{:?}", KeyRing::development()).contains("dev1"));
        assert!(!format!("{:?}", KeyRing::development()).contains(&k));
    }
}
