//! Login passwords: the rules stated on the registration page, and Argon2id hashing.

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};

use crate::{Error, Result};

/// What a login password must be, in the words the page shows.
pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 20;

/// Which rule a password broke (the page names it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordProblem {
    Length,
    NeedsLetterAndDigit,
    Whitespace,
    /// Contains the mobile number or the birth date: the first things an attacker tries.
    Personal,
}

/// Checks the rules; `personal` are strings the password must not contain.
pub fn check(password: &str, personal: &[&str]) -> std::result::Result<(), PasswordProblem> {
    let len = password.chars().count();
    if !(MIN_LEN..=MAX_LEN).contains(&len) {
        return Err(PasswordProblem::Length);
    }
    if password.chars().any(char::is_whitespace) {
        return Err(PasswordProblem::Whitespace);
    }
    if !(password.chars().any(|c| c.is_ascii_alphabetic())
        && password.chars().any(|c| c.is_ascii_digit()))
    {
        return Err(PasswordProblem::NeedsLetterAndDigit);
    }
    if personal
        .iter()
        .any(|p| p.len() >= 6 && password.contains(p))
    {
        return Err(PasswordProblem::Personal);
    }
    Ok(())
}

/// OWASP's Argon2id baseline (19 MiB, 2 passes, 1 lane).
fn argon2() -> Argon2<'static> {
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(19_456, 2, 1, None).expect("static params"),
    )
}

/// A PHC string (`$argon2id$v=19$…`) with its own random salt.
pub fn hash(password: &str) -> Result<String> {
    // The salt comes from the operating system's randomness inside `hash_password`.
    let hashed: PasswordHash = argon2()
        .hash_password(password.as_bytes())
        .map_err(|e| Error::Config(format!("argon2: {e}")))?;
    Ok(hashed.to_string())
}

/// Constant-time verification against a stored PHC string.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .is_ok_and(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules() {
        assert_eq!(check("abc12345", &[]), Ok(()));
        assert_eq!(check("abc1234", &[]), Err(PasswordProblem::Length));
        assert_eq!(check(&"a1".repeat(11), &[]), Err(PasswordProblem::Length));
        assert_eq!(
            check("abcdefgh", &[]),
            Err(PasswordProblem::NeedsLetterAndDigit)
        );
        assert_eq!(
            check("12345678", &[]),
            Err(PasswordProblem::NeedsLetterAndDigit)
        );
        assert_eq!(check("abc 12345", &[]), Err(PasswordProblem::Whitespace));
        assert_eq!(
            check("a19600101", &["19600101"]),
            Err(PasswordProblem::Personal)
        );
        assert_eq!(
            check("x13812341234", &["13812341234"]),
            Err(PasswordProblem::Personal)
        );
    }

    #[test]
    fn hashes_verify_and_differ() {
        let a = hash("abc12345").unwrap();
        let b = hash("abc12345").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "salted");
        assert!(verify("abc12345", &a));
        assert!(!verify("abc12346", &a));
        assert!(!verify("abc12345", "not a hash"));
    }
}
