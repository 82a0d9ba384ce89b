//! Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP, HMAC-SHA1, 30-second steps,
//! six digits): the staff's second factor, from any authenticator app. A code is accepted in
//! its own step or one step either side (clock drift), and each step at most once per staff
//! member (the caller stores the last step used): a code seen over a shoulder cannot be
//! replayed.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

use crate::clock::Millis;
use crate::{Error, Result};

/// Seconds per step.
pub const STEP_SECS: i64 = 30;
/// Digits per code.
pub const DIGITS: u32 = 6;
/// Bytes of a new secret (160 bits, as RFC 4226 recommends for SHA-1).
pub const SECRET_BYTES: usize = 20;

/// The step a moment falls in.
pub fn step_at(now: Millis) -> i64 {
    now.div_euclid(1000).div_euclid(STEP_SECS)
}

/// The code of one step (HOTP with the step as counter), as six digits.
pub fn code_at_step(secret: &[u8], step: i64) -> String {
    // HMAC takes a key of any length; an empty code matches nothing if that ever changed.
    let Ok(mut mac) = <Hmac<Sha1> as KeyInit>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    // Dynamic truncation (RFC 4226 § 5.3).
    let offset = (digest[digest.len() - 1] & 0x0f) as usize;
    let binary = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    format!(
        "{:0width$}",
        binary % 10u32.pow(DIGITS),
        width = DIGITS as usize
    )
}

/// The step `code` belongs to, if it is the code of the current step or of one either side
/// and that step is later than `last_used` (never the same step twice).
pub fn matching_step(secret: &[u8], code: &str, now: Millis, last_used: i64) -> Option<i64> {
    let code = code.trim();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let current = step_at(now);
    let mut found = None;
    // Every candidate is computed, matched or not, so the time taken says nothing.
    for step in [current - 1, current, current + 1] {
        let expected = code_at_step(secret, step);
        let same: bool = subtle::ConstantTimeEq::ct_eq(expected.as_bytes(), code.as_bytes()).into();
        if same && step > last_used && found.is_none() {
            found = Some(step);
        }
    }
    found
}

/// A new random secret.
pub fn new_secret() -> Result<Vec<u8>> {
    let mut bytes = vec![0u8; SECRET_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| Error::Config(format!("no randomness: {e}")))?;
    Ok(bytes)
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 without padding: how authenticator apps take a secret typed in.
pub fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(BASE32[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(BASE32[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Base32 back to bytes; spaces, hyphens, padding and case are ignored. `None` if another
/// character appears.
pub fn from_base32(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !matches!(c, ' ' | '-' | '=')) {
        let value = BASE32
            .iter()
            .position(|&a| a as char == c.to_ascii_uppercase())? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The `otpauth://` address an authenticator app reads from a QR code. `account` is the
/// staff login (never a personal identifier).
pub fn provisioning_uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    fn escape(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
        escape(issuer),
        escape(account),
        base32(secret),
        escape(issuer)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 column (the eight-digit codes' last six digits).
    #[test]
    fn rfc_6238_test_vectors() {
        let secret = b"12345678901234567890";
        for (unix, eight) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(
                code_at_step(secret, step_at(unix * 1000)),
                &eight[2..],
                "at {unix}"
            );
        }
    }

    #[test]
    fn a_code_counts_in_its_step_and_one_either_side_once() {
        let secret = b"12345678901234567890";
        let now = 1_111_111_111_000;
        let step = step_at(now);
        let code = code_at_step(secret, step);
        assert_eq!(matching_step(secret, &code, now, 0), Some(step));
        assert_eq!(matching_step(secret, &code, now + 30_000, 0), Some(step));
        assert_eq!(matching_step(secret, &code, now - 30_000, 0), Some(step));
        assert_eq!(matching_step(secret, &code, now + 60_000, 0), None);
        // Used once: not again.
        assert_eq!(matching_step(secret, &code, now, step), None);
        assert_eq!(matching_step(secret, "12345", now, 0), None);
        assert_eq!(matching_step(secret, "abcdef", now, 0), None);
        let wrong = if code == "000000" { "000001" } else { "000000" };
        assert_eq!(matching_step(secret, wrong, now, 0), None);
    }

    #[test]
    fn base32_round_trips_and_matches_rfc_4648() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32(b"f"), "MY");
        assert_eq!(from_base32("MZXW 6YTB-OI==").unwrap(), b"foobar");
        assert_eq!(from_base32("mzxw6ytboi").unwrap(), b"foobar");
        assert_eq!(from_base32("MZ1"), None);
        let secret = new_secret().unwrap();
        assert_eq!(from_base32(&base32(&secret)).unwrap(), secret);
        let uri = provisioning_uri("农商银行运营", "b001.editor", &secret);
        assert!(uri.starts_with("otpauth://totp/%E5%86%9C"), "{uri}");
        assert!(uri.contains(&format!("secret={}", base32(&secret))));
    }
}
