//! The QR code of an electronic card: a payload signed by the bureau that expires one minute
//! after it is issued, so a screenshot or a photographed screen is useless soon after.
//!
//! Text form (what the QR holds): `SSC1.<kind>.<card ref>.<issued s>.<expires s>.<signature>`,
//! the signature being ECDSA P-256 over SHA-256 of everything before the last dot, in base64url
//! without padding. A terminal (hospital, pharmacy, service hall) checks it with the bureau's
//! public key alone: [`verify`]. The national platform signs with SM2 (国密); the format and the
//! checks are the same, only the curve differs, and that is the bureau adapter's business.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use p256::ecdsa::signature::{Signer, Verifier};
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};

use super::CardKind;
use crate::clock::{Millis, SECOND};
use crate::error::Refusal;
use crate::{Error, Result};

/// How long a code is good for.
pub const LIFETIME: Millis = 60 * SECOND;
/// Clocks of phones and terminals drift: a code issued up to this far "in the future" passes.
pub const SKEW: Millis = 5 * SECOND;
const VERSION: &str = "SSC1";

/// A code as issued: its text and when it stops being accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedCode {
    pub text: String,
    pub issued_at: Millis,
    pub expires_at: Millis,
}

/// What a terminal learns from a good code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claims {
    pub kind: CardKind,
    pub card_ref: String,
    pub issued_at: Millis,
    pub expires_at: Millis,
}

/// Signs a code for `card_ref`, good from `now` for [`LIFETIME`] (whole seconds).
pub fn sign(key: &SigningKey, kind: CardKind, card_ref: &str, now: Millis) -> Result<SignedCode> {
    if card_ref.is_empty() || !card_ref.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(Error::invalid(
            crate::Input::Request,
            "e-card reference".into(),
        ));
    }
    let issued = now.div_euclid(SECOND);
    let expires = (now + LIFETIME).div_euclid(SECOND);
    let body = format!("{VERSION}.{}.{card_ref}.{issued}.{expires}", kind.slug());
    let signature: Signature = key.sign(body.as_bytes());
    Ok(SignedCode {
        text: format!("{body}.{}", URL_SAFE_NO_PAD.encode(signature.to_bytes())),
        issued_at: issued * SECOND,
        expires_at: expires * SECOND,
    })
}

/// What a terminal does with a scanned code: the signature must be the bureau's and the code
/// within its minute. A forged, altered or malformed code is `CodeInvalid`; a good but old one
/// is `CodeExpired`.
pub fn verify(key: &VerifyingKey, text: &str, now: Millis) -> Result<Claims> {
    let bad = || Error::Refused(Refusal::CardCodeInvalid);
    let (body, signature) = text.rsplit_once('.').ok_or_else(bad)?;
    let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| bad())?;
    let signature = Signature::from_slice(&signature).map_err(|_| bad())?;
    key.verify(body.as_bytes(), &signature).map_err(|_| bad())?;
    let parts: Vec<&str> = body.split('.').collect();
    let [version, kind, card_ref, issued, expires] = parts[..] else {
        return Err(bad());
    };
    let kind = CardKind::from_slug(kind).ok_or_else(bad)?;
    let issued_at = issued.parse::<i64>().map_err(|_| bad())? * SECOND;
    let expires_at = expires.parse::<i64>().map_err(|_| bad())? * SECOND;
    if version != VERSION || expires_at <= issued_at || expires_at - issued_at > LIFETIME {
        return Err(bad());
    }
    if now >= expires_at || issued_at > now + SKEW {
        return Err(Refusal::CardCodeExpired.into());
    }
    Ok(Claims {
        kind,
        card_ref: card_ref.to_string(),
        issued_at,
        expires_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(seed: u8) -> SigningKey {
        let mut scalar = [7u8; 32];
        scalar[31] = seed;
        SigningKey::from_slice(&scalar).unwrap()
    }

    const T0: Millis = 1_800_000_000_000;

    #[test]
    fn a_code_verifies_for_one_minute_and_not_after() {
        let k = key(1);
        let code = sign(&k, CardKind::SocialSecurity, "abc123", T0 + 400).unwrap();
        assert_eq!(code.issued_at, T0);
        assert_eq!(code.expires_at, T0 + LIFETIME);
        let vk = VerifyingKey::from(&k);
        let claims = verify(&vk, &code.text, T0 + 59_999).unwrap();
        assert_eq!(claims.kind, CardKind::SocialSecurity);
        assert_eq!(claims.card_ref, "abc123");
        for late in [T0 + LIFETIME, T0 + LIFETIME + 1, T0 + 3_600_000] {
            assert!(matches!(
                verify(&vk, &code.text, late),
                Err(Error::Refused(Refusal::CardCodeExpired))
            ));
        }
        // Issued "in the future" beyond the drift allowed: not yet good.
        assert!(matches!(
            verify(&vk, &code.text, T0 - SKEW - 1),
            Err(Error::Refused(Refusal::CardCodeExpired))
        ));
        assert!(verify(&vk, &code.text, T0 - SKEW).is_ok());
    }

    #[test]
    fn altered_forged_or_malformed_codes_are_refused() {
        let k = key(1);
        let vk = VerifyingKey::from(&k);
        let code = sign(&k, CardKind::Medical, "abc123", T0).unwrap();
        let invalid = |text: &str| {
            matches!(
                verify(&vk, text, T0 + 1),
                Err(Error::Refused(Refusal::CardCodeInvalid))
            )
        };
        // Another card, another kind, a longer life: each changes the signed text.
        assert!(invalid(&code.text.replace("abc123", "abc124")));
        assert!(invalid(&code.text.replace(".medical.", ".essc.")));
        let expires = (T0 + LIFETIME) / SECOND;
        assert!(invalid(
            &code
                .text
                .replace(&expires.to_string(), &(expires + 600).to_string())
        ));
        // Signed by someone else's key.
        let forged = sign(&key(2), CardKind::Medical, "abc123", T0).unwrap();
        assert!(invalid(&forged.text));
        // A life longer than a minute is refused even when the signature is good.
        let long = {
            let body = format!("SSC1.medical.abc123.{}.{}", T0 / SECOND, T0 / SECOND + 3600);
            let s: Signature = k.sign(body.as_bytes());
            format!("{body}.{}", URL_SAFE_NO_PAD.encode(s.to_bytes()))
        };
        assert!(invalid(&long));
        for junk in [
            "",
            ".",
            "SSC1",
            "a.b.c.d.e.f",
            "SSC1.medical.abc123.1.2.!!!",
        ] {
            assert!(invalid(junk), "{junk:?}");
        }
        assert!(sign(&k, CardKind::Medical, "a.b", T0).is_err());
    }
}
