//! The domain's one error type. The `app` layer maps each variant to an HTTP status and a
//! customer-facing message; nothing here is shown to a customer verbatim.

/// Everything the domain can refuse or fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The caller asked for something that does not exist (a bank code, an account …).
    #[error("not found: {0}")]
    NotFound(String),
    /// The input broke a rule; the string names the rule in plain words for logs.
    #[error("invalid input: {0}")]
    Invalid(String),
    /// Configuration that cannot work (bad database URL, missing key …).
    #[error("configuration: {0}")]
    Config(String),
    /// The database failed; retried where the error is transient before it reaches here.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// Schema migration failed at start.
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
