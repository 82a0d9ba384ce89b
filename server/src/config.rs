//! Configuration, read once from environment variables (documented in the README).

use std::net::SocketAddr;

/// How the process runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Local development and the demo: demo data, pretty logs, development-only endpoints.
    Development,
    /// Everything else.
    Production,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub mode: Mode,
    pub database_url: String,
    pub database_max_connections: u32,
    /// Cookies get `Secure`. Defaults to on unless the portal listens on loopback only.
    pub secure_cookies: bool,
    /// `json` for log shippers, `pretty` for people.
    pub log_json: bool,
    /// Keys for personal data; `None` in development means the published development keys.
    pub pii_keys: Option<PiiKeys>,
    pub session_idle_secs: i64,
    pub session_absolute_secs: i64,
    /// How long an interbank transfer waits before the clearing worker submits it
    /// (`CLEARING_DELAY_SECS`, default 30): the time a customer sees it pending.
    pub clearing_delay_secs: i64,
    /// The address customers open the portal at (`PUBLIC_ORIGIN`, default
    /// `http://localhost:<port>`): passkeys are bound to its host name.
    pub public_origin: String,
}

/// `PII_MASTER_KEYS` (`id:base64,…`), `PII_ACTIVE_KEY`, `PII_INDEX_KEY`.
#[derive(Clone)]
pub struct PiiKeys {
    pub masters: String,
    pub active: String,
    pub index: String,
}

impl std::fmt::Debug for PiiKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PiiKeys")
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{name}: {problem}")]
pub struct ConfigError {
    pub name: &'static str,
    pub problem: String,
}

impl Config {
    /// Reads the configuration; `site_addr` is where the server will listen.
    pub fn from_env(site_addr: SocketAddr) -> Result<Config, ConfigError> {
        Self::from_lookup(site_addr, |k| std::env::var(k).ok())
    }

    /// Same as [`Config::from_env`] over any lookup, for tests.
    pub fn from_lookup(
        site_addr: SocketAddr,
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let mode = match get("APP_ENV").as_deref() {
            None | Some("production") => Mode::Production,
            Some("development") => Mode::Development,
            Some(other) => {
                return Err(ConfigError {
                    name: "APP_ENV",
                    problem: format!("must be development or production, not {other:?}"),
                })
            }
        };
        let flag = |name: &'static str| -> Result<Option<bool>, ConfigError> {
            match get(name).as_deref() {
                None | Some("") => Ok(None),
                Some("1" | "true" | "yes") => Ok(Some(true)),
                Some("0" | "false" | "no") => Ok(Some(false)),
                Some(other) => Err(ConfigError {
                    name,
                    problem: format!("must be 1 or 0, not {other:?}"),
                }),
            }
        };
        let database_max_connections = match get("DATABASE_MAX_CONNECTIONS") {
            None => 16,
            Some(n) => n.parse().ok().filter(|n| *n > 0).ok_or(ConfigError {
                name: "DATABASE_MAX_CONNECTIONS",
                problem: format!("must be a positive number, not {n:?}"),
            })?,
        };
        let secs = |name: &'static str, default: i64| -> Result<i64, ConfigError> {
            match get(name) {
                None => Ok(default),
                Some(v) => v.parse().ok().filter(|n| *n > 0).ok_or(ConfigError {
                    name,
                    problem: format!("must be a positive number of seconds, not {v:?}"),
                }),
            }
        };
        let pii_keys = match (get("PII_MASTER_KEYS"), get("PII_ACTIVE_KEY"), get("PII_INDEX_KEY")) {
            (Some(masters), Some(active), Some(index)) => Some(PiiKeys { masters, active, index }),
            (None, None, None) if mode == Mode::Development => None,
            _ => {
                return Err(ConfigError {
                    name: "PII_MASTER_KEYS",
                    problem: "PII_MASTER_KEYS, PII_ACTIVE_KEY and PII_INDEX_KEY are required outside development".into(),
                })
            }
        };
        Ok(Config {
            pii_keys,
            session_idle_secs: secs("SESSION_IDLE_SECS", 300)?,
            session_absolute_secs: secs("SESSION_ABSOLUTE_SECS", 12 * 3600)?,
            clearing_delay_secs: secs("CLEARING_DELAY_SECS", 30)?,
            public_origin: get("PUBLIC_ORIGIN")
                .unwrap_or_else(|| format!("http://localhost:{}", site_addr.port())),
            mode,
            database_url: get("DATABASE_URL").unwrap_or_else(|| "sqlite://data/bank.db".into()),
            database_max_connections,
            secure_cookies: flag("SECURE_COOKIES")?.unwrap_or(!site_addr.ip().is_loopback()),
            log_json: match get("LOG_FORMAT").as_deref() {
                None => mode == Mode::Production,
                Some("json") => true,
                Some("pretty") => false,
                Some(other) => {
                    return Err(ConfigError {
                        name: "LOG_FORMAT",
                        problem: format!("must be json or pretty, not {other:?}"),
                    })
                }
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn cfg(addr: &str, vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(addr.parse().unwrap(), |k| vars.get(k).cloned())
    }

    #[test]
    fn defaults() {
        let keys = [
            ("PII_MASTER_KEYS", "k1:x"),
            ("PII_ACTIVE_KEY", "k1"),
            ("PII_INDEX_KEY", "y"),
        ];
        assert_eq!(
            cfg("127.0.0.1:3000", &[]).unwrap_err().name,
            "PII_MASTER_KEYS",
            "production needs real keys"
        );
        assert!(cfg("127.0.0.1:3000", &[("APP_ENV", "development")])
            .unwrap()
            .pii_keys
            .is_none());
        let c = cfg("127.0.0.1:3000", &keys).unwrap();
        assert_eq!(c.session_idle_secs, 300, "PSD2: five idle minutes");
        assert_eq!(c.clearing_delay_secs, 30);
        assert_eq!(c.public_origin, "http://localhost:3000");
        assert_eq!(c.mode, Mode::Production);
        assert_eq!(c.database_url, "sqlite://data/bank.db");
        assert!(!c.secure_cookies, "plain http on loopback");
        assert!(c.log_json);
        assert!(
            cfg("0.0.0.0:3000", &keys).unwrap().secure_cookies,
            "secure outside localhost"
        );
    }

    #[test]
    fn overrides_and_refusals() {
        let c = cfg(
            "0.0.0.0:80",
            &[
                ("APP_ENV", "development"),
                ("SECURE_COOKIES", "0"),
                ("LOG_FORMAT", "pretty"),
            ],
        )
        .unwrap();
        assert_eq!(c.mode, Mode::Development);
        assert!(!c.secure_cookies);
        assert!(!c.log_json);
        assert_eq!(
            cfg("127.0.0.1:1", &[("APP_ENV", "staging")])
                .unwrap_err()
                .name,
            "APP_ENV"
        );
        assert_eq!(
            cfg(
                "127.0.0.1:1",
                &[("APP_ENV", "development"), ("SECURE_COOKIES", "maybe")]
            )
            .unwrap_err()
            .name,
            "SECURE_COOKIES"
        );
        assert_eq!(
            cfg("127.0.0.1:1", &[("DATABASE_MAX_CONNECTIONS", "0")])
                .unwrap_err()
                .name,
            "DATABASE_MAX_CONNECTIONS"
        );
    }
}
