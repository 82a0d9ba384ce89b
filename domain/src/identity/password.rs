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

/// A PHC string (`$argon2id$v=19$…`) with its own random salt. Runs off the async workers
/// (see [`off_the_workers`]).
pub async fn hash(password: &str) -> Result<String> {
    let password = password.to_string();
    off_the_workers(move || hash_now(&password)).await?
}

fn hash_now(password: &str) -> Result<String> {
    // The salt comes from the operating system's randomness inside `hash_password`.
    let hashed: PasswordHash = argon2()
        .hash_password(password.as_bytes())
        .map_err(|e| Error::Config(format!("argon2: {e}")))?;
    Ok(hashed.to_string())
}

/// Constant-time verification against a stored PHC string, off the async workers.
pub async fn verify(password: &str, stored: &str) -> Result<bool> {
    let (password, stored) = (password.to_string(), stored.to_string());
    off_the_workers(move || {
        PasswordHash::new(&stored)
            .is_ok_and(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
    })
    .await
}

/// Runs an Argon2 computation (tens of milliseconds of CPU and 19 MiB) on the blocking pool,
/// at most one per core at a time: on an async worker a burst of sign-ins would stall every
/// other request, and unbounded it would take 19 MiB per waiting sign-in.
async fn off_the_workers<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T> {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    let slots = SLOTS.get_or_init(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()))
    });
    let _slot = slots
        .acquire()
        .await
        .map_err(|e| Error::Config(format!("argon2 slots: {e}")))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::Config(format!("argon2 task: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On a single-threaded runtime a hash computed on the worker would finish before the
    /// caller runs again; off the workers it is still running when the caller looks.
    #[tokio::test(flavor = "current_thread")]
    async fn argon2_runs_off_the_async_workers() {
        let stored = hash("abc12345").await.unwrap();
        let check = tokio::spawn(async move { verify("abc12345", &stored).await });
        tokio::task::yield_now().await;
        assert!(
            !check.is_finished(),
            "the verification ran on the async worker"
        );
        assert!(check.await.unwrap().unwrap());
        let stored = hash("abc12345").await.unwrap();
        assert!(!verify("abc12346", &stored).await.unwrap());
        assert!(!verify("abc12345", "not a hash").await.unwrap());
    }

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

    #[tokio::test]
    async fn hashes_verify_and_differ() {
        let a = hash("abc12345").await.unwrap();
        let b = hash("abc12345").await.unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "salted");
        assert!(verify("abc12345", &a).await.unwrap());
    }
}
