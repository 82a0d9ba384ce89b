//! Configuration, read once from environment variables (documented in the README).

use std::net::SocketAddr;

pub use crate::client_ip::Cidr;

/// How the process runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Local development and the demo: demo data, pretty logs, development-only endpoints.
    Development,
    /// Everything else.
    Production,
}

/// SMS codes one client address may ask for per hour unless configured.
pub const DEFAULT_CODES_PER_ADDRESS_HOUR: i64 = 20;

#[derive(Clone, Debug)]
pub struct Config {
    pub mode: Mode,
    pub database_url: String,
    pub database_max_connections: u32,
    /// Cookies get `Secure` and responses HSTS: the portal is served over TLS, which is what
    /// `PUBLIC_ORIGIN`'s scheme says (TLS usually ends at a proxy in front of the portal, so
    /// the listen address says nothing about it).
    pub secure_cookies: bool,
    /// Development endpoints (`/dev/sms`) and demo data: development mode on a loopback
    /// address, or development mode with `DEV_ON_ANY_ADDRESS=1` (logged loudly at start).
    pub dev_endpoints: bool,
    /// Proxies whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`): without any, the
    /// client is the connection's peer.
    pub trusted_proxies: Vec<Cidr>,
    /// How much a customer may pay others per day without an SMS code
    /// (`CODE_FREE_DAILY_FEN`, `CODE_FREE_DAILY_COUNT`).
    pub code_free: domain::transfer::CodeFreePolicy,
    /// SMS codes one client address may ask for per hour (`CODES_PER_ADDRESS_HOUR`).
    pub codes_per_address_hour: i64,
    /// `json` for log shippers, `pretty` for people.
    pub log_json: bool,
    /// Keys for personal data; `None` in development means the published development keys.
    pub pii_keys: Option<PiiKeys>,
    pub session_idle_secs: i64,
    pub session_absolute_secs: i64,
    /// The operators' console's idle timeout (`STAFF_IDLE_SECS`, default 15 minutes).
    pub staff_idle_secs: i64,
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
        let public_origin = match get("PUBLIC_ORIGIN") {
            Some(origin) => origin.trim_end_matches('/').to_string(),
            // Cookies would go out without `Secure` to whoever reaches this address.
            None if mode == Mode::Production && !site_addr.ip().is_loopback() => {
                return Err(ConfigError {
                    name: "PUBLIC_ORIGIN",
                    problem: "required when listening beyond loopback in production (e.g. https://mbank.example.cn)".into(),
                })
            }
            None => format!("http://localhost:{}", site_addr.port()),
        };
        let secure_cookies = if public_origin.starts_with("https://") {
            true
        } else if public_origin.starts_with("http://") {
            false
        } else {
            return Err(ConfigError {
                name: "PUBLIC_ORIGIN",
                problem: format!("must start with https:// or http://, not {public_origin:?}"),
            });
        };
        let trusted_proxies = match get("TRUSTED_PROXIES") {
            None => Vec::new(),
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| {
                    s.parse::<Cidr>().map_err(|_| ConfigError {
                        name: "TRUSTED_PROXIES",
                        problem: format!("{s:?} is not an IP address or CIDR block"),
                    })
                })
                .collect::<Result<_, _>>()?,
        };
        let on_any_address = flag("DEV_ON_ANY_ADDRESS")? == Some(true);
        let dev_endpoints =
            mode == Mode::Development && (site_addr.ip().is_loopback() || on_any_address);
        let default_code_free = domain::transfer::CodeFreePolicy::default();
        let count = |name: &'static str, default: i64| -> Result<i64, ConfigError> {
            match get(name) {
                None => Ok(default),
                Some(v) => v.parse().ok().filter(|n| *n >= 0).ok_or(ConfigError {
                    name,
                    problem: format!("must be a whole number, 0 or more, not {v:?}"),
                }),
            }
        };
        let code_free = domain::transfer::CodeFreePolicy {
            amount_per_day: count("CODE_FREE_DAILY_FEN", default_code_free.amount_per_day)?,
            count_per_day: count("CODE_FREE_DAILY_COUNT", default_code_free.count_per_day)?,
        };
        Ok(Config {
            code_free,
            codes_per_address_hour: count(
                "CODES_PER_ADDRESS_HOUR",
                DEFAULT_CODES_PER_ADDRESS_HOUR,
            )?,
            secure_cookies,
            dev_endpoints,
            trusted_proxies,
            public_origin,
            pii_keys,
            session_idle_secs: secs("SESSION_IDLE_SECS", 300)?,
            session_absolute_secs: secs("SESSION_ABSOLUTE_SECS", 12 * 3600)?,
            staff_idle_secs: secs("STAFF_IDLE_SECS", 15 * 60)?,
            clearing_delay_secs: secs("CLEARING_DELAY_SECS", 30)?,
            mode,
            database_url: get("DATABASE_URL").unwrap_or_else(|| "sqlite://data/bank.db".into()),
            database_max_connections,
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
        assert_eq!(c.staff_idle_secs, 900, "the console: fifteen idle minutes");
        assert_eq!(c.clearing_delay_secs, 30);
        assert_eq!(c.public_origin, "http://localhost:3000");
        assert_eq!(c.mode, Mode::Production);
        assert_eq!(c.database_url, "sqlite://data/bank.db");
        assert!(!c.secure_cookies, "plain http on loopback");
        assert!(c.log_json);
        assert!(!c.dev_endpoints);
        assert!(c.trusted_proxies.is_empty());
    }

    #[test]
    fn the_codes_one_address_may_ask_for_can_be_raised() {
        let dev = |vars: &[(&str, &str)]| {
            let mut all = vec![("APP_ENV", "development")];
            all.extend_from_slice(vars);
            cfg("127.0.0.1:1", &all)
        };
        assert_eq!(dev(&[]).unwrap().codes_per_address_hour, 20);
        assert_eq!(
            dev(&[("CODES_PER_ADDRESS_HOUR", "200")])
                .unwrap()
                .codes_per_address_hour,
            200
        );
        assert!(dev(&[("CODES_PER_ADDRESS_HOUR", "many")]).is_err());
    }

    #[test]
    fn the_code_free_allowance_can_be_set() {
        let dev = |vars: &[(&str, &str)]| {
            let mut all = vec![("APP_ENV", "development")];
            all.extend_from_slice(vars);
            cfg("127.0.0.1:1", &all)
        };
        assert_eq!(
            dev(&[]).unwrap().code_free,
            domain::transfer::CodeFreePolicy::default()
        );
        let c = dev(&[
            ("CODE_FREE_DAILY_FEN", "100000"),
            ("CODE_FREE_DAILY_COUNT", "0"),
        ])
        .unwrap();
        assert_eq!(
            (c.code_free.amount_per_day, c.code_free.count_per_day),
            (100_000, 0)
        );
        assert_eq!(
            dev(&[("CODE_FREE_DAILY_COUNT", "-1")]).unwrap_err().name,
            "CODE_FREE_DAILY_COUNT"
        );
    }

    #[test]
    fn tls_follows_the_public_origin() {
        let keys = [
            ("PII_MASTER_KEYS", "k1:x"),
            ("PII_ACTIVE_KEY", "k1"),
            ("PII_INDEX_KEY", "y"),
        ];
        // The usual deployment: a TLS-terminating proxy in front of the loopback address.
        let behind_proxy = [
            keys.as_slice(),
            &[("PUBLIC_ORIGIN", "https://mbank.example.cn/")],
        ]
        .concat();
        let c = cfg("127.0.0.1:3000", &behind_proxy).unwrap();
        assert!(c.secure_cookies, "https origin: Secure cookies and HSTS");
        assert_eq!(c.public_origin, "https://mbank.example.cn");
        let plain = [
            keys.as_slice(),
            &[("PUBLIC_ORIGIN", "http://10.0.0.5:3000")],
        ]
        .concat();
        assert!(!cfg("0.0.0.0:3000", &plain).unwrap().secure_cookies);
        assert_eq!(
            cfg("0.0.0.0:3000", &keys).unwrap_err().name,
            "PUBLIC_ORIGIN",
            "production beyond loopback must say where customers reach it"
        );
        let odd = [keys.as_slice(), &[("PUBLIC_ORIGIN", "mbank.example.cn")]].concat();
        assert_eq!(
            cfg("127.0.0.1:3000", &odd).unwrap_err().name,
            "PUBLIC_ORIGIN"
        );
    }

    #[test]
    fn development_endpoints_only_on_loopback() {
        let dev = [("APP_ENV", "development")];
        assert!(cfg("127.0.0.1:3000", &dev).unwrap().dev_endpoints);
        assert!(cfg("[::1]:3000", &dev).unwrap().dev_endpoints);
        assert!(!cfg("0.0.0.0:3000", &dev).unwrap().dev_endpoints);
        let anywhere = [("APP_ENV", "development"), ("DEV_ON_ANY_ADDRESS", "1")];
        assert!(cfg("0.0.0.0:3000", &anywhere).unwrap().dev_endpoints);
        let prod = [
            ("PII_MASTER_KEYS", "k1:x"),
            ("PII_ACTIVE_KEY", "k1"),
            ("PII_INDEX_KEY", "y"),
            ("DEV_ON_ANY_ADDRESS", "1"),
        ];
        assert!(!cfg("127.0.0.1:3000", &prod).unwrap().dev_endpoints);
    }

    #[test]
    fn trusted_proxies_are_addresses_or_blocks() {
        let dev = |v: &str| {
            cfg(
                "127.0.0.1:1",
                &[("APP_ENV", "development"), ("TRUSTED_PROXIES", v)],
            )
        };
        let c = dev("127.0.0.1, 10.0.0.0/8,fd00::/8").unwrap();
        assert_eq!(c.trusted_proxies.len(), 3);
        assert_eq!(dev("10.0.0.0/33").unwrap_err().name, "TRUSTED_PROXIES");
        assert_eq!(dev("proxy.local").unwrap_err().name, "TRUSTED_PROXIES");
    }

    #[test]
    fn overrides_and_refusals() {
        let c = cfg(
            "0.0.0.0:80",
            &[("APP_ENV", "development"), ("LOG_FORMAT", "pretty")],
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
                &[("APP_ENV", "development"), ("DEV_ON_ANY_ADDRESS", "maybe")]
            )
            .unwrap_err()
            .name,
            "DEV_ON_ANY_ADDRESS"
        );
        assert_eq!(
            cfg("127.0.0.1:1", &[("DATABASE_MAX_CONNECTIONS", "0")])
                .unwrap_err()
                .name,
            "DATABASE_MAX_CONNECTIONS"
        );
    }
}
